/* SPDX-License-Identifier: MIT */
/*
 * Per-port masking: a masked port still becomes pending, but the
 * hypervisor does not raise the selector and upcall bits for it; unmasking
 * (EVTCHNOP_unmask, or clearing the bit and re-raising the selector
 * ourselves) delivers it.
 */
#include "evtchn_test.h"

void test_masking(void)
{
    struct vcpu_info *vi = xtest_vcpu_info[0];
    evtchn_port_t a = 0, b = 0;
    uint32_t fa;

    xtest_section("masking");
    evtchn_alloc_unbound(DOMID_SELF, &a);
    evtchn_bind_interdomain(DOMID_SELF, a, &b);
    events_enable();                    /* flush b's bind notification */

    evtchn_mask_port(a);
    fa = evtchn_fired[a];
    CHECK_EQ(evtchn_send(b), 0, "send to a while a is masked");
    CHECK(evtchn_is_pending(a), "a is pending");
    CHECK_EQ(vi->evtchn_upcall_pending, 0, "but no upcall was flagged");
    CHECK_EQ(evtchn_fired[a], fa, "and none delivered (events enabled)");
    CHECK_EQ(evtchn_send(b), 0, "send again while masked");
    CHECK_EQ(evtchn_unmask(a), 0, "EVTCHNOP_unmask(a)");
    CHECK(!evtchn_is_masked(a), "mask bit cleared by the hypervisor");
    CHECK_EQ(evtchn_fired[a], fa + 1,
             "exactly one delivery for the two sends, right on unmask");

    evtchn_mask_port(a);
    evtchn_send(b);
    CHECK_EQ(evtchn_fired[a], fa + 1, "masked again: nothing delivered");
    evtchn_unmask_port_local(a);
    CHECK_EQ(evtchn_fired[a], fa + 2,
             "clearing the mask bit and re-raising the selector ourselves delivers it");

    CHECK_EQ(evtchn_unmask(a), 0, "EVTCHNOP_unmask of an unmasked, idle port");
    CHECK_EQ(evtchn_fired[a], fa + 2, "delivers nothing");

    /* Masking the whole vCPU: events_disable() = evtchn_upcall_mask. */
    events_disable();
    evtchn_send(b);
    CHECK_EQ(evtchn_fired[a], fa + 2, "nothing delivered with the vCPU masked");
    CHECK_EQ(vi->evtchn_upcall_pending, 1, "upcall pending");
    events_enable();
    CHECK_EQ(evtchn_fired[a], fa + 3, "delivered when the vCPU is unmasked");
    events_disable();
    evtchn_close(a);
    evtchn_close(b);
}
