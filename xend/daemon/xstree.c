/* SPDX-License-Identifier: MIT */
#include "xstree.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../config/xmconfig.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xst_list_free(struct xst_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].value);
        free(l->v[i].perms);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

void xst_add(struct xst_list *l, const char *path, const char *value, const char *perms)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
    }
    l->v[l->n].path = xstrdup(path);
    l->v[l->n].value = xstrdup(value ? value : "");
    l->v[l->n].perms = perms ? xstrdup(perms) : NULL;
    l->n++;
}

char *xst_vm_path(const char *uuid)
{
    return xasprintf("/vm/%s", uuid);
}

char *xst_dom_path(uint32_t domid)
{
    return xasprintf("/local/domain/%u", domid);
}

/* base/rel = value */
static void put(struct xst_list *l, const char *base, const char *rel, const char *value)
{
    char *p = xasprintf("%s/%s", base, rel);
    xst_add(l, p, value, NULL);
    free(p);
}

static void putf(struct xst_list *l, const char *base, const char *rel, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void putf(struct xst_list *l, const char *base, const char *rel, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    put(l, base, rel, sb_str(&sb));
    sb_free(&sb);
}

void xst_build_vm(const struct xst_domain *d, struct xst_list *out)
{
    char *vm = xst_vm_path(d->uuid);
    char *perms = xasprintf("n0,r%u", d->domid);
    const struct xm_domain_config *c = d->cfg;
    struct strbuf sb = STRBUF_INIT;

    /* xend: the /vm entry belongs to dom0 and the guest may read it. */
    xst_add(out, vm, "", perms);
    put(out, vm, "uuid", d->uuid);
    put(out, vm, "name", d->name);
    putf(out, vm, "start_time", "%.2f", d->start_time);
    putf(out, vm, "memory", "%lu", d->target_kb / 1024);
    putf(out, vm, "maxmem", "%lu", d->static_max_kb / 1024);
    putf(out, vm, "vcpus", "%u", d->max_vcpus);
    putf(out, vm, "vcpu_avail", "%llu", (unsigned long long)d->online_mask);
    put(out, vm, "on_poweroff", xm_action_name(c->on_poweroff));
    put(out, vm, "on_reboot", xm_action_name(c->on_reboot));
    put(out, vm, "on_crash", xm_action_name(c->on_crash));
    put(out, vm, "image", "");
    put(out, vm, "image/ostype", c->builder ? c->builder : "linux");
    put(out, vm, "image/kernel", c->kernel ? c->kernel : "");
    put(out, vm, "image/ramdisk", c->ramdisk ? c->ramdisk : "");
    xm_config_kernel_cmdline(c, &sb);
    put(out, vm, "image/cmdline", sb_str(&sb));
    put(out, vm, "xend", "");
    size_t len = strlen(d->config_json), chunks = (len + XST_CHUNK - 1) / XST_CHUNK;
    putf(out, vm, "xend/config-chunks", "%zu", chunks);
    for (size_t i = 0; i < chunks; i++) {
        char rel[32];
        char *piece = xstrndup(d->config_json + i * XST_CHUNK, XST_CHUNK);
        snprintf(rel, sizeof(rel), "xend/config-%zu", i);
        put(out, vm, rel, piece);
        free(piece);
    }
    if (d->previous_restart >= 0)
        putf(out, vm, "xend/previous_restart_time", "%.2f", d->previous_restart);
    sb_free(&sb);
    free(perms);
    free(vm);
}

void xst_build_local(const struct xst_domain *d, struct xst_list *out)
{
    char *dom = xst_dom_path(d->domid);
    char *perms = xasprintf("n0,r%u", d->domid);
    char *guest = xasprintf("n%u", d->domid);
    char *vm = xst_vm_path(d->uuid);

    /* The directory is dom0's and the guest may only read it (children
     * inherit): its name, vm, rings and ports are what xend, xenconsoled
     * and xenstored trust, and a guest must not rename itself or point
     * them elsewhere.  Only the nodes a PV guest writes are its own, as
     * Xen's toolstack sets them (see the reference tree: n0,rN for the
     * directory, nN for attr, data, drivers, error, feature and
     * control/{shutdown,sysrq,feature-*}). */
    xst_add(out, dom, "", perms);
    put(out, dom, "vm", vm);
    put(out, dom, "name", d->name);
    putf(out, dom, "domid", "%u", d->domid);
    put(out, dom, "memory", "");
    putf(out, dom, "memory/target", "%lu", d->target_kb);
    putf(out, dom, "memory/static-max", "%lu", d->static_max_kb);
    put(out, dom, "cpu", "");
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        char rel[48];
        snprintf(rel, sizeof(rel), "cpu/%u", i);
        put(out, dom, rel, "");
        snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
        bool on = i < 64 && (d->online_mask >> i & 1);
        put(out, dom, rel, on ? "online" : "offline");
    }
    put(out, dom, "console", "");
    putf(out, dom, "console/ring-ref", "%llu", (unsigned long long)d->console_mfn);
    putf(out, dom, "console/port", "%u", d->console_port);
    putf(out, dom, "console/limit", "%lu", d->console_limit);
    put(out, dom, "console/type", "xenconsoled");
    put(out, dom, "store", "");
    putf(out, dom, "store/ring-ref", "%llu", (unsigned long long)d->store_mfn);
    putf(out, dom, "store/port", "%u", d->store_port);
    put(out, dom, "device", "");
    put(out, dom, "control", "");
    put(out, dom, "control/platform-feature-multiprocessor-suspend", "1");
    static const char *const own[] = {
        "control/shutdown", "control/sysrq", "control/feature-poweroff", "control/feature-reboot",
        "control/feature-suspend", "data", "drivers", "error", "feature", "attr",
    };
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
        char *p = xasprintf("%s/%s", dom, own[i]);
        xst_add(out, p, "", guest);
        free(p);
    }
    free(vm);
    free(guest);
    free(perms);
    free(dom);
}
