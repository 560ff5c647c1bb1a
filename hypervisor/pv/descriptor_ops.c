/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_set_gdt and HYPERVISOR_update_descriptor (Xen: xen/arch/x86/
 * pv/descriptor-tables.c). The mapping side is in arch/x86/pv/gdt.c, the
 * descriptor rule in arch/x86/pv/desc_check.c.
 */
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_desc.h>
#include <xeno/pv_mm.h>

/* set_gdt(frame_list, entries): frame_list is a guest VA of
 * ceil(entries / 512) MFNs (xen_ulong_t each). */
long do_set_gdt(HC_ARGS)
{
    uint64_t list = a1;
    unsigned long entries = a2;
    unsigned long frames[PV_GDT_MAX_FRAMES];

    /* Checked again by pv_set_gdt(); here it bounds the copy (Xen too). */
    if (entries > PV_GDT_MAX_ENTRIES)
        return -EINVAL;
    unsigned int n = (entries + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
    if (n && copy_from_guest(frames, list, n * sizeof(frames[0])))
        return -EFAULT;
    return pv_set_gdt(current, frames, (unsigned int)entries);
}

/*
 * update_descriptor(maddr, desc): write one descriptor at machine address
 * maddr (64-bit PV: a machine address, the guest's pfn being its mfn).
 * Xen's rules: 8-byte aligned, the descriptor passes the same check as a
 * whole frame (and is stored fixed up), the frame belongs to the caller and
 * is either a descriptor frame (then the write shows at once in every GDT
 * or LDT using it) or can take the writable type for the moment of the
 * write (so it is neither a page table nor a descriptor frame in use).
 */
long do_update_descriptor(HC_ARGS)
{
    uint64_t maddr = a1, desc = a2;
    struct domain *d = current->domain;
    unsigned long mfn = maddr >> PAGE_SHIFT;

    if ((maddr & 7) || !pv_check_descriptor(&desc))
        return -EINVAL;
    if (!mfn_valid(mfn))
        return -EINVAL;

    spin_lock(&pv_mm_lock);
    long rc = get_page(&pv_env, mfn, d->domid);
    if (rc)
        goto out;
    /* Xen looks at the type the frame has now: a descriptor frame keeps
     * its type (validated already, or validated now if its count is 0),
     * anything else must be writable-typable. */
    uint64_t type = (frame_table[mfn].type_info & PGT_type_mask) == PGT_seg_desc_page
                    ? PGT_seg_desc_page : PGT_writable_page;
    rc = get_page_type(&pv_env, mfn, type, d->domid);
    if (!rc) {
        uint64_t *slot = (uint64_t *)__va(maddr);
        /* One 8-byte store: a CPU loading this descriptor concurrently
         * sees the old or the new one, never a mix. */
        __atomic_store_n(slot, desc, __ATOMIC_RELAXED);
        put_page_type(&pv_env, mfn);
    }
    put_page(&pv_env, mfn);
out:
    spin_unlock(&pv_mm_lock);
    return rc ? -EINVAL : 0;
}
