/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space through mechanism #1 (ports 0xcf8/0xcfc, PCI 3.0
 * 3.2.2.3.2), shared with dom0: like Xen, dom0's 0xcf8 is a per-domain latch
 * and its 0xcfc-0xcff accesses replay the latch under the same lock the
 * hypervisor uses, so a map_pirq on one CPU cannot slip its address between
 * dom0's address and data accesses on another.  Also: which ports dom0 may
 * not touch, and uncached mappings of MMIO (I/O APICs, MSI-X tables).
 */
#include <asm/cpu.h>
#include <xeno/errno.h>
#include <xeno/irq.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/spinlock.h>

#define PCI_CONF_ADDR   0xcf8
#define PCI_CONF_DATA   0xcfc
#define CF8_ENABLE      0x80000000u

#define PCI_VENDOR_ID       0x00
#define PCI_STATUS          0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_HEADER_TYPE     0x0e
#define PCI_BASE_ADDRESS_0  0x10
#define PCI_CAPABILITY_LIST 0x34

/* Taken with interrupts off: config accesses also come from code running
 * under the IRQ lock. */
static spinlock_t pci_lock = SPIN_LOCK_UNLOCKED;

static uint32_t port_in(uint16_t port, unsigned int size)
{
    return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void port_out(uint16_t port, unsigned int size, uint32_t val)
{
    if (size == 1)
        outb(port, val);
    else if (size == 2)
        outw(port, val);
    else
        outl(port, val);
}

uint32_t pci_conf_read(unsigned int bdf, unsigned int reg, unsigned int size)
{
    unsigned long f = spin_lock_irqsave(&pci_lock);
    outl(PCI_CONF_ADDR, CF8_ENABLE | (bdf & 0xffff) << 8 | (reg & 0xfc));
    uint32_t v = port_in(PCI_CONF_DATA + (reg & (4 - size)), size);
    spin_unlock_irqrestore(&pci_lock, f);
    return v;
}

void pci_conf_write(unsigned int bdf, unsigned int reg, unsigned int size, uint32_t val)
{
    unsigned long f = spin_lock_irqsave(&pci_lock);
    outl(PCI_CONF_ADDR, CF8_ENABLE | (bdf & 0xffff) << 8 | (reg & 0xfc));
    port_out(PCI_CONF_DATA + (reg & (4 - size)), size, val);
    spin_unlock_irqrestore(&pci_lock, f);
}

bool pci_device_exists(unsigned int seg, unsigned int bdf)
{
    return !seg && bdf <= 0xffff && (pci_conf_read(bdf, PCI_VENDOR_ID, 2) & 0xffff) != 0xffff;
}

unsigned int pci_find_cap(unsigned int bdf, uint8_t id)
{
    if ((pci_conf_read(bdf, PCI_VENDOR_ID, 2) & 0xffff) == 0xffff ||
        !(pci_conf_read(bdf, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
        return 0;
    unsigned int pos = pci_conf_read(bdf, PCI_CAPABILITY_LIST, 1) & 0xfc;
    /* At most 48 capabilities fit in the 192 bytes after the header: a
     * longer chain is a loop. */
    for (unsigned int n = 0; n < 48 && pos >= 0x40; n++) {
        if ((pci_conf_read(bdf, pos, 1) & 0xff) == id)
            return pos;
        pos = pci_conf_read(bdf, pos + 1, 1) & 0xfc;
    }
    return 0;
}

uint64_t pci_read_bar(unsigned int bdf, unsigned int bir)
{
    uint32_t bars[6];
    unsigned int nbars;
    switch (pci_conf_read(bdf, PCI_HEADER_TYPE, 1) & 0x7f) {
    case 0: nbars = 6; break;       /* endpoint */
    case 1: nbars = 2; break;       /* PCI-PCI bridge */
    default: return 0;
    }
    for (unsigned int i = 0; i < nbars; i++)
        bars[i] = pci_conf_read(bdf, PCI_BASE_ADDRESS_0 + 4 * i, 4);
    return pci_bar_address(bars, nbars, bir);
}

/*
 * Uncached MMIO mappings: L4 slot 259, which the layout in asm/config.h
 * leaves unused, bump-allocated a page at a time and never unmapped (so no
 * other CPU can hold a stale translation); page-table attributes PCD|PWT =
 * PAT entry 3 = UC whatever the MTRRs say (Xen maps MSI-X tables with
 * set_fixmap_nocache the same way).
 */
#define IOREMAP_VIRT_START 0xffff818000000000UL
#define IOREMAP_PAGES      1024

static struct { unsigned long mfn; unsigned long va; } ioremap_pages[IOREMAP_PAGES];
static unsigned int ioremap_used;
static spinlock_t ioremap_lock = SPIN_LOCK_UNLOCKED;

static unsigned long ioremap_page(unsigned long mfn)
{
    for (unsigned int i = 0; i < ioremap_used; i++)
        if (ioremap_pages[i].mfn == mfn)
            return ioremap_pages[i].va;
    if (ioremap_used == IOREMAP_PAGES)
        return 0;
    unsigned long va = IOREMAP_VIRT_START + (unsigned long)ioremap_used * PAGE_SIZE;
    if (map_pages(va, mfn, 1, PAGE_HYPERVISOR_UC))
        return 0;
    ioremap_pages[ioremap_used].mfn = mfn;
    ioremap_pages[ioremap_used].va = va;
    ioremap_used++;
    return va;
}

volatile void *ioremap_uc(paddr_t pa, size_t len)
{
    /* The pages are mapped one by one: a range must land in consecutive
     * window pages, so it is only allowed within one page. */
    if (!len || (pa & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
        return NULL;
    unsigned long f = spin_lock_irqsave(&ioremap_lock);
    unsigned long va = ioremap_page(pa >> PAGE_SHIFT);
    spin_unlock_irqrestore(&ioremap_lock, f);
    return va ? (volatile void *)(va + (pa & (PAGE_SIZE - 1))) : NULL;
}

/*
 * Ports the hypervisor keeps from dom0: Xen's dom0_setup_permissions list
 * (8259 PICs and ELCR, PIT channels 0 and 1, INIT#/A20M#, IGNNE#, reset
 * control) plus its console UART, COM1, which Xen's ns16550 driver denies
 * to the hardware domain too.  A denied read is all-ones and a denied write
 * is dropped, as Xen does for ports outside a PV guest's permissions.
 * PIT channel 2 and its gate (0x42, 0x43, 0x61) stay dom0's: Xen emulates
 * them for PV guests (pv_pit_handler), so Linux's quick PIT calibration of
 * the TSC works, and the hypervisor only uses them at boot (tsc_calibrate).
 */
static const struct { uint16_t first, last; } dom0_denied_ports[] = {
    { 0x20, 0x21 }, { 0xa0, 0xa1 }, { 0x4d0, 0x4d1 },
    { 0x40, 0x41 },
    { 0x92, 0x92 }, { 0xf0, 0xf0 },
    { 0xcf9, 0xcf9 },
    { 0x3f8, 0x3ff },
};

static uint32_t dom0_cf8;       /* the hardware domain's 0xcf8 latch */

bool dom0_ioport_intercept(struct domain *d, uint16_t port, unsigned int bytes, uint32_t *val, bool write)
{
    (void)d;    /* only the hardware domain reaches real ports */
    if (port == PCI_CONF_ADDR && bytes == 4) {
        if (write)
            dom0_cf8 = *val;
        else
            *val = dom0_cf8;
        return true;
    }
    if (port >= PCI_CONF_DATA && port + bytes <= PCI_CONF_DATA + 4) {
        uint32_t latch = __atomic_load_n(&dom0_cf8, __ATOMIC_RELAXED);
        if (!(latch & CF8_ENABLE)) {
            if (!write)
                *val = bytes == 4 ? ~0u : (1u << (bytes * 8)) - 1;
            return true;
        }
        /* Replay the latch and the access exactly as dom0 made them, so
         * every quirk of the host bridge (extended-register bits, odd
         * sizes) behaves as if dom0 owned the ports. */
        unsigned long f = spin_lock_irqsave(&pci_lock);
        outl(PCI_CONF_ADDR, latch);
        if (write)
            port_out(port, bytes, *val);
        else
            *val = port_in(port, bytes);
        spin_unlock_irqrestore(&pci_lock, f);
        return true;
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(dom0_denied_ports); i++)
        if (port <= dom0_denied_ports[i].last && port + bytes - 1 >= dom0_denied_ports[i].first) {
            if (!write)
                *val = bytes == 4 ? ~0u : (1u << (bytes * 8)) - 1;
            return true;
        }
    return false;
}
