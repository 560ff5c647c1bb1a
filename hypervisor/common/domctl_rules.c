/* SPDX-License-Identifier: MIT */
/* Pure decisions of domctl/sysctl (xeno/domctl_rules.h); tested hosted. */
#include "xeno/domctl_rules.h"
#include "xeno/errno.h"
#include "xeno/page_type.h"

#define EVTCHN_2L_PORTS 4096U           /* 64 * 64 on x86-64 */

int createdomain_check(const struct xen_domctl_createdomain *c, unsigned int max_vcpus,
                       int max_grant_frames, unsigned int *nr_ports)
{
    /* Xen's sanitise_domain_config(): no HVM support means HVM, HAP,
     * nested virt and the IOMMU are -EINVAL; vPMU and s3_integrity (tboot)
     * too when unavailable.  oos_off only tunes HVM shadow paging. */
    const uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity |
                           XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
                           XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
    const uint32_t refused = known & ~(XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain);

    if ((c->flags & ~known) || (c->flags & refused) || c->iommu_opts)
        return -EINVAL;
    if (c->max_vcpus < 1 || c->max_vcpus > max_vcpus)
        return -EINVAL;
    /* < 0 means the hypervisor's default; 0 frames cannot hold a table. */
    if (c->max_grant_frames == 0 || c->max_grant_frames < -1 || c->max_grant_frames > max_grant_frames)
        return -EINVAL;
    if (c->max_maptrack_frames < -1)
        return -EINVAL;
    /* Only grant tables v1; a zeroed field means the default (v1). */
    if ((c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask) ||
        XEN_DOMCTL_GRANT_version(c->grant_opts) > 1)
        return -EINVAL;
    if (c->vmtrace_size)
        return -EINVAL;
    /* PV: no emulated devices (Xen: "Disallowed emulation flags"). */
    if (c->arch.emulation_flags || (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED))
        return -EINVAL;
    if (c->cpupool_id)
        return -ENOENT;             /* only pool 0 exists */
    uint64_t ports = (uint64_t)c->max_evtchn_port + 1;
    *nr_ports = ports > EVTCHN_2L_PORTS ? EVTCHN_2L_PORTS : (unsigned int)ports;
    return 0;
}

int domid_choose(uint16_t requested, uint16_t *rover,
                 bool (*usable)(void *ctx, uint16_t id), void *ctx, uint16_t *out)
{
    if (requested > 0 && requested < DOMID_FIRST_RESERVED) {
        if (!usable(ctx, requested))
            return -EEXIST;
        *out = requested;
        return 0;
    }
    uint16_t id = *rover >= DOMID_FIRST_RESERVED ? 0 : *rover;
    for (unsigned int n = 0; n < DOMID_FIRST_RESERVED - 1U; n++) {
        id = id + 1U >= DOMID_FIRST_RESERVED ? 1 : (uint16_t)(id + 1);
        if (usable(ctx, id)) {
            *rover = id;
            *out = id;
            return 0;
        }
    }
    return -ENOMEM;
}

uint32_t dominfo_flags(const struct dominfo_state *s)
{
    uint32_t f = 0;

    if (s->nr_online) {
        if (s->nr_online_blocked == s->nr_online)
            f |= XEN_DOMINF_blocked;
        if (s->nr_running)
            f |= XEN_DOMINF_running;
    }
    if (s->dying)
        f |= XEN_DOMINF_dying;
    if (s->shutdown)
        f |= XEN_DOMINF_shutdown | ((s->shutdown_reason & XEN_DOMINF_shutdownmask) << XEN_DOMINF_shutdownshift);
    if (s->paused)
        f |= XEN_DOMINF_paused;
    if (s->xs_domain)
        f |= XEN_DOMINF_xs_domain;
    return f;
}

uint32_t pfinfo_type(uint64_t type_info)
{
    uint32_t t;

    switch (type_info & PGT_type_mask) {
    case PGT_l1_page_table: t = XEN_DOMCTL_PFINFO_L1TAB; break;
    case PGT_l2_page_table: t = XEN_DOMCTL_PFINFO_L2TAB; break;
    case PGT_l3_page_table: t = XEN_DOMCTL_PFINFO_L3TAB; break;
    case PGT_l4_page_table: t = XEN_DOMCTL_PFINFO_L4TAB; break;
    default: return XEN_DOMCTL_PFINFO_NOTAB;
    }
    if (type_info & PGT_pinned)
        return t | XEN_DOMCTL_PFINFO_LPINTAB;
    /* Xen 4.17 arch/x86/domctl.c: an unpinned table that is not
     * validated (type count 0) is reported as no table at all. */
    return (type_info & PGT_validated) ? t : XEN_DOMCTL_PFINFO_NOTAB;
}

uint64_t conring_start(uint64_t head, uint64_t oldest, uint64_t cleared,
                       bool incremental, uint32_t index)
{
    uint64_t start = cleared > oldest ? cleared : oldest;

    if (start > head)
        start = head;
    if (incremental) {
        /* The most recent position whose low 32 bits are index. */
        uint64_t back = (uint32_t)((uint32_t)head - index);
        if (back <= head - start)
            return head - back;
    }
    return start;
}
