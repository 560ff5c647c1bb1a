/* SPDX-License-Identifier: MIT */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <asm/config.h>
#include <asm/regs.h>
#include <asm/asm_offsets.h>

struct vcpu;
#include <xeno/types.h>

/*
 * Each CPU's stack is STACK_SIZE bytes, STACK_SIZE-aligned, with a struct
 * cpu_info at its top.  The current CPU is found from %rsp, never from %gs:
 * a PV guest owns the GS base, so the hypervisor cannot rely on it.
 */
struct cpu_info {
    uint64_t _align;               /* puts the end of guest_regs on a 16-byte boundary */
    struct cpu_regs guest_regs;    /* the guest's frame on every entry from ring 3 */
    unsigned int cpu_id;
    unsigned int _pad;
    struct percpu *pcpu;
    uint64_t syscall_scratch;      /* the SYSCALL stub parks the guest's %rax here */
    struct vcpu *curr_vcpu;        /* vCPU whose state is in guest_regs, NULL when idle */
};

_Static_assert(sizeof(struct cpu_info) <= CPU_INFO_SIZE, "CPU_INFO_SIZE too small");
_Static_assert(__builtin_offsetof(struct cpu_info, guest_regs) == CPUINFO_GUEST_REGS, "asm offset");

struct tss64 {
    uint32_t _rsvd0;
    uint64_t rsp[3];
    uint64_t _rsvd1;
    uint64_t ist[7];
    uint64_t _rsvd2;
    uint16_t _rsvd3;
    uint16_t iomap_base;
} __attribute__((packed, aligned(16)));

struct percpu {
    unsigned int cpu_id;
    uint32_t apic_id;
    volatile bool online;
    void *stack;                  /* base of the STACK_SIZE stack */
    struct tss64 tss;
    uint64_t *gdt_reserved;       /* the CPU's page of reserved descriptors (GDT page 14) */
    void *ist_stacks;             /* #DF, NMI, #MC stacks, one page each */
    volatile uint64_t timer_ticks;
    volatile uint64_t ipi_count;
    uint64_t tsc_offset_check;
};

extern struct percpu percpu[NR_CPUS];
extern unsigned int nr_cpus_online;

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;
    asm volatile("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - CPU_INFO_SIZE);
}

static inline unsigned int smp_processor_id(void) { return get_cpu_info()->cpu_id; }
static inline struct percpu *this_cpu(void) { return &percpu[smp_processor_id()]; }

#endif
