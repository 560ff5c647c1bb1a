/* SPDX-License-Identifier: MIT */
/*
 * Domains (docs/misc/xenstore.txt "Domain management and xenstored
 * communications", Xen's domain.c).  INTRODUCE makes xenstored serve a
 * domain's ring and fires @introduceDomain; RELEASE (or the domain's death)
 * stops serving it, removes the nodes it owns and its entries in other
 * nodes' permissions, and fires @releaseDomain.  Special watches fire both
 * as "@x" (plain watches) and "@x/<domid>" (watches with a depth).
 */
#include "core.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xs_domain *xs_domain_find(const struct xs_server *srv, unsigned int domid)
{
    for (struct xs_domain *d = srv->domains[domid % XS_DOMAIN_BUCKETS]; d; d = d->next)
        if (d->domid == domid)
            return d;
    return NULL;
}

struct xs_domain *xs_domain_get(struct xs_server *srv, unsigned int domid)
{
    struct xs_domain *d = xs_domain_find(srv, domid);
    if (d)
        return d;
    d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->domid = domid;
    d->features = XS_SUPPORTED_FEATURES;
    memcpy(d->quota, srv->quota, sizeof(d->quota));
    d->next = srv->domains[domid % XS_DOMAIN_BUCKETS];
    srv->domains[domid % XS_DOMAIN_BUCKETS] = d;
    return d;
}

void xs_domain_nodes_add(struct xs_server *srv, unsigned int domid, int delta)
{
    struct xs_domain *d = xs_domain_get(srv, domid);
    if (!d) {
        xs_log(srv, "domain %u: no memory to account its nodes", domid);
        return;
    }
    if (delta < 0 && d->nodes < (unsigned int)-delta) {
        xs_log(srv, "domain %u: node count would go negative (%u %d)", domid, d->nodes, delta);
        d->nodes = 0;
        return;
    }
    d->nodes = (unsigned int)((int)d->nodes + delta);
}

int xs_parse_domid(const char *s, unsigned int *domid)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return EINVAL;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > 65535)
        return EINVAL;
    *domid = (unsigned int)v;
    return 0;
}

/*
 * Remove what a gone domain leaves behind (Xen's domain_tree_remove): the
 * nodes it owns, with their subtrees, and its entries in the permissions of
 * the others.
 */
static void tree_remove(struct xs_server *srv, unsigned int domid, const char *name)
{
    struct xs_req r = { .srv = srv };
    const struct xs_node *n = xs_db_get(srv, name);
    if (!n)
        return;
    if (xs_node_owner(n) == domid && strcmp(name, "/") != 0 && name[0] != '@') {
        int err = xs_rm_node(&r, name);
        if (err)
            xs_log(srv, "domain %u: removing its node %s failed (%s)", domid, name, xs_errno_name(err));
        return;
    }
    bool mentioned = false;
    for (unsigned int i = 1; i < n->nperms; i++)
        mentioned = mentioned || n->perms[i].id == domid;
    if (mentioned) {
        struct xs_node *c = xs_node_dup(n);
        if (!c) {
            xs_log(srv, "domain %u: no memory to clean the permissions of %s", domid, name);
        } else {
            unsigned int k = 1;
            for (unsigned int i = 1; i < c->nperms; i++)
                if (c->perms[i].id != domid)
                    c->perms[k++] = c->perms[i];
            c->nperms = k;
            int err = xs_write_node(&r, name, c, false);
            if (err)
                xs_log(srv, "domain %u: cleaning the permissions of %s failed", domid, name);
        }
        n = xs_db_get(srv, name);
        if (!n)
            return;
    }
    /* Copy the children list: removals below rewrite this node. */
    if (!n->childlen)
        return;
    char *children = malloc(n->childlen);
    uint32_t childlen = n->childlen;
    if (!children) {
        xs_log(srv, "domain %u: no memory to walk %s", domid, name);
        return;
    }
    memcpy(children, n->children, childlen);
    for (uint32_t off = 0; off < childlen; off += (uint32_t)strlen(children + off) + 1) {
        char *c = xs_path_child(name, children + off);
        if (!c) {
            xs_log(srv, "domain %u: no memory to walk %s", domid, name);
            break;
        }
        tree_remove(srv, domid, c);
        free(c);
    }
    free(children);
}

void xs_domain_destroy(struct xs_server *srv, struct xs_domain *d)
{
    bool was_introduced = d->introduced;
    if (d->conn) {
        /* Its own watches must not fire while its nodes go away. */
        xs_watch_delete_all(d->conn);
        xs_conn_free(d->conn);
        d->conn = NULL;
    }
    d->introduced = false;
    tree_remove(srv, d->domid, "/");
    tree_remove(srv, d->domid, "@releaseDomain");
    tree_remove(srv, d->domid, "@introduceDomain");
    if (was_introduced && srv->env.release)
        srv->env.release(srv, d);
    d->intf = NULL;
    d->port = 0;
    d->os = NULL;
    d->shutdown = false;
    if (was_introduced)
        xs_fire_special(srv, "@releaseDomain", d->domid, XS_SPECIAL_NODOM | XS_SPECIAL_DOM);
}

void xs_check_domains(struct xs_server *srv)
{
    bool fire = false;
    if (!srv->env.domain_info)
        return;
    for (unsigned int b = 0; b < XS_DOMAIN_BUCKETS; b++) {
        struct xs_domain *d = srv->domains[b];
        while (d) {
            struct xs_domain *next = d->next;
            bool exists = true, shutdown = false;
            if (d->introduced && d->domid != srv->priv_domid &&
                srv->env.domain_info(srv, d->domid, &exists, &shutdown) == 0) {
                if (!exists) {
                    xs_domain_destroy(srv, d);      /* fires @releaseDomain itself */
                } else if (shutdown && !d->shutdown) {
                    /* Once per shutdown, until RESUME. */
                    d->shutdown = true;
                    xs_fire_special(srv, "@releaseDomain", d->domid, XS_SPECIAL_DOM);
                    fire = true;
                }
            }
            d = next;
        }
    }
    if (fire)
        xs_fire_special(srv, "@releaseDomain", 0, XS_SPECIAL_NODOM);
}

static void conn_reset(struct xs_domain *d)
{
    xs_conn_reset(d->conn);
    if (d->intf) {
        d->intf->req_cons = d->intf->req_prod = 0;
        d->intf->rsp_cons = d->intf->rsp_prod = 0;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
}

static int attach(struct xs_server *srv, struct xs_domain *d)
{
    char name[32];
    snprintf(name, sizeof(name), "dom%u", d->domid);
    d->conn = xs_conn_new(srv, d->domid, d, name);
    if (!d->conn)
        return ENOMEM;
    d->introduced = true;
    d->shutdown = false;
    if (d->intf)
        d->intf->server_features = d->features;
    return 0;
}

int xs_domain_attach(struct xs_server *srv, struct xs_domain *d)
{
    int err = attach(srv, d);
    if (err)
        return err;
    if (d->intf)
        d->intf->connection = XENSTORE_CONNECTED;
    if (srv->env.notify)
        srv->env.notify(srv, d);
    return 0;
}

/* INTRODUCE <domid>|<gfn>|<evtchn>|? */
int xs_do_introduce(struct xs_req *r)
{
    const char *vec[3];
    unsigned int domid;
    if (xs_get_strings(r->buf, r->len, vec, 3) < 3 || xs_parse_domid(vec[0], &domid))
        return EINVAL;
    /* The gfn is signed decimal (docs: "represented in signed decimal (!)"). */
    char *end;
    long long gfn = strtoll(vec[1], &end, 10);
    if (*end || end == vec[1])
        return EINVAL;
    long port = strtol(vec[2], &end, 10);
    if (*end || port <= 0 || port > 0x7fffffff)
        return EINVAL;
    /* xenstored connects its own domain itself at start. */
    if (domid == r->srv->priv_domid || domid >= DOMID_FIRST_RESERVED)
        return EINVAL;
    struct xs_domain *d = xs_domain_get(r->srv, domid);
    if (!d)
        return ENOMEM;
    if (!d->introduced) {
        d->gfn = (uint64_t)gfn;
        d->remote_port = (uint32_t)port;
        if (r->srv->env.introduce) {
            int err = r->srv->env.introduce(r->srv, d);
            if (err) {
                xs_log(r->srv, "INTRODUCE dom%u gfn %lld port %ld: %s", domid, gfn, port, xs_errno_name(err));
                return err;
            }
        }
        int err = attach(r->srv, d);
        if (err) {
            if (r->srv->env.release)
                r->srv->env.release(r->srv, d);
            return err;
        }
        xs_log(r->srv, "dom%u introduced (gfn %lld, port %ld -> local %u)", domid, gfn, port, d->port);
        xs_fire_special(r->srv, "@introduceDomain", domid, XS_SPECIAL_NODOM | XS_SPECIAL_DOM);
    } else {
        /* A known domain: only its event channel is recreated. */
        d->remote_port = (uint32_t)port;
        if (r->srv->env.rebind && r->srv->env.rebind(r->srv, d))
            xs_log(r->srv, "INTRODUCE dom%u: rebinding port %ld failed", domid, port);
    }
    conn_reset(d);
    if (d->intf && d->intf->connection == XENSTORE_RECONNECT) {
        d->intf->connection = XENSTORE_CONNECTED;
        if (r->srv->env.notify)
            r->srv->env.notify(r->srv, d);
    }
    return xs_reply_ack(r);
}

/* The introduced domain named by the only argument (not ourselves). */
static int onearg_domain(struct xs_req *r, struct xs_domain **out)
{
    unsigned int domid;
    if (xs_parse_domid(xs_onearg(r), &domid) || domid == r->srv->priv_domid)
        return EINVAL;
    struct xs_domain *d = xs_domain_find(r->srv, domid);
    if (!d || !d->introduced)
        return ENOENT;
    if (!d->conn)
        return EINVAL;
    *out = d;
    return 0;
}

/* RELEASE <domid>| */
int xs_do_release(struct xs_req *r)
{
    struct xs_domain *d;
    int err = onearg_domain(r, &d);
    if (err)
        return err;
    xs_log(r->srv, "dom%u released", d->domid);
    xs_domain_destroy(r->srv, d);
    return xs_reply_ack(r);
}

/* RESUME <domid>|: @releaseDomain may fire again on the next shutdown. */
int xs_do_resume(struct xs_req *r)
{
    struct xs_domain *d;
    int err = onearg_domain(r, &d);
    if (err)
        return err;
    d->shutdown = false;
    return xs_reply_ack(r);
}

/* SET_TARGET <domid>|<tdomid>|: domid acts with tdomid's rights too. */
int xs_do_set_target(struct xs_req *r)
{
    const char *vec[2];
    unsigned int domid, tdomid;
    if (xs_get_strings(r->buf, r->len, vec, 2) < 2 || xs_parse_domid(vec[0], &domid) ||
        xs_parse_domid(vec[1], &tdomid))
        return EINVAL;
    struct xs_domain *d = xs_domain_find(r->srv, domid);
    struct xs_domain *t = xs_domain_find(r->srv, tdomid);
    if (!d || !d->introduced || !t || !t->introduced)
        return ENOENT;
    if (!d->conn || !t->conn)
        return EINVAL;
    d->conn->target = t->conn;
    return xs_reply_ack(r);
}

/* GET_DOMAIN_PATH <domid>| -> /local/domain/<domid>| */
int xs_do_get_domain_path(struct xs_req *r)
{
    unsigned int domid;
    if (xs_parse_domid(xs_onearg(r), &domid))
        return EINVAL;
    char path[32];
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    return xs_reply_str(r, XS_GET_DOMAIN_PATH, path);
}

/* IS_DOMAIN_INTRODUCED <domid>| -> T| or F| */
int xs_do_is_domain_introduced(struct xs_req *r)
{
    unsigned int domid;
    if (xs_parse_domid(xs_onearg(r), &domid))
        return EINVAL;
    const struct xs_domain *d = xs_domain_find(r->srv, domid);
    bool yes = domid == DOMID_SELF || (d && d->introduced);
    return xs_reply_str(r, XS_IS_DOMAIN_INTRODUCED, yes ? "T" : "F");
}

/* GET_FEATURE [<domid>|] -> <value>| */
int xs_do_get_feature(struct xs_req *r)
{
    const char *vec[1];
    unsigned int n = xs_get_strings(r->buf, r->len, vec, 1), features, domid;
    if (n == 0 || (n == 1 && vec[0][0] == 0 && r->len == 1)) {
        features = r->conn->domain ? r->conn->domain->features : XS_SUPPORTED_FEATURES;
    } else {
        if (!xs_conn_is_priv(r->conn))
            return EACCES;
        if (n > 1 || xs_parse_domid(vec[0], &domid))
            return EINVAL;
        struct xs_domain *d = xs_domain_get(r->srv, domid);
        if (!d)
            return ENOMEM;
        features = d->features;
    }
    char out[16];
    snprintf(out, sizeof(out), "%u", features);
    return xs_reply_str(r, XS_GET_FEATURE, out);
}

/* SET_FEATURE <domid>|<value>|: only before the domain is introduced. */
int xs_do_set_feature(struct xs_req *r)
{
    const char *vec[2];
    unsigned int domid;
    char *end;
    if (xs_get_strings(r->buf, r->len, vec, 2) != 2 || xs_parse_domid(vec[0], &domid))
        return EINVAL;
    unsigned long f = strtoul(vec[1], &end, 10);
    if (*end || end == vec[1])
        return EINVAL;
    struct xs_domain *d = xs_domain_get(r->srv, domid);
    if (!d)
        return ENOMEM;
    if (d->introduced)
        return EBUSY;
    if (f & ~(unsigned long)XS_SUPPORTED_FEATURES)
        return EINVAL;
    d->features = (unsigned int)f;
    return xs_reply_ack(r);
}

/* The quotas a GET/SET_QUOTA names: domid's (creating its record, as
 * for any domain id), or with no domid the defaults for new domains. */
static int quota_table(struct xs_req *r, bool has_domid, const char *domid_str, unsigned int **q)
{
    unsigned int domid;
    *q = r->srv->quota;
    if (!has_domid)
        return 0;
    if (xs_parse_domid(domid_str, &domid))
        return EINVAL;
    struct xs_domain *d = xs_domain_get(r->srv, domid);
    if (!d)
        return ENOMEM;
    *q = d->quota;
    return 0;
}

/* GET_QUOTA [[<domid>|]<quota>|] -> <value>| or the list of quota names */
int xs_do_get_quota(struct xs_req *r)
{
    const char *vec[2];
    unsigned int n = xs_get_strings(r->buf, r->len, vec, 2);
    unsigned int *q;
    char out[256];
    if (n > 2)
        return EINVAL;
    if (n == 0) {
        out[0] = 0;
        for (int i = 0; i < XS_Q_N; i++) {
            strcat(out, i ? " " : "");
            strcat(out, xs_quota_names[i]);
        }
        return xs_reply_str(r, XS_GET_QUOTA, out);
    }
    int err = quota_table(r, n == 2, vec[0], &q);
    if (err)
        return err;
    int i = xs_quota_lookup(vec[n - 1]);
    if (i < 0)
        return EINVAL;
    snprintf(out, sizeof(out), "%u", q[i]);
    return xs_reply_str(r, XS_GET_QUOTA, out);
}

/* SET_QUOTA [<domid>|]<quota>|<value>|: no domid sets the defaults for new domains. */
int xs_do_set_quota(struct xs_req *r)
{
    const char *vec[3];
    unsigned int n = xs_get_strings(r->buf, r->len, vec, 3);
    unsigned int *q;
    if (n < 2 || n > 3)
        return EINVAL;
    int err = quota_table(r, n == 3, vec[0], &q);
    if (err)
        return err;
    const char *val = vec[n - 1];
    int i = xs_quota_lookup(vec[n - 2]);
    char *end;
    unsigned long v = strtoul(val, &end, 10);
    if (i < 0 || *end || end == val || v > 0x7fffffff)
        return EINVAL;
    if (i == XS_Q_PATH_MAX && v > XENSTORE_REL_PATH_MAX)
        v = XENSTORE_REL_PATH_MAX;
    q[i] = (unsigned int)v;
    return xs_reply_ack(r);
}
