/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: one run queue per physical CPU, round robin with a 10 ms
 * slice; a vCPU stays on the CPU it was placed on.  A switch never unwinds a
 * stack: the outgoing vCPU's frame is saved from cpu_info->guest_regs, the
 * incoming one's loaded there, and the CPU continues at return_to_guest
 * (or in the idle loop when nothing is runnable).
 */
#include <asm/cpu.h>
#include <xen/vcpu.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <xeno/apic.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/sched.h>
#include <xeno/setup.h>

#define SLICE_NS 10000000LL

/* Weighted round robin: a vCPU's slice scales with its domain's weight
 * (256 = the 10 ms base slice), so CPU time splits in proportion. */
static s_time_t slice_for(const struct vcpu *v)
{
    unsigned int w = v->domain->weight ? v->domain->weight : 256;
    return SLICE_NS * w / 256;
}

struct runq {
    spinlock_t lock;
    struct list_head list;
    volatile bool schedule_pending;
};
static struct runq runqs[NR_CPUS];

struct vcpu *current_vcpu(void) { return get_cpu_info()->curr_vcpu; }
void set_current_vcpu(struct vcpu *v) { get_cpu_info()->curr_vcpu = v; }

void scheduler_init_cpu(void)
{
    struct runq *rq = &runqs[smp_processor_id()];
    spin_lock_init(&rq->lock);
    list_init(&rq->list);
}

static bool runnable(const struct vcpu *v)
{
    return v->initialised && !v->pause && !v->domain->is_shutdown &&
           (v->state == VCPU_RUNNABLE || v->state == VCPU_RUNNING);
}

void raise_schedule(unsigned int cpu)
{
    runqs[cpu].schedule_pending = true;
    if (cpu != smp_processor_id() && percpu[cpu].online)
        apic_send_ipi(percpu[cpu].apic_id, VECTOR_IPI_EVENT);
}

bool schedule_pending(void)
{
    return runqs[smp_processor_id()].schedule_pending;
}

static void runq_add(struct vcpu *v)
{
    struct runq *rq = &runqs[v->processor];
    unsigned long f = spin_lock_irqsave(&rq->lock);
    if (!v->on_runq) {
        list_add_tail(&v->runq_link, &rq->list);
        v->on_runq = true;
    }
    spin_unlock_irqrestore(&rq->lock, f);
}

static void set_runstate(struct vcpu *v, int state)
{
    s_time_t now = NOW();
    v->runstate_time[v->runstate] += now - v->state_entry_time;
    if (v->runstate == RUNSTATE_running)
        v->cpu_time += now - v->state_entry_time;
    v->runstate = state;
    v->state_entry_time = now;
}

void vcpu_wake(struct vcpu *v)
{
    enum vcpu_run_state s = __atomic_load_n(&v->state, __ATOMIC_SEQ_CST);
    if ((s == VCPU_BLOCKED || s == VCPU_DOWN) &&
        __atomic_compare_exchange_n(&v->state, &s, VCPU_RUNNABLE, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        set_runstate(v, RUNSTATE_runnable);
    if (runnable(v) && current_vcpu() != v) {
        runq_add(v);
        raise_schedule(v->processor);
    }
}

/* Domain teardown: v is paused, off every CPU and unreachable; drop a
 * queue entry the scheduler has not lazily discarded yet. */
void vcpu_runq_remove(struct vcpu *v)
{
    struct runq *rq = &runqs[v->processor];
    unsigned long f = spin_lock_irqsave(&rq->lock);
    if (v->on_runq) {
        list_del(&v->runq_link);
        v->on_runq = false;
    }
    spin_unlock_irqrestore(&rq->lock, f);
}

void vcpu_block(struct vcpu *v)
{
    __atomic_store_n(&v->state, VCPU_BLOCKED, __ATOMIC_SEQ_CST);
    raise_schedule(v->processor);
}

/* The running vCPU changes its mind about blocking (an event came in).  A
 * concurrent vcpu_wake() may already have made it runnable: either way it
 * ends up running, and the pending reschedule finds it again. */
void vcpu_unblock_self(struct vcpu *v)
{
    enum vcpu_run_state blocked = VCPU_BLOCKED;
    __atomic_compare_exchange_n(&v->state, &blocked, VCPU_RUNNING, false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
}

void vcpu_kick(struct vcpu *v)
{
    /* Callers have made the event visible first; this read is ordered after it. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&v->state, __ATOMIC_SEQ_CST) == VCPU_BLOCKED)
        vcpu_wake(v);
    else if (v->processor != smp_processor_id())
        raise_schedule(v->processor);   /* an IPI makes it look at its events */
}

void schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct runq *rq = &runqs[cpu];
    struct vcpu *prev = current_vcpu(), *next = NULL;

    local_irq_disable();
    rq->schedule_pending = false;
    spin_lock(&rq->lock);
    if (prev && runnable(prev) && !prev->on_runq) {
        list_add_tail(&prev->runq_link, &rq->list);
        prev->on_runq = true;
    }
    while (!list_empty(&rq->list)) {
        struct vcpu *v = list_first_entry(&rq->list, struct vcpu, runq_link);
        list_del(&v->runq_link);
        v->on_runq = false;
        if (runnable(v)) {
            next = v;
            break;
        }
    }
    spin_unlock(&rq->lock);

    if (next == prev) {
        if (next) {
            next->slice_end = NOW() + slice_for(next);
            next->state = VCPU_RUNNING;
        }
        local_irq_enable();
        return;
    }
    if (prev) {
        pv_save_state(prev);
        if (prev->state == VCPU_RUNNING)
            prev->state = VCPU_RUNNABLE;
        set_runstate(prev, prev->state == VCPU_BLOCKED ? RUNSTATE_blocked :
                           runnable(prev) ? RUNSTATE_runnable : RUNSTATE_offline);
    }
    if (!next) {
        set_current_vcpu(NULL);
        write_cr3(__pa(idle_pg_table));
        reset_stack_and_jump(idle_loop);
    }
    set_current_vcpu(next);
    next->processor = cpu;
    next->state = VCPU_RUNNING;
    next->slice_end = NOW() + slice_for(next);
    set_runstate(next, RUNSTATE_running);
    pv_load_state(next);
    update_vcpu_system_time(next);
    pv_update_runstate_area(next);
    reset_stack_and_jump(return_to_guest);
}

void schedule_from_idle(void)
{
    if (schedule_pending() || !list_empty(&runqs[smp_processor_id()].list))
        schedule();
}

/* Per-CPU tick (HZ): vCPU timers, slice expiry. */
void sched_timer_tick(void)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *cur = current_vcpu();
    s_time_t now = NOW();

    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domain_list[i];
        if (!d || d->is_shutdown)
            continue;
        for (unsigned int j = 0; j < d->nr_vcpus; j++) {
            struct vcpu *v = d->vcpus[j];
            if (!v || v->processor != cpu)
                continue;
            bool fire = false;
            if (v->singleshot_deadline && now >= v->singleshot_deadline) {
                v->singleshot_deadline = 0;
                fire = true;
            }
            /* The periodic timer runs only while its vCPU runs (Xen). */
            if (v->periodic_period && v == cur && now >= v->periodic_next) {
                v->periodic_next = now + v->periodic_period;
                fire = true;
            }
            if (v->polling && v->poll_deadline && now >= v->poll_deadline) {
                v->polling = false;
                vcpu_wake(v);
            }
            if (fire)
                pv_timer_fired(v);
        }
    }
    if (cur && now >= cur->slice_end && !list_empty(&runqs[cpu].list))
        runqs[cpu].schedule_pending = true;
}
