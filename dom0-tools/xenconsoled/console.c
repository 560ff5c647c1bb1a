/* SPDX-License-Identifier: MIT */
/*
 * One guest console: connect it from xenstore (console/ring-ref,
 * console/port, console/limit, console/type), move bytes between its page
 * and its pty and log, and tear it down.  Xen's behaviour
 * (tools/console/daemon/io.c) with a bounded, oldest-dropping buffer.
 */
#include "xenconsoled.h"
#include "log.h"
#include "ring.h"
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <xen/grant_table.h>

/* Log a failure once per distinct message (retries on every event stay quiet). */
static void fail_once(struct xcd_domain *dom, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_once(struct xcd_domain *dom, const char *fmt, ...)
{
    char msg[sizeof(dom->last_error)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!strcmp(msg, dom->last_error))
        return;
    snprintf(dom->last_error, sizeof(dom->last_error), "%s", msg);
    xcd_log(XCD_ERR, "domain %u: %s", dom->domid, msg);
}

struct xcd_domain *xcd_domain_new(uint32_t domid)
{
    struct xcd_domain *dom = calloc(1, sizeof(*dom));
    if (!dom)
        return NULL;
    dom->domid = domid;
    snprintf(dom->xspath, sizeof(dom->xspath), "/local/domain/%u/console", domid);
    dom->local_port = -1;
    dom->master_fd = dom->slave_fd = dom->log_fd = -1;
    dom->pfd_index = -1;
    xcd_buffer_init(&dom->out, 0);
    return dom;
}

void xcd_domain_free(struct xcd_domain *dom)
{
    xcd_buffer_free(&dom->out);
    free(dom);
}

bool xcd_console_connected(const struct xcd_domain *dom)
{
    return dom->intf && dom->local_port >= 0;
}

static int node_path(char *buf, size_t size, const struct xcd_domain *dom, const char *leaf)
{
    int n = snprintf(buf, size, "%s/%s", dom->xspath, leaf);
    return n < 0 || (size_t)n >= size ? ENAMETOOLONG : 0;
}

static int read_leaf_ulong(struct xcd *d, const struct xcd_domain *dom, const char *leaf, unsigned long *v)
{
    char path[96];
    int err = node_path(path, sizeof(path), dom, leaf);
    return err ? err : xcd_xs_read_ulong(&d->xs, path, v);
}

static void unmap_ring(struct xcd *d, struct xcd_domain *dom)
{
    if (!dom->intf)
        return;
    int rc = d->be.unmap(&d->be, dom->intf, dom->grant_mapped);
    if (rc < 0)
        xcd_log(XCD_ERR, "domain %u: unmapping the console page (%s): %s", dom->domid,
                dom->grant_mapped ? "grant" : "frame", strerror(-rc));
    dom->intf = NULL;
    dom->ring_broken = false;
}

static void unbind_port(struct xcd *d, struct xcd_domain *dom)
{
    if (dom->local_port < 0)
        return;
    int rc = d->be.unbind(&d->be, (uint32_t)dom->local_port);
    if (rc < 0)
        xcd_log(XCD_ERR, "domain %u: unbinding local port %d: %s", dom->domid, dom->local_port, strerror(-rc));
    dom->local_port = -1;
}

/* Grant 0 first (the page stays the guest's to revoke), then the frame itself. */
static int map_ring(struct xcd *d, struct xcd_domain *dom, uint64_t ring_ref)
{
    int gerr = 0, ferr = 0;
    void *p = d->be.map_grant(&d->be, dom->domid, &gerr);
    if (p) {
        dom->grant_mapped = true;
    } else {
        xcd_log(XCD_DEBUG, "domain %u: grant %u not mappable (%s); mapping frame %#llx", dom->domid,
                GNTTAB_RESERVED_CONSOLE, strerror(-gerr), (unsigned long long)ring_ref);
        p = d->be.map_frame(&d->be, dom->domid, ring_ref, &ferr);
        if (!p) {
            fail_once(dom, "cannot map the console page: grant %u: %s; frame %#llx: %s", GNTTAB_RESERVED_CONSOLE,
                      strerror(-gerr), (unsigned long long)ring_ref, strerror(-ferr));
            return ferr;
        }
        dom->grant_mapped = false;
    }
    dom->intf = p;
    dom->ring_ref = ring_ref;
    return 0;
}

static void open_log(struct xcd *d, struct xcd_domain *dom)
{
    char path[PATH_MAX], namepath[80], *name = NULL;
    snprintf(namepath, sizeof(namepath), "/local/domain/%u/name", dom->domid);
    int err = xcd_xs_read(&d->xs, namepath, &name);
    if (err)
        xcd_log(XCD_WARN, "domain %u: no name in xenstore (%s): logging as guest-dom%u.log", dom->domid,
                strerror(err), dom->domid);
    int bad = xcd_guest_log_path(path, sizeof(path), d->opt.log_dir, name, dom->domid);
    free(name);
    if (bad) {
        fail_once(dom, "log file name too long under %s", d->opt.log_dir);
        return;
    }
    int fd = xcd_logfile_open(path, d->opt.stamp_guest, &dom->stamper);
    if (fd < 0) {
        fail_once(dom, "cannot open log %s: %s", path, strerror(-fd));
        return;
    }
    dom->log_fd = fd;
    xcd_log(XCD_INFO, "domain %u: logging to %s", dom->domid, path);
}

static void close_log(struct xcd_domain *dom)
{
    if (dom->log_fd < 0)
        return;
    if (close(dom->log_fd) < 0)
        xcd_log(XCD_ERR, "domain %u: closing its log: %s", dom->domid, strerror(errno));
    dom->log_fd = -1;
}

void xcd_console_reopen_log(struct xcd *d, struct xcd_domain *dom)
{
    if (dom->closed || !d->opt.log_guest || dom->log_fd < 0)
        return;
    close_log(dom);
    open_log(d, dom);
}

static void remove_tty_node(struct xcd *d, struct xcd_domain *dom)
{
    char path[96];
    if (node_path(path, sizeof(path), dom, "tty"))
        return;
    int err = xcd_xs_rm(&d->xs, path);
    if (err && err != ENOENT)
        xcd_log(XCD_ERR, "domain %u: removing %s: %s", dom->domid, path, strerror(err));
}

static void close_pty(struct xcd_domain *dom)
{
    if (dom->master_fd >= 0)
        close(dom->master_fd);
    if (dom->slave_fd >= 0)
        close(dom->slave_fd);
    dom->master_fd = dom->slave_fd = -1;
    dom->tty[0] = 0;
}

static int open_pty(struct xcd *d, struct xcd_domain *dom)
{
    int err = xcd_pty_open(&dom->master_fd, &dom->slave_fd, dom->tty, sizeof(dom->tty));
    if (err) {
        fail_once(dom, "cannot open a pty: %s", strerror(err));
        return err;
    }
    char path[96];
    err = node_path(path, sizeof(path), dom, "tty");
    if (!err)
        err = xcd_xs_write(&d->xs, path, dom->tty);
    if (err) {
        fail_once(dom, "cannot write %s/tty = %s: %s", dom->xspath, dom->tty, strerror(err));
        close_pty(dom);
        return err;
    }
    xcd_log(XCD_INFO, "domain %u: console on %s", dom->domid, dom->tty);
    return 0;
}

static void finish_close(struct xcd *d, struct xcd_domain *dom);

void xcd_console_pty_broken(struct xcd *d, struct xcd_domain *dom)
{
    if (dom->closed) {
        finish_close(d, dom);   /* lingering for a reader that is gone */
        return;
    }
    xcd_log(XCD_WARN, "domain %u: pty %s failed; opening a new one", dom->domid, dom->tty);
    close_pty(dom);
    if (open_pty(d, dom))
        remove_tty_node(d, dom);
}

void xcd_console_update(struct xcd *d, struct xcd_domain *dom)
{
    unsigned long ring_ref, port, limit;
    char *type = NULL, path[96];
    if (dom->closed)
        return;
    int err = read_leaf_ulong(d, dom, "ring-ref", &ring_ref);
    if (!err)
        err = read_leaf_ulong(d, dom, "port", &port);
    if (err) {
        if (err != ENOENT)
            fail_once(dom, "reading %s/{ring-ref,port}: %s", dom->xspath, strerror(err));
        else if (xcd_console_connected(dom))
            xcd_console_close(d, dom, "its console nodes were removed", true);
        return;
    }
    if (port >= (1ul << 17)) {  /* beyond any 2-level or FIFO port number */
        fail_once(dom, "invalid console/port %lu", port);
        return;
    }
    /* Another backend (Xen: qemu's "ioemu") may own this console. */
    if (!node_path(path, sizeof(path), dom, "type") && !xcd_xs_read(&d->xs, path, &type)) {
        bool ours = !strcmp(type, "xenconsoled");
        free(type);
        if (!ours)
            return;
    }
    if (!read_leaf_ulong(d, dom, "limit", &limit))
        xcd_buffer_set_limit(&dom->out, limit);

    /* A guest that reconnects (new page or port, e.g. after kexec) is rebound. */
    if (dom->intf && dom->ring_ref != ring_ref) {
        unbind_port(d, dom);
        unmap_ring(d, dom);
    }
    if (dom->local_port >= 0 && dom->remote_port != port)
        unbind_port(d, dom);
    if (!dom->intf && map_ring(d, dom, ring_ref))
        return;
    if (dom->local_port < 0) {
        int lp = d->be.bind(&d->be, dom->domid, (uint32_t)port);
        if (lp < 0) {
            fail_once(dom, "cannot bind to its port %lu: %s", port, strerror(-lp));
            return;
        }
        dom->local_port = lp;
        dom->remote_port = (uint32_t)port;
        xcd_log(XCD_INFO, "domain %u: ring %s %#lx, port %lu -> local %d", dom->domid,
                dom->grant_mapped ? "grant 0, ref" : "frame", ring_ref, port, lp);
    }
    if (dom->master_fd < 0 && open_pty(d, dom))
        return;
    if (d->opt.log_guest && dom->log_fd < 0)
        open_log(d, dom);
    dom->last_error[0] = 0;
    /* Tell the guest its output is serviced (only newer guests look). */
    __atomic_store_n(&dom->intf->connection, XENCONSOLE_CONNECTED, __ATOMIC_RELEASE);
    xcd_console_service_ring(d, dom);
}

static void notify(struct xcd *d, struct xcd_domain *dom)
{
    int rc = d->be.notify(&d->be, (uint32_t)dom->local_port);
    if (rc < 0)
        fail_once(dom, "notify on local port %d: %s", dom->local_port, strerror(-rc));
}

static void to_log(struct xcd *d, struct xcd_domain *dom, const char *p, size_t n)
{
    if (dom->log_fd < 0)
        return;
    int err = xcd_logfile_write(dom->log_fd, d->opt.stamp_guest, &dom->stamper, p, n);
    if (err)
        fail_once(dom, "writing its log: %s", strerror(err));
}

static void to_buffer(struct xcd_domain *dom, const char *p, size_t n)
{
    long dropped = xcd_buffer_append(&dom->out, p, n);
    if (dropped < 0) {
        fail_once(dom, "out of memory buffering %zu bytes of output: dropped", n);
        return;
    }
    if (dropped && dom->slave_fd >= 0) {
        /*
         * Nobody reads fast enough.  What still waits in the pty's own
         * queue is older than anything kept here: drop it too, so that a
         * reader who attaches sees the newest output.
         */
        tcflush(dom->slave_fd, TCIFLUSH);
    }
    /* Report drops at most once per buffer-full of them. */
    if (dom->out.dropped - dom->drops_logged >= dom->out.limit || (dropped && !dom->drops_logged)) {
        xcd_log(XCD_WARN, "domain %u: console reader too slow: %llu oldest bytes dropped so far (limit %zu)",
                dom->domid, (unsigned long long)dom->out.dropped, dom->out.limit);
        dom->drops_logged = dom->out.dropped;
    }
}

void xcd_console_service_ring(struct xcd *d, struct xcd_domain *dom)
{
    char buf[2048];
    bool moved = false;
    if (!xcd_console_connected(dom) || dom->ring_broken)
        return;
    for (;;) {
        int n = xcd_ring_take_out(dom->intf, buf, sizeof(buf));
        if (n == XCD_RING_BROKEN) {
            fail_once(dom, "out ring indexes are corrupt (cons %u, prod %u): ignoring the ring",
                      dom->intf->out_cons, dom->intf->out_prod);
            dom->ring_broken = true;
            break;
        }
        if (n == 0)
            break;
        moved = true;
        /* The log first: it must not depend on anyone reading the pty. */
        to_log(d, dom, buf, (size_t)n);
        to_buffer(dom, buf, (size_t)n);
    }
    if (moved)
        notify(d, dom);     /* the guest may wait for ring space */
    xcd_console_flush_pty(d, dom);
}

void xcd_console_flush_pty(struct xcd *d, struct xcd_domain *dom)
{
    const char *p;
    size_t n;
    while (dom->master_fd >= 0 && (n = xcd_buffer_peek(&dom->out, &p))) {
        ssize_t w = write(dom->master_fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                xcd_console_pty_broken(d, dom);
            return;
        }
        xcd_buffer_consume(&dom->out, (size_t)w);
        dom->last_pty_write = xcd_now_ms();
    }
}

void xcd_console_pty_input(struct xcd *d, struct xcd_domain *dom)
{
    char buf[1024];
    if (!xcd_console_connected(dom) || dom->ring_broken || dom->master_fd < 0)
        return;
    size_t space = xcd_ring_in_space(dom->intf);
    if (!space)
        return;     /* the pty keeps it until the guest makes room */
    ssize_t n = read(dom->master_fd, buf, space < sizeof(buf) ? space : sizeof(buf));
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            xcd_console_pty_broken(d, dom);
        return;
    }
    if (n == 0)
        return;
    int put = xcd_ring_put_in(dom->intf, buf, (size_t)n);
    if (put == XCD_RING_BROKEN) {
        fail_once(dom, "in ring indexes are corrupt (cons %u, prod %u): ignoring the ring", dom->intf->in_cons,
                  dom->intf->in_prod);
        dom->ring_broken = true;
        return;
    }
    if (put < n)    /* cannot happen: we read no more than the space */
        fail_once(dom, "in ring took %d of %zd bytes", put, n);
    notify(d, dom);
}

long long xcd_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Output not yet read by anyone: ours, or in the pty's queue (TIOCINQ of the
 * slave).  Bytes written to the master reach that queue through the tty
 * layer's deferred flip-buffer work, so for a short while after a write
 * TIOCINQ can be 0 with the data still in flight: count that as unread.
 */
#define XCD_PTY_SETTLE_MS 300
static bool output_unread(const struct xcd_domain *dom)
{
    int queued = 0;
    if (dom->out.len || (dom->last_pty_write && xcd_now_ms() - dom->last_pty_write < XCD_PTY_SETTLE_MS))
        return true;
    return dom->slave_fd >= 0 && ioctl(dom->slave_fd, TIOCINQ, &queued) == 0 && queued > 0;
}

static void finish_close(struct xcd *d, struct xcd_domain *dom)
{
    close_pty(dom);         /* readers see hang-up */
    remove_tty_node(d, dom);
    xcd_buffer_free(&dom->out);
    dom->linger_until = 0;
}

bool xcd_console_linger(struct xcd *d, struct xcd_domain *dom, long long now)
{
    if (!dom->linger_until)
        return false;
    xcd_console_flush_pty(d, dom);
    if (dom->master_fd >= 0 && output_unread(dom) && now < dom->linger_until)
        return true;
    finish_close(d, dom);
    return false;
}

void xcd_console_close(struct xcd *d, struct xcd_domain *dom, const char *why, bool linger)
{
    if (dom->closed)
        return;
    xcd_log(XCD_INFO, "domain %u: closing its console: %s", dom->domid, why);
    /* What the guest wrote last (often why it died) still reaches the log and the pty. */
    xcd_console_service_ring(d, dom);
    close_log(dom);
    unbind_port(d, dom);
    unmap_ring(d, dom);
    dom->closed = true;
    if (linger && dom->master_fd >= 0 && output_unread(dom)) {
        dom->linger_until = xcd_now_ms() + XCD_LINGER_MS;
        return;
    }
    finish_close(d, dom);
}
