/* SPDX-License-Identifier: MIT */
/*
 * What xenconsoled needs from the hypervisor, as one table of operations:
 * os_xen.c implements it over libxenoctrl (/dev/xen/{gntdev,privcmd,evtchn}),
 * os_hosted.c over files and sockets in a test directory.  Everything else
 * in the daemon is shared by both.  Calls return 0 (or a port / count) or
 * a negative errno and log nothing: the caller logs with its context.
 */
#ifndef XCD_BACKEND_H
#define XCD_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xcd_dom_state {
    XCD_DOM_RUNNING,    /* exists and is not shut down (paused counts as running) */
    XCD_DOM_SHUTDOWN,   /* shut down (or crashed) but not yet destroyed */
    XCD_DOM_DYING,      /* being destroyed */
    XCD_DOM_GONE,       /* no such domain */
};

struct xcd_backend {
    const char *name;
    void *priv;
    /* The console page through the reserved grant (GNTTAB_RESERVED_CONSOLE). */
    void *(*map_grant)(struct xcd_backend *b, uint32_t domid, int *err);
    /* The console page by its frame number (console/ring-ref: an MFN for PV). */
    void *(*map_frame)(struct xcd_backend *b, uint32_t domid, uint64_t frame, int *err);
    int (*unmap)(struct xcd_backend *b, void *page, bool grant);
    /* An interdomain channel to (domid, remote_port): the local port. */
    int (*bind)(struct xcd_backend *b, uint32_t domid, uint32_t remote_port);
    int (*unbind)(struct xcd_backend *b, uint32_t port);
    int (*notify)(struct xcd_backend *b, uint32_t port);
    /* poll() this for POLLIN; then pending() gives ports (-EAGAIN: none left). */
    int (*event_fd)(struct xcd_backend *b);
    int (*pending)(struct xcd_backend *b);
    int (*unmask)(struct xcd_backend *b, uint32_t port);
    int (*domain_state)(struct xcd_backend *b, uint32_t domid, enum xcd_dom_state *state);
    /* The hypervisor's console ring from *index on: bytes read (0: nothing new). */
    long (*read_hv)(struct xcd_backend *b, char *buf, size_t size, uint32_t *index);
    void (*close)(struct xcd_backend *b);
};

/* Fill b; 0 or -errno (logged through xcd_log). */
int xcd_backend_xen(struct xcd_backend *b);
int xcd_backend_hosted(struct xcd_backend *b, const char *dir);

#endif
