// UNIT-SOURCES: hypervisor/common/dom0_params.c hypervisor/common/cmdline.c
/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "xeno/dom0_params.h"
#include "xeno/errno.h"

#include <string.h>

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

static void test_mem_forms(void)
{
    struct dom0_mem_spec s;

    CU_ASSERT_EQUAL(parse_dom0_mem("512M", &s), 0);
    CU_ASSERT_TRUE(s.amount.set);
    CU_ASSERT_FALSE(s.amount.negative);
    CU_ASSERT_FALSE(s.amount.percent);
    CU_ASSERT_EQUAL(s.amount.value, 512 * MiB);
    CU_ASSERT_FALSE(s.min.set);
    CU_ASSERT_FALSE(s.max.set);

    CU_ASSERT_EQUAL(parse_dom0_mem("1024", &s), 0);          /* KiB by default */
    CU_ASSERT_EQUAL(s.amount.value, 1024 * KiB);

    CU_ASSERT_EQUAL(parse_dom0_mem("-256M", &s), 0);
    CU_ASSERT_TRUE(s.amount.negative);
    CU_ASSERT_EQUAL(s.amount.value, 256 * MiB);

    CU_ASSERT_EQUAL(parse_dom0_mem("10%", &s), 0);
    CU_ASSERT_TRUE(s.amount.percent);
    CU_ASSERT_EQUAL(s.amount.value, 10);

    CU_ASSERT_EQUAL(parse_dom0_mem("-5%", &s), 0);
    CU_ASSERT_TRUE(s.amount.percent);
    CU_ASSERT_TRUE(s.amount.negative);
    CU_ASSERT_EQUAL(s.amount.value, 5);

    CU_ASSERT_EQUAL(parse_dom0_mem("1G+10%", &s), 0);
    CU_ASSERT_FALSE(s.amount.percent);
    CU_ASSERT_EQUAL(s.amount.value, GiB);
    CU_ASSERT_EQUAL(s.amount.extra_percent, 10);

    CU_ASSERT_EQUAL(parse_dom0_mem("min:1G,max:4G,2G", &s), 0);
    CU_ASSERT_TRUE(s.min.set && s.max.set && s.amount.set);
    CU_ASSERT_EQUAL(s.min.value, GiB);
    CU_ASSERT_EQUAL(s.max.value, 4 * GiB);
    CU_ASSERT_EQUAL(s.amount.value, 2 * GiB);

    CU_ASSERT_EQUAL(parse_dom0_mem("max:-1G,min:50%", &s), 0);
    CU_ASSERT_FALSE(s.amount.set);
    CU_ASSERT_TRUE(s.max.negative);
    CU_ASSERT_TRUE(s.min.percent);
    CU_ASSERT_EQUAL(s.min.value, 50);

    /* Later items of the same kind win; the whole spec is replaced. */
    CU_ASSERT_EQUAL(parse_dom0_mem("1G,2G", &s), 0);
    CU_ASSERT_EQUAL(s.amount.value, 2 * GiB);
    CU_ASSERT_FALSE(s.min.set);
    CU_ASSERT_EQUAL(parse_dom0_mem("0x100000B,0%", &s), 0);
    CU_ASSERT_TRUE(s.amount.percent);
    CU_ASSERT_EQUAL(s.amount.value, 0);
    CU_ASSERT_EQUAL(parse_dom0_mem("99%", &s), 0);
}

static void test_mem_bad(void)
{
    static const char *const bad[] = {
        "", "abc", "M", "-", "--1G", "-G", "1X", "1G,", ",1G", "1G,,2G", "min:", "max:",
        "min:-", "mid:1G", "100%", "150%", "10%+1G", "1G+1G", "1G+", "1G+%", "1G+100%",
        "1G+10", "1G+10%+5%", "10K%", "1G 2G", "+1G", "18446744073709551616B",
        "16777216T", "min:1G;max:2G", "1G%",
    };
    struct dom0_mem_spec s, orig;

    memset(&orig, 0xa5, sizeof(orig));
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        s = orig;
        CU_ASSERT_EQUAL(parse_dom0_mem(bad[i], &s), -EINVAL);
        CU_ASSERT_EQUAL(memcmp(&s, &orig, sizeof(s)), 0);
    }
    CU_ASSERT_EQUAL(parse_dom0_mem(NULL, &s), -EINVAL);
}

static uint64_t resolve(const char *arg, uint64_t avail)
{
    struct dom0_mem_spec s = { 0 };

    CU_ASSERT_EQUAL(parse_dom0_mem(arg, &s), 0);
    return dom0_mem_resolve(&s, avail);
}

static void test_mem_resolve(void)
{
    struct dom0_mem_spec none = { 0 };

    /* Default: all but 1/16, the reserve capped at 128 MiB. */
    CU_ASSERT_EQUAL(dom0_mem_resolve(&none, 16 * GiB), 16 * GiB - 128 * MiB);
    CU_ASSERT_EQUAL(dom0_mem_resolve(&none, 1 * GiB), 1 * GiB - 64 * MiB);
    CU_ASSERT_EQUAL(dom0_mem_resolve(&none, 2 * GiB), 2 * GiB - 128 * MiB);
    CU_ASSERT_EQUAL(dom0_mem_resolve(&none, 0), 0);
    /* Whole pages only. */
    CU_ASSERT_EQUAL(dom0_mem_resolve(&none, 16 * 4096 + 123), 15 * 4096);

    CU_ASSERT_EQUAL(resolve("512M", 4 * GiB), 512 * MiB);
    CU_ASSERT_EQUAL(resolve("512M", 256 * MiB), 256 * MiB);   /* capped at avail */
    CU_ASSERT_EQUAL(resolve("-256M", 4 * GiB), 4 * GiB - 256 * MiB);
    CU_ASSERT_EQUAL(resolve("25%", 4 * GiB), 1 * GiB);
    CU_ASSERT_EQUAL(resolve("-25%", 4 * GiB), 3 * GiB);
    CU_ASSERT_EQUAL(resolve("1G+25%", 4 * GiB), 2 * GiB);
    CU_ASSERT_EQUAL(resolve("-1G+25%", 8 * GiB), 5 * GiB);
    CU_ASSERT_EQUAL(resolve("5001", 4 * GiB), 5000 * KiB);     /* rounded to pages */

    /* Zero or over-subtracted amounts fall back to the default, as in Xen. */
    CU_ASSERT_EQUAL(resolve("0", 1 * GiB), 1 * GiB - 64 * MiB);
    CU_ASSERT_EQUAL(resolve("-8G", 1 * GiB), 1 * GiB - 64 * MiB);

    /* min raises, max lowers, max wins over min. */
    CU_ASSERT_EQUAL(resolve("min:2G,1G", 4 * GiB), 2 * GiB);
    CU_ASSERT_EQUAL(resolve("max:1G,2G", 4 * GiB), 1 * GiB);
    CU_ASSERT_EQUAL(resolve("min:3G,max:2G,1G", 4 * GiB), 2 * GiB);
    CU_ASSERT_EQUAL(resolve("max:1G", 16 * GiB), 1 * GiB);
    CU_ASSERT_EQUAL(resolve("min:8G", 4 * GiB), 4 * GiB);           /* still capped at avail */
    CU_ASSERT_EQUAL(resolve("max:-1G", 4 * GiB), 3 * GiB);
    CU_ASSERT_EQUAL(resolve("min:50%", 4 * GiB), 4 * GiB - 128 * MiB);
    CU_ASSERT_EQUAL(resolve("min:50%,1G", 4 * GiB), 2 * GiB);
    CU_ASSERT_EQUAL(resolve("max:0", 4 * GiB), 0);

    /* A hand-built spec with silly percentages is clamped, not overflowed. */
    struct dom0_mem_spec h = { .amount = { .set = true, .percent = true, .value = UINT64_MAX } };
    CU_ASSERT_EQUAL(dom0_mem_resolve(&h, 4 * GiB), 4 * GiB);
    h.amount = (struct dom0_size){ .set = true, .value = UINT64_MAX, .extra_percent = ~0u };
    CU_ASSERT_EQUAL(dom0_mem_resolve(&h, 4 * GiB), 4 * GiB);
}

static void test_vcpus_parse(void)
{
    struct dom0_vcpus_spec v;

    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("4", &v), 0);
    CU_ASSERT_EQUAL(v.min, 4);
    CU_ASSERT_EQUAL(v.max, 4);
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("2-", &v), 0);
    CU_ASSERT_EQUAL(v.min, 2);
    CU_ASSERT_EQUAL(v.max, 0);
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("-4", &v), 0);
    CU_ASSERT_EQUAL(v.min, 0);
    CU_ASSERT_EQUAL(v.max, 4);
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("2-8", &v), 0);
    CU_ASSERT_EQUAL(v.min, 2);
    CU_ASSERT_EQUAL(v.max, 8);
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("8-2", &v), 0);      /* Xen accepts it */
    CU_ASSERT_EQUAL(v.min, 8);
    CU_ASSERT_EQUAL(v.max, 2);
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("0x10", &v), 0);
    CU_ASSERT_EQUAL(v.min, 16);
    /* Xen: a minimum of 0 becomes 1, and "0" alone means exactly 1. */
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("0", &v), 0);
    CU_ASSERT_EQUAL(v.min, 1);
    CU_ASSERT_EQUAL(v.max, 1);
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("0-", &v), 0);
    CU_ASSERT_EQUAL(v.min, 1);
    CU_ASSERT_EQUAL(v.max, 0);
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus("4294967295", &v), 0);
    CU_ASSERT_EQUAL(v.max, 4294967295u);

    static const char *const bad[] = {
        "", "-", "--4", "abc", "4x", "2-x", "2-4-6", "-0", "2-0", "- 4", " 4", "+4",
        "4294967296", "-4294967296", "2--4", "2-4x",
    };
    struct dom0_vcpus_spec orig = { 77, 88 };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        v = orig;
        CU_ASSERT_EQUAL(parse_dom0_max_vcpus(bad[i], &v), -EINVAL);
        CU_ASSERT_EQUAL(v.min, 77);
        CU_ASSERT_EQUAL(v.max, 88);
    }
    CU_ASSERT_EQUAL(parse_dom0_max_vcpus(NULL, &v), -EINVAL);
}

static void test_vcpus_resolve(void)
{
    struct dom0_vcpus_spec v = { 0, 0 };

    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 8), 8);
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 0), 1);
    v = (struct dom0_vcpus_spec){ 4, 4 };
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 8), 4);
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 2), 4);          /* min may exceed pCPUs */
    v = (struct dom0_vcpus_spec){ 2, 0 };
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 8), 8);
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 1), 2);
    v = (struct dom0_vcpus_spec){ 0, 4 };
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 8), 4);
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 2), 2);
    v = (struct dom0_vcpus_spec){ 8, 2 };                   /* max wins */
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 4), 2);
    v = (struct dom0_vcpus_spec){ 2, 6 };
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 1), 2);
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 4), 4);
    CU_ASSERT_EQUAL(dom0_vcpus_resolve(&v, 64), 6);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "dom0_mem forms", test_mem_forms },
        { "dom0_mem malformed", test_mem_bad },
        { "dom0_mem resolve", test_mem_resolve },
        { "dom0_max_vcpus parse", test_vcpus_parse },
        { "dom0_max_vcpus resolve", test_vcpus_resolve },
        { NULL, NULL },
    };
    unit_add_suite("dom0_params", cases);
}
