/* SPDX-License-Identifier: MIT */
/*
 * Attacks on another domain's frame through our own page tables, shared
 * by the client (on dom0) and the peer (on the client).  Xen 4.17
 * (arch/x86/mm.c): an L1 entry naming a RAM frame its page owner does not
 * own fails get_page_from_l1e() with -EBUSY; a page-table, pin or base
 * pointer target not ours fails get_page_from_mfn() with -EINVAL; naming
 * another domain as FOREIGNDOM fails xsm_mmu_update()/xsm_mmuext_op()
 * (XSM_TARGET) with -EPERM.
 */
#include "domu.h"

void attack_frame(xen_pfn_t mfn, domid_t owner, const char *what)
{
    unsigned long va = empty_slot();
    uint64_t *l1e = pte_ptr(va, 1);
    struct mmu_update u = { .ptr = virt_to_maddr(l1e) | MMU_NORMAL_PT_UPDATE };
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE };

    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RO, UVMF_INVLPG), -EBUSY,
             "update_va_mapping of %s (MFN %#lx) read-only -> -EBUSY", what, mfn);
    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG), -EBUSY,
             "... read-write -> -EBUSY");
    u.val = (mfn << PAGE_SHIFT) | PTE_RO;
    CHECK_EQ(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), -EBUSY,
             "mmu_update of our L1 entry to it -> -EBUSY");
    CHECK_EQ(HYPERVISOR_mmu_update(&u, 1, NULL, owner), -EPERM,
             "the same with FOREIGNDOM = d%u -> -EPERM", owner);
    CHECK_EQ(slot_mfn(va), 0, "our PTE stayed empty");
    op.arg1.mfn = mfn;
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL,
             "MMUEXT_PIN_L1_TABLE of it -> -EINVAL");
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, owner), -EPERM,
             "the same with FOREIGNDOM = d%u -> -EPERM", owner);
}

void attack_l4(xen_pfn_t l4_mfn, const char *what)
{
    CHECK_EQ(mmu_update1((l4_mfn << PAGE_SHIFT) | MMU_NORMAL_PT_UPDATE, 0), -EINVAL,
             "mmu_update writing entry 0 of %s -> -EINVAL", what);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, l4_mfn), -EINVAL,
             "MMUEXT_PIN_L4_TABLE of %s -> -EINVAL", what);
    CHECK_EQ(mmuext1(MMUEXT_NEW_BASEPTR, l4_mfn), -EINVAL,
             "MMUEXT_NEW_BASEPTR to %s -> -EINVAL", what);
}
