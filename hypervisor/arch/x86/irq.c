/* SPDX-License-Identifier: MIT */
/*
 * Physical IRQs of the hardware domain, as Xen routes them to a PV dom0
 * (xen/arch/x86/irq.c, physdev.c; public/physdev.h):
 *
 *  - IRQs: one per GSI (irq == gsi) and one per mapped MSI/MSI-X vector;
 *    each gets a hypervisor vector in FIRST..LAST_DEVICE_VECTOR and is
 *    delivered, physically addressed, to the boot CPU.
 *  - pirqs: dom0's names for IRQs (PHYSDEVOP_map_pirq); Linux asks
 *    pirq == gsi for GSIs, and Xen hands out MSI pirqs from the top down.
 *  - EVTCHNOP_bind_pirq (pirq_guest_bind) unmasks the source; an arrival
 *    raises the bound event channel.  Xen's acknowledgement types:
 *    level-triggered I/O APIC pins are "ACKTYPE_UNMASK" (masked and the
 *    local APIC EOIed on arrival, unmasked by the guest's PHYSDEVOP_eoi),
 *    edge pins and maskable MSIs are "ACKTYPE_NONE" (EOIed at once; the
 *    event channel's pending bit coalesces).  Non-maskable MSIs are
 *    treated as edge too (Xen instead delays their local-APIC EOI until
 *    the guest's EOI, which only matters for interrupt storms).
 *  - The pirq EOI bitmap (PHYSDEVOP_pirq_eoi_gmfn_v2): bit p set while p
 *    is bound with an acknowledgement type other than NONE, which tells
 *    Linux whether to make the PHYSDEVOP_eoi call; irq_status_query always
 *    answers "needs EOI" as Xen does.
 *
 * Lock order: the event-channel lock (held around pirq_guest_bind/unbind)
 * -> irq_lock -> the I/O APIC, PCI and ioremap locks.  The interrupt path
 * drops irq_lock before raising the event.
 */
#include <asm/desc.h>
#include <xen/physdev.h>
#include <xeno/apic.h>
#include <xeno/errno.h>
#include <xeno/irq.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_mm.h>

enum irq_kind { IRQ_UNUSED, IRQ_GSI, IRQ_MSI };

struct irq_desc {
    uint8_t kind;
    uint8_t vector;             /* 0: none yet */
    bool level, active_low;     /* GSI trigger mode and polarity */
    bool set_up;                /* PHYSDEVOP_setup_gsi seen (Xen's pin_programmed) */
    bool reserved;              /* the hypervisor's own: never bound to dom0 */
    bool bound;                 /* an event channel is bound: unmasked, delivering */
    bool in_flight;             /* level: delivered, masked until the guest's EOI */
    int pirq;                   /* dom0's pirq, -1 */
    uint32_t port;              /* the event channel bound to pirq */
    struct msi_desc *msi;
    unsigned long count;        /* arrivals, for the log */
};

#define PIRQ_ALLOCATED (-1)     /* pirq_to_irq[]: reserved by get_free_pirq */

static struct irq_desc irq_desc[NR_IRQS];
static uint16_t vector_irq[256];        /* irq + 1; 0 = no IRQ on this vector */
static uint64_t vector_map[4];          /* vectors handed out */
static int16_t pirq_to_irq[NR_PIRQS];   /* irq + 1, PIRQ_ALLOCATED, 0 = free */
static unsigned int nr_gsis;
static uint8_t irq_dest;                /* APIC ID every device interrupt goes to */
static uint64_t *eoi_map;               /* the hardware domain's pirq EOI bitmap */
static unsigned long eoi_map_mfn;
static spinlock_t irq_lock = SPIN_LOCK_UNLOCKED;

bool pirq_is_hardware_domain(const struct domain *d)
{
    return d && d == dom0 && d->is_privileged;
}

unsigned int nr_irqs_gsi(void)
{
    return nr_gsis;
}

static void set_eoi_bit(int pirq, bool set)
{
    if (!eoi_map || pirq < 0)
        return;
    uint64_t bit = 1ULL << (pirq % 64);
    if (set)
        __atomic_fetch_or(&eoi_map[pirq / 64], bit, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&eoi_map[pirq / 64], ~bit, __ATOMIC_SEQ_CST);
}

static bool needs_guest_eoi(const struct irq_desc *desc)
{
    return desc->kind == IRQ_GSI && desc->level;
}

static uint64_t gsi_rte(const struct irq_desc *desc, bool masked)
{
    return ioapic_rte(desc->vector, desc->level, desc->active_low, masked, irq_dest);
}

void irq_init(void)
{
    pic_mask_all();
    irq_dest = (uint8_t)apic_id();
    nr_gsis = ioapic_init();
    /* Keep room for MSIs; a machine with more pins than this is beyond
     * what this table was sized for. */
    if (nr_gsis > NR_IRQS - 64) {
        printk(XENLOG_WARNING "IRQ: %u GSIs, routing only the first %u\n", nr_gsis, NR_IRQS - 64);
        nr_gsis = NR_IRQS - 64;
    }
    for (unsigned int gsi = 0; gsi < nr_gsis; gsi++) {
        struct irq_desc *desc = &irq_desc[gsi];
        desc->pirq = -1;
        if (!ioapic_has_gsi(gsi))
            continue;
        desc->kind = IRQ_GSI;
        gsi_default_mode(acpi.isos, acpi.nr_isos, gsi, &desc->level, &desc->active_low);
    }
    for (unsigned int irq = nr_gsis; irq < NR_IRQS; irq++)
        irq_desc[irq].pirq = -1;
    /* The console UART (COM1, ISA IRQ 4) stays the hypervisor's, as Xen's
     * ns16550 keeps its IRQ: dom0 may map the GSI but never bind it. */
    unsigned int uart_gsi = isa_irq_to_gsi(acpi.isos, acpi.nr_isos, 4);
    if (uart_gsi < nr_gsis)
        irq_desc[uart_gsi].reserved = true;
    printk("IRQ: %u GSIs, device vectors %#x-%#x to APIC ID %u, 8259 PICs masked\n", nr_gsis,
           FIRST_DEVICE_VECTOR, LAST_DEVICE_VECTOR, irq_dest);
}

static int alloc_vector(unsigned int irq)
{
    int v = vector_pick_free(vector_map, FIRST_DEVICE_VECTOR, LAST_DEVICE_VECTOR);
    if (v >= 0)
        vector_irq[v] = (uint16_t)(irq + 1);
    return v;
}

static void free_vector(unsigned int v)
{
    vector_map[v / 64] &= ~(1ULL << (v % 64));
    vector_irq[v] = 0;
}

/*
 * The event channel a pirq is bound to.  pirq_guest_bind runs inside
 * EVTCHNOP_bind_pirq after the port was chosen (the first free one) and
 * before it is marked ECS_PIRQ, under the event-channel lock: that port is
 * predicted there; pv_send_pirq takes the same lock, so an interrupt taken
 * meanwhile is raised only once the binding is complete.  Should the
 * prediction ever be wrong, the (lock-free, word-sized) port table is
 * searched for the real one.
 */
static uint32_t predict_port(const struct domain *d)
{
    for (unsigned int p = 1; p < d->evtchn.max_ports; p++)
        if (d->evtchn.ports[p].state == ECS_FREE)
            return p;
    return 0;
}

static uint32_t check_port(const struct domain *d, uint32_t pirq, uint32_t port)
{
    const struct evtchn *ports = d->evtchn.ports;
    if (port && port < d->evtchn.max_ports &&
        (ports[port].state == ECS_FREE || (ports[port].state == ECS_PIRQ && ports[port].u.pirq == pirq)))
        return port;
    for (unsigned int p = 1; p < d->evtchn.max_ports; p++)
        if (ports[p].state == ECS_PIRQ && ports[p].u.pirq == pirq)
            return p;
    return port;
}

void do_device_irq(unsigned int vector)
{
    spin_lock(&irq_lock);       /* interrupt gate: interrupts are off */
    unsigned int irq = vector_irq[vector & 0xff];
    if (!irq) {
        spin_unlock(&irq_lock);
        apic_eoi();
        printk(XENLOG_WARNING "IRQ: vector %#x has no IRQ\n", vector);
        return;
    }
    struct irq_desc *desc = &irq_desc[irq - 1];
    desc->count++;
    bool level = needs_guest_eoi(desc);
    /* Level: keep the line quiet until the guest has serviced the device. */
    if (level)
        ioapic_set_masked(irq - 1, true);
    apic_eoi();
    struct domain *d = NULL;
    uint32_t pirq = 0, port = 0;
    if (desc->bound && desc->pirq >= 0 && dom0 && !dom0->is_dying) {
        if (level)
            desc->in_flight = true;
        d = dom0;
        pirq = (uint32_t)desc->pirq;
        port = desc->port;
    }
    spin_unlock(&irq_lock);
    if (!d)
        return;     /* not bound: a level line stays masked until it is */
    uint32_t real = check_port(d, pirq, port);
    if (real != port) {
        spin_lock(&irq_lock);
        if (desc->bound && desc->pirq == (int)pirq)
            desc->port = real;
        spin_unlock(&irq_lock);
    }
    if (real)
        pv_send_pirq(d, real);
}

/* ---- binding (EVTCHNOP_bind_pirq / close), called under the event-channel lock ---- */

static struct irq_desc *pirq_desc(int pirq)
{
    if (pirq < 0 || pirq >= NR_PIRQS || pirq_to_irq[pirq] <= 0)
        return NULL;
    return &irq_desc[pirq_to_irq[pirq] - 1];
}

static void startup(struct irq_desc *desc)
{
    if (desc->kind == IRQ_GSI)
        ioapic_write_rte(desc - irq_desc, gsi_rte(desc, false));
    else if (desc->msi)
        msi_set_masked(desc->msi, false);
}

static void shutdown(struct irq_desc *desc)
{
    if (desc->kind == IRQ_GSI)
        ioapic_set_masked(desc - irq_desc, true);
    else if (desc->msi)
        msi_set_masked(desc->msi, true);
}

int pirq_guest_bind(struct domain *d, uint32_t pirq, bool will_share)
{
    (void)will_share;   /* only the hardware domain has pirqs: nobody to share with */
    if (!pirq_is_hardware_domain(d))
        return -EPERM;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    struct irq_desc *desc = pirq_desc((int)pirq);
    int rc = 0;
    if (!desc)
        rc = -EINVAL;           /* Xen: no IRQ behind the pirq */
    else if (desc->reserved || desc->bound)
        rc = -EBUSY;            /* Xen: "Cannot bind IRQ%d to dom%d. In use by '%s'." */
    if (!rc) {
        desc->bound = true;
        desc->in_flight = false;
        desc->port = predict_port(d);
        set_eoi_bit((int)pirq, needs_guest_eoi(desc));
        startup(desc);
    }
    spin_unlock_irqrestore(&irq_lock, f);
    return rc;
}

static void unbind(struct irq_desc *desc)
{
    if (!desc->bound)
        return;
    shutdown(desc);
    desc->bound = false;
    desc->in_flight = false;
    desc->port = 0;
}

void pirq_guest_unbind(struct domain *d, uint32_t pirq)
{
    if (!pirq_is_hardware_domain(d))
        return;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    struct irq_desc *desc = pirq_desc((int)pirq);
    if (desc)
        unbind(desc);
    set_eoi_bit((int)pirq, false);
    spin_unlock_irqrestore(&irq_lock, f);
}

/* ---- PHYSDEVOP_* ---- */

int pirq_map_gsi(struct domain *d, int gsi, int *pirq_p)
{
    if (!pirq_is_hardware_domain(d))
        return -EPERM;
    /* Xen gives dom0 IRQs 1..nr_irqs_gsi-1 (GSI 0 is the 8259's ExtINT pin). */
    if (gsi <= 0 || (unsigned int)gsi >= nr_gsis || irq_desc[gsi].kind != IRQ_GSI)
        return -EINVAL;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    struct irq_desc *desc = &irq_desc[gsi];
    int pirq = *pirq_p, rc = 0;
    if (pirq < 0)
        pirq = desc->pirq >= 0 ? desc->pirq : pirq_pick_free(pirq_to_irq, NR_PIRQS, nr_gsis, PIRQ_TYPE_GSI);
    else if (desc->pirq >= 0 && desc->pirq != pirq)
        rc = -EEXIST;           /* Xen allocate_pirq: "irq already mapped to pirq" */
    if (!rc && pirq < 0)
        rc = pirq;
    if (!rc && pirq >= NR_PIRQS)
        rc = -EINVAL;
    /* Another IRQ behind this pirq: Xen logs it and returns 0 without a
     * change, which would leave dom0 believing a mapping it does not have. */
    if (!rc && pirq_to_irq[pirq] > 0 && pirq_to_irq[pirq] != gsi + 1)
        rc = -EBUSY;
    if (!rc && !desc->vector) {
        int v = alloc_vector(gsi);
        if (v < 0)
            rc = v;
        else {
            desc->vector = (uint8_t)v;
            ioapic_write_rte(gsi, gsi_rte(desc, true));
        }
    }
    if (!rc) {
        desc->pirq = pirq;
        pirq_to_irq[pirq] = (int16_t)(gsi + 1);
        *pirq_p = pirq;
    }
    spin_unlock_irqrestore(&irq_lock, f);
    return rc;
}

int pirq_map_msi(struct domain *d, const struct msi_request *rq, int *pirq_p)
{
    if (!pirq_is_hardware_domain(d))
        return -EPERM;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    int pirq = *pirq_p, rc = 0;
    unsigned int irq = nr_gsis;
    while (irq < NR_IRQS && irq_desc[irq].kind != IRQ_UNUSED)
        irq++;
    if (irq == NR_IRQS)
        rc = -ENOSPC;
    else if (pirq < 0 && (pirq = pirq_pick_free(pirq_to_irq, NR_PIRQS, nr_gsis, PIRQ_TYPE_MSI)) < 0)
        rc = pirq;
    else if (pirq >= NR_PIRQS)
        rc = -EINVAL;
    else if (pirq_to_irq[pirq] > 0)
        rc = -EBUSY;
    int v = -1;
    if (!rc) {
        v = alloc_vector(irq);
        if (v < 0)
            rc = v;
    }
    struct msi_desc *m = NULL;
    if (!rc) {
        rc = msi_setup(rq, (uint8_t)v, irq_dest, &m);
        if (rc)
            free_vector(v);
    }
    if (!rc) {
        struct irq_desc *desc = &irq_desc[irq];
        *desc = (struct irq_desc){ .kind = IRQ_MSI, .vector = (uint8_t)v, .pirq = pirq, .msi = m };
        pirq_to_irq[pirq] = (int16_t)(irq + 1);
        *pirq_p = pirq;
    }
    spin_unlock_irqrestore(&irq_lock, f);
    return rc;
}

int pirq_unmap(struct domain *d, int pirq)
{
    if (!pirq_is_hardware_domain(d))
        return -EPERM;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    struct irq_desc *desc = pirq_desc(pirq);
    if (!desc) {
        spin_unlock_irqrestore(&irq_lock, f);
        return -EINVAL;         /* Xen: "pirq %d not mapped" */
    }
    /* Still bound: Xen's pirq_guest_force_unbind.  The event channel stays
     * ECS_PIRQ until dom0 closes it; the close then finds nothing mapped. */
    unbind(desc);
    set_eoi_bit(pirq, false);
    pirq_to_irq[pirq] = 0;
    desc->pirq = -1;
    if (desc->kind == IRQ_MSI) {
        msi_teardown(desc->msi);
        free_vector(desc->vector);
        *desc = (struct irq_desc){ .kind = IRQ_UNUSED, .pirq = -1 };
    }
    /* A GSI keeps its vector and (masked) redirection entry for the next map. */
    spin_unlock_irqrestore(&irq_lock, f);
    return 0;
}

int pirq_eoi(struct domain *d, int pirq)
{
    if (!pirq_is_hardware_domain(d) || pirq < 0 || pirq >= NR_PIRQS)
        return -EINVAL;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    int rc = pirq_to_irq[pirq] ? 0 : -EINVAL;
    struct irq_desc *desc = pirq_desc(pirq);
    if (desc && desc->in_flight) {
        desc->in_flight = false;
        if (desc->bound)
            ioapic_set_masked(desc - irq_desc, false);
    }
    spin_unlock_irqrestore(&irq_lock, f);
    return rc;
}

int pirq_status(struct domain *d, int pirq, uint32_t *flags)
{
    if (!pirq_is_hardware_domain(d) || pirq < 0 || pirq >= NR_PIRQS)
        return -EINVAL;
    /* Xen: always "needs EOI" (a guest without the EOI bitmap must EOI
     * conservatively); never shared, as only one domain has pirqs. */
    *flags = XENIRQSTAT_needs_eoi;
    return 0;
}

int pirq_set_eoi_map(struct domain *d, unsigned long gmfn)
{
    if (!pirq_is_hardware_domain(d))
        return -ENOSYS;     /* no pirqs: the guest falls back on irq_status_query */
    /* A PV guest's frame numbers are machine frames; the page keeps a
     * writable type reference (as Xen takes) so it can never become a
     * page table while the hypervisor writes bits into it. */
    spin_lock(&pv_mm_lock);
    int rc = get_page_and_type(&pv_env, gmfn, d->domid, PGT_writable_page);
    spin_unlock(&pv_mm_lock);
    if (rc)
        return -EINVAL;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    if (eoi_map_mfn) {
        spin_unlock_irqrestore(&irq_lock, f);
        spin_lock(&pv_mm_lock);
        put_page_and_type(&pv_env, gmfn);
        spin_unlock(&pv_mm_lock);
        return -EBUSY;      /* Xen: only once */
    }
    eoi_map_mfn = gmfn;
    eoi_map = __va((paddr_t)gmfn << PAGE_SHIFT);
    for (int p = 0; p < NR_PIRQS; p++) {
        struct irq_desc *desc = pirq_desc(p);
        if (desc && desc->bound)
            set_eoi_bit(p, needs_guest_eoi(desc));
    }
    spin_unlock_irqrestore(&irq_lock, f);
    return 0;
}

int pirq_get_free(struct domain *d, int type, uint32_t *out)
{
    if (!pirq_is_hardware_domain(d))
        return -EPERM;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    int p = pirq_pick_free(pirq_to_irq, NR_PIRQS, nr_gsis,
                           type == MAP_PIRQ_TYPE_GSI ? PIRQ_TYPE_GSI : PIRQ_TYPE_MSI);
    if (p >= 0) {
        pirq_to_irq[p] = PIRQ_ALLOCATED;
        *out = (uint32_t)p;
    }
    spin_unlock_irqrestore(&irq_lock, f);
    return p < 0 ? p : 0;
}

int gsi_setup(int gsi, bool level, bool active_low)
{
    if (gsi < 0 || (unsigned int)gsi >= nr_gsis || irq_desc[gsi].kind != IRQ_GSI)
        return -EINVAL;
    unsigned long f = spin_lock_irqsave(&irq_lock);
    struct irq_desc *desc = &irq_desc[gsi];
    int rc = 0;
    /* Xen's mp_register_gsi: -EEXIST for a pin in use (bound) and for one
     * set up before ("Avoid pin reprogramming": PRTs repeat GSIs). */
    if (desc->bound || desc->set_up) {
        rc = -EEXIST;
    } else {
        desc->set_up = true;
        desc->level = level;
        desc->active_low = active_low;
        if (desc->vector)
            ioapic_write_rte(gsi, gsi_rte(desc, true));
    }
    spin_unlock_irqrestore(&irq_lock, f);
    return rc;
}

int pirq_restore_msi(unsigned int seg, unsigned int bdf)
{
    if (!pci_device_exists(seg, bdf))
        return -ENODEV;     /* Xen: no such pdev */
    unsigned long f = spin_lock_irqsave(&irq_lock);
    for (unsigned int irq = nr_gsis; irq < NR_IRQS; irq++) {
        struct irq_desc *desc = &irq_desc[irq];
        if (desc->kind == IRQ_MSI && msi_bdf(desc->msi) == bdf)
            msi_restore(desc->msi, desc->vector, irq_dest, !desc->bound);
    }
    spin_unlock_irqrestore(&irq_lock, f);
    return 0;
}
