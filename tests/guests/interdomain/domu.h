/* SPDX-License-Identifier: MIT */
/* What the two unprivileged roles (client and peer) do alike. */
#ifndef INTERDOMAIN_DOMU_H
#define INTERDOMAIN_DOMU_H

#include "interdomain.h"

struct domu_ports {
    domid_t domid;
    evtchn_port_t store, cons;          /* from start_info */
    evtchn_port_t srv_store, srv_cons;  /* dom0's ends of them */
};

/* Check start_info as an unprivileged domain with id want; fill d. */
void domu_start_of_day(struct domu_ports *d, domid_t want);
/* Wait for dom0 to connect and raise our xenstore and console ports. */
bool domu_rendezvous(struct domu_ports *d);
/*
 * Find the one port of domain remote offered to us by binding each of its
 * ports 0..SCAN_PORTS-1 (all others must fail with -EINVAL), trying again
 * for up to ms while none binds.  Reports the outcome; true if exactly
 * one bound: its number in *rport, our new end in *lport.
 */
bool scan_offered(domid_t remote, unsigned int ms, evtchn_port_t *rport,
                  evtchn_port_t *lport);

/* attack.c: try to map (RO and RW), reference and pin another domain's
 * frame, owned by owner; every attempt must be refused. */
void attack_frame(xen_pfn_t mfn, domid_t owner, const char *what);
/* Try to write, pin and load another domain's L4. */
void attack_l4(xen_pfn_t l4_mfn, const char *what);

#endif /* INTERDOMAIN_DOMU_H */
