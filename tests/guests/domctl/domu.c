/* SPDX-License-Identifier: MIT */
/*
 * d1, unprivileged: every domctl and sysctl is -EPERM whatever it names
 * (Xeno refuses at the hypercall table, before version or domain checks),
 * and the memory operations a toolstack uses on other domains are refused
 * too: populate_physmap for dom0 does nothing (Xen 4.17: 0 extents),
 * FOREIGNDOM in mmu_update/mmuext_op is -EPERM (XSM_TARGET).
 */
#include "domctl_test.h"

static const uint32_t domctls[] = {
    XEN_DOMCTL_createdomain, XEN_DOMCTL_destroydomain, XEN_DOMCTL_pausedomain,
    XEN_DOMCTL_unpausedomain, XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_max_mem,
    XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpucontext, XEN_DOMCTL_getvcpuinfo,
    XEN_DOMCTL_max_vcpus, XEN_DOMCTL_scheduler_op, XEN_DOMCTL_setdomainhandle,
    XEN_DOMCTL_irq_permission, XEN_DOMCTL_iomem_permission, XEN_DOMCTL_ioport_permission,
    XEN_DOMCTL_hypercall_init, XEN_DOMCTL_settimeoffset, XEN_DOMCTL_set_address_size,
    XEN_DOMCTL_get_address_size, XEN_DOMCTL_getpageframeinfo3, 999,
};
static const uint32_t sysctls[] = {
    XEN_SYSCTL_readconsole, XEN_SYSCTL_physinfo, XEN_SYSCTL_sched_id, XEN_SYSCTL_getdomaininfolist,
    XEN_SYSCTL_debug_keys, XEN_SYSCTL_getcpuinfo, XEN_SYSCTL_cputopoinfo, 999,
};

void domu_refused(void)
{
    struct xen_domctl op;
    struct xen_sysctl sop;
    static const domid_t targets[] = { 0, DOMU_ID, DOMID_SELF, 0x7000 };
    unsigned int bad = 0;

    xtest_section("d1: every domctl and sysctl is -EPERM");
    for (unsigned int i = 0; i < ARRAY_SIZE(domctls); i++)
        for (unsigned int t = 0; t < ARRAY_SIZE(targets); t++) {
            dc_init(&op, domctls[i], targets[t]);
            op.u.createdomain.max_vcpus = 1;
            long rc = HYPERVISOR_domctl(&op);
            if (rc != -EPERM) {
                printf("  domctl %u on %#x -> %ld\n", domctls[i], targets[t], rc);
                bad++;
            }
        }
    CHECK_EQ(bad, 0, "%u domctl commands x %u targets: all -EPERM", (unsigned int)ARRAY_SIZE(domctls),
             (unsigned int)ARRAY_SIZE(targets));
    dc_init(&op, XEN_DOMCTL_destroydomain, 0);
    op.interface_version = 0x15;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EPERM, "a wrong version is -EPERM too (refused first)");
    CHECK_EQ(HC(__HYPERVISOR_domctl, 0, 0, 0, 0, 0), -EPERM, "... and a NULL op");
    bad = 0;
    for (unsigned int i = 0; i < ARRAY_SIZE(sysctls); i++) {
        sc_init(&sop, sysctls[i]);
        long rc = HYPERVISOR_sysctl(&sop);
        if (rc != -EPERM) {
            printf("  sysctl %u -> %ld\n", sysctls[i], rc);
            bad++;
        }
    }
    CHECK_EQ(bad, 0, "%u sysctl commands: all -EPERM", (unsigned int)ARRAY_SIZE(sysctls));
    CHECK_EQ(HC(__HYPERVISOR_sysctl, 0xffff830000000000ULL, 0, 0, 0, 0), -EPERM, "sysctl(bad pointer) -> -EPERM");
    /* A domctl inside a multicall is not allowed either. */
    struct multicall_entry mc = { .op = __HYPERVISOR_domctl };
    mc.args[0] = (unsigned long)&op;
    dc_init(&op, XEN_DOMCTL_getdomaininfo, 0);
    CHECK_EQ(HYPERVISOR_multicall(&mc, 1), 0, "multicall of a domctl");
    CHECK((long)mc.result == -ENOSYS || (long)mc.result == -EPERM, "... the entry is refused (%ld)", (long)mc.result);

    xtest_section("d1: no memory operations on other domains");
    xen_pfn_t list[4];
    long before = 0;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ 0 }), -EPERM,
             "current_reservation(dom0) -> -EPERM");
    before = HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ DOMID_SELF });
    CHECK_EQ(populate(0, 0, 4, list), 0, "populate_physmap for dom0: 0 extents");
    CHECK_EQ(populate(0x7000, 0, 4, list), 0, "... for a missing domain: 0 extents");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ DOMID_SELF }), before,
             "our own reservation unchanged");
    struct xen_memory_reservation dec = { .nr_extents = 1, .domid = 0 };
    xen_pfn_t some = 0x1000;
    dec.extent_start = (unsigned long)&some;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &dec), 0, "decrease_reservation for dom0: 0 extents");
    long rc;
    CHECK(!map_foreign(0x1000, 0, PTE_RO, &rc) && rc == -EPERM, "mmu_update with FOREIGNDOM = dom0 -> -EPERM (%ld)", rc);
    struct mmuext_op pin = { .cmd = MMUEXT_PIN_L4_TABLE };
    pin.arg1.mfn = 0x1000;
    CHECK_EQ(HYPERVISOR_mmuext_op(&pin, 1, NULL, 0), -EPERM, "MMUEXT_PIN_L4_TABLE with FOREIGNDOM = dom0 -> -EPERM");
    pin.cmd = MMUEXT_CLEAR_PAGE;
    CHECK_EQ(HYPERVISOR_mmuext_op(&pin, 1, NULL, 0), -EPERM, "MMUEXT_CLEAR_PAGE with FOREIGNDOM = dom0 -> -EPERM");
}
