/* SPDX-License-Identifier: MIT */
/*
 * mmu_update(reqs, count, done, foreigndom): each request's ptr is the
 * machine address of an entry with the command in bits 1:0 (normal,
 * machphys, preserve-A/D, no-translate).  The target page's type decides
 * the validation: a page-table page gets its entry checked, an ordinary
 * writable page is simply written.
 */
#include "mmu.h"

#define AD (_PAGE_ACCESSED | _PAGE_DIRTY)

static void test_normal(void)
{
    volatile uint64_t *p = alloc_page();
    unsigned long va = (unsigned long)p;
    uint64_t *l1e = pte_ptr(va, 1);
    uint64_t ma = virt_to_maddr(l1e);
    uint64_t pte = *l1e;

    CHECK_EQ(mmu_update1(ma | MMU_NORMAL_PT_UPDATE, pte & ~_PAGE_RW), 0,
             "MMU_NORMAL_PT_UPDATE of an L1 entry (RW -> RO)");
    CHECK_EQ(*l1e & ~AD, (pte & ~_PAGE_RW) & ~AD, "the entry holds the new value");
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
    CHECK_EQ(probe_write64(p, 1), X86_EXC_PF, "the page is read-only now");
    CHECK_EQ(mmu_update1(ma | MMU_NORMAL_PT_UPDATE, pte), 0, "and back to RW");
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
    CHECK_EQ(probe_write64(p, 1), -1, "the page is writable again");

    /* Accessed/dirty bits: a normal update writes them as given; the
     * preserve-A/D form keeps the ones already set (XENFEAT bit 5). */
    CHECK_EQ(mmu_update1(ma | MMU_NORMAL_PT_UPDATE, pte & ~AD), 0,
             "normal update with A and D clear");
    CHECK_EQ(*l1e & AD, 0, "A and D are clear in the entry");
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
    *p = 3;
    CHECK_EQ(*l1e & AD, AD, "a write through the mapping sets A and D");
    CHECK_EQ(mmu_update1(ma | MMU_PT_UPDATE_PRESERVE_AD, pte & ~AD & ~_PAGE_RW), 0,
             "MMU_PT_UPDATE_PRESERVE_AD with A and D clear");
    CHECK_EQ(*l1e & (AD | _PAGE_RW), AD, "A and D survived, RW was cleared");
    CHECK_EQ(mmu_update1(ma | MMU_NORMAL_PT_UPDATE, pte), 0, "restore the entry");
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
}

static void test_plain_write(void)
{
    volatile uint64_t *q = alloc_page();

    /* Linux routes set_pte through mmu_update even for page-table pages
     * that are not (yet) typed: then it is just a checked write. */
    CHECK_EQ(mmu_update1(virt_to_maddr((void *)(q + 3)) | MMU_NORMAL_PT_UPDATE,
                         0xdeadbeefcafeUL), 0,
             "MMU_NORMAL_PT_UPDATE into an ordinary writable page");
    CHECK_EQ(q[3], 0xdeadbeefcafeUL, "the value was written verbatim");
}

static void test_machphys(void)
{
    void *p = alloc_page();
    xen_pfn_t mfn = virt_to_mfn(p), pfn = virt_to_pfn(p);

    CHECK_EQ(mmu_update1((mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0x12345), 0,
             "MMU_MACHPHYS_UPDATE of an own frame");
    CHECK_EQ(xtest_m2p[mfn], 0x12345, "the M2P entry changed");
    CHECK_EQ(mmu_update1((mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn), 0,
             "MMU_MACHPHYS_UPDATE back");
    CHECK_EQ(xtest_m2p[mfn], pfn, "the M2P entry is restored");
    CHECK_EQ(mmu_update1((xen_owned_mfn() << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 1),
             -EINVAL, "MMU_MACHPHYS_UPDATE of a hypervisor frame -> -EINVAL");
}

static void test_batches(void)
{
    volatile uint64_t *q = alloc_page();
    struct mmu_update req[3] = {
        { virt_to_maddr((void *)q) | MMU_NORMAL_PT_UPDATE, 1 },
        { (xen_owned_mfn() << PAGE_SHIFT) | MMU_NORMAL_PT_UPDATE, 2 },
        { virt_to_maddr((void *)(q + 1)) | MMU_NORMAL_PT_UPDATE, 3 },
    };
    unsigned int done = 99;

    CHECK_EQ(HYPERVISOR_mmu_update(req, 3, &done, DOMID_SELF), -EINVAL,
             "batch whose 2nd entry targets a hypervisor frame -> -EINVAL");
    CHECK_EQ(done, 1, "done counts the one request before the bad one");
    CHECK(q[0] == 1 && q[1] == 0, "the 3rd request was not carried out");

    done = 99;
    CHECK_EQ(HYPERVISOR_mmu_update(req, 1, &done, DOMID_SELF), 0,
             "foreigndom DOMID_SELF");
    CHECK_EQ(done, 1, "done = 1");
    /* Naming yourself by number is not the same as DOMID_SELF. */
    CHECK_EQ(HYPERVISOR_mmu_update(req, 1, NULL, 0), -ESRCH,
             "foreigndom = own domid 0 -> -ESRCH");
    CHECK_EQ(HYPERVISOR_mmu_update(req, 1, NULL, 5), -ESRCH,
             "foreigndom of a nonexistent domain -> -ESRCH");
    CHECK_EQ(HYPERVISOR_mmu_update(req, 1, NULL, DOMID_ANY), -ESRCH,
             "foreigndom DOMID_ANY -> -ESRCH");
    CHECK_EQ(HYPERVISOR_mmu_update(req, 0, NULL, DOMID_SELF), 0, "count 0");
}

void test_mmu_update(void)
{
    xtest_section("mmu_update");
    test_normal();
    test_plain_write();
    test_machphys();
    test_batches();
}
