/* SPDX-License-Identifier: MIT */
/*
 * The peer (d2): an unprivileged domain talking to another one, the
 * client, with nothing but the port and grant the client offered it.
 */
#include "peer.h"

struct peer pr;

static void ping_client(void)
{
    unsigned int i;

    xtest_section("peer: ping the client");
    for (i = 0; i < PEER_PINGS; i++) {
        uint32_t f = evtchn_fired[pr.local];

        if (evtchn_send(pr.local) || !wait_fired_ms(pr.local, f, STEP_MS))
            break;
    }
    CHECK_EQ(i, PEER_PINGS, "the client's upcall handler answered every ping");
}

static void map_page(void)
{
    struct gnttab_map_grant_ref m;
    unsigned long va = empty_slot();

    xtest_section("peer: map the client's page");
    if (!CHECK_EQ(gnttab_map(va, GNTMAP_host_map, PEER_REF, CLIENT_DOMID, &m), GNTST_okay,
                  "map d%u's ref %u read-write", CLIENT_DOMID, PEER_REF))
        return;
    pr.page = (struct peer_page *)va;
    pr.handle = m.handle;
    CHECK_EQ(pr.page->magic, PEER_MAGIC, "it holds the client's magic");
}

/* After our verdict: answer dom0 on either port, to show we outlived the
 * client's crash. */
static void echo(evtchn_port_t port, struct xtest_regs *regs)
{
    (void)regs;
    evtchn_send(port);
}

static void finish(void)
{
    xtest_section("peer: done");
    if (pr.page) {
        WRITE_ONCE(pr.page->done, PEER_DONE);
        CHECK_EQ(gnttab_unmap((unsigned long)pr.page, pr.handle), GNTST_okay,
                 "unmap the client's page");
    }
    /* The client checks the page once we ping it. */
    CHECK_EQ(evtchn_send(pr.local), 0, "tell the client we are done");
    xtest_summary();
    evtchn_set_handler(pr.d.store, echo);
    evtchn_set_handler(pr.d.cons, echo);
    evtchn_send(pr.d.store);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

void peer_main(void)
{
    xtest_section("peer: a second unprivileged domU");
    domu_start_of_day(&pr.d, PEER_DOMID);
    if (!domu_rendezvous(&pr.d))
        return;
    xtest_section("peer: find the client's port for us");
    if (!scan_offered(CLIENT_DOMID, RENDEZVOUS_MS, &pr.q, &pr.local))
        return;
    ping_client();
    map_page();
    peer_hostile();
    finish();
}
