/* SPDX-License-Identifier: MIT */
#ifndef XENO_TIME_H
#define XENO_TIME_H

#include <xeno/types.h>

typedef int64_t s_time_t;       /* nanoseconds since boot (Xen's system time) */

/* Calibrate the TSC against the PIT; must run before any delay or NOW(). */
void tsc_calibrate(void);
uint64_t cpu_khz(void);
s_time_t NOW(void);
void udelay(unsigned long us);
void mdelay(unsigned long ms);
/* Start the local APIC timer on this CPU (periodic tick at HZ). */
void timer_init_cpu(void);
void timer_interrupt(void);
#define HZ 1000
/* NOW() together with the TSC value it was computed from and the scale a
 * guest uses to extrapolate: ns = ((tsc_delta << shift) * mul) >> 32
 * (shift < 0 shifts right), the pvclock formula of vcpu_time_info. */
s_time_t time_snapshot(uint64_t *tsc, uint32_t *mul, int8_t *shift);
/* Wall-clock time at system time 0 (from the CMOS RTC at boot). */
void wallclock_at_boot(uint64_t *sec, uint64_t *nsec);
void rtc_read_boot_time(void);

#endif
