/* SPDX-License-Identifier: MIT */
/*
 * Server lifetime and the initial store: "/", "/tool", "/tool/xenstored"
 * and the special nodes "@introduceDomain" and "@releaseDomain", all owned
 * by the control domain with no access for others, except that everybody
 * may read @releaseDomain (Xen's setup_structure).  /local/domain/0 and the
 * rest are written by the toolstack (xen-init-dom0's job), not here.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xs_log(struct xs_server *srv, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (srv->env.log)
        srv->env.log(srv, line);
    else
        fprintf(stderr, "xenstored: %s\n", line);
}

static int initial_node(struct xs_server *srv, const char *name, const char *child,
                        const struct xs_perm *perms, unsigned int nperms)
{
    struct xs_node *n = xs_node_new(perms, nperms, NULL, 0);
    if (!n || (child && xs_node_add_child(n, child))) {
        xs_node_free(n);
        return ENOMEM;
    }
    n->generation = ++srv->generation;
    return xs_db_put(srv, name, n);
}

int xs_server_init(struct xs_server *srv, const struct xs_env *env)
{
    memset(srv, 0, sizeof(*srv));
    if (env)
        srv->env = *env;
    xs_hash_init(&srv->db);
    memcpy(srv->quota, xs_quota_defaults, sizeof(srv->quota));
    srv->priv_domid = 0;
    srv->trace_flags = XS_TRACE_IO;
    const struct xs_perm none = { .id = srv->priv_domid, .perms = XS_PERM_NONE };
    const struct xs_perm rel[] = { none, { .id = DOMID_ANY, .perms = XS_PERM_READ } };
    int err = initial_node(srv, "/", "tool", &none, 1);
    err = err ? err : initial_node(srv, "/tool", "xenstored", &none, 1);
    err = err ? err : initial_node(srv, "/tool/xenstored", NULL, &none, 1);
    err = err ? err : initial_node(srv, "@releaseDomain", NULL, rel, 2);
    err = err ? err : initial_node(srv, "@introduceDomain", NULL, &none, 1);
    if (err) {
        xs_log(srv, "cannot create the initial store: %s", xs_errno_name(err));
        xs_server_destroy(srv);
    }
    return err;
}

void xs_server_destroy(struct xs_server *srv)
{
    while (srv->conns)
        xs_conn_free(srv->conns);
    for (unsigned int b = 0; b < XS_DOMAIN_BUCKETS; b++)
        while (srv->domains[b]) {
            struct xs_domain *d = srv->domains[b];
            srv->domains[b] = d->next;
            free(d);
        }
    xs_hash_destroy(&srv->db, xs_node_free_void);
}
