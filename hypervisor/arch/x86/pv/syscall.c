/* SPDX-License-Identifier: MIT */
/* Per-CPU SYSCALL set-up for PV guests (see pv/entry.S for the stub). */
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <xeno/lib.h>
#include <xeno/pv.h>

extern const char lstar_template[], lstar_template_end[];
extern const char lstar_scratch1[], lstar_scratch2[], lstar_stack_imm[];

/* The stubs live in the image (mapped executable); 128 bytes per CPU. */
static uint8_t lstar_stubs[NR_CPUS][128] __aligned(64) __attribute__((section(".data.stubs")));

#define X86_EFLAGS_TF 0x100
#define X86_EFLAGS_IF 0x200
#define X86_EFLAGS_DF 0x400
#define X86_EFLAGS_NT 0x4000
#define X86_EFLAGS_AC 0x40000

void pv_cpu_init(unsigned int cpu)
{
    size_t len = lstar_template_end - lstar_template;
    BUG_ON(len > sizeof(lstar_stubs[0]));
    uint8_t *stub = lstar_stubs[cpu];
    memcpy(stub, lstar_template, len);
    uint64_t stack = (uint64_t)&get_cpu_info()->guest_regs + sizeof(struct cpu_regs);
    uint64_t scratch = (uint64_t)&get_cpu_info()->syscall_scratch;
    memcpy(stub + (lstar_stack_imm - lstar_template), &stack, 8);
    memcpy(stub + (lstar_scratch1 - lstar_template), &scratch, 8);
    memcpy(stub + (lstar_scratch2 - lstar_template), &scratch, 8);

    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* SYSCALL: CS = 0xe008, SS = 0xe010.  SYSRET (unused) would derive its
     * selectors from FLAT_RING3_CS32 (0xe023): CS64 0xe033, SS 0xe02b. */
    wrmsr(MSR_STAR, ((uint64_t)FLAT_RING3_CS32_SEL << 48) | ((uint64_t)__HYPERVISOR_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)stub);
    /* 32-bit SYSCALL from compatibility mode is not supported: a #UD-like
     * path would be needed; point it at the same stub, which treats it as
     * a 64-bit system call of a guest with no 32-bit user space. */
    wrmsr(MSR_CSTAR, (uint64_t)stub);
    wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_AC | X86_EFLAGS_NT | X86_EFLAGS_DF | X86_EFLAGS_IF | X86_EFLAGS_TF);
    /* Guests use SSE: FXSAVE/FXRSTOR and SIMD exceptions must be enabled. */
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}
