/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: HYPERVISOR_vcpu_op(cmd, vcpuid, arg).
 */
#ifndef XENO_PUBLIC_VCPU_H
#define XENO_PUBLIC_VCPU_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

#define VCPUOP_initialise                      0   /* arg -> struct vcpu_guest_context */
#define VCPUOP_up                              1   /* needs a prior initialise */
#define VCPUOP_down                            2   /* asynchronous unless on self */
#define VCPUOP_is_up                           3   /* returns 1 when up */
#define VCPUOP_get_runstate_info               4   /* arg -> struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area   5
#define VCPUOP_set_periodic_timer              6   /* arg -> struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer             7   /* arg NULL */
#define VCPUOP_set_singleshot_timer            8   /* arg -> struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer           9   /* arg NULL */
#define VCPUOP_register_vcpu_info             10   /* arg -> struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                       11   /* arg NULL */
#define VCPUOP_get_physid                     12   /* arg -> struct vcpu_get_physid */
#define VCPUOP_register_vcpu_time_memory_area 13
#define VCPUOP_register_runstate_phys_area    14   /* as 5, addr.p is a GPA; ~0 unregisters */
#define VCPUOP_register_vcpu_time_phys_area   15   /* as 13, addr.p is a GPA; ~0 unregisters */

/* vcpu_runstate_info.state */
#define RUNSTATE_running  0
#define RUNSTATE_runnable 1   /* ready but waiting for a physical CPU */
#define RUNSTATE_blocked  2   /* waiting for an event */
#define RUNSTATE_offline  3   /* down, paused or otherwise not runnable */

/* Set in state_entry_time while the copy in guest memory is being rewritten
 * (only once the guest enables VMASST_TYPE_runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (xen_mk_ullong(1) << 63)

#ifndef __ASSEMBLER__

/* Accounting of a vCPU's time; time[] is indexed by RUNSTATE_* and sums to
 * the elapsed system time. */
struct vcpu_runstate_info {
    int32_t  state;
    uint64_t state_entry_time;          /* ns of system time */
    uint64_t time[4];
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;

/* A guest VA kept up to date with the vCPU's runstate each time it is scheduled. */
struct vcpu_register_runstate_memory_area {
    union {
        xen_guest_handle_t h;           /* -> struct vcpu_runstate_info */
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area vcpu_register_runstate_memory_area_t;

struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;

/* VCPU_SSHOTTMR_future: fail with -ETIME if the deadline has already passed. */
#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (xen_mk_uint(1) << _VCPU_SSHOTTMR_future)

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;            /* absolute system time */
    uint32_t flags;                     /* VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;

/* Move this vCPU's vcpu_info out of shared_info into a guest page. */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;                    /* within the page; must not straddle it */
    uint32_t rsvd;
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;

/* Physical identity of the pCPU (dom0 only): APIC ID low, ACPI ID high. */
struct vcpu_get_physid {
    uint64_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

/* Extra, user-mappable copy of vcpu_time_info, updated alongside the main one. */
struct vcpu_register_time_memory_area {
    union {
        xen_guest_handle_t h;           /* -> struct vcpu_time_info */
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;

_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info");
_Static_assert(__builtin_offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "rs.entry_time");
_Static_assert(__builtin_offsetof(struct vcpu_runstate_info, time) == 16, "rs.time");
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "runstate area");
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "periodic timer");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "singleshot timer");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "register_vcpu_info");
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "get_physid");
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8, "time area");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_VCPU_H */
