/* SPDX-License-Identifier: MIT */
/*
 * Exception bouncing and the exact 64-bit PV exception frame:
 *   rcx, r11, [error code], rip, cs, rflags, rsp, ss
 * pushed (lowest address first) at the interrupted kernel rsp rounded
 * down to 16 bytes.  CS has its RPL cleared for guest-kernel mode and the
 * saved evtchn_upcall_mask in bits 32-39; RFLAGS.IF is !saved mask.
 */
#include "traps_test.h"
#include "evtchn.h"

volatile uint64_t raw_frame[RAW_WORDS];
volatile uint64_t raw_rsp;

#define PAT_RCX 0xc1c1c1c1c1c1c1c1UL
#define PAT_R11 0x1111111111111111UL

static volatile uint8_t mask_in_handler;
static volatile int ud_count;

/* #UD handler used while checking the event mask on entry. */
static bool ud_mask_handler(struct xtest_regs *r)
{
    mask_in_handler = xtest_vcpu_info[0]->evtchn_upcall_mask;
    ud_count++;
    r->rip += 2;
    return true;
}

static void check_frame(const char *what, bool has_ec, uint64_t ec,
                        uint64_t rip, uint64_t rsp_before, uint8_t mask)
{
    unsigned int o = has_ec ? 1 : 0;
    uint64_t want_sp = (rsp_before & ~0xfUL) - 8 * (7 + o);

    CHECK_EQ(raw_rsp, want_sp, "%s: frame at (rsp & ~15) - %u", what, 8 * (7 + o));
    CHECK_EQ(raw_frame[0], PAT_RCX, "%s: frame[0] is the interrupted rcx", what);
    CHECK_EQ(raw_frame[1], PAT_R11, "%s: frame[1] is the interrupted r11", what);
    if (has_ec)
        CHECK_EQ(raw_frame[2], ec, "%s: frame[2] is the error code", what);
    CHECK_EQ(raw_frame[2 + o], rip, "%s: rip", what);
    CHECK_EQ(raw_frame[3 + o] & 0xffff, FLAT_KERNEL_CS & ~3,
             "%s: cs = FLAT_KERNEL_CS with RPL 0 (kernel mode)", what);
    CHECK_EQ((raw_frame[3 + o] >> 32) & 0xff, mask,
             "%s: cs bits 32-39 = saved upcall mask", what);
    CHECK_EQ(!!(raw_frame[4 + o] & X86_EFLAGS_IF), !mask,
             "%s: rflags.IF = !saved upcall mask", what);
    CHECK_EQ(raw_frame[5 + o], rsp_before, "%s: rsp", what);
    CHECK_EQ(raw_frame[6 + o], FLAT_KERNEL_SS, "%s: ss = FLAT_KERNEL_SS", what);
}

static void test_ud_frame(void)
{
    uint64_t sp, rip;

    xtest_set_trap_addr(X86_EXC_UD, 0, true, (unsigned long)raw_probe_6);
    asm volatile("mov %%rsp, %0\n\t"
                 "lea 1f(%%rip), %1\n\t"
                 "movabs $0xc1c1c1c1c1c1c1c1, %%rcx\n\t"
                 "movabs $0x1111111111111111, %%r11\n\t"
                 "1: ud2\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "=m"(sp), "=r"(rip) :: "rcx", "r11", "memory");
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_UD, "ud2 raises #UD");
    check_frame("#UD", false, 0, rip, sp, 1);
}

static void test_pf_frame(void)
{
    volatile uint64_t *ro = alloc_page();
    uint64_t sp, rip;

    remap_ro((void *)ro);
    xtest_set_trap_addr(X86_EXC_PF, 0, true, (unsigned long)raw_probe_14);
    asm volatile("mov %%rsp, %0\n\t"
                 "lea 1f(%%rip), %1\n\t"
                 "movabs $0xc1c1c1c1c1c1c1c1, %%rcx\n\t"
                 "movabs $0x1111111111111111, %%r11\n\t"
                 "1: movq $1, (%2)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "=m"(sp), "=&r"(rip) : "r"(ro) : "rcx", "r11", "memory");
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_PF,
          "write to a read-only page raises #PF");
    CHECK_EQ(xtest_fault.cr2, (unsigned long)ro, "vcpu_info.arch.cr2 = fault address");
    check_frame("#PF", true, PFEC_PRESENT | PFEC_WRITE, rip, sp, 1);
    xtest_set_trap(X86_EXC_PF, 0, true);
}

static void test_gp_frame(void)
{
    uint64_t sp, rip;

    xtest_set_trap_addr(X86_EXC_GP, 0, true, (unsigned long)raw_probe_13);
    asm volatile("mov %%rsp, %0\n\t"
                 "lea 1f(%%rip), %1\n\t"
                 "movabs $0xc1c1c1c1c1c1c1c1, %%rcx\n\t"
                 "movabs $0x1111111111111111, %%r11\n\t"
                 "movabs $0x8000000000000000, %%rax\n\t"
                 "1: mov (%%rax), %%rax\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "=m"(sp), "=r"(rip) :: "rax", "rcx", "r11", "memory");
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_GP,
          "a non-canonical load raises #GP");
    check_frame("#GP", true, 0, rip, sp, 1);
    xtest_set_trap(X86_EXC_GP, 0, true);
}

static void test_int3(void)
{
    uint64_t sp, rip;

    xtest_set_trap_addr(X86_EXC_BP, 3, true, (unsigned long)raw_probe_3);
    /* int3 is a trap: the frame's rip is the next instruction. */
    xtest_fault.hit = false;
    asm volatile("mov %%rsp, %0\n\t"
                 "lea 2f(%%rip), %1\n\t"
                 "movabs $0xc1c1c1c1c1c1c1c1, %%rcx\n\t"
                 "movabs $0x1111111111111111, %%r11\n\t"
                 "int3\n2:\n" XTEST_EXTABLE(2b, 2b)
                 : "=m"(sp), "=r"(rip) :: "rcx", "r11", "memory");
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_BP, "int3 raises #BP");
    check_frame("#BP", false, 0, rip, sp, 1);
    /* The two-byte form 'int $3' goes the same way. */
    xtest_fault.hit = false;
    asm volatile("lea 2f(%%rip), %0\n\t"
                 ".byte 0xcd, 0x03\n2:\n" XTEST_EXTABLE(2b, 2b)
                 : "=r"(rip) :: "memory");
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_BP &&
              xtest_fault.rip == rip,
          "'int $3' (CD 03) raises #BP with rip after the instruction");
    xtest_set_trap(X86_EXC_BP, 3, true);
}

static void test_event_mask_on_entry(void)
{
    xtest_set_handler(X86_EXC_UD, ud_mask_handler);

    /* Trap gate flag (bit 2) set: the mask is set on entry. */
    xtest_set_trap(X86_EXC_UD, 0, true);
    events_enable();
    asm volatile("ud2" ::: "memory");
    CHECK_EQ(mask_in_handler, 1, "trap entry with flags bit 2: events masked in the handler");
    CHECK_EQ(xtest_vcpu_info[0]->evtchn_upcall_mask, 0,
             "the iret (frame IF=1) unmasked them again");

    /* Without the flag the mask is left alone. */
    xtest_set_trap(X86_EXC_UD, 0, false);
    asm volatile("ud2" ::: "memory");
    CHECK_EQ(mask_in_handler, 0, "trap entry without bit 2: events stay unmasked");
    events_disable();
    xtest_set_trap(X86_EXC_UD, 0, true);
    xtest_set_handler(X86_EXC_UD, NULL);
    CHECK_EQ(ud_count, 2, "both #UDs reached the handler");
}

void test_exceptions(void)
{
    xtest_section("exception bounce frames");
    test_ud_frame();
    test_pf_frame();
    test_gp_frame();
    test_int3();
    test_event_mask_on_entry();
}
