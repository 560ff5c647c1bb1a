/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: HYPERVISOR_sched_op(cmd, arg).
 * The compat hypercall (6) takes the SHUTDOWN_* reason itself as 'arg'
 * for SCHEDOP_shutdown instead of a struct pointer.
 */
#ifndef XENO_PUBLIC_SCHED_H
#define XENO_PUBLIC_SCHED_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "event_channel.h"

#define SCHEDOP_yield           0   /* arg unused */
#define SCHEDOP_block           1   /* sleep until an event; clears upcall mask */
#define SCHEDOP_shutdown        2   /* struct sched_shutdown (see below) */
#define SCHEDOP_poll            3   /* struct sched_poll */
#define SCHEDOP_remote_shutdown 4   /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5   /* struct sched_shutdown: record only */
#define SCHEDOP_watchdog        6   /* struct sched_watchdog */
#define SCHEDOP_pin_override    7   /* struct sched_pin_override */

#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

#ifndef __ASSEMBLER__

/*
 * For SHUTDOWN_suspend a PV guest also passes its start_info MFN as the
 * third hypercall argument (%rdx); the call returns 1 when the suspend
 * was cancelled (guest continues in place) and 0 on resume elsewhere.
 */
struct sched_shutdown {
    uint32_t reason;                    /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;

/* Block until one of the ports is pending or the absolute timeout passes. */
struct sched_poll {
    xen_guest_handle_t ports;           /* -> evtchn_port_t[nr_ports] */
    uint32_t nr_ports;
    uint64_t timeout;                   /* system time in ns, 0 = none */
};
typedef struct sched_poll sched_poll_t;

struct sched_remote_shutdown {
    domid_t  domain_id;
    uint32_t reason;                    /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;

/* id 0 creates a watchdog and returns its id; otherwise a zero timeout
 * destroys watchdog 'id' and a non-zero one re-arms it. */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;                   /* seconds */
};
typedef struct sched_watchdog sched_watchdog_t;

struct sched_pin_override {
    int32_t pcpu;                       /* negative: drop the override */
};
typedef struct sched_pin_override sched_pin_override_t;

_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown");
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll");
_Static_assert(__builtin_offsetof(struct sched_poll, nr_ports) == 8, "poll.nr_ports");
_Static_assert(__builtin_offsetof(struct sched_poll, timeout) == 16, "poll.timeout");
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown");
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog");
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_SCHED_H */
