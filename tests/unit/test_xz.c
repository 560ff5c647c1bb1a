// UNIT-SOURCES: hypervisor/lib/xz.c hypervisor/lib/crc32.c hypervisor/lib/crc64.c tests/unit/testdata.c
// UNIT-LIBS: -llzma
/* SPDX-License-Identifier: MIT */
/*
 * Hosted tests for the .xz decoder (container, LZMA2, LZMA, x86 BCJ) and
 * CRC-64, using liblzma as the reference encoder.
 */
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testdata.h"
#include "unit.h"
#include "xeno/crc32.h"
#include "xeno/crc64.h"
#include "xeno/errno.h"
#include "xeno/xz.h"

/* ---- helpers -------------------------------------------------------- */

static void *work;

enum chain { CH_LZMA2, CH_BCJ_LZMA2 };

/* Encode with lzma_stream_buffer_encode; returns a malloc'd buffer. */
static uint8_t *xz_encode_opts(const uint8_t *in, size_t n, enum chain ch,
                               lzma_options_lzma *opt, uint32_t bcj_start,
                               lzma_check check, size_t *clen)
{
    lzma_options_bcj bcj = { .start_offset = bcj_start };
    lzma_filter f[3];
    int i = 0;
    if (ch == CH_BCJ_LZMA2)
        f[i++] = (lzma_filter){ LZMA_FILTER_X86, bcj_start ? &bcj : NULL };
    f[i++] = (lzma_filter){ LZMA_FILTER_LZMA2, opt };
    f[i] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };
    size_t cap = lzma_stream_buffer_bound(n) + 1024;
    uint8_t *out = malloc(cap);
    size_t pos = 0;
    lzma_ret r = lzma_stream_buffer_encode(f, check, NULL, in, n, out, &pos, cap);
    if (r != LZMA_OK) {
        fprintf(stderr, "lzma_stream_buffer_encode: %d\n", r);
        free(out);
        return NULL;
    }
    *clen = pos;
    return out;
}

static uint8_t *xz_encode(const uint8_t *in, size_t n, enum chain ch,
                          uint32_t preset, lzma_check check, size_t *clen)
{
    lzma_options_lzma opt;
    if (lzma_lzma_preset(&opt, preset))
        return NULL;
    /*
     * Presets 7-9 ask for 16-64 MiB dictionaries and 0.2-0.7 GB of encoder
     * memory. For inputs well below the dictionary size a smaller
     * dictionary changes nothing but the header's dictionary size byte, so
     * cap it to keep the suite fast (test_full_dict_presets keeps the real
     * sizes).
     */
    if (n <= (1u << 20) && opt.dict_size > (2u << 20))
        opt.dict_size = 2u << 20;
    return xz_encode_opts(in, n, ch, &opt, 0, check, clen);
}

static struct td_decoder dec_xz = { "unxz", unxz, NULL };

static bool check_unxz(const uint8_t *orig, size_t n, const uint8_t *xz, size_t clen)
{
    return td_round_trip(&dec_xz, xz, clen, orig, n, 16);
}

static const size_t sizes[] = { 0, 1, 2, 5, 100, 4095, 65535, 65536, 65537,
                                300000 };

/* ---- tests ---------------------------------------------------------- */

static void test_crc64_crc32(void)
{
    uint8_t *buf = malloc(5000);
    td_fill(buf, 5000, TD_RANDOM, 1);
    CU_ASSERT_EQUAL(crc64_update(0, "123456789", 9), 0x995DC9BBDF1939FAull);
    CU_ASSERT_EQUAL(crc64_update(0, buf, 0), 0);
    for (size_t off = 0; off < 8; off++)
        for (size_t len = 0; len < 700; len += 1 + len / 8) {
            CU_ASSERT_EQUAL(crc64_update(0, buf + off, len), lzma_crc64(buf + off, len, 0));
            CU_ASSERT_EQUAL(crc32_update(0, buf + off, len), lzma_crc32(buf + off, len, 0));
        }
    uint64_t c = crc64_update(0, buf, 777);
    c = crc64_update(c, buf + 777, 5000 - 777);
    CU_ASSERT_EQUAL(c, lzma_crc64(buf, 5000, 0));
    free(buf);
}

static void test_presets_chains_checks(void)
{
    static const lzma_check checks[] = { LZMA_CHECK_CRC32, LZMA_CHECK_CRC64, LZMA_CHECK_NONE };
    unsigned combos = 0;
    struct td_case c = TD_CASES(sizes);
    while (td_next_case(&c)) {
        for (uint32_t p = 0; p <= 10; p++) {
            uint32_t preset = p == 10 ? (9 | LZMA_PRESET_EXTREME) : p;
            /* Keep the run time sane: all presets on small inputs,
             * a spread of them on the larger ones. */
            if (c.n > 70000 && p % 3 != 0)
                continue;
            for (int ch = 0; ch < 2; ch++) {
                lzma_check check = checks[(p + ch + c.si) % 3];
                size_t clen;
                uint8_t *xz = xz_encode(c.data, c.n, (enum chain)ch, preset, check, &clen);
                CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
                TD_EXPECT(check_unxz(c.data, c.n, xz, clen), "xz round trip",
                          "kind %s size %zu preset %u%s chain %d check %d", td_kind_name(c.k),
                          c.n, preset & 15, (preset & LZMA_PRESET_EXTREME) ? "e" : "", ch, check);
                combos++;
                free(xz);
            }
        }
    }
    CU_ASSERT_TRUE(combos > 500);
}

/* Presets 7, 8, 9 and 9e with their real 16/32/64 MiB dictionaries. */
static void test_full_dict_presets(void)
{
    size_t n = 1500000;
    uint8_t *data = td_alloc_fill(n, TD_MIXED, 4242);
    static const uint32_t presets[] = { 7, 8, 9, 9 | LZMA_PRESET_EXTREME };
    for (size_t i = 0; i < 4; i++) {
        lzma_options_lzma opt;
        CU_ASSERT_EQUAL_FATAL(lzma_lzma_preset(&opt, presets[i]), 0);
        size_t clen;
        uint8_t *xz = xz_encode_opts(data, n, i & 1 ? CH_LZMA2 : CH_BCJ_LZMA2, &opt, 0,
                                     LZMA_CHECK_CRC64, &clen);
        CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
        TD_EXPECT(check_unxz(data, n, xz, clen), "full-dictionary preset round trip",
                  "preset %u", presets[i]);
        free(xz);
    }
    free(data);
}

/* Literal context/position bits and position bits (lc + lp <= 4). */
static void test_lc_lp_pb(void)
{
    size_t n = 200000;
    uint8_t *data = td_alloc_fill(n, TD_X86, 9);
    for (uint32_t lc = 0; lc <= 4; lc++)
        for (uint32_t lp = 0; lc + lp <= 4; lp++)
            for (uint32_t pb = 0; pb <= 4; pb++) {
                lzma_options_lzma opt;
                lzma_lzma_preset(&opt, 3);
                opt.lc = lc;
                opt.lp = lp;
                opt.pb = pb;
                size_t clen;
                uint8_t *xz = xz_encode_opts(data, n, CH_LZMA2, &opt, 0, LZMA_CHECK_CRC64, &clen);
                CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
                TD_EXPECT(check_unxz(data, n, xz, clen), "lc/lp/pb round trip",
                          "lc %u lp %u pb %u", lc, lp, pb);
                free(xz);
            }
    free(data);
}

static void test_bcj_start_offset_and_x86(void)
{
    size_t n = 400000;
    uint8_t *data = malloc(n);
    static const uint32_t starts[] = { 0, 4, 0x1000, 0x12345678, 0xFFFFFFF0u };
    for (int k = 0; k < TD_NKINDS; k++) {
        td_fill(data, n, (enum td_kind)k, 300 + k);
        for (size_t s = 0; s < 5; s++) {
            lzma_options_lzma opt;
            lzma_lzma_preset(&opt, 6);
            size_t clen;
            uint8_t *xz = xz_encode_opts(data, n, CH_BCJ_LZMA2, &opt, starts[s],
                                         LZMA_CHECK_CRC32, &clen);
            CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
            TD_EXPECT(check_unxz(data, n, xz, clen), "BCJ round trip",
                      "kind %s start %#x", td_kind_name(k), starts[s]);
            free(xz);
        }
    }
    /* The x86 data really does get rewritten by the filter. */
    td_fill(data, n, TD_X86, 1);
    size_t c1, c2;
    uint8_t *a = xz_encode(data, n, CH_LZMA2, 6, LZMA_CHECK_CRC32, &c1);
    uint8_t *b = xz_encode(data, n, CH_BCJ_LZMA2, 6, LZMA_CHECK_CRC32, &c2);
    CU_ASSERT_TRUE(c2 < c1);
    free(a);
    free(b);
    free(data);
}

/* LZMA2 chunk boundaries: 64 KiB compressed / 2 MiB uncompressed limits. */
static void test_chunk_boundaries(void)
{
    static const size_t big[] = { (2u << 20) - 1, 2u << 20, (2u << 20) + 1,
                                  (4u << 20) + 12345 };
    size_t nmax = (4u << 20) + 12345;
    uint8_t *data = malloc(nmax);
    for (int k = 0; k < TD_NKINDS; k++) {
        for (size_t s = 0; s < 4; s++) {
            size_t n = big[s];
            if (k == TD_RANDOM && s < 2)
                continue;
            td_fill(data, n, (enum td_kind)k, 500 + k);
            int ch = (int)((k + s) & 1);
            size_t clen;
            uint8_t *xz = xz_encode(data, n, (enum chain)ch, (uint32_t)(s & 1) * 3,
                                    LZMA_CHECK_CRC64, &clen);
            CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
            TD_EXPECT(check_unxz(data, n, xz, clen), "chunk-spanning round trip",
                      "kind %s size %zu chain %d", td_kind_name(k), n, ch);
            free(xz);
        }
    }
    free(data);
}

/* A 32 MiB dictionary with matches more than 8 MiB back. */
static void test_big_dictionary(void)
{
    size_t n = 20u << 20, blk = 1u << 20;
    uint8_t *data = malloc(n);
    td_fill_far_repeat(data, n, blk, TD_TEXT, 77);  /* repeat 19 MiB back */
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 1);
    opt.dict_size = 32u << 20;
    size_t clen;
    uint8_t *xz = xz_encode_opts(data, n, CH_BCJ_LZMA2, &opt, 0, LZMA_CHECK_CRC32, &clen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
    CU_ASSERT_TRUE(clen < n - blk);         /* the far repeat was found */
    CU_ASSERT_TRUE(check_unxz(data, n, xz, clen));
    free(xz);
    free(data);
}

/* ~20 MB of x86-like code through BCJ + LZMA2 (like a kernel payload). */
static void test_20mb_x86(void)
{
    size_t n = 20u * 1000 * 1000 + 7;
    uint8_t *data = td_alloc_fill(n, TD_X86, 2024);
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 1);      /* fast to encode; decoding is the same */
    opt.dict_size = 32u << 20;
    size_t clen;
    uint8_t *xz = xz_encode_opts(data, n, CH_BCJ_LZMA2, &opt, 0, LZMA_CHECK_CRC32, &clen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
    CU_ASSERT_TRUE(check_unxz(data, n, xz, clen));
    free(xz);
    free(data);
}

/* Multi-block streams from the streaming and multi-threaded encoders. */
static void test_multiblock(void)
{
    size_t n = 3u << 20;
    uint8_t *data = td_alloc_fill(n, TD_MIXED, 88);
    size_t cap = lzma_stream_buffer_bound(n) + 4096;
    uint8_t *xz = malloc(cap);

    /* Single-threaded encoder with full flushes: headers without sizes. */
    lzma_stream st = LZMA_STREAM_INIT;
    CU_ASSERT_EQUAL_FATAL(lzma_easy_encoder(&st, 6, LZMA_CHECK_CRC64), LZMA_OK);
    st.next_out = xz;
    st.avail_out = cap;
    size_t pos = 0;
    unsigned flushes = 0;
    while (pos < n) {
        size_t step = 1 + td_rand() % 400000;
        if (step > n - pos)
            step = n - pos;
        st.next_in = data + pos;
        st.avail_in = step;
        pos += step;
        lzma_action a = pos < n ? LZMA_FULL_FLUSH : LZMA_FINISH;
        lzma_ret r;
        do  /* a flush or finish is complete when LZMA_STREAM_END comes */
            r = lzma_code(&st, a);
        while (r == LZMA_OK);
        CU_ASSERT_EQUAL(r, LZMA_STREAM_END);
        flushes++;
    }
    size_t clen = st.total_out;
    lzma_end(&st);
    CU_ASSERT_TRUE(flushes > 3);
    CU_ASSERT_TRUE(check_unxz(data, n, xz, clen));

    /* Multi-threaded encoder: small blocks with sizes in the headers. */
    lzma_mt mt = { .threads = 2, .block_size = 256 * 1024, .preset = 4,
                   .check = LZMA_CHECK_CRC32 };
    lzma_filter f[3];
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 4);
    f[0] = (lzma_filter){ LZMA_FILTER_X86, NULL };
    f[1] = (lzma_filter){ LZMA_FILTER_LZMA2, &opt };
    f[2] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };
    mt.filters = f;
    st = (lzma_stream)LZMA_STREAM_INIT;
    CU_ASSERT_EQUAL_FATAL(lzma_stream_encoder_mt(&st, &mt), LZMA_OK);
    st.next_in = data;
    st.avail_in = n;
    st.next_out = xz;
    st.avail_out = cap;
    lzma_ret r;
    do
        r = lzma_code(&st, LZMA_FINISH);
    while (r == LZMA_OK);
    CU_ASSERT_EQUAL(r, LZMA_STREAM_END);
    clen = st.total_out;
    lzma_end(&st);
    CU_ASSERT_TRUE(check_unxz(data, n, xz, clen));
    free(xz);
    free(data);
}

static void test_concatenated_and_padding(void)
{
    size_t n1 = 50000, n2 = 70000, c1, c2;
    uint8_t *d = malloc(n1 + n2);
    td_fill(d, n1, TD_TEXT, 1);
    td_fill(d + n1, n2, TD_X86, 2);
    uint8_t *x1 = xz_encode(d, n1, CH_LZMA2, 6, LZMA_CHECK_CRC32, &c1);
    uint8_t *x2 = xz_encode(d + n1, n2, CH_BCJ_LZMA2, 6, LZMA_CHECK_CRC64, &c2);
    uint8_t *cat = malloc(c1 + c2 + 64);
    uint8_t *out = malloc(n1 + n2 + 16);
    size_t olen;

    /* stream, 8 bytes padding, stream, 4 bytes padding */
    memcpy(cat, x1, c1);
    memset(cat + c1, 0, 8);
    memcpy(cat + c1 + 8, x2, c2);
    memset(cat + c1 + 8 + c2, 0, 4);
    CU_ASSERT_EQUAL(unxz(cat, c1 + c2 + 12, out, n1 + n2 + 16, &olen, work), 0);
    CU_ASSERT_EQUAL(olen, n1 + n2);
    CU_ASSERT_EQUAL(memcmp(out, d, n1 + n2), 0);

    /* Output too small for the second stream. */
    CU_ASSERT_EQUAL(unxz(cat, c1 + c2 + 12, out, n1 + n2 - 1, &olen, work), -ENOSPC);

    /* Second stream truncated: an error, not a silent partial result. */
    CU_ASSERT_EQUAL(unxz(cat, c1 + 8 + c2 - 1, out, n1 + n2 + 16, &olen, work), -ENODATA);

    /* Trailing non-xz bytes (Linux appends the size as 4 bytes): ignored. */
    memcpy(cat, x1, c1);
    uint32_t sz = (uint32_t)n1;
    memcpy(cat + c1, &sz, 4);
    CU_ASSERT_EQUAL(unxz(cat, c1 + 4, out, n1, &olen, work), 0);
    CU_ASSERT_EQUAL(olen, n1);
    CU_ASSERT_EQUAL(memcmp(out, d, n1), 0);
    free(x1);
    free(x2);
    free(cat);
    free(out);
    free(d);
}

static void test_truncated_everywhere(void)
{
    size_t n = 5000;
    uint8_t *data = malloc(n);
    for (int k = 0; k < TD_NKINDS; k++) {
        td_fill(data, n, (enum td_kind)k, 40 + k);
        for (int ch = 0; ch < 2; ch++) {
            size_t clen;
            uint8_t *xz = xz_encode(data, n, (enum chain)ch, 6,
                                    ch ? LZMA_CHECK_CRC64 : LZMA_CHECK_CRC32, &clen);
            CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
            TD_EXPECT(td_truncations(&dec_xz, xz, clen, n, -ENODATA, -ENODATA) == 0,
                      "truncated xz must give -ENODATA", "kind %s chain %d", td_kind_name(k), ch);
            free(xz);
        }
    }
    free(data);
}

static void test_bit_flips(void)
{
    static const int allowed[] = { -EINVAL, -ENODATA, -EBADMSG, -ENOSPC, -EOPNOTSUPP, 0 };
    size_t n = 8000;
    uint8_t *data = malloc(n);
    struct td_flip_stats st = { 0, 0 };
    for (int k = 0; k < TD_NKINDS; k++) {
        td_fill(data, n, (enum td_kind)k, 60 + k);
        for (int ch = 0; ch < 2; ch++) {
            size_t clen;
            uint8_t *xz = xz_encode(data, n, (enum chain)ch, 6,
                                    k & 1 ? LZMA_CHECK_NONE : LZMA_CHECK_CRC32, &clen);
            CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
            /* Random output sizes exercise -ENOSPC paths too. */
            td_bit_flips(&dec_xz, xz, clen, 1500, n + 64, true, allowed, &st);
            free(xz);
        }
    }
    CU_ASSERT_TRUE(st.errs > st.ok);
    free(data);
}

static void test_output_too_small(void)
{
    static const size_t caps[] = { 0, 1, 1000, 65536, 150000, 299999 };
    size_t n = 300000;
    uint8_t *data = malloc(n);
    for (int k = 0; k < TD_NKINDS; k++) {
        td_fill(data, n, (enum td_kind)k, 70 + k);
        size_t clen;
        uint8_t *xz = xz_encode(data, n, CH_BCJ_LZMA2, 6, LZMA_CHECK_CRC32, &clen);
        CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
        td_assert_enospc(&dec_xz, xz, clen, caps, sizeof(caps) / sizeof(caps[0]));
        CU_ASSERT_TRUE(td_round_trip(&dec_xz, xz, clen, data, n, 0));  /* exact fit */
        free(xz);
    }
    free(data);
}

/* Offsets inside a single-stream .xz file produced by liblzma. */
struct layout {
    size_t index_start, check_start, check_size;
};

static struct layout find_layout(const uint8_t *xz, size_t clen, lzma_check check)
{
    struct layout l;
    uint32_t bs;
    memcpy(&bs, xz + clen - 8, 4);
    l.index_start = clen - 12 - ((size_t)bs + 1) * 4;
    l.check_size = lzma_check_size(check);
    l.check_start = l.index_start - l.check_size;
    return l;
}

static void test_bad_checksums(void)
{
    size_t n = 30000, olen;
    uint8_t *data = td_alloc_fill(n, TD_TEXT, 90), *out = malloc(n);
    static const lzma_check checks[] = { LZMA_CHECK_CRC32, LZMA_CHECK_CRC64 };
    for (int c = 0; c < 2; c++) {
        size_t clen;
        uint8_t *xz = xz_encode(data, n, CH_BCJ_LZMA2, 6, checks[c], &clen);
        struct layout l = find_layout(xz, clen, checks[c]);
        for (size_t i = 0; i < l.check_size; i++) {
            xz[l.check_start + i] ^= 0x40;
            CU_ASSERT_EQUAL(unxz(xz, clen, out, n, &olen, work), -EBADMSG);
            xz[l.check_start + i] ^= 0x40;
        }
        /* Stream header CRC, block header CRC, index CRC, footer CRC. */
        static const size_t where_fixed[] = { 8, 11 };
        for (size_t i = 0; i < 2; i++) {
            xz[where_fixed[i]] ^= 1;
            CU_ASSERT_EQUAL(unxz(xz, clen, out, n, &olen, work), -EBADMSG);
            xz[where_fixed[i]] ^= 1;
        }
        size_t bh_crc = 12 + ((size_t)xz[12] + 1) * 4 - 1;
        xz[bh_crc] ^= 1;
        CU_ASSERT_EQUAL(unxz(xz, clen, out, n, &olen, work), -EBADMSG);
        xz[bh_crc] ^= 1;
        xz[clen - 13] ^= 1;             /* last byte of the index CRC */
        CU_ASSERT_EQUAL(unxz(xz, clen, out, n, &olen, work), -EBADMSG);
        xz[clen - 13] ^= 1;
        xz[clen - 12] ^= 1;             /* footer CRC */
        CU_ASSERT_EQUAL(unxz(xz, clen, out, n, &olen, work), -EBADMSG);
        xz[clen - 12] ^= 1;
        CU_ASSERT_EQUAL(unxz(xz, clen, out, n, &olen, work), 0);
        free(xz);
    }
    free(data);
    free(out);
}

static void test_unsupported(void)
{
    size_t n = 10000, clen, olen;
    uint8_t *data = td_alloc_fill(n, TD_X86, 3), *out = malloc(n);

    /* SHA-256 check. */
    uint8_t *xz = xz_encode(data, n, CH_LZMA2, 6, LZMA_CHECK_SHA256, &clen);
    CU_ASSERT_EQUAL(unxz(xz, clen, out, n, &olen, work), -EOPNOTSUPP);
    free(xz);

    /* Other filters: ARM BCJ, delta, ARM-Thumb, PowerPC, SPARC, IA-64. */
    static const lzma_vli ids[] = { LZMA_FILTER_ARM, LZMA_FILTER_DELTA,
                                    LZMA_FILTER_ARMTHUMB, LZMA_FILTER_POWERPC,
                                    LZMA_FILTER_SPARC, LZMA_FILTER_IA64 };
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        lzma_options_lzma opt;
        lzma_options_delta delta = { .type = LZMA_DELTA_TYPE_BYTE, .dist = 4 };
        lzma_lzma_preset(&opt, 6);
        lzma_filter f[3] = {
            { ids[i], ids[i] == LZMA_FILTER_DELTA ? &delta : NULL },
            { LZMA_FILTER_LZMA2, &opt },
            { LZMA_VLI_UNKNOWN, NULL },
        };
        size_t cap = lzma_stream_buffer_bound(n), pos = 0;
        uint8_t *x = malloc(cap);
        CU_ASSERT_EQUAL_FATAL(lzma_stream_buffer_encode(f, LZMA_CHECK_CRC32, NULL, data, n,
                                                        x, &pos, cap), LZMA_OK);
        CU_ASSERT_EQUAL(unxz(x, pos, out, n, &olen, work), -EOPNOTSUPP);
        free(x);
    }
    free(data);
    free(out);
}

/* ---- hand-made streams ---------------------------------------------- */

static size_t put_vli(uint8_t *p, uint64_t v)
{
    size_t i = 0;
    while (v >= 0x80) {
        p[i++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[i++] = (uint8_t)v;
    return i;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

struct mk {
    unsigned check;             /* 0, 1 (CRC32), 4 (CRC64) */
    const uint8_t *filters;     /* filter flags bytes */
    size_t filters_len;
    unsigned nfilters;
    uint8_t block_flags_extra;  /* ORed into the block flags */
    const uint8_t *lzma2;       /* LZMA2 data, including end marker */
    size_t lzma2_len;
    const uint8_t *plain;       /* expected output, for the check/index */
    size_t plain_len;
    int64_t index_unc_delta;    /* corrupt the index's uncompressed size */
    bool no_block;
};

/* Assemble a one-block .xz stream around raw LZMA2 data. */
static size_t mkstream(uint8_t *b, const struct mk *m)
{
    size_t p = 0;
    static const uint8_t magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0 };
    memcpy(b, magic, 6);
    b[6] = 0;
    b[7] = (uint8_t)m->check;
    put_le32(b + 8, lzma_crc32(b + 6, 2, 0));
    p = 12;
    uint64_t unpadded = 0;
    size_t csize = lzma_check_size((lzma_check)m->check);
    if (!m->no_block) {
        size_t h = p, hl = 2 + m->filters_len;
        size_t hsize = (hl + 4 + 3) & ~(size_t)3;
        memset(b + h, 0, hsize);
        b[h] = (uint8_t)(hsize / 4 - 1);
        b[h + 1] = (uint8_t)((m->nfilters - 1) | m->block_flags_extra);
        memcpy(b + h + 2, m->filters, m->filters_len);
        put_le32(b + h + hsize - 4, lzma_crc32(b + h, hsize - 4, 0));
        p += hsize;
        memcpy(b + p, m->lzma2, m->lzma2_len);
        p += m->lzma2_len;
        unpadded = hsize + m->lzma2_len + csize;
        while ((p - h) & 3)
            b[p++] = 0;
        if (m->check == 1) {
            put_le32(b + p, lzma_crc32(m->plain, m->plain_len, 0));
        } else if (m->check == 4) {
            uint64_t c = lzma_crc64(m->plain, m->plain_len, 0);
            memcpy(b + p, &c, 8);
        }
        p += csize;
    }
    size_t is = p;
    b[p++] = 0;
    if (m->no_block) {
        b[p++] = 0;
    } else {
        b[p++] = 1;
        p += put_vli(b + p, unpadded);
        p += put_vli(b + p, (uint64_t)((int64_t)m->plain_len + m->index_unc_delta));
    }
    while ((p - is) & 3)
        b[p++] = 0;
    put_le32(b + p, lzma_crc32(b + is, p - is, 0));
    p += 4;
    size_t isize = p - is;
    put_le32(b + p + 4, (uint32_t)(isize / 4 - 1));
    b[p + 8] = 0;
    b[p + 9] = (uint8_t)m->check;
    put_le32(b + p, lzma_crc32(b + p + 4, 6, 0));
    b[p + 10] = 'Y';
    b[p + 11] = 'Z';
    return p + 12;
}

static const uint8_t f_lzma2[] = { 0x21, 0x01, 0x16 };                   /* dict 8 MiB */
static const uint8_t f_bcj_lzma2[] = { 0x04, 0x00, 0x21, 0x01, 0x16 };

static int run_mk(const struct mk *m, uint8_t *out, size_t cap, size_t *olen)
{
    static uint8_t buf[4096];
    size_t len = mkstream(buf, m);
    uint8_t *t = malloc(len);
    memcpy(t, buf, len);
    int ret = unxz(t, len, out, cap, olen, work);
    free(t);
    return ret;
}

static void test_handcrafted(void)
{
    uint8_t out[256];
    size_t olen;
    const uint8_t hello[] = "hello, world";
    const size_t hl = sizeof(hello) - 1;

    /* Two uncompressed chunks: dict reset, then no reset. */
    uint8_t l2[64];
    size_t n = 0;
    l2[n++] = 0x01; l2[n++] = 0; l2[n++] = 6; memcpy(l2 + n, hello, 7); n += 7;
    l2[n++] = 0x02; l2[n++] = 0; l2[n++] = (uint8_t)(hl - 8); memcpy(l2 + n, hello + 7, hl - 7); n += hl - 7;
    l2[n++] = 0x00;
    struct mk m = { .check = 1, .filters = f_lzma2, .filters_len = 3, .nfilters = 1,
                    .lzma2 = l2, .lzma2_len = n, .plain = hello, .plain_len = hl };
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), 0);
    CU_ASSERT_EQUAL(olen, hl);
    CU_ASSERT_EQUAL(memcmp(out, hello, hl), 0);
    for (unsigned c = 0; c <= 4; c += 4) {
        m.check = c;
        CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), 0);
    }
    m.check = 1;

    /* Same through BCJ (no E8/E9 in the text, so unchanged). */
    m.filters = f_bcj_lzma2;
    m.filters_len = 5;
    m.nfilters = 2;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), 0);
    CU_ASSERT_EQUAL(memcmp(out, hello, hl), 0);

    /* BCJ with a 4-byte start offset property. */
    static const uint8_t f_bcj_off[] = { 0x04, 0x04, 0x00, 0x10, 0x00, 0x00, 0x21, 0x01, 0x16 };
    m.filters = f_bcj_off;
    m.filters_len = sizeof(f_bcj_off);
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), 0);

    /* BCJ as the last filter; LZMA2 not last; BCJ property size 2. */
    static const uint8_t f_bcj_last[] = { 0x21, 0x01, 0x16, 0x04, 0x00 };
    m.filters = f_bcj_last;
    m.filters_len = 5;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    static const uint8_t f_bcj_bad[] = { 0x04, 0x02, 0x00, 0x00, 0x21, 0x01, 0x16 };
    m.filters = f_bcj_bad;
    m.filters_len = sizeof(f_bcj_bad);
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    static const uint8_t f_lone_bcj[] = { 0x04, 0x00 };
    m.filters = f_lone_bcj;
    m.filters_len = 2;
    m.nfilters = 1;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);

    /* LZMA2 dictionary size byte > 40; property size 2. */
    static const uint8_t f_dict41[] = { 0x21, 0x01, 41 };
    m.filters = f_dict41;
    m.filters_len = 3;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    static const uint8_t f_l2props2[] = { 0x21, 0x02, 0x16, 0x00 };
    m.filters = f_l2props2;
    m.filters_len = 4;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    static const uint8_t f_l2_dict40[] = { 0x21, 0x01, 40 };
    m.filters = f_l2_dict40;
    m.filters_len = 3;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), 0);
    m.filters = f_lzma2;

    /* Reserved block flag bits. */
    m.block_flags_extra = 0x04;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EOPNOTSUPP);
    m.block_flags_extra = 0;

    /* Index that disagrees with the block. */
    m.index_unc_delta = 1;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    m.index_unc_delta = 0;

    /* Wrong check value. */
    m.plain_len--;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EBADMSG);
    m.plain_len++;

    /* First chunk without a dictionary reset. */
    l2[0] = 0x02;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    /* Reserved control byte. */
    l2[0] = 0x03;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    l2[0] = 0x01;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), 0);
    /* Output one byte too small. */
    CU_ASSERT_EQUAL(run_mk(&m, out, hl - 1, &olen), -ENOSPC);

    /* LZMA chunk without properties after a dictionary reset. */
    uint8_t l3[32];
    n = 0;
    l3[n++] = 0x01; l3[n++] = 0; l3[n++] = 0; l3[n++] = 'x';
    l3[n++] = 0x80; l3[n++] = 0; l3[n++] = 0; l3[n++] = 0; l3[n++] = 5;
    memset(l3 + n, 0, 6); n += 6;
    l3[n++] = 0;
    m.lzma2 = l3;
    m.lzma2_len = n;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    /* Properties with lc + lp > 4, and out-of-range properties. */
    static const uint8_t bad_props[] = { 3 + 9 * 2, 225 };
    for (int i = 0; i < 2; i++) {
        n = 0;
        l3[n++] = 0xE0; l3[n++] = 0; l3[n++] = 0; l3[n++] = 0; l3[n++] = 5;
        l3[n++] = bad_props[i];
        memset(l3 + n, 0, 6); n += 6;
        l3[n++] = 0;
        m.lzma2_len = n;
        CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);
    }
    /* Range coder's first byte must be zero. */
    n = 0;
    l3[n++] = 0xE0; l3[n++] = 0; l3[n++] = 0; l3[n++] = 0; l3[n++] = 5;
    l3[n++] = 0x5D;
    l3[n++] = 0x80; memset(l3 + n, 0, 5); n += 5;
    l3[n++] = 0;
    m.lzma2_len = n;
    CU_ASSERT_EQUAL(run_mk(&m, out, sizeof(out), &olen), -EINVAL);

    /* Empty stream: no blocks. */
    struct mk e = { .check = 1, .no_block = true };
    CU_ASSERT_EQUAL(run_mk(&e, out, sizeof(out), &olen), 0);
    CU_ASSERT_EQUAL(olen, 0);

    /* Not xz at all / bad stream flags. */
    static const uint8_t junk[32] = "this is not an xz stream";
    CU_ASSERT_EQUAL(unxz(junk, sizeof(junk), out, sizeof(out), &olen, work), -EINVAL);
    CU_ASSERT_EQUAL(unxz(junk, 0, out, sizeof(out), &olen, work), -ENODATA);
    uint8_t flags_bad[64];
    size_t fl = mkstream(flags_bad, &e);
    flags_bad[6] = 1;
    put_le32(flags_bad + 8, lzma_crc32(flags_bad + 6, 2, 0));
    CU_ASSERT_EQUAL(unxz(flags_bad, fl, out, sizeof(out), &olen, work), -EOPNOTSUPP);
}

static void test_lzma2_mid_block_resets(void)
{
    /*
     * Build an LZMA2 block by hand from raw LZMA2 data produced by
     * liblzma's raw encoder, followed by an uncompressed chunk and a
     * state-reset-only LZMA chunk produced by a second raw encoding pass.
     * This exercises chunk types liblzma's stream encoder rarely emits.
     */
    size_t n = 100000;
    uint8_t *data = td_alloc_fill(n, TD_TEXT, 123);
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 6);
    lzma_filter f[2] = { { LZMA_FILTER_LZMA2, &opt }, { LZMA_VLI_UNKNOWN, NULL } };
    size_t cap = lzma_stream_buffer_bound(n) + 1000, p1 = 0, p2 = 0;
    uint8_t *r1 = malloc(cap), *r2 = malloc(cap);
    CU_ASSERT_EQUAL_FATAL(lzma_raw_buffer_encode(f, NULL, data, n / 2, r1, &p1, cap), LZMA_OK);
    CU_ASSERT_EQUAL_FATAL(lzma_raw_buffer_encode(f, NULL, data + n / 2, n - n / 2, r2, &p2, cap), LZMA_OK);
    /* r1 ends with 0x00; r2 starts with a dict-reset chunk (0xE0). */
    CU_ASSERT_EQUAL(r1[p1 - 1], 0x00);
    CU_ASSERT_TRUE(r2[0] >= 0xE0);
    size_t blen = 0;
    uint8_t *block = malloc(p1 + p2 + 1000);
    memcpy(block, r1, p1 - 1);
    blen = p1 - 1;
    memcpy(block + blen, r2, p2);           /* mid-block dictionary reset */
    blen += p2;
    uint8_t *big = malloc(blen + 4096);
    struct mk m = { .check = 4, .filters = f_lzma2, .filters_len = 3, .nfilters = 1,
                    .lzma2 = block, .lzma2_len = blen, .plain = data, .plain_len = n };
    size_t len = mkstream(big, &m);
    uint8_t *out = malloc(n);
    size_t olen;
    CU_ASSERT_EQUAL(unxz(big, len, out, n, &olen, work), 0);
    CU_ASSERT_EQUAL(olen, n);
    CU_ASSERT_EQUAL(memcmp(out, data, n), 0);
    free(out);
    free(big);
    free(block);
    free(r1);
    free(r2);
    free(data);
}

static void test_misaligned_workspace(void)
{
    size_t n = 100000, clen;
    uint8_t *data = td_alloc_fill(n, TD_X86, 5);
    uint8_t *xz = xz_encode(data, n, CH_BCJ_LZMA2, 6, LZMA_CHECK_CRC64, &clen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(xz);
    td_assert_misaligned_work(&dec_xz, xz_workspace_size(), 3, xz, clen, data, n);
    CU_ASSERT_TRUE(xz_workspace_size() < 64 * 1024);
    free(xz);
    free(data);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "crc64/crc32 match liblzma", test_crc64_crc32 },
        { "presets 0-9e x {LZMA2, BCJ+LZMA2} x checks, varied data", test_presets_chains_checks },
        { "presets 7-9e with full-size dictionaries", test_full_dict_presets },
        { "lc/lp/pb combinations", test_lc_lp_pb },
        { "x86 BCJ with start offsets", test_bcj_start_offset_and_x86 },
        { "LZMA2 chunk boundaries and >2 MiB data", test_chunk_boundaries },
        { "32 MiB dictionary, 19 MiB match distance", test_big_dictionary },
        { "20 MB x86-like buffer through BCJ+LZMA2", test_20mb_x86 },
        { "multi-block streams (flush, multi-threaded)", test_multiblock },
        { "concatenated streams, padding, trailing data", test_concatenated_and_padding },
        { "truncated at every position", test_truncated_everywhere },
        { "random bit flips never crash", test_bit_flips },
        { "output buffer too small gives -ENOSPC", test_output_too_small },
        { "check/header/index/footer CRC mismatch gives -EBADMSG", test_bad_checksums },
        { "SHA-256 and other filters give -EOPNOTSUPP", test_unsupported },
        { "hand-made streams: chunk types, filter flags, index", test_handcrafted },
        { "mid-block dictionary reset", test_lzma2_mid_block_resets },
        { "misaligned workspace", test_misaligned_workspace },
        { NULL, NULL },
    };
    work = malloc(xz_workspace_size());
    dec_xz.work = work;
    unit_add_suite("xz", cases);
}
