/* SPDX-License-Identifier: MIT */
/*
 * Assembly for the traps test: raw-frame probes, the user-mode trampoline
 * and the user-mode code itself.
 */
#include <xen/xen.h>
#include "traps_test.h"

/*
 * raw_probe_N: installed as the trap-table entry of vector N.  Records the
 * stack pointer and the first RAW_WORDS quadwords exactly as the
 * hypervisor left them, then continues at the library's stub for N (which
 * expects the same frame).  Only %rax is used, and restored.
 */
.macro raw_probe vec
        .globl raw_probe_\vec
raw_probe_\vec:
        mov   %rax, raw_saved_rax(%rip)
        mov   %rsp, raw_rsp(%rip)
        i = 0
        .rept RAW_WORDS
        mov   (8 * i)(%rsp), %rax
        mov   %rax, raw_frame + (8 * i)(%rip)
        i = i + 1
        .endr
        mov   raw_saved_rax(%rip), %rax
        jmp   xtest_trap_stubs + 16 * \vec
.endm

        .text
        raw_probe 3
        raw_probe 6
        raw_probe 7
        raw_probe 13
        raw_probe 14
        raw_probe 0x80

/*
 * uint64_t exec_user(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t rflags)
 * Runs fn(arg) in guest user mode and returns its result.  Enters user mode
 * with the iret hypercall (CS RPL 3 = "to user"); fn's return comes back
 * as a `syscall` with rax = USER_EXIT_MAGIC, which the test's syscall
 * callback handler turns into a return to exec_user_return.
 */
        .globl exec_user
exec_user:
        push  %rbx
        push  %rbp
        push  %r12
        push  %r13
        push  %r14
        push  %r15
        mov   %rdi, exec_user_fn(%rip)
        mov   %rsi, exec_user_arg(%rip)
        mov   %rsp, exec_user_ksp(%rip)
        pushq $FLAT_USER_SS
        lea   user_stack_top(%rip), %rax
        push  %rax
        push  %rdx
        pushq $FLAT_USER_CS
        lea   user_trampoline(%rip), %rax
        push  %rax
        jmp   xtest_iret_to_frame

        .globl exec_user_return
exec_user_return:
        mov   exec_user_ksp(%rip), %rsp
        pop   %r15
        pop   %r14
        pop   %r13
        pop   %r12
        pop   %rbp
        pop   %rbx
        mov   exec_user_result(%rip), %rax
        ret

/* ---------------- code that runs in guest user mode ---------------- */
        .section .usertext, "ax", @progbits
user_trampoline:
        mov   exec_user_arg(%rip), %rdi
        call  *exec_user_fn(%rip)
        mov   %rax, %rdi
        mov   $USER_EXIT_MAGIC, %eax
        syscall
        ud2

/* uint64_t user_read(uint64_t va): a load, with an extable fixup. */
        .globl user_read
user_read:
        xor   %eax, %eax
1:      mov   (%rdi), %rax
2:      ret
        .pushsection .xtest_extable, "a"
        .quad 1b, 2b
        .popsection

/* uint64_t user_write(uint64_t va): store 0x77, fixup on fault; returns 0. */
        .globl user_write
user_write:
        xor   %eax, %eax
1:      movq  $0x77, (%rdi)
2:      ret
        .pushsection .xtest_extable, "a"
        .quad 1b, 2b
        .popsection

/* uint64_t user_syscall(uint64_t arg): a plain syscall from user mode. */
        .globl user_syscall
        .globl user_syscall_ret
user_syscall:
        mov   $USER_SYSCALL_MAGIC, %eax
        movabs $0xc1c1c1c1c1c1c1c1, %rcx
        movabs $0x1111111111111111, %r11
        syscall
user_syscall_ret:
        ret

/* uint64_t user_int80(uint64_t arg) */
        .globl user_int80
        .globl user_int80_ret
user_int80:
        mov   %rdi, %rax
        int   $0x80
user_int80_ret:
        ret

/* uint64_t user_ud2(uint64_t arg): handler skips the 2-byte ud2. */
        .globl user_ud2
        .globl user_ud2_insn
user_ud2:
        mov   %rdi, %rax
user_ud2_insn:
        ud2
        ret

/* uint64_t user_gs_read(uint64_t unused): %gs:0 in user mode. */
        .globl user_gs_read
user_gs_read:
        mov   %gs:0, %rax
        ret

/* uint64_t user_rdmsr(uint64_t msr): privileged in user mode -> #GP. */
        .globl user_rdmsr
user_rdmsr:
        mov   %rdi, %rcx
        xor   %eax, %eax
1:      rdmsr
2:      ret
        .pushsection .xtest_extable, "a"
        .quad 1b, 2b
        .popsection

/* uint64_t user_hypercall(uint64_t nr): `syscall` from user is not a
 * hypercall: it goes to the syscall callback whatever rax holds. */
        .globl user_hypercall
user_hypercall:
        mov   %rdi, %rax
        syscall
        ret

        .bss
        .balign 4096
        .globl user_stack, user_stack_top
user_stack:
        .skip 8192
user_stack_top:
        .balign 8
raw_saved_rax:
        .skip 8
        .section .note.GNU-stack, "", @progbits
