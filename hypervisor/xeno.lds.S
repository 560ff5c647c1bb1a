/* Xeno image layout: one contiguous segment whose file offset equals its load
 * offset, so multiboot loaders can copy the file raw (the "address" fields of
 * the multiboot headers) and also read it as an ELF for gdb.  The ELF header
 * itself lands at XENO_LOAD_PHYS. */
#include "include/asm/config.h"

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start_phys)

PHDRS
{
    image PT_LOAD FILEHDR PHDRS FLAGS(7);
}

SECTIONS
{
    . = XEN_VIRT_START + XENO_LOAD_PHYS;
    __image_start = .;
    . += SIZEOF_HEADERS;

    .text : AT(ADDR(.text) - XEN_VIRT_START) {
        *(.text.multiboot)          /* both headers inside the first 8 KiB */
        *(.text.boot32)
        . = ALIGN(16);
        __text_start = .;
        *(.text.entry)
        *(.text .text.*)
        *(.fixup)
        __text_end = .;
    } :image

    .rodata : {
        *(.rodata .rodata.*)
        . = ALIGN(8);
        __param_start = .;
        KEEP(*(.data.param))
        __param_end = .;
        . = ALIGN(8);
        __extable_start = .;
        KEEP(*(.extable))
        __extable_end = .;
        . = ALIGN(8);
        __initcall_start = .;
        KEEP(*(.initcall))
        __initcall_end = .;
    } :image

    .data : {
        . = ALIGN(4096);
        *(.data.page_aligned)
        *(.data .data.*)
    } :image

    .trampoline : {
        . = ALIGN(16);
        __trampoline_start = .;
        KEEP(*(.trampoline))
        __trampoline_end = .;
    } :image

    /* Must stay last before .bss: see the two-pass link in the Makefile. */
    .symbols : {
        . = ALIGN(8);
        KEEP(*(.xeno_symbols))
    } :image
    __load_end = .;

    .bss (NOLOAD) : {
        . = ALIGN(4096);
        __bss_start = .;
        *(.bss.page_aligned)
        *(.bss .bss.* COMMON)
        . = ALIGN(4096);
        __bss_end = .;
    } :image
    __image_end = .;

    start_phys = start32 - XEN_VIRT_START;
    __load_end_phys = __load_end - XEN_VIRT_START;
    __image_end_phys = __image_end - XEN_VIRT_START;

    /DISCARD/ : { *(.comment) *(.eh_frame) *(.note.GNU-stack) *(.note.gnu.property) }
}
