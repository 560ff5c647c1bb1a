/* SPDX-License-Identifier: MIT */
/* Bounded output FIFO: see buffer.h. */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

static size_t clamp_limit(size_t limit)
{
    if (!limit)
        return XCD_BUFFER_DEFAULT_LIMIT;
    return limit > XCD_BUFFER_MAX_LIMIT ? XCD_BUFFER_MAX_LIMIT : limit;
}

void xcd_buffer_init(struct xcd_buffer *b, size_t limit)
{
    memset(b, 0, sizeof(*b));
    b->limit = clamp_limit(limit);
}

void xcd_buffer_free(struct xcd_buffer *b)
{
    free(b->data);
    xcd_buffer_init(b, b->limit);
}

void xcd_buffer_consume(struct xcd_buffer *b, size_t n)
{
    if (n > b->len)
        n = b->len;
    b->len -= n;
    b->head = b->len && b->size ? (b->head + n) % b->size : 0;
}

static void drop_oldest(struct xcd_buffer *b, size_t n)
{
    xcd_buffer_consume(b, n);
    b->dropped += n;
}

/* Reallocate to new_size bytes with the contents starting at offset 0. */
static int resize(struct xcd_buffer *b, size_t new_size)
{
    char *d = malloc(new_size);
    if (!d)
        return -1;
    size_t first = b->len;
    if (b->len && b->head + b->len > b->size)
        first = b->size - b->head;
    if (b->len) {
        memcpy(d, b->data + b->head, first);
        memcpy(d + first, b->data, b->len - first);
    }
    free(b->data);
    b->data = d;
    b->size = new_size;
    b->head = 0;
    return 0;
}

void xcd_buffer_set_limit(struct xcd_buffer *b, size_t limit)
{
    limit = clamp_limit(limit);
    if (b->len > limit)
        drop_oldest(b, b->len - limit);
    /* Give back storage above the new limit; keep the old one if that fails. */
    if (b->size > limit && resize(b, limit) < 0)
        limit = b->size;
    b->limit = limit;
}

long xcd_buffer_append(struct xcd_buffer *b, const char *p, size_t n)
{
    size_t skipped = 0;
    if (!n)
        return 0;
    if (n > b->limit) {
        /* Only the newest limit bytes can survive. */
        skipped = n - b->limit;
        p += skipped;
        n = b->limit;
    }
    size_t want = b->len + n < b->limit ? b->len + n : b->limit;
    if (want > b->size) {
        size_t grow = b->size ? b->size : 4096;
        while (grow < want)
            grow *= 2;
        if (grow > b->limit)
            grow = b->limit;
        if (resize(b, grow) < 0)
            return -1;
    }
    size_t over = b->len + n > b->limit ? b->len + n - b->limit : 0;
    drop_oldest(b, over);
    b->dropped += skipped;
    size_t tail = (b->head + b->len) % b->size;
    size_t first = b->size - tail < n ? b->size - tail : n;
    memcpy(b->data + tail, p, first);
    memcpy(b->data, p + first, n - first);
    b->len += n;
    return (long)(over + skipped);
}

size_t xcd_buffer_peek(const struct xcd_buffer *b, const char **p)
{
    if (!b->len) {
        *p = NULL;
        return 0;
    }
    *p = b->data + b->head;
    return b->head + b->len > b->size ? b->size - b->head : b->len;
}
