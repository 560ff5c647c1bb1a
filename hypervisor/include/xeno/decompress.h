/* SPDX-License-Identifier: MIT */
#ifndef XENO_DECOMPRESS_H
#define XENO_DECOMPRESS_H

#include "xeno/types.h"

/* Compression formats recognised by their magic bytes. */
enum compression {
    COMPRESSION_NONE = 0,   /* no known magic: raw data or unknown format */
    COMPRESSION_GZIP,       /* 1f 8b */
    COMPRESSION_XZ,         /* fd 37 7a 58 5a 00 */
    COMPRESSION_LZMA,       /* 5d 00 00 (lzma-alone) */
    COMPRESSION_BZIP2,      /* "BZh" */
    COMPRESSION_LZ4,        /* 02 21 4c 18 (legacy) or 04 22 4d 18 (frame) */
    COMPRESSION_ZSTD,       /* 28 b5 2f fd */
    COMPRESSION_LZO,        /* 89 "LZO" */
};

enum compression detect_compression(const uint8_t *p, size_t len);

/* Short lower-case name ("gzip", "xz", ..., "none"); never NULL. */
const char *compression_name(enum compression c);

/* Workspace needed by decompress(): the largest of the gzip, xz and zstd ones. */
size_t decompress_workspace_size(void);

/*
 * Decompress a gzip (one member), xz or zstd payload into out. Returns 0 or
 * a negative errno as documented for gunzip()/unxz()/unzstd(); -EOPNOTSUPP
 * for a recognised but unsupported format, -EINVAL for unrecognised data or
 * a workspace smaller than decompress_workspace_size(). On failure *why (if
 * why is not NULL) points to a static human-readable explanation; on
 * success it is set to NULL. Trailing data after the compressed stream
 * (such as the size word appended to a bzImage payload) is ignored.
 */
int decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
               size_t *out_len, void *work, size_t work_len, const char **why);

#endif
