// UNIT-SOURCES: hypervisor/mm/xmalloc.c
/* SPDX-License-Identifier: MIT */
/*
 * Small-object heap tests over a counting aligned_alloc page provider:
 * sizes and alignments, overlap via fill patterns, random-order frees,
 * pages going back to the provider, refused bad frees, heap_check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xeno/xmalloc.h"
#include "xeno/errno.h"
#include "unit.h"

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

static size_t rng_below(size_t n)
{
    return (size_t)(rng() % n);
}

/*
 * Page provider. With `defer` set, freed blocks are kept (still mapped) until
 * prov_fini(), so tests can hand stale pointers to heap_free() without
 * tripping ASan on a genuine use-after-free of the test's own memory.
 */
struct prov {
    long pages_out;        /* pages currently lent to the heap */
    long allocs, frees;
    long fail_after;       /* refuse allocations once allocs reaches this; <0 = never */
    bool defer;
    void *deferred[64];
    int ndeferred;
};

static void *prov_alloc(void *ctx, unsigned int order)
{
    struct prov *p = ctx;
    void *va;

    if (p->fail_after >= 0 && p->allocs >= p->fail_after)
        return NULL;
    va = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
    if (!va)
        return NULL;
    /* Garbage, not zeros: the heap must not rely on fresh pages being clean. */
    memset(va, 0xa5, PAGE_SIZE << order);
    p->allocs++;
    p->pages_out += 1L << order;
    return va;
}

static void prov_free(void *ctx, void *va, unsigned int order)
{
    struct prov *p = ctx;

    p->frees++;
    p->pages_out -= 1L << order;
    if (p->defer && p->ndeferred < (int)ARRAY_SIZE(p->deferred))
        p->deferred[p->ndeferred++] = va;
    else
        free(va);
}

static void prov_init(struct prov *p, struct heap *h)
{
    struct heap_pages_ops ops = { prov_alloc, prov_free, p };

    memset(p, 0, sizeof(*p));
    p->fail_after = -1;
    heap_init(h, &ops);
}

static void prov_fini(struct prov *p)
{
    for (int i = 0; i < p->ndeferred; i++)
        free(p->deferred[i]);
    p->ndeferred = 0;
}

static void test_basic(void)
{
    struct heap h;
    struct prov p;
    void *a, *b;

    prov_init(&p, &h);
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    CU_ASSERT_EQUAL(heap_used_bytes(&h), 0);

    a = heap_alloc(&h, 24, 0);
    b = heap_alloc(&h, 24, 8);
    CU_ASSERT_FATAL(a && b);
    CU_ASSERT(a != b);
    CU_ASSERT(((uintptr_t)a & (HEAP_MIN_ALIGN - 1)) == 0);
    CU_ASSERT_EQUAL(heap_used_bytes(&h), 64);   /* two 32-byte class objects */
    CU_ASSERT_EQUAL(p.pages_out, 1);
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    CU_ASSERT_EQUAL(heap_free(&h, a), 0);
    CU_ASSERT_EQUAL(heap_free(&h, b), 0);
    CU_ASSERT_EQUAL(heap_free(&h, NULL), 0);
    CU_ASSERT_EQUAL(heap_used_bytes(&h), 0);
    CU_ASSERT_EQUAL(heap_check(&h), 0);

    /* The emptied slab stays as the class spare... */
    CU_ASSERT_EQUAL(p.pages_out, 1);
    CU_ASSERT_EQUAL(heap_pages_held(&h), 1);
    /* ...and is reused rather than asking the provider again. */
    a = heap_alloc(&h, 30, 0);
    CU_ASSERT_EQUAL(p.allocs, 1);
    CU_ASSERT_EQUAL(heap_free(&h, a), 0);
    CU_ASSERT_EQUAL(heap_trim(&h), 1);
    CU_ASSERT_EQUAL(p.pages_out, 0);
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    prov_fini(&p);
}

static void test_bad_args(void)
{
    struct heap h;
    struct prov p;

    prov_init(&p, &h);
    CU_ASSERT_PTR_NULL(heap_alloc(&h, 0, 0));
    CU_ASSERT_PTR_NULL(heap_alloc(&h, 16, 3));
    CU_ASSERT_PTR_NULL(heap_alloc(&h, 16, 48));
    CU_ASSERT_PTR_NULL(heap_alloc(&h, 16, 2 * PAGE_SIZE));
    CU_ASSERT_PTR_NULL(heap_alloc(&h, SIZE_MAX, 0));
    CU_ASSERT_PTR_NULL(heap_alloc(&h, SIZE_MAX - PAGE_SIZE, PAGE_SIZE));
    CU_ASSERT_PTR_NULL(heap_zalloc(&h, 0, 0));
    CU_ASSERT_EQUAL(p.allocs, 0);

    /* Provider exhaustion: NULL, nothing leaked, nothing counted. */
    p.fail_after = 0;
    CU_ASSERT_PTR_NULL(heap_alloc(&h, 100, 0));
    CU_ASSERT_PTR_NULL(heap_alloc(&h, 3 * PAGE_SIZE, 0));
    CU_ASSERT_EQUAL(heap_used_bytes(&h), 0);
    CU_ASSERT_EQUAL(heap_pages_held(&h), 0);
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    prov_fini(&p);
}

/* Every power-of-two alignment up to a page, across slab and page paths. */
static void test_alignments(void)
{
    static const size_t sizes[] = { 1, 15, 16, 17, 100, 500, 1000, 1500, 2016, 2017, 4000, 4096, 9000 };
    struct heap h;
    struct prov p;
    void *ptrs[ARRAY_SIZE(sizes) * 13];
    int n = 0;

    prov_init(&p, &h);
    for (size_t a = 1; a <= PAGE_SIZE; a <<= 1) {
        for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
            void *q = heap_alloc(&h, sizes[i], a);
            CU_ASSERT_FATAL(q != NULL);
            CU_ASSERT(((uintptr_t)q & (MAX(a, (size_t)HEAP_MIN_ALIGN) - 1)) == 0);
            memset(q, 0x5a, sizes[i]);
            ptrs[n++] = q;
        }
    }
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    for (int i = 0; i < n; i++)
        CU_ASSERT_EQUAL(heap_free(&h, ptrs[i]), 0);
    CU_ASSERT_EQUAL(heap_used_bytes(&h), 0);
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    heap_trim(&h);
    CU_ASSERT_EQUAL(p.pages_out, 0);
    prov_fini(&p);
}

struct obj {
    uint8_t *p;
    size_t size;
    uint8_t tag;
};

static int cmp_obj(const void *a, const void *b)
{
    const struct obj *x = a, *y = b;
    return x->p < y->p ? -1 : x->p > y->p;
}

static bool pattern_ok(const struct obj *o)
{
    for (size_t i = 0; i < o->size; i++)
        if (o->p[i] != (uint8_t)(o->tag + i))
            return false;
    return true;
}

static size_t random_size(void)
{
    switch (rng_below(10)) {
    case 0: return 1 + rng_below(12000);       /* page path */
    case 1: case 2: return 1 + rng_below(2100); /* around the slab limit */
    default: return 1 + rng_below(256);         /* typical small objects */
    }
}

static size_t random_align(void)
{
    /* Mostly default, sometimes anything up to a page. */
    return rng_below(4) ? 0 : (size_t)1 << rng_below(13);
}

static void test_random_no_overlap(void)
{
    enum { N = 6000 };
    struct heap h;
    struct prov p;
    struct obj *objs = calloc(N, sizeof(*objs));
    struct obj *sorted = calloc(N, sizeof(*objs));
    bool patterns = true, aligned = true, disjoint = true;
    size_t live_min = 0;

    CU_ASSERT_FATAL(objs && sorted);
    prov_init(&p, &h);
    rng_seed(42);
    for (int i = 0; i < N; i++) {
        size_t align = random_align();

        objs[i].size = random_size();
        objs[i].tag = (uint8_t)rng();
        objs[i].p = (rng_below(3) ? heap_alloc : heap_zalloc)(&h, objs[i].size, align);
        CU_ASSERT_FATAL(objs[i].p != NULL);
        if (align)
            aligned &= ((uintptr_t)objs[i].p & (align - 1)) == 0;
        for (size_t k = 0; k < objs[i].size; k++)
            objs[i].p[k] = (uint8_t)(objs[i].tag + k);
        live_min += objs[i].size;
    }
    CU_ASSERT(aligned);
    CU_ASSERT(heap_used_bytes(&h) >= live_min);
    CU_ASSERT_EQUAL(heap_check(&h), 0);

    /* Interval check: sorted by address, each ends before the next starts. */
    memcpy(sorted, objs, N * sizeof(*objs));
    qsort(sorted, N, sizeof(*sorted), cmp_obj);
    for (int i = 1; i < N; i++)
        disjoint &= sorted[i - 1].p + sorted[i - 1].size <= sorted[i].p;
    CU_ASSERT(disjoint);
    for (int i = 0; i < N; i++)
        patterns &= pattern_ok(&objs[i]);
    CU_ASSERT(patterns);

    /* Free in random order, interleaved with fresh allocations that must
     * not disturb survivors. */
    for (int i = N; i > 1; i--) {
        int j = (int)rng_below((size_t)i);
        struct obj t = objs[i - 1];
        objs[i - 1] = objs[j];
        objs[j] = t;
    }
    for (int i = 0; i < N; i++) {
        CU_ASSERT_EQUAL(heap_free(&h, objs[i].p), 0);
        if (i % 7 == 0) {
            size_t sz = random_size();
            uint8_t *q = heap_alloc(&h, sz, random_align());
            CU_ASSERT_FATAL(q != NULL);
            memset(q, 0xee, sz);
            CU_ASSERT_EQUAL(heap_free(&h, q), 0);
        }
        if (i % 1000 == 0) {
            CU_ASSERT_EQUAL(heap_check(&h), 0);
            for (int k = i + 1; k < N; k++)
                patterns &= pattern_ok(&objs[k]);
        }
    }
    CU_ASSERT(patterns);
    CU_ASSERT_EQUAL(heap_used_bytes(&h), 0);
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    /* Only the per-class spares may remain. */
    CU_ASSERT(p.pages_out <= HEAP_NR_CLASSES);
    CU_ASSERT_EQUAL((unsigned long)p.pages_out, heap_pages_held(&h));
    heap_trim(&h);
    CU_ASSERT_EQUAL(p.pages_out, 0);
    CU_ASSERT_EQUAL(heap_check(&h), 0);

    prov_fini(&p);
    free(sorted);
    free(objs);
}

/* Filling a class past one page and draining it returns all but the spare. */
static void test_pages_returned(void)
{
    enum { N = 1000 };
    struct heap h;
    struct prov p;
    void *v[N];

    prov_init(&p, &h);
    for (int i = 0; i < N; i++)
        CU_ASSERT_FATAL((v[i] = heap_alloc(&h, 64, 0)) != NULL);
    CU_ASSERT(p.pages_out >= N / 63);
    for (int i = 0; i < N; i += 2)
        CU_ASSERT_EQUAL(heap_free(&h, v[i]), 0);
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    for (int i = 1; i < N; i += 2)
        CU_ASSERT_EQUAL(heap_free(&h, v[i]), 0);
    CU_ASSERT_EQUAL(p.pages_out, 1);
    CU_ASSERT_EQUAL(heap_check(&h), 0);

    /* Large blocks go straight back. */
    void *big = heap_alloc(&h, 5 * PAGE_SIZE, 0);
    CU_ASSERT_FATAL(big != NULL);
    CU_ASSERT_EQUAL(p.pages_out, 1 + 8);
    CU_ASSERT_EQUAL(heap_used_bytes(&h), 5 * PAGE_SIZE);
    CU_ASSERT_EQUAL(heap_free(&h, big), 0);
    CU_ASSERT_EQUAL(p.pages_out, 1);
    heap_trim(&h);
    CU_ASSERT_EQUAL(p.pages_out, 0);
    prov_fini(&p);
}

static void test_zalloc(void)
{
    struct heap h;
    struct prov p;
    uint8_t *a, *b;
    bool zero = true;

    prov_init(&p, &h);
    a = heap_alloc(&h, 200, 0);
    CU_ASSERT_FATAL(a != NULL);
    memset(a, 0xff, 200);
    CU_ASSERT_EQUAL(heap_free(&h, a), 0);
    b = heap_zalloc(&h, 200, 0);
    CU_ASSERT_FATAL(b != NULL);
    for (int i = 0; i < 200; i++)
        zero &= b[i] == 0;
    CU_ASSERT(zero);
    CU_ASSERT_EQUAL(heap_free(&h, b), 0);

    b = heap_zalloc(&h, 3 * PAGE_SIZE, PAGE_SIZE);
    CU_ASSERT_FATAL(b != NULL);
    zero = true;
    for (size_t i = 0; i < 3 * PAGE_SIZE; i++)
        zero &= b[i] == 0;
    CU_ASSERT(zero);
    CU_ASSERT_EQUAL(heap_free(&h, b), 0);
    heap_trim(&h);
    CU_ASSERT_EQUAL(p.pages_out, 0);
    prov_fini(&p);
}

static void test_bad_frees(void)
{
    struct heap h, other;
    struct prov p, po;
    uint8_t *a, *b, *big, *pg, *foreign;
    size_t used;

    prov_init(&p, &h);
    prov_init(&po, &other);
    p.defer = true;

    a = heap_alloc(&h, 40, 0);
    b = heap_alloc(&h, 40, 0);
    CU_ASSERT_FATAL(a && b);
    used = heap_used_bytes(&h);

    /* Interior pointers and misaligned pointers are not object starts. */
    CU_ASSERT_EQUAL(heap_free(&h, a + 1), -EINVAL);
    CU_ASSERT_EQUAL(heap_free(&h, a + 16), -EINVAL);
    /* The slab header area holds no objects. */
    CU_ASSERT_EQUAL(heap_free(&h, (void *)(((uintptr_t)a & PAGE_MASK) + 16)), -EINVAL);
    CU_ASSERT_EQUAL(heap_used_bytes(&h), used);

    /* Double free of a small object, while its slab is still live. */
    CU_ASSERT_EQUAL(heap_free(&h, a), 0);
    CU_ASSERT_EQUAL(heap_free(&h, a), -EINVAL);
    CU_ASSERT_EQUAL(heap_check(&h), 0);

    /* Double free once the slab became the empty spare. */
    CU_ASSERT_EQUAL(heap_free(&h, b), 0);
    CU_ASSERT_EQUAL(heap_free(&h, b), -EINVAL);
    CU_ASSERT_EQUAL(heap_check(&h), 0);

    /* Large blocks, including the page-aligned kind, after return to the
     * provider: the cleared header gives them away. */
    big = heap_alloc(&h, 3 * PAGE_SIZE, 0);
    pg = heap_alloc(&h, 100, PAGE_SIZE);
    CU_ASSERT_FATAL(big && pg);
    CU_ASSERT(((uintptr_t)pg & (PAGE_SIZE - 1)) == 0);
    CU_ASSERT_EQUAL(heap_free(&h, big + 16), -EINVAL);
    CU_ASSERT_EQUAL(heap_free(&h, big), 0);
    CU_ASSERT_EQUAL(heap_free(&h, big), -EINVAL);
    CU_ASSERT_EQUAL(heap_free(&h, pg), 0);
    CU_ASSERT_EQUAL(heap_free(&h, pg), -EINVAL);
    CU_ASSERT_EQUAL(heap_check(&h), 0);

    /* A small object whose slab went back to the provider. */
    heap_trim(&h);
    CU_ASSERT_EQUAL(heap_free(&h, b), -EINVAL);

    /* Another heap's object is refused by the wrong heap, accepted by its own. */
    a = heap_alloc(&other, 40, 0);
    CU_ASSERT_FATAL(a != NULL);
    CU_ASSERT_EQUAL(heap_free(&h, a), -EINVAL);
    CU_ASSERT_EQUAL(heap_check(&other), 0);
    CU_ASSERT_EQUAL(heap_free(&other, a), 0);

    /* Memory the heap never saw. */
    foreign = aligned_alloc(PAGE_SIZE, 2 * PAGE_SIZE);
    CU_ASSERT_FATAL(foreign != NULL);
    memset(foreign, 0, 2 * PAGE_SIZE);
    CU_ASSERT_EQUAL(heap_free(&h, foreign + 64), -EINVAL);
    CU_ASSERT_EQUAL(heap_free(&h, foreign + PAGE_SIZE), -EINVAL);
    free(foreign);

    CU_ASSERT_EQUAL(heap_used_bytes(&h), 0);
    CU_ASSERT_EQUAL(heap_check(&h), 0);
    CU_ASSERT_EQUAL(p.pages_out, 0);
    heap_trim(&other);
    CU_ASSERT_EQUAL(po.pages_out, 0);
    prov_fini(&p);
    prov_fini(&po);
}

static void test_check_detects_corruption(void)
{
    struct heap h;
    struct prov p;
    uint8_t *a, *big;

    prov_init(&p, &h);
    a = heap_alloc(&h, 100, 0);
    big = heap_alloc(&h, 10000, 0);
    CU_ASSERT_FATAL(a && big);
    CU_ASSERT_EQUAL(heap_check(&h), 0);

    h.used_bytes++;
    CU_ASSERT_EQUAL(heap_check(&h), -EINVAL);
    h.used_bytes--;
    h.pages++;
    CU_ASSERT_EQUAL(heap_check(&h), -EINVAL);
    h.pages--;

    /* Scribble over the slab header (first word is the magic). */
    uint32_t *magic = (uint32_t *)((uintptr_t)a & PAGE_MASK);
    uint32_t saved = *magic;
    *magic ^= 1;
    CU_ASSERT_EQUAL(heap_check(&h), -EINVAL);
    CU_ASSERT_EQUAL(heap_free(&h, a), -EINVAL);
    *magic = saved;

    /* An overrun from the previous page into a large block's header. */
    magic = (uint32_t *)((uintptr_t)big & PAGE_MASK);
    saved = *magic;
    *magic = 0;
    CU_ASSERT_EQUAL(heap_check(&h), -EINVAL);
    *magic = saved;

    CU_ASSERT_EQUAL(heap_check(&h), 0);
    CU_ASSERT_EQUAL(heap_free(&h, a), 0);
    CU_ASSERT_EQUAL(heap_free(&h, big), 0);
    heap_trim(&h);
    CU_ASSERT_EQUAL(p.pages_out, 0);
    prov_fini(&p);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "basic alloc/free and spare reuse", test_basic },
        { "bad arguments and provider failure", test_bad_args },
        { "every alignment, slab and page paths", test_alignments },
        { "random sizes: no overlap, random free order", test_random_no_overlap },
        { "empty slabs and large blocks returned", test_pages_returned },
        { "zalloc zeroes", test_zalloc },
        { "double / interior / foreign frees refused", test_bad_frees },
        { "check detects corruption", test_check_detects_corruption },
        { NULL, NULL },
    };
    unit_add_suite("xmalloc", cases);
}
