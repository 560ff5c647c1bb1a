/* SPDX-License-Identifier: MIT */
/*
 * dom0: the interface itself.  Xen 4.17 (common/domctl.c, sysctl.c):
 * version mismatch is -EACCES before anything else, an unreadable op
 * -EFAULT, a domain that does not exist -ESRCH, unknown commands -ENOSYS,
 * destroying or pausing yourself -EINVAL (domain_kill, pausedomain).
 */
#include "domctl_test.h"

/* Addresses the hypervisor must refuse to read: NULL (unmapped page 0),
 * the hypervisor's own range, a non-canonical one. */
static const uint64_t bad_ptrs[] = { 0, 0xffff830000000000ULL, 0x0000800000000000ULL };

static void versions_and_pointers(void)
{
    struct xen_domctl op;
    struct xen_sysctl sop;

    xtest_section("interface version and pointers");
    dc_init(&op, XEN_DOMCTL_getdomaininfo, 0);
    op.interface_version = 0x00000015;      /* Xen 4.17's own number */
    CHECK_EQ(HYPERVISOR_domctl(&op), -EACCES, "domctl with Xen 4.17's version 0x15 -> -EACCES");
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION + 1;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EACCES, "domctl with the next version -> -EACCES");
    op.cmd = XEN_DOMCTL_destroydomain;
    op.domain = DOMU_ID;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EACCES, "destroydomain with a bad version -> -EACCES, nothing done");
    CHECK(dom_exists(DOMU_ID), "d%u still exists", DOMU_ID);
    sc_init(&sop, XEN_SYSCTL_physinfo);
    sop.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    CHECK_EQ(HYPERVISOR_sysctl(&sop), -EACCES, "sysctl with the domctl version -> -EACCES");
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
        CHECK_EQ(HC(__HYPERVISOR_domctl, bad_ptrs[i], 0, 0, 0, 0), -EFAULT,
                 "domctl(%#lx) -> -EFAULT", (unsigned long)bad_ptrs[i]);
        CHECK_EQ(HC(__HYPERVISOR_sysctl, bad_ptrs[i], 0, 0, 0, 0), -EFAULT,
                 "sysctl(%#lx) -> -EFAULT", (unsigned long)bad_ptrs[i]);
    }
    /* An op whose struct runs off the end of the mapped region. */
    if (!(pte_get(xtest_map_end) & _PAGE_PRESENT))
        CHECK_EQ(HC(__HYPERVISOR_domctl, xtest_map_end - 8, 0, 0, 0, 0), -EFAULT,
                 "domctl struct running into an unmapped page -> -EFAULT");
    /* A good op whose OUT copy cannot be written: the info lands nowhere. */
    uint64_t ro_va = (unsigned long)alloc_page();
    struct xen_domctl *ro = (struct xen_domctl *)ro_va;
    dc_init(ro, XEN_DOMCTL_getdomaininfo, 0);
    CHECK_EQ(remap_ro(ro), 0, "op page made read-only");
    CHECK_EQ(HYPERVISOR_domctl(ro), -EFAULT, "getdomaininfo into a read-only op -> -EFAULT");
    remap_rw(ro);
    dc_init(&op, 999, 0);
    CHECK_EQ(HYPERVISOR_domctl(&op), -ENOSYS, "domctl cmd 999 -> -ENOSYS");
    dc_init(&op, XEN_DOMCTL_shadow_op, 0);
    CHECK_EQ(HYPERVISOR_domctl(&op), -ENOSYS, "shadow_op (not offered) -> -ENOSYS");
    sc_init(&sop, 999);
    CHECK_EQ(HYPERVISOR_sysctl(&sop), -ENOSYS, "sysctl cmd 999 -> -ENOSYS");
}

static void self_and_bad_ids(void)
{
    struct xen_domctl_getdomaininfo info;

    xtest_section("dom0 itself, missing domains");
    CHECK_EQ(dc_simple(XEN_DOMCTL_destroydomain, 0), -EINVAL, "destroying dom0 (yourself) -> -EINVAL");
    CHECK_EQ(dc_simple(XEN_DOMCTL_pausedomain, 0), -EINVAL, "pausing yourself -> -EINVAL");
    CHECK_EQ(dc_simple(XEN_DOMCTL_unpausedomain, 0), -EINVAL, "unpausing dom0 (never paused) -> -EINVAL");
    CHECK_EQ(dc_getinfo(0, &info), 0, "getdomaininfo(0)");
    CHECK_EQ(info.domain, 0, "... answers for dom0");
    CHECK(!(info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_paused | XEN_DOMINF_dying)),
          "... not shut down, paused or dying (flags %#x)", info.flags);
    CHECK(info.flags & XEN_DOMINF_running, "... running (we are)");
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ DOMID_SELF });
    CHECK_EQ(info.tot_pages, cur, "... tot_pages = XENMEM_current_reservation");
    CHECK_EQ(info.shared_info_frame, xtest_start_info->shared_info >> PAGE_SHIFT,
             "... shared_info_frame = start_info.shared_info's frame");
    CHECK(info.nr_online_vcpus >= 1 && info.max_vcpu_id + 1 >= info.nr_online_vcpus,
          "... %u online vCPUs, max id %u", info.nr_online_vcpus, info.max_vcpu_id);
    CHECK(info.cpu_time > 0, "... cpu_time %lu ns", (unsigned long)info.cpu_time);

    static const uint32_t need_domain[] = {
        XEN_DOMCTL_destroydomain, XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain, XEN_DOMCTL_max_mem,
        XEN_DOMCTL_getvcpuinfo, XEN_DOMCTL_setdomainhandle, XEN_DOMCTL_settimeoffset,
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(need_domain); i++) {
        CHECK_EQ(dc_simple(need_domain[i], 0x7000), -ESRCH, "cmd %u on d%u (none) -> -ESRCH",
                 need_domain[i], 0x7000);
        CHECK_EQ(dc_simple(need_domain[i], DOMID_SELF), -ESRCH, "cmd %u on DOMID_SELF -> -ESRCH",
                 need_domain[i]);
    }
    CHECK_EQ(dc_getinfo(0x7000, &info), -ESRCH, "getdomaininfo(0x7000): none at or above -> -ESRCH");
    CHECK_EQ(dc_getinfo(DOMID_SELF, &info), -EINVAL, "getdomaininfo(DOMID_SELF) -> -EINVAL (Xen)");
    /* Xen answers for the next domain up when the one asked for is missing. */
    struct xen_domctl op;
    dc_init(&op, XEN_DOMCTL_getdomaininfo, DOMU_ID);
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "getdomaininfo(d%u)", DOMU_ID);
    CHECK(op.domain == DOMU_ID && op.u.getdomaininfo.domain == DOMU_ID, "... echoes d%u", DOMU_ID);
}

static void sysctls(void)
{
    struct xen_sysctl_physinfo pi;
    struct xen_sysctl op;

    xtest_section("physinfo, sched_id, getcpuinfo, cputopoinfo, getdomaininfolist");
    CHECK_EQ(sc_physinfo(&pi), 0, "physinfo");
    printf("  %u CPUs (max id %u), %u kHz, %lu pages, %lu free, caps %#x\n", pi.nr_cpus,
           pi.max_cpu_id, pi.cpu_khz, (unsigned long)pi.total_pages, (unsigned long)pi.free_pages,
           pi.capabilities);
    CHECK_EQ(pi.nr_cpus, 2, "nr_cpus 2 (QEMU -smp 2)");
    CHECK_EQ(pi.max_cpu_id, 1, "max_cpu_id 1");
    CHECK(pi.nr_nodes == 1 && pi.max_node_id == 0, "one NUMA node");
    CHECK(pi.cpu_khz > 100000, "cpu_khz plausible");
    CHECK((pi.capabilities & XEN_SYSCTL_PHYSCAP_pv) && !(pi.capabilities & XEN_SYSCTL_PHYSCAP_hvm),
          "capabilities: PV, not HVM");
    CHECK(pi.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1, "capabilities: grant tables v1");
    CHECK(pi.free_pages > 0 && pi.free_pages < pi.total_pages, "0 < free_pages < total_pages");
    /* QEMU -m 512: some 131072 frames; dom0 has 128M of them. */
    CHECK(pi.total_pages > 32768 && pi.total_pages <= 131072, "total_pages within -m 512");
    CHECK(pi.max_mfn >= pi.total_pages - 1, "max_mfn %#lx", (unsigned long)pi.max_mfn);
    CHECK(pi.hw_cap[0] & (1U << 0), "hw_cap[0] is CPUID 1 EDX (FPU bit)");

    sc_init(&op, XEN_SYSCTL_sched_id);
    CHECK_EQ(HYPERVISOR_sysctl(&op), 0, "sched_id");
    CHECK_EQ(op.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT, "... credit (weights)");

    struct xen_sysctl_cpuinfo ci[4];
    memset(ci, 0, sizeof(ci));
    sc_init(&op, XEN_SYSCTL_getcpuinfo);
    op.u.getcpuinfo.max_cpus = 4;
    op.u.getcpuinfo.info = (unsigned long)ci;
    CHECK_EQ(HYPERVISOR_sysctl(&op), 0, "getcpuinfo");
    CHECK_EQ(op.u.getcpuinfo.nr_cpus, 2, "... 2 CPUs");
    CHECK(ci[0].idletime < (uint64_t)xtest_now() + MILLISECS(1000), "... idle time of CPU0 %lu ns",
          (unsigned long)ci[0].idletime);
    op.u.getcpuinfo.info = 0xffff830000000000ULL;
    CHECK_EQ(HYPERVISOR_sysctl(&op), -EFAULT, "getcpuinfo into the hypervisor's range -> -EFAULT");

    struct xen_sysctl_cputopo topo[2];
    sc_init(&op, XEN_SYSCTL_cputopoinfo);
    CHECK_EQ(HYPERVISOR_sysctl(&op), 0, "cputopoinfo with no buffer");
    CHECK_EQ(op.u.cputopoinfo.num_cpus, 2, "... asks for 2 entries");
    op.u.cputopoinfo.num_cpus = 1;
    op.u.cputopoinfo.cputopo = (unsigned long)topo;
    CHECK_EQ(HYPERVISOR_sysctl(&op), -ENOBUFS, "... a 1-entry buffer -> -ENOBUFS (Xen)");
    CHECK_EQ(op.u.cputopoinfo.num_cpus, 2, "... with num_cpus 2");
    CHECK_EQ(HYPERVISOR_sysctl(&op), 0, "... a 2-entry buffer");
    CHECK(topo[0].node == 0 && topo[1].node == 0 && topo[0].core != topo[1].core, "... distinct cores, node 0");

    struct xen_domctl_getdomaininfo list[8];
    sc_init(&op, XEN_SYSCTL_getdomaininfolist);
    op.u.getdomaininfolist.max_domains = 8;
    op.u.getdomaininfolist.buffer = (unsigned long)list;
    CHECK_EQ(HYPERVISOR_sysctl(&op), 0, "getdomaininfolist");
    CHECK(op.u.getdomaininfolist.num_domains >= 2 && list[0].domain == 0 && list[1].domain == DOMU_ID,
          "... dom0 then d%u (%u domains)", DOMU_ID, op.u.getdomaininfolist.num_domains);
    op.u.getdomaininfolist.first_domain = 1;
    op.u.getdomaininfolist.max_domains = 1;
    CHECK_EQ(HYPERVISOR_sysctl(&op), 0, "getdomaininfolist from d1, at most 1");
    CHECK(op.u.getdomaininfolist.num_domains == 1 && list[0].domain == DOMU_ID, "... just d%u", DOMU_ID);
    op.u.getdomaininfolist.buffer = 0;
    CHECK_EQ(HYPERVISOR_sysctl(&op), -EFAULT, "getdomaininfolist into NULL -> -EFAULT");
}

void dom0_interface(void)
{
    versions_and_pointers();
    self_and_bad_ids();
    sysctls();
}
