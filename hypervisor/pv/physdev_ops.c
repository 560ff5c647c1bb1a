/* SPDX-License-Identifier: MIT */
/*
 * physdev_op: I/O privilege, and for the hardware domain physical
 * interrupts and PCI (public/physdev.h; semantics of xen/arch/x86/physdev.c).
 * The routing itself is arch/x86/irq.c; this file is argument handling.
 */
#include <xen/physdev.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/irq.h>
#include <xeno/pv.h>

/* Xen's XSM_PRIV/XSM_DM_PRIV checks under the dummy policy: the hardware
 * domain only. */
static bool privileged(void)
{
    return pirq_is_hardware_domain(current->domain);
}

/* map_pirq/unmap_pirq name a domain: Xen's rcu_lock_domain_by_any_id.
 * Only the hardware domain has pirqs here (no passthrough to domUs). */
static long target_domain(domid_t domid, struct domain **out)
{
    struct domain *d = domid == DOMID_SELF ? current->domain : domain_lookup(domid);
    if (!d)
        return -ESRCH;
    if (!privileged())
        return -EPERM;
    if (!pirq_is_hardware_domain(d))
        return -EOPNOTSUPP;
    *out = d;
    return 0;
}

static long map_pirq(uint64_t arg)
{
    struct physdev_map_pirq map;
    struct domain *d;
    if (copy_from_guest(&map, arg, sizeof(map)))
        return -EFAULT;
    long rc = target_domain(map.domid, &d);
    if (rc)
        return rc;

    struct msi_request rq = { .bus = (uint8_t)map.bus, .devfn = (uint8_t)map.devfn };
    switch (map.type) {
    case MAP_PIRQ_TYPE_GSI:
        rc = pirq_map_gsi(d, map.index, &map.pirq);
        break;
    case MAP_PIRQ_TYPE_MULTI_MSI:
        /* Xen: no table for multi-vector MSI; a count of 1-32; more than
         * one vector needs interrupt remapping, which is not offered
         * (-EOPNOTSUPP, upon which Linux retries with one vector). */
        if (map.table_base)
            return -EINVAL;
        if (map.entry_nr <= 0 || map.entry_nr > 32)
            rc = -EDOM;
        else if (map.entry_nr != 1)
            rc = -EOPNOTSUPP;
        /* fall through */
    case MAP_PIRQ_TYPE_MSI_SEG:
        rq.seg = (uint16_t)((uint32_t)map.bus >> 16);
        /* fall through */
    case MAP_PIRQ_TYPE_MSI:
        if (rc)
            break;
        /* index names an existing hypervisor IRQ in Xen; dom0s pass -1. */
        if (map.index != -1) {
            rc = -EINVAL;
            break;
        }
        rq.msix = map.table_base != 0 && map.type != MAP_PIRQ_TYPE_MULTI_MSI;
        rq.entry = rq.msix ? (unsigned int)map.entry_nr : 0;
        rq.table_base = map.table_base;
        rc = pirq_map_msi(d, &rq, &map.pirq);
        break;
    default:
        return -EINVAL;         /* Xen: "wrong map_pirq type" */
    }
    /* Xen copies the structure back whatever the outcome. */
    if (copy_to_guest(arg, &map, sizeof(map)))
        return -EFAULT;
    return rc;
}

static long unmap_pirq(uint64_t arg)
{
    struct physdev_unmap_pirq op;
    struct domain *d;
    if (copy_from_guest(&op, arg, sizeof(op)))
        return -EFAULT;
    long rc = target_domain(op.domid, &d);
    return rc ? rc : pirq_unmap(d, op.pirq);
}

/* manage_pci_add & co. tell Xen of devices it did not find itself; here the
 * routing code reads config space directly, so only existence is checked. */
static long pci_device_op(unsigned int seg, unsigned int bus, unsigned int devfn)
{
    if (!privileged())
        return -EPERM;
    return pci_device_exists(seg, bus << 8 | devfn) ? 0 : -ENODEV;
}

long do_physdev_op(HC_ARGS)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    uint64_t arg = a2;
    (void)a3, (void)a4, (void)a5;

    switch (a1) {
    case PHYSDEVOP_set_iopl: {
        struct physdev_set_iopl op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        if (op.iopl > 3)
            return -EINVAL;
        v->iopl = op.iopl;
        return 0;
    }
    case PHYSDEVOP_eoi: {
        struct physdev_eoi op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        return pirq_eoi(d, (int)op.irq);
    }
    case PHYSDEVOP_pirq_eoi_gmfn_v2: {
        struct physdev_pirq_eoi_gmfn op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        return pirq_set_eoi_map(d, op.gmfn);
    }
    /* v1 also makes PHYSDEVOP_eoi unmask the event channel (Xen's
     * auto_unmask), which this event-channel glue does not offer; Linux
     * since 3.x uses v2, and a guest refused here falls back on
     * irq_status_query. */
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
        return -ENOSYS;
    case PHYSDEVOP_irq_status_query: {
        struct physdev_irq_status_query op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        long rc = pirq_status(d, (int)op.irq, &op.flags);
        if (!rc && copy_to_guest(arg, &op, sizeof(op)))
            return -EFAULT;
        return rc;
    }
    case PHYSDEVOP_apic_read: {
        /* Linux's PV dom0 reads the I/O APIC's ID and version registers
         * this way (arch/x86/xen/apic.c); its own mappings of the I/O
         * APIC are dummies. */
        struct physdev_apic op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        if (!privileged())
            return -EPERM;
        long rc = ioapic_guest_read(op.apic_physbase, op.reg, &op.value);
        if (copy_to_guest(arg, &op, sizeof(op)))
            return -EFAULT;
        return rc;
    }
    case PHYSDEVOP_apic_write:
        /* Dom0 kernels before Linux 2.6.3x programmed redirection entries
         * through this; current ones use setup_gsi + map_pirq, and the
         * pins belong to the hypervisor. */
        return privileged() ? -ENOSYS : -EPERM;
    case PHYSDEVOP_alloc_irq_vector: {
        /* Xen: a dummy that hands the IRQ back as the "vector"; the real
         * vector is chosen when the pirq is mapped. */
        struct physdev_irq op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        if (!privileged())
            return -EPERM;
        op.vector = op.irq;
        return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
    }
    case PHYSDEVOP_map_pirq:
        return map_pirq(arg);
    case PHYSDEVOP_unmap_pirq:
        return unmap_pirq(arg);
    case PHYSDEVOP_setup_gsi: {
        struct physdev_setup_gsi op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        if (op.gsi < 0 || (unsigned int)op.gsi >= nr_irqs_gsi())
            return -EINVAL;
        if (!privileged())
            return -EPERM;
        return gsi_setup(op.gsi, op.triggering != 0, op.polarity != 0);
    }
    case PHYSDEVOP_get_free_pirq: {
        struct physdev_get_free_pirq op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        long rc = pirq_get_free(d, op.type, &op.pirq);
        if (!rc && copy_to_guest(arg, &op, sizeof(op)))
            return -EFAULT;
        return rc;
    }
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove: {
        struct physdev_manage_pci op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        return pci_device_op(0, op.bus, op.devfn);
    }
    case PHYSDEVOP_manage_pci_add_ext: {
        struct physdev_manage_pci_ext op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        if (op.is_extfn > 1 || op.is_virtfn > 1)
            return -EINVAL;
        return pci_device_op(0, op.bus, op.devfn);
    }
    case PHYSDEVOP_pci_device_add: {
        struct physdev_pci_device_add op;       /* optarr[] is not needed */
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        return pci_device_op(op.seg, op.bus, op.devfn);
    }
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_prepare_msix:
    case PHYSDEVOP_release_msix: {
        /* prepare/release_msix readies a device's MSI-X for pciback
         * passthrough: nothing to prepare without passthrough. */
        struct physdev_pci_device op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        return pci_device_op(op.seg, op.bus, op.devfn);
    }
    case PHYSDEVOP_restore_msi: {
        struct physdev_restore_msi op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        if (!privileged())
            return -EPERM;
        return pirq_restore_msi(0, (unsigned int)op.bus << 8 | op.devfn);
    }
    case PHYSDEVOP_restore_msi_ext: {
        struct physdev_pci_device op;
        if (copy_from_guest(&op, arg, sizeof(op)))
            return -EFAULT;
        if (!privileged())
            return -EPERM;
        return pirq_restore_msi(op.seg, (unsigned int)op.bus << 8 | op.devfn);
    }
    case PHYSDEVOP_pci_mmcfg_reserved: {
        /* Config space is reached through ports 0xcf8/0xcfc only; the
         * report is accepted (so Linux keeps using its MMCONFIG) and unused. */
        struct physdev_pci_mmcfg_reserved op;
        if (!privileged())
            return -EPERM;
        return copy_from_guest(&op, arg, sizeof(op)) ? -EFAULT : 0;
    }
    case PHYSDEVOP_dbgp_op:
        /* No EHCI debug port driver: Linux's xen_dbgp_op treats the error
         * as "nothing to hand over". */
        return privileged() ? -ENOSYS : -EPERM;
    default:
        /* set_iobitmap, free_irq_vector, pci_device_reset, the obsolete
         * IRQ_UNMASK_NOTIFY: not provided. */
        return -ENOSYS;
    }
}
