/* SPDX-License-Identifier: MIT */
/* The console page's byte rings: see ring.h. */
#include "ring.h"

#include <stdint.h>
#include <string.h>

#define IN_SIZE  sizeof(((struct xencons_interface *)0)->in)
#define OUT_SIZE sizeof(((struct xencons_interface *)0)->out)

_Static_assert((IN_SIZE & (IN_SIZE - 1)) == 0 && (OUT_SIZE & (OUT_SIZE - 1)) == 0,
               "console rings are powers of two (MASK_XENCONS_IDX)");

/* The guest changes these concurrently: one plain load each, no tearing. */
static XENCONS_RING_IDX idx_load(const XENCONS_RING_IDX *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void idx_store(XENCONS_RING_IDX *p, XENCONS_RING_IDX v)
{
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* Bytes from index i to the end of a ring of size n, capped by avail and want. */
static size_t chunk(XENCONS_RING_IDX i, size_t n, size_t avail, size_t want)
{
    size_t c = n - (i & (n - 1));
    if (c > avail)
        c = avail;
    return c < want ? c : want;
}

int xcd_ring_take_out(struct xencons_interface *intf, char *dst, size_t max)
{
    XENCONS_RING_IDX cons = idx_load(&intf->out_cons), prod = idx_load(&intf->out_prod);
    XENCONS_RING_IDX avail = prod - cons;
    if (avail > OUT_SIZE)
        return XCD_RING_BROKEN;
    /* Read the indexes before the data they announce (Xen: mb() after reading prod). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    size_t done = 0;
    while (done < max && avail) {
        size_t c = chunk(cons, OUT_SIZE, avail, max - done);
        memcpy(dst + done, intf->out + MASK_XENCONS_IDX(cons, intf->out), c);
        done += c;
        cons += (XENCONS_RING_IDX)c;
        avail -= (XENCONS_RING_IDX)c;
    }
    /* Finish reading the data before the guest may overwrite it. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    idx_store(&intf->out_cons, cons);
    return (int)done;
}

int xcd_ring_put_in(struct xencons_interface *intf, const char *src, size_t len)
{
    XENCONS_RING_IDX cons = idx_load(&intf->in_cons), prod = idx_load(&intf->in_prod);
    XENCONS_RING_IDX used = prod - cons;
    if (used > IN_SIZE)
        return XCD_RING_BROKEN;
    /* The guest's in_cons must be seen before we reuse the space it freed. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    size_t space = IN_SIZE - used, done = 0;
    while (done < len && space) {
        size_t c = chunk(prod, IN_SIZE, space, len - done);
        memcpy(intf->in + MASK_XENCONS_IDX(prod, intf->in), src + done, c);
        done += c;
        prod += (XENCONS_RING_IDX)c;
        space -= c;
    }
    /* The data must be visible before the index that publishes it (Xen: wmb()). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    idx_store(&intf->in_prod, prod);
    return (int)done;
}

size_t xcd_ring_in_space(const struct xencons_interface *intf)
{
    XENCONS_RING_IDX used = idx_load(&intf->in_prod) - idx_load(&intf->in_cons);
    return used > IN_SIZE ? 0 : IN_SIZE - used;
}

bool xcd_ring_out_pending(const struct xencons_interface *intf)
{
    return idx_load(&intf->out_prod) != idx_load(&intf->out_cons);
}
