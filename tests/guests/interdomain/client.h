/* SPDX-License-Identifier: MIT */
/* The client (unprivileged domU) side's state, shared by its files. */
#ifndef INTERDOMAIN_CLIENT_H
#define INTERDOMAIN_CLIENT_H

#include "domu.h"

struct client {
    struct domu_ports d;
    evtchn_port_t ctl;                  /* C: our end of the control channel */
    evtchn_port_t srv_ctl;              /* P: dom0's end, found by the scan */
    bool link_ok;                       /* false after a timeout */

    struct mailbox *mbox;               /* granted to dom0 as MBOX_REF */
    uint8_t *data;                      /* DATA_REF */
    uint64_t *ro;                       /* RO_REF */
    bool granted;                       /* setup_table worked, refs filled */
    /* dom0's frames as it told us in the mailbox (0: not known). */
    xen_pfn_t victim_mfn, srv_l4_mfn;

    bool has_peer;                      /* d2 exists */
    evtchn_port_t peer_port;            /* Q: offered to the peer, echoing */
    evtchn_port_t peer_decoy;           /* offered to NO_SUCH_DOMID */
    struct peer_page *peer;             /* granted to the peer (PEER_REF) */
};

extern struct client cli;

/* Send request s on C and wait for dom0's reply. */
bool cli_call(enum step s);

/* client_peer.c: what d1 offers d2, and waiting for d2 to be done */
void cli_peer_offer(void);
void cli_peer_wait_done(void);
/* client_grant.c */
void cli_grant(void);
void cli_check_mapped(void);
void cli_check_unmapped_and_revoke(void);
/* client_hostile*.c: everything an unprivileged guest must be refused */
void cli_hostile_evtchn(void);
void cli_hostile_misc(void);
void cli_hostile_memory(void);
void cli_hostile_mmu(void);
void cli_hostile_grant(void);

#endif /* INTERDOMAIN_CLIENT_H */
