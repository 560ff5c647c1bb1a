/* SPDX-License-Identifier: MIT */
/*
 * The tools' UNIX socket (Xen: XEN_RUN_STORED/socket, mode 0600).  Every
 * socket connection speaks for the store domain and is privileged.  A
 * connection that breaks the protocol is closed (Xen's ignore_connection
 * drops socket connections at once).
 */
#define _GNU_SOURCE /* accept4 */
#include "daemon.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct sock_conn {
    struct sock_conn *next;
    int fd;
    int idx;                /* index in the poll array, -1 if none */
    bool dead;
    struct xs_conn *conn;
};

static int mkdir_p(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            return errno;
        *s = '/';
    }
    if (mkdir(p, 0755) < 0 && errno != EEXIST)
        return errno;
    return 0;
}

/* Another daemon answering on path? */
static bool someone_listens(const struct sockaddr_un *a)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    bool yes = connect(fd, (const struct sockaddr *)a, sizeof(*a)) == 0;
    close(fd);
    return yes;
}

/*
 * Xen's rundir is /var/run/xenstored; on Debian /var/run is /run.  Where
 * /var/run is a directory of its own, link /var/run/xenstored to ours so
 * that both paths reach the socket.
 */
static void var_run_link(struct daemon *dd, const char *dir)
{
    char vr[PATH_MAX], ours[PATH_MAX];
    if (!realpath("/var/run", vr) || !realpath(dir, ours))
        return;
    char want[PATH_MAX + 16];
    snprintf(want, sizeof(want), "%s/xenstored", vr);
    if (!strcmp(want, ours))
        return;                 /* /var/run is /run: same directory */
    struct stat st;
    if (lstat("/var/run/xenstored", &st) == 0)
        return;                 /* leave whatever is there */
    if (symlink(ours, "/var/run/xenstored") < 0)
        xsd_log(dd, "cannot link /var/run/xenstored to %s: %s", ours, strerror(errno));
}

int sock_listen(struct daemon *dd, const char *path, bool make_var_run_link)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(a.sun_path)) {
        xsd_log(dd, "socket path %s is too long", path);
        return ENAMETOOLONG;
    }
    strcpy(a.sun_path, path);
    char dir[sizeof(a.sun_path)];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        int err = mkdir_p(dir);
        if (err) {
            xsd_log(dd, "cannot create %s: %s", dir, strerror(err));
            return err;
        }
        if (make_var_run_link)
            var_run_link(dd, dir);
    }
    if (someone_listens(&a)) {
        xsd_log(dd, "another xenstored already listens on %s", path);
        return EADDRINUSE;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        xsd_log(dd, "socket: %s", strerror(errno));
        return errno;
    }
    if (unlink(path) < 0 && errno != ENOENT)
        xsd_log(dd, "cannot remove stale %s: %s", path, strerror(errno));
    /* Tools are privileged: only root may connect. */
    mode_t old = umask(0177);
    int r = bind(fd, (struct sockaddr *)&a, sizeof(a));
    umask(old);
    if (r < 0 || listen(fd, 64) < 0) {
        int e = errno;
        xsd_log(dd, "cannot listen on %s: %s", path, strerror(e));
        close(fd);
        return e;
    }
    if (chmod(path, 0600) < 0)
        xsd_log(dd, "chmod %s: %s", path, strerror(errno));
    dd->listen_fd = fd;
    snprintf(dd->sock_path, sizeof(dd->sock_path), "%s", path);
    return 0;
}

void sock_close_listener(struct daemon *dd)
{
    if (dd->listen_fd < 0)
        return;
    close(dd->listen_fd);
    dd->listen_fd = -1;
    if (dd->sock_path[0] && unlink(dd->sock_path) < 0 && errno != ENOENT)
        xsd_log(dd, "cannot remove %s: %s", dd->sock_path, strerror(errno));
}

void sock_accept(struct daemon *dd)
{
    static unsigned int serial;
    for (;;) {
        int fd = accept4(dd->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                xsd_log(dd, "accept: %s", strerror(errno));
            return;
        }
        struct sock_conn *sc = calloc(1, sizeof(*sc));
        char name[32];
        snprintf(name, sizeof(name), "socket%u", ++serial);
        struct xs_conn *c = sc ? xs_conn_new(&dd->srv, dd->srv.priv_domid, NULL, name) : NULL;
        if (!c) {
            xsd_log(dd, "no memory for a new connection: closing it");
            free(sc);
            close(fd);
            continue;
        }
        sc->fd = fd;
        sc->idx = -1;
        sc->conn = c;
        c->transport = sc;
        sc->next = dd->socks;
        dd->socks = sc;
    }
}

int sock_pollfds(struct daemon *dd, struct pollfd *pfd, int max)
{
    int n = 0;
    for (struct sock_conn *sc = dd->socks; sc; sc = sc->next) {
        sc->idx = -1;
        if (n == max || sc->dead)
            continue;
        pfd[n].fd = sc->fd;
        pfd[n].events = (short)((xs_conn_can_read(sc->conn) ? POLLIN : 0) | (sc->conn->out_head ? POLLOUT : 0));
        pfd[n].revents = 0;
        sc->idx = n++;
    }
    return n;
}

static void read_input(struct daemon *dd, struct sock_conn *sc)
{
    while (!sc->dead && xs_conn_can_read(sc->conn)) {
        size_t want;
        void *buf = xs_conn_in_buf(sc->conn, &want);
        if (!want)
            return;
        ssize_t n = read(sc->fd, buf, want);
        if (n > 0) {
            xs_conn_in_done(sc->conn, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n < 0)
            xsd_log(dd, "%s: read: %s", sc->conn->name, strerror(errno));
        sc->dead = true;        /* EOF or error: the tool went away */
    }
}

static void write_output(struct daemon *dd, struct sock_conn *sc)
{
    size_t len;
    const void *p;
    while (!sc->dead && (p = xs_conn_out_buf(sc->conn, &len)) != NULL) {
        ssize_t n = send(sc->fd, p, len, MSG_NOSIGNAL);
        if (n > 0) {
            xs_conn_out_done(sc->conn, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n < 0 && errno != EPIPE && errno != ECONNRESET)
            xsd_log(dd, "%s: write: %s", sc->conn->name, strerror(errno));
        sc->dead = true;
    }
}

void sock_handle(struct daemon *dd, const struct pollfd *pfd, int n)
{
    for (struct sock_conn *sc = dd->socks; sc; sc = sc->next) {
        if (sc->idx < 0 || sc->idx >= n || sc->dead)
            continue;
        short re = pfd[sc->idx].revents;
        if (re & POLLIN)
            read_input(dd, sc);
        if (re & POLLOUT)
            write_output(dd, sc);
        if ((re & (POLLERR | POLLNVAL)) || ((re & POLLHUP) && !(re & POLLIN)))
            sc->dead = true;
    }
}

static void reap(struct daemon *dd)
{
    for (struct sock_conn **p = &dd->socks; *p;) {
        struct sock_conn *sc = *p;
        if (!sc->dead && !sc->conn->bad) {
            p = &sc->next;
            continue;
        }
        *p = sc->next;
        if (dd->verbose || sc->conn->bad)
            xsd_log(dd, "%s: closed%s", sc->conn->name, sc->conn->bad ? " (protocol error)" : "");
        xs_conn_free(sc->conn);
        close(sc->fd);
        free(sc);
    }
}

void sock_flush_all(struct daemon *dd)
{
    for (struct sock_conn *sc = dd->socks; sc; sc = sc->next)
        if (sc->conn->out_head)
            write_output(dd, sc);
    reap(dd);
}

void sock_close_all(struct daemon *dd)
{
    for (struct sock_conn *sc = dd->socks; sc; sc = sc->next)
        sc->dead = true;
    reap(dd);
}
