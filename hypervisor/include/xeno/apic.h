/* SPDX-License-Identifier: MIT */
#ifndef XENO_APIC_H
#define XENO_APIC_H

#include <xeno/types.h>

/* Enable this CPU's local APIC (xAPIC, MMIO through the direct map). */
void apic_init_cpu(void);
uint32_t apic_id(void);
void apic_eoi(void);
/* Send an IPI: a fixed vector to one APIC ID, or INIT/SIPI for CPU start-up. */
void apic_send_ipi(uint32_t dest_apic_id, uint8_t vector);
void apic_send_init(uint32_t dest_apic_id);
void apic_send_sipi(uint32_t dest_apic_id, uint8_t page);
/* Local APIC timer: periodic at the given count with divide-by-16. */
void apic_timer_periodic(uint8_t vector, uint32_t count);
void apic_timer_oneshot_count(uint32_t count);
uint32_t apic_timer_current(void);
void apic_timer_stop(void);

#endif
