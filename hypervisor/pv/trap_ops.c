/* SPDX-License-Identifier: MIT */
/* Hypercalls that set up how the guest is entered: trap table, callbacks,
 * kernel stack, segment bases, FPU switching, debug registers. */
#include <asm/cpu.h>
#include <xen/callback.h>
#include <xen/xen.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/pv.h>

long do_set_trap_table(HC_ARGS)
{
    struct vcpu *v = current;
    uint64_t list = a1;

    /* NULL clears the whole table (Xen semantics). */
    if (!list) {
        memset(v->traps, 0, sizeof(v->traps));
        return 0;
    }
    for (unsigned int i = 0; i < 256; i++) {
        struct trap_info ti;
        if (copy_from_guest(&ti, list + i * sizeof(ti), sizeof(ti)))
            return -EFAULT;
        if (!ti.address)
            return 0;
        if (!is_canonical(ti.address))
            return -EINVAL;
        ti.cs |= 3;     /* guest code always runs at RPL 3 */
        v->traps[ti.vector] = ti;
    }
    return 0;
}

static long register_callback(struct vcpu *v, unsigned int type, unsigned int flags, uint64_t addr)
{
    if (addr && !is_canonical(addr))
        return -EINVAL;
    bool mask = flags & CALLBACKF_mask_events;
    switch (type) {
    case CALLBACKTYPE_event:
        v->event_callback = addr;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->failsafe_callback = addr;
        v->failsafe_disables_events = mask;
        return 0;
    case CALLBACKTYPE_syscall:
        v->syscall_callback = addr;
        v->syscall_disables_events = mask;
        return 0;
    case CALLBACKTYPE_syscall32:
        v->syscall32_callback = addr;
        return 0;
    case CALLBACKTYPE_sysenter:
    case CALLBACKTYPE_nmi:
        /* 32-bit user space and NMI callbacks are not offered: Linux clears
         * the matching feature and carries on. */
        return -ENOSYS;
    default:
        return -EINVAL;
    }
}

long do_set_callbacks(HC_ARGS)
{
    struct vcpu *v = current;
    long rc = register_callback(v, CALLBACKTYPE_event, 0, a1);
    if (!rc)
        rc = register_callback(v, CALLBACKTYPE_failsafe, 0, a2);
    if (!rc)
        rc = register_callback(v, CALLBACKTYPE_syscall, CALLBACKF_mask_events, a3);
    return rc;
}

long do_callback_op(HC_ARGS)
{
    struct vcpu *v = current;
    switch (a1) {
    case CALLBACKOP_register: {
        struct callback_register cb;
        if (copy_from_guest(&cb, a2, sizeof(cb)))
            return -EFAULT;
        return register_callback(v, cb.type, cb.flags, cb.address);
    }
    case CALLBACKOP_unregister: {
        struct callback_unregister cb;
        if (copy_from_guest(&cb, a2, sizeof(cb)))
            return -EFAULT;
        return register_callback(v, cb.type, 0, 0);
    }
    default:
        return -ENOSYS;
    }
}

long do_stack_switch(HC_ARGS)
{
    struct vcpu *v = current;
    if (!is_canonical(a2))
        return -EINVAL;
    v->kernel_ss = (uint16_t)a1 | 3;
    v->kernel_sp = a2;
    return 0;
}

long do_set_segment_base(HC_ARGS)
{
    struct vcpu *v = current;
    unsigned long which = a1;
    uint64_t base = a2;

    switch (which) {
    case SEGBASE_FS:
    case SEGBASE_GS_USER:
    case SEGBASE_GS_KERNEL:
        if (!is_canonical(base))
            return -EINVAL;
        break;
    case SEGBASE_GS_USER_SEL:
        break;
    default:
        return -EINVAL;
    }
    if (!v->kernel_mode)
        return -EPERM;
    switch (which) {
    case SEGBASE_FS:
        wrmsr(MSR_FS_BASE, base);
        v->fs_base = base;
        return 0;
    case SEGBASE_GS_USER:
        /* In kernel mode the user GS base is the one SWAPGS parks. */
        wrmsr(MSR_SHADOW_GS_BASE, base);
        v->gs_base_user = base;
        return 0;
    case SEGBASE_GS_KERNEL:
        wrmsr(MSR_GS_BASE, base);
        v->gs_base_kernel = base;
        return 0;
    default: {
        /* Load a selector into the *user* %gs: swap to it, load, swap back.
         * A bad selector loads as null (Xen's load_gs_index fixup). */
        unsigned int sel = (uint16_t)base;
        unsigned long f = local_irq_save();
        asm volatile("swapgs\n"
                     "1: mov %w0, %%gs\n"
                     "2: swapgs\n"
                     ".section .fixup, \"ax\"\n"
                     "3: xor %k0, %k0\n"
                     "   mov %w0, %%gs\n"
                     "   jmp 2b\n"
                     ".previous\n"
                     ".section .extable, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 3b\n"
                     ".previous\n" : "+r"(sel) :: "memory");
        local_irq_restore(f);
        v->gs_base_user = rdmsr(MSR_SHADOW_GS_BASE);
        return 0;
    }
    }
}

long do_fpu_taskswitch(HC_ARGS)
{
    struct vcpu *v = current;
    v->fpu_ts = a1 != 0;
    write_cr0(v->fpu_ts ? read_cr0() | X86_CR0_TS : read_cr0() & ~X86_CR0_TS);
    return 0;
}

long do_set_debugreg(HC_ARGS)
{
    unsigned long reg = a1;
    if (reg > 7 || reg == 4 || reg == 5)
        return -EINVAL;
    if (reg < 4 && !is_canonical(a2))
        return -EPERM;
    /* Recorded for get_debugreg; hardware breakpoints for guests are not
     * armed (DR7 stays 0), which Linux tolerates. */
    current->debugreg[reg] = a2;
    return 0;
}

long do_get_debugreg(HC_ARGS)
{
    unsigned long reg = a1;
    if (reg > 7 || reg == 4 || reg == 5)
        return -EINVAL;
    return (long)current->debugreg[reg];
}
