/* SPDX-License-Identifier: MIT */
/*
 * libxenoctrl: event channels through /dev/xen/evtchn (Linux's
 * drivers/xen/evtchn.c).  Ports bound through a handle are the handle's;
 * a fired port is read() as a uint32_t and stays masked until written
 * back (unmask).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "xenoctrl_priv.h"

struct xenoctrl_evtchn {
    int fd;
    struct xo_logger log;
};

int xenoctrl_evtchn_open(xenoctrl_evtchn **out)
{
    struct xo_logger boot;
    xo_logger_init(&boot);
    xenoctrl_evtchn *e = calloc(1, sizeof(*e));
    if (!e)
        return xo_fail(&boot, -ENOMEM, "evtchn: handle");
    xo_logger_init(&e->log);
    e->fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    if (e->fd < 0) {
        int rc = xo_fail(&boot, -errno, "open /dev/xen/evtchn");
        free(e);
        return rc;
    }
    *out = e;
    return 0;
}

void xenoctrl_evtchn_close(xenoctrl_evtchn *e)
{
    if (!e)
        return;
    close(e->fd);           /* unbinds every port of the handle */
    free(e);
}

int xenoctrl_evtchn_fd(const xenoctrl_evtchn *e)
{
    return e->fd;
}

void xenoctrl_evtchn_set_logger(xenoctrl_evtchn *e, xenoctrl_log_fn *fn, void *ctx)
{
    e->log.fn = fn;
    e->log.ctx = ctx;
}

static int port_ioctl(xenoctrl_evtchn *e, unsigned long req, void *arg, const char *what, uint32_t a,
                      uint32_t b)
{
    int r = ioctl(e->fd, req, arg);
    if (r < 0)
        return xo_fail(&e->log, -errno, "evtchn %s (%u, %u)", what, a, b);
    return r;
}

int xenoctrl_evtchn_alloc_unbound(xenoctrl_evtchn *e, uint32_t remote_domid)
{
    struct ioctl_evtchn_bind_unbound_port a = { .remote_domain = remote_domid };
    return port_ioctl(e, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &a, "alloc_unbound", remote_domid, 0);
}

int xenoctrl_evtchn_bind_interdomain(xenoctrl_evtchn *e, uint32_t domid, uint32_t remote_port)
{
    struct ioctl_evtchn_bind_interdomain a = { .remote_domain = domid, .remote_port = remote_port };
    return port_ioctl(e, IOCTL_EVTCHN_BIND_INTERDOMAIN, &a, "bind_interdomain", domid, remote_port);
}

int xenoctrl_evtchn_bind_virq(xenoctrl_evtchn *e, uint32_t virq)
{
    struct ioctl_evtchn_bind_virq a = { .virq = virq };
    return port_ioctl(e, IOCTL_EVTCHN_BIND_VIRQ, &a, "bind_virq", virq, 0);
}

int xenoctrl_evtchn_unbind(xenoctrl_evtchn *e, uint32_t port)
{
    struct ioctl_evtchn_unbind a = { .port = port };
    return port_ioctl(e, IOCTL_EVTCHN_UNBIND, &a, "unbind", port, 0);
}

int xenoctrl_evtchn_notify(xenoctrl_evtchn *e, uint32_t port)
{
    struct ioctl_evtchn_notify a = { .port = port };
    return port_ioctl(e, IOCTL_EVTCHN_NOTIFY, &a, "notify", port, 0);
}

int xenoctrl_evtchn_pending(xenoctrl_evtchn *e)
{
    uint32_t port;
    ssize_t n = read(e->fd, &port, sizeof(port));
    if (n == (ssize_t)sizeof(port))
        return (int)port;
    int rc = n < 0 ? -errno : -EIO;
    if (rc != -EAGAIN)
        xo_fail(&e->log, rc, "evtchn read");
    return rc;
}

int xenoctrl_evtchn_unmask(xenoctrl_evtchn *e, uint32_t port)
{
    if (write(e->fd, &port, sizeof(port)) != (ssize_t)sizeof(port))
        return xo_fail(&e->log, -errno, "evtchn unmask %u", port);
    return 0;
}
