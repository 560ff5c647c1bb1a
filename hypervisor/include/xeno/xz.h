/* SPDX-License-Identifier: MIT */
#ifndef XENO_XZ_H
#define XENO_XZ_H

#include "xeno/types.h"

/*
 * Single-call .xz decoder (xz file format 1.x).
 *
 * Supported: check types none, CRC32 and CRC64; filter chains "LZMA2" and
 * "x86 BCJ (optionally with a start offset) + LZMA2"; any dictionary size
 * (the output buffer is the dictionary); multiple blocks; concatenated
 * streams separated by stream padding.
 *
 * The whole input and the whole output buffer are passed at once. The
 * decoder state (LZMA probabilities, ~28 KiB) lives in a caller-provided
 * workspace of xz_workspace_size() bytes (any alignment); stack use is
 * small. Nothing is allocated.
 *
 * Returns 0 or a negative errno:
 *   -EINVAL      corrupt or invalid data
 *   -ENOSPC      out_cap is too small
 *   -EBADMSG     a CRC32/CRC64 (block check, header, index, footer) mismatch
 *   -ENODATA     the input ends before the stream does
 *   -EOPNOTSUPP  valid but unsupported: SHA-256 or unknown check types,
 *                other filters (delta, non-x86 BCJ), reserved flag bits
 * *out_len is set to the number of bytes produced (also on error).
 * Bytes of out beyond *out_len may be overwritten.
 *
 * After the first stream, zero stream padding is skipped and further
 * streams are decoded as long as the next bytes carry the xz magic; any
 * other trailing bytes (e.g. the 4-byte size the Linux build appends to a
 * bzImage payload) are ignored.
 */
size_t xz_workspace_size(void);

int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
         size_t *out_len, void *work);

#endif
