/* SPDX-License-Identifier: MIT */
/*
 * memory: XENMEM_* queries and reservation changes.  For a PV guest frame
 * numbers in extent lists are MFNs (gfn == mfn), populate_physmap writes
 * the new MFNs back into the list and sets their M2P entries, and the
 * guest keeps its own P2M.
 */
#include "xtest.h"
#include "mm.h"
#include "traps.h"

const char xtest_name[] = "memory";

/* A frame owned by the hypervisor (the first M2P chunk). */
static xen_pfn_t xen_owned_frame(void)
{
    xen_pfn_t mfn = 0;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };

    xen_guest_handle_set(l.extent_start, &mfn);
    HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l);
    return mfn;
}

static long reservation(unsigned int cmd, xen_pfn_t *list, unsigned long n,
                        domid_t dom)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = 0, .mem_flags = 0, .domid = dom,
    };

    xen_guest_handle_set(r.extent_start, list);
    return HYPERVISOR_memory_op(cmd, &r);
}

static void test_queries(void)
{
    domid_t self = DOMID_SELF, other = 5;
    struct xen_machphys_mapping mp;
    xen_pfn_t chunks[4];
    struct xen_machphys_mfn_list ml = { .max_extents = 4 };
    long cur, max, top;

    xtest_section("queries");
    cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    printf("  current %ld pages, maximum %ld pages\n", cur, max);
    CHECK_EQ(cur, (long)xtest_start_info->nr_pages, "current_reservation = start_info.nr_pages");
    CHECK(max >= cur, "maximum_reservation >= current");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &other), -ESRCH,
             "current_reservation of a nonexistent domain -> -ESRCH");
    top = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    CHECK(top > 0 && (unsigned long)top >= virt_to_mfn(&top),
          "maximum_ram_page (%#lx) >= our own MFNs", top);

    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mp), 0, "machphys_mapping");
    CHECK_EQ(mp.v_start, MACH2PHYS_VIRT_START, "M2P starts at 0xffff800000000000");
    CHECK(mp.v_end > mp.v_start && mp.v_end <= MACH2PHYS_VIRT_END, "and ends in its slot");
    CHECK(mp.max_mfn >= (unsigned long)top - 1 && mp.max_mfn < (1UL << 40),
          "max_mfn %#lx covers all RAM (dom0 sees max_page - 1)", mp.max_mfn);

    xen_guest_handle_set(ml.extent_start, chunks);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &ml), 0, "machphys_mfn_list");
    CHECK(ml.nr_extents >= 1 && chunks[0] != 0, "lists >= 1 M2P chunk (first MFN %#lx)",
          chunks[0]);
    CHECK_EQ(HYPERVISOR_memory_op(63, NULL), -ENOSYS, "unknown memory_op -> -ENOSYS");
}

static void test_memory_maps(void)
{
    static struct xen_e820_entry map[64];
    struct xen_memory_map mm = { .nr_entries = 64 };
    unsigned long ram = 0;
    unsigned int i, n;
    long rc;

    xtest_section("memory maps");
    xen_guest_handle_set(mm.buffer, map);
    rc = HYPERVISOR_memory_op(XENMEM_memory_map, &mm);
    /* No pseudo-physical map is set for a PV dom0 (Linux then falls back
     * to nr_pages and the machine map). */
    CHECK_EQ(rc, -ENOSYS, "XENMEM_memory_map for PV dom0 -> -ENOSYS");

    mm.nr_entries = 64;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm), 0,
             "XENMEM_machine_memory_map (dom0 only)");
    n = mm.nr_entries;
    CHECK(n >= 2 && n < 64, "%u entries", n);
    for (i = 0; i < n && i < 64; i++) {
        printf("  [%016lx, %016lx) type %u\n", map[i].addr, map[i].addr + map[i].size,
               map[i].type);
        if (map[i].type == XEN_E820_RAM)
            ram += map[i].size;
    }
    CHECK(ram >= (400UL << 20) && ram <= (512UL << 20),
          "RAM adds up to the machine's 512 MiB (%lu MiB)", ram >> 20);
    mm.nr_entries = 1;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm), -EINVAL,
             "a buffer of 1 entry -> -EINVAL");
}

static void test_reservation(void)
{
    domid_t self = DOMID_SELF;
    uint64_t *page = alloc_page();
    unsigned long va = (unsigned long)page;
    xen_pfn_t pfn = virt_to_pfn(page), mfn = virt_to_mfn(page), list[2];
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    long rc;

    xtest_section("decrease_reservation / populate_physmap");
    /* Give the frame back: unmap it first so no reference keeps it. */
    CHECK_EQ(set_pte_va(va, 0, UVMF_INVLPG), 0, "unmap the page");
    list[0] = mfn;
    CHECK_EQ(reservation(XENMEM_decrease_reservation, list, 1, DOMID_SELF), 1,
             "decrease_reservation of one frame returns 1 extent");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self), cur - 1,
             "current_reservation dropped by one");
    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG), -EBUSY,
             "the released frame can no longer be mapped (-EBUSY)");
    list[0] = mfn;
    CHECK_EQ(reservation(XENMEM_decrease_reservation, list, 1, DOMID_SELF), 0,
             "releasing it again processes 0 extents");

    list[0] = pfn;              /* PV: a GPFN in, the new MFN comes back */
    rc = reservation(XENMEM_populate_physmap, list, 1, DOMID_SELF);
    CHECK_EQ(rc, 1, "populate_physmap of one page");
    CHECK(list[0] != pfn && list[0] <= (xen_pfn_t)HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL),
          "the extent list now holds the new MFN (%#lx)", list[0]);
    CHECK_EQ(xtest_m2p[list[0]], pfn, "and the hypervisor set M2P[new MFN] = pfn");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self), cur,
             "current_reservation is back");
    xtest_p2m[pfn] = list[0];   /* the P2M is the guest's to maintain */
    CHECK_EQ(set_pte_va(va, (list[0] << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG), 0,
             "map the new frame at the old VA");
    page[0] = 0x1234;
    CHECK_EQ(page[0], 0x1234, "and use it");
}

static void test_hostile(void)
{
    domid_t self = DOMID_SELF;
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    xen_pfn_t list[2];

    xtest_section("hostile reservation requests");
    list[0] = xen_owned_frame();
    CHECK_EQ(reservation(XENMEM_decrease_reservation, list, 1, DOMID_SELF), 0,
             "decrease_reservation of a hypervisor frame processes 0 extents");
    list[0] = 0xfffffffffUL;
    CHECK_EQ(reservation(XENMEM_decrease_reservation, list, 1, DOMID_SELF), 0,
             "decrease_reservation of a nonexistent MFN processes 0 extents");
    /* Xen 4.17 reports an unknown domain here as "0 extents done". */
    CHECK_EQ(reservation(XENMEM_decrease_reservation, list, 1, 5), 0,
             "decrease_reservation for a nonexistent domain processes 0 extents");
    CHECK_EQ(reservation(XENMEM_decrease_reservation, (xen_pfn_t *)0x8, 1, DOMID_SELF), 0,
             "an unreadable extent list processes 0 extents");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self), cur,
             "nothing was released");
    if (max == cur) {
        list[0] = 0;
        CHECK_EQ(reservation(XENMEM_populate_physmap, list, 1, DOMID_SELF), 0,
                 "at the maximum reservation populate_physmap gets 0 extents");
    }
}

void xtest_main(void)
{
    test_queries();
    test_memory_maps();
    test_reservation();
    test_hostile();
}
