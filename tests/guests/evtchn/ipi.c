/* SPDX-License-Identifier: MIT */
/* IPI channels: bind_ipi ties a port to a vCPU of our own; send raises it. */
#include "evtchn_test.h"

void test_ipi(void)
{
    struct evtchn_status st;
    evtchn_port_t p = 0;
    uint32_t f;

    xtest_section("IPI channel");
    CHECK_EQ(evtchn_bind_ipi(0, &p), 0, "bind_ipi(vcpu 0)");
    CHECK_EQ(evtchn_status(DOMID_SELF, p, &st), 0, "status");
    CHECK(st.status == EVTCHNSTAT_ipi && st.vcpu == 0, "status ipi, vCPU 0");
    f = evtchn_fired[p];
    events_enable();
    CHECK_EQ(evtchn_send(p), 0, "send on the IPI port");
    CHECK_EQ(evtchn_fired[p], f + 1, "delivered to ourselves");
    events_disable();
    CHECK_EQ(evtchn_bind_vcpu(p, 0), -EINVAL, "bind_vcpu of an IPI port -> -EINVAL");
    CHECK_EQ(evtchn_bind_vcpu(p, 7), -ENOENT, "bind_vcpu to a nonexistent vCPU -> -ENOENT");
    CHECK_EQ(evtchn_close(p), 0, "close");
    CHECK_EQ(evtchn_close(p), -EINVAL, "close again -> -EINVAL");
}
