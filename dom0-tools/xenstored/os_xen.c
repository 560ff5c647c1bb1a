/* SPDX-License-Identifier: MIT */
/*
 * The Xen back end, through dom0's Linux devices:
 *  - /dev/xen/evtchn: bind_interdomain to each domain's xenstore port,
 *    notify, and VIRQ_DOM_EXC; read() returns pending ports, which are
 *    unmasked by writing them back (Linux uapi xen/evtchn.h).
 *  - dom0's own ring: Linux dom0 allocates it itself when start_info has no
 *    store page (XS_LOCAL) and offers it through /dev/xen/xenbus_backend
 *    (mmap the page, IOCTL_XENBUS_BACKEND_EVTCHN for its unbound port), or
 *    the older xenfs files /proc/xen/xsd_kva and /proc/xen/xsd_port, which
 *    is what Xen's xenstored uses (posix.c xenbus_map/get_xenbus_evtchn).
 *  - guests' rings: grant GNTTAB_RESERVED_XENSTORE (1) mapped through
 *    /dev/xen/gntdev as modern Xen does, else the INTRODUCE gfn through a
 *    privcmd foreign mapping (docs/misc/xenstore.txt: both must agree).
 *  - domain state for @releaseDomain: XEN_DOMCTL_getdomaininfo through
 *    privcmd, when the public domctl.h is there.
 */
#include "daemon.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/grant_table.h>

#if __has_include(<xen/domctl.h>)
#include <xen/domctl.h>
#define XSD_HAVE_DOMCTL 1
#endif

#define PAGE 4096

/* ioctl layouts of Linux's include/uapi/xen/{evtchn,gntdev,privcmd}.h and xenbus_dev.h */
struct xsd_evtchn_bind_virq { unsigned int virq; };
struct xsd_evtchn_bind_interdomain { unsigned int remote_domain, remote_port; };
struct xsd_evtchn_port { unsigned int port; };
#define XSD_IOCTL_EVTCHN_BIND_VIRQ _IOC(_IOC_NONE, 'E', 0, sizeof(struct xsd_evtchn_bind_virq))
#define XSD_IOCTL_EVTCHN_BIND_INTERDOMAIN _IOC(_IOC_NONE, 'E', 1, sizeof(struct xsd_evtchn_bind_interdomain))
#define XSD_IOCTL_EVTCHN_UNBIND _IOC(_IOC_NONE, 'E', 3, sizeof(struct xsd_evtchn_port))
#define XSD_IOCTL_EVTCHN_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(struct xsd_evtchn_port))

struct xsd_gntdev_grant_ref { uint32_t domid, ref; };
struct xsd_gntdev_map { uint32_t count, pad; uint64_t index; struct xsd_gntdev_grant_ref refs[1]; };
struct xsd_gntdev_unmap { uint64_t index; uint32_t count, pad; };
#define XSD_IOCTL_GNTDEV_MAP_GRANT_REF _IOC(_IOC_NONE, 'G', 0, sizeof(struct xsd_gntdev_map))
#define XSD_IOCTL_GNTDEV_UNMAP_GRANT_REF _IOC(_IOC_NONE, 'G', 1, sizeof(struct xsd_gntdev_unmap))

struct xsd_privcmd_hypercall { uint64_t op, arg[5]; };
struct xsd_privcmd_mmapbatch_v2 {
    unsigned int num;
    uint16_t dom;
    uint64_t addr;
    const uint64_t *arr;
    int *err;
};
#define XSD_IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct xsd_privcmd_hypercall))
#define XSD_IOCTL_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct xsd_privcmd_mmapbatch_v2))

#define XSD_IOCTL_XENBUS_BACKEND_EVTCHN _IOC(_IOC_NONE, 'B', 0, 0)

_Static_assert(sizeof(struct xsd_privcmd_mmapbatch_v2) == 32, "privcmd_mmapbatch_v2");
_Static_assert(sizeof(struct xsd_gntdev_map) == 24, "ioctl_gntdev_map_grant_ref");

enum map_kind { MAP_LOCAL, MAP_GRANT, MAP_FOREIGN };

struct ring_map {
    enum map_kind kind;
    uint64_t gnt_index;
};

static struct daemon *dd_of(struct xs_server *srv)
{
    return (struct daemon *)srv->env.data;
}

static int bind_interdomain(struct daemon *dd, unsigned int domid, uint32_t remote_port, uint32_t *local)
{
    struct xsd_evtchn_bind_interdomain b = { .remote_domain = domid, .remote_port = remote_port };
    int r = ioctl(dd->evtchn_fd, XSD_IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
    if (r < 0) {
        int e = errno;
        xsd_log(dd, "dom%u: binding its port %u: %s", domid, remote_port, strerror(e));
        return e;
    }
    *local = (uint32_t)r;
    return 0;
}

static void unbind(struct daemon *dd, uint32_t port)
{
    struct xsd_evtchn_port p = { .port = port };
    if (port && ioctl(dd->evtchn_fd, XSD_IOCTL_EVTCHN_UNBIND, &p) < 0)
        xsd_log(dd, "unbinding local port %u: %s", port, strerror(errno));
}

static void xen_notify(struct xs_server *srv, struct xs_domain *d)
{
    struct daemon *dd = dd_of(srv);
    struct xsd_evtchn_port p = { .port = d->port };
    if (d->port && ioctl(dd->evtchn_fd, XSD_IOCTL_EVTCHN_NOTIFY, &p) < 0)
        xsd_log(dd, "dom%u: notify on port %u: %s", d->domid, d->port, strerror(errno));
}

static void *map_grant(struct daemon *dd, struct xs_domain *d, uint64_t *index)
{
    if (dd->gntdev_fd < 0) {
        dd->gntdev_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
        if (dd->gntdev_fd < 0) {
            xsd_log(dd, "cannot open /dev/xen/gntdev: %s", strerror(errno));
            return NULL;
        }
    }
    struct xsd_gntdev_map m = { .count = 1, .refs = { { .domid = d->domid, .ref = GNTTAB_RESERVED_XENSTORE } } };
    if (ioctl(dd->gntdev_fd, XSD_IOCTL_GNTDEV_MAP_GRANT_REF, &m) < 0) {
        xsd_log(dd, "dom%u: gntdev map of grant %u: %s", d->domid, GNTTAB_RESERVED_XENSTORE, strerror(errno));
        return NULL;
    }
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, dd->gntdev_fd, (off_t)m.index);
    if (p == MAP_FAILED) {
        xsd_log(dd, "dom%u: mapping its xenstore grant: %s", d->domid, strerror(errno));
        struct xsd_gntdev_unmap u = { .index = m.index, .count = 1 };
        if (ioctl(dd->gntdev_fd, XSD_IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) < 0)
            xsd_log(dd, "dom%u: gntdev unmap: %s", d->domid, strerror(errno));
        return NULL;
    }
    *index = m.index;
    return p;
}

static void *map_foreign(struct daemon *dd, struct xs_domain *d)
{
    if (dd->privcmd_fd < 0) {
        dd->privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
        if (dd->privcmd_fd < 0) {
            xsd_log(dd, "cannot open /dev/xen/privcmd: %s", strerror(errno));
            return NULL;
        }
    }
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, dd->privcmd_fd, 0);
    if (p == MAP_FAILED) {
        xsd_log(dd, "dom%u: privcmd mmap: %s", d->domid, strerror(errno));
        return NULL;
    }
    uint64_t gfn = d->gfn;
    int ferr = 0;
    struct xsd_privcmd_mmapbatch_v2 b = { .num = 1, .dom = (uint16_t)d->domid, .addr = (uint64_t)(uintptr_t)p,
                                          .arr = &gfn, .err = &ferr };
    if (ioctl(dd->privcmd_fd, XSD_IOCTL_PRIVCMD_MMAPBATCH_V2, &b) < 0 || ferr) {
        xsd_log(dd, "dom%u: foreign map of gfn %#llx: %s", d->domid, (unsigned long long)gfn,
                strerror(ferr ? -ferr : errno));
        munmap(p, PAGE);
        return NULL;
    }
    return p;
}

static void unmap(struct daemon *dd, struct xs_domain *d)
{
    struct ring_map *m = d->os;
    if (d->intf && munmap(d->intf, PAGE) < 0)
        xsd_log(dd, "dom%u: munmap of its ring: %s", d->domid, strerror(errno));
    if (m && m->kind == MAP_GRANT) {
        struct xsd_gntdev_unmap u = { .index = m->gnt_index, .count = 1 };
        if (ioctl(dd->gntdev_fd, XSD_IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) < 0)
            xsd_log(dd, "dom%u: gntdev unmap: %s", d->domid, strerror(errno));
    }
    free(m);
    d->os = NULL;
    d->intf = NULL;
}

static int xen_introduce(struct xs_server *srv, struct xs_domain *d)
{
    struct daemon *dd = dd_of(srv);
    if (dd->evtchn_fd < 0)
        return ENOSYS;
    struct ring_map *m = calloc(1, sizeof(*m));
    if (!m)
        return ENOMEM;
    void *p = map_grant(dd, d, &m->gnt_index);
    m->kind = MAP_GRANT;
    if (!p) {
        p = map_foreign(dd, d);
        m->kind = MAP_FOREIGN;
    }
    if (!p) {
        free(m);
        return EIO;
    }
    d->intf = p;
    d->os = m;
    /* A port in the page wins over the one given (Xen's introduce_domain). */
    uint32_t port = d->intf->evtchn_port ? d->intf->evtchn_port : d->remote_port;
    int err = bind_interdomain(dd, d->domid, port, &d->port);
    if (err) {
        unmap(dd, d);
        return err;
    }
    xsd_log(dd, "dom%u: ring mapped (%s), port %u bound to local %u", d->domid,
            m->kind == MAP_GRANT ? "grant 1" : "foreign gfn", port, d->port);
    return 0;
}

static int xen_rebind(struct xs_server *srv, struct xs_domain *d)
{
    struct daemon *dd = dd_of(srv);
    unbind(dd, d->port);
    d->port = 0;
    return bind_interdomain(dd, d->domid, d->remote_port, &d->port);
}

static void xen_release(struct xs_server *srv, struct xs_domain *d)
{
    struct daemon *dd = dd_of(srv);
    unbind(dd, d->port);
    d->port = 0;
    unmap(dd, d);
}

#ifdef XSD_HAVE_DOMCTL
static int xen_domain_info(struct xs_server *srv, unsigned int domid, bool *exists, bool *shutdown)
{
    struct daemon *dd = dd_of(srv);
    if (dd->privcmd_fd < 0) {
        dd->privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
        if (dd->privcmd_fd < 0)
            return errno;
    }
    struct xen_domctl dc;
    memset(&dc, 0, sizeof(dc));
    dc.cmd = XEN_DOMCTL_getdomaininfo;
    dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc.domain = (domid_t)domid;
    struct xsd_privcmd_hypercall h = { .op = __HYPERVISOR_domctl, .arg = { (uint64_t)(uintptr_t)&dc } };
    if (ioctl(dd->privcmd_fd, XSD_IOCTL_PRIVCMD_HYPERCALL, &h) < 0) {
        if (errno == ESRCH) {
            *exists = false;
            return 0;
        }
        return errno;
    }
    /* getdomaininfo answers with the next domain when ours is gone. */
    if (dc.u.getdomaininfo.domain != domid || (dc.u.getdomaininfo.flags & XEN_DOMINF_dying)) {
        *exists = false;
        return 0;
    }
    *exists = true;
    *shutdown = (dc.u.getdomaininfo.flags & XEN_DOMINF_shutdown) != 0;
    return 0;
}
#endif

static void xen_on_event(struct daemon *dd)
{
    uint32_t ports[64];
    bool domexc = false;
    for (;;) {
        ssize_t n = read(dd->evtchn_fd, ports, sizeof(ports));
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                xsd_log(dd, "reading /dev/xen/evtchn: %s", strerror(errno));
            break;
        }
        if (n == 0)
            break;
        for (size_t i = 0; i < (size_t)n / sizeof(ports[0]); i++)
            domexc = domexc || (dd->virq_port && ports[i] == dd->virq_port);
        /* Unmask what we got (the ring work follows in the main loop). */
        if (write(dd->evtchn_fd, ports, (size_t)n) != n)
            xsd_log(dd, "unmasking event channels: %s", strerror(errno));
        if ((size_t)n < sizeof(ports))
            break;
    }
    if (domexc)
        xs_check_domains(&dd->srv);
}

/* dom0's ring: /dev/xen/xenbus_backend, else xenfs. */
static void *local_ring(struct daemon *dd, uint32_t *port)
{
    int fd = open("/dev/xen/xenbus_backend", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        int r = ioctl(fd, XSD_IOCTL_XENBUS_BACKEND_EVTCHN, 0);
        void *p = r > 0 ? mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
        int e = errno;
        close(fd);
        if (r > 0 && p != MAP_FAILED) {
            *port = (uint32_t)r;
            return p;
        }
        xsd_log(dd, "/dev/xen/xenbus_backend: %s", r <= 0 ? "no event channel" : strerror(e));
    } else {
        xsd_log(dd, "cannot open /dev/xen/xenbus_backend: %s", strerror(errno));
    }
    fd = open("/proc/xen/xsd_port", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char buf[20];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return NULL;
    buf[n] = 0;
    *port = (uint32_t)strtoul(buf, NULL, 0);
    fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        xsd_log(dd, "cannot open /proc/xen/xsd_kva: %s", strerror(errno));
        return NULL;
    }
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static int connect_local(struct daemon *dd)
{
    struct xs_server *srv = &dd->srv;
    uint32_t port = 0;
    void *p = local_ring(dd, &port);
    if (!p || !port) {
        xsd_log(dd, "cannot find dom0's xenstore ring (no xenbus_backend or xenfs)");
        return ENOENT;
    }
    struct xs_domain *d = xs_domain_get(srv, srv->priv_domid);
    struct ring_map *m = calloc(1, sizeof(*m));
    if (!d || !m) {
        free(m);
        munmap(p, PAGE);
        return ENOMEM;
    }
    m->kind = MAP_LOCAL;
    d->intf = p;
    d->os = m;
    int err = bind_interdomain(dd, srv->priv_domid, port, &d->port);
    if (!err)
        err = xs_domain_attach(srv, d);
    if (err) {
        unmap(dd, d);
        return err;
    }
    xsd_log(dd, "dom%u: local ring, port %u bound to local %u", d->domid, port, d->port);
    return 0;
}

int xen_init(struct daemon *dd, bool connect_dom0)
{
    dd->gntdev_fd = dd->privcmd_fd = -1;
    dd->evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (dd->evtchn_fd < 0) {
        int e = errno;
        xsd_log(dd, "cannot open /dev/xen/evtchn: %s%s", strerror(e),
                connect_dom0 ? " (not on Xen? -D serves sockets only)" : ": serving sockets only");
        return connect_dom0 ? e : 0;
    }
    dd->srv.env.introduce = xen_introduce;
    dd->srv.env.rebind = xen_rebind;
    dd->srv.env.release = xen_release;
    dd->srv.env.notify = xen_notify;
#ifdef XSD_HAVE_DOMCTL
    dd->srv.env.domain_info = xen_domain_info;
#endif
    dd->event_fd = dd->evtchn_fd;
    dd->on_event = xen_on_event;
    struct xsd_evtchn_bind_virq v = { .virq = VIRQ_DOM_EXC };
    int r = ioctl(dd->evtchn_fd, XSD_IOCTL_EVTCHN_BIND_VIRQ, &v);
    if (r < 0)
        xsd_log(dd, "cannot bind VIRQ_DOM_EXC: %s (no @releaseDomain on domain death)", strerror(errno));
    else
        dd->virq_port = (uint32_t)r;
    return connect_dom0 ? connect_local(dd) : 0;
}

void xen_fini(struct daemon *dd)
{
    if (dd->gntdev_fd >= 0)
        close(dd->gntdev_fd);
    if (dd->privcmd_fd >= 0)
        close(dd->privcmd_fd);
    if (dd->evtchn_fd >= 0)
        close(dd->evtchn_fd);
    dd->gntdev_fd = dd->privcmd_fd = dd->evtchn_fd = -1;
}
