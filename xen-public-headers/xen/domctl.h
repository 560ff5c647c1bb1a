/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the domain-control interface: HYPERVISOR_domctl(op),
 * one struct xen_domctl per call, for the control domain (dom0) only.
 *
 * Command numbers, flag bits and structure shapes are Xen's (public
 * domctl.h, interface version 0x15 of Xen 4.17), so a toolstack written
 * against Xen needs little more than the version below.  The version
 * itself is Xeno's own: the set of commands implemented differs, and a
 * caller built for Xen's numbering of the interface must fail loudly
 * (-EACCES, as Xen answers any version mismatch) rather than half work.
 *
 * Every call: the hypervisor copies the whole struct in, checks
 * interface_version (-EACCES), looks the domain up (-ESRCH, except for
 * createdomain and getdomaininfo), and copies the struct back out for the
 * commands marked OUT.  An unprivileged caller gets -EPERM for all of it.
 * Commands Xeno does not implement answer -ENOSYS (Xen's default).
 */
#ifndef XENO_PUBLIC_DOMCTL_H
#define XENO_PUBLIC_DOMCTL_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

/* 'X' 'D' then a revision: never equal to any of Xen's (0x00..0xff). */
#define XEN_DOMCTL_INTERFACE_VERSION 0x58440001

/* struct xen_domctl.cmd */
#define XEN_DOMCTL_createdomain          1   /* IN/OUT domain; u.createdomain */
#define XEN_DOMCTL_destroydomain         2
#define XEN_DOMCTL_pausedomain           3
#define XEN_DOMCTL_unpausedomain         4
#define XEN_DOMCTL_getdomaininfo         5   /* OUT u.getdomaininfo */
/* 6 getmemlist, 7 getpageframeinfo, 8 getpageframeinfo2: withdrawn in Xen */
#define XEN_DOMCTL_setvcpuaffinity       9   /* not implemented */
#define XEN_DOMCTL_shadow_op            10   /* not implemented (no shadow paging) */
#define XEN_DOMCTL_max_mem              11   /* u.max_mem */
#define XEN_DOMCTL_setvcpucontext       12   /* u.vcpucontext */
#define XEN_DOMCTL_getvcpucontext       13   /* u.vcpucontext */
#define XEN_DOMCTL_getvcpuinfo          14   /* IN/OUT u.getvcpuinfo */
#define XEN_DOMCTL_max_vcpus            15   /* u.max_vcpus */
#define XEN_DOMCTL_scheduler_op         16   /* IN/OUT u.scheduler_op */
#define XEN_DOMCTL_setdomainhandle      17   /* u.setdomainhandle */
#define XEN_DOMCTL_setdebugging         18   /* not implemented */
#define XEN_DOMCTL_irq_permission       19   /* u.irq_permission */
#define XEN_DOMCTL_iomem_permission     20   /* u.iomem_permission */
#define XEN_DOMCTL_ioport_permission    21   /* u.ioport_permission */
#define XEN_DOMCTL_hypercall_init       22   /* u.hypercall_init */
#define XEN_DOMCTL_settimeoffset        24   /* u.settimeoffset */
#define XEN_DOMCTL_getvcpuaffinity      25   /* not implemented */
#define XEN_DOMCTL_resumedomain         27   /* not implemented */
#define XEN_DOMCTL_sendtrigger          28   /* not implemented */
#define XEN_DOMCTL_subscribe            29   /* not implemented */
#define XEN_DOMCTL_gethvmcontext        33   /* not implemented (PV only) */
#define XEN_DOMCTL_sethvmcontext        34   /* not implemented (PV only) */
#define XEN_DOMCTL_set_address_size     35   /* u.address_size */
#define XEN_DOMCTL_get_address_size     36   /* OUT u.address_size */
#define XEN_DOMCTL_getpageframeinfo3    61   /* u.getpageframeinfo3 */
#define XEN_DOMCTL_set_virq_handler     66   /* not implemented */

#ifndef __ASSEMBLER__

/*
 * XEN_DOMCTL_createdomain.  xen_domctl.domain is IN/OUT: a free id in
 * 1..DOMID_FIRST_RESERVED-1 is taken as asked (-EEXIST if in use); 0 or
 * a reserved value lets the hypervisor pick one.  The new domain has its
 * vCPUs (all down, uninitialised), no memory (max_pages 0), and is paused
 * once by the controller: one unpausedomain starts it.
 */
#define _XEN_DOMCTL_CDF_hvm           0
#define XEN_DOMCTL_CDF_hvm            (1U << _XEN_DOMCTL_CDF_hvm)       /* refused */
#define _XEN_DOMCTL_CDF_hap           1
#define XEN_DOMCTL_CDF_hap            (1U << _XEN_DOMCTL_CDF_hap)       /* refused */
#define _XEN_DOMCTL_CDF_s3_integrity  2
#define XEN_DOMCTL_CDF_s3_integrity   (1U << _XEN_DOMCTL_CDF_s3_integrity) /* refused */
#define _XEN_DOMCTL_CDF_oos_off       3
#define XEN_DOMCTL_CDF_oos_off        (1U << _XEN_DOMCTL_CDF_oos_off)   /* ignored */
#define _XEN_DOMCTL_CDF_xs_domain     4
#define XEN_DOMCTL_CDF_xs_domain      (1U << _XEN_DOMCTL_CDF_xs_domain) /* recorded */
#define _XEN_DOMCTL_CDF_iommu         5
#define XEN_DOMCTL_CDF_iommu          (1U << _XEN_DOMCTL_CDF_iommu)     /* refused */
#define _XEN_DOMCTL_CDF_nested_virt   6
#define XEN_DOMCTL_CDF_nested_virt    (1U << _XEN_DOMCTL_CDF_nested_virt) /* refused */
#define XEN_DOMCTL_CDF_vpmu           (1U << 7)                         /* refused */

/* grant_opts: the grant-table version in the low 4 bits. */
#define XEN_DOMCTL_GRANT_version_mask 0xf
#define XEN_DOMCTL_GRANT_version(v)   ((v) & XEN_DOMCTL_GRANT_version_mask)

/* x86 arch config: emulated devices (HVM only: must be 0 for PV). */
struct xen_arch_domainconfig {
    uint32_t emulation_flags;
    uint32_t misc_flags;            /* XEN_X86_MSR_RELAXED accepted, ignored */
};
#define XEN_X86_MSR_RELAXED (1U << 0)

struct xen_domctl_createdomain {
    uint32_t ssidref;               /* ignored (no XSM) */
    xen_domain_handle_t handle;     /* UUID, stored */
    uint32_t flags;                 /* XEN_DOMCTL_CDF_* */
    uint32_t iommu_opts;            /* must be 0 */
    uint32_t max_vcpus;             /* 1..32 (the legacy vcpu_info slots) */
    uint32_t max_evtchn_port;       /* highest usable port, capped at 4095 */
    int32_t  max_grant_frames;      /* -1 (default) or 1..64; the table is 64 */
    int32_t  max_maptrack_frames;   /* -1 or >= 0; ignored */
    uint32_t grant_opts;            /* version 1 (0 taken as 1) */
    uint32_t vmtrace_size;          /* must be 0 */
    uint32_t cpupool_id;            /* must be 0 (-ENOENT otherwise) */
    struct xen_arch_domainconfig arch;
};

/* XEN_DOMCTL_getdomaininfo: the domain asked for, or if it does not exist
 * the next existing one above it (Xen's semantics; xen_domctl.domain and
 * .domain here name the one returned); -ESRCH when there is none. */
#define _XEN_DOMINF_dying      0
#define XEN_DOMINF_dying       (1U << _XEN_DOMINF_dying)
#define _XEN_DOMINF_hvm_guest  1
#define XEN_DOMINF_hvm_guest   (1U << _XEN_DOMINF_hvm_guest)
#define _XEN_DOMINF_shutdown   2
#define XEN_DOMINF_shutdown    (1U << _XEN_DOMINF_shutdown)
#define _XEN_DOMINF_paused     3
#define XEN_DOMINF_paused      (1U << _XEN_DOMINF_paused)     /* by the controller */
#define _XEN_DOMINF_blocked    4
#define XEN_DOMINF_blocked     (1U << _XEN_DOMINF_blocked)    /* every online vCPU blocked */
#define _XEN_DOMINF_running    5
#define XEN_DOMINF_running     (1U << _XEN_DOMINF_running)    /* some vCPU on a CPU */
#define _XEN_DOMINF_debugged   6
#define XEN_DOMINF_debugged    (1U << _XEN_DOMINF_debugged)
#define _XEN_DOMINF_xs_domain  7
#define XEN_DOMINF_xs_domain   (1U << _XEN_DOMINF_xs_domain)
#define _XEN_DOMINF_hap        8
#define XEN_DOMINF_hap         (1U << _XEN_DOMINF_hap)
/* The SHUTDOWN_* reason, valid with XEN_DOMINF_shutdown. */
#define XEN_DOMINF_shutdownmask  255
#define XEN_DOMINF_shutdownshift 16

#define XEN_INVALID_MAX_VCPU_ID (~0U)

struct xen_domctl_getdomaininfo {
    domid_t  domain;
    uint16_t pad1;
    uint32_t flags;                 /* XEN_DOMINF_* | reason << shutdownshift */
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t outstanding_pages;     /* 0 */
    uint64_t shr_pages;             /* 0 */
    uint64_t paged_pages;           /* 0 */
    uint64_t shared_info_frame;     /* PV: the MFN */
    uint64_t cpu_time;              /* ns, all vCPUs */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;               /* 0 */
    xen_domain_handle_t handle;
    uint32_t cpupool;               /* 0 */
    uint8_t  gpaddr_bits;
    uint8_t  pad2[7];
    struct xen_arch_domainconfig arch_config;
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;

/* XEN_DOMCTL_getpageframeinfo3: array holds num (<= 1024, else -E2BIG)
 * MFNs of the domain; each is replaced by its type. */
#define XEN_DOMCTL_PFINFO_LTAB_SHIFT 28
#define XEN_DOMCTL_PFINFO_NOTAB      (0x0U << 28)
#define XEN_DOMCTL_PFINFO_L1TAB      (0x1U << 28)
#define XEN_DOMCTL_PFINFO_L2TAB      (0x2U << 28)
#define XEN_DOMCTL_PFINFO_L3TAB      (0x3U << 28)
#define XEN_DOMCTL_PFINFO_L4TAB      (0x4U << 28)
#define XEN_DOMCTL_PFINFO_LTABTYPE_MASK (0x7U << 28)
#define XEN_DOMCTL_PFINFO_LPINTAB    (0x1U << 31)
#define XEN_DOMCTL_PFINFO_XTAB       (0xfU << 28)   /* not the domain's RAM */
#define XEN_DOMCTL_PFINFO_XALLOC     (0xeU << 28)
#define XEN_DOMCTL_PFINFO_BROKEN     (0xdU << 28)
#define XEN_DOMCTL_PFINFO_LTAB_MASK  (0xfU << 28)

struct xen_domctl_getpageframeinfo3 {
    uint64_t num;
    xen_guest_handle_t array;       /* -> xen_pfn_t[num], IN/OUT */
};

/* XEN_DOMCTL_max_mem: new maximum in KiB (pages = kb >> 2); may drop below
 * the current allocation, which then only blocks new allocations (Xen). */
struct xen_domctl_max_mem {
    uint64_t max_memkb;
};

/* XEN_DOMCTL_setvcpucontext / getvcpucontext. */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;
    uint32_t _pad;
    xen_guest_handle_t ctxt;        /* -> struct vcpu_guest_context; 0 = reset (set only) */
};

/* XEN_DOMCTL_getvcpuinfo. */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;                  /* IN */
    uint8_t  online;                /* OUT: not down */
    uint8_t  blocked;               /* OUT: waiting for an event */
    uint8_t  running;               /* OUT: on a CPU now */
    uint8_t  _pad;
    uint64_t cpu_time;              /* OUT: ns spent running */
    uint32_t cpu;                   /* OUT: the CPU it runs on */
    uint32_t _pad2;
};

/* XEN_DOMCTL_max_vcpus: all vCPUs are made at createdomain, so this only
 * succeeds with max equal to createdomain's max_vcpus (Xen 4.17 too). */
struct xen_domctl_max_vcpus {
    uint32_t max;
};

/* XEN_DOMCTL_scheduler_op: Xeno's weighted round robin answers as the
 * credit scheduler (weight; cap must be 0). */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9
#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3

struct xen_domctl_sched_credit {
    uint16_t weight;                /* 1..65535; 0 on put = unchanged */
    uint16_t cap;                   /* % of a CPU, 0 = none */
};

struct xen_domctl_scheduler_op {
    uint32_t sched_id;              /* XEN_SCHEDULER_* */
    uint32_t cmd;                   /* XEN_DOMCTL_SCHEDOP_* */
    union {
        struct xen_domctl_sched_credit credit;
        struct {
            xen_guest_handle_t vcpus;
            uint32_t nr_vcpus;
            uint32_t padding;
        } v;
    } u;
};

/* XEN_DOMCTL_setdomainhandle. */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;
};

/* XEN_DOMCTL_irq_permission / iomem_permission / ioport_permission: grant
 * or revoke a range.  Recorded; the caller must itself have the access. */
struct xen_domctl_irq_permission {
    uint8_t pirq;
    uint8_t allow_access;
};

struct xen_domctl_iomem_permission {
    uint64_t first_mfn;
    uint64_t nr_mfns;               /* > 0, no wrap */
    uint8_t  allow_access;
};

struct xen_domctl_ioport_permission {
    uint32_t first_port;
    uint32_t nr_ports;              /* > 0, first + nr <= 65536 */
    uint8_t  allow_access;
};

/* XEN_DOMCTL_hypercall_init: write the hypercall page into frame gmfn
 * (PV: an MFN the domain owns). */
struct xen_domctl_hypercall_init {
    uint64_t gmfn;
};

/* XEN_DOMCTL_settimeoffset: added to the domain's wallclock. */
struct xen_domctl_settimeoffset {
    int64_t time_offset_seconds;
};

/* XEN_DOMCTL_set_address_size / get_address_size: 64 (32-bit PV is not
 * offered). */
struct xen_domctl_address_size {
    uint32_t size;
};

/* XEN_DOMCTL_set_virq_handler. */
struct xen_domctl_set_virq_handler {
    uint32_t virq;
};

struct xen_domctl {
    uint32_t cmd;                   /* XEN_DOMCTL_* */
    uint32_t interface_version;     /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t  domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain      createdomain;
        struct xen_domctl_getdomaininfo     getdomaininfo;
        struct xen_domctl_getpageframeinfo3 getpageframeinfo3;
        struct xen_domctl_max_mem           max_mem;
        struct xen_domctl_vcpucontext       vcpucontext;
        struct xen_domctl_getvcpuinfo       getvcpuinfo;
        struct xen_domctl_max_vcpus         max_vcpus;
        struct xen_domctl_scheduler_op      scheduler_op;
        struct xen_domctl_setdomainhandle   setdomainhandle;
        struct xen_domctl_irq_permission    irq_permission;
        struct xen_domctl_iomem_permission  iomem_permission;
        struct xen_domctl_ioport_permission ioport_permission;
        struct xen_domctl_hypercall_init    hypercall_init;
        struct xen_domctl_settimeoffset     settimeoffset;
        struct xen_domctl_address_size      address_size;
        struct xen_domctl_set_virq_handler  set_virq_handler;
        uint8_t                             pad[128];
    } u;
};
typedef struct xen_domctl xen_domctl_t;

/* Layouts as in Xen 4.17's public domctl.h on x86-64. */
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl size");
_Static_assert(__builtin_offsetof(struct xen_domctl, domain) == 8, "xen_domctl.domain");
_Static_assert(__builtin_offsetof(struct xen_domctl, u) == 16, "xen_domctl.u");
_Static_assert(sizeof(struct xen_domctl_createdomain) == 64, "createdomain size");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, flags) == 20, "createdomain.flags");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, max_vcpus) == 28, "createdomain.max_vcpus");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, arch) == 56, "createdomain.arch");
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112, "getdomaininfo size");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8, "dominfo.tot_pages");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, shared_info_frame) == 48, "dominfo.shinfo");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64, "dominfo.online");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, handle) == 76, "dominfo.handle");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, gpaddr_bits) == 96, "dominfo.gpaddr_bits");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, arch_config) == 104, "dominfo.arch");
_Static_assert(sizeof(struct xen_domctl_vcpucontext) == 16, "vcpucontext size");
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24, "getvcpuinfo size");
_Static_assert(__builtin_offsetof(struct xen_domctl_getvcpuinfo, cpu_time) == 8, "getvcpuinfo.cpu_time");
_Static_assert(__builtin_offsetof(struct xen_domctl_getvcpuinfo, cpu) == 16, "getvcpuinfo.cpu");
_Static_assert(sizeof(struct xen_domctl_scheduler_op) == 24, "scheduler_op size");
_Static_assert(sizeof(struct xen_domctl_iomem_permission) == 24, "iomem_permission size");
_Static_assert(sizeof(struct xen_domctl_ioport_permission) == 12, "ioport_permission size");

#endif /* __ASSEMBLER__ */
#endif /* XENO_PUBLIC_DOMCTL_H */
