/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: HYPERVISOR_physdev_op(cmd, arg).
 * The compat hypercall (19) takes a struct physdev_op carrying both.
 * Most commands are for dom0, which owns the physical interrupt and PCI
 * world; set_iopl and set_iobitmap apply to the calling vCPU.
 */
#ifndef XENO_PUBLIC_PHYSDEV_H
#define XENO_PUBLIC_PHYSDEV_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

#define PHYSDEVOP_IRQ_UNMASK_NOTIFY  4   /* obsolete, not implemented */
#define PHYSDEVOP_irq_status_query   5
#define PHYSDEVOP_set_iopl           6
#define PHYSDEVOP_set_iobitmap       7
#define PHYSDEVOP_apic_read          8
#define PHYSDEVOP_apic_write         9
#define PHYSDEVOP_alloc_irq_vector  10
#define PHYSDEVOP_free_irq_vector   11
#define PHYSDEVOP_eoi               12
#define PHYSDEVOP_map_pirq          13
#define PHYSDEVOP_unmap_pirq        14
#define PHYSDEVOP_manage_pci_add    15
#define PHYSDEVOP_manage_pci_remove 16
#define PHYSDEVOP_pirq_eoi_gmfn_v1  17   /* also makes EOI unmask the port */
#define PHYSDEVOP_restore_msi       19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi         21
/* 22 is intentionally unused. */
#define PHYSDEVOP_get_free_pirq     23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add    25
#define PHYSDEVOP_pci_device_remove 26
#define PHYSDEVOP_restore_msi_ext   27
#define PHYSDEVOP_pirq_eoi_gmfn_v2  28
#define PHYSDEVOP_dbgp_op           29
#define PHYSDEVOP_prepare_msix      30
#define PHYSDEVOP_release_msix      31
#define PHYSDEVOP_pci_device_reset  32

#define PHYSDEVOP_pirq_eoi_gmfn PHYSDEVOP_pirq_eoi_gmfn_v2

#ifndef __ASSEMBLER__

/* Signal end-of-interrupt for a physical IRQ (PIRQ). */
struct physdev_eoi {
    uint32_t irq;                       /* IN */
};
typedef struct physdev_eoi physdev_eoi_t;

/*
 * Register a page used as a bitmap indexed by PIRQ: a set bit means the
 * guest must issue PHYSDEVOP_eoi for that PIRQ.
 */
struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;                     /* IN */
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;

#define _XENIRQSTAT_needs_eoi (0)       /* guest must PHYSDEVOP_eoi it */
#define XENIRQSTAT_needs_eoi  (xen_mk_uint(1) << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared    (1)       /* line shared with other guests */
#define XENIRQSTAT_shared     (xen_mk_uint(1) << _XENIRQSTAT_shared)

struct physdev_irq_status_query {
    uint32_t irq;                       /* IN */
    uint32_t flags;                     /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;

/* Virtual IOPL of the vCPU: 0..3 (a 64-bit PV kernel usually sets 1). */
struct physdev_set_iopl {
    uint32_t iopl;                      /* IN */
};
typedef struct physdev_set_iopl physdev_set_iopl_t;

/*
 * Per-vCPU I/O permission bitmap in TSS format (a clear bit allows the
 * port).  Like hardware, two bytes are read around the last port, so the
 * buffer may be read one byte past nr_ports / 8.
 */
struct physdev_set_iobitmap {
    xen_guest_handle_t bitmap;          /* IN: -> uint8_t[] */
    uint32_t nr_ports;                  /* IN */
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;

/* IO-APIC register access for dom0. */
struct physdev_apic {
    uint64_t apic_physbase;             /* IN */
    uint32_t reg;                       /* IN */
    uint32_t value;                     /* IN (write) or OUT (read) */
};
typedef struct physdev_apic physdev_apic_t;

struct physdev_irq {
    uint32_t irq;                       /* IN */
    uint32_t vector;                    /* IN (free) or OUT (alloc) */
};
typedef struct physdev_irq physdev_irq_t;

/* physdev_map_pirq.type */
#define MAP_PIRQ_TYPE_MSI       0x0
#define MAP_PIRQ_TYPE_GSI       0x1
#define MAP_PIRQ_TYPE_UNKNOWN   0x2
#define MAP_PIRQ_TYPE_MSI_SEG   0x3     /* bus[31:16] is the PCI segment */
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4     /* as MSI_SEG; entry_nr is the count */

/* Bind a GSI or MSI source to a PIRQ of 'domid' (pirq < 0 lets the hypervisor pick). */
struct physdev_map_pirq {
    domid_t  domid;                     /* IN */
    int32_t  type;                      /* IN: MAP_PIRQ_TYPE_* */
    int32_t  index;                     /* IN: GSI, or MSI-X entry index */
    int32_t  pirq;                      /* IN/OUT */
    int32_t  bus;                       /* IN */
    int32_t  devfn;                     /* IN */
    int32_t  entry_nr;                  /* IN (OUT for MULTI_MSI) */
    uint64_t table_base;                /* IN: MSI-X table physical base */
};
typedef struct physdev_map_pirq physdev_map_pirq_t;

struct physdev_unmap_pirq {
    domid_t domid;                      /* IN */
    int32_t pirq;                       /* IN */
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;

/* Segment-0 device add/remove, superseded by pci_device_add/remove. */
struct physdev_manage_pci {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_manage_pci physdev_manage_pci_t;

struct physdev_restore_msi {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_restore_msi physdev_restore_msi_t;

struct physdev_manage_pci_ext {
    uint8_t  bus;
    uint8_t  devfn;
    uint32_t is_extfn;
    uint32_t is_virtfn;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;                           /* parent PF when is_virtfn */
};
typedef struct physdev_manage_pci_ext physdev_manage_pci_ext_t;

/* Argument of the compat hypercall __HYPERVISOR_physdev_op_compat. */
struct physdev_op {
    uint32_t cmd;
    union {
        physdev_irq_status_query_t irq_status_query;
        physdev_set_iopl_t         set_iopl;
        physdev_set_iobitmap_t     set_iobitmap;
        physdev_apic_t             apic_op;
        physdev_irq_t              irq_op;
    } u;
};
typedef struct physdev_op physdev_op_t;

/* Program trigger mode and polarity of a GSI discovered from ACPI. */
struct physdev_setup_gsi {
    int32_t gsi;                        /* IN */
    uint8_t triggering;                 /* IN: 0 edge, 1 level */
    uint8_t polarity;                   /* IN: 0 active high, 1 active low */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;

/* Reserve an unused PIRQ number of the caller. */
struct physdev_get_free_pirq {
    int32_t  type;                      /* IN: MAP_PIRQ_TYPE_GSI or _MSI */
    uint32_t pirq;                      /* OUT */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;

#define XEN_PCI_MMCFG_RESERVED 0x1
struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t  start_bus;
    uint8_t  end_bus;
    uint32_t flags;                     /* XEN_PCI_MMCFG_* */
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;

#define XEN_PCI_DEV_EXTFN  0x1
#define XEN_PCI_DEV_VIRTFN 0x2
#define XEN_PCI_DEV_PXM    0x4          /* optarr[0] holds the proximity domain */

struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t  bus;
    uint8_t  devfn;
    uint32_t flags;                     /* XEN_PCI_DEV_* */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    uint32_t optarr[];                  /* optional words selected by flags */
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;

/* Device name used by pci_device_remove, restore_msi_ext, *_msix, dbgp_op. */
struct physdev_pci_device {
    uint16_t seg;
    uint8_t  bus;
    uint8_t  devfn;
};
typedef struct physdev_pci_device physdev_pci_device_t;

#define PCI_DEVICE_RESET_COLD 0x0
#define PCI_DEVICE_RESET_WARM 0x1
#define PCI_DEVICE_RESET_HOT  0x2
#define PCI_DEVICE_RESET_FLR  0x3
#define PCI_DEVICE_RESET_MASK 0x3
struct pci_device_reset {
    physdev_pci_device_t dev;
    uint32_t flags;                     /* PCI_DEVICE_RESET_* */
};

/* Dom0 tells the hypervisor when it resets a USB debug port it shares. */
#define PHYSDEVOP_DBGP_RESET_PREPARE 1
#define PHYSDEVOP_DBGP_RESET_DONE    2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN   0
#define PHYSDEVOP_DBGP_BUS_PCI       1
struct physdev_dbgp_op {
    uint8_t op;                         /* PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus;                        /* PHYSDEVOP_DBGP_BUS_* */
    union {
        physdev_pci_device_t pci;
    } u;
};
typedef struct physdev_dbgp_op physdev_dbgp_op_t;

_Static_assert(sizeof(struct physdev_eoi) == 4, "physdev_eoi");
_Static_assert(sizeof(struct physdev_pirq_eoi_gmfn) == 8, "pirq_eoi_gmfn");
_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "irq_status_query");
_Static_assert(sizeof(struct physdev_set_iopl) == 4, "set_iopl");
_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "set_iobitmap");
_Static_assert(sizeof(struct physdev_apic) == 16, "physdev_apic");
_Static_assert(sizeof(struct physdev_irq) == 8, "physdev_irq");
_Static_assert(sizeof(struct physdev_map_pirq) == 40, "map_pirq");
_Static_assert(__builtin_offsetof(struct physdev_map_pirq, type) == 4, "map_pirq.type");
_Static_assert(__builtin_offsetof(struct physdev_map_pirq, entry_nr) == 24, "map_pirq.entry_nr");
_Static_assert(__builtin_offsetof(struct physdev_map_pirq, table_base) == 32, "map_pirq.table_base");
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "unmap_pirq");
_Static_assert(sizeof(struct physdev_manage_pci) == 2, "manage_pci");
_Static_assert(sizeof(struct physdev_manage_pci_ext) == 16, "manage_pci_ext");
_Static_assert(sizeof(struct physdev_op) == 24, "physdev_op");
_Static_assert(sizeof(struct physdev_setup_gsi) == 8, "setup_gsi");
_Static_assert(sizeof(struct physdev_get_free_pirq) == 8, "get_free_pirq");
_Static_assert(sizeof(struct physdev_pci_mmcfg_reserved) == 16, "mmcfg_reserved");
_Static_assert(sizeof(struct physdev_pci_device_add) == 12, "pci_device_add");
_Static_assert(__builtin_offsetof(struct physdev_pci_device_add, optarr) == 12, "pci_device_add.optarr");
_Static_assert(sizeof(struct physdev_pci_device) == 4, "pci_device");
_Static_assert(sizeof(struct pci_device_reset) == 8, "pci_device_reset");
_Static_assert(sizeof(struct physdev_dbgp_op) == 6, "dbgp_op");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_PHYSDEV_H */
