/* SPDX-License-Identifier: MIT */
/*
 * Grant-table helpers.  A v1 entry is {flags, domid, frame}; the granter
 * must make frame and domid visible before flags (which make the entry
 * live), hence the fence.
 */
#include "gnttab.h"
#include "mm.h"

struct grant_entry_v1 *gnttab_v1;

int gnttab_setup(unsigned int nr_frames)
{
    static xen_pfn_t frames[16];
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = nr_frames };
    long rc;

    if (nr_frames > ARRAY_SIZE(frames))
        return GNTST_general_error;
    xen_guest_handle_set(st.frame_list, frames);
    if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1))
        return GNTTAB_HC_FAILED;
    if (st.status != GNTST_okay)
        return st.status;
    if (!gnttab_v1)
        gnttab_v1 = map_mfn(frames[0], PTE_RW, &rc);
    return gnttab_v1 ? GNTST_okay : GNTST_general_error;
}

void gnttab_grant(grant_ref_t ref, xen_pfn_t frame, domid_t to, uint16_t flags)
{
    gnttab_v1[ref].frame = (uint32_t)frame;
    gnttab_v1[ref].domid = to;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gnttab_v1[ref].flags = flags;
}

int16_t gnttab_map(uint64_t host_addr, uint32_t flags, grant_ref_t ref,
                   domid_t dom, struct gnttab_map_grant_ref *m)
{
    memset(m, 0, sizeof(*m));
    m->host_addr = host_addr;
    m->flags = flags;
    m->ref = ref;
    m->dom = dom;
    if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, m, 1))
        return GNTTAB_HC_FAILED;
    return m->status;
}

int16_t gnttab_unmap(uint64_t host_addr, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref u = { .host_addr = host_addr, .handle = handle };

    if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1))
        return GNTTAB_HC_FAILED;
    return u.status;
}

int16_t gnttab_copy1(struct gnttab_copy *c)
{
    if (HYPERVISOR_grant_table_op(GNTTABOP_copy, c, 1))
        return GNTTAB_HC_FAILED;
    return c->status;
}
