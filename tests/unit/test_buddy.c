// UNIT-SOURCES: hypervisor/mm/buddy.c
/* SPDX-License-Identifier: MIT */
/*
 * Buddy allocator tests: range donation, exhaustion and full coalescing,
 * randomized alloc/free against a shadow bitmap, refused bad frees,
 * alloc_below limits, and buddy_check catching corruption.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xeno/buddy.h"
#include "xeno/errno.h"
#include "unit.h"

/* Deterministic xorshift64* so failures reproduce. */
static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
    rng_state = s ? s : 0x9e3779b97f4a7c15ull;
}

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned long rng_below(unsigned long n)
{
    return (unsigned long)(rng() % n);
}

struct fixture {
    struct buddy b;
    struct page_info *frames;
    unsigned long nr;
};

static void fx_init(struct fixture *f, unsigned long nr)
{
    f->nr = nr;
    f->frames = calloc(nr, sizeof(*f->frames));
    CU_ASSERT_FATAL(f->frames != NULL);
    buddy_init(&f->b, f->frames, nr);
}

static void fx_fini(struct fixture *f)
{
    free(f->frames);
    f->frames = NULL;
}

static unsigned long list_len(const struct list_head *h)
{
    unsigned long n = 0;
    for (const struct list_head *e = h->next; e != h; e = e->next)
        n++;
    return n;
}

static void order_histogram(const struct buddy *b, unsigned long *out)
{
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        out[o] = list_len(&b->free[o]);
}

/*
 * Snapshot of all allocator state, to prove a refused call changed nothing.
 * page_info has no padding (explicit _rsvd), so memcmp is meaningful.
 */
struct snapshot {
    struct buddy b;
    struct page_info *frames;
};

static void snap_take(struct snapshot *s, const struct fixture *f)
{
    s->b = f->b;
    s->frames = malloc(f->nr * sizeof(*f->frames));
    CU_ASSERT_FATAL(s->frames != NULL);
    memcpy(s->frames, f->frames, f->nr * sizeof(*f->frames));
}

static bool snap_same(const struct snapshot *s, const struct fixture *f)
{
    return memcmp(&s->b, &f->b, sizeof(s->b)) == 0 &&
           memcmp(s->frames, f->frames, f->nr * sizeof(*f->frames)) == 0;
}

static void snap_drop(struct snapshot *s)
{
    free(s->frames);
}

static void test_layout(void)
{
    CU_ASSERT(sizeof(struct page_info) <= 48);
    CU_ASSERT(sizeof(struct page_info) == 40);   /* no hidden padding */
    CU_ASSERT(((PGC_free | PGC_free_head | PGC_reserved | PGC_xen_heap) & PGC_count_mask) == 0);
}

static void test_init_all_reserved(void)
{
    struct fixture f;

    fx_init(&f, 1000);
    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), 0);
    CU_ASSERT_EQUAL(f.b.total_pages, 0);
    CU_ASSERT_EQUAL(buddy_alloc(&f.b, 0), -ENOMEM);
    CU_ASSERT_EQUAL(buddy_alloc_below(&f.b, 0, 1000), -ENOMEM);
    CU_ASSERT_EQUAL(buddy_free(&f.b, 0, 0), -EINVAL);   /* reserved */
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    for (unsigned long i = 0; i < f.nr; i++) {
        CU_ASSERT_EQUAL(f.frames[i].count_info, PGC_reserved);
        CU_ASSERT_EQUAL(f.frames[i].owner, PAGE_OWNER_NONE);
    }
    fx_fini(&f);
}

/* Every listed block must lie inside one of the donated ranges. */
static bool blocks_within(const struct buddy *b, const unsigned long (*r)[2], int nr)
{
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        const struct page_info *pg;
        list_for_each_entry(pg, &b->free[o], list) {
            unsigned long m = (unsigned long)(pg - b->frames), n = 1UL << o;
            bool in = false;
            for (int i = 0; i < nr; i++)
                in |= m >= r[i][0] && m + n <= r[i][0] + r[i][1];
            if (!in)
                return false;
        }
    }
    return true;
}

static void test_free_range_odd(void)
{
    struct fixture f;
    static const unsigned long ranges[][2] = {
        { 3, 1000 }, { 1500, 777 }, { 4095, 1 }, { 4097, 5 }, { 6001, 1999 },
    };
    unsigned long expect = 0;

    fx_init(&f, 8000);
    for (size_t i = 0; i < ARRAY_SIZE(ranges); i++) {
        CU_ASSERT_EQUAL(buddy_free_range(&f.b, ranges[i][0], ranges[i][1]), 0);
        expect += ranges[i][1];
        CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    }
    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), expect);
    CU_ASSERT_EQUAL(f.b.total_pages, expect);
    CU_ASSERT(blocks_within(&f.b, ranges, (int)ARRAY_SIZE(ranges)));

    /* [3, 1003) splits into maximal aligned blocks: order rises to the
     * alignment of 256, stays at 8 for [512,768), then falls to the end. */
    static const unsigned long expect_blocks[][2] = {
        { 3, 0 }, { 4, 2 }, { 8, 3 }, { 16, 4 }, { 32, 5 }, { 64, 6 }, { 128, 7 },
        { 256, 8 }, { 512, 8 }, { 768, 7 }, { 896, 6 }, { 960, 5 }, { 992, 3 },
        { 1000, 1 }, { 1002, 0 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(expect_blocks); i++) {
        const struct page_info *pg = &f.frames[expect_blocks[i][0]];
        CU_ASSERT((pg->count_info & PGC_free_head) != 0);
        CU_ASSERT_EQUAL(pg->order, expect_blocks[i][1]);
    }

    /* Zero length is a no-op; overruns and re-donations are refused intact. */
    struct snapshot s;
    snap_take(&s, &f);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 2000, 0), 0);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 7999, 2), -EINVAL);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 8000, 1), -EINVAL);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 1, ~0UL), -EINVAL);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 1000, 10), -EINVAL);   /* overlaps [3,1003) */
    CU_ASSERT(snap_same(&s, &f));
    snap_drop(&s);
    fx_fini(&f);
}

static void test_adjacent_ranges_merge(void)
{
    struct fixture f;

    fx_init(&f, 64);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 0, 3), 0);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 5, 3), 0);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 3, 2), 0);   /* fills the gap */
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    CU_ASSERT_EQUAL(list_len(&f.b.free[3]), 1);
    for (unsigned int o = 0; o < 3; o++)
        CU_ASSERT_EQUAL(list_len(&f.b.free[o]), 0);
    CU_ASSERT_EQUAL(f.frames[0].order, 3);

    /* The whole table in one go gives a single order-6 block. */
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 8, 56), 0);
    CU_ASSERT_EQUAL(list_len(&f.b.free[6]), 1);
    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), 64);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    fx_fini(&f);
}

struct alloc_rec {
    unsigned long mfn;
    unsigned int order;
};

/* Mark a block in the shadow map; false if any frame was already handed out. */
static bool shadow_claim(uint8_t *shadow, unsigned long mfn, unsigned int order)
{
    bool ok = true;
    for (unsigned long i = mfn; i < mfn + (1UL << order); i++) {
        ok &= !shadow[i];
        shadow[i] = 1;
    }
    return ok;
}

static void shadow_release(uint8_t *shadow, unsigned long mfn, unsigned int order)
{
    for (unsigned long i = mfn; i < mfn + (1UL << order); i++)
        shadow[i] = 0;
}

static void shuffle(struct alloc_rec *a, unsigned long n)
{
    for (unsigned long i = n; i > 1; i--) {
        unsigned long j = rng_below(i);
        struct alloc_rec t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static void test_exhaust_and_coalesce(void)
{
    /* Big enough for several 1 GiB blocks plus ragged edges on both ends. */
    const unsigned long nr = (3UL << BUDDY_MAX_ORDER) + 4099;
    const unsigned long first = 77, len = nr - 77 - 13;
    unsigned long hist0[BUDDY_MAX_ORDER + 1], hist1[BUDDY_MAX_ORDER + 1];
    struct fixture f;
    struct alloc_rec *recs;
    uint8_t *shadow;
    unsigned long n = 0, initial;
    bool distinct = true, aligned = true, in_ram = true;

    fx_init(&f, nr);
    CU_ASSERT_EQUAL_FATAL(buddy_free_range(&f.b, first, len), 0);
    initial = buddy_free_pages(&f.b);
    CU_ASSERT_EQUAL(initial, len);
    order_histogram(&f.b, hist0);
    CU_ASSERT(hist0[BUDDY_MAX_ORDER] >= 2);

    recs = malloc(len * sizeof(*recs));
    shadow = calloc(nr, 1);
    CU_ASSERT_FATAL(recs && shadow);

    /* Cycle through all orders, largest first, until even order 0 fails. */
    rng_seed(1);
    for (;;) {
        bool any = false;
        for (int o = BUDDY_MAX_ORDER; o >= 0; o--) {
            int reps = o > 10 ? 1 : 3;
            for (int r = 0; r < reps; r++) {
                long m = buddy_alloc(&f.b, (unsigned int)o);
                if (m == -ENOMEM)
                    break;
                CU_ASSERT_FATAL(m >= 0);
                any = true;
                aligned &= ((unsigned long)m & ((1UL << o) - 1)) == 0;
                in_ram &= (unsigned long)m >= first && (unsigned long)m + (1UL << o) <= first + len;
                distinct &= shadow_claim(shadow, (unsigned long)m, (unsigned int)o);
                recs[n++] = (struct alloc_rec){ (unsigned long)m, (unsigned int)o };
            }
        }
        if (!any)
            break;
    }
    CU_ASSERT(distinct);
    CU_ASSERT(aligned);
    CU_ASSERT(in_ram);
    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), 0);
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        CU_ASSERT_EQUAL(buddy_alloc(&f.b, o), -ENOMEM);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);

    /* Orders actually exercised: at least the max and order 0. */
    bool saw_max = false, saw_zero = false;
    for (unsigned long i = 0; i < n; i++) {
        saw_max |= recs[i].order == BUDDY_MAX_ORDER;
        saw_zero |= recs[i].order == 0;
    }
    CU_ASSERT(saw_max && saw_zero);

    shuffle(recs, n);
    for (unsigned long i = 0; i < n; i++)
        CU_ASSERT_EQUAL(buddy_free(&f.b, recs[i].mfn, recs[i].order), 0);
    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), initial);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    order_histogram(&f.b, hist1);
    CU_ASSERT(memcmp(hist0, hist1, sizeof(hist0)) == 0);

    free(shadow);
    free(recs);
    fx_fini(&f);
}

/* Allocate order-0 frames one by one, then free them as larger blocks. */
static void test_free_in_bigger_pieces(void)
{
    struct fixture f;

    fx_init(&f, 256);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 0, 256), 0);
    for (int i = 0; i < 256; i++)
        CU_ASSERT(buddy_alloc(&f.b, 0) >= 0);
    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), 0);
    for (unsigned long m = 0; m < 256; m += 16)
        CU_ASSERT_EQUAL(buddy_free(&f.b, m, 4), 0);
    CU_ASSERT_EQUAL(list_len(&f.b.free[8]), 1);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);

    /* And the reverse: one order-8 block freed page by page. */
    CU_ASSERT_EQUAL(buddy_alloc(&f.b, 8), 0);
    for (unsigned long m = 0; m < 256; m++)
        CU_ASSERT_EQUAL(buddy_free(&f.b, m, 0), 0);
    CU_ASSERT_EQUAL(list_len(&f.b.free[8]), 1);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    fx_fini(&f);
}

static void test_random_shadow(void)
{
    const unsigned long nr = 20000;
    static const unsigned long ranges[][2] = {
        { 1, 4000 }, { 4100, 2900 }, { 8192, 8192 }, { 16500, 3333 },
    };
    struct fixture f;
    struct alloc_rec *live;
    uint8_t *ram, *shadow;
    unsigned long nlive = 0, used = 0, total = 0;
    bool ok_distinct = true, ok_ram = true, ok_below = true, ok_free = true;

    fx_init(&f, nr);
    ram = calloc(nr, 1);
    shadow = calloc(nr, 1);
    live = malloc(nr * sizeof(*live));
    CU_ASSERT_FATAL(ram && shadow && live);
    for (size_t i = 0; i < ARRAY_SIZE(ranges); i++) {
        CU_ASSERT_EQUAL(buddy_free_range(&f.b, ranges[i][0], ranges[i][1]), 0);
        memset(ram + ranges[i][0], 1, ranges[i][1]);
        total += ranges[i][1];
    }

    rng_seed(0xb0dd1e5);
    for (int step = 0; step < 200000; step++) {
        unsigned long r = rng_below(100);

        if (r < 55 || nlive == 0) {
            /* Mostly small orders, occasionally big ones. */
            unsigned int o = (unsigned int)(rng_below(8) == 0 ? rng_below(12) : rng_below(3));
            long m;
            unsigned long limit = 0;

            if (rng_below(8) == 0) {
                limit = rng_below(nr + 100);
                m = buddy_alloc_below(&f.b, o, limit);
            } else {
                m = buddy_alloc(&f.b, o);
            }
            if (m == -ENOMEM)
                continue;
            CU_ASSERT_FATAL(m >= 0);
            for (unsigned long i = (unsigned long)m; i < (unsigned long)m + (1UL << o); i++)
                ok_ram &= ram[i] == 1;
            if (limit)
                ok_below &= (unsigned long)m + (1UL << o) <= limit;
            ok_distinct &= shadow_claim(shadow, (unsigned long)m, o);
            live[nlive++] = (struct alloc_rec){ (unsigned long)m, o };
            used += 1UL << o;
        } else {
            unsigned long i = rng_below(nlive);
            struct alloc_rec a = live[i];

            live[i] = live[--nlive];
            shadow_release(shadow, a.mfn, a.order);
            used -= 1UL << a.order;
            if (a.order > 0 && rng_below(4) == 0) {
                /* Free in two halves, in either order. */
                unsigned long half = 1UL << (a.order - 1);
                bool hi_first = rng_below(2);
                ok_free &= buddy_free(&f.b, a.mfn + (hi_first ? half : 0), a.order - 1) == 0;
                ok_free &= buddy_free(&f.b, a.mfn + (hi_first ? 0 : half), a.order - 1) == 0;
            } else {
                ok_free &= buddy_free(&f.b, a.mfn, a.order) == 0;
            }
        }
        if (buddy_free_pages(&f.b) != total - used) {
            CU_FAIL("free_pages drifted from shadow");
            break;
        }
        if (step % 5000 == 0)
            CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    }
    CU_ASSERT(ok_distinct);
    CU_ASSERT(ok_ram);
    CU_ASSERT(ok_below);
    CU_ASSERT(ok_free);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);

    while (nlive) {
        nlive--;
        CU_ASSERT_EQUAL(buddy_free(&f.b, live[nlive].mfn, live[nlive].order), 0);
    }
    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), total);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    /* 8192-aligned range [8192,16384) must have re-formed as one block. */
    CU_ASSERT((f.frames[8192].count_info & PGC_free_head) != 0);
    CU_ASSERT_EQUAL(f.frames[8192].order, 13);

    free(live);
    free(shadow);
    free(ram);
    fx_fini(&f);
}

static void test_bad_frees(void)
{
    struct fixture f;
    struct snapshot s;
    long m, big;

    fx_init(&f, 1024);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 16, 512), 0);   /* 0..15 and 528.. stay reserved */
    m = buddy_alloc(&f.b, 2);
    big = buddy_alloc(&f.b, 4);
    CU_ASSERT_FATAL(m >= 0 && big >= 0);

    snap_take(&s, &f);
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)m + 1, 1), -EINVAL);   /* misaligned */
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)m + 2, 2), -EINVAL);   /* misaligned */
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)m, BUDDY_MAX_ORDER + 1), -EINVAL);
    CU_ASSERT_EQUAL(buddy_free(&f.b, 1024, 0), -EINVAL);                  /* past the table */
    CU_ASSERT_EQUAL(buddy_free(&f.b, ~0UL & ~1023UL, 10), -EINVAL);
    CU_ASSERT_EQUAL(buddy_free(&f.b, 0, 10), -EINVAL);                     /* covers reserved */
    CU_ASSERT_EQUAL(buddy_free(&f.b, 3, 0), -EINVAL);                      /* reserved */
    CU_ASSERT_EQUAL(buddy_free(&f.b, 600, 0), -EINVAL);                    /* reserved */
    CU_ASSERT_EQUAL(buddy_free(&f.b, 300, 0), -EINVAL);                    /* inside a free block */
    CU_ASSERT(snap_same(&s, &f));
    snap_drop(&s);

    /* A frame still referenced must not go back to the pool. */
    f.frames[big + 3].count_info = 1;
    snap_take(&s, &f);
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)big, 4), -EINVAL);
    CU_ASSERT(snap_same(&s, &f));
    snap_drop(&s);
    f.frames[big + 3].count_info = 0;

    /* Ownership and flags set by the caller are wiped on free. */
    f.frames[m].owner = 7;
    f.frames[m].count_info = PGC_xen_heap;
    f.frames[m].type_info = 0x123;
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)m, 2), 0);
    CU_ASSERT_EQUAL(f.frames[m].owner, PAGE_OWNER_NONE);
    CU_ASSERT_EQUAL(f.frames[m].type_info, 0);

    /* Double frees, whole and partial, are refused without side effects. */
    snap_take(&s, &f);
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)m, 2), -EINVAL);
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)m + 3, 0), -EINVAL);
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)m, 3), -EINVAL);
    CU_ASSERT(snap_same(&s, &f));
    snap_drop(&s);

    /* Free half of `big`, then a double free overlapping both halves. */
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)big, 3), 0);
    snap_take(&s, &f);
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)big, 4), -EINVAL);
    CU_ASSERT(snap_same(&s, &f));
    snap_drop(&s);
    CU_ASSERT_EQUAL(buddy_free(&f.b, (unsigned long)big + 8, 3), 0);

    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), 512);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    fx_fini(&f);
}

static void test_bad_order(void)
{
    struct fixture f;

    fx_init(&f, 64);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 0, 64), 0);
    CU_ASSERT_EQUAL(buddy_alloc(&f.b, BUDDY_MAX_ORDER + 1), -EINVAL);
    CU_ASSERT_EQUAL(buddy_alloc_below(&f.b, BUDDY_MAX_ORDER + 1, 64), -EINVAL);
    CU_ASSERT_EQUAL(buddy_alloc(&f.b, 7), -ENOMEM);   /* valid order, too big */
    CU_ASSERT_EQUAL(buddy_alloc(&f.b, 6), 0);
    CU_ASSERT_EQUAL(buddy_alloc(&f.b, 0), -ENOMEM);
    fx_fini(&f);
}

static void test_alloc_below(void)
{
    struct fixture f;
    long m;
    int n = 0;
    bool below = true;

    fx_init(&f, 8192);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 0, 8192), 0);

    /* Plain alloc prefers the top so low memory survives. */
    CU_ASSERT_EQUAL(buddy_alloc(&f.b, 0), 8191);
    CU_ASSERT_EQUAL(buddy_alloc(&f.b, 4), 8192 - 32);

    CU_ASSERT_EQUAL(buddy_alloc_below(&f.b, 0, 0), -ENOMEM);
    m = buddy_alloc_below(&f.b, 0, 256);
    CU_ASSERT(m >= 0 && m < 256);
    m = buddy_alloc_below(&f.b, 8, 256);   /* [0,256) no longer whole */
    CU_ASSERT_EQUAL(m, -ENOMEM);
    m = buddy_alloc_below(&f.b, 8, 512);
    CU_ASSERT_EQUAL(m, 256);

    /* Drain everything below 64. */
    while ((m = buddy_alloc_below(&f.b, 0, 64)) >= 0) {
        below &= m < 64;
        n++;
    }
    CU_ASSERT_EQUAL(m, -ENOMEM);
    CU_ASSERT(below);
    CU_ASSERT_EQUAL(n, 63);   /* one page already taken above */
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    fx_fini(&f);

    /* Alignment can make a limit unreachable even with free frames below it. */
    fx_init(&f, 64);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 5, 3), 0);   /* frames 5, 6, 7 */
    CU_ASSERT_EQUAL(buddy_alloc_below(&f.b, 2, 64), -ENOMEM);
    CU_ASSERT_EQUAL(buddy_alloc_below(&f.b, 1, 7), -ENOMEM);
    CU_ASSERT_EQUAL(buddy_alloc_below(&f.b, 0, 5), -ENOMEM);
    CU_ASSERT_EQUAL(buddy_alloc_below(&f.b, 1, 8), 6);
    CU_ASSERT_EQUAL(buddy_alloc_below(&f.b, 0, 6), 5);
    CU_ASSERT_EQUAL(buddy_free_pages(&f.b), 0);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    fx_fini(&f);
}

static void test_check_detects_corruption(void)
{
    struct fixture f;
    long m;

    fx_init(&f, 128);
    CU_ASSERT_EQUAL(buddy_free_range(&f.b, 0, 128), 0);
    m = buddy_alloc(&f.b, 0);
    CU_ASSERT_FATAL(m >= 0);
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);

    f.b.free_pages++;
    CU_ASSERT_EQUAL(buddy_check(&f.b), -EINVAL);
    f.b.free_pages--;

    f.frames[m].count_info = PGC_free;   /* free frame not in any block */
    CU_ASSERT_EQUAL(buddy_check(&f.b), -EINVAL);
    f.frames[m].count_info = 0;

    f.frames[m].count_info = PGC_reserved;   /* RAM count mismatch */
    CU_ASSERT_EQUAL(buddy_check(&f.b), -EINVAL);
    f.frames[m].count_info = 0;

    /* A free block's head with the wrong order. */
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        if (!list_empty(&f.b.free[o])) {
            struct page_info *pg = list_first_entry(&f.b.free[o], struct page_info, list);
            pg->order++;
            CU_ASSERT_EQUAL(buddy_check(&f.b), -EINVAL);
            pg->order--;
            break;
        }
    }
    CU_ASSERT_EQUAL(buddy_check(&f.b), 0);
    fx_fini(&f);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "page_info layout", test_layout },
        { "init leaves everything reserved", test_init_all_reserved },
        { "free_range with odd alignment", test_free_range_odd },
        { "adjacent ranges coalesce", test_adjacent_ranges_merge },
        { "exhaust every order then coalesce", test_exhaust_and_coalesce },
        { "free in pieces of other sizes", test_free_in_bigger_pieces },
        { "randomized against shadow map", test_random_shadow },
        { "bad frees refused, state intact", test_bad_frees },
        { "bad orders", test_bad_order },
        { "alloc_below limits", test_alloc_below },
        { "check detects corruption", test_check_detects_corruption },
        { NULL, NULL },
    };
    unit_add_suite("buddy", cases);
}
