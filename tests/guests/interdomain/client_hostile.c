/* SPDX-License-Identifier: MIT */
/*
 * The client attacks dom0 through event channels, sched_op, console,
 * version, platform and memory ops.  Expected errors are Xen 4.17's with
 * its default (dummy) XSM policy: XSM_TARGET/XSM_PRIV/XSM_DM_PRIV checks
 * fail with -EPERM for an unprivileged caller.  dom0 checks afterwards
 * that nothing of it changed (server_after.c).
 */
#include "client.h"
#include <xen/platform.h>

static long reservation_op(unsigned int cmd, domid_t dom, xen_pfn_t *extents)
{
    struct xen_memory_reservation r = {
        .nr_extents = 1, .extent_order = 0, .domid = dom,
    };

    xen_guest_handle_set(r.extent_start, extents);
    return HYPERVISOR_memory_op(cmd, &r);
}

void cli_hostile_evtchn(void)
{
    struct evtchn_alloc_unbound au = { .dom = 0, .remote_dom = DOMID_SELF };
    struct evtchn_reset reset = { .dom = 0 };
    struct evtchn_status st;
    evtchn_port_t theirs[] = { cli.srv_ctl, cli.d.srv_store, cli.d.srv_cons, 1000 };
    evtchn_port_t p;
    unsigned int i, named = 0;

    xtest_section("client: event channels of dom0");
    /* Xen evtchn_status: domain, then port range, then XSM_TARGET. */
    CHECK_EQ(evtchn_status(0, cli.srv_ctl, &st), -EPERM, "status of dom0's P -> -EPERM");
    CHECK_EQ(evtchn_status(0, cli.d.srv_store, &st), -EPERM,
             "status of dom0's end of our xenstore channel -> -EPERM");
    CHECK_EQ(evtchn_status(0, 100000, &st), -EINVAL,
             "status of dom0's port 100000 -> -EINVAL (range before permission)");
    CHECK_EQ(evtchn_status(NO_SUCH_DOMID, 1, &st), -ESRCH, "status in d%u -> -ESRCH",
             NO_SUCH_DOMID);
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), -EPERM,
             "alloc_unbound in dom0 (for dom0) -> -EPERM");
    au.remote_dom = cli.d.domid;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), -EPERM,
             "alloc_unbound in dom0 (for us) -> -EPERM");
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_reset, &reset), -EPERM,
             "EVTCHNOP_reset of dom0 -> -EPERM (XSM_TARGET)");
    CHECK_EQ(evtchn_bind_interdomain(0, cli.d.srv_store, &p), -EINVAL,
             "binding dom0's (bound) end of our xenstore channel -> -EINVAL");

    /* close/send/unmask name ports of the caller only: dom0's port numbers
     * mean nothing here unless we happen to own the same number. */
    for (i = 0; i < ARRAY_SIZE(theirs); i++) {
        if (evtchn_status(DOMID_SELF, theirs[i], &st) || st.status != EVTCHNSTAT_closed)
            continue;
        named++;
        CHECK_EQ(evtchn_close(theirs[i]), -EINVAL, "close(%u), dom0's, free here -> -EINVAL",
                 theirs[i]);
        CHECK_EQ(evtchn_send(theirs[i]), -EINVAL, "send(%u) -> -EINVAL", theirs[i]);
    }
    CHECK(named > 0, "%u of dom0's port numbers named (dom0 checks its ports later)", named);
}

void cli_hostile_misc(void)
{
    struct sched_remote_shutdown rs = { .domain_id = 0, .reason = SHUTDOWN_poweroff };
    struct xen_platform_op pf = {
        .cmd = XENPF_settime64, .interface_version = XENPF_INTERFACE_VERSION,
    };
    static char buf[1025];      /* one more than Xen may write: a NUL stays */
    long rc;

    xtest_section("client: sched_op, console, version, platform");
    /* Xen: XSM_DM_PRIV, which a guest has over nobody (not even itself). */
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -EPERM,
             "SCHEDOP_remote_shutdown(dom0, poweroff) -> -EPERM");
    rs.reason = SHUTDOWN_crash;
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -EPERM,
             "SCHEDOP_remote_shutdown(dom0, crash) -> -EPERM");
    rs.domain_id = cli.d.domid;
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -EPERM,
             "SCHEDOP_remote_shutdown(ourselves) -> -EPERM");

    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_read, 16, buf), -EPERM,
             "console_io(read): the console input is dom0's -> -EPERM");
    memset(buf, 'x', sizeof(buf) - 1);
    /* Xen 4.17 do_xen_version: a sub-op the XSM policy denies still
     * succeeds, with the placeholder "<denied>" (xen_deny()). */
    rc = HYPERVISOR_xen_version(XENVER_commandline, buf);
    CHECK(buf[0] == 'x' || strcmp(buf, "<denied>") == 0,
          "XENVER_commandline reveals nothing of the command line (\"%.16s\")", buf);
    CHECK_EQ(rc, 0, "XENVER_commandline -> 0, as Xen answers a denied query");
    if (rc == 0)
        CHECK(strcmp(buf, "<denied>") == 0, "with \"<denied>\"");
    CHECK_EQ(HC(__HYPERVISOR_platform_op, &pf, 0, 0, 0, 0), -EPERM,
             "platform_op(settime64) -> -EPERM");
}

void cli_hostile_memory(void)
{
    struct xen_memory_domain dom0 = { 0 }, none = { NO_SUCH_DOMID };
    struct xen_memory_map map;
    static uint8_t e820[8 * 20];        /* 8 e820 entries */
    xen_pfn_t ext[1];

    xtest_section("client: memory ops on dom0");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &dom0), -EPERM,
             "XENMEM_current_reservation(dom0) -> -EPERM (XSM_TARGET)");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_maximum_reservation, &dom0), -EPERM,
             "XENMEM_maximum_reservation(dom0) -> -EPERM");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &none), -ESRCH,
             "XENMEM_current_reservation(d%u) -> -ESRCH", NO_SUCH_DOMID);
    map.nr_entries = 8;
    xen_guest_handle_set(map.buffer, e820);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map), -EPERM,
             "XENMEM_machine_memory_map -> -EPERM");

    /* Xen 4.17: a refused reservation op reports 0 extents done. */
    ext[0] = cli.victim_mfn ? cli.victim_mfn : 1;
    CHECK_EQ(reservation_op(XENMEM_decrease_reservation, 0, ext), 0,
             "decrease_reservation(dom0, its MFN %#lx) -> 0 done", ext[0]);
    CHECK_EQ(reservation_op(XENMEM_decrease_reservation, DOMID_SELF, ext), 0,
             "decrease_reservation(ourselves, dom0's MFN) -> 0 done");
    ext[0] = 0;
    CHECK_EQ(reservation_op(XENMEM_increase_reservation, 0, ext), 0,
             "increase_reservation(dom0) -> 0 done");
    CHECK_EQ(ext[0], 0, "no MFN came back");
    ext[0] = 0x7ff00;
    CHECK_EQ(reservation_op(XENMEM_populate_physmap, 0, ext), 0,
             "populate_physmap(dom0, pfn %#lx) -> 0 done", ext[0]);
}
