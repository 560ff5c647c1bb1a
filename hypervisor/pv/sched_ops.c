/* SPDX-License-Identifier: MIT */
/* sched_op, set_timer_op and vcpu_op: blocking, shutdown, timers, vCPU state. */
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/xen.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>

static bool events_pending(struct vcpu *v)
{
    return v->vcpu_info && v->vcpu_info->evtchn_upcall_pending;
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    if (copy_from_guest(&p, arg, sizeof(p)))
        return -EFAULT;
    if (p.nr_ports > 128)
        return -EINVAL;
    uint64_t mask[2] = { 0, 0 };
    bool any_pending = false;
    for (unsigned int i = 0; i < p.nr_ports; i++) {
        uint32_t port;
        if (copy_from_guest(&port, p.ports + i * sizeof(port), sizeof(port)))
            return -EFAULT;
        if (port >= v->domain->evtchn.max_ports)
            return -EINVAL;
        if (port < 128)
            mask[port / 64] |= 1ULL << (port % 64);
        if (pv_port_pending(v->domain, port))
            any_pending = true;
    }
    if (any_pending)
        return 0;
    if (p.timeout && (s_time_t)p.timeout <= NOW())
        return 0;
    v->poll_mask[0] = mask[0];
    v->poll_mask[1] = mask[1];
    v->poll_deadline = p.timeout;
    v->polling = true;
    vcpu_block(v);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /* Same ordering as SCHEDOP_block: re-check after marking ourselves. */
    for (unsigned int i = 0; i < 128; i++)
        if ((mask[i / 64] & (1ULL << (i % 64))) && pv_port_pending(v->domain, i)) {
            v->polling = false;
            vcpu_unblock_self(v);
            break;
        }
    return 0;
}

long do_sched_op(HC_ARGS)
{
    struct vcpu *v = current;
    switch (a1) {
    case SCHEDOP_yield:
        raise_schedule(v->processor);
        return 0;
    case SCHEDOP_block:
        /* Blocking re-enables event delivery (Xen's vcpu_block_enable_events).
         * Mark blocked first, then look for events: a waker sets the event
         * and then looks at our state, so one of the two sees the other and
         * no wake-up is lost. */
        v->vcpu_info->evtchn_upcall_mask = 0;
        vcpu_block(v);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (events_pending(v))
            vcpu_unblock_self(v);
        return 0;
    case SCHEDOP_shutdown: {
        struct sched_shutdown s;
        if (copy_from_guest(&s, a2, sizeof(s)))
            return -EFAULT;
        if (s.reason > SHUTDOWN_MAX)
            return -EINVAL;
        domain_shutdown(v->domain, s.reason);
        return 0;
    }
    case SCHEDOP_shutdown_code: {
        struct sched_shutdown s;
        if (copy_from_guest(&s, a2, sizeof(s)))
            return -EFAULT;
        v->domain->shutdown_reason = s.reason;
        return 0;
    }
    case SCHEDOP_poll:
        return sched_poll(v, a2);
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown r;
        if (copy_from_guest(&r, a2, sizeof(r)))
            return -EFAULT;
        struct domain *d = domain_lookup(r.domain_id);
        if (!d)
            return -ESRCH;
        if (!v->domain->is_privileged)
            return -EPERM;
        domain_shutdown(d, r.reason);
        return 0;
    }
    default:
        return -ENOSYS;
    }
}

long do_set_timer_op(HC_ARGS)
{
    struct vcpu *v = current;
    s_time_t deadline = (s_time_t)a1;
    /* 0 cancels; a deadline in the past fires at the next tick. */
    v->singleshot_deadline = deadline;
    return 0;
}

static long vcpu_register_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    if (copy_from_guest(&info, arg, sizeof(info)))
        return -EFAULT;
    /* Inside one page and naturally aligned, or -ENXIO (Xen). */
    if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (info.offset & 7))
        return -ENXIO;
    if (info.rsvd)
        return -EINVAL;
    if (v->vcpu_info_mfn)
        return -EINVAL;     /* Xen: only once per vCPU */
    /* The page stays writable-typed while it holds the vcpu_info, so it
     * can never become a page table (Xen's map_vcpu_info). */
    spin_lock(&pv_mm_lock);
    int rc = get_page_and_type(&pv_env, info.mfn, v->domain->domid, PGT_writable_page);
    spin_unlock(&pv_mm_lock);
    if (rc)
        return -EINVAL;
    struct vcpu_info *new_vi = (struct vcpu_info *)((char *)__va(info.mfn << PAGE_SHIFT) + info.offset);
    if (v->vcpu_info)
        *new_vi = *v->vcpu_info;
    else
        memset(new_vi, 0, sizeof(*new_vi));
    v->vcpu_info = new_vi;
    v->vcpu_info_mfn = info.mfn;
    update_vcpu_system_time(v);
    pv_vcpu_info_moved(v);
    return 0;
}

long do_vcpu_op(HC_ARGS)
{
    unsigned long cmd = a1, id = a2;
    uint64_t arg = a3;
    struct domain *d = current->domain;

    if (id >= d->nr_vcpus || !d->vcpus[id])
        return -ENOENT;
    struct vcpu *v = d->vcpus[id];

    switch (cmd) {
    case VCPUOP_is_up:
        return v->state != VCPU_DOWN;
    case VCPUOP_up:
        if (!v->initialised)
            return -EINVAL;
        if (v->state == VCPU_DOWN)
            vcpu_wake(v);
        return 0;
    case VCPUOP_down:
        v->state = VCPU_DOWN;
        if (v == current)
            raise_schedule(v->processor);
        return 0;
    case VCPUOP_initialise:
        return pv_vcpu_initialise(v, arg);
    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer t;
        if (v != current)
            return -EINVAL;
        if (copy_from_guest(&t, arg, sizeof(t)))
            return -EFAULT;
        /* Xen 4.17 ignores VCPU_SSHOTTMR_future: a past deadline fires now. */
        v->singleshot_deadline = t.timeout_abs_ns ? (s_time_t)t.timeout_abs_ns : 1;
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        if (v != current)
            return -EINVAL;
        v->singleshot_deadline = 0;
        return 0;
    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer t;
        if (copy_from_guest(&t, arg, sizeof(t)))
            return -EFAULT;
        if (t.period_ns < 1000000)      /* Xen's minimum: 1 ms */
            return -EINVAL;
        v->periodic_period = t.period_ns;
        v->periodic_next = NOW() + t.period_ns;
        return 0;
    }
    case VCPUOP_stop_periodic_timer:
        v->periodic_period = 0;
        return 0;
    case VCPUOP_register_runstate_memory_area: {
        struct vcpu_register_runstate_memory_area area;
        if (copy_from_guest(&area, arg, sizeof(area)))
            return -EFAULT;
        if (area.addr.h && !guest_range_ok(area.addr.h, sizeof(struct vcpu_runstate_info)))
            return -EFAULT;
        v->runstate_area = area.addr.h;
        pv_update_runstate_area(v);
        return 0;
    }
    case VCPUOP_get_runstate_info: {
        struct vcpu_runstate_info ri;
        pv_fill_runstate(v, &ri);
        return copy_to_guest(arg, &ri, sizeof(ri));
    }
    case VCPUOP_register_vcpu_info:
        return vcpu_register_info(v, arg);
    default:
        return -ENOSYS;
    }
}
