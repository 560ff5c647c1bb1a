/* SPDX-License-Identifier: MIT */
/*
 * Event-channel upcall handler and wrappers (2-level ABI, see evtchn.h).
 */
#include "evtchn.h"
#include "traps.h"

struct vcpu_info *xtest_vcpu_info[XTEST_MAX_CPUS];
volatile uint32_t evtchn_fired[XTEST_NR_PORTS];
volatile uint32_t evtchn_upcalls[XTEST_MAX_CPUS];
static evtchn_handler_t handlers[XTEST_NR_PORTS];

#define BITS 64

void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn)
{
    if (port < XTEST_NR_PORTS)
        handlers[port] = fn;
}

/*
 * Runs in the event callback, with events masked by the hypervisor.
 * Clear upcall_pending *before* scanning (a new event re-sets it, and the
 * loop goes round again), then take the selector word atomically, as the
 * hypervisor sets its bits concurrently from other CPUs.
 */
void evtchn_do_upcall(struct xtest_regs *regs)
{
    unsigned int cpu = xtest_cpu();
    struct vcpu_info *vi = xtest_vcpu_info[cpu];
    struct shared_info *s = xtest_shared;

    evtchn_upcalls[cpu]++;
    while (READ_ONCE(vi->evtchn_upcall_pending)) {
        uint64_t sel;

        WRITE_ONCE(vi->evtchn_upcall_pending, 0);
        sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = __builtin_ctzl(sel);
            uint64_t act;

            sel &= sel - 1;
            act = READ_ONCE(s->evtchn_pending[w]) & ~READ_ONCE(s->evtchn_mask[w]);
            while (act) {
                unsigned int b = __builtin_ctzl(act);
                evtchn_port_t port = w * BITS + b;

                act &= act - 1;
                __atomic_fetch_and(&s->evtchn_pending[w], ~(1UL << b),
                                   __ATOMIC_SEQ_CST);
                if (port < XTEST_NR_PORTS) {
                    __atomic_fetch_add(&evtchn_fired[port], 1, __ATOMIC_SEQ_CST);
                    if (handlers[port])
                        handlers[port](port, regs);
                }
            }
        }
    }
}

void events_enable(void)
{
    struct vcpu_info *vi = xtest_vcpu_info[xtest_cpu()];

    barrier();
    WRITE_ONCE(vi->evtchn_upcall_mask, 0);
    barrier();
    /* Unmasking does not by itself cause an upcall: like Linux, make a
     * cheap hypercall so the hypervisor delivers on its way back. */
    if (READ_ONCE(vi->evtchn_upcall_pending))
        HYPERVISOR_xen_version(XENVER_version, NULL);
}

void events_disable(void)
{
    WRITE_ONCE(xtest_vcpu_info[xtest_cpu()]->evtchn_upcall_mask, 1);
    barrier();
}

void evtchn_mask_port(evtchn_port_t port)
{
    __atomic_fetch_or(&xtest_shared->evtchn_mask[port / BITS],
                      1UL << (port % BITS), __ATOMIC_SEQ_CST);
}

/*
 * Clear the mask bit and, if the port is pending, raise the selector and
 * upcall-pending bits ourselves: the hypervisor only does that when the
 * port becomes pending, not when it is unmasked (for a port bound to this
 * vCPU; EVTCHNOP_unmask does the same on the hypervisor side).
 */
void evtchn_unmask_port_local(evtchn_port_t port)
{
    struct vcpu_info *vi = xtest_vcpu_info[xtest_cpu()];
    unsigned int w = port / BITS;

    __atomic_fetch_and(&xtest_shared->evtchn_mask[w], ~(1UL << (port % BITS)),
                       __ATOMIC_SEQ_CST);
    if (evtchn_is_pending(port)) {
        __atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << w, __ATOMIC_SEQ_CST);
        WRITE_ONCE(vi->evtchn_upcall_pending, 1);
        if (!READ_ONCE(vi->evtchn_upcall_mask))
            HYPERVISOR_xen_version(XENVER_version, NULL);
    }
}

bool evtchn_is_pending(evtchn_port_t port)
{
    return (READ_ONCE(xtest_shared->evtchn_pending[port / BITS]) >> (port % BITS)) & 1;
}

bool evtchn_is_masked(evtchn_port_t port)
{
    return (READ_ONCE(xtest_shared->evtchn_mask[port / BITS]) >> (port % BITS)) & 1;
}

void evtchn_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(&xtest_shared->evtchn_pending[port / BITS],
                       ~(1UL << (port % BITS)), __ATOMIC_SEQ_CST);
}

long evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    if (port)
        *port = op.port;
    return rc;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
                             evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = {
        .remote_dom = remote, .remote_port = rport,
    };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    if (port)
        *port = op.local_port;
    return rc;
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    if (port)
        *port = op.port;
    return rc;
}

long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

    if (port)
        *port = op.port;
    return rc;
}

long evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };

    return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
}

long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}
