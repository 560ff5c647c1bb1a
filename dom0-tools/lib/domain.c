/* SPDX-License-Identifier: MIT */
/* libxenoctrl: domains and their vCPUs (XEN_DOMCTL_*). */
#include <errno.h>
#include <string.h>

#include "xenoctrl_priv.h"

void xenoctrl_domain_config_default(struct xenoctrl_domain_config *c)
{
    memset(c, 0, sizeof(*c));
    c->max_vcpus = 1;
    c->max_evtchn_port = 1023;      /* the 2-level ABI's usual domU size (libxl's default) */
    c->max_grant_frames = -1;
    c->max_maptrack_frames = -1;
}

int xenoctrl_domain_create(xenoctrl *x, uint32_t want_domid, const struct xenoctrl_domain_config *c,
                           uint32_t *domid)
{
    struct xen_domctl op;
    int rc = xo_marshal_createdomain(&op, want_domid, c);

    xenoctrl_buffer_release(x);
    if (rc)
        return xo_fail(&x->log, rc, "createdomain d%u: bad configuration (max_vcpus %u)", want_domid,
                       c ? c->max_vcpus : 0);
    rc = xo_do_domctl(x, &op);
    if (!rc)
        *domid = op.domain;
    return rc;
}

static int simple(xenoctrl *x, uint32_t cmd, uint32_t domid)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, cmd, domid);
    return xo_do_domctl(x, &op);
}

int xenoctrl_domain_destroy(xenoctrl *x, uint32_t domid)
{
    return simple(x, XEN_DOMCTL_destroydomain, domid);
}

int xenoctrl_domain_pause(xenoctrl *x, uint32_t domid)
{
    return simple(x, XEN_DOMCTL_pausedomain, domid);
}

int xenoctrl_domain_unpause(xenoctrl *x, uint32_t domid)
{
    return simple(x, XEN_DOMCTL_unpausedomain, domid);
}

int xenoctrl_domain_getinfo(xenoctrl *x, uint32_t domid, struct xenoctrl_dominfo *info)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_getdomaininfo, domid);
    int rc = xo_do_domctl(x, &op);
    if (rc)
        return rc;
    /* The hypervisor answers for the next domain up if this one is gone. */
    if (op.u.getdomaininfo.domain != domid)
        return xo_fail(&x->log, -ESRCH, "getdomaininfo d%u: no such domain", domid);
    xo_decode_dominfo(&op.u.getdomaininfo, info);
    return 0;
}

int xenoctrl_domain_getinfolist(xenoctrl *x, uint32_t first, unsigned int max, struct xenoctrl_dominfo *out)
{
    unsigned int got = 0;

    while (got < max) {
        /* In batches that fit the hypercall buffer. */
        unsigned int batch = max - got < 64 ? max - got : 64;
        struct xen_sysctl op;
        xenoctrl_buffer_release(x);
        struct xen_domctl_getdomaininfo *infos = xenoctrl_buffer(x, batch * sizeof(*infos));
        xo_sysctl_prepare(&op, XEN_SYSCTL_getdomaininfolist);
        op.u.getdomaininfolist.first_domain = (domid_t)first;
        op.u.getdomaininfolist.max_domains = batch;
        op.u.getdomaininfolist.buffer = (uint64_t)(uintptr_t)infos;
        int rc = xo_do_sysctl(x, &op);
        if (rc)
            return rc;
        unsigned int n = op.u.getdomaininfolist.num_domains;
        for (unsigned int i = 0; i < n; i++)
            xo_decode_dominfo(&infos[i], &out[got + i]);
        got += n;
        if (n < batch)
            break;
        first = out[got - 1].domid + 1;
    }
    return (int)got;
}

int xenoctrl_domain_setmaxmem(xenoctrl *x, uint32_t domid, uint64_t max_kb)
{
    struct xen_domctl op;
    uint64_t kb;
    xenoctrl_buffer_release(x);
    int rc = xo_maxmem_kb(max_kb, &kb);
    if (rc)
        return xo_fail(&x->log, rc, "max_mem d%u: %llu KiB is not a whole number of pages", domid,
                       (unsigned long long)max_kb);
    xo_domctl_prepare(&op, XEN_DOMCTL_max_mem, domid);
    op.u.max_mem.max_memkb = kb;
    return xo_do_domctl(x, &op);
}

int xenoctrl_domain_max_vcpus(xenoctrl *x, uint32_t domid, unsigned int max)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_max_vcpus, domid);
    op.u.max_vcpus.max = max;
    return xo_do_domctl(x, &op);
}

int xenoctrl_domain_sethandle(xenoctrl *x, uint32_t domid, const uint8_t handle[16])
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_setdomainhandle, domid);
    memcpy(op.u.setdomainhandle.handle, handle, 16);
    return xo_do_domctl(x, &op);
}

int xenoctrl_domain_settimeoffset(xenoctrl *x, uint32_t domid, int64_t seconds)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_settimeoffset, domid);
    op.u.settimeoffset.time_offset_seconds = seconds;
    return xo_do_domctl(x, &op);
}

static int sched(xenoctrl *x, uint32_t domid, uint32_t cmd, unsigned int *weight)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_scheduler_op, domid);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.credit.weight = (uint16_t)*weight;
    int rc = xo_do_domctl(x, &op);
    if (!rc)
        *weight = op.u.scheduler_op.u.credit.weight;
    return rc;
}

int xenoctrl_sched_weight_get(xenoctrl *x, uint32_t domid, unsigned int *weight)
{
    *weight = 0;
    return sched(x, domid, XEN_DOMCTL_SCHEDOP_getinfo, weight);
}

int xenoctrl_sched_weight_set(xenoctrl *x, uint32_t domid, unsigned int weight)
{
    if (weight < 1 || weight > 65535)
        return xo_fail(&x->log, -EINVAL, "scheduler weight %u for d%u: 1..65535", weight, domid);
    return sched(x, domid, XEN_DOMCTL_SCHEDOP_putinfo, &weight);
}

int xenoctrl_vcpu_setcontext(xenoctrl *x, uint32_t domid, uint32_t vcpu, const vcpu_guest_context_t *ctx)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_setvcpucontext, domid);
    op.u.vcpucontext.vcpu = vcpu;
    if (ctx) {
        vcpu_guest_context_t *b = xenoctrl_buffer(x, sizeof(*b));
        memcpy(b, ctx, sizeof(*b));
        op.u.vcpucontext.ctxt = (uint64_t)(uintptr_t)b;
    }
    return xo_do_domctl(x, &op);
}

int xenoctrl_vcpu_getcontext(xenoctrl *x, uint32_t domid, uint32_t vcpu, vcpu_guest_context_t *ctx)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    vcpu_guest_context_t *b = xenoctrl_buffer(x, sizeof(*b));
    xo_domctl_prepare(&op, XEN_DOMCTL_getvcpucontext, domid);
    op.u.vcpucontext.vcpu = vcpu;
    op.u.vcpucontext.ctxt = (uint64_t)(uintptr_t)b;
    int rc = xo_do_domctl(x, &op);
    if (!rc)
        memcpy(ctx, b, sizeof(*ctx));
    return rc;
}

int xenoctrl_vcpu_getinfo(xenoctrl *x, uint32_t domid, uint32_t vcpu, struct xenoctrl_vcpuinfo *info)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_getvcpuinfo, domid);
    op.u.getvcpuinfo.vcpu = vcpu;
    int rc = xo_do_domctl(x, &op);
    if (rc)
        return rc;
    info->online = op.u.getvcpuinfo.online;
    info->blocked = op.u.getvcpuinfo.blocked;
    info->running = op.u.getvcpuinfo.running;
    info->cpu_time_ns = op.u.getvcpuinfo.cpu_time;
    info->cpu = op.u.getvcpuinfo.cpu;
    return 0;
}

int xenoctrl_hypercall_init(xenoctrl *x, uint32_t domid, xen_pfn_t mfn)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_hypercall_init, domid);
    op.u.hypercall_init.gmfn = mfn;
    return xo_do_domctl(x, &op);
}

int xenoctrl_get_pfn_types(xenoctrl *x, uint32_t domid, unsigned int n, const xen_pfn_t *mfns,
                           uint32_t *types)
{
    for (unsigned int done = 0; done < n;) {
        unsigned int batch = n - done < 1024 ? n - done : 1024;    /* the hypervisor's limit */
        struct xen_domctl op;
        xenoctrl_buffer_release(x);
        xen_pfn_t *arr = xenoctrl_buffer(x, batch * sizeof(*arr));
        memcpy(arr, mfns + done, batch * sizeof(*arr));
        xo_domctl_prepare(&op, XEN_DOMCTL_getpageframeinfo3, domid);
        op.u.getpageframeinfo3.num = batch;
        op.u.getpageframeinfo3.array = (uint64_t)(uintptr_t)arr;
        int rc = xo_do_domctl(x, &op);
        if (rc)
            return rc;
        for (unsigned int i = 0; i < batch; i++)
            types[done + i] = (uint32_t)arr[i];
        done += batch;
    }
    return 0;
}

int xenoctrl_iomem_permission(xenoctrl *x, uint32_t domid, uint64_t first_mfn, uint64_t nr, bool allow)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_iomem_permission, domid);
    op.u.iomem_permission.first_mfn = first_mfn;
    op.u.iomem_permission.nr_mfns = nr;
    op.u.iomem_permission.allow_access = allow;
    return xo_do_domctl(x, &op);
}

int xenoctrl_ioport_permission(xenoctrl *x, uint32_t domid, uint32_t first, uint32_t nr, bool allow)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_ioport_permission, domid);
    op.u.ioport_permission.first_port = first;
    op.u.ioport_permission.nr_ports = nr;
    op.u.ioport_permission.allow_access = allow;
    return xo_do_domctl(x, &op);
}

int xenoctrl_irq_permission(xenoctrl *x, uint32_t domid, uint8_t pirq, bool allow)
{
    struct xen_domctl op;
    xenoctrl_buffer_release(x);
    xo_domctl_prepare(&op, XEN_DOMCTL_irq_permission, domid);
    op.u.irq_permission.pirq = pirq;
    op.u.irq_permission.allow_access = allow;
    return xo_do_domctl(x, &op);
}
