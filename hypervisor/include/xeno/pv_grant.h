/* SPDX-License-Identifier: MIT */
#ifndef XENO_PV_GRANT_H
#define XENO_PV_GRANT_H

/*
 * Grant tables for PV domains: the glue between the pure library
 * (xeno/grant_table.h) and this machine.
 *
 * pv/grant_env.c  the library's callbacks (shared frames, page references,
 *                 grant PTEs in the mapper's L1 tables) and the per-domain
 *                 table's life cycle;
 * pv/grant_ops.c  GNTTABOP_* (do_grant_table_op): guest copies, batching,
 *                 the TLB flush between the two unmap phases.
 *
 * Locking: pv_gnttab_lock is the library's one global lock, held around
 * every library call and therefore around every callback. Callbacks that
 * touch frame references or page tables take pv_mm_lock inside it: the
 * order is pv_gnttab_lock, then pv_mm_lock, never the reverse (so nothing
 * here may be called with pv_mm_lock held). Both are plain spinlocks
 * (interrupts stay enabled) so TLB-flush IPIs always land.
 */

#include <xeno/grant_table.h>
#include <xeno/spinlock.h>

struct domain;

/*
 * Give d its grant table (d->gt): one shared frame, up to
 * GNTTAB_MAX_FRAMES (Xen's default gnttab_max_frames, 64), and a
 * preallocated maptrack. Called by domain_create before the domain is
 * visible. 0, -ENOMEM, or -EBUSY when a destroyed domain with d's id still
 * has entries pinned by others (Xen cannot reuse such an id either).
 */
int pv_grant_domain_init(struct domain *d);

/*
 * Domain destruction (common/domain_destroy.c: d no longer runs; dom0 is
 * never destroyed). Drops the mappings d holds on other
 * domains (Xen's gnttab_release_mappings; the references of d's host
 * mappings belong to its PTEs and go with its page tables), then frees
 * d's table, or, while other domains still pin entries of it, keeps it
 * findable by d's id until the last pin goes. Sets d->gt = NULL.
 * Must not be called with pv_mm_lock held. Safe on a half-built domain.
 */
void pv_grant_domain_destroy(struct domain *d);

/* ---- between grant_env.c and grant_ops.c ---- */

extern spinlock_t pv_gnttab_lock;
extern const struct gnttab_env pv_gnttab_env;

/* Free the tables of destroyed domains that nobody pins any more; call
 * with pv_gnttab_lock held after releasing pins. */
void pv_grant_reap(void);

#endif
