/* SPDX-License-Identifier: MIT */
/*
 * The client (d1): waits for dom0 to connect its offered ports, finds the
 * control port by trying to bind every small port of dom0, drives the
 * request/reply script, attacks dom0, waits for the peer (if any) to be
 * done with it, then crashes itself on purpose.
 */
#include "client.h"

struct client cli = { .link_ok = true };

bool cli_call(enum step s)
{
    uint32_t f = evtchn_fired[cli.ctl];
    long rc;

    if (!cli.link_ok)
        return false;
    rc = evtchn_send(cli.ctl);
    if (rc) {
        xtest_fail("send of request %u on port %u: %ld", s, cli.ctl, rc);
        cli.link_ok = false;
        return false;
    }
    if (!wait_fired_ms(cli.ctl, f, STEP_MS)) {
        xtest_fail("no reply from dom0 to request %u within %u ms", s, STEP_MS);
        cli.link_ok = false;
        return false;
    }
    return true;
}

static void ping_pong(void)
{
    unsigned int i;
    uint64_t t0 = xtest_now();

    xtest_section("client: ping-pong with dom0");
    for (i = 0; i < PING_ROUNDS && cli_call(STEP_PING); i++)
        ;
    CHECK_EQ(i, PING_ROUNDS, "%u round trips, each side blocked until the other's event",
             PING_ROUNDS);
    printf("  %lu us per round trip\n", (xtest_now() - t0) / 1000 / PING_ROUNDS);
}

/* No trap table: Xen crashes a PV guest that faults without a handler. */
static void __noreturn crash(void)
{
    HYPERVISOR_set_trap_table(NULL);
    asm volatile("ud2");
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

void client_main(void)
{
    xtest_section("client: an unprivileged domU");
    domu_start_of_day(&cli.d, CLIENT_DOMID);
    if (!domu_rendezvous(&cli.d))
        return;
    /* Only now: Xeno starts each boot-time domU as soon as it is built,
     * so a later one may not exist yet at our start; dom0, started last,
     * has connected us, so by now every domU has been built. */
    cli_peer_offer();
    xtest_section("client: find the control port");
    if (!scan_offered(0, STEP_MS, &cli.srv_ctl, &cli.ctl))
        return;
    if (!cli_call(STEP_FOUND))
        return;
    ping_pong();

    cli_grant();
    cli_call(STEP_GRANTED);
    cli_check_mapped();
    cli_call(STEP_SEEN_MAPPED);
    cli_check_unmapped_and_revoke();
    cli_call(STEP_REVOKED);

    cli_hostile_evtchn();
    cli_hostile_misc();
    cli_hostile_memory();
    cli_hostile_mmu();
    cli_hostile_grant();
    cli_call(STEP_HOSTILE_DONE);
    cli_peer_wait_done();

    /* Our verdict must be out before we die, and dom0 must not power
     * the machine off before it is: report, then tell dom0. */
    if (cli.mbox)
        WRITE_ONCE(cli.mbox->client_last_words, LAST_WORDS);
    xtest_summary();
    evtchn_send(cli.ctl);
    crash();
}
