/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: x86 definitions shared by the whole
 * interface.  Only the 64-bit PV guest ABI is described; every "unsigned
 * long" of the reference ABI is written as uint64_t here.
 */
#ifndef XENO_PUBLIC_ARCH_X86_XEN_H
#define XENO_PUBLIC_ARCH_X86_XEN_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen-x86_64.h"

/* Guests that boot through start_info and have an upcall mask in vcpu_info. */
#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/*
 * The hypervisor keeps GDT page 14 onwards (entries 3584..) for its own
 * descriptors, far from the low selectors that OSes hard-code.  Guests
 * load their LDT through MMUEXT_SET_LDT.  Spelled exactly as in
 * hypervisor/include/asm/config.h so both may be included.
 */
#ifndef FIRST_RESERVED_GDT_PAGE
#define FIRST_RESERVED_GDT_PAGE  14
#endif
#ifndef FIRST_RESERVED_GDT_BYTE
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#endif
#ifndef FIRST_RESERVED_GDT_ENTRY
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)
#endif

/* vcpu_info slots embedded in shared_info (later vCPUs need VCPUOP_register_vcpu_info). */
#define XEN_LEGACY_MAX_VCPUS 32

/*
 * Architecture-specific hypercalls share the 48..55 range; on x86 the
 * first slot is the machine-check interface (used by Linux's mcelog).
 */
#define __HYPERVISOR_mca 48   /* == __HYPERVISOR_arch_0 */

/* VIRQ_ARCH_0 on x86 reports machine-check events to dom0. */
#define VIRQ_MCA 16

#ifndef __ASSEMBLER__

typedef uint64_t xen_pfn_t;     /* frame number (MFN for PV, GFN for HVM) */
typedef uint64_t xen_ulong_t;   /* the reference ABI's native "unsigned long" */
#define PRI_xen_pfn   "lx"
#define PRI_xen_ulong "lx"

/*
 * One virtual IDT entry for HYPERVISOR_set_trap_table (the array ends at
 * an entry whose address is 0) and for vcpu_guest_context.trap_ctxt.
 * flags[1:0] is the lowest privilege level allowed to raise the vector
 * with INT n (0 = nobody, 1-2 = guest kernel, 3 = everybody); flags[2]
 * asks for event delivery to be masked on entry, like an interrupt gate.
 */
struct trap_info {
    uint8_t  vector;
    uint8_t  flags;
    uint16_t cs;
    uint64_t address;
};
typedef struct trap_info trap_info_t;

#define TI_GET_DPL(_ti)      ((_ti)->flags & 3)
#define TI_GET_IF(_ti)       ((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl) ((_ti)->flags |= (_dpl))
#define TI_SET_IF(_ti, _if)  ((_ti)->flags |= ((!!(_if)) << 2))

typedef uint64_t tsc_timestamp_t;

/* vcpu_guest_context.flags */
#define _VGCF_i387_valid               0   /* fpu_ctxt holds valid state */
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)
#define _VGCF_in_kernel                2   /* vCPU is in guest-kernel mode */
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1 << _VGCF_online)

/*
 * Complete vCPU state for VCPUOP_initialise and the domctl vcpucontext
 * calls.  fpu_ctxt is first so that it is 16-byte aligned for FXSAVE
 * whenever the structure is.  On x86-64 the user-mode page table goes in
 * ctrlreg[1], and the callbacks are bare RIPs (code selector is implied).
 */
struct vcpu_guest_context {
    struct { char x[512]; } fpu_ctxt;   /* FXSAVE image */
    uint64_t flags;                     /* VGCF_* */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    uint64_t ldt_base, ldt_ents;        /* linear address, entry count */
    uint64_t gdt_frames[16], gdt_ents;  /* MFNs of GDT pages, entry count */
    uint64_t kernel_ss, kernel_sp;      /* stack for guest-kernel entry */
    uint64_t ctrlreg[8];
    uint64_t debugreg[8];
    uint64_t event_callback_eip;
    uint64_t failsafe_callback_eip;
    uint64_t syscall_callback_eip;
    uint64_t vm_assist;                 /* bitmap of VMASST_TYPE_* */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;

/*
 * Arch tail of shared_info.  max_pfn bounds the p2m; the 3-level frame
 * list root is pfn_to_mfn_frame_list_list (0: not set, ~0: unusable, use
 * the linear p2m).  When p2m_cr3 is non-zero the guest publishes a linear
 * p2m at p2m_vaddr in that address space; p2m_generation is odd while
 * the guest is changing it.
 */
struct arch_shared_info {
    uint64_t  max_pfn;
    xen_pfn_t pfn_to_mfn_frame_list_list;
    uint64_t  nmi_reason;               /* XEN_NMIREASON_* bits, see nmi.h */
    uint64_t  p2m_cr3;
    uint64_t  p2m_vaddr;
    uint64_t  p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;

/* CPUID/MSR records used by the domain-policy interfaces. */
#define XEN_CPUID_NO_SUBLEAF 0xffffffffu
typedef struct xen_cpuid_leaf {
    uint32_t leaf, subleaf;
    uint32_t a, b, c, d;
} xen_cpuid_leaf_t;

typedef struct xen_msr_entry {
    uint32_t idx;
    uint32_t flags;                     /* must be zero */
    uint64_t val;
} xen_msr_entry_t;

_Static_assert(_Alignof(uint64_t) == 8, "these headers describe the x86-64 (LP64) ABI");
_Static_assert(sizeof(struct trap_info) == 16, "trap_info size");
_Static_assert(__builtin_offsetof(struct trap_info, address) == 8, "trap_info.address");
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context size");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, flags) == 512, "vgc.flags");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, user_regs) == 520, "vgc.user_regs");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, trap_ctxt) == 720, "vgc.trap_ctxt");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, ldt_base) == 4816, "vgc.ldt_base");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, gdt_frames) == 4832, "vgc.gdt_frames");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, gdt_ents) == 4960, "vgc.gdt_ents");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, kernel_ss) == 4968, "vgc.kernel_ss");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, ctrlreg) == 4984, "vgc.ctrlreg");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, debugreg) == 5048, "vgc.debugreg");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, event_callback_eip) == 5112, "vgc.event_cb");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, vm_assist) == 5136, "vgc.vm_assist");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, fs_base) == 5144, "vgc.fs_base");
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info size");
_Static_assert(sizeof(struct xen_cpuid_leaf) == 24, "xen_cpuid_leaf size");
_Static_assert(sizeof(struct xen_msr_entry) == 16, "xen_msr_entry size");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_ARCH_X86_XEN_H */
