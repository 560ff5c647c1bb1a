/* SPDX-License-Identifier: MIT */
/*
 * domctl iomem_permission, ioport_permission and irq_permission: the
 * control domain grants (or revokes) I/O resources to a domain, as Xen
 * 4.17 does (common/domctl.c, arch/x86/domctl.c): a range that wraps or is
 * empty is -EINVAL, the caller must itself have the access (-EPERM).
 *
 * Xeno records the grants in the domain (d->iomem_caps, ioport_caps,
 * irq_caps) for the toolstack's device pass-through to come; nothing
 * consults them yet: a domU still maps no I/O memory, uses no port and
 * binds no PIRQ (the PV MMU's iomem_allowed() and the I/O emulation look
 * only at d->iomem_all, which dom0 alone has).
 */
#include <xen/domctl.h>
#include <xeno/domctl_ops.h>
#include <xeno/errno.h>
#include <xeno/rangeset.h>
#include <xeno/sched.h>

#define MAX_IOPORTS 0x10000

static long update(struct rangeset *s, bool allow, uint64_t first, uint64_t last)
{
    return allow ? rangeset_add(s, first, last) : rangeset_remove(s, first, last);
}

long domctl_iomem_permission(struct domain *d, struct xen_domctl *op)
{
    const struct xen_domctl_iomem_permission *p = &op->u.iomem_permission;
    struct domain *self = current->domain;
    uint64_t last = p->first_mfn + p->nr_mfns - 1;

    if (last < p->first_mfn)
        return -EINVAL;         /* Xen: "Wrap?" (this includes nr_mfns == 0) */
    if (!self->iomem_all && !rangeset_contains(&self->iomem_caps, p->first_mfn, last))
        return -EPERM;
    return update(&d->iomem_caps, p->allow_access, p->first_mfn, last);
}

long domctl_ioport_permission(struct domain *d, struct xen_domctl *op)
{
    const struct xen_domctl_ioport_permission *p = &op->u.ioport_permission;
    struct domain *self = current->domain;
    uint64_t first = p->first_port, end = first + p->nr_ports;

    if (end <= first || end > MAX_IOPORTS)
        return -EINVAL;
    if (!self->iomem_all && !rangeset_contains(&self->ioport_caps, first, end - 1))
        return -EPERM;
    return update(&d->ioport_caps, p->allow_access, first, end - 1);
}

long domctl_irq_permission(struct domain *d, struct xen_domctl *op)
{
    unsigned int pirq = op->u.irq_permission.pirq;
    struct domain *self = current->domain;
    uint64_t bit = 1ULL << (pirq % 64);

    /* pirq is a uint8_t: every value names one of the 256 tracked. */
    if (!self->iomem_all && !(self->irq_caps[pirq / 64] & bit))
        return -EPERM;
    if (op->u.irq_permission.allow_access)
        d->irq_caps[pirq / 64] |= bit;
    else
        d->irq_caps[pirq / 64] &= ~bit;
    return 0;
}
