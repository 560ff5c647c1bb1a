/* SPDX-License-Identifier: MIT */
/* xenstore operations for the console tools: see store.h. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* A reply's body as a malloc()ed string (the client NUL-terminates it). */
static int take_body(struct xsc_msg *m, char **out, size_t *len)
{
    char *s = malloc(m->hdr.len + 1);
    if (!s) {
        free(m);
        return ENOMEM;
    }
    memcpy(s, m->body, m->hdr.len + 1);
    if (len)
        *len = m->hdr.len;
    free(m);
    *out = s;
    return 0;
}

int xcd_xs_read(struct xsc *c, const char *path, char **out)
{
    struct xsc_msg *m;
    int err = xsc_callv(c, XS_READ, 0, &m, path, NULL);
    return err ? err : take_body(m, out, NULL);
}

int xcd_xs_read_ulong(struct xsc *c, const char *path, unsigned long *v)
{
    char *s, *end;
    int err = xcd_xs_read(c, path, &s);
    if (err)
        return err;
    errno = 0;
    *v = strtoul(s, &end, 0);
    err = !*s || *s == '-' || *end || errno ? EINVAL : 0;
    free(s);
    return err;
}

int xcd_xs_write(struct xsc *c, const char *path, const char *value)
{
    /* XS_WRITE: the path with its NUL, then the value without one. */
    size_t pl = strlen(path) + 1, vl = strlen(value);
    if (pl + vl > XENSTORE_PAYLOAD_MAX)
        return E2BIG;
    char buf[XENSTORE_PAYLOAD_MAX];
    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    struct xsc_msg *m;
    int err = xsc_call(c, XS_WRITE, 0, buf, (uint32_t)(pl + vl), &m);
    if (!err)
        free(m);
    return err;
}

static int simple(struct xsc *c, uint32_t type, const char *a, const char *b)
{
    struct xsc_msg *m;
    int err = xsc_callv(c, type, 0, &m, a, b, NULL);
    if (!err)
        free(m);
    return err;
}

int xcd_xs_rm(struct xsc *c, const char *path)
{
    return simple(c, XS_RM, path, NULL);
}

int xcd_xs_directory(struct xsc *c, const char *path, char **out, size_t *len)
{
    struct xsc_msg *m;
    int err = xsc_callv(c, XS_DIRECTORY, 0, &m, path, NULL);
    return err ? err : take_body(m, out, len);
}

int xcd_xs_watch(struct xsc *c, const char *path, const char *token)
{
    return simple(c, XS_WATCH, path, token);
}

int xcd_xs_unwatch(struct xsc *c, const char *path, const char *token)
{
    return simple(c, XS_UNWATCH, path, token);
}
