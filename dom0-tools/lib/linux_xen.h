/* SPDX-License-Identifier: MIT */
#ifndef XENOCTRL_LINUX_XEN_H
#define XENOCTRL_LINUX_XEN_H

/*
 * The ioctl ABI of Linux's Xen devices (include/uapi/xen/privcmd.h,
 * evtchn.h, gntdev.h), restated: the installed uapi privcmd.h includes
 * kernel-internal headers and cannot be used from user space as is.
 * Layouts are for x86-64 and checked below.
 */
#include <stdint.h>
#include <sys/ioctl.h>

struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};

struct privcmd_mmapbatch_v2 {
    unsigned int num;                /* pages */
    uint16_t dom;
    uint64_t addr;                   /* start of an mmap of the privcmd device */
    const uint64_t *arr;             /* MFNs (GFNs) */
    int *err;                        /* per page: 0 or -errno */
};

#define IOCTL_PRIVCMD_HYPERCALL     _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAPBATCH_V2  _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))

struct ioctl_evtchn_bind_virq { unsigned int virq; };
struct ioctl_evtchn_bind_interdomain { unsigned int remote_domain, remote_port; };
struct ioctl_evtchn_bind_unbound_port { unsigned int remote_domain; };
struct ioctl_evtchn_unbind { unsigned int port; };
struct ioctl_evtchn_notify { unsigned int port; };

#define IOCTL_EVTCHN_BIND_VIRQ         _IOC(_IOC_NONE, 'E', 0, sizeof(struct ioctl_evtchn_bind_virq))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN  _IOC(_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT _IOC(_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
#define IOCTL_EVTCHN_UNBIND            _IOC(_IOC_NONE, 'E', 3, sizeof(struct ioctl_evtchn_unbind))
#define IOCTL_EVTCHN_NOTIFY            _IOC(_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_notify))

struct ioctl_gntdev_grant_ref { uint32_t domid, ref; };
struct ioctl_gntdev_map_grant_ref {
    uint32_t count, pad;
    uint64_t index;                  /* OUT: offset to mmap */
    struct ioctl_gntdev_grant_ref refs[1];
};
struct ioctl_gntdev_unmap_grant_ref { uint64_t index; uint32_t count, pad; };
struct ioctl_gntdev_get_offset_for_vaddr { uint64_t vaddr, offset; uint32_t count, pad; };

#define IOCTL_GNTDEV_MAP_GRANT_REF   _IOC(_IOC_NONE, 'G', 0, sizeof(struct ioctl_gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF _IOC(_IOC_NONE, 'G', 1, sizeof(struct ioctl_gntdev_unmap_grant_ref))
#define IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR \
    _IOC(_IOC_NONE, 'G', 2, sizeof(struct ioctl_gntdev_get_offset_for_vaddr))

_Static_assert(sizeof(struct privcmd_hypercall) == 48, "privcmd_hypercall");
_Static_assert(sizeof(struct privcmd_mmapbatch_v2) == 32, "privcmd_mmapbatch_v2");
_Static_assert(__builtin_offsetof(struct privcmd_mmapbatch_v2, addr) == 8, "mmapbatch_v2.addr");
_Static_assert(sizeof(struct ioctl_gntdev_map_grant_ref) == 24, "gntdev map");
_Static_assert(sizeof(struct ioctl_gntdev_unmap_grant_ref) == 16, "gntdev unmap");
_Static_assert(sizeof(struct ioctl_gntdev_get_offset_for_vaddr) == 24, "gntdev offset");

#endif
