/* SPDX-License-Identifier: MIT */
/*
 * domctl on vCPUs: setvcpucontext, getvcpucontext, getvcpuinfo.  Facts
 * from Xen 4.17 (common/domctl.c, arch/x86/domain.c arch_set_info_guest /
 * arch_get_info_guest for a 64-bit PV vCPU).  The context is checked and
 * loaded by the same code as VCPUOP_initialise (pv/vcpu_context.c).
 */
#include <asm/cpu.h>
#include <xen/domctl.h>
#include <xeno/domain_ctl.h>
#include <xeno/domctl_ops.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_desc.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>

static struct vcpu *vcpu_of(struct domain *d, uint32_t id)
{
    return id < d->nr_vcpus ? d->vcpus[id] : NULL;
}

/* setvcpucontext with a NULL handle (Xen's vcpu_reset): drop the vCPU's
 * tables and descriptor frames and take it down, ready for a new context. */
static void vcpu_reset(struct vcpu *v)
{
    pv_vcpu_destroy_desc(v);
    spin_lock(&pv_mm_lock);
    if (v->guest_table)
        put_page_and_type(&pv_env, v->guest_table);
    if (v->guest_table_user)
        put_page_and_type(&pv_env, v->guest_table_user);
    spin_unlock(&pv_mm_lock);
    v->guest_table = v->guest_table_user = 0;
    v->initialised = false;
    __atomic_store_n(&v->state, VCPU_DOWN, __ATOMIC_SEQ_CST);
}

long domctl_setvcpucontext(struct domain *d, struct xen_domctl *op)
{
    struct vcpu *v = vcpu_of(d, op->u.vcpucontext.vcpu);
    long rc;

    /* Xen: not on yourself (no domain_pause()), vCPU must exist. */
    if (d == current->domain || !v)
        return -EINVAL;
    if (!op->u.vcpucontext.ctxt) {
        domain_pause(d);
        vcpu_reset(v);
        domain_unpause(d);
        return 0;
    }
    struct vcpu_guest_context *c = xmalloc(struct vcpu_guest_context);     /* 5 KiB */
    if (!c)
        return -ENOMEM;
    if (copy_from_guest(c, op->u.vcpucontext.ctxt, sizeof(*c))) {
        xfree(c);
        return -EFAULT;
    }
    domain_pause(d);
    /* Xeno loads a context into an uninitialised vCPU only (-EEXIST
     * otherwise, as VCPUOP_initialise); reset it first to replace one. */
    rc = pv_vcpu_load_context(v, c);
    /* Xen's arch_set_info_guest: VGCF_online brings the vCPU up (it runs
     * once the domain is unpaused); without it the vCPU stays down. */
    if (!rc && (c->flags & VGCF_online))
        vcpu_wake(v);
    domain_unpause(d);
    xfree(c);
    return rc;
}

static void fill_context(const struct vcpu *v, struct vcpu_guest_context *c)
{
    const struct cpu_regs *g = &v->regs;
    struct cpu_user_regs *r = &c->user_regs;

    memset(c, 0, sizeof(*c));
    memcpy(c->fpu_ctxt.x, v->fpu, sizeof(c->fpu_ctxt.x));
    c->flags = VGCF_i387_valid | (v->kernel_mode ? VGCF_in_kernel : 0) |
               (v->failsafe_disables_events ? VGCF_failsafe_disables_events : 0) |
               (v->syscall_disables_events ? VGCF_syscall_disables_events : 0) |
               (v->state != VCPU_DOWN ? VGCF_online : 0);
    r->r15 = g->r15, r->r14 = g->r14, r->r13 = g->r13, r->r12 = g->r12;
    r->rbp = g->rbp, r->rbx = g->rbx, r->r11 = g->r11, r->r10 = g->r10;
    r->r9 = g->r9, r->r8 = g->r8, r->rax = g->rax, r->rcx = g->rcx;
    r->rdx = g->rdx, r->rsi = g->rsi, r->rdi = g->rdi;
    r->rip = g->rip, r->cs = g->cs, r->rsp = g->rsp, r->ss = g->ss;
    /* IOPL is virtual (kept in v->iopl); the guest sees it in rflags. */
    r->rflags = (g->rflags & ~0x3000UL) | ((uint64_t)v->iopl << 12);
    r->ds = v->ds, r->es = v->es, r->fs = v->fs, r->gs = v->gs;
    for (unsigned int i = 0; i < 256; i++)
        c->trap_ctxt[i] = v->traps[i];
    c->ldt_base = v->ldt_base;
    c->ldt_ents = v->ldt_ents;
    for (unsigned int i = 0; i < PV_GDT_MAX_FRAMES; i++)
        c->gdt_frames[i] = v->gdt_frames[i];
    c->gdt_ents = v->gdt_ents;
    c->kernel_ss = v->kernel_ss;
    c->kernel_sp = v->kernel_sp;
    c->ctrlreg[0] = v->fpu_ts ? X86_CR0_TS : 0;
    c->ctrlreg[3] = xen_pfn_to_cr3(v->guest_table);
    c->ctrlreg[1] = v->guest_table_user ? xen_pfn_to_cr3(v->guest_table_user) : 0;
    for (unsigned int i = 0; i < 8; i++)
        c->debugreg[i] = v->debugreg[i];
    c->event_callback_eip = v->event_callback;
    c->failsafe_callback_eip = v->failsafe_callback;
    c->syscall_callback_eip = v->syscall_callback;
    c->vm_assist = v->domain->vm_assist;
    c->fs_base = v->fs_base;
    c->gs_base_kernel = v->gs_base_kernel;
    c->gs_base_user = v->gs_base_user;
}

long domctl_getvcpucontext(struct domain *d, struct xen_domctl *op, bool *copyback)
{
    struct vcpu *v = vcpu_of(d, op->u.vcpucontext.vcpu);

    /* Xen pauses the vCPU to read it; Xeno pauses the domain, which it
     * cannot do to the caller's own (-EINVAL, Xen refuses v == current). */
    if (!v || d == current->domain)
        return -EINVAL;
    if (!v->initialised)
        return -ENODATA;
    struct vcpu_guest_context *c = xmalloc(struct vcpu_guest_context);
    if (!c)
        return -ENOMEM;
    domain_pause(d);
    fill_context(v, c);
    domain_unpause(d);
    long rc = copy_to_guest(op->u.vcpucontext.ctxt, c, sizeof(*c)) ? -EFAULT : 0;
    xfree(c);
    *copyback = !rc;
    return rc;
}

long domctl_getvcpuinfo(struct domain *d, struct xen_domctl *op, bool *copyback)
{
    struct xen_domctl_getvcpuinfo *i = &op->u.getvcpuinfo;
    struct vcpu_runstate_info ri;

    if (i->vcpu >= d->nr_vcpus)
        return -EINVAL;         /* Xen: beyond max_vcpus */
    struct vcpu *v = d->vcpus[i->vcpu];
    if (!v)
        return -ESRCH;
    pv_fill_runstate(v, &ri);
    enum vcpu_run_state s = __atomic_load_n(&v->state, __ATOMIC_RELAXED);
    i->online = s != VCPU_DOWN;
    i->blocked = s == VCPU_BLOCKED;
    i->running = ri.state == RUNSTATE_running;
    i->cpu_time = ri.time[RUNSTATE_running];
    i->cpu = v->processor;
    *copyback = true;
    return 0;
}
