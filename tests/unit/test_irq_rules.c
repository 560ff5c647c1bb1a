// UNIT-SOURCES: hypervisor/arch/x86/irq_rules.c
/* Interrupt routing rules: GSI defaults from MADT overrides, I/O APIC
 * redirection entries, MSI messages and capability layout, MSI-X table
 * locations, BAR decoding, Xen's pirq allocation order, vectors. */
#include <stdint.h>
#include <string.h>
#include <xeno/errno.h>
#include <xeno/irq_rules.h>
#include "unit.h"

/* QEMU's i440fx overrides: IRQ0 -> GSI 2 (bus default), 5/9/10/11 level high. */
static const struct acpi_iso qemu_isos[] = {
    { 0, 2, 0x0000 }, { 5, 5, 0x000d }, { 9, 9, 0x000d }, { 10, 10, 0x000d }, { 11, 11, 0x000d },
};
#define NQ (sizeof(qemu_isos) / sizeof(qemu_isos[0]))

static void test_isa_irq_to_gsi(void)
{
    CU_ASSERT_EQUAL(isa_irq_to_gsi(qemu_isos, NQ, 0), 2);
    CU_ASSERT_EQUAL(isa_irq_to_gsi(qemu_isos, NQ, 4), 4);
    CU_ASSERT_EQUAL(isa_irq_to_gsi(qemu_isos, NQ, 9), 9);
    CU_ASSERT_EQUAL(isa_irq_to_gsi(NULL, 0, 7), 7);
    /* A real-world oddball: SCI IRQ 9 on GSI 20, active low. */
    const struct acpi_iso odd[] = { { 9, 20, 0x000f } };
    CU_ASSERT_EQUAL(isa_irq_to_gsi(odd, 1, 9), 20);
}

static void test_gsi_default_mode(void)
{
    bool level, low;
    gsi_default_mode(qemu_isos, NQ, 2, &level, &low);       /* PIT via override, bus default */
    CU_ASSERT_FALSE(level);
    CU_ASSERT_FALSE(low);
    gsi_default_mode(qemu_isos, NQ, 10, &level, &low);      /* PCI link: level, high */
    CU_ASSERT_TRUE(level);
    CU_ASSERT_FALSE(low);
    gsi_default_mode(qemu_isos, NQ, 4, &level, &low);       /* identity ISA: edge, high */
    CU_ASSERT_FALSE(level);
    CU_ASSERT_FALSE(low);
    gsi_default_mode(qemu_isos, NQ, 16, &level, &low);      /* PCI GSI: level, low */
    CU_ASSERT_TRUE(level);
    CU_ASSERT_TRUE(low);
    const struct acpi_iso odd[] = { { 9, 20, 0x000f }, { 3, 3, 0x0005 } };
    gsi_default_mode(odd, 2, 20, &level, &low);             /* level, active low */
    CU_ASSERT_TRUE(level);
    CU_ASSERT_TRUE(low);
    gsi_default_mode(odd, 2, 3, &level, &low);              /* explicit edge, high */
    CU_ASSERT_FALSE(level);
    CU_ASSERT_FALSE(low);
}

static void test_ioapic_rte(void)
{
    CU_ASSERT_EQUAL(ioapic_rte(0x31, false, false, false, 0), 0x31ULL);
    CU_ASSERT_EQUAL(ioapic_rte(0x31, true, true, true, 3), 0x030000000001a031ULL);
    uint64_t r = ioapic_rte(0x40, true, false, true, 0xff);
    CU_ASSERT_EQUAL(r & 0xff, 0x40);
    CU_ASSERT_EQUAL((r >> 8) & 7, 0);                       /* fixed delivery */
    CU_ASSERT_EQUAL(r & (1ULL << 11), 0);                   /* physical destination */
    CU_ASSERT(r & IOAPIC_RTE_LEVEL);
    CU_ASSERT_FALSE(r & IOAPIC_RTE_POLARITY_LOW);
    CU_ASSERT(r & IOAPIC_RTE_MASKED);
    CU_ASSERT_EQUAL(r >> 56, 0xff);
}

static void test_msi_compose(void)
{
    uint32_t lo, hi;
    uint16_t data;
    msi_compose(1, 0x35, &lo, &hi, &data);
    CU_ASSERT_EQUAL(lo, 0xfee01000);
    CU_ASSERT_EQUAL(hi, 0);
    CU_ASSERT_EQUAL(data, 0x4035);                          /* edge, assert, fixed */
    msi_compose(0xff, 0xef, &lo, &hi, &data);
    CU_ASSERT_EQUAL(lo, 0xfeeff000);
    CU_ASSERT_EQUAL(data & 0x8700, 0);
}

static void test_msi_cap_layout(void)
{
    struct msi_cap_layout l;
    msi_cap_layout(0x0000, &l);                             /* 32-bit, no masking */
    CU_ASSERT_FALSE(l.is64);
    CU_ASSERT_FALSE(l.maskable);
    CU_ASSERT_EQUAL(l.addr_lo, 4);
    CU_ASSERT_EQUAL(l.addr_hi, 0);
    CU_ASSERT_EQUAL(l.data, 8);
    CU_ASSERT_EQUAL(l.mask, 0);
    CU_ASSERT_EQUAL(l.max_vectors, 1);
    msi_cap_layout(0x0180 | (3 << 1), &l);                  /* 64-bit, maskable, 8 vectors */
    CU_ASSERT_TRUE(l.is64);
    CU_ASSERT_TRUE(l.maskable);
    CU_ASSERT_EQUAL(l.addr_hi, 8);
    CU_ASSERT_EQUAL(l.data, 12);
    CU_ASSERT_EQUAL(l.mask, 16);
    CU_ASSERT_EQUAL(l.max_vectors, 8);
    msi_cap_layout(0x0100, &l);                             /* 32-bit, maskable */
    CU_ASSERT_EQUAL(l.mask, 12);
    msi_cap_layout(0x000e, &l);                             /* reserved MMC 7: capped */
    CU_ASSERT_EQUAL(l.max_vectors, 32);
}

static void test_msix_entry_location(void)
{
    unsigned int bir;
    uint64_t off;
    /* 3 entries (size field 2), table in BAR 1 at offset 0. */
    CU_ASSERT_EQUAL(msix_entry_location(0x8002, 0x00000001, 2, &bir, &off), 0);
    CU_ASSERT_EQUAL(bir, 1);
    CU_ASSERT_EQUAL(off, 32);
    CU_ASSERT_EQUAL(msix_entry_location(0x8002, 0x00000001, 3, &bir, &off), -EINVAL);
    /* BIR 4 at offset 0x2000. */
    CU_ASSERT_EQUAL(msix_entry_location(0x07ff, 0x00002004, 2047, &bir, &off), 0);
    CU_ASSERT_EQUAL(bir, 4);
    CU_ASSERT_EQUAL(off, 0x2000 + 2047 * 16);
    /* BIR 6 and 7 are reserved. */
    CU_ASSERT_EQUAL(msix_entry_location(0x0000, 0x00000006, 0, &bir, &off), -EINVAL);
    CU_ASSERT_EQUAL(msix_entry_location(0x0000, 0x00000007, 0, &bir, &off), -EINVAL);
}

static void test_pci_bar_address(void)
{
    uint32_t bars[6] = { 0xc001, 0xfebd1000, 0, 0, 0xfe00000c, 0x00000001 };
    CU_ASSERT_EQUAL(pci_bar_address(bars, 6, 0), 0);                    /* I/O */
    CU_ASSERT_EQUAL(pci_bar_address(bars, 6, 1), 0xfebd1000);           /* 32-bit memory */
    CU_ASSERT_EQUAL(pci_bar_address(bars, 6, 4), 0x1fe000000ULL);       /* 64-bit prefetchable */
    CU_ASSERT_EQUAL(pci_bar_address(bars, 6, 6), 0);
    uint32_t cut[6] = { 0, 0, 0, 0, 0, 0xe0000004 };
    CU_ASSERT_EQUAL(pci_bar_address(cut, 6, 5), 0);                     /* 64-bit at the end */
    CU_ASSERT_EQUAL(pci_bar_address(bars, 2, 4), 0);                    /* a bridge has two */
}

static void test_pirq_pick_free(void)
{
    int16_t used[64];
    memset(used, 0, sizeof(used));
    /* GSI-type: lowest above the ISA range, below nr_gsis. */
    CU_ASSERT_EQUAL(pirq_pick_free(used, 64, 24, PIRQ_TYPE_GSI), 16);
    used[16] = 1;
    CU_ASSERT_EQUAL(pirq_pick_free(used, 64, 24, PIRQ_TYPE_GSI), 17);
    /* MSI-type: highest first. */
    CU_ASSERT_EQUAL(pirq_pick_free(used, 64, 24, PIRQ_TYPE_MSI), 63);
    used[63] = -1;
    CU_ASSERT_EQUAL(pirq_pick_free(used, 64, 24, PIRQ_TYPE_MSI), 62);
    /* GSI range full: GSI-type falls back to the top. */
    for (int p = 16; p < 24; p++)
        used[p] = 1;
    CU_ASSERT_EQUAL(pirq_pick_free(used, 64, 24, PIRQ_TYPE_GSI), 62);
    /* All full. */
    for (int p = 24; p < 64; p++)
        used[p] = 1;
    CU_ASSERT_EQUAL(pirq_pick_free(used, 64, 24, PIRQ_TYPE_MSI), -ENOSPC);
    CU_ASSERT_EQUAL(pirq_pick_free(used, 64, 24, PIRQ_TYPE_GSI), -ENOSPC);
    /* Never below the ISA range, even if free. */
    CU_ASSERT(used[3] == 0);
    /* nr_gsis above nr_pirqs is clamped. */
    memset(used, 0, sizeof(used));
    CU_ASSERT_EQUAL(pirq_pick_free(used, 20, 64, PIRQ_TYPE_GSI), 16);
    CU_ASSERT_EQUAL(pirq_pick_free(used, 20, 64, PIRQ_TYPE_MSI), -ENOSPC);
}

static void test_vector_pick_free(void)
{
    uint64_t map[4] = { 0 };
    CU_ASSERT_EQUAL(vector_pick_free(map, 0x30, 0xef), 0x30);
    CU_ASSERT_EQUAL(vector_pick_free(map, 0x30, 0xef), 0x31);
    map[0x32 / 64] |= 1ULL << (0x32 % 64);
    CU_ASSERT_EQUAL(vector_pick_free(map, 0x30, 0xef), 0x33);
    unsigned int got = 4;
    while (vector_pick_free(map, 0x30, 0xef) >= 0)
        got++;
    CU_ASSERT_EQUAL(got, 0xef - 0x30 + 1);
    CU_ASSERT_EQUAL(vector_pick_free(map, 0x30, 0xef), -ENOSPC);
    CU_ASSERT_EQUAL(vector_pick_free(map, 0xf0, 0x1ff), 0xf0);         /* clipped at 255 */
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "isa_irq_to_gsi", test_isa_irq_to_gsi },
        { "gsi_default_mode", test_gsi_default_mode },
        { "ioapic_rte", test_ioapic_rte },
        { "msi_compose", test_msi_compose },
        { "msi_cap_layout", test_msi_cap_layout },
        { "msix_entry_location", test_msix_entry_location },
        { "pci_bar_address", test_pci_bar_address },
        { "pirq_pick_free", test_pirq_pick_free },
        { "vector_pick_free", test_vector_pick_free },
        { NULL, NULL },
    };
    unit_add_suite("irq_rules", cases);
}
