/* SPDX-License-Identifier: MIT */
/*
 * Event channels, 2-level ABI (contract and locking in
 * xeno/event_channel.h). Semantics and error order follow Xen's
 * xen/common/event_channel.c; delivery follows xen/common/event_2l.c.
 */
#include "xeno/event_channel.h"
#include "xeno/errno.h"

/* How a VIRQ is bound (Xen: get_virq_type). */
enum virq_kind {
    VIRQ_KIND_VCPU,     /* one binding per vCPU, on that vCPU */
    VIRQ_KIND_DOMAIN,   /* one binding per domain, vCPU 0 */
    VIRQ_KIND_GLOBAL,   /* like DOMAIN, and only in the handler domain */
};

static enum virq_kind virq_kind(unsigned int virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return VIRQ_KIND_VCPU;
    case VIRQ_ARGO:
        return VIRQ_KIND_DOMAIN;
    default:
        /* Including VIRQ_ARCH_*: x86's arch_get_virq_type says global. */
        return VIRQ_KIND_GLOBAL;
    }
}

bool evtchn_virq_is_per_vcpu(unsigned int virq)
{
    return virq < NR_VIRQS && virq_kind(virq) == VIRQ_KIND_VCPU;
}

/*
 * Bit operations on guest-shared words. The guest sets and clears bits in
 * the same 64-bit words at any time, so only whole-word atomic RMWs keep
 * its updates; sequential consistency gives the strict ordering that
 * event_2l.c relies on (pending before mask before selector).
 */
#define BITS_PER_WORD (8 * sizeof(xen_ulong_t))

static xen_ulong_t bit_mask(unsigned int nr)
{
    return (xen_ulong_t)1 << (nr % BITS_PER_WORD);
}

static bool test_and_set(xen_ulong_t *words, unsigned int nr)
{
    xen_ulong_t m = bit_mask(nr);
    return (__atomic_fetch_or(&words[nr / BITS_PER_WORD], m, __ATOMIC_SEQ_CST) & m) != 0;
}

static bool test_and_clear(xen_ulong_t *words, unsigned int nr)
{
    xen_ulong_t m = bit_mask(nr);
    return (__atomic_fetch_and(&words[nr / BITS_PER_WORD], ~m, __ATOMIC_SEQ_CST) & m) != 0;
}

static bool test(const xen_ulong_t *words, unsigned int nr)
{
    return (__atomic_load_n(&words[nr / BITS_PER_WORD], __ATOMIC_SEQ_CST) & bit_mask(nr)) != 0;
}

/*
 * Set evtchn_upcall_pending and kick if it was clear (Xen:
 * vcpu_mark_events_pending). A set flag means the vCPU will scan its
 * selector anyway, so a second kick would be wasted.
 */
static void mark_events_pending(const struct evtchn_ops *ops, struct evtchn_domain *d,
                                unsigned int vcpu)
{
    struct vcpu_info *vi = d->vcpus[vcpu].info;

    if (__atomic_fetch_or(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) & 1)
        return;
    if (ops->kick_vcpu)
        ops->kick_vcpu(ops->ctx, d, vcpu);
}

/*
 * Selector bit port/64 of the vCPU, then the upcall. Without a vcpu_info
 * (vCPU >= 32 not yet registered) only the pending bit is kept: the
 * registration forces a full rescan (evtchn_vcpu_info_moved).
 */
static void raise_selector(const struct evtchn_ops *ops, struct evtchn_domain *d,
                           unsigned int vcpu, unsigned int port)
{
    struct vcpu_info *vi = d->vcpus[vcpu].info;

    if (vi && !test_and_set(&vi->evtchn_pending_sel, port / BITS_PER_WORD))
        mark_events_pending(ops, d, vcpu);
}

/* The 2-level raise of one port (Xen: evtchn_2l_set_pending). */
static void raise_port(const struct evtchn_ops *ops, struct evtchn_domain *d, unsigned int port)
{
    struct shared_info *s = d->shared;

    /* Already pending: the guest has not consumed the previous event. */
    if (test_and_set(s->evtchn_pending, port))
        return;
    if (!test(s->evtchn_mask, port))
        raise_selector(ops, d, d->ports[port].notify_vcpu, port);
    /* Pollers wait on masked ports too (SCHEDOP_poll). */
    if (ops->port_pending)
        ops->port_pending(ops->ctx, d, port);
}

static struct evtchn *port_of(const struct evtchn_domain *d, uint32_t port)
{
    return port < d->max_ports ? &d->ports[port] : NULL;
}

/* DOMID_SELF and the caller's own id never reach ops->lookup. */
static struct evtchn_domain *find_domain(const struct evtchn_ops *ops,
                                         struct evtchn_domain *caller, domid_t domid)
{
    if (domid == DOMID_SELF || domid == caller->domid)
        return caller;
    return ops->lookup(ops->ctx, domid);
}

/* Xen's dummy XSM policy for XSM_TARGET operations. */
static int may_target(const struct evtchn_domain *caller, const struct evtchn_domain *d)
{
    return caller == d || caller->privileged ? 0 : -EPERM;
}

/* Lowest free port, as Xen's get_free_port (port numbers are visible to
 * guests and toolstacks, so the choice is part of the behaviour). */
static int get_free_port(const struct evtchn_domain *d)
{
    if (d->dying)
        return -EINVAL;
    for (unsigned int p = 1; p < d->max_ports; p++)
        if (d->ports[p].state == ECS_FREE)
            return (int)p;
    return -ENOSPC;
}

/* Xen's evtchn_free: a stale pending bit would fire on the next binding,
 * and a re-used port starts on vCPU 0. The mask bit is the guest's. */
static void free_port(struct evtchn_domain *d, unsigned int port)
{
    test_and_clear(d->shared->evtchn_pending, port);
    d->ports[port].state = ECS_FREE;
    d->ports[port].notify_vcpu = 0;
}

int evtchn_domain_init(struct evtchn_domain *d, domid_t domid, struct shared_info *shared,
                       struct evtchn_vcpu *vcpus, unsigned int nr_vcpus,
                       struct evtchn *ports, unsigned int max_ports)
{
    if (!d || !shared || !vcpus || !ports || nr_vcpus == 0 ||
        max_ports < 2 || max_ports > EVTCHN_2L_NR_CHANNELS)
        return -EINVAL;

    *d = (struct evtchn_domain){
        .domid = domid,
        .shared = shared,
        .vcpus = vcpus,
        .nr_vcpus = nr_vcpus,
        .ports = ports,
        .max_ports = max_ports,
    };
    for (unsigned int v = 0; v < nr_vcpus; v++) {
        vcpus[v] = (struct evtchn_vcpu){ 0 };
        /* shared_info holds only XEN_LEGACY_MAX_VCPUS vcpu_info slots. */
        if (v < XEN_LEGACY_MAX_VCPUS)
            vcpus[v].info = &shared->vcpu_info[v];
    }
    for (unsigned int p = 0; p < max_ports; p++)
        ports[p] = (struct evtchn){ .state = ECS_FREE };
    ports[0].state = ECS_RESERVED;
    return 0;
}

int evtchn_vcpu_info_moved(const struct evtchn_ops *ops, struct evtchn_domain *d,
                           unsigned int vcpu, struct vcpu_info *info)
{
    if (vcpu >= d->nr_vcpus || !info)
        return -EINVAL;
    d->vcpus[vcpu].info = info;
    __atomic_store_n(&info->evtchn_pending_sel, ~(xen_ulong_t)0, __ATOMIC_SEQ_CST);
    mark_events_pending(ops, d, vcpu);
    return 0;
}

/* Xen's evtchn_close for port of d, with d's point of view as closer. */
static int close_port(const struct evtchn_ops *ops, struct evtchn_domain *d, uint32_t port)
{
    struct evtchn *chn = port_of(d, port);
    struct evtchn *peer;

    if (!chn)
        return -EINVAL;

    switch (chn->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        return -EINVAL;
    case ECS_UNBOUND:
    case ECS_IPI:
        break;
    case ECS_PIRQ:
        if (ops->unbind_pirq)
            ops->unbind_pirq(ops->ctx, d, chn->u.pirq);
        break;
    case ECS_VIRQ: {
        unsigned int v = virq_kind(chn->u.virq) == VIRQ_KIND_VCPU ? chn->notify_vcpu : 0;
        d->vcpus[v].virq_port[chn->u.virq] = 0;
        break;
    }
    case ECS_INTERDOMAIN:
        /* The peer waits for a new partner with our id; its notify vCPU
         * and pending bit are left alone. */
        peer = &chn->u.interdomain.remote->ports[chn->u.interdomain.remote_port];
        peer->state = ECS_UNBOUND;
        peer->u.unbound.remote_domid = d->domid;
        break;
    }
    free_port(d, port);
    return 0;
}

void evtchn_domain_destroy(const struct evtchn_ops *ops, struct evtchn_domain *d)
{
    d->dying = true;
    for (unsigned int p = 1; p < d->max_ports; p++)
        (void)close_port(ops, d, p);
}

int evtchn_alloc_unbound(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                         struct evtchn_alloc_unbound *op)
{
    struct evtchn_domain *d = find_domain(ops, caller, op->dom);
    int port, rc;

    if (!d)
        return -ESRCH;
    port = get_free_port(d);
    if (port < 0)
        return port;
    rc = may_target(caller, d);
    if (rc)
        return rc;

    d->ports[port].state = ECS_UNBOUND;
    /* DOMID_SELF names the caller even when allocating in another domain. */
    d->ports[port].u.unbound.remote_domid =
        op->remote_dom == DOMID_SELF ? caller->domid : op->remote_dom;
    op->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_interdomain(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                            struct evtchn_bind_interdomain *op)
{
    struct evtchn_domain *rd = find_domain(ops, caller, op->remote_dom);
    struct evtchn *lchn, *rchn;
    int lport;

    if (!rd)
        return -ESRCH;
    lport = get_free_port(caller);
    if (lport < 0)
        return lport;
    rchn = port_of(rd, op->remote_port);
    if (!rchn || rchn->state != ECS_UNBOUND || rchn->u.unbound.remote_domid != caller->domid)
        return -EINVAL;

    lchn = &caller->ports[lport];
    lchn->state = ECS_INTERDOMAIN;
    lchn->u.interdomain.remote = rd;
    lchn->u.interdomain.remote_port = op->remote_port;
    rchn->state = ECS_INTERDOMAIN;
    rchn->u.interdomain.remote = caller;
    rchn->u.interdomain.remote_port = (uint32_t)lport;

    /* Sends on the unbound end were dropped; Xen raises the new end once
     * so that the binder looks at the ring anyway. */
    raise_port(ops, caller, (unsigned int)lport);
    op->local_port = (evtchn_port_t)lport;
    return 0;
}

int evtchn_bind_virq(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                     struct evtchn_bind_virq *op)
{
    enum virq_kind kind;
    uint16_t *slot;
    int port;

    (void)ops;
    if (op->virq >= NR_VIRQS)
        return -EINVAL;
    kind = virq_kind(op->virq);
    if (kind != VIRQ_KIND_VCPU && op->vcpu != 0)
        return -EINVAL;
    if (op->vcpu >= caller->nr_vcpus)
        return -ENOENT;
    if (kind == VIRQ_KIND_GLOBAL && !caller->hardware)
        return -EBUSY;
    slot = &caller->vcpus[op->vcpu].virq_port[op->virq];
    if (*slot)
        return -EEXIST;
    port = get_free_port(caller);
    if (port < 0)
        return port;

    caller->ports[port].state = ECS_VIRQ;
    caller->ports[port].notify_vcpu = op->vcpu;
    caller->ports[port].u.virq = op->virq;
    *slot = (uint16_t)port;
    op->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_ipi(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                    struct evtchn_bind_ipi *op)
{
    int port;

    (void)ops;
    if (op->vcpu >= caller->nr_vcpus)
        return -ENOENT;
    port = get_free_port(caller);
    if (port < 0)
        return port;

    caller->ports[port].state = ECS_IPI;
    caller->ports[port].notify_vcpu = op->vcpu;
    op->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_pirq(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                     struct evtchn_bind_pirq *op)
{
    int port, rc;

    for (unsigned int p = 1; p < caller->max_ports; p++)
        if (caller->ports[p].state == ECS_PIRQ && caller->ports[p].u.pirq == op->pirq)
            return -EEXIST;
    port = get_free_port(caller);
    if (port < 0)
        return port;
    if (ops->bind_pirq) {
        rc = ops->bind_pirq(ops->ctx, caller, op->pirq, (op->flags & BIND_PIRQ__WILL_SHARE) != 0);
        if (rc)
            return rc;
    }

    /* notify_vcpu is already 0: PIRQs start on vCPU 0 as in Xen. */
    caller->ports[port].state = ECS_PIRQ;
    caller->ports[port].u.pirq = op->pirq;
    op->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_close(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                 const struct evtchn_close *op)
{
    return close_port(ops, caller, op->port);
}

int evtchn_send(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                const struct evtchn_send *op)
{
    struct evtchn *chn = port_of(caller, op->port);

    if (!chn)
        return -EINVAL;
    switch (chn->state) {
    case ECS_INTERDOMAIN:
        raise_port(ops, chn->u.interdomain.remote, chn->u.interdomain.remote_port);
        return 0;
    case ECS_IPI:
        raise_port(ops, caller, op->port);
        return 0;
    case ECS_UNBOUND:
        /* Xen drops it: nobody is listening yet. */
        return 0;
    default:
        return -EINVAL;
    }
}

int evtchn_status(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                  struct evtchn_status *op)
{
    struct evtchn_domain *d = find_domain(ops, caller, op->dom);
    const struct evtchn *chn;
    int rc;

    if (!d)
        return -ESRCH;
    chn = port_of(d, op->port);
    if (!chn)
        return -EINVAL;
    rc = may_target(caller, d);
    if (rc)
        return rc;

    /* Like Xen, only the union member of the state is written. */
    switch (chn->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        op->status = EVTCHNSTAT_closed;
        break;
    case ECS_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = chn->u.unbound.remote_domid;
        break;
    case ECS_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = chn->u.interdomain.remote->domid;
        op->u.interdomain.port = chn->u.interdomain.remote_port;
        break;
    case ECS_PIRQ:
        op->status = EVTCHNSTAT_pirq;
        op->u.pirq = chn->u.pirq;
        break;
    case ECS_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    }
    op->vcpu = chn->notify_vcpu;
    return 0;
}

int evtchn_bind_vcpu(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                     const struct evtchn_bind_vcpu *op)
{
    struct evtchn *chn;

    (void)ops;
    if (op->vcpu >= caller->nr_vcpus)
        return -ENOENT;
    chn = port_of(caller, op->port);
    if (!chn)
        return -EINVAL;
    switch (chn->state) {
    case ECS_VIRQ:
        /* A per-vCPU VIRQ is tied to its vCPU's virq_port slot. */
        if (virq_kind(chn->u.virq) == VIRQ_KIND_VCPU)
            return -EINVAL;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_PIRQ:
        break;
    default:
        /* Including IPI: Xen refuses to move those. */
        return -EINVAL;
    }
    chn->notify_vcpu = op->vcpu;
    return 0;
}

int evtchn_unmask(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                  const struct evtchn_unmask *op)
{
    struct shared_info *s = caller->shared;
    struct evtchn *chn = port_of(caller, op->port);

    if (!chn)
        return -EINVAL;
    /* Xen's evtchn_2l_unmask: only a mask bit that was actually set can
     * have held back a selector update, so only then is one owed. */
    if (test_and_clear(s->evtchn_mask, op->port) && test(s->evtchn_pending, op->port))
        raise_selector(ops, caller, chn->notify_vcpu, op->port);
    return 0;
}

int evtchn_reset(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                 const struct evtchn_reset *op)
{
    struct evtchn_domain *d = find_domain(ops, caller, op->dom);
    int rc;

    if (!d)
        return -ESRCH;
    rc = may_target(caller, d);
    if (rc)
        return rc;
    for (unsigned int p = 1; p < d->max_ports; p++)
        (void)close_port(ops, d, p);
    return 0;
}

/* The port a VIRQ is bound to, 0 if none or bad arguments. */
static unsigned int virq_port(const struct evtchn_domain *d, unsigned int vcpu, unsigned int virq)
{
    if (virq >= NR_VIRQS)
        return 0;
    if (virq_kind(virq) != VIRQ_KIND_VCPU)
        vcpu = 0;
    if (vcpu >= d->nr_vcpus)
        return 0;
    return d->vcpus[vcpu].virq_port[virq];
}

int evtchn_send_virq(const struct evtchn_ops *ops, struct evtchn_domain *d,
                     unsigned int vcpu, unsigned int virq)
{
    unsigned int port;

    if (virq >= NR_VIRQS || (virq_kind(virq) == VIRQ_KIND_VCPU && vcpu >= d->nr_vcpus))
        return -EINVAL;
    port = virq_port(d, vcpu, virq);
    /* An unbound VIRQ is dropped, as in Xen's send_guest_*_virq. */
    if (port)
        raise_port(ops, d, port);
    return 0;
}

bool evtchn_virq_bound(const struct evtchn_domain *d, unsigned int vcpu, unsigned int virq)
{
    return virq_port(d, vcpu, virq) != 0;
}

int evtchn_set_pending(const struct evtchn_ops *ops, struct evtchn_domain *d, unsigned int port)
{
    const struct evtchn *chn = port_of(d, port);

    if (!chn || chn->state == ECS_FREE || chn->state == ECS_RESERVED)
        return -EINVAL;
    raise_port(ops, d, port);
    return 0;
}

bool evtchn_port_is_pending(const struct evtchn_domain *d, unsigned int port)
{
    return port < d->max_ports && test(d->shared->evtchn_pending, port);
}

bool evtchn_port_is_masked(const struct evtchn_domain *d, unsigned int port)
{
    return port >= d->max_ports || test(d->shared->evtchn_mask, port);
}
