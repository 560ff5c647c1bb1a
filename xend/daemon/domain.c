/* SPDX-License-Identifier: MIT */
/* Domain records and their life: boot, teardown, shutdown actions (xend.h). */
#include "xend.h"
#include "device.h"
#include "lifecycle.h"
#include "xlog.h"
#include "xstree.h"
#include "../common/diag.h"
#include "../common/dominfo.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>
#include <time.h>
#include <unistd.h>

double xend_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void xerr_set(struct xerr *e, enum xend_errcode code, const char *fmt, ...)
{
    va_list ap;

    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
}

struct xdom *xdom_by_uuid(struct xend *x, const uint8_t uuid[16])
{
    for (struct xdom *d = x->doms; d; d = d->next)
        if (!memcmp(d->uuid, uuid, 16))
            return d;
    return NULL;
}

struct xdom *xdom_by_name(struct xend *x, const char *name)
{
    struct xdom *inactive = NULL;
    for (struct xdom *d = x->doms; d; d = d->next) {
        if (strcmp(d->name, name))
            continue;
        if (d->active)
            return d;
        inactive = inactive ? inactive : d;
    }
    return inactive;
}

struct xdom *xdom_by_domid(struct xend *x, uint32_t domid)
{
    for (struct xdom *d = x->doms; d; d = d->next)
        if (d->active && d->domid == domid)
            return d;
    return NULL;
}

struct xdom *xdom_find(struct xend *x, const char *s)
{
    char *end;
    unsigned long id = strtoul(s, &end, 10);
    uint8_t u[16];

    if (*s >= '0' && *s <= '9' && !*end)
        return xdom_by_domid(x, (uint32_t)id);
    struct xdom *d = xdom_by_name(x, s);
    if (!d && strlen(s) == 36 && xm_uuid_parse(s, u) == 0)
        d = xdom_by_uuid(x, u);
    return d;
}

/* A random (version 4) UUID, as xend's uuid.createString() made; libuuid
 * takes it from getrandom(), falling back to its own generator. */
static void random_uuid(uint8_t u[16])
{
    uuid_generate_random(u);
}

static void set_defaults_from_cfg(struct xdom *d)
{
    d->target_kb = d->cfg.memory * 1024;
    d->maxmem_kb = (d->cfg.maxmem ? d->cfg.maxmem : d->cfg.memory) * 1024;
    d->max_vcpus = d->cfg.vcpus ? d->cfg.vcpus : 1;
    d->online_mask = d->max_vcpus >= 64 ? ~0ull : (1ull << d->max_vcpus) - 1;
    if (d->cfg.has_vcpu_avail)
        d->online_mask &= d->cfg.vcpu_avail;
    if (!d->online_mask)
        d->online_mask = 1;
}

struct xdom *xdom_new(struct xend *x, struct xm_domain_config *cfg)
{
    struct xdom *d = xcalloc(1, sizeof(*d));

    d->cfg = *cfg;
    memset(cfg, 0, sizeof(*cfg));
    d->has_config = true;
    if (!d->cfg.has_uuid) {
        random_uuid(d->cfg.uuid);
        d->cfg.has_uuid = true;
    }
    memcpy(d->uuid, d->cfg.uuid, 16);
    xm_uuid_format(d->uuid, d->uuid_str);
    d->name = xstrdup(d->cfg.name ? d->cfg.name : d->uuid_str);
    d->previous_restart = -1;
    set_defaults_from_cfg(d);
    d->next = x->doms;
    x->doms = d;
    return d;
}

void xdom_free(struct xdom *d)
{
    if (d->has_config)
        xm_config_free(&d->cfg);
    free(d->name);
    free(d);
}

void xdom_unlink(struct xend *x, struct xdom *d)
{
    for (struct xdom **p = &x->doms; *p; p = &(*p)->next) {
        if (*p == d) {
            *p = d->next;
            return;
        }
    }
}

int xdom_config_from_request(const struct json *obj, struct xm_domain_config *cfg, struct xerr *e)
{
    struct diags diags = DIAGS_INIT;
    struct strbuf sb = STRBUF_INIT;

    if (xm_config_from_json(obj, "request", cfg, &diags) < 0) {
        for (size_t i = 0; i < diags.n; i++) {
            if (diags.v[i].level != DIAG_ERROR)
                continue;
            if (sb.len)
                sb_puts(&sb, "; ");
            diag_format(&diags.v[i], &sb);
        }
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Invalid configuration: %s", sb_str(&sb));
        sb_free(&sb);
        diags_free(&diags);
        return -1;
    }
    diags_free(&diags);
    if (!cfg->kernel) {
        xerr_set(e, XEND_E_NOT_SUPPORTED, "Domain %s: no kernel given; bootloaders are not "
                 "supported by Xeno's xend yet", cfg->name ? cfg->name : "?");
        xm_config_free(cfg);
        return -1;
    }
    return 0;
}

int xdom_check_unique(struct xend *x, const struct xdom *self, const char *name,
                      const uint8_t uuid[16], struct xerr *e)
{
    for (struct xdom *d = x->doms; d; d = d->next) {
        if (d == self)
            continue;
        if (name && !strcmp(d->name, name)) {
            if (d->active)
                xerr_set(e, XEND_E_EXISTS, "Domain '%s' already exists with ID '%u'", name, d->domid);
            else
                xerr_set(e, XEND_E_EXISTS, "Domain '%s' already exists (managed, not running)", name);
            return -1;
        }
        if (uuid && !memcmp(d->uuid, uuid, 16)) {
            xerr_set(e, XEND_E_EXISTS, "Domain '%s' already uses UUID %s", d->name, d->uuid_str);
            return -1;
        }
    }
    if (name && !strcmp(name, "Domain-0")) {
        xerr_set(e, XEND_E_EXISTS, "Domain 'Domain-0' already exists with ID '0'");
        return -1;
    }
    return 0;
}

char *xdom_config_json(const struct xdom *d)
{
    struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
    struct json *j = xm_config_to_json(&d->cfg);

    if (json_encode(j, &sb, &err) < 0)
        xlog_error("domain %s: cannot encode its config: %s", d->name, sb_str(&err));
    json_free(j);
    sb_free(&err);
    return sb_steal(&sb);
}

static void tree_of(struct xend *x, struct xdom *d, const char *json, struct xst_domain *t)
{
    memset(t, 0, sizeof(*t));
    t->domid = d->domid;
    t->name = d->name;
    t->uuid = d->uuid_str;
    t->cfg = &d->cfg;
    t->config_json = json;
    t->target_kb = d->target_kb;
    t->static_max_kb = d->maxmem_kb;
    t->max_vcpus = d->max_vcpus;
    t->online_mask = d->online_mask;
    t->store_mfn = d->store_mfn;
    t->store_port = d->store_port;
    t->console_mfn = d->console_mfn;
    t->console_port = d->console_port;
    t->console_limit = (unsigned long)x->opts.console_limit * 1024;
    t->start_time = d->start_time;
    t->previous_restart = d->previous_restart;
}

int xdom_store(struct xend *x, struct xdom *d)
{
    struct xst_list l = { 0 };
    struct xst_domain t;
    char *json = xdom_config_json(d);

    if (!d->active || !d->has_config) {
        free(json);
        return 0;
    }
    tree_of(x, d, json, &t);
    xst_build_vm(&t, &l);
    xst_build_local(&t, &l);
    int err = xs_apply(&x->xs, &l);
    if (err)
        xlog_error("domain %s (%u): writing its xenstore entries failed: %s", d->name, d->domid,
                   strerror(err));
    xst_list_free(&l);
    free(json);
    return err ? -1 : 0;
}

/* Remove /local/domain/N and /vm/UUID. */
static void remove_trees(struct xend *x, struct xdom *d)
{
    char *dom = xst_dom_path(d->domid), *vm = xst_vm_path(d->uuid_str);
    const char *paths[] = { dom, vm };
    /* The /vm entry of a domain xend did not create is not xend's to remove. */
    int err = xs_rm_all(&x->xs, paths, d->has_config ? 2 : 1);

    if (err)
        xlog_error("domain %s (%u): removing %s and %s from xenstore failed: %s", d->name, d->domid,
                   dom, vm, strerror(err));
    free(dom);
    free(vm);
}

static enum xend_errcode build_errcode(int rc)
{
    switch (-rc) {
    case ENOMEM:
        return XEND_E_NO_MEMORY;
    case ENOENT:
    case ENOEXEC:
    case EINVAL:
    case EOPNOTSUPP:
    case E2BIG:
        return XEND_E_INVALID_ARGUMENT;
    default:
        return XEND_E_INTERNAL;
    }
}

/* NICs without a MAC get one now, kept in the config (and a managed domain's file), so
   that the guest sees the same address after every restart, as xend's did. */
static int assign_macs(struct xend *x, struct xdom *d, struct xerr *e)
{
    bool changed = false;

    for (size_t i = 0; i < d->cfg.nr_vifs; i++)
        if (dev_vif_assign_mac(&d->cfg.vifs[i])) {
            changed = true;
            xlog_info("Domain %s: vif %zu gets the random MAC %s.", d->name, i, d->cfg.vifs[i].mac);
        }
    return changed && d->managed ? managed_save(x, d, e) : 0;
}

int xdom_boot(struct xend *x, struct xdom *d, bool paused, struct xerr *e)
{
    struct hv_hostinfo host;
    struct strbuf cmdline = STRBUF_INIT;
    struct hv_built built;
    int rc;

    set_defaults_from_cfg(d);
    if (assign_macs(x, d, e) < 0)
        return -1;
    /* xend checked free memory first, so the message says what is missing. */
    if (x->hv->ops->hostinfo(x->hv, &host) == 0 && host.free_kb < d->target_kb) {
        xerr_set(e, XEND_E_NO_MEMORY, "Not enough free memory to create domain %s: it needs %lu MiB, "
                 "%llu MiB are free.", d->name, d->target_kb / 1024,
                 (unsigned long long)host.free_kb / 1024);
        xlog_error("%s", e->msg);
        return -1;
    }
    xm_config_kernel_cmdline(&d->cfg, &cmdline);
    struct hv_build b = {
        .kernel = d->cfg.kernel, .ramdisk = d->cfg.ramdisk, .cmdline = sb_str(&cmdline),
        .memory_kb = d->target_kb, .maxmem_kb = d->maxmem_kb,
        .vcpus = (unsigned int)__builtin_popcountll(d->online_mask), .max_vcpus = d->max_vcpus,
    };
    memcpy(b.uuid, d->uuid, 16);
    xlog_info("Creating domain %s (uuid %s, %lu MiB, %u vCPUs, kernel %s)", d->name, d->uuid_str,
              d->target_kb / 1024, d->max_vcpus, d->cfg.kernel);
    rc = x->hv->ops->build(x->hv, &b, &built);
    sb_free(&cmdline);
    if (rc < 0) {
        xerr_set(e, build_errcode(rc), "Error creating domain %s: %s", d->name, hv_error(x->hv));
        xlog_error("%s", e->msg);
        return -1;
    }
    d->active = true;
    d->domid = built.domid;
    d->store_mfn = built.store_mfn;
    d->store_port = built.store_port;
    d->console_mfn = built.console_mfn;
    d->console_port = built.console_port;
    /* xenstore keeps it to 1/100 s (xend's start_time): so does the record, so that a
       restarted xend reports the same. */
    d->start_time = (double)(long long)(xend_now() * 100) / 100;
    d->handled = false;
    d->shutdown_requested = 0;
    if (xdom_store(x, d) < 0) {
        xerr_set(e, XEND_E_INTERNAL, "Error creating domain %s: cannot write its xenstore entries",
                 d->name);
        goto undo;
    }
    int err = xs_introduce(&x->xs, d->domid, d->store_mfn, d->store_port);
    if (err) {
        xerr_set(e, XEND_E_INTERNAL, "Error creating domain %s: xenstored refused to introduce "
                 "domain %u (store mfn %llu, port %u): %s", d->name, d->domid,
                 (unsigned long long)d->store_mfn, d->store_port, strerror(err));
        xlog_error("%s", e->msg);
        goto undo;
    }
    /* Only with every device connected does the guest run (docs/devices.md §2.4). */
    if (dev_create_all(x, d, e) < 0)
        goto undo;
    if (!paused && (rc = x->hv->ops->unpause(x->hv, d->domid)) < 0) {
        xerr_set(e, XEND_E_INTERNAL, "Error creating domain %s: unpause of domain %u failed: %s",
                 d->name, d->domid, hv_error(x->hv));
        xlog_error("%s", e->msg);
        goto undo;
    }
    xlog_info("Domain %s (%u) %s.", d->name, d->domid, paused ? "created, paused" : "started");
    return 0;
undo:
    xdom_teardown(x, d);
    return -1;
}

void xdom_teardown(struct xend *x, struct xdom *d)
{
    struct dev_set devs;

    if (!d->active)
        return;
    /* docs/devices.md §3: backends offline first, so that they unregister when the
       frontends vanish with /local/domain/D; the scripts run once they have. */
    dev_teardown_begin(x, d->domid, &devs);
    int rc = x->hv->ops->destroy(x->hv, d->domid);
    if (rc < 0 && rc != -ESRCH)
        xlog_error("domain %s (%u): destroy failed: %s", d->name, d->domid, hv_error(x->hv));
    int err = xs_release(&x->xs, d->domid);
    if (err && err != ENOENT && err != EINVAL)
        xlog_warn("domain %s (%u): xenstored RELEASE: %s", d->name, d->domid, strerror(err));
    remove_trees(x, d);
    dev_teardown_finish(x, &devs);
    xlog_info("Domain %s (%u) destroyed.", d->name, d->domid);
    d->active = false;
    d->domid = 0;
}

/* After its domain is gone: unmanaged records go, managed ones stay inactive. */
static void drop_if_unmanaged(struct xend *x, struct xdom *d)
{
    if (d->managed || d->active)
        return;
    xdom_unlink(x, d);
    xdom_free(d);
}

static void restart(struct xend *x, struct xdom *d, const char *why)
{
    double since, now = xend_now();
    struct xerr e;

    if (!lc_restart_allowed(now, d->previous_restart, &since)) {
        xlog_error("VM %s restarting too fast (%.1f seconds since the last restart). Refusing to "
                   "restart to avoid loops.", d->name, since);
        xdom_teardown(x, d);
        return;
    }
    xlog_info("Domain %s (%u) %s: restarting it.", d->name, d->domid, why);
    xdom_teardown(x, d);
    d->previous_restart = now;
    if (xdom_boot(x, d, false, &e) < 0)
        xlog_error("Restart of domain %s failed: %s", d->name, e.msg);
}

/* A dead domain kept for inspection: left alone, now and by a restarted xend. */
static void mark_preserved(struct xend *x, struct xdom *d)
{
    d->handled = true;
    if (xdom_store(x, d) < 0)
        return;     /* logged */
    char *p = xasprintf("/vm/%s/xend/preserved", d->uuid_str);
    int err = xs_write(&x->xs, 0, p, "1");
    if (err)
        xlog_warn("domain %s: cannot write %s: %s", d->name, p, strerror(err));
    free(p);
}

/* xend's rename-restart: keep the dead one as Domain-NEWUUID, start its replacement. */
static void rename_restart(struct xend *x, struct xdom *d, const char *why)
{
    struct xm_domain_config copy;
    char *json = xdom_config_json(d);
    struct json *j;
    struct strbuf err = STRBUF_INIT;
    struct xerr e;

    j = json_decode(json, strlen(json), &err);
    free(json);
    if (!j || xdom_config_from_request(j, &copy, &e) < 0) {
        xlog_error("domain %s: cannot copy its config for rename-restart: %s", d->name,
                   j ? e.msg : sb_str(&err));
        json_free(j);
        sb_free(&err);
        restart(x, d, why);
        return;
    }
    json_free(j);
    sb_free(&err);
    /* The old record becomes the preserved one under a new identity. */
    uint32_t old_domid = d->domid;
    struct xdom *fresh = xdom_new(x, &copy);    /* same UUID as d (copied config) */
    fresh->managed = d->managed;
    fresh->previous_restart = d->previous_restart;
    d->managed = false;
    random_uuid(d->uuid);
    memcpy(d->cfg.uuid, d->uuid, 16);
    char olduuid[37];
    memcpy(olduuid, d->uuid_str, sizeof(olduuid));
    xm_uuid_format(d->uuid, d->uuid_str);
    free(d->name);
    d->name = xasprintf("Domain-%s", d->uuid_str);
    free(d->cfg.name);
    d->cfg.name = xstrdup(d->name);
    d->handled = true;
    xlog_info("Renaming dead domain %s (%u, %s) to %s (%s).", fresh->name, old_domid, olduuid,
              d->name, d->uuid_str);
    char *oldvm = xst_vm_path(olduuid);
    const char *paths[] = { oldvm };
    int rm = xs_rm_all(&x->xs, paths, 1);
    if (rm)
        xlog_warn("domain %s: cannot remove %s: %s", d->name, oldvm, strerror(rm));
    free(oldvm);
    mark_preserved(x, d);
    double since;
    if (!lc_restart_allowed(xend_now(), fresh->previous_restart, &since)) {
        xlog_error("VM %s restarting too fast (%.1f seconds since the last restart). Refusing to "
                   "restart to avoid loops.", fresh->name, since);
        drop_if_unmanaged(x, fresh);
        return;
    }
    fresh->previous_restart = xend_now();
    if (xdom_boot(x, fresh, false, &e) < 0) {
        xlog_error("Restart of domain %s failed: %s", fresh->name, e.msg);
        drop_if_unmanaged(x, fresh);
    }
}

static void act_on_shutdown(struct xend *x, struct xdom *d, const struct hv_dominfo *info)
{
    struct lc_decision dec = lc_decide(info->shutdown_reason, d->cfg.on_poweroff, d->cfg.on_reboot,
                                       d->cfg.on_crash);
    if (!d->has_config) {
        /* Not created by xend: nothing says what to do; leave it to its owner. */
        d->handled = true;
        xlog_info("Domain %s (%u) has shut down (reason: %s); xend has no config for it.", d->name,
                  d->domid, dec.reason);
        return;
    }
    xlog_info("Domain %s (%u) has shut down (reason: %s): %s = %s.", d->name, d->domid, dec.reason,
              dec.setting ? dec.setting : "-", dec.setting ? xm_action_name(dec.action) : "nothing");
    if (dec.coredump_skipped)
        xlog_warn("Domain %s (%u): %s asks for a core dump, which Xeno's xend does not write; "
                  "treated as %s.", d->name, d->domid, xm_action_name(dec.action),
                  lc_do_name(dec.what));
    if (x->stop && (dec.what == LC_DO_RESTART || dec.what == LC_DO_RENAME_RESTART)) {
        xlog_info("Domain %s (%u): xend is stopping, so it is not restarted.", d->name, d->domid);
        dec.what = LC_DO_DESTROY;
    }
    char why[64];
    snprintf(why, sizeof(why), "shut down (%s)", dec.reason);
    switch (dec.what) {
    case LC_DO_NOTHING:
        d->handled = true;
        break;
    case LC_DO_DESTROY:
        xdom_teardown(x, d);
        drop_if_unmanaged(x, d);
        break;
    case LC_DO_PRESERVE:
        mark_preserved(x, d);
        xlog_info("Preserving dead domain %s (%u).", d->name, d->domid);
        break;
    case LC_DO_RESTART:
        restart(x, d, why);
        if (!d->active)
            drop_if_unmanaged(x, d);
        break;
    case LC_DO_RENAME_RESTART:
        rename_restart(x, d, why);
        break;
    }
}

void xdom_check_all(struct xend *x)
{
    struct xdom *next;

    for (struct xdom *d = x->doms; d; d = next) {
        next = d->next;
        if (!d->active || d->handled)
            continue;
        struct hv_dominfo info;
        int rc = x->hv->ops->getinfo(x->hv, d->domid, &info);
        if (rc == -ESRCH) {
            xlog_warn("Domain %s (%u) has disappeared; cleaning up after it.", d->name, d->domid);
            xdom_teardown(x, d);
            drop_if_unmanaged(x, d);
            continue;
        }
        if (rc < 0) {
            xlog_error("domain %s (%u): getinfo failed: %s", d->name, d->domid, hv_error(x->hv));
            continue;
        }
        if (info.shutdown && !info.dying) {
            act_on_shutdown(x, d, &info);
        } else if (d->shutdown_requested > 0 && !info.dying &&
                   xend_now() - d->shutdown_requested > x->shutdown_timeout) {
            /* xend's SHUTDOWN_TIMEOUT: a guest that ignores the request is destroyed. */
            xlog_warn("Domain shutdown timeout expired: name=%s id=%u (%.0f s); destroying it.",
                      d->name, d->domid, x->shutdown_timeout);
            xdom_teardown(x, d);
            drop_if_unmanaged(x, d);
        }
    }
}

static bool stops_with_xend(const struct xdom *d)
{
    return d->active && d->managed && d->has_config && !d->handled &&
           d->cfg.on_xend_stop == XM_XEND_STOP_SHUTDOWN;
}

bool xdom_stop_ready(struct xend *x)
{
    bool waiting = false;

    if (x->stop_deadline == 0) {
        x->stop_deadline = xend_now() + x->shutdown_timeout;
        for (struct xdom *d = x->doms; d; d = d->next) {
            if (d->active && d->managed && d->cfg.on_xend_stop == XM_XEND_STOP_SUSPEND)
                xlog_warn("Domain %s: on_xend_stop = suspend is not supported; it keeps running.",
                          d->name);
            if (!stops_with_xend(d))
                continue;
            char *p = xasprintf("/local/domain/%u/control/shutdown", d->domid);
            int err = xs_write(&x->xs, 0, p, "poweroff");
            free(p);
            if (err) {
                xlog_error("on_xend_stop: cannot ask domain %s (%u) to power off: %s", d->name,
                           d->domid, strerror(err));
                continue;
            }
            d->shutdown_requested = xend_now();
            xlog_info("on_xend_stop: asked domain %s (%u) to power off.", d->name, d->domid);
        }
    }
    for (struct xdom *d = x->doms; d; d = d->next)
        waiting = waiting || stops_with_xend(d);
    if (waiting && xend_now() > x->stop_deadline) {
        xlog_warn("on_xend_stop: domains still running after %.0f s; stopping anyway.",
                  x->shutdown_timeout);
        return true;
    }
    return !waiting;
}
