// UNIT-SOURCES: dom0-tools/xenconsoled/ring.c
// UNIT-LIBS:
/* SPDX-License-Identifier: MIT */
/*
 * xenconsoled's console rings (struct xencons_interface): output taken in
 * order across the end of the ring and across the 2^32 index wrap, input
 * put with the same rules, full/empty rings, and indexes a guest corrupted.
 */
#include "unit.h"
#include "../../dom0-tools/xenconsoled/ring.h"

#include <stdint.h>
#include <string.h>

static struct xencons_interface page;

/* The guest's side: produce n bytes of a pattern starting at value seed. */
static void guest_put(struct xencons_interface *c, unsigned int n, unsigned char seed)
{
    for (unsigned int i = 0; i < n; i++)
        c->out[MASK_XENCONS_IDX(c->out_prod++, c->out)] = (char)(seed + i);
}

static void guest_get(struct xencons_interface *c, char *dst, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        dst[i] = c->in[MASK_XENCONS_IDX(c->in_cons++, c->in)];
}

static void reset(uint32_t out_idx, uint32_t in_idx)
{
    memset(&page, 0, sizeof(page));
    page.out_cons = page.out_prod = out_idx;
    page.in_cons = page.in_prod = in_idx;
}

static void test_take_simple(void)
{
    char buf[64];
    reset(0, 0);
    CU_ASSERT_EQUAL(xcd_ring_take_out(&page, buf, sizeof(buf)), 0);
    CU_ASSERT_FALSE(xcd_ring_out_pending(&page));
    guest_put(&page, 10, 'a');
    CU_ASSERT_TRUE(xcd_ring_out_pending(&page));
    CU_ASSERT_EQUAL(xcd_ring_take_out(&page, buf, 4), 4);
    CU_ASSERT_EQUAL(memcmp(buf, "abcd", 4), 0);
    CU_ASSERT_EQUAL(page.out_cons, 4);
    CU_ASSERT_EQUAL(xcd_ring_take_out(&page, buf, sizeof(buf)), 6);
    CU_ASSERT_EQUAL(memcmp(buf, "efghij", 6), 0);
    CU_ASSERT_EQUAL(page.out_cons, page.out_prod);
    CU_ASSERT_FALSE(xcd_ring_out_pending(&page));
}

/* Data that crosses the end of the 2048-byte ring comes out in order, in one call. */
static void test_take_wraps_ring_end(void)
{
    char buf[2048];
    reset(2040, 0);
    guest_put(&page, 20, 0);
    CU_ASSERT_EQUAL(xcd_ring_take_out(&page, buf, sizeof(buf)), 20);
    for (int i = 0; i < 20; i++)
        CU_ASSERT_EQUAL((unsigned char)buf[i], i);
    CU_ASSERT_EQUAL(page.out_cons, 2060u);
}

/* Free-running indexes wrap at 2^32: prod < cons numerically is normal. */
static void test_take_index_overflow(void)
{
    char buf[2048];
    reset(UINT32_MAX - 5, 0);
    guest_put(&page, 100, 7);
    CU_ASSERT_TRUE(page.out_prod < page.out_cons);
    CU_ASSERT_EQUAL(xcd_ring_take_out(&page, buf, sizeof(buf)), 100);
    for (int i = 0; i < 100; i++)
        CU_ASSERT_EQUAL((unsigned char)buf[i], (unsigned char)(7 + i));
    CU_ASSERT_EQUAL(page.out_cons, page.out_prod);
    CU_ASSERT_EQUAL(page.out_cons, 94u);
}

static void test_take_full_ring(void)
{
    static char buf[4096];
    reset(1000, 0);
    guest_put(&page, 2048, 0);
    CU_ASSERT_EQUAL(xcd_ring_take_out(&page, buf, sizeof(buf)), 2048);
    for (int i = 0; i < 2048; i++)
        CU_ASSERT_EQUAL((unsigned char)buf[i], (unsigned char)i);
}

static void test_take_corrupt(void)
{
    char buf[64];
    reset(500, 0);
    page.out_prod = 500 + 2049;     /* more than a ring ahead */
    CU_ASSERT_EQUAL(xcd_ring_take_out(&page, buf, sizeof(buf)), XCD_RING_BROKEN);
    CU_ASSERT_EQUAL(page.out_cons, 500u);   /* left alone */
    page.out_prod = 499;                    /* behind the consumer: 2^32 - 1 ahead */
    CU_ASSERT_EQUAL(xcd_ring_take_out(&page, buf, sizeof(buf)), XCD_RING_BROKEN);
    CU_ASSERT_EQUAL(page.out_cons, 500u);
}

static void test_put_simple_and_full(void)
{
    char got[1100];
    static char data[1100];
    for (int i = 0; i < 1100; i++)
        data[i] = (char)(i * 7);
    reset(0, 0);
    CU_ASSERT_EQUAL(xcd_ring_in_space(&page), 1024u);
    CU_ASSERT_EQUAL(xcd_ring_put_in(&page, "ls\r", 3), 3);
    CU_ASSERT_EQUAL(xcd_ring_in_space(&page), 1021u);
    guest_get(&page, got, 3);
    CU_ASSERT_EQUAL(memcmp(got, "ls\r", 3), 0);
    /* More than fits: exactly the free space is taken. */
    CU_ASSERT_EQUAL(xcd_ring_put_in(&page, data, sizeof(data)), 1024);
    CU_ASSERT_EQUAL(xcd_ring_in_space(&page), 0u);
    CU_ASSERT_EQUAL(xcd_ring_put_in(&page, data, 1), 0);
    guest_get(&page, got, 1024);
    CU_ASSERT_EQUAL(memcmp(got, data, 1024), 0);
    CU_ASSERT_EQUAL(xcd_ring_in_space(&page), 1024u);
}

static void test_put_wraps(void)
{
    char got[64];
    reset(0, UINT32_MAX - 9);       /* both the ring end and the 2^32 wrap */
    CU_ASSERT_EQUAL(xcd_ring_put_in(&page, "0123456789abcdefghij", 20), 20);
    CU_ASSERT_EQUAL(page.in_prod, 10u);
    guest_get(&page, got, 20);
    CU_ASSERT_EQUAL(memcmp(got, "0123456789abcdefghij", 20), 0);
    CU_ASSERT_EQUAL(xcd_ring_in_space(&page), 1024u);
}

static void test_put_corrupt(void)
{
    reset(0, 100);
    page.in_prod = 100 + 1025;
    CU_ASSERT_EQUAL(xcd_ring_in_space(&page), 0u);
    CU_ASSERT_EQUAL(xcd_ring_put_in(&page, "x", 1), XCD_RING_BROKEN);
    CU_ASSERT_EQUAL(page.in_prod, 1125u);
}

/* The offsets the guest's and Xen's code agree on (xen/io/console.h). */
static void test_layout(void)
{
    CU_ASSERT_EQUAL(sizeof(page.in), 1024u);
    CU_ASSERT_EQUAL(sizeof(page.out), 2048u);
    CU_ASSERT_EQUAL((char *)&page.out_prod - (char *)&page, 3084);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "take output", test_take_simple },
        { "take output across the ring end", test_take_wraps_ring_end },
        { "take output across the 2^32 index wrap", test_take_index_overflow },
        { "take a full ring", test_take_full_ring },
        { "corrupt out indexes are refused", test_take_corrupt },
        { "put input, up to a full ring", test_put_simple_and_full },
        { "put input across both wraps", test_put_wraps },
        { "corrupt in indexes are refused", test_put_corrupt },
        { "page layout", test_layout },
        { NULL, NULL },
    };
    unit_add_suite("xenconsoled rings", cases);
}
