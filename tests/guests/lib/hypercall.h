/* SPDX-License-Identifier: MIT */
/*
 * Hypercall entry for 64-bit PV test guests.
 *
 * ABI (xen-public-headers/xen/arch-x86/xen-x86_64.h): number in %rax,
 * arguments in %rdi, %rsi, %rdx, %r10, %r8, result in %rax.  The guest
 * kernel runs in ring 3, so `syscall` from guest-kernel mode *is* the
 * hypercall; the CPU itself overwrites %rcx (return RIP) and %r11 (RFLAGS).
 *
 * Two ways in, both always available:
 *  - xen_hc_syscall(): issue `syscall` inline, as Linux 6.1 does since it
 *    dropped the hypercall page.  %rcx/%r11 are clobbered.
 *  - xen_hc_page(): call stub N at hypercall_page + N*32, which the
 *    hypervisor fills in when the kernel has an XEN_ELFNOTE_HYPERCALL_PAGE
 *    note (only the "-hcpage" build variant has one; elsewhere the weak
 *    symbol is NULL).  The stub saves %rcx/%r11 itself.
 * xen_hypercall() picks the page in the variant built with
 * -DXTEST_HYPERCALL_PAGE, the inline syscall otherwise.
 *
 * Argument registers are treated as clobbered: the hypervisor may rewrite
 * them when it preempts a long hypercall and restarts it (a continuation).
 */
#ifndef XTEST_HYPERCALL_H
#define XTEST_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/memory.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/callback.h>
#include <xen/physdev.h>
#include "xen_errno.h"

/* Filled by the hypervisor in the -hcpage build (see head.S). */
extern char hypercall_page[] __attribute__((weak));

static inline long xen_hc_syscall(unsigned long nr, unsigned long a1,
                                  unsigned long a2, unsigned long a3,
                                  unsigned long a4, unsigned long a5)
{
    register unsigned long r1 asm("rdi") = a1;
    register unsigned long r2 asm("rsi") = a2;
    register unsigned long r3 asm("rdx") = a3;
    register unsigned long r4 asm("r10") = a4;
    register unsigned long r5 asm("r8") = a5;
    long ret;

    asm volatile("syscall"
                 : "=a"(ret), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5)
                 : "0"(nr)
                 : "rcx", "r11", "memory");
    return ret;
}

static inline long xen_hc_page(unsigned long nr, unsigned long a1,
                               unsigned long a2, unsigned long a3,
                               unsigned long a4, unsigned long a5)
{
    register unsigned long r1 asm("rdi") = a1;
    register unsigned long r2 asm("rsi") = a2;
    register unsigned long r3 asm("rdx") = a3;
    register unsigned long r4 asm("r10") = a4;
    register unsigned long r5 asm("r8") = a5;
    long ret;

    /* %rax carries the stub address in; the stub loads the number itself. */
    asm volatile("call *%%rax"
                 : "=a"(ret), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5)
                 : "0"((unsigned long)hypercall_page + nr * 32)
                 : "rcx", "r11", "memory");
    return ret;
}

#ifdef XTEST_HYPERCALL_PAGE
#define xen_hypercall xen_hc_page
#else
#define xen_hypercall xen_hc_syscall
#endif

#define HC(nr, a1, a2, a3, a4, a5)                                           \
    xen_hypercall(nr, (unsigned long)(a1), (unsigned long)(a2),              \
                  (unsigned long)(a3), (unsigned long)(a4), (unsigned long)(a5))

/* ---- typed wrappers, one per hypercall used by the tests ---- */

static inline long HYPERVISOR_set_trap_table(const struct trap_info *t)
{ return HC(__HYPERVISOR_set_trap_table, t, 0, 0, 0, 0); }

static inline long HYPERVISOR_mmu_update(const struct mmu_update *req,
                                         unsigned int count,
                                         unsigned int *done, domid_t dom)
{ return HC(__HYPERVISOR_mmu_update, req, count, done, dom, 0); }

static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *op,
                                        unsigned int count,
                                        unsigned int *done, domid_t dom)
{ return HC(__HYPERVISOR_mmuext_op, op, count, done, dom, 0); }

static inline long HYPERVISOR_set_gdt(const xen_pfn_t *frames, unsigned int n)
{ return HC(__HYPERVISOR_set_gdt, frames, n, 0, 0, 0); }

static inline long HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{ return HC(__HYPERVISOR_stack_switch, ss, sp, 0, 0, 0); }

static inline long HYPERVISOR_fpu_taskswitch(int set)
{ return HC(__HYPERVISOR_fpu_taskswitch, set, 0, 0, 0, 0); }

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{ return HC(__HYPERVISOR_memory_op, cmd, arg, 0, 0, 0); }

static inline long HYPERVISOR_multicall(struct multicall_entry *calls,
                                        unsigned int n)
{ return HC(__HYPERVISOR_multicall, calls, n, 0, 0, 0); }

static inline long HYPERVISOR_update_va_mapping(unsigned long va,
                                                uint64_t pte,
                                                unsigned long flags)
{ return HC(__HYPERVISOR_update_va_mapping, va, pte, flags, 0, 0); }

/* 64-bit ABI: the absolute timeout (ns of system time) is one register. */
static inline long HYPERVISOR_set_timer_op(uint64_t timeout)
{ return HC(__HYPERVISOR_set_timer_op, timeout, 0, 0, 0, 0); }

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{ return HC(__HYPERVISOR_xen_version, cmd, arg, 0, 0, 0); }

static inline long HYPERVISOR_console_io(int cmd, unsigned int count,
                                         const char *buf)
{ return HC(__HYPERVISOR_console_io, cmd, count, buf, 0, 0); }

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
                                             unsigned int count)
{ return HC(__HYPERVISOR_grant_table_op, cmd, uop, count, 0, 0); }

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{ return HC(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0); }

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{ return HC(__HYPERVISOR_vcpu_op, cmd, vcpu, arg, 0, 0); }

static inline long HYPERVISOR_set_segment_base(int which, unsigned long base)
{ return HC(__HYPERVISOR_set_segment_base, which, base, 0, 0, 0); }

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{ return HC(__HYPERVISOR_sched_op, cmd, arg, 0, 0, 0); }

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{ return HC(__HYPERVISOR_callback_op, cmd, arg, 0, 0, 0); }

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{ return HC(__HYPERVISOR_event_channel_op, cmd, arg, 0, 0, 0); }

static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{ return HC(__HYPERVISOR_physdev_op, cmd, arg, 0, 0, 0); }

#endif /* XTEST_HYPERCALL_H */
