/* SPDX-License-Identifier: MIT */
/*
 * Pausing and destroying domains for the toolstack (xeno/domain_ctl.h).
 *
 * Destruction follows Xen's domain_kill() / domain_relinquish_resources()
 * (xen/common/domain.c, xen/arch/x86/domain.c), in an order that lets
 * every step run without racing anyone:
 *
 *  1. is_dying (under page_alloc_lock: no page is added after this), and
 *     a pause that is never undone: no vCPU of d is on a CPU afterwards.
 *  2. Event channels closed (interdomain peers fall back to unbound, as
 *     Xen's evtchn_destroy) and grants released (tables still pinned by
 *     others wait as zombies, pv/grant_env.c): after this no other
 *     domain's state points into d.
 *  3. d leaves domain_list; domain_synchronize() waits until no CPU can
 *     still hold a pointer it looked up earlier.  From here d is ours.
 *  4. Each vCPU drops its references: kernel and user L4 (Xen's
 *     vcpu_destroy_pagetables), GDT/LDT frames, a registered vcpu_info.
 *  5. Every page goes back through the PV MMU rules (Xen's
 *     relinquish_memory): unpin if pinned, then page_release(); a frame
 *     nobody references is freed now, the rest (page tables referenced by
 *     tables not yet processed, frames dom0 still maps) are freed on
 *     their last put_page.  Without linear page tables there are no
 *     reference cycles, so once the pins and base pointers are gone the
 *     tables devalidate from the top and everything comes back.
 *  6. shared_info the same way; then the structures themselves.
 */
#include <asm/cpu.h>
#include <xen/xen.h>
#include <xeno/domain_ctl.h>
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_desc.h>
#include <xeno/pv_grant.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>
#include <xeno/smp.h>

volatile uint64_t domain_qs_count[NR_CPUS];
static spinlock_t domctl_lock = SPIN_LOCK_UNLOCKED;
static uint64_t dead_cpu_time[NR_CPUS];

/* ------------------------------------------------------------------ */
/* Grace period and the domctl lock                                     */

void domctl_lock_acquire(void)
{
    /* Spinning here the CPU holds no domain pointer (do_domctl/do_sysctl
     * look domains up only with the lock held), so a destroy that waits
     * for a grace period under the lock still sees us go by. */
    while (!spin_trylock(&domctl_lock)) {
        domain_quiescent();
        cpu_relax();
    }
}

void domctl_lock_release(void)
{
    spin_unlock(&domctl_lock);
}

void domain_synchronize(void)
{
    unsigned int me = smp_processor_id();
    uint64_t snap[NR_CPUS];

    /* Order the caller's unlink before the snapshot (a store, then loads). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (unsigned int c = 0; c < NR_CPUS; c++)
        snap[c] = __atomic_load_n(&domain_qs_count[c], __ATOMIC_ACQUIRE);
    s_time_t t0 = NOW();
    bool warned = false;
    for (unsigned int c = 0; c < NR_CPUS; c++) {
        if (c == me)
            continue;
        while (percpu[c].online && __atomic_load_n(&domain_qs_count[c], __ATOMIC_ACQUIRE) == snap[c]) {
            cpu_relax();
            if (!warned && NOW() - t0 > 1000000000LL) {
                printk(XENLOG_WARNING "domain teardown: CPU%u not quiescent for 1 s, still waiting\n", c);
                warned = true;
            }
        }
    }
}

uint64_t domain_dead_cpu_time(unsigned int cpu)
{
    return cpu < NR_CPUS ? __atomic_load_n(&dead_cpu_time[cpu], __ATOMIC_RELAXED) : 0;
}

/* ------------------------------------------------------------------ */
/* Pausing                                                              */

static void nothing(void *arg)
{
    (void)arg;
}

/* The scheduler sets RUNSTATE_running after making a vCPU current and
 * leaves it only after saving its state (common/schedule.c). */
static bool vcpu_on_cpu(const struct vcpu *v)
{
    return __atomic_load_n(&v->runstate, __ATOMIC_ACQUIRE) == RUNSTATE_running;
}

/* Every vCPU of d has its pause flag set: wait until none is on a CPU. */
static void wait_off_cpu(struct domain *d)
{
    /* A schedule() that picked a vCPU before its flag was set runs with
     * interrupts off until the vCPU is current and marked running; one
     * call to every CPU waits that window out. */
    for (unsigned int c = 0; c < NR_CPUS; c++)
        if (percpu[c].online && c != smp_processor_id())
            smp_call_on_cpu(c, nothing, NULL);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        s_time_t kicked = 0;
        while (v && vcpu_on_cpu(v)) {
            if (NOW() - kicked > 1000000) {     /* re-kick every ms */
                raise_schedule(v->processor);
                kicked = NOW();
            }
            cpu_relax();
        }
    }
}

void domain_pause(struct domain *d)
{
    BUG_ON(current && d == current->domain);
    spin_lock(&d->lock);
    if (d->pause_count++ == 0)
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            if (d->vcpus[i])
                __atomic_store_n(&d->vcpus[i]->pause, true, __ATOMIC_SEQ_CST);
    spin_unlock(&d->lock);
    wait_off_cpu(d);
}

void domain_unpause(struct domain *d)
{
    bool run = false;

    spin_lock(&d->lock);
    if (!d->pause_count) {
        spin_unlock(&d->lock);
        printk(XENLOG_ERR "d%u: unpause without pause\n", d->domid);
        return;
    }
    if (--d->pause_count == 0 && !d->is_shutdown && !d->is_dying) {
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            if (d->vcpus[i])
                __atomic_store_n(&d->vcpus[i]->pause, false, __ATOMIC_SEQ_CST);
        run = true;
    }
    spin_unlock(&d->lock);
    /* vCPUs that became runnable while paused go back on their queue;
     * down and blocked ones wait for VCPUOP_up or an event as before. */
    for (unsigned int i = 0; run && i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        enum vcpu_run_state s = v ? __atomic_load_n(&v->state, __ATOMIC_SEQ_CST) : VCPU_DOWN;
        if (s == VCPU_RUNNABLE || s == VCPU_RUNNING)
            vcpu_wake(v);
    }
}

int domain_pause_by_controller(struct domain *d)
{
    spin_lock(&d->lock);
    /* Xen caps the toolstack's nesting at 255 (-EOVERFLOW). */
    if (d->controller_pause_count >= 255) {
        spin_unlock(&d->lock);
        return -EOVERFLOW;
    }
    d->controller_pause_count++;
    spin_unlock(&d->lock);
    domain_pause(d);
    return 0;
}

int domain_unpause_by_controller(struct domain *d)
{
    spin_lock(&d->lock);
    if (!d->controller_pause_count) {
        spin_unlock(&d->lock);
        return -EINVAL;         /* Xen: the count may not go below 0 */
    }
    if (--d->controller_pause_count == 0)
        d->creation_finished = true;
    spin_unlock(&d->lock);
    domain_unpause(d);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Teardown                                                             */

void domain_release_frame(struct domain *d, unsigned long mfn)
{
    int rc = -EINVAL;

    spin_lock(&pv_mm_lock);
    /* The owner's pin holds a general and a type reference (Xen drops it
     * in relinquish_memory before the allocation reference). */
    if (frame_table[mfn].type_info & PGT_pinned)
        unpin_table(&pv_env, d->domid, mfn);
    rc = page_release(&pv_env, mfn, d->domid);
    spin_unlock(&pv_mm_lock);
    if (rc == 0) {
        frame_table[mfn].owner = PAGE_OWNER_NONE;
        m2p[mfn] = INVALID_M2P_ENTRY;
        free_frames(mfn, 0);
    } else if (rc < 0) {
        printk(XENLOG_ERR "d%u: teardown: frame %#lx not releasable (%d)\n", d->domid, mfn, rc);
    }
    /* rc == 1: referenced elsewhere; pv_env.free_frame frees it on the last put. */
}

/* Drop what a vCPU holds (it is off every CPU and will never run). */
static void vcpu_release(struct vcpu *v)
{
    unsigned long tables[2] = { v->guest_table, v->guest_table_user };

    pv_vcpu_destroy_desc(v);
    spin_lock(&pv_mm_lock);
    for (unsigned int i = 0; i < 2; i++)
        if (tables[i])
            put_page_and_type(&pv_env, tables[i]);
    if (v->vcpu_info_mfn)
        put_page_and_type(&pv_env, v->vcpu_info_mfn);     /* VCPUOP_register_vcpu_info's */
    spin_unlock(&pv_mm_lock);
    v->guest_table = v->guest_table_user = v->vcpu_info_mfn = 0;
    v->vcpu_info = NULL;
    v->initialised = false;

    struct vcpu_runstate_info ri;
    pv_fill_runstate(v, &ri);
    if (v->processor < NR_CPUS)
        __atomic_fetch_add(&dead_cpu_time[v->processor], ri.time[RUNSTATE_running], __ATOMIC_RELAXED);
}

int domain_kill(struct domain *d)
{
    if (current && d == current->domain)
        return -EINVAL;         /* Xen's domain_kill(): not yourself */
    if (d->is_dying)
        return -ESRCH;          /* cannot happen: unlinked under domctl_lock */

    unsigned long before = free_page_count(), pages = d->tot_pages;
    spin_lock(&d->page_alloc_lock);
    d->is_dying = true;
    spin_unlock(&d->page_alloc_lock);
    domain_pause(d);

    pv_evtchn_domain_destroy(d);
    pv_grant_domain_destroy(d);
    domain_unlink(d);
    domain_synchronize();
    /* Nobody can wake a vCPU of d any more; a stale queue entry is all
     * that may be left of it in the scheduler. */
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i])
            vcpu_runq_remove(d->vcpus[i]);

    /* No CPU ran d since the pause, but one may still cache translations
     * of its frames (global user entries): drop them before reuse. */
    flush_tlb_all_cpus();
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i])
            vcpu_release(d->vcpus[i]);

    unsigned long released = 0;
    for (;;) {
        spin_lock(&d->page_alloc_lock);
        struct page_info *pg = list_empty(&d->page_list) ? NULL
                             : list_first_entry(&d->page_list, struct page_info, list);
        if (pg) {
            list_del(&pg->list);
            d->tot_pages--;
        }
        spin_unlock(&d->page_alloc_lock);
        if (!pg)
            break;
        domain_release_frame(d, page_to_mfn(pg));
        released++;
    }
    domain_release_frame(d, d->shared_info_mfn);

    printk("d%u: destroyed: %lu of %lu pages released, %lu frames back in the allocator so far\n",
           d->domid, released, pages, free_page_count() - before);
    for (unsigned int i = 0; i < MAX_VIRT_CPUS; i++)
        if (d->vcpus[i])
            xfree(d->vcpus[i]);
    xfree(d->evtchn_ports);
    xfree(d);

    /* Xen sends VIRQ_DOM_EXC once the domain is gone (xenstored's
     * @releaseDomain). */
    if (dom0 && dom0->vcpus[0])
        pv_send_virq(dom0->vcpus[0], VIRQ_DOM_EXC);
    return 0;
}
