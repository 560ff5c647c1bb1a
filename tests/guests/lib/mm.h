/* SPDX-License-Identifier: MIT */
/*
 * Memory helpers for direct-paging PV guests.
 *
 * Facts used (public xen.h "start of day" and the dom0 builder):
 *  - pseudo-physical frame N of the initial region is mapped at VA N*4K
 *    (VIRT_BASE 0, see head.S), so VA <-> PFN is a shift;
 *  - start_info.mfn_list is the P2M: an array of MFNs indexed by PFN;
 *  - the read-only M2P (MFN -> PFN) is mapped in every guest L4 at the
 *    address XENMEM_machphys_mapping returns;
 *  - page tables hold machine frame numbers; every page-table frame is
 *    mapped read-only, start_info.pt_base is the VA of the L4.
 */
#ifndef XTEST_MM_H
#define XTEST_MM_H

#include "xtest.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096UL
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_USER     0x004UL
#define _PAGE_PWT      0x008UL
#define _PAGE_PCD      0x010UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL
#define _PAGE_PSE      0x080UL
#define _PAGE_GLOBAL   0x100UL
#define _PAGE_NX       (1UL << 63)
#define PTE_MFN_MASK   0x000ffffffffff000UL

/* Typical flags of a guest data mapping (U is required: the kernel is CPL 3). */
#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RO (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

/* Page-fault error code bits (reported in the bounce frame). */
#define PFEC_PRESENT  0x01
#define PFEC_WRITE    0x02
#define PFEC_USER     0x04
#define PFEC_RSVD     0x08
#define PFEC_INSN     0x10

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_INDEX(va, level) (((unsigned long)(va) >> (L1_SHIFT + 9 * ((level) - 1))) & 511)

extern uint64_t *xtest_p2m;           /* start_info.mfn_list */
extern uint64_t *xtest_m2p;           /* from XENMEM_machphys_mapping */
extern uint64_t xtest_m2p_max_mfn;
extern unsigned long xtest_boot_rsp;  /* builder's boot stack top (head.S) */

void mm_init(void);

static inline xen_pfn_t virt_to_pfn(const void *va)
{
    return (unsigned long)va >> PAGE_SHIFT;
}
static inline xen_pfn_t pfn_to_mfn(xen_pfn_t pfn) { return xtest_p2m[pfn]; }
static inline xen_pfn_t mfn_to_pfn(xen_pfn_t mfn) { return xtest_m2p[mfn]; }
static inline xen_pfn_t virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}
static inline uint64_t virt_to_maddr(const void *va)
{
    return (virt_to_mfn(va) << PAGE_SHIFT) | ((unsigned long)va & ~PAGE_MASK);
}
/* Only valid for frames inside the initial 1:1 region. */
static inline void *pfn_to_virt(xen_pfn_t pfn)
{
    return (void *)(pfn << PAGE_SHIFT);
}
static inline void *mfn_to_virt(xen_pfn_t mfn)
{
    return pfn_to_virt(mfn_to_pfn(mfn));
}

/* MFN of the current L4 (CR3); the runtime tracks NEW_BASEPTR itself. */
extern xen_pfn_t xtest_l4_mfn;
uint64_t *xtest_l4(void);

/*
 * Pointer (through the 1:1 region) to the page-table entry of 'level'
 * (4..1) that maps va, or NULL if a higher level is not present or its
 * table lies outside the 1:1 region.
 */
uint64_t *pte_ptr(unsigned long va, int level);
/* The L1 entry mapping va, or 0. */
uint64_t pte_get(unsigned long va);

/* Free pages of the 1:1 region above the builder's boot stack. */
void *alloc_page(void);        /* zeroed, mapped RW */
unsigned long free_pages_left(void);
/* Highest VA of the 1:1 region + 1 (end of the builder's mapping). */
extern unsigned long xtest_map_end;

/* Hypercall shorthands; return the hypercall's result. */
long mmu_update1(uint64_t ptr, uint64_t val);
long mmuext1(unsigned int cmd, uint64_t arg1);
long set_pte_va(unsigned long va, uint64_t pte, unsigned long flags);
long remap_ro(const void *va);
long remap_rw(const void *va);

/*
 * Map any machine frame at a spare VA (a small window of page-aligned
 * .bss pages whose own frames are put back on unmap).  Returns NULL when
 * the hypervisor refuses; *rc gets the hypercall result.
 */
void *map_mfn(xen_pfn_t mfn, uint64_t flags, long *rc);
void unmap_mfn(void *va);

#endif /* XTEST_MM_H */
