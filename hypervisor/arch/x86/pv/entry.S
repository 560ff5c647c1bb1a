/* SPDX-License-Identifier: MIT */
/*
 * PV guest entry and exit.
 *
 * SYSCALL from the guest (a hypercall from its kernel, a system call from its
 * user space) does not switch stacks, and the hypervisor cannot use GS (the
 * guest owns it).  So each CPU's LSTAR points at its own copy of a small stub
 * (copied from lstar_template) that parks the guest %rsp in the stub's data,
 * loads the CPU's stack (the end of cpu_info->guest_regs), and builds the same
 * frame an interrupt from ring 3 would: ss, rsp, rflags (r11), cs, rip (rcx).
 *
 * Every way back to a guest goes through return_to_guest with %rsp at
 * cpu_info->guest_regs: pending softirqs, trap bounces and event upcalls are
 * handled in C (guest_exit_work), then the frame is popped and iretq'd.
 */
#include <asm/asm_offsets.h>
#include <asm/config.h>

#define ENTRY_VECTOR_SYSCALL 0x100

        .section .text.entry, "ax"

        .balign 64
        .globl  lstar_template, lstar_template_end, lstar_stack_slot
lstar_template:
        movq    %rsp, .Lsaved_rsp(%rip)
        movq    .Lstack(%rip), %rsp
        pushq   $FLAT_RING3_DS32_SEL            /* ss: FLAT_KERNEL_SS / FLAT_USER_SS */
        pushq   .Lsaved_rsp(%rip)
        pushq   %r11                            /* rflags */
        pushq   $FLAT_RING3_CS64_SEL            /* cs: FLAT_KERNEL_CS / FLAT_USER_CS */
        pushq   %rcx                            /* rip */
        jmpq    *.Lentry(%rip)
        .balign 8
.Lsaved_rsp:
        .quad   0
lstar_stack_slot:
.Lstack:
        .quad   0
.Lentry:
        .quad   syscall_enter
lstar_template_end:

syscall_enter:
        pushq   $0
        movl    $ENTRY_VECTOR_SYSCALL, 4(%rsp)
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
        movq    %rsp, %rdi
        subq    $8, %rsp
        call    do_guest_syscall
        addq    $8, %rsp
        /* fall through */

        .globl  return_to_guest
return_to_guest:
        cli
        subq    $8, %rsp
        call    guest_exit_work
        addq    $8, %rsp
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
        /* A frame the guest made unusable (a CS/SS whose descriptor it
         * changed) faults here in ring 0; the exception table sends that to
         * guest_iret_fault instead of treating it as a hypervisor bug. */
.Lguest_iret:
        iretq

/* %rsp is back at the guest frame's rip slot (the fault's own frame has
 * been unwound): rebuild the cpu_regs view and let C deal with the guest. */
guest_iret_fault:
        subq    $REGS_RIP, %rsp
        movq    %rsp, %rdi
        subq    $8, %rsp
        call    pv_iret_fault
        addq    $8, %rsp
        jmp     return_to_guest

        .section .extable, "a"
        .balign 8
        .quad   .Lguest_iret, guest_iret_fault
        .previous

/* reset_stack_and_jump(fn): drop everything on this CPU's stack and continue
 * at fn with %rsp at cpu_info->guest_regs (so the frame there is live). */
        .globl  reset_stack_and_jump
reset_stack_and_jump:
        movq    %rsp, %rax
        orq     $(STACK_SIZE - 1), %rax
        leaq    1 - CPU_INFO_SIZE + CPUINFO_GUEST_REGS(%rax), %rsp
        jmpq    *%rdi
