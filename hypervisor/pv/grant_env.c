/* SPDX-License-Identifier: MIT */
/*
 * How the grant-table library (common/grant_table.c) reaches this machine:
 * shared frames, page references on granted frames, grant PTEs in the
 * mapper's page tables, and each domain's table from creation to
 * destruction. Facts from Xen 4.17 (xen/common/grant_table.c,
 * xen/arch/x86/pv/grant_table.c, share_xen_page_with_guest); locking in
 * xeno/pv_grant.h.
 *
 * Page references. A mapping's references are the ones a PTE of the same
 * frame would hold under the PV MMU rules (page_type.h): one general
 * reference per host/device mapping, plus a PGT_writable_page type
 * reference unless GNTMAP_readonly. The library takes them through
 * get_page before the PTE is written and drops them through put_page only
 * after the PTE is gone and the TLBs are flushed. In between they belong
 * to the PTE, so create_host_mapping writes it straight into the validated
 * L1 without taking references again (Xen's create_grant_pv_mapping does
 * the same with UPDATE_ENTRY) rather than through mod_entry: mod_entry
 * would take a second set, and the matching mod_entry on unmap would drop
 * them before the flush. As every
 * present entry of a validated L1 holds exactly these references, the
 * accounting stays right whatever the guest does to the entry meanwhile:
 * if it overwrites or devalidates it, the PV MMU drops them and the
 * grant's unmap later fails the frame/RW check (the pin then lasts until
 * the mapper dies, as in Xen, whose debug builds also crash the guest).
 */
#include <xen/xen.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv_grant.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>

spinlock_t pv_gnttab_lock = SPIN_LOCK_UNLOCKED;

/* head.S: EFER.NXE is on only if the CPU has NX; bit 63 is reserved otherwise. */
extern uint32_t boot_cpu_has_nx;

/*
 * Maptrack handles, preallocated (the library has no growth). Xen's
 * default is 1024 frames of 256 (262144); a backend domain with a dozen
 * guests' rings, blkback persistent grants included, stays well below the
 * privileged size here, and a domU rarely maps at all.
 */
#define MAPTRACK_PRIVILEGED 32768u
#define MAPTRACK_DOMU       4096u

#define ACTIVE_BYTES ((size_t)GNTTAB_MAX_FRAMES * GNTTAB_ENTRIES_PER_FRAME * \
                      sizeof(struct gnttab_active))

/* The active array is a power-of-two number of pages (512 KiB for 64
 * frames): whole pages from the allocator, not a heap block that would
 * round it up to twice that for its header. */
static unsigned int active_order(void)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < ACTIVE_BYTES)
        order++;
    return order;
}

/* ------------------------------------------------------------------ */
/* Tables of destroyed domains still pinned by others                   */

/*
 * The library needs a granter's table findable by its id until the last
 * pin on it goes (Xen keeps the dying domain around for as long). Its
 * struct domain may be gone by then, so such tables wait here.
 */
static struct grant_table *zombies[MAX_DOMAINS];
static unsigned int nr_zombies;

static struct grant_table *zombie_find(domid_t domid)
{
    for (unsigned int i = 0; nr_zombies && i < MAX_DOMAINS; i++)
        if (zombies[i] && zombies[i]->domid == domid)
            return zombies[i];
    return NULL;
}

static void free_table(struct grant_table *gt)
{
    /* Only after gnttab_table_busy() said no: cannot fail. */
    gnttab_table_destroy(&pv_gnttab_env, gt);
    free_xenheap_pages(gt->active, active_order());
    xfree(gt->maptrack);
    xfree(gt);
}

void pv_grant_reap(void)
{
    for (unsigned int i = 0; nr_zombies && i < MAX_DOMAINS; i++)
        if (zombies[i] && !gnttab_table_busy(zombies[i])) {
            free_table(zombies[i]);
            zombies[i] = NULL;
            nr_zombies--;
        }
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                            */

static struct grant_table *env_lookup(void *ctx, domid_t domid)
{
    (void)ctx;
    struct domain *d = domain_lookup(domid);

    return d && d->gt ? d->gt : zombie_find(domid);
}

/*
 * A shared frame: a hypervisor page shared with the domain (Xen:
 * alloc_xenheap_page + share_xen_page_with_guest(SHARE_rw)). Owned by the
 * domain, so its PV MMU mappings of it pass the ownership check; not on
 * its page list nor in tot_pages (Xen's xenpage_list); no pseudo-physical
 * address. The hypervisor holds a general and a PGT_writable_page type
 * reference for as long as the table has the frame (Xen pins the type the
 * same way), so the domain can neither make it a page table or descriptor
 * frame (which the hypervisor's flag updates would then write behind the
 * PV MMU's back) nor have it freed while the table uses it. PGC_xen_heap
 * keeps the cache attributes WB in its mappings.
 */
static void *env_alloc_frame(void *ctx, struct grant_table *gt, unsigned int idx, mfn_t *mfn)
{
    (void)ctx;
    (void)idx;
    void *va = alloc_xenheap_pages(0);
    int rc;

    if (!va)
        return NULL;
    *mfn = __pa(va) >> PAGE_SHIFT;
    struct page_info *pg = &frame_table[*mfn];

    spin_lock(&pv_mm_lock);
    pg->owner = gt->domid;
    list_init(&pg->list);       /* on no page list (see above) */
    pg->count_info |= PGC_xen_heap;
    m2p[*mfn] = INVALID_M2P_ENTRY;
    rc = get_page_and_type(&pv_env, *mfn, gt->domid, PGT_writable_page);
    if (rc) {
        pg->count_info &= ~PGC_xen_heap;
        pg->owner = PAGE_OWNER_NONE;
    }
    spin_unlock(&pv_mm_lock);
    if (rc) {
        free_xenheap_pages(va, 0);
        return NULL;
    }
    return va;
}

/*
 * Give the frame back: mark it released (it then takes no new references)
 * and drop the hypervisor's pin. If that was the last reference it is
 * freed now (pv_env.free_frame); otherwise when the domain's last mapping
 * of it goes, e.g. as its page tables are torn down.
 */
static void env_free_frame(void *ctx, struct grant_table *gt, unsigned int idx, void *va,
                           mfn_t mfn)
{
    (void)ctx;
    (void)idx;
    (void)va;
    spin_lock(&pv_mm_lock);
    frame_table[mfn].count_info &= ~PGC_xen_heap;
    /* -EINVAL: the domain released it already; either way it is marked. */
    page_release(&pv_env, mfn, gt->domid);
    put_page_and_type(&pv_env, mfn);
    spin_unlock(&pv_mm_lock);
}

/*
 * PV: a grant entry or copy names a machine frame (Xen's PV
 * get_page_from_gfn: GFN == MFN, and the frame must be the owner's, so
 * MMIO and other domains' frames are GNTST_bad_page).
 */
static int env_get_frame(void *ctx, struct grant_table *owner, uint64_t frame, bool readonly,
                         mfn_t *mfn)
{
    (void)ctx;
    (void)readonly;
    int rc = GNTST_bad_page;

    if (frame >= max_page)
        return rc;
    spin_lock(&pv_mm_lock);
    const struct page_info *pg = &frame_table[frame];
    if (pg->owner == owner->domid &&
        !(pg->count_info & (PGC_free | PGC_reserved | PGC_released))) {
        *mfn = frame;
        rc = GNTST_okay;
    }
    spin_unlock(&pv_mm_lock);
    return rc;
}

/* One mapping side's references (see the top of the file). */
static int get_one(mfn_t mfn, domid_t owner, bool ro)
{
    return ro ? get_page(&pv_env, mfn, owner)
              : get_page_and_type(&pv_env, mfn, owner, PGT_writable_page);
}

static void put_one(mfn_t mfn, bool ro)
{
    if (ro)
        put_page(&pv_env, mfn);
    else
        put_page_and_type(&pv_env, mfn);
}

static unsigned int sides(uint32_t flags)
{
    return !!(flags & GNTMAP_host_map) + !!(flags & GNTMAP_device_map);
}

static int env_get_page(void *ctx, struct grant_table *owner, mfn_t mfn, uint32_t flags)
{
    (void)ctx;
    bool ro = flags & GNTMAP_readonly;
    unsigned int n = sides(flags), got = 0;

    spin_lock(&pv_mm_lock);
    while (got < n && !get_one(mfn, owner->domid, ro))
        got++;
    bool ok = got == n;
    while (!ok && got--)
        put_one(mfn, ro);
    spin_unlock(&pv_mm_lock);
    /* Xen map_grant_ref: "Could not pin the granted frame" (e.g. it is a
     * page table of the granter and a writable mapping was asked for). */
    return ok ? GNTST_okay : GNTST_general_error;
}

static void env_put_page(void *ctx, struct grant_table *owner, mfn_t mfn, uint32_t flags)
{
    (void)ctx;
    (void)owner;
    bool ro = flags & GNTMAP_readonly;

    spin_lock(&pv_mm_lock);
    for (unsigned int i = sides(flags); i > 0; i--)
        put_one(mfn, ro);
    spin_unlock(&pv_mm_lock);
}

/*
 * The PTE of a grant host mapping (Xen: grant_to_pte_flags, then
 * adjust_guest_l1e for a 64-bit PV guest): P A D NX, RW unless
 * GNTMAP_readonly, US only with GNTMAP_application_map (a kernel mapping
 * otherwise, which a 64-bit PV guest gets as US plus _PAGE_GUEST_KERNEL
 * since its kernel runs in ring 3), and flags bits 16..18 in the available
 * bits 9..11 (XENFEAT_gnttab_map_avail_bits; _GNTMAP_guest_avail0 is 16,
 * and Xen's MASK_INSR into _PAGE_AVAIL keeps three bits). No _PAGE_GNTTAB
 * marker: Xen sets it only in debug builds (release Xen 4.17 installs
 * e.g. 0x801000001ed80a67 for a kernel RW map with avail bits 0b101), and
 * the PV MMU refuses bit 62 in guest L1 updates, so a guest writing back a
 * PTE it read (Linux's mprotect path) would fail. The grant's cache
 * attributes are only applied by Xen to MMIO frames, which get_frame
 * never yields, so RAM stays WB.
 */
static uint64_t grant_pte(mfn_t mfn, uint32_t flags)
{
    uint64_t pte = ((uint64_t)mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY;

    if (boot_cpu_has_nx)
        pte |= _PAGE_NX;
    if (!(flags & GNTMAP_readonly))
        pte |= _PAGE_RW;
    pte |= ((uint64_t)(flags >> _GNTMAP_guest_avail0) << 9) & _PAGE_AVAIL;
    if (flags & GNTMAP_application_map)
        pte |= _PAGE_USER | (pv_env.user_global ? _PAGE_GLOBAL : 0);
    else
        pte |= _PAGE_USER | _PAGE_GUEST_KERNEL;
    return pte;
}

/* Xen's __addr_ok for a 64-bit PV guest: canonical and outside the
 * hypervisor's reserved window (L4 slots 256..271). */
static bool linear_ok(uint64_t va)
{
    bool canonical = ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;

    return canonical && guest_range_ok(va, 1);
}

/* The L1 frame that maps va in v's kernel page tables (hypercalls come
 * from guest kernel mode, whose CR3 is guest_table: Xen's map_guest_l1e
 * reads the same tables through the linear map). */
static int walk_to_l1(const struct vcpu *v, uint64_t va, unsigned long *l1_mfn)
{
    unsigned long mfn = v->guest_table;

    if (!mfn || !linear_ok(va))
        return -EINVAL;
    for (int level = 4; level > 1; level--) {
        const uint64_t *t = __va((paddr_t)mfn << PAGE_SHIFT);
        uint64_t e = __atomic_load_n(&t[(va >> (12 + 9 * (level - 1))) & 511], __ATOMIC_RELAXED);

        if ((e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT)
            return -EINVAL;
        mfn = pte_mfn(e);
        if (!mfn_valid(mfn))
            return -EINVAL;
    }
    *l1_mfn = mfn;
    return 0;
}

/*
 * The L1 entry host_addr names for the mapper (current): with
 * GNTMAP_contains_pte the machine address of the entry, 8-byte aligned
 * ("or we will corrupt adjacent ptes"), otherwise a linear address. Either
 * way the table must be a validated L1 of the mapper (Xen:
 * get_page_from_mfn(gl1mfn, currd) and the PGT_l1_page_table check under
 * page_lock), and stays referenced until put. Called with pv_mm_lock held.
 */
static int find_l1e(const struct grant_table *mapper, uint64_t host_addr, uint32_t flags,
                    unsigned long *l1_mfn, uint64_t **pl1e)
{
    const struct vcpu *v = current;
    unsigned long mfn;
    unsigned int idx;

    if (!v || v->domain->domid != mapper->domid)
        return -EINVAL;
    if (flags & GNTMAP_contains_pte) {
        if (host_addr & 7)
            return -EINVAL;
        mfn = host_addr >> PAGE_SHIFT;
        idx = (host_addr & (PAGE_SIZE - 1)) >> 3;
    } else {
        if (walk_to_l1(v, host_addr, &mfn))
            return -EINVAL;
        idx = (host_addr >> PAGE_SHIFT) & 511;
    }
    if (get_page(&pv_env, mfn, mapper->domid))
        return -EINVAL;
    if (page_pt_level(&pv_env, mfn) != 1) {
        put_page(&pv_env, mfn);
        return -EINVAL;
    }
    *l1_mfn = mfn;
    *pl1e = (uint64_t *)__va((paddr_t)mfn << PAGE_SHIFT) + idx;
    return 0;
}

static int env_create_host_mapping(void *ctx, struct grant_table *mapper, uint64_t host_addr,
                                   mfn_t mfn, uint32_t flags, unsigned int cache_flags)
{
    (void)ctx;
    (void)cache_flags;
    unsigned long l1;
    uint64_t *pl1e, old;
    int rc;

    spin_lock(&pv_mm_lock);
    rc = find_l1e(mapper, host_addr, flags, &l1, &pl1e);
    if (!rc) {
        old = __atomic_exchange_n(pl1e, grant_pte(mfn, flags), __ATOMIC_SEQ_CST);
        /*
         * Xen: put_page_from_l1e(ol1e) once the new entry is in, without a
         * flush (its TLB-flush clock catches a freed frame's reuse). Xeno
         * has no such clock: no translation may outlive the references it
         * stood for, so flush first. Linux never maps over a present PTE,
         * so this costs nothing in practice.
         */
        if (old & _PAGE_PRESENT)
            flush_tlb_all_cpus();
        pte_release(&pv_env, 1, old);
        put_page(&pv_env, l1);
    }
    spin_unlock(&pv_mm_lock);
    if (rc) {
        printk(XENLOG_INFO "d%u: grant map: no L1 entry for %s %#lx\n", mapper->domid,
               flags & GNTMAP_contains_pte ? "PTE" : "address", (unsigned long)host_addr);
        return GNTST_general_error;
    }
    return GNTST_okay;
}

/*
 * Clear the entry if it maps mfn with the grant's P and RW (Xen:
 * replace_grant_pv_mapping with new_addr 0; the other bits are the
 * guest's or the CPU's business). The references stay held for
 * gnttab_unmap_complete, after the TLB flush.
 */
static int env_destroy_host_mapping(void *ctx, struct grant_table *mapper, uint64_t host_addr,
                                    mfn_t mfn, uint32_t flags)
{
    (void)ctx;
    uint64_t want = grant_pte(mfn, flags), cur;
    unsigned long l1;
    uint64_t *pl1e;
    int rc = GNTST_general_error;

    spin_lock(&pv_mm_lock);
    if (!find_l1e(mapper, host_addr, flags, &l1, &pl1e)) {
        cur = __atomic_load_n(pl1e, __ATOMIC_RELAXED);
        /* A/D may change under us (the CPU); anything else cannot. */
        while (pte_mfn(cur) == mfn && !((cur ^ want) & (_PAGE_PRESENT | _PAGE_RW))) {
            if (__atomic_compare_exchange_n(pl1e, &cur, 0, false, __ATOMIC_SEQ_CST,
                                            __ATOMIC_RELAXED)) {
                rc = GNTST_okay;
                break;
            }
        }
        put_page(&pv_env, l1);
    }
    spin_unlock(&pv_mm_lock);
    if (rc)
        printk(XENLOG_INFO "d%u: grant unmap: %s %#lx does not map mfn %#lx as granted\n",
               mapper->domid, flags & GNTMAP_contains_pte ? "PTE" : "address",
               (unsigned long)host_addr, (unsigned long)mfn);
    return rc;
}

const struct gnttab_env pv_gnttab_env = {
    .lookup = env_lookup,
    .alloc_frame = env_alloc_frame,
    .free_frame = env_free_frame,
    .get_frame = env_get_frame,
    .get_page = env_get_page,
    .put_page = env_put_page,
    .create_host_mapping = env_create_host_mapping,
    .destroy_host_mapping = env_destroy_host_mapping,
};

/* ------------------------------------------------------------------ */
/* Per-domain life cycle                                                */

int pv_grant_domain_init(struct domain *d)
{
    unsigned int handles = d->is_privileged ? MAPTRACK_PRIVILEGED : MAPTRACK_DOMU;
    struct grant_table *gt = xzalloc(struct grant_table);
    struct gnttab_active *active = alloc_xenheap_pages(active_order());
    struct gnttab_maptrack *mt = xmalloc_bytes(handles * sizeof(*mt));
    int rc = -ENOMEM;

    spin_lock(&pv_gnttab_lock);
    if (zombie_find(d->domid))
        rc = -EBUSY;
    else if (gt && active && mt)
        rc = gnttab_table_init(&pv_gnttab_env, gt, d->domid, GNTTAB_MAX_FRAMES, active, mt,
                               handles);
    spin_unlock(&pv_gnttab_lock);
    if (rc) {
        free_xenheap_pages(active, active_order());
        xfree(mt);
        xfree(gt);
        return rc;
    }
    /* The control domain may set up / query other domains' tables
     * (Xen's dummy XSM policy, XSM_TARGET). */
    gt->privileged = d->is_privileged;
    d->gt = gt;
    return 0;
}

void pv_grant_domain_destroy(struct domain *d)
{
    struct grant_table *gt = d->gt;
    unsigned int i;

    if (!gt)
        return;
    spin_lock(&pv_gnttab_lock);
    d->gt = NULL;
    gnttab_release_mappings(&pv_gnttab_env, gt);
    if (!gnttab_table_busy(gt)) {
        free_table(gt);
    } else {
        for (i = 0; i < MAX_DOMAINS && zombies[i]; i++)
            ;
        if (i < MAX_DOMAINS) {
            zombies[i] = gt;
            nr_zombies++;
        } else {
            /* Never freed, still safe: its frames stay referenced. */
            printk(XENLOG_ERR "d%u: grant table kept forever (no zombie slot)\n", gt->domid);
        }
    }
    pv_grant_reap();
    spin_unlock(&pv_gnttab_lock);
}
