/* SPDX-License-Identifier: MIT */
/*
 * Pinning: MMUEXT_PIN_Ln_TABLE validates a frame as a level-n table and
 * holds that type until MMUEXT_UNPIN_TABLE.  A frame has one type at a
 * time, so a page-table page can have no writable mapping and a page with
 * a writable mapping cannot become a page table.
 */
#include "mmu.h"

void test_pinning(void)
{
    uint64_t *l1 = alloc_page();
    void *data_rw = alloc_page(), *data_ro = alloc_page();
    xen_pfn_t mfn = virt_to_mfn(l1);

    xtest_section("pin / unpin");
    /* A small L1 mapping two of our own frames. */
    l1[0] = (virt_to_mfn(data_rw) << PAGE_SHIFT) | PTE_RW;
    l1[1] = (virt_to_mfn(data_ro) << PAGE_SHIFT) | PTE_RO;

    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, mfn), -EINVAL,
             "pinning a page that is still mapped writable -> -EINVAL");
    CHECK_EQ(remap_ro(l1), 0, "remap the table page read-only");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, mfn), 0, "PIN_L1_TABLE");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, mfn), -EINVAL,
             "pinning it a second time -> -EINVAL");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L2_TABLE, mfn), -EINVAL,
             "pinning the same frame as an L2 (type conflict) -> -EINVAL");
    CHECK_EQ(remap_rw(l1), -EBUSY,
             "a writable mapping of a pinned L1 is refused (-EBUSY)");
    CHECK_EQ(remap_rw(data_ro), 0,
             "a frame an L1 maps read-only may still be mapped RW elsewhere");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, mfn), 0, "UNPIN_TABLE");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, mfn), -EINVAL,
             "unpinning a table that is not pinned -> -EINVAL");
    CHECK_EQ(remap_rw(l1), 0,
             "after the unpin the type is gone: RW mapping allowed again");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, xen_owned_mfn()), -EINVAL,
             "unpinning a hypervisor frame -> -EINVAL");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, xen_owned_mfn()), -EINVAL,
             "pinning a hypervisor frame -> -EINVAL");

    /* Validation of the contents. */
    l1[2] = (virt_to_mfn(l1) << PAGE_SHIFT) | PTE_RW;
    remap_ro(l1);
    CHECK(mmuext1(MMUEXT_PIN_L1_TABLE, mfn) < 0,
          "an L1 mapping itself writable does not validate");
    remap_rw(l1);
    l1[2] = (xen_owned_mfn() << PAGE_SHIFT) | PTE_RO;
    remap_ro(l1);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, mfn), -EBUSY,
             "an L1 mapping a hypervisor-owned frame does not validate (-EBUSY)");
    remap_rw(l1);
    l1[2] = 0;
    remap_ro(l1);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, mfn), 0, "fixed table pins");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, mfn), -EINVAL,
             "pinning an L1-typed frame as L4 -> -EINVAL");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, mfn), 0, "unpin");
    CHECK_EQ(remap_rw(l1), 0, "RW again");
}
