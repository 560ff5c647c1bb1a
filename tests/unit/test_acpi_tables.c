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

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "checksum", test_checksum },
        { "s5_forms", test_s5_forms },
        { "s5_hostile", test_s5_hostile },
        { "madt", test_madt },
        { "madt_hostile", test_madt_hostile },
        { NULL, NULL },
    };
    unit_add_suite("acpi_tables", cases);
}
