/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen paravirtual ABI for 64-bit x86 PV guests:
 * hypercall numbers, core shared structures and boot information.
 *
 * Identifiers follow Xen's public headers because they are the shared
 * vocabulary of the ABI; the declarations and comments are our own.
 *
 * Guest handles
 * -------------
 * Where the reference ABI passes XEN_GUEST_HANDLE(T) (on x86-64 a struct
 * wrapping one T*), we always use xen_guest_handle_t, a plain uint64_t
 * holding the guest *virtual address*.  It is 8 bytes and 8-aligned, so
 * layouts are identical, and because it is not a C pointer the hypervisor
 * cannot dereference guest memory by accident: it must go through its
 * copy-from/to-guest routines.  Tools set one with xen_guest_handle_set()
 * and the comment next to each field names the pointed-to type.
 */
#ifndef XENO_PUBLIC_XEN_H
#define XENO_PUBLIC_XEN_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "arch-x86/xen.h"

#ifndef __ASSEMBLER__
typedef uint64_t xen_guest_handle_t;    /* guest virtual address, 0 = NULL */
#define xen_guest_handle_set(h, ptr) ((h) = (xen_guest_handle_t)(uintptr_t)(ptr))
#define xen_guest_handle_ptr(h)      ((void *)(uintptr_t)(h))
#endif

/*
 * Hypercall numbers (index into the hypercall page).  11 was never used;
 * 6, 16 and 19 are the pre-3.2 forms of sched_op, event_channel_op and
 * physdev_op, still issued by some guests.
 */
#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6
#define __HYPERVISOR_platform_op                    7
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23   /* x86 only */
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25   /* x86-64 only */
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42

#define __HYPERVISOR_arch_0                        48
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55

/* Old name of platform_op, kept because tools still spell it this way. */
#define __HYPERVISOR_dom0_op __HYPERVISOR_platform_op

/*
 * Virtual IRQs, bound with EVTCHNOP_bind_virq.  Per-vCPU ones (timer,
 * debug, xenoprof, xenpmu) are bound on each vCPU; the rest are global
 * and normally bound by dom0.
 */
#define VIRQ_TIMER       0   /* per-vCPU: timer expiry / timebase update */
#define VIRQ_DEBUG       1   /* per-vCPU: debug dump request */
#define VIRQ_CONSOLE     2   /* global: input on the hypervisor console */
#define VIRQ_DOM_EXC     3   /* global: some domain shut down or crashed */
#define VIRQ_TBUF        4   /* global: trace records available */
#define VIRQ_DEBUGGER    6   /* global: a domain paused for the debugger */
#define VIRQ_XENOPROF    7   /* per-vCPU */
#define VIRQ_CON_RING    8   /* global: hypervisor console ring has data */
#define VIRQ_PCPU_STATE  9   /* global: physical CPU hot(un)plug */
#define VIRQ_MEM_EVENT  10   /* global */
#define VIRQ_ARGO       11
#define VIRQ_ENOMEM     12   /* global: hypervisor heap is low */
#define VIRQ_XENPMU     13   /* per-vCPU */
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/*
 * HYPERVISOR_mmu_update(reqs, count, done, foreigndom): the low two bits
 * of mmu_update.ptr select the command, the rest is a machine address.
 */
#define MMU_NORMAL_PT_UPDATE       0   /* validated *ptr = val (ptr: PTE MA) */
#define MMU_MACHPHYS_UPDATE        1   /* M2P[ptr >> PAGE_SHIFT] = val */
#define MMU_PT_UPDATE_PRESERVE_AD  2   /* like 0 but keep the old A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE 3   /* like 0, val is never translated */

/* HYPERVISOR_mmuext_op(ops, count, done, foreigndom) commands. */
#define MMUEXT_PIN_L1_TABLE        0   /* arg1.mfn */
#define MMUEXT_PIN_L2_TABLE        1
#define MMUEXT_PIN_L3_TABLE        2
#define MMUEXT_PIN_L4_TABLE        3
#define MMUEXT_UNPIN_TABLE         4   /* arg1.mfn */
#define MMUEXT_NEW_BASEPTR         5   /* arg1.mfn: new kernel CR3 */
#define MMUEXT_TLB_FLUSH_LOCAL     6
#define MMUEXT_INVLPG_LOCAL        7   /* arg1.linear_addr */
#define MMUEXT_TLB_FLUSH_MULTI     8   /* arg2.vcpumask */
#define MMUEXT_INVLPG_MULTI        9   /* arg1.linear_addr, arg2.vcpumask */
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11   /* arg1.linear_addr */
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13   /* arg1.linear_addr, arg2.nr_ents */
#define MMUEXT_NEW_USER_BASEPTR   15   /* arg1.mfn: user-mode CR3 (x86-64) */
#define MMUEXT_CLEAR_PAGE         16   /* arg1.mfn */
#define MMUEXT_COPY_PAGE          17   /* arg1.mfn <- arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19
#define MMUEXT_UNMARK_SUPER       20

/*
 * update_va_mapping flags.  The low two bits choose the flush; bit 2
 * chooses its scope.  For a subset of vCPUs, OR the (8-byte aligned)
 * guest address of a vCPU bitmap into the flags in place of UVMF_ALL.
 */
#define UVMF_NONE           (xen_mk_ulong(0) << 0)
#define UVMF_TLB_FLUSH      (xen_mk_ulong(1) << 0)
#define UVMF_INVLPG         (xen_mk_ulong(2) << 0)
#define UVMF_FLUSHTYPE_MASK (xen_mk_ulong(3) << 0)
#define UVMF_MULTI          (xen_mk_ulong(0) << 2)
#define UVMF_LOCAL          (xen_mk_ulong(0) << 2)
#define UVMF_ALL            (xen_mk_ulong(1) << 2)

/* HYPERVISOR_console_io(cmd, count, buffer) */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* HYPERVISOR_vm_assist(cmd, type) */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0   /* 32-bit guests only */
#define VMASST_TYPE_4gb_segments_notify  1   /* 32-bit guests only */
#define VMASST_TYPE_writable_pagetables  2
#define VMASST_TYPE_pae_extended_cr3     3
#define VMASST_TYPE_architectural_iopl   4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict           32

/* Reserved domain IDs; ordinary domains are 0 .. DOMID_FIRST_RESERVED-1. */
#define DOMID_FIRST_RESERVED xen_mk_uint(0x7FF0)
#define DOMID_SELF           xen_mk_uint(0x7FF0)   /* the calling domain */
#define DOMID_IO             xen_mk_uint(0x7FF1)   /* owner of MMIO / foreign I/O pages */
#define DOMID_XEN            xen_mk_uint(0x7FF2)   /* owner of hypervisor pages */
#define DOMID_COW            xen_mk_uint(0x7FF3)   /* owner of shared copy-on-write pages */
#define DOMID_INVALID        xen_mk_uint(0x7FF4)
#define DOMID_ANY            xen_mk_uint(0x7FF5)
#define DOMID_IDLE           xen_mk_uint(0x7FFF)
#define DOMID_MASK           xen_mk_uint(0x7FFF)

/* pvclock flags in vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1)

/* start_info.flags */
#define SIF_PRIVILEGED      (1 << 0)   /* domain may use privileged ops */
#define SIF_INITDOMAIN      (1 << 1)   /* this is dom0 */
#define SIF_MULTIBOOT_MOD   (1 << 2)   /* mod_start is a xen_multiboot_mod_list */
#define SIF_MOD_START_PFN   (1 << 3)   /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS (1 << 4)   /* tools accept the linear p2m */
#define SIF_PM_MASK         (0xFF << 8)

#define MAX_GUEST_CMDLINE 1024

/* dom0_vga_console_info.video_type */
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70

#ifndef __ASSEMBLER__

typedef uint16_t domid_t;

/* One HYPERVISOR_mmu_update request. */
struct mmu_update {
    uint64_t ptr;   /* machine address | MMU_* command in bits 1:0 */
    uint64_t val;
};
typedef struct mmu_update mmu_update_t;

/* One HYPERVISOR_mmuext_op request; which arg members apply depends on cmd. */
struct mmuext_op {
    uint32_t cmd;                       /* MMUEXT_* */
    union {
        xen_pfn_t mfn;
        uint64_t  linear_addr;
    } arg1;
    union {
        uint32_t           nr_ents;
        xen_guest_handle_t vcpumask;    /* -> const unsigned long bitmap */
        xen_pfn_t          src_mfn;
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;

/*
 * One HYPERVISOR_multicall entry.  'result' receives the call's return
 * value (negative errno as a 64-bit two's complement number).  The
 * hypervisor only ever reads five arguments; args[5] is present for size.
 */
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;

/* 2-level event channel ABI: a 64x64 bitmap of ports on x86-64. */
#define NR_EVENT_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/*
 * Per-vCPU time base.  'version' is odd while the hypervisor rewrites the
 * record; readers retry until they see the same even value before and
 * after.  To convert: d = tsc - tsc_timestamp, shifted left by tsc_shift
 * (right by -tsc_shift when negative); now_ns = system_time +
 * ((d * tsc_to_system_mul) >> 32), the product taken at 96-bit width.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;                     /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;

/*
 * Per-vCPU event state.  The hypervisor sets evtchn_upcall_pending and a
 * bit in evtchn_pending_sel for each word of shared_info.evtchn_pending
 * that gained a pending, unmasked port; the guest clears pending before
 * scanning.  A non-zero evtchn_upcall_mask is the virtual "interrupts
 * off" (no upcall is delivered).
 */
struct vcpu_info {
    uint8_t     evtchn_upcall_pending;
    uint8_t     evtchn_upcall_mask;
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;

/*
 * The shared-info page.  Wall-clock time is
 * (wc_sec_hi << 32 | wc_sec).wc_nsec at system time 0, guarded by
 * wc_version just like vcpu_time_info.version.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;
#define xen_wc_sec_hi wc_sec_hi

/*
 * Boot information handed to a PV guest (pointer in %rsi at entry).
 * The first part is refreshed on resume; pt_base onwards is valid only
 * at first boot.  Addresses are guest virtual unless noted.  For dom0,
 * console.dom0 locates a dom0_vga_console_info inside this page.
 */
struct start_info {
    char     magic[32];                 /* "xen-<version>-<platform>" */
    uint64_t nr_pages;                  /* pages owned by the domain */
    uint64_t shared_info;               /* machine address of shared_info */
    uint32_t flags;                     /* SIF_* */
    xen_pfn_t store_mfn;                /* xenstore ring MFN */
    uint32_t store_evtchn;
    union {
        struct {
            xen_pfn_t mfn;              /* console ring MFN */
            uint32_t  evtchn;
        } domU;
        struct {
            uint32_t info_off;          /* offset of dom0_vga_console_info */
            uint32_t info_size;
        } dom0;
    } console;
    uint64_t pt_base;                   /* VA of the initial L4 table */
    uint64_t nr_pt_frames;
    uint64_t mfn_list;                  /* VA of the initial p2m array */
    uint64_t mod_start;                 /* VA (or PFN, SIF_MOD_START_PFN) of initrd */
    uint64_t mod_len;
    char     cmd_line[MAX_GUEST_CMDLINE];
    uint64_t first_p2m_pfn;             /* p2m placed outside the boot mapping */
    uint64_t nr_p2m_frames;
};
typedef struct start_info start_info_t;

/* Entry of the module list when SIF_MULTIBOOT_MOD is set. */
struct xen_multiboot_mod_list {
    uint32_t mod_start;                 /* physical address of first byte */
    uint32_t mod_end;                   /* physical address of last byte */
    uint32_t cmdline;                   /* physical address of the string */
    uint32_t pad;
};

/* Dom0's boot console, also returned by XENPF_get_dom0_console. */
typedef struct dom0_vga_console_info {
    uint8_t video_type;                 /* XEN_VGATYPE_* */
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height;     /* pixels */
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;          /* low 32 bits of the physical base */
            uint32_t lfb_size;          /* in 64 KiB units */
            uint8_t  red_pos, red_size;
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;          /* VBE controller capabilities */
            uint16_t mode_attrs;        /* VBE mode attributes */
            uint16_t pad;
            uint32_t ext_lfb_base;      /* high 32 bits of the base */
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;
#define xen_vga_console_info   dom0_vga_console_info
#define xen_vga_console_info_t dom0_vga_console_info_t

typedef uint8_t xen_domain_handle_t[16];

typedef struct {
    uint8_t a[16];
} xen_uuid_t;

_Static_assert(sizeof(xen_guest_handle_t) == 8, "guest handle is one quadword");
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update size");
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op size");
_Static_assert(__builtin_offsetof(struct mmuext_op, arg1) == 8, "mmuext_op.arg1");
_Static_assert(__builtin_offsetof(struct mmuext_op, arg2) == 16, "mmuext_op.arg2");
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry size");
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info size");
_Static_assert(__builtin_offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "tsc mul");
_Static_assert(__builtin_offsetof(struct vcpu_time_info, tsc_shift) == 28, "tsc shift");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info size");
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "pending_sel");
_Static_assert(__builtin_offsetof(struct vcpu_info, arch) == 16, "vcpu_info.arch");
_Static_assert(__builtin_offsetof(struct vcpu_info, time) == 32, "vcpu_info.time");
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info size");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 2048, "evtchn_pending");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_mask) == 2560, "evtchn_mask");
_Static_assert(__builtin_offsetof(struct shared_info, wc_version) == 3072, "wc_version");
_Static_assert(__builtin_offsetof(struct shared_info, wc_sec_hi) == 3084, "wc_sec_hi");
_Static_assert(__builtin_offsetof(struct shared_info, arch) == 3088, "shared_info.arch");
_Static_assert(sizeof(struct start_info) == 1168, "start_info size");
_Static_assert(__builtin_offsetof(struct start_info, nr_pages) == 32, "si.nr_pages");
_Static_assert(__builtin_offsetof(struct start_info, shared_info) == 40, "si.shared_info");
_Static_assert(__builtin_offsetof(struct start_info, flags) == 48, "si.flags");
_Static_assert(__builtin_offsetof(struct start_info, store_mfn) == 56, "si.store_mfn");
_Static_assert(__builtin_offsetof(struct start_info, store_evtchn) == 64, "si.store_evtchn");
_Static_assert(__builtin_offsetof(struct start_info, console) == 72, "si.console");
_Static_assert(__builtin_offsetof(struct start_info, console.domU.evtchn) == 80, "si.console evtchn");
_Static_assert(__builtin_offsetof(struct start_info, pt_base) == 88, "si.pt_base");
_Static_assert(__builtin_offsetof(struct start_info, nr_pt_frames) == 96, "si.nr_pt_frames");
_Static_assert(__builtin_offsetof(struct start_info, mfn_list) == 104, "si.mfn_list");
_Static_assert(__builtin_offsetof(struct start_info, mod_start) == 112, "si.mod_start");
_Static_assert(__builtin_offsetof(struct start_info, mod_len) == 120, "si.mod_len");
_Static_assert(__builtin_offsetof(struct start_info, cmd_line) == 128, "si.cmd_line");
_Static_assert(__builtin_offsetof(struct start_info, first_p2m_pfn) == 1152, "si.first_p2m_pfn");
_Static_assert(__builtin_offsetof(struct start_info, nr_p2m_frames) == 1160, "si.nr_p2m_frames");
_Static_assert(sizeof(struct xen_multiboot_mod_list) == 16, "multiboot mod list");
_Static_assert(sizeof(struct dom0_vga_console_info) == 40, "dom0_vga_console_info size");
_Static_assert(__builtin_offsetof(struct dom0_vga_console_info, u) == 4, "vga info union");
_Static_assert(__builtin_offsetof(struct dom0_vga_console_info, u.vesa_lfb.lfb_base) == 12, "lfb_base");
_Static_assert(__builtin_offsetof(struct dom0_vga_console_info, u.vesa_lfb.gbl_caps) == 28, "gbl_caps");
_Static_assert(__builtin_offsetof(struct dom0_vga_console_info, u.vesa_lfb.ext_lfb_base) == 36, "ext_lfb_base");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_XEN_H */
