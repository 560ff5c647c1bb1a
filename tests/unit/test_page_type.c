// UNIT-SOURCES: hypervisor/mm/page_type.c
/* SPDX-License-Identifier: MIT */
/*
 * PV MMU type/refcount rules, directed cases: a 4-level hierarchy built,
 * pinned and torn down with every count checked; the writable-vs-page-table
 * exclusion both ways; foreign and I/O mappings; per-level flag rules;
 * hypervisor L4 slots; rollback of a validation failing deep down; A/D
 * preservation; the ptwr cmpxchg path; saturation and underflow; plain
 * writes; release of pinned frames.
 */
#include "page_type_fixture.h"
#include "unit.h"

#define E (&fm.env)
#define US _PAGE_USER
#define P  _PAGE_PRESENT
#define RW _PAGE_RW

/* The standard hierarchy of DOM_A. */
enum {
    L4 = 16, L3 = 17, L2 = 18, L1 = 19, L1B = 20,
    D0 = 30, D1 = 31, D2 = 32, D3 = 33, D4 = 34, D5 = 35,
};

/*
 * L4[0] and L4[300] -> L3 (one L3 reachable twice), L4[256] guest garbage,
 * L3[5] -> L2, L2[0] -> L1, L2[1] -> L1B, L1[0] D0 rw, L1[1] D1 ro kernel,
 * L1[2] D2 rw, L1[3] non-present junk, L1B[7] D2 rw, L1B[8] L1 read-only.
 */
static void build_tables(void)
{
    fm.mem[L4][0] = pte(L3, P | RW | US);
    fm.mem[L4][300] = pte(L3, P | RW | US);
    fm.mem[L4][256] = 0xdeadbeef000ULL | P | RW;
    fm.mem[L4][271] = pte(FREE_FIRST, P);
    fm.mem[L3][5] = pte(L2, P | RW);
    fm.mem[L2][0] = pte(L1, P | RW | US);
    fm.mem[L2][1] = pte(L1B, P | RW | US);
    fm.mem[L1][0] = pte(D0, P | RW | US);
    fm.mem[L1][1] = pte(D1, P);
    fm.mem[L1][2] = pte(D2, P | RW | US | _PAGE_NX);
    fm.mem[L1][3] = 0xabc000ULL | RW | _PAGE_PSE;
    fm.mem[L1B][7] = pte(D2, P | RW | US);
    fm.mem[L1B][8] = pte(L1, P | US);
}

static void setup_pinned(void)
{
    fake_reset();
    build_tables();
    CU_ASSERT_EQUAL_FATAL(pin_table(E, DOM_A, L4, 4), 0);
}

static void finish(void)
{
    CU_ASSERT_EQUAL(fm.maps, 0);
    CU_ASSERT_EQUAL(fm.warns, 0);
    fake_teardown();
}

static void test_build_pin_unpin(void)
{
    setup_pinned();

    CU_ASSERT_EQUAL(ttype(L4), PGT_l4_page_table);
    CU_ASSERT(tvalid(L4) && tpinned(L4));
    CU_ASSERT_EQUAL(tcount(L4), 1);
    CU_ASSERT_EQUAL(gcount(L4), 1);

    CU_ASSERT_EQUAL(ttype(L3), PGT_l3_page_table);
    CU_ASSERT_EQUAL(tcount(L3), 2);
    CU_ASSERT_EQUAL(gcount(L3), 2);
    CU_ASSERT(!tpinned(L3));

    CU_ASSERT_EQUAL(ttype(L2), PGT_l2_page_table);
    CU_ASSERT_EQUAL(tcount(L2), 1);
    CU_ASSERT_EQUAL(ttype(L1), PGT_l1_page_table);
    CU_ASSERT_EQUAL(tcount(L1), 1);
    CU_ASSERT_EQUAL(gcount(L1), 2);           /* L2 entry + read-only map in L1B */
    CU_ASSERT_EQUAL(tcount(L1B), 1);

    CU_ASSERT_EQUAL(ttype(D0), PGT_writable_page);
    CU_ASSERT_EQUAL(tcount(D0), 1);
    CU_ASSERT_EQUAL(gcount(D0), 1);
    CU_ASSERT_EQUAL(tcount(D1), 0);           /* read-only: general ref only */
    CU_ASSERT_EQUAL(gcount(D1), 1);
    CU_ASSERT_EQUAL(tcount(D2), 2);
    CU_ASSERT_EQUAL(gcount(D2), 2);

    /* Guest entries adjusted, hypervisor slots filled by the callback. */
    CU_ASSERT_EQUAL(fm.mem[L4][0], pte(L3, P | RW | US | _PAGE_ACCESSED));
    CU_ASSERT_EQUAL(fm.mem[L3][5], pte(L2, P | RW | US));
    CU_ASSERT_EQUAL(fm.mem[L1][1], pte(D1, P | US | _PAGE_GUEST_KERNEL));
    CU_ASSERT_EQUAL(fm.mem[L1][0], pte(D0, P | RW | US));
    CU_ASSERT((fm.mem[L1][0] & _PAGE_GLOBAL) == 0);
    CU_ASSERT_EQUAL(fm.mem[L1][3], 0xabc000ULL | RW | _PAGE_PSE);   /* not present: untouched */
    CU_ASSERT_EQUAL(fm.l4_fills, 1);
    for (unsigned int i = L4_XEN_SLOT_FIRST; i <= L4_XEN_SLOT_LAST; i++)
        CU_ASSERT_EQUAL(fm.mem[L4][i], XEN_SLOT_VAL(i));
    CU_ASSERT_EQUAL(page_pt_level(E, L4), 4);
    CU_ASSERT_EQUAL(page_pt_level(E, L1B), 1);
    CU_ASSERT(!page_is_pt(E, D0));
    CU_ASSERT_EQUAL(fm.flushes, 0);           /* nothing changed type, only gained one */

    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    /* Types stay recorded, page tables are no longer validated. */
    CU_ASSERT_EQUAL(ttype(L1), PGT_l1_page_table);
    CU_ASSERT(!tvalid(L1) && !tvalid(L4));
    CU_ASSERT_EQUAL(ttype(D0), PGT_writable_page);
    CU_ASSERT(!page_is_pt(E, L4));

    /* And the same hierarchy validates again. */
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, L4, 4), 0);
    CU_ASSERT_EQUAL(tcount(D2), 2);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_pin_errors(void)
{
    setup_pinned();
    struct fake_snapshot s;
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, L4, 4), -EINVAL);        /* already pinned */
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, L1, 2), -EINVAL);        /* in use as L1 */
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, D0, 1), -EINVAL);        /* mapped writable */
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, D5, 0), -EINVAL);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, D5, 5), -EINVAL);
    CU_ASSERT_EQUAL(pin_table(E, DOM_B, D5, 1), -EINVAL);        /* not DOM_B's */
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, 3, 1), -EINVAL);         /* reserved */
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, FREE_FIRST, 1), -EINVAL);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, FAKE_NF + 1, 1), -EINVAL);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L3), -EINVAL);         /* typed but not pinned */
    CU_ASSERT_EQUAL(unpin_table(E, DOM_B, L4), -EINVAL);
    CU_ASSERT(snap_same(&s));

    /* A table reachable from the pinned L4 can be pinned on its own too. */
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, L1, 1), 0);
    CU_ASSERT_EQUAL(tcount(L1), 2);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT_EQUAL(tcount(L1), 1);
    CU_ASSERT(tvalid(L1));
    CU_ASSERT_EQUAL(tcount(D0), 1);           /* still held by the pinned L1 */
    CU_ASSERT_EQUAL(tcount(L2), 0);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), -EINVAL);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L1), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

/* Linux's CR3 sequence: unpin while loaded, the CR3 reference keeps it. */
static void test_cr3_reference(void)
{
    setup_pinned();
    CU_ASSERT_EQUAL(get_page_and_type(E, L4, DOM_A, PGT_l4_page_table), 0);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT_EQUAL(page_pt_level(E, L4), 4);
    CU_ASSERT_EQUAL(tcount(D0), 1);
    CU_ASSERT_EQUAL(get_page_and_type(E, L4, DOM_A, PGT_l3_page_table), -EINVAL);
    CU_ASSERT_EQUAL(get_page_and_type(E, L4, DOM_B, PGT_l4_page_table), -EINVAL);
    CU_ASSERT_EQUAL(get_page_type(E, L4, PGT_none, DOM_A), -EINVAL);
    put_page_and_type(E, L4);
    CU_ASSERT(all_counts_zero());
    /* Dropped synchronously: the old tables can be mapped writable now. */
    CU_ASSERT_EQUAL(get_page_and_type(E, L3, DOM_A, PGT_writable_page), 0);
    put_page_and_type(E, L3);
    finish();
}

static void test_pt_never_writable(void)
{
    setup_pinned();
    struct fake_snapshot s;
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 10, pte(L2, P | RW | US), false), -EBUSY);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 10, pte(L1, P | RW | US), false), -EBUSY);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 10, pte(L4, P | RW), false), -EBUSY);
    /* Making an existing read-only map of a table writable. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1B, 8, pte(L1, P | RW | US), false), -EBUSY);
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, L1, 10, pte(L3, P | RW), 0, false, NULL), -EBUSY);
    CU_ASSERT(snap_same(&s));

    /* Read-only is fine and only takes a general reference. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 10, pte(L2, P | US), false), 0);
    CU_ASSERT_EQUAL(gcount(L2), 2);
    CU_ASSERT_EQUAL(tcount(L2), 1);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_writable_never_pt(void)
{
    setup_pinned();
    struct fake_snapshot s;
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, D0, 1), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 9, pte(D0, P | RW | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L3, 9, pte(D2, P | RW | US), false), -EINVAL);
    CU_ASSERT(snap_same(&s));

    /* Once the writable mapping is gone the frame may become a table, and the
     * retype from writable asks for a TLB flush first. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 0, 0, false), 0);
    CU_ASSERT_EQUAL(tcount(D0), 0);
    CU_ASSERT_EQUAL(fm.flushes, 0);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 9, pte(D0, P | RW | US), false), 0);
    CU_ASSERT_EQUAL(page_pt_level(E, D0), 1);
    CU_ASSERT_EQUAL(fm.flushes, 1);
    CU_ASSERT_EQUAL(fm.last_flush, (unsigned long)D0);

    /* A former page table becoming writable is flushed as well. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 9, 0, false), 0);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 0, pte(D0, P | RW | US), false), 0);
    CU_ASSERT_EQUAL(fm.flushes, 2);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_foreign_and_io(void)
{
    setup_pinned();
    const unsigned long bf = B_FIRST + 8, bl1 = B_FIRST;
    struct fake_snapshot s;
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 20, pte(bf, P | US), false), -EBUSY);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_C, L1, 20, pte(bf, P | US), false), -EBUSY);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 20, pte(FREE_FIRST, P), false), -EBUSY);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_B, L2, 20, pte(bf, P | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_B, L2, 20, 0, false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 20, pte(bl1, P | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_B, DOM_B, L1, 20, 0, false), -EINVAL);   /* not B's table */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 20, pte(2, P), false), -EPERM);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 20, pte(FAKE_NF + 64, P), false), -EPERM);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 20, PADDR_MASK | P, false), -EINVAL);
    CU_ASSERT(snap_same(&s));

    /* FOREIGNDOM mapping: references go to DOM_B's frame. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_B, L1, 20, pte(bf, P | RW | US), false), 0);
    CU_ASSERT_EQUAL(gcount(bf), 1);
    CU_ASSERT_EQUAL(ttype(bf), PGT_writable_page);
    CU_ASSERT_EQUAL(tcount(bf), 1);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 20, 0, false), 0);
    CU_ASSERT_EQUAL(gcount(bf), 0);
    CU_ASSERT_EQUAL(tcount(bf), 0);

    /* I/O: no references; WB becomes UC, WC stays; DOMID_IO = caller's rights. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 21, pte(9, P | RW | US), false), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][21], pte(9, P | RW | US | _PAGE_PCD | _PAGE_PWT));
    CU_ASSERT_EQUAL(gcount(9), 0);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOMID_IO, L1, 22, pte(FAKE_NF + 3, P | US | _PAGE_PAT), false), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][22], pte(FAKE_NF + 3, P | US | _PAGE_PAT));
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 23, pte(FAKE_NF + 4, P | US | _PAGE_PAT | _PAGE_PWT), false), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][23], pte(FAKE_NF + 4, P | US | _PAGE_PCD | _PAGE_PWT));
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 24, pte(FAKE_NF + 5, P | US | _PAGE_PWT), false), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][24], pte(FAKE_NF + 5, P | US | _PAGE_PCD | _PAGE_PWT));

    /* DOM_B has no I/O rights, neither directly nor through DOM_A's name. */
    CU_ASSERT_EQUAL(pin_table(E, DOM_B, bl1, 1), 0);
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_B, DOM_B, bl1, 0, pte(9, P), false), -EPERM);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_B, DOM_A, bl1, 0, pte(9, P), false), -EPERM);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_B, DOMID_IO, bl1, 0, pte(FAKE_NF + 1, P), false), -EPERM);
    CU_ASSERT(snap_same(&s));
    CU_ASSERT_EQUAL(unpin_table(E, DOM_B, bl1), 0);

    /* A validated L1 only accepts the owner's frames: a foreign entry found
     * during validation fails it. */
    fm.mem[bl1][0] = pte(D5, P);
    CU_ASSERT_EQUAL(pin_table(E, DOM_B, bl1, 1), -EBUSY);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_flag_rules(void)
{
    setup_pinned();
    struct fake_snapshot s;
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 30, pte(D5, P | RW | US | _PAGE_PSE), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L3, 30, pte(D5, P | RW | US | _PAGE_PSE), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L4, 30, pte(D5, P | RW | US | _PAGE_PSE), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 30, pte(D5, P | _PAGE_GLOBAL), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 30, pte(D5, P | _PAGE_PCD), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 30, pte(D5, P | _PAGE_GNTTAB), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 30, pte(XENHEAP_MFN, P | _PAGE_PCD), false), -EACCES);
    CU_ASSERT(snap_same(&s));

    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 30, pte(D5, P | US | _PAGE_GLOBAL | _PAGE_NX), false), 0);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 31, pte(D5, P | US | _PAGE_PCD | _PAGE_PAT), false), 0);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 32, pte(XENHEAP_MFN, P | RW | US), false), 0);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 33, pte(D5, P | _PAGE_AVAIL | (1ULL << 61)), false), 0);
    CU_ASSERT_EQUAL(gcount(D5), 3);

    /* Not present: accepted whatever the other bits, no reference. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 34, ~(uint64_t)P, false), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][34], ~(uint64_t)P);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L3, 34, ~(uint64_t)P, false), 0);
    CU_ASSERT_EQUAL(fm.mem[L3][34], ~(uint64_t)P);

    uint64_t v;
    CU_ASSERT_EQUAL(pte_check(E, DOM_A, DOM_A, 0, pte(D5, P), &v), -EINVAL);
    CU_ASSERT_EQUAL(pte_check(E, DOM_A, DOM_A, 5, pte(D5, P), &v), -EINVAL);
    CU_ASSERT_EQUAL(pte_check(E, DOM_A, DOM_A, 2, pte(D5, P | _PAGE_GNTTAB), &v), 0);
    CU_ASSERT_EQUAL(v, pte(D5, P | US | _PAGE_GNTTAB));
    CU_ASSERT_EQUAL(pte_check(E, DOM_B, DOM_B, 1, pte(B_FIRST, P | _PAGE_PWT), &v), -EINVAL);

    /* A table holding a superpage entry does not validate. */
    fm.mem[D4][0] = pte(D3, P | RW | US | _PAGE_PSE);
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, D4, 2), -EINVAL);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, D4, 3), -EINVAL);
    CU_ASSERT(snap_same(&s));

    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_l4_xen_slots_and_linear(void)
{
    setup_pinned();
    struct fake_snapshot s;
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L4, 256, 0, false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L4, 271, pte(D5, P | US), false), -EINVAL);
    /* Linear page tables are refused at every level, the L4 self-map too. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L4, 1, pte(L4, P | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L4, 1, pte(L4, P | RW | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L3, 1, pte(L3, P | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 7, pte(L2, P | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L4, 512, 0, false), -EINVAL);
    CU_ASSERT(snap_same(&s));

    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L4, 255, pte(D5, P | RW | US), false), 0);
    CU_ASSERT_EQUAL(ttype(D5), PGT_l3_page_table);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L4, 272, pte(D5, P | RW | US), false), 0);
    CU_ASSERT_EQUAL(tcount(D5), 2);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());

    /* An L4 mapping itself does not validate either. */
    fm.mem[L4][5] = pte(L4, P | US);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, L4, 4), -EINVAL);
    fm.mem[L4][5] = 0;

    /* Without the callback the hypervisor slots are cleared. */
    fm.env.init_xen_l4_slots = NULL;
    fm.mem[D4][260] = pte(D3, P | RW | US);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, D4, 4), 0);
    CU_ASSERT_EQUAL(fm.mem[D4][260], 0);
    CU_ASSERT_EQUAL(gcount(D3), 0);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, D4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

/*
 * A three-branch L4 whose last branch fails at the last entry of its last
 * L1, with frames in assorted prior states: already referenced, formerly
 * writable, formerly a table of another level. Every descriptor and every
 * byte of memory must come back as it was.
 */
static void test_validation_rollback(void)
{
    fake_reset();
    enum { R4 = 40, R3A = 41, R3B = 42, R2A = 43, R2B = 44, R1A = 45, R1B = 46, R1C = 47,
           W0 = 50, W1 = 51, W2 = 52, W3 = 53 };
    fm.mem[R4][0] = pte(R3A, P | RW);
    fm.mem[R4][1] = pte(R3B, P | RW);
    fm.mem[R4][200] = pte(R3A, P | RW);
    fm.mem[R3A][0] = pte(R2A, P | RW);
    fm.mem[R3B][0] = pte(R2A, P | RW);          /* shared L2 */
    fm.mem[R3B][1] = pte(R2B, P | RW);
    fm.mem[R2A][0] = pte(R1A, P | RW);
    fm.mem[R2B][0] = pte(R1B, P | RW);
    fm.mem[R2B][1] = pte(R1C, P | RW);
    fm.mem[R1A][0] = pte(W0, P | RW);
    fm.mem[R1A][1] = pte(W1, P);
    fm.mem[R1B][0] = pte(W1, P | RW);
    fm.mem[R1B][1] = pte(9, P | RW);            /* I/O frame */
    fm.mem[R1C][0] = pte(W2, P | RW);
    fm.mem[R1C][1] = pte(W0, P | RW);
    fm.mem[R1C][511] = pte(B_FIRST, P | RW);    /* DOM_B's frame: fails here */

    /* Prior states: R1A already a pinned L1; W2 formerly writable; W0 held
     * writable elsewhere; R2B formerly an L1; R1C formerly an L4. */
    CU_ASSERT_EQUAL_FATAL(pin_table(E, DOM_A, R1A, 1), 0);
    CU_ASSERT_EQUAL(get_page_and_type(E, W2, DOM_A, PGT_writable_page), 0);
    put_page_and_type(E, W2);
    fm.frames[R2B].type_info = PGT_l1_page_table;           /* as a devalidated L1 would be */
    fm.frames[R1C].type_info = PGT_l4_page_table;
    unsigned int flushes = fm.flushes;

    struct fake_snapshot s;
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, R4, 4), -EBUSY);
    CU_ASSERT(snap_same(&s));
    CU_ASSERT(fm.flushes > flushes);            /* retypes happened on the way */
    CU_ASSERT_EQUAL(fm.l4_fills, 0);

    /* Fixed, it goes through, and unpinning returns to the prior counts. */
    fm.mem[R1C][511] = 0;
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, R4, 4), 0);
    CU_ASSERT_EQUAL(tcount(R2A), 2);
    CU_ASSERT_EQUAL(tcount(R1A), 2);
    CU_ASSERT_EQUAL(tcount(W0), 2);
    CU_ASSERT_EQUAL(gcount(W1), 2);
    CU_ASSERT_EQUAL(tcount(W1), 1);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, R4), 0);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, R1A), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_preserve_ad(void)
{
    setup_pinned();
    const uint64_t AD = _PAGE_ACCESSED | _PAGE_DIRTY;
    fm.mem[L1][0] |= AD;                          /* the CPU used the mapping */

    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 0, pte(D0, P | US), true), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][0], pte(D0, P | US | AD));
    CU_ASSERT_EQUAL(tcount(D0), 0);               /* write access gone */
    CU_ASSERT_EQUAL(gcount(D0), 1);

    /* Fast path (only NX changes) preserves too. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 0, pte(D0, P | US | _PAGE_NX), true), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][0], pte(D0, P | US | _PAGE_NX | AD));
    CU_ASSERT_EQUAL(gcount(D0), 1);

    /* A normal update does not. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 0, pte(D0, P | RW | US), false), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][0], pte(D0, P | RW | US));
    CU_ASSERT_EQUAL(tcount(D0), 1);

    /* Upper levels: RW may flip without revalidation, A/D kept on request. */
    fm.mem[L2][0] |= AD;
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 0, pte(L1, P | US), true), 0);
    CU_ASSERT_EQUAL(fm.mem[L2][0], pte(L1, P | US | AD));
    CU_ASSERT_EQUAL(tcount(L1), 1);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_ptwr(void)
{
    setup_pinned();
    uint64_t seen = 0, cur = fm.mem[L1][0];
    struct fake_snapshot s;

    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, L1, 0, pte(D5, P | RW | US), cur ^ _PAGE_RW,
                                         true, &seen), -EAGAIN);
    CU_ASSERT_EQUAL(seen, cur);
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, L2, 0, 0, 0, false, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, D0, 0, 0, 0, false, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_B, L1, 0, 0, 0, false, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, L1, 512, 0, 0, false, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, L1, 5, pte(B_FIRST, P), 0, true, NULL), -EBUSY);
    CU_ASSERT(snap_same(&s));

    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, L1, 0, pte(D5, P | RW | US), cur, true, &seen), 0);
    CU_ASSERT_EQUAL(seen, cur);
    CU_ASSERT_EQUAL(fm.mem[L1][0], pte(D5, P | RW | US));
    CU_ASSERT_EQUAL(tcount(D5), 1);
    CU_ASSERT_EQUAL(gcount(D0), 0);
    CU_ASSERT_EQUAL(tcount(D0), 0);

    /* Plain write (xchg / mov): the old value is reported back. */
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, L1, 0, 0, 0, false, &seen), 0);
    CU_ASSERT_EQUAL(seen, pte(D5, P | RW | US));
    CU_ASSERT_EQUAL(gcount(D5), 0);
    /* Linux's fork path: lock andb $~RW on the entry = write the RO value. */
    CU_ASSERT_EQUAL(ptwr_emulated_update(E, DOM_A, L1, 2, fm.mem[L1][2] & ~RW, fm.mem[L1][2],
                                         true, NULL), 0);
    CU_ASSERT_EQUAL(tcount(D2), 1);
    CU_ASSERT_EQUAL(gcount(D2), 2);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_saturation_and_underflow(void)
{
    setup_pinned();
    struct fake_snapshot s;

    fm.frames[D5].count_info = PGC_count_mask;
    CU_ASSERT_EQUAL(get_page(E, D5, DOM_A), -EINVAL);
    fm.frames[L1B].count_info |= PGC_count_mask;     /* saturate an in-use L1 too */
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 40, pte(D5, P | US), false), -EBUSY);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 40, pte(D5, P | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 41, pte(L1B, P | US), false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1B, 0, 0, false), -EINVAL);  /* table itself */
    CU_ASSERT(snap_same(&s));
    fm.frames[D5].count_info = 0;
    fm.frames[L1B].count_info &= ~PGC_count_mask;
    fm.frames[L1B].count_info |= 1;

    /* Type count saturated: no new writable mapping, read-only still fine. */
    fm.frames[D5].count_info = 3;
    fm.frames[D5].type_info = PGT_writable_page | PGT_validated | PGT_count_mask;
    snap_take(&s, 0, FAKE_NF);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 40, pte(D5, P | RW | US), false), -EBUSY);
    CU_ASSERT_EQUAL(get_page_type(E, D5, PGT_writable_page, DOM_A), -EINVAL);
    CU_ASSERT(snap_same(&s));
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 40, pte(D5, P | US), false), 0);
    CU_ASSERT_EQUAL(gcount(D5), 4);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 40, 0, false), 0);
    fm.frames[D5].count_info = 0;
    fm.frames[D5].type_info = 0;

    /* Underflow is reported and refused. */
    put_page(E, D5);
    CU_ASSERT_EQUAL(fm.warns, 1);
    CU_ASSERT_EQUAL(gcount(D5), 0);
    put_page_type(E, D5);
    CU_ASSERT_EQUAL(fm.warns, 2);
    CU_ASSERT_EQUAL(fm.frames[D5].type_info, 0);
    put_page(E, FAKE_NF + 7);
    CU_ASSERT_EQUAL(fm.warns, 3);
    fm.warns = 0;

    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_plain_writes(void)
{
    setup_pinned();
    /* A never-typed frame: raw data, no check, no adjustment, no refs. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, D5, 3, pte(L1, P | RW | _PAGE_PSE), true), 0);
    CU_ASSERT_EQUAL(fm.mem[D5][3], pte(L1, P | RW | _PAGE_PSE));
    CU_ASSERT_EQUAL(gcount(L1), 2);
    CU_ASSERT_EQUAL(ttype(D5), PGT_writable_page);
    CU_ASSERT_EQUAL(tcount(D5), 0);
    CU_ASSERT_EQUAL(gcount(D5), 0);

    /* A frame mapped writable right now. */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, D0, 0, 77, false), 0);
    CU_ASSERT_EQUAL(fm.mem[D0][0], 77);
    CU_ASSERT_EQUAL(tcount(D0), 1);

    /* A former L1: plain write after a retype (and its flush). */
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L2, 1, 0, false), 0);
    CU_ASSERT_EQUAL(tcount(L1B), 0);
    unsigned int flushes = fm.flushes;
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1B, 0, 5, false), 0);
    CU_ASSERT_EQUAL(fm.flushes, flushes + 1);
    CU_ASSERT_EQUAL(ttype(L1B), PGT_writable_page);

    /* Descriptor frames are not written through mmu_update. */
    CU_ASSERT_EQUAL(get_page_and_type(E, D3, DOM_A, PGT_seg_desc_page), 0);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, D3, 0, 0, false), -EINVAL);
    put_page_and_type(E, D3);
    CU_ASSERT_EQUAL(ttype(D3), PGT_seg_desc_page);
    CU_ASSERT(tvalid(D3));                        /* kept at count 0, as in Xen */

    /* Descriptor validation: refused by the checker, or with no checker. */
    struct fake_snapshot s;
    snap_take(&s, 0, FAKE_NF);
    fm.seg_desc_rc = -EINVAL;
    CU_ASSERT_EQUAL(get_page_and_type(E, D4, DOM_A, PGT_seg_desc_page), -EINVAL);
    fm.env.check_seg_desc = NULL;
    CU_ASSERT_EQUAL(get_page_and_type(E, D4, DOM_A, PGT_seg_desc_page), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, B_FIRST, 0, 0, false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 512, 0, false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, 5, 0, 0, false), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, FAKE_NF + 5, 0, 0, false), -EINVAL);
    CU_ASSERT(snap_same(&s));

    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

static void test_release(void)
{
    setup_pinned();
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, D5, 1), 0);
    CU_ASSERT_EQUAL(page_release(E, D5, DOM_B), -EINVAL);
    CU_ASSERT_EQUAL(page_release(E, D5, DOM_A), 1);
    CU_ASSERT_EQUAL(page_release(E, D5, DOM_A), -EINVAL);
    CU_ASSERT_EQUAL(get_page(E, D5, DOM_A), -EINVAL);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, L1, 50, pte(D5, P | US), false), -EBUSY);
    CU_ASSERT_EQUAL(mod_entry(E, DOM_A, DOM_A, D5, 0, 0, false), -EINVAL);
    CU_ASSERT_EQUAL(fm.frees, 0);
    CU_ASSERT_EQUAL(page_pt_level(E, D5), 1);     /* still a table: not reusable */

    /* A released frame still mapped: freed when the mapping goes. */
    CU_ASSERT_EQUAL(page_release(E, D1, DOM_A), 1);
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT_EQUAL(fm.frees, 1);
    CU_ASSERT_EQUAL(fm.last_free, (unsigned long)D1);

    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, D5), 0);
    CU_ASSERT_EQUAL(fm.frees, 2);
    CU_ASSERT_EQUAL(fm.last_free, (unsigned long)D5);
    CU_ASSERT(all_counts_zero());
    CU_ASSERT_EQUAL(page_release(E, D4, DOM_A), 0);  /* unreferenced: free now */
    CU_ASSERT_EQUAL(page_release(E, 3, PAGE_OWNER_XEN), -EINVAL);
    finish();
}

static void test_user_global(void)
{
    fake_reset();
    fm.env.user_global = true;
    build_tables();
    CU_ASSERT_EQUAL(pin_table(E, DOM_A, L4, 4), 0);
    CU_ASSERT_EQUAL(fm.mem[L1][0], pte(D0, P | RW | US | _PAGE_GLOBAL));
    CU_ASSERT_EQUAL(fm.mem[L1][1], pte(D1, P | US | _PAGE_GUEST_KERNEL));
    CU_ASSERT_EQUAL(fm.mem[L2][0], pte(L1, P | RW | US));        /* L1 only */
    CU_ASSERT_EQUAL(unpin_table(E, DOM_A, L4), 0);
    CU_ASSERT(all_counts_zero());
    finish();
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        {"build, pin, unpin", test_build_pin_unpin},
        {"pin/unpin errors", test_pin_errors},
        {"CR3 reference outlives the pin", test_cr3_reference},
        {"page table never mapped writable", test_pt_never_writable},
        {"writable frame never a page table", test_writable_never_pt},
        {"foreign and I/O mappings", test_foreign_and_io},
        {"flag rules per level", test_flag_rules},
        {"L4 hypervisor slots, linear tables", test_l4_xen_slots_and_linear},
        {"failed validation rolls back", test_validation_rollback},
        {"preserve A/D", test_preserve_ad},
        {"ptwr cmpxchg and write", test_ptwr},
        {"saturation and underflow", test_saturation_and_underflow},
        {"plain writes", test_plain_writes},
        {"release of referenced frames", test_release},
        {"user_global option", test_user_global},
        {NULL, NULL},
    };
    unit_add_suite("page_type", cases);
}
