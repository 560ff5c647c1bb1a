/* SPDX-License-Identifier: MIT */
/*
 * Watches (docs/misc/xenstore.txt "Watches", Xen's watch.c).  A change to
 * a path fires every watch on that path or on an ancestor of it (limited by
 * the watch's depth, a XENSTORE_SERVER_FEATURE_WATCHDEPTH extension), as a
 * WATCH_EVENT <path>|<token>| with req_id and tx_id 0.  A new watch fires
 * once at once.  Removal of a subtree fires exact events for every removed
 * descendant.  Special paths @introduceDomain and @releaseDomain only fire
 * from xenstored itself.  Watchers only hear about nodes they may read (or
 * whose parent they may read).  Inside a transaction, events are queued and
 * fire at a successful commit.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool readable(const struct xs_conn *c, const struct xs_perm *p, unsigned int n)
{
    return (xs_perm_for_conn(c, p, n) & XS_PERM_READ) != 0;
}

static bool watch_permitted(const struct xs_conn *c, const char *name, const struct xs_node *node,
                            const struct xs_perm *old_perms, unsigned int old_nperms)
{
    if (old_perms && readable(c, old_perms, old_nperms))
        return true;
    if (!node)
        node = xs_db_get(c->srv, name);
    if (!node)
        return false;
    if (readable(c, node->perms, node->nperms))
        return true;
    char *pname = xs_path_parent(name);
    if (!pname)
        return false;
    const struct xs_node *parent = xs_db_get(c->srv, pname);
    free(pname);
    return parent && readable(c, parent->perms, parent->nperms);
}

static bool watch_matches(const struct xs_watch *w, const char *name, enum xs_watch_match match)
{
    switch (match) {
    case XS_MATCH_EXACT:
        return strcmp(name, w->node) == 0;
    case XS_MATCH_SUBTREE:
        return xs_path_is_child(name, w->node, w->depth);
    case XS_MATCH_DEPTH:
        return strcmp(name, w->node) == 0 || (w->depth > 0 && xs_path_is_child(name, w->node, w->depth));
    case XS_MATCH_NODEPTH:
        return strcmp(name, w->node) == 0 && w->depth < 0;
    }
    return false;
}

void xs_fire_watches(struct xs_req *r, const char *name, const struct xs_node *node,
                     enum xs_watch_match match, const struct xs_perm *old_perms, unsigned int old_nperms)
{
    if (r->trans) {
        xs_trans_queue_watch(r->trans, name, match);
        return;
    }
    for (struct xs_conn *c = r->srv->conns; c; c = c->next) {
        if (c->bad || !c->watches || !watch_permitted(c, name, node, old_perms, old_nperms))
            continue;
        for (struct xs_watch *w = c->watches; w; w = w->next)
            if (watch_matches(w, name, match))
                xs_send_event(c, name + w->prefix_len, w->token);
    }
}

void xs_fire_special(struct xs_server *srv, const char *name, unsigned int domid, unsigned int which)
{
    struct xs_req r = { .srv = srv };
    const struct xs_node *node = xs_db_get(srv, name);
    if (!node) {
        xs_log(srv, "watch: special node %s not found", name);
        return;
    }
    if (which & XS_SPECIAL_NODOM)
        xs_fire_watches(&r, name, node, XS_MATCH_NODEPTH, NULL, 0);
    if (which & XS_SPECIAL_DOM) {
        char sub[48];
        snprintf(sub, sizeof(sub), "%s/%u", name, domid);
        xs_fire_watches(&r, sub, node, XS_MATCH_DEPTH, NULL, 0);
    }
}

static void watch_free(struct xs_watch *w)
{
    free(w->node);
    free(w->token);
    free(w);
}

void xs_watch_delete_all(struct xs_conn *conn)
{
    while (conn->watches) {
        struct xs_watch *w = conn->watches;
        conn->watches = w->next;
        watch_free(w);
    }
    conn->nwatches = 0;
}

static unsigned int conn_features(const struct xs_conn *conn)
{
    return conn->domain ? conn->domain->features : XS_SUPPORTED_FEATURES;
}

/* WATCH <wpath>|<token>|[<depth>|] */
int xs_do_watch(struct xs_req *r)
{
    const char *vec[3];
    int depth = -1, err;
    unsigned int n = xs_get_strings(r->buf, r->len, vec, 3);
    if (n == 3 && (conn_features(r->conn) & XENSTORE_SERVER_FEATURE_WATCHDEPTH)) {
        char *end;
        long d = strtol(vec[2], &end, 10);
        if (*end || end == vec[2] || d < 0 || d > 0x7fffffff)
            return EINVAL;
        depth = (int)d;
    } else if (n != 2) {
        return EINVAL;
    }
    bool relative = vec[0][0] != '/' && vec[0][0] != '@';
    char *path = xs_canonicalize(r->conn, vec[0], true, &err);
    if (!path)
        return err;
    for (struct xs_watch *w = r->conn->watches; w; w = w->next)
        if (!strcmp(w->node, path) && !strcmp(w->token, vec[1])) {
            free(path);
            return EEXIST;
        }
    if (xs_quota_exceeds(r->conn, XS_Q_WATCHES, r->conn->nwatches + 1)) {
        free(path);
        return ENOSPC;
    }
    struct xs_watch *w = calloc(1, sizeof(*w));
    char *token = strdup(vec[1]);
    if (!w || !token) {
        free(w);
        free(token);
        free(path);
        return ENOMEM;
    }
    char base[32];
    xs_implicit_path(r->conn, base, sizeof(base));
    w->node = path;
    w->token = token;
    w->depth = depth;
    w->prefix_len = relative ? (unsigned int)strlen(base) + 1 : 0;
    /* Append: events for one change go out in registration order. */
    struct xs_watch **tail = &r->conn->watches;
    while (*tail)
        tail = &(*tail)->next;
    *tail = w;
    r->conn->nwatches++;
    err = xs_reply_ack(r);
    /* "When a watch is first set up it is triggered once straight away." */
    xs_send_event(r->conn, w->node + w->prefix_len, w->token);
    return err;
}

/* UNWATCH <wpath>|<token>| */
int xs_do_unwatch(struct xs_req *r)
{
    const char *vec[2];
    int err;
    if (xs_get_strings(r->buf, r->len, vec, 2) != 2)
        return EINVAL;
    char *path = xs_canonicalize(r->conn, vec[0], true, &err);
    if (!path)
        return err;
    for (struct xs_watch **p = &r->conn->watches; *p; p = &(*p)->next) {
        struct xs_watch *w = *p;
        if (!strcmp(w->node, path) && !strcmp(w->token, vec[1])) {
            *p = w->next;
            watch_free(w);
            r->conn->nwatches--;
            free(path);
            return xs_reply_ack(r);
        }
    }
    free(path);
    return ENOENT;
}

/* RESET_WATCHES: drop the caller's watches and transactions. */
int xs_do_reset_watches(struct xs_req *r)
{
    xs_watch_delete_all(r->conn);
    xs_trans_delete_all(r->conn);
    r->trans = NULL;
    return xs_reply_ack(r);
}
