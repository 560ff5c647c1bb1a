/* SPDX-License-Identifier: MIT */
/*
 * The server (dom0): finds the client's offered ports, offers the control
 * port P (and decoys), then answers the client's requests in order.
 */
#include "server.h"

struct server srv = { .link_ok = true };

static const char *const step_names[] = {
    [STEP_FOUND] = "found", [STEP_PING] = "ping", [STEP_GRANTED] = "granted",
    [STEP_SEEN_MAPPED] = "seen-mapped", [STEP_REVOKED] = "revoked",
    [STEP_HOSTILE_DONE] = "hostile-done", [STEP_LAST] = "last",
};

bool srv_recv(enum step s, unsigned int ms)
{
    bool ok;

    if (!srv.link_ok)
        return false;
    ok = wait_fired_ms(srv.ctl, srv.ctl_seen, ms);
    srv.ctl_seen = evtchn_fired[srv.ctl];
    if (!ok) {
        xtest_fail("no '%s' request from the client within %u ms", step_names[s], ms);
        srv.link_ok = false;
    }
    return ok;
}

void srv_reply(enum step s)
{
    long rc;

    if (!srv.link_ok)
        return;
    rc = evtchn_send(srv.ctl);
    if (rc)
        xtest_fail("send of the '%s' reply on port %u: %ld", step_names[s], srv.ctl, rc);
    else
        xtest_pass();
}

/* The builder offered a domU's store and console ports to us; being
 * privileged, we may look at its ports to find them. */
static bool discover(struct offered *o)
{
    struct evtchn_status st;
    evtchn_port_t p;
    long rc;

    for (p = 1; p < 64; p++) {
        rc = evtchn_status(o->dom, p, &st);
        if (rc) {
            xtest_fail("status(d%u, port %u): %ld", o->dom, p, rc);
            break;
        }
        if (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0 && o->n < 2)
            o->remote[o->n++] = p;
        else if (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0)
            o->n++;
    }
    return CHECK_EQ(o->n, 2, "d%u has 2 unbound ports offered to dom0 (xenstore and console)",
                    o->dom);
}

/* Bind both and send on them: the domU waits for that. */
static void connect(struct offered *o)
{
    unsigned int i;

    for (i = 0; i < 2; i++) {
        evtchn_port_t cp = o->remote[i], again;

        CHECK_EQ(evtchn_bind_interdomain(o->dom, cp, &o->local[i]), 0,
                 "bind_interdomain(d%u, port %u)", o->dom, cp);
        CHECK_EQ(evtchn_fired[o->local[i]], 1,
                 "our new port %u was raised once at bind (a possibly lost notification)",
                 o->local[i]);
        CHECK(port_status_is(o->dom, cp, EVTCHNSTAT_interdomain, 0, o->local[i]),
              "d%u's port %u is now interdomain to (dom0, %u)", o->dom, cp, o->local[i]);
        CHECK_EQ(evtchn_bind_interdomain(o->dom, cp, &again), -EINVAL,
                 "binding it a second time -> -EINVAL");
        o->fired0[i] = evtchn_fired[o->local[i]];
    }
    for (i = 0; i < 2; i++)
        CHECK_EQ(evtchn_send(o->local[i]), 0, "send on our end %u of d%u's port %u",
                 o->local[i], o->dom, o->remote[i]);
}

static bool find_domus(void)
{
    struct evtchn_status st;
    long rc;

    xtest_section("server: the domUs and their offered ports");
    CHECK_EQ(evtchn_status(NO_SUCH_DOMID, 1, &st), -ESRCH,
             "status in d%u (not booted) -> -ESRCH", NO_SUCH_DOMID);
    srv.cl.dom = CLIENT_DOMID;
    srv.pr.dom = PEER_DOMID;
    if (evtchn_status(CLIENT_DOMID, 1, &st) == -ESRCH) {
        xtest_fail("there is no d%u: boot this test with a domU (domU= option, "
                   "tests/pv/run.sh does)", CLIENT_DOMID);
        return false;
    }
    rc = evtchn_status(PEER_DOMID, 1, &st);
    srv.has_peer = rc == 0;
    printf("  d%u (client) is there; d%u (peer) %s\n", CLIENT_DOMID, PEER_DOMID,
           srv.has_peer ? "too" : "is not");
    return discover(&srv.cl) && (!srv.has_peer || discover(&srv.pr));
}

/* P for the client, decoys it must not be able to bind, then connect the
 * offered ports: the client starts looking for P once they fire. */
static void offer(void)
{
    xtest_section("server: offer the control port, connect the offered ones");
    CHECK_EQ(evtchn_alloc_unbound(CLIENT_DOMID, &srv.ctl), 0,
             "alloc_unbound(remote d%u) -> control port P", CLIENT_DOMID);
    CHECK(srv.ctl > 0 && srv.ctl < SCAN_PORTS, "P = %u, below %u (the client tries those)",
          srv.ctl, SCAN_PORTS);
    CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &srv.decoy_self), 0,
             "a decoy port offered to dom0 itself");
    CHECK_EQ(evtchn_alloc_unbound(NO_SUCH_DOMID, &srv.decoy_other), 0,
             "a decoy port offered to d%u", NO_SUCH_DOMID);
    printf("  decoys: ports %u and %u\n", srv.decoy_self, srv.decoy_other);
    CHECK(port_status_is(DOMID_SELF, srv.ctl, EVTCHNSTAT_unbound, CLIENT_DOMID, 0),
          "P is unbound, remote d%u", CLIENT_DOMID);
    connect(&srv.cl);
    if (srv.has_peer)
        connect(&srv.pr);
}

static void on_found(void)
{
    struct evtchn_status st;

    xtest_section("server: the client found P");
    CHECK_EQ(evtchn_status(DOMID_SELF, srv.ctl, &st), 0, "status of P");
    CHECK(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == CLIENT_DOMID,
          "P is interdomain to d%u (status %u)", CLIENT_DOMID, st.status);
    srv.client_ctl = st.u.interdomain.port;
    CHECK(port_status_is(CLIENT_DOMID, srv.client_ctl, EVTCHNSTAT_interdomain, 0, srv.ctl),
          "the client's end, port %u, is interdomain to (dom0, P)", srv.client_ctl);
    CHECK(port_status_is(DOMID_SELF, srv.decoy_self, EVTCHNSTAT_unbound, 0, 0),
          "the decoy offered to dom0 is still unbound");
    CHECK(port_status_is(DOMID_SELF, srv.decoy_other, EVTCHNSTAT_unbound, NO_SUCH_DOMID, 0),
          "the decoy offered to d%u is still unbound", NO_SUCH_DOMID);
}

void server_main(void)
{
    uint32_t flags = xtest_start_info->flags;
    unsigned int i;

    xtest_section("server: dom0");
    CHECK_EQ(flags & (SIF_PRIVILEGED | SIF_INITDOMAIN), SIF_PRIVILEGED | SIF_INITDOMAIN,
             "start_info.flags: privileged initial domain");
    CHECK_EQ(evtchn_bind_virq(VIRQ_DOM_EXC, 0, &srv.dom_exc), 0,
             "bind VIRQ_DOM_EXC (the hardware domain gets it by default)");
    if (!find_domus())
        return;
    srv_grant_setup();
    offer();

    /* The client may still be booting: allow it the rendezvous time. */
    if (!srv_recv(STEP_FOUND, RENDEZVOUS_MS))
        return;
    on_found();
    srv_reply(STEP_FOUND);

    xtest_section("server: ping-pong on P");
    for (i = 0; i < PING_ROUNDS && srv_recv(STEP_PING, STEP_MS); i++)
        srv_reply(STEP_PING);
    CHECK_EQ(i, PING_ROUNDS, "answered every ping");

    if (srv_recv(STEP_GRANTED, STEP_MS))
        srv_on_granted();
    srv_reply(STEP_GRANTED);
    if (srv_recv(STEP_SEEN_MAPPED, STEP_MS))
        srv_on_seen_mapped();
    srv_reply(STEP_SEEN_MAPPED);
    if (srv_recv(STEP_REVOKED, STEP_MS))
        srv_on_revoked();
    /* The client attacks as soon as it has this reply. */
    srv_snapshot();
    srv_reply(STEP_REVOKED);

    if (srv_recv(STEP_HOSTILE_DONE, STEP_MS))
        srv_on_hostile_done();
    /* From this reply on the client may say its last word and crash at
     * once, before we get to count: take the count now. */
    srv.dom_exc_before_last = evtchn_fired[srv.dom_exc];
    srv_reply(STEP_HOSTILE_DONE);
    /* Before its last word the client waits for the peer, if any. */
    if (srv_recv(STEP_LAST, srv.has_peer ? RENDEZVOUS_MS + STEP_MS : STEP_MS))
        srv_on_last();
    srv_wait_peer();
}
