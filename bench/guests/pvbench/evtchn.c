/* SPDX-License-Identifier: MIT */
/*
 * Event-channel send -> upcall round trip.  With events unmasked on vCPU 0,
 * EVTCHNOP_send on a port whose peer is bound to vCPU 0 marks the peer
 * pending and the hypervisor enters the event callback (registered by the
 * runtime, traps.c) on its way back to the guest; the upcall handler
 * (evtchn.c of the runtime) acknowledges the port, counts it in
 * evtchn_fired[] and returns through HYPERVISOR_iret.  One round trip =
 * send, upcall, handler, iret, until the sender sees the count move.
 *  - loopback: an interdomain pair of dom0 to itself (alloc_unbound with
 *    remote DOMID_SELF + bind_interdomain), as dom0's own xenstore uses;
 *  - ipi_self: bind_ipi to vCPU 0, sent to by vCPU 0.
 */
#include "pvbench.h"

#define EVTCHN_ITERS 40

static evtchn_port_t send_port, recv_port;

static bool block_send(unsigned int iters)
{
    unsigned int i, spins;

    for (i = 0; i < iters; i++) {
        uint32_t old = READ_ONCE(evtchn_fired[recv_port]);

        if (evtchn_send(send_port))
            return false;
        /* Delivered on the way out of the send hypercall already: the
         * loop normally does not spin at all. */
        for (spins = 0; READ_ONCE(evtchn_fired[recv_port]) == old; spins++) {
            if (spins >= PVBENCH_SPIN_LIMIT)
                return false;
            cpu_relax();
        }
    }
    return true;
}

static void run_pair(const char *name, evtchn_port_t send, evtchn_port_t recv)
{
    uint32_t before;
    bool ok;

    send_port = send;
    recv_port = recv;
    events_enable();            /* also delivers anything already pending */
    before = evtchn_fired[recv];
    ok = pvbench_run(name, block_send, EVTCHN_ITERS, NULL, 1);
    events_disable();
    /* Warm-up + timed blocks, each upcall counted exactly once. */
    if (CHECK(ok, "%s benchmark ran", name))
        CHECK_EQ(evtchn_fired[recv] - before,
                 (uint32_t)EVTCHN_ITERS * (PVBENCH_RUNS + 1),
                 "%s: one upcall per send", name);
}

void bench_evtchn(void)
{
    evtchn_port_t a = 0, b = 0, ipi = 0;

    if (CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &a), 0, "alloc_unbound(DOMID_SELF)") &&
        CHECK_EQ(evtchn_bind_interdomain(DOMID_SELF, a, &b), 0, "bind_interdomain") &&
        CHECK(a < XTEST_NR_PORTS && b < XTEST_NR_PORTS, "ports %u <-> %u", a, b)) {
        run_pair("evtchn_loopback_send_upcall", a, b);
        evtchn_close(b);
        evtchn_close(a);
    }
    if (CHECK_EQ(evtchn_bind_ipi(0, &ipi), 0, "bind_ipi(vcpu 0)") &&
        CHECK(ipi < XTEST_NR_PORTS, "IPI port %u", ipi)) {
        run_pair("evtchn_ipi_self_send_upcall", ipi, ipi);
        evtchn_close(ipi);
    }
}
