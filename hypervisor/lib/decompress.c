/* SPDX-License-Identifier: MIT */
/*
 * Format detection and dispatch for compressed boot modules (the dom0
 * kernel payload). gzip, xz and zstd are decoded; the other formats Linux
 * can use for its payload are recognised so that the error message says
 * what the module is.
 */
#include "xeno/decompress.h"
#include "xeno/errno.h"
#include "xeno/inflate.h"
#include "xeno/string.h"
#include "xeno/types.h"
#include "xeno/xz.h"
#include "xeno/zstd.h"

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
    size_t zs = zstd_workspace_size(), m = gz > xz ? gz : xz;
    return m > zs ? m : zs;
}

/* What each decoder's errors mean, per format. */
struct format_errors {
    const char *corrupt, *nospace, *checksum, *truncated, *unsupported, *other;
};

static const struct format_errors gzip_errors = {
    "gzip: corrupt compressed data", "gzip: output buffer too small",
    "gzip: checksum mismatch", "gzip: compressed data truncated",
    "gzip: unsupported feature", "gzip: decompression failed",
};

static const struct format_errors xz_errors = {
    "xz: corrupt compressed data", "xz: output buffer too small",
    "xz: checksum mismatch", "xz: compressed data truncated",
    "xz: unsupported feature (only CRC32/CRC64/no check, "
    "LZMA2 with optional x86 BCJ filter)",
    "xz: decompression failed",
};

static const struct format_errors zstd_errors = {
    "zstd: corrupt compressed data", "zstd: output buffer too small",
    "zstd: content checksum mismatch", "zstd: compressed data truncated",
    "zstd: frame needs a dictionary (dictionaries are not supported)",
    "zstd: decompression failed",
};

static const char *error_text(enum compression c, int err)
{
    const struct format_errors *e = c == COMPRESSION_GZIP ? &gzip_errors :
                                    c == COMPRESSION_XZ ? &xz_errors : &zstd_errors;

    switch (err) {
    case -EINVAL:
        return e->corrupt;
    case -ENOSPC:
        return e->nospace;
    case -EBADMSG:
        return e->checksum;
    case -ENODATA:
        return e->truncated;
    case -EOPNOTSUPP:
        return e->unsupported;
    }
    return e->other;
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
    case COMPRESSION_ZSTD:
        ret = unzstd(in, in_len, out, out_cap, out_len, work);
        break;
    case COMPRESSION_NONE:
        ret = -EINVAL;
        msg = "unrecognised compression format (supported: gzip, xz, zstd)";
        goto out;
    case COMPRESSION_LZMA:
        ret = -EOPNOTSUPP;
        msg = "lzma-compressed payload not supported yet (supported: gzip, xz, zstd)";
        goto out;
    case COMPRESSION_BZIP2:
        ret = -EOPNOTSUPP;
        msg = "bzip2-compressed payload not supported yet (supported: gzip, xz, zstd)";
        goto out;
    case COMPRESSION_LZ4:
        ret = -EOPNOTSUPP;
        msg = "lz4-compressed payload not supported yet (supported: gzip, xz, zstd)";
        goto out;
    case COMPRESSION_LZO:
        ret = -EOPNOTSUPP;
        msg = "lzo-compressed payload not supported yet (supported: gzip, xz, zstd)";
        goto out;
    default:
        ret = -EINVAL;
        msg = "unrecognised compression format (supported: gzip, xz, zstd)";
        goto out;
    }
    if (ret)
        msg = error_text(c, ret);
out:
    if (why)
        *why = msg;
    return ret;
}
