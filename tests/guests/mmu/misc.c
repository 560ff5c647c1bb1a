/* SPDX-License-Identifier: MIT */
/* The remaining mmuext_op commands: flushes, page clear/copy, LDT. */
#include "mmu.h"

void test_mmuext_misc(void)
{
    uint64_t *a = alloc_page(), *b = alloc_page();
    static unsigned long vcpumask = 1;
    struct mmuext_op op;
    unsigned int done = 0;

    xtest_section("other mmuext_op commands");
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0), 0, "TLB_FLUSH_LOCAL");
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_LOCAL, (unsigned long)a), 0, "INVLPG_LOCAL");
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0), 0, "TLB_FLUSH_ALL");
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_ALL, (unsigned long)a), 0, "INVLPG_ALL");
    memset(&op, 0, sizeof(op));
    op.cmd = MMUEXT_TLB_FLUSH_MULTI;
    xen_guest_handle_set(op.arg2.vcpumask, &vcpumask);
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF), 0, "TLB_FLUSH_MULTI");
    CHECK_EQ(done, 1, "done = 1");
    op.cmd = MMUEXT_INVLPG_MULTI;
    op.arg1.linear_addr = (unsigned long)a;
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0, "INVLPG_MULTI");
    op.arg2.vcpumask = 8;               /* unmapped */
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL,
             "INVLPG_MULTI with an unreadable vCPU mask -> -EINVAL");

    /* XENFEAT_highmem_assist: the hypervisor clears and copies frames. */
    memset(a, 0xab, PAGE_SIZE);
    memset(b, 0x00, PAGE_SIZE);
    memset(&op, 0, sizeof(op));
    op.cmd = MMUEXT_COPY_PAGE;
    op.arg1.mfn = virt_to_mfn(b);
    op.arg2.src_mfn = virt_to_mfn(a);
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0, "COPY_PAGE a -> b");
    CHECK(b[0] == 0xababababababababUL && b[511] == 0xababababababababUL,
          "b now holds a's contents");
    CHECK_EQ(mmuext1(MMUEXT_CLEAR_PAGE, virt_to_mfn(a)), 0, "CLEAR_PAGE a");
    CHECK(a[0] == 0 && a[511] == 0, "a is zero");
    CHECK_EQ(mmuext1(MMUEXT_CLEAR_PAGE, virt_to_mfn((void *)xtest_start_info->pt_base)),
             -EINVAL, "CLEAR_PAGE of a page-table frame -> -EINVAL");
    CHECK_EQ(mmuext1(MMUEXT_CLEAR_PAGE, xen_owned_mfn()), -EINVAL,
             "CLEAR_PAGE of a hypervisor frame -> -EINVAL");

    memset(&op, 0, sizeof(op));
    op.cmd = MMUEXT_SET_LDT;
    op.arg1.linear_addr = 0x1234;       /* not page aligned */
    op.arg2.nr_ents = 16;
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL,
             "SET_LDT at an unaligned address -> -EINVAL");
    op.arg1.linear_addr = 0;
    op.arg2.nr_ents = 0;
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0, "SET_LDT with 0 entries");

    CHECK_EQ(mmuext1(99, 0), -ENOSYS, "unknown mmuext command -> -ENOSYS");
    CHECK_EQ(mmuext1(MMUEXT_MARK_SUPER, virt_to_mfn(a)), -EOPNOTSUPP,
             "MARK_SUPER (superpages unsupported) -> -EOPNOTSUPP");
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, NULL, 5), -ESRCH,
             "foreigndom of a nonexistent domain -> -ESRCH");
}
