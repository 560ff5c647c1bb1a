// UNIT-SOURCES: hypervisor/mm/e820.c
/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "xeno/e820.h"
#include "xeno/errno.h"

#include <stdio.h>
#include <string.h>

static struct e820map m;

struct ent { uint64_t start, end; uint32_t type; };

static void build(const struct ent *e, size_t n)
{
    memset(&m, 0, sizeof(m));
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL_FATAL(e820_add(&m, e[i].start, e[i].end - e[i].start, e[i].type), 0);
}

/* Compare m against the expected [start, end) list, printing on mismatch. */
static bool same(const struct ent *e, size_t n)
{
    bool ok = m.nr == n;

    for (size_t i = 0; ok && i < n; i++)
        ok = m.map[i].addr == e[i].start && m.map[i].addr + m.map[i].size == e[i].end &&
             m.map[i].type == e[i].type;
    if (!ok) {
        printf("\n  got %u entries:\n", m.nr);
        for (unsigned int i = 0; i < m.nr && i < E820MAX; i++)
            printf("    [%#llx, %#llx) %u\n", (unsigned long long)m.map[i].addr,
                   (unsigned long long)(m.map[i].addr + m.map[i].size), m.map[i].type);
    }
    return ok;
}

#define CHECK(in, out) do {                                                  \
        build(in, ARRAY_SIZE(in));                                           \
        CU_ASSERT_EQUAL(e820_sanitize(&m), 0);                               \
        CU_ASSERT_TRUE(same(out, ARRAY_SIZE(out)));                          \
    } while (0)

/* Is m sanitized (sorted, disjoint, merged, non-empty)? */
static bool sanitized(void)
{
    for (unsigned int i = 0; i < m.nr; i++) {
        if (!m.map[i].size)
            return false;
        if (i && m.map[i - 1].addr + m.map[i - 1].size > m.map[i].addr)
            return false;
        if (i && m.map[i - 1].addr + m.map[i - 1].size == m.map[i].addr &&
            m.map[i - 1].type == m.map[i].type)
            return false;
    }
    return true;
}

static void test_add(void)
{
    memset(&m, 0, sizeof(m));
    CU_ASSERT_EQUAL(e820_add(&m, 0, 0, E820_RAM), -EINVAL);
    CU_ASSERT_EQUAL(e820_add(&m, UINT64_MAX, 1, E820_RAM), -EINVAL);
    CU_ASSERT_EQUAL(e820_add(&m, 1, UINT64_MAX, E820_RAM), -EINVAL);
    CU_ASSERT_EQUAL(e820_add(&m, 0, UINT64_MAX, E820_RAM), 0);
    CU_ASSERT_EQUAL(e820_add(&m, UINT64_MAX - 10, 10, E820_RAM), 0);
    CU_ASSERT_EQUAL(m.nr, 2);
    for (unsigned int i = 2; i < E820MAX; i++)
        CU_ASSERT_EQUAL(e820_add(&m, i * 0x1000ull, 0x1000, 99), 0);
    CU_ASSERT_EQUAL(e820_add(&m, 0, 0x1000, E820_RAM), -ENOSPC);
    CU_ASSERT_EQUAL(m.nr, E820MAX);
    CU_ASSERT_EQUAL(m.map[5].type, 99);     /* kept as given until sanitized */
}

static void test_disjoint_unsorted(void)
{
    static const struct ent in[] = {
        { 0x100000, 0x8000000, E820_RAM },
        { 0, 0x9fc00, E820_RAM },
        { 0xf0000, 0x100000, E820_RESERVED },
        { 0x9fc00, 0xa0000, E820_RESERVED },
    };
    static const struct ent out[] = {
        { 0, 0x9fc00, E820_RAM },
        { 0x9fc00, 0xa0000, E820_RESERVED },
        { 0xf0000, 0x100000, E820_RESERVED },
        { 0x100000, 0x8000000, E820_RAM },
    };
    CHECK(in, out);
}

static void test_adjacent_merge(void)
{
    static const struct ent in[] = {
        { 0x3000, 0x4000, E820_RAM },
        { 0x1000, 0x2000, E820_RAM },
        { 0x2000, 0x3000, E820_RAM },
        { 0x4000, 0x5000, E820_ACPI },
        { 0x5000, 0x6000, E820_ACPI },
        { 0x6000, 0x7000, E820_RAM },
    };
    static const struct ent out[] = {
        { 0x1000, 0x4000, E820_RAM },
        { 0x4000, 0x6000, E820_ACPI },
        { 0x6000, 0x7000, E820_RAM },
    };
    CHECK(in, out);
}

static void test_same_type_overlap(void)
{
    static const struct ent in[] = {
        { 0x1000, 0x5000, E820_RAM },
        { 0x3000, 0x8000, E820_RAM },
        { 0x2000, 0x4000, E820_RAM },      /* nested */
        { 0x1000, 0x5000, E820_RAM },      /* duplicate */
    };
    static const struct ent out[] = { { 0x1000, 0x8000, E820_RAM } };
    CHECK(in, out);
}

static void test_reserved_inside_ram(void)
{
    static const struct ent in[] = {
        { 0, 0x10000, E820_RAM },
        { 0x4000, 0x5000, E820_RESERVED },
    };
    static const struct ent out[] = {
        { 0, 0x4000, E820_RAM },
        { 0x4000, 0x5000, E820_RESERVED },
        { 0x5000, 0x10000, E820_RAM },
    };
    CHECK(in, out);

    /* Same thing listed the other way round. */
    static const struct ent in2[] = {
        { 0x4000, 0x5000, E820_RESERVED },
        { 0, 0x10000, E820_RAM },
    };
    CHECK(in2, out);
}

static void test_ram_inside_reserved(void)
{
    static const struct ent in[] = {
        { 0, 0x10000, E820_RESERVED },
        { 0x4000, 0x5000, E820_RAM },
    };
    static const struct ent out[] = { { 0, 0x10000, E820_RESERVED } };
    CHECK(in, out);
}

static void test_partial_overlaps(void)
{
    /* RAM overlapping the start and the end of a reserved range. */
    static const struct ent in[] = {
        { 0x1000, 0x3000, E820_RAM },
        { 0x2000, 0x5000, E820_RESERVED },
        { 0x4000, 0x7000, E820_RAM },
    };
    static const struct ent out[] = {
        { 0x1000, 0x2000, E820_RAM },
        { 0x2000, 0x5000, E820_RESERVED },
        { 0x5000, 0x7000, E820_RAM },
    };
    CHECK(in, out);

    /* Same start, different ends; same end, different starts. */
    static const struct ent in2[] = {
        { 0x1000, 0x9000, E820_RAM },
        { 0x1000, 0x2000, E820_ACPI },
        { 0x8000, 0x9000, E820_NVS },
    };
    static const struct ent out2[] = {
        { 0x1000, 0x2000, E820_ACPI },
        { 0x2000, 0x8000, E820_RAM },
        { 0x8000, 0x9000, E820_NVS },
    };
    CHECK(in2, out2);

    /* Exactly equal ranges: the higher type wins. */
    static const struct ent in3[] = {
        { 0x1000, 0x2000, E820_NVS },
        { 0x1000, 0x2000, E820_ACPI },
        { 0x1000, 0x2000, E820_RAM },
    };
    static const struct ent out3[] = { { 0x1000, 0x2000, E820_NVS } };
    CHECK(in3, out3);
}

static void test_priority_chain(void)
{
    /* Nested ranges of every type: the innermost (highest) wins. */
    static const struct ent in[] = {
        { 0x0000, 0xa000, E820_RAM },
        { 0x1000, 0x9000, E820_RESERVED },
        { 0x2000, 0x8000, E820_ACPI },
        { 0x3000, 0x7000, E820_NVS },
        { 0x4000, 0x6000, E820_UNUSABLE },
    };
    static const struct ent out[] = {
        { 0x0000, 0x1000, E820_RAM },
        { 0x1000, 0x2000, E820_RESERVED },
        { 0x2000, 0x3000, E820_ACPI },
        { 0x3000, 0x4000, E820_NVS },
        { 0x4000, 0x6000, E820_UNUSABLE },
        { 0x6000, 0x7000, E820_NVS },
        { 0x7000, 0x8000, E820_ACPI },
        { 0x8000, 0x9000, E820_RESERVED },
        { 0x9000, 0xa000, E820_RAM },
    };
    CHECK(in, out);

    /* A lower non-RAM type does not override a higher one. */
    static const struct ent in2[] = {
        { 0x0000, 0x4000, E820_NVS },
        { 0x1000, 0x2000, E820_RESERVED },
    };
    static const struct ent out2[] = { { 0x0000, 0x4000, E820_NVS } };
    CHECK(in2, out2);
}

static void test_unknown_types(void)
{
    /* Kept as they are, never losing to RAM, higher number winning otherwise. */
    static const struct ent in[] = {
        { 0x0000, 0x5000, E820_RAM },
        { 0x1000, 0x2000, 7 },              /* persistent memory */
        { 0x1800, 0x2800, E820_RESERVED },
        { 0x3000, 0x4000, 0 },
        { 0x4000, 0x4800, 0 },              /* touching twin: merged */
        { 0x8000, 0x9000, 0xefffffff },
        { 0x8800, 0xa000, 0xf0 },
        { 0x9800, 0xa800, E820_ACPI },
    };
    static const struct ent out[] = {
        { 0x0000, 0x1000, E820_RAM },
        { 0x1000, 0x2000, 7 },
        { 0x2000, 0x2800, E820_RESERVED },
        { 0x2800, 0x3000, E820_RAM },
        { 0x3000, 0x4800, 0 },
        { 0x4800, 0x5000, E820_RAM },
        { 0x8000, 0x9000, 0xefffffff },
        { 0x9000, 0xa000, 0xf0 },
        { 0xa000, 0xa800, E820_ACPI },
    };
    CHECK(in, out);
}

static void test_holes_and_empty(void)
{
    memset(&m, 0, sizeof(m));
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);
    CU_ASSERT_EQUAL(m.nr, 0);

    /* Zero-sized entries written directly are dropped. */
    m.nr = 3;
    m.map[0] = (struct e820entry){ 0x1000, 0, E820_RAM };
    m.map[1] = (struct e820entry){ 0x5000, 0x1000, E820_RAM };
    m.map[2] = (struct e820entry){ 0x2000, 0, E820_RESERVED };
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);
    static const struct ent out[] = { { 0x5000, 0x6000, E820_RAM } };
    CU_ASSERT_TRUE(same(out, 1));

    /* A hole between two RAM ranges stays a hole. */
    static const struct ent in2[] = { { 0, 0x1000, E820_RAM }, { 0x2000, 0x3000, E820_RAM } };
    CHECK(in2, in2);

    /* Sanitizing twice changes nothing. */
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);
    CU_ASSERT_TRUE(same(in2, 2));
}

static void test_top_of_address_space(void)
{
    memset(&m, 0, sizeof(m));
    m.nr = 2;
    /* Written directly, wrapping: cut at 2^64 - 1. */
    m.map[0] = (struct e820entry){ UINT64_MAX - 0xfff, 0x2000, E820_RESERVED };
    m.map[1] = (struct e820entry){ 0, 0x1000, E820_RAM };
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);
    CU_ASSERT_EQUAL(m.nr, 2);
    CU_ASSERT_EQUAL(m.map[1].addr, UINT64_MAX - 0xfff);
    CU_ASSERT_EQUAL(m.map[1].size, 0xfff);
    CU_ASSERT_EQUAL(e820_end_of(&m, E820_RESERVED), UINT64_MAX);
}

static void test_full_table(void)
{
    /* 128 disjoint alternating entries: fits exactly. */
    memset(&m, 0, sizeof(m));
    for (unsigned int i = 0; i < E820MAX; i++)
        CU_ASSERT_EQUAL(e820_add(&m, i * 0x2000ull, 0x1000, i % 2 ? E820_RAM : E820_RESERVED), 0);
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);
    CU_ASSERT_EQUAL(m.nr, E820MAX);
    CU_ASSERT_TRUE(sanitized());

    /* 128 touching RAM entries collapse into one. */
    memset(&m, 0, sizeof(m));
    for (unsigned int i = 0; i < E820MAX; i++)
        CU_ASSERT_EQUAL(e820_add(&m, (E820MAX - 1 - i) * 0x1000ull, 0x1000, E820_RAM), 0);
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);
    CU_ASSERT_EQUAL(m.nr, 1);
    CU_ASSERT_EQUAL(m.map[0].size, E820MAX * 0x1000ull);

    /* One big RAM range with 127 reserved holes needs 255 entries: -ENOSPC, untouched. */
    memset(&m, 0, sizeof(m));
    CU_ASSERT_EQUAL(e820_add(&m, 0, 0x1000000, E820_RAM), 0);
    for (unsigned int i = 1; i < E820MAX; i++)
        CU_ASSERT_EQUAL(e820_add(&m, i * 0x2000ull, 0x1000, E820_RESERVED), 0);
    struct e820map before = m;
    CU_ASSERT_EQUAL(e820_sanitize(&m), -ENOSPC);
    CU_ASSERT_EQUAL(memcmp(&m, &before, sizeof(m)), 0);

    /* Corrupt nr beyond the array is clamped, not trusted. */
    memset(&m, 0, sizeof(m));
    m.nr = 1000;
    m.map[0] = (struct e820entry){ 0, 0x1000, E820_RAM };
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);
    CU_ASSERT_EQUAL(m.nr, 1);
    m.nr = 1000;
    CU_ASSERT_EQUAL(e820_total(&m, E820_RAM), 0x1000);
}

static void test_many_overlaps_random(void)
{
    /*
     * Pseudo-random overlapping entries, checked point by point against
     * the "highest type wins" rule on a small address grid.
     */
    uint32_t seed = 12345;
    for (int round = 0; round < 200; round++) {
        struct ent in[24];
        size_t n = 1 + round % 24;

        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            uint64_t a = (seed >> 8) % 64, b = (seed >> 16) % 64;
            if (a == b)
                b = a + 1;
            in[i].start = MIN(a, b) * 0x1000;
            in[i].end = MAX(a, b) * 0x1000;
            static const uint32_t types[] = { 0, 1, 1, 2, 3, 4, 5, 7, 0xf0 };
            in[i].type = types[(seed >> 24) % ARRAY_SIZE(types)];
        }
        build(in, n);
        CU_ASSERT_EQUAL_FATAL(e820_sanitize(&m), 0);
        CU_ASSERT_TRUE(sanitized());
        for (uint64_t pg = 0; pg < 66; pg++) {
            uint64_t pa = pg * 0x1000 + 0x800;
            /* Reference rule, with ~0 meaning "no entry here". */
            uint32_t want = ~0u, got = ~0u;
            for (size_t i = 0; i < n; i++)
                if (in[i].start <= pa && pa < in[i].end &&
                    (want == ~0u || want == E820_RAM || (in[i].type != E820_RAM && in[i].type > want)))
                    want = in[i].type;
            for (unsigned int i = 0; i < m.nr; i++)
                if (m.map[i].addr <= pa && pa < m.map[i].addr + m.map[i].size)
                    got = m.map[i].type;
            CU_ASSERT_EQUAL(got, want);
        }
    }
}

static void test_change_type(void)
{
    static const struct ent in[] = {
        { 0, 0x9f000, E820_RAM },
        { 0x9f000, 0x100000, E820_RESERVED },
        { 0x100000, 0x10000000, E820_RAM },
    };

    /* Carve a module out of the middle of RAM. */
    build(in, ARRAY_SIZE(in));
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x200000, 0x300000, E820_RAM, E820_RESERVED), 0);
    static const struct ent out1[] = {
        { 0, 0x9f000, E820_RAM },
        { 0x9f000, 0x100000, E820_RESERVED },
        { 0x100000, 0x200000, E820_RAM },
        { 0x200000, 0x300000, E820_RESERVED },
        { 0x300000, 0x10000000, E820_RAM },
    };
    CU_ASSERT_TRUE(same(out1, ARRAY_SIZE(out1)));

    /* Retype a range spanning several entries: only the RAM parts change, and merge. */
    build(in, ARRAY_SIZE(in));
    CU_ASSERT_EQUAL(e820_change_type(&m, 0, 0x200000, E820_RAM, E820_RESERVED), 0);
    static const struct ent out2[] = {
        { 0, 0x200000, E820_RESERVED },
        { 0x200000, 0x10000000, E820_RAM },
    };
    CU_ASSERT_TRUE(same(out2, ARRAY_SIZE(out2)));

    /* Wrong old type or empty range: nothing happens. */
    build(in, ARRAY_SIZE(in));
    CU_ASSERT_EQUAL(e820_change_type(&m, 0, 0x100000, E820_ACPI, E820_RAM), 0);
    CU_ASSERT_TRUE(same(in, ARRAY_SIZE(in)));
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x5000, 0x5000, E820_RAM, E820_RESERVED), 0);
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x6000, 0x5000, E820_RAM, E820_RESERVED), 0);
    CU_ASSERT_TRUE(same(in, ARRAY_SIZE(in)));

    /* Retype the beginning and the end of an entry. */
    build(in, ARRAY_SIZE(in));
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x100000, 0x180000, E820_RAM, E820_RESERVED), 0);
    CU_ASSERT_EQUAL(e820_change_type(&m, 0xff00000, 0x20000000, E820_RAM, E820_UNUSABLE), 0);
    static const struct ent out3[] = {
        { 0, 0x9f000, E820_RAM },
        { 0x9f000, 0x180000, E820_RESERVED },
        { 0x180000, 0xff00000, E820_RAM },
        { 0xff00000, 0x10000000, E820_UNUSABLE },
    };
    CU_ASSERT_TRUE(same(out3, ARRAY_SIZE(out3)));

    /* Private types (as the hypervisor's boot allocator uses) survive later calls. */
    build(in, ARRAY_SIZE(in));
    CU_ASSERT_EQUAL(e820_change_type(&m, 0, 0x100000, E820_RAM, 0xf0), 0);
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x100000, 0x200000, E820_RAM, 0xf0), 0);
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x400000, 0x500000, E820_RAM, 0xf1), 0);
    CU_ASSERT_EQUAL(e820_change_type(&m, 0xfff000, 0x1000000, E820_RAM, 0xf0), 0);
    static const struct ent out6[] = {
        { 0, 0x9f000, 0xf0 },
        { 0x9f000, 0x100000, E820_RESERVED },
        { 0x100000, 0x200000, 0xf0 },
        { 0x200000, 0x400000, E820_RAM },
        { 0x400000, 0x500000, 0xf1 },
        { 0x500000, 0xfff000, E820_RAM },
        { 0xfff000, 0x1000000, 0xf0 },
        { 0x1000000, 0x10000000, E820_RAM },
    };
    CU_ASSERT_TRUE(same(out6, ARRAY_SIZE(out6)));
    CU_ASSERT_TRUE(e820_all_of_type(&m, 0x400000, 0x500000, 0xf1));
    CU_ASSERT_EQUAL(e820_total(&m, 0xf0), 0x9f000 + 0x100000 + 0x1000);
    /* ... and can be given back. */
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x400000, 0x500000, 0xf1, E820_RAM), 0);
    CU_ASSERT_TRUE(e820_all_of_type(&m, 0x200000, 0xfff000, E820_RAM));

    /* Reserved back to RAM: merges with both neighbours. */
    build(in, ARRAY_SIZE(in));
    CU_ASSERT_EQUAL(e820_change_type(&m, 0, UINT64_MAX, E820_RESERVED, E820_RAM), 0);
    static const struct ent out4[] = { { 0, 0x10000000, E820_RAM } };
    CU_ASSERT_TRUE(same(out4, 1));

    /* Unsanitized input is sanitized first. */
    static const struct ent messy[] = {
        { 0x4000, 0x8000, E820_RAM },
        { 0x0000, 0x5000, E820_RAM },
    };
    build(messy, ARRAY_SIZE(messy));
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x1000, 0x2000, E820_RAM, E820_RESERVED), 0);
    static const struct ent out5[] = {
        { 0x0000, 0x1000, E820_RAM },
        { 0x1000, 0x2000, E820_RESERVED },
        { 0x2000, 0x8000, E820_RAM },
    };
    CU_ASSERT_TRUE(same(out5, ARRAY_SIZE(out5)));
}

static void test_change_type_full(void)
{
    /* A full sanitized map: splitting one entry in three overflows. */
    memset(&m, 0, sizeof(m));
    for (unsigned int i = 0; i < E820MAX; i++)
        CU_ASSERT_EQUAL(e820_add(&m, i * 0x10000ull, 0x8000, i % 2 ? E820_RAM : E820_RESERVED), 0);
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);
    struct e820map before = m;
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x11000, 0x12000, E820_RAM, E820_RESERVED), -ENOSPC);
    CU_ASSERT_EQUAL(memcmp(&m, &before, sizeof(m)), 0);
    /* Retyping a whole entry needs no room. */
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x10000, 0x18000, E820_RAM, E820_ACPI), 0);
    CU_ASSERT_EQUAL(m.nr, E820MAX);
    CU_ASSERT_EQUAL(m.map[1].type, E820_ACPI);
    /* Splitting off one end adds one entry, which still does not fit. */
    CU_ASSERT_EQUAL(e820_change_type(&m, 0x30000, 0x31000, E820_RAM, E820_ACPI), -ENOSPC);
}

static void test_queries(void)
{
    static const struct ent in[] = {
        { 0, 0x9f000, E820_RAM },
        { 0x9f000, 0x100000, E820_RESERVED },
        { 0x100000, 0x10000000, E820_RAM },
        { 0xfec00000, 0xfec01000, E820_RESERVED },
        { 0x100000000, 0x140000000, E820_RAM },
    };
    build(in, ARRAY_SIZE(in));
    CU_ASSERT_EQUAL(e820_sanitize(&m), 0);

    CU_ASSERT_EQUAL(e820_total(&m, E820_RAM), 0x9f000 + 0xff00000 + 0x40000000ull);
    CU_ASSERT_EQUAL(e820_total(&m, E820_RESERVED), 0x61000 + 0x1000);
    CU_ASSERT_EQUAL(e820_total(&m, E820_NVS), 0);
    CU_ASSERT_EQUAL(e820_end_of(&m, E820_RAM), 0x140000000ull);
    CU_ASSERT_EQUAL(e820_end_of(&m, E820_RESERVED), 0xfec01000ull);
    CU_ASSERT_EQUAL(e820_end_of(&m, E820_ACPI), 0);

    CU_ASSERT_TRUE(e820_all_of_type(&m, 0x200000, 0x300000, E820_RAM));
    CU_ASSERT_TRUE(e820_all_of_type(&m, 0x100000, 0x10000000, E820_RAM));
    CU_ASSERT_TRUE(e820_all_of_type(&m, 0, 0x9f000, E820_RAM));
    CU_ASSERT_FALSE(e820_all_of_type(&m, 0, 0x9f001, E820_RAM));
    CU_ASSERT_FALSE(e820_all_of_type(&m, 0x90000, 0x200000, E820_RAM));
    CU_ASSERT_FALSE(e820_all_of_type(&m, 0xfff0000, 0x10001000, E820_RAM)); /* runs into a hole */
    CU_ASSERT_FALSE(e820_all_of_type(&m, 0x20000000, 0x20001000, E820_RAM));
    CU_ASSERT_TRUE(e820_all_of_type(&m, 0x9f000, 0x100000, E820_RESERVED));
    CU_ASSERT_TRUE(e820_all_of_type(&m, 0x5000, 0x5000, E820_ACPI));       /* empty range */

    /* Touching same-type entries in an unsanitized map still count as covered. */
    static const struct ent split[] = {
        { 0x2000, 0x3000, E820_RAM },
        { 0x1000, 0x2000, E820_RAM },
    };
    build(split, ARRAY_SIZE(split));
    CU_ASSERT_TRUE(e820_all_of_type(&m, 0x1000, 0x3000, E820_RAM));

    CU_ASSERT_STRING_EQUAL(e820_type_name(E820_RAM), "RAM");
    CU_ASSERT_STRING_EQUAL(e820_type_name(E820_RESERVED), "RESERVED");
    CU_ASSERT_STRING_EQUAL(e820_type_name(E820_ACPI), "ACPI");
    CU_ASSERT_STRING_EQUAL(e820_type_name(E820_NVS), "ACPI NVS");
    CU_ASSERT_STRING_EQUAL(e820_type_name(E820_UNUSABLE), "UNUSABLE");
    CU_ASSERT_STRING_EQUAL(e820_type_name(0), "UNKNOWN");
    CU_ASSERT_STRING_EQUAL(e820_type_name(7), "UNKNOWN");
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "add", test_add },
        { "disjoint unsorted", test_disjoint_unsorted },
        { "adjacent merge", test_adjacent_merge },
        { "same-type overlap", test_same_type_overlap },
        { "reserved inside RAM", test_reserved_inside_ram },
        { "RAM inside reserved", test_ram_inside_reserved },
        { "partial overlaps", test_partial_overlaps },
        { "type priority", test_priority_chain },
        { "unknown types", test_unknown_types },
        { "holes and empty entries", test_holes_and_empty },
        { "top of address space", test_top_of_address_space },
        { "full table", test_full_table },
        { "random overlaps", test_many_overlaps_random },
        { "change_type", test_change_type },
        { "change_type on a full map", test_change_type_full },
        { "queries", test_queries },
        { NULL, NULL },
    };
    unit_add_suite("e820", cases);
}
