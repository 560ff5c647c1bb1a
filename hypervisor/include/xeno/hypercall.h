/* SPDX-License-Identifier: MIT */
#ifndef XENO_HYPERCALL_H
#define XENO_HYPERCALL_H

/* Hypercall handlers: one per __HYPERVISOR_* number, dispatched from the
 * table in pv/hypercall.c.  Arguments are the guest's raw register values
 * (rdi, rsi, rdx, r10, r8); each handler validates them itself. */
#include <xeno/types.h>

typedef uint64_t hc_arg_t;
#define HC_ARGS hc_arg_t a1, hc_arg_t a2, hc_arg_t a3, hc_arg_t a4, hc_arg_t a5
typedef long (*hypercall_fn)(HC_ARGS);

long do_set_trap_table(HC_ARGS);
long do_mmu_update(HC_ARGS);
long do_set_gdt(HC_ARGS);
long do_stack_switch(HC_ARGS);
long do_set_callbacks(HC_ARGS);
long do_fpu_taskswitch(HC_ARGS);
long do_platform_op(HC_ARGS);
long do_set_debugreg(HC_ARGS);
long do_get_debugreg(HC_ARGS);
long do_update_descriptor(HC_ARGS);
long do_memory_op(HC_ARGS);
long do_multicall(HC_ARGS);
long do_update_va_mapping(HC_ARGS);
long do_set_timer_op(HC_ARGS);
long do_xen_version(HC_ARGS);
long do_console_io(HC_ARGS);
long do_grant_table_op(HC_ARGS);
long do_vm_assist(HC_ARGS);
long do_iret_hc(HC_ARGS);
long do_vcpu_op(HC_ARGS);
long do_set_segment_base(HC_ARGS);
long do_mmuext_op(HC_ARGS);
long do_sched_op(HC_ARGS);
long do_callback_op(HC_ARGS);
long do_event_channel_op(HC_ARGS);
long do_physdev_op(HC_ARGS);
long do_sysctl(HC_ARGS);
long do_domctl(HC_ARGS);

/* Run one hypercall by number (also used by multicall); -ENOSYS if unknown. */
long hypercall_dispatch(unsigned int nr, HC_ARGS);

#endif
