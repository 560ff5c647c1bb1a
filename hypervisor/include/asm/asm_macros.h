/* SPDX-License-Identifier: MIT */
#ifndef ASM_ASM_MACROS_H
#define ASM_ASM_MACROS_H

/* Save / restore the general registers in struct cpu_regs order (r15 ends up
 * lowest), around a frame whose error_code/entry_vector slot is already
 * pushed.  Shared by the exception stubs and the PV entry paths. */
#ifdef __ASSEMBLY__
.macro SAVE_GPRS
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %rax
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
.endm

/* Restore them and drop the error_code/entry_vector slot: %rsp is then at
 * the hardware frame (rip) ready for IRETQ. */
.macro RESTORE_GPRS
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rax
        popq    %rcx
        popq    %rdx
        popq    %rsi
        popq    %rdi
        addq    $8, %rsp
.endm
#endif

#endif
