/* SPDX-License-Identifier: MIT */
/*
 * Grant-table helpers (version 1).  Per-operation results are GNTST_*
 * codes in the op's status field; the helpers return that status, or
 * GNTTAB_HC_FAILED if the hypercall itself failed.
 */
#ifndef XTEST_GNTTAB_H
#define XTEST_GNTTAB_H

#include "xtest.h"

#define GNTTAB_HC_FAILED 1000   /* not a GNTST_* value */

/* Our own table, frame 0 mapped writable (after gnttab_setup()). */
extern struct grant_entry_v1 *gnttab_v1;

/* setup_table(nr_frames) for ourselves and map frame 0; returns the
 * setup_table status (GNTST_okay on success). */
int gnttab_setup(unsigned int nr_frames);

/* Fill entry ref: frame (an MFN for PV), grantee, then flags last. */
void gnttab_grant(grant_ref_t ref, xen_pfn_t frame, domid_t to, uint16_t flags);

int16_t gnttab_map(uint64_t host_addr, uint32_t flags, grant_ref_t ref,
                   domid_t dom, struct gnttab_map_grant_ref *out);
int16_t gnttab_unmap(uint64_t host_addr, grant_handle_t handle);
int16_t gnttab_copy1(struct gnttab_copy *c);

#endif /* XTEST_GNTTAB_H */
