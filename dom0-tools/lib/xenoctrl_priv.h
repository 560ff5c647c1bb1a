/* SPDX-License-Identifier: MIT */
#ifndef XENOCTRL_PRIV_H
#define XENOCTRL_PRIV_H

/*
 * Inside libxenoctrl.  marshal.c holds everything that needs no device:
 * building the hypercall structures, decoding the answers, argument
 * checks, names for log lines.  It is tested hosted
 * (tests/unit/test_xenoctrl_marshal.c); the other files do the I/O.
 */
#include "xenoctrl.h"
#include "linux_xen.h"
#include <xen/memory.h>

#define XO_PAGE_SIZE 4096UL
#define XO_BUF_PAGES 16              /* hypercall buffer per handle (64 KiB) */
#define XO_LOG_MAX 256

struct xo_logger {
    xenoctrl_log_fn *fn;
    void *ctx;
    char last[XO_LOG_MAX];
};

struct xenoctrl {
    int privcmd_fd;
    void *buf;                       /* hypercall-safe, XO_BUF_PAGES */
    size_t buf_used;                 /* bump allocator, reset per call */
    bool buf_from_device;            /* /dev/xen/hypercall, else mlock'ed anonymous */
    struct xo_logger log;
};

/* log.c: format "xenoctrl: <what>: <strerror(-rc)>" and pass it on; returns rc. */
int xo_fail(struct xo_logger *l, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void xo_logger_init(struct xo_logger *l);

/* privcmd.c: a domctl/sysctl whose side buffers are in the hypercall
 * buffer already; logs and returns -errno on failure. */
int xo_do_domctl(xenoctrl *x, struct xen_domctl *op);
int xo_do_sysctl(xenoctrl *x, struct xen_sysctl *op);
/* A hypercall without logging: result or -errno. */
long xo_do_hypercall(xenoctrl *x, unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/* marshal.c */
const char *xo_domctl_name(uint32_t cmd);
const char *xo_sysctl_name(uint32_t cmd);
void xo_domctl_prepare(struct xen_domctl *op, uint32_t cmd, uint32_t domid);
void xo_sysctl_prepare(struct xen_sysctl *op, uint32_t cmd);
/* -EINVAL for what the hypervisor would refuse anyway, so the log names
 * the library's reason; otherwise fills op. */
int xo_marshal_createdomain(struct xen_domctl *op, uint32_t want_domid,
                            const struct xenoctrl_domain_config *c);
void xo_decode_dominfo(const struct xen_domctl_getdomaininfo *in, struct xenoctrl_dominfo *out);
void xo_decode_physinfo(const struct xen_sysctl_physinfo *in, struct xenoctrl_physinfo *out);
/* KiB for XEN_DOMCTL_max_mem; -EINVAL when it would overflow. */
int xo_maxmem_kb(uint64_t kb, uint64_t *out);
/* The first failed frame of an MMAPBATCH_V2 error array, as -errno (0: none). */
int xo_mmapbatch_first_error(const int *errs, unsigned int n);
/* An mmuext_op pin/unpin; -EINVAL for a level outside 1..4. */
int xo_marshal_pin(struct mmuext_op *op, unsigned int level, xen_pfn_t mfn, bool pin);
/* A memory reservation for domid over a list in hypercall memory. */
void xo_marshal_reservation(struct xen_memory_reservation *r, uint32_t domid, uint64_t list_va,
                            unsigned long nr, unsigned int order);
/* Bytes a gntdev map request for n grants takes. */
size_t xo_gntdev_map_size(unsigned int n);

#endif
