/* SPDX-License-Identifier: MIT */
/* Domains and vCPUs: creation, memory ownership, shutdown (destruction: domain_destroy.c). */
#include <stdarg.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xeno/domain_ctl.h>
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/sched.h>
#include <xeno/shutdown.h>
#include <xeno/pv.h>
#include <xeno/pv_grant.h>
#include <asm/percpu.h>

struct domain *domain_list[MAX_DOMAINS];
struct domain *dom0;
static spinlock_t domlist_lock = SPIN_LOCK_UNLOCKED;

struct domain *domain_lookup(uint16_t domid)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = __atomic_load_n(&domain_list[i], __ATOMIC_ACQUIRE);
        if (d && d->domid == domid)
            return d;
    }
    return NULL;
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = xzalloc(struct vcpu);
    if (!v)
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->processor = (d->domid + id) % nr_cpus_online;
    v->state = VCPU_DOWN;
    v->runstate = RUNSTATE_offline;
    v->vcpu_info = id < MAX_VIRT_CPUS ? &d->shared_info->vcpu_info[id] : NULL;
    /* Events start masked: a guest unmasks when it is ready (start-of-day state). */
    if (v->vcpu_info)
        v->vcpu_info->evtchn_upcall_mask = 1;
    v->kernel_mode = true;
    /* Every vCPU starts with Xen's default 10 ms periodic VIRQ_TIMER. */
    v->periodic_period = 10000000;
    v->periodic_next = NOW() + v->periodic_period;
    list_init(&v->runq_link);
    pv_vcpu_init_fpu(v);
    return v;
}

/* Undo a partly made domain that no one else has seen. */
static void domain_free_unlisted(struct domain *d)
{
    pv_grant_domain_destroy(d);
    for (unsigned int i = 0; i < MAX_VIRT_CPUS; i++)
        if (d->vcpus[i])
            xfree(d->vcpus[i]);
    if (d->evtchn_ports)
        xfree(d->evtchn_ports);
    if (d->shared_info) {
        frame_table[d->shared_info_mfn].owner = PAGE_OWNER_NONE;
        free_frames(d->shared_info_mfn, 0);
    }
    xfree(d);
}

int domain_create_config(const struct domain_config *cfg, struct domain **out)
{
    uint16_t domid = cfg->domid;
    bool privileged = cfg->privileged;
    unsigned int nr_vcpus = cfg->nr_vcpus;
    int rc = -ENOMEM;

    if (!nr_vcpus || nr_vcpus > MAX_VIRT_CPUS || domid >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    if (domain_lookup(domid))
        return -EEXIST;
    struct domain *d = xzalloc(struct domain);
    if (!d)
        return -ENOMEM;
    d->domid = domid;
    d->is_privileged = privileged;
    d->weight = 256;
    d->iomem_all = privileged;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->page_alloc_lock);
    list_init(&d->page_list);
    d->start_time = NOW();
    d->is_xenstore = cfg->xs_domain;
    if (cfg->handle)
        memcpy(d->handle, cfg->handle, sizeof(d->handle));
    /* Xen: a toolstack-made domain starts paused once by the controller;
     * the first unpausedomain lets it run. */
    if (cfg->paused)
        d->pause_count = d->controller_pause_count = 1;

    long mfn = alloc_frames(0);
    if (mfn < 0)
        goto fail;
    d->shared_info_mfn = mfn;
    d->shared_info = __va((paddr_t)mfn << PAGE_SHIFT);
    memset(d->shared_info, 0, PAGE_SIZE);
    /* The guest maps shared_info: it is owned by the domain (Xen: share_xen_page_with_guest). */
    frame_table[mfn].owner = domid;

    unsigned int ports = cfg->nr_evtchn_ports ? cfg->nr_evtchn_ports
                                              : privileged ? DOM0_EVTCHN_PORTS : DOMU_EVTCHN_PORTS;
    d->evtchn_ports = xzalloc_bytes(ports * sizeof(struct evtchn));
    if (!d->evtchn_ports)
        goto fail;
    d->nr_vcpus = nr_vcpus;
    if (evtchn_domain_init(&d->evtchn, domid, d->shared_info, d->evtchn_vcpus, nr_vcpus,
                           d->evtchn_ports, ports))
        goto fail;
    d->evtchn.privileged = privileged;
    d->evtchn.hardware = privileged;
    rc = pv_grant_domain_init(d);
    if (rc)
        goto fail;
    rc = -ENOMEM;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        if (!(d->vcpus[i] = vcpu_create(d, i)))
            goto fail;
        d->vcpus[i]->pause = d->pause_count > 0;
    }

    rc = -ENOSPC;
    unsigned long f = spin_lock_irqsave(&domlist_lock);
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (domain_list[i] && domain_list[i]->domid == domid) {
            rc = -EEXIST;
            break;
        }
    for (unsigned int i = 0; rc == -ENOSPC && i < MAX_DOMAINS; i++)
        if (!domain_list[i]) {
            __atomic_store_n(&domain_list[i], d, __ATOMIC_RELEASE);
            rc = 0;
        }
    spin_unlock_irqrestore(&domlist_lock, f);
    if (rc)
        goto fail;
    *out = d;
    return 0;

fail:
    printk(XENLOG_ERR "d%u: domain creation failed (%d)\n", domid, rc);
    domain_free_unlisted(d);
    return rc;
}

struct domain *domain_create(uint16_t domid, bool privileged, unsigned int nr_vcpus)
{
    struct domain_config cfg = { .domid = domid, .privileged = privileged, .nr_vcpus = nr_vcpus };
    struct domain *d;

    return domain_create_config(&cfg, &d) ? NULL : d;
}

bool domain_unlink(struct domain *d)
{
    bool found = false;
    unsigned long f = spin_lock_irqsave(&domlist_lock);
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (domain_list[i] == d) {
            __atomic_store_n(&domain_list[i], NULL, __ATOMIC_RELEASE);
            found = true;
        }
    spin_unlock_irqrestore(&domlist_lock, f);
    return found;
}

int domain_alloc_pages(struct domain *d, unsigned long nr, unsigned long *first_mfn_out)
{
    /* Highest order blocks first; the frames need not be contiguous, but a
     * caller asking for first_mfn_out wants one contiguous run. */
    if (first_mfn_out) {
        unsigned int order = 0;
        while ((1UL << order) < nr)
            order++;
        long mfn = alloc_frames(order);
        if (mfn < 0)
            return -ENOMEM;
        for (unsigned long i = 0; i < (1UL << order); i++) {
            struct page_info *pg = &frame_table[mfn + i];
            if (i < nr) {
                pg->owner = d->domid;
                list_add_tail(&pg->list, &d->page_list);
            } else {
                free_frames(mfn + i, 0);
            }
        }
        d->tot_pages += nr;
        *first_mfn_out = mfn;
        return 0;
    }
    for (unsigned long i = 0; i < nr; i++) {
        long mfn = alloc_frames(0);
        if (mfn < 0)
            return -ENOMEM;
        frame_table[mfn].owner = d->domid;
        list_add_tail(&frame_table[mfn].list, &d->page_list);
        d->tot_pages++;
    }
    return 0;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    static const char *const names[] = { "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" };
    printk("d%u: shutdown requested: %s (%u)\n", d->domid,
           reason < ARRAY_SIZE(names) ? names[reason] : "unknown", reason);
    d->is_shutdown = true;
    d->shutdown_reason = reason;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i])
            d->vcpus[i]->pause = true;

    if (d == dom0) {
        /* Xen: dom0's poweroff/reboot turn the machine off or restart it. */
        switch (reason) {
        case SHUTDOWN_poweroff:
            machine_power_off();
        case SHUTDOWN_reboot:
            machine_restart();
        default:
            printk("Hardware Dom0 %s: rebooting machine\n", reason == SHUTDOWN_crash ? "crashed" : "shut down");
            if (opt_noreboot) {
                printk("Manual reset required ('noreboot' specified)\n");
                machine_halt(reason == SHUTDOWN_crash ? XENO_EXIT_PANIC : XENO_EXIT_HALT);
            }
            machine_restart();
        }
    }
    /* Tell the control domain (xenstored's @releaseDomain, the toolstack):
     * Xen raises VIRQ_DOM_EXC on every shutdown. */
    if (dom0 && d != dom0)
        pv_send_virq(dom0->vcpus[0], VIRQ_DOM_EXC);
    raise_schedule(smp_processor_id());
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    va_list ap;
    char msg[200];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    printk(XENLOG_ERR "d%u: domain crashed: %s\n", d->domid, msg);
    domain_shutdown(d, SHUTDOWN_crash);
}
