/* SPDX-License-Identifier: MIT */
/*
 * grant_table_op: the hypercall glue over common/grant_table.c. The
 * library decides every GNTST_* status; this file copies the ops in and
 * out the way Xen 4.17's do_grant_table_op does (which fields go back,
 * which faults are -EFAULT and which a status), runs the TLB flush between
 * the two phases of an unmap batch and the memcpy of a copy.
 *
 * Xeno has no hypercall continuations: a batch runs to the end (or to the
 * first fault) in one go. Xen's result is the same, it only preempts.
 */
#include <xen/grant_table.h>
#include <xen/xen.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv_grant.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>

/* Xen's GNTTAB_UNMAP_BATCH_SIZE: unmaps done, then one flush, then the
 * references and pins of the whole batch go. */
#define UNMAP_BATCH 32

static const struct gnttab_env *const env = &pv_gnttab_env;

static void lock(void) { spin_lock(&pv_gnttab_lock); }
static void unlock(void) { spin_unlock(&pv_gnttab_lock); }

/* Xen's guest_handle_okay: the array must lie in guest space (count is
 * below 2^31 here, so the size cannot overflow). */
static bool array_ok(uint64_t va, unsigned int count, size_t size)
{
    return guest_range_ok(va, (uint64_t)count * size);
}

/* Write back one field of an op (Xen's __copy_field_to_guest). */
#define copy_field_out(va, op, field) \
    copy_to_guest((va) + offsetof(__typeof__(op), field), &(op).field, sizeof((op).field))

static long map_grant_ref(struct grant_table *gt, uint64_t uop, unsigned int count)
{
    if (!array_ok(uop, count, sizeof(struct gnttab_map_grant_ref)))
        return -EFAULT;
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_map_grant_ref op;
        uint64_t va = uop + (uint64_t)i * sizeof(op);

        if (copy_from_guest(&op, va, sizeof(op)))
            return -EFAULT;
        lock();
        gnttab_map(env, gt, &op);
        unlock();
        /* Xen copies the whole op back. */
        if (copy_to_guest(va, &op, sizeof(op)))
            return -EFAULT;
    }
    return 0;
}

/*
 * Xen's gnttab_unmap_grant_ref: per batch, phase 1 for each op (status
 * back), one flush, then phase 2 for every op phase 1 ran, even after a
 * fault, so a mapping gone from the page tables never keeps its pins.
 * Only the mapper's translations can be stale, and Xen flushes its dirty
 * CPUs; here every CPU, and only if a PTE was actually cleared.
 */
static long unmap_grant_ref(struct domain *d, uint64_t uop, unsigned int count)
{
    long rc = 0;

    if (!array_ok(uop, count, sizeof(struct gnttab_unmap_grant_ref)))
        return -EFAULT;
    for (unsigned int base = 0; base < count && !rc; base += UNMAP_BATCH) {
        struct gnttab_unmap_done todo[UNMAP_BATCH];
        unsigned int c = MIN(count - base, UNMAP_BATCH), n = 0;
        bool flush = false;

        while (n < c) {
            struct gnttab_unmap_grant_ref op;
            uint64_t va = uop + (uint64_t)(base + n) * sizeof(op);

            if (copy_from_guest(&op, va, sizeof(op))) {
                rc = -EFAULT;
                break;
            }
            lock();
            int gone = gnttab_unmap(env, d->gt, &op, &todo[n]);
            unlock();
            if (gone == -ESRCH)
                /* Xen: a granter gone while mapped cannot happen unless
                 * the mapping was dropped implicitly; "naughty". */
                domain_crash(d, "grant unmap of handle %u: granting domain gone", op.handle);
            flush |= (todo[n].done & GNTMAP_host_map) != 0;
            n++;
            if (copy_field_out(va, op, status)) {
                rc = -EFAULT;
                break;
            }
        }
        if (flush) {
            /* Under pv_mm_lock like the PV MMU's own flushes, so two
             * flushers never share an IPI slot. */
            spin_lock(&pv_mm_lock);
            flush_tlb_all_cpus();
            spin_unlock(&pv_mm_lock);
        }
        lock();
        for (unsigned int i = 0; i < n; i++)
            gnttab_unmap_complete(env, &todo[i]);
        pv_grant_reap();
        unlock();
    }
    return rc;
}

/* Both frames are RAM (get_frame refuses anything else): the direct map
 * reaches them. memmove: source and destination may be the same frame. */
static void do_copy(const struct gnttab_copy *op, const struct gnttab_copy_state *st)
{
    const uint8_t *src = __va((paddr_t)st->src.mfn << PAGE_SHIFT);
    uint8_t *dst = __va((paddr_t)st->dest.mfn << PAGE_SHIFT);

    memmove(dst + op->dest.offset, src + op->source.offset, op->len);
}

/*
 * Xen 4.17 looks up both domains of a copy first (gnttab_copy_lock_domains:
 * GNTST_bad_domain, DOMID_SELF resolved, reserved ids never found) and
 * refuses a frame not named DOMID_SELF (GNTST_permission_denied) only
 * while claiming each side; measured on Xen 4.17.7: source = own id by
 * frame, destination = a missing domain gives bad_domain. The library
 * refuses the name before the lookup, so the lookups are done here first.
 * (Left: a source gref that fails to claim with a destination frame named
 * by another existing domain gives permission_denied here, the source's
 * error in Xen; that needs the check moved in the library's claim_side.)
 */
static bool copy_domain_exists(const struct grant_table *gt, domid_t domid)
{
    return domid == DOMID_SELF || domid == gt->domid ||
           (domid < DOMID_FIRST_RESERVED && env->lookup(env->ctx, domid));
}

static long copy(struct grant_table *gt, uint64_t uop, unsigned int count)
{
    if (!array_ok(uop, count, sizeof(struct gnttab_copy)))
        return -EFAULT;
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_copy op;
        struct gnttab_copy_state st;
        uint64_t va = uop + (uint64_t)i * sizeof(op);

        if (copy_from_guest(&op, va, sizeof(op)))
            return -EFAULT;
        lock();
        int16_t status = GNTST_bad_domain;
        if (copy_domain_exists(gt, op.source.domid) && copy_domain_exists(gt, op.dest.domid))
            status = gnttab_copy_begin(env, gt, &op, &st);
        else
            op.status = status;
        unlock();
        if (status == GNTST_okay) {
            /* The pins and references held keep both frames ours. */
            do_copy(&op, &st);
            lock();
            gnttab_copy_end(env, &st);
            pv_grant_reap();
            unlock();
        }
        if (copy_field_out(va, op, status))
            return -EFAULT;
    }
    return 0;
}

static long setup_table(struct grant_table *gt, uint64_t uop)
{
    struct gnttab_setup_table op;
    struct grant_table *target;
    mfn_t frames[GNTTAB_MAX_FRAMES];
    unsigned int n = 0;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    /* Xen checks the list before anything else. */
    if (!guest_range_ok(op.frame_list, (uint64_t)op.nr_frames * sizeof(xen_pfn_t)))
        return -EFAULT;
    lock();
    gnttab_setup_table(env, gt, &op, &target);
    if (op.status == GNTST_okay) {
        /* nr_frames <= max_frames <= GNTTAB_MAX_FRAMES on success. */
        n = op.nr_frames;
        for (unsigned int i = 0; i < n; i++)
            frames[i] = target->frame_mfn[i];
    }
    unlock();
    /* PV: the GMFN handed back is the MFN. A fault is a status, and the
     * remaining frames are still written (Xen's loop). */
    for (unsigned int i = 0; i < n; i++) {
        xen_pfn_t f = frames[i];

        if (copy_to_guest(op.frame_list + (uint64_t)i * sizeof(f), &f, sizeof(f)))
            op.status = GNTST_bad_virt_addr;
    }
    return copy_field_out(uop, op, status) ? -EFAULT : 0;
}

static long query_size(struct grant_table *gt, uint64_t uop)
{
    struct gnttab_query_size op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    lock();
    gnttab_query_size(env, gt, &op);
    unlock();
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long set_version(struct grant_table *gt, uint64_t uop)
{
    struct gnttab_set_version op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    lock();
    long rc = gnttab_set_version(gt, &op);
    unlock();
    /* The version in force goes back even on error. */
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : rc;
}

static long get_version(struct grant_table *gt, uint64_t uop)
{
    struct gnttab_get_version op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    lock();
    long rc = gnttab_get_version(env, gt, &op);
    unlock();
    if (rc)
        return rc;
    return copy_field_out(uop, op, version) ? -EFAULT : 0;
}

static long get_status_frames(struct grant_table *gt, uint64_t uop)
{
    struct gnttab_get_status_frames op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    lock();
    gnttab_get_status_frames(env, gt, &op);
    unlock();
    /* v1 has no status frames: nothing goes to frame_list. */
    return copy_field_out(uop, op, status) ? -EFAULT : 0;
}

long do_grant_table_op(HC_ARGS)
{
    /* Xen's prototype: (unsigned int cmd, handle uop, unsigned int count);
     * the upper halves of the registers are not looked at. */
    unsigned int cmd = (unsigned int)a1, count = (unsigned int)a3;
    uint64_t uop = a2;
    struct domain *d = current->domain;
    int rc = gnttab_op_check(cmd, count);

    (void)a4;
    (void)a5;
    if (rc)
        return rc;
    if (!d->gt)
        return -ENOSYS;     /* a domain without a table (none today) */
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        return map_grant_ref(d->gt, uop, count);
    case GNTTABOP_unmap_grant_ref:
        return unmap_grant_ref(d, uop, count);
    case GNTTABOP_copy:
        return copy(d->gt, uop, count);
    case GNTTABOP_setup_table:
        return setup_table(d->gt, uop);
    case GNTTABOP_query_size:
        return query_size(d->gt, uop);
    case GNTTABOP_set_version:
        return set_version(d->gt, uop);
    case GNTTABOP_get_version:
        return get_version(d->gt, uop);
    case GNTTABOP_get_status_frames:
        return get_status_frames(d->gt, uop);
    default:
        return -ENOSYS;     /* gnttab_op_check lets only the above through */
    }
}
