/* SPDX-License-Identifier: MIT */
/*
 * Register-preservation probes: load a distinct pattern into every GPR,
 * make one hypercall (XENVER_version), store every GPR and RFLAGS into
 * hc_after.  rdi/rsi/rdx/r10/r8 carry the (zero) arguments.
 *   regs_probe_syscall(nr)       - inline `syscall`
 *   regs_probe_call(nr, target)  - `call *target` (a hypercall-page stub)
 * DF is set across the call: the hypervisor must hand back the guest's
 * RFLAGS (SYSCALL masks them only while inside the hypervisor).
 */
        .text

.macro load_patterns
        movabs $0xb0b0b0b0b0b0b0b0, %rbx
        movabs $0xbebebebebebebebe, %rbp
        movabs $0xc1c1c1c1c1c1c1c1, %rcx
        movabs $0x9999999999999999, %r9
        movabs $0x1111111111111111, %r11
        movabs $0x1212121212121212, %r12
        movabs $0x1313131313131313, %r13
        movabs $0x1414141414141414, %r14
        movabs $0x1515151515151515, %r15
        xor   %edi, %edi
        xor   %esi, %esi
        xor   %edx, %edx
        xor   %r10d, %r10d
        xor   %r8d, %r8d
.endm

.macro store_all
        pushfq
        cld
        mov   %rax, hc_after + 0(%rip)
        mov   %rbx, hc_after + 8(%rip)
        mov   %rcx, hc_after + 16(%rip)
        mov   %rdx, hc_after + 24(%rip)
        mov   %rsi, hc_after + 32(%rip)
        mov   %rdi, hc_after + 40(%rip)
        mov   %rbp, hc_after + 48(%rip)
        lea   8(%rsp), %rax
        mov   %rax, hc_after + 56(%rip)
        mov   %r8,  hc_after + 64(%rip)
        mov   %r9,  hc_after + 72(%rip)
        mov   %r10, hc_after + 80(%rip)
        mov   %r11, hc_after + 88(%rip)
        mov   %r12, hc_after + 96(%rip)
        mov   %r13, hc_after + 104(%rip)
        mov   %r14, hc_after + 112(%rip)
        mov   %r15, hc_after + 120(%rip)
        pop   %rax
        mov   %rax, hc_after + 128(%rip)
.endm

.macro save_callee
        push  %rbx
        push  %rbp
        push  %r12
        push  %r13
        push  %r14
        push  %r15
.endm

.macro restore_callee
        pop   %r15
        pop   %r14
        pop   %r13
        pop   %r12
        pop   %rbp
        pop   %rbx
.endm

        .globl regs_probe_syscall
regs_probe_syscall:
        save_callee
        mov   %rdi, %rax
        mov   %rsp, hc_rsp_before(%rip)
        load_patterns
        std
        .globl regs_probe_syscall_insn
regs_probe_syscall_insn:
        syscall
        .globl regs_probe_syscall_ret
regs_probe_syscall_ret:
        store_all
        restore_callee
        ret

        .globl regs_probe_call
regs_probe_call:
        save_callee
        mov   %rsi, hc_target(%rip)
        mov   %rdi, %rax        /* the stub loads its own number anyway */
        mov   %rsp, hc_rsp_before(%rip)
        load_patterns
        std
        call  *hc_target(%rip)
        store_all
        restore_callee
        ret

        .bss
        .balign 8
hc_target:
        .skip 8
        .section .note.GNU-stack, "", @progbits
