/* SPDX-License-Identifier: MIT */
/*
 * Binary buddy allocator over the frame table. See xeno/buddy.h for the
 * contract. Pure logic: no locking, no hardware access.
 */
#include "xeno/buddy.h"
#include "xeno/errno.h"

/* Frame-state bits this allocator owns; everything else it resets. */
#define STATE_BITS (PGC_free | PGC_free_head | PGC_reserved)

static inline unsigned long order_frames(unsigned int order)
{
    return 1UL << order;
}

static inline unsigned long pg_mfn(const struct buddy *b, const struct page_info *pg)
{
    return (unsigned long)(pg - b->frames);
}

/* Reset descriptors to "inside a free block": a stale owner or type must
 * not survive into the next allocation. */
static void mark_free(struct buddy *b, unsigned long mfn, unsigned long n)
{
    for (unsigned long i = mfn; i < mfn + n; i++) {
        struct page_info *pg = &b->frames[i];
        pg->count_info = PGC_free;
        pg->type_info = 0;
        pg->owner = PAGE_OWNER_NONE;
        pg->order = 0;
    }
}

static void mark_allocated(struct buddy *b, unsigned long mfn, unsigned long n)
{
    for (unsigned long i = mfn; i < mfn + n; i++) {
        struct page_info *pg = &b->frames[i];
        pg->count_info = 0;
        pg->type_info = 0;
        pg->owner = PAGE_OWNER_NONE;
        pg->order = 0;
    }
}

/* Make the (already PGC_free) frames at mfn a listed block of `order`. */
static void push_block(struct buddy *b, unsigned long mfn, unsigned int order)
{
    struct page_info *pg = &b->frames[mfn];

    pg->count_info |= PGC_free_head;
    pg->order = order;
    list_add(&pg->list, &b->free[order]);
}

static void pop_block(struct page_info *pg)
{
    list_del(&pg->list);
    pg->count_info &= ~PGC_free_head;
}

/*
 * Insert a block whose frames are already marked PGC_free, merging upwards
 * while its buddy is a free block of the same order. Only a listed head of
 * the same order counts: a buddy that is free but split (or part of a larger
 * block that cannot be) must not be swallowed.
 */
static void insert_and_merge(struct buddy *b, unsigned long mfn, unsigned int order)
{
    while (order < BUDDY_MAX_ORDER) {
        unsigned long buddy = mfn ^ order_frames(order);
        struct page_info *bp;

        /* A free block never extends past nr_frames, so checking the head suffices. */
        if (buddy >= b->nr_frames)
            break;
        bp = &b->frames[buddy];
        if (!(bp->count_info & PGC_free_head) || bp->order != order)
            break;
        pop_block(bp);
        mfn &= ~order_frames(order);
        order++;
    }
    push_block(b, mfn, order);
}

/*
 * Take the free block headed by pg (of order k) and carve a 2^order piece
 * from its low or high end, returning the remainders to the free lists.
 */
static long take_block(struct buddy *b, struct page_info *pg, unsigned int k,
                       unsigned int order, bool low_end)
{
    unsigned long mfn = pg_mfn(b, pg);

    pop_block(pg);
    while (k > order) {
        k--;
        if (low_end) {
            push_block(b, mfn + order_frames(k), k);
        } else {
            push_block(b, mfn, k);
            mfn += order_frames(k);
        }
    }
    mark_allocated(b, mfn, order_frames(order));
    b->free_pages -= order_frames(order);
    return (long)mfn;
}

void buddy_init(struct buddy *b, struct page_info *frames, unsigned long nr_frames)
{
    b->frames = frames;
    b->nr_frames = nr_frames;
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        list_init(&b->free[o]);
    b->free_pages = 0;
    b->total_pages = 0;
    for (unsigned long i = 0; i < nr_frames; i++) {
        struct page_info *pg = &frames[i];
        list_init(&pg->list);
        pg->count_info = PGC_reserved;
        pg->type_info = 0;
        pg->owner = PAGE_OWNER_NONE;
        pg->order = 0;
        pg->_rsvd[0] = pg->_rsvd[1] = pg->_rsvd[2] = 0;
    }
}

/* Validate [mfn, mfn+n) lies inside the frame table without overflowing. */
static bool range_ok(const struct buddy *b, unsigned long mfn, unsigned long n)
{
    return mfn < b->nr_frames && n <= b->nr_frames - mfn;
}

int buddy_free_range(struct buddy *b, unsigned long first_mfn, unsigned long nr)
{
    unsigned long end, mfn;

    if (nr == 0)
        return 0;
    if (!range_ok(b, first_mfn, nr))
        return -EINVAL;
    end = first_mfn + nr;
    /* Validate everything first: a refused call must leave no trace. */
    for (mfn = first_mfn; mfn < end; mfn++)
        if ((b->frames[mfn].count_info & STATE_BITS) != PGC_reserved)
            return -EINVAL;

    mark_free(b, first_mfn, nr);
    b->total_pages += nr;
    b->free_pages += nr;

    for (mfn = first_mfn; mfn < end; ) {
        unsigned int o = 0;

        /* Grow while the next order is still aligned and inside the range. */
        while (o < BUDDY_MAX_ORDER &&
               (mfn & (order_frames(o + 1) - 1)) == 0 &&
               order_frames(o + 1) <= end - mfn)
            o++;
        insert_and_merge(b, mfn, o);
        mfn += order_frames(o);
    }
    return 0;
}

long buddy_alloc(struct buddy *b, unsigned int order)
{
    if (order > BUDDY_MAX_ORDER)
        return -EINVAL;
    for (unsigned int k = order; k <= BUDDY_MAX_ORDER; k++) {
        if (!list_empty(&b->free[k]))
            return take_block(b, list_first_entry(&b->free[k], struct page_info, list),
                              k, order, false);
    }
    return -ENOMEM;
}

long buddy_alloc_below(struct buddy *b, unsigned int order, unsigned long limit_mfn)
{
    if (order > BUDDY_MAX_ORDER)
        return -EINVAL;
    /* Smallest orders first, to avoid splitting big blocks needlessly; the
     * low end of a block is taken, so a block only has to start low enough. */
    for (unsigned int k = order; k <= BUDDY_MAX_ORDER; k++) {
        struct page_info *pg;

        list_for_each_entry(pg, &b->free[k], list) {
            unsigned long mfn = pg_mfn(b, pg);

            if (mfn < limit_mfn && order_frames(order) <= limit_mfn - mfn)
                return take_block(b, pg, k, order, true);
        }
    }
    return -ENOMEM;
}

int buddy_free(struct buddy *b, unsigned long mfn, unsigned int order)
{
    unsigned long n;

    if (order > BUDDY_MAX_ORDER)
        return -EINVAL;
    n = order_frames(order);
    if ((mfn & (n - 1)) || !range_ok(b, mfn, n))
        return -EINVAL;
    for (unsigned long i = mfn; i < mfn + n; i++) {
        uint64_t ci = b->frames[i].count_info;

        if ((ci & (PGC_free | PGC_reserved)) || (ci & PGC_count_mask))
            return -EINVAL;
    }

    mark_free(b, mfn, n);
    b->free_pages += n;
    insert_and_merge(b, mfn, order);
    return 0;
}

unsigned long buddy_free_pages(const struct buddy *b)
{
    return b->free_pages;
}

/* Check one listed block; returns its size in frames, or 0 if it is bad. */
static unsigned long check_block(const struct buddy *b, const struct page_info *pg,
                                 unsigned int order)
{
    unsigned long mfn, n, buddy;

    if (pg < b->frames || pg >= b->frames + b->nr_frames)
        return 0;
    mfn = pg_mfn(b, pg);
    n = order_frames(order);
    if ((mfn & (n - 1)) || !range_ok(b, mfn, n))
        return 0;
    if ((pg->count_info & STATE_BITS) != (PGC_free | PGC_free_head) || pg->order != order)
        return 0;
    /* Interior frames free but not heads: this is what rules out overlap. */
    for (unsigned long i = mfn + 1; i < mfn + n; i++)
        if ((b->frames[i].count_info & STATE_BITS) != PGC_free)
            return 0;
    if (order < BUDDY_MAX_ORDER) {
        buddy = mfn ^ n;
        if (buddy < b->nr_frames &&
            (b->frames[buddy].count_info & PGC_free_head) &&
            b->frames[buddy].order == order)
            return 0;
    }
    return n;
}

int buddy_check(const struct buddy *b)
{
    unsigned long listed_frames = 0, listed_heads = 0;
    unsigned long free_frames = 0, heads = 0, ram = 0;

    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        const struct list_head *head = &b->free[o], *e;
        unsigned long steps = 0;

        for (e = head->next; e != head; e = e->next) {
            unsigned long n;

            /* A corrupted list could cycle without reaching the sentinel. */
            if (++steps > b->nr_frames || e->next->prev != e)
                return -EINVAL;
            n = check_block(b, list_entry(e, const struct page_info, list), o);
            if (!n)
                return -EINVAL;
            listed_frames += n;
            listed_heads++;
        }
        if (head->next->prev != head)
            return -EINVAL;
    }

    for (unsigned long i = 0; i < b->nr_frames; i++) {
        uint64_t ci = b->frames[i].count_info;

        if ((ci & PGC_reserved) && (ci & (PGC_free | PGC_free_head)))
            return -EINVAL;
        if ((ci & PGC_free_head) && !(ci & PGC_free))
            return -EINVAL;
        if ((ci & PGC_free) && (ci & PGC_count_mask))
            return -EINVAL;
        free_frames += !!(ci & PGC_free);
        heads += !!(ci & PGC_free_head);
        ram += !(ci & PGC_reserved);
    }

    /* Every flagged head is listed, and listed blocks cover all free frames. */
    if (heads != listed_heads || free_frames != listed_frames)
        return -EINVAL;
    if (free_frames != b->free_pages || ram != b->total_pages)
        return -EINVAL;
    return 0;
}
