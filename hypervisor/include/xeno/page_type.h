/* SPDX-License-Identifier: MIT */
#ifndef XENO_PAGE_TYPE_H
#define XENO_PAGE_TYPE_H

/*
 * The pure core of the PV MMU: Xen's page type and reference-count rules for
 * 64-bit PV guests with direct paging (the guest's page tables are the ones
 * the CPU walks). No hardware access: machine memory is reached through
 * struct mm_env, so the same code runs in the hypervisor and in hosted tests.
 *
 * Model (Xen 4.17, xen/arch/x86/mm.c)
 * -----------------------------------
 * Every frame has a general reference count (page_info.count_info low bits)
 * and a type with a type count (page_info.type_info). Every type reference
 * is accompanied by a general reference held by the same user.
 *
 *  - A frame has one type at a time and may change type only while its type
 *    count is 0. Page-table types are validated on the 0 -> 1 transition and
 *    devalidated on 1 -> 0 (the references their entries hold are dropped
 *    synchronously, which Linux relies on: checklist 3.2).
 *  - A present L1 entry takes a general reference on its target, plus a
 *    PGT_writable_page type reference if it has _PAGE_RW. An L2/L3/L4 entry
 *    takes a general reference and an L1/L2/L3 type reference. Hence a page
 *    table can never be mapped writable and a writably mapped frame can
 *    never become a page table.
 *  - Frames outside the frame table or marked PGC_reserved are I/O memory:
 *    only L1 entries may map them, only when iomem_allowed() says so, and no
 *    references are counted (Xen's dom_io pages).
 *  - A pin (MMUEXT_PIN_Ln_TABLE) holds one general and one type reference.
 *
 * Deviations from Xen 4.17, on purpose:
 *  - Linear page tables (an L2..L4 entry naming a table of its own level,
 *    e.g. an L4 mapping itself) are refused with -EINVAL, as Xen does when
 *    booted with "pv-linear-pt=0". Xen's default allows read-only ones but
 *    needs an extra per-frame counter (linear_pt_count) and was the source
 *    of XSA-240; Linux 6.1 never creates them.
 *  - Without linear page tables _PAGE_RW of an L2..L4 entry changes no
 *    reference, so it may be flipped without revalidation (Xen's
 *    FASTPATH_PDE_FLAG_WHITELIST for !CONFIG_PV_LINEAR_PT).
 *  - Failure undoes everything: a validation that fails part way drops the
 *    references already taken and restores the type_info of every frame it
 *    touched; no entry of any table is rewritten until the whole operation
 *    has succeeded (Xen leaves the adjusted entries of the tables it got
 *    through and resets the failed frame's type to none). No preemption:
 *    every call completes (no -ERESTART / PGT_partial).
 *  - _PAGE_GLOBAL: Xen forces it on user L1 mappings (adjust_guest_l1e) so
 *    they survive the guest's user/kernel CR3 switch; that is only correct if
 *    every NEW_BASEPTR flushes global TLB entries. Xeno does this only when
 *    mm_env.user_global is set.
 *  - mmio_ro_ranges, paging modes, XSM hooks and the PV32 rules are absent.
 *
 * Locking: none inside. The caller holds the page-table lock of the domain
 * whose tables and frames are involved (both domains' for a foreign
 * mapping, or one global lock). Table entries are read and written with
 * atomic operations because the CPU may set A/D bits in live tables at any
 * time; nothing else may change them concurrently.
 *
 * Errors use Xen's values (xeno/errno.h), and on any error every frame
 * descriptor and every table entry is left exactly as it was.
 */

#include "xeno/types.h"
#include "xeno/page.h"
#include "xeno/pte.h"

/*
 * type_info layout (64 bits):
 *   bits 63..60  PGT_* type (one at a time)
 *   bit  59      PGT_pinned: the owner pinned the frame to its current type
 *   bit  58      PGT_validated: the contents were checked for this type
 *   bits 57..56  reserved, zero
 *   bits 55..0   type reference count (PGT_count_mask)
 * The type stays recorded at count 0 (a former writable or page-table frame
 * is still known as such, which decides the TLB flush on its next retype).
 * page_info._rsvd[0..1] hold the PV MMU's per-frame scratch state
 * (page_type.c); nobody else may use them.
 */
#define PGT_TYPE_SHIFT      60
#define PGT_none            (UINT64_C(0) << PGT_TYPE_SHIFT)
#define PGT_l1_page_table   (UINT64_C(1) << PGT_TYPE_SHIFT)
#define PGT_l2_page_table   (UINT64_C(2) << PGT_TYPE_SHIFT)
#define PGT_l3_page_table   (UINT64_C(3) << PGT_TYPE_SHIFT)
#define PGT_l4_page_table   (UINT64_C(4) << PGT_TYPE_SHIFT)
#define PGT_seg_desc_page   (UINT64_C(5) << PGT_TYPE_SHIFT)   /* GDT/LDT frame */
#define PGT_writable_page   (UINT64_C(7) << PGT_TYPE_SHIFT)   /* has writable mappings */
#define PGT_type_mask       (UINT64_C(0xf) << PGT_TYPE_SHIFT)
#define PGT_pinned          (UINT64_C(1) << 59)
#define PGT_validated       (UINT64_C(1) << 58)
#define PGT_count_mask      ((UINT64_C(1) << 56) - 1)

/* Level n (1..4) page-table type, and back. */
#define PGT_pt_type(level)  ((uint64_t)(level) << PGT_TYPE_SHIFT)

/*
 * count_info flag owned by the PV MMU (page.h leaves bits 59..56 to it):
 * the owner gave the frame back (page_release()) while references remained.
 * No new reference can be taken; the last put_page() hands the frame to
 * mm_env.free_frame. This is Xen's "PGC_allocated cleared" state.
 */
#define PGC_released        (UINT64_C(1) << 59)

/* L4 slots 256..271 map the hypervisor (RO M2P at 0xffff800000000000 ...). */
#define L4_XEN_SLOT_FIRST   256U
#define L4_XEN_SLOT_LAST    271U

/* How the rules reach machine memory and the rest of the hypervisor. */
struct mm_env {
    struct page_info *frames;        /* frame table, index = MFN */
    unsigned long nr_frames;         /* frames described by `frames` */

    /* The 512 entries of frame `mfn`; called nested up to 5 deep. */
    uint64_t *(*map)(void *ctx, unsigned long mfn);
    void (*unmap)(void *ctx, uint64_t *va);

    /*
     * May `domid` map I/O frame `mfn` (MMIO, firmware, anything outside the
     * frame table or PGC_reserved)? The hypervisor's own reserved frames
     * (image, trampoline) must answer false. NULL: never.
     */
    bool (*iomem_allowed)(void *ctx, uint32_t domid, unsigned long mfn);

    /*
     * May `domid` choose cache attributes (PAT/PCD/PWT) in L1 entries? Xen
     * allows it for domains with any I/O capability (l1_disallow_mask()).
     * NULL: never.
     */
    bool (*cache_attrs_allowed)(void *ctx, uint32_t domid);

    /*
     * Fill L4 slots 256..271 of a freshly validated L4 (RO M2P, the
     * hypervisor's own mappings), overwriting whatever the guest left there.
     * NULL: the slots are zeroed.
     */
    void (*init_xen_l4_slots)(void *ctx, uint64_t *l4, unsigned long l4_mfn);

    /*
     * Check 512 descriptors for use as a GDT/LDT frame (PGT_seg_desc_page);
     * 0 or a negative errno. NULL: that type is refused (-EINVAL).
     */
    int (*check_seg_desc)(void *ctx, const uint64_t *descs);

    /*
     * Frame `mfn` is about to take a new type after having had another one
     * (writable, a page table or a descriptor frame): every CPU that ran the owner must drop its
     * TLB and paging-structure-cache entries, global ones included, before
     * the call returns, or a stale writable translation could write the new
     * page table (Xen's flush in _get_page_type()). Required in the
     * hypervisor; NULL only in tests.
     */
    void (*flush_tlbs)(void *ctx, unsigned long mfn);

    /* The last reference to a PGC_released frame went away. NULL: ignored. */
    void (*free_frame)(void *ctx, unsigned long mfn);

    /* A broken invariant (reference underflow ...); state was left alone. */
    void (*warn)(void *ctx, const char *what, unsigned long mfn);

    bool user_global;   /* force _PAGE_GLOBAL on user L1 mappings, see above */
    void *ctx;
};

/*
 * General references.
 * get_page: take one reference on `mfn` for `domid`, which must be its owner
 * (a real domain id, below DOMID_FIRST_RESERVED). -EINVAL if mfn is outside
 * the frame table, free, reserved, released, owned by someone else, or its
 * count is saturated.
 * put_page: drop one; an underflow is reported through warn() and ignored.
 */
int get_page(const struct mm_env *e, unsigned long mfn, uint32_t domid);
void put_page(const struct mm_env *e, unsigned long mfn);

/*
 * Type references. The caller already holds a general reference.
 * get_page_type: `type` is PGT_l1..l4_page_table, PGT_seg_desc_page or
 * PGT_writable_page. On the 0 -> 1 transition the frame takes the type
 * (flush_tlbs() if it had another one) and page tables / descriptor frames
 * are validated, recursively taking the references of every present entry.
 * -EINVAL: not owned by domid, another type in use, count saturated or
 * nested validation re-entered; a validation error from an entry is
 * returned as is (-EINVAL, -EBUSY, -EPERM, -EACCES).
 * put_page_type: drop one; 1 -> 0 on a page table drops the references its
 * entries hold.
 */
int get_page_type(const struct mm_env *e, unsigned long mfn, uint64_t type, uint32_t domid);
void put_page_type(const struct mm_env *e, unsigned long mfn);

/* Both of the above together; on error nothing is held. */
int get_page_and_type(const struct mm_env *e, unsigned long mfn, uint32_t domid, uint64_t type);
void put_page_and_type(const struct mm_env *e, unsigned long mfn);

/*
 * The one decision on entries. `pt_owner` owns the table that will hold the
 * entry; `pg_owner` owns the frame it maps. pg_owner == pt_owner is the
 * normal case; a different pg_owner is a foreign mapping (mmu_update's
 * FOREIGNDOM), allowed only in L1 entries and only after the caller checked
 * that pt_owner is privileged over pg_owner. DOMID_IO as pg_owner maps I/O
 * frames with pt_owner's permissions (Xen: "DOMID_IO reverts to caller").
 *
 * pte_check: the stateless part. Flag rules per level (Xen's
 * *_DISALLOW_MASK: L1 allows P RW US A D G NX AVAIL, and PAT/PCD/PWT only
 * if cache_attrs_allowed(); L2..L4 allow P RW US A D NX AVAIL, so PSE
 * superpages, G and cache bits are refused; bit 62 is refused in L1),
 * I/O permission and the foreign rules. On success *installed is the value
 * to write: present entries get _PAGE_USER (64-bit PV kernels run in ring
 * 3, Xen's adjust_guest_l*e), L1 supervisor entries also get
 * _PAGE_GUEST_KERNEL, L4 entries _PAGE_ACCESSED, and WB/WT/WP mappings of
 * I/O frames become UC (Xen's default mmio-relax=0). Non-present entries
 * are accepted unchanged whatever their other bits (Xen does, bar its L1TF
 * mitigation). Returns 0, -EINVAL (bad flags or level, foreign L2..L4),
 * -EPERM (I/O frame not permitted).
 *
 * pte_acquire: pte_check plus the references the entry needs (see the model
 * above); for L2..L4 this may validate the target recursively. Extra
 * errors: L1: -EBUSY (frame not owned by pg_owner, count saturated, or
 * writable type unavailable), -EACCES (cache attributes on a hypervisor
 * heap frame); L2..L4: -EINVAL (not owned, wrong type - including linear
 * page tables - or saturated) or the target's validation error.
 *
 * pte_release: drop what pte_acquire took for an entry as installed.
 */
int pte_check(const struct mm_env *e, uint32_t pt_owner, uint32_t pg_owner,
              unsigned int level, uint64_t entry, uint64_t *installed);
int pte_acquire(const struct mm_env *e, uint32_t pt_owner, uint32_t pg_owner,
                unsigned int level, uint64_t entry, uint64_t *installed);
void pte_release(const struct mm_env *e, unsigned int level, uint64_t installed);

/*
 * MMU_NORMAL_PT_UPDATE / MMU_PT_UPDATE_PRESERVE_AD on entry `index` of frame
 * `table_mfn`, which must belong to pt_owner (caller resolved DOMID_SELF).
 *  - If the frame is a validated page table in use, the entry is checked
 *    with pte_acquire() at that level, the new references are taken before
 *    the old entry's are dropped, and with preserve_ad the A/D bits
 *    currently in the entry are kept (ORed in atomically). Changes confined
 *    to bits that hold no reference (A D US G NX AVAIL, and RW above L1)
 *    skip the reference work, as Xen's fast path does.
 *  - Otherwise it is a plain data write (Linux routes set_pte of unpinned
 *    tables through here, checklist 3.2), which needs the frame to be
 *    writable-typable for the duration; preserve_ad is ignored (Xen too).
 * Returns 0; -EINVAL: bad index, table not owned by pt_owner, descriptor
 * frame, frame not writable-typable, L4 slot 256..271, foreign L2..L4
 * update; otherwise pte_acquire()'s error.
 */
int mod_entry(const struct mm_env *e, uint32_t pt_owner, uint32_t pg_owner,
              unsigned long table_mfn, unsigned int index, uint64_t new_entry,
              bool preserve_ad);

/*
 * The checked update behind writable-page-table emulation: the guest wrote
 * (or LOCK CMPXCHGed) `new_entry` into entry `index` of its validated L1
 * `l1_mfn`. Sub-8-byte writes must be merged with the current entry by the
 * caller. With is_cmpxchg the entry is replaced only if it still equals
 * old_expected; otherwise -EAGAIN (nothing changed) and *seen tells the
 * emulator what CMPXCHG loads into rAX. *seen (may be NULL) always receives
 * the entry's previous value. -EINVAL if the frame is not a validated L1 of
 * domid or index is out of range; otherwise pte_acquire()'s error.
 */
int ptwr_emulated_update(const struct mm_env *e, uint32_t domid, unsigned long l1_mfn,
                         unsigned int index, uint64_t new_entry, uint64_t old_expected,
                         bool is_cmpxchg, uint64_t *seen);

/*
 * MMUEXT_PIN_Lx_TABLE (level 1..4) and MMUEXT_UNPIN_TABLE for a frame of
 * domid. pin: takes a general and a level-`level` type reference (which
 * validates the table on first use) and sets PGT_pinned. -EINVAL: bad
 * level, not owned, already pinned (Xen's answer), another type in use;
 * or the validation error. unpin: clears PGT_pinned and drops both
 * references (devalidating if they were the last); it also works on a
 * PGC_released frame. -EINVAL: not owned or not pinned.
 */
int pin_table(const struct mm_env *e, uint32_t domid, unsigned long mfn, unsigned int level);
int unpin_table(const struct mm_env *e, uint32_t domid, unsigned long mfn);

/* 1..4 if mfn is a validated page table in use (type count > 0), else 0. */
unsigned int page_pt_level(const struct mm_env *e, unsigned long mfn);
static inline bool page_is_pt(const struct mm_env *e, unsigned long mfn)
{
    return page_pt_level(e, mfn) != 0;
}

/*
 * The owner gives `mfn` back (decrease_reservation, teardown). Returns 0 if
 * nothing references it: the caller may free it now. Returns 1 if
 * references remain (mappings, pins, CR3): the frame is marked
 * PGC_released, takes no new references, and free_frame() is called when
 * the last one goes; a pinned frame thus stays out of the allocator until
 * unpinned. -EINVAL: not owned by domid, or already released.
 */
int page_release(const struct mm_env *e, unsigned long mfn, uint32_t domid);

#endif
