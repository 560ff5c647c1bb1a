/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: the PV console page (MFN and event
 * channel in start_info.console.domU).  Two byte rings: 'in' carries
 * input to the guest, 'out' the guest's output.  The producer advances
 * *_prod after writing, the consumer *_cons after reading; indexes run
 * freely and are masked with the ring size.
 */
#ifndef XENO_PUBLIC_IO_CONSOLE_H
#define XENO_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

/* Backend -> frontend: will the rings be serviced?  Starts disconnected. */
#define XENCONSOLE_CONNECTED    0
#define XENCONSOLE_DISCONNECTED 1

struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
    /*
     * Added after the rings (older guests, e.g. Linux 6.1, stop at
     * out_prod, i.e. 3088 bytes); the offsets above are unchanged.
     */
    uint8_t connection;                 /* XENCONSOLE_* */
};

_Static_assert(__builtin_offsetof(struct xencons_interface, out) == 1024, "cons.out");
_Static_assert(__builtin_offsetof(struct xencons_interface, in_cons) == 3072, "cons.in_cons");
_Static_assert(__builtin_offsetof(struct xencons_interface, in_prod) == 3076, "cons.in_prod");
_Static_assert(__builtin_offsetof(struct xencons_interface, out_cons) == 3080, "cons.out_cons");
_Static_assert(__builtin_offsetof(struct xencons_interface, out_prod) == 3084, "cons.out_prod");
_Static_assert(__builtin_offsetof(struct xencons_interface, connection) == 3088, "cons.connection");
_Static_assert(sizeof(struct xencons_interface) == 3092, "xencons_interface");

#endif /* XENO_PUBLIC_IO_CONSOLE_H */
