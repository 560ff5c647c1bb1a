/* SPDX-License-Identifier: MIT */
/*
 * domctl: the control interface (HYPERVISOR_domctl / HYPERVISOR_sysctl,
 * xen-public-headers/xen/{domctl,sysctl}.h) exercised from a test kernel.
 * As dom0 it creates, fills, builds, runs, pauses and destroys domains
 * and checks that memory comes back; as the boot-time domU d1 it checks
 * that all of it is refused.  Xeno's interface version is its own, so
 * this test does not run on Xen (its `domains` file makes the reference
 * runner skip it anyway).
 */
#ifndef DOMCTL_TEST_H
#define DOMCTL_TEST_H

#include "xtest.h"
#include "evtchn.h"
#include "mm.h"
#include "time.h"
#include <xen/domctl.h>
#include <xen/sysctl.h>

#ifndef ENOBUFS
#define ENOBUFS 105             /* Linux/x86 value, as every Xen errno */
#endif
#ifndef EOVERFLOW
#define EOVERFLOW 75
#endif

#define DOMU_ID 1               /* the boot-time domU of `domains` */

static inline long HYPERVISOR_domctl(void *op)
{ return HC(__HYPERVISOR_domctl, op, 0, 0, 0, 0); }
static inline long HYPERVISOR_sysctl(void *op)
{ return HC(__HYPERVISOR_sysctl, op, 0, 0, 0, 0); }

/* A zeroed op for cmd on dom with the right interface version. */
void dc_init(struct xen_domctl *op, uint32_t cmd, domid_t dom);
void sc_init(struct xen_sysctl *op, uint32_t cmd);
/* A command with no arguments (destroy, pause, unpause ...). */
long dc_simple(uint32_t cmd, domid_t dom);
/* getdomaininfo; *info->domain tells which domain answered. */
long dc_getinfo(domid_t dom, struct xen_domctl_getdomaininfo *info);
/* The domain exactly, or false (gone, or another one answered). */
bool dom_exists(domid_t dom);
long dc_create(domid_t want, unsigned int vcpus, domid_t *out);
long dc_max_mem(domid_t dom, uint64_t kb);
long sc_physinfo(struct xen_sysctl_physinfo *pi);
uint64_t host_free_pages(void);
/* populate_physmap of order-0 extents for pfns[i] = first + i; MFNs out. */
long populate(domid_t dom, xen_pfn_t first_pfn, unsigned int n, xen_pfn_t *mfns);
/* Map another domain's frame through mmu_update's FOREIGNDOM. */
void *map_foreign(xen_pfn_t mfn, domid_t dom, uint64_t flags, long *rc);
void unmap_foreign(void *va);
/* Poll getdomaininfo until XEN_DOMINF_shutdown; the reason, or -1. */
int wait_shutdown(domid_t dom, unsigned int ms);
/* getvcpuinfo of vCPU 0. */
long dc_vcpuinfo(domid_t dom, uint32_t vcpu, struct xen_domctl_getvcpuinfo *vi);

/* The parts. */
void dom0_interface(void);      /* versions, pointers, self, bad ids, sysctls */
void dom0_console(void);        /* readconsole */
void dom0_lifecycle(void);      /* create, memory, pause, info, permissions, destroy */
void dom0_build_and_run(void);  /* a tiny domain built from here, run, destroyed */
void dom0_reap_domu(void);      /* wait for d1 to finish, destroy it */
void domu_refused(void);        /* d1: everything is -EPERM */

#endif
