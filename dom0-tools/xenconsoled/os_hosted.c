/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for Xen so that the whole daemon runs on a build machine
 * (--hosted=DIR, for tests; the files are the test's "hypervisor"):
 *   DIR/console-ring-<ring-ref>  a 4096-byte file: the console page mapped by
 *                                frame (ring-ref in decimal)
 *   DIR/console-grant-<domid>    if present: the page behind the domain's
 *                                grant 0, tried first
 *   DIR/xenconsoled-evtchn       datagram socket we receive on: "<domid> <port>"
 *                                is the guest notifying its port <port>
 *   DIR/console-evtchn-<domid>   datagram socket the guest may bind: we send
 *                                "<port>" there when notifying it
 *   DIR/state-<domid>            absent: running; "shutdown", "dying" or "dead"
 *                                (no such domain) — xenstored's hosted mode
 *                                reads the same file
 *   DIR/hv-console               the hypervisor's console ring (read from the
 *                                offset the daemon got to)
 */
#include "backend.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define PAGE 4096
#define MAX_PORTS 1024

struct binding {
    bool used;
    uint32_t domid, remote_port;
};

struct hosted_be {
    char dir[PATH_MAX];
    int sock;
    struct binding ports[MAX_PORTS];    /* local port = index + 1 */
};

static struct hosted_be *hb(struct xcd_backend *b)
{
    return b->priv;
}

/* DIR/<fmt with one %llu>; names without a number use "%.0llu" (prints nothing for 0). */
static int file_path(struct hosted_be *h, char *buf, size_t size, const char *fmt, unsigned long long n)
{
    int len = snprintf(buf, size, "%s/", h->dir);
    if (len < 0 || (size_t)len >= size)
        return -ENAMETOOLONG;
    int more = snprintf(buf + len, size - (size_t)len, fmt, n);
    return more < 0 || (size_t)more >= size - (size_t)len ? -ENAMETOOLONG : 0;
}

static void *map_file(struct hosted_be *h, const char *fmt, unsigned long long n, int *err)
{
    char path[PATH_MAX];
    struct stat st;
    void *p = MAP_FAILED;
    if ((*err = file_path(h, path, sizeof(path), fmt, n)))
        return NULL;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        *err = -errno;
        return NULL;
    }
    if (fstat(fd, &st) == 0 && st.st_size >= PAGE)
        p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    *err = p == MAP_FAILED ? -EFAULT : 0;     /* a short file is a bad frame */
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static void *map_grant(struct xcd_backend *b, uint32_t domid, int *err)
{
    return map_file(hb(b), "console-grant-%llu", domid, err);
}

static void *map_frame(struct xcd_backend *b, uint32_t domid, uint64_t frame, int *err)
{
    (void)domid;
    return map_file(hb(b), "console-ring-%llu", frame, err);
}

static int unmap(struct xcd_backend *b, void *page, bool grant)
{
    (void)b;
    (void)grant;
    return munmap(page, PAGE) < 0 ? -errno : 0;
}

static int bind_port(struct xcd_backend *b, uint32_t domid, uint32_t remote_port)
{
    struct hosted_be *h = hb(b);
    for (int i = 0; i < MAX_PORTS; i++)
        if (!h->ports[i].used) {
            h->ports[i] = (struct binding){ .used = true, .domid = domid, .remote_port = remote_port };
            return i + 1;
        }
    return -ENOSPC;
}

static struct binding *binding_of(struct hosted_be *h, uint32_t port)
{
    return port >= 1 && port <= MAX_PORTS && h->ports[port - 1].used ? &h->ports[port - 1] : NULL;
}

static int unbind_port(struct xcd_backend *b, uint32_t port)
{
    struct binding *p = binding_of(hb(b), port);
    if (!p)
        return -EINVAL;
    p->used = false;
    return 0;
}

static int notify(struct xcd_backend *b, uint32_t port)
{
    struct hosted_be *h = hb(b);
    struct binding *p = binding_of(h, port);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    char msg[16];
    if (!p)
        return -EINVAL;
    if (file_path(h, a.sun_path, sizeof(a.sun_path), "console-evtchn-%llu", p->domid))
        return -ENAMETOOLONG;
    int n = snprintf(msg, sizeof(msg), "%u", p->remote_port);
    /* A guest that does not listen polls its ring instead: not an error. */
    if (sendto(h->sock, msg, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != ENOENT &&
        errno != ECONNREFUSED && errno != EAGAIN)
        return -errno;
    return 0;
}

static int event_fd(struct xcd_backend *b)
{
    return hb(b)->sock;
}

static int pending(struct xcd_backend *b)
{
    struct hosted_be *h = hb(b);
    char msg[32];
    for (;;) {
        ssize_t n = recv(h->sock, msg, sizeof(msg) - 1, MSG_DONTWAIT);
        if (n < 0)
            return -errno;
        msg[n] = 0;
        unsigned int domid, port;
        if (sscanf(msg, "%u %u", &domid, &port) != 2) {
            xcd_log(XCD_WARN, "hosted: malformed event \"%s\"", msg);
            continue;
        }
        for (int i = 0; i < MAX_PORTS; i++)
            if (h->ports[i].used && h->ports[i].domid == domid && h->ports[i].remote_port == port)
                return i + 1;
        xcd_log(XCD_DEBUG, "hosted: event from domain %u port %u, which is not bound", domid, port);
    }
}

static int unmask(struct xcd_backend *b, uint32_t port)
{
    return binding_of(hb(b), port) ? 0 : -EINVAL;
}

static int domain_state(struct xcd_backend *b, uint32_t domid, enum xcd_dom_state *st)
{
    char path[PATH_MAX], buf[16] = "";
    int err = file_path(hb(b), path, sizeof(path), "state-%llu", domid);
    if (err)
        return err;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno != ENOENT)
        return -errno;
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = 0;
        close(fd);
    }
    *st = !strncmp(buf, "dead", 4) ? XCD_DOM_GONE
        : !strncmp(buf, "dying", 5) ? XCD_DOM_DYING
        : !strncmp(buf, "shutdown", 8) ? XCD_DOM_SHUTDOWN : XCD_DOM_RUNNING;
    return 0;
}

static long read_hv(struct xcd_backend *b, char *buf, size_t size, uint32_t *index)
{
    char path[PATH_MAX];
    int err = file_path(hb(b), path, sizeof(path), "hv-console%.0llu", 0);
    if (err)
        return err;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    ssize_t n = pread(fd, buf, size - 1, *index);
    err = errno;
    close(fd);
    if (n < 0)
        return -err;
    buf[n] = 0;
    *index += (uint32_t)n;
    return n;
}

static void close_be(struct xcd_backend *b)
{
    struct hosted_be *h = hb(b);
    char path[PATH_MAX];
    close(h->sock);
    if (!file_path(h, path, sizeof(path), "xenconsoled-evtchn%.0llu", 0))
        unlink(path);
    free(h);
    b->priv = NULL;
}

int xcd_backend_hosted(struct xcd_backend *b, const char *dir)
{
    struct hosted_be *h = calloc(1, sizeof(*h));
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (!h) {
        xcd_log(XCD_ERR, "out of memory");
        return -ENOMEM;
    }
    snprintf(h->dir, sizeof(h->dir), "%s", dir);
    if (file_path(h, a.sun_path, sizeof(a.sun_path), "xenconsoled-evtchn%.0llu", 0)) {
        xcd_log(XCD_ERR, "hosted: %s is too long for a socket path", dir);
        free(h);
        return -ENAMETOOLONG;
    }
    h->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (h->sock < 0 || (unlink(a.sun_path) < 0 && errno != ENOENT) ||
        bind(h->sock, (struct sockaddr *)&a, sizeof(a)) < 0) {
        int e = errno;
        xcd_log(XCD_ERR, "hosted: cannot bind %s: %s", a.sun_path, strerror(e));
        if (h->sock >= 0)
            close(h->sock);
        free(h);
        return -e;
    }
    *b = (struct xcd_backend){
        .name = "hosted", .priv = h, .map_grant = map_grant, .map_frame = map_frame, .unmap = unmap,
        .bind = bind_port, .unbind = unbind_port, .notify = notify, .event_fd = event_fd, .pending = pending,
        .unmask = unmask, .domain_state = domain_state, .read_hv = read_hv, .close = close_be,
    };
    xcd_log(XCD_INFO, "hosted back end in %s", dir);
    return 0;
}
