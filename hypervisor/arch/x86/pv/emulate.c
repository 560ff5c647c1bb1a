/* SPDX-License-Identifier: MIT */
/*
 * Emulation for PV guests (decoder: arch/x86/pv/emul_decode.c): privileged
 * instructions reached through #GP, forced-emulation CPUID through #UD, and
 * writes to read-only L1 page tables (writable page-table assist) through #PF.
 */
#include <asm/cpu.h>
#include <xen/xen.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/irq.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_mm.h>
#include <xeno/x86_emul.h>

#define MSR_IA32_CR_PAT 0x277
/* Xen's PAT (pv-abi-checklist §4.6): the cache attributes PV PTEs mean. */
#define XEN_PAT 0x0000050100070406ULL

static int em_fetch(void *ctx, uint64_t va, void *buf, size_t n)
{
    (void)ctx;
    return copy_from_guest(buf, va, n);
}

static int em_read(void *ctx, uint64_t va, void *buf, size_t n)
{
    (void)ctx;
    return copy_from_guest(buf, va, n);
}

/* The ptwr write: find the L1 mapping va, apply through the PV MMU rules. */
static int em_write_pte(void *ctx, uint64_t va, uint64_t old, uint64_t new_val, bool cmpxchg, uint64_t *actual)
{
    struct vcpu *v = ctx;
    uint64_t l4e, l3e, l2e;
    unsigned long mfn = v->guest_table;
    uint64_t *t = __va((paddr_t)mfn << PAGE_SHIFT);

    /* The faulting address is the PTE's own virtual address: walk to the
     * frame holding it (the guest's L1), then to the entry index. */
    l4e = t[(va >> 39) & 511];
    if (!(l4e & _PAGE_PRESENT))
        return -EPERM;
    t = __va(l4e & PADDR_MASK);
    l3e = t[(va >> 30) & 511];
    if (!(l3e & _PAGE_PRESENT) || (l3e & _PAGE_PSE))
        return -EPERM;
    t = __va(l3e & PADDR_MASK);
    l2e = t[(va >> 21) & 511];
    if (!(l2e & _PAGE_PRESENT) || (l2e & _PAGE_PSE))
        return -EPERM;
    t = __va(l2e & PADDR_MASK);
    uint64_t l1e = t[(va >> 12) & 511];
    if (!(l1e & _PAGE_PRESENT))
        return -EPERM;
    unsigned long target = (l1e & PADDR_MASK) >> PAGE_SHIFT;   /* the page-table frame written */
    unsigned int index = (va & (PAGE_SIZE - 1)) >> 3;

    spin_lock(&pv_mm_lock);
    int rc = ptwr_emulated_update(&pv_env, v->domain->domid, target, index, new_val, old, cmpxchg, actual);
    spin_unlock(&pv_mm_lock);
    return rc;
}

static void cpuid_policy(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    if (leaf >= 0x40000000 && leaf < 0x40010000) {
        out[0] = out[1] = out[2] = out[3] = 0;
        switch (leaf & 0xff) {
        case 0:
            if (leaf != 0x40000000)
                break;
            out[0] = 0x40000005;
            memcpy(&out[1], "XenV", 4);
            memcpy(&out[2], "MMXe", 4);
            memcpy(&out[3], "nVMM", 4);
            break;
        case 1:
            out[0] = (4 << 16) | 17;
            break;
        case 5:
            out[1] = 40;        /* machine address width: keeps Linux on grant tables v1 */
            break;
        }
        return;
    }
    cpuid_count(leaf, sub, &out[0], &out[1], &out[2], &out[3]);
    if (leaf == 1) {
        /* ecx: hide MONITOR(3) DS-CPL(4) VMX(5) SMX(6) EST(7) TM2(8) PCID(17) X2APIC(21)
         * TSC-DEADLINE(24) XSAVE(26) OSXSAVE(27); set HYPERVISOR(31). */
        out[2] &= ~((1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8) |
                    (1u << 17) | (1u << 21) | (1u << 24) | (1u << 26) | (1u << 27));
        out[2] |= 1u << 31;
        /* edx: hide PSE(3) MCE(7) MTRR(12) PGE(13) MCA(14) PSE36(17) DS(21) ACPI(22) TM(29)
         * PBE(31).  MCE/MCA: machine-check MSRs are not virtualised here, and
         * Linux reads them with non-faulting-safe accesses. */
        out[3] &= ~((1u << 3) | (1u << 7) | (1u << 12) | (1u << 13) | (1u << 14) | (1u << 17) |
                    (1u << 21) | (1u << 22) | (1u << 29) | (1u << 31));
    } else if (leaf == 7 && sub == 0) {
        /* ebx: hide FSGSBASE(0) SMEP(7) INVPCID(10) SMAP(20); ecx: UMIP(2) PKU(3) OSPKE(4) LA57(16). */
        out[1] &= ~((1u << 0) | (1u << 7) | (1u << 10) | (1u << 20));
        out[2] &= ~((1u << 2) | (1u << 3) | (1u << 4) | (1u << 16));
    } else if (leaf == 0x80000001) {
        out[3] &= ~(1u << 26);          /* PDPE1GB */
    } else if (leaf == 0x80000007) {
        /* Invariant TSC: not promised to PV guests (Xen hides it too), so
         * Linux keeps the pvclock "xen" clocksource, which stays right
         * across vCPU migration. */
        out[3] &= ~(1u << 8);
    } else if (leaf == 0xd) {
        out[0] = out[1] = out[2] = out[3] = 0;   /* no XSAVE */
    }
}

static int em_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    (void)ctx;
    cpuid_policy(leaf, sub, out);
    return 0;
}

static int em_rdmsr(void *ctx, uint32_t msr, uint64_t *val)
{
    struct vcpu *v = ctx;
    if (!v->kernel_mode)
        return -EPERM;      /* guest user mode: a real #GP */
    switch (msr) {
    case MSR_FS_BASE:
        *val = rdmsr(MSR_FS_BASE);
        return 0;
    case MSR_GS_BASE:
        *val = rdmsr(MSR_GS_BASE);
        return 0;
    case MSR_SHADOW_GS_BASE:
        *val = rdmsr(MSR_SHADOW_GS_BASE);
        return 0;
    case MSR_IA32_CR_PAT:
        *val = XEN_PAT;
        return 0;
    case MSR_EFER:
        *val = rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | (1u << 10) | EFER_NXE);
        return 0;
    default:
        (void)v;
        return -EPERM;
    }
}

static int em_wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
    struct vcpu *v = ctx;
    if (!v->kernel_mode)
        return -EPERM;      /* guest user mode: a real #GP */
    switch (msr) {
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_SHADOW_GS_BASE:
        if (!is_canonical(val) || !v->kernel_mode)
            return -EPERM;
        wrmsr(msr, val);
        if (msr == MSR_FS_BASE)
            v->fs_base = val;
        else if (msr == MSR_GS_BASE)
            v->gs_base_kernel = val;
        else
            v->gs_base_user = val;
        return 0;
    default:
        return -EPERM;
    }
}

/* Port I/O: a guest kernel with virtual IOPL >= 1 (Xen counts the guest
 * kernel as ring 1); real ports only for dom0, others read as all-ones;
 * even dom0 does not get the ports the hypervisor keeps (PIC, PIT, its
 * console UART, ...), and reaches PCI config space through the hypervisor's
 * lock (dom0_ioport_intercept). */
static bool io_allowed(struct vcpu *v)
{
    return v->iopl >= (v->kernel_mode ? 1u : 3u);
}

static int em_in(void *ctx, uint16_t port, unsigned int bytes, uint32_t *val)
{
    struct vcpu *v = ctx;
    if (!io_allowed(v))
        return -EPERM;
    if (!v->domain->iomem_all) {
        *val = bytes == 4 ? ~0u : (1u << (bytes * 8)) - 1;
        return 0;
    }
    /* Ports the hypervisor keeps, and PCI config space (arch/x86/pci.c). */
    if (dom0_ioport_intercept(v->domain, port, bytes, val, false))
        return 0;
    *val = bytes == 1 ? inb(port) : bytes == 2 ? inw(port) : inl(port);
    return 0;
}

static int em_out(void *ctx, uint16_t port, unsigned int bytes, uint32_t val)
{
    struct vcpu *v = ctx;
    if (!io_allowed(v))
        return -EPERM;
    if (!v->domain->iomem_all)
        return 0;
    if (dom0_ioport_intercept(v->domain, port, bytes, &val, true))
        return 0;
    if (bytes == 1)
        outb(port, val);
    else if (bytes == 2)
        outw(port, val);
    else
        outl(port, val);
    return 0;
}

static int em_read_cr(void *ctx, int cr, uint64_t *val)
{
    struct vcpu *v = ctx;
    if (!v->kernel_mode)
        return -EPERM;      /* guest user mode: a real #GP */
    switch (cr) {
    case 0:
        *val = (read_cr0() & ~X86_CR0_TS) | (v->fpu_ts ? X86_CR0_TS : 0);
        return 0;
    case 2:
        *val = v->vcpu_info->arch.cr2;
        return 0;
    case 3:
        *val = (uint64_t)(v->kernel_mode ? v->guest_table : v->guest_table_user) << PAGE_SHIFT;
        return 0;
    case 4:
        *val = read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
        return 0;
    default:
        return -EPERM;
    }
}

static int em_write_cr(void *ctx, int cr, uint64_t val)
{
    struct vcpu *v = ctx;
    if (!v->kernel_mode)
        return -EPERM;      /* guest user mode: a real #GP */
    switch (cr) {
    case 0:
        /* Only TS means anything to a PV guest (fpu_taskswitch). */
        v->fpu_ts = val & X86_CR0_TS;
        write_cr0(v->fpu_ts ? read_cr0() | X86_CR0_TS : read_cr0() & ~X86_CR0_TS);
        return 0;
    case 4:
        return 0;       /* Linux writes back what it read, minus PGE: nothing to do */
    default:
        return -EPERM;
    }
}

static uint64_t em_seg_base(void *ctx, enum emul_seg seg)
{
    (void)ctx;
    return seg == EMUL_SEG_FS ? rdmsr(MSR_FS_BASE) : seg == EMUL_SEG_GS ? rdmsr(MSR_GS_BASE) : 0;
}

static void make_ops(struct emul_ops *o, struct vcpu *v)
{
    *o = (struct emul_ops){
        .fetch = em_fetch, .read = em_read, .write_pte = em_write_pte, .cpuid = em_cpuid,
        .rdmsr = em_rdmsr, .wrmsr = em_wrmsr, .io_in = em_in, .io_out = em_out,
        .read_cr = em_read_cr, .write_cr = em_write_cr, .get_seg_base = em_seg_base, .ctx = v,
    };
}

static void regs_to_emul(const struct cpu_regs *r, struct emul_regs *e)
{
    const uint64_t g[16] = { r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp, r->rsi, r->rdi,
                             r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15 };
    memcpy(e->gpr, g, sizeof(g));
    e->rip = r->rip;
    e->rflags = r->rflags;
}

static void emul_to_regs(const struct emul_regs *e, struct cpu_regs *r)
{
    r->rax = e->gpr[0]; r->rcx = e->gpr[1]; r->rdx = e->gpr[2]; r->rbx = e->gpr[3];
    r->rsp = e->gpr[4]; r->rbp = e->gpr[5]; r->rsi = e->gpr[6]; r->rdi = e->gpr[7];
    r->r8 = e->gpr[8]; r->r9 = e->gpr[9]; r->r10 = e->gpr[10]; r->r11 = e->gpr[11];
    r->r12 = e->gpr[12]; r->r13 = e->gpr[13]; r->r14 = e->gpr[14]; r->r15 = e->gpr[15];
    r->rip = e->rip;
    /* Only the arithmetic flags may change through emulation. */
    r->rflags = (r->rflags & ~EMUL_FLAGS_ARITH) | (e->rflags & EMUL_FLAGS_ARITH);
}

/* Returns true when the fault was dealt with (emulated or re-routed). */
static bool finish(struct vcpu *v, struct cpu_regs *regs, struct emul_regs *e, enum emul_result res,
                   uint8_t vec, unsigned int len)
{
    switch (res) {
    case EMUL_OK:
        emul_to_regs(e, regs);
        return true;
    case EMUL_RETRY:
        return true;
    case EMUL_INJECT_GP:
        pv_inject_trap(v, 13, true, 0);
        return true;
    case EMUL_INJECT_UD:
        pv_inject_trap(v, 6, false, 0);
        return true;
    case EMUL_HALT:
        emul_to_regs(e, regs);
        vcpu_block(v);
        return true;
    case EMUL_SOFT_INT:
        (void)vec;
        (void)len;
        return false;
    default:
        return false;
    }
}

bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *regs)
{
    /* CLI/STI from a guest kernel with virtual IOPL: Xen turns them into the
     * event mask (Linux's cmpxchg16b emulation does pushf; cli; ... popf). */
    uint8_t op;
    if (!copy_from_guest(&op, regs->rip, 1) && (op == 0xfa || op == 0xfb) && io_allowed(v)) {
        v->vcpu_info->evtchn_upcall_mask = op == 0xfa;
        regs->rip += 1;
        return true;
    }
    struct emul_ops ops;
    struct emul_regs e;
    uint8_t vec = 0;
    unsigned int len = 0;
    make_ops(&ops, v);
    regs_to_emul(regs, &e);
    return finish(v, regs, &e, x86_emulate_priv(&ops, &e, &vec, &len), vec, len);
}

bool pv_emulate_forced(struct vcpu *v, struct cpu_regs *regs)
{
    struct emul_ops ops;
    struct emul_regs e;
    make_ops(&ops, v);
    regs_to_emul(regs, &e);
    return finish(v, regs, &e, x86_emulate_ud(&ops, &e), 0, 0);
}

bool pv_handle_page_fault(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
    /* Writable page-table assist: a present, write, fault from the guest
     * kernel onto a read-only page that is one of its L1 tables. */
    /* Xen 4.17 emulates these writes for the hardware domain even without
     * the assist (seen on real Xen by tests/guests/mmu). */
    if ((!(v->domain->vm_assist & (1UL << VMASST_TYPE_writable_pagetables)) && !v->domain->is_privileged) ||
        !v->kernel_mode ||
        (regs->error_code & 0x3) != 0x3 || !guest_range_ok(cr2, 8))
        return false;
    struct emul_ops ops;
    struct emul_regs e;
    make_ops(&ops, v);
    regs_to_emul(regs, &e);
    enum emul_result res = x86_emulate_ptwr(&ops, &e, cr2);
    if (res == EMUL_OK) {
        emul_to_regs(&e, regs);
        return true;
    }
    return res == EMUL_RETRY;
}
