/* SPDX-License-Identifier: MIT */
/*
 * The failsafe callback: entered when the hypervisor cannot load the
 * guest's segment selectors while switching to it (Xen: load_segments()).
 * Its frame is rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss.
 * Trigger: bring up vCPU 1 with %ds = 0x1234, an LDT selector while no LDT
 * exists, so the very first switch to that vCPU fails to load it.
 */
#include "traps_test.h"
#include "smp.h"
#include "time.h"

#define BAD_DS 0x1234

static volatile int failsafe_cpu = -1;
static volatile uint64_t failsafe_rip;
static volatile int ap_ran;
static volatile uint16_t ap_ds;
extern char xtest_ap_entry[];

static bool failsafe_handler(struct xtest_regs *r)
{
    failsafe_cpu = (int)xtest_cpu();
    failsafe_rip = r->rip;
    return true;
}

static void ap_fn(unsigned int cpu)
{
    uint16_t ds;

    asm volatile("mov %%ds, %0" : "=r"(ds));
    ap_ds = ds;
    ap_ran = (int)cpu;
}

void test_failsafe(void)
{
    static struct vcpu_guest_context ctx;
    uint64_t deadline;
    long rc;

    xtest_section("failsafe callback (vCPU 1 with a bad %ds)");
    xtest_set_handler(XTEST_VEC_FAILSAFE, failsafe_handler);
    xtest_vcpu_context(1, &ctx);
    ctx.user_regs.ds = BAD_DS;
    rc = xtest_vcpu_start(1, &ctx, ap_fn);
    if (!CHECK_EQ(rc, 0, "VCPUOP_initialise + VCPUOP_up of vCPU 1"))
        return;
    deadline = xtest_now() + MILLISECS(5000);
    while (!ap_ran && xtest_now() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(ap_ran, 1, "vCPU 1 ran");
    CHECK_EQ(xtest_failsafe_count, 1, "the failsafe callback ran once");
    CHECK_EQ(failsafe_cpu, 1, "on vCPU 1");
    CHECK_EQ(xtest_failsafe_segs[0], BAD_DS, "its frame holds the bad ds");
    CHECK_EQ(xtest_failsafe_segs[1], 0, "es 0");
    CHECK_EQ(failsafe_rip, (uint64_t)xtest_ap_entry,
             "frame rip = where vCPU 1 was about to run");
    CHECK_EQ(ap_ds, 0, "the hypervisor loaded a NUL ds instead");
    xtest_set_handler(XTEST_VEC_FAILSAFE, NULL);
}
