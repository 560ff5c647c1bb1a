/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: HYPERVISOR_memory_op(cmd, arg).
 * For the extent-list commands the upper bits of 'cmd' (from
 * MEMOP_EXTENT_SHIFT up) carry the index to resume from after a
 * hypercall continuation; guests always pass 0 there.
 */
#ifndef XENO_PUBLIC_MEMORY_H
#define XENO_PUBLIC_MEMORY_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1 << MEMOP_EXTENT_SHIFT) - 1)

#define XENMEM_increase_reservation        0   /* struct xen_memory_reservation */
#define XENMEM_decrease_reservation        1   /* struct xen_memory_reservation */
#define XENMEM_maximum_ram_page            2   /* arg NULL; returns highest MFN */
#define XENMEM_current_reservation         3   /* arg -> domid_t; returns pages */
#define XENMEM_maximum_reservation         4   /* arg -> domid_t; returns pages */
#define XENMEM_machphys_mfn_list           5   /* struct xen_machphys_mfn_list */
#define XENMEM_populate_physmap            6   /* struct xen_memory_reservation */
#define XENMEM_add_to_physmap              7   /* struct xen_add_to_physmap */
/* 8 (translate_gpfn_list) was withdrawn. */
#define XENMEM_memory_map                  9   /* struct xen_memory_map: own map */
#define XENMEM_machine_memory_map         10   /* struct xen_memory_map: host map */
#define XENMEM_exchange                   11   /* struct xen_memory_exchange */
#define XENMEM_machphys_mapping           12   /* struct xen_machphys_mapping */
#define XENMEM_set_memory_map             13   /* struct xen_foreign_memory_map */
#define XENMEM_maximum_gpfn               14   /* arg -> domid_t; returns GFN */
#define XENMEM_remove_from_physmap        15   /* struct xen_remove_from_physmap */
#define XENMEM_set_pod_target             16   /* struct xen_pod_target */
#define XENMEM_get_pod_target             17   /* struct xen_pod_target */
#define XENMEM_get_sharing_freed_pages    18
#define XENMEM_get_sharing_shared_pages   19
#define XENMEM_paging_op                  20
#define XENMEM_access_op                  21
#define XENMEM_sharing_op                 22
#define XENMEM_add_to_physmap_batch       23   /* struct xen_add_to_physmap_batch */
#define XENMEM_claim_pages                24   /* struct xen_memory_reservation */
#define XENMEM_machphys_compat_mfn_list   25
#define XENMEM_get_vnumainfo              26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource           28   /* struct xen_mem_acquire_resource */

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)     (x)               /* max address width, 0 = any */
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8)  /* preferred NUMA node */
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)

#ifndef __ASSEMBLER__

/*
 * Extent list for increase/decrease/populate: each element is the base
 * frame of a 2^extent_order-page extent (MFNs out for increase, GFNs in
 * for decrease, GFNs in and MFNs out for populate on a PV guest).  The
 * return value is the number of extents processed.
 */
struct xen_memory_reservation {
    xen_guest_handle_t extent_start;    /* -> xen_pfn_t[nr_extents] */
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;                 /* XENMEMF_* */
    domid_t  domid;                     /* DOMID_SELF unless privileged */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;

/*
 * Swap the 'in' extents for freshly allocated 'out' extents of the same
 * total size.  nr_exchanged must be 0 on entry; on return it counts the
 * input extents that were exchanged, even on partial failure.
 */
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;

/* Argument of current/maximum_reservation and maximum_gpfn. */
struct xen_memory_domain {
    domid_t domid;
};

/* MFNs of the 2 MiB chunks backing the M2P table (0 for holes). */
struct xen_machphys_mfn_list {
    uint32_t max_extents;               /* IN: size of extent_start */
    xen_guest_handle_t extent_start;    /* OUT: -> xen_pfn_t[max_extents] */
    uint32_t nr_extents;                /* OUT */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;

/* Where the read-only M2P is mapped in the guest, and how far it reaches. */
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;
    xen_ulong_t max_mfn;
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;

/* Kind of page named by xen_add_to_physmap.idx */
#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1   /* idx = frame, | XENMAPIDX_grant_table_status */
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3   /* add_to_physmap only */
#define XENMAPSPACE_gmfn_foreign 4   /* add_to_physmap_batch only */
#define XENMAPSPACE_dev_mmio     5   /* Arm only */

#define XENMAPIDX_grant_table_status xen_mk_uint(0x80000000)

/* Make page 'idx' of 'space' appear at gpfn (auto-translated guests). */
struct xen_add_to_physmap {
    domid_t  domid;
    uint16_t size;                      /* pages, for XENMAPSPACE_gmfn_range */
    uint32_t space;                     /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;

struct xen_add_to_physmap_batch {
    domid_t  domid;
    uint16_t space;                     /* XENMAPSPACE_* */
    uint16_t size;                      /* entries in each array */
    union {
        domid_t  foreign_domid;         /* XENMAPSPACE_gmfn_foreign */
        uint16_t res0;                  /* other spaces: zero */
    } u;
    xen_guest_handle_t idxs;            /* IN: -> xen_ulong_t[size] */
    xen_guest_handle_t gpfns;           /* IN: -> xen_pfn_t[size] */
    xen_guest_handle_t errs;            /* OUT: -> int[size] */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;

struct xen_remove_from_physmap {
    domid_t   domid;
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;

/*
 * E820-style map.  nr_entries is the buffer capacity on entry and the
 * count written on return; the buffer holds packed xen_e820_entry records
 * in BIOS INT 15h/E820h format.
 */
struct xen_memory_map {
    uint32_t nr_entries;
    xen_guest_handle_t buffer;          /* -> struct xen_e820_entry[] */
};
typedef struct xen_memory_map xen_memory_map_t;

/* One entry of the memory_map buffers: 20 bytes, no padding. */
struct xen_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;                      /* XEN_E820_* */
} __attribute__((packed));

#define XEN_E820_RAM          1
#define XEN_E820_RESERVED     2
#define XEN_E820_ACPI         3
#define XEN_E820_NVS          4
#define XEN_E820_UNUSABLE     5

struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;

struct xen_pod_target {
    uint64_t target_pages;              /* IN */
    uint64_t tot_pages;                 /* OUT */
    uint64_t pod_cache_pages;           /* OUT */
    uint64_t pod_entries;               /* OUT */
    domid_t  domid;                     /* IN */
};
typedef struct xen_pod_target xen_pod_target_t;

/* Map frames of a domain's resource (grant table, ioreq pages, ...). */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1

struct xen_mem_acquire_resource {
    domid_t  domid;                     /* IN */
    uint16_t type;                      /* IN: XENMEM_resource_* */
    uint32_t id;                        /* IN: type-specific */
    uint32_t nr_frames;                 /* IN/OUT */
    uint32_t pad;                       /* must be zero */
    uint64_t frame;                     /* IN: first frame index */
    xen_guest_handle_t frame_list;      /* IN/OUT: -> xen_pfn_t[nr_frames] */
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;

_Static_assert(sizeof(struct xen_memory_reservation) == 32, "memory_reservation");
_Static_assert(__builtin_offsetof(struct xen_memory_reservation, nr_extents) == 8, "res.nr_extents");
_Static_assert(__builtin_offsetof(struct xen_memory_reservation, extent_order) == 16, "res.extent_order");
_Static_assert(__builtin_offsetof(struct xen_memory_reservation, mem_flags) == 20, "res.mem_flags");
_Static_assert(__builtin_offsetof(struct xen_memory_reservation, domid) == 24, "res.domid");
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "memory_exchange");
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "machphys_mfn_list");
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "machphys_mapping");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");
_Static_assert(__builtin_offsetof(struct xen_add_to_physmap, idx) == 8, "atp.idx");
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "add_to_physmap_batch");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "remove_from_physmap");
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map");
_Static_assert(sizeof(struct xen_e820_entry) == 20, "e820 entry");
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "foreign_memory_map");
_Static_assert(sizeof(struct xen_pod_target) == 40, "pod_target");
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "acquire_resource");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_MEMORY_H */
