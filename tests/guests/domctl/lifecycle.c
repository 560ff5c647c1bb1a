/* SPDX-License-Identifier: MIT */
/*
 * dom0: a domain's life under the toolstack without running it: create
 * (ids, configuration errors), memory for it (max_mem, populate_physmap
 * from here, decrease_reservation), the controller's pause count, the
 * small setters, permissions, getpageframeinfo3, foreign mappings, and
 * destroy, after which every page it had is back in the allocator.
 * Facts: Xen 4.17 common/domctl.c, common/domain.c, common/memory.c.
 */
#include "domctl_test.h"

#define NPAGES 64

static xen_pfn_t mfns[NPAGES + 300];

static void create_errors(void)
{
    struct xen_domctl op;
    domid_t id;

    xtest_section("createdomain: refused configurations change nothing");
    uint64_t free0 = host_free_pages();
    CHECK_EQ(dc_create(DOMU_ID, 1, &id), -EEXIST, "createdomain with d%u's id -> -EEXIST", DOMU_ID);
    CHECK_EQ(dc_create(0, 0, &id), -EINVAL, "max_vcpus 0 -> -EINVAL");
    CHECK_EQ(dc_create(0, 33, &id), -EINVAL, "max_vcpus 33 -> -EINVAL");
    dc_init(&op, XEN_DOMCTL_createdomain, 0);
    op.u.createdomain.max_vcpus = 1;
    op.u.createdomain.max_grant_frames = -1;
    op.u.createdomain.max_maptrack_frames = -1;
    op.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "an HVM domain -> -EINVAL (PV only)");
    op.u.createdomain.flags = 0;
    op.u.createdomain.cpupool_id = 3;
    CHECK_EQ(HYPERVISOR_domctl(&op), -ENOENT, "cpupool 3 -> -ENOENT");
    op.u.createdomain.cpupool_id = 0;
    op.u.createdomain.arch.emulation_flags = 1;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "emulated LAPIC for PV -> -EINVAL");
    CHECK_EQ(host_free_pages(), free0, "free pages unchanged by the refusals");
}

/* One domain, taken through everything that needs no vCPU running. */
static void one_domain(bool report_memory)
{
    struct xen_domctl op;
    struct xen_domctl_getdomaininfo info;
    domid_t id = 0;

    uint64_t free0 = host_free_pages();
    if (!CHECK_EQ(dc_create(0, 2, &id), 0, "createdomain (2 vCPUs, id picked)"))
        return;
    printf("  new domain d%u\n", id);
    CHECK(id > DOMU_ID && id < DOMID_FIRST_RESERVED, "picked id d%u is new and ordinary", id);
    CHECK_EQ(dc_getinfo(id, &info), 0, "getdomaininfo(d%u)", id);
    CHECK_EQ(info.domain, id, "... answers for it");
    CHECK_EQ(info.flags, XEN_DOMINF_paused, "... paused by the controller, no vCPU online (flags %#x)", info.flags);
    CHECK(info.tot_pages == 0 && info.max_pages == 0, "... no memory, max 0");
    CHECK(info.nr_online_vcpus == 0 && info.max_vcpu_id == 1, "... 0 vCPUs online, max id 1");
    CHECK(info.handle[0] == 0xd0 && info.handle[15] == 0xdf, "... the handle given at creation");
    CHECK(info.shared_info_frame != 0, "... a shared_info frame %#lx", (unsigned long)info.shared_info_frame);
    CHECK_EQ(dc_create(id, 1, &(domid_t){ 0 }), -EEXIST, "creating d%u again -> -EEXIST", id);

    /* vCPUs: all made at creation (Xen 4.17 semantics of max_vcpus). */
    dc_init(&op, XEN_DOMCTL_max_vcpus, id);
    op.u.max_vcpus.max = 2;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "max_vcpus 2 (as created)");
    op.u.max_vcpus.max = 3;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "max_vcpus 3 -> -EINVAL");
    struct xen_domctl_getvcpuinfo vi;
    CHECK_EQ(dc_vcpuinfo(id, 1, &vi), 0, "getvcpuinfo(vCPU 1)");
    CHECK(!vi.online && !vi.running && vi.cpu_time == 0, "... down, never ran");
    CHECK_EQ(dc_vcpuinfo(id, 2, &vi), -EINVAL, "getvcpuinfo(vCPU 2) -> -EINVAL");
    dc_init(&op, XEN_DOMCTL_getvcpucontext, id);
    op.u.vcpucontext.ctxt = (unsigned long)alloc_page();        /* never written */
    CHECK_EQ(HYPERVISOR_domctl(&op), -ENODATA, "getvcpucontext of an uninitialised vCPU -> -ENODATA");

    /* Memory. */
    CHECK_EQ(populate(id, 0, 4, mfns), 0, "populate_physmap before max_mem: 0 extents");
    CHECK_EQ(dc_max_mem(id, NPAGES * 4), 0, "max_mem %u KiB", NPAGES * 4);
    CHECK_EQ(populate(id, 0, NPAGES - 8, mfns), NPAGES - 8, "populate_physmap of %u pages from dom0", NPAGES - 8);
    CHECK_EQ(populate(id, NPAGES - 8, 300, mfns + NPAGES - 8), 8, "asking 300 more stops at max_pages (8 done)");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ id }), NPAGES,
             "XENMEM_current_reservation(d%u) = %u", id, NPAGES);
    CHECK_EQ(populate(0x7000, 0, 1, mfns + NPAGES), 0, "populate_physmap for a missing domain: 0 extents");
    unsigned long distinct = mfns[0] != mfns[1] && mfns[1] != mfns[NPAGES - 1];
    CHECK(distinct && mfns[0] != 0, "MFNs returned (%#lx, %#lx, ...)", (unsigned long)mfns[0],
          (unsigned long)mfns[1]);
    struct xen_memory_reservation dec = { .nr_extents = 1, .domid = id };
    dec.extent_start = (unsigned long)&mfns[NPAGES - 1];
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &dec), 1, "decrease_reservation of one of its pages");
    CHECK_EQ(dc_getinfo(id, &info), 0, "getdomaininfo");
    CHECK(info.tot_pages == NPAGES - 1 && info.max_pages == NPAGES, "... tot %lu max %lu",
          (unsigned long)info.tot_pages, (unsigned long)info.max_pages);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &dec), 0, "the same frame again: 0 done");
    CHECK_EQ(dc_max_mem(id, 16 * 4), 0, "max_mem below tot_pages is allowed (Xen)");
    CHECK_EQ(populate(id, 100, 1, mfns + NPAGES), 0, "... but then nothing more comes");
    CHECK_EQ(dc_max_mem(id, NPAGES * 4), 0, "max_mem back up");
    struct xen_memory_reservation inc = { .nr_extents = 2, .domid = id };
    xen_pfn_t got[2] = { 0, 0 };
    inc.extent_start = (unsigned long)got;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_increase_reservation, &inc), 1,
             "increase_reservation for it: 1 of 2 (the last page under max_pages)");
    CHECK(got[0] != 0 && got[1] == 0, "... its MFN %#lx handed back", (unsigned long)got[0]);

    /* Frame types and foreign mappings. */
    xen_pfn_t arr[3] = { mfns[0], virt_to_mfn(alloc_page()), info.shared_info_frame };
    dc_init(&op, XEN_DOMCTL_getpageframeinfo3, id);
    op.u.getpageframeinfo3.num = 3;
    op.u.getpageframeinfo3.array = (unsigned long)arr;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "getpageframeinfo3");
    CHECK(arr[0] == XEN_DOMCTL_PFINFO_NOTAB && arr[1] == XEN_DOMCTL_PFINFO_XTAB &&
          arr[2] == XEN_DOMCTL_PFINFO_XTAB, "... its RAM NOTAB, our frame and its shared_info XTAB (%#lx %#lx %#lx)",
          (unsigned long)arr[0], (unsigned long)arr[1], (unsigned long)arr[2]);
    op.u.getpageframeinfo3.num = 1025;
    CHECK_EQ(HYPERVISOR_domctl(&op), -E2BIG, "... 1025 frames -> -E2BIG");
    long rc;
    uint32_t *p = map_foreign(mfns[3], id, PTE_RW, &rc);
    if (CHECK(p, "its frame mapped read-write with FOREIGNDOM = d%u (rc %ld)", id, rc)) {
        CHECK_EQ(*p, 0, "... zeroed");
        p[0] = 0x5a5a5a5a;
        unmap_foreign(p);
    }
    p = map_foreign(mfns[3], id, PTE_RO, &rc);
    if (CHECK(p, "mapped again read-only"))
        CHECK_EQ(p[0], 0x5a5a5a5a, "... our write is there");
    CHECK(!map_foreign(mfns[4], DOMID_SELF, PTE_RO, &rc) && rc == -EBUSY,
          "mapping its frame as our own -> -EBUSY (rc %ld)", rc);

    /* The controller's pause count (Xen: starts at 1, capped at 255). */
    int pauses = 1;
    while (pauses < 300 && dc_simple(XEN_DOMCTL_pausedomain, id) == 0)
        pauses++;
    CHECK_EQ(pauses, 255, "pausedomain nests up to 255, then -EOVERFLOW");
    int unpauses = 0;
    while (unpauses < 300 && dc_simple(XEN_DOMCTL_unpausedomain, id) == 0)
        unpauses++;
    CHECK_EQ(unpauses, 255, "255 unpauses, then -EINVAL");
    CHECK_EQ(dc_getinfo(id, &info), 0, "getdomaininfo");
    CHECK_EQ(info.flags & XEN_DOMINF_paused, 0, "... no longer paused");
    CHECK_EQ(dc_simple(XEN_DOMCTL_pausedomain, id), 0, "paused again");

    /* Small setters. */
    dc_init(&op, XEN_DOMCTL_setdomainhandle, id);
    for (unsigned int i = 0; i < 16; i++)
        op.u.setdomainhandle.handle[i] = (uint8_t)i;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "setdomainhandle");
    CHECK(dc_getinfo(id, &info) == 0 && info.handle[0] == 0 && info.handle[15] == 15, "... shows in getdomaininfo");
    dc_init(&op, XEN_DOMCTL_settimeoffset, id);
    op.u.settimeoffset.time_offset_seconds = -3600;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "settimeoffset -3600");
    dc_init(&op, XEN_DOMCTL_set_address_size, id);
    op.u.address_size.size = 64;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "set_address_size 64");
    op.u.address_size.size = 32;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "set_address_size 32 -> -EINVAL (no 32-bit PV)");
    dc_init(&op, XEN_DOMCTL_get_address_size, id);
    CHECK(HYPERVISOR_domctl(&op) == 0 && op.u.address_size.size == 64, "get_address_size: 64");
    dc_init(&op, XEN_DOMCTL_scheduler_op, id);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK(HYPERVISOR_domctl(&op) == 0 && op.u.scheduler_op.u.credit.weight == 256, "credit weight 256");
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.scheduler_op.u.credit.weight = 512;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "weight 512");
    op.u.scheduler_op.u.credit.cap = 50;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "a cap -> -EINVAL (not enforced, not accepted)");
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK(HYPERVISOR_domctl(&op) == 0 && op.u.scheduler_op.u.credit.weight == 512, "... reads back 512");
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_RTDS;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "another scheduler's id -> -EINVAL");

    /* Permissions. */
    dc_init(&op, XEN_DOMCTL_iomem_permission, id);
    op.u.iomem_permission.first_mfn = 0xfebf0;
    op.u.iomem_permission.nr_mfns = 4;
    op.u.iomem_permission.allow_access = 1;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "iomem_permission grant");
    op.u.iomem_permission.allow_access = 0;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "... revoke");
    op.u.iomem_permission.nr_mfns = 0;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "... 0 frames -> -EINVAL");
    op.u.iomem_permission.first_mfn = ~0ULL;
    op.u.iomem_permission.nr_mfns = 2;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "... a wrapping range -> -EINVAL");
    dc_init(&op, XEN_DOMCTL_ioport_permission, id);
    op.u.ioport_permission.first_port = 0x3f8;
    op.u.ioport_permission.nr_ports = 8;
    op.u.ioport_permission.allow_access = 1;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "ioport_permission 0x3f8+8");
    op.u.ioport_permission.first_port = 0xfffc;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "... past port 0xffff -> -EINVAL");
    dc_init(&op, XEN_DOMCTL_irq_permission, id);
    op.u.irq_permission.pirq = 17;
    op.u.irq_permission.allow_access = 1;
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "irq_permission 17");

    /* Destroy; a frame we still map outlives it until we let go. */
    uint64_t free_mapped = host_free_pages();
    CHECK_EQ(dc_simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain(d%u)", id);
    CHECK(!dom_exists(id), "d%u is gone", id);
    CHECK_EQ(dc_simple(XEN_DOMCTL_destroydomain, id), -ESRCH, "destroying it again -> -ESRCH");
    CHECK_EQ(dc_simple(XEN_DOMCTL_unpausedomain, id), -ESRCH, "unpausing it -> -ESRCH");
    CHECK_EQ(populate(id, 0, 1, mfns), 0, "populating it: 0 extents");
    if (p) {
        CHECK_EQ(p[0], 0x5a5a5a5a, "the frame we map still reads back");
        uint64_t mid = host_free_pages();
        unmap_foreign(p);
        CHECK_EQ(host_free_pages(), mid + 1, "unmapping it frees it");
    }
    uint64_t free1 = host_free_pages();
    CHECK(free1 > free_mapped + NPAGES - 2, "its %u pages came back (%lu -> %lu)", NPAGES,
          (unsigned long)free_mapped, (unsigned long)free1);
    if (report_memory)
        printf("  free pages: %lu before create, %lu after destroy (warm-up cycle)\n",
               (unsigned long)free0, (unsigned long)free1);
    else
        CHECK_EQ(free1, free0, "free pages exactly as before the domain was created");
}

/* Fill the hypervisor's domain table, then empty it: ids keep moving up
 * (Xen's rover) and the full table is an error that costs nothing.  The
 * hypervisor heap keeps one empty slab page per size class as a spare
 * (mm/xmalloc.c), so the first fill may leave a few pages with the heap;
 * the second must then give back exactly what it took. */
static uint64_t fill_and_empty(bool first)
{
    static domid_t ids[80];
    unsigned int n = 0, destroyed = 0;
    long rc = 0;
    xen_pfn_t m[4];

    while (n < ARRAY_SIZE(ids)) {
        rc = dc_create(0, 1, &ids[n]);
        if (rc)
            break;
        dc_max_mem(ids[n], 16);
        populate(ids[n], 0, 4, m);
        n++;
    }
    CHECK(n > 50 && rc == -ENOSPC, "%u domains made, then -ENOSPC (rc %ld)", n, rc);
    if (first) {
        CHECK(n < 2 || ids[n - 1] > ids[0], "ids handed out upwards (d%u .. d%u)", ids[0], n ? ids[n - 1] : 0);
        CHECK_EQ(dc_create(0, 1, &(domid_t){ 0 }), -ENOSPC, "still full");
    }
    for (unsigned int i = 0; i < n; i++)
        destroyed += dc_simple(XEN_DOMCTL_destroydomain, ids[i]) == 0;
    CHECK_EQ(destroyed, n, "all %u destroyed", n);
    return n ? ids[n - 1] : 0;
}

static void many_domains(void)
{
    xtest_section("fill the domain table, destroy everything, twice");
    uint64_t free0 = host_free_pages();
    domid_t last = (domid_t)fill_and_empty(true);
    uint64_t free1 = host_free_pages();
    CHECK(free1 <= free0 && free0 - free1 <= 24, "first time: at most one spare slab page per heap size "
          "class stays with the heap (%lu)", (unsigned long)(free0 - free1));
    fill_and_empty(false);
    CHECK_EQ(host_free_pages(), free1, "second time: free pages exactly as after the first");
    domid_t again = 0;
    CHECK_EQ(dc_create(0, 1, &again), 0, "a new domain after that");
    CHECK(again > last, "... gets a fresh id d%u", again);
    CHECK_EQ(dc_simple(XEN_DOMCTL_destroydomain, again), 0, "... destroyed");
}

void dom0_lifecycle(void)
{
    create_errors();
    xtest_section("a domain's life without running (first cycle also warms the heap)");
    uint64_t f0 = host_free_pages();
    one_domain(true);
    /* The hypervisor heap keeps one spare slab page per size class, so the
     * very first cycle may leave a page or two with it; after that every
     * cycle must give back exactly what it took. */
    CHECK(f0 - host_free_pages() <= 2 || host_free_pages() >= f0, "first cycle: at most 2 pages kept by the heap");
    xtest_section("the same again: memory must come back exactly");
    one_domain(false);
    one_domain(false);
    many_domains();
}
