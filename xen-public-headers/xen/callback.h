/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: HYPERVISOR_callback_op(cmd, arg),
 * the way a PV kernel tells the hypervisor where to deliver events,
 * failsafe bounces, SYSCALL/SYSENTER and NMIs.
 */
#ifndef XENO_PUBLIC_CALLBACK_H
#define XENO_PUBLIC_CALLBACK_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

#define CALLBACKTYPE_event               0   /* event-channel upcall */
#define CALLBACKTYPE_failsafe            1   /* segment reload failed on return */
#define CALLBACKTYPE_syscall             2   /* SYSCALL from 64-bit user mode */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi                 4
#define CALLBACKTYPE_sysenter            5   /* SYSENTER from 32-bit user mode */
#define CALLBACKTYPE_syscall32           7   /* SYSCALL from 32-bit user mode */

/* Mask event delivery (set evtchn_upcall_mask) on entry to the callback. */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (xen_mk_uint(1) << _CALLBACKF_mask_events)

#define CALLBACKOP_register   0   /* arg -> struct callback_register */
#define CALLBACKOP_unregister 1   /* arg -> struct callback_unregister */

#ifndef __ASSEMBLER__

struct callback_register {
    uint16_t type;                      /* CALLBACKTYPE_* */
    uint16_t flags;                     /* CALLBACKF_* */
    xen_callback_t address;
};
typedef struct callback_register callback_register_t;

struct callback_unregister {
    uint16_t type;
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;

_Static_assert(sizeof(struct callback_register) == 16, "callback_register");
_Static_assert(__builtin_offsetof(struct callback_register, address) == 8, "callback address");
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_CALLBACK_H */
