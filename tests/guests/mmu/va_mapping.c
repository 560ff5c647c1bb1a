/* SPDX-License-Identifier: MIT */
/*
 * update_va_mapping(va, pte, flags): rewrite the L1 entry that maps va
 * (an L1 must already map it) and flush as asked: flags[1:0] = none /
 * whole TLB / one VA, flags[2] = all vCPUs, or any other bits = the
 * address of a vCPU bitmap.
 */
#include "mmu.h"

static unsigned long nx_va;
static volatile uint64_t nx_fault_ec;
static volatile int nx_faults;

/* A fetch from an NX page faults at the page itself: return to the caller. */
static bool nx_handler(struct xtest_regs *r)
{
    if (r->rip != nx_va)
        return false;
    nx_fault_ec = r->error_code;
    nx_faults++;
    r->rip = *(uint64_t *)r->rsp;
    r->rsp += 8;
    return true;
}

static void test_nx(void)
{
    uint8_t *code = alloc_page();
    uint64_t mfn = virt_to_mfn(code);
    void (*fn)(void) = (void (*)(void))code;

    nx_va = (unsigned long)code;
    code[0] = 0xc3;                                     /* ret */
    xtest_set_handler(X86_EXC_PF, nx_handler);
    fn();
    CHECK_EQ(nx_faults, 0, "code in a page mapped without NX runs");
    CHECK_EQ(set_pte_va(nx_va, (mfn << PAGE_SHIFT) | PTE_RW | _PAGE_NX, UVMF_INVLPG), 0,
             "update_va_mapping with NX");
    fn();
    CHECK_EQ(nx_faults, 1, "executing an NX page raises #PF");
    CHECK_EQ(nx_fault_ec, PFEC_PRESENT | PFEC_INSN,
             "#PF error code is P|I (instruction fetch, kernel mode)");
    xtest_set_handler(X86_EXC_PF, NULL);
    set_pte_va(nx_va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG);
}

void test_va_mapping(void)
{
    volatile uint64_t *p = alloc_page();
    unsigned long va = (unsigned long)p;
    uint64_t mfn = virt_to_mfn((void *)p);
    static unsigned long vcpumask = 1;
    uint64_t v;

    xtest_section("update_va_mapping");
    *p = 42;
    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RO, UVMF_INVLPG), 0,
             "RW -> RO with UVMF_INVLPG");
    CHECK(!(pte_get(va) & _PAGE_RW), "the L1 entry is now read-only");
    CHECK_EQ(*p, 42, "the page is still readable");
    CHECK_EQ(probe_write64(p, 1), X86_EXC_PF, "a write to it raises #PF");
    CHECK_EQ(xtest_fault.error_code, PFEC_PRESENT | PFEC_WRITE,
             "#PF error code is P|W: the U bit is cleared for guest-kernel mode");
    CHECK_EQ(xtest_fault.cr2, va, "vcpu_info.arch.cr2 holds the faulting address");
    CHECK_EQ(xtest_fault.cs & 0xffff, FLAT_KERNEL_CS & ~3,
             "bounce-frame CS is FLAT_KERNEL_CS with RPL cleared (kernel mode)");

    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_TLB_FLUSH | UVMF_LOCAL), 0,
             "RO -> RW with UVMF_TLB_FLUSH|UVMF_LOCAL");
    CHECK_EQ(probe_write64(p, 7), -1, "the page is writable again");

    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RO, UVMF_INVLPG | UVMF_ALL), 0,
             "RW -> RO with UVMF_INVLPG|UVMF_ALL");
    CHECK_EQ(probe_write64(p, 1), X86_EXC_PF, "write faults after the all-vCPU invlpg");
    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_TLB_FLUSH | UVMF_ALL), 0,
             "RO -> RW with UVMF_TLB_FLUSH|UVMF_ALL");
    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RO,
                        UVMF_INVLPG | (unsigned long)&vcpumask), 0,
             "RW -> RO with UVMF_INVLPG and a vCPU bitmap pointer");
    CHECK_EQ(probe_write64(p, 1), X86_EXC_PF, "write faults after the bitmap invlpg");
    /* The entry is changed before the bitmap is read: the error is only
     * about the flush. */
    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG | 0x8), -EFAULT,
             "vCPU bitmap pointer at unmapped 0x8 -> -EFAULT");
    CHECK(pte_get(va) & _PAGE_RW, "...but the entry itself was updated");
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
    CHECK_EQ(probe_write64(p, 5), -1, "writable after an explicit INVLPG_LOCAL");

    CHECK_EQ(set_pte_va(va, 0, UVMF_INVLPG), 0, "unmap with a zero PTE");
    CHECK_EQ(probe_read64(p, &v), X86_EXC_PF, "a read of the unmapped page raises #PF");
    CHECK_EQ(xtest_fault.error_code, 0, "#PF error code 0 (not-present read)");
    CHECK_EQ(set_pte_va(va, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG), 0, "map it again");
    CHECK_EQ(*p, 5, "same contents after unmap and remap");

    CHECK_EQ(set_pte_va(1UL << 30, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG), -EINVAL,
             "VA with no L1 table (1 GiB) -> -EINVAL");
    CHECK_EQ(set_pte_va(0xffff830000000000UL, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG),
             -EINVAL, "VA in the hypervisor area -> -EINVAL");
    CHECK_EQ(set_pte_va(0x8000000000000000UL, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG),
             -EINVAL, "non-canonical VA -> -EINVAL");

    test_nx();
}
