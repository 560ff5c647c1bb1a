/* SPDX-License-Identifier: MIT */
/*
 * The store: the main database (path -> node) and the request-level
 * operations on it.  A request inside a transaction sees the transaction's
 * copies (transaction.c records every access, as Xen's access_node does);
 * outside one it works on the database directly.  Every modification takes
 * a new global generation (Xen's generation count), which transactions use
 * to detect conflicts and DIRECTORY_PART reports.
 */
#include "core.h"

#include <stdlib.h>
#include <string.h>

const struct xs_node *xs_db_get(const struct xs_server *srv, const char *name)
{
    return xs_hash_get(&srv->db, name);
}

int xs_db_put(struct xs_server *srv, const char *name, struct xs_node *n)
{
    void *old;
    int err = xs_hash_put(&srv->db, name, n, &old);
    if (err) {
        xs_log(srv, "store: cannot store %s: out of memory", name);
        xs_node_free(n);
        return err;
    }
    /* Nodes are accounted to their owner (Xen's domain_nbentry_*). */
    if (old) {
        xs_domain_nodes_add(srv, xs_node_owner(old), -1);
        xs_node_free(old);
    }
    xs_domain_nodes_add(srv, xs_node_owner(n), 1);
    return 0;
}

void xs_db_del(struct xs_server *srv, const char *name)
{
    struct xs_node *n = xs_hash_del(&srv->db, name);
    if (n) {
        xs_domain_nodes_add(srv, xs_node_owner(n), -1);
        xs_node_free(n);
    }
}

const struct xs_node *xs_read_node(struct xs_req *r, const char *name, int *err)
{
    const struct xs_node *n;
    if (r->trans) {
        struct xs_tnode *tn = xs_trans_access(r, name, false, err);
        if (!tn)
            return NULL;
        n = tn->node;
    } else {
        n = xs_db_get(r->srv, name);
    }
    if (!n)
        *err = ENOENT;
    return n;
}

int xs_write_node(struct xs_req *r, const char *name, struct xs_node *n, bool check_quota)
{
    int err;
    if (check_quota && xs_quota_exceeds(r->conn, XS_Q_NODE_SIZE, (unsigned int)xs_node_size(n))) {
        xs_node_free(n);
        /* Undoing a half-done change inside a transaction is not possible. */
        if (r->trans)
            r->trans->fail = true;
        return ENOSPC;
    }
    n->generation = ++r->srv->generation;
    if (!r->trans)
        return xs_db_put(r->srv, name, n);
    struct xs_tnode *tn = xs_trans_access(r, name, true, &err);
    if (!tn) {
        xs_node_free(n);
        return err;
    }
    xs_node_free(tn->node);
    tn->node = n;
    tn->modified = true;
    return 0;
}

int xs_delete_node(struct xs_req *r, const char *name)
{
    int err;
    r->srv->generation++;
    if (!r->trans) {
        xs_db_del(r->srv, name);
        return 0;
    }
    struct xs_tnode *tn = xs_trans_access(r, name, true, &err);
    if (!tn)
        return err;
    xs_node_free(tn->node);
    tn->node = NULL;
    tn->modified = true;
    return 0;
}

/*
 * A request failed on name with err: if the caller may not have perm on
 * the closest existing ancestor, say EACCES instead, so that nodes it may
 * not see do not reveal themselves (Xen's errno_from_parents/ask_parents).
 */
static int errno_from_parents(struct xs_req *r, const char *name, int err, unsigned int perm)
{
    if (err == ENOMEM || err == ENOSPC)
        return err;
    char *p = strdup(name);
    if (!p)
        return ENOMEM;
    const struct xs_node *n = NULL;
    while (strcmp(p, "/") != 0) {
        char *parent = xs_path_parent(p);
        free(p);
        if (!(p = parent))
            return ENOMEM;
        int e;
        n = xs_read_node(r, p, &e);
        if (n)
            break;
        if (e != ENOENT) {
            free(p);
            return e;
        }
    }
    free(p);
    if (!n) {
        xs_log(r->srv, "store: no node at the root while checking %s", name);
        return EACCES;
    }
    return (xs_perm_for_conn(r->conn, n->perms, n->nperms) & perm) ? err : EACCES;
}

const struct xs_node *xs_get_node(struct xs_req *r, const char *path, unsigned int perm,
                                  bool allow_special, char **canon, int *err)
{
    if (canon)
        *canon = NULL;
    char *name = xs_canonicalize(r->conn, path, allow_special, err);
    if (!name)
        return NULL;
    const struct xs_node *n = xs_read_node(r, name, err);
    if (n && (xs_perm_for_conn(r->conn, n->perms, n->nperms) & perm) != perm) {
        n = NULL;
        *err = EACCES;
    }
    if (!n)
        *err = errno_from_parents(r, name, *err, perm);
    if (canon)
        *canon = name;
    else
        free(name);
    return n;
}

/*
 * Create name and its missing ancestors (WRITE and MKDIR create parents
 * with empty values).  New nodes inherit their parent's permissions; an
 * unprivileged creator becomes their owner (Xen's construct_node).  All
 * quota checks happen before anything is written.
 */
int xs_create_node(struct xs_req *r, const char *name, const void *data, uint32_t len)
{
    enum { MAX_LEVELS = XENSTORE_ABS_PATH_MAX / 2 + 1 };
    char **names = NULL;
    struct xs_node **nodes = NULL;
    unsigned int k = 0, i;
    int err = 0;
    const struct xs_node *parent = NULL;
    struct xs_node *pcopy = NULL;
    char *pname = NULL;

    names = calloc(MAX_LEVELS, sizeof(*names));
    nodes = calloc(MAX_LEVELS, sizeof(*nodes));
    if (!names || !nodes) {
        err = ENOMEM;
        goto out;
    }
    /* Walk up until an existing node: names[0] = name, names[k-1] = topmost missing. */
    char *cur = strdup(name);
    if (!cur) {
        err = ENOMEM;
        goto out;
    }
    for (;;) {
        if (k == MAX_LEVELS || strcmp(cur, "/") == 0) {
            /* The root always exists; reaching it means corruption. */
            xs_log(r->srv, "store: creating %s: no existing ancestor", name);
            free(cur);
            err = EIO;
            goto out;
        }
        names[k++] = cur;
        pname = xs_path_parent(cur);
        if (!pname) {
            err = ENOMEM;
            goto out;
        }
        parent = xs_read_node(r, pname, &err);
        if (parent)
            break;
        if (err != ENOENT)
            goto out;
        cur = pname;
        pname = NULL;
    }
    err = 0;

    /* Node quota: the creator's domain would own k more nodes. */
    if (r->conn && r->conn->domain) {
        int have = (int)r->conn->domain->nodes + (r->trans ? r->trans->created : 0);
        if (have < 0)
            have = 0;
        if (xs_quota_exceeds(r->conn, XS_Q_NODES, (unsigned int)have + k)) {
            err = ENOSPC;
            goto out;
        }
    }

    /* Build top-down: each new node inherits from the one above. */
    const struct xs_node *above = parent;
    for (i = k; i-- > 0;) {
        struct xs_node *n = xs_node_new(above->perms, above->nperms, i == 0 ? data : NULL, i == 0 ? len : 0);
        if (!n) {
            err = ENOMEM;
            goto out;
        }
        if (!xs_conn_is_priv(r->conn))
            n->perms[0].id = r->conn->id;
        if (i > 0 && xs_node_add_child(n, xs_path_base(names[i - 1]))) {
            xs_node_free(n);
            err = ENOMEM;
            goto out;
        }
        nodes[i] = n;
        above = n;
    }
    pcopy = xs_node_dup(parent);
    if (!pcopy || xs_node_add_child(pcopy, xs_path_base(names[k - 1]))) {
        err = ENOMEM;
        goto out;
    }
    for (i = 0; i < k; i++)
        if (xs_quota_exceeds(r->conn, XS_Q_NODE_SIZE, (unsigned int)xs_node_size(nodes[i]))) {
            err = ENOSPC;
            goto out;
        }
    if (xs_quota_exceeds(r->conn, XS_Q_NODE_SIZE, (unsigned int)xs_node_size(pcopy))) {
        err = ENOSPC;
        goto out;
    }

    /* Write bottom-up, the existing parent last (as Xen does). */
    for (i = 0; i < k; i++) {
        struct xs_node *n = nodes[i];
        nodes[i] = NULL;
        err = xs_write_node(r, names[i], n, false);
        if (err) {
            while (i-- > 0)
                xs_delete_node(r, names[i]);
            goto out;
        }
    }
    err = xs_write_node(r, pname, pcopy, false);
    pcopy = NULL;
    if (err) {
        for (i = 0; i < k; i++)
            xs_delete_node(r, names[i]);
        goto out;
    }
    if (r->trans && !xs_conn_is_priv(r->conn))
        r->trans->created += (int)k;
out:
    if (err && r->trans)
        r->trans->fail = r->trans->fail || err == ENOMEM;
    xs_node_free(pcopy);
    free(pname);
    if (names)
        for (i = 0; i < MAX_LEVELS && names[i]; i++)
            free(names[i]);
    if (nodes)
        for (i = 0; i < MAX_LEVELS; i++)
            xs_node_free(nodes[i]);
    free(names);
    free(nodes);
    return err;
}

/* Post-order removal: descendants fire exact events, the root a subtree one. */
static int rm_subtree(struct xs_req *r, const char *name, bool root)
{
    int err;
    const struct xs_node *n = xs_read_node(r, name, &err);
    if (!n)
        return err == ENOENT ? 0 : err;     /* vanished child: nothing to do */
    /* Deleting descendants never touches n itself, so n stays valid. */
    for (uint32_t off = 0; off < n->childlen; off += (uint32_t)strlen(n->children + off) + 1) {
        char *c = xs_path_child(name, n->children + off);
        if (!c)
            return ENOMEM;
        err = rm_subtree(r, c, false);
        free(c);
        if (err)
            return err;
    }
    /* Fire while the node and its permissions are still visible. */
    xs_fire_watches(r, name, n, root ? XS_MATCH_SUBTREE : XS_MATCH_EXACT, NULL, 0);
    return xs_delete_node(r, name);
}

int xs_rm_node(struct xs_req *r, const char *name)
{
    int err;
    char *pname = xs_path_parent(name);
    if (!pname)
        return ENOMEM;
    const struct xs_node *parent = xs_read_node(r, pname, &err);
    if (!parent) {
        free(pname);
        return (err == ENOMEM || err == ENOSPC) ? err : EINVAL;
    }
    err = rm_subtree(r, name, true);
    if (!err) {
        /* Re-read: the transaction view may have moved. */
        parent = xs_read_node(r, pname, &err);
        struct xs_node *p = parent ? xs_node_dup(parent) : NULL;
        if (!p) {
            err = parent ? ENOMEM : err;
        } else if (xs_node_del_child(p, xs_path_base(name))) {
            xs_log(r->srv, "store: %s is missing from the children of %s", xs_path_base(name), pname);
            xs_node_free(p);
            err = EIO;
        } else {
            /* Shrinking a node needs no quota check (Xen: no_quota_check). */
            err = xs_write_node(r, pname, p, false);
        }
    }
    if (err && r->trans)
        r->trans->fail = true;
    free(pname);
    return err;
}
