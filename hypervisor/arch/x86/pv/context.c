/* SPDX-License-Identifier: MIT */
/* Saving and loading a PV vCPU's machine state around a context switch. */
#include <asm/cpu.h>
#include <xeno/guest_access.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_desc.h>

#define X86_EFLAGS_TF   0x00000100
#define X86_EFLAGS_IF   0x00000200
#define X86_EFLAGS_IOPL 0x00003000
#define X86_EFLAGS_NT   0x00004000
#define X86_EFLAGS_RF   0x00010000
#define X86_EFLAGS_VM   0x00020000
#define X86_EFLAGS_AC   0x00040000

void pv_vcpu_init_fpu(struct vcpu *v)
{
    /* FNINIT state in FXSAVE layout: FCW 0x037f, MXCSR 0x1f80 (SDM vol. 1, 10.5.1). */
    memset(v->fpu, 0, sizeof(v->fpu));
    v->fpu[0] = 0x7f;
    v->fpu[1] = 0x03;
    v->fpu[24] = 0x80;
    v->fpu[25] = 0x1f;
}

static inline uint16_t read_sel(int which)
{
    uint16_t s = 0;
    switch (which) {
    case 0: asm volatile("mov %%ds, %0" : "=r"(s)); break;
    case 1: asm volatile("mov %%es, %0" : "=r"(s)); break;
    case 2: asm volatile("mov %%fs, %0" : "=r"(s)); break;
    case 3: asm volatile("mov %%gs, %0" : "=r"(s)); break;
    }
    return s;
}

/* Load a guest data selector; a selector the guest's GDT/LDT no longer
 * supports loads as null instead of faulting in the hypervisor. */
#define LOAD_SEG(seg, val)                                              \
    asm volatile("1: mov %w0, %%" #seg "\n"                           \
                 "2:\n"                                                  \
                 ".section .fixup, \"ax\"\n"                             \
                 "3: xor %k0, %k0\n"                                     \
                 "   mov %w0, %%" #seg "\n"                            \
                 "   jmp 2b\n"                                           \
                 ".previous\n"                                           \
                 ".section .extable, \"a\"\n"                            \
                 ".balign 8\n"                                           \
                 ".quad 1b, 3b\n"                                        \
                 ".previous\n" : "+r"(val))

void pv_save_state(struct vcpu *v)
{
    v->regs = *guest_cpu_regs();
    v->ds = read_sel(0);
    v->es = read_sel(1);
    v->fs = read_sel(2);
    v->gs = read_sel(3);
    v->fs_base = rdmsr(MSR_FS_BASE);
    uint64_t gs = rdmsr(MSR_GS_BASE), shadow = rdmsr(MSR_SHADOW_GS_BASE);
    v->gs_base_kernel = v->kernel_mode ? gs : shadow;
    v->gs_base_user = v->kernel_mode ? shadow : gs;
    write_cr0(read_cr0() & ~X86_CR0_TS);
    asm volatile("fxsave64 %0" : "=m"(*(uint8_t (*)[512])v->fpu));
}

/*
 * A saved selector would not load (Xen load_segments()): the register was
 * loaded null, and the guest kernel hears of it through its failsafe
 * callback, entered in kernel mode on a frame of (lowest first) rcx, r11,
 * ds, es, fs, gs as saved, rip, cs | upcall mask << 32, rflags, rsp, ss.
 * Without a failsafe callback the null selectors simply stay (the guest is
 * not told, as before the callback is registered).
 */
static void failsafe_bounce(struct vcpu *v)
{
    struct cpu_regs *regs = guest_cpu_regs();
    struct vcpu_info *vi = v->vcpu_info;

    if (!v->failsafe_callback || !vi)
        return;
    uint64_t sp = (v->kernel_mode ? regs->rsp : v->kernel_sp) & ~0xfUL;
    uint64_t rflags = (regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
                      (vi->evtchn_upcall_mask ? 0 : X86_EFLAGS_IF) | ((uint64_t)v->iopl << 12);
    if (!v->kernel_mode)
        toggle_guest_mode(v);           /* kernel CR3 and GS before the frame is written */
    else
        regs->cs &= ~3;                 /* "interrupted guest kernel", as in bounce frames */
    uint64_t frame[11] = {
        regs->rcx, regs->r11, v->ds, v->es, v->fs, v->gs, regs->rip,
        (uint64_t)regs->cs | ((uint64_t)vi->evtchn_upcall_mask << 32),
        rflags, regs->rsp, regs->ss,
    };
    sp -= sizeof(frame);
    if (copy_to_guest(sp, frame, sizeof(frame))) {
        domain_crash(v->domain, "cannot write failsafe frame at %#lx", (unsigned long)sp);
        return;
    }
    if (v->failsafe_disables_events)
        vi->evtchn_upcall_mask = 1;
    regs->rflags &= ~(X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF | X86_EFLAGS_NT |
                      X86_EFLAGS_IOPL | X86_EFLAGS_TF);
    regs->ss = FLAT_RING3_DS32_SEL;     /* FLAT_KERNEL_SS */
    regs->rsp = sp;
    regs->cs = FLAT_RING3_CS64_SEL;     /* FLAT_KERNEL_CS */
    regs->rip = v->failsafe_callback;
    regs->entry_vector = 0;
}

void pv_load_state(struct vcpu *v)
{
    unsigned int ds = v->ds, es = v->es, fs = v->fs, gs = v->gs;

    *guest_cpu_regs() = v->regs;
    /* The vCPU's GDT and LDT first: its selectors index them. */
    pv_desc_load(v);
    LOAD_SEG(ds, ds);
    LOAD_SEG(es, es);
    LOAD_SEG(fs, fs);
    LOAD_SEG(gs, gs);
    /* A fault leaves the register null; a null selector never faults. */
    bool segs_ok = (ds || !v->ds) && (es || !v->es) && (fs || !v->fs) && (gs || !v->gs);
    /* Bases after selectors: loading a selector reloads the base. */
    wrmsr(MSR_FS_BASE, v->fs_base);
    wrmsr(MSR_GS_BASE, v->kernel_mode ? v->gs_base_kernel : v->gs_base_user);
    wrmsr(MSR_SHADOW_GS_BASE, v->kernel_mode ? v->gs_base_user : v->gs_base_kernel);
    write_cr0(read_cr0() & ~X86_CR0_TS);
    asm volatile("fxrstor64 %0" :: "m"(*(const uint8_t (*)[512])v->fpu));
    if (v->fpu_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    unsigned long table = v->kernel_mode || !v->guest_table_user ? v->guest_table : v->guest_table_user;
    write_cr3((paddr_t)table << PAGE_SHIFT);
    if (unlikely(!segs_ok))
        failsafe_bounce(v);
}

void toggle_guest_mode(struct vcpu *v)
{
    v->kernel_mode = !v->kernel_mode;
    /* The two GS bases trade places (kernel GS <-> user GS), as SWAPGS would
     * do natively; the guest kernel cannot execute SWAPGS in ring 3. */
    asm volatile("swapgs" ::: "memory");
    unsigned long table = v->kernel_mode || !v->guest_table_user ? v->guest_table : v->guest_table_user;
    write_cr3((paddr_t)table << PAGE_SHIFT);
}
