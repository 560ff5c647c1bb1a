/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: HYPERVISOR_xen_version(cmd, arg).
 * Commands return 0 on success, except version and pagesize (which return
 * the value itself) and the variable-length commands (bytes written).
 */
#ifndef XENO_PUBLIC_VERSION_H
#define XENO_PUBLIC_VERSION_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#include "xen.h"

#define XENVER_version             0   /* arg NULL; returns major << 16 | minor */
#define XENVER_extraversion        1   /* arg -> xen_extraversion_t */
#define XENVER_compile_info        2   /* arg -> struct xen_compile_info */
#define XENVER_capabilities        3   /* arg -> xen_capabilities_info_t */
#define XENVER_changeset           4   /* arg -> xen_changeset_info_t */
#define XENVER_platform_parameters 5   /* arg -> struct xen_platform_parameters */
#define XENVER_get_features        6   /* arg -> struct xen_feature_info */
#define XENVER_pagesize            7   /* arg NULL; returns the page size */
#define XENVER_guest_handle        8   /* arg -> xen_domain_handle_t (the UUID) */
#define XENVER_commandline         9   /* arg -> xen_commandline_t */
/*
 * Untruncated variants: arg -> struct xen_varbuf, or NULL to ask for the
 * size.  The data is not NUL terminated.
 */
#define XENVER_build_id           10
#define XENVER_extraversion2      11
#define XENVER_capabilities2      12
#define XENVER_changeset2         13
#define XENVER_commandline2       14

#ifndef __ASSEMBLER__

typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

/* Space-separated guest types, e.g. "xen-3.0-x86_64 ...". */
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* For 64-bit PV this is HYPERVISOR_VIRT_START. */
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

/* One 32-bit word of the XENFEAT_* bitmap. */
struct xen_feature_info {
    uint32_t submap_idx;                /* IN: word index, < XENFEAT_NR_SUBMAPS */
    uint32_t submap;                    /* OUT */
};
typedef struct xen_feature_info xen_feature_info_t;

typedef char xen_commandline_t[1024];

struct xen_varbuf {
    uint32_t len;                       /* IN: size of buf */
    unsigned char buf[];                /* OUT */
};
typedef struct xen_varbuf xen_varbuf_t;

/* Same layout as xen_varbuf, under its historical name. */
struct xen_build_id {
    uint32_t len;
    unsigned char buf[];
};
typedef struct xen_build_id xen_build_id_t;

_Static_assert(sizeof(struct xen_compile_info) == 144, "compile_info");
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "platform_parameters");
_Static_assert(sizeof(struct xen_feature_info) == 8, "feature_info");
_Static_assert(sizeof(struct xen_varbuf) == 4, "varbuf header");
_Static_assert(sizeof(struct xen_build_id) == 4, "build_id header");

#endif /* !__ASSEMBLER__ */

#include "features.h"

#endif /* XENO_PUBLIC_VERSION_H */
