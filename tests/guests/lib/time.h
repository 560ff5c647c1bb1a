/* SPDX-License-Identifier: MIT */
/*
 * Guest view of system time (ns since boot) from vcpu_info.time, the
 * pvclock record the hypervisor keeps per vCPU.
 */
#ifndef XTEST_TIME_H
#define XTEST_TIME_H

#include "xtest.h"

/* System time now, as seen by this vCPU. */
uint64_t xtest_now(void);
/* Same, from an explicit record (another vCPU's, a registered copy). */
uint64_t pvclock_read(const volatile struct vcpu_time_info *t);
/* Spin (without blocking) for at least ns nanoseconds of system time. */
void xtest_udelay_ns(uint64_t ns);

#define MILLISECS(ms) ((uint64_t)(ms) * 1000000ULL)

#endif /* XTEST_TIME_H */
