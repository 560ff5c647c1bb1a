/* SPDX-License-Identifier: MIT */
/*
 * xenconsoled's state: one record per guest domain seen under
 * /local/domain, each with its console page, event channel, pty and log.
 * daemon.c finds domains and runs the poll loop; console.c connects,
 * services and tears down one domain's console; os_*.c are the back ends.
 */
#ifndef XCD_XENCONSOLED_H
#define XCD_XENCONSOLED_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <xen/io/console.h>

#include "backend.h"
#include "buffer.h"
#include "client.h"
#include "lognames.h"
#include "options.h"

struct xcd_domain {
    struct xcd_domain *next;
    uint32_t domid;
    bool closed;            /* torn down; the record stays until the domain leaves /local/domain */
    bool listed;            /* seen by the current scan */
    bool watching;          /* watch on console/ (token "dom<N>") set */
    char xspath[64];        /* /local/domain/N/console */

    struct xencons_interface *intf;
    bool grant_mapped;      /* through grant 0, else a foreign map of ring_ref */
    uint64_t ring_ref;
    uint32_t remote_port;
    int local_port;         /* -1: not bound */
    bool ring_broken;       /* the guest corrupted the indexes: leave the ring alone */

    int master_fd, slave_fd;
    char tty[64];
    struct xcd_buffer out;  /* output waiting for the pty */
    uint64_t drops_logged;

    int log_fd;
    struct xcd_stamper stamper;

    char last_error[160];   /* the same failure is logged once, not on every retry */
    int pfd_index;          /* this loop's poll entry for master_fd, -1: none */
    long long linger_until; /* closed, but the pty stays until read or this time (ms) */
    long long last_pty_write;   /* when output last went into the pty (ms) */
};

struct xcd {
    struct xcd_options opt;
    struct xsc xs;
    struct xcd_backend be;
    struct xcd_domain *domains;
    int hv_fd;
    uint32_t hv_index;
    struct xcd_stamper hv_stamper;
    bool xs_lost;
    volatile sig_atomic_t stop, reload;
};

/* console.c */
struct xcd_domain *xcd_domain_new(uint32_t domid);
void xcd_domain_free(struct xcd_domain *dom);
/* (Re)connect from console/{ring-ref,port}: on a watch event or a scan. */
void xcd_console_update(struct xcd *d, struct xcd_domain *dom);
/* Out ring -> log and buffer -> pty; notify the guest if anything moved. */
void xcd_console_service_ring(struct xcd *d, struct xcd_domain *dom);
/* Buffered output -> pty, without blocking. */
void xcd_console_flush_pty(struct xcd *d, struct xcd_domain *dom);
/* pty -> in ring (as much as fits). */
void xcd_console_pty_input(struct xcd *d, struct xcd_domain *dom);
/* The pty reported an error: a new one (with a new console/tty). */
void xcd_console_pty_broken(struct xcd *d, struct xcd_domain *dom);
/*
 * Drain the ring, close the log, unbind, unmap; marks it closed.  With
 * linger, a pty with output still unread stays open (and console/tty with
 * it) for up to XCD_LINGER_MS so an attached reader gets the domain's last
 * words before the hang-up; xcd_console_linger() finishes the job.
 */
void xcd_console_close(struct xcd *d, struct xcd_domain *dom, const char *why, bool linger);
#define XCD_LINGER_MS 2000
/* For a lingering console: flush; close the pty once read or timed out.  True while it lingers on. */
bool xcd_console_linger(struct xcd *d, struct xcd_domain *dom, long long now_ms);
long long xcd_now_ms(void);
void xcd_console_reopen_log(struct xcd *d, struct xcd_domain *dom);
bool xcd_console_connected(const struct xcd_domain *dom);

/* daemon.c */
/* Connect to xenstore and set the watches; 0 or errno (logged). */
int xcd_start(struct xcd *d);
/* The poll loop, until d->stop or xenstored goes away; then every console is closed. */
int xcd_run(struct xcd *d);

/* logfile.c */
/* Open for appending (creating it 0644); fd or -errno. */
int xcd_logfile_open(const char *path, bool stamp, struct xcd_stamper *st);
/* Write (stamped if asked); 0 or errno. */
int xcd_logfile_write(int fd, bool stamp, struct xcd_stamper *st, const char *p, size_t n);
/* mkdir -p; 0 or errno. */
int xcd_mkdirs(const char *dir);

/* pty.c */
/* A pty in raw mode without echo: non-blocking master, slave kept open. 0 or errno. */
int xcd_pty_open(int *master, int *slave, char *name, size_t size);

#endif
