/* SPDX-License-Identifier: MIT */
#ifndef XENO_PV_LAYOUT_H
#define XENO_PV_LAYOUT_H

/*
 * Start-of-day virtual layout of a 64-bit PV domain: where the builder
 * puts the kernel, initrd, p2m list, start_info, xenstore/console pages,
 * the bootstrap page tables and the boot stack, as Xen's dom0 builder
 * (xen/arch/x86/pv/dom0_build.c) and libxc (tools/libs/guest/
 * xg_dom_x86.c) lay it out (checklist 1.4, public xen.h "Start-of-day
 * memory layout"). Pure arithmetic: nothing is allocated or mapped.
 *
 * The bootstrap region is a 1:1 map: pfn i is at v_start + i * 4 KiB,
 * from pfn 0 at v_start = VIRT_BASE up to v_end, every page mapped. In
 * ascending order after the kernel image:
 *   [initrd, unless initrd_unmapped] [p2m list, unless placed at INIT_P2M]
 *   start_info [domU: xenstore page, console page]
 *   page-table frames: L4, then nr_l3 L3s, nr_l2 L2s, nr_l1 L1s
 *   boot stack page
 *   padding up to a 4 MiB boundary, at least 512 KiB of it.
 * The L1/L2/L3 counts are what mapping all of [v_start, v_end) takes,
 * page tables and stack included.
 */

#include "xeno/types.h"

/* x86-64 PTE bits used for the bootstrap map (SDM vol. 3, 4.5). */
#define PV_PTE_PRESENT  0x001ULL
#define PV_PTE_RW       0x002ULL
#define PV_PTE_USER     0x004ULL
#define PV_PTE_ACCESSED 0x020ULL
#define PV_PTE_DIRTY    0x040ULL

/*
 * Flags of the L4/L3/L2 entries of the bootstrap map (Xen dom0_build.c
 * L2/L3/L4_PROT). _PAGE_USER is set at every level because the guest
 * kernel runs in ring 3 (checklist 1.4 point 4).
 */
#define PV_UPPER_PTE_FLAGS \
    (PV_PTE_PRESENT | PV_PTE_RW | PV_PTE_ACCESSED | PV_PTE_DIRTY | PV_PTE_USER)

struct pv_layout_in {
    uint64_t virt_kstart, virt_kend; /* kernel image [start, end) (pv_elf_info) */
    uint64_t virt_base;              /* VIRT_BASE: VA of pfn 0; page aligned */
    unsigned long nr_pages;          /* domain memory in pages */
    uint64_t initrd_len;             /* bytes; 0 = no initrd */
    bool initrd_unmapped;            /* MOD_START_PFN: initrd pages after the region */
    bool is_dom0;                    /* domU also gets xenstore + console pages */
    bool p2m_at_init_p2m;            /* INIT_P2M note: p2m list outside the region */
    uint64_t init_p2m_va;
};

struct pv_layout {
    uint64_t v_start, v_end;         /* the 1:1 region */
    uint64_t kernel_start, kernel_end;
    uint64_t initrd_va;              /* 0 if none or unmapped */
    unsigned long initrd_pfn;        /* first initrd pfn; 0 if no initrd */
    uint64_t p2m_va;                 /* start_info.mfn_list */
    unsigned long p2m_pages;         /* pages holding nr_pages 8-byte entries */
    uint64_t start_info_va;          /* also the boot rsi */
    uint64_t xenstore_va, console_va; /* domU only, else 0 */
    uint64_t pt_va;                  /* start_info.pt_base: the L4 */
    unsigned long nr_pt_frames;      /* 1 + nr_l3 + nr_l2 + nr_l1 */
    unsigned long nr_l1, nr_l2, nr_l3;
    uint64_t stack_va;
    uint64_t boot_sp;                /* stack_va + 4 KiB: the boot rsp */
    unsigned long region_pages;      /* pages mapped in the 1:1 region */
    /*
     * Additions for a p2m list at INIT_P2M (0 otherwise): the pages after
     * the region (and after an unmapped initrd) holding the p2m list and
     * the L3/L2/L1 tables mapping it with 4 KiB pages below an L4 slot
     * (start_info.first_p2m_pfn / nr_p2m_frames; Linux maps that pfn
     * range read-only and later frees it, checklist 1.4 point 5).
     */
    unsigned long p2m_pfn;
    unsigned long p2m_frames;        /* p2m_pt_frames + p2m_pages */
    unsigned long p2m_pt_frames;
    unsigned long next_pfn;          /* first pfn after all of the above */
};

/*
 * Compute the layout. A p2m_at_init_p2m request is honoured only if
 * init_p2m_va is page aligned, canonical, clear of the hypervisor's
 * reserved area and the list ends at or below virt_base (libxc's rule in
 * xc_dom_build_image); otherwise the list goes inside the region, as
 * libxc does. Returns 0, or
 *   -EINVAL  virt_base not page aligned, non-canonical or in the
 *            hypervisor's area (HYPERVISOR_VIRT_START..END), kernel not
 *            inside [virt_base, ...), nr_pages 0;
 *   -E2BIG   the region does not fit in the 1 GiB-aligned slot holding
 *            virt_base (Linux keeps only the L2 under L3[510] of its
 *            bootstrap map; checklist 1.4 point 2);
 *   -ENOMEM  nr_pages is too small: *out is filled in anyway and
 *            out->next_pfn is the number of pages needed for a domain of
 *            nr_pages (a lower bound: the p2m list grows with nr_pages,
 *            so retrying with next_pfn may ask for a few pages more).
 * *why (if not NULL) explains a failure and is NULL on success.
 */
int pv_layout_compute(const struct pv_layout_in *in, struct pv_layout *out,
                      const char **why);

/*
 * L1 flags for va in the region: PRESENT|ACCESSED|USER, plus RW except for
 * the page-table frames, which a direct-paging PV guest may only map
 * read-only (checklist 1.4 point 4). Returns 0, or -ERANGE if va is
 * outside [v_start, v_end).
 */
int pv_region_pte_flags(const struct pv_layout *l, uint64_t va, uint64_t *flags);

#endif
