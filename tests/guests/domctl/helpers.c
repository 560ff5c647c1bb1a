/* SPDX-License-Identifier: MIT */
/* Shorthands over HYPERVISOR_domctl/sysctl and foreign mappings. */
#include "domctl_test.h"

void dc_init(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = dom;
}

void sc_init(struct xen_sysctl *op, uint32_t cmd)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
}

long dc_simple(uint32_t cmd, domid_t dom)
{
    struct xen_domctl op;
    dc_init(&op, cmd, dom);
    return HYPERVISOR_domctl(&op);
}

long dc_getinfo(domid_t dom, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;
    dc_init(&op, XEN_DOMCTL_getdomaininfo, dom);
    long rc = HYPERVISOR_domctl(&op);
    if (!rc)
        *info = op.u.getdomaininfo;
    return rc;
}

bool dom_exists(domid_t dom)
{
    struct xen_domctl_getdomaininfo info;
    return dc_getinfo(dom, &info) == 0 && info.domain == dom;
}

long dc_create(domid_t want, unsigned int vcpus, domid_t *out)
{
    struct xen_domctl op;
    dc_init(&op, XEN_DOMCTL_createdomain, want);
    op.u.createdomain.max_vcpus = vcpus;
    op.u.createdomain.max_evtchn_port = 1023;
    op.u.createdomain.max_grant_frames = -1;
    op.u.createdomain.max_maptrack_frames = -1;
    op.u.createdomain.grant_opts = 1;
    for (unsigned int i = 0; i < 16; i++)
        op.u.createdomain.handle[i] = (uint8_t)(0xd0 + i);
    long rc = HYPERVISOR_domctl(&op);
    if (!rc)
        *out = op.domain;
    return rc;
}

long dc_max_mem(domid_t dom, uint64_t kb)
{
    struct xen_domctl op;
    dc_init(&op, XEN_DOMCTL_max_mem, dom);
    op.u.max_mem.max_memkb = kb;
    return HYPERVISOR_domctl(&op);
}

long dc_vcpuinfo(domid_t dom, uint32_t vcpu, struct xen_domctl_getvcpuinfo *vi)
{
    struct xen_domctl op;
    dc_init(&op, XEN_DOMCTL_getvcpuinfo, dom);
    op.u.getvcpuinfo.vcpu = vcpu;
    long rc = HYPERVISOR_domctl(&op);
    if (!rc)
        *vi = op.u.getvcpuinfo;
    return rc;
}

long sc_physinfo(struct xen_sysctl_physinfo *pi)
{
    struct xen_sysctl op;
    sc_init(&op, XEN_SYSCTL_physinfo);
    long rc = HYPERVISOR_sysctl(&op);
    if (!rc)
        *pi = op.u.physinfo;
    return rc;
}

uint64_t host_free_pages(void)
{
    struct xen_sysctl_physinfo pi;
    return sc_physinfo(&pi) ? 0 : pi.free_pages;
}

long populate(domid_t dom, xen_pfn_t first_pfn, unsigned int n, xen_pfn_t *mfns)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = 0, .domid = dom,
    };
    for (unsigned int i = 0; i < n; i++)
        mfns[i] = first_pfn + i;
    r.extent_start = (uint64_t)(unsigned long)mfns;
    return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
}

/* A window of our own pages whose PTEs are pointed at foreign frames. */
#define WIN 8
static char win[WIN][PAGE_SIZE] __attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));
static bool win_used[WIN];

void *map_foreign(xen_pfn_t mfn, domid_t dom, uint64_t flags, long *rc)
{
    unsigned int i = 0;
    while (i < WIN && win_used[i])
        i++;
    if (i == WIN)
        xtest_abort("map_foreign: window full");
    uint64_t *l1e = pte_ptr((unsigned long)win[i], 1);
    struct mmu_update u = { .ptr = virt_to_maddr(l1e) | MMU_NORMAL_PT_UPDATE,
                            .val = (mfn << PAGE_SHIFT) | flags };
    long r = HYPERVISOR_mmu_update(&u, 1, NULL, dom);
    if (rc)
        *rc = r;
    if (r)
        return NULL;
    struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL };
    op.arg1.linear_addr = (unsigned long)win[i];
    HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    win_used[i] = true;
    return win[i];
}

void unmap_foreign(void *va)
{
    unsigned int i = ((char *)va - win[0]) / PAGE_SIZE;
    if (i >= WIN || !win_used[i])
        return;
    /* Our own frame goes back into the slot; the foreign one's references go. */
    if (remap_rw(win[i]))
        xtest_abort("unmap_foreign: cannot restore window page %u", i);
    win_used[i] = false;
}

int wait_shutdown(domid_t dom, unsigned int ms)
{
    uint64_t deadline = xtest_now() + MILLISECS(ms);
    struct xen_domctl_getdomaininfo info;

    do {
        if (dc_getinfo(dom, &info) || info.domain != dom)
            return -1;
        if (info.flags & XEN_DOMINF_shutdown)
            return (int)((info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask);
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    } while (xtest_now() < deadline);
    return -1;
}
