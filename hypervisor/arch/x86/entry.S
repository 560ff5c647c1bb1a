/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry: one 16-byte stub per vector (IDT entry n
 * points at entry_stubs + 16n).  Each stub makes the frame uniform (a zero
 * error code where the CPU pushes none) and records the vector in the upper
 * half of that slot, which is Xen's cpu_user_regs layout (error_code,
 * entry_vector), then the common path saves the GPRs and calls do_trap().
 */
#include <asm/config.h>
#include <asm/asm_offsets.h>
#include <asm/asm_macros.h>

/* Vectors for which the CPU pushes an error code (SDM vol. 3, 6.13). */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

        .section .text.entry, "ax"
        .balign 16
        .globl  entry_stubs
entry_stubs:
        .set    vec, 0
        .rept   256
        .balign 16
        .if     HAS_ERRCODE(vec)
        .else
        pushq   $0
        .endif
        movl    $vec, 4(%rsp)
        jmp     common_entry
        .set    vec, vec + 1
        .endr

common_entry:
        cld
        SAVE_GPRS
        movq    %rsp, %rdi
        /* 48 bytes of CPU frame + 120 of GPRs leave %rsp 8 off 16-byte alignment. */
        subq    $8, %rsp
        call    do_trap
        addq    $8, %rsp
        /* Interrupted a guest (ring 3)?  Then leave through the guest exit
         * path: events, softirqs, maybe another vCPU. */
        testb   $3, REGS_CS(%rsp)
        jz      restore_regs_and_iret
        /* ...unless the frame is on an IST stack (NMI, #DF, #MC): those
         * return straight to where they struck. */
        movq    %rsp, %rax
        orq     $(STACK_SIZE - 1), %rax
        leaq    1 - CPU_INFO_SIZE + CPUINFO_GUEST_REGS(%rax), %rax
        cmpq    %rax, %rsp
        je      return_to_guest
        .globl  restore_regs_and_iret
restore_regs_and_iret:
        RESTORE_GPRS
        iretq
