/* SPDX-License-Identifier: MIT */
/*
 * Lookups in a built list of xenstore writes (xend/daemon/xstree.h), for
 * the unit tests that check what xend would write.
 */
#ifndef TESTS_UNIT_XST_LOOKUP_H
#define TESTS_UNIT_XST_LOOKUP_H

#include "../../xend/daemon/xstree.h"

#include <string.h>

/* Index of path in l (the write order), or -1. */
static inline long xst_index(const struct xst_list *l, const char *path)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].path, path))
            return (long)i;
    return -1;
}

static inline const struct xst_entry *xst_find(const struct xst_list *l, const char *path)
{
    long i = xst_index(l, path);
    return i < 0 ? NULL : &l->v[i];
}

/* path's value, or "<missing>" */
static inline const char *xst_val(const struct xst_list *l, const char *path)
{
    const struct xst_entry *e = xst_find(l, path);
    return e ? e->value : "<missing>";
}

#endif
