/* SPDX-License-Identifier: MIT */
/* Shared test data and decoder checks for the decompressor unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testdata.h"
#include "unit.h"
#include "xeno/errno.h"

static uint64_t rng_state = 1;

/* An exact-size heap buffer (at least 1 byte, as malloc(0) may be NULL). */
static uint8_t *exact_alloc(size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "testdata: malloc(%zu) failed\n", n);
        abort();
    }
    return p;
}

void td_srand(uint64_t state)
{
    rng_state = state;
}

uint32_t td_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

const char *td_kind_name(int k)
{
    static const char *const names[TD_NKINDS] = {
        "random", "text", "repeat", "x86", "zeros", "mixed",
    };
    return (unsigned)k < TD_NKINDS ? names[k] : "?";
}

/*
 * One x86-like instruction at buf[i]: opcode-ish bytes with dense E8/E9
 * rel32 branches whose targets cluster (so the absolute addresses the BCJ
 * filter makes repeat), short branches, and stray E8/E9 and 00/FF bytes
 * next to others to exercise the filter's overlap rules. Returns the new i.
 */
static size_t put_x86(uint8_t *buf, size_t n, size_t i)
{
    static const uint8_t ops[] = { 0x48, 0x89, 0x8B, 0x55, 0x5D, 0xC3, 0x0F,
                                   0x1F, 0x44, 0x00, 0x83, 0xEC, 0x31, 0xC0 };
    unsigned r = td_rand() % 32;
    if (r < 6 && n - i >= 5) {
        uint32_t target = 0x100000 + (td_rand() % 64) * 0x40;
        int32_t rel = (int32_t)(target - (uint32_t)(i + 5));
        if (r == 5)
            rel = (int32_t)(td_rand() % 256) - 128;
        buf[i++] = (r & 1) ? 0xE9 : 0xE8;
        memcpy(buf + i, &rel, 4);
        return i + 4;
    }
    if (r < 8) {
        buf[i++] = (r & 1) ? 0xE8 : 0xE9;
        return i;
    }
    if (r < 11) {
        buf[i++] = td_rand() & 1 ? 0x00 : 0xFF;
        return i;
    }
    buf[i++] = ops[td_rand() % sizeof(ops)];
    return i;
}

static void fill_text(uint8_t *buf, size_t n)
{
    static const char *const words[] = {
        "the", "hypervisor", "domain", "page", "table", "grant", "event",
        "channel", "of", "and", "a", "to", "xen", "memory", "vcpu", "\n",
        "interrupt", "is", "for", "kernel", "boot", "module", ", ", ". ",
    };
    size_t i = 0;
    while (i < n) {
        const char *w = words[td_rand() % (sizeof(words) / sizeof(words[0]))];
        for (; *w && i < n; w++)
            buf[i++] = (uint8_t)*w;
        if (i < n)
            buf[i++] = ' ';
    }
}

static void fill_repeat(uint8_t *buf, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned period = 1 + td_rand() % 12, run = td_rand() % 3000;
        uint8_t pat[12];
        for (unsigned j = 0; j < period; j++)
            pat[j] = (uint8_t)td_rand();
        for (unsigned j = 0; j < run && i < n; j++)
            buf[i++] = pat[j % period];
    }
}

/* Stretches of up to 150000 bytes of noise, one repeated byte or code:
 * stored/raw, RLE and compressed blocks (or LZMA2 chunk types) in turn. */
static void fill_mixed(uint8_t *buf, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = 1 + td_rand() % 150000;
        unsigned what = td_rand() % 3;
        for (size_t j = 0; j < run && i < n; j++) {
            if (what == 0)
                buf[i++] = (uint8_t)td_rand();
            else if (what == 1)
                buf[i++] = 0x5A;
            else
                i = put_x86(buf, n, i);
        }
    }
}

void td_fill(uint8_t *buf, size_t n, enum td_kind k, uint64_t seed)
{
    td_srand(seed * 0x9E3779B97F4A7C15ull + 1);
    switch (k) {
    case TD_RANDOM:
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)td_rand();
        break;
    case TD_TEXT:
        fill_text(buf, n);
        break;
    case TD_REPEAT:
        fill_repeat(buf, n);
        break;
    case TD_X86:
        for (size_t i = 0; i < n;)
            i = put_x86(buf, n, i);
        break;
    case TD_MIXED:
        fill_mixed(buf, n);
        break;
    default:
        memset(buf, 0, n);
        break;
    }
}

uint8_t *td_alloc_fill(size_t n, enum td_kind k, uint64_t seed)
{
    uint8_t *p = exact_alloc(n);
    td_fill(p, n, k, seed);
    return p;
}

void td_fill_far_repeat(uint8_t *buf, size_t n, size_t blk, enum td_kind middle, uint64_t seed)
{
    td_fill(buf, blk, TD_RANDOM, seed);
    td_fill(buf + blk, n - 2 * blk, middle, seed + 1);
    memcpy(buf + n - blk, buf, blk);
}

bool td_next_case(struct td_case *c)
{
    if (!c->data) {
        size_t max = 0;
        for (size_t i = 0; i < c->nsizes; i++)
            max = c->sizes[i] > max ? c->sizes[i] : max;
        c->data = exact_alloc(max);
        c->k = 0;
        c->si = 0;
    } else if (++c->si == c->nsizes) {
        c->si = 0;
        c->k++;
    }
    if (c->k >= TD_NKINDS || c->nsizes == 0) {
        free(c->data);
        c->data = NULL;
        return false;
    }
    c->n = c->sizes[c->si];
    td_fill(c->data, c->n, (enum td_kind)c->k, 100 * (uint64_t)c->k + c->si);
    return true;
}

bool td_round_trip(const struct td_decoder *d, const uint8_t *z, size_t zlen,
                   const uint8_t *orig, size_t n, size_t slack)
{
    uint8_t *out = exact_alloc(n + slack);
    size_t olen = 12345;
    int ret = d->fn(z, zlen, out, n + slack, &olen, d->work);
    bool ok = ret == 0 && olen == n && memcmp(out, orig, n) == 0;
    if (!ok)
        fprintf(stderr, "%s: ret %d olen %zu/%zu (in %zu, out cap %zu)\n", d->name, ret, olen,
                n, zlen, n + slack);
    free(out);
    return ok;
}

unsigned td_truncations(const struct td_decoder *d, const uint8_t *z, size_t zlen,
                        size_t out_cap, int want, int also)
{
    uint8_t *out = exact_alloc(out_cap);
    unsigned bad = 0;
    for (size_t cut = 0; cut < zlen; cut++) {
        uint8_t *t = exact_alloc(cut);
        memcpy(t, z, cut);
        size_t olen;
        int ret = d->fn(t, cut, out, out_cap, &olen, d->work);
        if (ret != want && ret != also && bad++ < 5)
            fprintf(stderr, "%s: cut %zu/%zu: ret %d, want %d\n", d->name, cut, zlen, ret, want);
        free(t);
    }
    free(out);
    return bad;
}

static bool allowed_ret(int ret, const int *allowed)
{
    if (ret == 0)
        return true;
    for (; *allowed; allowed++)
        if (ret == *allowed)
            return true;
    return false;
}

void td_bit_flips(const struct td_decoder *d, const uint8_t *z, size_t zlen, unsigned iters,
                  size_t cap, bool vary_cap, const int *allowed, struct td_flip_stats *st)
{
    uint8_t *t = exact_alloc(zlen), *out = exact_alloc(cap);
    for (unsigned iter = 0; iter < iters; iter++) {
        memcpy(t, z, zlen);
        unsigned flips = 1 + td_rand() % 3;
        for (unsigned f = 0; f < flips; f++) {
            size_t bit = td_rand() % (zlen * 8);
            t[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        size_t c = vary_cap && !(iter & 1) ? td_rand() % cap : cap;
        size_t olen = 0;
        int ret = d->fn(t, zlen, out, c, &olen, d->work);
        if (!allowed_ret(ret, allowed))
            fprintf(stderr, "%s: bit flips gave %d\n", d->name, ret);
        CU_ASSERT_TRUE(allowed_ret(ret, allowed));
        CU_ASSERT_TRUE(olen <= c);
        if (ret == 0)
            st->ok++;
        else
            st->errs++;
    }
    free(out);
    free(t);
}

void td_assert_enospc(const struct td_decoder *d, const uint8_t *z, size_t zlen,
                      const size_t *caps, size_t ncaps)
{
    for (size_t i = 0; i < ncaps; i++) {
        uint8_t *o = exact_alloc(caps[i]);
        size_t olen = 0;
        CU_ASSERT_EQUAL(d->fn(z, zlen, o, caps[i], &olen, d->work), -ENOSPC);
        CU_ASSERT_TRUE(olen <= caps[i]);
        free(o);
    }
}

void td_assert_misaligned_work(const struct td_decoder *d, size_t wsize, size_t step,
                               const uint8_t *z, size_t zlen, const uint8_t *orig, size_t n)
{
    uint8_t *w = exact_alloc(wsize + 8);
    for (size_t off = 1; off < 8; off += step) {
        struct td_decoder m = *d;
        m.work = w + off;
        CU_ASSERT_TRUE(td_round_trip(&m, z, zlen, orig, n, 0));
    }
    free(w);
}
