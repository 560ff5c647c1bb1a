/* SPDX-License-Identifier: MIT */
/* Pure ACPI table parsing (ACPI 6.x spec facts cited per function); no
 * hardware access, so it is unit-tested hosted on hand-built tables. */
#include <xeno/acpi.h>
#include <xeno/errno.h>
#include <xeno/string.h>

bool acpi_checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += b[i];
    return sum == 0;
}

/* AML PkgLength (ACPI 20.2.4): bits 7:6 of the lead byte give the number of
 * follow bytes; returns the encoding's own length or 0 if it does not fit. */
static size_t pkg_length_bytes(const uint8_t *p, size_t avail)
{
    if (!avail)
        return 0;
    size_t n = 1 + (p[0] >> 6);
    return n <= avail ? n : 0;
}

/* One package element that is an integer: ZeroOp 0x00, OneOp 0x01, OnesOp
 * 0xff, BytePrefix 0x0a nn, WordPrefix 0x0b, DWordPrefix 0x0c (low byte used). */
static int aml_int(const uint8_t *p, size_t avail, uint8_t *v, size_t *used)
{
    if (!avail)
        return -EINVAL;
    switch (p[0]) {
    case 0x00: *v = 0; *used = 1; return 0;
    case 0x01: *v = 1; *used = 1; return 0;
    case 0xff: *v = 0xff; *used = 1; return 0;
    case 0x0a: if (avail < 2) return -EINVAL; *v = p[1]; *used = 2; return 0;
    case 0x0b: if (avail < 3) return -EINVAL; *v = p[1]; *used = 3; return 0;
    case 0x0c: if (avail < 5) return -EINVAL; *v = p[1]; *used = 5; return 0;
    default: return -EINVAL;
    }
}

int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *typ_a, uint8_t *typ_b)
{
    /* Name(_S5_, Package(){a, b, ...}): NameOp 0x08, "_S5_", PackageOp 0x12,
     * PkgLength, NumElements, elements.  A root prefix '\' may precede. */
    for (size_t i = 0; i + 4 <= len; i++) {
        if (memcmp(aml + i, "_S5_", 4))
            continue;
        if (i == 0 || (aml[i - 1] != 0x08 && !(aml[i - 1] == '\\' && i >= 2 && aml[i - 2] == 0x08)))
            continue;
        size_t p = i + 4;
        if (p >= len || aml[p] != 0x12)
            continue;
        p++;
        size_t pl = pkg_length_bytes(aml + p, len - p);
        if (!pl)
            return -EINVAL;
        p += pl;
        if (p >= len)
            return -EINVAL;
        p++;                    /* NumElements */
        size_t used;
        uint8_t a, b;
        if (aml_int(aml + p, len - p, &a, &used))
            return -EINVAL;
        p += used;
        if (aml_int(aml + p, len - p, &b, &used))
            b = a;
        *typ_a = a;
        *typ_b = b;
        return 0;
    }
    return -ENOENT;
}

unsigned int acpi_madt_cpus(const uint8_t *madt, size_t len, uint32_t *ids, unsigned int max, uint64_t *lapic_addr)
{
    /* MADT (ACPI 5.2.12): 36-byte header, u32 local APIC address, u32 flags,
     * then entries {type, length}: 0 = processor local APIC (flags bit 0
     * enabled, bit 1 online-capable), 5 = 64-bit APIC address override,
     * 9 = processor local x2APIC. */
    unsigned int n = 0;
    if (len < 44)
        return 0;
    uint32_t la;
    memcpy(&la, madt + 36, 4);
    *lapic_addr = la;
    for (size_t off = 44; off + 2 <= len;) {
        uint8_t type = madt[off], elen = madt[off + 1];
        if (elen < 2 || off + elen > len)
            break;
        if (type == 0 && elen >= 8) {
            uint32_t flags;
            memcpy(&flags, madt + off + 4, 4);
            if ((flags & 1) && n < max)
                ids[n++] = madt[off + 3];
        } else if (type == 9 && elen >= 16) {
            uint32_t id, flags;
            memcpy(&id, madt + off + 4, 4);
            memcpy(&flags, madt + off + 8, 4);
            if ((flags & 1) && n < max)
                ids[n++] = id;
        } else if (type == 5 && elen >= 12) {
            memcpy(lapic_addr, madt + off + 4, 8);
        }
        off += elen;
    }
    return n;
}

/* Walk the MADT's entries of one type (ACPI 5.2.12: entries start at 44,
 * each {type, length}); a zero or overlong length ends the walk. */
static unsigned int madt_walk(const uint8_t *madt, size_t len, uint8_t want, uint8_t min_len,
                              void (*fn)(const uint8_t *e, void *out, unsigned int i), void *out,
                              unsigned int max)
{
    unsigned int n = 0;
    if (len < 44)
        return 0;
    for (size_t off = 44; off + 2 <= len;) {
        uint8_t type = madt[off], elen = madt[off + 1];
        if (elen < 2 || off + elen > len)
            break;
        if (type == want && elen >= min_len && n < max)
            fn(madt + off, out, n++);
        off += elen;
    }
    return n;
}

/* Type 1, 12 bytes: id at 2, reserved, u32 address at 4, u32 GSI base at 8. */
static void put_ioapic(const uint8_t *e, void *out, unsigned int i)
{
    struct acpi_ioapic *a = (struct acpi_ioapic *)out + i;
    a->id = e[2];
    memcpy(&a->addr, e + 4, 4);
    memcpy(&a->gsi_base, e + 8, 4);
}

unsigned int acpi_madt_ioapics(const uint8_t *madt, size_t len, struct acpi_ioapic *out, unsigned int max)
{
    return madt_walk(madt, len, 1, 12, put_ioapic, out, max);
}

/* Type 2, 10 bytes: bus at 2 (0 = ISA), source IRQ at 3, u32 GSI at 4,
 * u16 MPS INTI flags at 8. */
static void put_iso(const uint8_t *e, void *out, unsigned int i)
{
    struct acpi_iso *o = (struct acpi_iso *)out + i;
    o->bus_irq = e[3];
    memcpy(&o->gsi, e + 4, 4);
    memcpy(&o->flags, e + 8, 2);
}

unsigned int acpi_madt_isos(const uint8_t *madt, size_t len, struct acpi_iso *out, unsigned int max)
{
    return madt_walk(madt, len, 2, 10, put_iso, out, max);
}
