/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_domctl: domain control for the toolstack in dom0
 * (xen-public-headers/xen/domctl.h).  Order of checks as in Xen 4.17's
 * do_domctl(): copy in (-EFAULT), interface version (-EACCES), domain
 * lookup (-ESRCH; createdomain needs none, getdomaininfo finds the next
 * one), then the command.  Only the control domain gets this far: the
 * hypercall table refuses everyone else with -EPERM (pv/hypercall.c),
 * and the check is repeated here.  Every command runs under domctl_lock
 * and either completes or leaves the domain as it was.
 */
#include <asm/cpu.h>
#include <xen/domctl.h>
#include <xeno/domain_ctl.h>
#include <xeno/domctl_ops.h>
#include <xeno/domctl_rules.h>
#include <xeno/errno.h>
#include <xeno/grant_table.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/pv.h>
#include <xeno/sched.h>

/* Xen's rover: ids are handed out upwards, so a destroyed domain's id is
 * not reused at once (tools may still be looking at it). */
static uint16_t domid_rover;

static unsigned int phys_addr_bits(void)
{
    uint32_t a, b, c, d;
    cpuid(0x80000000, &a, &b, &c, &d);
    if (a < 0x80000008)
        return 36;
    cpuid(0x80000008, &a, &b, &c, &d);
    return a & 0xff;
}

void domain_get_info(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    struct dominfo_state st = {
        .dying = d->is_dying, .shutdown = d->is_shutdown, .shutdown_reason = d->shutdown_reason,
        .paused = d->controller_pause_count > 0, .xs_domain = d->is_xenstore,
    };

    memset(info, 0, sizeof(*info));
    info->domain = d->domid;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        struct vcpu_runstate_info ri;
        if (!v)
            continue;
        pv_fill_runstate(v, &ri);
        info->cpu_time += ri.time[RUNSTATE_running];
        info->max_vcpu_id = v->vcpu_id;
        enum vcpu_run_state s = __atomic_load_n(&v->state, __ATOMIC_RELAXED);
        if (s == VCPU_DOWN)
            continue;
        st.nr_online++;
        st.nr_online_blocked += s == VCPU_BLOCKED;
        st.nr_running += ri.state == RUNSTATE_running;
    }
    info->nr_online_vcpus = st.nr_online;
    info->flags = dominfo_flags(&st);
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shared_info_frame = d->shared_info_mfn;       /* PV: GMFN == MFN */
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->gpaddr_bits = phys_addr_bits();
}

/* The domain itself, or (Xen) the first one with a higher id. */
static struct domain *lookup_at_or_after(uint16_t domid)
{
    struct domain *best = NULL;
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = __atomic_load_n(&domain_list[i], __ATOMIC_ACQUIRE);
        if (d && d->domid >= domid && (!best || d->domid < best->domid))
            best = d;
    }
    return best;
}

static bool domid_usable(void *ctx, uint16_t id)
{
    (void)ctx;
    return !domain_lookup(id);
}

static long createdomain(struct xen_domctl *op, bool *copyback)
{
    struct xen_domctl_createdomain *c = &op->u.createdomain;
    struct domain_config cfg = { .paused = true, .handle = c->handle };
    unsigned int ports;
    long rc = createdomain_check(c, MAX_VIRT_CPUS, GNTTAB_MAX_FRAMES, &ports);

    if (rc)
        return rc;
    cfg.nr_vcpus = c->max_vcpus;
    cfg.nr_evtchn_ports = ports;
    cfg.xs_domain = c->flags & XEN_DOMCTL_CDF_xs_domain;
    bool pick = !op->domain || op->domain >= DOMID_FIRST_RESERVED;
    /* A picked id may still be blocked by the grant table of a destroyed
     * domain that others pin (-EBUSY): then try the next. */
    for (unsigned int tries = 0; tries < MAX_DOMAINS + 1; tries++) {
        rc = domid_choose(op->domain, &domid_rover, domid_usable, NULL, &cfg.domid);
        if (rc)
            return rc;
        struct domain *d;
        rc = domain_create_config(&cfg, &d);
        if (rc == -EBUSY && pick)
            continue;
        if (rc)
            return rc;
        printk("d%u: created by the control domain (%u vCPU%s, %u event channels)\n",
               d->domid, cfg.nr_vcpus, cfg.nr_vcpus > 1 ? "s" : "", ports);
        op->domain = d->domid;
        *copyback = true;
        return 0;
    }
    return -EBUSY;
}

static long scheduler_op(struct domain *d, struct xen_domctl_scheduler_op *s, bool *copyback)
{
    /* Xeno's weighted round robin speaks the credit scheduler's weight
     * (same default, 256); caps are not enforced, so only 0 is accepted. */
    if (s->sched_id != XEN_SCHEDULER_CREDIT)
        return -EINVAL;
    switch (s->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        s->u.credit.weight = (uint16_t)d->weight;
        s->u.credit.cap = 0;
        *copyback = true;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        if (s->u.credit.cap)
            return -EINVAL;
        if (s->u.credit.weight)
            d->weight = s->u.credit.weight;
        return 0;
    default:
        return -EINVAL;         /* per-vCPU parameters: not for credit (Xen) */
    }
}

/* Commands that act on an existing domain d. */
static long domain_op(struct domain *d, struct xen_domctl *op, bool *copyback)
{
    struct domain *self = current->domain;

    switch (op->cmd) {
    case XEN_DOMCTL_destroydomain: {
        uint16_t id = d->domid;
        long rc = domain_kill(d);
        if (!rc)
            printk("d%u: destroyed by the control domain\n", id);
        return rc;
    }
    case XEN_DOMCTL_pausedomain:
        /* Xen: pausing yourself would wait for yourself (-EINVAL). */
        return d == self ? -EINVAL : domain_pause_by_controller(d);
    case XEN_DOMCTL_unpausedomain:
        return domain_unpause_by_controller(d);
    case XEN_DOMCTL_getdomaininfo:
        domain_get_info(d, &op->u.getdomaininfo);
        op->domain = d->domid;
        *copyback = true;
        return 0;
    case XEN_DOMCTL_max_mem:
        return domctl_max_mem(d, op);
    case XEN_DOMCTL_setvcpucontext:
        return domctl_setvcpucontext(d, op);
    case XEN_DOMCTL_getvcpucontext:
        return domctl_getvcpucontext(d, op, copyback);
    case XEN_DOMCTL_getvcpuinfo:
        return domctl_getvcpuinfo(d, op, copyback);
    case XEN_DOMCTL_max_vcpus:
        /* Every vCPU exists from createdomain on; Xen 4.17 likewise wants
         * max equal to createdomain's max_vcpus and refuses yourself. */
        return d == self || op->u.max_vcpus.max != d->nr_vcpus ? -EINVAL : 0;
    case XEN_DOMCTL_scheduler_op:
        return scheduler_op(d, &op->u.scheduler_op, copyback);
    case XEN_DOMCTL_setdomainhandle:
        memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
        return 0;
    case XEN_DOMCTL_irq_permission:
        return domctl_irq_permission(d, op);
    case XEN_DOMCTL_iomem_permission:
        return domctl_iomem_permission(d, op);
    case XEN_DOMCTL_ioport_permission:
        return domctl_ioport_permission(d, op);
    case XEN_DOMCTL_hypercall_init:
        return domctl_hypercall_init(d, op);
    case XEN_DOMCTL_settimeoffset:
        d->time_offset_seconds = op->u.settimeoffset.time_offset_seconds;
        update_domain_wallclock(d);
        return 0;
    case XEN_DOMCTL_set_address_size:
        /* 64-bit PV only: 64 is a no-op, 32 (compat) is not offered. */
        return op->u.address_size.size == 64 ? 0 : -EINVAL;
    case XEN_DOMCTL_get_address_size:
        op->u.address_size.size = 64;
        *copyback = true;
        return 0;
    case XEN_DOMCTL_getpageframeinfo3:
        return domctl_getpageframeinfo3(d, op);
    default:
        return -ENOSYS;         /* Xen's arch_do_domctl() default */
    }
}

long do_domctl(HC_ARGS)
{
    uint64_t uop = a1;
    struct xen_domctl op;
    bool copyback = false;
    long rc;

    if (!current->domain->is_privileged)
        return -EPERM;          /* also refused by the hypercall table */
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -EACCES;

    domctl_lock_acquire();
    if (op.cmd == XEN_DOMCTL_createdomain) {
        rc = createdomain(&op, &copyback);
    } else {
        struct domain *d = op.cmd == XEN_DOMCTL_getdomaininfo
                         ? (op.domain < DOMID_FIRST_RESERVED ? lookup_at_or_after(op.domain) : NULL)
                         : domain_lookup(op.domain);
        /* getdomaininfo with a reserved id is -EINVAL in Xen, else -ESRCH. */
        if (!d)
            rc = op.cmd == XEN_DOMCTL_getdomaininfo && op.domain >= DOMID_FIRST_RESERVED ? -EINVAL
                                                                                       : -ESRCH;
        else
            rc = domain_op(d, &op, &copyback);
    }
    domctl_lock_release();

    /* Missing domains are the toolstack's everyday question (polling
     * getdomaininfo): only other refusals are worth a line in the ring. */
    if (rc && rc != -ESRCH)
        printk(XENLOG_DEBUG "d%u: domctl %u on d%u: %ld\n", current->domain->domid, op.cmd, op.domain, rc);
    if (!rc && copyback && copy_to_guest(uop, &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
