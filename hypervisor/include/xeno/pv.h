/* SPDX-License-Identifier: MIT */
#ifndef XENO_PV_H
#define XENO_PV_H

/* The x86-64 PV guest machinery (arch/x86/pv/). */
#include <asm/percpu.h>
#include <asm/regs.h>
#include <xeno/sched.h>

#define ENTRY_VECTOR_SYSCALL 0x100      /* entry_vector of a frame built by SYSCALL */

/* The live guest frame of this CPU's current vCPU. */
static inline struct cpu_regs *guest_cpu_regs(void) { return &get_cpu_info()->guest_regs; }

/* Per-CPU set-up: SYSCALL MSRs and this CPU's LSTAR stub. */
void pv_cpu_init(unsigned int cpu);
void pv_vcpu_init_fpu(struct vcpu *v);

/* Context switch halves (arch/x86/pv/context.c). */
void pv_save_state(struct vcpu *v);
void pv_load_state(struct vcpu *v);
/* Switch the vCPU between guest kernel and guest user mode (CR3 and GS). */
void toggle_guest_mode(struct vcpu *v);

/* Exceptions and interrupts that arrived from guest ring 3. */
void do_guest_trap(struct cpu_regs *regs);
/* Queue delivery of trap `vector` to the guest (bounced on the way out). */
void pv_inject_trap(struct vcpu *v, unsigned int vector, bool has_error, uint32_t error_code);
void pv_inject_page_fault(struct vcpu *v, uint64_t cr2, uint32_t error_code);

/* Hypercalls (pv/hypercall.c). */
long pv_hypercall(struct cpu_regs *regs);
long do_iret(void);

/* Never returns: continue at fn on a fresh stack (pv/entry.S). */
void reset_stack_and_jump(void (*fn)(void)) __attribute__((noreturn));
void return_to_guest(void);


/* Guest fault helpers (arch/x86/pv/emulate.c, pv/mm glue): true if handled. */
bool pv_handle_page_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2);
bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *regs);
bool pv_emulate_forced(struct vcpu *v, struct cpu_regs *regs);
/* Hypervisor interrupts (timer, IPIs) taken from any context. */
void do_hypervisor_interrupt(struct cpu_regs *regs);

/* Raise a VIRQ for v (no-op if the guest has not bound it). */
void pv_send_virq(struct vcpu *v, unsigned int virq);
bool pv_port_pending(struct domain *d, unsigned int port);
/* Physical IRQs (arch/x86/irq.c): EVTCHNOP_bind_pirq routes pirq to d. */
int pirq_guest_bind(struct domain *d, uint32_t pirq, bool will_share);
void pirq_guest_unbind(struct domain *d, uint32_t pirq);
/* Raise port of d (PIRQ delivery). */
int pv_send_pirq(struct domain *d, unsigned int port);
/* Close all of d's ports (teardown). */
void pv_evtchn_domain_destroy(struct domain *d);
/* An unbound port of d offered to domain remote (0 on failure). */
uint32_t pv_alloc_unbound_port(struct domain *d, uint16_t remote);
/* Time (pv/time.c). */
struct vcpu_runstate_info;
void update_domain_wallclock(struct domain *d);
void pv_fill_runstate(struct vcpu *v, struct vcpu_runstate_info *ri);
void pv_update_runstate_area(struct vcpu *v);
/* The vCPU's vcpu_info moved (VCPUOP_register_vcpu_info): re-raise events. */
void pv_vcpu_info_moved(struct vcpu *v);
/* VCPUOP_initialise: load a vcpu_guest_context from the guest. */
long pv_vcpu_initialise(struct vcpu *v, uint64_t ctx_va);
/* The same from a context already in hypervisor memory (XEN_DOMCTL_setvcpucontext):
 * 0, -EEXIST (already initialised) or the validation error; v must not run. */
long pv_vcpu_load_context(struct vcpu *v, const struct vcpu_guest_context *c);
/* A vCPU's singleshot or periodic timer expired: send VIRQ_TIMER. */
void pv_timer_fired(struct vcpu *v);

#endif
