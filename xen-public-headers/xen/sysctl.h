/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the system-control interface: HYPERVISOR_sysctl(op),
 * for the control domain only (-EPERM otherwise).
 *
 * Numbers and structure shapes are Xen's (public sysctl.h, interface
 * version 0x15 of Xen 4.17); the version is Xeno's own, for the reason
 * given in domctl.h.  A mismatch is -EACCES; unimplemented commands are
 * -ENOSYS.  The struct is copied back on success.
 */
#ifndef XENO_PUBLIC_SYSCTL_H
#define XENO_PUBLIC_SYSCTL_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"
#include "domctl.h"

/* 'X' 'S' then a revision. */
#define XEN_SYSCTL_INTERFACE_VERSION 0x58530001

#define XEN_SYSCTL_readconsole          1   /* IN/OUT u.readconsole */
#define XEN_SYSCTL_tbuf_op              2   /* not implemented */
#define XEN_SYSCTL_physinfo             3   /* OUT u.physinfo */
#define XEN_SYSCTL_sched_id             4   /* OUT u.sched_id */
#define XEN_SYSCTL_perfc_op             5   /* not implemented */
#define XEN_SYSCTL_getdomaininfolist    6   /* IN/OUT u.getdomaininfolist */
#define XEN_SYSCTL_debug_keys           7   /* u.debug_keys */
#define XEN_SYSCTL_getcpuinfo           8   /* IN/OUT u.getcpuinfo */
#define XEN_SYSCTL_availheap            9   /* not implemented */
#define XEN_SYSCTL_cputopoinfo         16   /* IN/OUT u.cputopoinfo */
#define XEN_SYSCTL_numainfo            17   /* not implemented */

#ifndef __ASSEMBLER__

/*
 * XEN_SYSCTL_readconsole: copy the hypervisor's log ring (`xm dmesg`).
 * index is a running byte count of everything ever logged, modulo 2^32.
 * Without incremental, reading starts at the oldest byte still in the ring
 * (or where the last clear left off); with it, at index if that byte is
 * still in the ring.  OUT: count = bytes copied, index = where the next
 * incremental read continues.  clear: later non-incremental reads start
 * after what this one returned.
 */
struct xen_sysctl_readconsole {
    uint8_t  clear;
    uint8_t  incremental;
    uint8_t  pad0, pad1;
    uint32_t index;
    xen_guest_handle_t buffer;      /* -> char[count] */
    uint32_t count;                 /* IN: buffer size; OUT: bytes written */
    uint32_t _pad;
};

/* XEN_SYSCTL_physinfo. */
#define _XEN_SYSCTL_PHYSCAP_hvm       0
#define XEN_SYSCTL_PHYSCAP_hvm        (1U << _XEN_SYSCTL_PHYSCAP_hvm)
#define _XEN_SYSCTL_PHYSCAP_pv        1
#define XEN_SYSCTL_PHYSCAP_pv         (1U << _XEN_SYSCTL_PHYSCAP_pv)
#define _XEN_SYSCTL_PHYSCAP_directio  2
#define XEN_SYSCTL_PHYSCAP_directio   (1U << _XEN_SYSCTL_PHYSCAP_directio)
#define _XEN_SYSCTL_PHYSCAP_hap       3
#define XEN_SYSCTL_PHYSCAP_hap        (1U << _XEN_SYSCTL_PHYSCAP_hap)
#define _XEN_SYSCTL_PHYSCAP_shadow    4
#define XEN_SYSCTL_PHYSCAP_shadow     (1U << _XEN_SYSCTL_PHYSCAP_shadow)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1U << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace    (1U << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu       (1U << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1  (1U << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2  (1U << 9)

struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;               /* online */
    uint32_t max_cpu_id;
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;          /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;
    uint32_t pad;
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t scrub_pages;           /* 0: memory is scrubbed on allocation */
    uint64_t outstanding_pages;
    uint64_t max_mfn;
    uint32_t hw_cap[8];             /* CPUID words, see physinfo in pv/sysctl.c */
};

/* XEN_SYSCTL_sched_id. */
struct xen_sysctl_sched_id {
    uint32_t sched_id;              /* XEN_SCHEDULER_* */
};

/* XEN_SYSCTL_getdomaininfolist: domains with id >= first_domain, in id
 * order, at most max_domains. */
struct xen_sysctl_getdomaininfolist {
    domid_t  first_domain;
    uint16_t _pad;
    uint32_t max_domains;
    xen_guest_handle_t buffer;      /* -> xen_domctl_getdomaininfo_t[max_domains] */
    uint32_t num_domains;           /* OUT */
    uint32_t _pad2;
};

/* XEN_SYSCTL_debug_keys: run the hypervisor's debug keys as if typed. */
struct xen_sysctl_debug_keys {
    xen_guest_handle_t keys;        /* -> const char[nr_keys] */
    uint32_t nr_keys;
    uint32_t _pad;
};

/* XEN_SYSCTL_getcpuinfo: idle time per CPU (ns). */
struct xen_sysctl_cpuinfo {
    uint64_t idletime;
};
typedef struct xen_sysctl_cpuinfo xen_sysctl_cpuinfo_t;

struct xen_sysctl_getcpuinfo {
    uint32_t max_cpus;
    uint32_t _pad;
    xen_guest_handle_t info;        /* -> xen_sysctl_cpuinfo_t[max_cpus] */
    uint32_t nr_cpus;               /* OUT */
    uint32_t _pad2;
};

/* XEN_SYSCTL_cputopoinfo: a NULL cputopo handle asks for the number of
 * entries; offline CPUs read XEN_INVALID_*_ID. */
#define XEN_INVALID_CORE_ID   (~0U)
#define XEN_INVALID_SOCKET_ID (~0U)
#define XEN_INVALID_NODE_ID   (~0U)
struct xen_sysctl_cputopo {
    uint32_t core;
    uint32_t socket;
    uint32_t node;
};
typedef struct xen_sysctl_cputopo xen_sysctl_cputopo_t;

struct xen_sysctl_cputopoinfo {
    uint32_t num_cpus;              /* IN: entries in cputopo; OUT: CPUs described */
    uint32_t _pad;
    xen_guest_handle_t cputopo;     /* -> xen_sysctl_cputopo_t[num_cpus] */
};

struct xen_sysctl {
    uint32_t cmd;                   /* XEN_SYSCTL_* */
    uint32_t interface_version;     /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole       readconsole;
        struct xen_sysctl_physinfo          physinfo;
        struct xen_sysctl_sched_id          sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_debug_keys        debug_keys;
        struct xen_sysctl_getcpuinfo        getcpuinfo;
        struct xen_sysctl_cputopoinfo       cputopoinfo;
        uint8_t                             pad[128];
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;

/* Layouts as in Xen 4.17's public sysctl.h on x86-64. */
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl size");
_Static_assert(__builtin_offsetof(struct xen_sysctl, u) == 8, "xen_sysctl.u");
_Static_assert(sizeof(struct xen_sysctl_readconsole) == 24, "readconsole size");
_Static_assert(__builtin_offsetof(struct xen_sysctl_readconsole, buffer) == 8, "readconsole.buffer");
_Static_assert(__builtin_offsetof(struct xen_sysctl_readconsole, count) == 16, "readconsole.count");
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo size");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, total_pages) == 40, "physinfo.total_pages");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, hw_cap) == 80, "physinfo.hw_cap");
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24, "getdomaininfolist size");
_Static_assert(__builtin_offsetof(struct xen_sysctl_getdomaininfolist, buffer) == 8, "dominfolist.buffer");
_Static_assert(__builtin_offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16, "dominfolist.num");
_Static_assert(sizeof(struct xen_sysctl_getcpuinfo) == 24, "getcpuinfo size");
_Static_assert(sizeof(struct xen_sysctl_cputopo) == 12, "cputopo size");
_Static_assert(sizeof(struct xen_sysctl_cputopoinfo) == 16, "cputopoinfo size");

#endif /* __ASSEMBLER__ */
#endif /* XENO_PUBLIC_SYSCTL_H */
