/* SPDX-License-Identifier: MIT */
/*
 * xenconsole: attach the terminal to a domain's console pty.
 *
 *   xenconsole [-h] [--type pv] [-n|--num N] [--timeout SECONDS] [--escape C] DOMID
 *
 * As Xen's client (tools/console/client/main.c): waits for xenconsoled to
 * publish /local/domain/DOMID/console/tty (`xm create -c` races the daemon),
 * opens it, makes the terminal raw when stdin is one (restored on every way
 * out), and copies both ways.  Ctrl-] (or --escape) detaches: status 0.
 * When the console goes away (the pty hangs up, or the tty node is removed
 * and no hang-up follows within a few seconds) it says so and exits 0.
 * No console: "Could not read tty from store: ..." and status 1.  Usage
 * errors: status 2.
 */
#include "options.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* After the tty node goes, how long the pty may still deliver the last output. */
#define GONE_GRACE_MS 3000

static struct termios saved_term;
static bool term_saved;
static volatile sig_atomic_t got_signal;

static void restore_term(void)
{
    if (term_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_term);
    term_saved = false;
}

static void on_signal(int sig)
{
    got_signal = sig;
}

/* Messages start on a fresh line: the terminal may be raw (no \n -> \r\n). */
static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    restore_term();
    fprintf(stderr, "xenconsole: %s\n", msg);
    exit(status);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            poll(&pfd, 1, 1000);
            continue;
        }
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Drain queued watch events (we watch one path: their content does not matter). */
static int drain_events(struct xsc *xs)
{
    struct xsc_msg *m;
    int err;
    while ((err = xsc_event(xs, &m, 0)) == 0)
        free(m);
    return err == ETIMEDOUT ? 0 : err;
}

/* Open the pty named at path: its fd, or -errno (-ENOENT: no such node or empty). */
static int open_tty(struct xsc *xs, const char *path, char *name, size_t size)
{
    char *tty;
    int err = xcd_xs_read(xs, path, &tty);
    if (err)
        return -err;
    if (!*tty) {
        free(tty);
        return -ENOENT;
    }
    snprintf(name, size, "%s", tty);
    free(tty);
    int fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

/* Wait up to timeout_s for the tty node and open it; fd or -errno. */
static int wait_tty(struct xsc *xs, const char *path, unsigned int timeout_s, char *name, size_t size)
{
    long long deadline = now_ms() + 1000LL * timeout_s;
    for (;;) {
        int fd = open_tty(xs, path, name, size);
        if (fd >= 0 || (fd != -ENOENT && fd != -EIO) || got_signal)
            return fd;
        long long left = deadline - now_ms();
        if (left <= 0)
            return fd;
        struct pollfd pfd = { .fd = xs->fd, .events = POLLIN };
        /* The watch tells when the node appears; the cap re-checks anyway. */
        if (!xs->events && poll(&pfd, 1, left < 500 ? (int)left : 500) < 0 && errno != EINTR)
            return -errno;
        int err = drain_events(xs);
        if (err)
            return -err;
    }
}

static void raw_stdin(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_term) < 0)
        return;
    struct termios t = saved_term;
    cfmakeraw(&t);
    term_saved = true;
    atexit(restore_term);
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) < 0)
        term_saved = false;
}

struct session {
    struct xsc *xs;
    const char *path;
    unsigned int domid;
    char escape;
    int pty;
    char tty[64];
    bool stdin_open;
    long long gone_since;   /* tty node removed at (ms), 0: present */
};

/* stdin -> pty; true when the escape character was typed. */
static bool from_stdin(struct session *s)
{
    char buf[512];
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return false;
    if (n <= 0 && isatty(STDIN_FILENO))
        die(0, "the terminal went away");
    if (n <= 0) {
        /* End of piped input: keep showing the console (Xen reads no stdin then). */
        s->stdin_open = false;
        return false;
    }
    char *esc = memchr(buf, s->escape, (size_t)n);
    size_t len = esc ? (size_t)(esc - buf) : (size_t)n;
    if (len && !write_all(s->pty, buf, len))
        die(0, "the console of domain %u went away", s->domid);
    return esc != NULL;
}

/* pty -> stdout; false when the pty hung up. */
static bool from_pty(struct session *s)
{
    char buf[4096];
    ssize_t n = read(s->pty, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;   /* EIO: the daemon closed its side */
    if (!write_all(STDOUT_FILENO, buf, (size_t)n))
        die(1, "writing to stdout: %s", strerror(errno));
    return true;
}

/* The tty node changed: follow a new pty, or note that it is gone. */
static void tty_changed(struct session *s)
{
    char name[64];
    int fd = open_tty(s->xs, s->path, name, sizeof(name));
    if (fd < 0) {
        if (!s->gone_since)
            s->gone_since = now_ms();
        return;
    }
    s->gone_since = 0;
    if (!strcmp(name, s->tty)) {
        close(fd);
        return;
    }
    close(s->pty);
    s->pty = fd;
    snprintf(s->tty, sizeof(s->tty), "%s", name);
}

static int console_loop(struct session *s)
{
    for (;;) {
        if (got_signal)
            die(0, "signal %d: detached from domain %u", (int)got_signal, s->domid);
        struct pollfd pfd[3] = {
            { .fd = s->pty, .events = POLLIN },
            { .fd = s->xs->fd, .events = POLLIN },
            { .fd = s->stdin_open ? STDIN_FILENO : -1, .events = POLLIN },
        };
        int timeout = -1;
        if (s->gone_since) {
            long long left = s->gone_since + GONE_GRACE_MS - now_ms();
            if (left <= 0)
                die(0, "the console of domain %u went away", s->domid);
            timeout = (int)left;
        }
        if (s->xs->events)
            timeout = 0;
        if (poll(pfd, 3, timeout) < 0) {
            if (errno == EINTR)
                continue;
            die(1, "poll: %s", strerror(errno));
        }
        if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!from_pty(s)) {
                /* Only a new pty already published (the daemon replaced a broken one) keeps us. */
                char old[sizeof(s->tty)];
                memcpy(old, s->tty, sizeof(old));
                tty_changed(s);
                if (s->gone_since || !strcmp(old, s->tty))
                    die(0, "the console of domain %u went away", s->domid);
                continue;
            }
        }
        if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR) && from_stdin(s))
            return 0;
        if (pfd[1].revents & (POLLHUP | POLLERR))
            die(1, "lost the connection to xenstore");
        if ((pfd[1].revents & POLLIN) || s->xs->events) {
            int err = drain_events(s->xs);
            if (err)
                die(1, "lost the connection to xenstore: %s", strerror(err));
            tty_changed(s);
        }
    }
}

int main(int argc, char **argv)
{
    struct xcc_options o;
    char msg[1024], path[96];
    int st = xcd_parse_status(xcc_parse_options(argc, argv, &o, msg, sizeof(msg)), msg);
    if (st >= 0)
        return st;
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    struct xsc xs;
    int err = xsc_open(&xs, NULL);
    if (err)
        die(1, "Could not contact XenStore: %s", strerror(err));
    if (xcc_tty_path(&o, path, sizeof(path)))
        die(1, "console path too long");
    char home[40], *val;
    snprintf(home, sizeof(home), "/local/domain/%u", o.domid);
    /* No such domain: say so at once rather than after the timeout. */
    err = xcd_xs_read(&xs, home, &val);
    if (err)
        die(1, "Could not read tty from store: %s", strerror(err));
    free(val);
    err = xcd_xs_watch(&xs, path, "tty");
    if (err)
        die(1, "Can't set watch for console pty: %s", strerror(err));

    struct session s = { .xs = &xs, .path = path, .domid = o.domid, .escape = o.escape, .stdin_open = true };
    int fd = wait_tty(&xs, path, o.timeout_s, s.tty, sizeof(s.tty));
    if (fd < 0)
        die(1, "Could not read tty from store: %s", strerror(-fd));
    s.pty = fd;
    struct termios t;
    /* The daemon makes it raw already; a pty from elsewhere may not be. */
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    raw_stdin();
    int rc = console_loop(&s);
    restore_term();
    close(s.pty);
    xsc_close(&xs);
    return rc;
}
