/* SPDX-License-Identifier: MIT */
/*
 * VIRQ_TIMER: raised by the vCPU's periodic timer (a PV vCPU starts with a
 * 10 ms one in Xen) and by its single-shot timer (set_timer_op or
 * VCPUOP_set_singleshot_timer, absolute system time).
 */
#include "evtchn_test.h"

static unsigned int ticks_in(evtchn_port_t t, unsigned int ms)
{
    uint32_t f = evtchn_fired[t];

    xtest_udelay_ns(MILLISECS(ms));
    return evtchn_fired[t] - f;
}

/* Block until the timer port fires; returns the elapsed ns. */
static uint64_t block_for(evtchn_port_t t)
{
    uint64_t t0 = xtest_now(), deadline = t0 + MILLISECS(2000);
    uint32_t f = evtchn_fired[t];

    while (evtchn_fired[t] == f && xtest_now() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    return evtchn_fired[t] != f ? xtest_now() - t0 : ~0UL;
}

void test_timers(void)
{
    struct vcpu_set_periodic_timer per;
    struct vcpu_set_singleshot_timer ss;
    struct evtchn_status st;
    evtchn_port_t t = 0, t2 = 0;
    unsigned int n;
    uint64_t el;

    xtest_section("VIRQ_TIMER");
    CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &t), 0, "bind_virq(VIRQ_TIMER, vcpu 0)");
    CHECK_EQ(evtchn_status(DOMID_SELF, t, &st), 0, "status");
    CHECK(st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER && st.vcpu == 0,
          "status virq VIRQ_TIMER on vCPU 0");
    CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &t2), -EEXIST,
             "binding VIRQ_TIMER twice -> -EEXIST");
    events_enable();

    /* Under QEMU/TCG timer interrupts arrive late, so only the order of
     * magnitude is checked. */
    n = ticks_in(t, 100);
    CHECK(n >= 1 && n <= 12, "default periodic timer ticks while running (%u in 100 ms)", n);
    per.period_ns = MILLISECS(5);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &per), 0,
             "VCPUOP_set_periodic_timer(5 ms)");
    n = ticks_in(t, 100);
    CHECK(n >= 2 && n <= 25, "%u ticks in 100 ms at 5 ms", n);

    /* Xen stops a vCPU's periodic timer while it is descheduled, so it does
     * not wake a blocked vCPU: here only the 150 ms single-shot does. The
     * period is 50 ms and we block just after a tick, so a tick landing
     * between block_for's snapshot and its SCHEDOP_block (a test race, not
     * a wake-up) would need a 50 ms stall there. */
    per.period_ns = MILLISECS(50);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &per), 0,
             "VCPUOP_set_periodic_timer(50 ms)");
    n = evtchn_fired[t];
    CHECK(wait_fired(t, n, 500), "a 50 ms tick arrives");
    ss.timeout_abs_ns = xtest_now() + MILLISECS(150);
    ss.flags = 0;
    HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss);
    el = block_for(t);
    CHECK(el >= MILLISECS(145) && el < MILLISECS(1000),
          "a blocked vCPU is not woken by its periodic timer (woke after %lu us)",
          el / 1000);
    per.period_ns = 100000;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &per), -EINVAL,
             "a period below 1 ms -> -EINVAL");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0,
             "VCPUOP_stop_periodic_timer");
    ticks_in(t, 20);                    /* let an in-flight tick land */
    n = ticks_in(t, 60);
    CHECK_EQ(n, 0, "no ticks after stopping the periodic timer");

    ss.timeout_abs_ns = xtest_now() + MILLISECS(30);
    ss.flags = 0;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0,
             "VCPUOP_set_singleshot_timer(now + 30 ms)");
    el = block_for(t);
    CHECK(el >= MILLISECS(29) && el < MILLISECS(500),
          "SCHEDOP_block woke on the single-shot timer after %lu us", el / 1000);
    CHECK_EQ(ticks_in(t, 60), 0, "single-shot: it fires only once");

    CHECK_EQ(HYPERVISOR_set_timer_op(xtest_now() + MILLISECS(20)), 0,
             "set_timer_op(now + 20 ms)");
    el = block_for(t);
    CHECK(el >= MILLISECS(19) && el < MILLISECS(500),
          "set_timer_op woke us after %lu us", el / 1000);

    CHECK_EQ(HYPERVISOR_set_timer_op(xtest_now() + MILLISECS(20)), 0, "arm again");
    CHECK_EQ(HYPERVISOR_set_timer_op(0), 0, "set_timer_op(0) cancels");
    CHECK_EQ(ticks_in(t, 60), 0, "no event after the cancel");
    ss.timeout_abs_ns = xtest_now() + MILLISECS(20);
    HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0,
             "VCPUOP_stop_singleshot_timer");
    CHECK_EQ(ticks_in(t, 60), 0, "no event after the stop");

    /* Xen 4.17 ignores VCPU_SSHOTTMR_future: a past deadline fires at once. */
    ss.timeout_abs_ns = xtest_now() - MILLISECS(1);
    ss.flags = VCPU_SSHOTTMR_future;
    n = evtchn_fired[t];
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0,
             "a deadline in the past with VCPU_SSHOTTMR_future -> 0 (flag ignored)");
    CHECK(wait_fired(t, n, 50), "and the event fires immediately");
    ss.timeout_abs_ns = xtest_now() + MILLISECS(20);
    ss.flags = 0;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 1, &ss), -EINVAL,
             "single-shot timer of another vCPU -> -EINVAL");

    events_disable();
    CHECK_EQ(evtchn_close(t), 0, "close the VIRQ port");
    CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &t2), 0, "VIRQ_TIMER can be bound again");
    evtchn_close(t2);
}
