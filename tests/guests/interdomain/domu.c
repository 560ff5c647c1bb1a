/* SPDX-License-Identifier: MIT */
/*
 * The unprivileged roles' start: start_info as a domU sees it, dom0
 * connecting the offered ports, and finding a port offered by another
 * domain without being told its number.
 */
#include "domu.h"

void domu_start_of_day(struct domu_ports *d, domid_t want)
{
    struct start_info *si = xtest_start_info;

    CHECK_EQ(si->flags, 0, "start_info.flags = 0 (neither privileged nor initial)");
    d->store = si->store_evtchn;
    d->cons = si->console.domU.evtchn;
    CHECK(d->store && d->cons && d->store != d->cons,
          "xenstore port %u and console port %u given", d->store, d->cons);
    d->domid = my_domid();
    CHECK_EQ(d->domid, want,
             "our domid, as Xen records it for alloc_unbound(remote = DOMID_SELF)");
}

/* dom0 binds both offered ports and sends on them; until then they stay
 * unbound (to dom0). */
bool domu_rendezvous(struct domu_ports *d)
{
    struct evtchn_status st;
    bool ok;

    xtest_section("wait for dom0 to connect our offered ports");
    ok = wait_fired_ms(d->store, 0, RENDEZVOUS_MS) && wait_fired_ms(d->cons, 0, STEP_MS);
    if (!CHECK(ok, "dom0's events arrived on our xenstore and console ports"))
        return false;
    CHECK_EQ(evtchn_status(DOMID_SELF, d->store, &st), 0, "status of our xenstore port");
    CHECK(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0,
          "it is interdomain to dom0 (dom0's port %u)", st.u.interdomain.port);
    d->srv_store = st.u.interdomain.port;
    CHECK_EQ(evtchn_status(DOMID_SELF, d->cons, &st), 0, "status of our console port");
    CHECK(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0,
          "it is interdomain to dom0 (dom0's port %u)", st.u.interdomain.port);
    d->srv_cons = st.u.interdomain.port;
    return true;
}

static bool never(void *unused)
{
    (void)unused;
    return false;
}

/* Xen refuses bind_interdomain to any port that is not unbound with us as
 * its remote end (-EINVAL), so exactly one port binds. */
bool scan_offered(domid_t remote, unsigned int ms, evtchn_port_t *rport,
                  evtchn_port_t *lport)
{
    uint64_t deadline = xtest_now() + MILLISECS(ms);
    unsigned int found, einval, other, rounds = 0;
    evtchn_port_t p, local;
    struct evtchn_status st;

    *rport = *lport = 0;
    do {
        if (rounds++)
            wait_until_ms(never, NULL, 50);
        found = einval = other = 0;
        for (p = 0; p < SCAN_PORTS; p++) {
            long rc = evtchn_bind_interdomain(remote, p, &local);

            if (rc == 0) {
                if (found++ == 0) {
                    *rport = p;
                    *lport = local;
                }
            } else if (rc == -EINVAL) {
                einval++;
            } else {
                other++;
                printf("  bind_interdomain(d%u, %u) -> %ld\n", remote, p, rc);
            }
        }
    } while (!found && !other && xtest_now() < deadline);

    CHECK_EQ(found, 1, "exactly one of d%u's ports 0..%u binds (%u, our end %u; %u rounds)",
             remote, SCAN_PORTS - 1, *rport, *lport, rounds);
    CHECK_EQ(einval, SCAN_PORTS - 1, "every other one -> -EINVAL");
    CHECK_EQ(other, 0, "no other error");
    if (found != 1)
        return false;
    CHECK_EQ(evtchn_status(DOMID_SELF, *lport, &st), 0, "status of our end");
    CHECK(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == remote &&
              st.u.interdomain.port == *rport,
          "interdomain to (d%u, %u)", remote, *rport);
    /* Xen raises the binder's new port once; events are on, so the
     * upcall has run by now. */
    CHECK_EQ(evtchn_fired[*lport], 1, "our new port was raised once at bind");
    CHECK_EQ(evtchn_bind_interdomain(remote, *rport, &local), -EINVAL,
             "binding it a second time -> -EINVAL");
    return true;
}
