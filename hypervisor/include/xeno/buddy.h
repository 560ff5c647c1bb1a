/* SPDX-License-Identifier: MIT */
#ifndef XENO_BUDDY_H
#define XENO_BUDDY_H

/*
 * Binary buddy allocator for machine frames.
 *
 * Hands out naturally aligned blocks of 2^order frames, order 0 ..
 * BUDDY_MAX_ORDER. State lives in the frame table (struct page_info, see
 * xeno/page.h) plus one free list per order in struct buddy, so several
 * independent instances can coexist (tests, memory zones).
 *
 * Frame states, as kept in page_info.count_info:
 *   PGC_reserved           never handed to the allocator; cannot be freed
 *   PGC_free               inside a free block (PGC_free_head on its first
 *                          frame, whose `order` gives the block size)
 *   neither                allocated
 *
 * On alloc every frame of the block gets count_info = 0, type_info = 0,
 * owner = PAGE_OWNER_NONE; the caller then claims it.
 *
 * Locking: none inside. The caller holds one lock (a spinlock in the
 * hypervisor) around every call on a given struct buddy, including
 * buddy_check() and buddy_free_pages() if it needs an exact value.
 */

#include "xeno/types.h"
#include "xeno/list.h"
#include "xeno/page.h"

#define BUDDY_MAX_ORDER 18   /* largest block: 2^18 frames = 1 GiB */

struct buddy {
    struct page_info *frames;   /* frame table base, index = mfn */
    unsigned long nr_frames;    /* frames described by `frames` */
    struct list_head free[BUDDY_MAX_ORDER + 1];   /* free block heads per order */
    unsigned long free_pages;   /* frames currently free */
    unsigned long total_pages;  /* frames ever handed over by buddy_free_range() */
};

/*
 * Set up `b` over the frame table `frames[0 .. nr_frames)`. Every frame
 * descriptor is (re)initialised as reserved and unowned, so nothing is
 * allocatable until buddy_free_range() donates RAM.
 */
void buddy_init(struct buddy *b, struct page_info *frames, unsigned long nr_frames);

/*
 * Donate the frames [first_mfn, first_mfn + nr) to the allocator (boot
 * time, one call per RAM range). The range is split into maximal naturally
 * aligned blocks, which also coalesce with adjacent ranges donated earlier.
 * nr == 0 is a no-op.
 * Returns 0, or -EINVAL (nothing changed) if the range runs past nr_frames
 * or any frame in it is not reserved (e.g. the same RAM donated twice, as
 * happens with overlapping firmware memory-map entries the caller did not
 * sanitise).
 */
int buddy_free_range(struct buddy *b, unsigned long first_mfn, unsigned long nr);

/*
 * Allocate 2^order frames, naturally aligned, from the smallest free block
 * order that fits. When a larger block has to be split, its top end is
 * handed out, which keeps low memory available for buddy_alloc_below().
 * Returns the first MFN (>= 0), -ENOMEM if no block is large enough, or
 * -EINVAL if order > BUDDY_MAX_ORDER.
 */
long buddy_alloc(struct buddy *b, unsigned int order);

/*
 * Like buddy_alloc(), but the whole block lies below limit_mfn
 * (first + 2^order <= limit_mfn): DMA32 buffers, the AP boot trampoline.
 * Searches free lists linearly, so it is meant for rare allocations.
 * Returns the first MFN, -ENOMEM, or -EINVAL for a bad order.
 */
long buddy_alloc_below(struct buddy *b, unsigned int order, unsigned long limit_mfn);

/*
 * Return the 2^order frames starting at mfn. A block may be freed in
 * smaller aligned pieces than it was allocated in.
 * Returns 0, or -EINVAL without touching any state if order is too big,
 * mfn is not 2^order-aligned, the block runs past nr_frames, or any frame
 * in it is free already (double free), reserved, or still has a non-zero
 * reference count in count_info.
 */
int buddy_free(struct buddy *b, unsigned long mfn, unsigned int order);

/* Frames currently free. */
unsigned long buddy_free_pages(const struct buddy *b);

/*
 * Full consistency check, O(nr_frames): every listed block is a correctly
 * flagged, aligned, in-range head of the list's order; blocks do not overlap
 * and account for every PGC_free frame; no two free buddies of equal order
 * were left unmerged; free_pages and total_pages match the frame table;
 * list links are coherent.
 * Returns 0 if consistent, -EINVAL otherwise.
 */
int buddy_check(const struct buddy *b);

#endif
