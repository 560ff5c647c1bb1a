/* SPDX-License-Identifier: MIT */
#ifndef XENO_IRQ_RULES_H
#define XENO_IRQ_RULES_H

/*
 * The pure rules of physical interrupt routing (arch/x86/irq_rules.c): no
 * hardware access, no locks, so they are unit-tested hosted.  Facts come
 * from the ACPI spec (MADT), the 82093AA I/O APIC datasheet, the SDM
 * (vol. 3, 10.11 MSI), the PCI Local Bus spec (MSI/MSI-X capabilities)
 * and Xen's pirq allocation (xen/arch/x86/irq.c get_free_pirq).
 */
#include <xeno/acpi.h>
#include <xeno/types.h>

#define NR_ISA_IRQS 16

/* ISA IRQ -> GSI: identity unless the MADT overrides that bus IRQ. */
unsigned int isa_irq_to_gsi(const struct acpi_iso *isos, unsigned int n, unsigned int irq);

/*
 * Trigger mode and polarity of a GSI before dom0 says otherwise
 * (PHYSDEVOP_setup_gsi): an override naming the GSI wins (its "bus
 * default" fields meaning ISA: edge, active high); other GSIs below 16 are
 * identity-mapped ISA IRQs (edge, high); the rest are PCI (level, low).
 */
void gsi_default_mode(const struct acpi_iso *isos, unsigned int n, unsigned int gsi,
                      bool *level, bool *active_low);

/* I/O APIC redirection entry (82093AA 3.2.4): fixed delivery, physical
 * destination mode, 8-bit destination APIC ID in bits 63:56. */
#define IOAPIC_RTE_POLARITY_LOW (1ULL << 13)
#define IOAPIC_RTE_REMOTE_IRR   (1ULL << 14)
#define IOAPIC_RTE_LEVEL        (1ULL << 15)
#define IOAPIC_RTE_MASKED       (1ULL << 16)
uint64_t ioapic_rte(uint8_t vector, bool level, bool active_low, bool masked, uint8_t dest);

/* MSI message for a fixed, edge-triggered, physically addressed interrupt
 * (SDM 10.11.1/10.11.2): address 0xfee00000 | dest << 12, data = vector
 * with the level-assert bit set (as Xen writes it). */
void msi_compose(uint8_t dest, uint8_t vector, uint32_t *addr_lo, uint32_t *addr_hi, uint16_t *data);

/* MSI capability (PCI 3.0 6.8.1): message control at +2. */
#define PCI_MSI_FLAGS_ENABLE    0x0001
#define PCI_MSI_FLAGS_QMASK     0x000e      /* multiple message capable */
#define PCI_MSI_FLAGS_QSIZE     0x0070      /* multiple message enable */
#define PCI_MSI_FLAGS_64BIT     0x0080
#define PCI_MSI_FLAGS_MASKBIT   0x0100
struct msi_cap_layout {
    uint8_t addr_lo, addr_hi, data, mask;   /* offsets from the capability; 0 = absent */
    bool is64, maskable;
    unsigned int max_vectors;
};
void msi_cap_layout(uint16_t control, struct msi_cap_layout *l);

/* MSI-X capability (PCI 3.0 6.8.2): control at +2, table offset/BIR at +4,
 * PBA offset/BIR at +8; 16-byte table entries. */
#define PCI_MSIX_FLAGS_QSIZE    0x07ff
#define PCI_MSIX_FLAGS_MASKALL  0x4000
#define PCI_MSIX_FLAGS_ENABLE   0x8000
#define PCI_MSIX_ENTRY_SIZE     16
#define PCI_MSIX_ENTRY_ADDR_LO  0
#define PCI_MSIX_ENTRY_ADDR_HI  4
#define PCI_MSIX_ENTRY_DATA     8
#define PCI_MSIX_ENTRY_CTRL     12
#define PCI_MSIX_ENTRY_CTRL_MASKBIT 1
/* Where table entry `entry` lives: BAR index and offset into that BAR;
 * -EINVAL if the entry is beyond the table or the BIR is not a BAR. */
int msix_entry_location(uint16_t control, uint32_t table_reg, unsigned int entry,
                        unsigned int *bir, uint64_t *offset);

/* Memory address of BAR `bir` from the header's nbars raw BAR dwords (6 in
 * a type-0 header, 2 in a bridge's); 0 for an I/O BAR, an unprogrammed one,
 * or a 64-bit BAR cut by the end. */
uint64_t pci_bar_address(const uint32_t *bars, unsigned int nbars, unsigned int bir);

/*
 * Xen's get_free_pirq: GSI-type requests take the lowest free pirq in
 * [16, nr_gsis), then (as MSI-type requests do from the start) the highest
 * free one in [nr_gsis, nr_pirqs).  used[p] != 0 means taken.  Returns the
 * pirq or -ENOSPC.
 */
#define PIRQ_TYPE_GSI 1
#define PIRQ_TYPE_MSI 0
int pirq_pick_free(const int16_t *used, unsigned int nr_pirqs, unsigned int nr_gsis, int type);

/* Lowest free vector in [first, last] of a 256-bit map, marked used; -ENOSPC. */
int vector_pick_free(uint64_t map[4], unsigned int first, unsigned int last);

#endif
