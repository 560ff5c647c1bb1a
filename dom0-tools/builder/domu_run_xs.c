/* SPDX-License-Identifier: MIT */
/*
 * xeno-domu-run: the domU's part of xenstore.  The layout and permissions
 * follow what libxl writes for a PV guest on Xen 4.17
 * (/work/shared/reference/xenstore-domU-real-xen.txt): the domain's own
 * nodes owned by dom0 and readable by the domain ("n0", "rN"), the nodes
 * the guest writes (control/feature-*, data, device, ...) owned by it
 * ("nN").  XS_INTRODUCE then tells xenstored the ring (store_mfn, which it
 * maps through grant reference 1) and port.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domu_run.h"

static int xs_fail(int err, const char *what, const char *path)
{
    fprintf(stderr, "xeno-domu-run: xenstore %s %s: %s\n", what, path, strerror(err));
    return err;
}

static int xs_write(struct xsc *xs, const char *path, const char *value)
{
    char buf[512];
    size_t pl = strlen(path) + 1, vl = strlen(value);
    if (pl + vl > sizeof(buf))
        return xs_fail(E2BIG, "write", path);
    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    struct xsc_msg *m = NULL;
    int err = xsc_call(xs, XS_WRITE, 0, buf, (uint32_t)(pl + vl), &m);
    free(m);
    return err ? xs_fail(err, "write", path) : 0;
}

/* Owner `owner` (no access for others), and `reader` may read (-1: none). */
static int xs_perms(struct xsc *xs, const char *path, unsigned int owner, int reader)
{
    char o[16], r[16];
    snprintf(o, sizeof(o), "n%u", owner);
    snprintf(r, sizeof(r), "r%d", reader);
    struct xsc_msg *m = NULL;
    int err = xsc_callv(xs, XS_SET_PERMS, 0, &m, path, o, reader >= 0 ? r : NULL, NULL);
    free(m);
    return err ? xs_fail(err, "set_perms", path) : 0;
}

/* dom/rel = value, owned by dom0 and readable by the domain. */
static int put(struct xsc *xs, uint32_t domid, const char *rel, const char *value, bool guest_owned)
{
    char path[256];
    snprintf(path, sizeof(path), "/local/domain/%u%s%s", domid, *rel ? "/" : "", rel);
    int err = xs_write(xs, path, value);
    if (!err)
        err = guest_owned ? xs_perms(xs, path, domid, -1) : xs_perms(xs, path, 0, (int)domid);
    return err;
}

int domu_xs_setup(struct xsc *xs, const struct xenobuild_result *r, const char *name, uint64_t memory_kb,
                  unsigned int vcpus, unsigned int max_vcpus)
{
    uint32_t d = r->domid;
    char v[64];
    int err = put(xs, d, "", "", false);
    err = err ? err : put(xs, d, "name", name, false);
    snprintf(v, sizeof(v), "%u", d);
    err = err ? err : put(xs, d, "domid", v, false);
    snprintf(v, sizeof(v), "%" PRIu64, r->store_mfn);
    err = err ? err : put(xs, d, "store/ring-ref", v, false);
    snprintf(v, sizeof(v), "%u", r->store_port);
    err = err ? err : put(xs, d, "store/port", v, false);
    snprintf(v, sizeof(v), "%" PRIu64, r->console_mfn);
    err = err ? err : put(xs, d, "console/ring-ref", v, false);
    snprintf(v, sizeof(v), "%u", r->console_port);
    err = err ? err : put(xs, d, "console/port", v, false);
    err = err ? err : put(xs, d, "console/type", "xeno-domu-run", false);
    snprintf(v, sizeof(v), "%" PRIu64, memory_kb);
    err = err ? err : put(xs, d, "memory/target", v, false);
    err = err ? err : put(xs, d, "memory/static-max", v, false);
    for (unsigned int i = 0; !err && i < max_vcpus; i++) {
        char rel[32];
        snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
        err = put(xs, d, rel, i < vcpus ? "online" : "offline", false);
    }
    static const char *const guest_nodes[] = {
        "control/shutdown", "control/feature-poweroff", "control/feature-reboot",
        "control/feature-suspend", "control/sysrq", "data", "device", "drivers", "error",
        "feature", "attr",
    };
    err = err ? err : put(xs, d, "control", "", false);
    for (size_t i = 0; !err && i < sizeof(guest_nodes) / sizeof(guest_nodes[0]); i++)
        err = put(xs, d, guest_nodes[i], "", true);
    if (err)
        return err;

    char dom[16], mfn[32], port[16];
    snprintf(dom, sizeof(dom), "%u", d);
    snprintf(mfn, sizeof(mfn), "%" PRIu64, r->store_mfn);
    snprintf(port, sizeof(port), "%u", r->store_port);
    struct xsc_msg *m = NULL;
    err = xsc_callv(xs, XS_INTRODUCE, 0, &m, dom, mfn, port, NULL);
    free(m);
    return err ? xs_fail(err, "introduce", dom) : 0;
}

void domu_xs_read(struct xsc *xs, uint32_t domid, const char *rel, char *buf, size_t len)
{
    char path[256];
    struct xsc_msg *m = NULL;
    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, rel);
    buf[0] = '\0';
    if (xsc_callv(xs, XS_READ, 0, &m, path, NULL) == 0)
        snprintf(buf, len, "%.*s", (int)m->hdr.len, m->body);
    free(m);
}

int domu_xs_release(struct xsc *xs, uint32_t domid)
{
    char dom[16], path[64];
    snprintf(dom, sizeof(dom), "%u", domid);
    struct xsc_msg *m = NULL;
    int err = xsc_callv(xs, XS_RELEASE, 0, &m, dom, NULL);
    free(m);
    /* ENOENT: xenstored saw the domain die (VIRQ_DOM_EXC) and released it
     * itself, as Xen's does; its nodes are still the toolstack's to remove. */
    if (err && err != ENOENT)
        return xs_fail(err, "release", dom);
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    err = xsc_callv(xs, XS_RM, 0, &m, path, NULL);
    free(m);
    return err ? xs_fail(err, "rm", path) : 0;
}
