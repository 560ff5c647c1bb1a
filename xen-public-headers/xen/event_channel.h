/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: event channels.
 * HYPERVISOR_event_channel_op(cmd, arg) with arg pointing at the struct
 * named after the command; the compat hypercall (16) takes a struct
 * evtchn_op carrying cmd and argument together.
 */
#ifndef XENO_PUBLIC_EVENT_CHANNEL_H
#define XENO_PUBLIC_EVENT_CHANNEL_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11   /* FIFO ABI */
#define EVTCHNOP_expand_array     12   /* FIFO ABI */
#define EVTCHNOP_set_priority     13   /* FIFO ABI */

/* evtchn_bind_pirq.flags */
#define BIND_PIRQ__WILL_SHARE 1

/* evtchn_status.status */
#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5

/* FIFO ABI: priority 0 is served first. */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       (EVTCHN_FIFO_PRIORITY_MIN + 1)

/* Bits of a FIFO event word; the low LINK_BITS hold the next port. */
#define EVTCHN_FIFO_PENDING   31
#define EVTCHN_FIFO_MASKED    30
#define EVTCHN_FIFO_LINKED    29
#define EVTCHN_FIFO_BUSY      28
#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLER__

typedef uint32_t evtchn_port_t;

/* Open a port in 'dom' that only 'remote_dom' may connect to. */
struct evtchn_alloc_unbound {
    domid_t dom, remote_dom;            /* IN */
    evtchn_port_t port;                 /* OUT */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/* Connect a new local port to an unbound port of remote_dom. */
struct evtchn_bind_interdomain {
    domid_t remote_dom;                 /* IN */
    evtchn_port_t remote_port;          /* IN */
    evtchn_port_t local_port;           /* OUT */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

struct evtchn_bind_virq {
    uint32_t virq;                      /* IN: VIRQ_* */
    uint32_t vcpu;                      /* IN */
    evtchn_port_t port;                 /* OUT */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

struct evtchn_bind_pirq {
    uint32_t pirq;                      /* IN */
    uint32_t flags;                     /* IN: BIND_PIRQ__* */
    evtchn_port_t port;                 /* OUT */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

struct evtchn_bind_ipi {
    uint32_t vcpu;                      /* IN: vCPU to notify */
    evtchn_port_t port;                 /* OUT */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

struct evtchn_close {
    evtchn_port_t port;                 /* IN */
};
typedef struct evtchn_close evtchn_close_t;

struct evtchn_send {
    evtchn_port_t port;                 /* IN */
};
typedef struct evtchn_send evtchn_send_t;

struct evtchn_status {
    domid_t dom;                        /* IN */
    evtchn_port_t port;                 /* IN */
    uint32_t status;                    /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;                      /* OUT: vCPU the port notifies */
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
typedef struct evtchn_status evtchn_status_t;

/* Re-target notifications for a port to another vCPU. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/* Clear the mask bit and re-deliver if the port is pending. */
struct evtchn_unmask {
    evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* Close every port of a domain. */
struct evtchn_reset {
    domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;

/* Switch to the FIFO ABI by registering a vCPU's control block. */
struct evtchn_init_control {
    uint64_t control_gfn;               /* IN */
    uint32_t offset;                    /* IN: of the block inside the page */
    uint32_t vcpu;                      /* IN */
    uint8_t  link_bits;                 /* OUT */
    uint8_t  _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;

struct evtchn_expand_array {
    uint64_t array_gfn;                 /* IN: next page of event words */
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/* Argument of the compat hypercall __HYPERVISOR_event_channel_op_compat. */
struct evtchn_op {
    uint32_t cmd;                       /* EVTCHNOP_* */
    union {
        evtchn_alloc_unbound_t    alloc_unbound;
        evtchn_bind_interdomain_t bind_interdomain;
        evtchn_bind_virq_t        bind_virq;
        evtchn_bind_pirq_t        bind_pirq;
        evtchn_bind_ipi_t         bind_ipi;
        evtchn_close_t            close;
        evtchn_send_t             send;
        evtchn_status_t           status;
        evtchn_bind_vcpu_t        bind_vcpu;
        evtchn_unmask_t           unmask;
    } u;
};
typedef struct evtchn_op evtchn_op_t;

/* Ports of the 2-level ABI: one bit per port in shared_info (4096 on x86-64). */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

typedef uint32_t event_word_t;

struct evtchn_fifo_control_block {
    uint32_t ready;                     /* bit per non-empty queue */
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;

_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain");
_Static_assert(__builtin_offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "remote_port");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq");
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "bind_pirq");
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi");
_Static_assert(sizeof(struct evtchn_close) == 4, "close");
_Static_assert(sizeof(struct evtchn_send) == 4, "send");
_Static_assert(sizeof(struct evtchn_status) == 24, "status");
_Static_assert(__builtin_offsetof(struct evtchn_status, u) == 16, "status.u");
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "bind_vcpu");
_Static_assert(sizeof(struct evtchn_unmask) == 4, "unmask");
_Static_assert(sizeof(struct evtchn_reset) == 2, "reset");
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control");
_Static_assert(sizeof(struct evtchn_expand_array) == 8, "expand_array");
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "set_priority");
_Static_assert(sizeof(struct evtchn_op) == 28, "evtchn_op");
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72, "fifo control block");
_Static_assert(EVTCHN_2L_NR_CHANNELS == 4096, "2-level ports on x86-64");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_EVENT_CHANNEL_H */
