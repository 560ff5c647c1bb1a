/* SPDX-License-Identifier: MIT */
/* memory_op: reservations, memory maps and the M2P location. */
#include <xen/memory.h>
#include <xen/xen.h>
#include <xeno/e820.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>
#include <xeno/setup.h>

/* The domain an op names: self, or (for the control domain) another.
 * Like Xen, a missing domain is -ESRCH before privilege is judged (-EPERM). */
static struct domain *target_rc(struct domain *self, uint16_t domid, long *rc)
{
    if (domid == DOMID_SELF || domid == self->domid)
        return self;
    struct domain *d = domain_lookup(domid);
    *rc = !d ? -ESRCH : !self->is_privileged ? -EPERM : 0;
    return *rc ? NULL : d;
}

static struct domain *target(struct domain *self, uint16_t domid)
{
    long rc;
    return target_rc(self, domid, &rc);
}

static long copy_map_out(uint64_t arg, const struct xen_e820_entry *ents, unsigned int n)
{
    struct xen_memory_map map;
    if (copy_from_guest(&map, arg, sizeof(map)))
        return -EFAULT;
    if (map.nr_entries < n)
        return -EINVAL;         /* Xen refuses a buffer too small for the map */
    if (copy_to_guest(map.buffer, ents, n * sizeof(*ents)))
        return -EFAULT;
    map.nr_entries = n;
    return copy_to_guest(arg, &map, sizeof(map));
}

/* Give one frame back (decrease_reservation); false if it is not ours. */
static bool release_frame(struct domain *d, unsigned long mfn)
{
    /* Hypervisor pages shared with the guest (shared_info, grant frames)
     * are not its reservation to give back. */
    if (!mfn_valid(mfn) || frame_table[mfn].owner != d->domid || mfn == d->shared_info_mfn ||
        (frame_table[mfn].count_info & PGC_xen_heap))
        return false;
    /* Whoever takes the frame off the owner's list gives it back, so two
     * decreases of one frame, or a decrease racing the domain's
     * destruction (dom0 may name another domain), cannot both free it. */
    struct page_info *pg = &frame_table[mfn];
    spin_lock(&d->page_alloc_lock);
    bool mine = !d->is_dying && pg->owner == d->domid && !list_empty(&pg->list);
    if (mine) {
        list_del(&pg->list);
        d->tot_pages--;
    }
    spin_unlock(&d->page_alloc_lock);
    if (!mine)
        return false;
    spin_lock(&pv_mm_lock);
    int rc = page_release(&pv_env, mfn, d->domid);
    spin_unlock(&pv_mm_lock);
    if (rc < 0) {
        /* Not for a listed frame; put it back as it was. */
        spin_lock(&d->page_alloc_lock);
        list_add_tail(&pg->list, &d->page_list);
        d->tot_pages++;
        spin_unlock(&d->page_alloc_lock);
        return false;
    }
    m2p[mfn] = INVALID_M2P_ENTRY;
    if (rc == 0) {
        frame_table[mfn].owner = PAGE_OWNER_NONE;
        free_frames(mfn, 0);
    }
    /* rc == 1: still referenced (mapped, pinned): freed on the last put. */
    return true;
}

/*
 * increase/decrease_reservation and populate_physmap.  Returns the number of
 * extents done; a bad extent (not ours, unreadable list, no memory, at the
 * maximum) stops the batch there, as Xen does.
 */
static long reservation_op(struct domain *self, unsigned long cmd, uint64_t arg)
{
    struct xen_memory_reservation r;
    if (copy_from_guest(&r, arg, sizeof(r)))
        return -EFAULT;
    struct domain *d = target(self, r.domid);
    if (!d)
        return 0;               /* Xen 4.17: an unknown domain means 0 extents done */
    if (r.extent_order > 9)
        return -EINVAL;
    unsigned long per = 1UL << r.extent_order, done = 0;
    for (; done < r.nr_extents; done++) {
        uint64_t slot = r.extent_start + done * sizeof(uint64_t);
        uint64_t val = 0;
        if (cmd != XENMEM_increase_reservation || r.extent_start)
            if (copy_from_guest(&val, slot, sizeof(val)))
                break;
        if (cmd == XENMEM_decrease_reservation) {
            bool ok = true;
            for (unsigned long i = 0; i < per && ok; i++)
                ok = release_frame(d, val + i);
            if (!ok)
                break;
            continue;
        }
        if (d->tot_pages + per > d->max_pages)
            break;
        long mfn = alloc_frames(r.extent_order);
        if (mfn < 0)
            break;
        memset(__va((paddr_t)mfn << PAGE_SHIFT), 0, PAGE_SIZE << r.extent_order);
        for (unsigned long i = 0; i < per; i++)
            /* populate_physmap names the pfns; increase_reservation does not. */
            m2p[mfn + i] = cmd == XENMEM_populate_physmap ? val + i : INVALID_M2P_ENTRY;
        /* The toolstack may populate a domain being destroyed: a dying
         * domain takes no pages (Xen's assign_pages), and the limit is
         * judged again under the lock. */
        spin_lock(&d->page_alloc_lock);
        bool refused = d->is_dying || d->tot_pages + per > d->max_pages;
        for (unsigned long i = 0; !refused && i < per; i++) {
            frame_table[mfn + i].owner = d->domid;
            list_add_tail(&frame_table[mfn + i].list, &d->page_list);
        }
        if (!refused)
            d->tot_pages += per;
        spin_unlock(&d->page_alloc_lock);
        if (refused) {
            for (unsigned long i = 0; i < per; i++)
                m2p[mfn + i] = INVALID_M2P_ENTRY;
            free_frames(mfn, r.extent_order);
            break;
        }
        uint64_t out = mfn;     /* PV: the new MFN goes back in the slot */
        if (r.extent_start && copy_to_guest(slot, &out, sizeof(out)))
            break;
    }
    return done;
}

/* May this frame of d be traded away?  Owned, an ordinary guest page, and
 * referenced by nothing (Linux unmaps a region before exchanging it). */
static bool exchangeable(struct domain *d, unsigned long mfn)
{
    return mfn_valid(mfn) && frame_table[mfn].owner == d->domid && mfn != d->shared_info_mfn &&
           !(frame_table[mfn].count_info & (PGC_xen_heap | PGC_count_mask)) &&
           !(frame_table[mfn].type_info & PGT_count_mask);
}

/*
 * XENMEM_exchange for the caller's own memory: Linux's swiotlb-xen trades
 * scattered frames for machine-contiguous ones below a DMA address limit
 * (xen_create_contiguous_region, extents order 0 -> N) and back
 * (xen_destroy_contiguous_region, N -> 0).  Work goes in chunks of the
 * larger extent so each chunk is all-or-nothing; nr_exchanged counts input
 * extents done, as in Xen.  PV: in = MFNs; out = GPFNs in, MFNs out.
 */
static long exchange_op(struct domain *d, uint64_t arg)
{
    struct xen_memory_exchange x;
    if (copy_from_guest(&x, arg, sizeof(x)))
        return -EFAULT;
    if ((x.in.domid != DOMID_SELF && x.in.domid != d->domid) ||
        (x.out.domid != DOMID_SELF && x.out.domid != d->domid))
        return -EPERM;
    if (x.in.extent_order > 9 || x.out.extent_order > 9 ||
        (x.in.nr_extents << x.in.extent_order) != (x.out.nr_extents << x.out.extent_order))
        return -EINVAL;
    unsigned int bits = XENMEMF_get_address_bits(x.out.mem_flags);
    unsigned long limit = bits && bits - PAGE_SHIFT < 52 ? 1UL << (bits - PAGE_SHIFT) : 0;
    unsigned int big = MAX(x.in.extent_order, x.out.extent_order);
    unsigned long n_in = 1UL << (big - x.in.extent_order), n_out = 1UL << (big - x.out.extent_order);
    unsigned long chunks = (x.in.nr_extents << x.in.extent_order) >> big;
    long rc = 0;

    for (unsigned long c = x.nr_exchanged / n_in; c < chunks && !rc; c++) {
        uint64_t in_mfn[512], out_gpfn[512];
        long out_mfn[512];
        unsigned long got = 0;
        if (copy_from_guest(in_mfn, x.in.extent_start + c * n_in * 8, n_in * 8) ||
            copy_from_guest(out_gpfn, x.out.extent_start + c * n_out * 8, n_out * 8)) {
            rc = -EFAULT;
            break;
        }
        spin_lock(&pv_mm_lock);
        for (unsigned long i = 0; i < n_in && !rc; i++)
            for (unsigned long k = 0; k < (1UL << x.in.extent_order) && !rc; k++)
                if (!exchangeable(d, in_mfn[i] + k))
                    rc = -EINVAL;
        for (; !rc && got < n_out; got++) {
            out_mfn[got] = limit ? alloc_frames_below(x.out.extent_order, limit) : alloc_frames(x.out.extent_order);
            if (out_mfn[got] < 0)
                rc = -ENOMEM;
        }
        if (rc) {
            for (unsigned long j = 0; j + 1 < got; j++)      /* the last one failed */
                free_frames(out_mfn[j], x.out.extent_order);
            spin_unlock(&pv_mm_lock);
            break;
        }
        spin_lock(&d->page_alloc_lock);
        for (unsigned long i = 0; i < n_in; i++)
            for (unsigned long k = 0; k < (1UL << x.in.extent_order); k++) {
                unsigned long mfn = in_mfn[i] + k;
                list_del(&frame_table[mfn].list);
                m2p[mfn] = INVALID_M2P_ENTRY;
                frame_table[mfn].owner = PAGE_OWNER_NONE;
                free_frames(mfn, 0);
            }
        for (unsigned long j = 0; j < n_out; j++) {
            memset(__va((paddr_t)out_mfn[j] << PAGE_SHIFT), 0, PAGE_SIZE << x.out.extent_order);
            for (unsigned long k = 0; k < (1UL << x.out.extent_order); k++) {
                unsigned long mfn = out_mfn[j] + k;
                frame_table[mfn].owner = d->domid;
                list_add_tail(&frame_table[mfn].list, &d->page_list);
                m2p[mfn] = out_gpfn[j] + k;
            }
        }
        spin_unlock(&d->page_alloc_lock);
        spin_unlock(&pv_mm_lock);
        for (unsigned long j = 0; j < n_out; j++) {
            uint64_t m = out_mfn[j];
            if (copy_to_guest(x.out.extent_start + (c * n_out + j) * 8, &m, 8))
                rc = -EFAULT;
        }
        x.nr_exchanged += n_in;
    }
    if (copy_to_guest(arg + __builtin_offsetof(struct xen_memory_exchange, nr_exchanged), &x.nr_exchanged,
                      sizeof(x.nr_exchanged)))
        return -EFAULT;
    return rc;
}

long do_memory_op(HC_ARGS)
{
    unsigned long cmd = a1 & 0xf;    /* low bits: command; high bits: continuation (unused) */
    uint64_t arg = a2;
    struct domain *self = current->domain;

    switch (a1) {
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation: {
        uint16_t domid;
        if (copy_from_guest(&domid, arg, sizeof(domid)))
            return -EFAULT;
        long rc = 0;
        struct domain *d = target_rc(self, domid, &rc);
        if (!d)
            return rc;
        return a1 == XENMEM_current_reservation ? (long)d->tot_pages : (long)d->max_pages;
    }
    case XENMEM_maximum_ram_page:
        return max_page - 1;
    case XENMEM_machphys_mapping: {
        struct xen_machphys_mapping m = {
            .v_start = RO_MPT_VIRT_START,
            .v_end = RO_MPT_VIRT_START + ROUNDUP(max_page * 8UL, PAGE_SIZE),
            .max_mfn = max_page - 1,
        };
        return copy_to_guest(arg, &m, sizeof(m));
    }
    case XENMEM_machphys_mfn_list: {
        /* The M2P's frames in 2 MiB extents (what tools map to read it). */
        struct xen_machphys_mfn_list l;
        if (copy_from_guest(&l, arg, sizeof(l)))
            return -EFAULT;
        unsigned long base = __pa(m2p) >> PAGE_SHIFT;
        unsigned long extents = ROUNDUP(max_page * 8UL, 2UL << 20) >> 21;
        unsigned int n = 0;
        for (; n < l.max_extents && n < extents; n++) {
            uint64_t mfn = base + n * 512UL;
            if (copy_to_guest(l.extent_start + n * sizeof(mfn), &mfn, sizeof(mfn)))
                return -EFAULT;
        }
        l.nr_extents = n;
        return copy_to_guest(arg, &l, sizeof(l));
    }
    case XENMEM_memory_map:
        /* No map was set for this domain (the toolstack sets one for domUs
         * later): -ENOSYS, on which Linux assumes one RAM range (Xen). */
        return -ENOSYS;
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
    case XENMEM_increase_reservation:
        return reservation_op(self, a1, arg);
    case XENMEM_exchange:
        return exchange_op(self, arg);
    case XENMEM_machine_memory_map: {
        if (!self->is_privileged)
            return -EPERM;
        struct xen_e820_entry ents[E820MAX];
        const struct e820map *m = firmware_memory_map();
        for (unsigned int i = 0; i < m->nr; i++)
            ents[i] = (struct xen_e820_entry){ .addr = m->map[i].addr, .size = m->map[i].size,
                                               .type = m->map[i].type };
        return copy_map_out(arg, ents, m->nr);
    }
    default:
        (void)cmd;
        /* populate/decrease/exchange come with ballooning and the toolstack. */
        return -ENOSYS;
    }
}
