/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for Xen so that the ring code runs on a build machine
 * (--hosted-rings DIR, for tests).  The "ring page" of domain N is the file
 * DIR/ring-N (4096 bytes, created by the test before INTRODUCE) mapped
 * shared; "event channels" are datagrams: the test kicks xenstored on
 * DIR/xenstored-evtchn ("kick" = ring activity, "virq" = VIRQ_DOM_EXC) and
 * xenstored kicks domain N on DIR/guest-N if that socket exists.  The
 * hypervisor's view of domain N is DIR/state-N: absent = running,
 * "shutdown" or "dead".
 */
#include "daemon.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static struct daemon *dd_of(struct xs_server *srv)
{
    return (struct daemon *)srv->env.data;
}

/* DIR/what or DIR/what-domid; an over-long name is cut (and fails to open). */
static void dir_path(struct daemon *dd, char *buf, size_t size, const char *what, unsigned int domid)
{
    int n = domid == ~0u ? snprintf(buf, size, "%s/%s", dd->hosted_dir, what)
                         : snprintf(buf, size, "%s/%s-%u", dd->hosted_dir, what, domid);
    if (n < 0 || (size_t)n >= size)
        xsd_log(dd, "hosted rings: path for %s too long", what);
}

static int hosted_introduce(struct xs_server *srv, struct xs_domain *d)
{
    struct daemon *dd = dd_of(srv);
    char path[128];
    dir_path(dd, path, sizeof(path), "ring", d->domid);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        xsd_log(dd, "dom%u: no ring file %s: %s", d->domid, path, strerror(e));
        return e == ENOENT ? ENOENT : EIO;
    }
    struct stat st;
    void *p = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size >= 4096)
        p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        xsd_log(dd, "dom%u: cannot map %s (needs 4096 bytes)", d->domid, path);
        return EIO;
    }
    d->intf = p;
    d->port = ++dd->hosted_next_port;
    return 0;
}

static int hosted_rebind(struct xs_server *srv, struct xs_domain *d)
{
    d->port = ++dd_of(srv)->hosted_next_port;
    return 0;
}

static void hosted_release(struct xs_server *srv, struct xs_domain *d)
{
    if (d->intf && munmap(d->intf, 4096) < 0)
        xsd_log(dd_of(srv), "dom%u: munmap: %s", d->domid, strerror(errno));
    d->intf = NULL;
    d->port = 0;
}

static void hosted_notify(struct xs_server *srv, struct xs_domain *d)
{
    struct daemon *dd = dd_of(srv);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    dir_path(dd, a.sun_path, sizeof(a.sun_path), "guest", d->domid);
    /* Nobody listening is fine: tests may poll the ring instead. */
    if (sendto(dd->event_fd, "evt", 3, MSG_DONTWAIT, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != ENOENT &&
        errno != ECONNREFUSED && errno != EAGAIN)
        xsd_log(dd, "dom%u: hosted notify: %s", d->domid, strerror(errno));
}

static int hosted_domain_info(struct xs_server *srv, unsigned int domid, bool *exists, bool *shutdown)
{
    char path[128], buf[16] = "";
    dir_path(dd_of(srv), path, sizeof(path), "state", domid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = 0;
        close(fd);
    }
    *exists = strncmp(buf, "dead", 4) != 0;
    *shutdown = strncmp(buf, "shutdown", 8) == 0;
    return 0;
}

static void hosted_on_event(struct daemon *dd)
{
    char buf[16];
    bool virq = false;
    for (;;) {
        ssize_t n = recv(dd->event_fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                xsd_log(dd, "hosted event socket: %s", strerror(errno));
            break;
        }
        buf[n] = 0;
        virq = virq || !strcmp(buf, "virq");
    }
    if (virq)
        xs_check_domains(&dd->srv);
}

int hosted_init(struct daemon *dd, const char *dir)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(dd->hosted_dir, sizeof(dd->hosted_dir), "%s", dir);
    dir_path(dd, a.sun_path, sizeof(a.sun_path), "xenstored-evtchn", ~0u);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    unlink(a.sun_path);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        int e = errno;
        xsd_log(dd, "hosted rings: cannot bind %s: %s", a.sun_path, strerror(e));
        close(fd);
        return e;
    }
    dd->event_fd = fd;
    dd->on_event = hosted_on_event;
    dd->srv.env.introduce = hosted_introduce;
    dd->srv.env.rebind = hosted_rebind;
    dd->srv.env.release = hosted_release;
    dd->srv.env.notify = hosted_notify;
    dd->srv.env.domain_info = hosted_domain_info;
    xsd_log(dd, "hosted rings in %s", dir);
    return 0;
}

void hosted_fini(struct daemon *dd)
{
    char path[128];
    if (dd->event_fd < 0)
        return;
    close(dd->event_fd);
    dd->event_fd = -1;
    dir_path(dd, path, sizeof(path), "xenstored-evtchn", ~0u);
    unlink(path);
}
