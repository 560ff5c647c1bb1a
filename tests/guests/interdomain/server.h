/* SPDX-License-Identifier: MIT */
/* The server (dom0) side's state, shared by its files. */
#ifndef INTERDOMAIN_SERVER_H
#define INTERDOMAIN_SERVER_H

#include "interdomain.h"

/* A domU's xenstore and console ports, offered to dom0, and our ends. */
struct offered {
    domid_t dom;
    unsigned int n;                 /* how many were found (want 2) */
    evtchn_port_t remote[2];
    evtchn_port_t local[2];
    uint32_t fired0[2];             /* evtchn_fired[local] once connected */
};

struct server {
    evtchn_port_t ctl;              /* P: the control channel's dom0 end */
    evtchn_port_t client_ctl;       /* its client end, learnt at STEP_FOUND */
    evtchn_port_t decoy_self;       /* unbound, offered to dom0 itself */
    evtchn_port_t decoy_other;      /* unbound, offered to NO_SUCH_DOMID */
    evtchn_port_t dom_exc;          /* VIRQ_DOM_EXC */
    uint32_t dom_exc_before_last;   /* its upcall count before the client may crash */
    struct offered cl;              /* the client's offered ports */
    struct offered pr;              /* the peer's, if there is a peer */
    bool has_peer;
    bool link_ok;                   /* false after a timeout: stop waiting */
    uint32_t ctl_seen;              /* evtchn_fired[ctl] already consumed */

    uint64_t *victim;               /* VICTIM_PATTERN, offered to attacks */
    xen_pfn_t victim_m2p;           /* its M2P entry before the attacks */
    uint64_t *srv_ro;               /* SRV_RO_REF's page */
    uint64_t *l4_copy;              /* our L4 before the attacks */
    long tot_pages;                 /* ours before the attacks */

    struct mailbox *mbox;           /* the client's page, mapped (or NULL) */
    grant_handle_t mbox_handle;
    long client_nr_pages;           /* as the client wrote it in the mailbox */
};

extern struct server srv;

/* Wait for the client's next request; false (and one failure) on timeout. */
bool srv_recv(enum step s, unsigned int ms);
void srv_reply(enum step s);

/* server_grant.c: STEP_GRANTED, STEP_SEEN_MAPPED, STEP_REVOKED */
void srv_grant_setup(void);
void srv_on_granted(void);
void srv_on_seen_mapped(void);
void srv_on_revoked(void);
/* server_after.c: state after the attacks, and after the client's crash */
void srv_snapshot(void);
void srv_on_hostile_done(void);
void srv_on_last(void);
void srv_wait_peer(void);

#endif /* INTERDOMAIN_SERVER_H */
