/* SPDX-License-Identifier: MIT */
/*
 * interdomain: one kernel booted as dom0 (the "server") and as boot-time
 * domUs (Xeno's domU= option; see the file `domains` here, read by
 * tests/pv/run.sh): d1 (the "client") and, optionally, d2 (the "peer").
 * They learn about each other only through hypervisor mechanisms:
 *
 *  1. The builder offers the client's xenstore and console ports to dom0
 *     (unbound, remote dom 0), as Xen's toolstack does.  dom0 finds them
 *     with EVTCHNOP_status on domain 1 (it is privileged), allocates the
 *     control port P for the client (plus decoys the client must not be
 *     able to bind), then binds both offered ports and sends on them.
 *  2. The client, woken on its own store/console ports, finds P by
 *     trying bind_interdomain(dom 0, p) for every small p: Xen refuses
 *     every port not offered to the caller with -EINVAL, so exactly one
 *     succeeds.
 *  3. From then on the client drives a strict request/reply exchange on
 *     that channel (client sends, dom0 acts and replies).  Replies are
 *     never coalesced because nobody sends twice without an answer.
 *     Data travel in a page the client grants to dom0 (the mailbox).
 *
 * The fixed script of requests is enum step; both sides walk it in order
 * even after a failure, so one broken step does not desynchronise the
 * rest (a timeout does: after one, a side stops waiting).
 *
 * A second domU (d2, the "peer") exercises two unprivileged domains:
 *  4. Once dom0 has connected it (by then every domU exists), the client
 *     offers port Q to d2 (and a decoy to no one) and grants d2 a page
 *     (PEER_REF); its upcall handler echoes every event on Q,
 *     independently of its script with dom0.
 *  5. d2, once dom0 has connected its offered ports, finds Q like the
 *     client found P, pings, maps the peer page, attacks d1 (and dom0's
 *     grant meant for d1), writes PEER_DONE in the page and tells d1.
 *     The client waits for that before it crashes.  d2 reports, tells
 *     dom0 on its own xenstore port and stays blocked, so that the only
 *     domain to go down is the client.
 *  dom0 waits for d2's word before it powers off.
 */
#ifndef INTERDOMAIN_H
#define INTERDOMAIN_H

#include "xtest.h"
#include "evtchn.h"
#include "gnttab.h"
#include "mm.h"
#include "time.h"

#define CLIENT_DOMID     1      /* the first boot-time domU */
#define PEER_DOMID       2      /* the second one, if booted */
#define NO_SUCH_DOMID    9      /* never created by the runner */
#define SCAN_PORTS       64     /* ports 0..63 of dom0 are tried */
#define PING_ROUNDS      20
#define RENDEZVOUS_MS    20000  /* for the other side to boot and show up */
#define STEP_MS          10000  /* per request/reply */

/* Client grant refs (0..7 are reserved by convention). */
#define MBOX_REF         8      /* mailbox, RW to dom0, mapped to the end */
#define DATA_REF         9      /* RW to dom0: map, unmap, copy, revoke */
#define RO_REF           10     /* read-only to dom0 */
#define PEER_REF         11     /* RW to the peer (d2) */
/* dom0's grant refs, which the client probes. */
#define SRV_SELF_REF     8      /* dom0 to itself: not for the client */
#define SRV_RO_REF       9      /* read-only to the client */
#define SRV_OTHER_REF    10     /* to NO_SUCH_DOMID */

#define CLIENT_MAGIC     0x746e65696c63756eUL   /* "nuclient" */
#define SERVER_MAGIC     0x726576726573306dUL   /* "m0server" */
#define VICTIM_PATTERN   0x5a5aa5a5deadbeefUL   /* dom0's page the client attacks */
#define SRV_RO_PATTERN   0x0123456789abcdefUL   /* dom0's read-only grant */
#define LAST_WORDS       0x646e65206568742eUL   /* ".the end" */
#define PEER_MAGIC       0x2172656570316421UL   /* "!d1peer!" */
#define PEER_DONE        0x656e6f6432642021UL   /* "! d2done" */
#define PEER_PINGS       10

/* Offsets in the DATA page used by GNTTABOP_copy. */
#define COPY_SRC_OFF     512    /* dom0 copies 256 bytes out from here */
#define COPY_SRC_LEN     256
#define COPY_DST_OFF     2048   /* dom0 copies 128 bytes in to here */
#define COPY_DST_LEN     128

/* Byte i of the client's DATA page / of what dom0 copies in. */
static inline uint8_t data_byte(unsigned int i) { return (uint8_t)(i * 7 + 3); }
static inline uint8_t copy_byte(unsigned int i) { return (uint8_t)(0xa0 ^ i); }

/* The mailbox: the client's page, granted RW to dom0 (MBOX_REF). */
struct mailbox {
    /* Written by the client before granting. */
    uint64_t client_magic;
    uint64_t client_domid;
    uint64_t client_nr_pages;
    uint64_t client_mbox_mfn;       /* the MFN of this very page */
    uint64_t client_data_mfn;
    /* Written by dom0 through its grant mapping. */
    uint64_t server_magic;
    uint64_t server_victim_mfn;     /* holds VICTIM_PATTERN */
    uint64_t server_l4_mfn;         /* dom0's top-level page table */
    /* The client's last store before it crashes on purpose. */
    uint64_t client_last_words;
};

/* The client's page granted to the peer (PEER_REF). */
struct peer_page {
    uint64_t magic;                 /* PEER_MAGIC, by the client */
    uint64_t client_l4_mfn;         /* the client's L4, to attack */
    uint64_t done;                  /* PEER_DONE, by the peer at its end */
};

/* The client's requests, in order; dom0 answers each one. */
enum step {
    STEP_FOUND,             /* client bound P; dom0 checks both ends */
    STEP_PING,              /* PING_ROUNDS times: plain ping-pong */
    STEP_GRANTED,           /* mailbox, data, ro pages granted: dom0 maps */
    STEP_SEEN_MAPPED,       /* client saw GTF_reading/writing: dom0 unmaps, copies */
    STEP_REVOKED,           /* client revoked DATA_REF: dom0 may not map it */
    STEP_HOSTILE_DONE,      /* client attacked dom0: dom0 checks its state */
    STEP_LAST,              /* client is about to crash; no reply */
};

/* ---- shared helpers (main.c) ---- */
extern evtchn_port_t timer_port;
/* Bind VIRQ_TIMER (single-shot wake-ups for bounded waits) and enable events. */
void events_setup(void);
/* Block until evtchn_fired[port] != old or ms pass; true if it fired. */
bool wait_fired_ms(evtchn_port_t port, uint32_t old, unsigned int ms);
/* Block until cond(arg) holds or ms pass. */
bool wait_until_ms(bool (*cond)(void *), void *arg, unsigned int ms);
/* A page-aligned VA whose L1 entry exists and is empty (a mapping slot). */
unsigned long empty_slot(void);
/* The MFN a present L1 entry maps, or 0. */
xen_pfn_t slot_mfn(unsigned long va);
/* EVTCHNOP_status of (dom, port) succeeds and shows state with this peer
 * (unbound: remote dom; interdomain: dom and port; virq: the VIRQ in peer). */
bool port_status_is(domid_t dom, evtchn_port_t port, uint32_t state, domid_t peer,
                    evtchn_port_t peer_port);
/* Our own domain id: the remote end Xen records for alloc_unbound(SELF). */
domid_t my_domid(void);

/* ---- the two roles ---- */
void server_main(void);         /* server*.c */
void client_main(void);         /* client*.c */
void peer_main(void);           /* peer*.c */

#endif /* INTERDOMAIN_H */
