/* SPDX-License-Identifier: MIT */
/*
 * AP start-up trampoline.  smp_boot_cpus() copies this to a page below 1 MiB
 * (trampoline_phys) and sends INIT-SIPI-SIPI with that page number: the AP
 * starts in real mode at CS = page << 8, IP = 0.  Everything here is
 * addressed relative to the copy; the BSP patches the tr_* slots first.
 */
#define OFF(x) ((x) - trampoline_start)

        .section .trampoline, "ax"
        .code16
        .globl  trampoline_start, trampoline_end
        .globl  tr_gdtr, tr_jmp32, tr_jmp64, tr_cr3, tr_efer, tr_stack, tr_entry, tr_cpu
trampoline_start:
        cli
        cld
        movw    %cs, %ax
        movw    %ax, %ds
        movzwl  %ax, %ebx
        shll    $4, %ebx                /* %ebx = physical base of this copy */
        lgdtl   OFF(tr_gdtr)
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        ljmpl   *OFF(tr_jmp32)

        .code32
tr_prot:
        movw    $0x10, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movl    %cr4, %eax
        orl     $0xa0, %eax             /* PAE | PGE */
        movl    %eax, %cr4
        movl    OFF(tr_cr3)(%ebx), %eax
        movl    %eax, %cr3
        movl    $0xc0000080, %ecx       /* EFER: LME, plus NXE if the BSP uses it */
        rdmsr
        orl     $0x100, %eax
        orl     OFF(tr_efer)(%ebx), %eax
        wrmsr
        movl    %cr0, %eax
        orl     $0x80010001, %eax       /* PG | WP | PE */
        movl    %eax, %cr0
        ljmpl   *OFF(tr_jmp64)(%ebx)

        .code64
tr_long:
        movl    %ebx, %ebx
        movq    OFF(tr_stack)(%rbx), %rsp
        movl    OFF(tr_cpu)(%rbx), %edi
        movq    OFF(tr_entry)(%rbx), %rax
        xorl    %ebp, %ebp
        jmpq    *%rax

        .balign 8
tr_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff      /* 0x08: 32-bit code */
        .quad   0x00cf92000000ffff      /* 0x10: data */
        .quad   0x00af9a000000ffff      /* 0x18: 64-bit code */
        .short  0
tr_gdtr:
        .short  31
        .long   OFF(tr_gdt)             /* + base, patched */
tr_jmp32:
        .long   OFF(tr_prot)            /* + base, patched */
        .short  0x08
tr_jmp64:
        .long   OFF(tr_long)            /* + base, patched */
        .short  0x18
        .balign 8
tr_cr3:   .long 0, 0
tr_efer:  .long 0, 0
tr_stack: .quad 0
tr_entry: .quad 0
tr_cpu:   .long 0, 0
trampoline_end:
