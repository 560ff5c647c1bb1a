/* SPDX-License-Identifier: MIT */
/* Guest time: the pvclock in each vcpu_info, the wallclock in shared_info,
 * and the runstate area. */
#include <asm/cpu.h>
#include <xen/vcpu.h>
#include <xeno/guest_access.h>
#include <xeno/lib.h>
#include <xeno/pv.h>
#include <xeno/sched.h>
#include <xeno/time.h>

void update_vcpu_system_time(struct vcpu *v)
{
    struct vcpu_info *vi = v->vcpu_info;
    if (!vi)
        return;
    struct vcpu_time_info *t = &vi->time;
    uint32_t mul;
    int8_t shift;
    uint64_t tsc;
    s_time_t now = time_snapshot(&tsc, &mul, &shift);

    /* Odd version while fields change, even when consistent (pvclock protocol). */
    t->version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = tsc;
    t->system_time = now;
    t->tsc_to_system_mul = mul;
    t->tsc_shift = shift;
    t->flags = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version++;
}

void update_domain_wallclock(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    uint64_t sec, nsec;
    wallclock_at_boot(&sec, &nsec);
    sec += d->time_offset_seconds;      /* XEN_DOMCTL_settimeoffset (Xen: d->time_offset) */
    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)sec;
    s->wc_sec_hi = (uint32_t)(sec >> 32);
    s->wc_nsec = (uint32_t)nsec;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version++;
}

void pv_fill_runstate(struct vcpu *v, struct vcpu_runstate_info *ri)
{
    s_time_t now = NOW();
    ri->state = v->runstate;
    ri->state_entry_time = v->state_entry_time;
    for (int i = 0; i < 4; i++)
        ri->time[i] = v->runstate_time[i];
    ri->time[v->runstate] += now - v->state_entry_time;
}

void pv_update_runstate_area(struct vcpu *v)
{
    if (!v->runstate_area || v != current)
        return;
    struct vcpu_runstate_info ri;
    pv_fill_runstate(v, &ri);
    copy_to_guest(v->runstate_area, &ri, sizeof(ri));
}
