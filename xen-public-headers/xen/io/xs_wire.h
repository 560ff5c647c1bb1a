/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: the xenstore wire protocol.
 *
 * Every message is a struct xsd_sockmsg header followed by 'len' bytes of
 * payload (usually NUL-separated strings).  Guests exchange messages over
 * the two byte rings of struct xenstore_domain_interface (MFN and event
 * channel in start_info.store_*); dom0 tools use a socket with the same
 * framing.  Errors come back as XS_ERROR with the errno *name* as payload.
 */
#ifndef XENO_PUBLIC_IO_XS_WIRE_H
#define XENO_PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

/* Message types; the numbers are fixed by the protocol. */
enum xsd_sockmsg_type {
    XS_CONTROL              = 0,    /* formerly XS_DEBUG */
    XS_DIRECTORY            = 1,
    XS_READ                 = 2,
    XS_GET_PERMS            = 3,
    XS_WATCH                = 4,
    XS_UNWATCH              = 5,
    XS_TRANSACTION_START    = 6,
    XS_TRANSACTION_END      = 7,
    XS_INTRODUCE            = 8,
    XS_RELEASE              = 9,
    XS_GET_DOMAIN_PATH      = 10,
    XS_WRITE                = 11,
    XS_MKDIR                = 12,
    XS_RM                   = 13,
    XS_SET_PERMS            = 14,
    XS_WATCH_EVENT          = 15,
    XS_ERROR                = 16,
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME               = 18,
    XS_SET_TARGET           = 19,
    /* 20 was XS_RESTRICT, withdrawn; never reuse it. */
    XS_RESET_WATCHES        = 21,
    XS_DIRECTORY_PART       = 22,
    XS_GET_FEATURE          = 23,
    XS_SET_FEATURE          = 24,
    XS_GET_QUOTA            = 25,
    XS_SET_QUOTA            = 26,
    XS_TYPE_COUNT           = 27,   /* number of defined types */
    XS_INVALID              = 0xffff
};
#define XS_DEBUG XS_CONTROL

struct xsd_sockmsg {
    uint32_t type;                      /* enum xsd_sockmsg_type */
    uint32_t req_id;                    /* echoed in the reply */
    uint32_t tx_id;                     /* transaction, 0 for none */
    uint32_t len;                       /* payload bytes that follow */
};

/* Order of the strings in an XS_WATCH_EVENT payload. */
enum xs_watch_type {
    XS_WATCH_PATH  = 0,
    XS_WATCH_TOKEN = 1
};

/*
 * Error names carried by XS_ERROR, with the local errno each stands for.
 * The numbers come from whatever <errno.h> was included first, so the
 * table only exists when all sixteen names are defined.  Entries are
 * only ever appended; EINVAL stays first because xenstored reports an
 * errno missing from the table as entry 0.
 */
struct xsd_errors {
    int errnum;
    const char *errstring;
};

#if defined(EINVAL) && defined(EACCES) && defined(EEXIST) && defined(EISDIR) && \
    defined(ENOENT) && defined(ENOMEM) && defined(ENOSPC) && defined(EIO) && \
    defined(ENOTEMPTY) && defined(ENOSYS) && defined(EROFS) && defined(EBUSY) && \
    defined(EAGAIN) && defined(EISCONN) && defined(E2BIG) && defined(EPERM)
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
    { EINVAL,    "EINVAL"    },
    { EACCES,    "EACCES"    },
    { EEXIST,    "EEXIST"    },
    { EISDIR,    "EISDIR"    },
    { ENOENT,    "ENOENT"    },
    { ENOMEM,    "ENOMEM"    },
    { ENOSPC,    "ENOSPC"    },
    { EIO,       "EIO"       },
    { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS,    "ENOSYS"    },
    { EROFS,     "EROFS"     },
    { EBUSY,     "EBUSY"     },
    { EAGAIN,    "EAGAIN"    },
    { EISCONN,   "EISCONN"   },
    { E2BIG,     "E2BIG"     },
    { EPERM,     "EPERM"     },
};
#define XSD_ERRORS_COUNT (sizeof(xsd_errors) / sizeof(xsd_errors[0]))
#endif

/*
 * The shared xenstore page.  req carries guest -> xenstored bytes, rsp
 * replies and watch events; indexes run freely, masked by the ring size.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;           /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;                /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;                     /* XENSTORE_ERROR_* */
    uint32_t evtchn_port;               /* ring's port when start_info has none */
};

/* Largest payload of one message; larger ones break the connection. */
#define XENSTORE_PAYLOAD_MAX 4096
/* Path limits; exceeding them only fails the request. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR        2
#define XENSTORE_SERVER_FEATURE_WATCHDEPTH   4
#define XENSTORE_SERVER_FEATURE_DOMID_ANY    8

#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO   3

_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, req_cons) == 2048, "xs.req_cons");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, rsp_prod) == 2060, "xs.rsp_prod");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, server_features) == 2064, "xs.features");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, connection) == 2068, "xs.connection");
_Static_assert(sizeof(struct xenstore_domain_interface) == 2080, "xenstore_domain_interface");

#endif /* XENO_PUBLIC_IO_XS_WIRE_H */
