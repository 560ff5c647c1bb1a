/* SPDX-License-Identifier: MIT */
/*
 * xeno-domu-run: the domU's console (xen/io/console.h).  dom0 is the back
 * end: it maps the ring page (start_info.console.domU.mfn) and binds the
 * unbound port the builder offered it, consumes 'out' and notifies the
 * guest so that a writer waiting for room carries on.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/io/console.h>

#include "domu_run.h"

struct domu_console {
    uint32_t domid;
    struct xencons_interface *ring;
    xenoctrl_evtchn *e;
    int port;                   /* local */
    size_t n;
    char line[1024];
};

int domu_console_open(xenoctrl *x, const struct xenobuild_result *r, struct domu_console **out)
{
    struct domu_console *c = calloc(1, sizeof(*c));
    int rc = 0;
    if (!c)
        return -ENOMEM;
    c->domid = r->domid;
    xen_pfn_t mfn = r->console_mfn;
    c->ring = xenoctrl_map_foreign_bulk(x, r->domid, PROT_READ | PROT_WRITE, &mfn, NULL, 1, &rc);
    if (!c->ring) {
        fprintf(stderr, "xeno-domu-run: d%u: cannot map the console ring (mfn %#llx): %s\n", r->domid,
                (unsigned long long)mfn, xenoctrl_last_error(x));
        free(c);
        return rc;
    }
    if ((rc = xenoctrl_evtchn_open(&c->e)) != 0 ||
        (rc = c->port = xenoctrl_evtchn_bind_interdomain(c->e, r->domid, r->console_port)) < 0) {
        fprintf(stderr, "xeno-domu-run: d%u: cannot bind the console port %u (%d)\n", r->domid,
                r->console_port, rc);
        domu_console_close(x, c);
        return rc;
    }
    *out = c;
    return 0;
}

static void emit(struct domu_console *c)
{
    c->line[c->n] = '\0';
    printf("[domU %u] %s\n", c->domid, c->line);
    fflush(stdout);
    c->n = 0;
}

static void drain(struct domu_console *c)
{
    volatile struct xencons_interface *ring = c->ring;
    XENCONS_RING_IDX cons = ring->out_cons, prod = ring->out_prod;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);            /* data after the index */
    if (prod - cons > sizeof(ring->out)) {
        fprintf(stderr, "xeno-domu-run: d%u: console ring indexes corrupt (cons %u prod %u)\n", c->domid,
                cons, prod);
        cons = prod;
    }
    bool any = cons != prod;
    for (; cons != prod; cons++) {
        char ch = ring->out[MASK_XENCONS_IDX(cons, ring->out)];
        if (ch == '\n' || c->n == sizeof(c->line) - 1)
            emit(c);
        if (ch != '\n' && ch != '\r')
            c->line[c->n++] = ch;
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);            /* reads before the index */
    ring->out_cons = cons;
    if (any)
        xenoctrl_evtchn_notify(c->e, (uint32_t)c->port);
}

void domu_console_poll(struct domu_console *c, int ms)
{
    struct pollfd p = { .fd = xenoctrl_evtchn_fd(c->e), .events = POLLIN };
    if (poll(&p, 1, ms) > 0 && (p.revents & POLLIN)) {
        int port = xenoctrl_evtchn_pending(c->e);
        if (port >= 0)
            xenoctrl_evtchn_unmask(c->e, (uint32_t)port);
    }
    drain(c);
}

void domu_console_close(xenoctrl *x, struct domu_console *c)
{
    if (!c)
        return;
    if (c->ring) {
        drain(c);
        if (c->n)
            emit(c);
        xenoctrl_unmap(x, c->ring, 1);
    }
    xenoctrl_evtchn_close(c->e);
    free(c);
}
