/* SPDX-License-Identifier: MIT */
/*
 * SCHEDOP_block is "sti; hlt": it unmasks events and returns at once if
 * one is pending, else sleeps until one arrives.  SCHEDOP_poll sleeps
 * until one of the listed ports is pending (masked or not, nothing is
 * unmasked or delivered) or the absolute timeout passes.
 */
#include "sched_test.h"

static long poll1(evtchn_port_t port, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = 1, .timeout = timeout };

    xen_guest_handle_set(p.ports, &port);
    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

void test_sched_ops(void)
{
    struct sched_remote_shutdown rs = { .domain_id = 5, .reason = SHUTDOWN_poweroff };

    xtest_section("sched_op basics");
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0, "SCHEDOP_yield");
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -ESRCH,
             "SCHEDOP_remote_shutdown of a nonexistent domain -> -ESRCH");
    CHECK_EQ(HYPERVISOR_sched_op(99, NULL), -ENOSYS, "unknown sched_op -> -ENOSYS");
}

void test_block_poll(void)
{
    struct vcpu_info *vi = xtest_vcpu_info[0];
    struct vcpu_set_singleshot_timer ss = { 0, 0 };
    struct sched_poll p;
    evtchn_port_t ipi = 0, tmr = 0;
    static evtchn_port_t many[129];
    uint64_t t0, el;
    uint32_t f;

    xtest_section("block and poll");
    evtchn_bind_ipi(0, &ipi);
    evtchn_bind_virq(VIRQ_TIMER, 0, &tmr);
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);

    events_disable();
    f = evtchn_fired[ipi];
    evtchn_send(ipi);
    t0 = xtest_now();
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0, "SCHEDOP_block with an event pending");
    el = xtest_now() - t0;
    CHECK(el < MILLISECS(50), "returned at once (%lu us)", el / 1000);
    CHECK_EQ(vi->evtchn_upcall_mask, 0, "block unmasked events");
    CHECK_EQ(evtchn_fired[ipi], f + 1, "and the pending event was delivered");

    ss.timeout_abs_ns = xtest_now() + MILLISECS(30);
    HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss);
    t0 = xtest_now();
    f = evtchn_fired[tmr];
    HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    el = xtest_now() - t0;
    CHECK(evtchn_fired[tmr] == f + 1 && el >= MILLISECS(29),
          "block with nothing pending sleeps until the timer (%lu us)", el / 1000);
    events_disable();

    /* poll: the port is masked here, and events stay masked. */
    evtchn_mask_port(ipi);
    t0 = xtest_now();
    CHECK_EQ(poll1(ipi, t0 + MILLISECS(30)), 0, "SCHEDOP_poll with a 30 ms timeout");
    el = xtest_now() - t0;
    CHECK(el >= MILLISECS(29) && el < MILLISECS(1000),
          "it returned after the timeout (%lu us)", el / 1000);
    evtchn_send(ipi);
    t0 = xtest_now();
    CHECK_EQ(poll1(ipi, t0 + MILLISECS(1000)), 0, "SCHEDOP_poll on a pending (masked) port");
    el = xtest_now() - t0;
    CHECK(el < MILLISECS(50), "returned at once (%lu us)", el / 1000);
    CHECK(evtchn_is_pending(ipi) && evtchn_is_masked(ipi),
          "poll left the port pending and masked");
    CHECK_EQ(vi->evtchn_upcall_mask, 1, "and events masked");
    evtchn_clear_pending(ipi);

    memset(&p, 0, sizeof(p));
    xen_guest_handle_set(p.ports, many);
    p.nr_ports = 129;
    p.timeout = xtest_now() + MILLISECS(10);
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &p), -EINVAL,
             "poll of more than 128 ports -> -EINVAL");
    p.nr_ports = 0;
    t0 = xtest_now();
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &p), 0, "poll of 0 ports with a timeout");
    el = xtest_now() - t0;
    CHECK(el >= MILLISECS(9), "sleeps until the timeout (%lu us)", el / 1000);

    evtchn_unmask_port_local(ipi);
    evtchn_close(ipi);
    evtchn_close(tmr);
}
