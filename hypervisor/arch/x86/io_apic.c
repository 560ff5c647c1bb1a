/* SPDX-License-Identifier: MIT */
/*
 * The I/O APICs the MADT lists (82093AA datasheet: IOREGSEL at +0x00,
 * IOWIN at +0x10; register 1 bits 23:16 = last redirection entry; entry n
 * at registers 0x10 + 2n (low) and 0x11 + 2n (high)), and the legacy 8259
 * PICs, which are masked for good: like Xen, every device interrupt goes
 * through an I/O APIC or MSI.  Every pin starts masked; arch/x86/irq.c
 * programs a pin when dom0 binds the GSI's pirq.
 */
#include <asm/cpu.h>
#include <xeno/acpi.h>
#include <xeno/errno.h>
#include <xeno/irq.h>
#include <xeno/lib.h>
#include <xeno/spinlock.h>

#define IOAPIC_REG_ID   0x00
#define IOAPIC_REG_VER  0x01
#define IOAPIC_REG_RTE  0x10

struct ioapic {
    volatile uint32_t *regs;    /* [0] IOREGSEL, [4] IOWIN */
    uint64_t phys;
    uint32_t gsi_base;
    unsigned int pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
/* IOREGSEL/IOWIN is a two-step access: one lock for all I/O APICs. */
static spinlock_t ioapic_lock = SPIN_LOCK_UNLOCKED;

static uint32_t io_read(const struct ioapic *a, unsigned int reg)
{
    a->regs[0] = reg & 0xff;
    return a->regs[4];
}

static void io_write(const struct ioapic *a, unsigned int reg, uint32_t val)
{
    a->regs[0] = reg & 0xff;
    a->regs[4] = val;
}

static const struct ioapic *gsi_ioapic(unsigned int gsi, unsigned int *pin)
{
    for (unsigned int i = 0; i < nr_ioapics; i++) {
        const struct ioapic *a = &ioapics[i];
        if (gsi >= a->gsi_base && gsi - a->gsi_base < a->pins) {
            *pin = gsi - a->gsi_base;
            return a;
        }
    }
    return NULL;
}

void pic_mask_all(void)
{
    /* Re-initialise both 8259s (ICW1 edge/cascade/ICW4, ICW2 vector base
     * 0x20/0x28, ICW3 slave on IRQ2, ICW4 8086 mode) so that even a stray
     * PIC vector cannot look like an exception, then mask every line
     * (OCW1).  The local APIC's LINT0 is masked too (apic.c). */
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0x20);
    outb(0xa1, 0x28);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

unsigned int ioapic_init(void)
{
    unsigned int nr_gsis = 0;

    for (unsigned int i = 0; i < acpi.nr_ioapics && nr_ioapics < ACPI_MAX_IOAPICS; i++) {
        const struct acpi_ioapic *m = &acpi.ioapics[i];
        struct ioapic *a = &ioapics[nr_ioapics];
        a->regs = ioremap_uc(m->addr, 0x20);
        if (!a->regs) {
            printk(XENLOG_ERR "IOAPIC[%u]: cannot map %#x\n", i, m->addr);
            continue;
        }
        a->phys = m->addr;
        a->gsi_base = m->gsi_base;
        a->pins = ((io_read(a, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
        /* Masked, vector 0, physical destination 0: nothing is delivered
         * until irq.c programs the pin. */
        for (unsigned int pin = 0; pin < a->pins; pin++) {
            io_write(a, IOAPIC_REG_RTE + 2 * pin, (uint32_t)IOAPIC_RTE_MASKED);
            io_write(a, IOAPIC_REG_RTE + 2 * pin + 1, 0);
        }
        if (a->gsi_base + a->pins > nr_gsis)
            nr_gsis = a->gsi_base + a->pins;
        printk("IOAPIC[%u]: apic_id %u, version %#x, address %#x, GSI %u-%u, all masked\n", i,
               (io_read(a, IOAPIC_REG_ID) >> 24) & 0xff, io_read(a, IOAPIC_REG_VER) & 0xff,
               m->addr, a->gsi_base, a->gsi_base + a->pins - 1);
        nr_ioapics++;
    }
    return nr_gsis;
}

bool ioapic_has_gsi(unsigned int gsi)
{
    unsigned int pin;
    return gsi_ioapic(gsi, &pin) != NULL;
}

void ioapic_write_rte(unsigned int gsi, uint64_t rte)
{
    unsigned int pin;
    const struct ioapic *a = gsi_ioapic(gsi, &pin);
    if (!a)
        return;
    unsigned long f = spin_lock_irqsave(&ioapic_lock);
    /* Mask first so the pin never fires with half an entry, then the
     * destination, then the low half (vector, mode, mask) as wanted. */
    io_write(a, IOAPIC_REG_RTE + 2 * pin, (uint32_t)(rte | IOAPIC_RTE_MASKED));
    io_write(a, IOAPIC_REG_RTE + 2 * pin + 1, (uint32_t)(rte >> 32));
    io_write(a, IOAPIC_REG_RTE + 2 * pin, (uint32_t)rte);
    spin_unlock_irqrestore(&ioapic_lock, f);
}

uint64_t ioapic_read_rte(unsigned int gsi)
{
    unsigned int pin;
    const struct ioapic *a = gsi_ioapic(gsi, &pin);
    if (!a)
        return IOAPIC_RTE_MASKED;
    unsigned long f = spin_lock_irqsave(&ioapic_lock);
    uint64_t rte = io_read(a, IOAPIC_REG_RTE + 2 * pin) |
                   ((uint64_t)io_read(a, IOAPIC_REG_RTE + 2 * pin + 1) << 32);
    spin_unlock_irqrestore(&ioapic_lock, f);
    return rte;
}

void ioapic_set_masked(unsigned int gsi, bool masked)
{
    unsigned int pin;
    const struct ioapic *a = gsi_ioapic(gsi, &pin);
    if (!a)
        return;
    unsigned long f = spin_lock_irqsave(&ioapic_lock);
    uint32_t lo = io_read(a, IOAPIC_REG_RTE + 2 * pin);
    lo = masked ? lo | (uint32_t)IOAPIC_RTE_MASKED : lo & ~(uint32_t)IOAPIC_RTE_MASKED;
    io_write(a, IOAPIC_REG_RTE + 2 * pin, lo);
    spin_unlock_irqrestore(&ioapic_lock, f);
}

int ioapic_guest_read(uint64_t physbase, uint32_t reg, uint32_t *val)
{
    /* Xen's ioapic_guest_read: any register of a known I/O APIC (reads
     * have no side effects); -EINVAL for an address that is none. */
    for (unsigned int i = 0; i < nr_ioapics; i++) {
        if (ioapics[i].phys != physbase)
            continue;
        unsigned long f = spin_lock_irqsave(&ioapic_lock);
        *val = io_read(&ioapics[i], reg);
        spin_unlock_irqrestore(&ioapic_lock, f);
        return 0;
    }
    return -EINVAL;
}
