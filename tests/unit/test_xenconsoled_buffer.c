// UNIT-SOURCES: dom0-tools/xenconsoled/buffer.c
// UNIT-LIBS:
/* SPDX-License-Identifier: MIT */
/*
 * xenconsoled's bounded output buffer: FIFO order, growth, wrap-around of
 * its storage, dropping the oldest bytes beyond the limit (also for one
 * append larger than the limit), and limit changes.
 */
#include "unit.h"
#include "../../dom0-tools/xenconsoled/buffer.h"

#include <stdio.h>
#include <string.h>

/* Everything held, oldest first (peek/consume until empty), into out. */
static size_t drain(struct xcd_buffer *b, char *out, size_t max)
{
    size_t got = 0, n;
    const char *p;
    while ((n = xcd_buffer_peek(b, &p)) && got < max) {
        if (n > max - got)
            n = max - got;
        memcpy(out + got, p, n);
        got += n;
        xcd_buffer_consume(b, n);
    }
    return got;
}

static void test_fifo(void)
{
    struct xcd_buffer b;
    char out[64];
    const char *p;
    xcd_buffer_init(&b, 0);
    CU_ASSERT_EQUAL(b.limit, XCD_BUFFER_DEFAULT_LIMIT);
    CU_ASSERT_EQUAL(xcd_buffer_peek(&b, &p), 0u);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "hello ", 6), 0);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "world", 5), 0);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "", 0), 0);
    CU_ASSERT_EQUAL(b.len, 11u);
    CU_ASSERT_EQUAL(drain(&b, out, 3), 3u);
    CU_ASSERT_EQUAL(memcmp(out, "hel", 3), 0);
    CU_ASSERT_EQUAL(drain(&b, out, sizeof(out)), 8u);
    CU_ASSERT_EQUAL(memcmp(out, "lo world", 8), 0);
    CU_ASSERT_EQUAL(b.dropped, 0u);
    xcd_buffer_free(&b);
}

/* Oldest bytes go first; what remains is the newest limit bytes, in order. */
static void test_drops_oldest(void)
{
    struct xcd_buffer b;
    char out[32];
    xcd_buffer_init(&b, 10);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "0123456", 7), 0);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "789ab", 5), 2);
    CU_ASSERT_EQUAL(b.len, 10u);
    CU_ASSERT_EQUAL(b.dropped, 2u);
    CU_ASSERT_EQUAL(drain(&b, out, sizeof(out)), 10u);
    CU_ASSERT_EQUAL(memcmp(out, "23456789ab", 10), 0);
    xcd_buffer_free(&b);
}

static void test_append_larger_than_limit(void)
{
    struct xcd_buffer b;
    char out[32];
    xcd_buffer_init(&b, 8);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "xyz", 3), 0);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "ABCDEFGHIJKL", 12), 3 + 4);
    CU_ASSERT_EQUAL(b.dropped, 7u);
    CU_ASSERT_EQUAL(drain(&b, out, sizeof(out)), 8u);
    CU_ASSERT_EQUAL(memcmp(out, "EFGHIJKL", 8), 0);
    xcd_buffer_free(&b);
}

/* Interleaved appends and partial consumes wrap the storage many times. */
static void test_wraparound_model(void)
{
    struct xcd_buffer b;
    static char model[200000], out[4096];
    size_t mhead = 0, mlen = 0;
    unsigned int seq = 0, rnd = 12345;
    xcd_buffer_init(&b, 1000);
    for (int step = 0; step < 5000; step++) {
        rnd = rnd * 1103515245u + 12345u;
        size_t n = (rnd >> 16) % 300;
        char chunk[300];
        for (size_t i = 0; i < n; i++)
            chunk[i] = (char)(seq++ & 0xff);
        long dropped = xcd_buffer_append(&b, chunk, n);
        memcpy(model + mhead + mlen, chunk, n);
        mlen += n;
        size_t over = mlen > 1000 ? mlen - 1000 : 0;
        CU_ASSERT_EQUAL((size_t)dropped, over);
        mhead += over;
        mlen -= over;
        const char *p;
        size_t avail = xcd_buffer_peek(&b, &p);
        size_t take = avail ? ((rnd >> 8) % (avail + 1)) : 0;
        CU_ASSERT(avail <= mlen);
        if (take) {
            CU_ASSERT_EQUAL(memcmp(p, model + mhead, take), 0);
            xcd_buffer_consume(&b, take);
            mhead += take;
            mlen -= take;
        }
        CU_ASSERT_EQUAL(b.len, mlen);
        CU_ASSERT(b.size <= 1000);
        if (mhead > 100000) {   /* keep the model small */
            memmove(model, model + mhead, mlen);
            mhead = 0;
        }
    }
    size_t got = drain(&b, out, sizeof(out));
    CU_ASSERT_EQUAL(got, mlen);
    CU_ASSERT_EQUAL(memcmp(out, model + mhead, got), 0);
    xcd_buffer_free(&b);
}

static void test_set_limit(void)
{
    struct xcd_buffer b;
    char out[32];
    xcd_buffer_init(&b, 100);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "abcdefghijklmnopqrst", 20), 0);
    xcd_buffer_consume(&b, 2);
    xcd_buffer_set_limit(&b, 5);    /* shrinking keeps the newest */
    CU_ASSERT_EQUAL(b.limit, 5u);
    CU_ASSERT_EQUAL(b.dropped, 13u);
    CU_ASSERT(b.size <= 5);
    CU_ASSERT_EQUAL(xcd_buffer_append(&b, "UV", 2), 2);
    CU_ASSERT_EQUAL(drain(&b, out, sizeof(out)), 5u);
    CU_ASSERT_EQUAL(memcmp(out, "rstUV", 5), 0);
    xcd_buffer_set_limit(&b, 0);
    CU_ASSERT_EQUAL(b.limit, XCD_BUFFER_DEFAULT_LIMIT);
    xcd_buffer_set_limit(&b, (size_t)1 << 40);     /* a guest-written console/limit */
    CU_ASSERT_EQUAL(b.limit, XCD_BUFFER_MAX_LIMIT);
    xcd_buffer_free(&b);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "FIFO order", test_fifo },
        { "drops the oldest beyond the limit", test_drops_oldest },
        { "one append larger than the limit", test_append_larger_than_limit },
        { "wrap-around against a model", test_wraparound_model },
        { "limit changes", test_set_limit },
        { NULL, NULL },
    };
    unit_add_suite("xenconsoled buffer", cases);
}
