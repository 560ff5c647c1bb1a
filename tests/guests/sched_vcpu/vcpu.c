/* SPDX-License-Identifier: MIT */
/* vcpu_op queries, runstate areas and vcpu_info placement on vCPU 0. */
#include "sched_test.h"

void test_vcpu_queries(void)
{
    struct vcpu_runstate_info rs;
    static struct vcpu_guest_context ctx;

    xtest_section("vcpu_op queries");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1, "VCPUOP_is_up(0) = 1");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0,
             "VCPUOP_is_up(1) = 0 (exists, not up yet)");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 2, NULL), -ENOENT,
             "VCPUOP_is_up(2) -> -ENOENT (dom0_max_vcpus=2)");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 8191, NULL), -ENOENT,
             "VCPUOP_is_up(8191) -> -ENOENT");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), -EINVAL,
             "VCPUOP_up of a vCPU never initialised -> -EINVAL");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, 5, NULL), -ENOENT, "VCPUOP_up(5) -> -ENOENT");
    xtest_vcpu_context(1, &ctx);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 5, &ctx), -ENOENT,
             "VCPUOP_initialise(5) -> -ENOENT");
    ctx.user_regs.rip = 0x8000000000000000UL;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), -EINVAL,
             "VCPUOP_initialise with a non-canonical rip -> -EINVAL");
    CHECK_EQ(HYPERVISOR_vcpu_op(99, 0, NULL), -ENOSYS, "unknown vcpu_op -> -ENOSYS");

    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs), 0,
             "VCPUOP_get_runstate_info(0)");
    CHECK_EQ(rs.state, RUNSTATE_running, "vCPU 0 is running");
    CHECK(rs.time[RUNSTATE_running] > 0, "and has run for %lu ns", rs.time[RUNSTATE_running]);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs), 0,
             "VCPUOP_get_runstate_info(1)");
    CHECK_EQ(rs.state, RUNSTATE_offline, "vCPU 1 is offline");
}

void test_runstate(void)
{
    static struct vcpu_runstate_info area;
    struct vcpu_register_runstate_memory_area r;
    struct vcpu_set_singleshot_timer ss;
    evtchn_port_t tmr = 0;
    uint64_t blocked0;

    xtest_section("runstate area");
    xen_guest_handle_set(r.addr.h, &area);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &r), 0,
             "VCPUOP_register_runstate_memory_area(0)");
    CHECK_EQ(area.state, RUNSTATE_running, "filled in at once: running");
    CHECK(area.state_entry_time > 0 && area.time[RUNSTATE_running] > 0,
          "with entry time and running time");
    blocked0 = area.time[RUNSTATE_blocked];

    evtchn_bind_virq(VIRQ_TIMER, 0, &tmr);
    ss.timeout_abs_ns = xtest_now() + MILLISECS(20);
    ss.flags = 0;
    HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss);
    HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    events_disable();
    CHECK(area.time[RUNSTATE_blocked] >= blocked0 + MILLISECS(15),
          "after a 20 ms block the area shows >= 15 ms more blocked time (%lu us)",
          (area.time[RUNSTATE_blocked] - blocked0) / 1000);
    CHECK_EQ(area.state, RUNSTATE_running, "and running again");
    evtchn_close(tmr);

    xen_guest_handle_set(r.addr.h, 0xffff830000000000UL);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &r), -EFAULT,
             "runstate area in the hypervisor's range -> -EFAULT");
    xen_guest_handle_set(r.addr.h, 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &r), 0,
             "registering NULL (unregister)");
}

void test_vcpu_info(void)
{
    char *page = alloc_page();
    struct vcpu_register_vcpu_info info = { .mfn = virt_to_mfn(page), .offset = 64 };
    struct vcpu_info *nvi = (struct vcpu_info *)(page + 64);
    evtchn_port_t ipi = 0;
    uint64_t t1, t2;
    uint32_t f;

    xtest_section("VCPUOP_register_vcpu_info");
    info.offset = PAGE_SIZE - 32;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -ENXIO,
             "an area straddling the page end -> -ENXIO");
    info.offset = 68;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -ENXIO,
             "a misaligned offset -> -ENXIO");
    info.offset = 64;
    info.mfn = virt_to_mfn((void *)xtest_start_info->pt_base);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -EINVAL,
             "a page-table frame -> -EINVAL");
    info.mfn = virt_to_mfn(page);

    events_disable();
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), 0,
             "move vCPU 0's vcpu_info to a page of ours");
    xtest_vcpu_info[0] = nvi;
    CHECK_EQ(nvi->evtchn_upcall_mask, 1, "the mask was copied over");
    CHECK_EQ(nvi->evtchn_upcall_pending, 1, "everything marked pending (forced rescan)");
    CHECK_EQ(nvi->evtchn_pending_sel, ~0UL, "evtchn_pending_sel all ones");
    CHECK((nvi->time.version & 1) == 0 && nvi->time.tsc_to_system_mul,
          "the time record is valid in the new place");
    t1 = xtest_now();
    xtest_udelay_ns(MILLISECS(2));
    t2 = xtest_now();
    CHECK(t2 > t1, "and advances");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -EINVAL,
             "registering a second time -> -EINVAL");

    events_enable();                     /* takes the spurious upcall */
    evtchn_bind_ipi(0, &ipi);
    f = evtchn_fired[ipi];
    evtchn_send(ipi);
    CHECK_EQ(evtchn_fired[ipi], f + 1, "events are delivered through the new vcpu_info");
    events_disable();
    evtchn_close(ipi);
}
