/* SPDX-License-Identifier: MIT */
#ifndef XENO_ZSTD_H
#define XENO_ZSTD_H

#include "xeno/types.h"

/*
 * Single-call Zstandard decoder (RFC 8878).
 *
 * Supported: every frame header variant (single-segment, window
 * descriptor, 0/1/2/4/8-byte content size), raw, RLE and compressed
 * blocks, all literals and sequences encodings (Huffman with 1 or 4
 * streams and treeless reuse; predefined, RLE, FSE and repeat modes),
 * the XXH64 content checksum, skippable frames and concatenated frames.
 * The output buffer is the window, so any window size is accepted.
 *
 * The whole input and the whole output buffer are passed at once; they
 * must not overlap. Decoding tables and a literals buffer (~150 KiB)
 * live in a caller-provided workspace of zstd_workspace_size() bytes (any
 * alignment); stack use is small. Nothing is allocated.
 *
 * Returns 0 or a negative errno:
 *   -EINVAL      corrupt or invalid data
 *   -ENOSPC      out_cap is too small
 *   -EBADMSG     content checksum (XXH64) mismatch
 *   -ENODATA     the input ends before the frame does
 *   -EOPNOTSUPP  the frame needs a dictionary (Dictionary_ID != 0)
 * *out_len is set to the number of bytes produced (also on error).
 * Bytes of out beyond *out_len may be overwritten (match and literal
 * copies write up to 32 bytes ahead when the buffer has room).
 *
 * After a frame, decoding goes on as long as the next four bytes are a
 * zstd or skippable-frame magic number; any other trailing bytes (e.g.
 * the 4-byte size the Linux build appends to a bzImage payload) are
 * ignored. Input consisting only of skippable frames decodes to nothing.
 */
size_t zstd_workspace_size(void);

int unzstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
           size_t *out_len, void *work);

/* XXH64 of a buffer (exposed for tests; the checksum zstd frames use). */
uint64_t zstd_xxh64(const void *data, size_t len, uint64_t seed);

#endif
