/* SPDX-License-Identifier: MIT */
#ifndef XENO_RANGESET_H
#define XENO_RANGESET_H

/*
 * A small set of inclusive [first, last] ranges of 64-bit numbers (I/O
 * memory frames, I/O ports, IRQs a domain may use), like Xen's rangeset
 * but with a fixed capacity so it lives inside struct domain and needs no
 * allocation.  Ranges are kept sorted, disjoint and non-adjacent (merged).
 * Pure: no locking inside; the caller serialises (the domctl lock).
 * Every call either completes or leaves the set unchanged.
 */
#include "xeno/types.h"

#define RANGESET_MAX 16

struct rangeset {
    unsigned int nr;
    struct { uint64_t first, last; } r[RANGESET_MAX];
};

/* Empty the set. */
void rangeset_init(struct rangeset *s);
/* Add [first, last]: 0, -EINVAL (first > last), -ENOMEM (no room). */
int rangeset_add(struct rangeset *s, uint64_t first, uint64_t last);
/* Remove [first, last] (parts not in the set are ignored): 0, -EINVAL,
 * -ENOMEM (splitting a range would need a slot there is not). */
int rangeset_remove(struct rangeset *s, uint64_t first, uint64_t last);
/* Is every number of [first, last] in the set? */
bool rangeset_contains(const struct rangeset *s, uint64_t first, uint64_t last);

#endif
