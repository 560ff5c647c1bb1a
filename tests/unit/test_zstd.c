// UNIT-SOURCES: hypervisor/lib/zstd.c tests/unit/testdata.c
// UNIT-LIBS: -lzstd
/* SPDX-License-Identifier: MIT */
/*
 * Hosted tests for the Zstandard decoder (frames, blocks, Huffman
 * literals, FSE sequences, XXH64), using libzstd as the reference
 * encoder, plus hand-made frames for the corners libzstd never emits.
 */
#define ZSTD_STATIC_LINKING_ONLY    /* experimental parameter names only */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

#include "testdata.h"
#include "unit.h"
#include "xeno/errno.h"
#include "xeno/zstd.h"

/* ---- helpers -------------------------------------------------------- */

static void *work;

struct zopts {
    int level;
    int checksum;           /* content checksum flag */
    int no_size;            /* leave the content size out of the header */
    int window_log;         /* 0: the level's default */
    int ldm;                /* long-distance matching */
    int target_cblock;      /* ZSTD_c_targetCBlockSize (0: off) */
    int lit_mode;           /* ZSTD_c_literalCompressionMode (0: auto) */
    size_t chunk;           /* streaming with a flush every chunk bytes (0: one shot) */
};

#define ZCHECK(call)                                                     \
    do {                                                                 \
        size_t r_ = (call);                                              \
        if (ZSTD_isError(r_)) {                                          \
            fprintf(stderr, "%s: %s\n", #call, ZSTD_getErrorName(r_));   \
            abort();                                                     \
        }                                                                \
    } while (0)

/* Compress with libzstd; returns a malloc'd frame (extra bytes of room). */
static uint8_t *zenc(const uint8_t *in, size_t n, const struct zopts *o, size_t *clen)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    size_t cap = ZSTD_compressBound(n) + 4096 + (o->chunk ? (n / o->chunk + 1) * 16 : 0);
    uint8_t *out = malloc(cap);

    ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, o->level));
    ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, o->checksum));
    ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, !o->no_size));
    if (o->window_log)
        ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, o->window_log));
    if (o->ldm)
        ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1));
    if (o->target_cblock)
        ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_targetCBlockSize, o->target_cblock));
    if (o->lit_mode)
        ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_literalCompressionMode, o->lit_mode));
    if (!o->chunk) {
        size_t r = ZSTD_compress2(c, out, cap, in, n);
        ZCHECK(r);
        *clen = r;
    } else {
        ZSTD_outBuffer ob = { out, cap, 0 };
        size_t pos = 0;
        do {
            size_t step = n - pos < o->chunk ? n - pos : o->chunk;
            ZSTD_inBuffer ib = { in + pos, step, 0 };
            ZSTD_EndDirective e = pos + step == n ? ZSTD_e_end : ZSTD_e_flush;
            size_t r;
            do {
                r = ZSTD_compressStream2(c, &ob, &ib, e);
                ZCHECK(r);
            } while (r != 0);
            pos += step;
        } while (pos < n);
        *clen = ob.pos;
    }
    ZSTD_freeCCtx(c);
    return out;
}

static uint8_t *zenc_level(const uint8_t *in, size_t n, int level, size_t *clen)
{
    struct zopts o = { .level = level, .checksum = 1 };
    return zenc(in, n, &o, clen);
}

/* Offsets of the blocks (their 3-byte headers) in a one-frame input. */
static size_t block_offsets(const uint8_t *z, size_t clen, size_t *offs, size_t max)
{
    static const uint8_t did[4] = { 0, 1, 2, 4 }, fcs[4] = { 0, 2, 4, 8 };
    uint8_t fhd = z[4];
    size_t pos = 5 + !(fhd & 0x20) + did[fhd & 3] +
                 ((fhd >> 6) == 0 ? (fhd & 0x20) != 0 : fcs[fhd >> 6]);
    size_t n = 0;
    while (pos + 3 <= clen && n < max) {
        uint32_t h = z[pos] | (z[pos + 1] << 8) | ((uint32_t)z[pos + 2] << 16);
        offs[n++] = pos;
        pos += 3 + (((h >> 1) & 3) == 1 ? 1 : h >> 3);
        if (h & 1)
            break;
    }
    return n;
}

/* Size of the literals section at p (header and content). */
static size_t lit_section_size(const uint8_t *p)
{
    unsigned t = p[0] & 3, sf = (p[0] >> 2) & 3;
    if (t < 2) {
        size_t lh, n;
        if (sf == 1) {
            lh = 2;
            n = (size_t)(p[0] >> 4) + ((size_t)p[1] << 4);
        } else if (sf == 3) {
            lh = 3;
            n = (size_t)(p[0] >> 4) + ((size_t)p[1] << 4) + ((size_t)p[2] << 12);
        } else {
            lh = 1;
            n = p[0] >> 3;
        }
        return lh + (t == 1 ? 1 : n);
    }
    static const uint8_t hl[4] = { 3, 3, 4, 5 }, bits[4] = { 10, 10, 14, 18 };
    uint64_t v = 0;
    for (size_t k = 0; k < hl[sf]; k++)
        v |= (uint64_t)p[k] << (8 * k);
    return hl[sf] + ((size_t)(v >> (4 + bits[sf])) & ((1u << bits[sf]) - 1));
}

static struct td_decoder dec_zstd = { "unzstd", unzstd, NULL };

static bool check_unzstd(const uint8_t *orig, size_t n, const uint8_t *z, size_t clen)
{
    return td_round_trip(&dec_zstd, z, clen, orig, n, 16);
}

/* Same, with the output buffer exactly the content size. */
static bool check_exact(const uint8_t *orig, size_t n, const uint8_t *z, size_t clen)
{
    return td_round_trip(&dec_zstd, z, clen, orig, n, 0);
}

/* Reference decode with libzstd (to be sure a hand-made frame is valid). */
static size_t ref_decode(const uint8_t *z, size_t clen, uint8_t *out, size_t cap)
{
    return ZSTD_decompress(out, cap, z, clen);
}

static const size_t sizes[] = { 0, 1, 2, 5, 100, 1023, 1025, 4095, 65535,
                                (128u << 10) - 1, 128u << 10, (128u << 10) + 1,
                                300000 };

/* ---- tests ---------------------------------------------------------- */

static void test_xxh64(void)
{
    /* Reference values from the xxHash library. */
    static const struct {
        const char *s;
        uint64_t seed, h;
    } v[] = {
        { "", 0, 0xef46db3751d8e999ull },
        { "", 1, 0xd5afba1336a3be4bull },
        { "a", 0, 0xd24ec4f1a98c6e5bull },
        { "a", 1, 0xdec2bc81c3cd46c6ull },
        { "abc", 0, 0x44bc2cf5ad770999ull },
        { "abc", 1, 0xbea9ca8199328908ull },
        { "Nobody inspects the spammish repetition", 0, 0xfbcea83c8a378bf1ull },
        { "Nobody inspects the spammish repetition", 1, 0x43f425448d954db6ull },
        { "The quick brown fox jumps over the lazy dog", 0, 0x0b242d361fda71bcull },
        { "The quick brown fox jumps over the lazy dog", 1, 0xdf5091b6dad2c6dbull },
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        CU_ASSERT_EQUAL(zstd_xxh64(v[i].s, strlen(v[i].s), v[i].seed), v[i].h);

    /* Every tail length and alignment: compare with libzstd's checksums. */
    uint8_t *buf = malloc(600);
    td_fill(buf, 600, TD_RANDOM, 5);
    for (size_t off = 0; off < 8; off += 3)
        for (size_t n = 0; n < 300; n += 1 + n / 40) {
            size_t clen;
            uint8_t *z = zenc_level(buf + off, n, 1, &clen);
            uint32_t want;
            memcpy(&want, z + clen - 4, 4);
            CU_ASSERT_EQUAL((uint32_t)zstd_xxh64(buf + off, n, 0), want);
            free(z);
        }
    free(buf);
}

/* Levels 1..22 over data kinds and sizes, with/without checksum and size. */
static void test_levels_kinds_sizes(void)
{
    static const int levels[] = { 1, 3, 9, 19, 22 };
    unsigned combos = 0;
    struct td_case c = TD_CASES(sizes);
    while (td_next_case(&c)) {
        for (size_t li = 0; li < 5; li++) {
            int level = levels[li];
            /* Keep the run time sane: the slow levels on fewer large inputs. */
            if (c.n > 70000 && level >= 19 && (c.k + c.si + li) % 3 != 0)
                continue;
            struct zopts o = { .level = level, .checksum = (int)((c.si + li) & 1),
                               .no_size = (int)((c.si + li + c.k) % 3 == 0) };
            size_t clen;
            uint8_t *z = zenc(c.data, c.n, &o, &clen);
            bool ok = check_unzstd(c.data, c.n, z, clen) && check_exact(c.data, c.n, z, clen);
            TD_EXPECT(ok, "zstd round trip", "kind %s size %zu level %d checksum %d no_size %d",
                      td_kind_name(c.k), c.n, level, o.checksum, o.no_size);
            combos++;
            free(z);
        }
    }
    CU_ASSERT_TRUE(combos > 300);
}

/*
 * Streaming with flushes (small blocks, no content size), the
 * target-block-size mode (many small blocks reusing Huffman trees and FSE
 * tables: treeless literals, Repeat_Mode) and forced literal modes.
 */
static void test_streaming_and_block_modes(void)
{
    size_t n = 700000;
    uint8_t *data = malloc(n);
    static const size_t chunks[] = { 1, 7, 100, 1000, 4096, 50000, 131072, 131073 };
    for (int k = 0; k < TD_NKINDS; k++) {
        td_fill(data, n, (enum td_kind)k, 900 + k);
        for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
            /* 1-byte chunks make many tiny blocks: only on a short prefix. */
            size_t len = chunks[c] < 100 ? 20000 : n;
            struct zopts o = { .level = 1 + (int)(c * 3) % 19, .checksum = (int)(c & 1),
                               .no_size = 1, .chunk = chunks[c] };
            size_t clen;
            uint8_t *z = zenc(data, len, &o, &clen);
            TD_EXPECT(check_unzstd(data, len, z, clen), "streaming round trip",
                      "kind %s chunk %zu", td_kind_name(k), chunks[c]);
            free(z);
        }
        static const int targets[] = { 1340, 4000, 20000 };
        for (int t = 0; t < 3; t++) {
            struct zopts o = { .level = t == 2 ? 19 : 3 + 3 * t, .checksum = 1,
                               .target_cblock = targets[t] };
            size_t clen;
            uint8_t *z = zenc(data, n, &o, &clen);
            TD_EXPECT(check_unzstd(data, n, z, clen), "target block size round trip",
                      "kind %s target block %d", td_kind_name(k), targets[t]);
            free(z);
        }
        for (int lm = 1; lm <= 2; lm++) {
            /* ZSTD_ps_enable (1): always Huffman; ZSTD_ps_disable (2): raw. */
            struct zopts o = { .level = 5, .lit_mode = lm };
            size_t clen;
            uint8_t *z = zenc(data, n, &o, &clen);
            TD_EXPECT(check_unzstd(data, n, z, clen), "literal mode round trip",
                      "kind %s literal mode %d", td_kind_name(k), lm);
            free(z);
        }
    }
    free(data);
}

/*
 * Window sizes from 1 KiB (which also limits the block size) to 32 MiB,
 * and long-distance matching, on data with repeats far back.
 */
static void test_windows_and_ldm(void)
{
    size_t n = 12u << 20, blk = 1u << 20;
    uint8_t *data = malloc(n);
    td_fill_far_repeat(data, n, blk, TD_MIXED, 77);    /* repeat 11 MiB back */
    memcpy(data + 9 * blk, data + blk / 2, blk / 2);   /* 8.5 MiB back */

    static const struct {
        int wlog, level, ldm;
        size_t len;
    } t[] = {
        { 10, 3, 0, 300000 }, { 11, 19, 0, 200000 }, { 14, 5, 0, 1u << 20 },
        { 17, 9, 0, 3u << 20 }, { 23, 3, 0, 12u << 20 }, { 24, 3, 0, 12u << 20 },
        { 25, 1, 1, 12u << 20 }, { 27, 3, 1, 12u << 20 },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct zopts o = { .level = t[i].level, .window_log = t[i].wlog, .ldm = t[i].ldm,
                           .checksum = 1, .no_size = (int)(i & 1) };
        size_t clen;
        uint8_t *z = zenc(data, t[i].len, &o, &clen);
        if (t[i].wlog >= 24)
            CU_ASSERT_TRUE(clen < t[i].len - blk);  /* the far repeat was used */
        TD_EXPECT(check_unzstd(data, t[i].len, z, clen), "window/LDM round trip",
                  "window log %d ldm %d", t[i].wlog, t[i].ldm);
        free(z);
    }
    free(data);
}

/*
 * One literal and a 3-byte match, over and over: more than 0x7F00
 * sequences per block (the 3-byte Number_of_Sequences form).
 */
static void test_many_sequences(void)
{
    size_t n = 400000, i = 0;
    uint8_t *data = malloc(n);
    td_srand(55);
    while (i < n) {
        data[i++] = (uint8_t)td_rand();
        if (i >= 64 && n - i >= 3) {
            memcpy(data + i, data + i - 4 - td_rand() % 60, 3);
            i += 3;
        }
    }
    for (int level = 17; level <= 19; level += 2) {
        ZSTD_CCtx *c = ZSTD_createCCtx();
        size_t cap = ZSTD_compressBound(n), clen;
        uint8_t *z = malloc(cap);
        ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level));
        ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_minMatch, 3));
        ZCHECK(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1));
        clen = ZSTD_compress2(c, z, cap, data, n);
        ZCHECK(clen);
        /* At least one block says 0xFF: three-byte sequence count. */
        size_t offs[64], nb = block_offsets(z, clen, offs, 64);
        bool three = false;
        for (size_t b = 0; b < nb; b++) {
            const uint8_t *p = z + offs[b] + 3;
            if (((z[offs[b]] >> 1) & 3) != 2)
                continue;
            if (p[lit_section_size(p)] == 0xFF)
                three = true;
        }
        CU_ASSERT_TRUE(three);
        CU_ASSERT_TRUE(check_unzstd(data, n, z, clen));
        free(z);
        ZSTD_freeCCtx(c);
    }
    free(data);
}

/* ~20 MB of x86-like code (like a kernel payload), default level. */
static void test_20mb_x86(void)
{
    size_t n = 20u * 1000 * 1000 + 7;
    uint8_t *data = td_alloc_fill(n, TD_X86, 2024);
    struct zopts o = { .level = 3, .checksum = 1 };
    size_t clen;
    uint8_t *z = zenc(data, n, &o, &clen);
    CU_ASSERT_TRUE(check_unzstd(data, n, z, clen));
    free(z);
    free(data);
}

static size_t put_skippable(uint8_t *p, unsigned nibble, const uint8_t *data, uint32_t len)
{
    uint32_t magic = 0x184D2A50u | nibble;
    memcpy(p, &magic, 4);
    memcpy(p + 4, &len, 4);
    memcpy(p + 8, data, len);
    return 8 + (size_t)len;
}

/* Concatenated frames, skippable frames, trailing data. */
static void test_multiple_and_skippable_frames(void)
{
    size_t n1 = 150000, n2 = 1000, n3 = 70000, total = n1 + n2 + n3;
    uint8_t *data = malloc(total), *out = malloc(total + 64);
    td_fill(data, n1, TD_TEXT, 1);
    td_fill(data + n1, n2, TD_RANDOM, 2);
    memcpy(data + n1 + n2, data, n3);       /* frames can't see each other */
    struct zopts o1 = { .level = 3, .checksum = 1 }, o2 = { .level = 19, .no_size = 1 };
    size_t c1, c2, c3, c0;
    uint8_t *z1 = zenc(data, n1, &o1, &c1);
    uint8_t *z2 = zenc(data + n1, n2, &o2, &c2);
    uint8_t *z3 = zenc(data + n1 + n2, n3, &o1, &c3);
    uint8_t *z0 = zenc(data, 0, &o1, &c0);  /* an empty frame */
    uint8_t *all = malloc(c0 + c1 + c2 + c3 + 4096);
    size_t pos = 0, olen;
    uint8_t meta[300];
    memset(meta, 0xAB, sizeof(meta));
    memcpy(meta, "\x28\xb5\x2f\xfd", 4);    /* a zstd magic inside is just data */

    pos += put_skippable(all + pos, 0, meta, 17);
    memcpy(all + pos, z1, c1);
    pos += c1;
    memcpy(all + pos, z0, c0);
    pos += c0;
    pos += put_skippable(all + pos, 15, meta, 0);
    memcpy(all + pos, z2, c2);
    pos += c2;
    pos += put_skippable(all + pos, 7, meta, 300);
    memcpy(all + pos, z3, c3);
    pos += c3;
    CU_ASSERT_EQUAL(ref_decode(all, pos, out, total + 64), total);
    CU_ASSERT_TRUE(check_unzstd(data, total, all, pos));
    CU_ASSERT_TRUE(check_exact(data, total, all, pos));

    /* Trailing data after the last frame is ignored: the bzImage size
     * word, short or arbitrary garbage, an incomplete magic. */
    static const uint8_t tails[][6] = {
        { 0x11, 0x22, 0x03, 0x00 }, { 0x00 }, { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF },
        { 0x28, 0xB5, 0x2F }, { 0x50, 0x2A, 0x4D },
    };
    static const size_t tail_len[] = { 4, 1, 6, 3, 3 };
    for (size_t i = 0; i < 5; i++) {
        memcpy(all + pos, tails[i], tail_len[i]);
        CU_ASSERT_TRUE(check_unzstd(data, total, all, pos + tail_len[i]));
    }
    /* But a complete magic number starts a frame, which must then be whole. */
    memcpy(all + pos, "\x28\xb5\x2f\xfd\x00", 5);
    CU_ASSERT_EQUAL(unzstd(all, pos + 4, out, total + 64, &olen, work), -ENODATA);
    CU_ASSERT_EQUAL(olen, total);
    CU_ASSERT_EQUAL(unzstd(all, pos + 5, out, total + 64, &olen, work), -ENODATA);
    memcpy(all + pos, "\x5a\x2a\x4d\x18\x10\x00\x00\x00", 8);
    CU_ASSERT_EQUAL(unzstd(all, pos + 8, out, total + 64, &olen, work), -ENODATA);
    CU_ASSERT_EQUAL(unzstd(all, pos + 6, out, total + 64, &olen, work), -ENODATA);

    /* Only skippable frames: nothing to produce, but fine. */
    pos = put_skippable(all, 3, meta, 100);
    pos += put_skippable(all + pos, 4, meta, 5);
    olen = 99;
    CU_ASSERT_EQUAL(unzstd(all, pos, out, 0, &olen, work), 0);
    CU_ASSERT_EQUAL(olen, 0);

    free(all);
    free(z0);
    free(z1);
    free(z2);
    free(z3);
    free(out);
    free(data);
}

/* Empty and tiny inputs and contents. */
static void test_empty_and_tiny(void)
{
    uint8_t out[64], b = 0x42;
    size_t olen = 99, clen;

    /* No input at all, a partial magic, a wrong magic. */
    CU_ASSERT_EQUAL(unzstd(NULL, 0, out, sizeof(out), &olen, work), -ENODATA);
    CU_ASSERT_EQUAL(olen, 0);
    CU_ASSERT_EQUAL(unzstd((const uint8_t *)"\x28\xb5", 2, out, sizeof(out), &olen, work), -ENODATA);
    CU_ASSERT_EQUAL(unzstd((const uint8_t *)"\x5f\x2a\x4d", 3, out, sizeof(out), &olen, work), -ENODATA);
    CU_ASSERT_EQUAL(unzstd((const uint8_t *)"\x28\xb6", 2, out, sizeof(out), &olen, work), -EINVAL);
    CU_ASSERT_EQUAL(unzstd((const uint8_t *)"\x1f\x8b\x08\x00\x00", 5, out, sizeof(out), &olen, work),
                    -EINVAL);
    CU_ASSERT_EQUAL(unzstd((const uint8_t *)"\x28\xb5\x2f\xfd", 4, out, sizeof(out), &olen, work),
                    -ENODATA);

    /* Empty content and one byte, at every level, with and without extras. */
    for (int level = 1; level <= 22; level += 3) {
        for (int f = 0; f < 4; f++) {
            struct zopts o = { .level = level, .checksum = f & 1, .no_size = f >> 1 };
            uint8_t *z = zenc(&b, 0, &o, &clen);
            CU_ASSERT_TRUE(check_unzstd(&b, 0, z, clen));
            CU_ASSERT_TRUE(check_exact(&b, 0, z, clen));
            free(z);
            z = zenc(&b, 1, &o, &clen);
            CU_ASSERT_TRUE(check_unzstd(&b, 1, z, clen));
            CU_ASSERT_TRUE(check_exact(&b, 1, z, clen));
            CU_ASSERT_EQUAL(unzstd(z, clen, out, 0, &olen, work), -ENOSPC);
            free(z);
        }
    }
}

/* Cutting a frame anywhere gives -ENODATA, never a crash or success. */
static void test_truncated_everywhere(void)
{
    size_t n = 6000;
    uint8_t *data = td_alloc_fill(n, TD_MIXED, 42);
    for (int v = 0; v < 4; v++) {
        struct zopts o = { .level = v == 3 ? 19 : 3, .checksum = v & 1, .no_size = v >> 1,
                           .chunk = v == 2 ? 1500 : 0 };
        td_fill(data, n, v == 1 ? TD_TEXT : TD_MIXED, 42 + v);
        size_t clen;
        uint8_t *z = zenc(data, n, &o, &clen);
        CU_ASSERT_TRUE(check_unzstd(data, n, z, clen));
        TD_EXPECT(td_truncations(&dec_zstd, z, clen, n + 64, -ENODATA, -ENODATA) == 0,
                  "truncated zstd must give -ENODATA", "variant %d", v);
        free(z);
    }
    free(data);
}

/* Random bit flips and byte garbage: an error or a success, never a crash
 * (ASan) or a hang. */
static void test_bit_flips(void)
{
    size_t n = 40000;
    uint8_t *data = malloc(n), *out = malloc(n + 64);
    unsigned errs = 0, oks = 0;
    for (int v = 0; v < 8; v++) {
        td_fill(data, n, (enum td_kind)(v % TD_NKINDS), 7000 + v);
        struct zopts o = { .level = (v * 5) % 22 + 1, .checksum = v & 1, .no_size = (v >> 1) & 1,
                           .target_cblock = v == 7 ? 2000 : 0 };
        size_t clen, olen;
        uint8_t *z = zenc(data, n, &o, &clen);
        uint8_t *t = malloc(clen);
        td_srand(1234 + v);
        for (int trial = 0; trial < 600; trial++) {
            memcpy(t, z, clen);
            int flips = 1 + td_rand() % 4;
            for (int f = 0; f < flips; f++) {
                size_t at = 4 + td_rand() % (clen - 4);
                if (trial % 5 == 4)
                    t[at] = (uint8_t)td_rand();
                else
                    t[at] ^= (uint8_t)(1u << (td_rand() % 8));
            }
            /* Output buffers just big enough, and bigger. */
            size_t cap = trial & 1 ? n : n + 64;
            int ret = unzstd(t, clen, out, cap, &olen, work);
            CU_ASSERT_TRUE(olen <= cap);
            if (ret == 0) {
                oks++;
            } else {
                errs++;
                CU_ASSERT_TRUE(ret == -EINVAL || ret == -ENOSPC || ret == -EBADMSG ||
                               ret == -ENODATA || ret == -EOPNOTSUPP);
            }
        }
        free(t);
        free(z);
    }
    CU_ASSERT_TRUE(errs > 2000);
    /* Pure garbage after a valid magic and frame header byte. */
    uint8_t g[512];
    for (int trial = 0; trial < 3000; trial++) {
        size_t len = 5 + td_rand() % (sizeof(g) - 5);
        for (size_t i = 0; i < len; i++)
            g[i] = (uint8_t)td_rand();
        memcpy(g, "\x28\xb5\x2f\xfd", 4);
        g[4] &= 0xF7;                       /* clear the reserved bit */
        if (trial & 1)
            g[4] &= 0xFC;                   /* no dictionary ID */
        size_t olen;
        unzstd(g, len, out, n, &olen, work);
    }
    printf("\n  bit flips: %u errors, %u still decoded\n", errs, oks);
    free(out);
    free(data);
}

/*
 * Mutations aimed at the block and section headers and the FSE/Huffman
 * table descriptions, which uniform bit flips seldom reach: the bytes
 * right after each block header of frames made of many small blocks.
 */
static void test_header_mutations(void)
{
    size_t n = 60000;
    uint8_t *data = malloc(n), *out = malloc(n + 64);
    size_t offs[512];
    unsigned trials = 0;
    for (int v = 0; v < 6; v++) {
        td_fill(data, n, (enum td_kind)(v % TD_NKINDS == TD_ZEROS ? TD_TEXT : v % TD_NKINDS), 4000 + v);
        /* Many small blocks: flushes every 1500 bytes, or a target
         * compressed block size (with tables reused between blocks). */
        struct zopts o = { .level = 3 + 3 * v, .checksum = v & 1, .no_size = v >> 2,
                           .target_cblock = v & 1 ? 1500 : 0, .chunk = 1500 };
        size_t clen, olen;
        uint8_t *z = zenc(data, n, &o, &clen), *t = malloc(clen);
        size_t nb = block_offsets(z, clen, offs, 512);
        CU_ASSERT_TRUE(nb > 5);
        td_srand(99 + v);
        for (int trial = 0; trial < 3000; trial++) {
            memcpy(t, z, clen);
            size_t b = offs[td_rand() % nb], at = b + 3 + td_rand() % 24;
            if (td_rand() % 4 == 0)
                at = b + td_rand() % 3;                 /* the block header itself */
            if (at >= clen)
                continue;
            if (td_rand() & 1)
                t[at] ^= (uint8_t)(1u << (td_rand() % 8));
            else
                t[at] = (uint8_t)td_rand();
            if (td_rand() % 3 == 0) {                   /* and a second one nearby */
                size_t at2 = at + td_rand() % 8;
                if (at2 < clen)
                    t[at2] = (uint8_t)td_rand();
            }
            int ret = unzstd(t, clen, out, n + (trial & 1 ? 0 : 64), &olen, work);
            CU_ASSERT_TRUE(ret == 0 || ret == -EINVAL || ret == -ENOSPC || ret == -EBADMSG ||
                           ret == -ENODATA);
            trials++;
        }
        free(t);
        free(z);
    }
    CU_ASSERT_TRUE(trials > 10000);
    free(out);
    free(data);
}

static void test_output_too_small(void)
{
    size_t n = 500000, near[40];
    uint8_t *data = td_alloc_fill(n, TD_MIXED, 31);
    for (size_t i = 0; i < 40; i++)
        near[i] = n - 40 + i;
    for (int v = 0; v < 3; v++) {
        /* With the content size (checked up front), without it (found
         * during decoding), and streamed (small blocks). */
        struct zopts o = { .level = 3, .no_size = v > 0, .chunk = v == 2 ? 10000 : 0 };
        size_t clen;
        uint8_t *z = zenc(data, n, &o, &clen);
        static const size_t caps[] = { 0, 1, 100, 131071, 131072, 250000 };
        td_assert_enospc(&dec_zstd, z, clen, caps, sizeof(caps) / sizeof(caps[0]));
        td_assert_enospc(&dec_zstd, z, clen, near, 40);
        CU_ASSERT_TRUE(check_exact(data, n, z, clen));
        free(z);
    }
    free(data);
}

static void test_bad_checksum(void)
{
    size_t n = 100000, olen, clen;
    uint8_t *data = td_alloc_fill(n, TD_TEXT, 3), *out = malloc(n);
    uint8_t *z = zenc_level(data, n, 9, &clen);
    for (int i = 0; i < 32; i++) {
        z[clen - 4 + i / 8] ^= (uint8_t)(1u << (i % 8));
        CU_ASSERT_EQUAL(unzstd(z, clen, out, n, &olen, work), -EBADMSG);
        CU_ASSERT_EQUAL(olen, n);           /* the data itself was fine */
        z[clen - 4 + i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    CU_ASSERT_EQUAL(unzstd(z, clen, out, n, &olen, work), 0);
    /* A raw block's byte changed: decodes, but the checksum catches it. */
    struct zopts o = { .level = 1, .checksum = 1 };
    td_fill(data, n, TD_RANDOM, 4);
    free(z);
    z = zenc(data, n, &o, &clen);
    z[clen / 2] ^= 0x10;
    CU_ASSERT_EQUAL(unzstd(z, clen, out, n, &olen, work), -EBADMSG);
    /* Without the checksum flag the same change goes unnoticed. */
    o.checksum = 0;
    free(z);
    z = zenc(data, n, &o, &clen);
    z[clen / 2] ^= 0x10;
    CU_ASSERT_EQUAL(unzstd(z, clen, out, n, &olen, work), 0);
    free(z);
    free(out);
    free(data);
}

/* Frames that need a dictionary are refused with -EOPNOTSUPP. */
static void test_dictionary(void)
{
    /* Train a small dictionary on text samples. */
    size_t nsamp = 400, samp = 500;
    uint8_t *samples = malloc(nsamp * samp);
    size_t *ssizes = malloc(nsamp * sizeof(size_t));
    for (size_t i = 0; i < nsamp; i++) {
        td_fill(samples + i * samp, samp, TD_TEXT, 600 + i);
        ssizes[i] = samp;
    }
    uint8_t dict[8192];
    size_t dlen = ZDICT_trainFromBuffer(dict, sizeof(dict), samples, ssizes, (unsigned)nsamp);
    CU_ASSERT_FALSE_FATAL(ZDICT_isError(dlen));
    unsigned did = ZDICT_getDictID(dict, dlen);
    CU_ASSERT_NOT_EQUAL(did, 0);

    uint8_t msg[2000], out[2100], z[3000];
    size_t olen;
    td_fill(msg, sizeof(msg), TD_TEXT, 5);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    size_t clen = ZSTD_compress_usingDict(c, z, sizeof(z), msg, sizeof(msg), dict, dlen, 3);
    CU_ASSERT_FALSE_FATAL(ZSTD_isError(clen));
    CU_ASSERT_EQUAL(ZSTD_getDictID_fromFrame(z, clen), did);
    CU_ASSERT_EQUAL(unzstd(z, clen, out, sizeof(out), &olen, work), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(olen, 0);

    /* Hand-made headers with 1-, 2- and 4-byte IDs around a raw block. */
    for (int f = 1; f <= 3; f++) {
        static const uint8_t dsz[4] = { 0, 1, 2, 4 };
        for (int zero = 0; zero < 2; zero++) {
            uint8_t fr[32];
            size_t p = 0;
            memcpy(fr, "\x28\xb5\x2f\xfd", 4);
            p = 4;
            fr[p++] = (uint8_t)(0x20 | f);          /* single segment, DID flag */
            for (int i = 0; i < dsz[f]; i++)
                fr[p++] = zero ? 0 : (uint8_t)(i == dsz[f] - 1 ? 0x80 : 0);
            fr[p++] = 3;                            /* FCS = 3 */
            fr[p++] = 1 | (3 << 3);                 /* last raw block, 3 bytes */
            fr[p++] = 0;
            fr[p++] = 0;
            memcpy(fr + p, "abc", 3);
            p += 3;
            int ret = unzstd(fr, p, out, sizeof(out), &olen, work);
            /* ID 0 means "no dictionary named": the frame decodes. */
            CU_ASSERT_EQUAL(ret, zero ? 0 : -EOPNOTSUPP);
            if (zero) {
                CU_ASSERT_EQUAL(olen, 3);
                CU_ASSERT_EQUAL(memcmp(out, "abc", 3), 0);
                CU_ASSERT_EQUAL(ref_decode(fr, p, out, sizeof(out)), 3);
            }
        }
    }
    ZSTD_freeCCtx(c);
    free(ssizes);
    free(samples);
}

/* ---- hand-made frames ------------------------------------------------ */

struct fb {
    uint8_t b[4096];
    size_t n;
};

static void fb_put(struct fb *f, const void *p, size_t n)
{
    if (n)
        memcpy(f->b + f->n, p, n);
    f->n += n;
}

static void fb_byte(struct fb *f, uint8_t v)
{
    f->b[f->n++] = v;
}

static void fb_block(struct fb *f, bool last, unsigned type, uint32_t size)
{
    uint32_t h = (last ? 1 : 0) | (type << 1) | (size << 3);
    fb_byte(f, (uint8_t)h);
    fb_byte(f, (uint8_t)(h >> 8));
    fb_byte(f, (uint8_t)(h >> 16));
}

/* Magic + frame header: descriptor, window byte, FCS bytes as given. */
static void fb_header(struct fb *f, uint8_t fhd, int window, uint64_t fcs, int fcs_len)
{
    f->n = 0;
    fb_put(f, "\x28\xb5\x2f\xfd", 4);
    fb_byte(f, fhd);
    if (window >= 0)
        fb_byte(f, (uint8_t)window);
    for (int i = 0; i < fcs_len; i++)
        fb_byte(f, (uint8_t)(fcs >> (8 * i)));
}

/* Decode with both decoders; expect our result and, for valid frames,
 * libzstd's agreement. */
static int run(const struct fb *f, uint8_t *out, size_t cap, size_t *olen)
{
    uint8_t *in = malloc(f->n ? f->n : 1);  /* exact size for ASan */
    memcpy(in, f->b, f->n);
    int ret = unzstd(in, f->n, out, cap, olen, work);
    free(in);
    return ret;
}

static void expect_ok_at(int line, const struct fb *f, const void *want, size_t wlen)
{
    uint8_t out[1024], ref[1024];
    size_t olen = 0;
    int ret = run(f, out, sizeof(out), &olen);
    if (ret != 0 || olen != wlen)
        fprintf(stderr, "  line %d: got %d, %zu bytes (want %zu)\n", line, ret, olen, wlen);
    CU_ASSERT_EQUAL(ret, 0);
    CU_ASSERT_EQUAL(olen, wlen);
    if (ret == 0 && olen == wlen)
        CU_ASSERT_EQUAL(memcmp(out, want, wlen), 0);
    size_t r = ref_decode(f->b, f->n, ref, sizeof(ref));
    if (ZSTD_isError(r))
        fprintf(stderr, "  line %d: libzstd says %s\n", line, ZSTD_getErrorName(r));
    CU_ASSERT_FALSE(ZSTD_isError(r));
    if (!ZSTD_isError(r)) {
        CU_ASSERT_EQUAL(r, wlen);
        CU_ASSERT_EQUAL(memcmp(ref, want, wlen), 0);
    }
}

#define expect_ok(f, want, wlen) expect_ok_at(__LINE__, f, want, wlen)

/*
 * Expect error err. ref_too: libzstd (1.5.4, the reference we test with)
 * rejects the frame as well; false where we follow the specification
 * and newer reference decoders more strictly than that version.
 */
static void expect_err_ref(const struct fb *f, int err, const char *what, bool ref_too)
{
    uint8_t out[1024];
    size_t olen = 0;
    int ret = run(f, out, sizeof(out), &olen);
    if (ret != err)
        fprintf(stderr, "  %s: got %d want %d\n", what, ret, err);
    CU_ASSERT_EQUAL(ret, err);
    if (ref_too) {
        uint8_t ref[1024];
        size_t r = ref_decode(f->b, f->n, ref, sizeof(ref));
        if (!ZSTD_isError(r))
            fprintf(stderr, "  %s: libzstd decodes it\n", what);
        CU_ASSERT_TRUE(ZSTD_isError(r));
    }
}

#define expect_err(f, err, what) expect_err_ref(f, err, what, true)

/* A compressed block: raw literals, then sequences with RLE-mode codes. */
static void fb_seq_block(struct fb *f, bool last, const char *lits, unsigned nseq,
                         uint8_t modes, const uint8_t *tables, size_t tlen,
                         const uint8_t *bits, size_t blen)
{
    size_t nl = strlen(lits);
    fb_block(f, last, 2, (uint32_t)(1 + nl + 1 + (nseq ? 1 + tlen + blen : 0)));
    fb_byte(f, (uint8_t)(nl << 3));         /* raw literals, 1-byte header */
    fb_put(f, lits, nl);
    fb_byte(f, (uint8_t)nseq);
    if (nseq) {
        fb_byte(f, modes);
        fb_put(f, tables, tlen);
        fb_put(f, bits, blen);
    }
}

#define RLE3 0x54   /* LL, OF and ML all in RLE_Mode */

/*
 * A compressed block with Huffman literals in one stream (type 2 with a
 * tree, or 3 treeless) of n literals whose stream is the single byte
 * sbyte, and no sequences.
 */
static void fb_huf_block(struct fb *f, bool last, unsigned type, const uint8_t *tree,
                         size_t tlen, unsigned n, uint8_t sbyte)
{
    size_t csize = tlen + 1;
    uint32_t lh = type | (0u << 2) | (n << 4) | ((uint32_t)csize << 14);
    fb_block(f, last, 2, (uint32_t)(3 + csize + 1));
    fb_byte(f, (uint8_t)lh);
    fb_byte(f, (uint8_t)(lh >> 8));
    fb_byte(f, (uint8_t)(lh >> 16));
    fb_put(f, tree, tlen);
    fb_byte(f, sbyte);
    fb_byte(f, 0);                              /* no sequences */
}

static void test_handcrafted(void)
{
    struct fb f;
    uint8_t big[1024];
    for (int i = 0; i < 1024; i++)
        big[i] = (uint8_t)(i * 7);

    /* Frame_Content_Size in 1, 2 (+256), 4 and 8 bytes; window descriptor. */
    fb_header(&f, 0x20, -1, 5, 1);                  /* single segment, 1 byte */
    fb_block(&f, true, 0, 5);
    fb_put(&f, "hello", 5);
    expect_ok(&f, "hello", 5);
    fb_header(&f, 0x60, -1, 300 - 256, 2);          /* 2 bytes: 256 + value */
    fb_block(&f, true, 1, 300);
    fb_byte(&f, 'z');
    memset(big, 'z', 300);
    expect_ok(&f, big, 300);
    fb_header(&f, 0xA0, -1, 7, 4);                  /* 4 bytes */
    fb_block(&f, false, 0, 3);
    fb_put(&f, "abc", 3);
    fb_block(&f, true, 1, 4);
    fb_byte(&f, 'd');
    expect_ok(&f, "abcdddd", 7);
    fb_header(&f, 0xE0, -1, 2, 8);                  /* 8 bytes */
    fb_block(&f, true, 0, 2);
    fb_put(&f, "hi", 2);
    expect_ok(&f, "hi", 2);
    fb_header(&f, 0x00, 0x00, 0, 0);                /* 1 KiB window, no FCS */
    fb_block(&f, false, 0, 2);
    fb_put(&f, "ab", 2);
    fb_block(&f, false, 0, 0);                      /* empty blocks are fine */
    fb_block(&f, true, 1, 0);
    fb_byte(&f, 'q');
    expect_ok(&f, "ab", 2);
    fb_header(&f, 0x40, 0x00, 1000 - 256, 2);       /* FCS without single segment */
    fb_block(&f, true, 0, 1000);
    for (int i = 0; i < 1000; i++)
        big[i] = (uint8_t)(i * 7);
    fb_put(&f, big, 1000);
    expect_ok(&f, big, 1000);
    /* 8-byte FCS larger than any buffer: -ENOSPC before decoding. */
    fb_header(&f, 0xE0, -1, 1ull << 40, 8);
    fb_block(&f, true, 0, 1);
    fb_byte(&f, 'x');
    {
        uint8_t out[16];
        size_t olen;
        CU_ASSERT_EQUAL(run(&f, out, sizeof(out), &olen), -ENOSPC);
    }

    /* A frame cut inside an RLE block's byte or a block header. */
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_block(&f, true, 1, 10);
    expect_err(&f, -ENODATA, "RLE block without its byte");
    f.n -= 1;
    expect_err(&f, -ENODATA, "block header cut short");

    /* The block size limit: min(window, 128 KiB). */
    fb_header(&f, 0x00, 0x00, 0, 0);                /* 1 KiB window */
    fb_block(&f, true, 1, 1025);
    fb_byte(&f, 'a');
    expect_err(&f, -EINVAL, "RLE block larger than the window");
    fb_header(&f, 0x20, -1, 3, 1);                  /* single segment: window = FCS */
    fb_block(&f, true, 0, 4);
    fb_put(&f, "abcd", 4);
    expect_err(&f, -EINVAL, "raw block larger than FCS");
    /* Content size mismatch, reserved bits and types. */
    fb_header(&f, 0x20, -1, 6, 1);
    fb_block(&f, true, 0, 5);
    fb_put(&f, "hello", 5);
    expect_err(&f, -EINVAL, "content size mismatch");
    fb_header(&f, 0x20, -1, 10, 1);                 /* more than declared: corrupt, */
    fb_block(&f, false, 0, 8);                      /* not "output too small" */
    fb_put(&f, "abcdefgh", 8);
    fb_block(&f, true, 0, 8);
    fb_put(&f, "ijklmnop", 8);
    expect_err(&f, -EINVAL, "content beyond Frame_Content_Size");
    fb_header(&f, 0x28, -1, 5, 1);                  /* reserved bit */
    fb_block(&f, true, 0, 5);
    fb_put(&f, "hello", 5);
    expect_err(&f, -EINVAL, "reserved frame header bit");
    fb_header(&f, 0x30, -1, 5, 1);                  /* the unused bit is ignored */
    fb_block(&f, true, 0, 5);
    fb_put(&f, "hello", 5);
    expect_ok(&f, "hello", 5);
    fb_header(&f, 0x20, -1, 5, 1);
    fb_block(&f, true, 3, 5);                       /* reserved block type */
    fb_put(&f, "hello", 5);
    expect_err(&f, -EINVAL, "reserved block type");

    /* Compressed blocks with raw/RLE literals and no sequences. */
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_block(&f, true, 2, 7);
    fb_byte(&f, 5 << 3);                            /* raw, 5 literals */
    fb_put(&f, "hello", 5);
    fb_byte(&f, 0);                                 /* no sequences */
    expect_ok(&f, "hello", 5);
    /* The same block in a single-segment frame of 5 bytes: the 7-byte
     * block exceeds Block_Maximum_Size (= Window_Size = 5), which limits
     * compressed sizes too (libzstd 1.5.4 only checks 128 KiB). */
    fb_header(&f, 0x20, -1, 5, 1);
    fb_block(&f, true, 2, 7);
    fb_byte(&f, 5 << 3);
    fb_put(&f, "hello", 5);
    fb_byte(&f, 0);
    expect_err_ref(&f, -EINVAL, "compressed block larger than the window", false);
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_block(&f, true, 2, 8);
    fb_byte(&f, 5 << 3);
    fb_put(&f, "hello", 5);
    fb_byte(&f, 0);
    fb_byte(&f, 0);                                 /* junk after "no sequences" */
    expect_err(&f, -EINVAL, "bytes after an empty sequences section");
    fb_header(&f, 0x60, -1, 1000 - 256, 2);
    fb_block(&f, true, 2, 5);
    fb_byte(&f, 1 | (3 << 2) | ((1000 & 15) << 4)); /* RLE literals, 20-bit size */
    fb_byte(&f, (uint8_t)(1000 >> 4));
    fb_byte(&f, 0);
    fb_byte(&f, 'r');
    fb_byte(&f, 0);                                 /* no sequences */
    memset(big, 'r', 1000);
    expect_ok(&f, big, 1000);
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_block(&f, true, 2, 2 + 20 + 1);
    fb_byte(&f, 0 | (1 << 2) | ((20 & 15) << 4));  /* raw literals, 12-bit size */
    fb_byte(&f, 20 >> 4);
    fb_put(&f, "twenty bytes of text", 20);
    fb_byte(&f, 0);
    expect_ok(&f, "twenty bytes of text", 20);
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_block(&f, true, 2, 6);
    fb_byte(&f, 5 << 3);                            /* raw, 5 literals */
    fb_put(&f, "hello", 5);                         /* no sequences header */
    expect_err(&f, -EINVAL, "missing sequences header");

    /* Sequences with RLE-mode codes. LL code 4 (4 literals), OF code 2
     * (Offset_Value 4 + 2 bits), ML code 5 (length 8). The bitstream holds
     * only the two offset bits, then the end mark. */
    static const uint8_t t_4_2_5[] = { 4, 2, 5 };
    uint8_t bits = 0x04 | 0;                        /* offset bits 00: offset 1 */
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
    expect_ok(&f, "abcddddddddd", 12);
    bits = 0x04 | 3;                                /* offset 4 */
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
    expect_ok(&f, "abcdabcdabcd", 12);
    bits = 0x04 | 2;                                /* offset 3 */
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
    expect_ok(&f, "abcdbcdbcdbc", 12);
    /* Offset 6 with only 4 bytes decoded: reaches before the frame. */
    static const uint8_t t_4_3_5[] = { 4, 3, 5 };
    bits = 0x08 | 1;                                /* Offset_Value 9: offset 6 */
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_3_5, 3, &bits, 1);
    expect_err(&f, -EINVAL, "offset before the frame start");
    /* Wrong number of bits: an extra byte, or missing bits. */
    uint8_t bits2[2] = { 0x00, 0x04 };
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_2_5, 3, bits2, 2);
    expect_err(&f, -EINVAL, "bitstream longer than its sequences");
    bits = 0x01;
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
    /* (libzstd 1.5.4 reads zeros past the start of the stream.) */
    expect_err_ref(&f, -EINVAL, "bitstream shorter than its sequences", false);
    bits = 0x00;
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
    expect_err(&f, -EINVAL, "bitstream without an end mark");
    /* More literals asked for than there are; RLE symbol out of range. */
    static const uint8_t t_9_2_5[] = { 9, 2, 5 };
    bits = 0x04;
    fb_header(&f, 0x20, -1, 17, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_9_2_5, 3, &bits, 1);
    expect_err(&f, -EINVAL, "literal length beyond the literals");
    static const uint8_t t_36_2_5[] = { 36, 2, 5 };
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_36_2_5, 3, &bits, 1);
    expect_err(&f, -EINVAL, "literal length code 36");
    static const uint8_t t_4_32_5[] = { 4, 32, 5 };
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_32_5, 3, &bits, 1);
    expect_err(&f, -EINVAL, "offset code 32");
    static const uint8_t t_4_2_53[] = { 4, 2, 53 };
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_2_53, 3, &bits, 1);
    expect_err(&f, -EINVAL, "match length code 53");
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3 | 1, t_4_2_5, 3, &bits, 1);
    expect_err_ref(&f, -EINVAL, "reserved bits in the modes byte", false);
    /* Match running past the block/window limit (window = FCS = 11). */
    fb_header(&f, 0x20, -1, 11, 1);
    fb_seq_block(&f, true, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
    expect_err(&f, -EINVAL, "sequence past Block_Maximum_Size");
    {
        /* ... or past the output buffer: -ENOSPC. */
        struct fb g;
        uint8_t out[11];
        size_t olen;
        fb_header(&g, 0x00, 0x00, 0, 0);
        fb_seq_block(&g, true, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
        CU_ASSERT_EQUAL(run(&g, out, sizeof(out), &olen), -ENOSPC);
    }

    /* Repeat offsets. Block 1 leaves offset history (3, 1, 4); then with
     * no literals Offset_Value 1 means rep2 = 1, 2 means rep3 = 4 and 3
     * means rep1 - 1 = 2; with literals, 1/2/3 are rep1/rep2/rep3. */
    static const struct {
        uint8_t ll, ofv;
        const char *want;
    } rt[] = {
        { 0, 1, "abcdbcdbcdbc" "ccc" },         /* offset 1 */
        { 0, 2, "abcdbcdbcdbc" "cdb" },         /* offset 4 */
        { 0, 3, "abcdbcdbcdbc" "bcb" },         /* offset 2 */
        { 1, 1, "abcdbcdbcdbc" "x" "bcx" },     /* offset 3 */
        { 1, 2, "abcdbcdbcdbc" "x" "xxx" },     /* offset 1 */
        { 1, 3, "abcdbcdbcdbc" "x" "dbc" },     /* offset 4 */
    };
    for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
        const char *want = rt[i].want;
        size_t wl = strlen(want);
        fb_header(&f, 0x20, -1, wl, 1);
        bits = 0x04 | 2;
        fb_seq_block(&f, false, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
        /* OF code 0 (value 1) or 1 (value 2 + 1 bit); ML code 0 (3). */
        uint8_t t2[3] = { rt[i].ll, rt[i].ofv == 1 ? 0 : 1, 0 };
        uint8_t b2 = rt[i].ofv == 1 ? 0x01 : (uint8_t)(0x02 | (rt[i].ofv - 2));
        fb_seq_block(&f, true, rt[i].ll ? "x" : "", 1, RLE3, t2, 3, &b2, 1);
        expect_ok(&f, want, wl);
    }
    /* rep1 - 1 == 0 is invalid. */
    fb_header(&f, 0x20, -1, 8, 1);
    bits = 0x04 | 0;                                /* offset 1 */
    static const uint8_t t_1_2_1[] = { 1, 2, 1 };  /* 1 literal, ML 4 */
    fb_seq_block(&f, false, "a", 1, RLE3, t_1_2_1, 3, &bits, 1);
    static const uint8_t t_0_1_0[] = { 0, 1, 0 };
    uint8_t b3 = 0x03;                              /* Offset_Value 3, no literals */
    fb_seq_block(&f, true, "", 1, RLE3, t_0_1_0, 3, &b3, 1);
    /* (libzstd 1.5.4 turns the 0 into 1; later versions reject it.) */
    expect_err_ref(&f, -EINVAL, "repeat offset rep1 - 1 == 0", false);

    /* Repeat_Mode: fine after a block that set the tables (including RLE
     * ones), corrupt in a frame's first compressed block. */
    fb_header(&f, 0x20, -1, 15, 1);
    bits = 0x04 | 3;
    fb_seq_block(&f, false, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
    bits = 0x04 | 2;
    fb_seq_block(&f, true, "", 1, 0xFC, NULL, 0, &bits, 1);
    /* LL 4 again, but no literals left: */
    expect_err(&f, -EINVAL, "repeated LL table wants literals");
    fb_header(&f, 0x20, -1, 12 + 12, 1);
    bits = 0x04 | 3;
    fb_seq_block(&f, false, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
    fb_seq_block(&f, true, "efgh", 1, 0xFC, NULL, 0, &bits, 1);
    expect_ok(&f, "abcdabcdabcd" "efghefghefgh", 24);
    fb_header(&f, 0x20, -1, 12, 1);
    fb_seq_block(&f, true, "abcd", 1, 0xFC, NULL, 0, &bits, 1);
    expect_err(&f, -EINVAL, "Repeat_Mode in the first block");
    {
        /* Tables don't carry over into the next frame. */
        struct fb a, g;
        fb_header(&a, 0x00, 0x00, 0, 0);
        fb_seq_block(&a, true, "abcd", 1, RLE3, t_4_2_5, 3, &bits, 1);
        g = a;
        fb_put(&g, a.b, a.n);
        expect_ok(&g, "abcdabcdabcd" "abcdabcdabcd", 24);
        g.n = a.n;
        fb_put(&g, a.b, 9);                         /* magic, header, block header */
        fb_byte(&g, 4 << 3);
        fb_put(&g, "abcd", 4);
        fb_byte(&g, 1);
        fb_byte(&g, 0xFC);                          /* Repeat_Mode x 3 */
        fb_byte(&g, bits);
        g.b[a.n + 6] = (uint8_t)(1 | (2 << 1) | ((1 + 4 + 1 + 1 + 1) << 3));
        g.b[a.n + 7] = 0;
        expect_err(&g, -EINVAL, "Repeat_Mode at the start of a second frame");
    }

    /* Predefined mode: the decoder builds the default tables. With all
     * states 0: LL code 0, OF code 0, ML code 0. State bits 6+5+6 = 17,
     * then no extra bits: LL 0, Offset_Value 1 (rep2 = 4 as LL is 0),
     * ML 3. "abcd" + 3 bytes from offset 4, then the literals left. */
    {
        uint8_t pb[3] = { 0x00, 0x00, 0x02 };       /* 17 zero bits + mark */
        fb_header(&f, 0x20, -1, 7, 1);
        fb_seq_block(&f, false, "abcd", 0, 0, NULL, 0, NULL, 0);
        fb_seq_block(&f, true, "", 1, 0x00, NULL, 0, pb, 3);
        expect_ok(&f, "abcdabc", 7);
    }

    /* Treeless literals without an earlier Huffman tree. */
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, true, 3, NULL, 0, 4, 0x10);
    expect_err(&f, -EINVAL, "treeless literals without a tree");

    /* Huffman literals with a direct-weights tree: symbols 'a' (97) and
     * 'b' (98) with weight 1 each (98 weights given, the last one is
     * implied): one bit each, 'a' = 0 and 'b' = 1. The first symbol is
     * the top bit under the end mark: "abba" is 0110. A treeless block
     * then reuses the tree for "baab". */
    uint8_t tree[1 + 49];
    memset(tree, 0, sizeof(tree));
    tree[0] = 127 + 98;                             /* 98 weights, direct */
    tree[1 + 97 / 2] = 0x01;                        /* weight[97] = 1 (low nibble) */
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, false, 2, tree, sizeof(tree), 4, 0x10 | 0x06);
    fb_huf_block(&f, true, 3, NULL, 0, 4, 0x10 | 0x09);
    expect_ok(&f, "abbabaab", 8);
    /* The stream must be consumed exactly. */
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, true, 2, tree, sizeof(tree), 4, 0x20 | 0x06);
    expect_err(&f, -EINVAL, "Huffman stream with a bit left over");
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, true, 2, tree, sizeof(tree), 4, 0x08 | 0x06);
    expect_err(&f, -EINVAL, "Huffman stream a bit short");
    /* A single weight 2 (sum 2) implies a last weight 2: no weight-1
     * symbols at all, which is corrupt. */
    tree[1 + 97 / 2] = 0x02;
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, true, 2, tree, sizeof(tree), 4, 0x10 | 0x06);
    expect_err(&f, -EINVAL, "Huffman tree without weight-1 symbols");
    /* Weights 1, 2 and 2 sum to 5: the rest up to 8 is 3, not a power
     * of two, so no single implied weight completes the tree. */
    tree[1 + 96 / 2] = 0x22;                        /* weights[96] = [97] = 2 */
    tree[1 + 94 / 2] = 0x01;                        /* weights[95] = 1 */
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, true, 2, tree, sizeof(tree), 4, 0x10 | 0x06);
    expect_err(&f, -EINVAL, "Huffman weights not completing to a power of two");
    /* A weight above 11. */
    memset(tree + 1, 0, sizeof(tree) - 1);
    tree[1 + 97 / 2] = 0x0C;
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, true, 2, tree, sizeof(tree), 4, 0x10 | 0x06);
    expect_err(&f, -EINVAL, "Huffman weight 12");
    /* All weights zero. */
    memset(tree + 1, 0, sizeof(tree) - 1);
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, true, 2, tree, sizeof(tree), 4, 0x10 | 0x06);
    expect_err(&f, -EINVAL, "Huffman weights all zero");
    /* Four streams: a jump table cut short, and 1 literal over 4 streams. */
    tree[1 + 97 / 2] = 0x01;
    for (int v = 0; v < 2; v++) {
        static const uint8_t jt[10] = { 1, 0, 1, 0, 1, 0, 0x01, 0x01, 0x01, 0x01 };
        size_t jl = v ? 10 : 3, csize = sizeof(tree) + jl;
        unsigned nl = v ? 1 : 8;
        uint32_t lh = 2 | (1u << 2) | (nl << 4) | ((uint32_t)csize << 14);
        fb_header(&f, 0x00, 0x00, 0, 0);
        fb_block(&f, true, 2, (uint32_t)(3 + csize + 1));
        fb_byte(&f, (uint8_t)lh);
        fb_byte(&f, (uint8_t)(lh >> 8));
        fb_byte(&f, (uint8_t)(lh >> 16));
        fb_put(&f, tree, sizeof(tree));
        fb_put(&f, jt, jl);
        fb_byte(&f, 0);
        expect_err_ref(&f, -EINVAL, v ? "1 literal in 4 streams" : "jump table cut short", !v);
    }
    /* Literals headers running past the block. */
    for (int sf = 1; sf <= 3; sf += 2) {
        fb_header(&f, 0x00, 0x00, 0, 0);
        fb_block(&f, true, 2, 1);
        fb_byte(&f, (uint8_t)(sf << 2));
        expect_err(&f, -EINVAL, "raw literals header past the block");
    }
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_block(&f, true, 2, 2);
    fb_byte(&f, 2 | (3 << 2));
    fb_byte(&f, 0);
    expect_err(&f, -EINVAL, "Huffman literals header past the block");
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_block(&f, true, 2, 1);
    fb_byte(&f, 1 | (4 << 3));
    expect_err(&f, -EINVAL, "RLE literals without their byte");
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_block(&f, true, 2, 2);
    fb_byte(&f, 0);
    fb_byte(&f, 0xFF);
    expect_err(&f, -EINVAL, "3-byte sequence count past the block");
    {
        /* A literals-only block larger than the output buffer. */
        struct fb g;
        uint8_t out[4];
        size_t olen;
        fb_header(&g, 0x00, 0x00, 0, 0);
        fb_block(&g, true, 2, 7);
        fb_byte(&g, 5 << 3);
        fb_put(&g, "hello", 5);
        fb_byte(&g, 0);
        CU_ASSERT_EQUAL(run(&g, out, sizeof(out), &olen), -ENOSPC);
    }
    /* Tree description longer than the literals section. */
    tree[1 + 97 / 2] = 0x01;
    fb_header(&f, 0x00, 0x00, 0, 0);
    fb_huf_block(&f, true, 2, tree, 30, 4, 0x10 | 0x06);
    expect_err(&f, -EINVAL, "Huffman tree cut short");
}

/* The workspace may have any alignment. */
static void test_misaligned_workspace(void)
{
    size_t n = 200000, clen;
    uint8_t *data = td_alloc_fill(n, TD_X86, 17);
    uint8_t *z = zenc_level(data, n, 19, &clen);
    td_assert_misaligned_work(&dec_zstd, zstd_workspace_size(), 3, z, clen, data, n);
    CU_ASSERT_TRUE(zstd_workspace_size() < 200 * 1024);
    free(z);
    free(data);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "XXH64 vectors and frame checksums", test_xxh64 },
        { "levels 1-22 x data kinds x sizes x checksum/size flags", test_levels_kinds_sizes },
        { "streaming flushes, target block size, literal modes", test_streaming_and_block_modes },
        { "window sizes 1 KiB..128 MiB and long-distance matching", test_windows_and_ldm },
        { "more than 0x7F00 sequences in a block", test_many_sequences },
        { "20 MB x86-like buffer", test_20mb_x86 },
        { "concatenated and skippable frames, trailing data", test_multiple_and_skippable_frames },
        { "empty input, empty and 1-byte contents", test_empty_and_tiny },
        { "truncated at every position", test_truncated_everywhere },
        { "random bit flips never crash", test_bit_flips },
        { "mutated block/section headers and tables", test_header_mutations },
        { "output buffer too small gives -ENOSPC", test_output_too_small },
        { "content checksum mismatch gives -EBADMSG", test_bad_checksum },
        { "dictionary frames give -EOPNOTSUPP", test_dictionary },
        { "hand-made frames: headers, blocks, sequences, repeat modes", test_handcrafted },
        { "misaligned workspace", test_misaligned_workspace },
        { NULL, NULL },
    };
    work = malloc(zstd_workspace_size());
    dec_zstd.work = work;
    unit_add_suite("zstd", cases);
}
