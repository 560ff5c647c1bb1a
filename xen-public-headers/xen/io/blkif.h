/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: the block split driver (blkif).
 *
 * One ring of 112-byte slots.  Every request starts with the operation
 * byte and carries a 64-bit id at offset 8 that the response echoes.
 * Read/write data lives in granted pages described by segments: up to 11
 * inline, or with BLKIF_OP_INDIRECT up to 8 granted pages each holding
 * 4096 / 8 = 512 blkif_request_segment entries (only when the backend
 * advertises feature-max-indirect-segments).  Sectors are 512 bytes.
 */
#ifndef XENO_PUBLIC_IO_BLKIF_H
#define XENO_PUBLIC_IO_BLKIF_H

#include <stdint.h>

#include "ring.h"
#include "../grant_table.h"

#ifndef blkif_vdev_t
#define blkif_vdev_t   uint16_t
#endif
#define blkif_sector_t uint64_t

#define BLKIF_OP_READ            0
#define BLKIF_OP_WRITE           1
#define BLKIF_OP_WRITE_BARRIER   2   /* feature-barrier: ordered write */
#define BLKIF_OP_FLUSH_DISKCACHE 3   /* feature-flush-cache */
#define BLKIF_OP_RESERVED_1      4   /* taken by a vendor; never use */
#define BLKIF_OP_DISCARD         5   /* feature-discard: blkif_request_discard */
#define BLKIF_OP_INDIRECT        6   /* blkif_request_indirect */

/* Inline segments fit so that 32 slots of 112 bytes follow the ring header. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST       11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

/* Sectors first_sect..last_sect (inclusive, 512-byte units) of page gref. */
struct blkif_request_segment {
    grant_ref_t gref;
    uint8_t     first_sect, last_sect;
};

struct blkif_request {
    uint8_t        operation;           /* BLKIF_OP_* */
    uint8_t        nr_segments;
    blkif_vdev_t   handle;              /* virtual device, read/write only */
    uint64_t       id;                  /* echoed in the response */
    blkif_sector_t sector_number;       /* first sector on the disk */
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};
typedef struct blkif_request blkif_request_t;

#define BLKIF_DISCARD_SECURE (1 << 0)   /* only honoured with discard-secure=1 */
struct blkif_request_discard {
    uint8_t        operation;           /* BLKIF_OP_DISCARD */
    uint8_t        flag;                /* BLKIF_DISCARD_* */
    blkif_vdev_t   handle;
    uint64_t       id;
    blkif_sector_t sector_number;
    uint64_t       nr_sectors;
};
typedef struct blkif_request_discard blkif_request_discard_t;

struct blkif_request_indirect {
    uint8_t        operation;           /* BLKIF_OP_INDIRECT */
    uint8_t        indirect_op;         /* BLKIF_OP_READ or _WRITE */
    uint16_t       nr_segments;         /* total segments in the pages below */
    uint64_t       id;
    blkif_sector_t sector_number;
    blkif_vdev_t   handle;
    grant_ref_t    indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};
typedef struct blkif_request_indirect blkif_request_indirect_t;

struct blkif_response {
    uint64_t id;                        /* from the request */
    uint8_t  operation;                 /* from the request */
    int16_t  status;                    /* BLKIF_RSP_* */
};
typedef struct blkif_response blkif_response_t;

#define BLKIF_RSP_EOPNOTSUPP -2         /* e.g. unsupported barrier */
#define BLKIF_RSP_ERROR      -1
#define BLKIF_RSP_OKAY        0

DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);

/* Entries in a single-page (4 KiB) ring. */
#define XEN_BLKIF_RING_SIZE __CONST_RING_SIZE(blkif, 4096)
/* blkif_request_segment entries per indirect page. */
#define XEN_BLKIF_SEGS_PER_INDIRECT_FRAME (4096 / sizeof(struct blkif_request_segment))

/* Bits of the backend's "info" node. */
#define VDISK_CDROM     0x1
#define VDISK_REMOVABLE 0x2
#define VDISK_READONLY  0x4

_Static_assert(sizeof(struct blkif_request_segment) == 8, "blkif_request_segment");
_Static_assert(sizeof(struct blkif_request) == 112, "blkif_request");
_Static_assert(__builtin_offsetof(struct blkif_request, handle) == 2, "req.handle");
_Static_assert(__builtin_offsetof(struct blkif_request, id) == 8, "req.id");
_Static_assert(__builtin_offsetof(struct blkif_request, sector_number) == 16, "req.sector");
_Static_assert(__builtin_offsetof(struct blkif_request, seg) == 24, "req.seg");
_Static_assert(sizeof(struct blkif_request_discard) == 32, "blkif_request_discard");
_Static_assert(__builtin_offsetof(struct blkif_request_discard, nr_sectors) == 24, "discard.nr_sectors");
_Static_assert(sizeof(struct blkif_request_indirect) == 64, "blkif_request_indirect");
_Static_assert(__builtin_offsetof(struct blkif_request_indirect, id) == 8, "indirect.id");
_Static_assert(__builtin_offsetof(struct blkif_request_indirect, handle) == 24, "indirect.handle");
_Static_assert(__builtin_offsetof(struct blkif_request_indirect, indirect_grefs) == 28, "indirect.grefs");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif_response");
_Static_assert(__builtin_offsetof(struct blkif_response, status) == 10, "rsp.status");
_Static_assert(sizeof(union blkif_sring_entry) == 112, "blkif ring slot");
_Static_assert(__builtin_offsetof(struct blkif_sring, ring) == 64, "blkif ring header");
_Static_assert(XEN_BLKIF_RING_SIZE == 32, "blkif entries per page");
_Static_assert(XEN_BLKIF_SEGS_PER_INDIRECT_FRAME == 512, "segments per indirect page");

#endif /* XENO_PUBLIC_IO_BLKIF_H */
