/* SPDX-License-Identifier: MIT */
/*
 * Taking running domains back when xend starts: the hypervisor lists
 * them, xenstore has what xend wrote for each (xstree.h): /local/domain/N/vm
 * leads to /vm/UUID with the config (xend/config-*), start time, restart
 * time; /local/domain/N has the memory target, maximum, vCPU availability
 * and the store/console rings. A domain without those entries was not
 * created by a xend; it is listed under its xenstore name (or Domain-N)
 * and left alone.
 */
#include "xend.h"
#include "device.h"
#include "xlog.h"
#include "../common/dominfo.h"
#include "xstree.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* base/rel as text, or NULL. */
static char *rd(struct xend *x, const char *base, const char *rel)
{
    char *p = xasprintf("%s/%s", base, rel);
    int err;
    char *v = xs_read(&x->xs, 0, p, &err);
    free(p);
    return v;
}

static unsigned long long rd_num(struct xend *x, const char *base, const char *rel,
                                 unsigned long long def)
{
    char *v = rd(x, base, rel), *end;
    unsigned long long n = def;

    if (v && *v) {
        n = strtoull(v, &end, 10);
        if (*end)
            n = def;
    }
    free(v);
    return n;
}

static double rd_double(struct xend *x, const char *base, const char *rel, double def)
{
    char *v = rd(x, base, rel);
    double d = v && *v ? strtod(v, NULL) : def;
    free(v);
    return d;
}

/* The config JSON from its pieces under vm/xend, or NULL. */
static char *read_config(struct xend *x, const char *vm)
{
    unsigned long long n = rd_num(x, vm, "xend/config-chunks", 0);
    struct strbuf sb = STRBUF_INIT;

    if (!n)
        return NULL;
    for (unsigned long long i = 0; i < n; i++) {
        char rel[48];
        snprintf(rel, sizeof(rel), "xend/config-%llu", i);
        char *piece = rd(x, vm, rel);
        if (!piece) {
            sb_free(&sb);
            return NULL;
        }
        sb_puts(&sb, piece);
        free(piece);
    }
    return sb_steal(&sb);
}

static struct xdom *adopt(struct xend *x, const struct hv_dominfo *info, const char *dom)
{
    char *vm = rd(x, dom, "vm");
    char *json = vm ? read_config(x, vm) : NULL;
    struct strbuf err = STRBUF_INIT;
    struct json *j = json ? json_decode(json, strlen(json), &err) : NULL;
    struct xm_domain_config cfg;
    struct xerr e;
    struct xdom *d = NULL;

    if (j && xdom_config_from_request(j, &cfg, &e) == 0) {
        d = xdom_new(x, &cfg);
        d->start_time = rd_double(x, vm, "start_time", xend_now());
        d->previous_restart = rd_double(x, vm, "xend/previous_restart_time", -1);
        char *pres = rd(x, vm, "xend/preserved");
        d->handled = pres && !strcmp(pres, "1");
        free(pres);
    } else {
        if (vm)
            xlog_warn("Domain %u: %s has no usable xend config (%s); listing it without one.",
                      info->domid, vm, j ? e.msg : json ? sb_str(&err) : "missing");
        d = xcalloc(1, sizeof(*d));
        char *name = rd(x, dom, "name");
        d->name = name && *name ? name : xasprintf("Domain-%u", info->domid);
        if (d->name != name)
            free(name);
        memcpy(d->uuid, info->handle, 16);
        xm_uuid_format(d->uuid, d->uuid_str);
        d->previous_restart = -1;
        d->start_time = vm ? rd_double(x, vm, "start_time", -1) : -1;
        d->max_vcpus = info->max_vcpus;
        d->online_mask = info->online_vcpus >= 64 ? ~0ull : (1ull << info->online_vcpus) - 1;
        d->next = x->doms;
        x->doms = d;
    }
    d->active = true;
    d->domid = info->domid;
    d->target_kb = rd_num(x, dom, "memory/target", info->tot_kb);
    d->maxmem_kb = rd_num(x, dom, "memory/static-max", info->max_kb);
    d->store_mfn = rd_num(x, dom, "store/ring-ref", 0);
    d->store_port = (uint32_t)rd_num(x, dom, "store/port", 0);
    d->console_mfn = rd_num(x, dom, "console/ring-ref", 0);
    d->console_port = (uint32_t)rd_num(x, dom, "console/port", 0);
    if (d->has_config) {
        uint64_t mask = 0;
        for (unsigned int i = 0; i < d->max_vcpus && i < 64; i++) {
            char rel[48];
            snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
            char *v = rd(x, dom, rel);
            if (!v || strcmp(v, "offline"))
                mask |= 1ull << i;
            free(v);
        }
        d->online_mask = mask ? mask : 1;
    }
    json_free(j);
    sb_free(&err);
    free(json);
    free(vm);
    return d;
}

void xend_rediscover(struct xend *x)
{
    struct hv_dominfo *infos = xcalloc(HV_MAX_DOMAINS, sizeof(*infos));
    int n = x->hv->ops->list(x->hv, infos, HV_MAX_DOMAINS);

    if (n < 0) {
        xlog_error("Cannot list the hypervisor's domains: %s", hv_error(x->hv));
        free(infos);
        return;
    }
    uint32_t *live = xcalloc((size_t)n + 1, sizeof(*live));
    size_t nlive = 0;
    for (int i = 0; i < n; i++) {
        if (!infos[i].dying)
            live[nlive++] = infos[i].domid;
        if (infos[i].domid == 0 || infos[i].dying)
            continue;
        char *dom = xst_dom_path(infos[i].domid);
        struct xdom *d = adopt(x, &infos[i], dom);
        uint32_t ids[64];
        /* The devices themselves stay in xenstore, where detach, list and teardown read them. */
        size_t vbds = dev_ids(x, d->domid, DEV_VBD, ids, 64), vifs = dev_ids(x, d->domid, DEV_VIF, ids, 64);
        xlog_info("Found running domain %s (%u)%s, with %zu disk%s and %zu NIC%s.", d->name, d->domid,
                  d->has_config ? "" : " not created by xend", vbds, vbds == 1 ? "" : "s", vifs,
                  vifs == 1 ? "" : "s");
        free(dom);
    }
    dev_cleanup_orphans(x, live, nlive);
    free(live);
    free(infos);
}
