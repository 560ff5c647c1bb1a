/* SPDX-License-Identifier: MIT */
#ifndef XENO_XMALLOC_H
#define XENO_XMALLOC_H

/*
 * Small-object heap for hypervisor objects, layered on a page provider.
 *
 * Small requests (up to HEAP_SLAB_MAX bytes, when a size class satisfies the
 * alignment) come from size-class slabs: single provider pages that start
 * with a 64-byte header (magic, owning heap, class, allocation bitmap) and
 * pack their objects against the end of the page. A pointer's header is
 * found by rounding it down to the page, and the bitmap lets heap_free()
 * recognise double frees and pointers that are not object starts.
 * Larger or over-aligned requests get a whole power-of-two block of pages
 * with a header at its start; the data begins at the first suitably
 * aligned offset after it (for align == PAGE_SIZE, on the second page).
 *
 * Every pointer returned is at least HEAP_MIN_ALIGN aligned.
 *
 * A slab page that becomes empty is returned to the provider, except that
 * each size class keeps one empty "spare" page so that alloc/free of a
 * single object does not bounce pages to and from the provider.
 *
 * Locking: none inside. The caller serialises all calls on one struct heap
 * (the hypervisor wrappers take a spinlock); page provider callbacks are
 * invoked with that lock held.
 */

#include "xeno/types.h"
#include "xeno/list.h"

/*
 * Page provider. alloc_pages returns a PAGE_SIZE-aligned virtual address of
 * 2^order contiguous mapped pages, or NULL; free_pages takes back exactly
 * such a block with the same order. ctx is passed through untouched.
 */
struct heap_pages_ops {
    void *(*alloc_pages)(void *ctx, unsigned int order);
    void (*free_pages)(void *ctx, void *va, unsigned int order);
    void *ctx;
};

#define HEAP_MIN_ALIGN   16      /* every object is aligned to at least this */
#define HEAP_SLAB_MAX    2016    /* largest slab size class, two per page */
#define HEAP_NR_CLASSES  24      /* number of slab size classes */

struct heap_slab;   /* private: the header at the start of a slab page */

/* Per size class: slabs with free room, full slabs, and the empty spare. */
struct heap_class {
    struct list_head partial;
    struct list_head full;
    struct heap_slab *spare;
};

/* Embeddable heap state; treat the fields as private. */
struct heap {
    struct heap_pages_ops ops;
    struct heap_class cls[HEAP_NR_CLASSES];
    struct list_head large;     /* whole-page allocations, for heap_check() */
    size_t used_bytes;
    unsigned long pages;        /* provider pages currently held */
};

/* Initialise an empty heap drawing pages from *ops (copied). */
void heap_init(struct heap *h, const struct heap_pages_ops *ops);

/*
 * Allocate `size` bytes aligned to `align` (a power of two <= PAGE_SIZE;
 * 0 means HEAP_MIN_ALIGN). Returns NULL for size 0, a bad alignment, a size
 * too large to represent, or when the provider has no pages.
 */
void *heap_alloc(struct heap *h, size_t size, size_t align);

/* heap_alloc() then zero the `size` bytes. */
void *heap_zalloc(struct heap *h, size_t size, size_t align);

/*
 * Free a pointer returned by heap_alloc/heap_zalloc on this heap. NULL is a
 * no-op returning 0. Returns -EINVAL, changing nothing, for a double free,
 * a pointer into the middle of an object, a pointer belonging to another
 * heap, or one whose page does not carry a heap header.
 * Detection is best effort: the header of the pointer's page (or, for a
 * page-aligned pointer, of the page before it) is read, so a wild pointer
 * into unmapped memory still faults, and a pointer into memory already
 * returned to the provider is caught only while that memory still holds
 * the cleared header.
 */
int heap_free(struct heap *h, void *p);

/* Bytes currently handed out: slab objects counted at their size class,
 * large allocations at their requested size. */
size_t heap_used_bytes(const struct heap *h);

/* Provider pages currently held (slabs, spares and large blocks). */
unsigned long heap_pages_held(const struct heap *h);

/* Give every spare slab page back to the provider (e.g. under memory
 * pressure, or before tearing the heap down). Returns pages released. */
unsigned long heap_trim(struct heap *h);

/*
 * Consistency check of every slab and large block: headers, magic, owning
 * heap, list placement versus fill level, bitmaps versus free counts, and
 * the used-bytes and page counters.
 * Returns 0 if consistent, -EINVAL otherwise.
 */
int heap_check(const struct heap *h);

#endif
