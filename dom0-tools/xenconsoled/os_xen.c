/* SPDX-License-Identifier: MIT */
/*
 * The real back end, over libxenoctrl: the console page through
 * /dev/xen/gntdev (grant GNTTAB_RESERVED_CONSOLE) or a privcmd foreign
 * mapping of console/ring-ref, event channels through /dev/xen/evtchn,
 * domain states from XEN_DOMCTL_getdomaininfo and the hypervisor's log
 * from SYSCTL_readconsole.  gntdev is optional (as in Xen): without it
 * every page is mapped by frame.
 */
#include "backend.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/grant_table.h>
#include <xenoctrl.h>

struct xen_be {
    xenoctrl *xc;
    xenoctrl_evtchn *evtchn;
    xenoctrl_gnttab *gnttab;    /* NULL: no gntdev */
};

static struct xen_be *xb(struct xcd_backend *b)
{
    return b->priv;
}

/* The library's own lines are detail: the caller logs each failure with its context. */
static void lib_log(void *ctx, const char *line)
{
    (void)ctx;
    xcd_log(XCD_DEBUG, "%s", line);   /* the library prefixes "xenoctrl: " */
}

static void *map_grant(struct xcd_backend *b, uint32_t domid, int *err)
{
    if (!xb(b)->gnttab) {
        *err = -ENODEV;
        return NULL;
    }
    uint32_t ref = GNTTAB_RESERVED_CONSOLE;
    return xenoctrl_gnttab_map(xb(b)->gnttab, 1, &domid, &ref, PROT_READ | PROT_WRITE, err);
}

static void *map_frame(struct xcd_backend *b, uint32_t domid, uint64_t frame, int *err)
{
    return xenoctrl_map_foreign_range(xb(b)->xc, domid, PROT_READ | PROT_WRITE, (xen_pfn_t)frame, 1, err);
}

static int unmap(struct xcd_backend *b, void *page, bool grant)
{
    return grant ? xenoctrl_gnttab_unmap(xb(b)->gnttab, page, 1) : xenoctrl_unmap(xb(b)->xc, page, 1);
}

static int bind_port(struct xcd_backend *b, uint32_t domid, uint32_t remote_port)
{
    return xenoctrl_evtchn_bind_interdomain(xb(b)->evtchn, domid, remote_port);
}

static int unbind_port(struct xcd_backend *b, uint32_t port)
{
    return xenoctrl_evtchn_unbind(xb(b)->evtchn, port);
}

static int notify(struct xcd_backend *b, uint32_t port)
{
    return xenoctrl_evtchn_notify(xb(b)->evtchn, port);
}

static int event_fd(struct xcd_backend *b)
{
    return xenoctrl_evtchn_fd(xb(b)->evtchn);
}

static int pending(struct xcd_backend *b)
{
    return xenoctrl_evtchn_pending(xb(b)->evtchn);
}

static int unmask(struct xcd_backend *b, uint32_t port)
{
    return xenoctrl_evtchn_unmask(xb(b)->evtchn, port);
}

static int domain_state(struct xcd_backend *b, uint32_t domid, enum xcd_dom_state *st)
{
    struct xenoctrl_dominfo info;
    int rc = xenoctrl_domain_getinfo(xb(b)->xc, domid, &info);
    if (rc == -ESRCH) {
        *st = XCD_DOM_GONE;
        return 0;
    }
    if (rc < 0)
        return rc;
    *st = info.dying ? XCD_DOM_DYING : info.shutdown ? XCD_DOM_SHUTDOWN : XCD_DOM_RUNNING;
    return 0;
}

static long read_hv(struct xcd_backend *b, char *buf, size_t size, uint32_t *index)
{
    return xenoctrl_readconsole(xb(b)->xc, buf, size, index, true, false);
}

static void close_be(struct xcd_backend *b)
{
    struct xen_be *x = xb(b);
    xenoctrl_gnttab_close(x->gnttab);
    xenoctrl_evtchn_close(x->evtchn);
    xenoctrl_close(x->xc);
    free(x);
    b->priv = NULL;
}

int xcd_backend_xen(struct xcd_backend *b)
{
    struct xen_be *x = calloc(1, sizeof(*x));
    if (!x) {
        xcd_log(XCD_ERR, "out of memory");
        return -ENOMEM;
    }
    int rc = xenoctrl_open(&x->xc);
    if (rc < 0) {
        xcd_log(XCD_ERR, "cannot open the hypervisor interface (/dev/xen/privcmd): %s", strerror(-rc));
        free(x);
        return rc;
    }
    xenoctrl_set_logger(x->xc, lib_log, NULL);
    rc = xenoctrl_evtchn_open(&x->evtchn);
    if (rc < 0) {
        xcd_log(XCD_ERR, "cannot open /dev/xen/evtchn: %s", strerror(-rc));
        xenoctrl_close(x->xc);
        free(x);
        return rc;
    }
    xenoctrl_evtchn_set_logger(x->evtchn, lib_log, NULL);
    int fd = xenoctrl_evtchn_fd(x->evtchn), fl = fcntl(fd, F_GETFL);
    /* pending() must say -EAGAIN when the ports are all read, not block. */
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        rc = -errno;
        xcd_log(XCD_ERR, "cannot make /dev/xen/evtchn non-blocking: %s", strerror(-rc));
        close_be(&(struct xcd_backend){ .priv = x });
        return rc;
    }
    rc = xenoctrl_gnttab_open(&x->gnttab);
    if (rc < 0) {
        xcd_log(XCD_INFO, "no /dev/xen/gntdev (%s): console pages are mapped by frame", strerror(-rc));
        x->gnttab = NULL;
    } else {
        xenoctrl_gnttab_set_logger(x->gnttab, lib_log, NULL);
    }
    *b = (struct xcd_backend){
        .name = "xen", .priv = x, .map_grant = map_grant, .map_frame = map_frame, .unmap = unmap,
        .bind = bind_port, .unbind = unbind_port, .notify = notify, .event_fd = event_fd, .pending = pending,
        .unmask = unmask, .domain_state = domain_state, .read_hv = read_hv, .close = close_be,
    };
    return 0;
}
