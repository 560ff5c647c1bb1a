/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: the split-driver shared ring.
 *
 * Wire format of one ring (usually one page, granted by the frontend):
 *   offset  0  RING_IDX req_prod    frontend: requests published
 *   offset  4  RING_IDX req_event   backend: notify me when req_prod passes this
 *   offset  8  RING_IDX rsp_prod    backend: responses published
 *   offset 12  RING_IDX rsp_event   frontend: notify me when rsp_prod passes this
 *   offset 16  4 bytes protocol-private (netif: smartpoll_active)
 *   offset 20  44 bytes padding
 *   offset 64  entries: union of request and response, as many as fit,
 *              rounded down to a power of two
 * Indexes are free-running 32-bit counters; slot = index & (size - 1).
 *
 * DEFINE_RING_TYPES(name, req_t, rsp_t) declares
 *   union name##_sring_entry, struct name##_sring (the shared page) and the
 *   private bookkeeping struct name##_front_ring / name##_back_ring,
 * and the RING_* macros below operate on the bookkeeping structs.  The
 * names are the customary ones so that driver code reads familiarly.
 *
 * Memory ordering uses xen_mb()/xen_rmb()/xen_wmb(); define them before
 * including this header to override the defaults (full compiler+CPU
 * fences from the GCC atomic builtins).
 */
#ifndef XENO_PUBLIC_IO_RING_H
#define XENO_PUBLIC_IO_RING_H

#include <stdint.h>

typedef unsigned int RING_IDX;

#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef xen_rmb
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif
#ifndef xen_wmb
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/* Size of the fixed header in front of the entries. */
#define XEN_RING_HDR_SIZE 64

/* Largest power of two <= x (0 for 0); a constant expression for constant x. */
#define XEN_RING_POW2_FLOOR(x) \
    ((x) ? (1u << (31 - __builtin_clz((unsigned int)(x)))) : 0u)

/* Entries of ring type 'name' that fit in 'bytes' of shared memory. */
#define __CONST_RING_SIZE(name, bytes)                                      \
    XEN_RING_POW2_FLOOR(((bytes) - XEN_RING_HDR_SIZE) /                     \
                        sizeof(union name##_sring_entry))

/* The same, given a pointer to the shared ring instead of its name. */
#define __RING_SIZE(sring, bytes)                                           \
    XEN_RING_POW2_FLOOR(((bytes) - XEN_RING_HDR_SIZE) / sizeof((sring)->ring[0]))

#define DEFINE_RING_TYPES(name, req_t, rsp_t)                               \
union name##_sring_entry {                                                  \
    req_t req;                                                              \
    rsp_t rsp;                                                              \
};                                                                          \
struct name##_sring {                                                       \
    RING_IDX req_prod, req_event;                                           \
    RING_IDX rsp_prod, rsp_event;                                           \
    union {                                                                 \
        struct { uint8_t smartpoll_active; } netif;                         \
        struct { uint8_t msg; } tapif_user;                                 \
        uint8_t pvt_pad[4];                                                 \
    } pvt;                                                                  \
    uint8_t __pad[44];                                                      \
    union name##_sring_entry ring[];                                        \
};                                                                          \
struct name##_front_ring {                                                  \
    RING_IDX req_prod_pvt;      /* requests queued but maybe unpublished */ \
    RING_IDX rsp_cons;          /* responses consumed so far */             \
    unsigned int nr_ents;                                                   \
    struct name##_sring *sring;                                             \
};                                                                          \
struct name##_back_ring {                                                   \
    RING_IDX rsp_prod_pvt;      /* responses queued but maybe unpublished */\
    RING_IDX req_cons;          /* requests consumed so far */              \
    unsigned int nr_ents;                                                   \
    struct name##_sring *sring;                                             \
};                                                                          \
typedef struct name##_sring name##_sring_t;                                 \
typedef struct name##_front_ring name##_front_ring_t;                       \
typedef struct name##_back_ring name##_back_ring_t

/* Reset the shared header.  Only the frontend does this, before granting. */
#define SHARED_RING_INIT(s) do {                                            \
    unsigned int __i;                                                       \
    (s)->req_prod = 0;                                                      \
    (s)->rsp_prod = 0;                                                      \
    (s)->req_event = 1;                                                     \
    (s)->rsp_event = 1;                                                     \
    for (__i = 0; __i < sizeof((s)->pvt.pvt_pad); __i++)                    \
        (s)->pvt.pvt_pad[__i] = 0;                                          \
    for (__i = 0; __i < sizeof((s)->__pad); __i++)                          \
        (s)->__pad[__i] = 0;                                                \
} while (0)

/* Attach private state to a ring whose indexes already stand at 'idx'. */
#define FRONT_RING_ATTACH(r, s, idx, bytes) do {                            \
    (r)->req_prod_pvt = (idx);                                              \
    (r)->rsp_cons = (idx);                                                  \
    (r)->nr_ents = __RING_SIZE(s, bytes);                                   \
    (r)->sring = (s);                                                       \
} while (0)
#define FRONT_RING_INIT(r, s, bytes) FRONT_RING_ATTACH(r, s, 0, bytes)
#define XEN_FRONT_RING_INIT(r, s, bytes) do {                               \
    SHARED_RING_INIT(s);                                                    \
    FRONT_RING_INIT(r, s, bytes);                                           \
} while (0)

#define BACK_RING_ATTACH(r, s, idx, bytes) do {                             \
    (r)->rsp_prod_pvt = (idx);                                              \
    (r)->req_cons = (idx);                                                  \
    (r)->nr_ents = __RING_SIZE(s, bytes);                                   \
    (r)->sring = (s);                                                       \
} while (0)
#define BACK_RING_INIT(r, s, bytes) BACK_RING_ATTACH(r, s, 0, bytes)

#define RING_SIZE(r) ((r)->nr_ents)

/* Frontend: slots not occupied by an outstanding request. */
#define RING_FREE_REQUESTS(r) (RING_SIZE(r) - ((r)->req_prod_pvt - (r)->rsp_cons))
#define RING_FULL(r)          (RING_FREE_REQUESTS(r) == 0)

/* Frontend: responses published but not yet consumed. */
#define XEN_RING_NR_UNCONSUMED_RESPONSES(r) \
    ((RING_IDX)((r)->sring->rsp_prod - (r)->rsp_cons))

/*
 * Backend: requests published but not yet consumed, never more than the
 * slots the backend has not answered (guards against a frontend that
 * advances req_prod too far).
 */
#define XEN_RING_NR_UNCONSUMED_REQUESTS(r) __extension__ ({                 \
    RING_IDX __reqs = (r)->sring->req_prod - (r)->req_cons;                 \
    RING_IDX __room = RING_SIZE(r) - ((r)->req_cons - (r)->rsp_prod_pvt);   \
    __reqs < __room ? __reqs : __room;                                      \
})

#define RING_HAS_UNCONSUMED_RESPONSES(r) XEN_RING_NR_UNCONSUMED_RESPONSES(r)
#define RING_HAS_UNCONSUMED_REQUESTS(r)  XEN_RING_NR_UNCONSUMED_REQUESTS(r)

#define RING_GET_REQUEST(r, idx)  (&(r)->sring->ring[(idx) & (RING_SIZE(r) - 1)].req)
#define RING_GET_RESPONSE(r, idx) (&(r)->sring->ring[(idx) & (RING_SIZE(r) - 1)].rsp)

/*
 * Copy an entry out of shared memory in one go, so that the peer cannot
 * change it between our checks and our use (volatile defeats re-reads).
 */
#define RING_COPY_REQUEST(r, idx, dst) \
    (*(dst) = *(volatile __typeof__(*(dst)) *)RING_GET_REQUEST(r, idx))
#define RING_COPY_RESPONSE(r, idx, dst) \
    (*(dst) = *(volatile __typeof__(*(dst)) *)RING_GET_RESPONSE(r, idx))

/* Backend: would consuming index 'cons' overrun the responses still owed? */
#define RING_REQUEST_CONS_OVERFLOW(r, cons) \
    ((RING_IDX)((cons) - (r)->rsp_prod_pvt) >= RING_SIZE(r))
/* Backend: is the frontend's req_prod impossible (misbehaving peer)? */
#define RING_REQUEST_PROD_OVERFLOW(r, prod) \
    ((RING_IDX)((prod) - (r)->rsp_prod_pvt) > RING_SIZE(r))
/* Frontend: is the backend's rsp_prod impossible? */
#define RING_RESPONSE_PROD_OVERFLOW(r, prod) \
    ((RING_IDX)((prod) - (r)->rsp_cons) > RING_SIZE(r))

/* Publish queued entries: the entries must be visible before the index. */
#define RING_PUSH_REQUESTS(r) do {                                          \
    xen_wmb();                                                              \
    (r)->sring->req_prod = (r)->req_prod_pvt;                               \
} while (0)
#define RING_PUSH_RESPONSES(r) do {                                         \
    xen_wmb();                                                              \
    (r)->sring->rsp_prod = (r)->rsp_prod_pvt;                               \
} while (0)

/*
 * Publish and decide whether the peer needs an event: it asked to be told
 * once the producer index moves past its *_event value, i.e. notify iff
 * old < event <= new in free-running arithmetic.
 */
#define XEN_RING_EVENT_CROSSED(old, new, event) \
    ((RING_IDX)((new) - (event)) < (RING_IDX)((new) - (old)))

#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(r, notify) do {                 \
    RING_IDX __old = (r)->sring->req_prod;                                  \
    RING_IDX __new = (r)->req_prod_pvt;                                     \
    xen_wmb();                                                              \
    (r)->sring->req_prod = __new;                                           \
    xen_mb();                                                               \
    (notify) = XEN_RING_EVENT_CROSSED(__old, __new, (r)->sring->req_event); \
} while (0)

#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify) do {                \
    RING_IDX __old = (r)->sring->rsp_prod;                                  \
    RING_IDX __new = (r)->rsp_prod_pvt;                                     \
    xen_wmb();                                                              \
    (r)->sring->rsp_prod = __new;                                           \
    xen_mb();                                                               \
    (notify) = XEN_RING_EVENT_CROSSED(__old, __new, (r)->sring->rsp_event); \
} while (0)

/*
 * Before going idle: if nothing is left, ask for an event on the very next
 * entry and look once more, closing the race with a producer that
 * published just before the event index was moved.
 */
#define RING_FINAL_CHECK_FOR_REQUESTS(r, work) do {                         \
    (work) = RING_HAS_UNCONSUMED_REQUESTS(r);                               \
    if (!(work)) {                                                          \
        (r)->sring->req_event = (r)->req_cons + 1;                          \
        xen_mb();                                                           \
        (work) = RING_HAS_UNCONSUMED_REQUESTS(r);                           \
    }                                                                       \
} while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(r, work) do {                        \
    (work) = RING_HAS_UNCONSUMED_RESPONSES(r);                              \
    if (!(work)) {                                                          \
        (r)->sring->rsp_event = (r)->rsp_cons + 1;                          \
        xen_mb();                                                           \
        (work) = RING_HAS_UNCONSUMED_RESPONSES(r);                          \
    }                                                                       \
} while (0)

#endif /* XENO_PUBLIC_IO_RING_H */
