/* SPDX-License-Identifier: MIT */
/*
 * A complete new address space: L4 -> L3 -> L2 -> L1 -> page, pinned as a
 * whole through its L4 (validation is recursive), loaded with
 * MMUEXT_NEW_BASEPTR and registered as a user table with
 * MMUEXT_NEW_USER_BASEPTR.  The new L4 shares slot 0 (where this code
 * runs) with the boot L4 and adds slot 1 (512 GiB) of its own.
 */
#include "mmu.h"

#define SLOT1_VA   (1UL << L4_SHIFT)
#define MAGIC      0x5ca1ab1e0ddba11UL

void test_baseptr(void)
{
    uint64_t *l4 = alloc_page(), *l3 = alloc_page(), *l2 = alloc_page();
    uint64_t *l1 = alloc_page(), *page = alloc_page(), *junk = alloc_page();
    uint64_t *boot_l4 = xtest_l4();
    xen_pfn_t boot_mfn = xtest_l4_mfn, l4_mfn = virt_to_mfn(l4);
    uint64_t v = 0;

    xtest_section("new L4, NEW_BASEPTR, NEW_USER_BASEPTR");
    page[0] = MAGIC;
    l1[0] = (virt_to_mfn(page) << PAGE_SHIFT) | PTE_RW;
    l2[0] = (virt_to_mfn(l1) << PAGE_SHIFT) | PTE_RW;
    l3[0] = (virt_to_mfn(l2) << PAGE_SHIFT) | PTE_RW;
    l4[0] = boot_l4[0];
    l4[1] = (virt_to_mfn(l3) << PAGE_SHIFT) | PTE_RW;
    /* Junk in a hypervisor slot: must be ignored, never used. */
    l4[260] = (virt_to_mfn(junk) << PAGE_SHIFT) | PTE_RW;
    remap_ro(l1);
    remap_ro(l2);
    remap_ro(l3);

    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, l4_mfn), -EINVAL,
             "PIN_L4 of a frame still mapped writable -> -EINVAL");
    CHECK_EQ(remap_ro(l4), 0, "L4 mapped read-only");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, l4_mfn), 0,
             "PIN_L4_TABLE validates the whole new hierarchy");
    CHECK(l4[260] != ((virt_to_mfn(junk) << PAGE_SHIFT) | PTE_RW),
          "the guest's junk in hypervisor slot 260 was replaced, not used");
    CHECK_EQ(remap_rw(l3), -EBUSY, "the L3 below a pinned L4 cannot be mapped RW");

    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, l4_mfn), 0, "NEW_BASEPTR to the new L4");
    xtest_l4_mfn = l4_mfn;
    CHECK_EQ(probe_read64((uint64_t *)SLOT1_VA, &v), -1,
             "slot-1 VA readable in the new address space");
    CHECK_EQ(v, MAGIC, "and shows the page mapped there");
    CHECK_EQ(xtest_m2p[virt_to_mfn(page)], virt_to_pfn(page),
             "the M2P is readable in the new address space");

    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, boot_mfn), 0, "NEW_BASEPTR back");
    xtest_l4_mfn = boot_mfn;
    CHECK_EQ(probe_read64((uint64_t *)SLOT1_VA, &v), X86_EXC_PF,
             "slot-1 VA is not mapped in the boot address space");

    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, l4_mfn), 0,
             "NEW_USER_BASEPTR to the new L4");
    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, 0), 0,
             "NEW_USER_BASEPTR 0 (no user page table)");

    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, virt_to_mfn(junk)), -EINVAL,
             "NEW_BASEPTR to a writable data page -> -EINVAL");
    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, virt_to_mfn(junk)), -EINVAL,
             "NEW_USER_BASEPTR to a writable data page -> -EINVAL");
    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, xen_owned_mfn()), -EINVAL,
             "NEW_BASEPTR to a hypervisor frame -> -EINVAL");
    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, virt_to_mfn(l1)), -EINVAL,
             "NEW_BASEPTR to an L1-typed frame -> -EINVAL");

    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l4_mfn), 0, "UNPIN the new L4");
    /* Dropping the last reference drops the types of the whole tree. */
    CHECK_EQ(remap_rw(l4), 0, "L4 mappable RW again after the unpin");
    CHECK_EQ(remap_rw(l3), 0, "L3 too");
    CHECK_EQ(remap_rw(l2), 0, "L2 too");
    CHECK_EQ(remap_rw(l1), 0, "L1 too");

    /* The boot L4 is still pinned by the builder: unpin while it is CR3
     * (CR3 itself keeps the type) and pin it again, as Linux does. */
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, boot_mfn), 0,
             "UNPIN the builder's L4 while it is the current CR3");
    CHECK_EQ(remap_rw(boot_l4), -EBUSY, "still typed as L4 while loaded in CR3");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, boot_mfn), 0, "PIN it again");
}
