/* SPDX-License-Identifier: MIT */
#ifndef XENO_LZ_COPY_H
#define XENO_LZ_COPY_H

/* Match copies shared by the LZ77-family decoders (lib/inflate.c, xz.c,
 * zstd.c): the output buffer is the window, so a match copies from behind
 * the write position.  Pure; compiles freestanding and hosted. */
#include "xeno/types.h"

static inline void copy8(uint8_t *dst, const uint8_t *src)
{
    uint64_t v;
    __builtin_memcpy(&v, src, sizeof(v));
    __builtin_memcpy(dst, &v, sizeof(v));
}

/*
 * Copy a match of len bytes from dist bytes back (1 <= dist <= op - start
 * checked by the caller, len <= limit - op). When at least 8 bytes of slack
 * follow the match the copy runs in 8-byte steps and may write up to 7
 * bytes past the match; those bytes are either overwritten later or lie
 * beyond the final output length.
 */
static inline uint8_t *copy_match(uint8_t *op, size_t dist, size_t len,
                                  uint8_t *limit)
{
    const uint8_t *src = op - dist;
    uint8_t *end = op + len;

    if (likely((size_t)(limit - op) >= len + 8)) {
        if (unlikely(dist < 8)) {
            /*
             * Short period: produce the first bytes one at a time until a
             * multiple of the period that is >= 8 is available behind us,
             * then copy from that distance instead.
             */
            size_t d2 = dist * ((8 + dist - 1) / dist);
            size_t head = d2 - dist;
            if (head > len)
                head = len;
            for (size_t i = 0; i < head; i++)
                op[i] = src[i];
            op += head;
            src = op - d2;
        }
        while (op < end) {
            copy8(op, src);
            op += 8;
            src += 8;
        }
        return end;
    }
    while (op < end)
        *op++ = *src++;
    return end;
}

#endif
