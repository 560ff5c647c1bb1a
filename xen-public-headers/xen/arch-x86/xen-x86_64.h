/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: x86-64 specifics for 64-bit PV guests.
 *
 * Calling convention (64-bit PV guest -> hypervisor):
 *   number in %rax, arguments 1..5 in %rdi, %rsi, %rdx, %r10, %r8,
 *   result in %rax.  The guest enters through its hypercall page: stub N
 *   lives at hypercall_page + N * 32 and is
 *       push %rcx; push %r11; mov $N,%eax; syscall; pop %r11; pop %rcx; ret
 *   so %rcx/%r11 survive; argument registers may be clobbered.
 *   Stub 23 (__HYPERVISOR_iret) instead pushes %rcx, %r11 and %rax, loads
 *   23 into %eax and issues syscall without returning; guests jump to it.
 *
 * TRAP_INSTR: very old guests (interface < 0x00030203) issued "syscall"
 *   themselves instead of calling the page.  We never define TRAP_INSTR;
 *   the hypercall page above is the only supported entry sequence.
 */
#ifndef XENO_PUBLIC_ARCH_X86_XEN_X86_64_H
#define XENO_PUBLIC_ARCH_X86_XEN_X86_64_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * Integer constants shared with assembly: C gets the unsigned suffix that
 * fixes the constant's type, the assembler (which rejects suffixes) the
 * bare number.
 */
#ifndef xen_mk_uint
#ifdef __ASSEMBLER__
#define xen_mk_uint(x)   x
#define xen_mk_ulong(x)  x
#define xen_mk_ullong(x) x
#else
#define xeno_paste_suffix_(x, sfx) x ## sfx
#define xen_mk_uint(x)   xeno_paste_suffix_(x, U)
#define xen_mk_ulong(x)  xeno_paste_suffix_(x, UL)
#define xen_mk_ullong(x) xeno_paste_suffix_(x, ULL)
#endif
#endif

/*
 * Flat selectors that live in the Xen-reserved part of every GDT (entries
 * 260..262 of reserved page 14).  A 64-bit PV kernel runs in ring 3, so the
 * "kernel" and "user" selectors are the same ring-3 descriptors.
 */
#define FLAT_RING3_CS32 0xe023  /* GDT entry 260 */
#define FLAT_RING3_CS64 0xe033  /* GDT entry 262 */
#define FLAT_RING3_DS32 0xe02b  /* GDT entry 261 */
#define FLAT_RING3_DS64 0x0000  /* long mode needs no data selector */
#define FLAT_RING3_SS32 0xe02b  /* GDT entry 261 */
#define FLAT_RING3_SS64 0xe02b  /* GDT entry 261 */

#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64

#define FLAT_USER_DS64 FLAT_RING3_DS64
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_DS   FLAT_USER_DS64
#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_CS   FLAT_USER_CS64
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_SS   FLAT_USER_SS64

/*
 * The hypervisor owns L4 slots 256..271.  The first 256 GiB of that hole
 * hold the read-only machine-to-physical table that guests may read.
 * The spellings below match hypervisor/include/asm/config.h token for token
 * (hex constants this large are unsigned long already), so either header
 * may be included first without a redefinition clash.
 */
#define __HYPERVISOR_VIRT_START 0xffff800000000000
#define __HYPERVISOR_VIRT_END   0xffff880000000000
#define __MACH2PHYS_VIRT_START  0xffff800000000000
#define __MACH2PHYS_VIRT_END    0xffff804000000000

#ifndef HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_START   0xffff800000000000
#endif
#ifndef HYPERVISOR_VIRT_END
#define HYPERVISOR_VIRT_END     0xffff880000000000
#endif
#define MACH2PHYS_VIRT_START    xen_mk_ulong(0xffff800000000000)
#define MACH2PHYS_VIRT_END      xen_mk_ulong(0xffff804000000000)
/* One 8-byte PFN per machine frame. */
#define MACH2PHYS_NR_ENTRIES    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* The guest's view of the M2P; the hypervisor may supply its own first. */
#ifndef machine_to_phys_mapping
#define machine_to_phys_mapping ((uint64_t *)MACH2PHYS_VIRT_START)
#endif

/* 'which' argument of HYPERVISOR_set_segment_base(which, base). */
#define SEGBASE_FS          0
#define SEGBASE_GS_USER     1
#define SEGBASE_GS_KERNEL   2
#define SEGBASE_GS_USER_SEL 3   /* base[15:0] is a selector to load into user %gs */

/*
 * vcpu_guest_context.flags / iret_context.flags bit (x86-64 only): the
 * guest came in via SYSCALL, so HYPERVISOR_iret restores only rax, rip,
 * rflags and rsp and may return with SYSRET; otherwise it also restores
 * r11, rcx, cs and ss.
 */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall  (1 << _VGCF_in_syscall)

#ifndef __ASSEMBLER__

/*
 * Frame the guest leaves on its stack before jumping to the iret stub
 * (lowest address first).  rax/r11/rcx are pushed by the stub itself.
 * An RPL of 0..2 in 'cs' means "return to guest kernel", RPL 3 "to user".
 */
struct iret_context {
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/*
 * Register file as exchanged with the hypervisor (VCPUOP_initialise,
 * DOMCTL_{get,set}vcpucontext).  error_code/entry_vector are hypervisor
 * private; saved_upcall_mask shadows the virtual IF (rflags.IF ==
 * !saved_upcall_mask).
 */
struct cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t  saved_upcall_mask;
    uint8_t  _pad1[3];
    uint64_t rflags;
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;

/* CR3 holds the page-table MFN shifted into bits 12 and up. */
#define xen_pfn_to_cr3(pfn) ((uint64_t)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((uint64_t)(cr3) >> 12)

/* Per-vCPU arch part of vcpu_info; the pad keeps vcpu_info at 64 bytes. */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};
typedef struct arch_vcpu_info arch_vcpu_info_t;

/* A callback is a flat 64-bit guest virtual address. */
typedef uint64_t xen_callback_t;

_Static_assert(sizeof(struct iret_context) == 72, "iret_context is 9 quadwords");
_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs size");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, error_code) == 120, "error_code");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rip) == 128, "rip");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, cs) == 136, "cs");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, saved_upcall_mask) == 140, "upcall mask");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rflags) == 144, "rflags");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rsp) == 152, "rsp");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, ss) == 160, "ss");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, gs) == 192, "gs");
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info size");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_ARCH_X86_XEN_X86_64_H */
