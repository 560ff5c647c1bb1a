/* SPDX-License-Identifier: MIT */
/*
 * Event channels, 2-level ABI (the default ABI of every PV guest).
 *
 * Raising port P sets bit P of shared_info.evtchn_pending; if that bit was
 * clear and bit P of evtchn_mask is clear, the hypervisor sets bit P/64 of
 * the bound vCPU's vcpu_info.evtchn_pending_sel and then
 * evtchn_upcall_pending, and enters the event callback when
 * evtchn_upcall_mask is 0.  The guest acknowledges by clearing the bits
 * itself.  evtchn_upcall_mask is the virtual interrupt flag.
 */
#ifndef XTEST_EVTCHN_H
#define XTEST_EVTCHN_H

#include "xtest.h"
#include "smp.h"

struct xtest_regs;

/* Where each vCPU's vcpu_info lives (shared_info slot unless re-registered). */
extern struct vcpu_info *xtest_vcpu_info[XTEST_MAX_CPUS];

#define XTEST_NR_PORTS 1024     /* ports the upcall handler keeps counts for */
extern volatile uint32_t evtchn_fired[XTEST_NR_PORTS];
extern volatile uint32_t evtchn_upcalls[XTEST_MAX_CPUS];

typedef void (*evtchn_handler_t)(evtchn_port_t port, struct xtest_regs *regs);
void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn);
void evtchn_do_upcall(struct xtest_regs *regs);

/* Virtual interrupt flag of the calling vCPU. */
void events_enable(void);       /* unmask; delivers anything pending */
void events_disable(void);

/* Guest-side (shared memory) mask/pending bit operations. */
void evtchn_mask_port(evtchn_port_t port);
void evtchn_unmask_port_local(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);
bool evtchn_is_masked(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);

/* Hypercall wrappers; return the hypercall result, port in *port. */
long evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
                             evtchn_port_t *port);
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long evtchn_send(evtchn_port_t port);
long evtchn_close(evtchn_port_t port);
long evtchn_unmask(evtchn_port_t port);
long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);

#endif /* XTEST_EVTCHN_H */
