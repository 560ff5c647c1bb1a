/* SPDX-License-Identifier: MIT */
#ifndef XENO_DOMCTL_OPS_H
#define XENO_DOMCTL_OPS_H

/*
 * Between the domctl/sysctl files of pv/: each handler gets the struct
 * xen_domctl already copied in, the target domain looked up, and sets
 * *copyback when its OUT fields must go back to the caller.  All run with
 * domctl_lock held (xeno/domain_ctl.h).
 */
#include <xen/domctl.h>
#include <xeno/sched.h>

/* pv/domctl.c: getdomaininfo's record of d (also for getdomaininfolist). */
void domain_get_info(struct domain *d, struct xen_domctl_getdomaininfo *info);

/* pv/domctl_vcpu.c */
long domctl_setvcpucontext(struct domain *d, struct xen_domctl *op);
long domctl_getvcpucontext(struct domain *d, struct xen_domctl *op, bool *copyback);
long domctl_getvcpuinfo(struct domain *d, struct xen_domctl *op, bool *copyback);

/* pv/domctl_mm.c */
long domctl_getpageframeinfo3(struct domain *d, struct xen_domctl *op);
long domctl_hypercall_init(struct domain *d, struct xen_domctl *op);
long domctl_max_mem(struct domain *d, struct xen_domctl *op);

/* pv/domctl_caps.c: iomem/ioport/irq permissions. */
long domctl_iomem_permission(struct domain *d, struct xen_domctl *op);
long domctl_ioport_permission(struct domain *d, struct xen_domctl *op);
long domctl_irq_permission(struct domain *d, struct xen_domctl *op);

#endif
