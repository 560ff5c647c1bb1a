/* SPDX-License-Identifier: MIT */
/*
 * xend's side of every xm command (arguments and results as listed in
 * xend/xm/commands.c): checks the arguments, acts, answers.
 */
#include "xend.h"
#include "ops.h"
#include "xlog.h"
#include "xstree.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A required string member, or NULL with e set. */
const char *ops_arg_str(const struct json *args, const char *key, struct xerr *e)
{
    struct strbuf err = STRBUF_INIT;
    const char *s = NULL;

    if (json_member_str(args, key, true, &s, &err) < 0) {
        xerr_set(e, XEND_E_BAD_REQUEST, "Malformed request: %s", sb_str(&err));
        s = NULL;
    }
    sb_free(&err);
    return s;
}

bool ops_arg_bool(const struct json *args, const char *key)
{
    struct strbuf err = STRBUF_INIT;
    bool b = false;

    json_member_bool(args, key, false, &b, &err);
    sb_free(&err);
    return b;
}

static int arg_int(const struct json *args, const char *key, long long min, long long max,
                   long long *v, struct xerr *e)
{
    struct strbuf err = STRBUF_INIT;
    int rc = json_member_int(args, key, true, min, max, v, &err);

    if (rc < 0)
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Invalid argument: %s", sb_str(&err));
    sb_free(&err);
    return rc < 0 ? -1 : 0;
}

static void no_domain(struct xerr *e, const char *name)
{
    xerr_set(e, XEND_E_NO_SUCH_DOMAIN, "Domain '%s' does not exist.", name);
}

static bool is_dom0(const char *s)
{
    return !strcmp(s, "0") || !strcmp(s, "Domain-0");
}

/* The domain named by args.domain; active ones only when want_active. */
struct xdom *ops_arg_domain(struct xend *x, const struct json *args, bool want_active,
                               struct xerr *e)
{
    const char *name = ops_arg_str(args, "domain", e);
    if (!name)
        return NULL;
    if (is_dom0(name)) {
        xerr_set(e, XEND_E_PERMISSION, "Domain-0 cannot be used with this command.");
        return NULL;
    }
    struct xdom *d = xdom_find(x, name);
    if (!d) {
        no_domain(e, name);
        return NULL;
    }
    if (want_active && !d->active) {
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Domain '%s' is not running.", d->name);
        return NULL;
    }
    return d;
}

static struct json *name_domid(const struct xdom *d)
{
    struct json *r = json_object();
    json_set(r, "name", json_string(d->name));
    json_set(r, "domid", json_int(d->domid));
    return r;
}

/* A new record from args.config (checked, name and UUID unused), or NULL with e set. */
static struct xdom *record_from_args(struct xend *x, const struct json *args, struct xerr *e)
{
    const struct json *cfgj = json_get(args, "config");
    struct xm_domain_config cfg;

    if (!cfgj || cfgj->type != JSON_OBJECT) {
        xerr_set(e, XEND_E_BAD_REQUEST, "Malformed request: member \"config\" must be an object");
        return NULL;
    }
    if (xdom_config_from_request(cfgj, &cfg, e) < 0)
        return NULL;
    if (xdom_check_unique(x, NULL, cfg.name, cfg.has_uuid ? cfg.uuid : NULL, e) < 0) {
        xm_config_free(&cfg);
        return NULL;
    }
    return xdom_new(x, &cfg);
}

static struct json *op_create(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = record_from_args(x, args, e);

    if (!d)
        return NULL;
    if (xdom_boot(x, d, ops_arg_bool(args, "paused"), e) < 0) {
        xdom_unlink(x, d);
        xdom_free(d);
        return NULL;
    }
    return name_domid(d);
}

static struct json *op_new(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = record_from_args(x, args, e);

    if (!d)
        return NULL;
    d->managed = true;
    if (managed_save(x, d, e) < 0) {
        xdom_unlink(x, d);
        xdom_free(d);
        return NULL;
    }
    struct json *r = json_object();
    json_set(r, "name", json_string(d->name));
    json_set(r, "uuid", json_string(d->uuid_str));
    return r;
}

static struct json *op_start(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = ops_arg_domain(x, args, false, e);

    if (!d)
        return NULL;
    if (!d->managed) {
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Domain '%s' is not managed by xend (use xm create).",
                 d->name);
        return NULL;
    }
    if (d->active) {
        xerr_set(e, XEND_E_BUSY, "Domain '%s' is already running (id %u).", d->name, d->domid);
        return NULL;
    }
    d->previous_restart = -1;
    if (xdom_boot(x, d, ops_arg_bool(args, "paused"), e) < 0)
        return NULL;
    return name_domid(d);
}

static struct json *op_delete(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = ops_arg_domain(x, args, false, e);

    if (!d)
        return NULL;
    if (!d->managed) {
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Domain '%s' is not managed by xend.", d->name);
        return NULL;
    }
    if (d->active) {
        xerr_set(e, XEND_E_BUSY, "Domain '%s' is running (id %u): shut it down first.", d->name,
                 d->domid);
        return NULL;
    }
    if (managed_delete(x, d, e) < 0)
        return NULL;
    xdom_unlink(x, d);
    xdom_free(d);
    return json_null();
}

static struct waiter *new_waiter(bool hv_gone)
{
    struct waiter *w = xcalloc(1, sizeof(*w));
    w->until_hv_gone = hv_gone;
    return w;
}

static void waiter_add(struct waiter *w, const struct xdom *d)
{
    if (w->n < HV_MAX_DOMAINS) {
        w->domids[w->n] = d->domid;
        memcpy(w->uuids[w->n], d->uuid, 16);
        w->n++;
    }
}

static struct json *op_destroy(struct xend *x, const struct json *args, struct xerr *e,
                               struct waiter **wait)
{
    struct xdom *d = ops_arg_domain(x, args, true, e);

    if (!d)
        return NULL;
    xlog_info("Destroying domain %s (%u) (xm destroy).", d->name, d->domid);
    struct waiter *w = new_waiter(true);
    waiter_add(w, d);
    xdom_teardown(x, d);
    if (!d->managed) {
        xdom_unlink(x, d);
        xdom_free(d);
    }
    if (waiter_done(x, w)) {
        free(w);
        return json_null();
    }
    /* Dying: answer once the hypervisor has let go of it, or say that it has not. */
    w->deadline = xend_now() + 60;
    *wait = w;
    return NULL;
}

static int request_shutdown(struct xend *x, struct xdom *d, const char *mode, struct xerr *e)
{
    char *p = xasprintf("/local/domain/%u/control/shutdown", d->domid);
    int err = xs_write(&x->xs, 0, p, mode);

    free(p);
    if (err) {
        xerr_set(e, XEND_E_INTERNAL, "Cannot ask domain %s (%u) to %s: xenstore write: %s", d->name,
                 d->domid, mode, strerror(err));
        xlog_error("%s", e->msg);
        return -1;
    }
    d->shutdown_requested = xend_now();
    xlog_info("Asked domain %s (%u) to %s.", d->name, d->domid, mode);
    return 0;
}

static struct json *op_shutdown(struct xend *x, const struct json *args, struct xerr *e,
                                struct waiter **wait)
{
    const char *mode = ops_arg_str(args, "mode", e);
    bool wait_for = ops_arg_bool(args, "wait");

    if (!mode)
        return NULL;
    if (strcmp(mode, "poweroff") && strcmp(mode, "reboot") && strcmp(mode, "halt")) {
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Invalid shutdown mode '%s' (poweroff, reboot, halt).",
                 mode);
        return NULL;
    }
    struct waiter *w = new_waiter(false);
    if (ops_arg_bool(args, "all")) {
        for (struct xdom *d = x->doms; d; d = d->next) {
            if (!d->active || d->handled)
                continue;
            if (request_shutdown(x, d, mode, e) < 0) {
                free(w);
                return NULL;
            }
            waiter_add(w, d);
        }
    } else {
        struct xdom *d = ops_arg_domain(x, args, true, e);
        if (!d || request_shutdown(x, d, mode, e) < 0) {
            free(w);
            return NULL;
        }
        waiter_add(w, d);
    }
    if (!wait_for || waiter_done(x, w)) {
        free(w);
        return json_null();
    }
    *wait = w;
    return NULL;
}

static struct json *op_pause(struct xend *x, const struct json *args, struct xerr *e, bool pause)
{
    struct xdom *d = ops_arg_domain(x, args, true, e);

    if (!d)
        return NULL;
    int rc = pause ? x->hv->ops->pause(x->hv, d->domid) : x->hv->ops->unpause(x->hv, d->domid);
    if (rc < 0) {
        xerr_set(e, XEND_E_INTERNAL, "Cannot %s domain %s (%u): %s", pause ? "pause" : "unpause",
                 d->name, d->domid, hv_error(x->hv));
        xlog_error("%s", e->msg);
        return NULL;
    }
    xlog_info("Domain %s (%u) %s.", d->name, d->domid, pause ? "paused" : "unpaused");
    return json_null();
}

/* After a change of the config: xenstore for a running one, the file for a managed one. */
int ops_persist(struct xend *x, struct xdom *d, struct xerr *e)
{
    if (d->active && xdom_store(x, d) < 0) {
        xerr_set(e, XEND_E_INTERNAL, "Cannot update xenstore for domain %s (%u).", d->name, d->domid);
        return -1;
    }
    return d->managed ? managed_save(x, d, e) : 0;
}

static struct json *op_rename(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = ops_arg_domain(x, args, false, e);
    const char *name = d ? ops_arg_str(args, "name", e) : NULL;

    if (!name)
        return NULL;
    if (!d->has_config) {
        xerr_set(e, XEND_E_NOT_SUPPORTED, "Domain %s was not created by xend.", d->name);
        return NULL;
    }
    if (xdom_check_unique(x, d, name, NULL, e) < 0)
        return NULL;
    xlog_info("Renaming domain %s (%s) to %s.", d->name, d->uuid_str, name);
    free(d->name);
    d->name = xstrdup(name);
    free(d->cfg.name);
    d->cfg.name = xstrdup(name);
    return ops_persist(x, d, e) < 0 ? NULL : json_null();
}

static struct json *op_mem(struct xend *x, const struct json *args, struct xerr *e, bool max)
{
    struct xdom *d = ops_arg_domain(x, args, false, e);
    long long mib;

    if (!d || arg_int(args, "memory", 1, 1LL << 30, &mib, e) < 0)
        return NULL;
    if (!d->has_config) {
        xerr_set(e, XEND_E_NOT_SUPPORTED, "Domain %s was not created by xend.", d->name);
        return NULL;
    }
    unsigned long kb = (unsigned long)mib * 1024;
    if (max) {
        if (kb < d->target_kb) {
            xerr_set(e, XEND_E_INVALID_ARGUMENT, "Invalid memory size: the maximum (%lld MiB) "
                     "cannot be below domain %s's memory target (%lu MiB).", mib, d->name,
                     d->target_kb / 1024);
            return NULL;
        }
        if (d->active && x->hv->ops->setmaxmem(x->hv, d->domid, kb) < 0) {
            xerr_set(e, XEND_E_INTERNAL, "Cannot set the maximum memory of domain %s (%u): %s",
                     d->name, d->domid, hv_error(x->hv));
            return NULL;
        }
        d->maxmem_kb = kb;
        d->cfg.maxmem = (unsigned long)mib;
    } else {
        if (kb > d->maxmem_kb) {
            xerr_set(e, XEND_E_INVALID_ARGUMENT, "Requested memory target %lld MiB exceeds domain "
                     "%s's maximum of %lu MiB (see xm mem-max).", mib, d->name,
                     d->maxmem_kb / 1024);
            return NULL;
        }
        d->target_kb = kb;
        d->cfg.memory = (unsigned long)mib;
    }
    xlog_info("Domain %s: memory %s set to %lld MiB.", d->name, max ? "maximum" : "target", mib);
    return ops_persist(x, d, e) < 0 ? NULL : json_null();
}

static struct json *op_vcpu_set(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = ops_arg_domain(x, args, false, e);
    long long n;

    if (!d || arg_int(args, "vcpus", 1, XM_MAX_VCPUS, &n, e) < 0)
        return NULL;
    if (!d->has_config) {
        xerr_set(e, XEND_E_NOT_SUPPORTED, "Domain %s was not created by xend.", d->name);
        return NULL;
    }
    if ((unsigned long long)n > d->max_vcpus) {
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Cannot set vcpus greater than max vcpus on running "
                 "domain (domain %s has %u).", d->name, d->max_vcpus);
        return NULL;
    }
    d->online_mask = n >= 64 ? ~0ull : (1ull << n) - 1;
    d->cfg.has_vcpu_avail = true;
    d->cfg.vcpu_avail = d->online_mask;
    xlog_info("Domain %s: %lld of %u vCPUs online.", d->name, n, d->max_vcpus);
    return ops_persist(x, d, e) < 0 ? NULL : json_null();
}

static struct json *op_console(struct xend *x, const struct json *args, struct xerr *e)
{
    const char *name = ops_arg_str(args, "domain", e);

    if (!name)
        return NULL;
    if (is_dom0(name)) {
        struct json *r = json_object();
        json_set(r, "domid", json_int(0));
        return r;
    }
    struct xdom *d = xdom_find(x, name);
    if (!d) {
        no_domain(e, name);
        return NULL;
    }
    if (!d->active) {
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Domain '%s' is not started", d->name);
        return NULL;
    }
    struct json *r = json_object();
    json_set(r, "domid", json_int(d->domid));
    return r;
}

struct json *xend_dispatch(struct xend *x, const char *cmd, const struct json *args, struct xerr *e,
                           struct waiter **wait)
{
    *wait = NULL;
    if (!strcmp(cmd, "create"))
        return op_create(x, args, e);
    if (!strcmp(cmd, "new"))
        return op_new(x, args, e);
    if (!strcmp(cmd, "start"))
        return op_start(x, args, e);
    if (!strcmp(cmd, "delete"))
        return op_delete(x, args, e);
    if (!strcmp(cmd, "destroy"))
        return op_destroy(x, args, e, wait);
    if (!strcmp(cmd, "shutdown"))
        return op_shutdown(x, args, e, wait);
    if (!strcmp(cmd, "pause") || !strcmp(cmd, "unpause"))
        return op_pause(x, args, e, !strcmp(cmd, "pause"));
    if (!strcmp(cmd, "rename"))
        return op_rename(x, args, e);
    if (!strcmp(cmd, "mem-set") || !strcmp(cmd, "mem-max"))
        return op_mem(x, args, e, !strcmp(cmd, "mem-max"));
    if (!strcmp(cmd, "vcpu-set"))
        return op_vcpu_set(x, args, e);
    if (!strcmp(cmd, "console"))
        return op_console(x, args, e);
    if (!strcmp(cmd, "block-attach"))
        return ops_block_attach(x, args, e);
    if (!strcmp(cmd, "network-attach"))
        return ops_network_attach(x, args, e);
    if (!strcmp(cmd, "block-detach") || !strcmp(cmd, "network-detach"))
        return ops_device_detach(x, args, !strcmp(cmd, "block-detach") ? DEV_VBD : DEV_VIF, e);
    if (!strcmp(cmd, "block-list") || !strcmp(cmd, "network-list"))
        return ops_device_list(x, args, !strcmp(cmd, "block-list") ? DEV_VBD : DEV_VIF, e);
    if (!strcmp(cmd, "list"))
        return ops_list(x, args, e);
    if (!strcmp(cmd, "vcpu-list"))
        return ops_vcpu_list(x, args, e);
    if (!strcmp(cmd, "info"))
        return ops_info(x, e);
    if (!strcmp(cmd, "dmesg"))
        return ops_dmesg(x, args, e);
    if (!strcmp(cmd, "log"))
        return ops_log(x, e);
    xerr_set(e, XEND_E_UNKNOWN_COMMAND, "Unknown command '%s'.", cmd);
    return NULL;
}
