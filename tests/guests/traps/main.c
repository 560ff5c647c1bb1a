/* SPDX-License-Identifier: MIT */
/*
 * traps: exception delivery to a ring-3 PV kernel, software interrupts,
 * emulated instructions, the iret hypercall, user mode and the failsafe
 * callback.
 */
#include "traps_test.h"

const char xtest_name[] = "traps";

void xtest_main(void)
{
    test_exceptions();
    test_softint();
    test_emulation();
    test_iret();
    test_user();
    test_failsafe();
}
