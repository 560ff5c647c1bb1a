/* SPDX-License-Identifier: MIT */
/*
 * Small-object heap: size-class slabs plus whole-page blocks. See
 * xeno/xmalloc.h for the contract. Pure logic: no locking, no hardware.
 */
#include "xeno/xmalloc.h"
#include "xeno/errno.h"
#include "xeno/string.h"

/* Distinct, unlikely-in-the-wild values; cleared when a page goes back to
 * the provider so stale pointers into it are not mistaken for live ones. */
#define SLAB_MAGIC  0x51ab7e0du
#define LARGE_MAGIC 0x1a76eb10u

#define SLAB_MAP_WORDS 4   /* bitmap capacity: 256 objects per slab */

/* Common prefix of every page the heap hands out objects from. */
struct page_hdr {
    uint32_t magic;
    uint16_t nfree;          /* slab: objects not allocated */
    uint8_t  cls;            /* slab: size class index */
    uint8_t  order;          /* large: block order */
    struct heap *heap;       /* catches a free into the wrong heap */
    struct list_head link;   /* slab: class partial/full list; large: heap->large */
};

struct heap_slab {
    struct page_hdr hdr;
    uint64_t map[SLAB_MAP_WORDS];   /* bit set = object allocated */
};

struct heap_large {
    struct page_hdr hdr;
    uint32_t data_off;       /* user pointer = block + data_off */
    size_t size;             /* requested size, for used-bytes accounting */
};

_Static_assert(sizeof(struct heap_slab) == 64, "slab header size drives the class table");

#define SLAB_ROOM (PAGE_SIZE - sizeof(struct heap_slab))
#define CLASS(s) { (s), SLAB_ROOM / (s) }

/*
 * Each class is sized to fit a whole number of objects in the room after
 * the header with at most a few bytes lost, rather than in fixed 2^n or
 * 1.25x steps. Objects are packed against the end of the page, so an
 * object's address is aligned to the lowest set bit of its class size; the
 * power-of-two classes exist mainly to serve aligned requests.
 */
static const struct slab_class {
    uint16_t size;
    uint16_t nobj;
} classes[HEAP_NR_CLASSES] = {
    CLASS(16),  CLASS(32),  CLASS(48),  CLASS(64),
    CLASS(80),  CLASS(96),  CLASS(112), CLASS(128),
    CLASS(160), CLASS(192), CLASS(224), CLASS(256),
    CLASS(288), CLASS(336), CLASS(384), CLASS(448),
    CLASS(512), CLASS(576), CLASS(672), CLASS(800),
    CLASS(1008), CLASS(1024), CLASS(1344), CLASS(HEAP_SLAB_MAX),
};

_Static_assert(SLAB_ROOM / 16 <= SLAB_MAP_WORDS * 64, "bitmap too small for the 16-byte class");
/* nobj >= 2 keeps "became non-full" and "became empty" distinct events. */
_Static_assert(SLAB_ROOM / HEAP_SLAB_MAX >= 2, "largest class must fit twice");

static inline size_t class_align(const struct slab_class *c)
{
    return (size_t)c->size & -(size_t)c->size;
}

/* First object's offset within its page. */
static inline size_t class_first(const struct slab_class *c)
{
    return PAGE_SIZE - (size_t)c->nobj * c->size;
}

static unsigned int popcount64(uint64_t x)
{
    /* Open-coded: __builtin_popcountll may become a libgcc call. */
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    return (unsigned int)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Smallest class that holds `size` at `align`, or -1 for the page path. */
static int pick_class(size_t size, size_t align)
{
    if (size > HEAP_SLAB_MAX)
        return -1;
    for (int i = 0; i < HEAP_NR_CLASSES; i++)
        if (classes[i].size >= size && class_align(&classes[i]) >= align)
            return i;
    return -1;
}

void heap_init(struct heap *h, const struct heap_pages_ops *ops)
{
    h->ops = *ops;
    for (int i = 0; i < HEAP_NR_CLASSES; i++) {
        list_init(&h->cls[i].partial);
        list_init(&h->cls[i].full);
        h->cls[i].spare = NULL;
    }
    list_init(&h->large);
    h->used_bytes = 0;
    h->pages = 0;
}

static void *get_pages(struct heap *h, unsigned int order)
{
    void *va = h->ops.alloc_pages(h->ops.ctx, order);

    /* Header lookup by rounding down depends on alignment: refuse rather
     * than hand out memory heap_free() could never find again. */
    if (va && ((uintptr_t)va & (PAGE_SIZE - 1))) {
        h->ops.free_pages(h->ops.ctx, va, order);
        return NULL;
    }
    if (va)
        h->pages += 1UL << order;
    return va;
}

static void put_pages(struct heap *h, struct page_hdr *hdr, unsigned int order)
{
    hdr->magic = 0;
    hdr->heap = NULL;
    h->pages -= 1UL << order;
    h->ops.free_pages(h->ops.ctx, hdr, order);
}

static struct heap_slab *new_slab(struct heap *h, unsigned int ci)
{
    struct heap_slab *s = get_pages(h, 0);

    if (!s)
        return NULL;
    s->hdr.magic = SLAB_MAGIC;
    s->hdr.nfree = classes[ci].nobj;
    s->hdr.cls = (uint8_t)ci;
    s->hdr.order = 0;
    s->hdr.heap = h;
    list_init(&s->hdr.link);
    memset(s->map, 0, sizeof(s->map));
    return s;
}

static void *slab_alloc(struct heap *h, unsigned int ci)
{
    struct heap_class *hc = &h->cls[ci];
    const struct slab_class *c = &classes[ci];
    struct heap_slab *s;
    unsigned int idx = 0;

    if (!list_empty(&hc->partial)) {
        s = list_first_entry(&hc->partial, struct heap_slab, hdr.link);
    } else {
        if (hc->spare) {
            s = hc->spare;
            hc->spare = NULL;
        } else if (!(s = new_slab(h, ci))) {
            return NULL;
        }
        list_add(&s->hdr.link, &hc->partial);
    }

    /* Lowest free index: nfree > 0 guarantees one below nobj, and bits at
     * or above nobj are never set. */
    for (unsigned int w = 0; w < SLAB_MAP_WORDS; w++) {
        if (~s->map[w]) {
            idx = w * 64 + (unsigned int)__builtin_ctzll(~s->map[w]);
            break;
        }
    }
    s->map[idx / 64] |= UINT64_C(1) << (idx % 64);
    if (--s->hdr.nfree == 0) {
        list_del(&s->hdr.link);
        list_add(&s->hdr.link, &hc->full);
    }
    h->used_bytes += c->size;
    return (char *)s + class_first(c) + (size_t)idx * c->size;
}

static void *large_alloc(struct heap *h, size_t size, size_t align)
{
    size_t off = ROUNDUP(sizeof(struct heap_large), align);
    size_t pages;
    unsigned int order = 0;
    struct heap_large *l;

    if (size > SIZE_MAX - off - PAGE_SIZE)
        return NULL;
    pages = (off + size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    while ((1UL << order) < pages)
        order++;
    if (!(l = get_pages(h, order)))
        return NULL;
    l->hdr.magic = LARGE_MAGIC;
    l->hdr.nfree = 0;
    l->hdr.cls = 0;
    l->hdr.order = (uint8_t)order;
    l->hdr.heap = h;
    l->data_off = (uint32_t)off;
    l->size = size;
    list_add(&l->hdr.link, &h->large);
    h->used_bytes += size;
    return (char *)l + off;
}

void *heap_alloc(struct heap *h, size_t size, size_t align)
{
    int ci;

    if (size == 0 || align > PAGE_SIZE || (align & (align - 1)))
        return NULL;
    if (align < HEAP_MIN_ALIGN)
        align = HEAP_MIN_ALIGN;
    ci = pick_class(size, align);
    if (ci >= 0)
        return slab_alloc(h, (unsigned int)ci);
    return large_alloc(h, size, align);
}

void *heap_zalloc(struct heap *h, size_t size, size_t align)
{
    void *p = heap_alloc(h, size, align);

    if (p)
        memset(p, 0, size);
    return p;
}

static int slab_free(struct heap *h, struct heap_slab *s, void *p)
{
    struct heap_class *hc;
    const struct slab_class *c;
    size_t off, first;
    unsigned int idx;
    uint64_t bit;

    if (s->hdr.cls >= HEAP_NR_CLASSES)
        return -EINVAL;
    hc = &h->cls[s->hdr.cls];
    c = &classes[s->hdr.cls];
    off = (size_t)((char *)p - (char *)s);
    first = class_first(c);
    if (off < first || (off - first) % c->size)
        return -EINVAL;
    idx = (unsigned int)((off - first) / c->size);
    bit = UINT64_C(1) << (idx % 64);
    if (!(s->map[idx / 64] & bit))
        return -EINVAL;   /* double free (or never allocated) */

    s->map[idx / 64] &= ~bit;
    h->used_bytes -= c->size;
    if (s->hdr.nfree++ == 0) {
        list_del(&s->hdr.link);
        list_add(&s->hdr.link, &hc->partial);
    }
    if (s->hdr.nfree == c->nobj) {
        list_del(&s->hdr.link);
        if (!hc->spare)
            hc->spare = s;
        else
            put_pages(h, &s->hdr, 0);
    }
    return 0;
}

static int large_free(struct heap *h, struct heap_large *l, void *p)
{
    if ((char *)p != (char *)l + l->data_off)
        return -EINVAL;
    list_del(&l->hdr.link);
    h->used_bytes -= l->size;
    put_pages(h, &l->hdr, l->hdr.order);
    return 0;
}

int heap_free(struct heap *h, void *p)
{
    uintptr_t a = (uintptr_t)p;
    struct page_hdr *hdr;

    if (!p)
        return 0;
    /* Slab objects are never page-aligned (the header comes first); a
     * page-aligned pointer can only be a PAGE_SIZE-aligned large block,
     * whose header fills the page before it. */
    if ((a & (PAGE_SIZE - 1)) == 0)
        hdr = (struct page_hdr *)(a - PAGE_SIZE);
    else
        hdr = (struct page_hdr *)(a & PAGE_MASK);
    if (hdr->heap != h)
        return -EINVAL;
    if (hdr->magic == SLAB_MAGIC && (a & (PAGE_SIZE - 1)))
        return slab_free(h, (struct heap_slab *)hdr, p);
    if (hdr->magic == LARGE_MAGIC)
        return large_free(h, (struct heap_large *)hdr, p);
    return -EINVAL;
}

size_t heap_used_bytes(const struct heap *h)
{
    return h->used_bytes;
}

unsigned long heap_pages_held(const struct heap *h)
{
    return h->pages;
}

unsigned long heap_trim(struct heap *h)
{
    unsigned long n = 0;

    for (int i = 0; i < HEAP_NR_CLASSES; i++) {
        if (h->cls[i].spare) {
            put_pages(h, &h->cls[i].spare->hdr, 0);
            h->cls[i].spare = NULL;
            n++;
        }
    }
    return n;
}

/*
 * Validate one slab; `want` selects the fill level its placement implies:
 * 0 = partial (some free, some used), 1 = full, 2 = empty spare.
 * Returns the bytes it has handed out, or -1 if it is inconsistent.
 */
static long check_slab(const struct heap *h, const struct heap_slab *s,
                       unsigned int ci, int want)
{
    const struct slab_class *c = &classes[ci];
    unsigned int used = 0;

    if (((uintptr_t)s & (PAGE_SIZE - 1)) || s->hdr.magic != SLAB_MAGIC ||
        s->hdr.heap != h || s->hdr.cls != ci)
        return -1;
    for (unsigned int w = 0; w < SLAB_MAP_WORDS; w++) {
        uint64_t m = s->map[w];

        unsigned int lo = w * 64;

        /* Bits for indices at or past nobj must never be set. */
        if (c->nobj <= lo ? m != 0 : (c->nobj - lo < 64 && (m >> (c->nobj - lo))))
            return -1;
        used += popcount64(m);
    }
    if (used + s->hdr.nfree != c->nobj)
        return -1;
    if ((want == 0 && (used == 0 || s->hdr.nfree == 0)) ||
        (want == 1 && s->hdr.nfree != 0) ||
        (want == 2 && used != 0))
        return -1;
    return (long)used * c->size;
}

/* Walk a slab list; adds to *bytes and *pages, returns false on corruption. */
static bool check_slab_list(const struct heap *h, const struct list_head *head,
                            unsigned int ci, int want, size_t *bytes, unsigned long *pages)
{
    const struct list_head *e;

    for (e = head->next; e != head; e = e->next) {
        long b;

        /* Bound the walk: a corrupted list could loop forever. */
        if (*pages >= h->pages || e->next->prev != e)
            return false;
        b = check_slab(h, list_entry(e, const struct heap_slab, hdr.link), ci, want);
        if (b < 0)
            return false;
        *bytes += (size_t)b;
        (*pages)++;
    }
    return head->next->prev == head;
}

int heap_check(const struct heap *h)
{
    size_t bytes = 0;
    unsigned long pages = 0;
    const struct list_head *e;

    for (unsigned int ci = 0; ci < HEAP_NR_CLASSES; ci++) {
        const struct heap_class *hc = &h->cls[ci];

        if (!check_slab_list(h, &hc->partial, ci, 0, &bytes, &pages) ||
            !check_slab_list(h, &hc->full, ci, 1, &bytes, &pages))
            return -EINVAL;
        if (hc->spare) {
            if (check_slab(h, hc->spare, ci, 2) < 0)
                return -EINVAL;
            pages++;
        }
    }

    for (e = h->large.next; e != &h->large; e = e->next) {
        const struct heap_large *l = list_entry(e, const struct heap_large, hdr.link);
        size_t span;

        if (pages >= h->pages || e->next->prev != e)
            return -EINVAL;
        if (((uintptr_t)l & (PAGE_SIZE - 1)) || l->hdr.magic != LARGE_MAGIC ||
            l->hdr.heap != h || l->hdr.order >= 64 - PAGE_SHIFT)
            return -EINVAL;
        span = PAGE_SIZE << l->hdr.order;
        if (l->data_off < sizeof(*l) || l->data_off > PAGE_SIZE ||
            (l->data_off & (HEAP_MIN_ALIGN - 1)) || l->size > span - l->data_off)
            return -EINVAL;
        bytes += l->size;
        pages += 1UL << l->hdr.order;
    }
    if (h->large.next->prev != &h->large)
        return -EINVAL;

    if (bytes != h->used_bytes || pages != h->pages)
        return -EINVAL;
    return 0;
}
