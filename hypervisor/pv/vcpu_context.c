/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_initialise: a secondary vCPU's start state from a struct
 * vcpu_guest_context (xen/arch-x86/xen.h), following Xen's
 * arch_set_info_guest() for a 64-bit PV vCPU that is not yet initialised.
 *
 * Linux 6.1 (arch/x86/xen/smp_pv.c cpu_initialize_context()) fills in:
 * rip, rsp, rflags = 0x1000 (IOPL 1), cs = __KERNEL_CS (0x10), ss =
 * __KERNEL_DS, ds = es = __USER_DS, flags = VGCF_in_kernel, the whole
 * trap_ctxt (indexed by vector), gdt_frames[0] + gdt_ents = 16 (the AP's
 * GDT page, already read-only), kernel_ss/kernel_sp, gs_base_kernel,
 * event and failsafe callbacks, ctrlreg[3] = swapper_pg_dir's MFN << 12.
 * Then VCPUOP_up makes the vCPU runnable (pv/sched_ops.c).
 */
#include <asm/cpu.h>
#include <xen/arch-x86/xen.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_desc.h>
#include <xeno/pv_mm.h>
#include <xeno/spinlock.h>

#define X86_EFLAGS_MBS  0x00000002      /* bit 1 always reads as 1 */
#define X86_EFLAGS_IF   0x00000200
#define X86_EFLAGS_IOPL 0x00003000
#define X86_EFLAGS_VM   0x00020000
/* Xen's X86_EFLAGS_ALL: every architecturally defined flag. */
#define X86_EFLAGS_ALL  0x003f7fd5

/* A guest address the hypervisor will use on the guest's behalf later. */
static bool guest_addr_ok(uint64_t va)
{
    return is_canonical(va) && guest_range_ok(va, 1);
}

/* The CPU's MXCSR_MASK (SDM vol. 1, 11.6.6): an image with other MXCSR bits
 * set would make FXRSTOR fault in pv_load_state(). */
static uint32_t mxcsr_mask(void)
{
    static uint32_t mask;
    if (!mask) {
        uint8_t img[512] __aligned(16);
        unsigned long cr0 = read_cr0();
        memset(img, 0, sizeof(img));
        write_cr0(cr0 & ~X86_CR0_TS);
        asm volatile("fxsave64 %0" : "=m"(img));
        write_cr0(cr0);
        uint32_t m;
        memcpy(&m, img + 28, 4);
        mask = m ? m : 0xffbf;          /* 0: the architectural default */
    }
    return mask;
}

/* Checks that need no state (Xen's -EINVAL cases before anything changes). */
static int check_context(const struct vcpu_guest_context *c)
{
    const struct cpu_user_regs *r = &c->user_regs;

    if (!is_canonical(r->rip) || !is_canonical(r->rsp) || !is_canonical(c->kernel_sp) ||
        !is_canonical(c->fs_base) || !is_canonical(c->gs_base_kernel) || !is_canonical(c->gs_base_user) ||
        !is_canonical(c->event_callback_eip) || !is_canonical(c->failsafe_callback_eip) ||
        !is_canonical(c->syscall_callback_eip))
        return -EINVAL;
    for (unsigned int i = 0; i < 256; i++)
        if (!is_canonical(c->trap_ctxt[i].address))
            return -EINVAL;
    /* LDT: page aligned, at most 8192 entries, not in the hypervisor's range. */
    if (c->ldt_ents > PV_LDT_MAX_ENTRIES || (c->ldt_base & (PAGE_SIZE - 1)) ||
        (c->ldt_ents && !guest_addr_ok(c->ldt_base)))
        return -EINVAL;
    if (c->gdt_ents > PV_GDT_MAX_ENTRIES)
        return -EINVAL;
    /* Debug registers: breakpoints at guest addresses, DR6/DR7 32 bits. */
    for (unsigned int i = 0; i < 4; i++)
        if (!guest_addr_ok(c->debugreg[i]))
            return -EINVAL;
    if (c->debugreg[6] != (uint32_t)c->debugreg[6] || c->debugreg[7] != (uint32_t)c->debugreg[7])
        return -EINVAL;
    /* Starting in user mode needs a user page table (Xen). */
    if (!(c->flags & VGCF_in_kernel) && !c->ctrlreg[1])
        return -EINVAL;
    return 0;
}

/* Install L4 `mfn` (a type reference, validating it) in *slot. */
static int take_l4(struct vcpu *v, uint64_t cr3, unsigned long *slot)
{
    unsigned long mfn = xen_cr3_to_pfn(cr3);
    if (!mfn_valid(mfn))
        return -EINVAL;
    spin_lock(&pv_mm_lock);
    int rc = get_page_and_type(&pv_env, mfn, v->domain->domid, PGT_l4_page_table);
    spin_unlock(&pv_mm_lock);
    if (!rc)
        *slot = mfn;
    return rc;
}

static void drop_l4(unsigned long *slot)
{
    if (!*slot)
        return;
    spin_lock(&pv_mm_lock);
    put_page_and_type(&pv_env, *slot);
    spin_unlock(&pv_mm_lock);
    *slot = 0;
}

/* Everything after the checks; on error v is left without new references. */
static long load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    long rc = check_context(c);
    if (rc)
        return rc;

    /* References: GDT frames, kernel L4, user L4, then the LDT (looked up
     * through the new kernel L4). The vCPU never ran, so none of this is
     * mapped anywhere yet. */
    rc = pv_set_gdt(v, c->gdt_frames, (unsigned int)c->gdt_ents);
    if (rc)
        return rc;
    drop_l4(&v->guest_table);
    drop_l4(&v->guest_table_user);
    rc = take_l4(v, c->ctrlreg[3], &v->guest_table);
    if (!rc && c->ctrlreg[1])
        rc = take_l4(v, c->ctrlreg[1], &v->guest_table_user);
    if (!rc)
        rc = pv_set_ldt(v, c->ldt_base, (unsigned int)c->ldt_ents);
    if (rc) {
        drop_l4(&v->guest_table_user);
        drop_l4(&v->guest_table);
        pv_destroy_gdt(v);
        return rc;
    }

    /* Registers. Guest code runs in ring 3: RPL 3 on cs/ss (Xen's
     * fixup_guest_code/stack_selector); IOPL is virtual; IF is always set
     * for real (the guest masks events through its upcall mask). */
    const struct cpu_user_regs *r = &c->user_regs;
    struct cpu_regs *g = &v->regs;
    memset(g, 0, sizeof(*g));
    g->r15 = r->r15, g->r14 = r->r14, g->r13 = r->r13, g->r12 = r->r12;
    g->rbp = r->rbp, g->rbx = r->rbx, g->r11 = r->r11, g->r10 = r->r10;
    g->r9 = r->r9, g->r8 = r->r8, g->rax = r->rax, g->rcx = r->rcx;
    g->rdx = r->rdx, g->rsi = r->rsi, g->rdi = r->rdi;
    g->rip = r->rip;
    g->rsp = r->rsp;
    g->cs = r->cs | 3;
    g->ss = r->ss | 3;
    uint64_t rflags = (r->rflags & X86_EFLAGS_ALL & ~X86_EFLAGS_VM) | X86_EFLAGS_MBS;
    v->iopl = (rflags & X86_EFLAGS_IOPL) >> 12;
    g->rflags = (rflags & ~X86_EFLAGS_IOPL) | X86_EFLAGS_IF;
    v->ds = r->ds, v->es = r->es, v->fs = r->fs, v->gs = r->gs;
    v->fs_base = c->fs_base;
    v->gs_base_kernel = c->gs_base_kernel;
    v->gs_base_user = c->gs_base_user;
    v->kernel_mode = c->flags & VGCF_in_kernel;

    if (c->flags & VGCF_i387_valid) {
        memcpy(v->fpu, c->fpu_ctxt.x, sizeof(v->fpu));
        uint32_t mxcsr;
        memcpy(&mxcsr, v->fpu + 24, 4);
        mxcsr &= mxcsr_mask();
        memcpy(v->fpu + 24, &mxcsr, 4);
    } else {
        pv_vcpu_init_fpu(v);
    }
    v->fpu_ts = c->ctrlreg[0] & X86_CR0_TS;     /* only CR0.TS is the guest's */

    /* The virtual IDT, indexed by vector as Xen copies it. */
    for (unsigned int i = 0; i < 256; i++) {
        v->traps[i] = c->trap_ctxt[i];
        v->traps[i].vector = (uint8_t)i;
        v->traps[i].cs |= 3;
    }
    v->kernel_ss = (uint16_t)c->kernel_ss | 3;
    v->kernel_sp = c->kernel_sp;
    v->event_callback = c->event_callback_eip;
    v->failsafe_callback = c->failsafe_callback_eip;
    v->syscall_callback = c->syscall_callback_eip;
    v->failsafe_disables_events = c->flags & VGCF_failsafe_disables_events;
    v->syscall_disables_events = c->flags & VGCF_syscall_disables_events;
    for (unsigned int i = 0; i < 8; i++)
        v->debugreg[i] = (i == 4 || i == 5) ? 0 : c->debugreg[i];   /* Xen ignores DR4/5 */

    /* VGCF_online is not honoured: the vCPU starts with VCPUOP_up. */
    v->initialised = true;
    return 0;
}

/* Shared by VCPUOP_initialise and XEN_DOMCTL_setvcpucontext. */
long pv_vcpu_load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;

    spin_lock(&d->lock);
    long rc = v->initialised ? -EEXIST : load_context(v, c);
    spin_unlock(&d->lock);
    return rc;
}

long pv_vcpu_initialise(struct vcpu *v, uint64_t ctx_va)
{
    struct vcpu_guest_context *c = xmalloc(struct vcpu_guest_context);   /* 5 KiB */
    long rc;

    if (!c)
        return -ENOMEM;
    /* One initialisation per vCPU (Xen: -EEXIST under the domain lock). */
    rc = copy_from_guest(c, ctx_va, sizeof(*c)) ? -EFAULT : pv_vcpu_load_context(v, c);
    xfree(c);
    return rc;
}
