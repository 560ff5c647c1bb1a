/* SPDX-License-Identifier: MIT */
/*
 * xend-hosted fake-backend: plays Linux's split drivers for hosted tests,
 * both dom0's backends (xen-blkback, xen-netback) and every guest's
 * frontends (xen-blkfront, xen-netfront), through xenstore only
 * (docs/devices.md; the XenbusState machine of xen/io/xenbus.h):
 *
 *   backend   1 -> 2 (InitWait) when a device with online = 1 appears;
 *             -> 4 (Connected) once the frontend is 3 or 4 and the hotplug
 *             script wrote hotplug-status = connected;
 *             -> 6 (Closed, "unregistered") when online = 0 and the
 *             frontend is Closed or gone (a destroyed domain's directory).
 *   frontend  1 -> 3 (Initialised, ring-ref / event-channel written) once
 *             the backend waits; 3 -> 4 when the backend is Connected;
 *             -> 6 when the backend is Closing (a detach).
 *
 * A domain named nobe* has no backend driver (its devices stay at 1: for
 * xend's create timeout); one named stuck* has a frontend that never
 * closes (for the detach timeout). Every change is made in a transaction
 * that also reads what it depends on, so a device xend removes meanwhile
 * is never written back into existence. Runs until killed.
 */
#include "hv_fake.h"
#include "xs.h"
#include "../common/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fb_dev {
    const char *cls;
    unsigned int domid, devid;
    char *be;
};

static char *get(struct xsc *c, uint32_t tx, const char *dir, const char *key)
{
    char *p = xasprintf("%s/%s", dir, key);
    int err;
    char *v = xs_read(c, tx, p, &err);
    free(p);
    return v;
}

static int num(struct xsc *c, uint32_t tx, const char *dir, const char *key)
{
    char *v = get(c, tx, dir, key);
    int n = v && *v ? atoi(v) : -1;
    free(v);
    return n;
}

static int set(struct xsc *c, uint32_t tx, const char *dir, const char *key, const char *value)
{
    char *p = xasprintf("%s/%s", dir, key);
    int err = xs_write(c, tx, p, value);
    free(p);
    return err;
}

static bool name_starts(struct xsc *c, uint32_t tx, unsigned int domid, const char *prefix)
{
    char *dom = xasprintf("/local/domain/%u", domid);
    char *name = get(c, tx, dom, "name");
    bool yes = name && !strncmp(name, prefix, strlen(prefix));
    free(name);
    free(dom);
    return yes;
}

/* Ring references and event channel as the frontend driver publishes them. */
static int publish_rings(struct xsc *c, uint32_t tx, const struct fb_dev *d, const char *fe)
{
    char a[16], b[16];
    int err;

    snprintf(a, sizeof(a), "%u", 8 + d->devid % 1000);
    snprintf(b, sizeof(b), "%u", 9 + d->devid % 1000);
    if (!strcmp(d->cls, "vbd")) {
        err = set(c, tx, fe, "ring-ref", a);
        if (!err)
            err = set(c, tx, fe, "protocol", "x86_64-abi");
    } else {
        err = set(c, tx, fe, "tx-ring-ref", a);
        if (!err)
            err = set(c, tx, fe, "rx-ring-ref", b);
        if (!err)
            err = set(c, tx, fe, "request-rx-copy", "1");
    }
    return err ? err : set(c, tx, fe, "event-channel", "10");
}

static int step(struct xsc *c, uint32_t tx, const void *ctx)
{
    const struct fb_dev *d = ctx;
    int bs = num(c, tx, d->be, "state"), online = num(c, tx, d->be, "online");
    char *fe = get(c, tx, d->be, "frontend");
    int fs = fe ? num(c, tx, fe, "state") : -1, err = 0;
    char *hs = get(c, tx, d->be, "hotplug-status");
    bool connected = hs && !strcmp(hs, "connected");

    free(hs);
    if (bs < 0 || bs == 6 || name_starts(c, tx, d->domid, "nobe")) {
        free(fe);
        return 0;
    }
    if (online == 0 && (fs < 0 || fs == 6)) {
        printf("fake-backend: %s: closed\n", d->be);
        err = set(c, tx, d->be, "state", "6");
    } else if (bs == 1 && online == 1) {
        printf("fake-backend: %s: InitWait\n", d->be);
        err = set(c, tx, d->be, "state", "2");
    } else if (online == 1 && (bs == 2 || bs == 3) && (fs == 3 || fs == 4) && connected) {
        printf("fake-backend: %s: Connected\n", d->be);
        err = set(c, tx, d->be, "state", "4");
    }
    if (!err && fe && fs >= 0) {
        if (fs == 1 && bs >= 2 && bs <= 4) {
            err = publish_rings(c, tx, d, fe);
            if (!err)
                err = set(c, tx, fe, "state", "3");
        } else if (fs == 3 && bs == 4) {
            err = set(c, tx, fe, "state", "4");
        } else if (bs == 5 && fs != 6 && !name_starts(c, tx, d->domid, "stuck")) {
            printf("fake-backend: %s: frontend closes\n", fe);
            err = set(c, tx, fe, "state", "6");
        }
    }
    fflush(stdout);
    free(fe);
    return err;
}

static void scan_class(struct xsc *c, const char *cls)
{
    char *root = xasprintf("/local/domain/0/backend/%s", cls);
    int err;
    char **doms = xs_directory(c, 0, root, &err);

    for (char **dp = doms; dp && *dp; dp++) {
        char *ddir = xasprintf("%s/%s", root, *dp);
        char **devs = xs_directory(c, 0, ddir, &err);
        for (char **vp = devs; vp && *vp; vp++) {
            struct fb_dev d = { cls, (unsigned int)atoi(*dp), (unsigned int)atoi(*vp), NULL };
            d.be = xasprintf("%s/%s", ddir, *vp);
            err = xs_transaction(c, step, &d);
            if (err && err != ENOENT)
                fprintf(stderr, "fake-backend: %s: %s\n", d.be, strerror(err));
            free(d.be);
        }
        xs_strv_free(devs);
        free(ddir);
    }
    xs_strv_free(doms);
    free(root);
}

static void on_change(struct xsc *c, struct xsc *w, const char *path)
{
    struct xsc_msg *ev;

    (void)path;
    /* Whatever changed, look at every device (a test has a handful), once
     * for all the events already queued. */
    while (xsc_event(w, &ev, 0) == 0)
        free(ev);
    scan_class(c, "vbd");
    scan_class(c, "vif");
}

int fake_backend_main(void)
{
    return fake_watch_loop("fake-backend", on_change);
}
