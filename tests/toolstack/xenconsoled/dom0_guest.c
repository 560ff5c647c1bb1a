/* SPDX-License-Identifier: MIT */
/*
 * A pretend guest for xenconsoled in a real Linux dom0 on Xeno
 * (tests/toolstack/xenconsoled-dom0.sh): a domain that never runs, with a
 * console page and an unbound port made the way a domain builder makes
 * them, its xenstore nodes written and introduced as a toolstack does.
 * dom0 then plays the guest's side of the ring through a foreign mapping
 * (it cannot notify from the guest's ports: xenconsoled's once-a-second
 * look at every ring picks the output up).
 *
 *   dom0-guest create NAME [grant]  prints "DOMID MFN PORT"; with grant, the page is
 *                                   also granted to dom0 as grant 0 (as the builder
 *                                   seeds it), so xenconsoled maps it through gntdev
 *   dom0-guest write DOMID MFN TEXT  TEXT (\n escapes) into the out ring
 *   dom0-guest read DOMID MFN WANT SECONDS   consume the in ring until WANT
 *   dom0-guest destroy DOMID        destroy, rm /local/domain/DOMID, XS_RELEASE
 *   dom0-guest gone DOMID SECONDS   wait until the hypervisor has no such domain
 *                                   (all its pages released: nobody maps them)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>
#include <xenoctrl.h>

#include "client.h"
#include "guest_ring.h"

static xenoctrl *xc;

static int die(const char *what, int rc)
{
    fprintf(stderr, "dom0-guest: %s: %s\n", what, strerror(rc < 0 ? -rc : rc));
    exit(1);
}

static struct xsc xs;

static void xs_put(const char *path, const char *value)
{
    char buf[512];
    size_t pl = strlen(path) + 1, vl = strlen(value);
    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    struct xsc_msg *m;
    int err = xsc_call(&xs, XS_WRITE, 0, buf, (uint32_t)(pl + vl), &m);
    if (err)
        die(path, err);
    free(m);
}

/* EVTCHNOP_alloc_unbound in domid for dom0: what a builder does for the console. */
static uint32_t alloc_port(uint32_t domid)
{
    struct evtchn_alloc_unbound *op = xenoctrl_buffer(xc, sizeof(*op));
    if (!op)
        die("hypercall buffer", ENOMEM);
    memset(op, 0, sizeof(*op));
    op->dom = (domid_t)domid;
    op->remote_dom = 0;
    long rc = xenoctrl_hypercall(xc, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (uintptr_t)op, 0, 0, 0);
    uint32_t port = op->port;
    xenoctrl_buffer_release(xc);
    if (rc < 0)
        die("EVTCHNOP_alloc_unbound", (int)rc);
    return port;
}

static struct xencons_interface *map(uint32_t domid, unsigned long mfn)
{
    int rc;
    void *p = xenoctrl_map_foreign_range(xc, domid, PROT_READ | PROT_WRITE, mfn, 1, &rc);
    if (!p)
        die("map_foreign_range", rc);
    return p;
}

/* GNTTAB_RESERVED_CONSOLE for dom0, the way a domain builder seeds it. */
static void seed_grant(uint32_t domid, xen_pfn_t mfn)
{
    xen_pfn_t frame;
    int rc = xenoctrl_gnttab_frames(xc, domid, 1, &frame);
    if (rc)
        die("gnttab_frames", rc);
    struct grant_entry_v1 *e = xenoctrl_map_foreign_bulk(xc, domid, PROT_READ | PROT_WRITE, &frame, NULL, 1, &rc);
    if (!e)
        die("mapping the grant table", rc);
    e[GNTTAB_RESERVED_CONSOLE].domid = 0;
    e[GNTTAB_RESERVED_CONSOLE].frame = (uint32_t)mfn;
    __atomic_thread_fence(__ATOMIC_RELEASE);    /* valid only once complete */
    e[GNTTAB_RESERVED_CONSOLE].flags = GTF_permit_access;
    xenoctrl_unmap(xc, e, 1);
}

static int create(const char *name, bool grant)
{
    struct xenoctrl_domain_config cfg;
    uint32_t domid;
    xen_pfn_t pfns[2] = { 0, 1 };
    xenoctrl_domain_config_default(&cfg);
    int rc = xenoctrl_domain_create(xc, 0, &cfg, &domid);
    if (rc < 0)
        die("domain_create", rc);
    if ((rc = xenoctrl_domain_setmaxmem(xc, domid, 64)) < 0)
        die("setmaxmem", rc);
    if (xenoctrl_populate_physmap(xc, domid, 2, 0, pfns) != 2)
        die("populate_physmap", EIO);
    memset(map(domid, pfns[0]), 0, 4096);
    memset(map(domid, pfns[1]), 0, 4096);
    if (grant)
        seed_grant(domid, pfns[0]);
    uint32_t cport = alloc_port(domid), sport = alloc_port(domid);
    char path[96], val[32], id[16];
    snprintf(id, sizeof(id), "%u", domid);
#define PUT(leaf, ...) (snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, leaf), \
                        snprintf(val, sizeof(val), __VA_ARGS__), xs_put(path, val))
    PUT("name", "%s", name);
    PUT("console/ring-ref", "%lu", (unsigned long)pfns[0]);
    PUT("console/port", "%u", cport);
    PUT("console/type", "xenconsoled");
    PUT("console/limit", "1048576");
    char mfn[32], port[16];
    snprintf(mfn, sizeof(mfn), "%lu", (unsigned long)pfns[1]);
    snprintf(port, sizeof(port), "%u", sport);
    struct xsc_msg *m;
    int err = xsc_callv(&xs, XS_INTRODUCE, 0, &m, id, mfn, port, NULL);
    if (err)
        die("XS_INTRODUCE", err);
    free(m);
    printf("%u %lu %u\n", domid, (unsigned long)pfns[0], cport);
    return 0;
}

static void unescape(char *s)
{
    char *o = s;
    for (; *s; s++)
        if (s[0] == '\\' && s[1] == 'n') {
            *o++ = '\n';
            s++;
        } else {
            *o++ = *s;
        }
    *o = 0;
}

static int write_text(struct xencons_interface *c, char *text)
{
    unescape(text);
    size_t len = strlen(text), done = 0;
    for (int tries = 0; done < len && tries < 500; tries++) {
        done += guest_produce(c, text + done, len - done);
        if (done < len)
            usleep(10000);
    }
    return done == len ? 0 : 1;
}

static int read_until(struct xencons_interface *c, const char *want, int seconds)
{
    char got[1100];
    size_t len = 0;
    for (int i = 0; i < seconds * 50; i++) {
        guest_consume(c, got, &len, sizeof(got));
        if (strstr(got, want)) {
            printf("read: %s\n", got);
            return 0;
        }
        usleep(20000);
    }
    fprintf(stderr, "dom0-guest: wanted \"%s\", got \"%s\"\n", want, got);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return fprintf(stderr, "usage: see dom0_guest.c\n"), 2;
    int rc = xenoctrl_open(&xc);
    if (rc < 0)
        die("xenoctrl_open", rc);
    int err = xsc_open(&xs, NULL);
    if (err)
        die("xenstore", err);
    const char *cmd = argv[1];
    uint32_t domid = (uint32_t)strtoul(argv[2], NULL, 10);
    if (!strcmp(cmd, "create"))
        return create(argv[2], argc > 3 && !strcmp(argv[3], "grant"));
    if (!strcmp(cmd, "write") && argc == 5)
        return write_text(map(domid, strtoul(argv[3], NULL, 10)), argv[4]);
    if (!strcmp(cmd, "read") && argc == 6)
        return read_until(map(domid, strtoul(argv[3], NULL, 10)), argv[4], atoi(argv[5]));
    if (!strcmp(cmd, "destroy")) {
        char path[64];
        struct xsc_msg *m;
        if ((rc = xenoctrl_domain_destroy(xc, domid)) < 0)
            die("destroy", rc);
        snprintf(path, sizeof(path), "/local/domain/%u", domid);
        if (!xsc_callv(&xs, XS_RM, 0, &m, path, NULL))
            free(m);
        if (!xsc_callv(&xs, XS_RELEASE, 0, &m, argv[2], NULL))
            free(m);
        return 0;
    }
    if (!strcmp(cmd, "gone") && argc == 4) {
        struct xenoctrl_dominfo info;
        xenoctrl_set_logger(xc, NULL, NULL);
        for (int i = 0; i < atoi(argv[3]) * 10; i++) {
            if (xenoctrl_domain_getinfo(xc, domid, &info) == -ESRCH)
                return 0;
            usleep(100000);
        }
        fprintf(stderr, "dom0-guest: domain %u still exists (dying %d)\n", domid, info.dying);
        return 1;
    }
    fprintf(stderr, "dom0-guest: bad command\n");
    return 2;
}
