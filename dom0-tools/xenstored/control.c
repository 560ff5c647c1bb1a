/* SPDX-License-Identifier: MIT */
/*
 * CONTROL <command>|[<parameters>|]* (formerly DEBUG): the implementation
 * specific commands of docs/misc/xenstore.txt that make sense here:
 * check, log, logfile, print, quota, help.  Live update and memreport are
 * not provided.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct control_cmd {
    const char *name;
    int (*fn)(struct xs_req *r, const char **vec, unsigned int n);
    const char *pars;
};

static int reply_text(struct xs_req *r, const char *text)
{
    return xs_reply_str(r, XS_CONTROL, text);
}

/* Walk the tree: every child listed exists, every count adds up. */
struct check_state {
    struct xs_server *srv;
    unsigned int reachable, problems;
};

static void check_walk(struct check_state *st, const char *name)
{
    const struct xs_node *n = xs_db_get(st->srv, name);
    if (!n)
        return;
    st->reachable++;
    for (uint32_t off = 0; off < n->childlen; off += (uint32_t)strlen(n->children + off) + 1) {
        char *c = xs_path_child(name, n->children + off);
        if (!c)
            return;
        if (!xs_db_get(st->srv, c)) {
            xs_log(st->srv, "check: %s lists missing child %s", name, c);
            st->problems++;
        } else {
            check_walk(st, c);
        }
        free(c);
    }
}

static int cmd_check(struct xs_req *r, const char **vec, unsigned int n)
{
    (void)vec;
    if (n)
        return EINVAL;
    struct check_state st = { .srv = r->srv };
    check_walk(&st, "/");
    check_walk(&st, "@introduceDomain");
    check_walk(&st, "@releaseDomain");
    if (st.reachable != r->srv->db.count) {
        xs_log(r->srv, "check: %zu nodes stored, %u reachable", r->srv->db.count, st.reachable);
        st.problems++;
    }
    xs_log(r->srv, "check: %u nodes, %u problems", st.reachable, st.problems);
    return xs_reply_ack(r);
}

static int cmd_log(struct xs_req *r, const char **vec, unsigned int n)
{
    if (n == 0) {
        char out[64];
        snprintf(out, sizeof(out), "Log switch settings:\n%-8s: %s\n", "io",
                 (r->srv->trace_flags & XS_TRACE_IO) ? "on" : "off");
        return reply_text(r, out);
    }
    if (n != 1)
        return EINVAL;
    if (!strcmp(vec[0], "+io")) {
        r->srv->trace_flags |= XS_TRACE_IO;
    } else if (!strcmp(vec[0], "-io")) {
        r->srv->trace_flags &= ~XS_TRACE_IO;
    } else if (!strcmp(vec[0], "on") || !strcmp(vec[0], "off")) {
        if (!r->srv->env.log_control)
            return EINVAL;
        int err = r->srv->env.log_control(r->srv, vec[0], NULL);
        if (err)
            return err;
    } else {
        return EINVAL;
    }
    return xs_reply_ack(r);
}

static int cmd_logfile(struct xs_req *r, const char **vec, unsigned int n)
{
    if (n != 1 || !r->srv->env.log_control)
        return EINVAL;
    int err = r->srv->env.log_control(r->srv, "logfile", vec[0]);
    return err ? err : xs_reply_ack(r);
}

static int cmd_print(struct xs_req *r, const char **vec, unsigned int n)
{
    if (n != 1)
        return EINVAL;
    xs_log(r->srv, "control: %s", vec[0]);
    return xs_reply_ack(r);
}

static const char *const quota_descr[XS_Q_N] = {
    [XS_Q_NODES] = "Nodes per domain",
    [XS_Q_WATCHES] = "Watches per domain",
    [XS_Q_OUTSTANDING] = "Outstanding requests per domain",
    [XS_Q_TRANSACTIONS] = "Active transactions per domain",
    [XS_Q_TRANS_NODES] = "Max. number of accessed nodes per transaction",
    [XS_Q_PERMS] = "Max. number of permissions per node",
    [XS_Q_PATH_MAX] = "Max. length of a node path",
    [XS_Q_NODE_SIZE] = "Max. size of a node",
};

static int cmd_quota(struct xs_req *r, const char **vec, unsigned int n)
{
    char out[1024];
    size_t len = 0;
    if (n == 0) {
        len += (size_t)snprintf(out, sizeof(out), "Quota settings:\n");
        for (int i = 0; i < XS_Q_N; i++)
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%-17s: %8u %s\n", xs_quota_names[i],
                                    r->srv->quota[i], quota_descr[i]);
        return reply_text(r, out);
    }
    if (!strcmp(vec[0], "set")) {
        int q;
        char *end;
        if (n != 3 || (q = xs_quota_lookup(vec[1])) < 0)
            return EINVAL;
        unsigned long v = strtoul(vec[2], &end, 10);
        if (*end || end == vec[2] || v < 1 || v > 0x7fffffff)
            return EINVAL;
        r->srv->quota[q] = (unsigned int)v;
        return xs_reply_ack(r);
    }
    unsigned int domid;
    if (n != 1 || xs_parse_domid(vec[0], &domid))
        return EINVAL;
    const struct xs_domain *d = xs_domain_find(r->srv, domid);
    if (!d)
        return ENOENT;
    const struct xs_conn *c = d->conn;
    unsigned int used[XS_Q_N] = {
        [XS_Q_NODES] = d->nodes,
        [XS_Q_WATCHES] = c ? c->nwatches : 0,
        [XS_Q_OUTSTANDING] = c ? c->outstanding : 0,
        [XS_Q_TRANSACTIONS] = c ? c->ntrans : 0,
    };
    len += (size_t)snprintf(out, sizeof(out), "Domain %u:\n", domid);
    for (int i = XS_Q_NODES; i <= XS_Q_TRANSACTIONS; i++)
        len += (size_t)snprintf(out + len, sizeof(out) - len, "%-17s: %8u (quota %8u)\n", xs_quota_names[i],
                                used[i], d->quota[i]);
    return reply_text(r, out);
}

static int cmd_help(struct xs_req *r, const char **vec, unsigned int n);

static const struct control_cmd cmds[] = {
    { "check", cmd_check, "" },
    { "log", cmd_log, "[on|off|+io|-io]" },
    { "logfile", cmd_logfile, "<file>" },
    { "print", cmd_print, "<string>" },
    { "quota", cmd_quota, "[set <name> <val>|<domid>]" },
    { "help", cmd_help, "" },
};

static int cmd_help(struct xs_req *r, const char **vec, unsigned int n)
{
    (void)vec;
    if (n)
        return EINVAL;
    char out[512];
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        len += (size_t)snprintf(out + len, sizeof(out) - len, "%-15s %s\n", cmds[i].name, cmds[i].pars);
    return reply_text(r, out);
}

int xs_do_control(struct xs_req *r)
{
    const char *vec[8];
    unsigned int n = xs_get_strings(r->buf, r->len, vec, 8);
    if (n == 0)
        return EINVAL;
    if (n > 8)
        return E2BIG;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(vec[0], cmds[i].name))
            return cmds[i].fn(r, vec + 1, n - 1);
    return EINVAL;
}
