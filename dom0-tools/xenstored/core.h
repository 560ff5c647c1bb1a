/* SPDX-License-Identifier: MIT */
/*
 * xenstored's pure core: the types every part shares.  Nothing here touches
 * the OS; the daemon (main.c, conn_socket.c, conn_ring.c, os_*.c) moves bytes
 * and maps rings, the core (store, perms, watch, transaction, quota, domain,
 * conn, ops) implements the protocol of xen-public-headers/xen/io/xs_wire.h
 * with the semantics of Xen's C xenstored (docs/misc/xenstore.txt).
 */
#ifndef XS_CORE_H
#define XS_CORE_H

#include <errno.h>          /* before xs_wire.h: it builds xsd_errors from it */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/io/xs_wire.h>

#include "hash.h"

/*
 * Features offered on every ring (Xen's XENSTORE_FEATURES): error
 * reporting, watch depth, DOMID_ANY permissions.  Not reconnection.
 */
#define XS_SUPPORTED_FEATURES (XENSTORE_SERVER_FEATURE_ERROR | XENSTORE_SERVER_FEATURE_WATCHDEPTH | \
                               XENSTORE_SERVER_FEATURE_DOMID_ANY)

/* Permission bits, as Xen's xenstore_lib.h numbers them (internal only). */
#define XS_PERM_NONE  0x00
#define XS_PERM_READ  0x01
#define XS_PERM_WRITE 0x02
#define XS_PERM_OWNER 0x08

struct xs_perm {
    uint32_t id;        /* domid (DOMID_ANY matches every domain) */
    uint32_t perms;     /* XS_PERM_* */
};

/* A node's generation when it does not exist (Xen: NO_GENERATION). */
#define XS_NO_GENERATION UINT64_MAX

/*
 * One node.  As in Xen's database record, the children are a list of
 * NUL-terminated basenames in creation order (DIRECTORY returns it as is,
 * DIRECTORY_PART indexes it by byte offset), and perms[0] is the owner with
 * the default access for everybody else.
 */
struct xs_node {
    uint64_t generation;
    unsigned int nperms;
    uint32_t datalen;
    uint32_t childlen;
    struct xs_perm *perms;
    char *data;
    char *children;
};

/* How a modification event is matched against watches (Xen's watch_match). */
enum xs_watch_match {
    XS_MATCH_EXACT,     /* only watches on exactly this path */
    XS_MATCH_SUBTREE,   /* watches on this path or any ancestor (depth-limited) */
    XS_MATCH_DEPTH,     /* special "@x/<domid>": exact, or depth-limited ancestor */
    XS_MATCH_NODEPTH,   /* special "@x": exact and only watches without depth */
};

struct xs_watch {
    struct xs_watch *next;
    char *node;                 /* canonical path or @special */
    char *token;
    int depth;                  /* -1: unlimited */
    unsigned int prefix_len;    /* relative watch: strip "/local/domain/N/" from events */
};

/* Quotas, named and defaulted as Xen's xenstored (domain.c quota_adm/quotas). */
enum xs_quota_item {
    XS_Q_NODES,         /* nodes owned by a domain */
    XS_Q_WATCHES,       /* watches per domain */
    XS_Q_OUTSTANDING,   /* replies not yet consumed */
    XS_Q_TRANSACTIONS,  /* concurrent transactions per domain */
    XS_Q_TRANS_NODES,   /* nodes accessed by one transaction */
    XS_Q_PERMS,         /* permissions per node */
    XS_Q_PATH_MAX,      /* path length below /local/domain/N */
    XS_Q_NODE_SIZE,     /* node record: header + perms + data + children */
    XS_Q_N
};

/* A node touched by a transaction (Xen's accessed_node). */
struct xs_tnode {
    struct xs_tnode *next;      /* access order: commit and events follow it */
    char *name;
    struct xs_node *node;       /* the transaction's view; NULL: absent */
    uint64_t generation;        /* main database generation at first read */
    bool check_gen;             /* read before written: verify at commit */
    bool modified;
    bool fire_watch;
    enum xs_watch_match match;
    struct xs_perm *old_perms;  /* perms at first access, for watch permission */
    unsigned int old_nperms;
};

struct xs_trans {
    struct xs_trans *next;
    uint32_t id;
    struct xs_hash accessed;    /* name -> struct xs_tnode */
    struct xs_tnode *first, *last;
    unsigned int nr_nodes;
    int created;                /* nodes created (net) owned by the connection */
    bool fail;                  /* an error inside: commit must not happen */
};

struct xs_conn;

/* A domain xenstored knows: introduced, or just owning nodes. */
struct xs_domain {
    struct xs_domain *next;     /* hash chain */
    unsigned int domid;
    bool introduced;
    bool shutdown;              /* @releaseDomain already fired for shutdown */
    unsigned int features;      /* XENSTORE_SERVER_FEATURE_* offered on its ring */
    unsigned int nodes;         /* nodes it owns (accounting) */
    unsigned int quota[XS_Q_N]; /* its quotas, copied from the global ones */
    struct xs_conn *conn;       /* ring connection once introduced */
    uint64_t gfn;               /* ring page from INTRODUCE */
    uint32_t remote_port;       /* the domain's unbound port */
    uint32_t port;              /* our local port bound to it */
    struct xenstore_domain_interface *intf;    /* mapped ring page */
    void *os;                   /* transport-private */
};

/* A queued outgoing message (reply or watch event). */
struct xs_msg {
    struct xs_msg *next;
    struct xsd_sockmsg hdr;
    bool event;
    char body[];
};

struct xs_server;

struct xs_conn {
    struct xs_conn *next, *prev;
    struct xs_server *srv;
    unsigned int id;            /* domid; sockets are the store domain (0) */
    struct xs_domain *domain;   /* NULL for sockets */
    struct xs_conn *target;     /* SET_TARGET */
    char name[32];              /* for logs */

    /* Input: a header, then its payload (Xen's buffered_data). */
    struct xsd_sockmsg in_hdr;
    uint32_t in_used;
    bool in_payload;
    char *in_buf;

    /* Output queue. */
    struct xs_msg *out_head, *out_tail;
    size_t out_sent;            /* bytes of out_head already written */
    unsigned int outstanding;   /* queued replies (not events) */

    struct xs_watch *watches;
    unsigned int nwatches;
    struct xs_trans *transactions;
    unsigned int ntrans;
    uint32_t next_tx_id;

    unsigned int bad;           /* XENSTORE_ERROR_* once the peer broke the protocol */
    void *transport;
};

/* What the core asks of its environment.  Any hook may be NULL. */
struct xs_env {
    /* INTRODUCE: map the ring and bind the event channel; fill d->intf, d->port. */
    int (*introduce)(struct xs_server *srv, struct xs_domain *d);
    /* INTRODUCE of a known domain: rebind its event channel to d->remote_port. */
    int (*rebind)(struct xs_server *srv, struct xs_domain *d);
    /* Domain gone or RELEASE: unbind and unmap. */
    void (*release)(struct xs_server *srv, struct xs_domain *d);
    /* A log line (no trailing newline). */
    void (*log)(struct xs_server *srv, const char *line);
    /* Optional I/O trace of each message ("IN"/"OUT"). */
    void (*trace)(struct xs_server *srv, const struct xs_conn *conn, const char *dir,
                  const struct xsd_sockmsg *hdr, const char *body);
    /* Ring has new output or the domain must look at it: kick its event channel. */
    void (*notify)(struct xs_server *srv, struct xs_domain *d);
    /* Hypervisor's view of a domain, for xs_check_domains(): 0 or an errno. */
    int (*domain_info)(struct xs_server *srv, unsigned int domid, bool *exists, bool *shutdown);
    /* CONTROL log on|off and logfile <file>; return 0 or an errno. */
    int (*log_control)(struct xs_server *srv, const char *what, const char *arg);
    void *data;
};

#define XS_DOMAIN_BUCKETS 256
#define XS_TRACE_IO 1u

struct xs_server {
    struct xs_hash db;              /* path -> struct xs_node: the store */
    uint64_t generation;            /* global generation count */
    struct xs_conn *conns;
    struct xs_domain *domains[XS_DOMAIN_BUCKETS];
    unsigned int quota[XS_Q_N];     /* global quotas (defaults for new domains) */
    unsigned int priv_domid;        /* the control domain: everything allowed */
    unsigned int trace_flags;       /* XS_TRACE_*: what env.trace gets */
    struct xs_env env;
};

/* One request being processed. */
struct xs_req {
    struct xs_server *srv;
    struct xs_conn *conn;           /* NULL: the daemon itself (privileged) */
    struct xs_trans *trans;         /* transaction named by tx_id, or NULL */
    struct xsd_sockmsg hdr;
    const char *buf;
    uint32_t len;
};

/* ---- server.c: lifetime, initial structure, logging */
int xs_server_init(struct xs_server *srv, const struct xs_env *env);
void xs_server_destroy(struct xs_server *srv);
void xs_log(struct xs_server *srv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- node.c */
struct xs_node *xs_node_new(const struct xs_perm *perms, unsigned int nperms,
                            const void *data, uint32_t datalen);
struct xs_node *xs_node_dup(const struct xs_node *n);
void xs_node_free(struct xs_node *n);
void xs_node_free_void(void *n);
int xs_node_set_data(struct xs_node *n, const void *data, uint32_t len);
int xs_node_set_perms(struct xs_node *n, const struct xs_perm *perms, unsigned int nperms);
int xs_node_add_child(struct xs_node *n, const char *base);
/* Returns 0, or ENOENT when base is not a child. */
int xs_node_del_child(struct xs_node *n, const char *base);
/* Node record size as Xen accounts it (node-size quota). */
size_t xs_node_size(const struct xs_node *n);
static inline unsigned int xs_node_owner(const struct xs_node *n) { return n->perms[0].id; }

/* ---- path.c */
/* Valid characters: alphanumerics and -/_@ (docs/misc/xenstore.txt). */
bool xs_path_valid_chars(const char *p);
/*
 * Canonical absolute path for a request path: relative ones are taken below
 * the connection's /local/domain/<domid>.  Returns a malloc'ed string or NULL
 * with *err = EINVAL/ENOMEM.
 */
char *xs_canonicalize(const struct xs_conn *conn, const char *path, bool allow_special, int *err);
char *xs_path_parent(const char *path);         /* malloc'ed; "/" for top level */
const char *xs_path_base(const char *path);     /* after the last '/' */
char *xs_path_child(const char *parent, const char *base);
/* Is child equal to or below parent, at most depth levels below (depth < 0: any)? */
bool xs_path_is_child(const char *child, const char *parent, int depth);
/* "/local/domain/<domid>" of a connection (the store domain's for sockets). */
void xs_implicit_path(const struct xs_conn *conn, char *buf, size_t size);

/* ---- perms.c */
bool xs_conn_is_priv(const struct xs_conn *conn);
unsigned int xs_perm_for_conn(const struct xs_conn *conn, const struct xs_perm *perms, unsigned int n);
/* Parse "r1\0b0\0" style strings (count of them); 0 or EINVAL. */
int xs_perms_parse(const char *strings, unsigned int count, struct xs_perm *out);
/* "b5" etc.; buf of at least 16 bytes. */
void xs_perm_format(const struct xs_perm *p, char *buf, size_t size);

/* ---- store.c: the database, seen through a request's transaction */
const struct xs_node *xs_db_get(const struct xs_server *srv, const char *name);
int xs_db_put(struct xs_server *srv, const char *name, struct xs_node *n);
void xs_db_del(struct xs_server *srv, const char *name);
const struct xs_node *xs_read_node(struct xs_req *r, const char *name, int *err);
/* Takes n (freed on error).  check_quota: apply the node-size quota. */
int xs_write_node(struct xs_req *r, const char *name, struct xs_node *n, bool check_quota);
int xs_delete_node(struct xs_req *r, const char *name);
/*
 * Look a request path up with a permission check.  On failure returns NULL
 * with *err set; *canon (if non-NULL) receives the canonical name whenever
 * the path was valid (caller frees).  Errors hide the node's existence from
 * those who may not see its parent (Xen's errno_from_parents).
 */
const struct xs_node *xs_get_node(struct xs_req *r, const char *path, unsigned int perm,
                                  bool allow_special, char **canon, int *err);
int xs_create_node(struct xs_req *r, const char *name, const void *data, uint32_t len);
int xs_rm_node(struct xs_req *r, const char *name);

/* ---- watch.c */
void xs_fire_watches(struct xs_req *r, const char *name, const struct xs_node *node,
                     enum xs_watch_match match, const struct xs_perm *old_perms, unsigned int old_nperms);
/* Fire "@x" to plain watchers and "@x/<domid>" to depth watchers, as selected. */
#define XS_SPECIAL_NODOM 1
#define XS_SPECIAL_DOM   2
void xs_fire_special(struct xs_server *srv, const char *name, unsigned int domid, unsigned int which);
void xs_watch_delete_all(struct xs_conn *conn);
int xs_do_watch(struct xs_req *r);
int xs_do_unwatch(struct xs_req *r);
int xs_do_reset_watches(struct xs_req *r);

/* ---- transaction.c */
struct xs_trans *xs_trans_lookup(struct xs_conn *conn, uint32_t id);
struct xs_tnode *xs_trans_find(struct xs_trans *t, const char *name);
/* Record an access; returns the entry or NULL with *err. */
struct xs_tnode *xs_trans_access(struct xs_req *r, const char *name, bool write, int *err);
void xs_trans_queue_watch(struct xs_trans *t, const char *name, enum xs_watch_match match);
int xs_trans_start(struct xs_req *r);
int xs_trans_end(struct xs_req *r);
void xs_trans_delete_all(struct xs_conn *conn);

/* ---- quota.c */
extern const char *const xs_quota_names[XS_Q_N];
extern const unsigned int xs_quota_defaults[XS_Q_N];
int xs_quota_lookup(const char *name);     /* index or -1 */
/* Would val break the connection's quota?  Only unprivileged domains have quotas. */
bool xs_quota_exceeds(const struct xs_conn *conn, enum xs_quota_item q, unsigned int val);
bool xs_domain_quota_exceeds(const struct xs_server *srv, const struct xs_domain *d,
                             enum xs_quota_item q, unsigned int val);

/* ---- domain.c */
struct xs_domain *xs_domain_find(const struct xs_server *srv, unsigned int domid);
struct xs_domain *xs_domain_get(struct xs_server *srv, unsigned int domid);   /* find or allocate */
void xs_domain_nodes_add(struct xs_server *srv, unsigned int domid, int delta);
/* The domain died (or was released): drop its connection, nodes and ring. */
void xs_domain_destroy(struct xs_server *srv, struct xs_domain *d);
/*
 * After VIRQ_DOM_EXC: ask env.domain_info about every introduced domain;
 * fire @releaseDomain on a first shutdown, destroy dead domains.
 */
void xs_check_domains(struct xs_server *srv);
/*
 * Serve a domain whose ring the daemon set up itself (dom0's local ring,
 * d->intf and d->port filled in): no @introduceDomain, no ring reset.
 */
int xs_domain_attach(struct xs_server *srv, struct xs_domain *d);
int xs_do_introduce(struct xs_req *r);
int xs_do_release(struct xs_req *r);
int xs_do_resume(struct xs_req *r);
int xs_do_set_target(struct xs_req *r);
int xs_do_get_domain_path(struct xs_req *r);
int xs_do_is_domain_introduced(struct xs_req *r);
int xs_do_get_feature(struct xs_req *r);
int xs_do_set_feature(struct xs_req *r);
int xs_do_get_quota(struct xs_req *r);
int xs_do_set_quota(struct xs_req *r);
/* Parse a decimal domid 0..65535 (Xen's parse_domid); 0 or EINVAL. */
int xs_parse_domid(const char *s, unsigned int *domid);

/* ---- conn.c: framing, output queue */
struct xs_conn *xs_conn_new(struct xs_server *srv, unsigned int id, struct xs_domain *d, const char *name);
void xs_conn_free(struct xs_conn *conn);
/* Forget the connection's watches, transactions, queued replies and partial
 * request, and clear a broken state (a ring reset, a freed connection). */
void xs_conn_reset(struct xs_conn *conn);
/* Where the next input bytes go and how many the core wants (0: none now). */
void *xs_conn_in_buf(struct xs_conn *conn, size_t *want);
/* n bytes arrived there; a complete message is processed at once. */
void xs_conn_in_done(struct xs_conn *conn, size_t n);
bool xs_conn_can_read(const struct xs_conn *conn);
/* Next bytes to send (NULL, 0: nothing). */
const void *xs_conn_out_buf(const struct xs_conn *conn, size_t *len);
void xs_conn_out_done(struct xs_conn *conn, size_t n);
/* Peer broke the protocol: stop serving it (Xen's ignore_connection). */
void xs_conn_set_bad(struct xs_conn *conn, unsigned int err);
/* Queue messages. */
int xs_reply(struct xs_req *r, enum xsd_sockmsg_type type, const void *body, size_t len);
int xs_reply_str(struct xs_req *r, enum xsd_sockmsg_type type, const char *s);
int xs_reply_ack(struct xs_req *r);
void xs_reply_error(struct xs_req *r, int err);
void xs_send_event(struct xs_conn *conn, const char *path, const char *token);
const char *xs_errno_name(int err);

/* ---- ops.c: the wire operations table and dispatcher */
const char *xs_type_name(uint32_t type);
void xs_process(struct xs_conn *conn, const struct xsd_sockmsg *hdr, const char *body);
/* Split a payload into NUL-terminated strings (Xen's get_strings): returns the count. */
unsigned int xs_get_strings(const char *buf, uint32_t len, const char **vec, unsigned int num);
/* The payload as exactly one string, or NULL (Xen's onearg). */
const char *xs_onearg(const struct xs_req *r);

/* ---- ops_node.c */
int xs_do_read(struct xs_req *r);
int xs_do_write(struct xs_req *r);
int xs_do_mkdir(struct xs_req *r);
int xs_do_rm(struct xs_req *r);
int xs_do_directory(struct xs_req *r);
int xs_do_directory_part(struct xs_req *r);
int xs_do_get_perms(struct xs_req *r);
int xs_do_set_perms(struct xs_req *r);

/* ---- control.c */
int xs_do_control(struct xs_req *r);

/* ---- ring.c: the shared-page byte rings (pure) */
/* Copy up to len request bytes out; returns bytes or -1 on corrupt indexes. */
int xs_ring_read(struct xenstore_domain_interface *intf, void *buf, size_t len);
/* Copy up to len reply bytes in; returns bytes or -1 on corrupt indexes. */
int xs_ring_write(struct xenstore_domain_interface *intf, const void *buf, size_t len);
bool xs_ring_has_input(const struct xenstore_domain_interface *intf);
bool xs_ring_has_space(const struct xenstore_domain_interface *intf);

#endif
