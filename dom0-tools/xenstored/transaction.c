/* SPDX-License-Identifier: MIT */
/*
 * Transactions (docs/misc/xenstore.txt; conflict rules of Xen's
 * tools/xenstored/transaction.c).  A transaction keeps its own copy of every
 * node it touches.  The first read of a node records the node's generation
 * in the main database; at commit, any recorded generation that changed
 * meanwhile (a write, create or delete by someone else) makes the commit
 * fail with EAGAIN.  Otherwise the modified copies replace the database
 * nodes and the watch events queued inside the transaction fire.
 * TRANSACTION_END frees the transaction in every case.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xs_trans *xs_trans_lookup(struct xs_conn *conn, uint32_t id)
{
    for (struct xs_trans *t = conn->transactions; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

struct xs_tnode *xs_trans_find(struct xs_trans *t, const char *name)
{
    return xs_hash_get(&t->accessed, name);
}

static void tnode_free(struct xs_tnode *tn)
{
    if (!tn)
        return;
    free(tn->name);
    xs_node_free(tn->node);
    free(tn->old_perms);
    free(tn);
}

struct xs_tnode *xs_trans_access(struct xs_req *r, const char *name, bool write, int *err)
{
    struct xs_trans *t = r->trans;
    struct xs_tnode *tn = xs_trans_find(t, name);
    if (tn)
        return tn;
    if (xs_quota_exceeds(r->conn, XS_Q_TRANS_NODES, t->nr_nodes + 1)) {
        t->fail = true;
        *err = ENOSPC;
        return NULL;
    }
    tn = calloc(1, sizeof(*tn));
    if (!tn)
        goto nomem;
    tn->name = strdup(name);
    if (!tn->name)
        goto nomem;
    const struct xs_node *db = xs_db_get(r->srv, name);
    tn->generation = db ? db->generation : XS_NO_GENERATION;
    /* Only nodes read before being written need checking at commit. */
    tn->check_gen = !write;
    if (db) {
        tn->node = xs_node_dup(db);
        tn->old_perms = malloc(db->nperms * sizeof(*db->perms));
        if (!tn->node || !tn->old_perms)
            goto nomem;
        memcpy(tn->old_perms, db->perms, db->nperms * sizeof(*db->perms));
        tn->old_nperms = db->nperms;
    }
    if (xs_hash_put(&t->accessed, name, tn, NULL))
        goto nomem;
    if (t->last)
        t->last->next = tn;
    else
        t->first = tn;
    t->last = tn;
    t->nr_nodes++;
    return tn;
nomem:
    tnode_free(tn);
    t->fail = true;
    *err = ENOMEM;
    return NULL;
}

void xs_trans_queue_watch(struct xs_trans *t, const char *name, enum xs_watch_match match)
{
    struct xs_tnode *tn = xs_trans_find(t, name);
    if (!tn) {
        /* Every modified node was accessed first; this cannot happen. */
        t->fail = true;
        return;
    }
    /* A subtree event replaces an exact one, never the other way round. */
    if (!tn->fire_watch) {
        tn->fire_watch = true;
        tn->match = match;
    } else if (match == XS_MATCH_SUBTREE) {
        tn->match = XS_MATCH_SUBTREE;
    }
}

static void trans_free(struct xs_trans *t)
{
    struct xs_tnode *tn = t->first;
    while (tn) {
        struct xs_tnode *n = tn->next;
        tnode_free(tn);
        tn = n;
    }
    xs_hash_destroy(&t->accessed, NULL);
    free(t);
}

static void trans_unlink(struct xs_conn *conn, struct xs_trans *t)
{
    for (struct xs_trans **p = &conn->transactions; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            conn->ntrans--;
            return;
        }
}

void xs_trans_delete_all(struct xs_conn *conn)
{
    while (conn->transactions) {
        struct xs_trans *t = conn->transactions;
        trans_unlink(conn, t);
        trans_free(t);
    }
}

int xs_trans_start(struct xs_req *r)
{
    struct xs_conn *conn = r->conn;
    /* No nesting: a START naming an existing transaction is busy. */
    if (r->trans)
        return EBUSY;
    if (xs_quota_exceeds(conn, XS_Q_TRANSACTIONS, conn->ntrans + 1))
        return ENOSPC;
    struct xs_trans *t = calloc(1, sizeof(*t));
    if (!t)
        return ENOMEM;
    xs_hash_init(&t->accessed);
    /* Pick an unused id; 0 means "no transaction". */
    do {
        t->id = conn->next_tx_id++;
    } while (t->id == 0 || xs_trans_lookup(conn, t->id));
    t->next = conn->transactions;
    conn->transactions = t;
    conn->ntrans++;
    char id[16];
    snprintf(id, sizeof(id), "%u", t->id);
    return xs_reply_str(r, XS_TRANSACTION_START, id);
}

/* Per-domain node deltas a commit would cause. */
struct delta { unsigned int domid; int n; };

static int add_delta(struct delta *d, unsigned int *nd, unsigned int domid, int n)
{
    for (unsigned int i = 0; i < *nd; i++)
        if (d[i].domid == domid) {
            d[i].n += n;
            return 0;
        }
    d[*nd].domid = domid;
    d[*nd].n = n;
    (*nd)++;
    return 0;
}

/* Would the commit take an unprivileged domain over its node quota? */
static int check_node_quota(struct xs_req *r, struct xs_trans *t)
{
    if (xs_conn_is_priv(r->conn))
        return 0;
    struct delta *d = calloc(2 * (size_t)t->nr_nodes + 1, sizeof(*d));
    unsigned int nd = 0;
    if (!d)
        return ENOMEM;
    for (struct xs_tnode *tn = t->first; tn; tn = tn->next) {
        if (!tn->modified)
            continue;
        const struct xs_node *old = xs_db_get(r->srv, tn->name);
        if (old)
            add_delta(d, &nd, xs_node_owner(old), -1);
        if (tn->node)
            add_delta(d, &nd, xs_node_owner(tn->node), 1);
    }
    int err = 0;
    for (unsigned int i = 0; i < nd && !err; i++) {
        if (d[i].n <= 0)
            continue;
        struct xs_domain *dom = xs_domain_find(r->srv, d[i].domid);
        unsigned int have = dom ? dom->nodes : 0;
        if (dom ? xs_domain_quota_exceeds(r->srv, dom, XS_Q_NODES, have + (unsigned int)d[i].n)
                : (d[i].domid != r->srv->priv_domid && r->srv->quota[XS_Q_NODES] &&
                   (unsigned int)d[i].n >= r->srv->quota[XS_Q_NODES]))
            err = ENOSPC;
    }
    free(d);
    return err;
}

static int commit(struct xs_req *r, struct xs_trans *t)
{
    if (t->fail)
        return ENOMEM;      /* as Xen: an error inside poisoned the transaction */
    for (struct xs_tnode *tn = t->first; tn; tn = tn->next) {
        if (!tn->check_gen)
            continue;
        const struct xs_node *cur = xs_db_get(r->srv, tn->name);
        if ((cur ? cur->generation : XS_NO_GENERATION) != tn->generation)
            return EAGAIN;
    }
    int err = check_node_quota(r, t);
    if (err)
        return err;
    for (struct xs_tnode *tn = t->first; tn; tn = tn->next) {
        if (!tn->modified)
            continue;
        if (tn->node) {
            struct xs_node *n = tn->node;
            tn->node = NULL;
            n->generation = ++r->srv->generation;
            if (xs_db_put(r->srv, tn->name, n))
                xs_log(r->srv, "transaction %u: lost %s committing (out of memory)", t->id, tn->name);
        } else {
            r->srv->generation++;
            xs_db_del(r->srv, tn->name);
        }
    }
    /* Events of the transaction, now that its changes are visible. */
    struct xs_req now = *r;
    now.trans = NULL;
    for (struct xs_tnode *tn = t->first; tn; tn = tn->next)
        if (tn->fire_watch)
            xs_fire_watches(&now, tn->name, NULL, tn->match, tn->old_perms, tn->old_nperms);
    return 0;
}

int xs_trans_end(struct xs_req *r)
{
    const char *arg = xs_onearg(r);
    if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
        return EINVAL;
    struct xs_trans *t = r->trans;
    if (!t)
        return ENOENT;
    trans_unlink(r->conn, t);
    r->trans = NULL;
    int err = 0;
    if (arg[0] == 'T') {
        struct xs_req in = *r;
        in.trans = NULL;
        err = commit(&in, t);
    }
    trans_free(t);
    return err ? err : xs_reply_ack(r);
}
