/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_sysctl: host-wide queries for the toolstack in dom0
 * (xen-public-headers/xen/sysctl.h): physinfo (`xm info`), readconsole
 * (`xm dmesg`), getdomaininfolist (`xm list`), sched_id, getcpuinfo,
 * cputopoinfo, debug_keys.  Checks in Xen 4.17's order (common/sysctl.c):
 * copy in (-EFAULT), version (-EACCES), privilege (-EPERM; the hypercall
 * table already refuses domUs); the struct is copied back on success.
 */
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <xen/sysctl.h>
#include <xeno/console.h>
#include <xeno/domain_ctl.h>
#include <xeno/domctl_ops.h>
#include <xeno/domctl_rules.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/sched.h>
#include <xeno/time.h>

/* Where the last readconsole with `clear` stopped (domctl_lock). */
static uint64_t conring_cleared;

/* CPUs 0..n-1 cover every online one. */
static unsigned int cpu_span(void)
{
    unsigned int n = 0;
    for (unsigned int c = 0; c < NR_CPUS; c++)
        if (percpu[c].online)
            n = c + 1;
    return n;
}

static void physinfo(struct xen_sysctl_physinfo *p)
{
    uint32_t a, b, c, d, max_ext;

    memset(p, 0, sizeof(*p));
    /* No topology parsing yet: each CPU is reported as its own core of
     * one socket, one NUMA node. */
    p->threads_per_core = 1;
    p->cores_per_socket = nr_cpus_online;
    p->nr_cpus = nr_cpus_online;
    p->max_cpu_id = cpu_span() - 1;
    p->nr_nodes = 1;
    p->max_node_id = 0;
    p->cpu_khz = (uint32_t)cpu_khz();
    p->capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    p->total_pages = total_page_count();
    p->free_pages = free_page_count();
    p->scrub_pages = 0;         /* pages are zeroed when handed out */
    p->max_mfn = max_page - 1;
    /* Xen's featureset words: 1.edx, 1.ecx, e1.edx, e1.ecx, Da1, 7b0, 7c0, e7d. */
    cpuid(1, &a, &b, &c, &d);
    p->hw_cap[0] = d, p->hw_cap[1] = c;
    cpuid(0x80000000, &max_ext, &b, &c, &d);
    if (max_ext >= 0x80000001) {
        cpuid(0x80000001, &a, &b, &c, &d);
        p->hw_cap[2] = d, p->hw_cap[3] = c;
    }
    cpuid(0, &a, &b, &c, &d);
    if (a >= 0xd) {
        cpuid_count(0xd, 1, &a, &b, &c, &d);
        p->hw_cap[4] = a;
    }
    cpuid(0, &a, &b, &c, &d);
    if (a >= 7) {
        cpuid_count(7, 0, &a, &b, &c, &d);
        p->hw_cap[5] = b, p->hw_cap[6] = c;
    }
    if (max_ext >= 0x80000007) {
        cpuid(0x80000007, &a, &b, &c, &d);
        p->hw_cap[7] = d;
    }
}

static long readconsole(struct xen_sysctl_readconsole *r)
{
    char chunk[256];
    uint64_t oldest = 0;
    uint32_t max = r->count, got = 0;

    console_ring_read(chunk, 0, &oldest);       /* moves 0 up to the oldest byte kept */
    uint64_t head = console_ring_head();
    uint64_t pos = conring_start(head, oldest, conring_cleared, r->incremental, r->index);
    while (got < max) {
        size_t n = console_ring_read(chunk, MIN(sizeof(chunk), (size_t)(max - got)), &pos);
        if (!n)
            break;
        if (copy_to_guest(r->buffer + got, chunk, n))
            return -EFAULT;
        got += n;
    }
    if (r->clear)
        conring_cleared = pos;
    r->count = got;
    r->index = (uint32_t)pos;
    return 0;
}

static long domaininfolist(struct xen_sysctl_getdomaininfolist *l)
{
    struct domain *sorted[MAX_DOMAINS];
    unsigned int n = 0;

    /* domain_list is in slot order; Xen answers in domid order. */
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = __atomic_load_n(&domain_list[i], __ATOMIC_ACQUIRE);
        if (!d || d->domid < l->first_domain)
            continue;
        unsigned int j = n++;
        while (j && sorted[j - 1]->domid > d->domid) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = d;
    }
    uint32_t out = 0;
    for (; out < n && out < l->max_domains; out++) {
        struct xen_domctl_getdomaininfo info;
        domain_get_info(sorted[out], &info);
        if (copy_to_guest(l->buffer + out * sizeof(info), &info, sizeof(info)))
            return -EFAULT;
    }
    l->num_domains = out;
    return 0;
}

/* Idle time of a CPU: what its vCPUs (live and destroyed) did not run. */
static uint64_t idle_time(unsigned int cpu)
{
    uint64_t busy = domain_dead_cpu_time(cpu);
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = __atomic_load_n(&domain_list[i], __ATOMIC_ACQUIRE);
        for (unsigned int j = 0; d && j < d->nr_vcpus; j++) {
            struct vcpu *v = d->vcpus[j];
            struct vcpu_runstate_info ri;
            if (!v || v->processor != cpu)
                continue;
            pv_fill_runstate(v, &ri);
            busy += ri.time[RUNSTATE_running];
        }
    }
    uint64_t now = NOW();
    return now > busy ? now - busy : 0;
}

static long getcpuinfo(struct xen_sysctl_getcpuinfo *g)
{
    uint32_t n = MIN(g->max_cpus, cpu_span());
    for (uint32_t i = 0; i < n; i++) {
        struct xen_sysctl_cpuinfo ci = { .idletime = percpu[i].online ? idle_time(i) : 0 };
        if (copy_to_guest(g->info + i * sizeof(ci), &ci, sizeof(ci)))
            return -EFAULT;
    }
    g->nr_cpus = n;
    return 0;
}

static long cputopoinfo(struct xen_sysctl_cputopoinfo *t)
{
    uint32_t n = cpu_span();
    long rc = 0;

    if (t->cputopo) {
        /* Xen: a buffer too small is -ENOBUFS, with num_cpus set. */
        if (t->num_cpus < n)
            rc = -ENOBUFS;
        for (uint32_t i = 0; !rc && i < n; i++) {
            struct xen_sysctl_cputopo c = { XEN_INVALID_CORE_ID, XEN_INVALID_SOCKET_ID, XEN_INVALID_NODE_ID };
            if (percpu[i].online)
                c = (struct xen_sysctl_cputopo){ .core = i, .socket = 0, .node = 0 };
            if (copy_to_guest(t->cputopo + i * sizeof(c), &c, sizeof(c)))
                return -EFAULT;
        }
    }
    t->num_cpus = n;
    return rc;
}

static long debug_keys(struct xen_sysctl_debug_keys *k)
{
    for (uint32_t i = 0; i < k->nr_keys; i++) {
        char c;
        if (copy_from_guest(&c, k->keys + i, 1))
            return -EFAULT;
        handle_keypress((unsigned char)c);
    }
    return 0;
}

long do_sysctl(HC_ARGS)
{
    uint64_t uop = a1;
    struct xen_sysctl op;
    bool copyback = true;
    long rc;

    if (!current->domain->is_privileged)
        return -EPERM;          /* also refused by the hypercall table */
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES;

    domctl_lock_acquire();
    switch (op.cmd) {
    case XEN_SYSCTL_readconsole:
        rc = readconsole(&op.u.readconsole);
        break;
    case XEN_SYSCTL_physinfo:
        physinfo(&op.u.physinfo);
        rc = 0;
        break;
    case XEN_SYSCTL_sched_id:
        op.u.sched_id.sched_id = XEN_SCHEDULER_CREDIT;      /* see pv/domctl.c scheduler_op */
        rc = 0;
        break;
    case XEN_SYSCTL_getdomaininfolist:
        rc = domaininfolist(&op.u.getdomaininfolist);
        break;
    case XEN_SYSCTL_debug_keys:
        rc = debug_keys(&op.u.debug_keys);
        copyback = false;
        break;
    case XEN_SYSCTL_getcpuinfo:
        rc = getcpuinfo(&op.u.getcpuinfo);
        break;
    case XEN_SYSCTL_cputopoinfo:
        rc = cputopoinfo(&op.u.cputopoinfo);
        copyback = !rc || rc == -ENOBUFS;
        break;
    default:
        rc = -ENOSYS;
        copyback = false;
    }
    domctl_lock_release();

    if (copyback && (!rc || rc == -ENOBUFS) && copy_to_guest(uop, &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
