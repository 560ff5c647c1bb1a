/* SPDX-License-Identifier: MIT */
/*
 * Entry point and ELF notes of a 64-bit PV test kernel.
 *
 * Layout (same facts XTF's PV64 tests rely on): linked and loaded at
 * 1 MiB, XEN_ELFNOTE_VIRT_BASE 0 and XEN_ELFNOTE_PADDR_OFFSET 0, so the
 * domain builder maps pseudo-physical frame N at virtual address N*4K
 * (VA = p_paddr - PADDR_OFFSET + VIRT_BASE) and the image's virtual
 * addresses equal its pseudo-physical ones.  Frames 0..255 are mapped too
 * (the builder's 1:1 region starts at VIRT_BASE); the runtime unmaps page 0
 * to catch NULL dereferences.
 *
 * At entry (public xen.h "start of day"): 64-bit mode, CPL 3, virtual
 * kernel mode, %rsi = VA of start_info, %rsp = top of a one-page boot stack
 * that the builder placed after the page tables, events masked.
 */
#include <xen/elfnote.h>
#include <xen/features.h>
#include "smp.h"

/*
 * One note: namesz, descsz, type, then "Xen\0" and the payload, each padded
 * to 4 bytes (ELF64 notes on x86-64 still use 4-byte alignment).
 */
.macro xen_note type, payload:vararg
        .pushsection .note.Xen, "a", @note
        .balign 4
        .long 2f - 1f           /* namesz */
        .long 4f - 3f           /* descsz */
        .long \type
1:      .asciz "Xen"
2:      .balign 4
3:      \payload
4:      .balign 4
        .popsection
.endm

        xen_note XEN_ELFNOTE_GUEST_OS,       .asciz "Xeno-test"
        xen_note XEN_ELFNOTE_GUEST_VERSION,  .asciz "1"
        /* libelf only accepts this exact string for the notes interface. */
        xen_note XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0"
        xen_note XEN_ELFNOTE_LOADER,         .asciz "generic"
        xen_note XEN_ELFNOTE_VIRT_BASE,      .quad 0
        xen_note XEN_ELFNOTE_PADDR_OFFSET,   .quad 0
        xen_note XEN_ELFNOTE_ENTRY,          .quad _start
        /* Direct paging: page tables hold MFNs and are read-only to us. */
        xen_note XEN_ELFNOTE_FEATURES,       .asciz "!writable_page_tables|pae_pgdir_above_4gb"
        /* Xen refuses to build dom0 from a kernel without XENFEAT_dom0. */
        xen_note XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0)
        xen_note XEN_ELFNOTE_PAE_MODE,       .asciz "yes"
#ifdef XTEST_HYPERCALL_PAGE
        /* Ask the builder to fill hypercall_page with 32-byte stubs. */
        xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
#endif

        .section .text.head, "ax", @progbits
        .code64
        .globl _start
_start:
        mov   %rsi, xtest_start_info(%rip)
        /* The boot stack is the last thing the builder allocated: memory
         * above it (up to the end of the 1:1 region) is free. */
        mov   %rsp, xtest_boot_rsp(%rip)
        lea   xtest_percpu + XTEST_STACK_SIZE(%rip), %rsp
        xor   %ebp, %ebp
        call  xtest_start
        ud2

/* Secondary vCPUs start here (VCPUOP_initialise sets %rsp already). */
        .globl xtest_ap_entry
xtest_ap_entry:
        xor   %ebp, %ebp
        call  xtest_ap_start
        ud2

#ifdef XTEST_HYPERCALL_PAGE
        .section .hcpage, "ax", @progbits
        .balign 4096
        .globl hypercall_page
hypercall_page:
        .fill 4096, 1, 0xcc     /* int3: a call into an unfilled page traps */
#endif

        .bss
        .balign XTEST_PERCPU_SIZE
        .globl xtest_percpu
xtest_percpu:
        .skip XTEST_MAX_CPUS * XTEST_PERCPU_SIZE

        .section .note.GNU-stack, "", @progbits
