/* SPDX-License-Identifier: MIT */
/*
 * The peer attacks the client (and dom0's grant meant for the client):
 * one unprivileged domain against another.  Expected errors as in
 * client_hostile.c and attack.c.
 */
#include "peer.h"

static void evtchn_and_sched(void)
{
    struct evtchn_alloc_unbound au = { .dom = CLIENT_DOMID, .remote_dom = DOMID_SELF };
    struct sched_remote_shutdown rs = { .domain_id = CLIENT_DOMID, .reason = SHUTDOWN_crash };
    struct evtchn_status st;
    unsigned int p, bound = 0, einval = 0;
    evtchn_port_t local;

    xtest_section("peer: the client's event channels");
    CHECK_EQ(evtchn_status(CLIENT_DOMID, pr.q, &st), -EPERM,
             "status of the client's Q -> -EPERM");
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), -EPERM,
             "alloc_unbound in the client -> -EPERM");
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -EPERM,
             "SCHEDOP_remote_shutdown(client, crash) -> -EPERM");
    /* dom0's P is offered to the client, not to us: nothing of dom0's binds. */
    for (p = 0; p < SCAN_PORTS; p++) {
        long rc = evtchn_bind_interdomain(0, p, &local);

        if (rc == 0) {
            bound++;
            evtchn_close(local);
        } else if (rc == -EINVAL) {
            einval++;
        }
    }
    CHECK_EQ(bound, 0, "none of dom0's ports 0..%u binds for us (P is the client's)",
             SCAN_PORTS - 1);
    CHECK_EQ(einval, SCAN_PORTS, "all -> -EINVAL");
}

static void grants(void)
{
    struct gnttab_map_grant_ref m;
    struct gnttab_copy c;
    static uint8_t buf[PAGE_SIZE] __aligned(PAGE_SIZE);
    unsigned long va = empty_slot();

    xtest_section("peer: grants not meant for us");
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map | GNTMAP_readonly, MBOX_REF, CLIENT_DOMID, &m),
             GNTST_general_error, "map the client's ref %u (dom0's) -> GNTST_general_error",
             MBOX_REF);
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map | GNTMAP_readonly, SRV_RO_REF, 0, &m),
             GNTST_general_error,
             "map dom0's ref %u (read-only to the client) -> GNTST_general_error", SRV_RO_REF);
    CHECK_EQ(slot_mfn(va), 0, "nothing was mapped");
    memset(&c, 0, sizeof(c));
    c.flags = GNTCOPY_source_gref;
    c.source.u.ref = SRV_RO_REF;
    c.source.domid = 0;
    c.dest.u.gmfn = virt_to_mfn(buf);
    c.dest.domid = DOMID_SELF;
    c.len = 8;
    CHECK_EQ(gnttab_copy1(&c), GNTST_general_error,
             "copy from it -> GNTST_general_error");
}

void peer_hostile(void)
{
    evtchn_and_sched();
    grants();
    xtest_section("peer: the client's memory through the MMU");
    if (!pr.page) {
        xtest_fail("the client's L4 is unknown (its page is not mapped)");
        return;
    }
    attack_frame(slot_mfn((unsigned long)pr.page), CLIENT_DOMID,
                 "the client's page we have grant-mapped");
    attack_frame(pr.page->client_l4_mfn, CLIENT_DOMID, "the client's L4");
    attack_l4(pr.page->client_l4_mfn, "the client's L4");
}
