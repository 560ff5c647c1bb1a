/* SPDX-License-Identifier: MIT */
/*
 * Node records: data, permissions and the children list.  A node is always
 * replaced as a whole (copy, change, write back), so the database and a
 * transaction's view never share memory.
 */
#include "core.h"

#include <stdlib.h>
#include <string.h>

/* Xen's on-disk node_hdr: generation (8), num_perms (2), datalen (2), childlen (4). */
#define XS_NODE_HDR_SIZE 16
/* Xen's struct xs_permissions: int id + enum perms. */
#define XS_NODE_PERM_SIZE 8

static void *memdup_or_null(const void *p, size_t len, bool *fail)
{
    if (!len)
        return NULL;
    void *q = malloc(len);
    if (!q) {
        *fail = true;
        return NULL;
    }
    memcpy(q, p, len);
    return q;
}

struct xs_node *xs_node_new(const struct xs_perm *perms, unsigned int nperms,
                            const void *data, uint32_t datalen)
{
    struct xs_node *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    bool fail = false;
    n->generation = XS_NO_GENERATION;
    n->perms = memdup_or_null(perms, nperms * sizeof(*perms), &fail);
    n->nperms = nperms;
    n->data = memdup_or_null(data, datalen, &fail);
    n->datalen = datalen;
    if (fail) {
        xs_node_free(n);
        return NULL;
    }
    return n;
}

struct xs_node *xs_node_dup(const struct xs_node *o)
{
    struct xs_node *n = xs_node_new(o->perms, o->nperms, o->data, o->datalen);
    if (!n)
        return NULL;
    bool fail = false;
    n->children = memdup_or_null(o->children, o->childlen, &fail);
    n->childlen = o->childlen;
    n->generation = o->generation;
    if (fail) {
        xs_node_free(n);
        return NULL;
    }
    return n;
}

void xs_node_free(struct xs_node *n)
{
    if (!n)
        return;
    free(n->perms);
    free(n->data);
    free(n->children);
    free(n);
}

void xs_node_free_void(void *n)
{
    xs_node_free(n);
}

int xs_node_set_data(struct xs_node *n, const void *data, uint32_t len)
{
    bool fail = false;
    char *d = memdup_or_null(data, len, &fail);
    if (fail)
        return ENOMEM;
    free(n->data);
    n->data = d;
    n->datalen = len;
    return 0;
}

int xs_node_set_perms(struct xs_node *n, const struct xs_perm *perms, unsigned int nperms)
{
    bool fail = false;
    struct xs_perm *p = memdup_or_null(perms, nperms * sizeof(*perms), &fail);
    if (fail)
        return ENOMEM;
    free(n->perms);
    n->perms = p;
    n->nperms = nperms;
    return 0;
}

int xs_node_add_child(struct xs_node *n, const char *base)
{
    size_t blen = strlen(base) + 1;
    char *c = realloc(n->children, n->childlen + blen);
    if (!c)
        return ENOMEM;
    memcpy(c + n->childlen, base, blen);
    n->children = c;
    n->childlen += blen;
    return 0;
}

int xs_node_del_child(struct xs_node *n, const char *base)
{
    for (uint32_t off = 0; off < n->childlen;) {
        size_t l = strlen(n->children + off) + 1;
        if (strcmp(n->children + off, base) == 0) {
            memmove(n->children + off, n->children + off + l, n->childlen - off - l);
            n->childlen -= l;
            return 0;
        }
        off += l;
    }
    return ENOENT;
}

size_t xs_node_size(const struct xs_node *n)
{
    return XS_NODE_HDR_SIZE + (size_t)n->nperms * XS_NODE_PERM_SIZE + n->datalen + n->childlen;
}
