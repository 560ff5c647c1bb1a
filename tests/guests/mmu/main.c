/* SPDX-License-Identifier: MIT */
/*
 * mmu: the direct-paging PV MMU.  Page-table pages hold machine frame
 * numbers, are mapped read-only in the guest and are changed by hypercall
 * (mmu_update, update_va_mapping, mmuext_op) or, with the
 * writable_pagetables assist, by trapped-and-emulated writes to L1s.  The
 * hypervisor must validate every change: these tests try both the
 * legitimate uses Linux makes and the hostile ones it must refuse.
 */
#include "mmu.h"

const char xtest_name[] = "mmu";

xen_pfn_t xen_owned_mfn(void)
{
    static xen_pfn_t mfn;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };

    if (!mfn) {
        xen_guest_handle_set(l.extent_start, &mfn);
        if (HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l) || !l.nr_extents)
            xtest_abort("XENMEM_machphys_mfn_list failed");
    }
    return mfn;
}

void xtest_main(void)
{
    test_va_mapping();
    test_mmu_update();
    test_pinning();
    test_baseptr();
    test_hostile_entries();
    test_foreign_frames();
    test_ptwr();
    test_mmuext_misc();
}
