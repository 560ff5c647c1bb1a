/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: split-driver connection states.
 * Each end writes its state as a decimal number to its "state" node in
 * xenstore; the values are therefore part of the wire protocol.
 */
#ifndef XENO_PUBLIC_IO_XENBUS_H
#define XENO_PUBLIC_IO_XENBUS_H

enum xenbus_state {
    XenbusStateUnknown       = 0,
    XenbusStateInitialising  = 1,
    XenbusStateInitWait      = 2,   /* waiting for peer details or hotplug */
    XenbusStateInitialised   = 3,   /* ready, waiting for the peer to connect */
    XenbusStateConnected     = 4,
    XenbusStateClosing       = 5,   /* tearing down (unplug or error) */
    XenbusStateClosed        = 6,
    XenbusStateReconfiguring = 7,
    XenbusStateReconfigured  = 8
};
typedef enum xenbus_state XenbusState;

#endif /* XENO_PUBLIC_IO_XENBUS_H */
