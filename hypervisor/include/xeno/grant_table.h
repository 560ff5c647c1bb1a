/* SPDX-License-Identifier: MIT */
#ifndef XENO_GRANT_TABLE_H
#define XENO_GRANT_TABLE_H

/*
 * Grant tables, version 1, as a pure library.
 *
 * What this file owns: the per-domain grant table (the guest-shared v1
 * entries, the hypervisor-private active entries with their pin counts,
 * the maptrack of mappings this domain holds), the GTF_reading /
 * GTF_writing flag protocol on the shared entries, and Xen's
 * GNTTABOP_* semantics: one function per sub-op, taking the argument
 * struct already copied in from the guest and filling its OUT fields
 * (status, handle, dev_bus_addr, ...) exactly as Xen 4.17 does, in the
 * same check order, so a bad call fails with the same GNTST_* code.
 *
 * What it does not own: copying ops from and to guest memory, hypercall
 * preemption, installing and removing PTEs, page reference counts, TLB
 * flushes, the memcpy of GNTTABOP_copy, allocating the shared frames.
 * Those are the glue's, reached through struct gnttab_env callbacks or
 * done by the glue between two calls here (unmap, copy).
 *
 * Status codes (op->status, GNTST_*, xen/grant_table.h) as Xen sets them:
 *   GNTST_bad_domain        the named domain does not exist (reserved ids
 *                           never exist; map takes DOMID_SELF literally)
 *   GNTST_bad_gntref        ref beyond the granter's table; map with
 *                           neither GNTMAP_host_map nor GNTMAP_device_map
 *   GNTST_bad_handle        unmap of a handle out of range or not mapped
 *   GNTST_permission_denied copy naming a frame (not a gref) of another
 *                           domain; setup_table/query_size/get_status_frames
 *                           on another domain by an unprivileged caller
 *   GNTST_general_error     entry not GTF_permit_access to the caller (this
 *                           includes wrong grantee domid, GTF_invalid,
 *                           GTF_accept_transfer, and for map GTF_sub_page);
 *                           write access to a GTF_readonly entry; entry
 *                           already pinned by another domain; 128 pins of
 *                           one kind; entry changed under us 5 times in a
 *                           row; a glue callback refused; setup_table
 *                           beyond max_frames or out of frames
 *   GNTST_no_space          the mapper's maptrack is full
 *   GNTST_bad_dev_addr      unmap with a dev_bus_addr that is not the frame's
 *   GNTST_bad_copy_arg      copy offset + len beyond the page (either side)
 *   GNTST_bad_page, GNTST_eagain, GNTST_bad_virt_addr: only as returned by
 *                           the glue's callbacks (or set by the glue).
 * Xen returns GNTST_permission_denied for map/unmap/copy only when its XSM
 * policy refuses; the default (dummy) policy never does, nor does Xeno.
 *
 * Hypercall-level return values (-E*) are listed per function; a function
 * returning 0 has put its result in op->status.
 *
 * The flag protocol (Xen: _set_status_v1, reduce_status_for_pin):
 * GTF_reading is set while any pin exists on an entry, GTF_writing while a
 * writable pin exists. They are set by a compare-and-exchange of the
 * 32-bit {flags, domid} word, so the type, grantee and GTF_readonly that
 * were checked are the ones that were in the entry when the bit went in;
 * the granter writes the entry at any time, so every value used is read
 * exactly once and a failed exchange re-checks the value it returned,
 * giving up after 5 attempts (a guest could otherwise livelock us). They
 * are cleared by an atomic AND of the 16-bit flags only, so a concurrent
 * granter update of the other bits is never lost. Only the first pin
 * checks the grantee and type and reads the frame (latched in the active
 * entry until the last pin goes): a granter that revokes an entry while it
 * is mapped changes nothing for existing or further mappings by the same
 * grantee, and must wait for GTF_reading/GTF_writing to clear (as Linux's
 * gnttab_end_foreign_access does) before reusing the frame.
 *
 * Frames: in a PV domain the frame number in a grant entry or in a copy
 * op is a machine frame number (GFN == MFN); the glue's get_frame decides.
 *
 * Locking: the caller serialises every call in this file with one global
 * grant-table lock, held also across the callbacks, which must not call
 * back into this file. (Operations touch two domains' tables; one lock
 * avoids Xen's per-table rwlock + per-entry lock ordering.) Nothing here
 * locks. Guests write their shared entries concurrently and without any
 * lock, hence the atomics above. The lock may be dropped between
 * gnttab_unmap and gnttab_unmap_complete and between gnttab_copy_begin
 * and gnttab_copy_end: the pins held in between keep the granter's table
 * alive (see gnttab_table_busy).
 *
 * Not supported (see gnttab_op_check): grant table v2, GNTTABOP_transfer,
 * unmap_and_replace, swap_grant_ref, cache_flush, dump_table; IOMMU
 * mappings of grants; log-dirty marking (the glue's, if ever needed).
 */

#include "xeno/types.h"
#include <xen/xen.h>
#include <xen/grant_table.h>

/* Xen's default gnttab_max_frames (xen/common/grant_table.c): the largest
 * table any domain can have; a domain's own max_frames may be lower. */
#define GNTTAB_MAX_FRAMES 64

/* v1 entries per shared frame: 4096 / 8. */
#define GNTTAB_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))

/* Pins of one kind (host/device, ro/rw) an entry can take, as Xen's 8-bit
 * counters whose top bit refuses the next increment. */
#define GNTTAB_PIN_MAX 128

/*
 * Active entry, one per ref of the granter (hypervisor-private).
 * pin holds four 8-bit counts: writable host, read-only host, writable
 * device, read-only device mappings (copies count as host pins while they
 * run). domid and mfn are valid while pin != 0.
 */
struct gnttab_active {
    uint32_t pin;
    domid_t  domid;      /* the grantee that holds the pins */
    uint16_t _pad;
    mfn_t    mfn;        /* frame latched at the first pin */
};

/* Maptrack entry, one per handle of the mapping domain; flags == 0: free. */
struct gnttab_maptrack {
    grant_ref_t ref;     /* granter's ref */
    uint16_t flags;      /* GNTMAP_device_map/host_map/readonly/application_map/contains_pte */
    domid_t  domid;      /* granter */
    uint32_t next;       /* free-list link */
};

/* One per domain; the glue embeds it in its struct domain. */
struct grant_table {
    domid_t domid;
    /*
     * Control domain: may setup_table / query_size / get_status_frames /
     * get_version another domain (Xen's dummy XSM policy, XSM_TARGET; the
     * device-model "target" relation is not modelled). Set by the caller
     * after init; false by default.
     */
    bool privileged;
    unsigned int nr_frames;                      /* shared frames in use (>= 1) */
    unsigned int max_frames;                     /* limit for setup_table */
    struct grant_entry_v1 *frame[GNTTAB_MAX_FRAMES];  /* hypervisor VA of each shared frame */
    mfn_t frame_mfn[GNTTAB_MAX_FRAMES];          /* and its MFN (handed to the guest) */
    struct gnttab_active *active;                /* max_frames * GNTTAB_ENTRIES_PER_FRAME */
    struct gnttab_maptrack *maptrack;            /* maptrack_limit handles */
    unsigned int maptrack_limit;                 /* 0 after gnttab_release_mappings */
    uint32_t mt_head, mt_tail;                   /* FIFO free list of handles */
};

/* Callbacks into the hypervisor; all run with the grant-table lock held. */
struct gnttab_env {
    /*
     * The table of domain domid, or NULL if there is none. Never called
     * with a reserved id (DOMID_SELF, DOMID_IO, ...) nor with the caller's
     * own id (both resolved here). Must keep returning a dying domain's
     * table while gnttab_table_busy() says others still pin its entries
     * (Xen finds a dying domain until its last page reference goes).
     * Required.
     */
    struct grant_table *(*lookup)(void *ctx, domid_t domid);
    /*
     * Frame idx of gt's shared table is needed (init: 0; setup_table: the
     * growth). Return the hypervisor VA of a page that gt's domain may map
     * writable (Xen: alloc_xenheap_page + share_xen_page_with_guest) and
     * its MFN in *mfn, or NULL (-> setup_table fails GNTST_general_error).
     * The library zeroes the page. Required.
     */
    void *(*alloc_frame)(void *ctx, struct grant_table *gt, unsigned int idx, mfn_t *mfn);
    /* Undo alloc_frame (failed growth, gnttab_table_destroy). Required. */
    void (*free_frame)(void *ctx, struct grant_table *gt, unsigned int idx, void *va, mfn_t mfn);
    /*
     * Translate frame, named by owner (from owner's grant entry, or a
     * copy's local gmfn), to the MFN of a page owned by owner, without
     * taking references (Xen: get_paged_frame). Returns GNTST_okay,
     * GNTST_bad_page (not a page of owner, or a foreign mapping), or
     * GNTST_eagain (paged out). readonly says which access follows.
     * Required.
     */
    int (*get_frame)(void *ctx, struct grant_table *owner, uint64_t frame, bool readonly,
                     mfn_t *mfn);
    /*
     * Take the page references backing one mapping of mfn, which must
     * still belong to owner (checked atomically with taking them: owner
     * may free the page at any time without this lock). For each of
     * GNTMAP_device_map and GNTMAP_host_map in flags one general
     * reference, plus one PGT_writable_page type reference unless
     * GNTMAP_readonly (Xen: map_grant_ref's refcnt/typecnt; a copy buffer
     * comes as GNTMAP_host_map [| GNTMAP_readonly]). MMIO frames (owner
     * DOMID_IO in Xen terms) may be allowed without references if the
     * granter has I/O access to them. All or nothing. Returns GNTST_okay,
     * or GNTST_general_error (Xen: "could not pin"), passed through to
     * op->status. Required.
     */
    int (*get_page)(void *ctx, struct grant_table *owner, mfn_t mfn, uint32_t flags);
    /*
     * Drop what get_page took for flags, which may be a part of what one
     * get_page call took: an unmap of only the host or only the device
     * side of a mapping puts that side. Required.
     */
    void (*put_page)(void *ctx, struct grant_table *owner, mfn_t mfn, uint32_t flags);
    /*
     * Map mfn for the mapper at host_addr (Xen: create_grant_pv_mapping):
     * with GNTMAP_contains_pte host_addr is the machine address of the L1
     * entry to write (8-byte aligned, in an L1 page of the mapper),
     * otherwise a linear address of the mapper whose L1 entry is written.
     * PTE: P, A, D, NX, the grant marker, RW unless GNTMAP_readonly, US if
     * GNTMAP_application_map, flags bits 16.. into the PTE's available
     * bits. cache_flags are the entry's GTF_PWT|GTF_PCD|GTF_PAT (bits
     * 5..7): Xen applies them only to MMIO frames. Any old PTE is put
     * normally. Returns GNTST_okay or GNTST_general_error (passed
     * through). Only called for GNTMAP_host_map. Required.
     */
    int (*create_host_mapping)(void *ctx, struct grant_table *mapper, uint64_t host_addr,
                               mfn_t mfn, uint32_t flags, unsigned int cache_flags);
    /*
     * Clear the PTE create_host_mapping wrote (Xen: replace_grant_pv_mapping
     * with new_addr 0), after checking that it maps mfn with the grant's
     * present/RW bits; no TLB flush (the glue flushes before
     * gnttab_unmap_complete). flags are the mapping's GNTMAP_* (as
     * recorded, bits 0..4). Returns GNTST_okay or GNTST_general_error
     * (passed through; the mapping then stays). Required.
     */
    int (*destroy_host_mapping)(void *ctx, struct grant_table *mapper, uint64_t host_addr,
                                mfn_t mfn, uint32_t flags);
    /*
     * Test only (NULL in the hypervisor): called between reading an entry
     * and the compare-and-exchange that sets GTF_reading/GTF_writing, so a
     * test can play a granter writing the entry concurrently.
     */
    void (*before_cmpxchg)(void *ctx, struct grant_entry_v1 *entry);
    void *ctx;
};

/*
 * Set up gt for domain domid with one shared frame (Xen's
 * INITIAL_NR_GRANT_FRAMES on x86) from env->alloc_frame, all entries
 * invalid, no pins, and every handle free. The caller provides
 * active[max_frames * GNTTAB_ENTRIES_PER_FRAME] and
 * maptrack[maptrack_limit] (contents overwritten; Xen's default limit is
 * 1024 frames of 256 = 262144 handles). maptrack_limit may be 0 (the
 * domain can then map nothing). Returns 0; -EINVAL for max_frames not in
 * 1..GNTTAB_MAX_FRAMES, maptrack_limit >= 2^32 - 1, or a NULL pointer;
 * -ENOMEM if alloc_frame fails.
 */
int gnttab_table_init(const struct gnttab_env *env, struct grant_table *gt, domid_t domid,
                      unsigned int max_frames, struct gnttab_active *active,
                      struct gnttab_maptrack *maptrack, unsigned int maptrack_limit);

/*
 * Some other domain (or this one) still pins an entry of gt: a mapping or
 * a copy in progress. While true, the glue must keep gt, its frames and
 * its active array alive and findable by env->lookup.
 */
bool gnttab_table_busy(const struct grant_table *gt);

/*
 * Free gt's shared frames through env->free_frame. Call after
 * gnttab_release_mappings(gt) and once gnttab_table_busy(gt) is false.
 * Returns 0, or -EBUSY (nothing freed) if entries are still pinned.
 */
int gnttab_table_destroy(const struct gnttab_env *env, struct grant_table *gt);

/* Entries in gt's table: nr_frames * GNTTAB_ENTRIES_PER_FRAME. */
unsigned int gnttab_nr_entries(const struct grant_table *gt);

/*
 * Shared entry ref of gt, or NULL beyond the table: for the domain
 * builder, which pre-fills the reserved refs (GNTTAB_RESERVED_CONSOLE,
 * GNTTAB_RESERVED_XENSTORE) for the backends. Write domid and frame
 * first, then flags (the guest-side protocol).
 */
struct grant_entry_v1 *gnttab_shared_entry(const struct grant_table *gt, grant_ref_t ref);

/*
 * Dispatcher help, in Xen's order: the hypercall-level result for
 * GNTTABOP cmd (with its continuation bits) and count, before anything is
 * copied from the guest. 0: call the sub-op function (after the glue's own
 * -EFAULT check of the whole array, as Xen does for the batched ops).
 *   -EINVAL      (int)count < 0; continuation bits (cmd >> 12) set on a
 *                cmd other than cache_flush; count != 1 for setup_table,
 *                query_size, get_status_frames (count is ignored by
 *                set_version and get_version)
 *   -EOPNOTSUPP  transfer (Xen with gnttab=no-transfer)
 *   -ENOSYS      unknown cmd, dump_table (gone from Xen), and the ops this
 *                library does not implement: unmap_and_replace,
 *                swap_grant_ref, cache_flush (Linux 6.1 issues none)
 */
int gnttab_op_check(unsigned int cmd, unsigned int count);

/*
 * GNTTABOP_map_grant_ref, one op, for mapper (the calling domain).
 * Check order: map flags (bad_gntref), op->dom (bad_domain; DOMID_SELF is
 * not resolved, the caller's own id is), a handle (no_space), op->ref
 * (bad_gntref), active entry already pinned by another domain or full
 * (general_error), the entry itself if this is the first pin or the first
 * writable pin (general_error), the frame on first pin (get_frame), the
 * page references (get_page), the host mapping if GNTMAP_host_map
 * (create_host_mapping); every failure undoes the earlier steps.
 * On success: op->handle (a maptrack index), op->dev_bus_addr = MFN << 12
 * (always, also without GNTMAP_device_map: Linux puts it in its p2m),
 * op->status = GNTST_okay. On failure only op->status is written.
 * Returns 0.
 */
int gnttab_map(const struct gnttab_env *env, struct grant_table *mapper,
               struct gnttab_map_grant_ref *op);

/*
 * What gnttab_unmap undid and gnttab_unmap_complete must finish: done is
 * 0 (nothing to complete) or GNTMAP_host_map and/or GNTMAP_device_map,
 * with GNTMAP_readonly if the mapping was read-only.
 */
struct gnttab_unmap_done {
    struct grant_table *granter;
    grant_ref_t ref;
    mfn_t mfn;            /* the frame that was mapped */
    uint16_t done;
};

/*
 * GNTTABOP_unmap_grant_ref, phase 1 (Xen: unmap_common), for mapper.
 * op->handle must be mapped (bad_handle); a non-zero op->dev_bus_addr on
 * a device mapping must be the frame's (bad_dev_addr); a non-zero
 * op->host_addr on a host mapping is passed to destroy_host_mapping, whose
 * failure is the status. host_addr 0 leaves the host mapping alone and
 * dev_bus_addr 0 the device mapping (status okay, nothing done); the
 * handle is freed once neither remains. Pins, GTF_reading/GTF_writing and
 * page references are NOT dropped here: the glue must flush the mapper's
 * TLBs (once for a batch) and then call gnttab_unmap_complete(*done) for
 * every op, even failed ones, so the granter never sees the flags clear
 * while a stale TLB entry can still reach the frame.
 * Returns 0; or -ESRCH (op->status = GNTST_bad_domain) if the granter no
 * longer exists, which cannot happen with a conforming lookup: Xen then
 * crashes the mapper (domain_crash), and the glue should too.
 */
int gnttab_unmap(const struct gnttab_env *env, struct grant_table *mapper,
                 struct gnttab_unmap_grant_ref *op, struct gnttab_unmap_done *done);

/*
 * Phase 2 (Xen: unmap_common_complete): put the page references, drop the
 * pins, and clear GTF_writing / GTF_reading when the last writable / last
 * pin goes. A done record with done == 0 is ignored; each record must be
 * completed exactly once.
 */
void gnttab_unmap_complete(const struct gnttab_env *env, const struct gnttab_unmap_done *done);

/* One side of a copy held between gnttab_copy_begin and gnttab_copy_end. */
struct gnttab_copy_side {
    struct grant_table *owner;   /* whose page: granter, or the caller for a gmfn */
    mfn_t mfn;                   /* the frame to copy from / to */
    grant_ref_t ref;
    bool readonly;               /* source side */
    bool have_grant;             /* a pin on owner's entry ref is held */
    bool have_page;              /* get_page references are held */
};

struct gnttab_copy_state {
    struct gnttab_copy_side src, dest;
};

/*
 * GNTTABOP_copy, one op, for caller (Xen: gnttab_copy_one without the
 * cross-op buffer cache). Check order: source then destination: a frame
 * side must name DOMID_SELF (permission_denied), the domain must exist
 * (bad_domain; DOMID_SELF resolved); then the source is claimed, then the
 * destination: a gref side pins the entry for reading (source) or writing
 * (destination) like a host mapping (same checks and codes as map, except
 * that GTF_sub_page is not refused and a writable pin on an entry already
 * pinned read-only re-reads the frame and must find the latched one),
 * a frame side goes through get_frame on the caller; each side then
 * takes get_page(GNTMAP_host_map [| GNTMAP_readonly]), whose status is
 * passed through (Xen: general_error when the destination cannot be typed
 * writable, bad_domain when an already pinned grant's page has left its
 * owner); last the bounds: offset + len beyond 4096 on either side
 * (bad_copy_arg). Sets and returns op->status;
 * on GNTST_okay the glue copies op->len bytes from st->src.mfn at
 * op->source.offset to st->dest.mfn at op->dest.offset, then calls
 * gnttab_copy_end. On failure everything is already released.
 */
int16_t gnttab_copy_begin(const struct gnttab_env *env, struct grant_table *caller,
                          struct gnttab_copy *op, struct gnttab_copy_state *st);

/* Release both sides: page references, pins, GTF_* flags. Idempotent. */
void gnttab_copy_end(const struct gnttab_env *env, struct gnttab_copy_state *st);

/*
 * GNTTABOP_setup_table (count must be 1, see gnttab_op_check; the glue
 * first checks that frame_list can hold op->nr_frames entries, -EFAULT,
 * as Xen does before anything else). op->dom may be DOMID_SELF; another
 * domain needs privilege. Grows the table to op->nr_frames if larger
 * (never shrinks). On GNTST_okay *target is the table, and the glue
 * copies gt->frame_mfn[0 .. op->nr_frames-1] to frame_list (PV: the GMFN
 * is the MFN), setting op->status = GNTST_bad_virt_addr for a fault.
 * Status: bad_domain, permission_denied, general_error (nr_frames >
 * max_frames, or alloc_frame failed: nothing grows), okay. Returns 0.
 */
int gnttab_setup_table(const struct gnttab_env *env, struct grant_table *caller,
                       struct gnttab_setup_table *op, struct grant_table **target);

/*
 * GNTTABOP_get_status_frames: v1 tables have no status frames, so as in
 * Xen with v1 in force: op->nr_frames > 0 is GNTST_general_error, 0 is
 * okay (after the same domain / privilege checks as setup_table).
 * Returns 0.
 */
int gnttab_get_status_frames(const struct gnttab_env *env, struct grant_table *caller,
                             struct gnttab_get_status_frames *op);

/*
 * GNTTABOP_query_size: op->nr_frames, op->max_nr_frames of op->dom
 * (DOMID_SELF allowed; another domain needs privilege). Status:
 * bad_domain, permission_denied, okay; the OUT frame counts are written
 * only on okay. Returns 0.
 */
int gnttab_query_size(const struct gnttab_env *env, struct grant_table *caller,
                      struct gnttab_query_size *op);

/*
 * GNTTABOP_set_version. Only v1 exists here, as in Xen for a domain
 * whose max grant version is 1: 1 -> 0; 2 -> -ENOSYS ("as before
 * set_version was introduced": Linux then stays on v1); anything else
 * -EINVAL. op->version is set to 1 in every case (Xen copies the version
 * in force back even on error).
 */
int gnttab_set_version(struct grant_table *caller, struct gnttab_set_version *op);

/*
 * GNTTABOP_get_version: op->version = 1 for op->dom (DOMID_SELF allowed).
 * Returns 0, -ESRCH (no such domain), -EPERM (another domain,
 * unprivileged caller); op->version is untouched on error.
 */
int gnttab_get_version(const struct gnttab_env *env, struct grant_table *caller,
                       struct gnttab_get_version *op);

/*
 * Domain destruction of gt's domain (Xen: gnttab_release_mappings, PV):
 * drop every mapping it holds on other domains (and itself): pins and
 * GTF_* flags of the granters' entries, and get_page references of device
 * mappings. Host mappings' references are not put here: in PV they belong
 * to the PTEs, which still exist in the dying domain's page tables, and
 * are dropped when those are torn down (the PV MMU must put a grant PTE's
 * page like any other when freeing an L1, and Xen crashes a live domain
 * that drops one implicitly). Mappings of granters lookup no longer finds
 * are forgotten. Afterwards maptrack_limit is 0: further maps fail with
 * GNTST_no_space and unmaps with GNTST_bad_handle.
 */
void gnttab_release_mappings(const struct gnttab_env *env, struct grant_table *gt);

#endif
