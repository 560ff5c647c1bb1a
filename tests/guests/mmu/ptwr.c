/* SPDX-License-Identifier: MIT */
/*
 * Direct writes to page-table pages.  They are mapped read-only, so a
 * write raises #PF (bounced to the guest, error code P|W in kernel mode).
 * With VMASST_TYPE_writable_pagetables (and, in Xen 4.17, always for the
 * hardware domain: see the first section) the hypervisor instead emulates
 * writes to *L1* pages (Xen: pv/ro-page-fault.c ptwr): it validates the new
 * entry, performs the store and skips the instruction.  Linux relies on
 * this for plain mov (early boot), xchg (ptep_get_and_clear), lock andb
 * (ptep_set_wrprotect), lock btr (test_and_clear_young) and cmpxchg.  An
 * invalid new entry is refused by bouncing the #PF.
 */
#include "mmu.h"

#define AD (_PAGE_ACCESSED | _PAGE_DIRTY)

static int try_andb(volatile void *p, uint8_t mask)
{
    xtest_fault.hit = false;
    asm volatile("1: lock andb %1, (%0)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 :: "r"(p), "q"(mask) : "memory", "cc");
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

static int try_xchg(volatile uint64_t *p, uint64_t *v)
{
    uint64_t x = *v;

    xtest_fault.hit = false;
    asm volatile("1: xchgq %0, (%1)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "+r"(x) : "r"(p) : "memory");
    *v = x;
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

static int try_cmpxchg(volatile uint64_t *p, uint64_t *old, uint64_t new, bool *ok)
{
    uint64_t o = *old;
    bool z = false;

    xtest_fault.hit = false;
    asm volatile("1: lock cmpxchgq %3, (%2)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "+a"(o), "=@ccz"(z) : "r"(p), "r"(new) : "memory");
    *old = o;
    *ok = z;
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

static int try_btr1(volatile uint64_t *p, bool *was_set)
{
    bool c = false;

    xtest_fault.hit = false;
    asm volatile("1: lock btrq $1, (%1)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "=@ccc"(c) : "r"(p) : "memory");
    *was_set = c;
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

static int try_bts1(volatile uint64_t *p, bool *was_set)
{
    bool c = false;

    xtest_fault.hit = false;
    asm volatile("1: lock btsq $1, (%1)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "=@ccc"(c) : "r"(p) : "memory");
    *was_set = c;
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

static int try_write32(volatile uint32_t *p, uint32_t v)
{
    xtest_fault.hit = false;
    asm volatile("1: movl %1, (%0)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 :: "r"(p), "r"(v) : "memory");
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

/* Is the scratch page writable through its (freshly flushed) mapping? */
static bool writable(volatile uint64_t *s)
{
    mmuext1(MMUEXT_INVLPG_LOCAL, (unsigned long)s);
    return probe_write64(s, 0x77) == -1;
}

void test_ptwr(void)
{
    volatile uint64_t *s = alloc_page();
    volatile uint64_t *e = pte_ptr((unsigned long)s, 1);
    volatile uint64_t *l4e = &xtest_l4()[200];
    volatile uint64_t *l2e = pte_ptr(0, 2) + 300;
    uint64_t orig = *e, ro = orig & ~_PAGE_RW, v;
    uint64_t bad = (xen_owned_mfn() << PAGE_SHIFT) | PTE_RO;
    uint64_t l1_rw = (virt_to_mfn((void *)e) << PAGE_SHIFT) | PTE_RW;
    bool ok, bit;

    xtest_section("direct writes to page tables, assist off");
    CHECK_EQ(probe_write64(l4e, 0), X86_EXC_PF, "mov to an L4 entry raises #PF");
    CHECK_EQ(xtest_fault.error_code, PFEC_PRESENT | PFEC_WRITE, "error code P|W");
    CHECK_EQ(xtest_fault.cr2, (unsigned long)l4e, "cr2 = the entry's address");
    CHECK_EQ(*l4e, 0, "the entry is unchanged");
    CHECK_EQ(probe_write64(l2e, 0), X86_EXC_PF, "mov to an L2 entry raises #PF");
    CHECK_EQ(xtest_fault.cr2, (unsigned long)l2e, "cr2 = the entry's address");
    /*
     * Xen 4.17 quirk: for the hardware domain a write fault on any present
     * read-only page goes to pv_ro_page_fault() (for its read-only MMIO
     * handling), which emulates L1 writes whether or not the assist is on.
     */
    CHECK_EQ(probe_write64(e, ro), -1,
             "dom0: mov to an L1 entry is emulated even without the assist");
    CHECK_EQ(*e & ~AD, ro & ~AD, "the entry changed");
    CHECK_EQ(probe_write64(e, orig), -1, "and back");
    CHECK(writable(s), "writable");

    xtest_section("writable_pagetables assist");
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 6), -EINVAL,
             "vm_assist of an undefined type (6) -> -EINVAL");
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 64), -EINVAL,
             "vm_assist of type 64 -> -EINVAL");
    CHECK_EQ(HYPERVISOR_vm_assist(7, VMASST_TYPE_writable_pagetables), -ENOSYS,
             "vm_assist with an unknown command -> -ENOSYS");
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0,
             "enable VMASST_TYPE_writable_pagetables");

    CHECK_EQ(probe_write64(e, ro), -1, "mov of a valid entry is emulated");
    CHECK_EQ(*e & ~AD, ro & ~AD, "the entry now maps the page read-only");
    CHECK(!writable(s), "and the page is read-only");
    CHECK_EQ(probe_write64(e, orig), -1, "mov back to RW");
    CHECK(writable(s), "the page is writable again");

    CHECK_EQ(try_andb(e, (uint8_t)~_PAGE_RW), -1, "lock andb $~RW on the entry's low byte");
    CHECK_EQ(*e & _PAGE_RW, 0, "RW cleared by the 1-byte read-modify-write");
    CHECK_EQ(*e & PTE_MFN_MASK, orig & PTE_MFN_MASK, "rest of the entry intact");
    CHECK(!writable(s), "the page is read-only");

    v = orig;
    CHECK_EQ(try_xchg(e, &v), -1, "xchg of the entry");
    CHECK_EQ(v & ~AD, ro & ~AD, "xchg returned the old entry");
    CHECK_EQ(*e & ~AD, orig & ~AD, "and stored the new one");
    CHECK(writable(s), "the page is writable");

    v = *e;
    CHECK_EQ(try_cmpxchg(e, &v, ro, &ok), -1, "lock cmpxchg with the right old value");
    CHECK(ok, "cmpxchg reports success (ZF=1)");
    CHECK_EQ(*e & ~AD, ro & ~AD, "the entry was replaced");
    v = orig ^ 0x800;                   /* a wrong old value */
    CHECK_EQ(try_cmpxchg(e, &v, orig, &ok), -1, "lock cmpxchg with a stale old value");
    CHECK(!ok, "cmpxchg reports failure (ZF=0)");
    CHECK_EQ(v, *e, "and returns the current entry in rax");
    CHECK_EQ(*e & _PAGE_RW, 0, "the entry was not replaced");

    CHECK_EQ(try_bts1(e, &bit), -1, "lock bts $1 (set RW)");
    CHECK(!bit, "CF = old RW bit (clear)");
    CHECK(*e & _PAGE_RW, "RW set");
    CHECK_EQ(try_btr1(e, &bit), -1, "lock btr $1 (clear RW)");
    CHECK(bit, "CF = old RW bit (set)");
    CHECK_EQ(*e & _PAGE_RW, 0, "RW clear");

    CHECK_EQ(try_write32((volatile uint32_t *)e + 1,
                         (uint32_t)((orig | _PAGE_NX) >> 32)), -1,
             "4-byte mov setting NX in the entry's upper half");
    CHECK(*e & _PAGE_NX, "NX set");
    CHECK_EQ(*e & (_PAGE_RW | PTE_MFN_MASK), orig & PTE_MFN_MASK,
             "lower half kept (merged with the old entry)");
    CHECK_EQ(probe_write64(e, orig), -1, "restore with mov");
    CHECK(writable(s), "writable");

    CHECK_EQ(probe_write64(e, bad), X86_EXC_PF,
             "mov of an entry mapping a hypervisor frame: #PF bounced");
    CHECK_EQ(xtest_fault.error_code, PFEC_PRESENT | PFEC_WRITE, "error code P|W");
    CHECK_EQ(*e, orig, "entry unchanged");
    CHECK_EQ(probe_write64(e, l1_rw), X86_EXC_PF,
             "mov of an entry mapping an L1 page writable: #PF bounced");
    CHECK_EQ(*e, orig, "entry unchanged");
    v = bad;
    CHECK_EQ(try_xchg(e, &v), X86_EXC_PF, "xchg of a hypervisor-frame entry: #PF");
    CHECK_EQ(*e, orig, "entry unchanged");
    CHECK_EQ(probe_write64(l4e, 0), X86_EXC_PF,
             "writes to an L4 are not emulated even with the assist");

    CHECK_EQ(probe_write64(e, 0), -1, "mov of a not-present entry (unmap) is emulated");
    mmuext1(MMUEXT_INVLPG_LOCAL, (unsigned long)s);
    CHECK_EQ(probe_read64(s, &v), X86_EXC_PF, "the page is unmapped");
    CHECK_EQ(probe_write64(e, orig), -1, "map it again by mov");
    CHECK(writable(s), "writable");

    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0,
             "disable the assist");
    CHECK_EQ(probe_write64(e, bad), X86_EXC_PF,
             "without the assist an invalid entry still faults");
}
