/* SPDX-License-Identifier: MIT */
/*
 * libxenoctrl: what a domain builder sets up in another domain through
 * privcmd (not /dev/xen/evtchn, whose ports are the caller's own): an
 * unbound port of that domain offered to a back end, and the machine
 * frames of that domain's grant table.  Both name the target domain in the
 * argument, which Xen allows the control domain (XSM_TARGET / XSM_DM_PRIV).
 */
#include <errno.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

#include "xenoctrl_priv.h"

int xenoctrl_evtchn_alloc_unbound_for(xenoctrl *x, uint32_t domid, uint32_t remote_domid)
{
    xenoctrl_buffer_release(x);
    struct evtchn_alloc_unbound *op = xenoctrl_buffer(x, sizeof(*op));
    memset(op, 0, sizeof(*op));
    op->dom = (domid_t)domid;
    op->remote_dom = (domid_t)remote_domid;
    long r = xo_do_hypercall(x, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
                             (uint64_t)(uintptr_t)op, 0, 0);
    if (r < 0)
        return xo_fail(&x->log, (int)r, "alloc_unbound in d%u for d%u", domid, remote_domid);
    return (int)op->port;
}

int xenoctrl_gnttab_frames(xenoctrl *x, uint32_t domid, unsigned int n, xen_pfn_t *mfns)
{
    if (n == 0 || n > 64)
        return xo_fail(&x->log, -EINVAL, "gnttab setup_table d%u: %u frames (1..64)", domid, n);
    xenoctrl_buffer_release(x);
    xen_pfn_t *list = xenoctrl_buffer(x, n * sizeof(*list));
    struct gnttab_setup_table *op = xenoctrl_buffer(x, sizeof(*op));
    memset(list, 0, n * sizeof(*list));
    memset(op, 0, sizeof(*op));
    op->dom = (domid_t)domid;
    op->nr_frames = n;
    xen_guest_handle_set(op->frame_list, list);
    long r = xo_do_hypercall(x, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                             (uint64_t)(uintptr_t)op, 1, 0);
    if (r < 0)
        return xo_fail(&x->log, (int)r, "gnttab setup_table d%u (%u frames)", domid, n);
    /* The call succeeds with the outcome in status (GNTST_*, 0 = okay). */
    if (op->status != GNTST_okay)
        return xo_fail(&x->log, -EINVAL, "gnttab setup_table d%u (%u frames): status %d", domid, n,
                       op->status);
    memcpy(mfns, list, n * sizeof(*list));
    return 0;
}
