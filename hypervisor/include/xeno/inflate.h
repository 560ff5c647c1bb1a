/* SPDX-License-Identifier: MIT */
#ifndef XENO_INFLATE_H
#define XENO_INFLATE_H

#include "xeno/types.h"

/*
 * Single-call DEFLATE (RFC 1951) and gzip (RFC 1952) decoders.
 *
 * The whole compressed input and the whole output buffer are passed at
 * once; the output buffer doubles as the history window. Decoding tables
 * live in a caller-provided workspace of gunzip_workspace_size() bytes
 * (~32 KiB, any alignment); stack use stays below 1 KiB. Nothing is
 * allocated.
 *
 * Return 0 or a negative errno:
 *   -EINVAL   corrupt or invalid data
 *   -ENOSPC   out_cap is too small for the decompressed data
 *   -EBADMSG  gzip CRC32, ISIZE or header CRC16 mismatch
 *   -ENODATA  the input ends before the stream does
 * *out_len is set to the number of bytes produced (also on error, for
 * diagnostics); *in_used (if not NULL) to the number of input bytes that
 * belong to the stream, so that trailing data can be located.
 * Bytes of out beyond *out_len may be overwritten (the match copier writes
 * up to 7 bytes past the end of a match when the buffer has room).
 *
 * gunzip() decodes exactly one gzip member and ignores anything after it.
 */
size_t gunzip_workspace_size(void);

int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
           size_t *out_len, size_t *in_used, void *work);

/* Raw DEFLATE data, no wrapper; same workspace and conventions. */
int inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                size_t *out_len, size_t *in_used, void *work);

#endif
