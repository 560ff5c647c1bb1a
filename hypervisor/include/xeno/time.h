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
#define HZ 100

#endif
