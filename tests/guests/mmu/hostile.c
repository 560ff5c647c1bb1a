/* SPDX-License-Identifier: MIT */
/*
 * Entries the hypervisor must refuse: its own L4 slots, superpages,
 * writable mappings of page tables, tables of the wrong type, and frames
 * the guest does not own.
 */
#include "mmu.h"

void test_hostile_entries(void)
{
    uint64_t *l4 = xtest_l4();
    uint64_t l4_ma = xtest_l4_mfn << PAGE_SHIFT;
    uint64_t *l3 = pte_ptr(0, 3), *l2 = pte_ptr(0, 2);
    void *data = alloc_page();
    uint64_t data_pte = (virt_to_mfn(data) << PAGE_SHIFT) | PTE_RW;
    uint64_t before;

    xtest_section("hostile page-table entries");
    before = l4[256];
    CHECK_EQ(mmu_update1((l4_ma + 256 * 8) | MMU_NORMAL_PT_UPDATE, 0), -EINVAL,
             "clearing L4 slot 256 (hypervisor area) -> -EINVAL");
    CHECK_EQ(l4[256], before, "slot 256 unchanged");
    CHECK_EQ(mmu_update1((l4_ma + 271 * 8) | MMU_NORMAL_PT_UPDATE, l4[0]), -EINVAL,
             "writing L4 slot 271 (last hypervisor slot) -> -EINVAL");
    CHECK_EQ(mmu_update1((l4_ma + 260 * 8) | MMU_NORMAL_PT_UPDATE, data_pte), -EINVAL,
             "pointing L4 slot 260 at a data page -> -EINVAL");

    /* A 2 MiB superpage in an L2 slot the builder left empty (200 MiB in). */
    CHECK_EQ(l2[100], 0, "L2 slot 100 is empty");
    CHECK_EQ(mmu_update1(virt_to_maddr(&l2[100]) | MMU_NORMAL_PT_UPDATE,
                         (virt_to_mfn(data) << PAGE_SHIFT) | PTE_RW | _PAGE_PSE),
             -EINVAL, "an L2 superpage (PSE) entry -> -EINVAL");
    CHECK_EQ(l2[100], 0, "L2 slot 100 still empty");
    CHECK(mmu_update1(virt_to_maddr(&l2[101]) | MMU_NORMAL_PT_UPDATE, data_pte) < 0,
          "an L2 entry pointing at a writable data page (not an L1) is refused");
    CHECK(mmu_update1(virt_to_maddr(&l3[7]) | MMU_NORMAL_PT_UPDATE, data_pte) < 0,
          "an L3 entry pointing at a writable data page (not an L2) is refused");
    CHECK_EQ(l3[7], 0, "L3 slot 7 still empty");

    CHECK_EQ(remap_rw((void *)xtest_start_info->pt_base), -EBUSY,
             "a writable mapping of the L4 page -> -EBUSY");
    CHECK_EQ(remap_rw(l2), -EBUSY, "a writable mapping of an L2 page -> -EBUSY");
    CHECK_EQ(remap_rw(pte_ptr((unsigned long)data, 1)), -EBUSY,
             "a writable mapping of an L1 page -> -EBUSY");
    CHECK(!(pte_get(xtest_start_info->pt_base) & _PAGE_RW), "L4 page still read-only");
}

void test_foreign_frames(void)
{
    xen_pfn_t xen_mfn = xen_owned_mfn();
    long rc = 1;
    void *va;

    xtest_section("frames the guest does not own");
    printf("  hypervisor-owned frame (first M2P chunk): mfn %#lx\n", xen_mfn);
    va = map_mfn(xen_mfn, PTE_RW, &rc);
    CHECK_EQ(rc, -EBUSY, "RW mapping of a hypervisor-owned frame -> -EBUSY");
    if (va)
        unmap_mfn(va);
    /* The M2P is readable through the hypervisor's own mapping only; a
     * guest mapping naming DOMID_SELF as owner is refused even RO. */
    va = map_mfn(xen_mfn, PTE_RO, &rc);
    CHECK_EQ(rc, -EBUSY, "RO mapping of it (owner DOMID_SELF) -> -EBUSY");
    if (va)
        unmap_mfn(va);
    /* Far beyond the machine's physical address width. */
    va = map_mfn(0xfffffffffUL, PTE_RW, &rc);
    CHECK_EQ(rc, -EPERM, "mapping MFN 0xfffffffff (beyond any RAM or MMIO) -> -EPERM");
    if (va)
        unmap_mfn(va);
    /* The shared_info frame belongs to us (it is shared with dom0). */
    va = map_mfn(xtest_start_info->shared_info >> PAGE_SHIFT, PTE_RO, &rc);
    CHECK_EQ(rc, 0, "a second mapping of the shared_info frame is allowed");
    if (va)
        unmap_mfn(va);
}
