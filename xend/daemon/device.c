/* SPDX-License-Identifier: MIT */
/* Connecting, listing and removing a domain's devices through xenstore (device.h). */
#include "device.h"
#include "hotplug.h"
#include "xend.h"
#include "xlog.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* XenbusState (xen/io/xenbus.h) values xend looks for. */
enum { XB_INITWAIT = 2, XB_CLOSING = 5, XB_CLOSED = 6 };

static char *rd(struct xend *x, const char *dir, const char *key)
{
    char *p = key ? xasprintf("%s/%s", dir, key) : xstrdup(dir);
    int err;
    char *v = xs_read(&x->xs, 0, p, &err);
    free(p);
    return v;
}

/* BE/state as a number; -1 if the node (or the backend) is gone. */
static int be_state(struct xend *x, const char *be)
{
    char *v = rd(x, be, "state");
    int s = v ? atoi(v) : -1;
    free(v);
    return s;
}

static void sleep_poll(void)
{
    struct timespec ts = { 0, DEV_POLL_MS * 1000000L };
    nanosleep(&ts, NULL);
}

/*
 * Until BE/state >= min (returns it), the backend disappears (-1, or
 * XB_CLOSED when gone_ok: a removed backend is a closed one) or the
 * deadline passes (0).
 */
static int wait_state(struct xend *x, const char *be, int min, double deadline, bool gone_ok)
{
    for (;;) {
        int s = be_state(x, be);
        if (s < 0)
            return gone_ok ? XB_CLOSED : -1;
        if (s >= min)
            return s;
        if (xend_now() >= deadline)
            return 0;
        sleep_poll();
    }
}

/* Run a device's script with action; the environment of docs/devices.md §2. */
static int run_script(struct xend *x, enum dev_class cls, uint32_t domid, uint32_t devid,
                      const char *script, const char *action, double timeout)
{
    const char *type = dev_class_name(cls);
    char *env[7];
    size_t n = 0;

    env[n++] = xasprintf("XENBUS_PATH=backend/%s/%u/%u", type, domid, devid);
    env[n++] = xasprintf("XENBUS_TYPE=%s", type);
    env[n++] = xstrdup("XENBUS_BASE_PATH=backend");
    env[n++] = xasprintf("script=%s", script);
    if (cls == DEV_VIF)
        env[n++] = xasprintf("vif=vif%u.%u", domid, devid);
    if (cls == DEV_VIF && x->netdev)
        env[n++] = xasprintf("netdev=%s", x->netdev);
    env[n] = NULL;
    char *argv[] = { (char *)script, (char *)action, NULL };
    xlog_info("Hotplug: %s %s for backend/%s/%u/%u.", script, action, type, domid, devid);
    if (timeout < 1)
        timeout = 1;    /* what is left of the create timeout: the script still gets a chance */
    int rc = hotplug_run(argv, env, timeout);
    if (rc > 0)
        xlog_warn("Hotplug: %s %s for backend/%s/%u/%u exited with status %d.", script, action,
                  type, domid, devid, rc);
    for (size_t i = 0; i < n; i++)
        free(env[i]);
    return rc;
}

static const char *add_action(enum dev_class c)
{
    return c == DEV_VBD ? "add" : "online";
}

static const char *remove_action(enum dev_class c)
{
    return c == DEV_VBD ? "remove" : "offline";
}

static void remove_paths(struct xend *x, const char *a, const char *b)
{
    const char *paths[] = { a, b };
    int err = xs_rm_all(&x->xs, paths, b ? 2 : 1);
    if (err)
        xlog_error("cannot remove %s%s%s from xenstore: %s", a, b ? " and " : "", b ? b : "",
                   strerror(err));
}

/* Take a device away at once (a failed connect): online 0, script, nodes gone. */
static void discard(struct xend *x, const struct dev_nodes *n, const char *script, bool ran)
{
    char *p = xasprintf("%s/online", n->be);
    int err = xs_write(&x->xs, 0, p, "0");
    if (err && err != ENOENT)
        xlog_warn("%s: %s", p, strerror(err));
    free(p);
    if (ran)
        run_script(x, n->cls, n->domid, n->devid, script, remove_action(n->cls),
                   (double)x->opts.device_destroy_timeout);
    remove_paths(x, n->be, n->fe);
}

/*
 * In a dom0 with Xen backends (the hosted tests' fake backend has no
 * sysfs), wait until path exists (present) or is gone; true at once
 * elsewhere, false on timeout.
 */
static bool wait_sysfs(const char *path, bool present, double deadline)
{
    struct stat st;

    if (stat("/sys/bus/xen-backend", &st) < 0)
        return true;
    while ((stat(path, &st) == 0) != present) {
        if (xend_now() >= deadline)
            return false;
        sleep_poll();
    }
    return true;
}

/*
 * Linux's netback switches to InitWait before it registers vifD.N
 * (netback_probe), so the vif script could run before its interface
 * exists: wait for that too.
 */
static bool wait_netdev(uint32_t domid, uint32_t devid, double deadline)
{
    char path[64];

    snprintf(path, sizeof(path), "/sys/class/net/vif%u.%u", domid, devid);
    if (wait_sysfs(path, true, deadline))
        return true;
    xlog_error("%s did not appear: is xen-netback loaded?", path);
    return false;
}

/*
 * A backend whose frontend closed first (a guest that shut down) is at
 * state 6 before it unregisters; the remove script must wait for the
 * unregistration (blkback lets go of the disk then): the xenbus device
 * CLASS-D-N leaves /sys/bus/xen-backend/devices.
 */
static void wait_unregistered(enum dev_class cls, uint32_t domid, uint32_t devid, double deadline)
{
    char path[96];

    snprintf(path, sizeof(path), "/sys/bus/xen-backend/devices/%s-%u-%u", dev_class_name(cls),
             domid, devid);
    if (!wait_sysfs(path, false, deadline))
        xlog_warn("%s is still registered; running its script anyway.", path);
}

int dev_connect(struct xend *x, const struct dev_nodes *n, struct xerr *e)
{
    const char *cls = dev_class_name(n->cls);
    double deadline = xend_now() + (double)x->opts.device_create_timeout;

    if (dev_exists(x, n->domid, n->cls, n->devid)) {
        xerr_set(e, XEND_E_EXISTS, "Device %s is already connected.", n->label);
        return -1;
    }
    int err = xs_apply(&x->xs, &n->entries);
    if (err) {
        xerr_set(e, XEND_E_INTERNAL, "Device %u (%s) could not be connected. Writing %s to "
                 "xenstore failed: %s", n->devid, cls, n->be, strerror(err));
        xlog_error("domain %u: %s", n->domid, e->msg);
        return -1;
    }
    char *script = rd(x, n->be, "script");
    int st = wait_state(x, n->be, XB_INITWAIT, deadline, false);
    if (st > 0 && n->cls == DEV_VIF && !wait_netdev(n->domid, n->devid, deadline))
        st = 0;
    int rc = 0;
    bool ran = false;
    if (st > 0 && script) {
        rc = run_script(x, n->cls, n->domid, n->devid, script, add_action(n->cls),
                        deadline - xend_now());
        ran = true;
    }
    char *status = rd(x, n->be, "hotplug-status"), *text = rd(x, n->be, "hotplug-error");
    const char *why = NULL;
    struct strbuf sb = STRBUF_INIT;
    if (st < 0) {
        why = "Device not found.";
    } else if (st == 0 || rc == -ETIMEDOUT) {
        why = "Hotplug scripts not working.";
    } else if (!script) {
        why = "Its backend has no script node.";
    } else if (status && !strcmp(status, "error")) {
        why = text && *text ? text : "Backend device not found.";
    } else if (status && !strcmp(status, "busy")) {
        /* xend put a busy device's reason on a line of its own. */
        sb_printf(&sb, "\n%s", text && *text ? text : "Busy.");
    } else if (rc != 0) {
        sb_printf(&sb, "%s %s failed (exit status %d); see %s.", script, add_action(n->cls), rc,
                  hotplug_log_path());
    } else if (!status || strcmp(status, "connected")) {
        why = "Hotplug scripts not working.";
    }
    if (!why && sb.len)
        why = sb_str(&sb);
    if (why) {
        xerr_set(e, XEND_E_DEVICE, "Device %u (%s) could not be connected.%s%s", n->devid, cls,
                 why[0] == '\n' ? "" : " ", why);
        xlog_error("domain %u: %s", n->domid, e->msg);
        if (st >= 0)
            discard(x, n, script, ran);
    } else {
        xlog_info("domain %u: device %s connected.", n->domid, n->label);
    }
    sb_free(&sb);
    free(status);
    free(text);
    free(script);
    return why ? -1 : 0;
}

int dev_create_all(struct xend *x, struct xdom *d, struct xerr *e)
{
    const char *dir = hotplug_scripts_dir();
    struct xm_domain_config *c = &d->cfg;

    for (size_t i = 0; i < c->nr_disks; i++) {
        struct dev_nodes n;
        const char *b = c->disks[i].backend;
        if (b && strcmp(b, "0") && strcmp(b, "Domain-0")) {
            xerr_set(e, XEND_E_NOT_SUPPORTED, "Device %u (vbd) could not be connected. Backend "
                     "domain %s: Xeno's backends are in Domain-0 only.", c->disks[i].devid, b);
            return -1;
        }
        dev_vbd_nodes(&c->disks[i], i == 0, d->domid, dir, &n);
        int rc = dev_connect(x, &n, e);
        dev_nodes_free(&n);
        if (rc < 0)
            return -1;
    }
    for (size_t i = 0; i < c->nr_vifs; i++) {
        struct dev_nodes n;
        struct strbuf err = STRBUF_INIT;
        if (dev_vif_nodes(&c->vifs[i], (uint32_t)i, d->domid, x->opts.vif_script, dir, &n,
                          &err) < 0) {
            xerr_set(e, XEND_E_INVALID_ARGUMENT, "Device %zu (vif) could not be connected. %s", i,
                     sb_str(&err));
            sb_free(&err);
            return -1;
        }
        sb_free(&err);
        int rc = dev_connect(x, &n, e);
        dev_nodes_free(&n);
        if (rc < 0)
            return -1;
    }
    return 0;
}

bool dev_exists(struct xend *x, uint32_t domid, enum dev_class cls, uint32_t devid)
{
    char *be = dev_be_path(cls, domid, devid);
    char *v = rd(x, be, NULL);
    free(be);
    free(v);
    return v != NULL;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

size_t dev_ids(struct xend *x, uint32_t domid, enum dev_class cls, uint32_t *ids, size_t max)
{
    char *dir = xasprintf("/local/domain/0/backend/%s/%u", dev_class_name(cls), domid);
    int err;
    char **names = xs_directory(&x->xs, 0, dir, &err);
    size_t n = 0;

    for (char **p = names; p && *p && n < max; p++) {
        char *end;
        unsigned long v = strtoul(*p, &end, 10);
        if (**p && !*end)
            ids[n++] = (uint32_t)v;
    }
    xs_strv_free(names);
    free(dir);
    qsort(ids, n, sizeof(*ids), cmp_u32);
    return n;
}

#define DEV_MAX 256

void dev_teardown_begin(struct xend *x, uint32_t domid, struct dev_set *s)
{
    static const enum dev_class classes[] = { DEV_VBD, DEV_VIF };
    uint32_t ids[DEV_MAX];

    memset(s, 0, sizeof(*s));
    s->domid = domid;
    s->v = xcalloc(2 * DEV_MAX, sizeof(*s->v));
    for (size_t c = 0; c < 2; c++) {
        size_t n = dev_ids(x, domid, classes[c], ids, DEV_MAX);
        for (size_t i = 0; i < n; i++) {
            char *be = dev_be_path(classes[c], domid, ids[i]);
            struct dev_ref *r = &s->v[s->n++];
            r->cls = classes[c];
            r->devid = ids[i];
            r->script = rd(x, be, "script");
            /* online 0: the backend unregisters once its frontend is gone. */
            char *p = xasprintf("%s/online", be);
            int err = xs_write(&x->xs, 0, p, "0");
            if (err)
                xlog_warn("domain %u: cannot write %s: %s", domid, p, strerror(err));
            free(p);
            free(be);
        }
    }
}

void dev_teardown_finish(struct xend *x, struct dev_set *s)
{
    double deadline = xend_now() + (double)x->opts.device_destroy_timeout;

    for (size_t i = 0; i < s->n; i++) {
        struct dev_ref *r = &s->v[i];
        char *be = dev_be_path(r->cls, s->domid, r->devid);
        if (wait_state(x, be, XB_CLOSED, deadline, true) == 0)
            xlog_warn("domain %u: the backend of device %u (%s) did not close within %ld s.",
                      s->domid, r->devid, dev_class_name(r->cls), x->opts.device_destroy_timeout);
        else
            wait_unregistered(r->cls, s->domid, r->devid, deadline);
        free(be);
        if (r->script)
            run_script(x, r->cls, s->domid, r->devid, r->script, remove_action(r->cls),
                       (double)x->opts.device_destroy_timeout);
    }
    /* Also when empty: a device that failed to connect left its class directory. */
    char *vbd = xasprintf("/local/domain/0/backend/vbd/%u", s->domid);
    char *vif = xasprintf("/local/domain/0/backend/vif/%u", s->domid);
    remove_paths(x, vbd, vif);
    if (s->n)
        xlog_info("domain %u: %zu device%s removed.", s->domid, s->n, s->n == 1 ? "" : "s");
    free(vbd);
    free(vif);
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].script);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

void dev_cleanup_orphans(struct xend *x, const uint32_t *live, size_t n)
{
    static const char *const roots[] = { "/local/domain/0/backend/vbd", "/local/domain/0/backend/vif" };
    uint32_t seen[DEV_MAX];
    size_t nseen = 0;

    for (size_t r = 0; r < 2; r++) {
        int err;
        char **doms = xs_directory(&x->xs, 0, roots[r], &err);
        for (char **p = doms; p && *p; p++) {
            uint32_t domid = (uint32_t)strtoul(*p, NULL, 10);
            bool known = false;
            for (size_t i = 0; i < n && !known; i++)
                known = live[i] == domid;
            for (size_t i = 0; i < nseen && !known; i++)
                known = seen[i] == domid;
            if (known || nseen == DEV_MAX)
                continue;
            seen[nseen++] = domid;
            xlog_warn("Domain %u is gone but its devices are still in xenstore: removing them.",
                      domid);
            struct dev_set devs;
            char *home = xasprintf("/local/domain/%u", domid);
            dev_teardown_begin(x, domid, &devs);
            /* Its frontends go with its home, so that the backends close. */
            remove_paths(x, home, NULL);
            dev_teardown_finish(x, &devs);
            free(home);
        }
        xs_strv_free(doms);
    }
}

int dev_detach(struct xend *x, uint32_t domid, enum dev_class cls, uint32_t devid, bool force,
               struct xerr *e)
{
    char *be = dev_be_path(cls, domid, devid), *fe = dev_fe_path(cls, domid, devid);
    char *script = rd(x, be, "script");
    int rc = -1;

    if (!dev_exists(x, domid, cls, devid)) {
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Device %u not connected", devid);
        goto out;
    }
    /* online before state: the drivers watch state, and must see online 0 when it changes. */
    char *p_online = xasprintf("%s/online", be), *p_state = xasprintf("%s/state", be);
    int err = xs_write(&x->xs, 0, p_online, "0");
    if (!err)
        err = xs_write(&x->xs, 0, p_state, "5");
    free(p_online);
    free(p_state);
    if (err) {
        xerr_set(e, XEND_E_INTERNAL, "Device %u (%s) could not be disconnected: xenstore: %s",
                 devid, dev_class_name(cls), strerror(err));
        xlog_error("domain %u: %s", domid, e->msg);
        goto out;
    }
    if (!force) {
        double deadline = xend_now() + (double)x->opts.device_destroy_timeout;
        if (wait_state(x, be, XB_CLOSED, deadline, true) == 0) {
            xerr_set(e, XEND_E_TIMEOUT, "Device %u (%s) could not be disconnected. ", devid,
                     dev_class_name(cls));
            xlog_error("domain %u: %s(the frontend did not close within %ld s; -f forces it)",
                       domid, e->msg, x->opts.device_destroy_timeout);
            goto out;
        }
        wait_unregistered(cls, domid, devid, deadline);
    }
    if (script)
        run_script(x, cls, domid, devid, script, remove_action(cls),
                   (double)x->opts.device_destroy_timeout);
    remove_paths(x, be, fe);
    xlog_info("domain %u: device %u (%s) detached%s.", domid, devid, dev_class_name(cls),
              force ? " (forced)" : "");
    rc = 0;
out:
    free(script);
    free(be);
    free(fe);
    return rc;
}

struct json *dev_list_json(struct xend *x, uint32_t domid, enum dev_class cls)
{
    uint32_t ids[DEV_MAX];
    size_t n = dev_ids(x, domid, cls, ids, DEV_MAX);
    struct json *arr = json_array();

    for (size_t i = 0; i < n; i++) {
        char *fe = dev_fe_path(cls, domid, ids[i]);
        int err;
        char **keys = xs_directory(&x->xs, 0, fe, &err);
        struct json *dev = json_append(arr, json_object());
        json_set(dev, "devid", json_int(ids[i]));
        struct json *nodes = json_set(dev, "nodes", json_array());
        for (char **k = keys; k && *k; k++) {
            char *v = rd(x, fe, *k);
            struct json *pair = json_append(nodes, json_array());
            json_append(pair, json_string(*k));
            json_append(pair, json_string(v ? v : ""));
            free(v);
        }
        xs_strv_free(keys);
        free(fe);
    }
    return arr;
}
