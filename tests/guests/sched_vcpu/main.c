/* SPDX-License-Identifier: MIT */
/*
 * sched_vcpu: scheduler operations (yield, block, poll) and vCPU
 * operations (is_up, runstate, vcpu_info placement, bringing up a second
 * vCPU).  Needs dom0_max_vcpus=2.
 */
#include "sched_test.h"

const char xtest_name[] = "sched_vcpu";

void xtest_main(void)
{
    test_sched_ops();
    test_block_poll();
    test_vcpu_queries();
    test_runstate();
    test_vcpu_info();
    test_second_vcpu();
}
