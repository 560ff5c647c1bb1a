/* SPDX-License-Identifier: MIT */
/*
 * Node operations (docs/misc/xenstore.txt "Database read, write and
 * permissions operations"): READ, WRITE, MKDIR, RM, DIRECTORY,
 * DIRECTORY_PART, GET_PERMS, SET_PERMS.
 */
#include "core.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* READ <path>| -> <value|> */
int xs_do_read(struct xs_req *r)
{
    int err;
    const struct xs_node *n = xs_get_node(r, xs_onearg(r), XS_PERM_READ, false, NULL, &err);
    if (!n)
        return err;
    return xs_reply(r, XS_READ, n->data, n->datalen);
}

/* WRITE <path>|<value|>: creates missing parents with empty values. */
int xs_do_write(struct xs_req *r)
{
    const char *vec[1];
    char *name;
    int err;
    if (xs_get_strings(r->buf, r->len, vec, 1) < 1)
        return EINVAL;
    uint32_t off = (uint32_t)strlen(vec[0]) + 1;
    const char *data = r->buf + off;
    uint32_t datalen = r->len - off;
    const struct xs_node *n = xs_get_node(r, vec[0], XS_PERM_WRITE, false, &name, &err);
    if (!n) {
        if (err != ENOENT) {
            free(name);
            return err;
        }
        err = xs_create_node(r, name, data, datalen);
    } else {
        struct xs_node *c = xs_node_dup(n);
        if (!c || xs_node_set_data(c, data, datalen)) {
            xs_node_free(c);
            err = ENOMEM;
        } else {
            err = xs_write_node(r, name, c, true);
        }
    }
    if (!err) {
        xs_fire_watches(r, name, NULL, XS_MATCH_SUBTREE, NULL, 0);
        err = xs_reply_ack(r);
    }
    free(name);
    return err;
}

/* MKDIR <path>|: an existing node is left as it is (and fires nothing). */
int xs_do_mkdir(struct xs_req *r)
{
    char *name;
    int err = 0;
    const struct xs_node *n = xs_get_node(r, xs_onearg(r), XS_PERM_WRITE, false, &name, &err);
    if (!n) {
        if (err != ENOENT) {
            free(name);
            return err;
        }
        err = xs_create_node(r, name, NULL, 0);
        if (!err)
            xs_fire_watches(r, name, NULL, XS_MATCH_SUBTREE, NULL, 0);
    }
    free(name);
    return err ? err : xs_reply_ack(r);
}

/* RM <path>|: fine if absent, but then its parent must exist. */
int xs_do_rm(struct xs_req *r)
{
    char *name;
    int err;
    const struct xs_node *n = xs_get_node(r, xs_onearg(r), XS_PERM_WRITE, false, &name, &err);
    if (!n) {
        if (err == ENOENT) {
            char *pname = xs_path_parent(name);
            if (!pname) {
                err = ENOMEM;
            } else {
                int e2;
                if (xs_read_node(r, pname, &e2))
                    err = 0;
                else if (e2 == ENOMEM || e2 == ENOSPC)
                    err = e2;
                free(pname);
            }
        }
        free(name);
        return err ? err : xs_reply_ack(r);
    }
    if (strcmp(name, "/") == 0) {
        free(name);
        return EINVAL;
    }
    err = xs_rm_node(r, name);
    free(name);
    return err ? err : xs_reply_ack(r);
}

/* DIRECTORY <path>| -> <child-leaf-name>|* (E2BIG beyond one message) */
int xs_do_directory(struct xs_req *r)
{
    int err;
    const struct xs_node *n = xs_get_node(r, xs_onearg(r), XS_PERM_READ, false, NULL, &err);
    if (!n)
        return err;
    return xs_reply(r, XS_DIRECTORY, n->children, n->childlen);
}

/*
 * DIRECTORY_PART <path>|<offset>| -> <gencnt>|<child-leaf-name>|*
 * As much of the children list from byte <offset> as fits; an empty
 * string after the names marks the end of the list.
 */
int xs_do_directory_part(struct xs_req *r)
{
    const char *vec[2];
    int err;
    if (xs_get_strings(r->buf, r->len, vec, 2) != 2 || memchr(r->buf, 0, r->len) == NULL ||
        (uint32_t)(strlen(vec[0]) + strlen(vec[1]) + 2) != r->len)
        return EINVAL;
    const struct xs_node *n = xs_get_node(r, vec[0], XS_PERM_READ, false, NULL, &err);
    if (!n)
        return err;
    char *end;
    unsigned long off = strtoul(vec[1], &end, 10);
    if (*end || end == vec[1])
        return EINVAL;
    char gen[24];
    size_t genlen = (size_t)snprintf(gen, sizeof(gen), "%" PRIu64, n->generation) + 1;
    if (off >= n->childlen) {
        char last[sizeof(gen) + 1];
        memcpy(last, gen, genlen);
        last[genlen] = 0;
        return xs_reply(r, XS_DIRECTORY_PART, last, genlen + 1);
    }
    /* Whole names only, leaving room for the generation and the end marker. */
    size_t len = 0, maxlen = XENSTORE_PAYLOAD_MAX - genlen - 1;
    const char *child = n->children + off;
    while (off + len < n->childlen) {
        size_t l = strnlen(child, n->childlen - off - len);
        if (len + l >= maxlen)
            break;
        len += l + 1;
        child += l + 1;
    }
    bool complete = off + len >= n->childlen;
    char *data = malloc(genlen + len + 1);
    if (!data)
        return ENOMEM;
    memcpy(data, gen, genlen);
    memcpy(data + genlen, n->children + off, len);
    if (complete)
        data[genlen + len++] = 0;
    err = xs_reply(r, XS_DIRECTORY_PART, data, genlen + len);
    free(data);
    return err;
}

/* GET_PERMS <path>| -> <perm-as-string>|+ (special paths allowed) */
int xs_do_get_perms(struct xs_req *r)
{
    int err;
    const struct xs_node *n = xs_get_node(r, xs_onearg(r), XS_PERM_READ, true, NULL, &err);
    if (!n)
        return err;
    char *out = malloc((size_t)n->nperms * 16 + 1);
    if (!out)
        return ENOMEM;
    size_t len = 0;
    for (unsigned int i = 0; i < n->nperms; i++) {
        xs_perm_format(&n->perms[i], out + len, 16);
        len += strlen(out + len) + 1;
    }
    err = xs_reply(r, XS_GET_PERMS, out, len);
    free(out);
    return err;
}

/*
 * SET_PERMS <path>|<perm-as-string>|+: owner or control domain only; only
 * the control domain may change the owner (docs/misc/xenstore.txt).
 */
int xs_do_set_perms(struct xs_req *r)
{
    unsigned int nstr = 0;
    int err;
    for (uint32_t i = 0; i < r->len; i++)
        nstr += r->buf[i] == 0;
    if (nstr < 2)
        return EINVAL;
    unsigned int nperms = nstr - 1;
    if (xs_quota_exceeds(r->conn, XS_Q_PERMS, nperms))
        return ENOSPC;
    struct xs_perm *perms = calloc(nperms, sizeof(*perms));
    if (!perms)
        return ENOMEM;
    err = xs_perms_parse(r->buf + strlen(r->buf) + 1, nperms, perms);
    if (err) {
        free(perms);
        return err;
    }
    char *name;
    const struct xs_node *n = xs_get_node(r, r->buf, XS_PERM_WRITE | XS_PERM_OWNER, true, &name, &err);
    if (!n)
        goto out;
    if (!xs_conn_is_priv(r->conn) && perms[0].id != xs_node_owner(n)) {
        err = EPERM;
        goto out;
    }
    unsigned int old_n = n->nperms;
    struct xs_perm *old = malloc(old_n * sizeof(*old));
    struct xs_node *c = xs_node_dup(n);
    if (!old || !c || xs_node_set_perms(c, perms, nperms)) {
        free(old);
        xs_node_free(c);
        err = ENOMEM;
        goto out;
    }
    memcpy(old, n->perms, old_n * sizeof(*old));
    err = xs_write_node(r, name, c, true);
    if (!err) {
        /* Watchers who could read the node before hear about the change too. */
        xs_fire_watches(r, name, NULL, XS_MATCH_SUBTREE, old, old_n);
        err = xs_reply_ack(r);
    }
    free(old);
out:
    free(name);
    free(perms);
    return err;
}
