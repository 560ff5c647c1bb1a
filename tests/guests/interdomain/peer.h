/* SPDX-License-Identifier: MIT */
/* The peer (d2) side's state, shared by its files. */
#ifndef INTERDOMAIN_PEER_H
#define INTERDOMAIN_PEER_H

#include "domu.h"

struct peer {
    struct domu_ports d;
    evtchn_port_t q;                /* the client's port offered to us */
    evtchn_port_t local;            /* our end */
    struct peer_page *page;         /* the client's page, mapped (or NULL) */
    grant_handle_t handle;
};

extern struct peer pr;

/* peer_hostile.c: what a domU must not do to another domU */
void peer_hostile(void);

#endif /* INTERDOMAIN_PEER_H */
