/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: grant tables.
 *
 * A domain grants another domain access to one of its frames by filling a
 * grant entry in its own table; the grantee then names (granter, ref) in
 * HYPERVISOR_grant_table_op(cmd, ops, count) calls.  Version 1 entries
 * are described in full; version 2 entries for completeness.
 */
#ifndef XENO_PUBLIC_GRANT_TABLE_H
#define XENO_PUBLIC_GRANT_TABLE_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

/* Refs 0..7 survive a table reset; 0 and 1 are the console and xenstore pages. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* Entry type, flags bits 1:0. */
#define GTF_invalid         (xen_mk_uint(0) << 0)
#define GTF_permit_access   (xen_mk_uint(1) << 0)
#define GTF_accept_transfer (xen_mk_uint(2) << 0)
#define GTF_transitive      (xen_mk_uint(3) << 0)   /* v2 only */
#define GTF_type_mask       (xen_mk_uint(3) << 0)

/* Access-entry flags; reading/writing are set by the hypervisor while mapped. */
#define _GTF_readonly       (2)
#define GTF_readonly        (xen_mk_uint(1) << _GTF_readonly)
#define _GTF_reading        (3)
#define GTF_reading         (xen_mk_uint(1) << _GTF_reading)
#define _GTF_writing        (4)
#define GTF_writing         (xen_mk_uint(1) << _GTF_writing)
#define _GTF_PWT            (5)
#define GTF_PWT             (xen_mk_uint(1) << _GTF_PWT)
#define _GTF_PCD            (6)
#define GTF_PCD             (xen_mk_uint(1) << _GTF_PCD)
#define _GTF_PAT            (7)
#define GTF_PAT             (xen_mk_uint(1) << _GTF_PAT)
#define _GTF_sub_page       (8)         /* v2 only */
#define GTF_sub_page        (xen_mk_uint(1) << _GTF_sub_page)

/* Transfer-entry flags (same bit positions as readonly/reading). */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed  (xen_mk_uint(1) << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed  (xen_mk_uint(1) << _GTF_transfer_completed)

#define GNTTABOP_map_grant_ref      0
#define GNTTABOP_unmap_grant_ref    1
#define GNTTABOP_setup_table        2
#define GNTTABOP_dump_table         3
#define GNTTABOP_transfer           4
#define GNTTABOP_copy               5
#define GNTTABOP_query_size         6
#define GNTTABOP_unmap_and_replace  7
#define GNTTABOP_set_version        8
#define GNTTABOP_get_status_frames  9
#define GNTTABOP_get_version       10
#define GNTTABOP_swap_grant_ref    11
#define GNTTABOP_cache_flush       12

/* gnttab_copy.flags */
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   (1)
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

/* gnttab_cache_flush.op */
#define GNTTAB_CACHE_CLEAN       (xen_mk_uint(1) << 0)
#define GNTTAB_CACHE_INVAL       (xen_mk_uint(1) << 1)
#define GNTTAB_CACHE_SOURCE_GREF (xen_mk_uint(1) << 31)

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      (0)
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        (1)
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        (2)
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)     /* user-accessible CPU mapping */
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    (4)     /* host_addr is a PTE machine address */
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
/* Bits 16+ are copied into the PTE's software-available bits. */
#define _GNTMAP_guest_avail0    (16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-op status codes. */
#define GNTST_okay               (0)
#define GNTST_general_error      (-1)
#define GNTST_bad_domain         (-2)
#define GNTST_bad_gntref         (-3)
#define GNTST_bad_handle         (-4)
#define GNTST_bad_virt_addr      (-5)
#define GNTST_bad_dev_addr       (-6)
#define GNTST_no_device_space    (-7)
#define GNTST_permission_denied  (-8)
#define GNTST_bad_page           (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

#ifndef __ASSEMBLER__

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* A v1 entry: written by the granter, flags bits also by the hypervisor. */
struct grant_entry_v1 {
    uint16_t flags;                     /* GTF_* */
    domid_t  domid;                     /* grantee */
    uint32_t frame;                     /* GFN granted, or MFN transferred in */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

/* Version 2 layout: 16-byte entries plus a separate status array. */
struct grant_entry_header {
    uint16_t flags;
    domid_t  domid;
};
typedef struct grant_entry_header grant_entry_header_t;

union grant_entry_v2 {
    grant_entry_header_t hdr;
    struct {
        grant_entry_header_t hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {
        grant_entry_header_t hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {
        grant_entry_header_t hdr;
        domid_t  trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];
};
typedef union grant_entry_v2 grant_entry_v2_t;
typedef uint16_t grant_status_t;

/*
 * Map (dom, ref).  With GNTMAP_contains_pte host_addr is the machine
 * address of the PTE to write, otherwise a guest virtual address.
 * 'handle' is what unmap needs back.
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;                 /* IN */
    uint32_t flags;                     /* IN: GNTMAP_* */
    grant_ref_t ref;                    /* IN */
    domid_t  dom;                       /* IN: granter */
    int16_t  status;                    /* OUT: GNTST_* */
    grant_handle_t handle;              /* OUT */
    uint64_t dev_bus_addr;              /* OUT: for GNTMAP_device_map */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;                 /* IN: 0 skips the CPU mapping */
    uint64_t dev_bus_addr;              /* IN: 0 skips the device mapping */
    grant_handle_t handle;              /* IN */
    int16_t  status;                    /* OUT */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;

/* Size dom's table to nr_frames and return the frames holding it. */
struct gnttab_setup_table {
    domid_t  dom;                       /* IN */
    uint32_t nr_frames;                 /* IN */
    int16_t  status;                    /* OUT */
    xen_guest_handle_t frame_list;      /* OUT: -> xen_pfn_t[nr_frames] */
};
typedef struct gnttab_setup_table gnttab_setup_table_t;

struct gnttab_dump_table {
    domid_t dom;                        /* IN */
    int16_t status;                     /* OUT */
};
typedef struct gnttab_dump_table gnttab_dump_table_t;

/* Give away page 'mfn' to (domid, ref), which must accept transfers. */
struct gnttab_transfer {
    xen_pfn_t   mfn;                    /* IN */
    domid_t     domid;                  /* IN */
    grant_ref_t ref;                    /* IN */
    int16_t     status;                 /* OUT */
};
typedef struct gnttab_transfer gnttab_transfer_t;

/*
 * Hypervisor-mediated copy.  Each side names a grant ref of 'domid' when
 * its GNTCOPY_*_gref flag is set, else a frame number of 'domid' (which
 * must then be the caller unless it is privileged).  Neither side of a
 * copy may cross a page boundary.
 */
struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        xen_pfn_t   gmfn;
    } u;
    domid_t  domid;
    uint16_t offset;
};

struct gnttab_copy {
    struct gnttab_copy_ptr source, dest;    /* IN */
    uint16_t len;                           /* IN */
    uint16_t flags;                         /* IN: GNTCOPY_* */
    int16_t  status;                        /* OUT */
};
typedef struct gnttab_copy gnttab_copy_t;

struct gnttab_query_size {
    domid_t  dom;                       /* IN */
    uint32_t nr_frames;                 /* OUT */
    uint32_t max_nr_frames;             /* OUT */
    int16_t  status;                    /* OUT */
};
typedef struct gnttab_query_size gnttab_query_size_t;

/* Unmap 'handle' at host_addr and move the mapping found at new_addr there. */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;                 /* IN */
    uint64_t new_addr;                  /* IN */
    grant_handle_t handle;              /* IN */
    int16_t  status;                    /* OUT */
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;

/* IN: wanted version (1 or 2); OUT: version now in force. */
struct gnttab_set_version {
    uint32_t version;
};
typedef struct gnttab_set_version gnttab_set_version_t;

struct gnttab_get_status_frames {
    uint32_t nr_frames;                 /* IN */
    domid_t  dom;                       /* IN */
    int16_t  status;                    /* OUT */
    xen_guest_handle_t frame_list;      /* OUT: -> uint64_t[nr_frames] */
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;

struct gnttab_get_version {
    domid_t  dom;                       /* IN */
    uint16_t pad;
    uint32_t version;                   /* OUT */
};
typedef struct gnttab_get_version gnttab_get_version_t;

struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;                  /* IN */
    grant_ref_t ref_b;                  /* IN */
    int16_t status;                     /* OUT */
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;

struct gnttab_cache_flush {
    union {
        uint64_t    dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op;                        /* GNTTAB_CACHE_* */
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");
_Static_assert(__builtin_offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1.frame");
_Static_assert(sizeof(union grant_entry_v2) == 16, "grant_entry_v2");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, dom) == 16, "map.dom");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, status) == 18, "map.status");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, handle) == 20, "map.handle");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "map.dev_bus_addr");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table");
_Static_assert(__builtin_offsetof(struct gnttab_setup_table, frame_list) == 16, "setup.frame_list");
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "dump_table");
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer");
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "copy_ptr");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy");
_Static_assert(__builtin_offsetof(struct gnttab_copy, len) == 32, "copy.len");
_Static_assert(__builtin_offsetof(struct gnttab_copy, status) == 36, "copy.status");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size");
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "unmap_and_replace");
_Static_assert(sizeof(struct gnttab_set_version) == 4, "set_version");
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "get_status_frames");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version");
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "swap_grant_ref");
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush");

#endif /* !__ASSEMBLER__ */

#endif /* XENO_PUBLIC_GRANT_TABLE_H */
