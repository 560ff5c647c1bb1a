/* SPDX-License-Identifier: MIT */
/*
 * The shared xenstore page (xs_wire.h struct xenstore_domain_interface):
 * two 1024-byte rings with free-running indexes masked by the ring size.
 * The guest produces requests (req_prod) and consumes replies (rsp_cons);
 * xenstored the reverse.  Indexes are read once, checked (a producer can
 * never be more than a ring ahead of its consumer) and only then used, with
 * barriers between index and data accesses, as Xen's readchn/writechn.
 */
#include "core.h"

#include <string.h>

static inline uint32_t load_idx(const volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void store_idx(volatile uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline bool indexes_ok(uint32_t cons, uint32_t prod)
{
    return prod - cons <= XENSTORE_RING_SIZE;
}

int xs_ring_read(struct xenstore_domain_interface *intf, void *buf, size_t len)
{
    uint32_t cons = load_idx(&intf->req_cons), prod = load_idx(&intf->req_prod);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!indexes_ok(cons, prod))
        return -1;
    size_t chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
    if (prod - cons < chunk)
        chunk = prod - cons;
    if (len > chunk)
        len = chunk;
    memcpy(buf, intf->req + MASK_XENSTORE_IDX(cons), len);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    store_idx(&intf->req_cons, cons + (uint32_t)len);
    return (int)len;
}

int xs_ring_write(struct xenstore_domain_interface *intf, const void *buf, size_t len)
{
    uint32_t cons = load_idx(&intf->rsp_cons), prod = load_idx(&intf->rsp_prod);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!indexes_ok(cons, prod))
        return -1;
    size_t chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
    size_t space = XENSTORE_RING_SIZE - (prod - cons);
    if (space < chunk)
        chunk = space;
    if (len > chunk)
        len = chunk;
    memcpy(intf->rsp + MASK_XENSTORE_IDX(prod), buf, len);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    store_idx(&intf->rsp_prod, prod + (uint32_t)len);
    return (int)len;
}

bool xs_ring_has_input(const struct xenstore_domain_interface *intf)
{
    return load_idx(&intf->req_cons) != load_idx(&intf->req_prod);
}

bool xs_ring_has_space(const struct xenstore_domain_interface *intf)
{
    return load_idx(&intf->rsp_prod) - load_idx(&intf->rsp_cons) != XENSTORE_RING_SIZE;
}
