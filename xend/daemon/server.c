/* SPDX-License-Identifier: MIT */
/*
 * The poll loop (xend.h): xm's connections, the @releaseDomain watch and
 * the one-second timer. A connection carries one request and one answer
 * (protocol.h); answers are written without blocking.
 */
#define _GNU_SOURCE
#include "xend.h"
#include "xlog.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct client {
    struct client *next;
    int fd;
    struct strbuf in, out;
    size_t out_off;
    bool waiting;               /* a waiter will answer */
    bool replied;
};

int server_listen(struct xend *x, struct xerr *e)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    const char *path = x->socket_path;

    if (strlen(path) >= sizeof(a.sun_path)) {
        xerr_set(e, XEND_E_INTERNAL, "socket path %s is too long", path);
        return -1;
    }
    xlog_make_parent(path);
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        xerr_set(e, XEND_E_INTERNAL, "socket: %s", strerror(errno));
        return -1;
    }
    /* A socket left by a xend that died: nobody answers on it, so it may go. */
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe >= 0) {
        if (connect(probe, (struct sockaddr *)&a, sizeof(a)) == 0) {
            close(probe);
            close(fd);
            xerr_set(e, XEND_E_BUSY, "another xend is listening on %s", path);
            return -1;
        }
        close(probe);
    }
    unlink(path);
    mode_t old = umask(077);    /* root only, like xend's unix socket */
    int rc = bind(fd, (struct sockaddr *)&a, sizeof(a));
    umask(old);
    if (rc < 0 || listen(fd, 64) < 0) {
        xerr_set(e, XEND_E_INTERNAL, "cannot listen on %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    x->listen_fd = fd;
    xlog_info("Listening on %s.", path);
    return 0;
}

static void client_free(struct client *c)
{
    close(c->fd);
    sb_free(&c->in);
    sb_free(&c->out);
    free(c);
}

static void reply(struct client *c, const struct json *result, const struct xerr *e)
{
    struct strbuf err = STRBUF_INIT;
    int rc = e ? xend_response_encode_error(e->code, e->msg, &c->out, &err)
               : xend_response_encode_ok(result, &c->out, &err);

    if (rc < 0) {
        xlog_error("cannot encode a response: %s", sb_str(&err));
        sb_reset(&c->out);
        sb_reset(&err);
        xend_response_encode_error(XEND_E_INTERNAL, "xend could not encode its answer", &c->out,
                                   &err);
    }
    sb_free(&err);
    c->replied = true;
    c->waiting = false;
}

bool waiter_done(struct xend *x, const struct waiter *w)
{
    for (size_t i = 0; i < w->n; i++) {
        if (w->until_hv_gone) {
            struct hv_dominfo info;
            if (x->hv->ops->getinfo(x->hv, w->domids[i], &info) == 0)
                return false;
            continue;
        }
        /* Shut down: its domid no longer runs this domain (gone, or restarted elsewhere). */
        struct xdom *d = xdom_by_uuid(x, w->uuids[i]);
        if (d && d->active && d->domid == w->domids[i])
            return false;
    }
    return true;
}

static void check_waiters(struct xend *x)
{
    for (struct waiter **p = &x->waiters; *p;) {
        struct waiter *w = *p;
        if (!waiter_done(x, w)) {
            if (!w->deadline || xend_now() < w->deadline) {
                p = &w->next;
                continue;
            }
            struct xerr e;
            xerr_set(&e, XEND_E_TIMEOUT, "Domain %u is still dying after 60 seconds; the "
                     "hypervisor has not released it yet.", w->domids[0]);
            xlog_error("%s", e.msg);
            reply(w->client, NULL, &e);
        } else {
            struct json *null = json_null();
            reply(w->client, null, NULL);
            json_free(null);
        }
        *p = w->next;
        free(w);
    }
}

static void drop_waiters_of(struct xend *x, struct client *c)
{
    for (struct waiter **p = &x->waiters; *p;) {
        struct waiter *w = *p;
        if (w->client == c) {
            *p = w->next;
            free(w);
        } else {
            p = &w->next;
        }
    }
}

static void handle_request(struct xend *x, struct client *c)
{
    struct xend_request req;
    struct strbuf err = STRBUF_INIT;
    struct xerr e;
    struct waiter *w = NULL;

    if (xend_request_decode(c->in.buf, c->in.len, &req, &err) < 0) {
        xerr_set(&e, XEND_E_BAD_REQUEST, "Malformed request: %s", sb_str(&err));
        reply(c, NULL, &e);
        sb_free(&err);
        return;
    }
    sb_free(&err);
    xlog_debug("request %s", req.cmd);
    struct json *result = xend_dispatch(x, req.cmd, req.args, &e, &w);
    if (result) {
        reply(c, result, NULL);
        json_free(result);
    } else if (w) {
        w->client = c;
        c->waiting = true;
        w->next = x->waiters;
        x->waiters = w;
    } else {
        reply(c, NULL, &e);
    }
    xend_request_free(&req);
}

/* Read what is there; true when the connection should close. */
static bool client_read(struct xend *x, struct client *c)
{
    char buf[65536];

    for (;;) {
        ssize_t n = read(c->fd, buf, sizeof(buf));
        if (n < 0)
            return errno != EAGAIN && errno != EINTR;
        if (n == 0)
            return true;
        if (c->replied || c->waiting)
            continue;   /* one request per connection: ignore the rest */
        sb_putn(&c->in, buf, (size_t)n);
        if (c->in.len > XEND_MSG_MAX) {
            struct xerr e;
            xerr_set(&e, XEND_E_BAD_REQUEST, "Request longer than %u bytes", XEND_MSG_MAX);
            reply(c, NULL, &e);
            return false;
        }
        if (memchr(c->in.buf, '\n', c->in.len)) {
            handle_request(x, c);
            return false;
        }
    }
}

/* Write what is pending; true when done (or failed) and the connection should close. */
static bool client_write(struct client *c)
{
    while (c->out_off < c->out.len) {
        ssize_t n = send(c->fd, c->out.buf + c->out_off, c->out.len - c->out_off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0)
            return errno != EAGAIN && errno != EINTR;
        c->out_off += (size_t)n;
    }
    return true;
}

static void accept_clients(struct xend *x)
{
    for (;;) {
        int fd = accept4(x->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR)
                xlog_error("accept on %s: %s", x->socket_path, strerror(errno));
            return;
        }
        struct client *c = xcalloc(1, sizeof(*c));
        c->fd = fd;
        c->next = x->clients;
        x->clients = c;
    }
}

/* Drain watch events; true if @releaseDomain fired. */
static bool read_watch(struct xend *x)
{
    bool fired = false;
    struct xsc_msg *ev;

    while (xsc_event(&x->xsw, &ev, 0) == 0) {
        fired = true;
        free(ev);
    }
    return fired;
}

void server_run(struct xend *x)
{
    struct timespec last;
    clock_gettime(CLOCK_MONOTONIC, &last);

    while (!x->xenstore_lost && !(x->stop && xdom_stop_ready(x))) {
        size_t nc = 0;
        for (struct client *c = x->clients; c; c = c->next)
            nc++;
        struct pollfd *pfd = xcalloc(nc + 2, sizeof(*pfd));
        struct client **who = xcalloc(nc + 1, sizeof(*who));
        pfd[0] = (struct pollfd){ .fd = x->listen_fd, .events = POLLIN };
        pfd[1] = (struct pollfd){ .fd = x->xsw.fd, .events = POLLIN };
        size_t k = 2;
        for (struct client *c = x->clients; c; c = c->next, k++) {
            who[k - 2] = c;
            pfd[k] = (struct pollfd){ .fd = c->fd, .events = c->replied ? POLLOUT : POLLIN };
        }
        int n = poll(pfd, k, 1000);
        if (n < 0 && errno != EINTR)
            xlog_error("poll: %s", strerror(errno));
        bool check = false;
        if (n > 0 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (pfd[1].revents & (POLLHUP | POLLERR)) {
                xlog_error("The connection to xenstored is gone; xend stops.");
                x->xenstore_lost = true;
            }
            check = read_watch(x) || check;
        }
        for (size_t i = 2; n > 0 && i < k; i++) {
            struct client *c = who[i - 2];
            bool close_it = false;
            if (pfd[i].revents & POLLIN)
                close_it = client_read(x, c);
            else if (pfd[i].revents & (POLLHUP | POLLERR))
                close_it = true;
            if (!close_it && c->replied)
                close_it = client_write(c);
            if (close_it) {
                drop_waiters_of(x, c);
                for (struct client **p = &x->clients; *p; p = &(*p)->next) {
                    if (*p == c) {
                        *p = c->next;
                        break;
                    }
                }
                client_free(c);
            }
        }
        free(pfd);
        free(who);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - last.tv_sec + (now.tv_nsec - last.tv_nsec) / 1e9 >= 1.0) {
            last = now;
            check = true;
        }
        if (check)
            xdom_check_all(x);
        if (x->waiters)
            check_waiters(x);
        if (n > 0)
            accept_clients(x);
    }
}

void server_close(struct xend *x)
{
    while (x->clients) {
        struct client *c = x->clients;
        x->clients = c->next;
        drop_waiters_of(x, c);
        client_free(c);
    }
    if (x->listen_fd >= 0) {
        close(x->listen_fd);
        unlink(x->socket_path);
    }
    x->listen_fd = -1;
}
