/* SPDX-License-Identifier: MIT */
#ifndef XENO_DOMAIN_CTL_H
#define XENO_DOMAIN_CTL_H

/*
 * Domain life cycle under the toolstack: creation with a configuration,
 * pausing, destruction, and the grace period that lets a destroyed
 * struct domain be freed while other CPUs may still hold a pointer they
 * looked up before it left domain_list.
 *
 * Locking
 * -------
 * domctl_lock serialises every domctl/sysctl (as Xen's domctl lock).  A
 * CPU waiting for it holds no domain pointer, so waiting counts as a
 * quiescent state (see below) and a destroy may wait for a grace period
 * while holding it.  d->lock guards pause_count and every vCPU's pause
 * flag; d->page_alloc_lock guards page_list/tot_pages/max_pages against
 * is_dying (a domain being destroyed takes no new pages).
 *
 * Grace period (a tiny RCU)
 * -------------------------
 * domain_lookup() and domain_list readers take no reference.  Each CPU
 * bumps domain_qs_count[cpu] at points where it holds no domain pointer:
 * on the way back to a guest (arch/x86/pv/traps.c guest_exit_work), at
 * the top of the idle loop (common/idle.c) and while spinning for
 * domctl_lock.  domain_synchronize() returns once every other online CPU
 * has passed such a point, so a domain unlinked before the call is
 * referenced by nobody afterwards.  The 1 kHz tick guarantees progress.
 */
#include <asm/config.h>
#include <asm/percpu.h>
#include <xeno/sched.h>

extern volatile uint64_t domain_qs_count[NR_CPUS];

/* This CPU holds no pointer to any struct domain or vcpu right now. */
static inline void domain_quiescent(void)
{
    domain_qs_count[smp_processor_id()]++;
}

/* Wait until every other online CPU has been quiescent since the call. */
void domain_synchronize(void);

void domctl_lock_acquire(void);
void domctl_lock_release(void);

/* What domain_create_config() makes. */
struct domain_config {
    uint16_t domid;
    bool privileged;                /* dom0: control + hardware domain */
    bool paused;                    /* start paused by the controller (createdomain) */
    bool xs_domain;
    unsigned int nr_vcpus;          /* 1..MAX_VIRT_CPUS */
    unsigned int nr_evtchn_ports;   /* 0: the default for privileged / not */
    const uint8_t *handle;          /* 16-byte UUID or NULL */
};

/* 0, -EINVAL (bad vCPU count), -EEXIST (id in use), -ENOSPC (domain_list
 * full), -EBUSY (a destroyed domain with this id still has grant entries
 * pinned by others), -ENOMEM.  On error nothing is left behind. */
int domain_create_config(const struct domain_config *cfg, struct domain **out);

/* Take d out of domain_list (common/domain.c); false if it was not there. */
bool domain_unlink(struct domain *d);

/*
 * Hypervisor-internal pause, nesting, synchronous: on return no vCPU of d
 * is on a CPU, and none will be until the matching unpause.  Never on the
 * caller's own domain (it would wait for itself).
 */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
/* XEN_DOMCTL_pausedomain/unpausedomain: 0, -EOVERFLOW (255 nested, Xen's
 * limit), -EINVAL (unpause without a pause). */
int domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);

/*
 * XEN_DOMCTL_destroydomain (Xen's domain_kill): pause, close event
 * channels and grants, unlink, wait out the grace period, release every
 * vCPU reference and page through the PV MMU rules, free shared_info and
 * the structures, tell dom0 (VIRQ_DOM_EXC).  Frames still referenced by
 * another domain (foreign mappings) go back when that reference goes.
 * Called with domctl_lock held.  0 or -EINVAL (own domain).
 */
int domain_kill(struct domain *d);

/* ns that vCPUs of destroyed domains ran on cpu (getcpuinfo's idle time
 * must not jump when their time leaves the per-vCPU sums). */
uint64_t domain_dead_cpu_time(unsigned int cpu);

/* Give a frame (a page of d's, or its shared_info) back through the PV MMU
 * rules: freed now if nothing references it, else on the last put. */
void domain_release_frame(struct domain *d, unsigned long mfn);

#endif
