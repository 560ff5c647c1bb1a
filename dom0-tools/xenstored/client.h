/* SPDX-License-Identifier: MIT */
/*
 * A small xenstore client speaking the wire protocol (xs_wire.h) over the
 * daemon's UNIX socket or, failing that, the kernel's /dev/xen/xenbus
 * (what libxenstore's xs_open does).  Used by the xenstore-* CLI and the
 * hosted tests.
 */
#ifndef XS_CLIENT_H
#define XS_CLIENT_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/xs_wire.h>

/* Where the daemon listens unless told otherwise (Xen: XEN_RUN_STORED/socket). */
#define XS_DEFAULT_RUNDIR "/run/xenstored"
#define XS_DEFAULT_SOCKET XS_DEFAULT_RUNDIR "/socket"
#define XS_KERNEL_DEVICE "/dev/xen/xenbus"

struct xsc_msg {
    struct xsc_msg *next;
    struct xsd_sockmsg hdr;
    char body[];            /* hdr.len bytes + a NUL */
};

struct xsc {
    int fd;
    uint32_t next_req;
    struct xsc_msg *events, *events_tail;   /* watch events read while waiting for replies */
    char path[108];
};

/*
 * The socket path from XENSTORED_PATH, else $XENSTORED_RUNDIR/socket, else
 * the default (libxenstore's xenstore_daemon_path()).
 */
const char *xsc_socket_path(void);
/* Connect to path (NULL: xsc_socket_path(), then the kernel device).  0 or errno. */
int xsc_open(struct xsc *c, const char *path);
void xsc_close(struct xsc *c);
/* Send one message; 0 or errno. */
int xsc_send(struct xsc *c, uint32_t type, uint32_t req_id, uint32_t tx, const void *body, uint32_t len);
/* Read one whole message (blocking up to timeout_ms, <0: forever); 0, ETIMEDOUT, EPIPE or errno. */
int xsc_recv(struct xsc *c, struct xsc_msg **m, int timeout_ms);
/*
 * A request and its reply (events that arrive first are queued).  Returns
 * 0 with *reply (free() it), the errno an XS_ERROR reply names, or an I/O
 * errno.
 */
int xsc_call(struct xsc *c, uint32_t type, uint32_t tx, const void *body, uint32_t len, struct xsc_msg **reply);
/* The NULL-terminated strings of ap, each with its NUL, into buf: 0, or
 * E2BIG if they do not fit in size bytes. */
int xsc_pack(char *buf, size_t size, uint32_t *len, va_list ap);
/* Same, with the payload given as NULL-terminated list of strings (each sent with its NUL). */
int xsc_callv(struct xsc *c, uint32_t type, uint32_t tx, struct xsc_msg **reply, ...);
/* Next watch event (queued or from the wire); 0, ETIMEDOUT or errno. */
int xsc_event(struct xsc *c, struct xsc_msg **ev, int timeout_ms);
/* errno for an xsd_errors name (EINVAL for unknown names). */
int xsc_errno(const char *name);
/* Message body helpers: the n-th NUL-terminated string, or NULL. */
const char *xsc_string(const struct xsc_msg *m, unsigned int n);

#endif
