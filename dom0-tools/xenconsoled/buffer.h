/* SPDX-License-Identifier: MIT */
/*
 * A domain's pending console output: a FIFO of bytes bounded by a limit
 * (Xen: the buffer's max_capacity, from console/limit).  Appending beyond
 * the limit drops the oldest bytes, so a slow or absent pty reader costs
 * output, never the guest's progress: the ring is always consumed.
 * Storage grows on demand up to the limit.
 *
 * Pure code (no OS calls): unit-tested hosted.
 */
#ifndef XCD_BUFFER_H
#define XCD_BUFFER_H

#include <stddef.h>
#include <stdint.h>

/* xl's default for console/limit (LIBXL_XENCONSOLE_LIMIT). */
#define XCD_BUFFER_DEFAULT_LIMIT (1024u * 1024u)
/* console/limit may be guest-writable: never hold more than this per domain. */
#define XCD_BUFFER_MAX_LIMIT (16u * 1024u * 1024u)

struct xcd_buffer {
    char *data;
    size_t size;        /* allocated bytes (<= limit) */
    size_t head;        /* offset of the oldest byte */
    size_t len;         /* bytes held */
    size_t limit;       /* most bytes ever held (> 0) */
    uint64_t dropped;   /* oldest bytes dropped so far */
};

/* An empty buffer; limit 0 means XCD_BUFFER_DEFAULT_LIMIT; above XCD_BUFFER_MAX_LIMIT: that. */
void xcd_buffer_init(struct xcd_buffer *b, size_t limit);
void xcd_buffer_free(struct xcd_buffer *b);
/* Change the limit (0 and the maximum as in init), dropping the oldest bytes if it shrinks below len. */
void xcd_buffer_set_limit(struct xcd_buffer *b, size_t limit);
/*
 * Append n bytes.  Returns how many old (or, when n > limit, leading new)
 * bytes were dropped to stay within the limit, or -1 when memory ran out
 * (then nothing was appended and the buffer is unchanged).
 */
long xcd_buffer_append(struct xcd_buffer *b, const char *p, size_t n);
/* The oldest bytes as one contiguous run: its length (0 when empty). */
size_t xcd_buffer_peek(const struct xcd_buffer *b, const char **p);
/* Forget the n oldest bytes (n <= len). */
void xcd_buffer_consume(struct xcd_buffer *b, size_t n);

#endif
