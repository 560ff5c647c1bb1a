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
#include <asm/asm_macros.h>
#include <asm/config.h>

#define ENTRY_VECTOR_SYSCALL 0x100

        .section .text.entry, "ax"

        .balign 64
        .globl  lstar_template, lstar_template_end, lstar_scratch1, lstar_scratch2, lstar_stack_imm
lstar_template:
        /* Nothing may be written to the stub's own page: a store next to
         * running code costs a self-modifying-code flush on hardware and a
         * slow path in QEMU on every hypercall.  So %rax is parked in this
         * CPU's cpu_info (absolute addresses patched in per CPU) and the
         * guest %rsp travels through %rax. */
        .byte   0x48, 0xa3              /* movabs %rax, scratch */
lstar_scratch1:
        .quad   0
        .byte   0x48, 0xb8              /* movabs $stack_top, %rax */
lstar_stack_imm:
        .quad   0
        xchgq   %rax, %rsp
        pushq   $FLAT_RING3_DS32_SEL            /* ss: FLAT_KERNEL_SS / FLAT_USER_SS */
        pushq   %rax                            /* the guest's rsp */
        pushq   %r11                            /* rflags */
        pushq   $FLAT_RING3_CS64_SEL            /* cs: FLAT_KERNEL_CS / FLAT_USER_CS */
        pushq   %rcx                            /* rip */
        .byte   0x48, 0xa1              /* movabs scratch, %rax */
lstar_scratch2:
        .quad   0
        jmpq    *.Lentry(%rip)
        .balign 8
.Lentry:
        .quad   syscall_enter
lstar_template_end:

syscall_enter:
        pushq   $0
        movl    $ENTRY_VECTOR_SYSCALL, 4(%rsp)
        SAVE_GPRS
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
        /* SYSRETQ when the frame allows it (Xen does the same): it came in
         * by SYSCALL or was rewritten for a bounce (the guest saved rcx/r11
         * on its stack), it returns to the flat 64-bit CS that SYSRET
         * loads anyway, and its rip is canonical -- SYSRET with a
         * non-canonical rcx faults in ring 0 on Intel CPUs. */
        cmpl    $ENTRY_VECTOR_SYSCALL, REGS_ENTRY_VECTOR(%rsp)
        jne     .Lguest_iret_path
        cmpw    $FLAT_RING3_CS64_SEL, REGS_CS(%rsp)
        jne     .Lguest_iret_path
        cmpw    $FLAT_RING3_DS32_SEL, REGS_SS(%rsp)
        jne     .Lguest_iret_path
        movq    REGS_RIP(%rsp), %rcx
        movq    %rcx, %r11
        shlq    $16, %r11
        sarq    $16, %r11
        cmpq    %rcx, %r11
        jne     .Lguest_iret_path
        RESTORE_GPRS
        movq    0(%rsp), %rcx                   /* rip */
        movq    16(%rsp), %r11                  /* rflags */
        movq    24(%rsp), %rsp                  /* the guest's stack */
        sysretq

.Lguest_iret_path:
        RESTORE_GPRS
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
