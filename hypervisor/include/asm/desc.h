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

#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3
#define NR_IST_STACKS 3

/* Build this CPU's GDT/TSS and load GDT, TSS and the shared IDT.
 * gdt_page: a zeroed page for the reserved descriptors; ist: NR_IST_STACKS pages. */
void cpu_load_descriptors(struct percpu *pc, uint64_t *gdt_page, void *ist);
/* Fill the shared IDT (once, on the BSP). */
void idt_init(void);

#endif
