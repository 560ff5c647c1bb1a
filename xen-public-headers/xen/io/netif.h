/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: the network split driver (netif).
 *
 * Two rings per queue: tx (frontend sends packets; 12-byte slots) and rx
 * (frontend posts empty buffers, backend fills them; 8-byte slots).  A
 * packet spans several slots: the first request carries the total size
 * (tx) and NET?XF_more_data chains further fragments; NET?XF_extra_info
 * means netif_extra_info slots follow, themselves chained with
 * XEN_NETIF_EXTRA_FLAG_MORE.  Extra-info slots on tx are answered with
 * NETIF_RSP_NULL responses.
 */
#ifndef XENO_PUBLIC_IO_NETIF_H
#define XENO_PUBLIC_IO_NETIF_H

#include <stdint.h>

#include "ring.h"
#include "../grant_table.h"

/* A backend that negotiates nothing must accept packets of up to this many slots. */
#define XEN_NETIF_NR_SLOTS_MIN 18

/* netif_tx_request.flags */
#define _NETTXF_csum_blank     (0)   /* checksum to be filled in (offload) */
#define  NETTXF_csum_blank     (1U << _NETTXF_csum_blank)
#define _NETTXF_data_validated (1)   /* checksum already verified */
#define  NETTXF_data_validated (1U << _NETTXF_data_validated)
#define _NETTXF_more_data      (2)   /* another fragment follows */
#define  NETTXF_more_data      (1U << _NETTXF_more_data)
#define _NETTXF_extra_info     (3)   /* extra-info slot(s) follow */
#define  NETTXF_extra_info     (1U << _NETTXF_extra_info)

#define XEN_NETIF_MAX_TX_SIZE 0xFFFF

struct netif_tx_request {
    grant_ref_t gref;                   /* buffer page */
    uint16_t offset;                    /* data start within the page */
    uint16_t flags;                     /* NETTXF_* */
    uint16_t id;                        /* echoed in the response */
    uint16_t size;                      /* first slot: whole packet; else fragment */
};
typedef struct netif_tx_request netif_tx_request_t;

/* netif_extra_info.type */
#define XEN_NETIF_EXTRA_TYPE_NONE      (0)
#define XEN_NETIF_EXTRA_TYPE_GSO       (1)   /* u.gso */
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD (2)   /* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL (3)   /* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_HASH      (4)   /* u.hash */
#define XEN_NETIF_EXTRA_TYPE_MAX       (5)

/* netif_extra_info.flags */
#define _XEN_NETIF_EXTRA_FLAG_MORE (0)
#define XEN_NETIF_EXTRA_FLAG_MORE  (1U << _XEN_NETIF_EXTRA_FLAG_MORE)

/* netif_extra_info.u.gso.type */
#define XEN_NETIF_GSO_TYPE_NONE  (0)
#define XEN_NETIF_GSO_TYPE_TCPV4 (1)
#define XEN_NETIF_GSO_TYPE_TCPV6 (2)

/* Occupies one tx or rx slot, so it must fit in the smaller (8 bytes). */
struct netif_extra_info {
    uint8_t type;                       /* XEN_NETIF_EXTRA_TYPE_* */
    uint8_t flags;                      /* XEN_NETIF_EXTRA_FLAG_* */
    union {
        struct {
            uint16_t size;              /* MSS */
            uint8_t  type;              /* XEN_NETIF_GSO_TYPE_* */
            uint8_t  pad;
            uint16_t features;          /* none defined; zero */
        } gso;
        struct {
            uint8_t addr[6];            /* multicast MAC */
        } mcast;
        struct {
            uint8_t type;               /* _XEN_NETIF_CTRL_HASH_TYPE_* */
            uint8_t algorithm;          /* XEN_NETIF_CTRL_HASH_ALGORITHM_* */
            uint8_t value[4];
        } hash;
        uint16_t pad[3];
    } u;
};
typedef struct netif_extra_info netif_extra_info_t;

struct netif_tx_response {
    uint16_t id;
    int16_t  status;                    /* NETIF_RSP_* */
};
typedef struct netif_tx_response netif_tx_response_t;

struct netif_rx_request {
    uint16_t    id;                     /* echoed in the response */
    uint16_t    pad;
    grant_ref_t gref;                   /* empty buffer page */
};
typedef struct netif_rx_request netif_rx_request_t;

/* netif_rx_response.flags */
#define _NETRXF_data_validated (0)
#define  NETRXF_data_validated (1U << _NETRXF_data_validated)
#define _NETRXF_csum_blank     (1)
#define  NETRXF_csum_blank     (1U << _NETRXF_csum_blank)
#define _NETRXF_more_data      (2)
#define  NETRXF_more_data      (1U << _NETRXF_more_data)
#define _NETRXF_extra_info     (3)
#define  NETRXF_extra_info     (1U << _NETRXF_extra_info)
#define _NETRXF_gso_prefix     (4)      /* deprecated */
#define  NETRXF_gso_prefix     (1U << _NETRXF_gso_prefix)

struct netif_rx_response {
    uint16_t id;
    uint16_t offset;                    /* data start within the buffer page */
    uint16_t flags;                     /* NETRXF_* */
    int16_t  status;                    /* bytes received if >= 0, else NETIF_RSP_* */
};
typedef struct netif_rx_response netif_rx_response_t;

DEFINE_RING_TYPES(netif_tx, struct netif_tx_request, struct netif_tx_response);
DEFINE_RING_TYPES(netif_rx, struct netif_rx_request, struct netif_rx_response);

#define NETIF_RSP_DROPPED -2
#define NETIF_RSP_ERROR   -1
#define NETIF_RSP_OKAY     0
#define NETIF_RSP_NULL     1            /* answer to an extra-info slot */

/* Entries in single-page (4 KiB) rings. */
#define XEN_NETIF_TX_RING_SIZE __CONST_RING_SIZE(netif_tx, 4096)
#define XEN_NETIF_RX_RING_SIZE __CONST_RING_SIZE(netif_rx, 4096)

/*
 * Optional control ring (feature-ctrl-ring): hash configuration and
 * grant mapping for the multi-queue/XDP paths.
 */
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4     0
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4      (1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV4)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP 1
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP  (1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6     2
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6      (1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV6)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP 3
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP  (1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

#define XEN_NETIF_CTRL_HASH_ALGORITHM_NONE     0
#define XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ 1

#define XEN_NETIF_CTRL_TYPE_INVALID               0
#define XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS        1
#define XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS        2
#define XEN_NETIF_CTRL_TYPE_SET_HASH_KEY          3
#define XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE 4
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE 5
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING      6
#define XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM    7
#define XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE 8
#define XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING      9
#define XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING     10

#define XEN_NETIF_CTRL_STATUS_SUCCESS           0
#define XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED     1
#define XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER 2
#define XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW   3

struct xen_netif_ctrl_request {
    uint16_t id;
    uint16_t type;                      /* XEN_NETIF_CTRL_TYPE_* */
    uint32_t data[3];
};

struct xen_netif_ctrl_response {
    uint16_t id;
    uint16_t type;
    uint32_t status;                    /* XEN_NETIF_CTRL_STATUS_* */
    uint32_t data;
};

#define _XEN_NETIF_CTRLF_GREF_readonly 0
#define XEN_NETIF_CTRLF_GREF_readonly  (1U << _XEN_NETIF_CTRLF_GREF_readonly)
struct xen_netif_gref {
    grant_ref_t ref;
    uint16_t flags;                     /* XEN_NETIF_CTRLF_GREF_* */
    uint16_t status;                    /* XEN_NETIF_CTRL_STATUS_* */
};

DEFINE_RING_TYPES(xen_netif_ctrl, struct xen_netif_ctrl_request,
                  struct xen_netif_ctrl_response);

_Static_assert(sizeof(struct netif_tx_request) == 12, "netif_tx_request");
_Static_assert(__builtin_offsetof(struct netif_tx_request, flags) == 6, "tx.flags");
_Static_assert(__builtin_offsetof(struct netif_tx_request, size) == 10, "tx.size");
_Static_assert(sizeof(struct netif_extra_info) == 8, "netif_extra_info");
_Static_assert(__builtin_offsetof(struct netif_extra_info, u) == 2, "extra.u");
_Static_assert(sizeof(struct netif_tx_response) == 4, "netif_tx_response");
_Static_assert(sizeof(struct netif_rx_request) == 8, "netif_rx_request");
_Static_assert(sizeof(struct netif_rx_response) == 8, "netif_rx_response");
_Static_assert(sizeof(union netif_tx_sring_entry) == 12, "tx ring slot");
_Static_assert(sizeof(union netif_rx_sring_entry) == 8, "rx ring slot");
_Static_assert(__builtin_offsetof(struct netif_tx_sring, ring) == 64, "tx ring header");
_Static_assert(__builtin_offsetof(struct netif_rx_sring, ring) == 64, "rx ring header");
_Static_assert(XEN_NETIF_TX_RING_SIZE == 256, "tx ring entries per page");
_Static_assert(XEN_NETIF_RX_RING_SIZE == 256, "rx ring entries per page");
_Static_assert(sizeof(struct xen_netif_ctrl_request) == 16, "ctrl request");
_Static_assert(sizeof(struct xen_netif_ctrl_response) == 12, "ctrl response");
_Static_assert(sizeof(struct xen_netif_gref) == 8, "netif gref");

#endif /* XENO_PUBLIC_IO_NETIF_H */
