/* SPDX-License-Identifier: MIT */
/*
 * The hypercall table: one row per __HYPERVISOR_* number, one dispatcher.
 * A row names the handler and who may call it; unknown numbers get -ENOSYS.
 */
#include <xen/xen.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/pv.h>

struct hypercall_row {
    hypercall_fn fn;
    const char *name;
    bool privileged;            /* control domain only */
    bool multicall_ok;          /* may appear inside a multicall batch */
};

#define ROW(nr, f, priv, mc) [nr] = { f, #nr, priv, mc }
static const struct hypercall_row table[64] = {
    ROW(__HYPERVISOR_set_trap_table, do_set_trap_table, false, false),
    ROW(__HYPERVISOR_mmu_update, do_mmu_update, false, true),
    ROW(__HYPERVISOR_set_gdt, do_set_gdt, false, false),
    ROW(__HYPERVISOR_stack_switch, do_stack_switch, false, true),
    ROW(__HYPERVISOR_set_callbacks, do_set_callbacks, false, false),
    ROW(__HYPERVISOR_fpu_taskswitch, do_fpu_taskswitch, false, true),
    ROW(__HYPERVISOR_platform_op, do_platform_op, true, false),
    ROW(__HYPERVISOR_set_debugreg, do_set_debugreg, false, true),
    ROW(__HYPERVISOR_get_debugreg, do_get_debugreg, false, true),
    ROW(__HYPERVISOR_update_descriptor, do_update_descriptor, false, true),
    ROW(__HYPERVISOR_memory_op, do_memory_op, false, true),
    ROW(__HYPERVISOR_multicall, do_multicall, false, false),
    ROW(__HYPERVISOR_update_va_mapping, do_update_va_mapping, false, true),
    ROW(__HYPERVISOR_set_timer_op, do_set_timer_op, false, true),
    ROW(__HYPERVISOR_xen_version, do_xen_version, false, true),
    ROW(__HYPERVISOR_console_io, do_console_io, false, true),
    ROW(__HYPERVISOR_grant_table_op, do_grant_table_op, false, true),
    ROW(__HYPERVISOR_vm_assist, do_vm_assist, false, true),
    ROW(__HYPERVISOR_iret, do_iret_hc, false, false),
    ROW(__HYPERVISOR_vcpu_op, do_vcpu_op, false, true),
    ROW(__HYPERVISOR_set_segment_base, do_set_segment_base, false, true),
    ROW(__HYPERVISOR_mmuext_op, do_mmuext_op, false, true),
    ROW(__HYPERVISOR_sched_op, do_sched_op, false, true),
    ROW(__HYPERVISOR_callback_op, do_callback_op, false, false),
    ROW(__HYPERVISOR_event_channel_op, do_event_channel_op, false, true),
    ROW(__HYPERVISOR_physdev_op, do_physdev_op, false, true),
    ROW(__HYPERVISOR_sysctl, do_sysctl, true, false),
    ROW(__HYPERVISOR_domctl, do_domctl, true, false),
};

static uint64_t hypercall_count[64];

long hypercall_dispatch(unsigned int nr, HC_ARGS)
{
    if (nr >= ARRAY_SIZE(table) || !table[nr].fn)
        return -ENOSYS;
    if (table[nr].privileged && !current->domain->is_privileged)
        return -EPERM;
    hypercall_count[nr]++;
    return table[nr].fn(a1, a2, a3, a4, a5);
}

long pv_hypercall(struct cpu_regs *r)
{
    /* The whole of rax is the number: 0x100000000 is not hypercall 0. */
    if (r->rax >= ARRAY_SIZE(table))
        return -ENOSYS;
    return hypercall_dispatch((unsigned int)r->rax, r->rdi, r->rsi, r->rdx, r->r10, r->r8);
}

long do_iret_hc(HC_ARGS)
{
    return do_iret();
}

/* multicall(list, nr): run each entry, store its result; the batch itself
 * returns 0 unless the list cannot be read (Linux BUGs on non-zero). */
long do_multicall(HC_ARGS)
{
    uint64_t list = a1;
    unsigned long nr = a2;

    for (unsigned long i = 0; i < nr; i++) {
        struct multicall_entry e;
        uint64_t va = list + i * sizeof(e);
        if (copy_from_guest(&e, va, sizeof(e)))
            return -EFAULT;
        long rc;
        if (e.op == __HYPERVISOR_multicall)
            rc = -EINVAL;       /* no nesting (Xen) */
        else if (e.op >= ARRAY_SIZE(table) || !table[e.op].fn || !table[e.op].multicall_ok)
            rc = -ENOSYS;
        else
            rc = hypercall_dispatch((unsigned int)e.op, e.args[0], e.args[1], e.args[2], e.args[3], e.args[4]);
        e.result = rc;
        if (copy_to_guest(va + __builtin_offsetof(struct multicall_entry, result), &e.result, sizeof(e.result)))
            return -EFAULT;
    }
    return 0;
}
