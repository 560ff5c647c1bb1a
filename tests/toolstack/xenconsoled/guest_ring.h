/* SPDX-License-Identifier: MIT */
/*
 * The guest's side of the console page for the pretend guests
 * (fake_guest.c hosted, dom0_guest.c in dom0): produce into 'out',
 * consume from 'in', with the ordering a real frontend uses (index read
 * before data, data written before the index is published).
 */
#ifndef XCD_TEST_GUEST_RING_H
#define XCD_TEST_GUEST_RING_H

#include <stddef.h>
#include <xen/io/console.h>

/* Up to len bytes into the out ring: how many fitted. */
static inline size_t guest_produce(struct xencons_interface *c, const char *p, size_t len)
{
    XENCONS_RING_IDX cons = __atomic_load_n(&c->out_cons, __ATOMIC_ACQUIRE), prod = c->out_prod;
    size_t n = 0;
    while (n < len && prod - cons < sizeof(c->out))
        c->out[MASK_XENCONS_IDX(prod++, c->out)] = p[n++];
    __atomic_store_n(&c->out_prod, prod, __ATOMIC_RELEASE);
    return n;
}

/* Append what waits in the in ring to buf (NUL-terminated, *len bytes of size). */
static inline void guest_consume(struct xencons_interface *c, char *buf, size_t *len, size_t size)
{
    XENCONS_RING_IDX prod = __atomic_load_n(&c->in_prod, __ATOMIC_ACQUIRE), cons = c->in_cons;
    while (cons != prod && *len < size - 1)
        buf[(*len)++] = c->in[MASK_XENCONS_IDX(cons++, c->in)];
    __atomic_store_n(&c->in_cons, cons, __ATOMIC_RELEASE);
    buf[*len] = 0;
}

#endif
