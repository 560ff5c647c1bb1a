/* SPDX-License-Identifier: MIT */
#ifndef XENO_IRQ_H
#define XENO_IRQ_H

/*
 * Physical interrupts for the hardware domain, the way Xen routes them to a
 * PV dom0: device interrupts (I/O APIC GSIs, MSI, MSI-X) arrive at
 * hypervisor vectors and are delivered as PIRQ event channels.
 *
 *   arch/x86/io_apic.c  the I/O APIC(s) from the MADT, the legacy PIC
 *   arch/x86/pci.c      PCI configuration space (ports 0xcf8/0xcfc), dom0's
 *                       port I/O policy, uncached MMIO mappings
 *   arch/x86/msi.c      MSI and MSI-X programming (the hypervisor writes the
 *                       message, dom0 enables the capability: Xen's "split
 *                       brain" model for the hardware domain)
 *   arch/x86/irq.c      vectors, descriptors, the pirq space, delivery
 *   pv/physdev_ops.c    the PHYSDEVOP_* hypercalls
 */
#include <xeno/irq_rules.h>
#include <xeno/sched.h>
#include <xeno/types.h>

/* ---- arch/x86/irq.c ---- */

#define NR_IRQS  256            /* hypervisor IRQs: GSIs first, then MSIs */
#define NR_PIRQS 512            /* the hardware domain's pirq space (Xen gave
                                 * dom0 416 on a 2-CPU QEMU machine) */

/* Bring up interrupt routing on the boot CPU: mask the 8259s, find and mask
 * the I/O APICs.  After acpi_init() and apic_init_cpu(). */
void irq_init(void);
/* A device vector (FIRST_DEVICE_VECTOR..LAST_DEVICE_VECTOR) was taken. */
void do_device_irq(unsigned int vector);

/* A PHYSDEVOP_map_pirq request for an MSI or MSI-X vector of a device. */
struct msi_request {
    uint16_t seg;
    uint8_t bus, devfn;
    bool msix;                  /* table_base was given */
    unsigned int entry;         /* MSI-X table entry */
    uint64_t table_base;        /* dom0's idea of the table BAR (checked) */
};

/* The pirq operations (PHYSDEVOP_*); d must be the hardware domain.  All
 * return 0 or a negative errno as Xen's physdev.c does. */
int pirq_map_gsi(struct domain *d, int gsi, int *pirq);
int pirq_map_msi(struct domain *d, const struct msi_request *rq, int *pirq);
int pirq_unmap(struct domain *d, int pirq);
int pirq_eoi(struct domain *d, int pirq);
int pirq_status(struct domain *d, int pirq, uint32_t *flags);
int pirq_set_eoi_map(struct domain *d, unsigned long gmfn);
int pirq_get_free(struct domain *d, int type, uint32_t *pirq);
/* PHYSDEVOP_setup_gsi: trigger mode and polarity of a GSI (Xen's
 * mp_register_gsi: -EEXIST once a GSI was set up). */
int gsi_setup(int gsi, bool level, bool active_low);
/* PHYSDEVOP_restore_msi(_ext): write the messages of the device's mapped
 * MSI/MSI-X vectors again (after a resume); -ENODEV if there is no such
 * device. */
int pirq_restore_msi(unsigned int seg, unsigned int bdf);
/* GSIs the I/O APICs provide (Xen's nr_irqs_gsi). */
unsigned int nr_irqs_gsi(void);
bool pirq_is_hardware_domain(const struct domain *d);

/* ---- arch/x86/io_apic.c ---- */

/* Mask the legacy 8259 PICs (all device interrupts go through the I/O APIC). */
void pic_mask_all(void);
/* Map and mask every pin of the MADT's I/O APICs; returns the GSI count. */
unsigned int ioapic_init(void);
bool ioapic_has_gsi(unsigned int gsi);
/* Write a GSI's redirection entry (ioapic_rte()); the mask bit last when
 * unmasking, first when masking. */
void ioapic_write_rte(unsigned int gsi, uint64_t rte);
void ioapic_set_masked(unsigned int gsi, bool masked);
uint64_t ioapic_read_rte(unsigned int gsi);
/* PHYSDEVOP_apic_read: any register of the I/O APIC at physbase. */
int ioapic_guest_read(uint64_t physbase, uint32_t reg, uint32_t *val);

/* ---- arch/x86/pci.c ---- */

/* Configuration mechanism #1 (PCI 3.0 3.2.2.3.2), segment 0 only;
 * bdf = bus << 8 | devfn; size 1, 2 or 4 (naturally aligned). */
uint32_t pci_conf_read(unsigned int bdf, unsigned int reg, unsigned int size);
void pci_conf_write(unsigned int bdf, unsigned int reg, unsigned int size, uint32_t val);
/* A function answers at bdf (segment 0). */
bool pci_device_exists(unsigned int seg, unsigned int bdf);
/* Offset of capability `id` in the standard list, 0 if none. */
unsigned int pci_find_cap(unsigned int bdf, uint8_t id);
/* Memory address of a BAR (0 if I/O, absent or unprogrammed). */
uint64_t pci_read_bar(unsigned int bdf, unsigned int bir);
/* An uncached hypervisor mapping of MMIO [pa, pa + len) (kept forever;
 * repeated requests for the same pages share the mapping); NULL if the
 * window is full. */
volatile void *ioremap_uc(paddr_t pa, size_t len);
/*
 * Dom0's port I/O, before the real access (arch/x86/pv/emulate.c): ports
 * the hypervisor keeps (PIC, PIT, reset, its console UART, ...) read as
 * all-ones and ignore writes; 0xcf8 (4 bytes) is latched per domain and
 * 0xcfc-0xcff use the latch under the hypervisor's own PCI lock (as Xen).
 * True if handled here.
 */
bool dom0_ioport_intercept(struct domain *d, uint16_t port, unsigned int bytes, uint32_t *val, bool write);

/* ---- arch/x86/msi.c ---- */

struct msi_desc;
/* Program the device's MSI (or MSI-X entry) to deliver `vector` to APIC ID
 * `dest`, masked where the device can mask; enabling the capability is left
 * to dom0.  -ENODEV (no device/capability), -ENXIO (memory decoding off, no
 * table BAR), -EINVAL (entry out of range), -EEXIST (entry already set up),
 * -ENOMEM. */
int msi_setup(const struct msi_request *rq, uint8_t vector, uint8_t dest, struct msi_desc **out);
/* Mask/unmask where the hardware can (MSI-X entries, MSI with mask bits). */
void msi_set_masked(struct msi_desc *m, bool masked);
bool msi_is_msix(const struct msi_desc *m);
unsigned int msi_bdf(const struct msi_desc *m);
/* Write the message again (PHYSDEVOP_restore_msi), masked or not. */
void msi_restore(struct msi_desc *m, uint8_t vector, uint8_t dest, bool masked);
/* Mask and forget the entry. */
void msi_teardown(struct msi_desc *m);
/* "0000:00:03.0 msix 2" for dumps. */
void msi_describe(const struct msi_desc *m, char *buf, size_t len);

#endif
