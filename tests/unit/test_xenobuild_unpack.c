// UNIT-SOURCES: dom0-tools/builder/unpack.c hypervisor/lib/decompress.c hypervisor/lib/inflate.c hypervisor/lib/xz.c hypervisor/lib/zstd.c hypervisor/lib/crc32.c hypervisor/lib/crc64.c
// UNIT-LIBS: -lz -llzma -llz4 -lzstd -lbz2
/* SPDX-License-Identifier: MIT */
/*
 * Hosted tests for libxenobuild's decompression (dom0-tools/builder/
 * unpack.c): every format a Linux payload may use, compressed here with
 * the same Debian libraries, unpacked with and without the stated size and
 * with the bzImage size word behind the stream; truncated, damaged and
 * wrongly sized input is refused with a reason.  Inputs are exact-size
 * heap copies so that ASan sees any read past the end.
 */
#include <bzlib.h>
#include <errno.h>
#include <lz4.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "unit.h"
#include "../../dom0-tools/builder/xb_priv.h"

/* 9 MiB + a bit: more than one 8 MiB lz4 legacy block. */
#define DATA_LEN ((9u << 20) + 12345)

static uint8_t *data;

/* Compressible but not trivial: text-like runs with a pseudo-random walk. */
static void make_data(void)
{
    data = malloc(DATA_LEN);
    uint32_t s = 12345;
    for (size_t i = 0; i < DATA_LEN; i++) {
        s = s * 1103515245u + 12345u;
        data[i] = (i % 64 < 40) ? (uint8_t)("xeno builds a domain "[i % 21]) : (uint8_t)(s >> 24);
    }
}

struct blob {
    uint8_t *p;
    size_t len;
};

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The stream followed by the le32 size word, as a bzImage payload ends. */
static struct blob with_size_word(struct blob b)
{
    b.p = realloc(b.p, b.len + 4);
    put_le32(b.p + b.len, DATA_LEN);
    b.len += 4;
    return b;
}

static struct blob gzip_of(void)
{
    struct blob b = { malloc(DATA_LEN + 4096), 0 };
    z_stream s;
    memset(&s, 0, sizeof(s));
    CU_ASSERT_EQUAL_FATAL(deflateInit2(&s, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    s.next_in = data;
    s.avail_in = DATA_LEN;
    s.next_out = b.p;
    s.avail_out = DATA_LEN + 4096;
    CU_ASSERT_EQUAL(deflate(&s, Z_FINISH), Z_STREAM_END);
    b.len = s.total_out;
    deflateEnd(&s);
    return b;
}

static struct blob lzma_of(bool xz)
{
    struct blob b = { malloc(DATA_LEN + 4096), 0 };
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 1);
    CU_ASSERT_EQUAL_FATAL(xz ? lzma_easy_encoder(&s, 1, LZMA_CHECK_CRC32) : lzma_alone_encoder(&s, &opt), LZMA_OK);
    s.next_in = data;
    s.avail_in = DATA_LEN;
    s.next_out = b.p;
    s.avail_out = DATA_LEN + 4096;
    CU_ASSERT_EQUAL(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
    b.len = s.total_out;
    lzma_end(&s);
    return b;
}

static struct blob bzip2_of(void)
{
    unsigned int n = DATA_LEN + DATA_LEN / 50 + 4096;
    struct blob b = { malloc(n), 0 };
    CU_ASSERT_EQUAL(BZ2_bzBuffToBuffCompress((char *)b.p, &n, (char *)data, DATA_LEN, 1, 0, 0), BZ_OK);
    b.len = n;
    return b;
}

static struct blob zstd_of(void)
{
    size_t cap = ZSTD_compressBound(DATA_LEN);
    struct blob b = { malloc(cap), 0 };
    b.len = ZSTD_compress(b.p, cap, data, DATA_LEN, 3);
    CU_ASSERT_FALSE(ZSTD_isError(b.len));
    return b;
}

/* Linux's `lz4 -l`: magic, then [le32 size][block] per 8 MiB of input. */
static struct blob lz4_legacy_of(void)
{
    const size_t block = 8u << 20;
    struct blob b = { malloc(4 + 2 * (4 + (size_t)LZ4_compressBound((int)block))), 4 };
    put_le32(b.p, 0x184C2102u);
    for (size_t off = 0; off < DATA_LEN; off += block) {
        size_t n = DATA_LEN - off < block ? DATA_LEN - off : block;
        int c = LZ4_compress_default((const char *)data + off, (char *)b.p + b.len + 4, (int)n,
                                     LZ4_compressBound((int)block));
        CU_ASSERT_FATAL(c > 0);
        put_le32(b.p + b.len, (uint32_t)c);
        b.len += 4 + (size_t)c;
    }
    return b;
}

static struct blob make(enum compression c)
{
    switch (c) {
    case COMPRESSION_GZIP: return gzip_of();
    case COMPRESSION_XZ: return lzma_of(true);
    case COMPRESSION_LZMA: return lzma_of(false);
    case COMPRESSION_BZIP2: return bzip2_of();
    case COMPRESSION_ZSTD: return zstd_of();
    default: return lz4_legacy_of();
    }
}

static const enum compression formats[] = {
    COMPRESSION_GZIP, COMPRESSION_XZ, COMPRESSION_LZMA, COMPRESSION_BZIP2, COMPRESSION_ZSTD, COMPRESSION_LZ4,
};

/* xb_unpack on an exact-size copy of in[0..len). */
static int unpack(enum compression c, const uint8_t *in, size_t len, size_t expect, uint8_t **out,
                  size_t *out_len, const char **why)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, in, len);
    int rc = xb_unpack(c, copy, len, expect, out, out_len, why);
    free(copy);
    return rc;
}

static void test_round_trips(void)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        enum compression c = formats[i];
        struct blob b = with_size_word(make(c));
        CU_ASSERT_EQUAL(detect_compression(b.p, b.len), c);
        uint8_t *out;
        size_t n;
        const char *why;
        /* As a bzImage payload: the stated size, the size word behind. */
        CU_ASSERT_EQUAL(unpack(c, b.p, b.len, DATA_LEN, &out, &n, &why), 0);
        CU_ASSERT_PTR_NULL(why);
        CU_ASSERT_EQUAL(n, DATA_LEN);
        CU_ASSERT(out && memcmp(out, data, DATA_LEN) == 0);
        free(out);
        /* As a whole compressed file: size unknown, the buffer grows. */
        CU_ASSERT_EQUAL(unpack(c, b.p, b.len - 4, 0, &out, &n, &why), 0);
        CU_ASSERT_EQUAL(n, DATA_LEN);
        CU_ASSERT(out && memcmp(out, data, DATA_LEN) == 0);
        free(out);
        free(b.p);
    }
}

static void test_truncated(void)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        enum compression c = formats[i];
        struct blob b = make(c);
        uint8_t *out = (uint8_t *)1;
        size_t n = 1;
        const char *why = NULL;
        /* Cut inside the stream (for lz4 inside the second block), with or
         * without the stated size: never success, never a crash. */
        size_t cut = c == COMPRESSION_LZ4 ? b.len - 100 : b.len / 2;
        CU_ASSERT_EQUAL(unpack(c, b.p, cut, DATA_LEN, &out, &n, &why), -EINVAL);
        CU_ASSERT_PTR_NULL(out);
        CU_ASSERT_EQUAL(n, 0);
        CU_ASSERT_PTR_NOT_NULL(why);
        CU_ASSERT_EQUAL(unpack(c, b.p, cut, 0, &out, &n, &why), -EINVAL);
        CU_ASSERT_PTR_NOT_NULL(why);
        free(b.p);
    }
}

static void test_damaged(void)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        enum compression c = formats[i];
        struct blob b = with_size_word(make(c));
        /* 4 KiB of noise from a quarter in: checksums, block sizes or the
         * decoded length must notice. */
        size_t at = b.len / 4;
        for (size_t k = 0; k < 4096 && at + k < b.len - 4; k++)
            b.p[at + k] = (uint8_t)(k * 131 + 7);
        uint8_t *out;
        size_t n;
        const char *why = NULL;
        int rc = unpack(c, b.p, b.len, DATA_LEN, &out, &n, &why);
        CU_ASSERT_EQUAL(rc, -EINVAL);
        CU_ASSERT_PTR_NOT_NULL(why);
        if (rc == 0)
            free(out);
        free(b.p);
    }
}

static void test_wrong_size(void)
{
    struct blob b = gzip_of();
    uint8_t *out;
    size_t n;
    const char *why = NULL;
    CU_ASSERT_EQUAL(unpack(COMPRESSION_GZIP, b.p, b.len, DATA_LEN + 100, &out, &n, &why), -EINVAL);
    CU_ASSERT(why && strstr(why, "less than"));
    CU_ASSERT_EQUAL(unpack(COMPRESSION_GZIP, b.p, b.len, DATA_LEN - 8192, &out, &n, &why), -EINVAL);
    CU_ASSERT(why && strstr(why, "within its stated size"));
    free(b.p);
    b = lz4_legacy_of();
    CU_ASSERT_EQUAL(unpack(COMPRESSION_LZ4, b.p, b.len, DATA_LEN - 8192, &out, &n, &why), -EINVAL);
    CU_ASSERT(why && strstr(why, "within its stated size"));
    free(b.p);
}

static void test_unsupported(void)
{
    static const uint8_t lzo[] = { 0x89, 'L', 'Z', 'O', 0, 0x0d, 0x0a, 0x1a };
    static const uint8_t lz4_frame[] = { 0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0, 0, 0, 0 };
    static const uint8_t junk[] = "just some bytes";
    uint8_t *out;
    size_t n;
    const char *why = NULL;
    CU_ASSERT_EQUAL(detect_compression(lzo, sizeof(lzo)), COMPRESSION_LZO);
    CU_ASSERT_EQUAL(unpack(COMPRESSION_LZO, lzo, sizeof(lzo), 0, &out, &n, &why), -EOPNOTSUPP);
    CU_ASSERT(why && strstr(why, "lzo"));
    CU_ASSERT_EQUAL(detect_compression(lz4_frame, sizeof(lz4_frame)), COMPRESSION_LZ4);
    CU_ASSERT_EQUAL(unpack(COMPRESSION_LZ4, lz4_frame, sizeof(lz4_frame), 0, &out, &n, &why), -EOPNOTSUPP);
    CU_ASSERT(why && strstr(why, "legacy"));
    CU_ASSERT_EQUAL(detect_compression(junk, sizeof(junk)), COMPRESSION_NONE);
    CU_ASSERT_EQUAL(unpack(COMPRESSION_NONE, junk, sizeof(junk), 0, &out, &n, &why), -EINVAL);
    /* Magic and nothing else. */
    static const uint8_t lz4_magic_only[] = { 0x02, 0x21, 0x4c, 0x18 };
    CU_ASSERT_EQUAL(unpack(COMPRESSION_LZ4, lz4_magic_only, 4, 0, &out, &n, &why), -EINVAL);
    static const uint8_t gz_header_only[] = { 0x1f, 0x8b, 8, 0 };
    CU_ASSERT_EQUAL(unpack(COMPRESSION_GZIP, gz_header_only, 4, 0, &out, &n, &why), -EINVAL);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "round trips (gzip xz lzma bzip2 zstd lz4-legacy)", test_round_trips },
        { "truncated streams", test_truncated },
        { "damaged streams", test_damaged },
        { "decoded size differs from the stated one", test_wrong_size },
        { "unsupported and unknown formats", test_unsupported },
        { NULL, NULL },
    };
    make_data();
    unit_add_suite("xenobuild_unpack", cases);
}
