/* SPDX-License-Identifier: MIT */
/*
 * Per-domain quotas with Xen's names and default values (tools/xenstored
 * domain.c): 1000 nodes, 128 watches, 20 outstanding requests, 10
 * transactions, 1024 nodes per transaction, 5 permissions per node, 2048
 * bytes of relative path and 2048 bytes per node.  As in Xen, a value v
 * breaks quota q when v >= q, 0 disables a quota, and only unprivileged
 * domains are limited (sockets and the control domain are not).
 */
#include "core.h"

#include <string.h>

const char *const xs_quota_names[XS_Q_N] = {
    [XS_Q_NODES] = "nodes",
    [XS_Q_WATCHES] = "watches",
    [XS_Q_OUTSTANDING] = "outstanding",
    [XS_Q_TRANSACTIONS] = "transactions",
    [XS_Q_TRANS_NODES] = "transaction-nodes",
    [XS_Q_PERMS] = "node-permissions",
    [XS_Q_PATH_MAX] = "path-max",
    [XS_Q_NODE_SIZE] = "node-size",
};

const unsigned int xs_quota_defaults[XS_Q_N] = {
    [XS_Q_NODES] = 1000,
    [XS_Q_WATCHES] = 128,
    [XS_Q_OUTSTANDING] = 20,
    [XS_Q_TRANSACTIONS] = 10,
    [XS_Q_TRANS_NODES] = 1024,
    [XS_Q_PERMS] = 5,
    [XS_Q_PATH_MAX] = XENSTORE_REL_PATH_MAX,
    [XS_Q_NODE_SIZE] = 2048,
};

int xs_quota_lookup(const char *name)
{
    for (int i = 0; i < XS_Q_N; i++)
        if (strcmp(name, xs_quota_names[i]) == 0)
            return i;
    return -1;
}

bool xs_domain_quota_exceeds(const struct xs_server *srv, const struct xs_domain *d,
                             enum xs_quota_item q, unsigned int val)
{
    if (!d || d->domid == srv->priv_domid)
        return false;
    unsigned int limit = d->quota[q];
    return limit && val >= limit;
}

bool xs_quota_exceeds(const struct xs_conn *conn, enum xs_quota_item q, unsigned int val)
{
    /* Sockets have no domain: never limited (Xen's domain_max_chk). */
    if (!conn || !conn->domain)
        return false;
    return xs_domain_quota_exceeds(conn->srv, conn->domain, q, val);
}
