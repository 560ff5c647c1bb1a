/* SPDX-License-Identifier: MIT */
/*
 * Grant tables v1 (contract, status codes and locking in
 * xeno/grant_table.h). Semantics and check order follow Xen 4.17's
 * xen/common/grant_table.c for a PV domain with gnttab v1 in force.
 */
#include "xeno/grant_table.h"
#include "xeno/errno.h"
#include "xeno/string.h"

/*
 * Pin counts: four 8-bit counters in one word, so "pinned at all" and
 * "any writable pin" are single tests. A copy in progress counts as a host
 * pin of its access (Xen: acquire_grant_for_copy).
 */
enum pin_kind { PIN_HOST_RW, PIN_HOST_RO, PIN_DEV_RW, PIN_DEV_RO };

#define PIN_BITS 8
#define PIN_ONE(kind)   (UINT32_C(1) << ((kind) * PIN_BITS))
#define PIN_FIELD(kind) (UINT32_C(0xff) << ((kind) * PIN_BITS))
#define PIN_WRITERS     (PIN_FIELD(PIN_HOST_RW) | PIN_FIELD(PIN_DEV_RW))

/* Maptrack free-list terminator (a handle can never be 2^32 - 1). */
#define MT_NONE UINT32_MAX

/* The GNTMAP_* bits a mapping is recorded with (Xen keeps 16 bits, of
 * which 0..4 are defined). */
#define MT_FLAGS (GNTMAP_device_map | GNTMAP_host_map | GNTMAP_readonly | \
                  GNTMAP_application_map | GNTMAP_contains_pte)
#define MT_MAPPED (GNTMAP_device_map | GNTMAP_host_map)

/* Xen: the cmpxchg of a shared entry is tried at most 5 times. */
#define CMPXCHG_TRIES 5

/* GNTTABOP_CONTINUATION_ARG_SHIFT: bits above it carry continuation state,
 * accepted only for cache_flush. Xen calls this ABI, though unpublished. */
#define GNTTABOP_CMD_BITS 12

/*
 * The {flags, domid} pair is updated as one 32-bit word (Xen: union
 * grant_combo) so the grantee checked is the one in the entry when the
 * flag goes in. x86 is little-endian: flags is the low half.
 */
_Static_assert(offsetof(struct grant_entry_v1, flags) == 0, "flags at 0");
_Static_assert(offsetof(struct grant_entry_v1, domid) == 2, "domid at 2");
typedef uint32_t __attribute__((may_alias)) combo_word;

static uint32_t combo_read(struct grant_entry_v1 *e)
{
    return __atomic_load_n((combo_word *)e, __ATOMIC_SEQ_CST);
}

static uint16_t combo_flags(uint32_t c) { return (uint16_t)c; }
static domid_t combo_domid(uint32_t c) { return (domid_t)(c >> 16); }

/* Clear flag bits without touching the rest: the granter may be writing
 * GTF_readonly or the type at the same time (Xen: lock andw on 16 bits). */
static void clear_flags(struct grant_entry_v1 *e, uint16_t mask)
{
    __atomic_fetch_and(&e->flags, (uint16_t)~mask, __ATOMIC_SEQ_CST);
}

static uint16_t read_flags(struct grant_entry_v1 *e)
{
    return __atomic_load_n(&e->flags, __ATOMIC_SEQ_CST);
}

static uint32_t read_frame(struct grant_entry_v1 *e)
{
    return __atomic_load_n(&e->frame, __ATOMIC_SEQ_CST);
}

unsigned int gnttab_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

static struct grant_entry_v1 *entry_of(const struct grant_table *gt, grant_ref_t ref)
{
    return &gt->frame[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

struct grant_entry_v1 *gnttab_shared_entry(const struct grant_table *gt, grant_ref_t ref)
{
    return ref < gnttab_nr_entries(gt) ? entry_of(gt, ref) : NULL;
}

/*
 * Domain lookups. Xen's rcu_lock_domain_by_id finds only real domains
 * (system domains are not in its hash) and takes DOMID_SELF literally;
 * rcu_lock_domain_by_any_id first resolves DOMID_SELF.
 */
static struct grant_table *find_by_id(const struct gnttab_env *env, struct grant_table *self,
                                      domid_t domid)
{
    if (domid == self->domid)
        return self;
    if (domid >= DOMID_FIRST_RESERVED)
        return NULL;
    return env->lookup(env->ctx, domid);
}

static struct grant_table *find_by_any_id(const struct gnttab_env *env,
                                          struct grant_table *self, domid_t domid)
{
    return domid == DOMID_SELF ? self : find_by_id(env, self, domid);
}

/* Xen's dummy XSM policy for XSM_TARGET: self or the control domain. */
static bool may_target(const struct grant_table *caller, const struct grant_table *d)
{
    return caller == d || caller->privileged;
}

/*
 * Maptrack handles. Freed handles go to the tail and are taken from the
 * head (as Xen's per-vCPU lists), so a handle is reused as late as
 * possible and a guest's stale double unmap rarely hits a new mapping.
 */
static uint32_t mt_get(struct grant_table *gt)
{
    uint32_t h = gt->mt_head;

    if (h == MT_NONE)
        return MT_NONE;
    gt->mt_head = gt->maptrack[h].next;
    if (gt->mt_head == MT_NONE)
        gt->mt_tail = MT_NONE;
    return h;
}

static void mt_put(struct grant_table *gt, uint32_t h)
{
    gt->maptrack[h].flags = 0;
    gt->maptrack[h].next = MT_NONE;
    if (gt->mt_tail == MT_NONE)
        gt->mt_head = h;
    else
        gt->maptrack[gt->mt_tail].next = h;
    gt->mt_tail = h;
}

static void mt_reset(struct grant_table *gt)
{
    gt->mt_head = gt->mt_tail = MT_NONE;
    for (uint32_t h = 0; h < gt->maptrack_limit; h++)
        mt_put(gt, h);
}

/*
 * Grow gt to want frames. All or nothing, like Xen's gnttab_grow_table:
 * a failed setup_table leaves the size query_size reports unchanged.
 */
static int grow_table(const struct gnttab_env *env, struct grant_table *gt, unsigned int want)
{
    unsigned int i;

    for (i = gt->nr_frames; i < want; i++) {
        mfn_t mfn = 0;
        void *va = env->alloc_frame(env->ctx, gt, i, &mfn);

        if (!va)
            goto fail;
        memset(va, 0, PAGE_SIZE);
        gt->frame[i] = va;
        gt->frame_mfn[i] = mfn;
    }
    /* New refs start unpinned; pins never exist beyond nr_frames. */
    memset(&gt->active[gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME], 0,
           (want - gt->nr_frames) * GNTTAB_ENTRIES_PER_FRAME * sizeof(*gt->active));
    gt->nr_frames = want;
    return 0;

fail:
    while (i-- > gt->nr_frames) {
        env->free_frame(env->ctx, gt, i, gt->frame[i], gt->frame_mfn[i]);
        gt->frame[i] = NULL;
        gt->frame_mfn[i] = 0;
    }
    return -ENOMEM;
}

int gnttab_table_init(const struct gnttab_env *env, struct grant_table *gt, domid_t domid,
                      unsigned int max_frames, struct gnttab_active *active,
                      struct gnttab_maptrack *maptrack, unsigned int maptrack_limit)
{
    if (!env || !gt || !active || (!maptrack && maptrack_limit) ||
        max_frames == 0 || max_frames > GNTTAB_MAX_FRAMES || maptrack_limit >= MT_NONE)
        return -EINVAL;

    *gt = (struct grant_table){
        .domid = domid,
        .max_frames = max_frames,
        .active = active,
        .maptrack = maptrack,
        .maptrack_limit = maptrack_limit,
    };
    mt_reset(gt);
    /* Xen's INITIAL_NR_GRANT_FRAMES (x86): the builder needs frame 0 for
     * the reserved console / xenstore refs before the guest runs. */
    return grow_table(env, gt, 1);
}

bool gnttab_table_busy(const struct grant_table *gt)
{
    unsigned int n = gnttab_nr_entries(gt);

    for (unsigned int ref = 0; ref < n; ref++)
        if (gt->active[ref].pin)
            return true;
    return false;
}

int gnttab_table_destroy(const struct gnttab_env *env, struct grant_table *gt)
{
    if (gnttab_table_busy(gt))
        return -EBUSY;
    while (gt->nr_frames) {
        unsigned int i = --gt->nr_frames;

        env->free_frame(env->ctx, gt, i, gt->frame[i], gt->frame_mfn[i]);
        gt->frame[i] = NULL;
        gt->frame_mfn[i] = 0;
    }
    return 0;
}

int gnttab_op_check(unsigned int cmd, unsigned int count)
{
    unsigned int op = cmd & ((1u << GNTTABOP_CMD_BITS) - 1);

    if ((int)count < 0)
        return -EINVAL;
    if (op != GNTTABOP_cache_flush && op != cmd)
        return -EINVAL;
    switch (op) {
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_copy:
    case GNTTABOP_set_version:
    case GNTTABOP_get_version:
        return 0;
    case GNTTABOP_setup_table:
    case GNTTABOP_query_size:
    case GNTTABOP_get_status_frames:
        return count == 1 ? 0 : -EINVAL;
    case GNTTABOP_transfer:
        return -EOPNOTSUPP;
    default:
        return -ENOSYS;
    }
}

/*
 * Set GTF_reading (and GTF_writing unless readonly) in e for grantee
 * (Xen: _set_status_v1). Unless the active entry is already pinned, the
 * entry must be GTF_permit_access to grantee (a map also refuses
 * GTF_sub_page, a v2 bit); a write needs !GTF_readonly always. Each check
 * uses the value the failed exchange returned, never a second read.
 */
static int16_t set_status(const struct gnttab_env *env, struct grant_entry_v1 *e,
                          bool pinned, bool readonly, bool map, domid_t grantee)
{
    uint16_t type_mask = GTF_type_mask | (map ? GTF_sub_page : 0);
    uint16_t want = GTF_reading | (readonly ? 0 : GTF_writing);
    uint32_t cur = combo_read(e);

    for (unsigned int attempt = 1;; attempt++) {
        uint16_t flags = combo_flags(cur);

        if (!pinned && ((flags & type_mask) != GTF_permit_access ||
                        combo_domid(cur) != grantee))
            return GNTST_general_error;
        if (!readonly && (flags & GTF_readonly))
            return GNTST_general_error;

        uint32_t next = (cur & ~UINT32_C(0xffff)) | (uint16_t)(flags | want);

        if (env->before_cmpxchg)
            env->before_cmpxchg(env->ctx, e);
        if (__atomic_compare_exchange_n((combo_word *)e, &cur, next, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return GNTST_okay;
        /* A granter rewriting its entry faster than we retry is broken
         * or hostile: fail rather than livelock. */
        if (attempt == CMPXCHG_TRIES)
            return GNTST_general_error;
    }
}

/*
 * The flags may claim more than the pins now need: clear GTF_reading when
 * nothing is pinned, GTF_writing when a writable pin went and none is left
 * (Xen: reduce_status_for_pin).
 */
static void reduce_status(struct grant_entry_v1 *e, const struct gnttab_active *act,
                          bool readonly)
{
    uint16_t clear = act->pin ? 0 : GTF_reading;

    if (!readonly && !(act->pin & PIN_WRITERS))
        clear |= GTF_writing;
    if (clear)
        clear_flags(e, clear);
}

/* Refuse an increment that would take a counter past GNTTAB_PIN_MAX
 * (Xen: GNTPIN_incr2oflow_mask, the counter's top bit already set). */
static bool pin_full(uint32_t pin, uint32_t incr)
{
    for (unsigned int k = PIN_HOST_RW; k <= PIN_DEV_RO; k++)
        if ((incr & PIN_FIELD(k)) && ((pin & PIN_FIELD(k)) >> (k * PIN_BITS)) >= GNTTAB_PIN_MAX)
            return true;
    return false;
}

int gnttab_map(const struct gnttab_env *env, struct grant_table *mapper,
               struct gnttab_map_grant_ref *op)
{
    bool ro = (op->flags & GNTMAP_readonly) != 0;
    uint32_t incr = 0;
    struct grant_table *rd;
    struct gnttab_active *act;
    struct grant_entry_v1 *e;
    uint32_t handle;
    unsigned int cache;
    mfn_t mfn;
    int16_t rc;

    if (op->flags & GNTMAP_device_map)
        incr += PIN_ONE(ro ? PIN_DEV_RO : PIN_DEV_RW);
    if (op->flags & GNTMAP_host_map)
        incr += PIN_ONE(ro ? PIN_HOST_RO : PIN_HOST_RW);
    if (!incr) {
        /* Xen's code for "neither host nor device", odd as it is. */
        op->status = GNTST_bad_gntref;
        return 0;
    }

    rd = find_by_id(env, mapper, op->dom);
    if (!rd) {
        op->status = GNTST_bad_domain;
        return 0;
    }

    handle = mt_get(mapper);
    if (handle == MT_NONE) {
        op->status = GNTST_no_space;
        return 0;
    }

    if (op->ref >= gnttab_nr_entries(rd)) {
        rc = GNTST_bad_gntref;
        goto out_put_handle;
    }
    act = &rd->active[op->ref];
    e = entry_of(rd, op->ref);

    /* Only one grantee at a time; the shared entry is not looked at. */
    if (act->pin && (act->domid != mapper->domid || pin_full(act->pin, incr))) {
        rc = GNTST_general_error;
        goto out_put_handle;
    }

    /* The first pin checks the entry; so does the first writable one. */
    if (!act->pin || (!ro && !(act->pin & PIN_WRITERS))) {
        rc = set_status(env, e, act->pin != 0, ro, true, mapper->domid);
        if (rc != GNTST_okay)
            goto out_put_handle;
        if (!act->pin) {
            /* Latch the frame: later granter writes of it do not move
             * existing or further mappings. */
            rc = (int16_t)env->get_frame(env->ctx, rd, read_frame(e), ro, &mfn);
            if (rc != GNTST_okay) {
                reduce_status(e, act, ro);
                goto out_put_handle;
            }
            act->domid = mapper->domid;
            act->mfn = mfn;
        }
    }
    act->pin += incr;
    mfn = act->mfn;
    cache = read_flags(e) & (GTF_PAT | GTF_PWT | GTF_PCD);

    rc = (int16_t)env->get_page(env->ctx, rd, mfn, op->flags);
    if (rc != GNTST_okay)
        goto out_unpin;
    if (op->flags & GNTMAP_host_map) {
        rc = (int16_t)env->create_host_mapping(env->ctx, mapper, op->host_addr, mfn,
                                               op->flags, cache);
        if (rc != GNTST_okay) {
            env->put_page(env->ctx, rd, mfn, op->flags);
            goto out_unpin;
        }
    }

    mapper->maptrack[handle].ref = op->ref;
    mapper->maptrack[handle].domid = rd->domid;
    mapper->maptrack[handle].flags = (uint16_t)(op->flags & MT_FLAGS);

    op->dev_bus_addr = (uint64_t)mfn << PAGE_SHIFT;
    op->handle = handle;
    op->status = GNTST_okay;
    return 0;

out_unpin:
    act->pin -= incr;
    reduce_status(e, act, ro);
out_put_handle:
    mt_put(mapper, handle);
    op->status = rc;
    return 0;
}

int gnttab_unmap(const struct gnttab_env *env, struct grant_table *mapper,
                 struct gnttab_unmap_grant_ref *op, struct gnttab_unmap_done *done)
{
    struct gnttab_maptrack *m;
    struct grant_table *rd;
    uint16_t flags;
    mfn_t mfn;

    *done = (struct gnttab_unmap_done){ 0 };

    if (op->handle >= mapper->maptrack_limit ||
        !(mapper->maptrack[op->handle].flags & MT_MAPPED)) {
        op->status = GNTST_bad_handle;
        return 0;
    }
    m = &mapper->maptrack[op->handle];
    flags = m->flags;

    rd = find_by_id(env, mapper, m->domid);
    if (!rd) {
        op->status = GNTST_bad_domain;
        return -ESRCH;
    }
    if (m->ref >= gnttab_nr_entries(rd)) {
        op->status = GNTST_bad_handle;
        return 0;
    }
    mfn = rd->active[m->ref].mfn;

    if (op->dev_bus_addr && (flags & GNTMAP_device_map) &&
        op->dev_bus_addr != ((uint64_t)mfn << PAGE_SHIFT)) {
        op->status = GNTST_bad_dev_addr;
        return 0;
    }

    done->granter = rd;
    done->ref = m->ref;
    done->mfn = mfn;

    if (op->host_addr && (flags & GNTMAP_host_map)) {
        int rc = env->destroy_host_mapping(env->ctx, mapper, op->host_addr, mfn, flags);

        if (rc != GNTST_okay) {
            op->status = (int16_t)rc;
            return 0;
        }
        m->flags &= (uint16_t)~GNTMAP_host_map;
        done->done |= GNTMAP_host_map | (flags & GNTMAP_readonly);
    }
    if (op->dev_bus_addr && (flags & GNTMAP_device_map)) {
        m->flags &= (uint16_t)~GNTMAP_device_map;
        done->done |= GNTMAP_device_map | (flags & GNTMAP_readonly);
    }
    if (!(m->flags & MT_MAPPED))
        mt_put(mapper, op->handle);

    op->status = GNTST_okay;
    return 0;
}

void gnttab_unmap_complete(const struct gnttab_env *env, const struct gnttab_unmap_done *done)
{
    bool ro = (done->done & GNTMAP_readonly) != 0;
    struct gnttab_active *act;

    if (!(done->done & MT_MAPPED))
        return;
    act = &done->granter->active[done->ref];

    env->put_page(env->ctx, done->granter, done->mfn, done->done);
    if (done->done & GNTMAP_device_map)
        act->pin -= PIN_ONE(ro ? PIN_DEV_RO : PIN_DEV_RW);
    if (done->done & GNTMAP_host_map)
        act->pin -= PIN_ONE(ro ? PIN_HOST_RO : PIN_HOST_RW);
    reduce_status(entry_of(done->granter, done->ref), act, ro);
}

/*
 * Pin (owner, ref) for a copy by grantee (Xen: acquire_grant_for_copy,
 * v1). Returns the frame in *mfn.
 */
static int16_t acquire_for_copy(const struct gnttab_env *env, struct grant_table *owner,
                                grant_ref_t ref, domid_t grantee, bool ro, mfn_t *mfn)
{
    uint32_t incr = PIN_ONE(ro ? PIN_HOST_RO : PIN_HOST_RW);
    struct gnttab_active *act;
    struct grant_entry_v1 *e;
    int16_t rc;

    if (ref >= gnttab_nr_entries(owner))
        return GNTST_bad_gntref;
    act = &owner->active[ref];
    e = entry_of(owner, ref);

    if (act->pin && (act->domid != grantee || pin_full(act->pin, incr)))
        return GNTST_general_error;

    if (!act->pin || (!ro && !(act->pin & PIN_WRITERS))) {
        mfn_t frame;

        rc = set_status(env, e, act->pin != 0, ro, false, grantee);
        if (rc != GNTST_okay)
            return rc;
        rc = (int16_t)env->get_frame(env->ctx, owner, read_frame(e), ro, &frame);
        if (rc == GNTST_okay && act->pin && frame != act->mfn)
            /* Xen re-reads the frame for a write upgrade and refuses a
             * granter that moved it under an existing pin. */
            rc = GNTST_general_error;
        if (rc != GNTST_okay) {
            reduce_status(e, act, ro);
            return rc;
        }
        if (!act->pin) {
            act->domid = grantee;
            act->mfn = frame;
        }
    }
    act->pin += incr;
    *mfn = act->mfn;
    return GNTST_okay;
}

static void release_for_copy(struct grant_table *owner, grant_ref_t ref, bool ro)
{
    struct gnttab_active *act = &owner->active[ref];

    act->pin -= PIN_ONE(ro ? PIN_HOST_RO : PIN_HOST_RW);
    reduce_status(entry_of(owner, ref), act, ro);
}

static void release_side(const struct gnttab_env *env, struct gnttab_copy_side *s)
{
    /* Xen's order (gnttab_copy_release_buf): the pin, then the page. */
    if (s->have_grant) {
        release_for_copy(s->owner, s->ref, s->readonly);
        s->have_grant = false;
    }
    if (s->have_page) {
        env->put_page(env->ctx, s->owner, s->mfn,
                      GNTMAP_host_map | (s->readonly ? GNTMAP_readonly : 0));
        s->have_page = false;
    }
}

/* Xen: gnttab_copy_lock_domain. Only DOMID_SELF may be named by frame. */
static int16_t copy_domain(const struct gnttab_env *env, struct grant_table *caller,
                           const struct gnttab_copy_ptr *p, bool is_gref,
                           struct gnttab_copy_side *s)
{
    if (p->domid != DOMID_SELF && !is_gref)
        return GNTST_permission_denied;
    s->owner = find_by_any_id(env, caller, p->domid);
    return s->owner ? GNTST_okay : GNTST_bad_domain;
}

/* Xen: gnttab_copy_claim_buf. */
static int16_t claim_side(const struct gnttab_env *env, struct grant_table *caller,
                          const struct gnttab_copy_ptr *p, bool is_gref,
                          struct gnttab_copy_side *s)
{
    uint32_t flags = GNTMAP_host_map | (s->readonly ? GNTMAP_readonly : 0);
    int16_t rc;

    if (is_gref) {
        rc = acquire_for_copy(env, s->owner, p->u.ref, caller->domid, s->readonly, &s->mfn);
        if (rc != GNTST_okay)
            return rc;
        s->ref = p->u.ref;
        s->have_grant = true;
    } else {
        rc = (int16_t)env->get_frame(env->ctx, s->owner, p->u.gmfn, s->readonly, &s->mfn);
        if (rc != GNTST_okay)
            return rc;
    }
    rc = (int16_t)env->get_page(env->ctx, s->owner, s->mfn, flags);
    if (rc != GNTST_okay)
        return rc;
    s->have_page = true;
    return GNTST_okay;
}

int16_t gnttab_copy_begin(const struct gnttab_env *env, struct grant_table *caller,
                          struct gnttab_copy *op, struct gnttab_copy_state *st)
{
    bool src_gref = (op->flags & GNTCOPY_source_gref) != 0;
    bool dest_gref = (op->flags & GNTCOPY_dest_gref) != 0;
    int16_t rc;

    *st = (struct gnttab_copy_state){
        .src = { .readonly = true },
        .dest = { .readonly = false },
    };

    rc = copy_domain(env, caller, &op->source, src_gref, &st->src);
    if (rc == GNTST_okay)
        rc = copy_domain(env, caller, &op->dest, dest_gref, &st->dest);
    if (rc == GNTST_okay)
        rc = claim_side(env, caller, &op->source, src_gref, &st->src);
    if (rc == GNTST_okay)
        rc = claim_side(env, caller, &op->dest, dest_gref, &st->dest);
    /* Xen checks the bounds only once both buffers are claimed, so a bad
     * gref wins over a bad length. */
    if (rc == GNTST_okay &&
        ((unsigned int)op->source.offset + op->len > PAGE_SIZE ||
         (unsigned int)op->dest.offset + op->len > PAGE_SIZE))
        rc = GNTST_bad_copy_arg;

    if (rc != GNTST_okay)
        gnttab_copy_end(env, st);
    op->status = rc;
    return rc;
}

void gnttab_copy_end(const struct gnttab_env *env, struct gnttab_copy_state *st)
{
    release_side(env, &st->src);
    release_side(env, &st->dest);
}

/* The domain / privilege prologue of setup_table, query_size and
 * get_status_frames (Xen: by_any_id, then XSM_TARGET). */
static int16_t target_of(const struct gnttab_env *env, struct grant_table *caller, domid_t dom,
                         struct grant_table **d)
{
    *d = find_by_any_id(env, caller, dom);
    if (!*d)
        return GNTST_bad_domain;
    if (!may_target(caller, *d))
        return GNTST_permission_denied;
    return GNTST_okay;
}

int gnttab_setup_table(const struct gnttab_env *env, struct grant_table *caller,
                       struct gnttab_setup_table *op, struct grant_table **target)
{
    struct grant_table *d;
    int16_t rc = target_of(env, caller, op->dom, &d);

    *target = NULL;
    if (rc == GNTST_okay && op->nr_frames > d->max_frames)
        rc = GNTST_general_error;
    if (rc == GNTST_okay && op->nr_frames > d->nr_frames &&
        grow_table(env, d, op->nr_frames) != 0)
        rc = GNTST_general_error;
    if (rc == GNTST_okay)
        *target = d;
    op->status = rc;
    return 0;
}

int gnttab_get_status_frames(const struct gnttab_env *env, struct grant_table *caller,
                             struct gnttab_get_status_frames *op)
{
    struct grant_table *d;
    int16_t rc = target_of(env, caller, op->dom, &d);

    /* v1 in force: Xen's nr_status_frames is 0. */
    if (rc == GNTST_okay && op->nr_frames > 0)
        rc = GNTST_general_error;
    op->status = rc;
    return 0;
}

int gnttab_query_size(const struct gnttab_env *env, struct grant_table *caller,
                      struct gnttab_query_size *op)
{
    struct grant_table *d;
    int16_t rc = target_of(env, caller, op->dom, &d);

    if (rc == GNTST_okay) {
        op->nr_frames = d->nr_frames;
        op->max_nr_frames = d->max_frames;
    }
    op->status = rc;
    return 0;
}

int gnttab_set_version(struct grant_table *caller, struct gnttab_set_version *op)
{
    uint32_t want = op->version;

    (void)caller;
    op->version = 1;
    if (want != 1 && want != 2)
        return -EINVAL;
    /* Xen for a domain limited to v1 ("behave as before set_version was
     * introduced"); Linux 6.1 falls back to v1 on any error. */
    if (want == 2)
        return -ENOSYS;
    return 0;
}

int gnttab_get_version(const struct gnttab_env *env, struct grant_table *caller,
                       struct gnttab_get_version *op)
{
    struct grant_table *d = find_by_any_id(env, caller, op->dom);

    if (!d)
        return -ESRCH;
    if (!may_target(caller, d))
        return -EPERM;
    op->version = 1;
    return 0;
}

void gnttab_release_mappings(const struct gnttab_env *env, struct grant_table *gt)
{
    /* Top down, as Xen (which frees maptrack pages as it goes). */
    for (uint32_t h = gt->maptrack_limit; h-- > 0;) {
        struct gnttab_maptrack *m = &gt->maptrack[h];
        uint16_t flags = m->flags;
        bool ro = (flags & GNTMAP_readonly) != 0;
        struct grant_table *rd;
        struct gnttab_active *act;

        if (!(flags & MT_MAPPED))
            continue;
        m->flags = 0;
        rd = find_by_id(env, gt, m->domid);
        if (!rd || m->ref >= gnttab_nr_entries(rd))
            continue;
        act = &rd->active[m->ref];

        if (flags & GNTMAP_device_map) {
            act->pin -= PIN_ONE(ro ? PIN_DEV_RO : PIN_DEV_RW);
            env->put_page(env->ctx, rd, act->mfn, GNTMAP_device_map | (flags & GNTMAP_readonly));
        }
        /* PV host mappings: the references go with the PTEs. */
        if (flags & GNTMAP_host_map)
            act->pin -= PIN_ONE(ro ? PIN_HOST_RO : PIN_HOST_RW);
        reduce_status(entry_of(rd, m->ref), act, ro);
    }
    gt->maptrack_limit = 0;
    gt->mt_head = gt->mt_tail = MT_NONE;
}
