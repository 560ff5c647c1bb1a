/* SPDX-License-Identifier: MIT */
/*
 * interdomain: role dispatch and the helpers all roles use.  The role is
 * what the hypervisor made of us: the initial domain is the server, d1
 * the client, any later domU the peer (see interdomain.h).
 */
#include "interdomain.h"

const char xtest_name[] = "interdomain";

evtchn_port_t timer_port;

void events_setup(void)
{
    /* Xen starts a PV vCPU with a 10 ms periodic timer; only single-shot
     * wake-ups are wanted here, so the idle side really sleeps. */
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    if (evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port))
        xtest_abort("bind_virq(VIRQ_TIMER) failed");
    events_enable();
}

/*
 * Block (SCHEDOP_block re-enables events atomically, so an event arriving
 * between the check and the block is not lost) with a single-shot timer
 * at most 100 ms ahead, until cond holds or the deadline passes.  Blocking
 * rather than spinning is the point: a send from the other domain has to
 * wake a descheduled vCPU.
 */
bool wait_until_ms(bool (*cond)(void *), void *arg, unsigned int ms)
{
    uint64_t deadline = xtest_now() + MILLISECS(ms);

    for (;;) {
        uint64_t now, wake;

        events_disable();
        if (cond(arg)) {
            events_enable();
            return true;
        }
        now = xtest_now();
        if (now >= deadline) {
            events_enable();
            return false;
        }
        wake = now + MILLISECS(100);
        HYPERVISOR_set_timer_op(wake < deadline ? wake : deadline);
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    }
}

struct fired_arg {
    evtchn_port_t port;
    uint32_t old;
};

static bool fired_moved(void *p)
{
    struct fired_arg *a = p;

    return evtchn_fired[a->port] != a->old;
}

bool wait_fired_ms(evtchn_port_t port, uint32_t old, unsigned int ms)
{
    struct fired_arg a = { port, old };

    if (port >= XTEST_NR_PORTS)
        return false;
    return wait_until_ms(fired_moved, &a, ms);
}

unsigned long empty_slot(void)
{
    unsigned long va = (unsigned long)alloc_page();

    if (set_pte_va(va, 0, UVMF_INVLPG))
        xtest_abort("cannot empty the PTE of %#lx", va);
    return va;
}

xen_pfn_t slot_mfn(unsigned long va)
{
    uint64_t pte = pte_get(va);

    return (pte & _PAGE_PRESENT) ? (pte & PTE_MFN_MASK) >> PAGE_SHIFT : 0;
}

bool port_status_is(domid_t dom, evtchn_port_t port, uint32_t state, domid_t peer,
                    evtchn_port_t peer_port)
{
    struct evtchn_status st;

    if (evtchn_status(dom, port, &st) || st.status != state)
        return false;
    if (state == EVTCHNSTAT_unbound)
        return st.u.unbound.dom == peer;
    if (state == EVTCHNSTAT_interdomain)
        return st.u.interdomain.dom == peer && st.u.interdomain.port == peer_port;
    if (state == EVTCHNSTAT_virq)
        return st.u.virq == peer;
    return true;
}

domid_t my_domid(void)
{
    struct evtchn_status st;
    evtchn_port_t p = 0;
    domid_t id = DOMID_INVALID;

    if (evtchn_alloc_unbound(DOMID_SELF, &p) == 0 &&
        evtchn_status(DOMID_SELF, p, &st) == 0 && st.status == EVTCHNSTAT_unbound)
        id = st.u.unbound.dom;
    if (p)
        evtchn_close(p);
    return id;
}

void xtest_main(void)
{
    uint32_t flags = xtest_start_info->flags;

    domid_t id;

    events_setup();
    if (flags & SIF_INITDOMAIN) {
        printf("start_info.flags %#x: initial domain -> server\n", flags);
        server_main();
        return;
    }
    id = my_domid();
    printf("start_info.flags %#x, domid %u -> %s\n", flags, id,
           id == CLIENT_DOMID ? "client" : "peer");
    if (id == CLIENT_DOMID)
        client_main();
    else
        peer_main();
}
