/* SPDX-License-Identifier: MIT */
#ifndef EVTCHN_TEST_H
#define EVTCHN_TEST_H

#include "xtest.h"
#include "evtchn.h"
#include "time.h"

void test_loopback(void);
void test_masking(void);
void test_ipi(void);
void test_timers(void);
void test_hostile(void);

/* Wait (blocking) until evtchn_fired[port] moves past 'old' or ms pass. */
bool wait_fired(evtchn_port_t port, uint32_t old, unsigned int ms);

#endif
