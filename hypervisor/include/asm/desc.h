/* SPDX-License-Identifier: MIT */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <asm/percpu.h>

/* Vectors the hypervisor uses for its own interrupts. */
#define VECTOR_TIMER     0xf0
#define VECTOR_IPI_CALL  0xf1
#define VECTOR_IPI_STOP  0xf2
#define VECTOR_IPI_EVENT 0xf3      /* "look at your softirqs/events" */
#define VECTOR_SPURIOUS  0xff

/* Device interrupts (I/O APIC pins, MSI/MSI-X) routed to the hardware
 * domain get vectors from this range (arch/x86/irq.c); below it are the
 * exceptions and the 8259's parked vectors (0x20-0x2f), above it the
 * hypervisor's own (timer, IPIs), which so keep the higher priority. */
#define FIRST_DEVICE_VECTOR 0x30
#define LAST_DEVICE_VECTOR  0xef

#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3
#define NR_IST_STACKS 3

/* Build this CPU's GDT/TSS and load GDT, TSS and the shared IDT.
 * gdt_page: a zeroed page for the reserved descriptors; ist: NR_IST_STACKS pages. */
void cpu_load_descriptors(struct percpu *pc, uint64_t *gdt_page, void *ist);
/* Fill the shared IDT (once, on the BSP). */
void idt_init(void);

/* System descriptor types (SDM vol. 3, table 3-2, IA-32e mode). */
#define SYS_DESC_LDT        2
#define SYS_DESC_TSS_AVAIL  9

/* Load GDTR with this base and Xen's fixed limit (pages 0..14). */
void cpu_load_gdtr(unsigned long base);
/* Point LDTR at `ents` descriptors at hypervisor VA `base` through the
 * reserved LDT_SELECTOR slot of this CPU; ents 0 loads a null LDTR. */
void cpu_load_ldt(unsigned long base, unsigned int ents);

#endif
