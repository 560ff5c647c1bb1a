/* SPDX-License-Identifier: MIT */
#ifndef XENO_TEST_TESTDATA_H
#define XENO_TEST_TESTDATA_H
/*
 * Test data and decoder checks shared by the decompressor unit tests
 * (test_inflate, test_xz, test_zstd). A test that includes this header
 * lists tests/unit/testdata.c on its // UNIT-SOURCES: line; the code needs
 * no compression library (each test keeps its own reference encoder).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "unit.h"

/*
 * CUnit failure `what` when ok is false, after a line of context (a
 * printf format and its arguments) on stderr, so that a failing case in a
 * loop over data kinds, sizes and options can be told from the others.
 */
#define TD_EXPECT(ok, what, ...)                                           \
    do {                                                                   \
        if (!(ok)) {                                                       \
            fprintf(stderr, "  " __VA_ARGS__);                             \
            fputc('\n', stderr);                                           \
            CU_FAIL(what);                                                 \
        }                                                                  \
    } while (0)

/*
 * xorshift64 generator with one state per test binary, so that every
 * buffer is reproducible from its seed and a failure can be replayed.
 * td_srand() sets the raw state (must not be 0).
 */
void td_srand(uint64_t state);
uint32_t td_rand(void);

/*
 * Kinds of data that reach different decoder paths: stored/raw blocks
 * (random), Huffman-heavy literals (text), short-period matches and RLE
 * (repeat, zeros), branch-dense code for the x86 BCJ filter (x86), and
 * stretches of noise, one repeated byte and code in turn, so that one
 * stream mixes stored, RLE and compressed blocks or LZMA2 chunks (mixed).
 */
enum td_kind { TD_RANDOM, TD_TEXT, TD_REPEAT, TD_X86, TD_ZEROS, TD_MIXED, TD_NKINDS };

const char *td_kind_name(int k);

/* Fill buf[0..n) with data of kind k; reseeds the generator from seed. */
void td_fill(uint8_t *buf, size_t n, enum td_kind k, uint64_t seed);

/* A malloc'd buffer of n bytes filled by td_fill() (the caller frees it). */
uint8_t *td_alloc_fill(size_t n, enum td_kind k, uint64_t seed);

/*
 * For long-distance matches: blk random bytes (from seed), then data of
 * kind middle (from seed + 1), and the last blk bytes again equal to the
 * first blk, a match n - blk bytes back that only a window or dictionary
 * larger than that finds. Needs n >= 2 * blk.
 */
void td_fill_far_repeat(uint8_t *buf, size_t n, size_t blk, enum td_kind middle, uint64_t seed);

/*
 * Every data kind at every size of a list, kind by kind: each
 * td_next_case() fills c->data with c->n = sizes[c->si] bytes of kind
 * c->k (seed 100 * k + si) and returns true; after the last pair it frees
 * the buffer and returns false. Start from TD_CASES(array of sizes).
 */
struct td_case {
    const size_t *sizes;
    size_t nsizes;
    int k;
    size_t si;
    size_t n;
    uint8_t *data;
};

#define TD_CASES(sizes) { (sizes), sizeof(sizes) / sizeof((sizes)[0]), 0, 0, 0, NULL }

bool td_next_case(struct td_case *c);

/* A one-shot decoder under test, in the shape unxz() and unzstd() share
 * (gunzip() and inflate_raw() go through small adapters). */
typedef int td_decode_fn(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                         size_t *out_len, void *work);

struct td_decoder {
    const char *name;           /* for failure messages */
    td_decode_fn *fn;
    void *work;
};

/*
 * Decode z[0..zlen) into a heap buffer of exactly n + slack bytes and
 * check success, out_len == n and the bytes against orig. Logs what went
 * wrong to stderr; returns whether the round trip was exact.
 */
bool td_round_trip(const struct td_decoder *d, const uint8_t *z, size_t zlen,
                   const uint8_t *orig, size_t n, size_t slack);

/*
 * Decode every proper prefix of z, each as an exact-size heap copy so
 * that ASan catches a read past the cut, into out_cap bytes. Returns how
 * many prefixes gave a result other than want or also (the first few are
 * logged); pass also == want when one result is expected.
 */
unsigned td_truncations(const struct td_decoder *d, const uint8_t *z, size_t zlen,
                        size_t out_cap, int want, int also);

struct td_flip_stats {
    unsigned ok;                /* still decoded */
    unsigned errs;              /* refused with an allowed error */
};

/*
 * iters trials of flipping 1-3 random bits anywhere in a copy of z and
 * decoding it into cap bytes (with vary_cap, even trials use a random
 * capacity below cap instead). Asserts (CUnit) that each result is 0 or
 * one of the errors in allowed (a list ending in 0) and that out_len
 * never exceeds the capacity; counts the outcomes into *st.
 */
void td_bit_flips(const struct td_decoder *d, const uint8_t *z, size_t zlen, unsigned iters,
                  size_t cap, bool vary_cap, const int *allowed, struct td_flip_stats *st);

/* Asserts (CUnit) that decoding z into each of caps[0..ncaps), as an
 * exact-size buffer, fails with -ENOSPC and out_len <= the capacity. */
void td_assert_enospc(const struct td_decoder *d, const uint8_t *z, size_t zlen,
                      const size_t *caps, size_t ncaps);

/* Round trips with the workspace at byte offsets 1, 1 + step, ... < 8
 * from a malloc'd (16-byte aligned) one of wsize bytes: the decoders
 * must not assume an aligned workspace. Asserts (CUnit) each one. */
void td_assert_misaligned_work(const struct td_decoder *d, size_t wsize, size_t step,
                               const uint8_t *z, size_t zlen, const uint8_t *orig, size_t n);

#endif
