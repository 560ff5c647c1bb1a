/* SPDX-License-Identifier: MIT */
/*
 * What the client offers the peer (d2): a port Q whose events its upcall
 * handler echoes (so the peer's pings need nothing of the client's main
 * flow), a decoy port nobody may bind, and a granted page.
 */
#include "client.h"

#define RW_BITS (GTF_reading | GTF_writing)

static volatile uint32_t echoes;

static void echo(evtchn_port_t port, struct xtest_regs *regs)
{
    (void)regs;
    if (evtchn_send(port) == 0)
        echoes++;
}

void cli_peer_offer(void)
{
    struct evtchn_status st;
    long rc;

    xtest_section("client: offers to the peer");
    /* Xen's evtchn_status looks the domain up before the permission check,
     * so an unprivileged caller learns whether a domain exists. */
    rc = evtchn_status(PEER_DOMID, 1, &st);
    CHECK(rc == -EPERM || rc == -ESRCH,
          "status of a port of d%u -> -EPERM (it exists) or -ESRCH (it does not): %ld",
          PEER_DOMID, rc);
    cli.has_peer = rc == -EPERM;
    if (!cli.has_peer)
        return;

    cli.peer = alloc_page();
    cli.peer->magic = PEER_MAGIC;
    cli.peer->client_l4_mfn = xtest_l4_mfn;
    if (CHECK_EQ(gnttab_setup(1), GNTST_okay, "setup_table(1 frame) for ourselves"))
        gnttab_grant(PEER_REF, virt_to_mfn(cli.peer), PEER_DOMID, GTF_permit_access);
    CHECK_EQ(evtchn_alloc_unbound(PEER_DOMID, &cli.peer_port), 0,
             "alloc_unbound(remote d%u) -> Q", PEER_DOMID);
    evtchn_set_handler(cli.peer_port, echo);
    CHECK_EQ(evtchn_alloc_unbound(NO_SUCH_DOMID, &cli.peer_decoy), 0,
             "a decoy port offered to d%u", NO_SUCH_DOMID);
}

static bool peer_finished(void *unused)
{
    (void)unused;
    return READ_ONCE(cli.peer->done) == PEER_DONE &&
           !(READ_ONCE(gnttab_v1[PEER_REF].flags) & RW_BITS);
}

/* The peer writes PEER_DONE through its mapping, unmaps, then pings Q. */
void cli_peer_wait_done(void)
{
    struct evtchn_status st;

    if (!cli.has_peer)
        return;
    xtest_section("client: wait for the peer");
    CHECK(wait_until_ms(peer_finished, NULL, RENDEZVOUS_MS),
          "d%u wrote PEER_DONE into our page and unmapped it", PEER_DOMID);
    CHECK(echoes >= PEER_PINGS, "our handler echoed %u of its pings", echoes);
    CHECK_EQ(evtchn_status(DOMID_SELF, cli.peer_port, &st), 0, "status of Q");
    CHECK(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == PEER_DOMID,
          "Q is interdomain to d%u (its port %u)", PEER_DOMID, st.u.interdomain.port);
    CHECK(port_status_is(DOMID_SELF, cli.peer_decoy, EVTCHNSTAT_unbound, NO_SUCH_DOMID, 0),
          "the decoy is still unbound");
}
