/* SPDX-License-Identifier: MIT */
/*
 * The wire operations: one table row per xsd_sockmsg_type (name, handler,
 * flags) and one dispatcher, as Xen's wire_funcs.  Unknown or reply-only
 * types get ENOSYS, privileged ones EACCES for unprivileged callers, and a
 * tx_id naming no open transaction ENOENT (WATCH and UNWATCH ignore tx_id).
 */
#include "core.h"

#include <string.h>

#define F_PRIV  1u      /* control domain (and sockets) only */
#define F_NOTID 2u      /* tx_id is ignored */

static const struct op {
    const char *name;
    int (*fn)(struct xs_req *r);
    unsigned int flags;
} ops[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { "CONTROL", xs_do_control, F_PRIV },
    [XS_DIRECTORY] = { "DIRECTORY", xs_do_directory, 0 },
    [XS_READ] = { "READ", xs_do_read, 0 },
    [XS_GET_PERMS] = { "GET_PERMS", xs_do_get_perms, 0 },
    [XS_WATCH] = { "WATCH", xs_do_watch, F_NOTID },
    [XS_UNWATCH] = { "UNWATCH", xs_do_unwatch, F_NOTID },
    [XS_TRANSACTION_START] = { "TRANSACTION_START", xs_trans_start, 0 },
    [XS_TRANSACTION_END] = { "TRANSACTION_END", xs_trans_end, 0 },
    [XS_INTRODUCE] = { "INTRODUCE", xs_do_introduce, F_PRIV },
    [XS_RELEASE] = { "RELEASE", xs_do_release, F_PRIV },
    [XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", xs_do_get_domain_path, 0 },
    [XS_WRITE] = { "WRITE", xs_do_write, 0 },
    [XS_MKDIR] = { "MKDIR", xs_do_mkdir, 0 },
    [XS_RM] = { "RM", xs_do_rm, 0 },
    [XS_SET_PERMS] = { "SET_PERMS", xs_do_set_perms, 0 },
    [XS_WATCH_EVENT] = { "WATCH_EVENT", NULL, 0 },
    [XS_ERROR] = { "ERROR", NULL, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED", xs_do_is_domain_introduced, F_PRIV },
    [XS_RESUME] = { "RESUME", xs_do_resume, F_PRIV },
    [XS_SET_TARGET] = { "SET_TARGET", xs_do_set_target, F_PRIV },
    [XS_RESET_WATCHES] = { "RESET_WATCHES", xs_do_reset_watches, 0 },
    [XS_DIRECTORY_PART] = { "DIRECTORY_PART", xs_do_directory_part, 0 },
    [XS_GET_FEATURE] = { "GET_FEATURE", xs_do_get_feature, 0 },
    [XS_SET_FEATURE] = { "SET_FEATURE", xs_do_set_feature, F_PRIV },
    [XS_GET_QUOTA] = { "GET_QUOTA", xs_do_get_quota, F_PRIV },
    [XS_SET_QUOTA] = { "SET_QUOTA", xs_do_set_quota, F_PRIV },
};

const char *xs_type_name(uint32_t type)
{
    if (type < XS_TYPE_COUNT && ops[type].name)
        return ops[type].name;
    return "UNKNOWN";
}

unsigned int xs_get_strings(const char *buf, uint32_t len, const char **vec, unsigned int num)
{
    unsigned int i = 0;
    uint32_t off = 0;
    while (off < len) {
        const char *nul = memchr(buf + off, 0, len - off);
        if (!nul)
            break;      /* trailing bytes without a NUL are not a string */
        if (i < num)
            vec[i] = buf + off;
        i++;
        off = (uint32_t)(nul - buf) + 1;
    }
    return i;
}

const char *xs_onearg(const struct xs_req *r)
{
    /* Exactly one NUL, at the end. */
    if (!r->len || memchr(r->buf, 0, r->len) != r->buf + r->len - 1)
        return NULL;
    return r->buf;
}

void xs_process(struct xs_conn *conn, const struct xsd_sockmsg *hdr, const char *body)
{
    struct xs_server *srv = conn->srv;
    struct xs_req r = { .srv = srv, .conn = conn, .hdr = *hdr, .buf = body, .len = hdr->len };
    if ((srv->trace_flags & XS_TRACE_IO) && srv->env.trace)
        srv->env.trace(srv, conn, "IN", hdr, body);
    const struct op *op = hdr->type < XS_TYPE_COUNT ? &ops[hdr->type] : NULL;
    if (!op || !op->fn) {
        xs_log(srv, "%s: unknown operation %u", conn->name, hdr->type);
        xs_reply_error(&r, ENOSYS);
        return;
    }
    if ((op->flags & F_PRIV) && !xs_conn_is_priv(conn)) {
        xs_reply_error(&r, EACCES);
        return;
    }
    if (!(op->flags & F_NOTID) && hdr->tx_id) {
        r.trans = xs_trans_lookup(conn, hdr->tx_id);
        if (!r.trans) {
            xs_reply_error(&r, ENOENT);
            return;
        }
    }
    int err = op->fn(&r);
    if (err)
        xs_reply_error(&r, err);
}
