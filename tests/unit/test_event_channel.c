// UNIT-SOURCES: hypervisor/common/event_channel.c
// UNIT-LIBS: -lpthread
/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "xeno/event_channel.h"
#include "xeno/errno.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * Fake domains with calloc'ed shared_info; callbacks record what the
 * library asked of the hypervisor.
 */
struct fdom {
    struct evtchn_domain ed;
    struct shared_info *shared;
    struct evtchn_vcpu *vcpus;
    struct evtchn *ports;
};

#define MAX_DOMS 4
static struct fdom *doms[MAX_DOMS];

#define MAX_LOG 64
static struct { struct evtchn_domain *d; unsigned int vcpu; } kicks[MAX_LOG];
static unsigned int nr_kicks;
static struct { struct evtchn_domain *d; unsigned int port; } polls[MAX_LOG];
static unsigned int nr_polls;
static uint32_t pirq_bound[MAX_LOG], pirq_unbound[MAX_LOG];
static bool pirq_shared[MAX_LOG];
static unsigned int nr_pirq_bound, nr_pirq_unbound;
static int pirq_bind_rc;
static unsigned int nr_lookups;

static struct evtchn_domain *cb_lookup(void *ctx, domid_t domid)
{
    CU_ASSERT_PTR_EQUAL(ctx, (void *)doms);
    CU_ASSERT(domid != DOMID_SELF);
    nr_lookups++;
    for (int i = 0; i < MAX_DOMS; i++)
        if (doms[i] && doms[i]->ed.domid == domid)
            return &doms[i]->ed;
    return NULL;
}

static void cb_kick(void *ctx, struct evtchn_domain *d, unsigned int vcpu)
{
    (void)ctx;
    if (nr_kicks < MAX_LOG) {
        kicks[nr_kicks].d = d;
        kicks[nr_kicks].vcpu = vcpu;
    }
    nr_kicks++;
}

static void cb_port_pending(void *ctx, struct evtchn_domain *d, unsigned int port)
{
    (void)ctx;
    if (nr_polls < MAX_LOG) {
        polls[nr_polls].d = d;
        polls[nr_polls].port = port;
    }
    nr_polls++;
}

static int cb_bind_pirq(void *ctx, struct evtchn_domain *d, uint32_t pirq, bool share)
{
    (void)ctx; (void)d;
    if (pirq_bind_rc)
        return pirq_bind_rc;
    pirq_shared[nr_pirq_bound % MAX_LOG] = share;
    pirq_bound[nr_pirq_bound++ % MAX_LOG] = pirq;
    return 0;
}

static void cb_unbind_pirq(void *ctx, struct evtchn_domain *d, uint32_t pirq)
{
    (void)ctx; (void)d;
    pirq_unbound[nr_pirq_unbound++ % MAX_LOG] = pirq;
}

static const struct evtchn_ops ops = {
    .lookup = cb_lookup,
    .kick_vcpu = cb_kick,
    .port_pending = cb_port_pending,
    .bind_pirq = cb_bind_pirq,
    .unbind_pirq = cb_unbind_pirq,
    .ctx = doms,
};

static struct fdom *mkdom(int slot, domid_t id, unsigned int nr_vcpus, unsigned int max_ports)
{
    struct fdom *f = calloc(1, sizeof(*f));
    f->shared = calloc(1, sizeof(*f->shared));
    f->vcpus = calloc(nr_vcpus, sizeof(*f->vcpus));
    f->ports = calloc(max_ports, sizeof(*f->ports));
    CU_ASSERT_EQUAL_FATAL(evtchn_domain_init(&f->ed, id, f->shared, f->vcpus, nr_vcpus,
                                             f->ports, max_ports), 0);
    doms[slot] = f;
    return f;
}

static void freedom(struct fdom *f)
{
    for (int i = 0; i < MAX_DOMS; i++)
        if (doms[i] == f)
            doms[i] = NULL;
    free(f->shared);
    free(f->vcpus);
    free(f->ports);
    free(f);
}

static void reset_log(void)
{
    nr_kicks = nr_polls = nr_pirq_bound = nr_pirq_unbound = nr_lookups = 0;
    pirq_bind_rc = 0;
}

/* dom0 (privileged, hardware, 4 vCPUs), dom1 and dom2 (2 vCPUs each). */
static struct fdom *d0, *d1, *d2;

static void setup3(void)
{
    reset_log();
    d0 = mkdom(0, 0, 4, 4096);
    d0->ed.privileged = d0->ed.hardware = true;
    d1 = mkdom(1, 1, 2, 1024);
    d2 = mkdom(2, 2, 2, 1024);
}

static void teardown3(void)
{
    freedom(d0);
    freedom(d1);
    freedom(d2);
    d0 = d1 = d2 = NULL;
}

/* Forget every delivery so the next assertions see only new bits. */
static void clear_bits(struct fdom *f)
{
    memset(f->shared->evtchn_pending, 0, sizeof(f->shared->evtchn_pending));
    for (unsigned int v = 0; v < XEN_LEGACY_MAX_VCPUS; v++) {
        f->shared->vcpu_info[v].evtchn_pending_sel = 0;
        f->shared->vcpu_info[v].evtchn_upcall_pending = 0;
    }
    reset_log();
}

static struct vcpu_info *vi(struct fdom *f, unsigned int v)
{
    return &f->shared->vcpu_info[v];
}

static uint32_t alloc_unbound(struct fdom *f, domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote };
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &f->ed, &op), 0);
    return op.port;
}

static uint32_t bind_inter(struct fdom *f, domid_t rdom, uint32_t rport)
{
    struct evtchn_bind_interdomain op = { .remote_dom = rdom, .remote_port = rport };
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &f->ed, &op), 0);
    return op.local_port;
}

static int send(struct fdom *f, uint32_t port)
{
    struct evtchn_send op = { .port = port };
    return evtchn_send(&ops, &f->ed, &op);
}

static int closep(struct fdom *f, uint32_t port)
{
    struct evtchn_close op = { .port = port };
    return evtchn_close(&ops, &f->ed, &op);
}

static int unmask(struct fdom *f, uint32_t port)
{
    struct evtchn_unmask op = { .port = port };
    return evtchn_unmask(&ops, &f->ed, &op);
}

static int bind_vcpu(struct fdom *f, uint32_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };
    return evtchn_bind_vcpu(&ops, &f->ed, &op);
}

static int status(struct fdom *f, domid_t dom, uint32_t port, struct evtchn_status *out)
{
    memset(out, 0, sizeof(*out));
    out->dom = dom;
    out->port = port;
    return evtchn_status(&ops, &f->ed, out);
}

static int bind_virq(struct fdom *f, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu, .port = 0xdead };
    int rc = evtchn_bind_virq(&ops, &f->ed, &op);
    if (port)
        *port = op.port;
    return rc;
}

static int bind_ipi(struct fdom *f, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu, .port = 0xdead };
    int rc = evtchn_bind_ipi(&ops, &f->ed, &op);
    if (port)
        *port = op.port;
    return rc;
}

static int bind_pirq(struct fdom *f, uint32_t pirq, uint32_t flags, uint32_t *port)
{
    struct evtchn_bind_pirq op = { .pirq = pirq, .flags = flags, .port = 0xdead };
    int rc = evtchn_bind_pirq(&ops, &f->ed, &op);
    if (port)
        *port = op.port;
    return rc;
}

static bool bit(const xen_ulong_t *w, unsigned int nr)
{
    return ((w[nr / 64] >> (nr % 64)) & 1) != 0;
}

static void set_bit_(xen_ulong_t *w, unsigned int nr)
{
    w[nr / 64] |= (xen_ulong_t)1 << (nr % 64);
}

/* --- init --- */

static void test_init(void)
{
    struct evtchn_domain d;
    struct shared_info *s = calloc(1, sizeof(*s));
    struct evtchn_vcpu v[34];
    struct evtchn p[4097];
    struct evtchn_status st;

    CU_ASSERT_EQUAL(evtchn_domain_init(&d, 1, s, v, 34, p, 1), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_domain_init(&d, 1, s, v, 34, p, 4097), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_domain_init(&d, 1, s, v, 0, p, 16), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_domain_init(&d, 1, NULL, v, 1, p, 16), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_domain_init(&d, 1, s, NULL, 1, p, 16), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_domain_init(&d, 1, s, v, 1, NULL, 16), -EINVAL);
    memset(v, 0x5a, sizeof(v));
    CU_ASSERT_EQUAL(evtchn_domain_init(&d, 7, s, v, 34, p, 4096), 0);
    CU_ASSERT_EQUAL(d.domid, 7);
    CU_ASSERT_FALSE(d.privileged);
    CU_ASSERT_FALSE(d.hardware);
    CU_ASSERT_PTR_EQUAL(v[0].info, &s->vcpu_info[0]);
    CU_ASSERT_PTR_EQUAL(v[31].info, &s->vcpu_info[31]);
    CU_ASSERT_PTR_NULL(v[32].info);
    CU_ASSERT_PTR_NULL(v[33].info);
    CU_ASSERT_EQUAL(v[33].virq_port[VIRQ_TIMER], 0);
    CU_ASSERT_EQUAL(p[0].state, ECS_RESERVED);
    CU_ASSERT_EQUAL(p[1].state, ECS_FREE);
    CU_ASSERT_EQUAL(p[4095].state, ECS_FREE);

    /* Port 0 reads as closed but can be neither closed nor used. */
    struct fdom f = { .ed = d };
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    CU_ASSERT_EQUAL(evtchn_status(&ops, &f.ed, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    CU_ASSERT_EQUAL(closep(&f, 0), -EINVAL);
    CU_ASSERT_EQUAL(send(&f, 0), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_set_pending(&ops, &f.ed, 0), -EINVAL);
    CU_ASSERT_EQUAL(bind_vcpu(&f, 0, 0), -EINVAL);
    free(s);
}

/* --- interdomain delivery --- */

static void test_interdomain_both_ways(void)
{
    setup3();
    uint32_t p1 = alloc_unbound(d1, DOMID_SELF, 0);
    CU_ASSERT_EQUAL(p1, 1);   /* lowest free port; 0 is reserved */
    CU_ASSERT_EQUAL(nr_lookups, 0);

    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d1, DOMID_SELF, p1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
    CU_ASSERT_EQUAL(st.vcpu, 0);

    /* Occupy dom0's first ports so the two ends have different numbers. */
    uint32_t ipi;
    CU_ASSERT_EQUAL(bind_ipi(d0, 0, &ipi), 0);
    CU_ASSERT_EQUAL(ipi, 1);
    uint32_t p0 = bind_inter(d0, 1, p1);
    CU_ASSERT_EQUAL(p0, 2);

    /* Binding raises the new local end once (Xen: lost-notification fixup). */
    CU_ASSERT_EQUAL(d0->shared->evtchn_pending[0], (xen_ulong_t)1 << 2);
    CU_ASSERT_EQUAL(vi(d0, 0)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d0, 0)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_PTR_EQUAL(kicks[0].d, &d0->ed);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 0);
    CU_ASSERT_EQUAL(nr_polls, 1);
    CU_ASSERT_EQUAL(polls[0].port, 2);
    /* ... and leaves the remote end alone. */
    CU_ASSERT_EQUAL(d1->shared->evtchn_pending[0], 0);

    CU_ASSERT_EQUAL(status(d1, DOMID_SELF, p1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(st.u.interdomain.dom, 0);
    CU_ASSERT_EQUAL(st.u.interdomain.port, 2);
    CU_ASSERT_EQUAL(status(d0, DOMID_SELF, p0, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(st.u.interdomain.dom, 1);
    CU_ASSERT_EQUAL(st.u.interdomain.port, 1);

    clear_bits(d0);
    clear_bits(d1);

    /* dom0 -> dom1 */
    CU_ASSERT_EQUAL(send(d0, p0), 0);
    CU_ASSERT_EQUAL(d1->shared->evtchn_pending[0], (xen_ulong_t)1 << 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(d0->shared->evtchn_pending[0], 0);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_PTR_EQUAL(kicks[0].d, &d1->ed);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 0);
    CU_ASSERT_TRUE(evtchn_port_is_pending(&d1->ed, p1));
    CU_ASSERT_FALSE(evtchn_port_is_pending(&d0->ed, p0));

    /* dom1 -> dom0 */
    reset_log();
    CU_ASSERT_EQUAL(send(d1, p1), 0);
    CU_ASSERT_EQUAL(d0->shared->evtchn_pending[0], (xen_ulong_t)1 << 2);
    CU_ASSERT_EQUAL(vi(d0, 0)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d0, 0)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_PTR_EQUAL(kicks[0].d, &d0->ed);

    /* Still pending: a second send changes nothing and wakes nobody. */
    reset_log();
    CU_ASSERT_EQUAL(send(d1, p1), 0);
    CU_ASSERT_EQUAL(nr_kicks, 0);
    CU_ASSERT_EQUAL(nr_polls, 0);
    teardown3();
}

/* A port above 63 uses selector bit port/64. */
static void test_selector_word(void)
{
    setup3();
    uint32_t port = 0;
    for (int i = 0; i < 130; i++)
        CU_ASSERT_EQUAL(bind_ipi(d1, 1, &port), 0);
    CU_ASSERT_EQUAL(port, 130);
    CU_ASSERT_EQUAL(send(d1, 130), 0);
    CU_ASSERT_EQUAL(d1->shared->evtchn_pending[2], (xen_ulong_t)1 << 2);
    CU_ASSERT_EQUAL(d1->shared->evtchn_pending[0], 0);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_pending_sel, (xen_ulong_t)1 << 2);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 1);

    /* Highest 2-level port: word 63, bit 63. */
    struct fdom *big = mkdom(3, 9, 1, 4096);
    for (int i = 1; i < 4096; i++)
        CU_ASSERT_EQUAL(bind_ipi(big, 0, &port), 0);
    CU_ASSERT_EQUAL(port, 4095);
    CU_ASSERT_EQUAL(send(big, 4095), 0);
    CU_ASSERT_EQUAL(big->shared->evtchn_pending[63], (xen_ulong_t)1 << 63);
    CU_ASSERT_EQUAL(vi(big, 0)->evtchn_pending_sel, (xen_ulong_t)1 << 63);
    CU_ASSERT_EQUAL(bind_ipi(big, 0, &port), -ENOSPC);
    freedom(big);
    teardown3();
}

static void test_mask_and_unmask(void)
{
    setup3();
    uint32_t p1 = alloc_unbound(d1, DOMID_SELF, 0);
    uint32_t p0 = bind_inter(d0, 1, p1);
    clear_bits(d0);

    /* Masked: pending bit only, but pollers are still told. */
    set_bit_(d1->shared->evtchn_mask, p1);
    CU_ASSERT_EQUAL(send(d0, p0), 0);
    CU_ASSERT_TRUE(bit(d1->shared->evtchn_pending, p1));
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(nr_kicks, 0);
    CU_ASSERT_EQUAL(nr_polls, 1);
    CU_ASSERT_PTR_EQUAL(polls[0].d, &d1->ed);
    CU_ASSERT_EQUAL(polls[0].port, p1);
    CU_ASSERT_TRUE(evtchn_port_is_masked(&d1->ed, p1));

    /* Unmask re-raises the selector and upcall of the notify vCPU. */
    CU_ASSERT_EQUAL(unmask(d1, p1), 0);
    CU_ASSERT_FALSE(bit(d1->shared->evtchn_mask, p1));
    CU_ASSERT_TRUE(bit(d1->shared->evtchn_pending, p1));
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_PTR_EQUAL(kicks[0].d, &d1->ed);
    CU_ASSERT_EQUAL(nr_polls, 1);

    /* Unmasking an unmasked port owes nothing, even if pending (Xen
     * re-raises only when the mask bit was set). */
    clear_bits(d1);
    set_bit_(d1->shared->evtchn_pending, p1);
    CU_ASSERT_EQUAL(unmask(d1, p1), 0);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(nr_kicks, 0);

    /* Masked but not pending: the mask goes, nothing is raised. */
    clear_bits(d1);
    set_bit_(d1->shared->evtchn_mask, p1);
    CU_ASSERT_EQUAL(unmask(d1, p1), 0);
    CU_ASSERT_FALSE(bit(d1->shared->evtchn_mask, p1));
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(nr_kicks, 0);

    /* Unmask goes to the bound vCPU, not vCPU 0. */
    CU_ASSERT_EQUAL(bind_vcpu(d1, p1, 1), 0);
    set_bit_(d1->shared->evtchn_mask, p1);
    CU_ASSERT_EQUAL(send(d0, p0), 0);
    CU_ASSERT_EQUAL(nr_kicks, 0);
    CU_ASSERT_EQUAL(unmask(d1, p1), 0);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 1);

    /* Unmask of a free port is allowed (any valid port) and harmless. */
    set_bit_(d1->shared->evtchn_mask, 77);
    CU_ASSERT_EQUAL(unmask(d1, 77), 0);
    CU_ASSERT_FALSE(bit(d1->shared->evtchn_mask, 77));
    teardown3();
}

static void test_selector_and_upcall_already_set(void)
{
    setup3();
    uint32_t a, b;
    CU_ASSERT_EQUAL(bind_ipi(d1, 0, &a), 0);
    CU_ASSERT_EQUAL(bind_ipi(d1, 0, &b), 0);

    /* Selector bit already set: no upcall update, no kick. */
    vi(d1, 0)->evtchn_pending_sel = 1;
    CU_ASSERT_EQUAL(send(d1, a), 0);
    CU_ASSERT_TRUE(bit(d1->shared->evtchn_pending, a));
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(nr_kicks, 0);
    CU_ASSERT_EQUAL(nr_polls, 1);

    /* Upcall already pending but selector clear: selector set, no kick. */
    clear_bits(d1);
    vi(d1, 0)->evtchn_upcall_pending = 1;
    CU_ASSERT_EQUAL(send(d1, b), 0);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(nr_kicks, 0);

    /* The guest's upcall mask does not stop the hypervisor's bookkeeping:
     * delivery waits for the mask to drop, the bits must be there. */
    clear_bits(d1);
    vi(d1, 0)->evtchn_upcall_mask = 1;
    CU_ASSERT_EQUAL(send(d1, a), 0);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_mask, 1);
    teardown3();
}

/* --- VIRQs --- */

static void test_virq_per_vcpu(void)
{
    setup3();
    uint32_t t0, t1, p;
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_TIMER, 0, &t0), 0);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_TIMER, 1, &t1), 0);
    CU_ASSERT_EQUAL(t0, 1);
    CU_ASSERT_EQUAL(t1, 2);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_TIMER, 1, &p), -EEXIST);
    CU_ASSERT_EQUAL(p, 0xdead);   /* OUT untouched on error */
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_DEBUG, 1, &p), 0);
    CU_ASSERT_TRUE(evtchn_virq_bound(&d1->ed, 1, VIRQ_TIMER));
    CU_ASSERT_FALSE(evtchn_virq_bound(&d1->ed, 0, VIRQ_DEBUG));
    CU_ASSERT_TRUE(evtchn_virq_is_per_vcpu(VIRQ_TIMER));
    CU_ASSERT_TRUE(evtchn_virq_is_per_vcpu(VIRQ_XENPMU));
    CU_ASSERT_FALSE(evtchn_virq_is_per_vcpu(VIRQ_CONSOLE));
    CU_ASSERT_FALSE(evtchn_virq_is_per_vcpu(NR_VIRQS));

    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d1, DOMID_SELF, t1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_virq);
    CU_ASSERT_EQUAL(st.u.virq, VIRQ_TIMER);
    CU_ASSERT_EQUAL(st.vcpu, 1);

    CU_ASSERT_EQUAL(evtchn_send_virq(&ops, &d1->ed, 1, VIRQ_TIMER), 0);
    CU_ASSERT_EQUAL(d1->shared->evtchn_pending[0], (xen_ulong_t)1 << t1);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 1);

    /* Per-vCPU VIRQs cannot move, nor be sent by the guest. */
    CU_ASSERT_EQUAL(bind_vcpu(d1, t1, 0), -EINVAL);
    CU_ASSERT_EQUAL(send(d1, t1), -EINVAL);

    /* Unbound VIRQ: dropped, not an error. */
    clear_bits(d1);
    CU_ASSERT_EQUAL(evtchn_send_virq(&ops, &d1->ed, 0, VIRQ_DEBUG), 0);
    CU_ASSERT_EQUAL(d1->shared->evtchn_pending[0], 0);
    CU_ASSERT_EQUAL(nr_kicks, 0);
    CU_ASSERT_EQUAL(evtchn_send_virq(&ops, &d1->ed, 2, VIRQ_TIMER), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_send_virq(&ops, &d1->ed, 0, NR_VIRQS), -EINVAL);

    /* Close frees the slot: it can be bound again. */
    CU_ASSERT_EQUAL(closep(d1, t1), 0);
    CU_ASSERT_FALSE(evtchn_virq_bound(&d1->ed, 1, VIRQ_TIMER));
    CU_ASSERT_TRUE(evtchn_virq_bound(&d1->ed, 0, VIRQ_TIMER));
    CU_ASSERT_EQUAL(evtchn_send_virq(&ops, &d1->ed, 1, VIRQ_TIMER), 0);
    CU_ASSERT_EQUAL(d1->shared->evtchn_pending[0], 0);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_TIMER, 1, &p), 0);
    CU_ASSERT_EQUAL(p, t1);

    /* Bad arguments, in Xen's order. */
    CU_ASSERT_EQUAL(bind_virq(d1, NR_VIRQS, 0, NULL), -EINVAL);
    CU_ASSERT_EQUAL(bind_virq(d1, 0xffffffffu, 0, NULL), -EINVAL);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_TIMER, 2, NULL), -ENOENT);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_TIMER, 0xffffffffu, NULL), -ENOENT);
    teardown3();
}

static void test_virq_global(void)
{
    setup3();
    uint32_t p;
    /* Only the hardware domain handles global VIRQs. */
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_CONSOLE, 0, &p), -EBUSY);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_ARCH_0, 0, &p), -EBUSY);
    /* Not per-vCPU: vcpu must be 0 (checked before the vCPU exists). */
    CU_ASSERT_EQUAL(bind_virq(d0, VIRQ_CONSOLE, 1, &p), -EINVAL);
    CU_ASSERT_EQUAL(bind_virq(d0, VIRQ_CONSOLE, 99, &p), -EINVAL);
    CU_ASSERT_EQUAL(bind_virq(d0, VIRQ_CONSOLE, 0, &p), 0);
    CU_ASSERT_EQUAL(bind_virq(d0, VIRQ_CONSOLE, 0, NULL), -EEXIST);
    CU_ASSERT_EQUAL(bind_virq(d0, VIRQ_ARCH_0, 0, NULL), 0);   /* VIRQ_MCA */

    /* Per-domain VIRQ_ARGO: vCPU 0 only, but any domain. */
    uint32_t argo;
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_ARGO, 1, NULL), -EINVAL);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_ARGO, 0, &argo), 0);

    /* Raised on vCPU 0 whatever vcpu the hypervisor names... */
    CU_ASSERT_EQUAL(evtchn_send_virq(&ops, &d0->ed, 3, VIRQ_CONSOLE), 0);
    CU_ASSERT_TRUE(bit(d0->shared->evtchn_pending, p));
    CU_ASSERT_EQUAL(vi(d0, 0)->evtchn_upcall_pending, 1);
    CU_ASSERT_TRUE(evtchn_virq_bound(&d0->ed, 3, VIRQ_CONSOLE));

    /* ...until bind_vcpu moves it; the binding stays in vCPU 0's table. */
    clear_bits(d0);
    CU_ASSERT_EQUAL(bind_vcpu(d0, p, 2), 0);
    CU_ASSERT_EQUAL(evtchn_send_virq(&ops, &d0->ed, 0, VIRQ_CONSOLE), 0);
    CU_ASSERT_EQUAL(vi(d0, 2)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d0, 2)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(vi(d0, 0)->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 2);
    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d0, DOMID_SELF, p, &st), 0);
    CU_ASSERT_EQUAL(st.vcpu, 2);
    CU_ASSERT_EQUAL(st.u.virq, VIRQ_CONSOLE);

    /* Closing a moved global VIRQ frees vCPU 0's slot. */
    CU_ASSERT_EQUAL(closep(d0, p), 0);
    CU_ASSERT_FALSE(evtchn_virq_bound(&d0->ed, 0, VIRQ_CONSOLE));
    CU_ASSERT_EQUAL(bind_virq(d0, VIRQ_CONSOLE, 0, NULL), 0);
    CU_ASSERT_EQUAL(closep(d1, argo), 0);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_ARGO, 0, NULL), 0);
    teardown3();
}

/* --- IPIs --- */

static void test_ipi(void)
{
    setup3();
    uint32_t p;
    CU_ASSERT_EQUAL(bind_ipi(d0, 3, &p), 0);
    CU_ASSERT_EQUAL(p, 1);
    CU_ASSERT_EQUAL(bind_ipi(d0, 4, NULL), -ENOENT);
    CU_ASSERT_EQUAL(bind_ipi(d0, 0xffffffffu, NULL), -ENOENT);

    CU_ASSERT_EQUAL(send(d0, p), 0);
    CU_ASSERT_EQUAL(d0->shared->evtchn_pending[0], (xen_ulong_t)1 << 1);
    CU_ASSERT_EQUAL(vi(d0, 3)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d0, 3)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(vi(d0, 0)->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_PTR_EQUAL(kicks[0].d, &d0->ed);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 3);

    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d0, 0, p, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_ipi);
    CU_ASSERT_EQUAL(st.vcpu, 3);

    /* Xen does not move IPI ports. */
    CU_ASSERT_EQUAL(bind_vcpu(d0, p, 1), -EINVAL);
    /* Nobody else can send on it: another domain's port 1 is its own. */
    CU_ASSERT_EQUAL(send(d1, p), -EINVAL);
    teardown3();
}

/* --- close --- */

static void test_close_semantics(void)
{
    setup3();
    uint32_t p1 = alloc_unbound(d1, DOMID_SELF, 0);
    uint32_t p0 = bind_inter(d0, 1, p1);
    CU_ASSERT_TRUE(evtchn_port_is_pending(&d0->ed, p0));   /* from the bind */
    set_bit_(d0->shared->evtchn_mask, p0);

    /* Close the dom0 end: pending cleared, mask kept, peer unbound to 0. */
    CU_ASSERT_EQUAL(closep(d0, p0), 0);
    CU_ASSERT_FALSE(evtchn_port_is_pending(&d0->ed, p0));
    CU_ASSERT_TRUE(bit(d0->shared->evtchn_mask, p0));
    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d0, 0, p0, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    CU_ASSERT_EQUAL(status(d1, 1, p1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
    CU_ASSERT_EQUAL(closep(d0, p0), -EINVAL);

    /* Sending on the now-unbound end is silently dropped. */
    clear_bits(d0);
    clear_bits(d1);
    CU_ASSERT_EQUAL(send(d1, p1), 0);
    CU_ASSERT_EQUAL(d0->shared->evtchn_pending[0], 0);
    CU_ASSERT_EQUAL(d1->shared->evtchn_pending[0], 0);
    CU_ASSERT_EQUAL(nr_kicks, 0);

    /* dom0 reconnects (same port number: lowest free), then dom1 closes. */
    CU_ASSERT_EQUAL(bind_inter(d0, 1, p1), p0);
    CU_ASSERT_EQUAL(closep(d1, p1), 0);
    CU_ASSERT_EQUAL(status(d0, 0, p0, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 1);
    CU_ASSERT_EQUAL(status(d1, 1, p1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    CU_ASSERT_EQUAL(closep(d1, p1), -EINVAL);

    /* Close an unbound port; a freed port starts again on vCPU 0. */
    CU_ASSERT_EQUAL(bind_vcpu(d0, p0, 2), 0);
    CU_ASSERT_EQUAL(closep(d0, p0), 0);
    uint32_t q = alloc_unbound(d0, DOMID_SELF, 1);
    CU_ASSERT_EQUAL(q, p0);
    CU_ASSERT_EQUAL(status(d0, 0, q, &st), 0);
    CU_ASSERT_EQUAL(st.vcpu, 0);
    teardown3();
}

/* dom0's local xenstored: alloc_unbound(SELF -> SELF), then bind to it. */
static void test_loopback_self_bind(void)
{
    setup3();
    uint32_t a = alloc_unbound(d0, DOMID_SELF, DOMID_SELF);
    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d0, DOMID_SELF, a, &st), 0);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);   /* SELF resolved to the caller */

    uint32_t b = bind_inter(d0, DOMID_SELF, a);
    CU_ASSERT_NOT_EQUAL(a, b);
    CU_ASSERT_EQUAL(nr_lookups, 0);
    clear_bits(d0);
    CU_ASSERT_EQUAL(send(d0, b), 0);
    CU_ASSERT_EQUAL(d0->shared->evtchn_pending[0], (xen_ulong_t)1 << a);
    clear_bits(d0);
    CU_ASSERT_EQUAL(send(d0, a), 0);
    CU_ASSERT_EQUAL(d0->shared->evtchn_pending[0], (xen_ulong_t)1 << b);

    /* Binding by explicit own id works too. */
    uint32_t c = alloc_unbound(d1, DOMID_SELF, 1);
    CU_ASSERT_NOT_EQUAL(bind_inter(d1, 1, c), c);

    CU_ASSERT_EQUAL(closep(d0, a), 0);
    CU_ASSERT_EQUAL(status(d0, 0, b, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
    teardown3();
}

/* --- status --- */

static void test_status_all_states(void)
{
    setup3();
    struct evtchn_status st;
    uint32_t unb = alloc_unbound(d1, DOMID_SELF, 2);
    uint32_t virq, ipi, pirq;
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_DEBUG, 1, &virq), 0);
    CU_ASSERT_EQUAL(bind_ipi(d1, 1, &ipi), 0);
    CU_ASSERT_EQUAL(bind_pirq(d1, 33, 0, &pirq), 0);
    uint32_t off = alloc_unbound(d0, DOMID_SELF, 1);
    uint32_t inter = bind_inter(d1, 0, off);

    CU_ASSERT_EQUAL(status(d1, 1, 0, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    CU_ASSERT_EQUAL(status(d1, 1, 1000, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    CU_ASSERT_EQUAL(status(d1, 1, unb, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 2);
    CU_ASSERT_EQUAL(status(d1, 1, virq, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_virq);
    CU_ASSERT_EQUAL(st.u.virq, VIRQ_DEBUG);
    CU_ASSERT_EQUAL(st.vcpu, 1);
    CU_ASSERT_EQUAL(status(d1, 1, ipi, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_ipi);
    CU_ASSERT_EQUAL(st.vcpu, 1);
    CU_ASSERT_EQUAL(status(d1, 1, pirq, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_pirq);
    CU_ASSERT_EQUAL(st.u.pirq, 33);
    CU_ASSERT_EQUAL(st.vcpu, 0);
    CU_ASSERT_EQUAL(status(d1, 1, inter, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(st.u.interdomain.dom, 0);
    CU_ASSERT_EQUAL(st.u.interdomain.port, off);

    /* Other domains: privileged may, others -EPERM; -ESRCH and -EINVAL
     * come first, as in Xen. */
    CU_ASSERT_EQUAL(status(d0, 1, inter, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(status(d2, 1, inter, &st), -EPERM);
    CU_ASSERT_EQUAL(status(d2, 1, 0, &st), -EPERM);
    CU_ASSERT_EQUAL(status(d2, 1, 5000, &st), -EINVAL);
    CU_ASSERT_EQUAL(status(d2, 77, 1, &st), -ESRCH);
    CU_ASSERT_EQUAL(status(d0, DOMID_IO, 1, &st), -ESRCH);
    CU_ASSERT_EQUAL(status(d1, 1, 1024, &st), -EINVAL);
    teardown3();
}

/* --- bind_vcpu --- */

static void test_bind_vcpu_moves(void)
{
    setup3();
    uint32_t p1 = alloc_unbound(d1, DOMID_SELF, 0);
    CU_ASSERT_EQUAL(bind_vcpu(d1, p1, 1), 0);   /* unbound may move */
    uint32_t p0 = bind_inter(d0, 1, p1);
    clear_bits(d1);

    CU_ASSERT_EQUAL(send(d0, p0), 0);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 1);

    /* Move back: the next raise goes to vCPU 0. */
    clear_bits(d1);
    CU_ASSERT_EQUAL(bind_vcpu(d1, p1, 0), 0);
    CU_ASSERT_EQUAL(send(d0, p0), 0);
    CU_ASSERT_EQUAL(vi(d1, 0)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d1, 1)->evtchn_pending_sel, 0);

    /* Errors: vCPU checked before the port. */
    CU_ASSERT_EQUAL(bind_vcpu(d1, p1, 2), -ENOENT);
    CU_ASSERT_EQUAL(bind_vcpu(d1, 0xffffffffu, 2), -ENOENT);
    CU_ASSERT_EQUAL(bind_vcpu(d1, 0xffffffffu, 1), -EINVAL);
    CU_ASSERT_EQUAL(bind_vcpu(d1, 500, 1), -EINVAL);   /* free */

    /* The peer's notify vCPU survives a close on the other end. */
    CU_ASSERT_EQUAL(bind_vcpu(d1, p1, 1), 0);
    CU_ASSERT_EQUAL(closep(d0, p0), 0);
    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d1, 1, p1, &st), 0);
    CU_ASSERT_EQUAL(st.vcpu, 1);
    teardown3();
}

/* --- alloc_unbound permissions --- */

static void test_alloc_unbound_foreign(void)
{
    setup3();
    struct evtchn_alloc_unbound op = { .dom = 2, .remote_dom = 1, .port = 0xdead };
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &d1->ed, &op), -EPERM);
    CU_ASSERT_EQUAL(op.port, 0xdead);
    op.dom = 9;
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &d1->ed, &op), -ESRCH);
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &d0->ed, &op), -ESRCH);

    /* dom0 builds a domU's xenstore port: remote SELF = dom0, not domU. */
    op = (struct evtchn_alloc_unbound){ .dom = 2, .remote_dom = DOMID_SELF };
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &d0->ed, &op), 0);
    CU_ASSERT_EQUAL(op.port, 1);
    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d2, DOMID_SELF, 1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
    /* dom0's own table untouched. */
    CU_ASSERT_EQUAL(status(d0, 0, 1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);

    /* remote_dom is not checked for existence (Xen neither). */
    op = (struct evtchn_alloc_unbound){ .dom = DOMID_SELF, .remote_dom = 4000 };
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &d1->ed, &op), 0);
    CU_ASSERT_EQUAL(status(d1, 1, op.port, &st), 0);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 4000);
    teardown3();
}

/* --- hostile input --- */

static void test_bad_ports(void)
{
    setup3();
    const uint32_t bad[] = { 1024, 1025, 4096, 0x7fffffffu, 0x80000000u, 0xffffffffu };
    struct evtchn_status st;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t p = bad[i];
        CU_ASSERT_EQUAL(closep(d1, p), -EINVAL);
        CU_ASSERT_EQUAL(send(d1, p), -EINVAL);
        CU_ASSERT_EQUAL(unmask(d1, p), -EINVAL);
        CU_ASSERT_EQUAL(bind_vcpu(d1, p, 0), -EINVAL);
        CU_ASSERT_EQUAL(status(d1, DOMID_SELF, p, &st), -EINVAL);
        CU_ASSERT_EQUAL(evtchn_set_pending(&ops, &d1->ed, p), -EINVAL);
        CU_ASSERT_FALSE(evtchn_port_is_pending(&d1->ed, p));
        CU_ASSERT_TRUE(evtchn_port_is_masked(&d1->ed, p));
        struct evtchn_bind_interdomain bi = { .remote_dom = 0, .remote_port = p, .local_port = 0xdead };
        CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d1->ed, &bi), -EINVAL);
        CU_ASSERT_EQUAL(bi.local_port, 0xdead);
    }
    /* Nothing was written anywhere. */
    for (unsigned int w = 0; w < 64; w++) {
        CU_ASSERT_EQUAL(d1->shared->evtchn_pending[w], 0);
        CU_ASSERT_EQUAL(d1->shared->evtchn_mask[w], 0);
    }
    CU_ASSERT_EQUAL(nr_kicks, 0);
    /* Failed binds did not leak local ports. */
    CU_ASSERT_EQUAL(alloc_unbound(d1, DOMID_SELF, 0), 1);

    /* Free, reserved, VIRQ and PIRQ ports cannot be sent on. */
    CU_ASSERT_EQUAL(send(d1, 2), -EINVAL);
    CU_ASSERT_EQUAL(send(d1, 0), -EINVAL);
    uint32_t pirq;
    CU_ASSERT_EQUAL(bind_pirq(d1, 5, 0, &pirq), 0);
    CU_ASSERT_EQUAL(send(d1, pirq), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_set_pending(&ops, &d1->ed, 500), -EINVAL);
    teardown3();
}

static void test_bind_interdomain_errors(void)
{
    setup3();
    struct evtchn_bind_interdomain bi;
    uint32_t to0 = alloc_unbound(d1, DOMID_SELF, 0);

    /* Nonexistent domain, reserved ids. */
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 3, .remote_port = to0 };
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d0->ed, &bi), -ESRCH);
    bi.remote_dom = DOMID_XEN;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d0->ed, &bi), -ESRCH);

    /* Port offered to dom0, not to dom2. */
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = to0 };
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d2->ed, &bi), -EINVAL);
    /* Nor to dom1 itself. */
    bi.remote_dom = DOMID_SELF;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d1->ed, &bi), -EINVAL);
    /* Free, reserved and non-unbound remote ports. */
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = 7 };
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d0->ed, &bi), -EINVAL);
    bi.remote_port = 0;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d0->ed, &bi), -EINVAL);
    uint32_t ipi;
    CU_ASSERT_EQUAL(bind_ipi(d1, 0, &ipi), 0);
    bi.remote_port = ipi;
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d0->ed, &bi), -EINVAL);

    /* Binding twice: the port is no longer unbound. */
    uint32_t p0 = bind_inter(d0, 1, to0);
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = to0 };
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d0->ed, &bi), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &d2->ed, &bi), -EINVAL);

    /* None of the failures consumed a port of the binder. */
    CU_ASSERT_EQUAL(p0, 1);
    CU_ASSERT_EQUAL(alloc_unbound(d0, DOMID_SELF, 5), 2);
    CU_ASSERT_EQUAL(alloc_unbound(d2, DOMID_SELF, 5), 1);
    teardown3();
}

static void test_exhaust_ports(void)
{
    reset_log();
    struct fdom *a = mkdom(0, 5, 2, 8);
    struct fdom *b = mkdom(1, 6, 1, 8);
    uint32_t p;

    for (uint32_t i = 1; i < 8; i++) {
        CU_ASSERT_EQUAL(bind_ipi(a, 0, &p), 0);
        CU_ASSERT_EQUAL(p, i);
    }
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 6 };
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &a->ed, &au), -ENOSPC);
    CU_ASSERT_EQUAL(bind_ipi(a, 1, NULL), -ENOSPC);
    CU_ASSERT_EQUAL(bind_virq(a, VIRQ_TIMER, 0, NULL), -ENOSPC);
    CU_ASSERT_EQUAL(bind_pirq(a, 1, 0, NULL), -ENOSPC);
    CU_ASSERT_EQUAL(nr_pirq_bound, 0);
    /* The binder's port is allocated before the remote one is checked. */
    struct evtchn_bind_interdomain bi = { .remote_dom = 6, .remote_port = 0xffffffffu };
    CU_ASSERT_EQUAL(evtchn_bind_interdomain(&ops, &a->ed, &bi), -ENOSPC);
    /* Not privileged, remote full: Xen finds no port before checking. */
    au.dom = 5;
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &b->ed, &au), -ENOSPC);
    /* A VIRQ slot already taken is reported before the lack of ports. */
    CU_ASSERT_EQUAL(closep(a, 4), 0);
    CU_ASSERT_EQUAL(bind_virq(a, VIRQ_TIMER, 0, &p), 0);
    CU_ASSERT_EQUAL(p, 4);
    CU_ASSERT_EQUAL(bind_virq(a, VIRQ_TIMER, 0, NULL), -EEXIST);

    /* Free two, get the lowest back first. */
    CU_ASSERT_EQUAL(closep(a, 6), 0);
    CU_ASSERT_EQUAL(closep(a, 2), 0);
    CU_ASSERT_EQUAL(bind_ipi(a, 0, &p), 0);
    CU_ASSERT_EQUAL(p, 2);
    CU_ASSERT_EQUAL(bind_ipi(a, 0, &p), 0);
    CU_ASSERT_EQUAL(p, 6);
    CU_ASSERT_EQUAL(bind_ipi(a, 0, NULL), -ENOSPC);

    /* Close everything, then all seven come back. */
    for (uint32_t i = 1; i < 8; i++)
        CU_ASSERT_EQUAL(closep(a, i), 0);
    for (uint32_t i = 1; i < 8; i++)
        CU_ASSERT_EQUAL(closep(a, i), -EINVAL);
    for (uint32_t i = 1; i < 8; i++) {
        CU_ASSERT_EQUAL(bind_ipi(a, 1, &p), 0);
        CU_ASSERT_EQUAL(p, i);
    }
    freedom(a);
    freedom(b);
}

/* --- PIRQ --- */

static void test_pirq(void)
{
    setup3();
    uint32_t p, q;
    CU_ASSERT_EQUAL(bind_pirq(d0, 9, BIND_PIRQ__WILL_SHARE, &p), 0);
    CU_ASSERT_EQUAL(nr_pirq_bound, 1);
    CU_ASSERT_EQUAL(pirq_bound[0], 9);
    CU_ASSERT_TRUE(pirq_shared[0]);
    CU_ASSERT_EQUAL(bind_pirq(d0, 9, 0, &q), -EEXIST);
    CU_ASSERT_EQUAL(q, 0xdead);
    CU_ASSERT_EQUAL(nr_pirq_bound, 1);
    /* Same PIRQ number in another domain is another binding. */
    CU_ASSERT_EQUAL(bind_pirq(d1, 9, 0, &q), 0);
    CU_ASSERT_FALSE(pirq_shared[1]);

    /* The routing refusing aborts the bind and keeps the port free. */
    pirq_bind_rc = -EBUSY;
    CU_ASSERT_EQUAL(bind_pirq(d0, 10, 0, &q), -EBUSY);
    pirq_bind_rc = 0;
    CU_ASSERT_EQUAL(bind_pirq(d0, 10, 0, &q), 0);
    CU_ASSERT_EQUAL(q, p + 1);

    /* Delivery by the hypervisor; PIRQs may move. */
    CU_ASSERT_EQUAL(bind_vcpu(d0, p, 3), 0);
    CU_ASSERT_EQUAL(evtchn_set_pending(&ops, &d0->ed, p), 0);
    CU_ASSERT_TRUE(evtchn_port_is_pending(&d0->ed, p));
    CU_ASSERT_EQUAL(vi(d0, 3)->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi(d0, 3)->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 3);

    CU_ASSERT_EQUAL(closep(d0, p), 0);
    CU_ASSERT_EQUAL(nr_pirq_unbound, 1);
    CU_ASSERT_EQUAL(pirq_unbound[0], 9);
    CU_ASSERT_FALSE(evtchn_port_is_pending(&d0->ed, p));
    CU_ASSERT_EQUAL(bind_pirq(d0, 9, 0, NULL), 0);

    /* No callbacks: the library alone still tracks the state. */
    const struct evtchn_ops bare = { .lookup = cb_lookup, .ctx = doms };
    struct evtchn_bind_pirq bp = { .pirq = 11 };
    CU_ASSERT_EQUAL(evtchn_bind_pirq(&bare, &d2->ed, &bp), 0);
    struct evtchn_close cl = { .port = bp.port };
    CU_ASSERT_EQUAL(evtchn_set_pending(&bare, &d2->ed, bp.port), 0);
    CU_ASSERT_EQUAL(evtchn_close(&bare, &d2->ed, &cl), 0);
    teardown3();
}

/* --- destroy and reset --- */

static void test_destroy_releases_peers(void)
{
    setup3();
    uint32_t a = alloc_unbound(d1, DOMID_SELF, 0);
    uint32_t pa = bind_inter(d0, 1, a);
    uint32_t b = alloc_unbound(d2, DOMID_SELF, 1);
    uint32_t pb = bind_inter(d1, 2, b);
    uint32_t self = alloc_unbound(d1, DOMID_SELF, DOMID_SELF);
    bind_inter(d1, DOMID_SELF, self);
    CU_ASSERT_EQUAL(bind_virq(d1, VIRQ_TIMER, 1, NULL), 0);
    CU_ASSERT_EQUAL(bind_pirq(d1, 17, 0, NULL), 0);
    uint32_t pending_port = pb;
    CU_ASSERT_TRUE(evtchn_port_is_pending(&d1->ed, pending_port));
    reset_log();

    evtchn_domain_destroy(&ops, &d1->ed);

    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d0, 0, pa, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 1);
    CU_ASSERT_EQUAL(status(d2, 2, b, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 1);
    for (uint32_t p = 0; p < 1024; p++) {
        CU_ASSERT_EQUAL(status(d1, 1, p, &st), 0);
        CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    }
    CU_ASSERT_FALSE(evtchn_port_is_pending(&d1->ed, pending_port));
    CU_ASSERT_FALSE(evtchn_virq_bound(&d1->ed, 1, VIRQ_TIMER));
    CU_ASSERT_EQUAL(nr_pirq_unbound, 1);
    CU_ASSERT_EQUAL(pirq_unbound[0], 17);
    CU_ASSERT_EQUAL(nr_kicks, 0);

    /* A dying domain gets no new ports. */
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &d1->ed, &au), -EINVAL);
    CU_ASSERT_EQUAL(bind_ipi(d1, 0, NULL), -EINVAL);
    au.dom = 1;
    CU_ASSERT_EQUAL(evtchn_alloc_unbound(&ops, &d0->ed, &au), -EINVAL);

    /* Once gone, the peers' ports wait for a new domain 1 to bind. */
    freedom(d1);
    d1 = mkdom(1, 1, 1, 64);
    CU_ASSERT_EQUAL(send(d0, pa), 0);   /* unbound: dropped */
    uint32_t n = bind_inter(d1, 0, pa);
    CU_ASSERT_EQUAL(n, 1);
    clear_bits(d1);
    CU_ASSERT_EQUAL(send(d0, pa), 0);
    CU_ASSERT_TRUE(evtchn_port_is_pending(&d1->ed, n));
    teardown3();
}

static void test_reset(void)
{
    setup3();
    uint32_t a = alloc_unbound(d1, DOMID_SELF, 0);
    uint32_t pa = bind_inter(d0, 1, a);
    CU_ASSERT_EQUAL(bind_ipi(d1, 1, NULL), 0);
    struct evtchn_reset r = { .dom = 1 };
    CU_ASSERT_EQUAL(evtchn_reset(&ops, &d2->ed, &r), -EPERM);
    r.dom = 55;
    CU_ASSERT_EQUAL(evtchn_reset(&ops, &d0->ed, &r), -ESRCH);
    r.dom = 1;
    CU_ASSERT_EQUAL(evtchn_reset(&ops, &d0->ed, &r), 0);
    struct evtchn_status st;
    CU_ASSERT_EQUAL(status(d0, 0, pa, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(status(d1, 1, a, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    /* Unlike destroy, the domain lives on. */
    CU_ASSERT_EQUAL(alloc_unbound(d1, DOMID_SELF, 0), 1);
    r.dom = DOMID_SELF;
    CU_ASSERT_EQUAL(evtchn_reset(&ops, &d1->ed, &r), 0);
    CU_ASSERT_EQUAL(status(d1, 1, 1, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    teardown3();
}

/* --- vcpu_info beyond the shared page --- */

static void test_vcpu_info_moved(void)
{
    reset_log();
    struct fdom *f = mkdom(0, 3, 40, 64);
    uint32_t p;
    CU_ASSERT_EQUAL(bind_ipi(f, 35, &p), 0);

    /* No vcpu_info yet: only the pending bit, no kick. */
    CU_ASSERT_EQUAL(send(f, p), 0);
    CU_ASSERT_TRUE(evtchn_port_is_pending(&f->ed, p));
    CU_ASSERT_EQUAL(nr_kicks, 0);

    struct vcpu_info *area = calloc(1, sizeof(*area));
    CU_ASSERT_EQUAL(evtchn_vcpu_info_moved(&ops, &f->ed, 40, area), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_vcpu_info_moved(&ops, &f->ed, 35, NULL), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_vcpu_info_moved(&ops, &f->ed, 35, area), 0);
    CU_ASSERT_EQUAL(area->evtchn_pending_sel, ~(xen_ulong_t)0);
    CU_ASSERT_EQUAL(area->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(nr_kicks, 1);
    CU_ASSERT_EQUAL(kicks[0].vcpu, 35);

    /* From now on raises land in the new area. */
    area->evtchn_pending_sel = 0;
    area->evtchn_upcall_pending = 0;
    f->shared->evtchn_pending[0] = 0;
    CU_ASSERT_EQUAL(send(f, p), 0);
    CU_ASSERT_EQUAL(area->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(area->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(nr_kicks, 2);

    /* vCPU 0 moves too: the shared_info slot is no longer written. */
    struct vcpu_info *area0 = calloc(1, sizeof(*area0));
    CU_ASSERT_EQUAL(evtchn_vcpu_info_moved(&ops, &f->ed, 0, area0), 0);
    area0->evtchn_pending_sel = 0;
    area0->evtchn_upcall_pending = 0;
    CU_ASSERT_EQUAL(bind_ipi(f, 0, &p), 0);
    CU_ASSERT_EQUAL(send(f, p), 0);
    CU_ASSERT_EQUAL(area0->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(f->shared->vcpu_info[0].evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(f->shared->vcpu_info[0].evtchn_pending_sel, 0);
    free(area);
    free(area0);
    freedom(f);
}

/*
 * The guest sets and clears bits in the same pending word while the
 * hypervisor raises ports in it. A plain read-modify-write on our side
 * would write back a stale copy of the guest's bit, which the guest sees
 * as its own update being undone.
 */
struct race {
    struct fdom *f;
    volatile bool stop;
    unsigned long rounds, undone;
};

static void *guest_toggler(void *arg)
{
    struct race *r = arg;
    xen_ulong_t *w = &r->f->shared->evtchn_pending[0];
    const xen_ulong_t mine = (xen_ulong_t)1 << 63;

    while (!r->stop) {
        __atomic_fetch_or(w, mine, __ATOMIC_SEQ_CST);
        if (!(__atomic_load_n(w, __ATOMIC_SEQ_CST) & mine))
            r->undone++;
        __atomic_fetch_and(w, ~mine, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(w, __ATOMIC_SEQ_CST) & mine)
            r->undone++;
        r->rounds++;
    }
    return NULL;
}

static void test_concurrent_guest_updates(void)
{
    reset_log();
    struct fdom *f = mkdom(0, 4, 1, 64);
    uint32_t p;
    for (int i = 1; i < 63; i++)
        CU_ASSERT_EQUAL(bind_ipi(f, 0, &p), 0);
    struct race r = { .f = f };
    pthread_t t;
    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, guest_toggler, &r), 0);
    unsigned long lost = 0;
    for (int round = 0; round < 20000; round++) {
        for (uint32_t q = 1; q < 63; q++)
            if (send(f, q) != 0)
                lost++;
        for (uint32_t q = 1; q < 63; q++)
            if (!evtchn_port_is_pending(&f->ed, q))
                lost++;
        /* Ack as the guest does, leaving the toggler's bit alone. */
        __atomic_fetch_and(&f->shared->evtchn_pending[0], (xen_ulong_t)1 << 63, __ATOMIC_SEQ_CST);
        __atomic_store_n(&vi(f, 0)->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        __atomic_store_n(&vi(f, 0)->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
    }
    r.stop = true;
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(lost, 0);
    CU_ASSERT_EQUAL(r.undone, 0);
    /* One raise per round woke the vCPU; the rest found the upcall set. */
    CU_ASSERT_EQUAL(nr_kicks, 20000);
    freedom(f);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "init and reserved port 0", test_init },
        { "interdomain send both ways", test_interdomain_both_ways },
        { "selector bit is port/64", test_selector_word },
        { "mask holds back, unmask re-raises", test_mask_and_unmask },
        { "selector/upcall already set: no kick", test_selector_and_upcall_already_set },
        { "VIRQ per vCPU", test_virq_per_vcpu },
        { "VIRQ global and per-domain", test_virq_global },
        { "IPI", test_ipi },
        { "close on either end", test_close_semantics },
        { "loopback: bind own unbound port", test_loopback_self_bind },
        { "status of every state", test_status_all_states },
        { "bind_vcpu moves notifications", test_bind_vcpu_moves },
        { "alloc_unbound in another domain", test_alloc_unbound_foreign },
        { "hostile port numbers", test_bad_ports },
        { "bind_interdomain errors", test_bind_interdomain_errors },
        { "exhaust ports, free, reuse", test_exhaust_ports },
        { "PIRQ binding", test_pirq },
        { "destroy releases peers", test_destroy_releases_peers },
        { "EVTCHNOP_reset", test_reset },
        { "vcpu_info registration", test_vcpu_info_moved },
        { "concurrent guest updates", test_concurrent_guest_updates },
        { NULL, NULL },
    };
    unit_add_suite("event_channel", cases);
}
