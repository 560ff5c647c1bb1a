/* SPDX-License-Identifier: MIT */
/*
 * libxenoctrl's pure half: hypercall structures in, answers out, and the
 * argument checks that need no device (xenoctrl_priv.h).  Tested hosted.
 */
#include <errno.h>
#include <string.h>

#include "xenoctrl_priv.h"

const char *xo_domctl_name(uint32_t cmd)
{
    switch (cmd) {
    case XEN_DOMCTL_createdomain: return "createdomain";
    case XEN_DOMCTL_destroydomain: return "destroydomain";
    case XEN_DOMCTL_pausedomain: return "pausedomain";
    case XEN_DOMCTL_unpausedomain: return "unpausedomain";
    case XEN_DOMCTL_getdomaininfo: return "getdomaininfo";
    case XEN_DOMCTL_max_mem: return "max_mem";
    case XEN_DOMCTL_setvcpucontext: return "setvcpucontext";
    case XEN_DOMCTL_getvcpucontext: return "getvcpucontext";
    case XEN_DOMCTL_getvcpuinfo: return "getvcpuinfo";
    case XEN_DOMCTL_max_vcpus: return "max_vcpus";
    case XEN_DOMCTL_scheduler_op: return "scheduler_op";
    case XEN_DOMCTL_setdomainhandle: return "setdomainhandle";
    case XEN_DOMCTL_irq_permission: return "irq_permission";
    case XEN_DOMCTL_iomem_permission: return "iomem_permission";
    case XEN_DOMCTL_ioport_permission: return "ioport_permission";
    case XEN_DOMCTL_hypercall_init: return "hypercall_init";
    case XEN_DOMCTL_settimeoffset: return "settimeoffset";
    case XEN_DOMCTL_set_address_size: return "set_address_size";
    case XEN_DOMCTL_get_address_size: return "get_address_size";
    case XEN_DOMCTL_getpageframeinfo3: return "getpageframeinfo3";
    default: return "domctl";
    }
}

const char *xo_sysctl_name(uint32_t cmd)
{
    switch (cmd) {
    case XEN_SYSCTL_readconsole: return "readconsole";
    case XEN_SYSCTL_physinfo: return "physinfo";
    case XEN_SYSCTL_sched_id: return "sched_id";
    case XEN_SYSCTL_getdomaininfolist: return "getdomaininfolist";
    case XEN_SYSCTL_debug_keys: return "debug_keys";
    case XEN_SYSCTL_getcpuinfo: return "getcpuinfo";
    case XEN_SYSCTL_cputopoinfo: return "cputopoinfo";
    default: return "sysctl";
    }
}

void xo_domctl_prepare(struct xen_domctl *op, uint32_t cmd, uint32_t domid)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = (domid_t)domid;
}

void xo_sysctl_prepare(struct xen_sysctl *op, uint32_t cmd)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
}

int xo_marshal_createdomain(struct xen_domctl *op, uint32_t want_domid,
                            const struct xenoctrl_domain_config *c)
{
    /* Ids are 15 bits; 0 asks the hypervisor to pick (domctl.h). */
    if (want_domid >= DOMID_FIRST_RESERVED || !c || c->max_vcpus < 1 || c->max_vcpus > 32)
        return -EINVAL;
    xo_domctl_prepare(op, XEN_DOMCTL_createdomain, want_domid);
    struct xen_domctl_createdomain *d = &op->u.createdomain;
    d->flags = c->flags;
    d->max_vcpus = c->max_vcpus;
    d->max_evtchn_port = c->max_evtchn_port;
    d->max_grant_frames = c->max_grant_frames;
    d->max_maptrack_frames = c->max_maptrack_frames;
    d->grant_opts = XEN_DOMCTL_GRANT_version(1);
    memcpy(d->handle, c->handle, sizeof(d->handle));
    return 0;
}

void xo_decode_dominfo(const struct xen_domctl_getdomaininfo *in, struct xenoctrl_dominfo *out)
{
    memset(out, 0, sizeof(*out));
    out->domid = in->domain;
    out->dying = in->flags & XEN_DOMINF_dying;
    out->shutdown = in->flags & XEN_DOMINF_shutdown;
    out->paused = in->flags & XEN_DOMINF_paused;
    out->blocked = in->flags & XEN_DOMINF_blocked;
    out->running = in->flags & XEN_DOMINF_running;
    out->hvm = in->flags & XEN_DOMINF_hvm_guest;
    out->xs_domain = in->flags & XEN_DOMINF_xs_domain;
    out->shutdown_reason = out->shutdown
        ? (in->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask : 0;
    out->tot_pages = in->tot_pages;
    out->max_pages = in->max_pages;
    out->shared_info_frame = in->shared_info_frame;
    out->cpu_time_ns = in->cpu_time;
    out->nr_online_vcpus = in->nr_online_vcpus;
    out->max_vcpu_id = in->max_vcpu_id;
    memcpy(out->handle, in->handle, sizeof(out->handle));
}

void xo_decode_physinfo(const struct xen_sysctl_physinfo *in, struct xenoctrl_physinfo *out)
{
    memset(out, 0, sizeof(*out));
    out->nr_cpus = in->nr_cpus;
    out->max_cpu_id = in->max_cpu_id;
    out->nr_nodes = in->nr_nodes;
    out->max_node_id = in->max_node_id;
    out->threads_per_core = in->threads_per_core;
    out->cores_per_socket = in->cores_per_socket;
    out->cpu_khz = in->cpu_khz;
    out->cap_pv = in->capabilities & XEN_SYSCTL_PHYSCAP_pv;
    out->cap_hvm = in->capabilities & XEN_SYSCTL_PHYSCAP_hvm;
    out->cap_directio = in->capabilities & XEN_SYSCTL_PHYSCAP_directio;
    out->cap_gnttab_v1 = in->capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1;
    out->cap_gnttab_v2 = in->capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2;
    out->total_pages = in->total_pages;
    out->free_pages = in->free_pages;
    out->scrub_pages = in->scrub_pages;
    out->max_mfn = in->max_mfn;
    memcpy(out->hw_cap, in->hw_cap, sizeof(out->hw_cap));
}

int xo_maxmem_kb(uint64_t kb, uint64_t *out)
{
    /* The hypervisor shifts right by 2 (KiB -> 4 KiB pages): any value
     * fits, but one that is not whole pages is most likely a unit slip
     * (bytes or MiB) - refuse it rather than silently round. */
    if (kb % 4)
        return -EINVAL;
    *out = kb;
    return 0;
}

int xo_mmapbatch_first_error(const int *errs, unsigned int n)
{
    for (unsigned int i = 0; errs && i < n; i++)
        if (errs[i])
            return errs[i] < 0 ? errs[i] : -errs[i];
    return 0;
}

int xo_marshal_pin(struct mmuext_op *op, unsigned int level, xen_pfn_t mfn, bool pin)
{
    memset(op, 0, sizeof(*op));
    if (pin) {
        if (level < 1 || level > 4)
            return -EINVAL;
        op->cmd = MMUEXT_PIN_L1_TABLE + (level - 1);
    } else {
        op->cmd = MMUEXT_UNPIN_TABLE;
    }
    op->arg1.mfn = mfn;
    return 0;
}

void xo_marshal_reservation(struct xen_memory_reservation *r, uint32_t domid, uint64_t list_va,
                            unsigned long nr, unsigned int order)
{
    memset(r, 0, sizeof(*r));
    r->extent_start = list_va;
    r->nr_extents = nr;
    r->extent_order = order;
    r->domid = (domid_t)domid;
}

size_t xo_gntdev_map_size(unsigned int n)
{
    /* The struct ends with refs[1]. */
    return sizeof(struct ioctl_gntdev_map_grant_ref) +
           (n ? n - 1 : 0) * sizeof(struct ioctl_gntdev_grant_ref);
}
