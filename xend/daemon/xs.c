/* SPDX-License-Identifier: MIT */
#include "xs.h"
#include "xstree.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *xs_read(struct xsc *c, uint32_t tx, const char *path, int *err)
{
    struct xsc_msg *m;

    *err = xsc_callv(c, XS_READ, tx, &m, path, (char *)NULL);
    if (*err)
        return NULL;
    char *v = xstrndup(m->body, m->hdr.len);
    free(m);
    return v;
}

int xs_write(struct xsc *c, uint32_t tx, const char *path, const char *value)
{
    size_t pl = strlen(path) + 1, vl = strlen(value);
    struct xsc_msg *m;

    if (pl + vl > XENSTORE_PAYLOAD_MAX)
        return E2BIG;
    char *body = xmalloc(pl + vl + 1);
    memcpy(body, path, pl);
    memcpy(body + pl, value, vl);
    int err = xsc_call(c, XS_WRITE, tx, body, (uint32_t)(pl + vl), &m);
    free(body);
    if (!err)
        free(m);
    return err;
}

static int simple(struct xsc *c, uint32_t type, uint32_t tx, const char *a, const char *b,
                  const char *d)
{
    struct xsc_msg *m;
    int err = xsc_callv(c, type, tx, &m, a, b, d, (char *)NULL);

    if (!err)
        free(m);
    return err;
}

int xs_rm(struct xsc *c, uint32_t tx, const char *path)
{
    int err = simple(c, XS_RM, tx, path, NULL, NULL);
    return err == ENOENT ? 0 : err;
}

int xs_set_perms(struct xsc *c, uint32_t tx, const char *path, const char *perms)
{
    char body[256];
    size_t len = 0, pl = strlen(path) + 1;
    struct xsc_msg *m;

    if (pl + strlen(perms) + 2 > sizeof(body))
        return E2BIG;
    memcpy(body, path, pl);
    len = pl;
    /* The wire form is each permission NUL-terminated. */
    for (const char *p = perms; *p; p++)
        body[len++] = *p == ',' ? '\0' : *p;
    body[len++] = '\0';
    int err = xsc_call(c, XS_SET_PERMS, tx, body, (uint32_t)len, &m);
    if (!err)
        free(m);
    return err;
}

char **xs_directory(struct xsc *c, uint32_t tx, const char *path, int *err)
{
    struct xsc_msg *m;

    *err = xsc_callv(c, XS_DIRECTORY, tx, &m, path, (char *)NULL);
    if (*err)
        return NULL;
    size_t n = 0;
    for (uint32_t i = 0; i < m->hdr.len; i++)
        n += m->body[i] == '\0';
    char **v = xcalloc(n + 1, sizeof(*v));
    size_t k = 0;
    for (uint32_t i = 0; i < m->hdr.len && k < n; k++) {
        v[k] = xstrdup(m->body + i);
        i += (uint32_t)strlen(m->body + i) + 1;
    }
    free(m);
    return v;
}

void xs_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

int xs_introduce(struct xsc *c, uint32_t domid, uint64_t mfn, uint32_t port)
{
    char d[16], f[24], p[16];

    snprintf(d, sizeof(d), "%u", domid);
    snprintf(f, sizeof(f), "%llu", (unsigned long long)mfn);
    snprintf(p, sizeof(p), "%u", port);
    return simple(c, XS_INTRODUCE, 0, d, f, p);
}

int xs_release(struct xsc *c, uint32_t domid)
{
    char d[16];

    snprintf(d, sizeof(d), "%u", domid);
    return simple(c, XS_RELEASE, 0, d, NULL, NULL);
}

int xs_watch(struct xsc *c, const char *path, const char *token)
{
    return simple(c, XS_WATCH, 0, path, token, NULL);
}

static int tx_start(struct xsc *c, uint32_t *tx)
{
    struct xsc_msg *m;
    int err = xsc_callv(c, XS_TRANSACTION_START, 0, &m, "", (char *)NULL);

    if (err)
        return err;
    *tx = (uint32_t)strtoul(m->body, NULL, 10);
    free(m);
    return 0;
}

static int tx_end(struct xsc *c, uint32_t tx, bool commit)
{
    return simple(c, XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL, NULL);
}

int xs_transaction(struct xsc *c, int (*step)(struct xsc *, uint32_t, const void *),
                   const void *ctx)
{
    for (int attempt = 0; attempt < 10; attempt++) {
        uint32_t tx;
        int err = tx_start(c, &tx);
        if (err)
            return err;
        err = step(c, tx, ctx);
        if (err) {
            tx_end(c, tx, false);
            return err;
        }
        err = tx_end(c, tx, true);
        if (err != EAGAIN)
            return err;
    }
    return EAGAIN;
}

static int apply_step(struct xsc *c, uint32_t tx, const void *ctx)
{
    const struct xst_list *l = ctx;
    int err = 0;

    for (size_t i = 0; i < l->n && !err; i++) {
        err = xs_write(c, tx, l->v[i].path, l->v[i].value);
        if (!err && l->v[i].perms)
            err = xs_set_perms(c, tx, l->v[i].path, l->v[i].perms);
    }
    return err;
}

int xs_apply(struct xsc *c, const struct xst_list *l)
{
    return xs_transaction(c, apply_step, l);
}

struct rm_set {
    const char *const *paths;
    size_t n;
};

static int rm_step(struct xsc *c, uint32_t tx, const void *ctx)
{
    const struct rm_set *r = ctx;
    int err = 0;

    for (size_t i = 0; i < r->n && !err; i++)
        err = xs_rm(c, tx, r->paths[i]);
    return err;
}

int xs_rm_all(struct xsc *c, const char *const *paths, size_t n)
{
    struct rm_set r = { paths, n };
    return xs_transaction(c, rm_step, &r);
}
