/* SPDX-License-Identifier: MIT */
/*
 * Page-table walking, a bump page allocator and mapping helpers.  See
 * mm.h for the layout facts they rely on.
 */
#include "mm.h"

uint64_t *xtest_p2m;
uint64_t *xtest_m2p = (uint64_t *)MACH2PHYS_VIRT_START;
uint64_t xtest_m2p_max_mfn;
unsigned long xtest_boot_rsp;
unsigned long xtest_map_end;
xen_pfn_t xtest_l4_mfn;

static unsigned long free_next;

#define MAP_WINDOW_PAGES 16
static char map_window[MAP_WINDOW_PAGES][PAGE_SIZE]
    __attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));
static bool map_window_used[MAP_WINDOW_PAGES];

uint64_t *xtest_l4(void)
{
    return mfn_to_virt(xtest_l4_mfn);
}

uint64_t *pte_ptr(unsigned long va, int level)
{
    uint64_t *table = xtest_l4();
    int l;

    for (l = 4; l > level; l--) {
        uint64_t e = table[PT_INDEX(va, l)];
        xen_pfn_t pfn;

        if (!(e & _PAGE_PRESENT) || (l < 4 && (e & _PAGE_PSE)))
            return NULL;
        pfn = mfn_to_pfn((e & PTE_MFN_MASK) >> PAGE_SHIFT);
        if ((pfn << PAGE_SHIFT) >= xtest_map_end)
            return NULL;        /* table not reachable through the 1:1 map */
        table = pfn_to_virt(pfn);
    }
    return &table[PT_INDEX(va, level)];
}

uint64_t pte_get(unsigned long va)
{
    uint64_t *p = pte_ptr(va, 1);

    return p ? *p : 0;
}

void mm_init(void)
{
    struct start_info *si = xtest_start_info;
    struct xen_machphys_mapping mp;
    unsigned long va;

    xtest_p2m = (uint64_t *)si->mfn_list;
    /* The M2P location is fixed for 64-bit PV, but ask as Linux does. */
    if (HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mp) == 0) {
        xtest_m2p = (uint64_t *)mp.v_start;
        xtest_m2p_max_mfn = mp.max_mfn;
    }
    xtest_l4_mfn = virt_to_mfn((void *)si->pt_base);

    /* Until the end of the mapping is known, page tables (which the
     * builder puts right below the boot stack) are certainly reachable. */
    free_next = (xtest_boot_rsp + PAGE_SIZE - 1) & PAGE_MASK;
    xtest_map_end = free_next;
    for (va = free_next; va < (1UL << L3_SHIFT); va += PAGE_SIZE) {
        if (!(pte_get(va) & _PAGE_PRESENT))
            break;
        xtest_map_end = va + PAGE_SIZE;
    }
}

void *alloc_page(void)
{
    void *p;

    if (free_next >= xtest_map_end)
        xtest_abort("alloc_page: the 1:1 region is exhausted");
    p = (void *)free_next;
    free_next += PAGE_SIZE;
    memset(p, 0, PAGE_SIZE);
    return p;
}

unsigned long free_pages_left(void)
{
    return (xtest_map_end - free_next) / PAGE_SIZE;
}

long mmu_update1(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { .ptr = ptr, .val = val };

    return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

long mmuext1(unsigned int cmd, uint64_t arg1)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;         /* same slot as linear_addr */
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long set_pte_va(unsigned long va, uint64_t pte, unsigned long flags)
{
    return HYPERVISOR_update_va_mapping(va, pte, flags);
}

long remap_ro(const void *va)
{
    return set_pte_va((unsigned long)va,
                      (virt_to_mfn(va) << PAGE_SHIFT) | PTE_RO, UVMF_INVLPG);
}

long remap_rw(const void *va)
{
    return set_pte_va((unsigned long)va,
                      (virt_to_mfn(va) << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG);
}

void *map_mfn(xen_pfn_t mfn, uint64_t flags, long *rc)
{
    unsigned int i;
    long r;

    for (i = 0; i < MAP_WINDOW_PAGES; i++)
        if (!map_window_used[i])
            break;
    if (i == MAP_WINDOW_PAGES)
        xtest_abort("map_mfn: window full");
    r = set_pte_va((unsigned long)map_window[i], (mfn << PAGE_SHIFT) | flags,
                   UVMF_INVLPG);
    if (rc)
        *rc = r;
    if (r)
        return NULL;
    map_window_used[i] = true;
    return map_window[i];
}

void unmap_mfn(void *va)
{
    unsigned int i = ((char *)va - map_window[0]) / PAGE_SIZE;

    if (i >= MAP_WINDOW_PAGES || !map_window_used[i])
        return;
    /* Put the window page's own frame back. */
    if (remap_rw(map_window[i]))
        xtest_abort("unmap_mfn: cannot restore window page %u", i);
    map_window_used[i] = false;
}
