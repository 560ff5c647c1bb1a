// UNIT-SOURCES: hypervisor/common/acpi_tables.c
/* ACPI table parsing: checksums, \_S5 in AML, MADT processor entries. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xeno/acpi.h>
#include <xeno/errno.h>
#include "unit.h"

static void test_checksum(void)
{
    uint8_t t[20] = { 1, 2, 3 };
    t[19] = (uint8_t)(0 - (1 + 2 + 3));
    CU_ASSERT_TRUE(acpi_checksum_ok(t, sizeof(t)));
    t[5] = 1;
    CU_ASSERT_FALSE(acpi_checksum_ok(t, sizeof(t)));
}

static void test_s5_forms(void)
{
    uint8_t a, b;
    /* Name(_S5_, Package(4){0x05, 0x05, 0, 0}) with BytePrefix */
    const uint8_t aml1[] = { 0x10, 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };
    CU_ASSERT_EQUAL(acpi_aml_find_s5(aml1, sizeof(aml1), &a, &b), 0);
    CU_ASSERT_EQUAL(a, 5);
    CU_ASSERT_EQUAL(b, 5);
    /* \_S5_ with ZeroOp elements (QEMU's PIIX form) */
    const uint8_t aml2[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
    CU_ASSERT_EQUAL(acpi_aml_find_s5(aml2, sizeof(aml2), &a, &b), 0);
    CU_ASSERT_EQUAL(a, 0);
    CU_ASSERT_EQUAL(b, 0);
    /* OneOp and a single element: b falls back to a */
    const uint8_t aml3[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x01 };
    CU_ASSERT_EQUAL(acpi_aml_find_s5(aml3, sizeof(aml3), &a, &b), 0);
    CU_ASSERT_EQUAL(a, 1);
    CU_ASSERT_EQUAL(b, 1);
}

static void test_s5_hostile(void)
{
    uint8_t a = 9, b = 9;
    const uint8_t none[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x03, 0x01, 0x01 };
    CU_ASSERT_EQUAL(acpi_aml_find_s5(none, sizeof(none), &a, &b), -ENOENT);
    /* A string mention that is not a Name() is skipped. */
    const uint8_t notname[] = { 'x', '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x01 };
    CU_ASSERT_EQUAL(acpi_aml_find_s5(notname, sizeof(notname), &a, &b), -ENOENT);
    /* Truncated at every length: never reads past the end (ASan checks). */
    const uint8_t full[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x04, 0x0a, 0x05, 0x0a, 0x05 };
    for (size_t n = 0; n < sizeof(full); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, full, n);
        int rc = acpi_aml_find_s5(copy, n, &a, &b);
        CU_ASSERT(rc == -ENOENT || rc == -EINVAL || rc == 0);
        free(copy);
    }
    CU_ASSERT_EQUAL(acpi_aml_find_s5(NULL, 0, &a, &b), -ENOENT);
}

static size_t madt_put(uint8_t *m, size_t off, const uint8_t *e, size_t n)
{
    memcpy(m + off, e, n);
    return off + n;
}

static void test_madt(void)
{
    uint8_t m[128] = { 0 };
    uint32_t la = 0xfee00000;
    memcpy(m + 36, &la, 4);
    size_t off = 44;
    const uint8_t lapic_en[] = { 0, 8, 0, 0, 1, 0, 0, 0 };      /* APIC 0 enabled */
    const uint8_t lapic_dis[] = { 0, 8, 1, 1, 0, 0, 0, 0 };     /* APIC 1 disabled */
    const uint8_t lapic_en2[] = { 0, 8, 2, 3, 1, 0, 0, 0 };     /* APIC 3 enabled */
    const uint8_t x2apic[] = { 9, 16, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0 };
    const uint8_t ioapic[] = { 1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0 };
    off = madt_put(m, off, lapic_en, 8);
    off = madt_put(m, off, ioapic, 12);
    off = madt_put(m, off, lapic_dis, 8);
    off = madt_put(m, off, lapic_en2, 8);
    off = madt_put(m, off, x2apic, 16);
    uint32_t ids[8];
    uint64_t addr = 0;
    unsigned int n = acpi_madt_cpus(m, off, ids, 8, &addr);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(ids[0], 0);
    CU_ASSERT_EQUAL(ids[1], 3);
    CU_ASSERT_EQUAL(ids[2], 0x10);
    CU_ASSERT_EQUAL(addr, 0xfee00000);
    /* The output limit is honoured. */
    CU_ASSERT_EQUAL(acpi_madt_cpus(m, off, ids, 1, &addr), 1);
}

static void test_madt_hostile(void)
{
    uint8_t m[64] = { 0 };
    uint32_t ids[4];
    uint64_t addr;
    /* Zero-length entry must end the walk, not loop. */
    m[44] = 0;
    m[45] = 0;
    CU_ASSERT_EQUAL(acpi_madt_cpus(m, sizeof(m), ids, 4, &addr), 0);
    /* Entry running past the table is ignored. */
    m[44] = 0;
    m[45] = 40;
    CU_ASSERT_EQUAL(acpi_madt_cpus(m, sizeof(m), ids, 4, &addr), 0);
    /* Too short for a header. */
    CU_ASSERT_EQUAL(acpi_madt_cpus(m, 40, ids, 4, &addr), 0);
}

static void test_madt_ioapics_isos(void)
{
    /* QEMU's i440fx MADT: one I/O APIC at 0xfec00000 (GSI base 0), ISA
     * IRQ 0 -> GSI 2 (bus default), IRQs 5, 9, 10, 11 level/active high. */
    uint8_t m[160] = { 0 };
    size_t off = 44;
    const uint8_t lapic[] = { 0, 8, 0, 0, 1, 0, 0, 0 };
    const uint8_t ioapic[] = { 1, 12, 7, 0, 0x00, 0x00, 0xc0, 0xfe, 24, 0, 0, 0 };
    const uint8_t iso0[] = { 2, 10, 0, 0, 2, 0, 0, 0, 0x00, 0x00 };
    const uint8_t iso9[] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0x00 };
    const uint8_t nmi[] = { 4, 6, 0xff, 0, 0, 1 };
    off = madt_put(m, off, lapic, sizeof(lapic));
    off = madt_put(m, off, ioapic, sizeof(ioapic));
    off = madt_put(m, off, iso0, sizeof(iso0));
    off = madt_put(m, off, nmi, sizeof(nmi));
    off = madt_put(m, off, iso9, sizeof(iso9));
    struct acpi_ioapic io[4];
    struct acpi_iso iso[4];
    CU_ASSERT_EQUAL(acpi_madt_ioapics(m, off, io, 4), 1);
    CU_ASSERT_EQUAL(io[0].id, 7);
    CU_ASSERT_EQUAL(io[0].addr, 0xfec00000);
    CU_ASSERT_EQUAL(io[0].gsi_base, 24);
    CU_ASSERT_EQUAL(acpi_madt_isos(m, off, iso, 4), 2);
    CU_ASSERT_EQUAL(iso[0].bus_irq, 0);
    CU_ASSERT_EQUAL(iso[0].gsi, 2);
    CU_ASSERT_EQUAL(iso[0].flags, 0);
    CU_ASSERT_EQUAL(iso[1].bus_irq, 9);
    CU_ASSERT_EQUAL(iso[1].gsi, 9);
    CU_ASSERT_EQUAL(iso[1].flags, 0x0d);
    /* The output limit is honoured; short entries are skipped. */
    CU_ASSERT_EQUAL(acpi_madt_isos(m, off, iso, 1), 1);
    uint8_t s[64] = { 0 };
    const uint8_t short_iso[] = { 2, 8, 0, 1, 1, 0, 0, 0 };
    size_t so = madt_put(s, 44, short_iso, sizeof(short_iso));
    CU_ASSERT_EQUAL(acpi_madt_isos(s, so, iso, 4), 0);
    CU_ASSERT_EQUAL(acpi_madt_ioapics(s, 40, io, 4), 0);
}

static void test_madt_ioapic_truncated(void)
{
    /* Every prefix of a table ending in an I/O APIC entry: never read past
     * the end (ASan), never report the cut entry. */
    const uint8_t ioapic[] = { 1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };
    uint8_t full[56] = { 0 };
    madt_put(full, 44, ioapic, sizeof(ioapic));
    for (size_t n = 0; n <= sizeof(full); n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, full, n);
        struct acpi_ioapic io[2];
        CU_ASSERT_EQUAL(acpi_madt_ioapics(copy, n, io, 2), n == sizeof(full) ? 1u : 0u);
        free(copy);
    }
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "checksum", test_checksum },
        { "s5_forms", test_s5_forms },
        { "s5_hostile", test_s5_hostile },
        { "madt", test_madt },
        { "madt_hostile", test_madt_hostile },
        { "madt_ioapics_isos", test_madt_ioapics_isos },
        { "madt_ioapic_truncated", test_madt_ioapic_truncated },
        { NULL, NULL },
    };
    unit_add_suite("acpi_tables", cases);
}
