/* SPDX-License-Identifier: MIT */
/*
 * domctl on a domain's memory: max_mem, getpageframeinfo3 (what the
 * builder and save/restore ask about page types) and hypercall_init.
 * Facts from Xen 4.17 (common/domctl.c, arch/x86/domctl.c).
 */
#include <xen/domctl.h>
#include <xeno/domctl_ops.h>
#include <xeno/domctl_rules.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/kernel_image.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>

long domctl_max_mem(struct domain *d, struct xen_domctl *op)
{
    /* KiB to pages; Xen no longer refuses a maximum below tot_pages: the
     * domain then just gets no new pages until it is under it again. */
    uint64_t pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);
    spin_lock(&d->page_alloc_lock);
    d->max_pages = pages > ~0UL ? ~0UL : (unsigned long)pages;
    spin_unlock(&d->page_alloc_lock);
    return 0;
}

/* RAM of d that getpageframeinfo3 may describe: owned, allocated, not a
 * hypervisor page shared with it (Xen: is_special_page -> XTAB). */
static bool domain_ram(const struct domain *d, uint64_t mfn)
{
    if (!mfn_valid(mfn) || mfn == d->shared_info_mfn)
        return false;
    const struct page_info *pg = &frame_table[mfn];
    return pg->owner == d->domid &&
           !(pg->count_info & (PGC_free | PGC_reserved | PGC_xen_heap | PGC_released));
}

long domctl_getpageframeinfo3(struct domain *d, struct xen_domctl *op)
{
    uint64_t num = op->u.getpageframeinfo3.num;
    uint64_t arr = op->u.getpageframeinfo3.array;

    if (num > 1024)
        return -E2BIG;          /* Xen's limit per call */
    for (uint64_t i = 0; i < num; i++) {
        uint64_t mfn, type;
        if (copy_from_guest(&mfn, arr + i * 8, 8))
            return -EFAULT;
        spin_lock(&pv_mm_lock);
        type = domain_ram(d, mfn) ? pfinfo_type(frame_table[mfn].type_info) : XEN_DOMCTL_PFINFO_XTAB;
        spin_unlock(&pv_mm_lock);
        if (copy_to_guest(arr + i * 8, &type, 8))
            return -EFAULT;
    }
    return 0;
}

long domctl_hypercall_init(struct domain *d, struct xen_domctl *op)
{
    uint64_t mfn = op->u.hypercall_init.gmfn;

    /* Xen: the frame must be the domain's and writable-typable (not a page
     * table or descriptor frame), else -EINVAL. */
    if (!mfn_valid(mfn) || !domain_ram(d, mfn))
        return -EINVAL;
    spin_lock(&pv_mm_lock);
    int rc = get_page_and_type(&pv_env, mfn, d->domid, PGT_writable_page);
    spin_unlock(&pv_mm_lock);
    if (rc)
        return -EINVAL;
    pv_hypercall_page_fill(__va((paddr_t)mfn << PAGE_SHIFT));
    spin_lock(&pv_mm_lock);
    put_page_and_type(&pv_env, mfn);
    spin_unlock(&pv_mm_lock);
    return 0;
}
