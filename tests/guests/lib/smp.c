/* SPDX-License-Identifier: MIT */
/*
 * Secondary vCPUs.  VCPUOP_initialise takes a struct vcpu_guest_context
 * (the same layout the toolstack uses): registers, the virtual IDT
 * (trap_ctxt, indexed by vector), kernel stack for user->kernel
 * transitions, CR3 in ctrlreg[3] as MFN << 12, and the callback entry
 * points.  A vCPU can be initialised only once; VCPUOP_up then makes it
 * runnable.
 */
#include "xtest.h"
#include "mm.h"
#include "smp.h"
#include "traps.h"

extern char xtest_ap_entry[];
static void (*volatile ap_fn[XTEST_MAX_CPUS])(unsigned int cpu);

void xtest_vcpu_context(unsigned int cpu, struct vcpu_guest_context *c)
{
    unsigned int v;

    memset(c, 0, sizeof(*c));
    c->flags = VGCF_in_kernel | VGCF_failsafe_disables_events |
               VGCF_syscall_disables_events;
    c->user_regs.rip = (unsigned long)xtest_ap_entry;
    c->user_regs.rsp = (unsigned long)xtest_main_stack_top(cpu);
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rflags = 0x200;
    for (v = 0; v < 32; v++)
        c->trap_ctxt[v] = xtest_trap_table[v];
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = (unsigned long)xtest_trap_stack_top(cpu);
    c->ctrlreg[3] = xen_pfn_to_cr3(xtest_l4_mfn);
    c->event_callback_eip = xtest_event_entry_addr;
    c->failsafe_callback_eip = xtest_failsafe_entry_addr;
    c->syscall_callback_eip = xtest_syscall_entry_addr;
}

long xtest_vcpu_start(unsigned int cpu, struct vcpu_guest_context *c,
                      void (*fn)(unsigned int cpu))
{
    long rc;

    if (cpu >= XTEST_MAX_CPUS)
        return -EINVAL;
    ap_fn[cpu] = fn;
    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu, c);
    if (rc)
        return rc;
    return HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
}

long xtest_vcpu_run(unsigned int cpu, void (*fn)(unsigned int cpu))
{
    if (cpu >= XTEST_MAX_CPUS)
        return -EINVAL;
    ap_fn[cpu] = fn;
    return HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
}

/* Secondary vCPUs arrive here from head.S (xtest_ap_entry). */
void xtest_ap_start(void)
{
    unsigned int cpu = xtest_cpu();

    for (;;) {
        void (*fn)(unsigned int) = __atomic_exchange_n(&ap_fn[cpu], NULL,
                                                       __ATOMIC_SEQ_CST);
        if (fn)
            fn(cpu);
        /* Down until the boot vCPU ups us again; VCPUOP_down on ourselves
         * returns only after that. */
        HYPERVISOR_vcpu_op(VCPUOP_down, cpu, NULL);
    }
}
