/* SPDX-License-Identifier: MIT */
/* An interdomain channel from dom0 to itself: status, send, upcall, close. */
#include "evtchn_test.h"

void test_loopback(void)
{
    struct vcpu_info *vi = xtest_vcpu_info[0];
    struct evtchn_status st;
    evtchn_port_t a = 0, b = 0;
    uint32_t fa, fb;

    xtest_section("loopback interdomain channel");
    events_disable();
    CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &a), 0, "alloc_unbound(remote = DOMID_SELF)");
    CHECK(a != 0 && a < XTEST_NR_PORTS, "port %u allocated (never port 0)", a);
    CHECK_EQ(evtchn_status(DOMID_SELF, a, &st), 0, "status of it");
    CHECK_EQ(st.status, EVTCHNSTAT_unbound, "status unbound");
    CHECK_EQ(st.u.unbound.dom, 0, "remote domain recorded as our own id (0), not DOMID_SELF");
    CHECK_EQ(evtchn_send(a), 0, "send on an unbound port succeeds...");
    CHECK(!evtchn_is_pending(a), "...and is silently dropped");

    CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &b), 0,
             "bind_interdomain(DOMID_SELF, a)");
    CHECK(b != 0 && b != a && b < XTEST_NR_PORTS, "new local port %u", b);
    CHECK(evtchn_is_pending(b),
          "the new local port starts pending (Xen assumes a lost notification)");
    CHECK_EQ(evtchn_status(DOMID_SELF, a, &st), 0, "status of a");
    CHECK(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0 &&
              st.u.interdomain.port == b,
          "a is interdomain, peer (dom 0, port b)");
    CHECK_EQ(evtchn_status(DOMID_SELF, b, &st), 0, "status of b");
    CHECK(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.port == a &&
              st.vcpu == 0,
          "b is interdomain, peer port a, notifies vCPU 0");

    /* Deliver the bind-time notification of b. */
    fb = evtchn_fired[b];
    events_enable();
    CHECK_EQ(evtchn_fired[b], fb + 1, "unmasking events delivers b's pending event");
    events_disable();

    fa = evtchn_fired[a];
    CHECK_EQ(evtchn_send(b), 0, "send on b");
    CHECK(evtchn_is_pending(a), "raises a: shared_info.evtchn_pending bit set");
    CHECK((vi->evtchn_pending_sel >> (a / 64)) & 1, "vcpu_info.evtchn_pending_sel bit set");
    CHECK_EQ(vi->evtchn_upcall_pending, 1, "vcpu_info.evtchn_upcall_pending = 1");
    CHECK_EQ(evtchn_fired[a], fa, "no upcall while events are masked");
    events_enable();
    CHECK_EQ(evtchn_fired[a], fa + 1, "the upcall ran once events were unmasked");
    CHECK(!evtchn_is_pending(a), "the handler acknowledged the pending bit");
    CHECK_EQ(vi->evtchn_upcall_pending, 0, "and upcall_pending");
    CHECK_EQ(evtchn_upcalls[0] > 0, 1, "upcalls counted on vCPU 0");

    /* With events enabled a send upcalls right on the way back. */
    fb = evtchn_fired[b];
    CHECK_EQ(evtchn_send(a), 0, "send on a (events enabled)");
    CHECK_EQ(evtchn_fired[b], fb + 1, "b's handler ran before send returned to us");
    events_disable();

    CHECK_EQ(evtchn_close(b), 0, "close b");
    CHECK_EQ(evtchn_status(DOMID_SELF, b, &st), 0, "status of closed b");
    CHECK_EQ(st.status, EVTCHNSTAT_closed, "b is closed");
    CHECK_EQ(evtchn_status(DOMID_SELF, a, &st), 0, "status of a");
    CHECK(st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
          "closing one end leaves the other unbound (to us again)");
    CHECK_EQ(evtchn_close(b), -EINVAL, "closing b twice -> -EINVAL");
    CHECK_EQ(evtchn_send(b), -EINVAL, "send on a closed port -> -EINVAL");
    CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &b), 0,
             "a can be bound again");
    CHECK_EQ(evtchn_close(a), 0, "close a");
    CHECK_EQ(evtchn_close(b), 0, "close the new b");
    evtchn_clear_pending(b);
}
