/* SPDX-License-Identifier: MIT */
/* Reading the firmware's ACPI tables: CPUs, I/O APICs and interrupt source
 * overrides from the MADT, power-off and reset
 * registers from the FADT and the DSDT's \_S5 object. */
#include <xeno/acpi.h>
#include <xeno/lib.h>
#include <xeno/mm.h>

struct acpi_info acpi;

struct sdt_header {
    char sig[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem_id[6], oem_table_id[8];
    uint32_t oem_rev, creator_id, creator_rev;
} __packed;

/* Only tables below 4 GiB are reachable before dom0 exists; that covers
 * every firmware we boot on (and the direct map covers them). */
static const void *phys(uint64_t pa, size_t len)
{
    if (!pa || pa + len > (4UL << 30) || pa + len < pa)
        return NULL;
    return __va(pa);
}

static const uint8_t *find_rsdp_in(uint64_t start, uint64_t len)
{
    for (uint64_t a = start; a + 20 <= start + len; a += 16) {
        const uint8_t *p = phys(a, 20);
        if (p && !memcmp(p, "RSD PTR ", 8) && acpi_checksum_ok(p, 20))
            return p;
    }
    return NULL;
}

static const struct sdt_header *table(uint64_t pa)
{
    const struct sdt_header *h = phys(pa, sizeof(*h));
    if (!h || h->length < sizeof(*h) || !phys(pa, h->length) || !acpi_checksum_ok(h, h->length))
        return NULL;
    return h;
}

static void parse_fadt(const struct sdt_header *f)
{
    const uint8_t *b = (const uint8_t *)f;
    uint32_t dsdt32 = 0, flags = 0;
    uint64_t dsdt = 0;

    if (f->length >= 72) {
        memcpy(&dsdt32, b + 40, 4);
        memcpy(&acpi.pm1a_cnt, b + 64, 4);
        memcpy(&acpi.pm1b_cnt, b + 68, 4);
        dsdt = dsdt32;
    }
    if (f->length >= 116)
        memcpy(&flags, b + 112, 4);
    /* Reset register (GAS at 116, value at 128), valid if flags bit 10 says so. */
    if (f->length >= 129 && (flags & (1u << 10))) {
        acpi.have_reset_reg = true;
        acpi.reset_space = b[116];
        memcpy(&acpi.reset_addr, b + 120, 8);
        acpi.reset_value = b[128];
    }
    if (f->length >= 148) {
        uint64_t x;
        memcpy(&x, b + 140, 8);
        if (x)
            dsdt = x;
    }
    const struct sdt_header *d = table(dsdt);
    if (d && !acpi_aml_find_s5((const uint8_t *)d + sizeof(*d), d->length - sizeof(*d),
                               &acpi.slp_typ_a, &acpi.slp_typ_b))
        acpi.have_s5 = true;
}

void acpi_init(const struct boot_info *bi)
{
    const uint8_t *rsdp = NULL;

    if (bi->have_rsdp && !memcmp(bi->rsdp, "RSD PTR ", 8))
        rsdp = bi->rsdp;
    if (!rsdp) {
        const uint16_t *ebda_seg = phys(0x40e, 2);
        if (ebda_seg && *ebda_seg)
            rsdp = find_rsdp_in((uint64_t)*ebda_seg << 4, 1024);
    }
    if (!rsdp)
        rsdp = find_rsdp_in(0xe0000, 0x20000);
    if (!rsdp) {
        printk(XENLOG_WARNING "ACPI: no RSDP found; one CPU, no ACPI power-off\n");
        return;
    }
    acpi.found = true;
    acpi.rsdp_revision = rsdp[15];
    uint32_t rsdt32;
    uint64_t xsdt = 0;
    memcpy(&rsdt32, rsdp + 16, 4);
    if (rsdp[15] >= 2)
        memcpy(&xsdt, rsdp + 24, 8);

    const struct sdt_header *root = xsdt ? table(xsdt) : NULL;
    unsigned int esize = 8;
    if (!root) {
        root = table(rsdt32);
        esize = 4;
    }
    if (!root) {
        printk(XENLOG_WARNING "ACPI: RSDT/XSDT unreadable or bad checksum\n");
        return;
    }
    unsigned int n = (root->length - sizeof(*root)) / esize;
    for (unsigned int i = 0; i < n; i++) {
        uint64_t pa = 0;
        memcpy(&pa, (const uint8_t *)root + sizeof(*root) + i * esize, esize);
        const struct sdt_header *t = table(pa);
        if (!t)
            continue;
        if (!memcmp(t->sig, "APIC", 4)) {
            acpi.nr_cpus = acpi_madt_cpus((const uint8_t *)t, t->length, acpi.cpu_apic_ids,
                                          ACPI_MAX_CPUS, &acpi.lapic_addr);
            /* I/O APICs and ISA overrides, for interrupt routing (io_apic.c). */
            acpi.nr_ioapics = acpi_madt_ioapics((const uint8_t *)t, t->length, acpi.ioapics,
                                                ACPI_MAX_IOAPICS);
            acpi.nr_isos = acpi_madt_isos((const uint8_t *)t, t->length, acpi.isos, ACPI_MAX_ISOS);
        }
        else if (!memcmp(t->sig, "FACP", 4))
            parse_fadt(t);
    }
    printk("ACPI: rev %u, %u CPU(s) in MADT, PM1a_CNT %#x, S5 %s, reset reg %s\n",
           acpi.rsdp_revision, acpi.nr_cpus, acpi.pm1a_cnt, acpi.have_s5 ? "yes" : "no",
           acpi.have_reset_reg ? "yes" : "no");
}
