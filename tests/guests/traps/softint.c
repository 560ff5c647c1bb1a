/* SPDX-License-Identifier: MIT */
/*
 * Software interrupts 'int $N'.
 *
 * Xen makes every IDT gate DPL 0 except 3, 4 and 0x80, so 'int $N' from the
 * guest (CPL 3) raises #GP with error code (N << 3) | 2; the hypervisor
 * then delivers vector N if the guest's trap-table DPL allows, else #GP.
 * 'int $0x80' is special in Xen 4.17: a DPL 3 gate (int80_direct_trap)
 * delivers it to the guest's entry 0x80 *without checking that entry's
 * DPL*; with no entry it reports #GP (0x80 << 3) | 2.
 *
 * QEMU before 8.0 (issue #1382) reports (N << 4) | 2 for such a #GP, so a
 * hypervisor that trusts the error code (Xen 4.17 does) misroutes 'int $N'
 * to vector 2N.  A hypervisor should decode the instruction (CD ib) at
 * the guest's rip instead.  The test detects that platform bug and then
 * reports Xen's misrouting as a known issue rather than a failure.
 */
#include "traps_test.h"

static volatile int got_vec = -1;
static volatile uint64_t got_rip;

static bool record(struct xtest_regs *r)
{
    got_vec = (int)r->vector;
    got_rip = r->rip;
    return true;
}

/* Run 'int $0x80'; returns the address after the instruction. */
static uint64_t do_int80(void)
{
    uint64_t next;

    xtest_fault.hit = false;
    got_vec = -1;
    asm volatile("lea 2f(%%rip), %0\n\t"
                 "1: int $0x80\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "=r"(next) :: "memory");
    return next;
}

static uint64_t do_int21(void)
{
    uint64_t next;

    xtest_fault.hit = false;
    got_vec = -1;
    asm volatile("lea 2f(%%rip), %0\n\t"
                 "1: int $0x21\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "=r"(next) :: "memory");
    return next;
}

void test_softint(void)
{
    uint64_t next;
    bool qemu_bug;

    xtest_section("software interrupts");
    xtest_set_handler(0x80, record);
    xtest_set_handler(0x21, record);
    xtest_set_handler(0x42, record);

    next = do_int80();
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_GP,
          "int $0x80 with no trap-table entry raises #GP");
    CHECK_EQ(xtest_fault.error_code, (0x80 << 3) | 2, "#GP error code (0x80 << 3) | 2");
    CHECK_EQ(xtest_fault.rip, next - 2, "#GP rip points at the int instruction");

    xtest_set_trap_addr(0x80, 3, true, (unsigned long)raw_probe_0x80);
    next = do_int80();
    CHECK_EQ(got_vec, 0x80, "int $0x80 with a DPL 3 entry reaches vector 0x80");
    CHECK_EQ(got_rip, next, "rip is after the int instruction (a trap)");
    CHECK_EQ(raw_frame[2], next, "frame has no error code: frame[2] is rip");

    xtest_set_trap(0x80, 0, true);
    next = do_int80();
    CHECK_EQ(got_vec, 0x80,
             "Xen 4.17: int $0x80 reaches a DPL 0 entry too (direct trap, DPL unchecked)");

    /* 'int $0x21' through a DPL 0 entry: #GP, and what error code? */
    xtest_set_trap(0x21, 0, true);
    xtest_set_trap(0x42, 0, true);
    next = do_int21();
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_GP && got_vec == -1,
          "int $0x21 through a DPL 0 entry raises #GP");
    CHECK_EQ(xtest_fault.rip, next - 2, "#GP rip points at the int instruction");
    CHECK_EQ(xtest_fault.error_code & 7, 2, "error code has IDT=1, EXT=0");
    qemu_bug = xtest_fault.error_code == ((0x21 << 4) | 2);
    CHECK(xtest_fault.error_code == ((0x21 << 3) | 2) || qemu_bug,
          "#GP error code %#lx names vector 0x21%s", xtest_fault.error_code,
          qemu_bug ? " as (0x21 << 4) | 2: the QEMU < 8.0 bug, tolerated" : "");

    /* Now allowed (DPL 3): must arrive as vector 0x21, after the insn. */
    xtest_set_trap(0x21, 3, true);
    xtest_set_trap(0x42, 3, true);
    next = do_int21();
    if (got_vec == 0x42 && qemu_bug) {
        printf("KNOWN-ISSUE: int $0x21 delivered as vector 0x42: the hypervisor "
               "decoded the vector from QEMU's wrong #GP error code "
               "(Xen 4.17 on QEMU < 8.0); not counted\n");
    } else {
        CHECK_EQ(got_vec, 0x21, "int $0x21 with a DPL 3 entry reaches vector 0x21");
        CHECK_EQ(got_rip, next, "rip is after the int instruction");
    }

    xtest_set_handler(0x80, NULL);
    xtest_set_handler(0x21, NULL);
    xtest_set_handler(0x42, NULL);
}
