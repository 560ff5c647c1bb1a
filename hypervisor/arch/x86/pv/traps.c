/* SPDX-License-Identifier: MIT */
/*
 * Traps and events for PV guests: what happens when a guest (kernel or user,
 * both in ring 3) takes an exception, makes a system call, or has an event
 * pending on the way back in.  Delivery follows Xen's 64-bit PV frame: on the
 * guest kernel stack (16-byte aligned) rcx, r11, [error code], rip,
 * cs | saved_upcall_mask << 32, rflags (IF = !saved_upcall_mask), rsp, ss.
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <xen/callback.h>
#include <xeno/apic.h>
#include <xeno/console.h>
#include <xeno/domain_ctl.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/lib.h>
#include <xeno/pv.h>
#include <xeno/smp.h>
#include <xeno/time.h>

#define X86_EFLAGS_TF   0x00000100
#define X86_EFLAGS_IF   0x00000200
#define X86_EFLAGS_DF   0x00000400
#define X86_EFLAGS_IOPL 0x00003000
#define X86_EFLAGS_NT   0x00004000
#define X86_EFLAGS_RF   0x00010000
#define X86_EFLAGS_VM   0x00020000
#define X86_EFLAGS_AC   0x00040000

void do_guest_syscall(struct cpu_regs *regs);
void guest_exit_work(void);

/* Write the bounce frame for v->trap_bounce and point the guest at its handler. */
static void create_bounce_frame(struct vcpu *v, struct cpu_regs *regs, struct trap_bounce *tb)
{
    uint64_t sp;

    if (!v->kernel_mode) {
        toggle_guest_mode(v);
        sp = v->kernel_sp;
    } else {
        sp = regs->rsp;
        regs->cs &= ~3;                 /* tells the guest it interrupted kernel context */
    }
    sp &= ~0xfUL;

    struct vcpu_info *vi = v->vcpu_info;
    uint8_t saved_mask = vi->evtchn_upcall_mask;
    if (tb->flags & TBF_INTERRUPT)
        vi->evtchn_upcall_mask = 1;

    uint64_t frame[8];
    unsigned int n = 0;
    uint64_t rflags = (regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
                      (saved_mask ? 0 : X86_EFLAGS_IF) | (v->iopl << 12);
    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    if (tb->flags & TBF_EXCEPTION_ERRCODE)
        frame[n++] = tb->error_code;
    frame[n++] = regs->rip;
    frame[n++] = (uint64_t)regs->cs | ((uint64_t)saved_mask << 32);
    frame[n++] = rflags;
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    sp -= n * 8;

    if (copy_to_guest(sp, frame, n * 8)) {
        tb->flags = 0;
        domain_crash(v->domain, "cannot write exception frame at %#lx (rip %#lx)",
                     (unsigned long)sp, (unsigned long)regs->rip);
        return;
    }
    regs->rflags &= ~(X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF | X86_EFLAGS_NT | X86_EFLAGS_TF);
    regs->ss = FLAT_RING3_DS32_SEL;
    regs->rsp = sp;
    regs->cs = FLAT_RING3_CS64_SEL;
    regs->rip = tb->eip;
    /* The guest saved rcx/r11 in the frame: the return may use SYSRET. */
    regs->entry_vector = ENTRY_VECTOR_SYSCALL;
    tb->flags = 0;
    tb->eip = 0;
}

void pv_inject_trap(struct vcpu *v, unsigned int vector, bool has_error, uint32_t error_code)
{
    const struct trap_info *ti = &v->traps[vector];
    struct trap_bounce *tb = &v->trap_bounce;

    if (!ti->address) {
        domain_crash(v->domain, "unhandled trap %u (no handler registered) at rip %#lx",
                     vector, (unsigned long)guest_cpu_regs()->rip);
        return;
    }
    tb->eip = ti->address;
    tb->flags = TBF_EXCEPTION | (has_error ? TBF_EXCEPTION_ERRCODE : 0) |
                (TI_GET_IF(ti) ? TBF_INTERRUPT : 0);
    tb->error_code = error_code;
}

void pv_inject_page_fault(struct vcpu *v, uint64_t cr2, uint32_t error_code)
{
    v->vcpu_info->arch.cr2 = cr2;
    pv_inject_trap(v, 14, true, error_code);
}

/* int $N from the guest: the vector comes from the instruction, never from
 * the #GP error code (QEMU 7.2 reports it wrongly, see docs). */
static bool try_soft_int(struct vcpu *v, struct cpu_regs *regs)
{
    uint8_t insn[2];
    if (copy_from_guest(insn, regs->rip, 2) || insn[0] != 0xcd)
        return false;
    const struct trap_info *ti = &v->traps[insn[1]];
    /* Xen's permit_softint: the gate's DPL must admit the guest's virtual
     * privilege (kernel counts as ring 1, user as ring 3). */
    unsigned int cpl = v->kernel_mode ? 1 : 3;
    /* Xen 4.17 delivers int $0x80 as a direct trap without the DPL check. */
    if (!ti->address || (insn[1] != 0x80 && TI_GET_DPL(ti) < cpl)) {
        /* Refused: the guest's #GP carries the true vector, whatever the
         * CPU (or QEMU 7.2) put in the error code. */
        regs->error_code = ((uint32_t)insn[1] << 3) | 2;
        return false;
    }
    regs->rip += 2;
    pv_inject_trap(v, insn[1], false, 0);
    return true;
}

void do_guest_trap(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    unsigned int vec = regs->entry_vector;

    switch (vec) {
    case 14: {
        uint64_t cr2 = read_cr2();
        local_irq_enable();
        if (pv_handle_page_fault(v, regs, cr2))
            return;
        /* The guest kernel is "supervisor" to itself: Xen clears the U bit
         * of the error code for faults taken in guest kernel mode. */
        pv_inject_page_fault(v, cr2, v->kernel_mode ? regs->error_code & ~4u : regs->error_code);
        return;
    }
    case 13:
        local_irq_enable();
        /* Error code (N << 3) | 2 means an IDT gate refused a software interrupt. */
        if ((regs->error_code & 3) == 2 && try_soft_int(v, regs))
            return;
        if (regs->error_code == 0 && pv_emulate_privileged(v, regs))
            return;
        pv_inject_trap(v, 13, true, regs->error_code);
        return;
    case 6:
        local_irq_enable();
        if (pv_emulate_forced(v, regs))
            return;
        {
            uint8_t b[8] = { 0 };
            copy_from_guest(b, regs->rip, sizeof(b));
            printk(XENLOG_DEBUG "d%u: #UD at %#lx: %02x %02x %02x %02x %02x %02x %02x %02x\n",
                   v->domain->domid, (unsigned long)regs->rip, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
        }
        pv_inject_trap(v, 6, false, 0);
        return;
    case 7:
        /* The guest's virtual CR0.TS (fpu_taskswitch) is the real one: clear
         * it and let the guest's #NM handler run (Xen semantics). */
        write_cr0(read_cr0() & ~X86_CR0_TS);
        v->fpu_ts = false;
        pv_inject_trap(v, 7, false, 0);
        return;
    case 2:
    case 18:
        /* NMI / machine check while a guest ran: ours, not the guest's. */
        printk(XENLOG_WARNING "CPU%u: %s while d%u v%u ran\n", smp_processor_id(),
               vec == 2 ? "NMI" : "machine check", v->domain->domid, v->vcpu_id);
        return;
    case 8:
        panic("double fault while a guest ran");
    default:
        break;
    }
    if (vec < 32) {
        bool err = vec == 10 || vec == 11 || vec == 12 || vec == 17;
        pv_inject_trap(v, vec, err, regs->error_code);
        return;
    }
    /* Hardware interrupts are the hypervisor's; handled like any other. */
    do_hypervisor_interrupt(regs);
}

void do_guest_syscall(struct cpu_regs *regs)
{
    struct vcpu *v = current;

    if (v->kernel_mode) {
        local_irq_enable();
        regs->rax = pv_hypercall(regs);
        return;
    }
    /* A system call from guest user space: into the guest kernel's syscall
     * callback with the frame of an exception without error code; DF is
     * cleared as the ABI's fixed SYSCALL mask says. */
    local_irq_enable();
    struct trap_bounce *tb = &v->trap_bounce;
    if (!v->syscall_callback) {
        regs->rip -= 2;                 /* no callback: #UD at the syscall */
        pv_inject_trap(v, 6, false, 0);
        return;
    }
    tb->eip = v->syscall_callback;
    tb->flags = v->syscall_disables_events ? TBF_INTERRUPT : 0;
    create_bounce_frame(v, regs, tb);
    regs->rflags &= ~X86_EFLAGS_DF;
}

/* On every way back into a guest, with interrupts off: run the scheduler if
 * asked, deliver a queued trap, then a pending event upcall. */
void guest_exit_work(void)
{
    if (unlikely(console_keys_pending()) && smp_processor_id() == 0) {
        local_irq_enable();
        console_run_pending_keys();
        local_irq_disable();
    }
    for (;;) {
        struct vcpu *v = current;
        if (schedule_pending()) {
            local_irq_enable();
            schedule();             /* may not return: continues as another vCPU */
            local_irq_disable();
            continue;
        }
        struct cpu_regs *regs = guest_cpu_regs();
        if (v->trap_bounce.flags & TBF_EXCEPTION) {
            local_irq_enable();
            create_bounce_frame(v, regs, &v->trap_bounce);
            local_irq_disable();
            continue;
        }
        struct vcpu_info *vi = v->vcpu_info;
        if (vi && vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask && v->event_callback) {
            struct trap_bounce tb = { .eip = v->event_callback, .flags = TBF_INTERRUPT };
            local_irq_enable();
            create_bounce_frame(v, regs, &tb);
            local_irq_disable();
            continue;
        }
        domain_quiescent();     /* back to the guest: no domain pointer held */
        return;
    }
}

long do_iret(void)
{
    struct vcpu *v = current;
    struct cpu_regs *regs = guest_cpu_regs();
    struct iret_context ctx;

    if (copy_from_guest(&ctx, regs->rsp, sizeof(ctx))) {
        domain_crash(v->domain, "iret: unreadable frame at %#lx", (unsigned long)regs->rsp);
        return -EFAULT;
    }
    /* Returning to user mode? */
    if ((ctx.cs & 3) == 3 && v->kernel_mode) {
        if (!v->guest_table_user) {
            domain_crash(v->domain, "iret to user mode without a user page table");
            return -EFAULT;
        }
        toggle_guest_mode(v);
    }
    regs->rip = ctx.rip;
    regs->cs = ctx.cs | 3;
    regs->rflags = (ctx.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
    regs->rsp = ctx.rsp;
    regs->ss = ctx.ss | 3;
    if (!(ctx.flags & VGCF_in_syscall)) {
        /* Arbitrary context: rcx/r11 matter, so the way back is IRETQ. */
        regs->entry_vector = 0;
        regs->r11 = ctx.r11;
        regs->rcx = ctx.rcx;
    }
    /* The upcall mask follows the supplied EFLAGS.IF (Xen do_iret). */
    v->vcpu_info->evtchn_upcall_mask = !(ctx.rflags & X86_EFLAGS_IF);
    return ctx.rax;
}

/* The return to the guest faulted on its own segment state: like Xen, this is
 * the guest's doing, so it is crashed rather than the hypervisor. */
void pv_iret_fault(struct cpu_regs *regs);
void pv_iret_fault(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    domain_crash(v->domain, "unusable return frame (cs %#x ss %#x rip %#lx)", regs->cs, regs->ss,
                 (unsigned long)regs->rip);
}
