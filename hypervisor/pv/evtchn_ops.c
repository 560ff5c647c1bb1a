/* SPDX-License-Identifier: MIT */
/* event_channel_op: the hypercall glue over common/event_channel.c, plus the
 * hypervisor's own event sources (VIRQs, vCPU kicks, SCHEDOP_poll wake-ups). */
#include <xen/event_channel.h>
#include <xen/xen.h>
#include <xeno/errno.h>
#include <xeno/event_channel.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/pv.h>
#include <xeno/sched.h>

/* One lock for all event-channel state (the library's contract); taken
 * with interrupts off because timer interrupts send VIRQs. */
static spinlock_t evtchn_lock = SPIN_LOCK_UNLOCKED;

static struct evtchn_domain *ops_lookup(void *ctx, domid_t domid)
{
    (void)ctx;
    struct domain *d = domain_lookup(domid);
    return d && !d->is_dying ? &d->evtchn : NULL;
}

static struct domain *evd_to_domain(struct evtchn_domain *e)
{
    return container_of(e, struct domain, evtchn);
}

static void ops_kick(void *ctx, struct evtchn_domain *e, unsigned int vcpu)
{
    (void)ctx;
    struct domain *d = evd_to_domain(e);
    if (vcpu < d->nr_vcpus && d->vcpus[vcpu])
        vcpu_kick(d->vcpus[vcpu]);
}

static void ops_port_pending(void *ctx, struct evtchn_domain *e, unsigned int port)
{
    (void)ctx;
    struct domain *d = evd_to_domain(e);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        if (v && v->polling && port < 128 && (v->poll_mask[port / 64] & (1ULL << (port % 64)))) {
            v->polling = false;
            vcpu_wake(v);
        }
    }
}

/* Physical IRQ routing for EVTCHNOP_bind_pirq (arch/x86/irq.c); weak
 * until interrupt routing exists, so bind_pirq answers -ENOSYS. */
__attribute__((weak)) int pirq_guest_bind(struct domain *d, uint32_t pirq, bool will_share)
{
    (void)d, (void)pirq, (void)will_share;
    return -ENOSYS;
}
__attribute__((weak)) void pirq_guest_unbind(struct domain *d, uint32_t pirq)
{
    (void)d, (void)pirq;
}

static int ops_bind_pirq(void *ctx, struct evtchn_domain *e, uint32_t pirq, bool will_share)
{
    (void)ctx;
    return pirq_guest_bind(evd_to_domain(e), pirq, will_share);
}

static void ops_unbind_pirq(void *ctx, struct evtchn_domain *e, uint32_t pirq)
{
    (void)ctx;
    pirq_guest_unbind(evd_to_domain(e), pirq);
}

static const struct evtchn_ops ops = {
    .lookup = ops_lookup,
    .kick_vcpu = ops_kick,
    .port_pending = ops_port_pending,
    .bind_pirq = ops_bind_pirq,
    .unbind_pirq = ops_unbind_pirq,
};

/* Argument sizes per sub-op (the library structs are the ABI structs). */
static const uint8_t arg_size[] = {
    [EVTCHNOP_bind_interdomain] = sizeof(struct evtchn_bind_interdomain),
    [EVTCHNOP_bind_virq] = sizeof(struct evtchn_bind_virq),
    [EVTCHNOP_bind_pirq] = sizeof(struct evtchn_bind_pirq),
    [EVTCHNOP_close] = sizeof(struct evtchn_close),
    [EVTCHNOP_send] = sizeof(struct evtchn_send),
    [EVTCHNOP_status] = sizeof(struct evtchn_status),
    [EVTCHNOP_alloc_unbound] = sizeof(struct evtchn_alloc_unbound),
    [EVTCHNOP_bind_ipi] = sizeof(struct evtchn_bind_ipi),
    [EVTCHNOP_bind_vcpu] = sizeof(struct evtchn_bind_vcpu),
    [EVTCHNOP_unmask] = sizeof(struct evtchn_unmask),
    [EVTCHNOP_reset] = sizeof(struct evtchn_reset),
};

long do_event_channel_op(HC_ARGS)
{
    unsigned long cmd = a1;
    uint64_t arg = a2;
    struct evtchn_domain *me = &current->domain->evtchn;
    union {
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_pirq bind_pirq;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_unmask unmask;
        struct evtchn_reset reset;
    } op;

    /* FIFO ABI: not offered; any error makes Linux use the 2-level ABI. */
    if (cmd >= ARRAY_SIZE(arg_size) || !arg_size[cmd])
        return -ENOSYS;
    if (copy_from_guest(&op, arg, arg_size[cmd]))
        return -EFAULT;

    unsigned long f = spin_lock_irqsave(&evtchn_lock);
    int rc;
    switch (cmd) {
    case EVTCHNOP_bind_interdomain: rc = evtchn_bind_interdomain(&ops, me, &op.bind_interdomain); break;
    case EVTCHNOP_bind_virq: rc = evtchn_bind_virq(&ops, me, &op.bind_virq); break;
    case EVTCHNOP_bind_pirq: rc = evtchn_bind_pirq(&ops, me, &op.bind_pirq); break;
    case EVTCHNOP_close: rc = evtchn_close(&ops, me, &op.close); break;
    case EVTCHNOP_send: rc = evtchn_send(&ops, me, &op.send); break;
    case EVTCHNOP_status: rc = evtchn_status(&ops, me, &op.status); break;
    case EVTCHNOP_alloc_unbound: rc = evtchn_alloc_unbound(&ops, me, &op.alloc_unbound); break;
    case EVTCHNOP_bind_ipi: rc = evtchn_bind_ipi(&ops, me, &op.bind_ipi); break;
    case EVTCHNOP_bind_vcpu: rc = evtchn_bind_vcpu(&ops, me, &op.bind_vcpu); break;
    case EVTCHNOP_unmask: rc = evtchn_unmask(&ops, me, &op.unmask); break;
    case EVTCHNOP_reset:
        /* Xen: a missing domain is -ESRCH, someone else's without privilege
         * -EPERM; another (running) domain even with privilege -EINVAL. */
        if (op.reset.dom == DOMID_SELF || op.reset.dom == me->domid)
            rc = evtchn_reset(&ops, me, &op.reset);
        else if (!domain_lookup(op.reset.dom))
            rc = -ESRCH;
        else
            rc = me->privileged ? -EINVAL : -EPERM;
        break;
    default: rc = -ENOSYS; break;
    }
    spin_unlock_irqrestore(&evtchn_lock, f);
    if (rc)
        return rc;
    /* OUT fields travel back for the ops that have them. */
    if (cmd != EVTCHNOP_send && cmd != EVTCHNOP_close && cmd != EVTCHNOP_unmask &&
        copy_to_guest(arg, &op, arg_size[cmd]))
        return -EFAULT;
    return 0;
}

void pv_send_virq(struct vcpu *v, unsigned int virq)
{
    unsigned long f = spin_lock_irqsave(&evtchn_lock);
    evtchn_send_virq(&ops, &v->domain->evtchn, v->vcpu_id, virq);
    spin_unlock_irqrestore(&evtchn_lock, f);
}

void pv_timer_fired(struct vcpu *v)
{
    pv_send_virq(v, VIRQ_TIMER);
}

bool pv_port_pending(struct domain *d, unsigned int port)
{
    return evtchn_port_is_pending(&d->evtchn, port);
}

void pv_vcpu_info_moved(struct vcpu *v)
{
    unsigned long f = spin_lock_irqsave(&evtchn_lock);
    evtchn_vcpu_info_moved(&ops, &v->domain->evtchn, v->vcpu_id, v->vcpu_info);
    spin_unlock_irqrestore(&evtchn_lock, f);
}

/* Domain teardown (common/domain_destroy.c): close every port; the
 * interdomain peers fall back to unbound, as in Xen's evtchn_destroy(). */
void pv_evtchn_domain_destroy(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&evtchn_lock);
    evtchn_domain_destroy(&ops, &d->evtchn);
    spin_unlock_irqrestore(&evtchn_lock, f);
}

uint32_t pv_alloc_unbound_port(struct domain *d, uint16_t remote)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
    unsigned long f = spin_lock_irqsave(&evtchn_lock);
    int rc = evtchn_alloc_unbound(&ops, &d->evtchn, &op);
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc ? 0 : op.port;
}

/* Deliver physical IRQ pirq to d: raise the port bound to it (from the
 * interrupt handler; the event-channel lock is taken with interrupts off). */
int pv_send_pirq(struct domain *d, unsigned int port)
{
    unsigned long f = spin_lock_irqsave(&evtchn_lock);
    int rc = evtchn_set_pending(&ops, &d->evtchn, port);
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}
