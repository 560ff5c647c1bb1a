/* SPDX-License-Identifier: MIT */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <xeno/types.h>

/*
 * Register frame built by the exception/interrupt entry stubs.  The layout is
 * Xen's x86-64 struct cpu_user_regs (xen/arch-x86/xen-x86_64.h) up to ss, so a
 * guest's frame can later be copied to and from the ABI structure unchanged.
 */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t saved_upcall_mask;
    uint8_t _pad1[3];
    uint64_t rflags;
    uint64_t rsp;
    uint16_t ss, _pad2[3];
};

_Static_assert(sizeof(struct cpu_regs) == 168, "cpu_regs must match Xen's frame up to ss");

#endif
