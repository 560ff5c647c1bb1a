/* SPDX-License-Identifier: MIT */
/*
 * libxenobuild: unpacking a kernel with Debian's libraries, the formats a
 * Linux bzImage payload (or a whole compressed vmlinux) may use: gzip
 * (zlib), xz and lzma-alone (liblzma), bzip2 (libbz2), zstd (libzstd) and
 * lz4 in the legacy format Linux writes (`lz4 -l`: le32 magic 0x184C2102,
 * then blocks of [le32 compressed size][data], each unpacking to at most
 * 8 MiB; Linux lib/decompress_unlz4.c).  Each decoder stops at the end of
 * its stream, so the size word a bzImage appends is never read.
 */
#include <bzlib.h>
#include <errno.h>
#include <lz4.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "xb_priv.h"
#include "xeno/xz.h"

#define LZ4_LEGACY_MAGIC 0x184C2102u
#define LZ4_LEGACY_BLOCK (8u << 20)

/* Output that grows up to a limit: the stated size (plus a page, so that
 * "more than stated" shows up as a stream that does not end), or 1 GiB. */
struct out {
    uint8_t *p;
    size_t len, cap, limit;
};

static int out_init(struct out *o, size_t expect, size_t in_len)
{
    o->len = 0;
    o->limit = expect ? expect + XB_PAGE : XB_MAX_UNPACK;
    o->cap = expect ? o->limit : (in_len < (XB_MAX_UNPACK / 4) ? in_len * 4 : XB_MAX_UNPACK);
    if (o->cap < (1u << 20))
        o->cap = o->limit < (1u << 20) ? o->limit : (1u << 20);
    o->p = malloc(o->cap);
    return o->p ? 0 : -ENOMEM;
}

/* Room for at least `need` more bytes: 0, -EFBIG past the limit, -ENOMEM. */
static int out_room(struct out *o, size_t need)
{
    if (o->cap - o->len >= need)
        return 0;
    if (o->len + need > o->limit)
        return -EFBIG;
    size_t cap = o->cap * 2 < o->len + need ? o->len + need : o->cap * 2;
    if (cap > o->limit)
        cap = o->limit;
    uint8_t *p = realloc(o->p, cap);
    if (!p)
        return -ENOMEM;
    o->p = p;
    o->cap = cap;
    return 0;
}

/* Why a failed out_room() stopped the decoder. */
static int room_error(int rc, const char **why)
{
    *why = rc == -ENOMEM ? "out of memory while unpacking"
                         : "does not unpack within its stated size (or 1 GiB)";
    return rc == -ENOMEM ? -ENOMEM : -EINVAL;
}

/* Make room for the next decoder call; *room: how much, at most max. */
static int out_next(struct out *o, size_t max, size_t *room, const char **why)
{
    int rc = out_room(o, 1);
    if (rc)
        return room_error(rc, why);
    *room = o->cap - o->len > max ? max : o->cap - o->len;
    return 0;
}

static int gzip_unpack(const uint8_t *in, size_t in_len, struct out *o, const char **why)
{
    z_stream s;
    memset(&s, 0, sizeof(s));
    if (in_len > UINT32_MAX || inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) {
        *why = "gzip: cannot start zlib";
        return -ENOMEM;
    }
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)in_len;
    int rc = 0;
    for (;;) {
        size_t room;
        if ((rc = out_next(o, UINT32_MAX, &room, why)) != 0)
            break;
        s.next_out = o->p + o->len;
        s.avail_out = (uInt)room;
        int z = inflate(&s, Z_NO_FLUSH);
        o->len += room - s.avail_out;
        if (z == Z_STREAM_END)
            break;
        if (z == Z_OK)
            continue;
        if (z == Z_BUF_ERROR && s.avail_in == 0) {
            *why = "gzip: truncated stream";
        } else if (z == Z_MEM_ERROR) {
            *why = "gzip: out of memory";
        } else {
            *why = "gzip: corrupt data";
        }
        rc = z == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
        break;
    }
    inflateEnd(&s);
    return rc;
}

static int lzma_unpack(bool xz, const uint8_t *in, size_t in_len, struct out *o, const char **why)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret r = xz ? lzma_stream_decoder(&s, UINT64_MAX, 0) : lzma_alone_decoder(&s, UINT64_MAX);
    if (r != LZMA_OK) {
        *why = xz ? "xz: cannot start liblzma" : "lzma: cannot start liblzma";
        return -ENOMEM;
    }
    s.next_in = in;
    s.avail_in = in_len;
    int rc = 0;
    for (;;) {
        size_t before;
        if ((rc = out_next(o, SIZE_MAX, &before, why)) != 0)
            break;
        s.next_out = o->p + o->len;
        s.avail_out = before;
        r = lzma_code(&s, LZMA_FINISH);
        o->len += before - s.avail_out;
        if (r == LZMA_STREAM_END)
            break;
        if (r == LZMA_OK)
            continue;
        if (r == LZMA_BUF_ERROR && s.avail_out != 0) {
            *why = xz ? "xz: truncated stream" : "lzma: truncated stream";
            rc = -EINVAL;
        } else if (r == LZMA_MEM_ERROR || r == LZMA_MEMLIMIT_ERROR) {
            *why = "lzma: out of memory";
            rc = -ENOMEM;
        } else {
            *why = xz ? "xz: corrupt data" : "lzma: corrupt data";
            rc = -EINVAL;
        }
        break;
    }
    lzma_end(&s);
    return rc;
}

static int bzip2_unpack(const uint8_t *in, size_t in_len, struct out *o, const char **why)
{
    bz_stream s;
    memset(&s, 0, sizeof(s));
    if (in_len > UINT32_MAX || BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) {
        *why = "bzip2: cannot start libbz2";
        return -ENOMEM;
    }
    s.next_in = (char *)in;
    s.avail_in = (unsigned int)in_len;
    int rc = 0;
    for (;;) {
        size_t room;
        if ((rc = out_next(o, UINT32_MAX, &room, why)) != 0)
            break;
        s.next_out = (char *)o->p + o->len;
        s.avail_out = (unsigned int)room;
        int b = BZ2_bzDecompress(&s);
        o->len += room - s.avail_out;
        if (b == BZ_STREAM_END)
            break;
        if (b == BZ_OK && s.avail_in == 0 && s.avail_out != 0) {
            *why = "bzip2: truncated stream";
            rc = -EINVAL;
            break;
        }
        if (b == BZ_OK)
            continue;
        *why = b == BZ_MEM_ERROR ? "bzip2: out of memory" : "bzip2: corrupt data";
        rc = b == BZ_MEM_ERROR ? -ENOMEM : -EINVAL;
        break;
    }
    BZ2_bzDecompressEnd(&s);
    return rc;
}

static int zstd_unpack(const uint8_t *in, size_t in_len, struct out *o, const char **why)
{
    ZSTD_DCtx *d = ZSTD_createDCtx();
    if (!d) {
        *why = "zstd: cannot start libzstd";
        return -ENOMEM;
    }
    /* Linux compresses with large windows (zstd -22 --ultra). */
    ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, 31);
    ZSTD_inBuffer ib = { in, in_len, 0 };
    int rc = 0;
    for (;;) {
        size_t room;
        if ((rc = out_next(o, SIZE_MAX, &room, why)) != 0)
            break;
        ZSTD_outBuffer ob = { o->p + o->len, room, 0 };
        size_t z = ZSTD_decompressStream(d, &ob, &ib);
        o->len += ob.pos;
        if (ZSTD_isError(z)) {
            *why = "zstd: corrupt data";
            rc = -EINVAL;
            break;
        }
        if (z == 0)
            break;          /* the frame is complete and flushed */
        if (ib.pos == ib.size && ob.pos < ob.size) {
            *why = "zstd: truncated stream";
            rc = -EINVAL;
            break;
        }
    }
    ZSTD_freeDCtx(d);
    return rc;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int lz4_legacy_unpack(const uint8_t *in, size_t in_len, struct out *o, const char **why)
{
    if (in_len < 4 || le32(in) != LZ4_LEGACY_MAGIC) {
        *why = "lz4: frame format (magic 184d2204); Linux payloads use the legacy format";
        return -EOPNOTSUPP;
    }
    size_t pos = 4;
    unsigned int blocks = 0;
    while (in_len - pos >= 4) {
        uint32_t csize = le32(in + pos);
        if (csize == LZ4_LEGACY_MAGIC) {        /* a concatenated stream */
            pos += 4;
            continue;
        }
        if (in_len - pos == 4)
            break;                              /* the bzImage size word */
        if (csize == 0 || csize > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK)) {
            *why = "lz4: corrupt block size";
            return -EINVAL;
        }
        if (csize > in_len - pos - 4) {
            *why = "lz4: truncated stream";
            return -EINVAL;
        }
        int rc = out_room(o, LZ4_LEGACY_BLOCK);
        size_t room = o->cap - o->len;
        if (rc == -EFBIG && room > 0)
            rc = 0;         /* the last block may still fit what is left */
        if (rc)
            return room_error(rc, why);
        if (room > LZ4_LEGACY_BLOCK)
            room = LZ4_LEGACY_BLOCK;
        int n = LZ4_decompress_safe((const char *)in + pos + 4, (char *)o->p + o->len, (int)csize, (int)room);
        if (n < 0 && room < LZ4_LEGACY_BLOCK)
            return room_error(-EFBIG, why);     /* maybe only too little room */
        if (n < 0) {
            *why = "lz4: corrupt data";
            return -EINVAL;
        }
        o->len += (size_t)n;
        pos += 4 + csize;
        blocks++;
    }
    if (!blocks) {
        *why = "lz4: no data blocks";
        return -EINVAL;
    }
    return 0;
}

/*
 * xz, first with the hypervisor's own single-call decoder (hypervisor/lib/
 * xz.c, which also unpacks dom0's kernel): it decodes straight into the
 * output buffer, with no dictionary of its own, and under QEMU TCG it is
 * 2.5 times faster than liblzma's stream decoder (measured in dom0 on
 * Debian 6.1's 64 MiB vmlinux: 2.0 s against 4.9-5.4 s), which is most of
 * `xm create`'s time.  Anything it refuses (an unknown filter or check, a
 * stream larger than the buffer, damage) goes to liblzma, which decides
 * and names the error.  Returns 0 when done.
 */
static int xz_single_call(const uint8_t *in, size_t in_len, struct out *o)
{
    void *ws = malloc(xz_workspace_size());
    size_t got = 0;
    if (!ws)
        return -ENOMEM;
    int rc = unxz(in, in_len, o->p, o->cap, &got, ws);
    free(ws);
    if (!rc)
        o->len = got;
    return rc;
}

int xb_unpack(enum compression c, const uint8_t *in, size_t in_len, size_t expect, uint8_t **out,
              size_t *out_len, const char **why)
{
    struct out o;
    int rc;

    *out = NULL;
    *out_len = 0;
    *why = NULL;
    switch (c) {
    case COMPRESSION_GZIP: case COMPRESSION_XZ: case COMPRESSION_LZMA:
    case COMPRESSION_BZIP2: case COMPRESSION_ZSTD: case COMPRESSION_LZ4:
        break;
    case COMPRESSION_LZO:
        *why = "lzo is not supported (no Debian static library)";
        return -EOPNOTSUPP;
    default:
        *why = "unknown compression (no known magic)";
        return -EINVAL;
    }
    if (out_init(&o, expect, in_len)) {
        *why = "out of memory for the unpacked image";
        return -ENOMEM;
    }
    switch (c) {
    case COMPRESSION_GZIP:  rc = gzip_unpack(in, in_len, &o, why); break;
    case COMPRESSION_XZ:
        rc = xz_single_call(in, in_len, &o) ? lzma_unpack(true, in, in_len, &o, why) : 0;
        break;
    case COMPRESSION_LZMA:  rc = lzma_unpack(false, in, in_len, &o, why); break;
    case COMPRESSION_BZIP2: rc = bzip2_unpack(in, in_len, &o, why); break;
    case COMPRESSION_ZSTD:  rc = zstd_unpack(in, in_len, &o, why); break;
    default:                rc = lz4_legacy_unpack(in, in_len, &o, why); break;
    }
    if (!rc && expect && o.len != expect) {
        *why = o.len < expect ? "unpacks to less than its stated size (truncated?)"
                              : "unpacks to more than its stated size";
        rc = -EINVAL;
    }
    if (rc) {
        free(o.p);
        return rc;
    }
    *out = o.p;
    *out_len = o.len;
    return 0;
}
