/* SPDX-License-Identifier: MIT */
/*
 * The PV console page (xen/io/console.h, struct xencons_interface): the
 * guest produces into 'out' (out_prod) and the backend consumes (out_cons);
 * the backend produces into 'in' (in_prod) and the guest consumes.
 * Indexes run freely (uint32 wrap-around is normal) and are masked with the
 * ring size.  The guest owns the page too, so every index is read once and
 * checked before use: a producer more than a ring ahead of its consumer
 * means a broken or hostile guest, and the ring is then left alone.
 *
 * Pure code (no OS calls): unit-tested hosted.
 */
#ifndef XCD_RING_H
#define XCD_RING_H

#include <stdbool.h>
#include <stddef.h>

#include <xen/io/console.h>

#define XCD_RING_BROKEN (-1)

/*
 * Copy up to max bytes of the guest's output into dst and advance out_cons.
 * Returns the count (0: nothing pending) or XCD_RING_BROKEN.
 */
int xcd_ring_take_out(struct xencons_interface *intf, char *dst, size_t max);
/*
 * Copy up to len bytes of input into the in ring and advance in_prod.
 * Returns the count (0: ring full) or XCD_RING_BROKEN.
 */
int xcd_ring_put_in(struct xencons_interface *intf, const char *src, size_t len);
/* Free bytes in the in ring (0 when full or broken). */
size_t xcd_ring_in_space(const struct xencons_interface *intf);
/* Output waiting in the out ring (true also when broken: the caller finds out). */
bool xcd_ring_out_pending(const struct xencons_interface *intf);

#endif
