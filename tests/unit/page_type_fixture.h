/* SPDX-License-Identifier: MIT */
#ifndef XENO_TEST_PAGE_TYPE_FIXTURE_H
#define XENO_TEST_PAGE_TYPE_FIXTURE_H

/*
 * A fake machine for the PV MMU rules (hypervisor/mm/page_type.c): FAKE_NF
 * frames of memory (512 entries each), their frame table, two guests and
 * the mm_env callbacks, with counters the tests assert on.
 *
 * Layout (MFN ranges):
 *   0 .. 15        PGC_reserved, owner Xen: I/O frames; DOM_A may map 8..15
 *   16 .. 271      DOM_A (I/O capable, may use cache attributes)
 *   272 .. 399     DOM_B (plain guest)
 *   400            DOM_A, PGC_xen_heap (a hypervisor page shared with DOM_A)
 *   401 .. 511     free
 *   512 ..         outside the frame table: MMIO; DOM_A may map 512 .. 575
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xeno/errno.h"
#include "xeno/page_type.h"
#include "xen/xen.h"

#define FAKE_NF     512UL
#define DOM_A       1u
#define DOM_B       2u
#define DOM_C       3u            /* owns nothing */
#define A_FIRST     16UL
#define B_FIRST     272UL
#define XENHEAP_MFN 400UL
#define FREE_FIRST  401UL

/* What the fake init_xen_l4_slots() writes: recognisable, not refcounted. */
#define XEN_SLOT_VAL(i) ((((uint64_t)0x80000 + (i)) << 12) | _PAGE_PRESENT | _PAGE_RW)

struct fake_machine {
    uint64_t (*mem)[PTE_ENTRIES];
    struct page_info frames[FAKE_NF];
    struct mm_env env;
    int maps;                       /* map() minus unmap(): must end at 0 */
    unsigned int flushes;
    unsigned long last_flush;
    unsigned int frees;
    unsigned long last_free;
    unsigned int warns;
    const char *last_warn;
    unsigned int l4_fills;
    int seg_desc_rc;
};

static struct fake_machine fm;

static inline uint64_t *fake_map(void *ctx, unsigned long mfn)
{
    (void)ctx;
    if (mfn >= FAKE_NF)
        abort();                    /* the rules must never map an I/O frame */
    fm.maps++;
    return fm.mem[mfn];
}

static inline void fake_unmap(void *ctx, uint64_t *va)
{
    (void)ctx;
    (void)va;
    fm.maps--;
}

static inline bool fake_iomem_allowed(void *ctx, uint32_t domid, unsigned long mfn)
{
    (void)ctx;
    return domid == DOM_A && ((mfn >= 8 && mfn < 16) || (mfn >= FAKE_NF && mfn < FAKE_NF + 64));
}

static inline bool fake_cache_attrs_allowed(void *ctx, uint32_t domid)
{
    (void)ctx;
    return domid == DOM_A;
}

static inline void fake_init_xen_l4_slots(void *ctx, uint64_t *l4, unsigned long l4_mfn)
{
    (void)ctx;
    (void)l4_mfn;
    fm.l4_fills++;
    for (unsigned int i = L4_XEN_SLOT_FIRST; i <= L4_XEN_SLOT_LAST; i++)
        l4[i] = XEN_SLOT_VAL(i);
}

static inline int fake_check_seg_desc(void *ctx, const uint64_t *descs)
{
    (void)ctx;
    (void)descs;
    return fm.seg_desc_rc;
}

static inline void fake_flush(void *ctx, unsigned long mfn)
{
    (void)ctx;
    fm.flushes++;
    fm.last_flush = mfn;
}

static inline void fake_free(void *ctx, unsigned long mfn)
{
    (void)ctx;
    fm.frees++;
    fm.last_free = mfn;
}

static inline void fake_warn(void *ctx, const char *what, unsigned long mfn)
{
    (void)ctx;
    (void)mfn;
    fm.warns++;
    fm.last_warn = what;
}

static inline void fake_reset(void)
{
    free(fm.mem);
    memset(&fm, 0, sizeof(fm));
    fm.mem = calloc(FAKE_NF, sizeof(*fm.mem));
    for (unsigned long m = 0; m < FAKE_NF; m++) {
        struct page_info *pg = &fm.frames[m];
        if (m < A_FIRST) {
            pg->count_info = PGC_reserved;
            pg->owner = PAGE_OWNER_XEN;
        } else if (m < B_FIRST) {
            pg->owner = DOM_A;
        } else if (m < XENHEAP_MFN) {
            pg->owner = DOM_B;
        } else if (m == XENHEAP_MFN) {
            pg->owner = DOM_A;
            pg->count_info = PGC_xen_heap;
        } else {
            pg->count_info = PGC_free;
            pg->owner = PAGE_OWNER_NONE;
        }
    }
    fm.env = (struct mm_env){
        .frames = fm.frames,
        .nr_frames = FAKE_NF,
        .map = fake_map,
        .unmap = fake_unmap,
        .iomem_allowed = fake_iomem_allowed,
        .cache_attrs_allowed = fake_cache_attrs_allowed,
        .init_xen_l4_slots = fake_init_xen_l4_slots,
        .check_seg_desc = fake_check_seg_desc,
        .flush_tlbs = fake_flush,
        .free_frame = fake_free,
        .warn = fake_warn,
        .ctx = &fm,
    };
}

static inline void fake_teardown(void)
{
    free(fm.mem);
    fm.mem = NULL;
}

static inline uint64_t pte(unsigned long mfn, uint64_t flags)
{
    return ((uint64_t)mfn << 12) | flags;
}

static inline uint64_t gcount(unsigned long mfn) { return fm.frames[mfn].count_info & PGC_count_mask; }
static inline uint64_t tcount(unsigned long mfn) { return fm.frames[mfn].type_info & PGT_count_mask; }
static inline uint64_t ttype(unsigned long mfn) { return fm.frames[mfn].type_info & PGT_type_mask; }
static inline bool tvalid(unsigned long mfn) { return (fm.frames[mfn].type_info & PGT_validated) != 0; }
static inline bool tpinned(unsigned long mfn) { return (fm.frames[mfn].type_info & PGT_pinned) != 0; }

/* A copy of the frame table (byte for byte) and of the memory of frames
 * [lo, hi), to prove that a failed operation changed nothing. */
struct fake_snapshot {
    struct page_info frames[FAKE_NF];
    uint64_t (*mem)[PTE_ENTRIES];
    unsigned long lo, hi;
};

static inline void snap_take(struct fake_snapshot *s, unsigned long lo, unsigned long hi)
{
    memcpy(s->frames, fm.frames, sizeof(fm.frames));
    s->lo = lo;
    s->hi = hi;
    s->mem = malloc((hi - lo) * sizeof(*s->mem));
    memcpy(s->mem, fm.mem[lo], (hi - lo) * sizeof(*s->mem));
}

/* Every field but _rsvd[0], the PV MMU's scratch byte (page_type.c). */
static inline bool frame_same(const struct page_info *a, const struct page_info *b)
{
    return a->list.next == b->list.next && a->list.prev == b->list.prev &&
           a->count_info == b->count_info && a->type_info == b->type_info &&
           a->owner == b->owner && a->order == b->order &&
           a->_rsvd[1] == b->_rsvd[1] && a->_rsvd[2] == b->_rsvd[2];
}

/* Compare and free. */
static inline bool snap_same(struct fake_snapshot *s)
{
    bool same = memcmp(s->mem, fm.mem[s->lo], (s->hi - s->lo) * sizeof(*s->mem)) == 0;
    for (unsigned long m = 0; m < FAKE_NF; m++)
        same = same && frame_same(&s->frames[m], &fm.frames[m]);
    free(s->mem);
    s->mem = NULL;
    return same;
}

/* No reference of any kind left anywhere. */
static inline bool all_counts_zero(void)
{
    for (unsigned long m = 0; m < FAKE_NF; m++)
        if (gcount(m) || tcount(m) || tpinned(m))
            return false;
    return true;
}

#endif
