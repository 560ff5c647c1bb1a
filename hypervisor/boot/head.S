/* SPDX-License-Identifier: MIT */
/*
 * Entry from a multiboot loader (multiboot1 from QEMU -kernel, multiboot2
 * from GRUB): 32-bit protected mode, paging off, EAX = loader magic, EBX =
 * physical address of the info structure.  We switch to long mode on static
 * page tables and jump to the image's high virtual address.
 */
#include <asm/config.h>

#define PHYS(x) ((x) - XEN_VIRT_START)

#define MB1_MAGIC   0x1BADB002
/* bit 0: page-align modules, bit 1: want memory info, bit 16: the address
 * fields below are valid (QEMU only loads ELF32 otherwise; we are ELF64). */
#define MB1_FLAGS   0x00010003
#define MB2_MAGIC   0xE85250D6

        .section .text.multiboot, "ax"
        .code32
        .balign 4
mb1_header:
        .long   MB1_MAGIC
        .long   MB1_FLAGS
        .long   -(MB1_MAGIC + MB1_FLAGS)
        .long   PHYS(mb1_header)        /* header_addr */
        .long   PHYS(__image_start)     /* load_addr: file offset 0 */
        .long   __load_end_phys         /* load_end_addr */
        .long   __image_end_phys        /* bss_end_addr */
        .long   start_phys              /* entry_addr */

        .balign 8
mb2_header:
        .long   MB2_MAGIC
        .long   0                       /* architecture: i386 protected mode */
        .long   mb2_end - mb2_header
        .long   -(MB2_MAGIC + (mb2_end - mb2_header))
        /* Information request (optional): cmdline, loader name, modules,
         * memory map, ACPI old/new RSDP. */
        .balign 8
        .short  1, 1
        .long   8 + 4 * 6
        .long   1, 2, 3, 6, 14, 15
        /* Address tag: same raw-load layout as the multiboot1 header. */
        .balign 8
        .short  2, 0
        .long   24
        .long   PHYS(mb2_header)
        .long   PHYS(__image_start)
        .long   __load_end_phys
        .long   __image_end_phys
        /* Entry address tag: the ELF entry is a 64-bit virtual address. */
        .balign 8
        .short  3, 0
        .long   12
        .long   start_phys
        /* Page-align modules. */
        .balign 8
        .short  6, 0
        .long   8
        /* End. */
        .balign 8
        .short  0, 0
        .long   8
mb2_end:

        .section .text.boot32, "ax"
        .code32
        .globl  start32
start32:
        cli
        cld
        movl    %eax, %ebp              /* loader magic */
        movl    %ebx, %edx              /* info pointer */

        /* Loaders zero .bss, but only QEMU promises it for the raw load. */
        movl    $PHYS(__bss_start), %edi
        movl    $PHYS(__bss_end), %ecx
        subl    %edi, %ecx
        xorl    %eax, %eax
        rep stosb

        movl    %ebp, PHYS(boot_mb_magic)
        movl    %edx, PHYS(boot_mb_info)
        movl    $PHYS(boot_stack_top), %esp

        /* Long mode (CPUID 0x80000001 EDX bit 29) is required. */
        movl    $0x80000000, %eax
        cpuid
        cmpl    $0x80000001, %eax
        jb      .Lno_long_mode
        movl    $0x80000001, %eax
        cpuid
        btl     $29, %edx
        jnc     .Lno_long_mode
        movl    %edx, %edi

        movl    %cr4, %eax
        orl     $0x20, %eax             /* CR4.PAE */
        movl    %eax, %cr4
        movl    $PHYS(boot_l4), %eax
        movl    %eax, %cr3

        movl    $0xc0000080, %ecx       /* EFER */
        rdmsr
        orl     $0x100, %eax            /* LME */
        btl     $20, %edi               /* NX supported? */
        jnc     1f
        orl     $0x800, %eax            /* NXE */
        movl    $1, PHYS(boot_cpu_has_nx)
1:      wrmsr

        movl    %cr0, %eax
        orl     $0x80010001, %eax       /* PG | WP | PE */
        movl    %eax, %cr0

        lgdt    PHYS(boot_gdtr32)
        ljmp    $0x08, $PHYS(start64_low)

.Lno_long_mode:
        movl    $PHYS(no_lm_msg), %esi
2:      lodsb
        testb   %al, %al
        jz      4f
        movb    %al, %bl
        movw    $0x3fd, %dx             /* COM1 LSR: wait for THR empty */
3:      inb     %dx, %al
        testb   $0x20, %al
        jz      3b
        movw    $0x3f8, %dx
        movb    %bl, %al
        outb    %al, %dx
        jmp     2b
4:      hlt
        jmp     4b

        .code64
start64_low:
        movabs  $start64_high, %rax
        jmp     *%rax

        .section .text.entry, "ax"
start64_high:
        lgdt    boot_gdtr64(%rip)
        movl    $0x10, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        xorl    %eax, %eax
        movl    %eax, %fs
        movl    %eax, %gs
        /* The stack starts below the cpu_info block at its top. */
        leaq    boot_stack_top - CPU_INFO_SIZE(%rip), %rsp
        xorl    %ebp, %ebp
        movl    boot_mb_magic(%rip), %edi
        movl    boot_mb_info(%rip), %esi
        call    start_xeno
        ud2

        .section .rodata
no_lm_msg:
        .asciz  "Xeno: this CPU has no 64-bit long mode; cannot boot.\r\n"

        .section .data
        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff      /* 0x08: 64-bit ring-0 code */
        .quad   0x00cf92000000ffff      /* 0x10: ring-0 data */
boot_gdt_end:
        .balign 8
        .short  0
boot_gdtr32:
        .short  boot_gdt_end - boot_gdt - 1
        .long   PHYS(boot_gdt)
        .balign 8
        .short  0, 0, 0
boot_gdtr64:
        .short  boot_gdt_end - boot_gdt - 1
        .quad   boot_gdt

        .globl  boot_mb_magic, boot_mb_info, boot_cpu_has_nx
boot_mb_magic:  .long 0
boot_mb_info:   .long 0
boot_cpu_has_nx: .long 0

/*
 * Boot page tables: identity-map the first 4 GiB (2 MiB pages) for the mode
 * switch, the multiboot structures and the AP trampoline, and map the image
 * window XEN_VIRT_START -> physical 0 with the same first L2.  The APs keep
 * using these until they reach C; the BSP replaces them with the idle page
 * table (mm/paging.c) once the memory map is known.
 */
        .section .data.page_aligned, "aw"
        .balign 4096
        .globl  boot_l4
boot_l4:
        .quad   PHYS(boot_l3_ident) + 0x3
        .fill   L4_SLOT_XEN_IMAGE - 1, 8, 0
        .quad   PHYS(boot_l3_xen) + 0x3
        .fill   511 - L4_SLOT_XEN_IMAGE, 8, 0
boot_l3_ident:
        .quad   PHYS(boot_l2_ident) + 0x0000 + 0x3
        .quad   PHYS(boot_l2_ident) + 0x1000 + 0x3
        .quad   PHYS(boot_l2_ident) + 0x2000 + 0x3
        .quad   PHYS(boot_l2_ident) + 0x3000 + 0x3
        .fill   508, 8, 0
boot_l3_xen:
        /* XEN_VIRT_START is L3 index 322 of slot 261. */
        .fill   ((XEN_VIRT_START >> 30) & 511), 8, 0
        .quad   PHYS(boot_l2_ident) + 0x3
        .fill   511 - ((XEN_VIRT_START >> 30) & 511), 8, 0
boot_l2_ident:
        .set    i, 0
        .rept   2048
        .quad   (i << 21) + 0x83        /* present, writable, 2 MiB */
        .set    i, i + 1
        .endr

        /* STACK_SIZE-aligned: the CPU's cpu_info is found by rounding %rsp up. */
        .section .bss.page_aligned, "aw", @nobits
        .balign STACK_SIZE
        .globl  boot_stack_top
boot_stack:
        .skip   STACK_SIZE
boot_stack_top:
