/* SPDX-License-Identifier: MIT */
/*
 * PV MMU page type and reference-count rules (contract in xeno/page_type.h).
 *
 * Facts are Xen 4.17's (xen/arch/x86/mm.c, pv/mm.h, pv/ro-page-fault.c);
 * the code is our own. Every mutation is either completed or undone before
 * returning, so there is no partial/preemptible state.
 */
#include "xeno/page_type.h"
#include "xeno/errno.h"
#include "xen/xen.h"

/*
 * Flags a guest may use in any present entry (Xen's base_disallow_mask
 * complement): P RW US A D AVAIL AVAIL_HIGH NX. Everything else outside the
 * address field is refused, which is how PSE superpages, G above L1 and
 * cache attributes above L1 are kept out of 64-bit PV tables.
 */
#define BASE_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                      _PAGE_DIRTY | _PAGE_AVAIL | _PAGE_AVAIL_HIGH | _PAGE_NX)

/*
 * Bits that hold no reference: an update changing only these (and keeping
 * P and the frame) needs no get/put (Xen's FASTPATH_FLAG_WHITELIST). With
 * linear page tables refused, RW of an L2..L4 entry is such a bit too.
 */
#define L1_REF_FREE  (_PAGE_NX | _PAGE_AVAIL_HIGH | _PAGE_AVAIL | _PAGE_GLOBAL | \
                      _PAGE_DIRTY | _PAGE_ACCESSED | _PAGE_USER)
#define PDE_REF_FREE (L1_REF_FREE | _PAGE_RW)

/* Xen's INVALID_MFN spelled as a PTE frame: "no frame", so -EINVAL, not -EPERM. */
#define INVALID_PTE_MFN (PADDR_MASK >> 12)

/*
 * Per-frame bookkeeping in page_info._rsvd (page.h leaves it to the PV MMU):
 *   _rsvd[0]  high byte of type_info before the frame's last 0 -> 1 type
 *             transition, restored if that transaction fails
 *   _rsvd[1]  PT_PENDING: validated within the current transaction, the
 *             adjusted entries not yet written (see commit_table())
 */
#define SAVED_TYPE(pg)  ((pg)->_rsvd[0])
#define PT_FLAGS(pg)    ((pg)->_rsvd[1])
#define PT_PENDING      0x01

static struct page_info *frame(const struct mm_env *e, unsigned long mfn)
{
    return &e->frames[mfn];
}

static void warn(const struct mm_env *e, const char *what, unsigned long mfn)
{
    if (e->warn)
        e->warn(e->ctx, what, mfn);
}

static uint64_t type_of(uint64_t type_info)
{
    return type_info & PGT_type_mask;
}

static bool is_pt_type(uint64_t type)
{
    return type >= PGT_l1_page_table && type <= PGT_l4_page_table;
}

static unsigned int pt_level(uint64_t type)
{
    return (unsigned int)(type >> PGT_TYPE_SHIFT);
}

/* 64-bit PV: L4 slots 256..271 are the hypervisor's (Xen is_guest_l4_slot()). */
static bool is_guest_slot(unsigned int level, unsigned int slot)
{
    return level != 4 || slot < L4_XEN_SLOT_FIRST || slot > L4_XEN_SLOT_LAST;
}

/* Xen's dom_io pages: not RAM a domain can own, so never reference counted. */
static bool is_io_frame(const struct mm_env *e, unsigned long mfn)
{
    return mfn >= e->nr_frames || (frame(e, mfn)->count_info & PGC_reserved);
}

static bool iomem_ok(const struct mm_env *e, uint32_t domid, unsigned long mfn)
{
    return e->iomem_allowed && e->iomem_allowed(e->ctx, domid, mfn);
}

/* Live entries may gain A/D from the CPU at any moment: access atomically. */
static uint64_t ent_load(uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Install v; with preserve_ad OR in the A/D bits present at the moment of the
 * swap (MMU_PT_UPDATE_PRESERVE_AD). Returns the value replaced. */
static uint64_t ent_write(uint64_t *p, uint64_t v, bool preserve_ad)
{
    if (!preserve_ad)
        return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
    uint64_t cur = ent_load(p);
    while (!__atomic_compare_exchange_n(p, &cur, v | (cur & (_PAGE_ACCESSED | _PAGE_DIRTY)),
                                        false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
    return cur;
}

/* ------------------------------------------------------------------ */
/* General references                                                   */

int get_page(const struct mm_env *e, unsigned long mfn, uint32_t domid)
{
    if (mfn >= e->nr_frames || domid >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    struct page_info *pg = frame(e, mfn);
    if (pg->owner != domid || (pg->count_info & (PGC_free | PGC_reserved | PGC_released)))
        return -EINVAL;
    /* Saturated: refuse rather than carry into the PGC_* flags. */
    if ((pg->count_info & PGC_count_mask) == PGC_count_mask)
        return -EINVAL;
    pg->count_info++;
    return 0;
}

void put_page(const struct mm_env *e, unsigned long mfn)
{
    if (mfn >= e->nr_frames) {
        warn(e, "put_page outside the frame table", mfn);
        return;
    }
    struct page_info *pg = frame(e, mfn);
    uint64_t count = pg->count_info & PGC_count_mask;
    if (!count) {
        warn(e, "general reference underflow", mfn);
        return;
    }
    pg->count_info--;
    if (count != 1)
        return;
    if (pg->type_info & PGT_count_mask)
        warn(e, "last general reference dropped while a type reference is held", mfn);
    /* PGC_released stays set until the allocator resets the descriptor, so
     * nothing can take a reference in between. */
    if ((pg->count_info & PGC_released) && e->free_frame)
        e->free_frame(e->ctx, mfn);
}

/* ------------------------------------------------------------------ */
/* Types                                                                */

static int get_type(const struct mm_env *e, unsigned long mfn, uint64_t type);
static int get_type_commit(const struct mm_env *e, unsigned long mfn, uint64_t type);
static void put_type(const struct mm_env *e, unsigned long mfn, bool undo);

/*
 * The references an already checked, present entry needs. Entries are
 * released from their stored value, so the adjustments pte_check() makes
 * must never touch P, RW or the frame (they don't: USER, GUEST_KERNEL, G,
 * A and cache bits only). `nested`: called while validating a table, whose
 * own commit will write the tables validated here.
 */
static int acquire_refs(const struct mm_env *e, uint32_t pt_owner, uint32_t pg_owner,
                        unsigned int level, uint64_t v, bool nested)
{
    unsigned long mfn = pte_mfn(v);
    int rc;

    if (level == 1) {
        if (is_io_frame(e, mfn))
            return 0;
        /* Xen get_page_from_l1e(): any ownership or count failure is -EBUSY. */
        if (get_page(e, mfn, pg_owner))
            return -EBUSY;
        /* Hypervisor heap frames shared with the guest keep Xen's WB mapping. */
        if ((v & PAGE_CACHE_ATTRS) && (frame(e, mfn)->count_info & PGC_xen_heap)) {
            put_page(e, mfn);
            return -EACCES;
        }
        if ((v & _PAGE_RW) && get_type(e, mfn, PGT_writable_page)) {
            put_page(e, mfn);
            return -EBUSY;
        }
        return 0;
    }

    /* Xen get_page_and_type_from_mfn(): ownership failure is -EINVAL, a
     * type failure (incl. what would be a linear page table) is returned. */
    if (get_page(e, mfn, pt_owner))
        return -EINVAL;
    rc = nested ? get_type(e, mfn, PGT_pt_type(level - 1))
                : get_type_commit(e, mfn, PGT_pt_type(level - 1));
    if (rc)
        put_page(e, mfn);
    return rc;
}

/* Drop what acquire_refs() took; `undo` restores the pre-transaction type of
 * frames whose type count returns to 0 (see put_type()). */
static void release_refs(const struct mm_env *e, unsigned int level, uint64_t v, bool undo)
{
    if (!(v & _PAGE_PRESENT))
        return;
    unsigned long mfn = pte_mfn(v);
    if (level == 1) {
        if (is_io_frame(e, mfn))
            return;
        if (v & _PAGE_RW)
            put_type(e, mfn, undo);
        put_page(e, mfn);
        return;
    }
    if (mfn >= e->nr_frames) {
        warn(e, "page-table entry outside the frame table", mfn);
        return;
    }
    put_type(e, mfn, undo);
    put_page(e, mfn);
}

/*
 * Validate a level-`level` table whose type count just became 1. Decode then
 * commit: take every present entry's references without writing anything;
 * on the first failure drop those already taken (in undo mode) and return.
 * On success the table is only marked PT_PENDING: the adjusted entries are
 * written by commit_table() once the whole transaction has succeeded, so a
 * failure further up leaves no trace in memory either.
 */
static int validate_table(const struct mm_env *e, unsigned long mfn, unsigned int level)
{
    uint32_t d = frame(e, mfn)->owner;
    uint64_t *t = e->map(e->ctx, mfn);
    unsigned int i;
    int rc = 0;

    for (i = 0; i < PTE_ENTRIES; i++) {
        uint64_t v;
        if (!is_guest_slot(level, i) || !(t[i] & _PAGE_PRESENT))
            continue;
        rc = pte_check(e, d, d, level, t[i], &v);
        if (!rc)
            rc = acquire_refs(e, d, d, level, v, true);
        if (rc)
            break;
    }
    if (rc)
        while (i-- > 0)
            if (is_guest_slot(level, i))
                release_refs(e, level, t[i], true);
    e->unmap(e->ctx, t);
    if (!rc)
        PT_FLAGS(frame(e, mfn)) |= PT_PENDING;
    return rc;
}

/*
 * Write the adjusted entries of a table validated in the transaction that
 * just succeeded, then those of the tables it validated in turn (they are
 * exactly the PT_PENDING ones reachable from it). Nothing here is live yet:
 * the caller hooks the root in (or loads it) only afterwards. Every entry
 * passed pte_check() during validation, so recomputing cannot fail.
 */
static void commit_table(const struct mm_env *e, unsigned long mfn, unsigned int level)
{
    struct page_info *pg = frame(e, mfn);
    if (!(PT_FLAGS(pg) & PT_PENDING))
        return;
    PT_FLAGS(pg) &= (uint8_t)~PT_PENDING;

    uint32_t d = pg->owner;
    uint64_t *t = e->map(e->ctx, mfn);
    for (unsigned int i = 0; i < PTE_ENTRIES; i++) {
        uint64_t v;
        if (!is_guest_slot(level, i) || !(t[i] & _PAGE_PRESENT) ||
            pte_check(e, d, d, level, t[i], &v))
            continue;
        t[i] = v;
        if (level > 1)
            commit_table(e, pte_mfn(v), level - 1);
    }
    if (level == 4) {
        /* Whatever the guest put in 256..271 is ignored and overwritten (Xen
         * init_xen_l4_slots() runs after promote_l4_table() succeeds). */
        if (e->init_xen_l4_slots)
            e->init_xen_l4_slots(e->ctx, t, mfn);
        else
            for (unsigned int i = L4_XEN_SLOT_FIRST; i <= L4_XEN_SLOT_LAST; i++)
                t[i] = 0;
    }
    e->unmap(e->ctx, t);
}

/* Type count of a table reached 0: drop what its entries hold (Xen
 * demote_lN_table()). Contents stay as they are. */
static void devalidate_table(const struct mm_env *e, unsigned long mfn, unsigned int level,
                             bool undo)
{
    uint64_t *t = e->map(e->ctx, mfn);
    for (unsigned int i = 0; i < PTE_ENTRIES; i++)
        if (is_guest_slot(level, i))
            release_refs(e, level, ent_load(&t[i]), undo);
    e->unmap(e->ctx, t);
}

static int validate_seg_desc(const struct mm_env *e, unsigned long mfn)
{
    if (!e->check_seg_desc)
        return -EINVAL;
    uint64_t *t = e->map(e->ctx, mfn);
    int rc = e->check_seg_desc(e->ctx, t);
    e->unmap(e->ctx, t);
    return rc > 0 ? -EINVAL : rc;
}

/*
 * Take a type reference (Xen _get_page_type()). The caller holds a general
 * reference. On the 0 -> 1 transition the previous high byte of type_info
 * is saved (SAVED_TYPE): if this transaction fails, the undo path restores
 * it, so a failed operation leaves every descriptor exactly as it found it.
 * (Within one transaction a frame goes 0 -> 1 at most once more after each
 * undo restored it, so the saved byte is always the pre-transaction one.)
 */
static int get_type(const struct mm_env *e, unsigned long mfn, uint64_t type)
{
    struct page_info *pg = frame(e, mfn);
    uint64_t x = pg->type_info;
    uint64_t count = x & PGT_count_mask;
    int rc = 0;

    if (count == PGT_count_mask)
        return -EINVAL;                              /* Xen: type count overflow */
    if (count) {
        /* Wrong type in use, or a table still being validated further up this
         * very recursion (impossible for well-formed levels, refused anyway). */
        if (type_of(x) != type || !(x & PGT_validated))
            return -EINVAL;
        pg->type_info = x + 1;
        return 0;
    }

    SAVED_TYPE(pg) = (uint8_t)(x >> 56);
    /* Writable and descriptor frames keep PGT_validated at count 0 (Xen only
     * devalidates page tables); nothing could have written them since. */
    if (type_of(x) == type && (x & PGT_validated) && !is_pt_type(type)) {
        pg->type_info = x + 1;
        return 0;
    }
    /* Any retype from a used type: stale writable or paging-structure
     * translations of the old use must be gone before the new one. */
    if (type_of(x) != type && type_of(x) != PGT_none && e->flush_tlbs)
        e->flush_tlbs(e->ctx, mfn);

    /* Count 1, not validated: the "validate locked" state of Xen. */
    pg->type_info = type | 1;
    if (is_pt_type(type))
        rc = validate_table(e, mfn, pt_level(type));
    else if (type == PGT_seg_desc_page)
        rc = validate_seg_desc(e, mfn);
    if (rc) {
        pg->type_info = x;
        return rc;
    }
    pg->type_info |= PGT_validated;
    return 0;
}

/*
 * Drop a type reference (Xen _put_page_type()). 1 -> 0 on a validated page
 * table devalidates it while the count still reads 1 and PGT_validated is
 * clear, so the frame cannot be re-typed half way. `undo` (failed
 * transaction) restores the type saved by get_type(); otherwise the type
 * stays recorded, as in Xen.
 */
static void put_type(const struct mm_env *e, unsigned long mfn, bool undo)
{
    struct page_info *pg = frame(e, mfn);
    uint64_t x = pg->type_info;
    uint64_t count = x & PGT_count_mask;

    if (!count) {
        warn(e, "type reference underflow", mfn);
        return;
    }
    if (count > 1) {
        pg->type_info = x - 1;
        return;
    }
    if (x & PGT_pinned) {
        warn(e, "last type reference of a pinned frame", mfn);
        return;
    }
    if (is_pt_type(type_of(x)) && (x & PGT_validated)) {
        pg->type_info = x & ~PGT_validated;
        devalidate_table(e, mfn, pt_level(type_of(x)), undo);
    }
    if (undo) {
        pg->type_info = (uint64_t)SAVED_TYPE(pg) << 56;
        PT_FLAGS(pg) &= (uint8_t)~PT_PENDING;
    } else
        pg->type_info &= ~PGT_count_mask;
}

/* get_type() as the outermost step of a transaction: write what it validated. */
static int get_type_commit(const struct mm_env *e, unsigned long mfn, uint64_t type)
{
    int rc = get_type(e, mfn, type);
    if (!rc && is_pt_type(type))
        commit_table(e, mfn, pt_level(type));
    return rc;
}

static bool valid_type(uint64_t type)
{
    return is_pt_type(type) || type == PGT_seg_desc_page || type == PGT_writable_page;
}

int get_page_type(const struct mm_env *e, unsigned long mfn, uint64_t type, uint32_t domid)
{
    if (!valid_type(type) || mfn >= e->nr_frames)
        return -EINVAL;
    const struct page_info *pg = frame(e, mfn);
    if (pg->owner != domid || (pg->count_info & (PGC_free | PGC_reserved)) ||
        !(pg->count_info & PGC_count_mask))
        return -EINVAL;
    return get_type_commit(e, mfn, type);
}

void put_page_type(const struct mm_env *e, unsigned long mfn)
{
    if (mfn >= e->nr_frames) {
        warn(e, "put_page_type outside the frame table", mfn);
        return;
    }
    put_type(e, mfn, false);
}

int get_page_and_type(const struct mm_env *e, unsigned long mfn, uint32_t domid, uint64_t type)
{
    int rc = get_page(e, mfn, domid);
    if (rc)
        return rc;
    rc = get_page_type(e, mfn, type, domid);
    if (rc)
        put_page(e, mfn);
    return rc;
}

void put_page_and_type(const struct mm_env *e, unsigned long mfn)
{
    put_page_type(e, mfn);
    put_page(e, mfn);
}

/* ------------------------------------------------------------------ */
/* Entries                                                              */

/*
 * Xen's default "mmio-relax=0": I/O frames are never mapped cacheable.
 * Encodings follow the PAT MSR layout Xen programs and exposes to PV guests
 * (WB 0, WT PWT, UC- PCD, UC PCD|PWT, WC PAT, WP PAT|PWT): WB, WT and WP
 * become UC, the uncached and write-combining choices are kept.
 */
static uint64_t mmio_uncached(uint64_t v)
{
    switch (v & PAGE_CACHE_ATTRS) {
    case 0:
        return v | _PAGE_PCD | _PAGE_PWT;
    case _PAGE_PWT:
        return v | _PAGE_PCD;
    case _PAGE_PWT | _PAGE_PAT:
        return (v & ~_PAGE_PAT) | _PAGE_PCD;
    default:
        return v;
    }
}

int pte_check(const struct mm_env *e, uint32_t pt_owner, uint32_t pg_owner,
              unsigned int level, uint64_t entry, uint64_t *installed)
{
    if (level < 1 || level > 4)
        return -EINVAL;
    /* Xen's mmu_update only honours FOREIGNDOM for L1 tables. */
    if (level > 1 && pg_owner != pt_owner)
        return -EINVAL;
    if (!(entry & _PAGE_PRESENT)) {
        *installed = entry;
        return 0;
    }

    uint64_t allowed = BASE_ALLOWED;
    if (level == 1) {
        /* L1_DISALLOW_MASK: G allowed, the grant-table marker is not; cache
         * attributes only for I/O-capable domains (l1_disallow_mask()). */
        allowed = (allowed | _PAGE_GLOBAL) & ~_PAGE_GNTTAB;
        if (e->cache_attrs_allowed && e->cache_attrs_allowed(e->ctx, pt_owner))
            allowed |= PAGE_CACHE_ATTRS;
    }
    if (entry & ~(allowed | PADDR_MASK))
        return -EINVAL;

    uint64_t v = entry;
    if (level == 1) {
        unsigned long mfn = pte_mfn(entry);
        if (is_io_frame(e, mfn)) {
            /* Both the frame's nominal owner and the table's owner need the
             * I/O permission (Xen get_page_from_l1e()). */
            uint32_t who = pg_owner == DOMID_IO ? pt_owner : pg_owner;
            int deny = mfn == INVALID_PTE_MFN ? -EINVAL : -EPERM;
            if (!iomem_ok(e, who, mfn) || (who != pt_owner && !iomem_ok(e, pt_owner, mfn)))
                return deny;
            v = mmio_uncached(v);
        }
        /* adjust_guest_l1e(): a supervisor-only request is remembered in
         * _PAGE_GUEST_KERNEL since U/S itself must be set. */
        if (!(v & _PAGE_USER))
            v |= _PAGE_USER | _PAGE_GUEST_KERNEL;
        if (e->user_global && !(v & _PAGE_GUEST_KERNEL))
            v |= _PAGE_GLOBAL;
    } else {
        v |= _PAGE_USER;
        /* adjust_guest_l4e(): A set up front, as a CPU prefetching L4es may. */
        if (level == 4)
            v |= _PAGE_ACCESSED;
    }
    *installed = v;
    return 0;
}

int pte_acquire(const struct mm_env *e, uint32_t pt_owner, uint32_t pg_owner,
                unsigned int level, uint64_t entry, uint64_t *installed)
{
    uint64_t v;
    int rc = pte_check(e, pt_owner, pg_owner, level, entry, &v);
    if (rc)
        return rc;
    if (v & _PAGE_PRESENT) {
        rc = acquire_refs(e, pt_owner, pg_owner, level, v, false);
        if (rc)
            return rc;
    }
    *installed = v;
    return 0;
}

void pte_release(const struct mm_env *e, unsigned int level, uint64_t installed)
{
    if (level >= 1 && level <= 4)
        release_refs(e, level, installed, false);
}

/* Checked update of one entry of a validated level-`level` table (Xen
 * mod_lN_entry()): new references first, then the write, then the old
 * entry's references, so a failure changes nothing. */
static int update_pt_entry(const struct mm_env *e, uint32_t pt_owner, uint32_t pg_owner,
                           unsigned int level, unsigned long table_mfn, unsigned int index,
                           uint64_t new_entry, bool preserve_ad)
{
    uint64_t v;
    int rc;

    if (!is_guest_slot(level, index))
        return -EINVAL;                       /* Xen: "L4 update in Xen-private area" */
    rc = pte_check(e, pt_owner, pg_owner, level, new_entry, &v);
    if (rc)
        return rc;

    uint64_t *t = e->map(e->ctx, table_mfn);
    uint64_t *p = &t[index];
    uint64_t old = ent_load(p);
    uint64_t ref_free = level == 1 ? L1_REF_FREE : PDE_REF_FREE;
    bool same_refs = (v & _PAGE_PRESENT) && !((old ^ v) & ~ref_free);

    if ((v & _PAGE_PRESENT) && !same_refs)
        rc = acquire_refs(e, pt_owner, pg_owner, level, v, false);
    if (!rc) {
        old = ent_write(p, v, preserve_ad);
        if (!same_refs)
            release_refs(e, level, old, false);
    }
    e->unmap(e->ctx, t);
    return rc;
}

/* A frame that is not a page table in use: the entry is just data. */
static void plain_write(const struct mm_env *e, unsigned long mfn, unsigned int index, uint64_t val)
{
    uint64_t *t = e->map(e->ctx, mfn);
    __atomic_store_n(&t[index], val, __ATOMIC_SEQ_CST);
    e->unmap(e->ctx, t);
}

int mod_entry(const struct mm_env *e, uint32_t pt_owner, uint32_t pg_owner,
              unsigned long table_mfn, unsigned int index, uint64_t new_entry,
              bool preserve_ad)
{
    int rc;

    if (index >= PTE_ENTRIES)
        return -EINVAL;
    /* Xen do_mmu_update(): the table must be a page of pt_owner. */
    if (get_page(e, table_mfn, pt_owner))
        return -EINVAL;

    uint64_t x = frame(e, table_mfn)->type_info;
    if ((x & PGT_count_mask) && (x & PGT_validated)) {
        uint64_t type = type_of(x);
        if (is_pt_type(type)) {
            rc = update_pt_entry(e, pt_owner, pg_owner, pt_level(type), table_mfn, index,
                                 new_entry, preserve_ad);
        } else if (type == PGT_writable_page) {
            plain_write(e, table_mfn, index, new_entry);
            rc = 0;
        } else {
            rc = -EINVAL;                     /* descriptor frame: set_gdt's business */
        }
    } else if (get_type(e, table_mfn, PGT_writable_page) == 0) {
        /* Unused table or fresh frame: Xen writes it as a writable page, which
         * is only possible if it could be mapped writable right now. */
        plain_write(e, table_mfn, index, new_entry);
        put_type(e, table_mfn, false);
        rc = 0;
    } else {
        rc = -EINVAL;
    }
    put_page(e, table_mfn);
    return rc;
}

int ptwr_emulated_update(const struct mm_env *e, uint32_t domid, unsigned long l1_mfn,
                         unsigned int index, uint64_t new_entry, uint64_t old_expected,
                         bool is_cmpxchg, uint64_t *seen)
{
    uint64_t v, old;
    int rc;

    if (index >= PTE_ENTRIES)
        return -EINVAL;
    if (get_page(e, l1_mfn, domid))
        return -EINVAL;
    uint64_t x = frame(e, l1_mfn)->type_info;
    if (!(x & PGT_count_mask) || !(x & PGT_validated) || type_of(x) != PGT_l1_page_table) {
        put_page(e, l1_mfn);
        return -EINVAL;
    }

    /* Xen ptwr_emulated_update(): no fast path, always get new / put old. */
    rc = pte_acquire(e, domid, domid, 1, new_entry, &v);
    if (rc) {
        put_page(e, l1_mfn);
        return rc;
    }

    uint64_t *t = e->map(e->ctx, l1_mfn);
    if (is_cmpxchg) {
        old = old_expected;
        if (!__atomic_compare_exchange_n(&t[index], &old, v, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            /* X86EMUL_CMPXCHG_FAILED: the emulator reports `old` in rAX;
             * undo so the failed attempt leaves no trace, type included. */
            release_refs(e, 1, v, true);
            rc = -EAGAIN;
        }
    } else {
        old = __atomic_exchange_n(&t[index], v, __ATOMIC_SEQ_CST);
    }
    e->unmap(e->ctx, t);

    if (seen)
        *seen = old;
    if (!rc)
        release_refs(e, 1, old, false);
    put_page(e, l1_mfn);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Pinning and queries                                                  */

int pin_table(const struct mm_env *e, uint32_t domid, unsigned long mfn, unsigned int level)
{
    int rc;

    if (level < 1 || level > 4)
        return -EINVAL;
    rc = get_page_and_type(e, mfn, domid, PGT_pt_type(level));
    if (rc)
        return rc;
    struct page_info *pg = frame(e, mfn);
    if (pg->type_info & PGT_pinned) {
        /* Xen: "already pinned" is -EINVAL, the extra references go back. */
        put_page_and_type(e, mfn);
        return -EINVAL;
    }
    pg->type_info |= PGT_pinned;
    return 0;
}

int unpin_table(const struct mm_env *e, uint32_t domid, unsigned long mfn)
{
    if (mfn >= e->nr_frames)
        return -EINVAL;
    struct page_info *pg = frame(e, mfn);
    /* No temporary reference here: a released frame (which takes none) must
     * still be unpinnable, and the pin's own reference keeps it alive. */
    if (pg->owner != domid || (pg->count_info & (PGC_free | PGC_reserved)) ||
        !(pg->type_info & PGT_pinned))
        return -EINVAL;
    pg->type_info &= ~PGT_pinned;
    put_page_and_type(e, mfn);       /* a released frame is freed here if that was the last */
    return 0;
}

unsigned int page_pt_level(const struct mm_env *e, unsigned long mfn)
{
    if (mfn >= e->nr_frames)
        return 0;
    uint64_t x = frame(e, mfn)->type_info;
    if (!(x & PGT_count_mask) || !(x & PGT_validated) || !is_pt_type(type_of(x)))
        return 0;
    return pt_level(type_of(x));
}

int page_release(const struct mm_env *e, unsigned long mfn, uint32_t domid)
{
    if (mfn >= e->nr_frames)
        return -EINVAL;
    struct page_info *pg = frame(e, mfn);
    if (pg->owner != domid || (pg->count_info & (PGC_free | PGC_reserved | PGC_released)))
        return -EINVAL;
    if (!(pg->count_info & PGC_count_mask))
        return 0;
    pg->count_info |= PGC_released;
    return 1;
}
