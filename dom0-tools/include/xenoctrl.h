/* SPDX-License-Identifier: MIT */
/*
 * libxenoctrl: dom0's control library (build/dom0-tools/libxenoctrl.a).
 *
 * A small xc_-like C API over Linux's Xen devices in dom0:
 *   /dev/xen/privcmd   hypercalls (IOCTL_PRIVCMD_HYPERCALL) for domctl,
 *                      sysctl, memory_op, mmuext_op; foreign mappings
 *                      (IOCTL_PRIVCMD_MMAPBATCH_V2)
 *   /dev/xen/hypercall hypercall-safe buffers (present, locked pages the
 *                      hypervisor can read and write while it runs)
 *   /dev/xen/evtchn    event channels
 *   /dev/xen/gntdev    mapping other domains' grants
 * The hypervisor interface is xen-public-headers/xen/{domctl,sysctl}.h.
 *
 * Conventions: every call returns 0 (or a count / port, as documented)
 * or a negative errno, and on failure logs one line naming the call, the
 * domain and the reason through the handle's logger (stderr by default,
 * prefixed "xenoctrl: ").  Pointers a caller passes are its own memory:
 * the library copies through its hypercall buffer.  Handles are not
 * thread-safe: use one per thread.
 *
 * Build with -I xen-public-headers -I dom0-tools/include.
 */
#ifndef XENOCTRL_H
#define XENOCTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Handles and logging                                                  */

typedef struct xenoctrl xenoctrl;

/* One formatted line (no newline) per failure. */
typedef void xenoctrl_log_fn(void *ctx, const char *line);

/* Open /dev/xen/privcmd (or /proc/xen/privcmd) and a hypercall buffer. */
int xenoctrl_open(xenoctrl **out);
void xenoctrl_close(xenoctrl *x);
/* The default logger: the line and a newline on stderr. */
void xenoctrl_log_stderr(void *ctx, const char *line);
/* Replace the logger (NULL: silence).  Default: xenoctrl_log_stderr. */
void xenoctrl_set_logger(xenoctrl *x, xenoctrl_log_fn *fn, void *ctx);
/* The last failure's line, "" if none. */
const char *xenoctrl_last_error(const xenoctrl *x);

/* ------------------------------------------------------------------ */
/* Raw access                                                           */

/* Any hypercall with scalar arguments: its result, or -errno. */
long xenoctrl_hypercall(xenoctrl *x, unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3,
                        uint64_t a4, uint64_t a5);
/* A domctl/sysctl; the interface version is filled in.  OUT fields are
 * copied back.  Side buffers the op points to must be hypercall-safe
 * (xenoctrl_buffer()). */
int xenoctrl_domctl(xenoctrl *x, struct xen_domctl *op);
int xenoctrl_sysctl(xenoctrl *x, struct xen_sysctl *op);
/* Scratch memory the hypervisor may access (64 KiB per handle), valid
 * until xenoctrl_buffer_release() or any call on the handle other than
 * the three raw ones above; NULL if len exceeds what is left. */
void *xenoctrl_buffer(xenoctrl *x, size_t len);
void xenoctrl_buffer_release(xenoctrl *x);

/* ------------------------------------------------------------------ */
/* Domains                                                              */

struct xenoctrl_domain_config {
    uint32_t flags;             /* XEN_DOMCTL_CDF_*: only xs_domain makes sense for PV */
    uint32_t max_vcpus;         /* 1..32 */
    uint32_t max_evtchn_port;   /* default 1023 */
    int32_t max_grant_frames;   /* -1: the hypervisor's default */
    int32_t max_maptrack_frames;
    uint8_t handle[16];         /* UUID */
};
/* 1 vCPU, 1023 ports, default grant limits, zero handle. */
void xenoctrl_domain_config_default(struct xenoctrl_domain_config *c);

struct xenoctrl_dominfo {
    uint32_t domid;
    bool dying, shutdown, paused, blocked, running, hvm, xs_domain;
    unsigned int shutdown_reason;   /* SHUTDOWN_*, valid with shutdown */
    uint64_t tot_pages, max_pages;
    uint64_t shared_info_frame;     /* MFN */
    uint64_t cpu_time_ns;
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;           /* XEN_INVALID_MAX_VCPU_ID if none */
    uint8_t handle[16];
};

struct xenoctrl_vcpuinfo {
    bool online, blocked, running;
    uint64_t cpu_time_ns;
    uint32_t cpu;
};

/* want_domid 0: the hypervisor picks.  The domain starts paused. */
int xenoctrl_domain_create(xenoctrl *x, uint32_t want_domid, const struct xenoctrl_domain_config *c,
                           uint32_t *domid);
int xenoctrl_domain_destroy(xenoctrl *x, uint32_t domid);
int xenoctrl_domain_pause(xenoctrl *x, uint32_t domid);
int xenoctrl_domain_unpause(xenoctrl *x, uint32_t domid);
/* That domain exactly: -ESRCH if it does not exist. */
int xenoctrl_domain_getinfo(xenoctrl *x, uint32_t domid, struct xenoctrl_dominfo *info);
/* Domains with id >= first, in id order; returns how many (<= max). */
int xenoctrl_domain_getinfolist(xenoctrl *x, uint32_t first, unsigned int max, struct xenoctrl_dominfo *out);
int xenoctrl_domain_setmaxmem(xenoctrl *x, uint32_t domid, uint64_t max_kb);
int xenoctrl_domain_max_vcpus(xenoctrl *x, uint32_t domid, unsigned int max);
int xenoctrl_domain_sethandle(xenoctrl *x, uint32_t domid, const uint8_t handle[16]);
int xenoctrl_domain_settimeoffset(xenoctrl *x, uint32_t domid, int64_t seconds);
/* Credit-style weight (1..65535, default 256). */
int xenoctrl_sched_weight_get(xenoctrl *x, uint32_t domid, unsigned int *weight);
int xenoctrl_sched_weight_set(xenoctrl *x, uint32_t domid, unsigned int weight);
/* ctx NULL: reset the vCPU (down, no context). */
int xenoctrl_vcpu_setcontext(xenoctrl *x, uint32_t domid, uint32_t vcpu, const vcpu_guest_context_t *ctx);
int xenoctrl_vcpu_getcontext(xenoctrl *x, uint32_t domid, uint32_t vcpu, vcpu_guest_context_t *ctx);
int xenoctrl_vcpu_getinfo(xenoctrl *x, uint32_t domid, uint32_t vcpu, struct xenoctrl_vcpuinfo *info);
/* Fill frame mfn of the domain with the hypercall page. */
int xenoctrl_hypercall_init(xenoctrl *x, uint32_t domid, xen_pfn_t mfn);
/* XEN_DOMCTL_PFINFO_* for each MFN of the domain (any count). */
int xenoctrl_get_pfn_types(xenoctrl *x, uint32_t domid, unsigned int n, const xen_pfn_t *mfns,
                           uint32_t *types);
int xenoctrl_iomem_permission(xenoctrl *x, uint32_t domid, uint64_t first_mfn, uint64_t nr, bool allow);
int xenoctrl_ioport_permission(xenoctrl *x, uint32_t domid, uint32_t first, uint32_t nr, bool allow);
int xenoctrl_irq_permission(xenoctrl *x, uint32_t domid, uint8_t pirq, bool allow);

/* ------------------------------------------------------------------ */
/* Memory of another domain                                             */

/* populate_physmap for domid: extents pfns[0..nr) of 2^order pages
 * (pseudo-physical frame numbers in); their MFNs out, in place.  Returns
 * the number of extents done (< nr when the domain's maximum or the
 * host's memory ran out), or -errno. */
long xenoctrl_populate_physmap(xenoctrl *x, uint32_t domid, unsigned long nr, unsigned int order,
                               xen_pfn_t *pfns);
/* Give frames of domid back (decrease_reservation): extents done. */
long xenoctrl_decrease_reservation(xenoctrl *x, uint32_t domid, unsigned long nr, const xen_pfn_t *mfns);
/* Pages the domain has (XENMEM_current_reservation). */
long xenoctrl_domain_tot_pages(xenoctrl *x, uint32_t domid);
/* MMUEXT_PIN_L<level>_TABLE / UNPIN_TABLE on a frame of domid. */
int xenoctrl_pin_table(xenoctrl *x, uint32_t domid, unsigned int level, xen_pfn_t mfn);
int xenoctrl_unpin_table(xenoctrl *x, uint32_t domid, xen_pfn_t mfn);

/*
 * Map n frames (MFNs) of domid contiguously (PROT_READ, PROT_WRITE).
 * errs (may be NULL) gets each frame's result.  NULL if any frame failed
 * (nothing stays mapped then) with the first error in *rc (may be NULL).
 */
void *xenoctrl_map_foreign_bulk(xenoctrl *x, uint32_t domid, int prot, const xen_pfn_t *mfns,
                                int *errs, unsigned int n, int *rc);
/* n consecutive MFNs from first. */
void *xenoctrl_map_foreign_range(xenoctrl *x, uint32_t domid, int prot, xen_pfn_t first,
                                 unsigned int n, int *rc);
int xenoctrl_unmap(xenoctrl *x, void *addr, unsigned int n);

/* For building a domain (privcmd, naming domid; the caller must be the
 * control domain).  An unbound port of domid that remote_domid may bind
 * (EVTCHNOP_alloc_unbound with dom = domid): the port, or -errno. */
int xenoctrl_evtchn_alloc_unbound_for(xenoctrl *x, uint32_t domid, uint32_t remote_domid);
/* MFNs of the first n (1..64) frames of domid's grant table
 * (GNTTABOP_setup_table, growing it to n); map them with
 * xenoctrl_map_foreign_bulk to write v1 entries. */
int xenoctrl_gnttab_frames(xenoctrl *x, uint32_t domid, unsigned int n, xen_pfn_t *mfns);

/* ------------------------------------------------------------------ */
/* The host                                                             */

struct xenoctrl_physinfo {
    uint32_t nr_cpus, max_cpu_id, nr_nodes, max_node_id, threads_per_core, cores_per_socket;
    uint32_t cpu_khz;
    bool cap_pv, cap_hvm, cap_directio, cap_gnttab_v1, cap_gnttab_v2;
    uint64_t total_pages, free_pages, scrub_pages, max_mfn;
    uint32_t hw_cap[8];
};
int xenoctrl_physinfo(xenoctrl *x, struct xenoctrl_physinfo *pi);
/*
 * Read the hypervisor's log ring (`xm dmesg`) into buf (NUL-terminated).
 * With incremental, start at *index (from a previous call); *index is
 * updated either way.  clear: later non-incremental reads start after
 * this one.  Returns bytes read (<= size - 1).
 */
long xenoctrl_readconsole(xenoctrl *x, char *buf, size_t size, uint32_t *index, bool incremental,
                          bool clear);
int xenoctrl_sched_id(xenoctrl *x, uint32_t *sched_id);
/* Idle ns per CPU; returns the number of CPUs filled. */
int xenoctrl_cpu_idle(xenoctrl *x, unsigned int max, uint64_t *idle_ns);
int xenoctrl_debug_keys(xenoctrl *x, const char *keys);

/* ------------------------------------------------------------------ */
/* Event channels (/dev/xen/evtchn)                                     */

typedef struct xenoctrl_evtchn xenoctrl_evtchn;
int xenoctrl_evtchn_open(xenoctrl_evtchn **out);
void xenoctrl_evtchn_close(xenoctrl_evtchn *e);
int xenoctrl_evtchn_fd(const xenoctrl_evtchn *e);        /* poll() it for POLLIN */
void xenoctrl_evtchn_set_logger(xenoctrl_evtchn *e, xenoctrl_log_fn *fn, void *ctx);
/* Each returns the local port or -errno. */
int xenoctrl_evtchn_alloc_unbound(xenoctrl_evtchn *e, uint32_t remote_domid);
int xenoctrl_evtchn_bind_interdomain(xenoctrl_evtchn *e, uint32_t domid, uint32_t remote_port);
int xenoctrl_evtchn_bind_virq(xenoctrl_evtchn *e, uint32_t virq);
int xenoctrl_evtchn_unbind(xenoctrl_evtchn *e, uint32_t port);
int xenoctrl_evtchn_notify(xenoctrl_evtchn *e, uint32_t port);
/* A port that fired (blocks unless the fd is non-blocking: -EAGAIN). */
int xenoctrl_evtchn_pending(xenoctrl_evtchn *e);
/* Re-enable a port after handling it. */
int xenoctrl_evtchn_unmask(xenoctrl_evtchn *e, uint32_t port);

/* ------------------------------------------------------------------ */
/* Grant mappings (/dev/xen/gntdev)                                     */

typedef struct xenoctrl_gnttab xenoctrl_gnttab;
int xenoctrl_gnttab_open(xenoctrl_gnttab **out);
void xenoctrl_gnttab_close(xenoctrl_gnttab *g);
void xenoctrl_gnttab_set_logger(xenoctrl_gnttab *g, xenoctrl_log_fn *fn, void *ctx);
/* Map n grants (domids[i], refs[i]) contiguously; NULL and *rc on failure. */
void *xenoctrl_gnttab_map(xenoctrl_gnttab *g, unsigned int n, const uint32_t *domids,
                          const uint32_t *refs, int prot, int *rc);
int xenoctrl_gnttab_unmap(xenoctrl_gnttab *g, void *addr, unsigned int n);

#ifdef __cplusplus
}
#endif
#endif
