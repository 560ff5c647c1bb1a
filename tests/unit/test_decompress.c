// UNIT-SOURCES: hypervisor/lib/decompress.c hypervisor/lib/inflate.c hypervisor/lib/xz.c hypervisor/lib/zstd.c hypervisor/lib/crc32.c hypervisor/lib/crc64.c
// UNIT-LIBS: -lz -llzma -lzstd
/* SPDX-License-Identifier: MIT */
/* Hosted tests for compression detection and the gzip/xz/zstd dispatcher. */
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "unit.h"
#include "xeno/decompress.h"
#include "xeno/errno.h"
#include "xeno/inflate.h"
#include "xeno/xz.h"
#include "xeno/zstd.h"

static void test_detect(void)
{
    static const struct {
        const char *bytes;
        size_t len;
        enum compression c;
        const char *name;
    } t[] = {
        { "\x1f\x8b\x08\x00", 4, COMPRESSION_GZIP, "gzip" },
        { "\xfd" "7zXZ\0\0\x01", 8, COMPRESSION_XZ, "xz" },
        { "\x5d\x00\x00\x80\x00", 5, COMPRESSION_LZMA, "lzma" },
        { "BZh91AY&SY", 10, COMPRESSION_BZIP2, "bzip2" },
        { "\x02\x21\x4c\x18\x00", 5, COMPRESSION_LZ4, "lz4" },
        { "\x04\x22\x4d\x18\x64", 5, COMPRESSION_LZ4, "lz4" },
        { "\x28\xb5\x2f\xfd\x00", 5, COMPRESSION_ZSTD, "zstd" },
        { "\x89LZO\x00\x0d\x0a", 7, COMPRESSION_LZO, "lzo" },
        { "\x7f" "ELF\x02\x01", 6, COMPRESSION_NONE, "none" },
        { "", 0, COMPRESSION_NONE, "none" },
        /* Too short to hold the whole magic. */
        { "\x1f", 1, COMPRESSION_NONE, "none" },
        { "\xfd" "7zXZ", 5, COMPRESSION_NONE, "none" },
        { "\x5d\x00", 2, COMPRESSION_NONE, "none" },
        { "BZ", 2, COMPRESSION_NONE, "none" },
        { "\x28\xb5\x2f", 3, COMPRESSION_NONE, "none" },
        /* Near misses. */
        { "\xfd" "7zXZ\x01", 6, COMPRESSION_NONE, "none" },
        { "\x5d\x00\x01", 3, COMPRESSION_NONE, "none" },
        { "\x03\x21\x4c\x18", 4, COMPRESSION_NONE, "none" },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        uint8_t *p = malloc(t[i].len ? t[i].len : 1);   /* exact size for ASan */
        memcpy(p, t[i].bytes, t[i].len);
        enum compression c = detect_compression(p, t[i].len);
        if (c != t[i].c)
            fprintf(stderr, "detect case %zu: got %d want %d\n", i, c, t[i].c);
        CU_ASSERT_EQUAL(c, t[i].c);
        CU_ASSERT_STRING_EQUAL(compression_name(c), t[i].name);
        free(p);
    }
    CU_ASSERT_EQUAL(detect_compression(NULL, 0), COMPRESSION_NONE);
    for (int c = COMPRESSION_NONE; c <= COMPRESSION_LZO + 1; c++)
        CU_ASSERT_PTR_NOT_NULL(compression_name((enum compression)c));
}

static void test_workspace_size(void)
{
    size_t w = decompress_workspace_size();
    CU_ASSERT_TRUE(w >= gunzip_workspace_size());
    CU_ASSERT_TRUE(w >= xz_workspace_size());
    CU_ASSERT_TRUE(w >= zstd_workspace_size());
    CU_ASSERT_TRUE(w == gunzip_workspace_size() || w == xz_workspace_size() ||
                   w == zstd_workspace_size());
}

/* What the dispatch tests decode: the data, an output buffer of its size
 * and a workspace of the size decompress() asks for. */
struct dispatch {
    const uint8_t *data;
    size_t n;
    uint8_t *out;
    void *work;
    size_t wl;
};

/*
 * The checks every format gets: z[0..zlen) followed by the 4-byte size
 * word of a bzImage payload (at z + zlen) decodes to the data with no
 * reason set; an output of small bytes gives -ENOSPC with a reason naming
 * the format; the first cut bytes alone give -ENODATA with a reason.
 */
static void check_dispatch(const struct dispatch *d, const uint8_t *z, size_t zlen,
                           size_t small, size_t cut, const char *format)
{
    const char *why = "unset";
    size_t olen;
    memset(d->out, 0, d->n);
    CU_ASSERT_EQUAL(decompress(z, zlen + 4, d->out, d->n, &olen, d->work, d->wl, &why), 0);
    CU_ASSERT_PTR_NULL(why);
    CU_ASSERT_EQUAL(olen, d->n);
    CU_ASSERT_EQUAL(memcmp(d->out, d->data, d->n), 0);
    CU_ASSERT_EQUAL(decompress(z, zlen, d->out, small, &olen, d->work, d->wl, &why), -ENOSPC);
    CU_ASSERT_PTR_NOT_NULL(why);
    if (why)
        CU_ASSERT_PTR_NOT_NULL(strstr(why, format));
    CU_ASSERT_EQUAL(decompress(z, cut, d->out, d->n, &olen, d->work, d->wl, &why), -ENODATA);
    CU_ASSERT_PTR_NOT_NULL(why);
}

static void test_dispatch_gzip_and_xz(void)
{
    size_t n = 200000;
    uint8_t *data = malloc(n), *out = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (uint8_t)("0123456789abcdef"[(i * 7 + i / 1000) % 16]);
    size_t wl = decompress_workspace_size();
    void *work = malloc(wl);
    const struct dispatch d = { data, n, out, work, wl };
    const char *why = "unset";
    size_t olen;
    uint32_t sz = (uint32_t)n;

    /* gzip, with a 4-byte size word appended as in a bzImage payload. */
    uLongf glen = compressBound(n) + 64;
    uint8_t *gz = malloc(glen + 4);
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    CU_ASSERT_EQUAL_FATAL(deflateInit2(&zs, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = data;
    zs.avail_in = (uInt)n;
    zs.next_out = gz;
    zs.avail_out = (uInt)glen;
    CU_ASSERT_EQUAL_FATAL(deflate(&zs, Z_FINISH), Z_STREAM_END);
    glen = zs.total_out;
    deflateEnd(&zs);
    memcpy(gz + glen, &sz, 4);
    check_dispatch(&d, gz, glen, n - 1, glen / 2, "gzip");
    gz[glen - 5] ^= 1;
    CU_ASSERT_EQUAL(decompress(gz, glen, out, n, &olen, work, wl, &why), -EBADMSG);
    gz[glen - 5] ^= 1;
    /* why may be NULL. */
    CU_ASSERT_EQUAL(decompress(gz, glen, out, n, &olen, work, wl, NULL), 0);

    /* xz with BCJ + LZMA2, CRC32 check, size word appended. */
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 6);
    lzma_filter f[3] = { { LZMA_FILTER_X86, NULL }, { LZMA_FILTER_LZMA2, &opt },
                         { LZMA_VLI_UNKNOWN, NULL } };
    size_t xcap = lzma_stream_buffer_bound(n) + 4, xlen = 0;
    uint8_t *xz = malloc(xcap);
    CU_ASSERT_EQUAL_FATAL(lzma_stream_buffer_encode(f, LZMA_CHECK_CRC32, NULL, data, n,
                                                    xz, &xlen, xcap - 4), LZMA_OK);
    memcpy(xz + xlen, &sz, 4);
    check_dispatch(&d, xz, xlen, 1000, xlen - 1, "xz");

    /* zstd with a content checksum, size word appended. */
    size_t zcap = ZSTD_compressBound(n) + 4, zlen;
    uint8_t *zst = malloc(zcap);
    ZSTD_CCtx *zc = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(zc, ZSTD_c_compressionLevel, 19);
    ZSTD_CCtx_setParameter(zc, ZSTD_c_checksumFlag, 1);
    zlen = ZSTD_compress2(zc, zst, zcap - 4, data, n);
    ZSTD_freeCCtx(zc);
    CU_ASSERT_FALSE_FATAL(ZSTD_isError(zlen));
    memcpy(zst + zlen, &sz, 4);
    check_dispatch(&d, zst, zlen, 1000, zlen - 1, "zstd");
    zst[zlen - 2] ^= 1;
    CU_ASSERT_EQUAL(decompress(zst, zlen, out, n, &olen, work, wl, &why), -EBADMSG);
    if (why)
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "zstd: content checksum"));
    zst[zlen - 2] ^= 1;
    /* A frame naming a dictionary: refused, and the reason says so. */
    static const uint8_t dict_frame[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x21, 0x07, 0x03,
                                          0x19, 0x00, 0x00, 'a', 'b', 'c' };
    why = NULL;
    CU_ASSERT_EQUAL(decompress(dict_frame, sizeof(dict_frame), out, n, &olen, work, wl, &why),
                    -EOPNOTSUPP);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "dictionar"));

    /* Workspace too small. */
    CU_ASSERT_EQUAL(decompress(xz, xlen, out, n, &olen, work, wl - 1, &why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(why);
    CU_ASSERT_EQUAL(decompress(xz, xlen, out, n, &olen, NULL, wl, &why), -EINVAL);
    CU_ASSERT_EQUAL(decompress(zst, zlen, out, n, &olen, work, wl - 1, &why), -EINVAL);

    free(zst);
    free(xz);
    free(gz);
    free(work);
    free(data);
    free(out);
}

static void test_unsupported_formats(void)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *name;
    } t[] = {
        { "\x5d\x00\x00\x80\x00\xff\xff\xff\xff", 9, "lzma" },
        { "BZh91AY&SY", 10, "bzip2" },
        { "\x02\x21\x4c\x18\x10\x00\x00\x00", 8, "lz4" },
        { "\x04\x22\x4d\x18\x64\x40\xa7", 7, "lz4" },
        { "\x89LZO\x00\x0d\x0a\x1a\x0a", 9, "lzo" },
    };
    size_t wl = decompress_workspace_size();
    void *work = malloc(wl);
    uint8_t out[64];
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *why = NULL;
        size_t olen = 99;
        int ret = decompress((const uint8_t *)t[i].bytes, t[i].len, out, sizeof(out),
                             &olen, work, wl, &why);
        CU_ASSERT_EQUAL(ret, -EOPNOTSUPP);
        CU_ASSERT_EQUAL(olen, 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(why);
        char want[64];
        snprintf(want, sizeof(want), "%s-compressed payload not supported yet", t[i].name);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, want));
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "(supported: gzip, xz, zstd)"));
    }
    /* Unknown data. */
    const char *why = NULL;
    size_t olen;
    CU_ASSERT_EQUAL(decompress((const uint8_t *)"\x7f" "ELF", 4, out, sizeof(out), &olen,
                               work, wl, &why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(why);
    CU_ASSERT_EQUAL(decompress((const uint8_t *)"", 0, out, sizeof(out), &olen, work, wl,
                               &why), -EINVAL);
    free(work);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "detect_compression magics and names", test_detect },
        { "workspace size is the max of gzip/xz/zstd", test_workspace_size },
        { "dispatch gzip, xz and zstd (with bzImage size word)", test_dispatch_gzip_and_xz },
        { "lz4/lzo/bzip2/lzma: -EOPNOTSUPP with a reason", test_unsupported_formats },
        { NULL, NULL },
    };
    unit_add_suite("decompress", cases);
}
