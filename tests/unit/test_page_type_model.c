// UNIT-SOURCES: hypervisor/mm/page_type.c
/* SPDX-License-Identifier: MIT */
/*
 * PV MMU rules against an independent reference model. Random mod_entry,
 * pin/unpin, ptwr and get/put_page_and_type operations run on a small pool
 * of DOM_A frames. After every successful operation the model recomputes,
 * from the memory contents and the roots (pins, held type references)
 * alone, which frames are validated tables and what every frame's general
 * and type counts must be, and checks that no frame is needed as two types
 * at once (a writable page table) and that every installed entry obeys the
 * flag rules. After every failed operation the frame table and the pool's
 * memory must be unchanged. Teardown must bring every count back to zero.
 */
#include <stdio.h>

#include "page_type_fixture.h"
#include "unit.h"

#define E (&fm.env)
#define POOL_FIRST A_FIRST
#define POOL_N     40UL
#define STEPS      4000
#define MAX_HOLDS  64

static uint64_t rng_state;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned long below(unsigned long n)
{
    return (unsigned long)(rng() % n);
}

static bool chance(unsigned int percent)
{
    return below(100) < percent;
}

/* What the test itself knows: pins and held references it obtained. */
static unsigned int pinned_level[FAKE_NF];
static struct { unsigned long mfn; uint64_t type; } holds[MAX_HOLDS];
static unsigned int nr_holds;

static unsigned long pool_frame(void)
{
    return POOL_FIRST + below(POOL_N);
}

static unsigned long target_frame(void)
{
    static const unsigned long others[] = {
        B_FIRST, B_FIRST + 1, 9, 2, FAKE_NF + 1, FAKE_NF + 100, FREE_FIRST, XENHEAP_MFN,
    };
    return chance(80) ? pool_frame() : others[below(ARRAY_SIZE(others))];
}

/* A pool frame that is a validated table (of `level`, or any level if 0);
 * a random pool frame if there is none. */
static unsigned long pool_table(unsigned int level)
{
    unsigned long c[POOL_N], n = 0;
    for (unsigned long m = POOL_FIRST; m < POOL_FIRST + POOL_N; m++) {
        unsigned int l = page_pt_level(E, m);
        if (l && (!level || l == level))
            c[n++] = m;
    }
    return n ? c[below(n)] : pool_frame();
}

/* A pool frame that could take type `type` right now (unused, or in use as
 * that type); a random pool frame if there is none. */
static unsigned long pool_typable(uint64_t type)
{
    unsigned long c[POOL_N], n = 0;
    for (unsigned long m = POOL_FIRST; m < POOL_FIRST + POOL_N; m++)
        if (!tcount(m) || ttype(m) == type)
            c[n++] = m;
    return n ? c[below(n)] : pool_frame();
}

/* An entry for a table of `level` (0: unknown), mostly plausible. */
static uint64_t gen_entry(unsigned int level)
{
    if (chance(15))
        return rng() & ~(uint64_t)_PAGE_PRESENT;
    uint64_t f = _PAGE_PRESENT;
    f |= chance(50) ? _PAGE_RW : 0;
    f |= chance(80) ? _PAGE_USER : 0;
    f |= chance(25) ? _PAGE_ACCESSED : 0;
    f |= chance(25) ? _PAGE_DIRTY : 0;
    f |= chance(12) ? _PAGE_NX : 0;
    f |= chance(4) ? _PAGE_PSE : 0;
    f |= chance(3) ? _PAGE_GLOBAL : 0;
    f |= chance(3) ? _PAGE_PCD : 0;
    f |= chance(2) ? _PAGE_GNTTAB : 0;
    f |= chance(3) ? (1ULL << 55) : 0;
    unsigned long t = target_frame();
    if (level >= 2 && chance(60))
        t = pool_typable(PGT_pt_type(level - 1));
    else if (level == 1 && (f & _PAGE_RW) && chance(60))
        t = pool_typable(PGT_writable_page);
    return pte(t, f);
}

static unsigned int gen_index(void)
{
    static const unsigned int idx[] = { 0, 1, 2, 3, 4, 5, 255, 256, 270, 271, 272, 511 };
    return idx[below(ARRAY_SIZE(idx))];
}

/* ---------------- the reference model ---------------- */

static uint64_t exp_g[FAKE_NF], exp_t[FAKE_NF], need[FAKE_NF];
static unsigned int vlevel[FAKE_NF];
static unsigned long work[FAKE_NF];
static unsigned int nr_work;
static char why[256];

#define FAIL(...) do { snprintf(why, sizeof(why), __VA_ARGS__); return false; } while (0)

static bool use_as(unsigned long mfn, uint64_t type)
{
    if (need[mfn] && need[mfn] != type)
        FAIL("frame %lu needed as type %llx and %llx", mfn,
             (unsigned long long)need[mfn], (unsigned long long)type);
    need[mfn] = type;
    return true;
}

static bool root(unsigned long mfn, uint64_t type)
{
    exp_g[mfn]++;
    exp_t[mfn]++;
    if (!use_as(mfn, type))
        return false;
    if (type >= PGT_l1_page_table && type <= PGT_l4_page_table && !vlevel[mfn]) {
        vlevel[mfn] = (unsigned int)(type >> PGT_TYPE_SHIFT);
        work[nr_work++] = mfn;
    }
    return true;
}

static bool is_domain_ram(unsigned long mfn, uint32_t dom)
{
    return mfn < FAKE_NF && fm.frames[mfn].owner == dom &&
           !(fm.frames[mfn].count_info & (PGC_free | PGC_reserved));
}

static bool entry_ok(unsigned long table, unsigned int level, unsigned int i, uint64_t e)
{
    unsigned long t = pte_mfn(e);
    /* All tables are DOM_A's, which may choose cache attributes in L1s. */
    uint64_t bad = level == 1 ? _PAGE_GNTTAB : (_PAGE_PSE | _PAGE_GLOBAL | _PAGE_PCD | _PAGE_PWT);
    if (!(e & _PAGE_USER) || (e & bad))
        FAIL("L%u %lu[%u] = %llx has bad flags", level, table, i, (unsigned long long)e);
    if (level == 4 && !(e & _PAGE_ACCESSED))
        FAIL("L4 %lu[%u] lacks A", table, i);

    if (level > 1) {
        if (!is_domain_ram(t, DOM_A))
            FAIL("L%u %lu[%u] points at foreign/IO frame %lu", level, table, i, t);
        exp_g[t]++;
        exp_t[t]++;
        if (!use_as(t, PGT_pt_type(level - 1)))
            return false;
        if (!vlevel[t]) {
            vlevel[t] = level - 1;
            work[nr_work++] = t;
        }
        return true;
    }
    if (t >= FAKE_NF || (fm.frames[t].count_info & PGC_reserved)) {
        if (!fake_iomem_allowed(NULL, DOM_A, t))
            FAIL("L1 %lu[%u] maps forbidden I/O frame %lu", table, i, t);
        if (!(e & _PAGE_PCD) && !(e & _PAGE_PAT))
            FAIL("L1 %lu[%u] maps I/O frame %lu cacheable", table, i, t);
        return true;
    }
    if (!is_domain_ram(t, DOM_A) && !is_domain_ram(t, DOM_B))
        FAIL("L1 %lu[%u] maps unowned frame %lu", table, i, t);
    if ((e & PAGE_CACHE_ATTRS) && (fm.frames[t].count_info & PGC_xen_heap))
        FAIL("L1 %lu[%u] maps the xen heap frame uncached", table, i);
    exp_g[t]++;
    if (e & _PAGE_RW) {
        exp_t[t]++;
        return use_as(t, PGT_writable_page);
    }
    return true;
}

static bool model_check(void)
{
    memset(exp_g, 0, sizeof(exp_g));
    memset(exp_t, 0, sizeof(exp_t));
    memset(need, 0, sizeof(need));
    memset(vlevel, 0, sizeof(vlevel));
    nr_work = 0;

    for (unsigned long m = 0; m < FAKE_NF; m++)
        if (pinned_level[m] && !root(m, PGT_pt_type(pinned_level[m])))
            return false;
    for (unsigned int h = 0; h < nr_holds; h++)
        if (!root(holds[h].mfn, holds[h].type))
            return false;

    while (nr_work) {
        unsigned long f = work[--nr_work];
        unsigned int level = vlevel[f];
        for (unsigned int i = 0; i < PTE_ENTRIES; i++) {
            uint64_t e = fm.mem[f][i];
            if (level == 4 && i >= L4_XEN_SLOT_FIRST && i <= L4_XEN_SLOT_LAST) {
                if ((e & ~(uint64_t)(_PAGE_ACCESSED | _PAGE_DIRTY)) != XEN_SLOT_VAL(i))
                    FAIL("L4 %lu slot %u not filled", f, i);
                continue;
            }
            if ((e & _PAGE_PRESENT) && !entry_ok(f, level, i, e))
                return false;
        }
    }

    for (unsigned long m = 0; m < FAKE_NF; m++) {
        if (gcount(m) != exp_g[m])
            FAIL("frame %lu general count %llu, model %llu", m,
                 (unsigned long long)gcount(m), (unsigned long long)exp_g[m]);
        if (tcount(m) != exp_t[m])
            FAIL("frame %lu type count %llu, model %llu", m,
                 (unsigned long long)tcount(m), (unsigned long long)exp_t[m]);
        if (tpinned(m) != (pinned_level[m] != 0))
            FAIL("frame %lu pinned bit wrong", m);
        if (exp_t[m] && (ttype(m) != need[m] || !tvalid(m)))
            FAIL("frame %lu type %llx, model %llx", m,
                 (unsigned long long)ttype(m), (unsigned long long)need[m]);
        bool pt = ttype(m) >= PGT_l1_page_table && ttype(m) <= PGT_l4_page_table;
        if (!exp_t[m] && pt && tvalid(m))
            FAIL("frame %lu: unused page table still validated", m);
        if (fm.frames[m]._rsvd[1])
            FAIL("frame %lu: pending commit left behind", m);
    }
    return true;
}

/* ---------------- the random walk ---------------- */

enum { OP_MOD, OP_PIN, OP_UNPIN, OP_PTWR, OP_HOLD, OP_DROP, OP_SCRUB, OP_AD, NR_OPS };

static unsigned int ok_ops[NR_OPS], failed_ops[NR_OPS];
static unsigned int l4_pins, deep_mods;

static int do_op(int op)
{
    unsigned long m = pool_frame();
    switch (op) {
    case OP_MOD: {
        unsigned long table = chance(35) ? pool_table(2 + (unsigned int)below(3))
                            : chance(55) ? pool_table(0) : chance(90) ? m : target_frame();
        unsigned int level = table < FAKE_NF ? page_pt_level(E, table) : 0;
        uint32_t pg_owner = chance(85) ? DOM_A : chance(70) ? DOM_B : DOMID_IO;
        int rc = mod_entry(E, DOM_A, pg_owner, table, gen_index(), gen_entry(level), chance(30));
        if (!rc && table < FAKE_NF && page_pt_level(E, table) >= 2)
            deep_mods++;
        return rc;
    }
    case OP_PIN: {
        unsigned int level = 1 + (unsigned int)below(4);
        if (chance(40)) {
            m = pool_table(0);
            level = page_pt_level(E, m) ? page_pt_level(E, m) : level;
        }
        int rc = pin_table(E, DOM_A, m, level);
        if (!rc) {
            pinned_level[m] = level;
            l4_pins += level == 4;
        }
        return rc;
    }
    case OP_UNPIN: {
        if (chance(70))
            for (unsigned int tries = 0; tries < 20 && !pinned_level[m]; tries++)
                m = pool_frame();
        int rc = unpin_table(E, DOM_A, m);
        if (!rc)
            pinned_level[m] = 0;
        return rc;
    }
    case OP_PTWR: {
        unsigned int i = gen_index();
        if (chance(80))
            m = pool_table(1);
        uint64_t cur = fm.mem[m][i], seen;
        uint64_t expected = chance(70) ? cur : rng();
        return ptwr_emulated_update(E, DOM_A, m, i, gen_entry(1), expected, chance(50), &seen);
    }
    case OP_HOLD: {
        if (nr_holds == MAX_HOLDS)
            return -ENOSPC;
        uint64_t type = chance(80) ? PGT_pt_type(1 + below(4)) : PGT_writable_page;
        int rc = get_page_and_type(E, m, DOM_A, type);
        if (!rc) {
            holds[nr_holds].mfn = m;
            holds[nr_holds++].type = type;
        }
        return rc;
    }
    case OP_DROP: {
        if (!nr_holds)
            return -ENOENT;
        unsigned int h = (unsigned int)below(nr_holds);
        put_page_and_type(E, holds[h].mfn);
        holds[h] = holds[--nr_holds];
        return 0;
    }
    case OP_SCRUB:
        /* The guest clearing a frame it may write (not a table in use), as
         * Linux does before turning a page into a page table. */
        if (tcount(m) && ttype(m) != PGT_writable_page)
            return -EBUSY;
        memset(fm.mem[m], 0, sizeof(fm.mem[m]));
        return 0;
    default: {
        /* The CPU setting A/D in a live table: must not disturb anything. */
        unsigned int i = gen_index();
        if (page_is_pt(E, m) && (fm.mem[m][i] & _PAGE_PRESENT))
            fm.mem[m][i] |= _PAGE_ACCESSED | (chance(50) ? _PAGE_DIRTY : 0);
        return 0;
    }
    }
}

static int pick_op(void)
{
    unsigned long r = below(100);
    if (r < 45) return OP_MOD;
    if (r < 58) return OP_PIN;
    if (r < 68) return OP_UNPIN;
    if (r < 83) return OP_PTWR;
    if (r < 90) return OP_HOLD;
    if (r < 95) return OP_DROP;
    if (r < 98) return OP_SCRUB;
    return OP_AD;
}

static void run_seed(uint64_t seed)
{
    fake_reset();
    rng_state = seed;
    memset(pinned_level, 0, sizeof(pinned_level));
    nr_holds = 0;

    for (int step = 0; step < STEPS; step++) {
        struct fake_snapshot s;
        int op = pick_op();
        snap_take(&s, POOL_FIRST, POOL_FIRST + POOL_N);
        int rc = do_op(op);
        if (rc) {
            failed_ops[op]++;
            if (!snap_same(&s)) {
                fprintf(stderr, "seed %llu step %d op %d failed (%d) but changed state\n",
                        (unsigned long long)seed, step, op, rc);
                CU_FAIL_FATAL("failed operation left a trace");
            }
            continue;
        }
        free(s.mem);
        ok_ops[op]++;
        if (!model_check()) {
            fprintf(stderr, "seed %llu step %d op %d: %s\n", (unsigned long long)seed, step, op, why);
            CU_FAIL_FATAL("implementation disagrees with the model");
        }
        CU_ASSERT_EQUAL_FATAL(fm.maps, 0);
        CU_ASSERT_EQUAL_FATAL(fm.warns, 0);
    }

    while (nr_holds)
        put_page_and_type(E, holds[--nr_holds].mfn);
    for (unsigned long m = 0; m < FAKE_NF; m++)
        if (pinned_level[m]) {
            CU_ASSERT_EQUAL(unpin_table(E, DOM_A, m), 0);
            pinned_level[m] = 0;
        }
    CU_ASSERT(all_counts_zero());
    CU_ASSERT_EQUAL(fm.warns, 0);
    CU_ASSERT_EQUAL(fm.maps, 0);
    fake_teardown();
}

static void test_random_against_model(void)
{
    static const uint64_t seeds[] = { 1, 0x5eed, 0xdeadbeefcafeULL, 42, 7777 };
    for (unsigned int i = 0; i < ARRAY_SIZE(seeds); i++)
        run_seed(seeds[i]);

    printf("\n  ops ok/failed: mod %u/%u pin %u/%u unpin %u/%u ptwr %u/%u hold %u/%u; "
           "L4 pins %u, updates of L2+ tables %u\n",
           ok_ops[OP_MOD], failed_ops[OP_MOD], ok_ops[OP_PIN], failed_ops[OP_PIN],
           ok_ops[OP_UNPIN], failed_ops[OP_UNPIN], ok_ops[OP_PTWR], failed_ops[OP_PTWR],
           ok_ops[OP_HOLD], failed_ops[OP_HOLD], l4_pins, deep_mods);
    /* The walk must actually exercise both outcomes of the interesting paths. */
    CU_ASSERT(ok_ops[OP_MOD] > 1000 && failed_ops[OP_MOD] > 500);
    CU_ASSERT(ok_ops[OP_PIN] > 100 && failed_ops[OP_PIN] > 100);
    CU_ASSERT(ok_ops[OP_PTWR] > 100 && failed_ops[OP_PTWR] > 100);
    CU_ASSERT(l4_pins > 20);
    CU_ASSERT(deep_mods > 100);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        {"random operations against the reference model", test_random_against_model},
        {NULL, NULL},
    };
    unit_add_suite("page_type_model", cases);
}
