/* SPDX-License-Identifier: MIT */
/*
 * vCPU 1: VCPUOP_initialise + VCPUOP_up, reporting through shared
 * variables; an IPI to it; and SCHEDOP_poll on vCPU 0 woken by vCPU 1.
 */
#include "sched_test.h"

static volatile int ap_cpu = -1, ap_stage;
static volatile uint64_t ap_time[2];
static volatile uint32_t ap_upcalls;
static evtchn_port_t ipi_to_ap, ipi_to_bsp;
static uint32_t ipi_base;       /* evtchn_fired[] counts survive port reuse */

static void ap_report(unsigned int cpu)
{
    ap_cpu = (int)cpu;
    ap_time[0] = xtest_now();
    xtest_udelay_ns(MILLISECS(5));
    ap_time[1] = xtest_now();
    ap_stage = 1;
    /* Wait for the boot vCPU's IPI with events on, then report. */
    events_enable();
    while (evtchn_fired[ipi_to_ap] == ipi_base)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    events_disable();
    ap_upcalls = evtchn_upcalls[cpu];
    ap_stage = 2;
}

static void ap_kick_bsp(unsigned int cpu)
{
    (void)cpu;
    xtest_udelay_ns(MILLISECS(30));
    evtchn_send(ipi_to_bsp);
    ap_stage = 3;
}

static bool wait_stage(int stage, unsigned int ms)
{
    uint64_t deadline = xtest_now() + MILLISECS(ms);

    while (ap_stage < stage && xtest_now() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    return ap_stage >= stage;
}

void test_second_vcpu(void)
{
    static struct vcpu_guest_context ctx;
    struct vcpu_runstate_info rs;
    struct sched_poll p;
    uint64_t now0, t0, el;
    int64_t skew;

    xtest_section("second vCPU");
    CHECK_EQ(evtchn_bind_ipi(1, &ipi_to_ap), 0, "bind_ipi to vCPU 1 (not yet up)");
    ipi_base = evtchn_fired[ipi_to_ap];
    xtest_vcpu_context(1, &ctx);
    CHECK_EQ(xtest_vcpu_start(1, &ctx, ap_report), 0, "VCPUOP_initialise + VCPUOP_up(1)");
    if (!CHECK(wait_stage(1, 5000), "vCPU 1 runs and reports"))
        return;
    CHECK_EQ(ap_cpu, 1, "it identifies as vCPU 1");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 1, "VCPUOP_is_up(1) = 1");
    CHECK(ap_time[1] >= ap_time[0] + MILLISECS(5),
          "system time advances on vCPU 1 (own vcpu_info.time)");
    now0 = xtest_now();
    skew = (int64_t)(now0 - ap_time[1]);
    CHECK(skew > -(int64_t)MILLISECS(10) && skew < (int64_t)MILLISECS(1000),
          "vCPU 0 and vCPU 1 clocks agree (vCPU 0 is %ld us later)", skew / 1000);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), -EEXIST,
             "VCPUOP_initialise of an initialised vCPU -> -EEXIST");

    CHECK_EQ(evtchn_send(ipi_to_ap), 0, "send the IPI to vCPU 1");
    CHECK(wait_stage(2, 5000), "vCPU 1 got it (upcalls on vCPU 1: %u)", ap_upcalls);
    CHECK(ap_upcalls >= 1, "through its own event upcall");

    /* vCPU 1 takes itself down after its function returns. */
    t0 = xtest_now();
    while (HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL) == 1 && xtest_now() < t0 + MILLISECS(2000))
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "vCPU 1 went down (VCPUOP_down)");
    /* VPF_down is set at once, the vCPU is descheduled a little later. */
    t0 = xtest_now();
    do {
        HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs);
    } while (rs.state != RUNSTATE_offline && xtest_now() < t0 + MILLISECS(1000));
    CHECK_EQ(rs.state, RUNSTATE_offline, "its runstate becomes offline");

    /* Poll on vCPU 0 for a port vCPU 1 will raise 30 ms after coming up. */
    evtchn_bind_ipi(0, &ipi_to_bsp);
    evtchn_mask_port(ipi_to_bsp);
    events_disable();
    memset(&p, 0, sizeof(p));
    xen_guest_handle_set(p.ports, &ipi_to_bsp);
    p.nr_ports = 1;
    CHECK_EQ(xtest_vcpu_run(1, ap_kick_bsp), 0, "VCPUOP_up(1) again");
    t0 = xtest_now();
    p.timeout = t0 + MILLISECS(3000);
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &p), 0, "SCHEDOP_poll for vCPU 1's event");
    el = xtest_now() - t0;
    CHECK(evtchn_is_pending(ipi_to_bsp) && el < MILLISECS(2000),
          "woken by the other vCPU's send after %lu us (not the 3 s timeout)", el / 1000);
    CHECK(wait_stage(3, 2000), "vCPU 1 finished");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL), 0, "VCPUOP_down(1) from vCPU 0");
}
