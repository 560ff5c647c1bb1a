/* SPDX-License-Identifier: MIT */
/* Requests the hypervisor must refuse, with the errors Xen 4.17 gives. */
#include "evtchn_test.h"

void test_hostile(void)
{
    struct evtchn_alloc_unbound au = { .dom = 5, .remote_dom = DOMID_SELF };
    struct evtchn_status st;
    evtchn_port_t a = 0, b = 0, c = 0, p;

    xtest_section("hostile requests");
    CHECK_EQ(evtchn_bind_interdomain(5, 1, &p), -ESRCH,
             "bind_interdomain to a nonexistent domain -> -ESRCH");
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), -ESRCH,
             "alloc_unbound in a nonexistent domain -> -ESRCH");
    CHECK_EQ(evtchn_alloc_unbound(5, &c), 0,
             "alloc_unbound naming a nonexistent *remote* domain is allowed");
    CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, c, &p), -EINVAL,
             "bind_interdomain to a port reserved for another domain -> -EINVAL");
    CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, 0, &p), -EINVAL,
             "bind_interdomain to port 0 -> -EINVAL");
    CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, 100000, &p), -EINVAL,
             "bind_interdomain to port 100000 -> -EINVAL");
    evtchn_alloc_unbound(DOMID_SELF, &a);
    evtchn_bind_interdomain(DOMID_SELF, a, &b);
    CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &p), -EINVAL,
             "bind_interdomain to an already bound port -> -EINVAL");

    CHECK_EQ(evtchn_send(0), -EINVAL, "send on port 0 -> -EINVAL");
    CHECK_EQ(evtchn_send(4095), -EINVAL, "send on unallocated port 4095 -> -EINVAL");
    CHECK_EQ(evtchn_send(1U << 20), -EINVAL, "send on port 2^20 -> -EINVAL");
    CHECK_EQ(evtchn_send(~0U), -EINVAL, "send on port 0xffffffff -> -EINVAL");
    CHECK_EQ(evtchn_close(100000), -EINVAL, "close port 100000 -> -EINVAL");
    CHECK_EQ(evtchn_close(0), -EINVAL, "close port 0 -> -EINVAL");
    CHECK_EQ(evtchn_unmask(100000), -EINVAL, "unmask port 100000 -> -EINVAL");
    CHECK_EQ(evtchn_status(DOMID_SELF, 100000, &st), -EINVAL,
             "status of port 100000 -> -EINVAL");
    CHECK_EQ(evtchn_status(5, 1, &st), -ESRCH, "status in a nonexistent domain -> -ESRCH");
    CHECK_EQ(evtchn_bind_vcpu(100000, 0), -EINVAL, "bind_vcpu of port 100000 -> -EINVAL");

    CHECK_EQ(evtchn_bind_virq(NR_VIRQS, 0, &p), -EINVAL, "bind_virq(NR_VIRQS) -> -EINVAL");
    CHECK_EQ(evtchn_bind_virq(~0U, 0, &p), -EINVAL, "bind_virq(0xffffffff) -> -EINVAL");
    CHECK_EQ(evtchn_bind_virq(VIRQ_CONSOLE, 1, &p), -EINVAL,
             "a global VIRQ bound to vCPU 1 -> -EINVAL");
    CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 7, &p), -ENOENT,
             "bind_virq on a nonexistent vCPU -> -ENOENT");
    CHECK_EQ(evtchn_bind_ipi(7, &p), -ENOENT, "bind_ipi to a nonexistent vCPU -> -ENOENT");
    CHECK_EQ(HYPERVISOR_event_channel_op(99, &st), -ENOSYS,
             "unknown event_channel_op -> -ENOSYS");

    evtchn_close(a);
    evtchn_close(b);
    evtchn_close(c);
    evtchn_clear_pending(b);
}
