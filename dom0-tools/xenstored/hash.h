/* SPDX-License-Identifier: MIT */
/*
 * A string-keyed hash table (separate chaining).  The table owns a copy of
 * each key; values are opaque.  Used for the node database (path -> node)
 * and for a transaction's accessed nodes.
 */
#ifndef XS_HASH_H
#define XS_HASH_H

#include <stdbool.h>
#include <stddef.h>

struct xs_hash_entry {
    struct xs_hash_entry *next;
    unsigned int hash;
    void *value;
    char key[];
};

struct xs_hash {
    struct xs_hash_entry **buckets;
    size_t nbuckets;    /* power of two, or 0 before the first insert */
    size_t count;
};

void xs_hash_init(struct xs_hash *h);
/* Free every entry; free_value (may be NULL) is called on each value. */
void xs_hash_destroy(struct xs_hash *h, void (*free_value)(void *));
void *xs_hash_get(const struct xs_hash *h, const char *key);
/*
 * Insert or replace.  Returns 0, or ENOMEM (table unchanged).  When the key
 * existed, its old value is stored in *old (if old != NULL), else *old = NULL.
 */
int xs_hash_put(struct xs_hash *h, const char *key, void *value, void **old);
/* Remove; returns the value, or NULL when absent. */
void *xs_hash_del(struct xs_hash *h, const char *key);
/* Call fn on every entry (no insert/delete from fn). */
void xs_hash_each(const struct xs_hash *h, void (*fn)(const char *key, void *value, void *arg), void *arg);

#endif
