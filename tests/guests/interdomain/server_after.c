/* SPDX-License-Identifier: MIT */
/*
 * The server after the client's attacks (nothing of dom0 changed) and
 * after the client's deliberate crash (dom0 runs on; what Xen does with a
 * crashed, not yet destroyed peer).
 */
#include "server.h"
#include "traps.h"

static long reservation(domid_t dom)
{
    struct xen_memory_domain d = { dom };

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &d);
}

void srv_snapshot(void)
{
    static uint64_t l4_copy[PAGE_SIZE / 8] __aligned(PAGE_SIZE);

    memcpy(l4_copy, xtest_l4(), PAGE_SIZE);
    srv.l4_copy = l4_copy;
    srv.victim_m2p = mfn_to_pfn(virt_to_mfn(srv.victim));
    srv.tot_pages = reservation(DOMID_SELF);
}

void srv_on_hostile_done(void)
{
    xen_pfn_t mfn = virt_to_mfn(srv.victim);
    unsigned int i, bad = 0;

    xtest_section("server: dom0 after the client's attacks");
    for (i = 0; i < PAGE_SIZE / 8; i++)
        if (READ_ONCE(srv.victim[i]) != VICTIM_PATTERN)
            bad++;
    CHECK_EQ(bad, 0, "the victim page (MFN %#lx) still holds its pattern", mfn);
    CHECK_EQ(mfn_to_pfn(mfn), srv.victim_m2p, "its M2P entry is unchanged");
    CHECK_EQ(virt_to_mfn(srv.victim), mfn, "and our P2M still maps it");
    CHECK(memcmp(srv.l4_copy, xtest_l4(), PAGE_SIZE) == 0, "our L4 is unchanged");
    CHECK_EQ(reservation(DOMID_SELF), srv.tot_pages, "our reservation is unchanged");

    CHECK(port_status_is(DOMID_SELF, srv.ctl, EVTCHNSTAT_interdomain, CLIENT_DOMID, srv.client_ctl),
          "P (%u) is still interdomain to (d%u, %u)", srv.ctl, CLIENT_DOMID, srv.client_ctl);
    for (i = 0; i < 2; i++)
        CHECK(port_status_is(DOMID_SELF, srv.cl.local[i], EVTCHNSTAT_interdomain, CLIENT_DOMID,
                             srv.cl.remote[i]),
              "port %u is still interdomain to (d%u, %u)", srv.cl.local[i], CLIENT_DOMID,
              srv.cl.remote[i]);
    CHECK(port_status_is(DOMID_SELF, srv.decoy_self, EVTCHNSTAT_unbound, 0, 0),
          "decoy %u still unbound, for dom0", srv.decoy_self);
    CHECK(port_status_is(DOMID_SELF, srv.decoy_other, EVTCHNSTAT_unbound, NO_SUCH_DOMID, 0),
          "decoy %u still unbound, for d%u", srv.decoy_other, NO_SUCH_DOMID);
    CHECK(port_status_is(DOMID_SELF, srv.dom_exc, EVTCHNSTAT_virq, VIRQ_DOM_EXC, 0),
          "VIRQ_DOM_EXC still bound to port %u", srv.dom_exc);
    CHECK(port_status_is(DOMID_SELF, timer_port, EVTCHNSTAT_virq, VIRQ_TIMER, 0),
          "VIRQ_TIMER still bound to port %u", timer_port);

    if (gnttab_v1) {
        CHECK_EQ(gnttab_v1[SRV_SELF_REF].flags, GTF_permit_access,
                 "our grant to ourselves was never used");
        CHECK_EQ(gnttab_v1[SRV_RO_REF].flags, GTF_permit_access | GTF_readonly,
                 "the read-only grant to the client is released (no GTF_reading left)");
        CHECK_EQ(gnttab_v1[SRV_OTHER_REF].flags, GTF_permit_access,
                 "the grant to d%u was never used", NO_SUCH_DOMID);
    }
}

static bool always_false(void *unused)
{
    (void)unused;
    return false;
}

void srv_on_last(void)
{
    uint32_t exc = srv.dom_exc_before_last, f;
    uint64_t v = 0;

    xtest_section("server: the client crashes; dom0 runs on");
    /* Xen: domain_shutdown() -> __domain_finalise_shutdown() sends
     * VIRQ_DOM_EXC to the hardware domain once every vCPU has stopped. */
    CHECK(wait_fired_ms(srv.dom_exc, exc, 5000),
          "VIRQ_DOM_EXC arrives when d%u crashes", CLIENT_DOMID);
    /* Give a late crash time to happen before judging what follows. */
    wait_until_ms(always_false, NULL, 200);

    /* A crashed domain is not destroyed until a toolstack does it: its
     * channels stay bound and sends to it succeed (and go nowhere). */
    CHECK_EQ(evtchn_send(srv.ctl), 0, "send on P to the crashed client -> 0");
    CHECK(port_status_is(DOMID_SELF, srv.ctl, EVTCHNSTAT_interdomain, CLIENT_DOMID, srv.client_ctl),
          "P is still interdomain to (d%u, %u)", CLIENT_DOMID, srv.client_ctl);
    CHECK(port_status_is(CLIENT_DOMID, srv.client_ctl, EVTCHNSTAT_interdomain, 0, srv.ctl),
          "and so is the client's end, seen from dom0");
    f = evtchn_fired[srv.ctl];
    evtchn_send(srv.ctl);
    CHECK(!wait_fired_ms(srv.ctl, f, 500), "nobody answers any more");
    if (srv.client_nr_pages)
        CHECK_EQ(reservation(CLIENT_DOMID), srv.client_nr_pages,
                 "the crashed client still owns its %ld pages", srv.client_nr_pages);

    if (srv.mbox) {
        CHECK_EQ(probe_read64(&srv.mbox->client_last_words, &v), -1,
                 "our mapping of the client's mailbox still reads");
        CHECK_EQ(v, LAST_WORDS, "the client's last words are there");
        CHECK_EQ(gnttab_unmap((unsigned long)srv.mbox, srv.mbox_handle), GNTST_okay,
                 "unmapping the crashed client's grant works");
    }
    CHECK_EQ(reservation(DOMID_SELF), srv.tot_pages, "our reservation is unchanged");
}

static bool peer_said_done(void *unused)
{
    (void)unused;
    return evtchn_fired[srv.pr.local[0]] != srv.pr.fired0[0] ||
           evtchn_fired[srv.pr.local[1]] != srv.pr.fired0[1];
}

/* The peer reports and then raises its xenstore port: its verdict is on
 * the console once that arrives (it may have long ago). */
void srv_wait_peer(void)
{
    uint32_t f;

    if (!srv.has_peer)
        return;
    xtest_section("server: wait for the peer");
    if (!CHECK(wait_until_ms(peer_said_done, NULL, RENDEZVOUS_MS),
               "d%u said it is done (on its xenstore or console port)", PEER_DOMID))
        return;
    /* It echoes on those ports from now on. */
    f = evtchn_fired[srv.pr.local[0]];
    CHECK_EQ(evtchn_send(srv.pr.local[0]), 0, "ping d%u", PEER_DOMID);
    CHECK(wait_fired_ms(srv.pr.local[0], f, STEP_MS),
          "d%u still answers after the client's crash", PEER_DOMID);
}
