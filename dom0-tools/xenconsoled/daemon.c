/* SPDX-License-Identifier: MIT */
/*
 * Finding guest consoles and the poll loop.  As Xen's xenconsoled: watches
 * on @introduceDomain and @releaseDomain (token "domlist") make us rescan
 * /local/domain; a watch per domain on its console/ directory (token
 * "dom<N>") (re)connects the console when the toolstack writes it.  A
 * domain that leaves /local/domain, or that the hypervisor reports shut
 * down, dying or gone, has its console closed.  Once a second every
 * console's ring is looked at anyway (an event lost while a port was being
 * bound must not leave output stuck) and the hypervisor's log is read.
 */
#include "xenconsoled.h"
#include "log.h"
#include "ring.h"
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SWEEP_MS 1000
#define DOMLIST_TOKEN "domlist"

static struct xcd_domain *find_domain(struct xcd *d, uint32_t domid)
{
    for (struct xcd_domain *dom = d->domains; dom; dom = dom->next)
        if (dom->domid == domid)
            return dom;
    return NULL;
}

static struct xcd_domain *find_port(struct xcd *d, int port)
{
    for (struct xcd_domain *dom = d->domains; dom; dom = dom->next)
        if (!dom->closed && dom->local_port == port)
            return dom;
    return NULL;
}

static void watch_console(struct xcd *d, struct xcd_domain *dom, bool on)
{
    char token[16];
    snprintf(token, sizeof(token), "dom%u", dom->domid);
    int err = on ? xcd_xs_watch(&d->xs, dom->xspath, token) : xcd_xs_unwatch(&d->xs, dom->xspath, token);
    if (err)
        xcd_log(XCD_ERR, "domain %u: xenstore %s %s: %s", dom->domid, on ? "watch" : "unwatch", dom->xspath,
                strerror(err));
    else
        dom->watching = on;
}

static const char *state_name(enum xcd_dom_state st)
{
    static const char *const names[] = { "running", "shut down", "dying", "gone" };
    return names[st];
}

/* The hypervisor's view; a failure to ask counts as running (never close on doubt). */
static enum xcd_dom_state state_of(struct xcd *d, uint32_t domid)
{
    enum xcd_dom_state st;
    int rc = d->be.domain_state(&d->be, domid, &st);
    if (rc < 0) {
        xcd_log(XCD_ERR, "domain %u: getdomaininfo: %s", domid, strerror(-rc));
        return XCD_DOM_RUNNING;
    }
    return st;
}

/* A closed console needs no watch any more. */
static void settle(struct xcd *d, struct xcd_domain *dom)
{
    if (dom->closed && dom->watching)
        watch_console(d, dom, false);
}

static void close_domain(struct xcd *d, struct xcd_domain *dom, const char *why)
{
    xcd_console_close(d, dom, why, true);
    settle(d, dom);
}

static void check_state(struct xcd *d, struct xcd_domain *dom)
{
    if (dom->closed)
        return;
    enum xcd_dom_state st = state_of(d, dom->domid);
    if (st != XCD_DOM_RUNNING) {
        char why[48];
        snprintf(why, sizeof(why), "the domain is %s", state_name(st));
        close_domain(d, dom, why);
    }
}

static bool parse_domid(const char *s, uint32_t *domid)
{
    char *end;
    if (*s < '0' || *s > '9')
        return false;
    unsigned long v = strtoul(s, &end, 10);
    /* DOMID_FIRST_RESERVED (0x7ff0) and up are not domains. */
    if (*end || v >= 0x7ff0)
        return false;
    *domid = (uint32_t)v;
    return true;
}

static void add_domain(struct xcd *d, uint32_t domid)
{
    enum xcd_dom_state st = state_of(d, domid);
    struct xcd_domain *dom = xcd_domain_new(domid);
    if (!dom) {
        xcd_log(XCD_ERR, "domain %u: out of memory for its record", domid);
        return;
    }
    dom->next = d->domains;
    d->domains = dom;
    dom->listed = true;
    if (st != XCD_DOM_RUNNING) {
        /* Already on its way out: never attach to it. */
        xcd_log(XCD_INFO, "domain %u: %s; not attaching", domid, state_name(st));
        dom->closed = true;
        return;
    }
    xcd_log(XCD_INFO, "domain %u: new", domid);
    watch_console(d, dom, true);
    xcd_console_update(d, dom);
}

/* Forget domains that left /local/domain once their pty has been let go. */
static void reap(struct xcd *d)
{
    for (struct xcd_domain **pp = &d->domains; *pp;) {
        struct xcd_domain *dom = *pp;
        if (dom->closed && !dom->listed && !dom->linger_until) {
            *pp = dom->next;
            xcd_domain_free(dom);
        } else {
            pp = &dom->next;
        }
    }
}

/* Lingering consoles whose output was read (or who waited long enough) let go of their pty. */
static bool linger(struct xcd *d)
{
    bool any = false;
    long long now = xcd_now_ms();
    for (struct xcd_domain *dom = d->domains; dom; dom = dom->next)
        any |= xcd_console_linger(d, dom, now);
    reap(d);
    return any;
}

/*
 * A closed console whose domain runs again: domain ids are reused, so this
 * is a new domain whose tree appeared before the old one's removal was
 * seen (or a toolstack that rewrote the console).  Start afresh.
 */
static void renew(struct xcd *d)
{
    for (struct xcd_domain **pp = &d->domains; *pp;) {
        struct xcd_domain *dom = *pp;
        if (dom->closed && dom->listed && !dom->linger_until && state_of(d, dom->domid) == XCD_DOM_RUNNING) {
            uint32_t domid = dom->domid;
            *pp = dom->next;
            xcd_domain_free(dom);
            xcd_log(XCD_INFO, "domain %u: running again: a new domain", domid);
            add_domain(d, domid);   /* links it at the head: already past */
            continue;
        }
        pp = &dom->next;
    }
}

static void scan(struct xcd *d)
{
    char *names = NULL;
    size_t len = 0;
    int err = xcd_xs_directory(&d->xs, "/local/domain", &names, &len);
    if (err && err != ENOENT) {
        xcd_log(XCD_ERR, "xenstore directory /local/domain: %s", strerror(err));
        if (err == EPIPE || err == ECONNRESET)
            d->xs_lost = true;
        return;
    }
    for (struct xcd_domain *dom = d->domains; dom; dom = dom->next)
        dom->listed = false;
    for (size_t off = 0; off < len; off += strlen(names + off) + 1) {
        uint32_t domid;
        if (!parse_domid(names + off, &domid) || domid == 0)
            continue;
        struct xcd_domain *dom = find_domain(d, domid);
        if (dom)
            dom->listed = true;
        else
            add_domain(d, domid);
    }
    renew(d);
    free(names);
    for (struct xcd_domain *dom = d->domains; dom; dom = dom->next) {
        if (!dom->listed)
            close_domain(d, dom, "it left /local/domain");
        else
            check_state(d, dom);
    }
    reap(d);
}

static void handle_watch(struct xcd *d, struct xsc_msg *m)
{
    const char *path = xsc_string(m, 0), *token = xsc_string(m, 1);
    unsigned int domid;
    int used = 0;
    if (!path || !token) {
        xcd_log(XCD_WARN, "malformed watch event from xenstored (%u bytes)", m->hdr.len);
        return;
    }
    xcd_log(XCD_DEBUG, "watch %s (%s)", path, token);
    if (!strcmp(token, DOMLIST_TOKEN)) {
        scan(d);
    } else if (sscanf(token, "dom%u%n", &domid, &used) == 1 && !token[used]) {
        /* Events may still arrive for a domain just removed: then there is no record. */
        struct xcd_domain *dom = find_domain(d, domid);
        if (dom && !dom->closed) {
            xcd_console_update(d, dom);
            settle(d, dom);
        }
    }
}

static void lost_xenstore(struct xcd *d, int err)
{
    if (!d->xs_lost)
        xcd_log(XCD_ERR, "lost the connection to xenstored (%s): stopping", strerror(err));
    d->xs_lost = true;
}

/* Watch events: the one poll() announced (if any), then those queued during calls. */
static void handle_xenstore(struct xcd *d, bool readable)
{
    struct xsc_msg *m;
    if (readable) {
        int err = xsc_event(&d->xs, &m, 1000);
        if (err == 0) {
            handle_watch(d, m);
            free(m);
        } else if (err != ETIMEDOUT) {
            lost_xenstore(d, err);
            return;
        }
    }
    while (d->xs.events && !d->xs_lost && xsc_event(&d->xs, &m, 0) == 0) {
        handle_watch(d, m);
        free(m);
    }
}

static void handle_ports(struct xcd *d)
{
    for (;;) {
        int port = d->be.pending(&d->be);
        if (port == -EAGAIN || port == -EINTR)
            return;
        if (port < 0) {
            xcd_log(XCD_ERR, "reading pending event channels: %s", strerror(-port));
            return;
        }
        struct xcd_domain *dom = find_port(d, port);
        if (dom)
            xcd_console_service_ring(d, dom);
        else
            xcd_log(XCD_DEBUG, "event on local port %d, which no console uses", port);
        int rc = d->be.unmask(&d->be, (uint32_t)port);
        if (rc < 0)
            xcd_log(XCD_ERR, "unmasking local port %d: %s", port, strerror(-rc));
    }
}

static void hv_poll(struct xcd *d)
{
    static char buf[16384];
    if (d->hv_fd < 0)
        return;
    /* Bounded: a hypervisor logging flat out must not starve the guests. */
    for (int i = 0; i < 64; i++) {
        long n = d->be.read_hv(&d->be, buf, sizeof(buf), &d->hv_index);
        if (n < 0) {
            xcd_log(XCD_ERR, "reading the hypervisor's console ring: %s", strerror((int)-n));
            return;
        }
        if (n == 0)
            return;
        int err = xcd_logfile_write(d->hv_fd, d->opt.stamp_hv, &d->hv_stamper, buf, (size_t)n);
        if (err) {
            xcd_log(XCD_ERR, "writing hypervisor.log: %s", strerror(err));
            return;
        }
        if ((size_t)n < sizeof(buf) - 1)
            return;
    }
}

static void hv_open(struct xcd *d)
{
    char path[PATH_MAX];
    if (xcd_hv_log_path(path, sizeof(path), d->opt.log_dir)) {
        xcd_log(XCD_ERR, "hypervisor log name too long under %s", d->opt.log_dir);
        return;
    }
    int fd = xcd_logfile_open(path, d->opt.stamp_hv, &d->hv_stamper);
    if (fd < 0)
        xcd_log(XCD_ERR, "cannot open %s: %s", path, strerror(-fd));
    d->hv_fd = fd < 0 ? -1 : fd;
}

static void reload_logs(struct xcd *d)
{
    xcd_log(XCD_INFO, "reopening logs");
    for (struct xcd_domain *dom = d->domains; dom; dom = dom->next)
        xcd_console_reopen_log(d, dom);
    if (d->hv_fd >= 0) {
        close(d->hv_fd);
        hv_open(d);
    }
}

int xcd_start(struct xcd *d)
{
    d->hv_fd = -1;
    int err = xsc_open(&d->xs, NULL);
    if (err) {
        xcd_log(XCD_ERR, "cannot connect to xenstored (%s, or %s): %s. Is it running?", xsc_socket_path(),
                XS_KERNEL_DEVICE, strerror(err));
        return err;
    }
    static const char *const specials[] = { "@introduceDomain", "@releaseDomain" };
    for (unsigned int i = 0; i < 2; i++) {
        err = xcd_xs_watch(&d->xs, specials[i], DOMLIST_TOKEN);
        if (err) {
            xcd_log(XCD_ERR, "xenstore watch on %s: %s", specials[i], strerror(err));
            xsc_close(&d->xs);
            return err;
        }
    }
    if (d->opt.log_hv) {
        hv_open(d);
        hv_poll(d);     /* the boot messages, at once */
    }
    xcd_log(XCD_INFO, "connected to xenstore at %s; back end %s", d->xs.path, d->be.name);
    return 0;
}

static void sweep(struct xcd *d)
{
    renew(d);
    for (struct xcd_domain *dom = d->domains; dom; dom = dom->next) {
        if (dom->closed)
            continue;
        if (!xcd_console_connected(dom)) {
            xcd_console_update(d, dom);     /* e.g. a mapping that failed transiently */
            settle(d, dom);
        }
        xcd_console_service_ring(d, dom);
        check_state(d, dom);
    }
    hv_poll(d);
}

int xcd_run(struct xcd *d)
{
    struct pollfd *pfd = NULL;
    size_t cap = 0;
    sigset_t none;
    sigemptyset(&none);
    long long next_sweep = xcd_now_ms() + SWEEP_MS;
    bool lingering = false;

    while (!d->stop && !d->xs_lost) {
        if (d->reload) {
            d->reload = 0;
            reload_logs(d);
        }
        size_t want = 2;
        for (struct xcd_domain *dom = d->domains; dom; dom = dom->next)
            want++;
        if (want > cap) {
            struct pollfd *n = realloc(pfd, want * 2 * sizeof(*pfd));
            if (!n) {
                xcd_log(XCD_ERR, "out of memory for %zu poll entries", want);
                break;
            }
            pfd = n;
            cap = want * 2;
        }
        pfd[0] = (struct pollfd){ .fd = d->xs.fd, .events = POLLIN };
        pfd[1] = (struct pollfd){ .fd = d->be.event_fd(&d->be), .events = POLLIN };
        nfds_t nfds = 2;
        for (struct xcd_domain *dom = d->domains; dom; dom = dom->next) {
            dom->pfd_index = -1;
            if (dom->master_fd < 0)
                continue;
            short ev = 0;
            if (xcd_console_connected(dom) && !dom->ring_broken && xcd_ring_in_space(dom->intf))
                ev |= POLLIN;
            if (dom->out.len)
                ev |= POLLOUT;
            if (!ev)
                continue;
            dom->pfd_index = (int)nfds;
            pfd[nfds++] = (struct pollfd){ .fd = dom->master_fd, .events = ev };
        }
        long long wait = next_sweep - xcd_now_ms();
        if (wait < 0)
            wait = 0;
        if (lingering && wait > 100)
            wait = 100;     /* look again soon whether the reader has caught up */
        if (d->xs.events)
            wait = 0;   /* watch events queued during the last calls */
        struct timespec ts = { .tv_sec = wait / 1000, .tv_nsec = (wait % 1000) * 1000000 };
        int r = ppoll(pfd, nfds, &ts, &none);
        if (r < 0 && errno != EINTR) {
            xcd_log(XCD_ERR, "poll: %s", strerror(errno));
            break;
        }
        if (r > 0) {
            /* ptys and rings first: xenstore events may free domain records. */
            for (struct xcd_domain *dom = d->domains; dom; dom = dom->next) {
                if (dom->pfd_index < 0)
                    continue;
                short re = pfd[dom->pfd_index].revents;
                if (re & (POLLERR | POLLNVAL | POLLHUP))
                    xcd_console_pty_broken(d, dom);
                else {
                    if (re & POLLIN)
                        xcd_console_pty_input(d, dom);
                    if (re & POLLOUT)
                        xcd_console_flush_pty(d, dom);
                }
            }
            if (pfd[1].revents & POLLIN)
                handle_ports(d);
            if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL))
                lost_xenstore(d, EPIPE);
        }
        if (!d->xs_lost)
            handle_xenstore(d, r > 0 && (pfd[0].revents & POLLIN));
        if (xcd_now_ms() >= next_sweep) {
            sweep(d);
            next_sweep = xcd_now_ms() + SWEEP_MS;
        }
        lingering = linger(d);
    }
    free(pfd);
    if (d->stop)
        xcd_log(XCD_INFO, "stopping");
    while (d->domains) {
        struct xcd_domain *dom = d->domains;
        d->domains = dom->next;
        xcd_console_close(d, dom, "xenconsoled is stopping", false);
        xcd_console_linger(d, dom, LLONG_MAX);
        xcd_domain_free(dom);
    }
    if (d->hv_fd >= 0)
        close(d->hv_fd);
    xsc_close(&d->xs);
    return d->xs_lost ? 1 : 0;
}
