/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: NMI reasons and HYPERVISOR_nmi_op.
 * The reasons are bits of shared_info.arch.nmi_reason, set when the
 * hypervisor forwards a hardware NMI to dom0.
 */
#ifndef XENO_PUBLIC_NMI_H
#define XENO_PUBLIC_NMI_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

#define _XEN_NMIREASON_io_error 0   /* I/O check (port 0x61 bit 6) */
#define XEN_NMIREASON_io_error  (xen_mk_ulong(1) << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr 1   /* PCI SERR (port 0x61 bit 7) */
#define XEN_NMIREASON_pci_serr  (xen_mk_ulong(1) << _XEN_NMIREASON_pci_serr)
#define _XEN_NMIREASON_unknown  2   /* no known hardware source */
#define XEN_NMIREASON_unknown   (xen_mk_ulong(1) << _XEN_NMIREASON_unknown)

/* HYPERVISOR_nmi_op(cmd, arg); same effect as registering CALLBACKTYPE_nmi. */
#define XENNMI_register_callback   0   /* arg -> struct xennmi_callback */
#define XENNMI_unregister_callback 1   /* arg NULL */

#ifndef __ASSEMBLER__

struct xennmi_callback {
    uint64_t handler_address;
    uint64_t pad;
};
typedef struct xennmi_callback xennmi_callback_t;

_Static_assert(sizeof(struct xennmi_callback) == 16, "xennmi_callback");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_NMI_H */
