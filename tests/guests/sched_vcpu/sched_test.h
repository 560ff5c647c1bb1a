/* SPDX-License-Identifier: MIT */
#ifndef SCHED_TEST_H
#define SCHED_TEST_H

#include "xtest.h"
#include "evtchn.h"
#include "mm.h"
#include "smp.h"
#include "time.h"

void test_sched_ops(void);
void test_block_poll(void);
void test_vcpu_queries(void);
void test_runstate(void);
void test_vcpu_info(void);
void test_second_vcpu(void);

#endif
