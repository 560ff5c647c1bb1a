/* SPDX-License-Identifier: MIT */
#ifndef XENO_SMP_H
#define XENO_SMP_H

#include <xeno/types.h>

/* Start every CPU the firmware lists (up to maxcpus=); returns how many run. */
unsigned int smp_boot_cpus(void);
/* Stop all other CPUs (panic, shutdown): they halt with interrupts off. */
void smp_send_stop(void);
/* Run fn(arg) on cpu via IPI and wait for it to finish; 0 or -ENXIO/-ETIMEDOUT. */
int smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg);
void smp_ipi_interrupt(void);

#endif
