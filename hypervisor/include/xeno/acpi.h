/* SPDX-License-Identifier: MIT */
#ifndef XENO_ACPI_H
#define XENO_ACPI_H

#include <xeno/bootinfo.h>
#include <xeno/types.h>

#define ACPI_MAX_CPUS 64

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

#endif
