/* SPDX-License-Identifier: MIT */
/* physdev_op: I/O privilege, and (for dom0) physical interrupts and PCI. */
#include <xen/physdev.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/pv.h>

long do_physdev_op(HC_ARGS)
{
    struct vcpu *v = current;
    switch (a1) {
    case PHYSDEVOP_set_iopl: {
        struct physdev_set_iopl op;
        if (copy_from_guest(&op, a2, sizeof(op)))
            return -EFAULT;
        if (op.iopl > 3)
            return -EINVAL;
        v->iopl = op.iopl;
        return 0;
    }
    default:
        /* Interrupt routing and PCI sub-ops arrive with dom0 device support. */
        return -ENOSYS;
    }
}
