/* SPDX-License-Identifier: MIT */
/* Guest memory copies that survive faults: the exception table maps the
 * faulting instruction to a recovery point (see search_extable()). */

        .section .text, "ax"
        .globl  raw_copy_checked
/* size_t raw_copy_checked(void *dst, const void *src, size_t len): bytes not copied */
raw_copy_checked:
        movq    %rdx, %rcx
1:      rep movsb
2:      movq    %rcx, %rax
        ret

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
        .quad   1b, 2b
        .quad   3b, 4b
