/* SPDX-License-Identifier: MIT */
#ifndef XENO_ACPI_H
#define XENO_ACPI_H

#include <xeno/bootinfo.h>
#include <xeno/types.h>

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8      /* interrupt routing (arch/x86/io_apic.c) */
#define ACPI_MAX_ISOS 16

/* MADT I/O APIC entry (type 1): where it is and its first GSI. */
struct acpi_ioapic {
    uint8_t id;
    uint32_t addr;
    uint32_t gsi_base;
};

/* MADT interrupt source override (type 2): ISA IRQ bus_irq is GSI gsi with
 * MPS INTI flags (bits 1:0 polarity, 3:2 trigger; 0 = bus default). */
struct acpi_iso {
    uint8_t bus_irq;
    uint32_t gsi;
    uint16_t flags;
};

/* What the hypervisor takes from the firmware's ACPI tables. */
struct acpi_info {
    bool found;
    uint8_t rsdp_revision;
    unsigned int nr_cpus;               /* enabled local APICs from the MADT */
    uint32_t cpu_apic_ids[ACPI_MAX_CPUS];
    uint64_t lapic_addr;
    uint32_t pm1a_cnt, pm1b_cnt;        /* I/O ports, 0 if absent */
    bool have_s5;
    uint8_t slp_typ_a, slp_typ_b;       /* \_S5 sleep types for poweroff */
    bool have_reset_reg;
    uint8_t reset_space;                /* GAS address space: 0 memory, 1 I/O */
    uint64_t reset_addr;
    uint8_t reset_value;
    uint64_t rsdp_pa;
    /* Interrupt routing, from the MADT (arch/x86/io_apic.c). */
    unsigned int nr_ioapics;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    unsigned int nr_isos;
    struct acpi_iso isos[ACPI_MAX_ISOS];
};

extern struct acpi_info acpi;

/* Locate and read the tables (RSDP from the boot loader, else the BIOS areas). */
void acpi_init(const struct boot_info *bi);

/* Pure helpers, also unit-tested hosted. */
bool acpi_checksum_ok(const void *p, size_t len);
/* Find \_S5's first two package elements in AML bytecode; 0 or -ENOENT/-EINVAL. */
int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *typ_a, uint8_t *typ_b);
/* Collect enabled processor local APIC IDs from a MADT body; returns count. */
unsigned int acpi_madt_cpus(const uint8_t *madt, size_t len, uint32_t *ids, unsigned int max, uint64_t *lapic_addr);
/* I/O APIC and interrupt source override entries of a MADT; return how many
 * were stored (at most max). */
unsigned int acpi_madt_ioapics(const uint8_t *madt, size_t len, struct acpi_ioapic *out, unsigned int max);
unsigned int acpi_madt_isos(const uint8_t *madt, size_t len, struct acpi_iso *out, unsigned int max);

#endif
