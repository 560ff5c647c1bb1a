/* SPDX-License-Identifier: MIT */
/*
 * MSI and MSI-X for the hardware domain, in Xen's split model: dom0's
 * PHYSDEVOP_map_pirq names the device (bus/devfn, MSI-X entry), the
 * hypervisor writes the message (address/data) into the MSI capability or
 * the MSI-X table, and dom0 itself sets the capability's enable bit and
 * clears INTx (Xen's msi_capability_init/msix_capability_init only restore
 * the control register "except for internal requests").  Entries stay
 * masked, where the hardware can mask, until dom0 binds the pirq.
 */
#include <xeno/errno.h>
#include <xeno/irq.h>
#include <xeno/lib.h>
#include <xeno/mm.h>

#define PCI_COMMAND         0x04
#define PCI_COMMAND_MEMORY  0x2
#define PCI_CAP_ID_MSI      0x05
#define PCI_CAP_ID_MSIX     0x11

struct msi_desc {
    bool used;
    bool msix;
    unsigned int bdf;
    unsigned int pos;                   /* capability offset */
    unsigned int entry;                 /* MSI-X table entry */
    struct msi_cap_layout l;            /* MSI */
    volatile uint32_t *entry_va;        /* MSI-X: the table entry, uncached */
};

/* One per possible MSI IRQ; the IRQ lock (irq.c) serialises use. */
static struct msi_desc msi_descs[NR_IRQS];

/*
 * Some devices decode their MSI-X table only while MSI-X is enabled (Xen,
 * msix_capability_init): around a table access, enable it with every
 * vector masked by the function mask, then put the control back.
 */
static uint16_t msix_table_access_begin(const struct msi_desc *m)
{
    uint16_t control = pci_conf_read(m->bdf, m->pos + 2, 2);
    if (!(control & PCI_MSIX_FLAGS_ENABLE))
        pci_conf_write(m->bdf, m->pos + 2, 2, control | PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
    return control;
}

static void msix_table_access_end(const struct msi_desc *m, uint16_t control)
{
    if (!(control & PCI_MSIX_FLAGS_ENABLE))
        pci_conf_write(m->bdf, m->pos + 2, 2, control);
}

static void msix_write_entry(struct msi_desc *m, uint32_t lo, uint32_t hi, uint32_t data, bool masked)
{
    uint16_t control = msix_table_access_begin(m);
    volatile uint32_t *e = m->entry_va;
    /* Mask before changing the message (PCI 3.0 6.8.2.9: software must
     * not change an unmasked entry's address/data). */
    e[PCI_MSIX_ENTRY_CTRL / 4] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
    e[PCI_MSIX_ENTRY_ADDR_LO / 4] = lo;
    e[PCI_MSIX_ENTRY_ADDR_HI / 4] = hi;
    e[PCI_MSIX_ENTRY_DATA / 4] = data;
    e[PCI_MSIX_ENTRY_CTRL / 4] = masked ? PCI_MSIX_ENTRY_CTRL_MASKBIT : 0;
    (void)e[PCI_MSIX_ENTRY_CTRL / 4];           /* flush the posted writes */
    msix_table_access_end(m, control);
}

static int setup_msix(struct msi_desc *m, const struct msi_request *rq, uint32_t lo, uint32_t hi, uint16_t data)
{
    uint16_t control = pci_conf_read(m->bdf, m->pos + 2, 2);
    uint32_t table_reg = pci_conf_read(m->bdf, m->pos + 4, 4);
    unsigned int bir;
    uint64_t off;
    if (msix_entry_location(control, table_reg, rq->entry, &bir, &off))
        return -EINVAL;
    /* The table is reachable only with memory decoding on (Xen: -ENXIO). */
    if (!(pci_conf_read(m->bdf, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY))
        return -ENXIO;
    uint64_t bar = pci_read_bar(m->bdf, bir);
    if (!bar) {
        /* Xen falls back on dom0's table_base when the BAR reads as 0. */
        if (!rq->table_base)
            return -ENXIO;
        bar = rq->table_base;
    } else if (rq->table_base && rq->table_base != bar) {
        printk(XENLOG_WARNING "MSI-X %02x:%02x.%u: dom0's table base %#lx, BAR %u says %#lx\n",
               rq->bus, rq->devfn >> 3, rq->devfn & 7, (unsigned long)rq->table_base, bir,
               (unsigned long)bar);
    }
    /* The table must not be RAM: a hostile or confused dom0 could
     * otherwise have the hypervisor write into any frame. */
    if (!mfn_is_iomem((bar + off) >> PAGE_SHIFT))
        return -EPERM;
    m->entry_va = (volatile uint32_t *)ioremap_uc(bar + off, PCI_MSIX_ENTRY_SIZE);
    if (!m->entry_va)
        return -ENOMEM;
    m->entry = rq->entry;
    msix_write_entry(m, lo, hi, data, true);
    return 0;
}

static void setup_msi(struct msi_desc *m, uint32_t lo, uint32_t hi, uint16_t data)
{
    uint16_t control = pci_conf_read(m->bdf, m->pos + 2, 2);
    msi_cap_layout(control, &m->l);
    /* One vector (multiple message enable = 0), mask it if it can be
     * masked; the enable bit stays whatever dom0 made it. */
    pci_conf_write(m->bdf, m->pos + 2, 2, control & ~PCI_MSI_FLAGS_QSIZE);
    if (m->l.maskable)
        pci_conf_write(m->bdf, m->pos + m->l.mask, 4, pci_conf_read(m->bdf, m->pos + m->l.mask, 4) | 1);
    pci_conf_write(m->bdf, m->pos + m->l.addr_lo, 4, lo);
    if (m->l.is64)
        pci_conf_write(m->bdf, m->pos + m->l.addr_hi, 4, hi);
    pci_conf_write(m->bdf, m->pos + m->l.data, 2, data);
}

int msi_setup(const struct msi_request *rq, uint8_t vector, uint8_t dest, struct msi_desc **out)
{
    /* Only segment 0 is reachable through ports 0xcf8/0xcfc. */
    if (rq->seg)
        return -ENODEV;
    unsigned int bdf = (unsigned int)rq->bus << 8 | rq->devfn;
    unsigned int pos = pci_find_cap(bdf, rq->msix ? PCI_CAP_ID_MSIX : PCI_CAP_ID_MSI);
    if (!pos)
        return -ENODEV;

    struct msi_desc *m = NULL;
    for (unsigned int i = 0; i < NR_IRQS; i++) {
        struct msi_desc *d = &msi_descs[i];
        if (!d->used) {
            if (!m)
                m = d;
            continue;
        }
        /* One pirq per MSI vector: a second mapping of the same source
         * would leave the first one's vector dangling. */
        if (d->bdf == bdf && d->msix == rq->msix && (!rq->msix || d->entry == rq->entry))
            return -EEXIST;
    }
    if (!m)
        return -ENOMEM;

    *m = (struct msi_desc){ .msix = rq->msix, .bdf = bdf, .pos = pos };
    uint32_t lo, hi;
    uint16_t data;
    msi_compose(dest, vector, &lo, &hi, &data);
    if (rq->msix) {
        int rc = setup_msix(m, rq, lo, hi, data);
        if (rc)
            return rc;
    } else {
        setup_msi(m, lo, hi, data);
    }
    m->used = true;
    *out = m;
    return 0;
}

void msi_set_masked(struct msi_desc *m, bool masked)
{
    if (m->msix) {
        uint16_t control = msix_table_access_begin(m);
        m->entry_va[PCI_MSIX_ENTRY_CTRL / 4] = masked ? PCI_MSIX_ENTRY_CTRL_MASKBIT : 0;
        (void)m->entry_va[PCI_MSIX_ENTRY_CTRL / 4];
        msix_table_access_end(m, control);
    } else if (m->l.maskable) {
        uint32_t bits = pci_conf_read(m->bdf, m->pos + m->l.mask, 4);
        pci_conf_write(m->bdf, m->pos + m->l.mask, 4, masked ? bits | 1 : bits & ~1u);
    }
}

bool msi_is_msix(const struct msi_desc *m)
{
    return m->msix;
}

unsigned int msi_bdf(const struct msi_desc *m)
{
    return m->bdf;
}

void msi_restore(struct msi_desc *m, uint8_t vector, uint8_t dest, bool masked)
{
    uint32_t lo, hi;
    uint16_t data;
    msi_compose(dest, vector, &lo, &hi, &data);
    if (m->msix) {
        msix_write_entry(m, lo, hi, data, masked);
    } else {
        setup_msi(m, lo, hi, data);
        msi_set_masked(m, masked);
    }
}

void msi_teardown(struct msi_desc *m)
{
    msi_set_masked(m, true);
    m->used = false;
}

void msi_describe(const struct msi_desc *m, char *buf, size_t len)
{
    if (m->msix)
        snprintf(buf, len, "0000:%02x:%02x.%u MSI-X %u", m->bdf >> 8, (m->bdf >> 3) & 0x1f, m->bdf & 7,
                 m->entry);
    else
        snprintf(buf, len, "0000:%02x:%02x.%u MSI", m->bdf >> 8, (m->bdf >> 3) & 0x1f, m->bdf & 7);
}
