/* SPDX-License-Identifier: MIT */
/*
 * evtchn: event channels with the 2-level ABI.  A domain can connect a
 * port to one of its own (alloc_unbound with remote DOMID_SELF, then
 * bind_interdomain to it), which is how dom0's local xenstore is wired up,
 * so everything interdomain is testable inside dom0 alone.
 */
#include "evtchn_test.h"

const char xtest_name[] = "evtchn";

bool wait_fired(evtchn_port_t port, uint32_t old, unsigned int ms)
{
    uint64_t deadline = xtest_now() + MILLISECS(ms);

    while (evtchn_fired[port] == old && xtest_now() < deadline)
        cpu_relax();
    return evtchn_fired[port] != old;
}

void xtest_main(void)
{
    test_loopback();
    test_masking();
    test_ipi();
    test_timers();
    test_hostile();
}
