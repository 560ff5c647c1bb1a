/* SPDX-License-Identifier: MIT */
/*
 * Exception and callback entry stubs, and the way back through
 * HYPERVISOR_iret.  Frame layouts: see traps.h.
 */
#include <xen/xen.h>
#include "traps.h"

/* Vectors for which the CPU (and so the bounce frame) has an error code. */
#define EC_MASK ((1 << 8) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | \
                 (1 << 14) | (1 << 17) | (1 << 21) | (1 << 29) | (1 << 30))

        .text
/*
 * 256 stubs, 16 bytes apart: xtest_trap_stubs + 16 * vector.  Each first
 * pops rcx and r11, which the hypervisor saved at the bottom of the frame
 * because it may enter us with SYSRET, making the frame look like the
 * hardware one; then it pushes a dummy error code where the CPU has none,
 * and the vector.
 */
        .balign 16
        .globl xtest_trap_stubs
xtest_trap_stubs:
        vec = 0
        .rept 256
        .balign 16
        pop   %rcx
        pop   %r11
        .if (vec >= 32) || (((EC_MASK >> (vec & 31)) & 1) == 0)
        push  $0
        .endif
        push  $vec
        jmp   xtest_trap_common
        vec = vec + 1
        .endr

/* Event upcall: [rcx, r11, rip, cs, rflags, rsp, ss]. */
        .balign 16
        .globl xtest_event_entry
xtest_event_entry:
        pop   %rcx
        pop   %r11
        push  $0
        push  $XTEST_VEC_EVENT
        jmp   xtest_trap_common

/* SYSCALL from guest user mode: same frame; rcx/r11 are the user's. */
        .balign 16
        .globl xtest_syscall_entry
xtest_syscall_entry:
        pop   %rcx
        pop   %r11
        push  $0
        push  $XTEST_VEC_SYSCALL
        jmp   xtest_trap_common

/*
 * Failsafe: [rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss].  The
 * selectors are recorded for the test and dropped from the frame.
 */
        .balign 16
        .globl xtest_failsafe_entry
xtest_failsafe_entry:
        pop   %rcx
        pop   %r11
        push  %rax
        mov   8(%rsp), %rax
        mov   %rax, xtest_failsafe_segs(%rip)
        mov   16(%rsp), %rax
        mov   %rax, xtest_failsafe_segs + 8(%rip)
        mov   24(%rsp), %rax
        mov   %rax, xtest_failsafe_segs + 16(%rip)
        mov   32(%rsp), %rax
        mov   %rax, xtest_failsafe_segs + 24(%rip)
        pop   %rax
        add   $32, %rsp
        push  $0
        push  $XTEST_VEC_FAILSAFE
        jmp   xtest_trap_common

xtest_trap_common:
        push  %rdi
        push  %rsi
        push  %rdx
        push  %rcx
        push  %rax
        push  %r8
        push  %r9
        push  %r10
        push  %r11
        push  %rbx
        push  %rbp
        push  %r12
        push  %r13
        push  %r14
        push  %r15
        mov   %rsp, %rdi
        mov   %rsp, %rbx        /* callee-saved: survives the C call */
        and   $-16, %rsp        /* the ABI wants 16-byte alignment at calls */
        cld
        call  xtest_trap_dispatch
        mov   %rbx, %rsp
        pop   %r15
        pop   %r14
        pop   %r13
        pop   %r12
        pop   %rbp
        pop   %rbx
        pop   %r11
        pop   %r10
        pop   %r9
        pop   %r8
        pop   %rax
        pop   %rcx
        pop   %rdx
        pop   %rsi
        pop   %rdi
        add   $16, %rsp         /* vector, error code */
        /* fall through */

/*
 * With %rsp at [rip, cs, rflags, rsp, ss], return through the iret
 * hypercall.  Its frame (struct iret_context) is
 *   rax, r11, rcx, flags, rip, cs, rflags, rsp, ss
 * flags = 0 (not VGCF_in_syscall) asks for rcx and r11 to be restored from
 * the frame too.  An RPL of 3 in cs returns to guest user mode; the new
 * evtchn_upcall_mask is !rflags.IF.
 */
        .globl xtest_iret_to_frame
xtest_iret_to_frame:
        push  $0
#ifdef XTEST_HYPERCALL_PAGE
        /* The page's iret stub pushes rcx, r11 and rax itself. */
        jmp   hypercall_page + __HYPERVISOR_iret * 32
#else
        push  %rcx
        push  %r11
        push  %rax
        mov   $__HYPERVISOR_iret, %eax
        syscall
#endif
        ud2                     /* iret never returns here */

        .section .note.GNU-stack, "", @progbits
