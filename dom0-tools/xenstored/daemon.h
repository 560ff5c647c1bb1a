/* SPDX-License-Identifier: MIT */
/*
 * The daemon around the pure core: sockets for the tools, shared rings for
 * domains, and the OS back end that maps rings and binds event channels
 * (os_xen.c on Xen, os_hosted.c for tests on a build machine).
 */
#ifndef XSD_DAEMON_H
#define XSD_DAEMON_H

#include "core.h"

#include <poll.h>
#include <stdio.h>

struct sock_conn;

struct daemon {
    struct xs_server srv;
    bool foreground;
    bool verbose;
    FILE *trace;                /* -T: log lines and the I/O trace */
    char *trace_path;
    bool log_off;               /* CONTROL log off */

    /* Tools' socket. */
    char sock_path[108];
    int listen_fd;
    struct sock_conn *socks;

    /* Event source of the back end (-1: none) and its handler. */
    int event_fd;
    void (*on_event)(struct daemon *dd);

    /* Xen back end. */
    int evtchn_fd, gntdev_fd, privcmd_fd;
    uint32_t virq_port;         /* VIRQ_DOM_EXC, 0 when not bound */

    /* Hosted back end (tests). */
    char hosted_dir[92];
    uint32_t hosted_next_port;

    volatile int stop;          /* SIGTERM/SIGINT */
};

/* log.c */
void xsd_log_line(struct xs_server *srv, const char *line);
void xsd_trace(struct xs_server *srv, const struct xs_conn *conn, const char *dir,
               const struct xsd_sockmsg *hdr, const char *body);
int xsd_log_control(struct xs_server *srv, const char *what, const char *arg);
int xsd_open_trace(struct daemon *dd, const char *path);
#define xsd_log(dd, ...) xs_log(&(dd)->srv, __VA_ARGS__)

/* conn_socket.c */
int sock_listen(struct daemon *dd, const char *path, bool make_var_run_link);
void sock_close_listener(struct daemon *dd);
void sock_accept(struct daemon *dd);
/* Add the connections' poll entries; returns how many were added. */
int sock_pollfds(struct daemon *dd, struct pollfd *pfd, int max);
/* Serve the connections that poll reported on (pfd as filled by sock_pollfds). */
void sock_handle(struct daemon *dd, const struct pollfd *pfd, int n);
/* Try to write pending output everywhere; close broken connections. */
void sock_flush_all(struct daemon *dd);
void sock_close_all(struct daemon *dd);

/* conn_ring.c */
/* Move bytes between every introduced domain's ring and its connection. */
void ring_service_all(struct daemon *dd);

/* os_xen.c */
int xen_init(struct daemon *dd, bool connect_dom0);
void xen_fini(struct daemon *dd);

/* os_hosted.c */
int hosted_init(struct daemon *dd, const char *dir);
void hosted_fini(struct daemon *dd);

#endif
