// UNIT-SOURCES: hypervisor/arch/x86/pv/desc_check.c
/* SPDX-License-Identifier: MIT */
/*
 * The guest descriptor rule (Xen check_descriptor() for 64-bit PV): Linux's
 * own GDT entries, DPL fix-ups, every system type, call-gate targets and
 * reserved bits, whole-page validation that leaves a refused page alone,
 * and a property sweep over pseudo-random descriptors.
 */
#include "unit.h"
#include "xeno/errno.h"
#include "xeno/pv_desc.h"

#include <stdio.h>
#include <string.h>

/* Flat segment: Linux GDT_ENTRY_INIT(flags, 0, 0xfffff), e.g. 0xa09b. */
static uint64_t flat(uint16_t flags)
{
    uint64_t access = flags & 0xff, hi = (flags >> 12) & 0xf;
    return 0xffffULL | (access << 40) | (0xfULL << 48) | (hi << 52);
}

/* Low 8 bytes of a 64-bit call gate (type 12). */
static uint64_t gate(uint16_t sel, uint32_t off, unsigned int dpl, bool present)
{
    uint64_t access = 0x0c | (dpl << 5) | (present ? 0x80 : 0);
    return (off & 0xffffULL) | ((uint64_t)sel << 16) | (access << 40) | ((uint64_t)(off >> 16) << 48);
}

static unsigned int dpl_of(uint64_t d) { return (d >> 45) & 3; }
static unsigned int type_of(uint64_t d) { return (d >> 40) & 0xf; }

static bool accepts(uint64_t in, uint64_t *out)
{
    uint64_t d = in;
    bool ok = pv_check_descriptor(&d);
    if (out)
        *out = d;
    if (!ok)
        CU_ASSERT_EQUAL(d, in);     /* a refusal never modifies */
    return ok;
}

static void test_not_present(void)
{
    const uint64_t in[] = {
        0, 0xffffffffffff7fffULL, flat(0x0089) & ~(1ULL << 47),
        flat(0x001b), gate(0xe008, 0x1234, 0, false),
    };
    for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
        uint64_t out;
        CU_ASSERT_TRUE(accepts(in[i], &out));
        CU_ASSERT_EQUAL(out, in[i]);
    }
}

/* Linux 6.1 arch/x86/kernel/cpu/common.c gdt_page, 64-bit. */
static void test_linux_gdt(void)
{
    static const struct { uint16_t flags, want; } e[] = {
        { 0xc09b, 0xc0fb },     /* KERNEL32_CS */
        { 0xa09b, 0xa0fb },     /* KERNEL_CS: DPL 0 -> 3 */
        { 0xc093, 0xc0f3 },     /* KERNEL_DS */
        { 0xc0fb, 0xc0fb },     /* USER32_CS */
        { 0xc0f3, 0xc0f3 },     /* USER_DS */
        { 0xa0fb, 0xa0fb },     /* USER_CS */
        { 0x40f5, 0x40f5 },     /* CPUNODE: read-only data, DPL 3 */
    };
    for (size_t i = 0; i < ARRAY_SIZE(e); i++) {
        uint64_t out;
        CU_ASSERT_TRUE(accepts(flat(e[i].flags), &out));
        CU_ASSERT_EQUAL(out, flat(e[i].want));
    }
    CU_ASSERT_EQUAL(flat(0xa09b), 0x00af9b000000ffffULL);    /* helper sanity */
}

static void test_code_data_dpl(void)
{
    /* Every S=1 type, every DPL: accepted with DPL 3, nothing else changed. */
    for (unsigned int type = 0; type < 16; type++)
        for (unsigned int dpl = 0; dpl < 4; dpl++) {
            uint64_t in = 0x125678abcdULL | ((uint64_t)(0x90 | (dpl << 5) | type) << 40) |
                          (0xfULL << 52) | (0x9aULL << 56), out;
            CU_ASSERT_TRUE(accepts(in, &out));
            CU_ASSERT_EQUAL(out, in | (3ULL << 45));
        }
}

static void test_system_types(void)
{
    for (unsigned int type = 0; type < 16; type++)
        for (unsigned int dpl = 0; dpl < 4; dpl++) {
            uint64_t in = 0x0000000000001234ULL | (0x0010ULL << 16) |
                          ((uint64_t)(0x80 | (dpl << 5) | type) << 40), out;
            bool ok = accepts(in, &out);
            if (type == 0) {
                CU_ASSERT_TRUE(ok);
                CU_ASSERT_EQUAL(out, in);       /* kept as is, DPL included */
            } else if (type == 12) {
                CU_ASSERT_TRUE(ok);             /* call gate to 0x10: fine */
            } else {
                CU_ASSERT_FALSE(ok);            /* TSS, LDT, int/trap/task gates, 16-bit */
            }
        }
}

static void test_call_gate_targets(void)
{
    static const struct { uint16_t sel; bool ok; } t[] = {
        { 0x0010, true }, { 0x0013, true }, { 0xdffb, true },   /* guest GDT, index < 7168 */
        { 0xe000, false }, { 0xe008, false }, { 0xe010, false }, /* hypervisor's own */
        { 0xe02b, false }, { 0xe023, false }, { 0xe040, false },
        { 0xe033, true },                                        /* FLAT_KERNEL_CS exactly */
        { 0xe030, false }, { 0xe032, false },
        { 0xe00c, true }, { 0xfffc, true }, { 0x0004, true },    /* LDT selectors */
        { 0xfff8, false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(t); i++)
        for (unsigned int dpl = 0; dpl < 4; dpl++) {
            uint64_t in = gate(t[i].sel, 0xdeadbeef, dpl, true), out;
            bool ok = accepts(in, &out);
            CU_ASSERT_EQUAL(ok, t[i].ok);
            if (!ok || !t[i].ok)
                continue;
            /* DPL 0 stored, selector RPL 3 (the fixed-up DPL), offset kept. */
            CU_ASSERT_EQUAL(dpl_of(out), 0);
            CU_ASSERT_EQUAL(type_of(out), 12);
            CU_ASSERT_EQUAL((out >> 16) & 0xffff, (uint64_t)(t[i].sel | 3));
            CU_ASSERT_EQUAL(out & ~(0xffffULL << 16) & ~(3ULL << 45),
                            in & ~(0xffffULL << 16) & ~(3ULL << 45));
        }
}

static void test_call_gate_reserved(void)
{
    for (unsigned int bit = 0; bit < 8; bit++) {
        uint64_t in = gate(0x10, 0x1000, 3, true) | (1ULL << (32 + bit));
        CU_ASSERT_FALSE(accepts(in, NULL));
    }
    /* Bits outside the reserved byte of the high word are the offset. */
    CU_ASSERT_TRUE(accepts(gate(0x10, 0xffffffff, 3, true), NULL));
}

static void test_page_ok_rewrites(void)
{
    static uint64_t page[DESCS_PER_PAGE];
    memset(page, 0, sizeof(page));
    page[1] = flat(0xc09b);
    page[2] = flat(0xa09b);
    page[3] = flat(0xc093);
    page[6] = flat(0xa0fb);
    page[100] = gate(0x10, 0x4000, 3, true);
    page[101] = 0x00000000ffffffffULL;          /* gate's upper half */
    page[511] = flat(0xc0f3);
    CU_ASSERT_EQUAL(pv_check_desc_page(page), 0);
    CU_ASSERT_EQUAL(page[0], 0);
    CU_ASSERT_EQUAL(page[1], flat(0xc0fb));
    CU_ASSERT_EQUAL(page[2], flat(0xa0fb));
    CU_ASSERT_EQUAL(page[3], flat(0xc0f3));
    CU_ASSERT_EQUAL(page[6], flat(0xa0fb));
    CU_ASSERT_EQUAL(dpl_of(page[100]), 0);
    CU_ASSERT_EQUAL(page[101], 0x00000000ffffffffULL);
    CU_ASSERT_EQUAL(page[511], flat(0xc0f3));
    /* Validating again changes nothing (a kept-validated frame is stable). */
    uint64_t copy[DESCS_PER_PAGE];
    memcpy(copy, page, sizeof(copy));
    CU_ASSERT_EQUAL(pv_check_desc_page(page), 0);
    CU_ASSERT_EQUAL(memcmp(copy, page, sizeof(copy)), 0);
}

static void test_page_refused_untouched(void)
{
    static const unsigned int bad_at[] = { 0, 7, 511 };
    static uint64_t page[DESCS_PER_PAGE], copy[DESCS_PER_PAGE];
    for (size_t k = 0; k < ARRAY_SIZE(bad_at); k++) {
        for (unsigned int i = 0; i < DESCS_PER_PAGE; i++)
            page[i] = flat(i & 1 ? 0xa09b : 0xc093);        /* all would be rewritten */
        page[bad_at[k]] = 0x0000890000000067ULL;             /* a present TSS */
        memcpy(copy, page, sizeof(copy));
        CU_ASSERT_EQUAL(pv_check_desc_page(page), -EINVAL);
        CU_ASSERT_EQUAL(memcmp(copy, page, sizeof(copy)), 0);
    }
}

/* Whatever is accepted can only be: not present, DPL-3 code/data, system
 * type 0, or a DPL-0 call gate to an allowed selector; and the rule is
 * idempotent. */
static void test_property_sweep(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    unsigned int accepted = 0;
    for (unsigned int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t in = x, out;
        if (i & 1)
            in |= 1ULL << 47;                   /* present half the time */
        if (!accepts(in, &out))
            continue;
        accepted++;
        uint64_t again = out;
        CU_ASSERT_TRUE_FATAL(pv_check_descriptor(&again));
        CU_ASSERT_EQUAL_FATAL(again, out);
        if (!(out & (1ULL << 47)))
            continue;
        if (out & (1ULL << 44)) {
            CU_ASSERT_EQUAL_FATAL(dpl_of(out), 3);
        } else if (type_of(out) != 0) {
            CU_ASSERT_EQUAL_FATAL(type_of(out), 12);
            CU_ASSERT_EQUAL_FATAL(dpl_of(out), 0);
            CU_ASSERT_EQUAL_FATAL((out >> 32) & 0xff, 0);
        }
    }
    CU_ASSERT_TRUE(accepted > 100000);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "not present: accepted as is", test_not_present },
        { "Linux 6.1 GDT entries", test_linux_gdt },
        { "code/data: DPL raised to 3", test_code_data_dpl },
        { "system types: only 0 and call gates", test_system_types },
        { "call gate targets", test_call_gate_targets },
        { "call gate reserved bits", test_call_gate_reserved },
        { "page: accepted and fixed up", test_page_ok_rewrites },
        { "page: refused and untouched", test_page_refused_untouched },
        { "property sweep", test_property_sweep },
        { NULL, NULL },
    };
    unit_add_suite("desc_check", cases);
}
