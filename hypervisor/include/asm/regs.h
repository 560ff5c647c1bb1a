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

#include <asm/asm_offsets.h>
_Static_assert(sizeof(struct cpu_regs) == REGS_SIZE, "cpu_regs must match Xen's frame up to ss");
_Static_assert(__builtin_offsetof(struct cpu_regs, rax) == REGS_RAX, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu_regs, rcx) == REGS_RCX, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu_regs, error_code) == REGS_ERROR_CODE, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu_regs, entry_vector) == REGS_ENTRY_VECTOR, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu_regs, rip) == REGS_RIP, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu_regs, cs) == REGS_CS, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu_regs, rflags) == REGS_RFLAGS, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu_regs, rsp) == REGS_RSP, "asm offset");
_Static_assert(__builtin_offsetof(struct cpu_regs, ss) == REGS_SS, "asm offset");

#endif
