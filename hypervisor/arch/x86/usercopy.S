/* SPDX-License-Identifier: MIT */
/* Guest memory copies that survive faults: the exception table maps the
 * faulting instruction to a recovery point (see search_extable()). */

        .section .text, "ax"
        .globl  raw_copy_checked
/* size_t raw_copy_checked(void *dst, const void *src, size_t len): bytes not copied */
raw_copy_checked:
        /* Quadwords, then the tail: every rep iteration is an emulated step
         * under QEMU, and bounce frames / iret frames are 56-72 bytes. */
        movq    %rdx, %rcx
        shrq    $3, %rcx
        andl    $7, %edx
1:      rep movsq
        movq    %rdx, %rcx
5:      rep movsb
2:      movq    %rcx, %rax
        ret
6:      leaq    (%rdx, %rcx, 8), %rcx   /* faulted in the quadwords: 8 * left + tail */
        jmp     2b

        .globl  raw_cmpxchg_u64
/* int raw_cmpxchg_u64(uint64_t *p, uint64_t *old, uint64_t new): 0 ok, 1 mismatch, -1 fault */
raw_cmpxchg_u64:
        movq    (%rsi), %rax
3:      lock cmpxchgq %rdx, (%rdi)
        movq    %rax, (%rsi)
        setnz   %al
        movzbl  %al, %eax
        ret
4:      movl    $-1, %eax
        ret

        .section .extable, "a"
        .balign 8
        .quad   1b, 6b
        .quad   5b, 2b
        .quad   3b, 4b
