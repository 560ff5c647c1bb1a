// UNIT-SOURCES: hypervisor/common/grant_table.c
/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "xeno/grant_table.h"
#include "xeno/errno.h"

#include <stdlib.h>
#include <string.h>

/*
 * A fake machine: NPAGES data frames with an owner and reference counts,
 * table frames from aligned_alloc with made-up MFNs, and a PTE list for
 * host mappings. Domains are calloc'ed tables found by id.
 */
#define NPAGES      256
#define TABLE_MFN0  0x10000u       /* MFNs given to table frames */
#define NO_OWNER    0xffffu
#define BAD_ADDR    0xbad000u      /* create_host_mapping refuses it */

static uint16_t page_owner[NPAGES];
static int page_ref[NPAGES], page_type[NPAGES];
static unsigned int next_data_mfn;

struct fdom {
    struct grant_table gt;
    struct gnttab_active *active;
    struct gnttab_maptrack *mt;
};

#define MAX_DOMS 4
static struct fdom *doms[MAX_DOMS];

static unsigned int next_table_mfn, frames_alloced, frames_freed;
static int alloc_fail_idx = -1;            /* frame index alloc_frame refuses */

static int get_frame_calls, get_frame_rc = GNTST_okay;   /* forced status if != okay */
static int get_page_rc = GNTST_okay;

#define MAX_PTES 64
static struct pte {
    bool used;
    uint64_t addr;
    mfn_t mfn;
    uint32_t flags;
    unsigned int cache;
    domid_t mapper;
} ptes[MAX_PTES];
static int destroy_calls;
static uint32_t last_destroy_flags;

static void (*race_action)(struct grant_entry_v1 *e);
static int race_calls;

static struct grant_table *cb_lookup(void *ctx, domid_t domid)
{
    CU_ASSERT_PTR_EQUAL(ctx, (void *)doms);
    CU_ASSERT(domid < DOMID_FIRST_RESERVED);
    for (int i = 0; i < MAX_DOMS; i++)
        if (doms[i] && doms[i]->gt.domid == domid)
            return &doms[i]->gt;
    return NULL;
}

static void *cb_alloc_frame(void *ctx, struct grant_table *gt, unsigned int idx, mfn_t *mfn)
{
    (void)ctx;
    (void)gt;
    if ((int)idx == alloc_fail_idx)
        return NULL;
    void *va = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    memset(va, 0xa5, PAGE_SIZE);            /* the library must zero it */
    *mfn = TABLE_MFN0 + next_table_mfn++;
    frames_alloced++;
    return va;
}

static void cb_free_frame(void *ctx, struct grant_table *gt, unsigned int idx, void *va, mfn_t mfn)
{
    (void)ctx;
    CU_ASSERT_PTR_EQUAL(gt->frame[idx], va);
    CU_ASSERT(mfn >= TABLE_MFN0);
    free(va);
    frames_freed++;
}

static int cb_get_frame(void *ctx, struct grant_table *owner, uint64_t frame, bool ro, mfn_t *mfn)
{
    (void)ctx;
    (void)ro;
    get_frame_calls++;
    if (get_frame_rc != GNTST_okay)
        return get_frame_rc;
    if (frame >= NPAGES || page_owner[frame] != owner->domid)
        return GNTST_bad_page;
    *mfn = frame;
    return GNTST_okay;
}

static int nr_sides(uint32_t flags)
{
    return !!(flags & GNTMAP_host_map) + !!(flags & GNTMAP_device_map);
}

static int cb_get_page(void *ctx, struct grant_table *owner, mfn_t mfn, uint32_t flags)
{
    (void)ctx;
    if (get_page_rc != GNTST_okay)
        return get_page_rc;
    if (mfn >= NPAGES || page_owner[mfn] != owner->domid)
        return GNTST_general_error;
    page_ref[mfn] += nr_sides(flags);
    if (!(flags & GNTMAP_readonly))
        page_type[mfn] += nr_sides(flags);
    return GNTST_okay;
}

static void cb_put_page(void *ctx, struct grant_table *owner, mfn_t mfn, uint32_t flags)
{
    (void)ctx;
    (void)owner;
    CU_ASSERT_FATAL(mfn < NPAGES);
    page_ref[mfn] -= nr_sides(flags);
    if (!(flags & GNTMAP_readonly))
        page_type[mfn] -= nr_sides(flags);
    CU_ASSERT(page_ref[mfn] >= 0);
    CU_ASSERT(page_type[mfn] >= 0);
}

static int cb_create(void *ctx, struct grant_table *mapper, uint64_t addr, mfn_t mfn,
                     uint32_t flags, unsigned int cache)
{
    (void)ctx;
    if (addr == BAD_ADDR)
        return GNTST_general_error;
    for (int i = 0; i < MAX_PTES; i++)
        if (!ptes[i].used) {
            ptes[i] = (struct pte){ true, addr, mfn, flags, cache, mapper->domid };
            return GNTST_okay;
        }
    return GNTST_general_error;
}

static struct pte *find_pte(domid_t mapper, uint64_t addr)
{
    for (int i = 0; i < MAX_PTES; i++)
        if (ptes[i].used && ptes[i].mapper == mapper && ptes[i].addr == addr)
            return &ptes[i];
    return NULL;
}

static int cb_destroy(void *ctx, struct grant_table *mapper, uint64_t addr, mfn_t mfn,
                      uint32_t flags)
{
    (void)ctx;
    struct pte *p = find_pte(mapper->domid, addr);

    destroy_calls++;
    last_destroy_flags = flags;
    if (!p || p->mfn != mfn)
        return GNTST_general_error;
    p->used = false;
    return GNTST_okay;
}

static void cb_race(void *ctx, struct grant_entry_v1 *e)
{
    (void)ctx;
    race_calls++;
    if (race_action)
        race_action(e);
}

static const struct gnttab_env env = {
    .lookup = cb_lookup,
    .alloc_frame = cb_alloc_frame,
    .free_frame = cb_free_frame,
    .get_frame = cb_get_frame,
    .get_page = cb_get_page,
    .put_page = cb_put_page,
    .create_host_mapping = cb_create,
    .destroy_host_mapping = cb_destroy,
    .before_cmpxchg = cb_race,
    .ctx = doms,
};

/* Domain ids: dom0 maps (backend), domU 1 grants (frontend), 2 is a third party. */
enum { D0 = 0, DU = 1, D2 = 2 };

static void reset(void)
{
    for (int i = 0; i < NPAGES; i++)
        page_owner[i] = NO_OWNER;
    memset(page_ref, 0, sizeof(page_ref));
    memset(page_type, 0, sizeof(page_type));
    memset(ptes, 0, sizeof(ptes));
    next_data_mfn = 1;
    next_table_mfn = frames_alloced = frames_freed = 0;
    alloc_fail_idx = -1;
    get_frame_calls = 0;
    get_frame_rc = get_page_rc = GNTST_okay;
    destroy_calls = 0;
    race_action = NULL;
    race_calls = 0;
}

static struct fdom *mkdom(domid_t id, unsigned int max_frames, unsigned int mt_limit)
{
    struct fdom *d = calloc(1, sizeof(*d));
    d->active = calloc(max_frames * GNTTAB_ENTRIES_PER_FRAME, sizeof(*d->active));
    d->mt = mt_limit ? calloc(mt_limit, sizeof(*d->mt)) : NULL;
    CU_ASSERT_EQUAL_FATAL(gnttab_table_init(&env, &d->gt, id, max_frames, d->active, d->mt,
                                            mt_limit), 0);
    for (int i = 0; i < MAX_DOMS; i++)
        if (!doms[i]) {
            doms[i] = d;
            return d;
        }
    CU_FAIL_FATAL("too many domains");
    return NULL;
}

static void rmdom(struct fdom *d)
{
    for (int i = 0; i < MAX_DOMS; i++)
        if (doms[i] == d)
            doms[i] = NULL;
    /* Frames: freed by destroy when not busy, else here. */
    if (gnttab_table_destroy(&env, &d->gt) != 0)
        for (unsigned int i = 0; i < d->gt.nr_frames; i++)
            free(d->gt.frame[i]);
    free(d->active);
    free(d->mt);
    free(d);
}

static void fini(void)
{
    for (int i = 0; i < MAX_DOMS; i++)
        if (doms[i])
            rmdom(doms[i]);
}

/* A standard setup: dom0 (privileged backend) and a domU granter. */
static struct fdom *g_d0, *g_du;

static void setup(void)
{
    reset();
    g_d0 = mkdom(D0, 4, 16);
    g_d0->gt.privileged = true;
    g_du = mkdom(DU, 4, 16);
}

static mfn_t data_page(domid_t owner)
{
    mfn_t m = next_data_mfn++;
    page_owner[m] = owner;
    return m;
}

/* The guest-side grant protocol: domid and frame, then flags. */
static struct grant_entry_v1 *grant(struct fdom *g, grant_ref_t ref, domid_t to, uint32_t frame,
                                    uint16_t flags)
{
    struct grant_entry_v1 *e = gnttab_shared_entry(&g->gt, ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    e->domid = to;
    e->frame = frame;
    __atomic_store_n(&e->flags, flags, __ATOMIC_SEQ_CST);
    return e;
}

static uint16_t flags_of(struct fdom *g, grant_ref_t ref)
{
    return __atomic_load_n(&gnttab_shared_entry(&g->gt, ref)->flags, __ATOMIC_SEQ_CST);
}

static uint32_t pins_of(struct fdom *g, grant_ref_t ref)
{
    return g->gt.active[ref].pin;
}

/* Handles on the free list (no leaks, no double frees). */
static unsigned int free_handles(const struct fdom *d)
{
    unsigned int n = 0;
    for (uint32_t h = d->gt.mt_head; h != UINT32_MAX && n <= d->gt.maptrack_limit;
         h = d->gt.maptrack[h].next)
        n++;
    return n;
}

static struct gnttab_map_grant_ref last_map;

static int16_t map(struct fdom *m, domid_t dom, grant_ref_t ref, uint32_t flags, uint64_t addr,
                   grant_handle_t *handle)
{
    last_map = (struct gnttab_map_grant_ref){
        .host_addr = addr, .flags = flags, .ref = ref, .dom = dom,
        .status = 99, .handle = 0xdead, .dev_bus_addr = 0xdead,
    };
    CU_ASSERT_EQUAL(gnttab_map(&env, &m->gt, &last_map), 0);
    if (handle)
        *handle = last_map.handle;
    return last_map.status;
}

static struct gnttab_unmap_done last_done;

/* Phase 1 only. */
static int16_t unmap1(struct fdom *m, grant_handle_t handle, uint64_t addr, uint64_t dev)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = addr, .dev_bus_addr = dev, .handle = handle, .status = 99,
    };
    CU_ASSERT_EQUAL(gnttab_unmap(&env, &m->gt, &op, &last_done), 0);
    return op.status;
}

/* Both phases, as the glue does around its TLB flush. */
static int16_t unmap(struct fdom *m, grant_handle_t handle, uint64_t addr, uint64_t dev)
{
    int16_t st = unmap1(m, handle, addr, dev);
    gnttab_unmap_complete(&env, &last_done);
    return st;
}

#define VA(n) (0xffffc90000000000ull + (uint64_t)(n) * PAGE_SIZE)

/*
 * Tables.
 */

static void test_init(void)
{
    reset();
    struct gnttab_active act[GNTTAB_ENTRIES_PER_FRAME];
    struct grant_table gt;

    CU_ASSERT_EQUAL(GNTTAB_ENTRIES_PER_FRAME, 512);
    CU_ASSERT_EQUAL(gnttab_table_init(&env, &gt, 5, 0, act, NULL, 0), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_table_init(&env, &gt, 5, GNTTAB_MAX_FRAMES + 1, act, NULL, 0), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_table_init(&env, &gt, 5, 1, NULL, NULL, 0), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_table_init(&env, &gt, 5, 1, act, NULL, 4), -EINVAL);
    alloc_fail_idx = 0;
    CU_ASSERT_EQUAL(gnttab_table_init(&env, &gt, 5, 1, act, NULL, 0), -ENOMEM);
    alloc_fail_idx = -1;

    struct fdom *d = mkdom(DU, 4, 8);
    CU_ASSERT_EQUAL(d->gt.nr_frames, 1);
    CU_ASSERT_EQUAL(d->gt.max_frames, 4);
    CU_ASSERT_EQUAL(gnttab_nr_entries(&d->gt), 512);
    CU_ASSERT_EQUAL(d->gt.frame_mfn[0], TABLE_MFN0);
    CU_ASSERT_PTR_NOT_NULL(gnttab_shared_entry(&d->gt, 511));
    CU_ASSERT_PTR_NULL(gnttab_shared_entry(&d->gt, 512));
    /* Zeroed: every entry GTF_invalid. */
    const unsigned char *p = (const unsigned char *)d->gt.frame[0];
    unsigned int nz = 0;
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        nz += p[i] != 0;
    CU_ASSERT_EQUAL(nz, 0);
    CU_ASSERT_FALSE(gnttab_table_busy(&d->gt));
    fini();
    CU_ASSERT_EQUAL(frames_alloced, frames_freed);
}

static void test_op_check(void)
{
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_map_grant_ref, 5), 0);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_unmap_grant_ref, 0), 0);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_copy, 3), 0);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_set_version, 7), 0);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_get_version, 0), 0);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_setup_table, 1), 0);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_setup_table, 2), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_query_size, 0), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_get_status_frames, 1), 0);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_map_grant_ref, 0x80000000u), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_map_grant_ref | (1u << 12), 1), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_transfer, 1), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_dump_table, 1), -ENOSYS);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_unmap_and_replace, 1), -ENOSYS);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_swap_grant_ref, 1), -ENOSYS);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_cache_flush, 1), -ENOSYS);
    CU_ASSERT_EQUAL(gnttab_op_check(GNTTABOP_cache_flush | (5u << 12), 1), -ENOSYS);
    CU_ASSERT_EQUAL(gnttab_op_check(13, 1), -ENOSYS);
}

/*
 * Map / unmap.
 */

static void test_map_ro(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 10, D0, (uint32_t)pg, GTF_permit_access | GTF_readonly);
    grant_handle_t h;

    CU_ASSERT_EQUAL(map(g_d0, DU, 10, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(h, 0);
    CU_ASSERT_EQUAL(last_map.dev_bus_addr, pg << PAGE_SHIFT);
    CU_ASSERT_EQUAL(flags_of(g_du, 10), GTF_permit_access | GTF_readonly | GTF_reading);
    CU_ASSERT_EQUAL(page_ref[pg], 1);
    CU_ASSERT_EQUAL(page_type[pg], 0);
    struct pte *p = find_pte(D0, VA(1));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->mfn, pg);
    CU_ASSERT_TRUE(gnttab_table_busy(&g_du->gt));
    CU_ASSERT_FALSE(gnttab_table_busy(&g_d0->gt));
    CU_ASSERT_EQUAL(g_d0->gt.maptrack[h].domid, DU);
    CU_ASSERT_EQUAL(g_d0->gt.maptrack[h].ref, 10);

    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 10), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(page_ref[pg], 0);
    CU_ASSERT_PTR_NULL(find_pte(D0, VA(1)));
    CU_ASSERT_FALSE(gnttab_table_busy(&g_du->gt));
    fini();
}

static void test_map_rw(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 11, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    CU_ASSERT_EQUAL(map(g_d0, DU, 11, GNTMAP_host_map, VA(2), &h), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 11), GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(page_ref[pg], 1);
    CU_ASSERT_EQUAL(page_type[pg], 1);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(2), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 11), GTF_permit_access);
    CU_ASSERT_EQUAL(page_type[pg], 0);

    /* Read-only map of a writable grant: only GTF_reading. */
    CU_ASSERT_EQUAL(map(g_d0, DU, 11, GNTMAP_host_map | GNTMAP_readonly, VA(2), &h), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 11), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(2), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 11), GTF_permit_access);
    fini();
}

static void test_map_denied(void)
{
    setup();
    struct fdom *d2 = mkdom(D2, 1, 4);
    mfn_t pg = data_page(DU);
    grant(g_du, 12, D0, (uint32_t)pg, GTF_permit_access | GTF_readonly);

    /* Writable map of a read-only grant: Xen says general_error. */
    CU_ASSERT_EQUAL(map(g_d0, DU, 12, GNTMAP_host_map, VA(1), NULL), GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 12), GTF_permit_access | GTF_readonly);
    /* Another domain than the grantee. */
    CU_ASSERT_EQUAL(map(d2, DU, 12, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL),
                    GNTST_general_error);
    /* Neither host nor device: Xen's bad_gntref. */
    CU_ASSERT_EQUAL(map(g_d0, DU, 12, GNTMAP_readonly, VA(1), NULL), GNTST_bad_gntref);
    CU_ASSERT_EQUAL(map(g_d0, DU, 12, GNTMAP_application_map | GNTMAP_contains_pte, VA(1), NULL),
                    GNTST_bad_gntref);
    CU_ASSERT_EQUAL(flags_of(g_du, 12), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(page_ref[pg], 0);
    CU_ASSERT_EQUAL(get_frame_calls, 0);
    /* No handle leaked by the failures. Only the first took one of
     * dom0's (handle 0; the flag checks come before the handle), and it
     * went back to the tail, so the next map gets handle 1. */
    CU_ASSERT_EQUAL(free_handles(g_d0), 16);
    grant_handle_t h;
    CU_ASSERT_EQUAL(map(g_d0, DU, 12, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(h, 1);
    CU_ASSERT_EQUAL(free_handles(g_d0), 15);
    /* Pinned by dom0: a third domain is refused without a look at the entry. */
    grant(g_du, 12, D2, (uint32_t)pg, GTF_permit_access | GTF_readonly | GTF_reading);
    CU_ASSERT_EQUAL(map(d2, DU, 12, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    fini();
}

static void test_map_bad_type(void)
{
    setup();
    mfn_t pg = data_page(DU);
    static const uint16_t bad[] = {
        GTF_invalid, GTF_accept_transfer, GTF_transitive,
        GTF_permit_access | GTF_sub_page,          /* v2 bit: refused by map */
        GTF_invalid | GTF_readonly,
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        grant(g_du, 20, D0, (uint32_t)pg, bad[i]);
        CU_ASSERT_EQUAL(map(g_d0, DU, 20, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL),
                        GNTST_general_error);
        CU_ASSERT_EQUAL(flags_of(g_du, 20), bad[i]);
    }
    /* Cache attribute bits are passed to the host mapping. */
    grant(g_du, 21, D0, (uint32_t)pg, GTF_permit_access | GTF_PCD | GTF_PWT);
    grant_handle_t h;
    CU_ASSERT_EQUAL(map(g_d0, DU, 21, GNTMAP_host_map, VA(3), &h), GNTST_okay);
    CU_ASSERT_EQUAL(find_pte(D0, VA(3))->cache, GTF_PCD | GTF_PWT);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(3), 0), GNTST_okay);
    fini();
}

static void test_bad_ref_domain(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 511, D0, (uint32_t)pg, GTF_permit_access);

    CU_ASSERT_EQUAL(map(g_d0, DU, 512, GNTMAP_host_map, VA(1), NULL), GNTST_bad_gntref);
    CU_ASSERT_EQUAL(map(g_d0, DU, 0xffffffffu, GNTMAP_host_map, VA(1), NULL), GNTST_bad_gntref);
    CU_ASSERT_EQUAL(map(g_d0, 7, 1, GNTMAP_host_map, VA(1), NULL), GNTST_bad_domain);
    /* map takes DOMID_SELF literally (Xen: rcu_lock_domain_by_id). */
    CU_ASSERT_EQUAL(map(g_d0, DOMID_SELF, 1, GNTMAP_host_map, VA(1), NULL), GNTST_bad_domain);
    CU_ASSERT_EQUAL(map(g_d0, DOMID_IO, 1, GNTMAP_host_map, VA(1), NULL), GNTST_bad_domain);
    CU_ASSERT_EQUAL(free_handles(g_d0), 16);
    CU_ASSERT_EQUAL(map(g_d0, DU, 511, GNTMAP_host_map, VA(1), NULL), GNTST_okay);
    CU_ASSERT_EQUAL(free_handles(g_d0), 15);
    fini();
}

static void test_self_map(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 5, DU, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    CU_ASSERT_EQUAL(map(g_du, DU, 5, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 5), GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(unmap(g_du, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 5), GTF_permit_access);
    fini();
}

static void test_bad_handle(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 3, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    CU_ASSERT_EQUAL(unmap(g_d0, 0, VA(1), 0), GNTST_bad_handle);          /* free */
    CU_ASSERT_EQUAL(unmap(g_d0, 16, VA(1), 0), GNTST_bad_handle);         /* >= limit */
    CU_ASSERT_EQUAL(unmap(g_d0, 0xffffffffu, VA(1), 0), GNTST_bad_handle);
    CU_ASSERT_EQUAL(map(g_d0, DU, 3, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    /* Double unmap. */
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_bad_handle);
    CU_ASSERT_EQUAL(last_done.done, 0);
    CU_ASSERT_EQUAL(flags_of(g_du, 3), GTF_permit_access);
    CU_ASSERT_EQUAL(pins_of(g_du, 3), 0);
    /* Handles belong to the mapper: the granter cannot unmap them. */
    CU_ASSERT_EQUAL(map(g_d0, DU, 3, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(unmap(g_du, h, VA(1), 0), GNTST_bad_handle);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    fini();
}

static void test_unmap_addr_semantics(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 4, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    CU_ASSERT_EQUAL(map(g_d0, DU, 4, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    /* host_addr 0: nothing done, okay, handle still valid. */
    CU_ASSERT_EQUAL(unmap(g_d0, h, 0, 0), GNTST_okay);
    CU_ASSERT_EQUAL(last_done.done, 0);
    CU_ASSERT_EQUAL(destroy_calls, 0);
    CU_ASSERT_EQUAL(flags_of(g_du, 4), GTF_permit_access | GTF_reading | GTF_writing);
    /* The wrong address: destroy_host_mapping's status, mapping stays. */
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(9), 0), GNTST_general_error);
    CU_ASSERT_EQUAL(last_done.done, 0);
    CU_ASSERT_NOT_EQUAL(pins_of(g_du, 4), 0);
    /* A dev_bus_addr on a host-only mapping is ignored. */
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0x1234000), GNTST_okay);
    CU_ASSERT_EQUAL(last_done.done, GNTMAP_host_map);
    CU_ASSERT_EQUAL(flags_of(g_du, 4), GTF_permit_access);
    fini();
}

static void test_device_map(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 6, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    CU_ASSERT_EQUAL(map(g_d0, DU, 6, GNTMAP_host_map | GNTMAP_device_map, VA(1), &h),
                    GNTST_okay);
    CU_ASSERT_EQUAL(page_ref[pg], 2);
    CU_ASSERT_EQUAL(page_type[pg], 2);
    /* Wrong bus address. */
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), (pg + 1) << PAGE_SHIFT), GNTST_bad_dev_addr);
    CU_ASSERT_EQUAL(last_done.done, 0);
    CU_ASSERT_EQUAL(destroy_calls, 0);
    /* Host side only: the device mapping keeps the handle and the pins. */
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(last_done.done, GNTMAP_host_map);
    CU_ASSERT_EQUAL(page_ref[pg], 1);
    CU_ASSERT_EQUAL(flags_of(g_du, 6), GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(g_d0->gt.maptrack[h].flags, GNTMAP_device_map);
    /* Now the device side. */
    CU_ASSERT_EQUAL(unmap(g_d0, h, 0, pg << PAGE_SHIFT), GNTST_okay);
    CU_ASSERT_EQUAL(last_done.done, GNTMAP_device_map);
    CU_ASSERT_EQUAL(page_ref[pg], 0);
    CU_ASSERT_EQUAL(page_type[pg], 0);
    CU_ASSERT_EQUAL(flags_of(g_du, 6), GTF_permit_access);
    CU_ASSERT_EQUAL(unmap(g_d0, h, 0, pg << PAGE_SHIFT), GNTST_bad_handle);

    /* Device-only read-only mapping: no PTE, dev_bus_addr is the frame. */
    CU_ASSERT_EQUAL(map(g_d0, DU, 6, GNTMAP_device_map | GNTMAP_readonly, 0, &h), GNTST_okay);
    CU_ASSERT_EQUAL(last_map.dev_bus_addr, pg << PAGE_SHIFT);
    CU_ASSERT_PTR_NULL(find_pte(D0, 0));
    CU_ASSERT_EQUAL(flags_of(g_du, 6), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(unmap(g_d0, h, 0, last_map.dev_bus_addr), GNTST_okay);
    CU_ASSERT_EQUAL(last_done.done, GNTMAP_device_map | GNTMAP_readonly);
    CU_ASSERT_EQUAL(flags_of(g_du, 6), GTF_permit_access);
    fini();
}

static void test_flags_recorded(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 7, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;
    uint32_t f = GNTMAP_host_map | GNTMAP_application_map | GNTMAP_contains_pte |
                 (1u << _GNTMAP_guest_avail0);
    uint64_t pte_maddr = 0x123456008ull;

    CU_ASSERT_EQUAL(map(g_d0, DU, 7, f, pte_maddr, &h), GNTST_okay);
    struct pte *p = find_pte(D0, pte_maddr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->flags, f);                 /* avail bits reach the PTE code */
    CU_ASSERT_EQUAL(g_d0->gt.maptrack[h].flags,
                    GNTMAP_host_map | GNTMAP_application_map | GNTMAP_contains_pte);
    CU_ASSERT_EQUAL(unmap(g_d0, h, pte_maddr, 0), GNTST_okay);
    CU_ASSERT_EQUAL(last_destroy_flags,
                    GNTMAP_host_map | GNTMAP_application_map | GNTMAP_contains_pte);
    fini();
}

static void test_pin_counts(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 8, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t r1, r2, r3, w1;

    CU_ASSERT_EQUAL(map(g_d0, DU, 8, GNTMAP_host_map | GNTMAP_readonly, VA(1), &r1), GNTST_okay);
    CU_ASSERT_EQUAL(map(g_d0, DU, 8, GNTMAP_host_map | GNTMAP_readonly, VA(2), &r2), GNTST_okay);
    CU_ASSERT_EQUAL(map(g_d0, DU, 8, GNTMAP_host_map | GNTMAP_readonly, VA(3), &r3), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 8), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(get_frame_calls, 1);          /* only the first pin reads the frame */
    CU_ASSERT_EQUAL(page_ref[pg], 3);
    /* A writable map on top upgrades the flags. */
    CU_ASSERT_EQUAL(map(g_d0, DU, 8, GNTMAP_host_map, VA(4), &w1), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 8), GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(get_frame_calls, 1);
    CU_ASSERT_NOT_EQUAL(r1, r2);
    CU_ASSERT_NOT_EQUAL(r2, r3);

    CU_ASSERT_EQUAL(unmap(g_d0, r2, VA(2), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 8), GTF_permit_access | GTF_reading | GTF_writing);
    /* Last writable pin: GTF_writing goes, GTF_reading stays. */
    CU_ASSERT_EQUAL(unmap(g_d0, w1, VA(4), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 8), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(unmap(g_d0, r1, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 8), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(unmap(g_d0, r3, VA(3), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 8), GTF_permit_access);
    CU_ASSERT_EQUAL(pins_of(g_du, 8), 0);
    CU_ASSERT_EQUAL(page_ref[pg], 0);
    CU_ASSERT_EQUAL(page_type[pg], 0);
    fini();
}

/* Flags stay until the glue's TLB flush and unmap_complete. */
static void test_unmap_two_phase(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 9, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    CU_ASSERT_EQUAL(map(g_d0, DU, 9, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(unmap1(g_d0, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_PTR_NULL(find_pte(D0, VA(1)));
    CU_ASSERT_EQUAL(flags_of(g_du, 9), GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(page_ref[pg], 1);
    CU_ASSERT_TRUE(gnttab_table_busy(&g_du->gt));
    CU_ASSERT_PTR_EQUAL(last_done.granter, &g_du->gt);
    CU_ASSERT_EQUAL(last_done.mfn, pg);
    CU_ASSERT_EQUAL(last_done.ref, 9);
    /* The handle is already free. */
    CU_ASSERT_EQUAL(g_d0->gt.maptrack[h].flags, 0);
    gnttab_unmap_complete(&env, &last_done);
    CU_ASSERT_EQUAL(flags_of(g_du, 9), GTF_permit_access);
    CU_ASSERT_EQUAL(page_ref[pg], 0);
    CU_ASSERT_FALSE(gnttab_table_busy(&g_du->gt));
    fini();
}

/* Revocation by the granter while mapped. */
static void test_revoke_while_mapped(void)
{
    setup();
    mfn_t pg = data_page(DU);
    struct grant_entry_v1 *e = grant(g_du, 13, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h1, h2;

    CU_ASSERT_EQUAL(map(g_d0, DU, 13, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h1), GNTST_okay);
    /* Linux's gnttab_end_foreign_access_ref: cmpxchg flags -> 0 unless
     * reading/writing; it fails and the granter must wait. */
    uint16_t expect = GTF_permit_access;
    CU_ASSERT_FALSE(__atomic_compare_exchange_n(&e->flags, &expect, 0, false,
                                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    CU_ASSERT((expect & GTF_reading) != 0);
    /* A granter that clears the type anyway does not clear GTF_reading. */
    __atomic_fetch_and(&e->flags, (uint16_t)~GTF_permit_access, __ATOMIC_SEQ_CST);
    CU_ASSERT_EQUAL(flags_of(g_du, 13), GTF_reading);
    /* Xen checks the entry only on the first pin: the grantee can still
     * map it read-only while pinned, and gets the latched frame. */
    e->frame = (uint32_t)data_page(DU);
    CU_ASSERT_EQUAL(map(g_d0, DU, 13, GNTMAP_host_map | GNTMAP_readonly, VA(2), &h2), GNTST_okay);
    CU_ASSERT_EQUAL(last_map.dev_bus_addr, pg << PAGE_SHIFT);
    CU_ASSERT_EQUAL(unmap(g_d0, h1, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 13), GTF_reading);
    CU_ASSERT_EQUAL(unmap(g_d0, h2, VA(2), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 13), 0);
    /* Now unpinned: the revoked entry is refused. */
    CU_ASSERT_EQUAL(map(g_d0, DU, 13, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 13), 0);
    /* And Linux's end_foreign_access now succeeds. */
    grant(g_du, 13, D0, (uint32_t)pg, GTF_permit_access);
    expect = GTF_permit_access;
    CU_ASSERT_TRUE(__atomic_compare_exchange_n(&e->flags, &expect, 0, false,
                                               __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    fini();
}

/* Write upgrade of a pinned entry that became read-only is refused. */
static void test_upgrade_readonly(void)
{
    setup();
    mfn_t pg = data_page(DU);
    struct grant_entry_v1 *e = grant(g_du, 14, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    CU_ASSERT_EQUAL(map(g_d0, DU, 14, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h), GNTST_okay);
    __atomic_fetch_or(&e->flags, GTF_readonly, __ATOMIC_SEQ_CST);
    CU_ASSERT_EQUAL(map(g_d0, DU, 14, GNTMAP_host_map, VA(2), NULL), GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 14), GTF_permit_access | GTF_readonly | GTF_reading);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 14), GTF_permit_access | GTF_readonly);
    fini();
}

static void test_pin_overflow(void)
{
    reset();
    struct fdom *d0 = mkdom(D0, 1, 300);
    struct fdom *du = mkdom(DU, 1, 4);
    mfn_t pg = data_page(DU);
    grant(du, 2, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    for (unsigned int i = 0; i < GNTTAB_PIN_MAX; i++)
        CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_device_map | GNTMAP_readonly, 0, NULL), GNTST_okay);
    CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_device_map | GNTMAP_readonly, 0, NULL),
                    GNTST_general_error);
    /* Other kinds have their own counters. */
    CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_device_map, 0, NULL), GNTST_okay);
    /* A combined map is refused when either counter is full. */
    CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_host_map | GNTMAP_device_map | GNTMAP_readonly, VA(2),
                        NULL), GNTST_general_error);
    CU_ASSERT_EQUAL(page_ref[pg], GNTTAB_PIN_MAX + 2);
    gnttab_release_mappings(&env, &d0->gt);
    CU_ASSERT_EQUAL(pins_of(du, 2), 0);
    CU_ASSERT_EQUAL(flags_of(du, 2), GTF_permit_access);
    fini();
}

static void test_maptrack_exhaustion(void)
{
    reset();
    struct fdom *d0 = mkdom(D0, 1, 3);
    struct fdom *du = mkdom(DU, 1, 4);
    mfn_t pg = data_page(DU);
    grant(du, 2, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h[3];

    for (unsigned int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_host_map | GNTMAP_readonly, VA(i), &h[i]),
                        GNTST_okay);
        CU_ASSERT_EQUAL(h[i], i);
    }
    CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_host_map | GNTMAP_readonly, VA(8), NULL),
                    GNTST_no_space);
    /* Xen takes the handle before it checks the ref. */
    CU_ASSERT_EQUAL(map(d0, DU, 9999, GNTMAP_host_map, VA(8), NULL), GNTST_no_space);
    CU_ASSERT_EQUAL(unmap(d0, h[1], VA(1), 0), GNTST_okay);
    grant_handle_t n;
    CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_host_map | GNTMAP_readonly, VA(8), &n), GNTST_okay);
    CU_ASSERT_EQUAL(n, 1);
    /* FIFO reuse: free 0 then 2, the next map gets 0, then 2. */
    CU_ASSERT_EQUAL(unmap(d0, h[0], VA(0), 0), GNTST_okay);
    CU_ASSERT_EQUAL(unmap(d0, h[2], VA(2), 0), GNTST_okay);
    CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_host_map | GNTMAP_readonly, VA(5), &n), GNTST_okay);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(map(d0, DU, 2, GNTMAP_host_map | GNTMAP_readonly, VA(6), &n), GNTST_okay);
    CU_ASSERT_EQUAL(n, 2);

    /* A domain without maptrack cannot map at all. */
    struct fdom *d2 = mkdom(D2, 1, 0);
    grant(du, 3, D2, (uint32_t)pg, GTF_permit_access);
    CU_ASSERT_EQUAL(map(d2, DU, 3, GNTMAP_host_map, VA(1), NULL), GNTST_no_space);
    CU_ASSERT_EQUAL(unmap(d2, 0, VA(1), 0), GNTST_bad_handle);
    gnttab_release_mappings(&env, &d0->gt);
    fini();
}

/* Failures from the glue undo everything before them. */
static void test_glue_failures(void)
{
    setup();
    mfn_t pg = data_page(DU);
    mfn_t foreign = data_page(D2);
    grant(g_du, 15, D0, (uint32_t)foreign, GTF_permit_access);

    /* Frame not the granter's: get_frame's bad_page, flags put back. */
    CU_ASSERT_EQUAL(map(g_d0, DU, 15, GNTMAP_host_map, VA(1), NULL), GNTST_bad_page);
    CU_ASSERT_EQUAL(flags_of(g_du, 15), GTF_permit_access);
    CU_ASSERT_EQUAL(pins_of(g_du, 15), 0);
    /* Paged out. */
    grant(g_du, 15, D0, (uint32_t)pg, GTF_permit_access | GTF_readonly);
    get_frame_rc = GNTST_eagain;
    CU_ASSERT_EQUAL(map(g_d0, DU, 15, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL),
                    GNTST_eagain);
    CU_ASSERT_EQUAL(flags_of(g_du, 15), GTF_permit_access | GTF_readonly);
    get_frame_rc = GNTST_okay;
    /* Page references refused. */
    get_page_rc = GNTST_general_error;
    CU_ASSERT_EQUAL(map(g_d0, DU, 15, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 15), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(pins_of(g_du, 15), 0);
    get_page_rc = GNTST_okay;
    /* PTE refused: references put back too. */
    grant(g_du, 15, D0, (uint32_t)pg, GTF_permit_access);
    CU_ASSERT_EQUAL(map(g_d0, DU, 15, GNTMAP_host_map, BAD_ADDR, NULL), GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 15), GTF_permit_access);
    CU_ASSERT_EQUAL(pins_of(g_du, 15), 0);
    CU_ASSERT_EQUAL(page_ref[pg], 0);
    CU_ASSERT_EQUAL(page_type[pg], 0);
    /* A failed writable upgrade keeps the existing read-only pin intact. */
    grant_handle_t h;
    CU_ASSERT_EQUAL(map(g_d0, DU, 15, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(map(g_d0, DU, 15, GNTMAP_host_map, BAD_ADDR, NULL), GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 15), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(page_ref[pg], 1);
    CU_ASSERT_EQUAL(page_type[pg], 0);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 15), GTF_permit_access);
    /* The handles used by the failures were all returned. */
    CU_ASSERT_EQUAL(free_handles(g_d0), 16);
    fini();
}

/*
 * A granter writing its entry between our read and our cmpxchg.
 */
static domid_t race_domid;
static int race_times;

static void race_set_domid(struct grant_entry_v1 *e)
{
    if (race_times-- > 0)
        __atomic_store_n(&e->domid, race_domid, __ATOMIC_SEQ_CST);
}

static void race_set_readonly(struct grant_entry_v1 *e)
{
    if (race_times-- > 0)
        __atomic_fetch_or(&e->flags, GTF_readonly, __ATOMIC_SEQ_CST);
}

static void race_set_pcd(struct grant_entry_v1 *e)
{
    if (race_times-- > 0)
        __atomic_fetch_or(&e->flags, GTF_PCD, __ATOMIC_SEQ_CST);
}

static void race_revoke(struct grant_entry_v1 *e)
{
    if (race_times-- > 0)
        __atomic_store_n(&e->flags, GTF_invalid, __ATOMIC_SEQ_CST);
}

static void race_toggle(struct grant_entry_v1 *e)
{
    __atomic_fetch_xor(&e->flags, GTF_PWT, __ATOMIC_SEQ_CST);
}

static void test_race(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant_handle_t h;

    /* Grantee changed: the retry sees it and refuses. */
    grant(g_du, 16, D0, (uint32_t)pg, GTF_permit_access);
    race_action = race_set_domid;
    race_domid = D2;
    race_times = 1;
    race_calls = 0;
    CU_ASSERT_EQUAL(map(g_d0, DU, 16, GNTMAP_host_map, VA(1), NULL), GNTST_general_error);
    CU_ASSERT_EQUAL(race_calls, 1);
    CU_ASSERT_EQUAL(flags_of(g_du, 16), GTF_permit_access);

    /* Made read-only under a writable map: refused, nothing set. */
    grant(g_du, 16, D0, (uint32_t)pg, GTF_permit_access);
    race_action = race_set_readonly;
    race_times = 1;
    CU_ASSERT_EQUAL(map(g_d0, DU, 16, GNTMAP_host_map, VA(1), NULL), GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 16), GTF_permit_access | GTF_readonly);

    /* Revoked: refused. */
    grant(g_du, 16, D0, (uint32_t)pg, GTF_permit_access);
    race_action = race_revoke;
    race_times = 1;
    CU_ASSERT_EQUAL(map(g_d0, DU, 16, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 16), GTF_invalid);

    /* An unrelated bit changed: the retry keeps it and succeeds. */
    grant(g_du, 16, D0, (uint32_t)pg, GTF_permit_access);
    race_action = race_set_pcd;
    race_times = 1;
    race_calls = 0;
    CU_ASSERT_EQUAL(map(g_d0, DU, 16, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(race_calls, 2);
    CU_ASSERT_EQUAL(flags_of(g_du, 16), GTF_permit_access | GTF_PCD | GTF_reading | GTF_writing);
    race_action = NULL;
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 16), GTF_permit_access | GTF_PCD);

    /* The granter changes it on every attempt: give up after 5. */
    grant(g_du, 16, D0, (uint32_t)pg, GTF_permit_access);
    race_action = race_toggle;
    race_calls = 0;
    CU_ASSERT_EQUAL(map(g_d0, DU, 16, GNTMAP_host_map, VA(1), NULL), GNTST_general_error);
    CU_ASSERT_EQUAL(race_calls, 5);
    CU_ASSERT_EQUAL(flags_of(g_du, 16) & (GTF_reading | GTF_writing), 0);
    CU_ASSERT_EQUAL(pins_of(g_du, 16), 0);

    /* A granter store of the same value is no change: no retry. */
    grant(g_du, 16, D0, (uint32_t)pg, GTF_permit_access);
    race_action = race_set_domid;
    race_domid = D0;
    race_times = 10;
    race_calls = 0;
    CU_ASSERT_EQUAL(map(g_d0, DU, 16, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(race_calls, 1);
    race_action = NULL;
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    fini();
}

static int toggles_left;

static void race_toggle_n(struct grant_entry_v1 *e)
{
    if (toggles_left-- > 0)
        __atomic_fetch_xor(&e->flags, GTF_PWT, __ATOMIC_SEQ_CST);
}

static void test_race_four_retries(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant_handle_t h;

    grant(g_du, 17, D0, (uint32_t)pg, GTF_permit_access);
    race_action = race_toggle_n;
    toggles_left = 4;
    race_calls = 0;
    CU_ASSERT_EQUAL(map(g_d0, DU, 17, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(race_calls, 5);
    /* Four toggles of PWT: back to clear. */
    CU_ASSERT_EQUAL(flags_of(g_du, 17), GTF_permit_access | GTF_reading | GTF_writing);
    race_action = NULL;
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    fini();
}

/*
 * Copy.
 */

static int16_t copy(struct fdom *caller, struct gnttab_copy *op, struct gnttab_copy_state *st)
{
    op->status = 99;
    int16_t rc = gnttab_copy_begin(&env, &caller->gt, op, st);
    CU_ASSERT_EQUAL(rc, op->status);
    return rc;
}

static void test_copy_grefs(void)
{
    setup();
    struct fdom *d2 = mkdom(D2, 1, 4);
    mfn_t spg = data_page(DU), dpg = data_page(D2);
    grant(g_du, 30, D0, (uint32_t)spg, GTF_permit_access | GTF_readonly);
    grant(d2, 31, D0, (uint32_t)dpg, GTF_permit_access);
    struct gnttab_copy_state st;
    struct gnttab_copy op = {
        .source = { .u.ref = 30, .domid = DU, .offset = 100 },
        .dest = { .u.ref = 31, .domid = D2, .offset = 200 },
        .len = 1000,
        .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };

    CU_ASSERT_EQUAL(copy(g_d0, &op, &st), GNTST_okay);
    CU_ASSERT_EQUAL(st.src.mfn, spg);
    CU_ASSERT_EQUAL(st.dest.mfn, dpg);
    CU_ASSERT_EQUAL(flags_of(g_du, 30), GTF_permit_access | GTF_readonly | GTF_reading);
    CU_ASSERT_EQUAL(flags_of(d2, 31), GTF_permit_access | GTF_reading | GTF_writing);
    CU_ASSERT_EQUAL(page_ref[spg], 1);
    CU_ASSERT_EQUAL(page_type[spg], 0);
    CU_ASSERT_EQUAL(page_ref[dpg], 1);
    CU_ASSERT_EQUAL(page_type[dpg], 1);
    gnttab_copy_end(&env, &st);
    CU_ASSERT_EQUAL(flags_of(g_du, 30), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(flags_of(d2, 31), GTF_permit_access);
    CU_ASSERT_EQUAL(page_ref[spg] + page_ref[dpg] + page_type[dpg], 0);
    gnttab_copy_end(&env, &st);             /* idempotent */
    CU_ASSERT_EQUAL(page_ref[spg], 0);

    /* Bounds: offset + len == 4096 is fine, 4097 is not, either side. */
    op.source.offset = 96;
    op.len = 4000;
    op.dest.offset = 0;
    CU_ASSERT_EQUAL(copy(g_d0, &op, &st), GNTST_okay);
    gnttab_copy_end(&env, &st);
    op.source.offset = 97;
    CU_ASSERT_EQUAL(copy(g_d0, &op, &st), GNTST_bad_copy_arg);
    op.source.offset = 0;
    op.dest.offset = 0xffff;
    CU_ASSERT_EQUAL(copy(g_d0, &op, &st), GNTST_bad_copy_arg);
    op.dest.offset = 0;
    op.len = 0xffff;
    CU_ASSERT_EQUAL(copy(g_d0, &op, &st), GNTST_bad_copy_arg);
    /* The failure released what it had taken. */
    CU_ASSERT_EQUAL(flags_of(g_du, 30), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(flags_of(d2, 31), GTF_permit_access);
    CU_ASSERT_EQUAL(page_ref[spg] + page_ref[dpg] + page_type[dpg], 0);
    CU_ASSERT_FALSE(gnttab_table_busy(&g_du->gt));
    CU_ASSERT_FALSE(gnttab_table_busy(&d2->gt));
    /* A bad gref wins over bad bounds (Xen checks bounds last). */
    op.source.u.ref = 5000;
    CU_ASSERT_EQUAL(copy(g_d0, &op, &st), GNTST_bad_gntref);
    fini();
}

static void test_copy_gref_gmfn(void)
{
    setup();
    mfn_t spg = data_page(DU), local = data_page(D0);
    grant(g_du, 32, D0, (uint32_t)spg, GTF_permit_access);
    struct gnttab_copy_state st;
    /* netback TX: source gref of the frontend, dest a local frame. */
    struct gnttab_copy op = {
        .source = { .u.ref = 32, .domid = DU, .offset = 0 },
        .dest = { .u.gmfn = local, .domid = DOMID_SELF, .offset = 64 },
        .len = 128,
        .flags = GNTCOPY_source_gref,
    };

    CU_ASSERT_EQUAL(copy(g_d0, &op, &st), GNTST_okay);
    CU_ASSERT_EQUAL(st.dest.mfn, local);
    CU_ASSERT_FALSE(st.dest.have_grant);
    CU_ASSERT_EQUAL(flags_of(g_du, 32), GTF_permit_access | GTF_reading);
    CU_ASSERT_EQUAL(page_type[local], 1);
    gnttab_copy_end(&env, &st);
    CU_ASSERT_EQUAL(flags_of(g_du, 32), GTF_permit_access);
    CU_ASSERT_EQUAL(page_ref[local] + page_type[local] + page_ref[spg], 0);

    /* netback RX: local source, dest gref (writable). */
    struct gnttab_copy rx = {
        .source = { .u.gmfn = local, .domid = DOMID_SELF },
        .dest = { .u.ref = 32, .domid = DU },
        .len = 4096,
        .flags = GNTCOPY_dest_gref,
    };
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 32), GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_copy_end(&env, &st);
    CU_ASSERT_EQUAL(flags_of(g_du, 32), GTF_permit_access);

    /* A frame must be named DOMID_SELF, even the caller's own id. */
    rx.source.domid = D0;
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_permission_denied);
    rx.source.domid = DU;
    rx.source.u.gmfn = spg;
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_permission_denied);
    /* A frame that is not the caller's. */
    rx.source.domid = DOMID_SELF;
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_bad_page);
    /* Unknown domain on either side. */
    rx.source.u.gmfn = local;
    rx.dest.domid = 9;
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_bad_domain);
    /* Source checks come first. */
    rx.source.domid = D0;
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_permission_denied);
    CU_ASSERT_EQUAL(page_ref[local] + page_type[local] + page_ref[spg], 0);
    fini();
}

static void test_copy_denied(void)
{
    setup();
    struct fdom *d2 = mkdom(D2, 1, 4);
    mfn_t spg = data_page(DU), local = data_page(D0);
    grant(g_du, 33, D0, (uint32_t)spg, GTF_permit_access | GTF_readonly);
    struct gnttab_copy_state st;
    struct gnttab_copy rx = {
        .source = { .u.gmfn = local, .domid = DOMID_SELF },
        .dest = { .u.ref = 33, .domid = DU },
        .len = 16,
        .flags = GNTCOPY_dest_gref,
    };

    /* Writing into a read-only grant. */
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 33), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(page_ref[local], 0);   /* the source was released too */
    /* Copy by a domain that is not the grantee. */
    struct gnttab_copy tx = {
        .source = { .u.ref = 33, .domid = DU },
        .dest = { .u.gmfn = data_page(D2), .domid = DOMID_SELF },
        .len = 16,
        .flags = GNTCOPY_source_gref,
    };
    CU_ASSERT_EQUAL(copy(d2, &tx, &st), GNTST_general_error);
    /* GTF_sub_page is not refused for copy in v1 (Xen masks it for map only). */
    grant(g_du, 34, D0, (uint32_t)spg, GTF_permit_access | GTF_sub_page);
    tx.source.u.ref = 34;
    tx.dest.u.gmfn = local;
    CU_ASSERT_EQUAL(copy(g_d0, &tx, &st), GNTST_okay);
    gnttab_copy_end(&env, &st);
    /* get_page refusing the destination. */
    get_page_rc = GNTST_general_error;
    CU_ASSERT_EQUAL(copy(g_d0, &tx, &st), GNTST_general_error);
    get_page_rc = GNTST_okay;
    CU_ASSERT_EQUAL(flags_of(g_du, 34), GTF_permit_access | GTF_sub_page);
    CU_ASSERT_FALSE(gnttab_table_busy(&g_du->gt));
    fini();
}

/* A copy on a mapped grant shares its pins and leaves the map's flags. */
static void test_copy_while_mapped(void)
{
    setup();
    mfn_t pg = data_page(DU), local = data_page(D0);
    struct grant_entry_v1 *e = grant(g_du, 35, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;
    struct gnttab_copy_state st;

    CU_ASSERT_EQUAL(map(g_d0, DU, 35, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h), GNTST_okay);
    struct gnttab_copy rx = {
        .source = { .u.gmfn = local, .domid = DOMID_SELF },
        .dest = { .u.ref = 35, .domid = DU },
        .len = 16,
        .flags = GNTCOPY_dest_gref,
    };
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 35), GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_copy_end(&env, &st);
    CU_ASSERT_EQUAL(flags_of(g_du, 35), GTF_permit_access | GTF_reading);

    /* A write upgrade re-reads the frame and refuses a moved one. */
    e->frame = (uint32_t)data_page(DU);
    CU_ASSERT_EQUAL(copy(g_d0, &rx, &st), GNTST_general_error);
    CU_ASSERT_EQUAL(flags_of(g_du, 35), GTF_permit_access | GTF_reading);
    /* A read needs no upgrade: served from the latched frame. */
    struct gnttab_copy tx = {
        .source = { .u.ref = 35, .domid = DU },
        .dest = { .u.gmfn = local, .domid = DOMID_SELF },
        .len = 16,
        .flags = GNTCOPY_source_gref,
    };
    CU_ASSERT_EQUAL(copy(g_d0, &tx, &st), GNTST_okay);
    CU_ASSERT_EQUAL(st.src.mfn, pg);
    gnttab_copy_end(&env, &st);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(flags_of(g_du, 35), GTF_permit_access);
    CU_ASSERT_EQUAL(page_ref[pg] + page_ref[local] + page_type[local], 0);
    fini();
}

/*
 * Domain destruction.
 */

static void test_release_mappings(void)
{
    setup();
    struct fdom *d2 = mkdom(D2, 1, 4);
    mfn_t p1 = data_page(DU), p2 = data_page(D2), p3 = data_page(DU);
    grant(g_du, 40, D0, (uint32_t)p1, GTF_permit_access);
    grant(d2, 41, D0, (uint32_t)p2, GTF_permit_access | GTF_readonly);
    grant(g_du, 42, D0, (uint32_t)p3, GTF_permit_access);
    grant_handle_t h1, h2, h3, h4;

    CU_ASSERT_EQUAL(map(g_d0, DU, 40, GNTMAP_host_map, VA(1), &h1), GNTST_okay);
    CU_ASSERT_EQUAL(map(g_d0, D2, 41, GNTMAP_host_map | GNTMAP_device_map | GNTMAP_readonly,
                        VA(2), &h2), GNTST_okay);
    CU_ASSERT_EQUAL(map(g_d0, DU, 42, GNTMAP_device_map, 0, &h3), GNTST_okay);
    CU_ASSERT_EQUAL(map(g_d0, DU, 40, GNTMAP_host_map | GNTMAP_readonly, VA(4), &h4), GNTST_okay);
    /* One unmapped already, one half unmapped. */
    CU_ASSERT_EQUAL(unmap(g_d0, h4, VA(4), 0), GNTST_okay);
    CU_ASSERT_EQUAL(unmap(g_d0, h2, 0, p2 << PAGE_SHIFT), GNTST_okay);

    gnttab_release_mappings(&env, &g_d0->gt);
    CU_ASSERT_EQUAL(flags_of(g_du, 40), GTF_permit_access);
    CU_ASSERT_EQUAL(flags_of(d2, 41), GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(flags_of(g_du, 42), GTF_permit_access);
    CU_ASSERT_FALSE(gnttab_table_busy(&g_du->gt));
    CU_ASSERT_FALSE(gnttab_table_busy(&d2->gt));
    /* Device references put; host ones stay with the PTEs (PV). */
    CU_ASSERT_EQUAL(page_ref[p3], 0);
    CU_ASSERT_EQUAL(page_type[p3], 0);
    CU_ASSERT_EQUAL(page_ref[p1], 1);
    CU_ASSERT_EQUAL(page_type[p1], 1);
    CU_ASSERT_EQUAL(page_ref[p2], 1);
    CU_ASSERT_EQUAL(page_type[p2], 0);
    CU_ASSERT_EQUAL(destroy_calls, 1);          /* only the explicit unmap */
    /* Nothing more to map or unmap. */
    CU_ASSERT_EQUAL(g_d0->gt.maptrack_limit, 0);
    CU_ASSERT_EQUAL(map(g_d0, DU, 40, GNTMAP_host_map, VA(1), NULL), GNTST_no_space);
    CU_ASSERT_EQUAL(unmap(g_d0, h1, VA(1), 0), GNTST_bad_handle);
    gnttab_release_mappings(&env, &g_d0->gt);   /* again: nothing */
    fini();
}

/* The mapper dies after its granter vanished from lookup. */
static void test_release_granter_gone(void)
{
    setup();
    mfn_t p1 = data_page(DU);
    grant(g_du, 43, D0, (uint32_t)p1, GTF_permit_access);
    grant_handle_t h;
    CU_ASSERT_EQUAL(map(g_d0, DU, 43, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    /* Not conforming (the granter is busy), but must not crash. */
    CU_ASSERT_EQUAL(gnttab_table_destroy(&env, &g_du->gt), -EBUSY);
    for (int i = 0; i < MAX_DOMS; i++)
        if (doms[i] == g_du)
            doms[i] = NULL;
    struct gnttab_unmap_grant_ref op = { .host_addr = VA(1), .handle = h };
    struct gnttab_unmap_done done;
    CU_ASSERT_EQUAL(gnttab_unmap(&env, &g_d0->gt, &op, &done), -ESRCH);
    CU_ASSERT_EQUAL(op.status, GNTST_bad_domain);
    CU_ASSERT_EQUAL(done.done, 0);
    gnttab_release_mappings(&env, &g_d0->gt);
    CU_ASSERT_EQUAL(g_d0->gt.maptrack[h].flags, 0);
    rmdom(g_du);
    fini();
}

/*
 * Table ops.
 */

static void test_setup_table(void)
{
    setup();
    struct fdom *d2 = mkdom(D2, 2, 4);
    struct grant_table *t;
    struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = 3 };

    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &g_du->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_okay);
    CU_ASSERT_PTR_EQUAL(t, &g_du->gt);
    CU_ASSERT_EQUAL(g_du->gt.nr_frames, 3);
    CU_ASSERT_EQUAL(gnttab_nr_entries(&g_du->gt), 1536);
    CU_ASSERT_PTR_NOT_NULL(gnttab_shared_entry(&g_du->gt, 1535));
    CU_ASSERT_NOT_EQUAL(g_du->gt.frame_mfn[2], g_du->gt.frame_mfn[1]);
    CU_ASSERT_EQUAL(((unsigned char *)g_du->gt.frame[2])[100], 0);   /* zeroed */
    /* A ref in a new frame works. */
    mfn_t pg = data_page(DU);
    grant(g_du, 1500, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;
    CU_ASSERT_EQUAL(map(g_d0, DU, 1500, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    /* Smaller: no shrink; own id is as good as DOMID_SELF. */
    unsigned int before = frames_alloced;
    op = (struct gnttab_setup_table){ .dom = DU, .nr_frames = 1 };
    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &g_du->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_okay);
    CU_ASSERT_EQUAL(g_du->gt.nr_frames, 3);
    CU_ASSERT_EQUAL(frames_alloced, before);
    /* nr_frames 0 is fine. */
    op = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 0 };
    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &g_du->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_okay);
    /* Beyond max. */
    op = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 5 };
    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &g_du->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_general_error);
    CU_ASSERT_PTR_NULL(t);
    /* Another domain: unprivileged refused, privileged fine. */
    op = (struct gnttab_setup_table){ .dom = D2, .nr_frames = 1 };
    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &g_du->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_permission_denied);
    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &g_d0->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_okay);
    CU_ASSERT_PTR_EQUAL(t, &d2->gt);
    op = (struct gnttab_setup_table){ .dom = 9, .nr_frames = 1 };
    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &g_d0->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_bad_domain);
    /* Allocation failure midway: nothing grows, nothing leaks. */
    alloc_fail_idx = 1;
    before = frames_alloced;
    op = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 2 };
    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &d2->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_general_error);
    CU_ASSERT_EQUAL(d2->gt.nr_frames, 1);
    alloc_fail_idx = 3;
    op = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 4 };
    CU_ASSERT_EQUAL(gnttab_setup_table(&env, &g_d0->gt, &op, &t), 0);
    CU_ASSERT_EQUAL(op.status, GNTST_general_error);
    CU_ASSERT_EQUAL(g_d0->gt.nr_frames, 1);
    CU_ASSERT_EQUAL(frames_alloced - before, 2);   /* frames 1 and 2 of dom0 */
    CU_ASSERT_EQUAL(frames_freed, 2);
    alloc_fail_idx = -1;
    fini();
    CU_ASSERT_EQUAL(frames_alloced, frames_freed);
}

static void test_query_size_status_frames(void)
{
    setup();
    struct gnttab_query_size q = { .dom = DOMID_SELF, .nr_frames = 77, .max_nr_frames = 77 };

    CU_ASSERT_EQUAL(gnttab_query_size(&env, &g_du->gt, &q), 0);
    CU_ASSERT_EQUAL(q.status, GNTST_okay);
    CU_ASSERT_EQUAL(q.nr_frames, 1);
    CU_ASSERT_EQUAL(q.max_nr_frames, 4);
    q = (struct gnttab_query_size){ .dom = D0, .nr_frames = 77 };
    CU_ASSERT_EQUAL(gnttab_query_size(&env, &g_du->gt, &q), 0);
    CU_ASSERT_EQUAL(q.status, GNTST_permission_denied);
    CU_ASSERT_EQUAL(q.nr_frames, 77);
    q = (struct gnttab_query_size){ .dom = DU };
    CU_ASSERT_EQUAL(gnttab_query_size(&env, &g_d0->gt, &q), 0);
    CU_ASSERT_EQUAL(q.status, GNTST_okay);
    CU_ASSERT_EQUAL(q.max_nr_frames, 4);
    q = (struct gnttab_query_size){ .dom = DOMID_XEN };
    CU_ASSERT_EQUAL(gnttab_query_size(&env, &g_d0->gt, &q), 0);
    CU_ASSERT_EQUAL(q.status, GNTST_bad_domain);

    struct gnttab_get_status_frames s = { .dom = DOMID_SELF, .nr_frames = 0 };
    CU_ASSERT_EQUAL(gnttab_get_status_frames(&env, &g_du->gt, &s), 0);
    CU_ASSERT_EQUAL(s.status, GNTST_okay);
    s.nr_frames = 1;
    CU_ASSERT_EQUAL(gnttab_get_status_frames(&env, &g_du->gt, &s), 0);
    CU_ASSERT_EQUAL(s.status, GNTST_general_error);
    s = (struct gnttab_get_status_frames){ .dom = D0, .nr_frames = 1 };
    CU_ASSERT_EQUAL(gnttab_get_status_frames(&env, &g_du->gt, &s), 0);
    CU_ASSERT_EQUAL(s.status, GNTST_permission_denied);
    fini();
}

static void test_versions(void)
{
    setup();
    struct gnttab_set_version sv = { .version = 1 };

    CU_ASSERT_EQUAL(gnttab_set_version(&g_du->gt, &sv), 0);
    CU_ASSERT_EQUAL(sv.version, 1);
    sv.version = 2;
    CU_ASSERT_EQUAL(gnttab_set_version(&g_du->gt, &sv), -ENOSYS);
    CU_ASSERT_EQUAL(sv.version, 1);
    sv.version = 0;
    CU_ASSERT_EQUAL(gnttab_set_version(&g_du->gt, &sv), -EINVAL);
    CU_ASSERT_EQUAL(sv.version, 1);
    sv.version = 3;
    CU_ASSERT_EQUAL(gnttab_set_version(&g_du->gt, &sv), -EINVAL);

    struct gnttab_get_version gv = { .dom = DOMID_SELF, .version = 0 };
    CU_ASSERT_EQUAL(gnttab_get_version(&env, &g_du->gt, &gv), 0);
    CU_ASSERT_EQUAL(gv.version, 1);
    gv = (struct gnttab_get_version){ .dom = D0, .version = 9 };
    CU_ASSERT_EQUAL(gnttab_get_version(&env, &g_du->gt, &gv), -EPERM);
    CU_ASSERT_EQUAL(gv.version, 9);
    gv = (struct gnttab_get_version){ .dom = DU };
    CU_ASSERT_EQUAL(gnttab_get_version(&env, &g_d0->gt, &gv), 0);
    CU_ASSERT_EQUAL(gv.version, 1);
    gv = (struct gnttab_get_version){ .dom = 9 };
    CU_ASSERT_EQUAL(gnttab_get_version(&env, &g_d0->gt, &gv), -ESRCH);
    fini();
}

static void test_destroy_busy(void)
{
    setup();
    mfn_t pg = data_page(DU);
    grant(g_du, 50, D0, (uint32_t)pg, GTF_permit_access);
    grant_handle_t h;

    CU_ASSERT_EQUAL(map(g_d0, DU, 50, GNTMAP_host_map, VA(1), &h), GNTST_okay);
    unsigned int before = frames_freed;
    CU_ASSERT_EQUAL(gnttab_table_destroy(&env, &g_du->gt), -EBUSY);
    CU_ASSERT_EQUAL(frames_freed, before);
    CU_ASSERT_EQUAL(g_du->gt.nr_frames, 1);
    CU_ASSERT_EQUAL(unmap(g_d0, h, VA(1), 0), GNTST_okay);
    CU_ASSERT_EQUAL(gnttab_table_destroy(&env, &g_du->gt), 0);
    CU_ASSERT_EQUAL(frames_freed, before + 1);
    CU_ASSERT_EQUAL(g_du->gt.nr_frames, 0);
    fini();
    CU_ASSERT_EQUAL(frames_alloced, frames_freed);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "init", test_init },
        { "op_check", test_op_check },
        { "map_ro", test_map_ro },
        { "map_rw", test_map_rw },
        { "map_denied", test_map_denied },
        { "map_bad_type", test_map_bad_type },
        { "bad_ref_domain", test_bad_ref_domain },
        { "self_map", test_self_map },
        { "bad_handle", test_bad_handle },
        { "unmap_addr_semantics", test_unmap_addr_semantics },
        { "device_map", test_device_map },
        { "flags_recorded", test_flags_recorded },
        { "pin_counts", test_pin_counts },
        { "unmap_two_phase", test_unmap_two_phase },
        { "revoke_while_mapped", test_revoke_while_mapped },
        { "upgrade_readonly", test_upgrade_readonly },
        { "pin_overflow", test_pin_overflow },
        { "maptrack_exhaustion", test_maptrack_exhaustion },
        { "glue_failures", test_glue_failures },
        { "race", test_race },
        { "race_four_retries", test_race_four_retries },
        { "copy_grefs", test_copy_grefs },
        { "copy_gref_gmfn", test_copy_gref_gmfn },
        { "copy_denied", test_copy_denied },
        { "copy_while_mapped", test_copy_while_mapped },
        { "release_mappings", test_release_mappings },
        { "release_granter_gone", test_release_granter_gone },
        { "setup_table", test_setup_table },
        { "query_size_status_frames", test_query_size_status_frames },
        { "versions", test_versions },
        { "destroy_busy", test_destroy_busy },
        { NULL, NULL },
    };
    unit_add_suite("grant_table", cases);
}
