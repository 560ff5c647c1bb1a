/* SPDX-License-Identifier: MIT */
/* String-keyed hash table: see hash.h. */
#include "hash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static unsigned int hash_str(const char *s)
{
    /* FNV-1a: cheap and good enough for path names. */
    unsigned int h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

void xs_hash_init(struct xs_hash *h)
{
    h->buckets = NULL;
    h->nbuckets = 0;
    h->count = 0;
}

void xs_hash_destroy(struct xs_hash *h, void (*free_value)(void *))
{
    for (size_t i = 0; i < h->nbuckets; i++) {
        struct xs_hash_entry *e = h->buckets[i];
        while (e) {
            struct xs_hash_entry *n = e->next;
            if (free_value)
                free_value(e->value);
            free(e);
            e = n;
        }
    }
    free(h->buckets);
    xs_hash_init(h);
}

static struct xs_hash_entry **find_slot(const struct xs_hash *h, const char *key, unsigned int hv)
{
    struct xs_hash_entry **p = &h->buckets[hv & (h->nbuckets - 1)];
    for (; *p; p = &(*p)->next)
        if ((*p)->hash == hv && strcmp((*p)->key, key) == 0)
            return p;
    return p;
}

void *xs_hash_get(const struct xs_hash *h, const char *key)
{
    if (!h->nbuckets)
        return NULL;
    struct xs_hash_entry **p = find_slot(h, key, hash_str(key));
    return *p ? (*p)->value : NULL;
}

static int grow(struct xs_hash *h)
{
    size_t n = h->nbuckets ? h->nbuckets * 2 : 64;
    struct xs_hash_entry **b = calloc(n, sizeof(*b));
    if (!b)
        return ENOMEM;
    for (size_t i = 0; i < h->nbuckets; i++) {
        struct xs_hash_entry *e = h->buckets[i];
        while (e) {
            struct xs_hash_entry *next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(h->buckets);
    h->buckets = b;
    h->nbuckets = n;
    return 0;
}

int xs_hash_put(struct xs_hash *h, const char *key, void *value, void **old)
{
    unsigned int hv = hash_str(key);
    if (old)
        *old = NULL;
    if (h->nbuckets) {
        struct xs_hash_entry **p = find_slot(h, key, hv);
        if (*p) {
            if (old)
                *old = (*p)->value;
            (*p)->value = value;
            return 0;
        }
    }
    /* Keep the load factor under 1. */
    if (h->count + 1 > h->nbuckets && grow(h))
        return ENOMEM;
    size_t klen = strlen(key) + 1;
    struct xs_hash_entry *e = malloc(sizeof(*e) + klen);
    if (!e)
        return ENOMEM;
    memcpy(e->key, key, klen);
    e->hash = hv;
    e->value = value;
    struct xs_hash_entry **head = &h->buckets[hv & (h->nbuckets - 1)];
    e->next = *head;
    *head = e;
    h->count++;
    return 0;
}

void *xs_hash_del(struct xs_hash *h, const char *key)
{
    if (!h->nbuckets)
        return NULL;
    struct xs_hash_entry **p = find_slot(h, key, hash_str(key));
    struct xs_hash_entry *e = *p;
    if (!e)
        return NULL;
    void *v = e->value;
    *p = e->next;
    free(e);
    h->count--;
    return v;
}

void xs_hash_each(const struct xs_hash *h, void (*fn)(const char *key, void *value, void *arg), void *arg)
{
    for (size_t i = 0; i < h->nbuckets; i++)
        for (struct xs_hash_entry *e = h->buckets[i]; e; e = e->next)
            fn(e->key, e->value, arg);
}
