/* SPDX-License-Identifier: MIT */
/*
 * The xend daemon's state and its parts.
 *
 * One thread, one poll loop (server.c): xm's connections on the JSON
 * socket (protocol.h), a xenstore connection that only carries the
 * @releaseDomain watch, and a one-second timer. Requests are answered at
 * once, except those that wait for a domain (destroy of a dying domain,
 * shutdown -w): their connection stays open with a waiter that the loop
 * re-checks on every @releaseDomain and timer tick.
 *
 * Domains (domain.c) are records: a configuration (the xm config as JSON,
 * checked by xend/config like a config file), a name and UUID, and, while
 * running, a domid. Unmanaged records exist only while their domain runs;
 * managed ones (managed.c, "xm new") also while it does not. Everything
 * xend knows about a running domain is also in xenstore (xstree.h), so a
 * restarted xend takes them back (rediscover.c).
 */
#ifndef XEND_DAEMON_XEND_H
#define XEND_DAEMON_XEND_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/dominfo.h"
#include "../common/protocol.h"
#include "../config/xendconfig.h"
#include "../config/xmconfig.h"
#include "hv.h"
#include "xs.h"

struct json;
struct strbuf;

struct xdom {
    struct xdom *next;
    char *name;
    uint8_t uuid[16];
    char uuid_str[37];
    bool managed;               /* stored under the domains directory */
    bool has_config;            /* false: a running domain xend did not create */
    struct xm_domain_config cfg;

    bool active;
    uint32_t domid;
    double start_time;
    double previous_restart;    /* < 0: never restarted by xend */
    unsigned long target_kb, maxmem_kb;
    unsigned int max_vcpus;
    uint64_t online_mask;
    uint64_t store_mfn, console_mfn;
    uint32_t store_port, console_port;
    bool handled;               /* its shutdown was dealt with (preserved) */
    double shutdown_requested;  /* when xend asked it to shut down; 0: not asked */
};

/* Why a request failed: the protocol's code and a sentence for the user. */
struct xerr {
    enum xend_errcode code;
    char msg[1024];
};
void xerr_set(struct xerr *e, enum xend_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct client;

/* A request that answers later (server.c checks it on every event). */
struct waiter {
    struct waiter *next;
    struct client *client;
    bool until_hv_gone;         /* destroy: the domids are gone from the hypervisor */
    double deadline;            /* 0: none; else answer XEND_E_TIMEOUT then (xend_now()) */
    size_t n;
    uint32_t domids[HV_MAX_DOMAINS];
    uint8_t uuids[HV_MAX_DOMAINS][16];
};

struct xend {
    struct xend_options opts;
    struct hv *hv;
    struct xsc xs;              /* requests */
    struct xsc xsw;             /* the @releaseDomain watch */
    struct xdom *doms;
    char *domains_dir;          /* managed domains: DIR/UUID/config.sxp */
    char *auto_dir;
    char *socket_path;
    char *pidfile;
    int listen_fd;
    struct client *clients;
    struct waiter *waiters;
    volatile int stop;          /* SIGTERM/SIGINT: stop (after on_xend_stop) */
    bool xenstore_lost;         /* stop at once */
    double stop_deadline;       /* 0: on_xend_stop not started yet */
    unsigned int nr_cpus;
    double shutdown_timeout;    /* seconds a guest gets to act on a request (xend: 60) */
    char *netdev;               /* netdev= of the network-script, for the vif scripts */
};

/* domain.c */
struct xdom *xdom_find(struct xend *x, const char *name_or_id);
struct xdom *xdom_by_uuid(struct xend *x, const uint8_t uuid[16]);
struct xdom *xdom_by_name(struct xend *x, const char *name);
struct xdom *xdom_by_domid(struct xend *x, uint32_t domid);
/* A new record from a checked configuration (a new UUID unless it has one). */
struct xdom *xdom_new(struct xend *x, struct xm_domain_config *cfg);
void xdom_free(struct xdom *d);
void xdom_unlink(struct xend *x, struct xdom *d);
/* Check a received configuration (JSON object) like a config file. */
int xdom_config_from_request(const struct json *obj, struct xm_domain_config *cfg, struct xerr *e);
/* Name and UUID not used by another record. */
int xdom_check_unique(struct xend *x, const struct xdom *self, const char *name,
                      const uint8_t uuid[16], struct xerr *e);
/* Build, write xenstore, introduce, unpause (unless paused). */
int xdom_boot(struct xend *x, struct xdom *d, bool paused, struct xerr *e);
/* Destroy the domain and remove its xenstore trees; the record becomes inactive. */
void xdom_teardown(struct xend *x, struct xdom *d);
/* Rewrite /vm/UUID and /local/domain/N after a change (rename, memory, vCPUs). */
int xdom_store(struct xend *x, struct xdom *d);
/* The config as xend keeps it (JSON text, malloc'd). */
char *xdom_config_json(const struct xdom *d);
/* Shut-down domains: apply on_poweroff/on_reboot/on_crash; vanished ones: clean up. */
void xdom_check_all(struct xend *x);
/*
 * xend is stopping: the first call asks the managed domains with
 * on_xend_stop = shutdown to power off; true once they are gone (or after
 * the shutdown timeout), when xend may exit.
 */
bool xdom_stop_ready(struct xend *x);

/* rediscover.c: running domains from the hypervisor and xenstore. */
void xend_rediscover(struct xend *x);

/* managed.c */
int managed_save(struct xend *x, struct xdom *d, struct xerr *e);
int managed_delete(struct xend *x, struct xdom *d, struct xerr *e);
void managed_load_all(struct xend *x);

/* autostart.c */
void xend_autostart(struct xend *x);

/* ops.c: one request; returns the result, or NULL with e set, or NULL with
 * *waiter set (answer later). */
struct json *xend_dispatch(struct xend *x, const char *cmd, const struct json *args, struct xerr *e,
                           struct waiter **waiter);

/* ops_info.c */
struct json *ops_list(struct xend *x, const struct json *args, struct xerr *e);
struct json *ops_vcpu_list(struct xend *x, const struct json *args, struct xerr *e);
struct json *ops_info(struct xend *x, struct xerr *e);
struct json *ops_dmesg(struct xend *x, const struct json *args, struct xerr *e);
struct json *ops_log(struct xend *x, struct xerr *e);

/* server.c */
int server_listen(struct xend *x, struct xerr *e);
void server_run(struct xend *x);
void server_close(struct xend *x);
/* Is the waiter's condition met? */
bool waiter_done(struct xend *x, const struct waiter *w);

double xend_now(void);

#endif
