/* SPDX-License-Identifier: MIT */
#ifndef XENO_PAGE_H
#define XENO_PAGE_H

/*
 * Machine frame descriptor.
 *
 * The hypervisor keeps one struct page_info per machine frame in the frame
 * table, an array indexed by MFN. The buddy allocator (xeno/buddy.h) owns
 * the PGC_free/PGC_free_head/PGC_reserved state; the PV MMU will add Xen's
 * reference-count and type-count semantics in the remaining bits.
 *
 * Locking: the descriptor has no lock of its own. Free-state fields are
 * protected by the allocator's lock; owner/count/type by whoever owns the
 * frame (the PV MMU will update count_info/type_info atomically).
 */

#include "xeno/types.h"
#include "xeno/list.h"

/*
 * count_info layout (64 bits):
 *   bits 63..56  PGC_* state flags (4 defined here, 59..56 left for the PV
 *                MMU, e.g. PGC_allocated / PGC_page_table)
 *   bits 55..0   general reference count (PGC_count_mask); the allocator
 *                never takes references, and refuses to free a frame whose
 *                count is not zero
 */
#define PGC_FLAGS_SHIFT 56
#define PGC_count_mask  ((UINT64_C(1) << PGC_FLAGS_SHIFT) - 1)
#define PGC_flags_mask  (~PGC_count_mask)

/* Frame belongs to a free buddy block (set on every frame of the block, so
 * a free of any frame inside a free block is recognised as a double free). */
#define PGC_free        (UINT64_C(1) << 63)
/* First frame of a free block: `order` is valid and `list` is on a free list. */
#define PGC_free_head   (UINT64_C(1) << 62)
/* Not allocatable: a hole, MMIO, firmware or boot-time-claimed frame that
 * was never handed to the allocator. */
#define PGC_reserved    (UINT64_C(1) << 61)
/* Allocated to the hypervisor's own heap (set and cleared by the heap). */
#define PGC_xen_heap    (UINT64_C(1) << 60)

/*
 * type_info (64 bits) belongs to the PV MMU (PGT_* type in the top bits,
 * type count below, as in Xen). The allocator zeroes it on alloc and free.
 */

/*
 * Owner sentinels for page_info.owner. They lie above the 16-bit domid_t
 * range, so they can never collide with a real domain id nor with the
 * public DOMID_* values (0x7ff0..0x7fff), which may also be stored here.
 */
#define PAGE_OWNER_NONE 0xffffffffu   /* free, reserved, or not yet assigned */
#define PAGE_OWNER_XEN  0xfffffffeu   /* hypervisor-private memory */

struct page_info {
    struct list_head list;   /* buddy free list when PGC_free_head, else the owner's page list */
    uint64_t count_info;     /* PGC_* flags | reference count, see above */
    uint64_t type_info;      /* PGT_* type | type count (PV MMU) */
    uint32_t owner;          /* domid, DOMID_* or PAGE_OWNER_* */
    uint8_t  order;          /* block order, valid when PGC_free_head */
    uint8_t  _rsvd[3];       /* free for PV MMU bookkeeping; keeps the size explicit */
};

/* The frame table costs sizeof(page_info)/PAGE_SIZE of RAM (~1%): keep it small. */
_Static_assert(sizeof(struct page_info) <= 48, "struct page_info grew past 48 bytes");

#endif
