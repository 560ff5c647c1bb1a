/* SPDX-License-Identifier: MIT */
/*
 * Per-vCPU layout and small SMP helpers.
 *
 * Every vCPU owns one XTEST_PERCPU_SIZE-aligned block of xtest_percpu[]:
 * the lower half is the stack the vCPU normally runs on, the upper half is
 * the stack registered with HYPERVISOR_stack_switch, which the hypervisor
 * switches to when an exception or event interrupts guest *user* mode (the
 * bounce frame is pushed at kernel_sp).  Keeping the two apart means a
 * trap from user mode never overwrites the kernel frames of the code that
 * entered user mode.  The vCPU number is derived from %rsp.
 */
#ifndef XTEST_SMP_H
#define XTEST_SMP_H

#define XTEST_MAX_CPUS       2
#define XTEST_STACK_SIZE     (16 * 1024)
#define XTEST_PERCPU_SIZE    (2 * XTEST_STACK_SIZE)

#ifndef __ASSEMBLER__
#include <stdint.h>

extern char xtest_percpu[XTEST_MAX_CPUS][XTEST_PERCPU_SIZE];

static inline unsigned int xtest_cpu(void)
{
    unsigned long sp;

    asm volatile("mov %%rsp, %0" : "=r"(sp));
    return (unsigned int)((sp - (unsigned long)xtest_percpu) / XTEST_PERCPU_SIZE);
}

static inline void *xtest_main_stack_top(unsigned int cpu)
{
    return xtest_percpu[cpu] + XTEST_STACK_SIZE;
}

static inline void *xtest_trap_stack_top(unsigned int cpu)
{
    return xtest_percpu[cpu] + XTEST_PERCPU_SIZE;
}

struct vcpu_guest_context;

/*
 * Bring up a secondary vCPU.  xtest_vcpu_context() fills a context like
 * the boot vCPU's (kernel mode, same L4, trap table and callbacks, own
 * stacks, entry at xtest_ap_entry); tests may adjust it before
 * xtest_vcpu_start(), which does VCPUOP_initialise (once per vCPU) and
 * VCPUOP_up.  The vCPU runs fn(cpu), then takes itself down with
 * VCPUOP_down; xtest_vcpu_run() hands a down vCPU another function and
 * ups it again.
 */
void xtest_vcpu_context(unsigned int cpu, struct vcpu_guest_context *c);
long xtest_vcpu_start(unsigned int cpu, struct vcpu_guest_context *c,
                      void (*fn)(unsigned int cpu));
long xtest_vcpu_run(unsigned int cpu, void (*fn)(unsigned int cpu));

static inline void spin_lock(volatile int *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        while (*l)
            asm volatile("pause");
}

static inline void spin_unlock(volatile int *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}
#endif

#endif /* XTEST_SMP_H */
