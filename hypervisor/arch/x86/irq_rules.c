/* SPDX-License-Identifier: MIT */
/* Pure rules of physical interrupt routing (see xeno/irq_rules.h for the
 * sources of each fact); unit-tested hosted in tests/unit/test_irq_rules.c. */
#include <xeno/errno.h>
#include <xeno/irq_rules.h>

/* MPS INTI flags (ACPI 5.2.12.5, table 5-50). */
#define INTI_POLARITY_MASK  0x3
#define INTI_POLARITY_HIGH  0x1
#define INTI_POLARITY_LOW   0x3
#define INTI_TRIGGER_MASK   0xc
#define INTI_TRIGGER_EDGE   0x4
#define INTI_TRIGGER_LEVEL  0xc

unsigned int isa_irq_to_gsi(const struct acpi_iso *isos, unsigned int n, unsigned int irq)
{
    for (unsigned int i = 0; i < n; i++)
        if (isos[i].bus_irq == irq)
            return isos[i].gsi;
    return irq;
}

void gsi_default_mode(const struct acpi_iso *isos, unsigned int n, unsigned int gsi,
                      bool *level, bool *active_low)
{
    for (unsigned int i = 0; i < n; i++) {
        if (isos[i].gsi != gsi)
            continue;
        /* Overrides are ISA (bus 0): "conforms to the bus" = edge, high;
         * the reserved encodings (2) are read the same way. */
        *level = (isos[i].flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL;
        *active_low = (isos[i].flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW;
        return;
    }
    /* ISA IRQs 0-15 are identity-mapped unless overridden (ACPI 5.2.12.5). */
    *level = *active_low = gsi >= NR_ISA_IRQS;
}

uint64_t ioapic_rte(uint8_t vector, bool level, bool active_low, bool masked, uint8_t dest)
{
    /* Delivery mode 000 (fixed) and destination mode 0 (physical). */
    return (uint64_t)vector | (active_low ? IOAPIC_RTE_POLARITY_LOW : 0) |
           (level ? IOAPIC_RTE_LEVEL : 0) | (masked ? IOAPIC_RTE_MASKED : 0) |
           ((uint64_t)dest << 56);
}

void msi_compose(uint8_t dest, uint8_t vector, uint32_t *addr_lo, uint32_t *addr_hi, uint16_t *data)
{
    /* Address: 0xfee in 31:20, destination ID 19:12, RH (3) = 0, DM (2) = 0
     * physical.  Data: vector 7:0, delivery mode 10:8 = fixed, level 14 =
     * assert, trigger 15 = edge. */
    *addr_lo = 0xfee00000u | ((uint32_t)dest << 12);
    *addr_hi = 0;
    *data = (uint16_t)(vector | (1u << 14));
}

void msi_cap_layout(uint16_t control, struct msi_cap_layout *l)
{
    /* 32-bit: address +4, data +8, mask +12; 64-bit: address +4/+8, data
     * +12, mask +16.  The mask bits exist only with per-vector masking. */
    l->is64 = control & PCI_MSI_FLAGS_64BIT;
    l->maskable = control & PCI_MSI_FLAGS_MASKBIT;
    l->addr_lo = 4;
    l->addr_hi = l->is64 ? 8 : 0;
    l->data = l->is64 ? 12 : 8;
    l->mask = l->maskable ? (l->is64 ? 16 : 12) : 0;
    unsigned int mmc = (control & PCI_MSI_FLAGS_QMASK) >> 1;
    l->max_vectors = 1u << (mmc > 5 ? 5 : mmc);        /* 6 and 7 are reserved */
}

int msix_entry_location(uint16_t control, uint32_t table_reg, unsigned int entry,
                        unsigned int *bir, uint64_t *offset)
{
    unsigned int size = (control & PCI_MSIX_FLAGS_QSIZE) + 1;
    if (entry >= size || (table_reg & 7) > 5)
        return -EINVAL;
    *bir = table_reg & 7;
    *offset = (uint64_t)(table_reg & ~7u) + (uint64_t)entry * PCI_MSIX_ENTRY_SIZE;
    return 0;
}

uint64_t pci_bar_address(const uint32_t *bars, unsigned int nbars, unsigned int bir)
{
    /* Bit 0: I/O space; bits 2:1 type (00 32-bit, 10 64-bit); 3 prefetchable. */
    if (bir >= nbars || (bars[bir] & 1))
        return 0;
    uint64_t addr = bars[bir] & ~0xfu;
    if (((bars[bir] >> 1) & 3) == 2) {
        if (bir + 1 >= nbars)
            return 0;
        addr |= (uint64_t)bars[bir + 1] << 32;
    }
    return addr;
}

int pirq_pick_free(const int16_t *used, unsigned int nr_pirqs, unsigned int nr_gsis, int type)
{
    if (nr_gsis > nr_pirqs)
        nr_gsis = nr_pirqs;
    if (type == PIRQ_TYPE_GSI)
        for (unsigned int p = NR_ISA_IRQS; p < nr_gsis; p++)
            if (!used[p])
                return (int)p;
    for (unsigned int p = nr_pirqs; p-- > nr_gsis;)
        if (!used[p])
            return (int)p;
    return -ENOSPC;
}

int vector_pick_free(uint64_t map[4], unsigned int first, unsigned int last)
{
    for (unsigned int v = first; v <= last && v < 256; v++)
        if (!(map[v / 64] & (1ULL << (v % 64)))) {
            map[v / 64] |= 1ULL << (v % 64);
            return (int)v;
        }
    return -ENOSPC;
}
