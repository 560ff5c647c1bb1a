/* SPDX-License-Identifier: MIT */
/*
 * Format detection and dispatch for compressed boot modules (the dom0
 * kernel payload). gzip and xz are decoded; the other formats Linux can
 * use for its payload are recognised so that the error message says what
 * the module is.
 */
#include "xeno/decompress.h"
#include "xeno/errno.h"
#include "xeno/inflate.h"
#include "xeno/string.h"
#include "xeno/types.h"
#include "xeno/xz.h"

static bool has_prefix(const uint8_t *p, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(p, magic, n) == 0;
}

enum compression detect_compression(const uint8_t *p, size_t len)
{
    if (!p)
        return COMPRESSION_NONE;
    if (has_prefix(p, len, "\x1f\x8b", 2))
        return COMPRESSION_GZIP;
    if (has_prefix(p, len, "\xfd" "7zXZ\0", 6))
        return COMPRESSION_XZ;
    if (has_prefix(p, len, "\x5d\x00\x00", 3))
        return COMPRESSION_LZMA;
    if (has_prefix(p, len, "BZh", 3))
        return COMPRESSION_BZIP2;
    if (has_prefix(p, len, "\x02\x21\x4c\x18", 4) ||
        has_prefix(p, len, "\x04\x22\x4d\x18", 4))
        return COMPRESSION_LZ4;
    if (has_prefix(p, len, "\x28\xb5\x2f\xfd", 4))
        return COMPRESSION_ZSTD;
    if (has_prefix(p, len, "\x89LZO", 4))
        return COMPRESSION_LZO;
    return COMPRESSION_NONE;
}

const char *compression_name(enum compression c)
{
    switch (c) {
    case COMPRESSION_NONE:  return "none";
    case COMPRESSION_GZIP:  return "gzip";
    case COMPRESSION_XZ:    return "xz";
    case COMPRESSION_LZMA:  return "lzma";
    case COMPRESSION_BZIP2: return "bzip2";
    case COMPRESSION_LZ4:   return "lz4";
    case COMPRESSION_ZSTD:  return "zstd";
    case COMPRESSION_LZO:   return "lzo";
    }
    return "unknown";
}

size_t decompress_workspace_size(void)
{
    size_t gz = gunzip_workspace_size(), xz = xz_workspace_size();
    return gz > xz ? gz : xz;
}

static const char *error_text(enum compression c, int err)
{
    bool gz = c == COMPRESSION_GZIP;

    switch (err) {
    case -EINVAL:
        return gz ? "gzip: corrupt compressed data" : "xz: corrupt compressed data";
    case -ENOSPC:
        return gz ? "gzip: output buffer too small" : "xz: output buffer too small";
    case -EBADMSG:
        return gz ? "gzip: checksum mismatch" : "xz: checksum mismatch";
    case -ENODATA:
        return gz ? "gzip: compressed data truncated" : "xz: compressed data truncated";
    case -EOPNOTSUPP:
        return gz ? "gzip: unsupported feature"
                  : "xz: unsupported feature (only CRC32/CRC64/no check, "
                    "LZMA2 with optional x86 BCJ filter)";
    }
    return gz ? "gzip: decompression failed" : "xz: decompression failed";
}

int decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
               size_t *out_len, void *work, size_t work_len, const char **why)
{
    enum compression c = detect_compression(in, in_len);
    const char *msg = NULL;
    int ret;

    *out_len = 0;
    if (!work || work_len < decompress_workspace_size()) {
        ret = -EINVAL;
        msg = "decompression workspace too small";
        goto out;
    }
    switch (c) {
    case COMPRESSION_GZIP:
        ret = gunzip(in, in_len, out, out_cap, out_len, NULL, work);
        break;
    case COMPRESSION_XZ:
        ret = unxz(in, in_len, out, out_cap, out_len, work);
        break;
    case COMPRESSION_NONE:
        ret = -EINVAL;
        msg = "unrecognised compression format (supported: gzip, xz)";
        goto out;
    case COMPRESSION_LZMA:
        ret = -EOPNOTSUPP;
        msg = "lzma-compressed payload not supported yet (supported: gzip, xz)";
        goto out;
    case COMPRESSION_BZIP2:
        ret = -EOPNOTSUPP;
        msg = "bzip2-compressed payload not supported yet (supported: gzip, xz)";
        goto out;
    case COMPRESSION_LZ4:
        ret = -EOPNOTSUPP;
        msg = "lz4-compressed payload not supported yet (supported: gzip, xz)";
        goto out;
    case COMPRESSION_ZSTD:
        ret = -EOPNOTSUPP;
        msg = "zstd-compressed payload not supported yet (supported: gzip, xz)";
        goto out;
    case COMPRESSION_LZO:
        ret = -EOPNOTSUPP;
        msg = "lzo-compressed payload not supported yet (supported: gzip, xz)";
        goto out;
    default:
        ret = -EINVAL;
        msg = "unrecognised compression format (supported: gzip, xz)";
        goto out;
    }
    if (ret)
        msg = error_text(c, ret);
out:
    if (why)
        *why = msg;
    return ret;
}
