/* SPDX-License-Identifier: MIT */
/* Wire-protocol client: see client.h. */
#include "client.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

const char *xsc_socket_path(void)
{
    static char buf[256];
    const char *p = getenv("XENSTORED_PATH");
    if (p && *p)
        return p;
    const char *dir = getenv("XENSTORED_RUNDIR");
    if (!dir || !*dir)
        return XS_DEFAULT_SOCKET;
    snprintf(buf, sizeof(buf), "%s/socket", dir);
    return buf;
}

static int open_socket(struct xsc *c, const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(a.sun_path))
        return ENAMETOOLONG;
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        int e = errno;
        close(fd);
        return e;
    }
    c->fd = fd;
    snprintf(c->path, sizeof(c->path), "%s", path);
    return 0;
}

int xsc_open(struct xsc *c, const char *path)
{
    memset(c, 0, sizeof(*c));
    c->fd = -1;
    c->next_req = 1;
    if (path)
        return open_socket(c, path);
    int err = open_socket(c, xsc_socket_path());
    if (!err)
        return 0;
    /* No daemon socket here (e.g. in a guest): the kernel's xenbus device. */
    int fd = open(XS_KERNEL_DEVICE, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return err;
    c->fd = fd;
    snprintf(c->path, sizeof(c->path), "%s", XS_KERNEL_DEVICE);
    return 0;
}

void xsc_close(struct xsc *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    while (c->events) {
        struct xsc_msg *m = c->events;
        c->events = m->next;
        free(m);
    }
    c->events_tail = NULL;
}

static int write_all(int fd, const void *p, size_t len)
{
    const char *b = p;
    while (len) {
        ssize_t n = write(fd, b, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        b += n;
        len -= (size_t)n;
    }
    return 0;
}

int xsc_send(struct xsc *c, uint32_t type, uint32_t req_id, uint32_t tx, const void *body, uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = tx, .len = len };
    /* One write: the kernel device wants a whole message per write(). */
    char *buf = malloc(sizeof(h) + len);
    if (!buf)
        return ENOMEM;
    memcpy(buf, &h, sizeof(h));
    if (len)
        memcpy(buf + sizeof(h), body, len);
    int err = write_all(c->fd, buf, sizeof(h) + len);
    free(buf);
    return err;
}

static int read_all(int fd, void *p, size_t len, int timeout_ms)
{
    char *b = p;
    while (len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int r = poll(&pfd, 1, timeout_ms);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (r == 0)
            return ETIMEDOUT;
        ssize_t n = read(fd, b, len);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return errno;
        }
        if (n == 0)
            return EPIPE;
        b += n;
        len -= (size_t)n;
    }
    return 0;
}

int xsc_recv(struct xsc *c, struct xsc_msg **out, int timeout_ms)
{
    struct xsd_sockmsg h;
    int err = read_all(c->fd, &h, sizeof(h), timeout_ms);
    if (err)
        return err;
    if (h.len > XENSTORE_PAYLOAD_MAX)
        return EPROTO;
    struct xsc_msg *m = malloc(sizeof(*m) + h.len + 1);
    if (!m)
        return ENOMEM;
    m->next = NULL;
    m->hdr = h;
    err = read_all(c->fd, m->body, h.len, timeout_ms < 0 ? -1 : 5000);
    if (err) {
        free(m);
        return err;
    }
    m->body[h.len] = 0;
    *out = m;
    return 0;
}

int xsc_errno(const char *name)
{
    for (size_t i = 0; i < XSD_ERRORS_COUNT; i++)
        if (!strcmp(xsd_errors[i].errstring, name))
            return xsd_errors[i].errnum;
    return EINVAL;
}

int xsc_call(struct xsc *c, uint32_t type, uint32_t tx, const void *body, uint32_t len, struct xsc_msg **reply)
{
    uint32_t id = c->next_req++;
    *reply = NULL;
    int err = xsc_send(c, type, id, tx, body, len);
    if (err)
        return err;
    for (;;) {
        struct xsc_msg *m;
        err = xsc_recv(c, &m, -1);
        if (err)
            return err;
        if (m->hdr.type == XS_WATCH_EVENT) {
            if (c->events_tail)
                c->events_tail->next = m;
            else
                c->events = m;
            c->events_tail = m;
            continue;
        }
        if (m->hdr.req_id != id) {
            free(m);
            return EPROTO;
        }
        if (m->hdr.type == XS_ERROR) {
            err = xsc_errno(m->body);
            free(m);
            return err;
        }
        *reply = m;
        return 0;
    }
}

int xsc_pack(char *buf, size_t size, uint32_t *len, va_list ap)
{
    const char *s;
    *len = 0;
    while ((s = va_arg(ap, const char *))) {
        size_t l = strlen(s) + 1;
        if (*len + l > size)
            return E2BIG;
        memcpy(buf + *len, s, l);
        *len += (uint32_t)l;
    }
    return 0;
}

int xsc_callv(struct xsc *c, uint32_t type, uint32_t tx, struct xsc_msg **reply, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t len;
    va_list ap;
    va_start(ap, reply);
    int err = xsc_pack(buf, sizeof(buf), &len, ap);
    va_end(ap);
    return err ? err : xsc_call(c, type, tx, buf, len, reply);
}

int xsc_event(struct xsc *c, struct xsc_msg **ev, int timeout_ms)
{
    if (c->events) {
        *ev = c->events;
        c->events = c->events->next;
        if (!c->events)
            c->events_tail = NULL;
        (*ev)->next = NULL;
        return 0;
    }
    for (;;) {
        struct xsc_msg *m;
        int err = xsc_recv(c, &m, timeout_ms);
        if (err)
            return err;
        if (m->hdr.type == XS_WATCH_EVENT) {
            *ev = m;
            return 0;
        }
        free(m);        /* a stray reply: nobody waits for it */
    }
}

const char *xsc_string(const struct xsc_msg *m, unsigned int n)
{
    uint32_t off = 0;
    while (off < m->hdr.len) {
        const char *s = m->body + off;
        size_t l = strnlen(s, m->hdr.len - off);
        if (off + l >= m->hdr.len)
            return NULL;    /* not NUL-terminated */
        if (n-- == 0)
            return s;
        off += (uint32_t)l + 1;
    }
    return NULL;
}
