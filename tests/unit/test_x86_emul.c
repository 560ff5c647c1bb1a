// UNIT-SOURCES: hypervisor/arch/x86/pv/emul_decode.c
/* SPDX-License-Identifier: MIT */
/*
 * x86 emulator tests. Instruction bytes come from the host assembler (the
 * INSN() blocks below), so the decoder is checked against real encodings,
 * plus hand-made byte strings for what gas will not emit. A fake guest
 * supplies two pages of code, one L1 page-table page and the callbacks,
 * and records every call.
 */
#include <stdio.h>
#include <string.h>

#include "xeno/errno.h"
#include "xeno/x86_emul.h"
#include "unit.h"

/* Assemble `text` into .rodata between name[] and name_end[]. */
#define INSN(name, text)                                                     \
    __asm__(".pushsection .rodata\n" #name ":\n\t" text "\n" #name "_end:\n" \
            ".popsection\n");                                                \
    extern const uint8_t name[], name##_end[]

/* ---------------- fake guest ---------------- */

#define CODE_VA  0x400000ULL            /* two pages of code */
#define PT_HIGH  0xffff888000123000ULL  /* the L1 page the guest writes */
#define FS_BASE  0x7f0000001000ULL
#define GS_BASE  0xffff888000200000ULL

struct pte_write { uint64_t va, old, new; bool cmpxchg; };

static struct {
    uint8_t code[2 * PAGE_SIZE];
    uint64_t code_end;          /* fetches must stay below this */
    int fetch_calls;
    uint64_t fetch_hi;          /* highest byte address fetched + 1 */

    uint64_t pt_va;             /* base of the page-table page */
    uint64_t pt[512];
    int read_rc;
    int write_rc;               /* forced write_pte result */
    bool race;                  /* change the entry between read and cmpxchg */
    int nwrites;
    struct pte_write w;

    uint32_t cpuid_leaf, cpuid_sub;
    int cpuid_rc;
    uint64_t msr_val[2];        /* rdmsr: [0] TSC or other, [1] TSC_AUX */
    uint32_t msr_seen[4];
    int nmsr;
    uint64_t wrmsr_val;
    int msr_rc;

    uint16_t port;
    unsigned int io_bytes;
    uint32_t io_val;
    int io_rc;

    int cr_seen;
    uint64_t cr_written, cr_val;
    int cr_rc, ncr_writes;
} F;

static struct emul_ops OPS;
static struct emul_regs R;

static int f_fetch(void *ctx, uint64_t va, void *buf, size_t n)
{
    (void)ctx;
    F.fetch_calls++;
    if (va < CODE_VA || va + n > F.code_end || va + n < va)
        return -EFAULT;
    if (va + n > F.fetch_hi)
        F.fetch_hi = va + n;
    memcpy(buf, F.code + (va - CODE_VA), n);
    return 0;
}

static bool in_pt(uint64_t va, size_t n)
{
    return va >= F.pt_va && va + n <= F.pt_va + PAGE_SIZE;
}

static int f_read(void *ctx, uint64_t va, void *buf, size_t n)
{
    (void)ctx;
    CU_ASSERT_EQUAL(n, 8);
    CU_ASSERT_EQUAL(va & 7, 0);
    if (F.read_rc)
        return F.read_rc;
    if (!in_pt(va, n))
        return -EFAULT;
    memcpy(buf, (uint8_t *)F.pt + (va - F.pt_va), n);
    if (F.race)
        F.pt[(va - F.pt_va) / 8] ^= 0x40;   /* "hardware" sets D after our read */
    return 0;
}

static int f_write_pte(void *ctx, uint64_t va, uint64_t old, uint64_t new, bool cmpxchg,
                       uint64_t *actual)
{
    uint64_t *e;

    (void)ctx;
    F.nwrites++;
    F.w = (struct pte_write){ va, old, new, cmpxchg };
    CU_ASSERT_EQUAL(va & 7, 0);
    CU_ASSERT_TRUE(in_pt(va, 8));
    if (!in_pt(va, 8))
        return -EPERM;
    e = &F.pt[(va - F.pt_va) / 8];
    if (F.write_rc) {
        if (actual)
            *actual = *e;
        return F.write_rc;
    }
    if (cmpxchg && *e != old) {
        if (actual)
            *actual = *e;
        return -EAGAIN;
    }
    if (actual)
        *actual = *e;
    *e = new;
    return 0;
}

static int f_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    (void)ctx;
    F.cpuid_leaf = leaf;
    F.cpuid_sub = sub;
    if (F.cpuid_rc)
        return F.cpuid_rc;
    out[0] = 0x40000005;
    out[1] = 0x566e6558;   /* "XenV" */
    out[2] = 0x65584d4d;   /* "MMXe" */
    out[3] = 0x4d4d566e;   /* "nVMM" */
    return 0;
}

static int f_rdmsr(void *ctx, uint32_t msr, uint64_t *val)
{
    (void)ctx;
    if (F.nmsr < 4)
        F.msr_seen[F.nmsr] = msr;
    F.nmsr++;
    if (F.msr_rc)
        return F.msr_rc;
    *val = msr == EMUL_MSR_TSC_AUX ? F.msr_val[1] : F.msr_val[0];
    return 0;
}

static int f_wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
    (void)ctx;
    if (F.nmsr < 4)
        F.msr_seen[F.nmsr] = msr;
    F.nmsr++;
    F.wrmsr_val = val;
    return F.msr_rc;
}

static int f_io_in(void *ctx, uint16_t port, unsigned int bytes, uint32_t *val)
{
    (void)ctx;
    F.port = port;
    F.io_bytes = bytes;
    if (F.io_rc)
        return F.io_rc;
    *val = F.io_val & (bytes == 4 ? ~0U : (1U << (8 * bytes)) - 1);
    return 0;
}

static int f_io_out(void *ctx, uint16_t port, unsigned int bytes, uint32_t val)
{
    (void)ctx;
    F.port = port;
    F.io_bytes = bytes;
    F.io_val = val;
    return F.io_rc;
}

static int f_read_cr(void *ctx, int cr, uint64_t *val)
{
    (void)ctx;
    F.cr_seen = cr;
    if (F.cr_rc)
        return F.cr_rc;
    *val = F.cr_val + (uint64_t)cr;
    return 0;
}

static int f_write_cr(void *ctx, int cr, uint64_t val)
{
    (void)ctx;
    F.cr_seen = cr;
    F.cr_written = val;
    F.ncr_writes++;
    return F.cr_rc;
}

static uint64_t f_seg_base(void *ctx, enum emul_seg seg)
{
    (void)ctx;
    CU_ASSERT_TRUE(seg == EMUL_SEG_FS || seg == EMUL_SEG_GS);
    return seg == EMUL_SEG_FS ? FS_BASE : GS_BASE;
}

static void reset(void)
{
    memset(&F, 0, sizeof(F));
    memset(F.code, 0x90, sizeof(F.code));
    F.code_end = CODE_VA + sizeof(F.code);
    F.pt_va = PT_HIGH;
    for (unsigned int i = 0; i < 512; i++)
        F.pt[i] = 0x8000000012345067ULL + ((uint64_t)i << 12);
    F.cr_seen = -1;
    OPS = (struct emul_ops){
        .fetch = f_fetch, .read = f_read, .write_pte = f_write_pte, .cpuid = f_cpuid,
        .rdmsr = f_rdmsr, .wrmsr = f_wrmsr, .io_in = f_io_in, .io_out = f_io_out,
        .read_cr = f_read_cr, .write_cr = f_write_cr, .get_seg_base = f_seg_base,
    };
    memset(&R, 0, sizeof(R));
    for (unsigned int i = 0; i < 16; i++)
        R.gpr[i] = 0x0101010101010101ULL * (i + 1);
    R.rip = CODE_VA;
    R.rflags = 0x202;
}

/* Place code at offset off of the code area and point rip at it. */
static void load_at(uint64_t off, const uint8_t *s, size_t n)
{
    CU_ASSERT_FATAL(off + n <= sizeof(F.code));
    memcpy(F.code + off, s, n);
    R.rip = CODE_VA + off;
}

static void load(const uint8_t *s, const uint8_t *e)
{
    load_at(0, s, (size_t)(e - s));
}

#define LEN(n) ((unsigned int)(n##_end - n))

/* Every call must stay inside rip..rip+15 and use at most two fetches. */
static void check_fetch_bounds(uint64_t rip)
{
    CU_ASSERT_TRUE(F.fetch_hi <= rip + 15);
    CU_ASSERT_TRUE(F.fetch_calls <= 2);
}

/* ---------------- #GP: privileged instructions ---------------- */

INSN(p_rdmsr, "rdmsr");
INSN(p_wrmsr, "wrmsr");
INSN(p_cpuid, "cpuid");
INSN(p_rex_cpuid, ".byte 0x48, 0x0f, 0xa2");   /* rex.W cpuid */
INSN(p_in_al_imm, "in $0x71,%al");
INSN(p_in_ax_imm, "in $0x71,%ax");
INSN(p_in_eax_imm, "in $0x71,%eax");
INSN(p_in_al_dx, "in (%dx),%al");
INSN(p_in_ax_dx, "in (%dx),%ax");
INSN(p_in_eax_dx, "in (%dx),%eax");
INSN(p_out_imm_al, "out %al,$0x80");
INSN(p_out_imm_ax, "out %ax,$0x80");
INSN(p_out_imm_eax, "out %eax,$0x80");
INSN(p_out_dx_al, "out %al,(%dx)");
INSN(p_out_dx_ax, "out %ax,(%dx)");
INSN(p_out_dx_eax, "out %eax,(%dx)");
INSN(p_from_cr0, "mov %cr0,%rax");
INSN(p_from_cr2, "mov %cr2,%rdx");
INSN(p_from_cr4_r9, "mov %cr4,%r9");
INSN(p_from_cr8, "mov %cr8,%rbx");
INSN(p_to_cr3, "mov %rbx,%cr3");
INSN(p_to_cr4_r10, "mov %r10,%cr4");
INSN(p_clts, "clts");
INSN(p_wbinvd, "wbinvd");
INSN(p_invd, "invd");
INSN(p_hlt, "hlt");
INSN(p_rdtsc, "rdtsc");
INSN(p_rdtscp, "rdtscp");
INSN(p_int3, "int3");
INSN(p_int_03, "int $0x03");
INSN(p_int_80, "int $0x80");
INSN(p_int_81, "int $0x81");
INSN(p_int_ff, "int $0xff");
INSN(p_insb, "insb");
INSN(p_outsl, "outsl");
INSN(p_cli, "cli");
INSN(p_sti, "sti");
INSN(p_load, "mov (%rax),%rbx");
INSN(p_xgetbv, "xgetbv");
INSN(p_ud2, "ud2");
INSN(p_syscall, "syscall");

static enum emul_result priv(const uint8_t *s, const uint8_t *e, uint8_t *vec,
                             unsigned int *len)
{
    load(s, e);
    return x86_emulate_priv(&OPS, &R, vec, len);
}

static void test_rdmsr_wrmsr(void)
{
    unsigned int len = 0;
    struct emul_regs before;

    reset();
    R.gpr[EMUL_RCX] = 0xffffffffc0000101ULL;   /* upper half ignored */
    F.msr_val[0] = 0x1122334455667788ULL;
    CU_ASSERT_EQUAL(priv(p_rdmsr, p_rdmsr_end, NULL, &len), EMUL_OK);
    CU_ASSERT_EQUAL(F.msr_seen[0], 0xc0000101U);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 0x55667788ULL);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RDX], 0x11223344ULL);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 2);
    CU_ASSERT_EQUAL(len, 2);

    reset();
    R.gpr[EMUL_RCX] = 0x277;
    R.gpr[EMUL_RAX] = 0xdeadbeef11111111ULL;
    R.gpr[EMUL_RDX] = 0xffff000022222222ULL;
    CU_ASSERT_EQUAL(priv(p_wrmsr, p_wrmsr_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.msr_seen[0], 0x277);
    CU_ASSERT_EQUAL(F.wrmsr_val, 0x2222222211111111ULL);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 2);

    /* Refusal: #GP at the same rip, registers untouched. */
    reset();
    F.msr_rc = -EPERM;
    before = R;
    CU_ASSERT_EQUAL(priv(p_rdmsr, p_rdmsr_end, NULL, NULL), EMUL_INJECT_GP);
    CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
    CU_ASSERT_EQUAL(priv(p_wrmsr, p_wrmsr_end, NULL, NULL), EMUL_INJECT_GP);
    F.msr_rc = -EINVAL;
    CU_ASSERT_EQUAL(priv(p_wrmsr, p_wrmsr_end, NULL, NULL), EMUL_INJECT_GP);
    F.msr_rc = -EAGAIN;
    CU_ASSERT_EQUAL(priv(p_rdmsr, p_rdmsr_end, NULL, NULL), EMUL_RETRY);
    CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);

    /* Missing callbacks: not ours. */
    reset();
    OPS.rdmsr = NULL;
    OPS.wrmsr = NULL;
    CU_ASSERT_EQUAL(priv(p_rdmsr, p_rdmsr_end, NULL, NULL), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(priv(p_wrmsr, p_wrmsr_end, NULL, NULL), EMUL_UNHANDLEABLE);
}

static void test_cpuid_gp(void)
{
    reset();
    R.gpr[EMUL_RAX] = 0xffffffff40000000ULL;
    R.gpr[EMUL_RCX] = 0x1234567800000007ULL;
    CU_ASSERT_EQUAL(priv(p_cpuid, p_cpuid_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.cpuid_leaf, 0x40000000U);
    CU_ASSERT_EQUAL(F.cpuid_sub, 7);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 0x40000005ULL);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RBX], 0x566e6558ULL);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RCX], 0x65584d4dULL);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RDX], 0x4d4d566eULL);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 2);

    reset();
    CU_ASSERT_EQUAL(priv(p_rex_cpuid, p_rex_cpuid_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 3);

    reset();
    F.cpuid_rc = -EPERM;
    CU_ASSERT_EQUAL(priv(p_cpuid, p_cpuid_end, NULL, NULL), EMUL_INJECT_GP);
    CU_ASSERT_EQUAL(R.rip, CODE_VA);
}

struct io_case {
    const uint8_t *s, *e;
    bool out;
    unsigned int bytes;
    bool imm;
};

static void test_io(void)
{
    const struct io_case cases[] = {
        { p_in_al_imm, p_in_al_imm_end, false, 1, true },
        { p_in_ax_imm, p_in_ax_imm_end, false, 2, true },
        { p_in_eax_imm, p_in_eax_imm_end, false, 4, true },
        { p_in_al_dx, p_in_al_dx_end, false, 1, false },
        { p_in_ax_dx, p_in_ax_dx_end, false, 2, false },
        { p_in_eax_dx, p_in_eax_dx_end, false, 4, false },
        { p_out_imm_al, p_out_imm_al_end, true, 1, true },
        { p_out_imm_ax, p_out_imm_ax_end, true, 2, true },
        { p_out_imm_eax, p_out_imm_eax_end, true, 4, true },
        { p_out_dx_al, p_out_dx_al_end, true, 1, false },
        { p_out_dx_ax, p_out_dx_ax_end, true, 2, false },
        { p_out_dx_eax, p_out_dx_eax_end, true, 4, false },
    };
    const uint64_t rax0 = 0x1122334455667788ULL;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct io_case *c = &cases[i];
        uint16_t port = c->imm ? (c->out ? 0x80 : 0x71) : 0xcfc;

        reset();
        R.gpr[EMUL_RAX] = rax0;
        R.gpr[EMUL_RDX] = 0xffffffffffff0cfcULL;
        F.io_val = 0xaabbccdd;
        CU_ASSERT_EQUAL(priv(c->s, c->e, NULL, NULL), EMUL_OK);
        CU_ASSERT_EQUAL(F.port, port);
        CU_ASSERT_EQUAL(F.io_bytes, c->bytes);
        CU_ASSERT_EQUAL(R.rip, CODE_VA + (uint64_t)(c->e - c->s));
        if (c->out) {
            CU_ASSERT_EQUAL(F.io_val, (uint32_t)rax0 & (c->bytes == 4 ? ~0U
                                                        : (1U << (8 * c->bytes)) - 1));
            CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], rax0);
        } else if (c->bytes == 1) {
            CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], (rax0 & ~0xffULL) | 0xdd);
        } else if (c->bytes == 2) {
            CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], (rax0 & ~0xffffULL) | 0xccdd);
        } else {
            CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 0xaabbccddULL);   /* zero-extended */
        }

        /* Refused port: #GP, nothing changed. */
        reset();
        F.io_rc = -EPERM;
        CU_ASSERT_EQUAL(priv(c->s, c->e, NULL, NULL), EMUL_INJECT_GP);
        CU_ASSERT_EQUAL(R.rip, CODE_VA);
        CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 0x0101010101010101ULL);
    }
}

static void test_mov_cr(void)
{
    const uint8_t cr1[] = { 0x0f, 0x20, 0xc8 };          /* mov %cr1,%rax */
    const uint8_t cr9[] = { 0x44, 0x0f, 0x20, 0xc8 };    /* mov %cr9,%rax */
    const uint8_t cr5_to[] = { 0x0f, 0x22, 0xe8 };       /* mov %rax,%cr5 */
    const uint8_t mod0[] = { 0x0f, 0x20, 0x03 };         /* mod=00: still mov %cr0,%rbx */
    const uint8_t lock_cr0[] = { 0xf0, 0x0f, 0x20, 0xc0 };

    reset();
    F.cr_val = 0x80050030;
    CU_ASSERT_EQUAL(priv(p_from_cr0, p_from_cr0_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.cr_seen, 0);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 0x80050030ULL);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 3);

    reset();
    F.cr_val = 0x1000;
    CU_ASSERT_EQUAL(priv(p_from_cr2, p_from_cr2_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.cr_seen, 2);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RDX], 0x1002ULL);

    reset();
    CU_ASSERT_EQUAL(priv(p_from_cr4_r9, p_from_cr4_r9_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.cr_seen, 4);
    CU_ASSERT_EQUAL(R.gpr[EMUL_R9], 4);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 4);

    reset();
    CU_ASSERT_EQUAL(priv(p_from_cr8, p_from_cr8_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.cr_seen, 8);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RBX], 8);

    reset();
    CU_ASSERT_EQUAL(priv(p_to_cr3, p_to_cr3_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.cr_seen, 3);
    CU_ASSERT_EQUAL(F.cr_written, R.gpr[EMUL_RBX]);

    reset();
    CU_ASSERT_EQUAL(priv(p_to_cr4_r10, p_to_cr4_r10_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.cr_seen, 4);
    CU_ASSERT_EQUAL(F.cr_written, R.gpr[EMUL_R10]);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 4);

    reset();
    F.cr_rc = -EPERM;
    CU_ASSERT_EQUAL(priv(p_to_cr4_r10, p_to_cr4_r10_end, NULL, NULL), EMUL_INJECT_GP);
    CU_ASSERT_EQUAL(R.rip, CODE_VA);

    reset();
    CU_ASSERT_EQUAL(priv(mod0, mod0 + sizeof(mod0), NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RBX], 0);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 3);

    /* Reserved control registers are #UD; no callback is made. */
    reset();
    CU_ASSERT_EQUAL(priv(cr1, cr1 + sizeof(cr1), NULL, NULL), EMUL_INJECT_UD);
    CU_ASSERT_EQUAL(priv(cr9, cr9 + sizeof(cr9), NULL, NULL), EMUL_INJECT_UD);
    CU_ASSERT_EQUAL(priv(cr5_to, cr5_to + sizeof(cr5_to), NULL, NULL), EMUL_INJECT_UD);
    CU_ASSERT_EQUAL(F.cr_seen, -1);
    CU_ASSERT_EQUAL(priv(lock_cr0, lock_cr0 + sizeof(lock_cr0), NULL, NULL), EMUL_INJECT_UD);
    CU_ASSERT_EQUAL(F.cr_seen, -1);
    CU_ASSERT_EQUAL(R.rip, CODE_VA);
}

static void test_misc_priv(void)
{
    reset();
    F.cr_val = 0x8005003b;          /* read_cr(0) gives cr_val + 0: TS set */
    CU_ASSERT_EQUAL(priv(p_clts, p_clts_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.cr_seen, 0);
    CU_ASSERT_EQUAL(F.cr_written, 0x80050033ULL);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 2);

    reset();
    CU_ASSERT_EQUAL(priv(p_wbinvd, p_wbinvd_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 2);
    reset();
    CU_ASSERT_EQUAL(priv(p_invd, p_invd_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 2);
    CU_ASSERT_EQUAL(F.nmsr + F.ncr_writes + F.nwrites, 0);

    reset();
    CU_ASSERT_EQUAL(priv(p_hlt, p_hlt_end, NULL, NULL), EMUL_HALT);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 1);

    reset();
    F.msr_val[0] = 0x0000001200000034ULL;
    CU_ASSERT_EQUAL(priv(p_rdtsc, p_rdtsc_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.msr_seen[0], EMUL_MSR_TSC);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 0x34);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RDX], 0x12);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 2);

    reset();
    F.msr_val[0] = 0xffffffff00000001ULL;
    F.msr_val[1] = 0xabcdef0000000003ULL;
    CU_ASSERT_EQUAL(priv(p_rdtscp, p_rdtscp_end, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(F.msr_seen[1], EMUL_MSR_TSC_AUX);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 1);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RDX], 0xffffffffULL);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RCX], 3);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 3);
}

static void test_soft_int(void)
{
    const struct { const uint8_t *s, *e; uint8_t vec; } cases[] = {
        { p_int_03, p_int_03_end, 0x03 }, { p_int_80, p_int_80_end, 0x80 },
        { p_int_81, p_int_81_end, 0x81 }, { p_int_ff, p_int_ff_end, 0xff },
        { p_int3, p_int3_end, 0x03 },
    };
    const uint8_t prefixed[] = { 0x66, 0x48, 0xcd, 0x80 };
    const uint8_t into[] = { 0xce };
    const uint8_t lock_int[] = { 0xf0, 0xcd, 0x80 };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct emul_regs before;
        uint8_t vec = 0x5a;
        unsigned int len = 99;

        reset();
        before = R;
        /* Whatever the #GP error code said: the vector comes from the bytes. */
        CU_ASSERT_EQUAL(priv(cases[i].s, cases[i].e, &vec, &len), EMUL_SOFT_INT);
        CU_ASSERT_EQUAL(vec, cases[i].vec);
        CU_ASSERT_EQUAL(len, (unsigned int)(cases[i].e - cases[i].s));
        CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
    }
    CU_ASSERT_EQUAL(LEN(p_int3), 1);
    CU_ASSERT_EQUAL(LEN(p_int_80), 2);

    {
        uint8_t vec = 0;
        unsigned int len = 0;

        reset();
        CU_ASSERT_EQUAL(priv(prefixed, prefixed + sizeof(prefixed), &vec, &len), EMUL_SOFT_INT);
        CU_ASSERT_EQUAL(vec, 0x80);
        CU_ASSERT_EQUAL(len, 4);
        CU_ASSERT_EQUAL(priv(prefixed, prefixed + sizeof(prefixed), NULL, NULL), EMUL_SOFT_INT);
    }
    reset();
    CU_ASSERT_EQUAL(priv(into, into + 1, NULL, NULL), EMUL_INJECT_UD);
    CU_ASSERT_EQUAL(priv(lock_int, lock_int + sizeof(lock_int), NULL, NULL), EMUL_INJECT_UD);
    CU_ASSERT_EQUAL(R.rip, CODE_VA);

    /* int $0x80 whose immediate lies on an unmapped page. */
    reset();
    F.code_end = CODE_VA + PAGE_SIZE;
    load_at(PAGE_SIZE - 1, p_int_80, 1);
    CU_ASSERT_EQUAL(x86_emulate_priv(&OPS, &R, NULL, NULL), EMUL_UNHANDLEABLE);
}

static void test_priv_not_ours(void)
{
    const struct { const uint8_t *s, *e; } cases[] = {
        { p_insb, p_insb_end }, { p_outsl, p_outsl_end }, { p_cli, p_cli_end },
        { p_sti, p_sti_end }, { p_load, p_load_end }, { p_xgetbv, p_xgetbv_end },
        { p_ud2, p_ud2_end }, { p_syscall, p_syscall_end },
    };
    const uint8_t odd[][4] = {
        { 0x0f, 0x01, 0xd0, 0 },    /* xgetbv by hand */
        { 0x0f, 0x01, 0xf8, 0 },    /* swapgs */
        { 0xc4, 0xe2, 0x79, 0 },    /* VEX */
        { 0x0f, 0xff, 0, 0 },
        { 0xf1, 0, 0, 0 },          /* icebp: never a #GP */
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct emul_regs before;

        reset();
        before = R;
        CU_ASSERT_EQUAL(priv(cases[i].s, cases[i].e, NULL, NULL), EMUL_UNHANDLEABLE);
        CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
    }
    for (size_t i = 0; i < ARRAY_SIZE(odd); i++) {
        reset();
        CU_ASSERT_EQUAL(priv(odd[i], odd[i] + 4, NULL, NULL), EMUL_UNHANDLEABLE);
    }
    /* LOCK on an emulated instruction is #UD. */
    {
        const uint8_t lock_rdmsr[] = { 0xf0, 0x0f, 0x32 };

        reset();
        CU_ASSERT_EQUAL(priv(lock_rdmsr, lock_rdmsr + 3, NULL, NULL), EMUL_INJECT_UD);
        CU_ASSERT_EQUAL(F.nmsr, 0);
    }
    CU_ASSERT_EQUAL(x86_emulate_priv(NULL, &R, NULL, NULL), EMUL_UNHANDLEABLE);
}

static void test_priv_truncated(void)
{
    const uint8_t rdmsr_pfx[] = { 0x3e, 0x66, 0x0f, 0x32 };
    const uint8_t cr4[] = { 0x41, 0x0f, 0x22, 0xe2 };

    /* Each proper prefix of the instruction ends at an unmapped page. */
    for (unsigned int k = 0; k < sizeof(rdmsr_pfx); k++) {
        reset();
        F.code_end = CODE_VA + PAGE_SIZE;
        load_at(PAGE_SIZE - k, rdmsr_pfx, k);
        CU_ASSERT_EQUAL(x86_emulate_priv(&OPS, &R, NULL, NULL), EMUL_UNHANDLEABLE);
        CU_ASSERT_EQUAL(F.nmsr, 0);
        CU_ASSERT_EQUAL(R.rip, CODE_VA + PAGE_SIZE - k);
    }
    for (unsigned int k = 0; k < sizeof(cr4); k++) {
        reset();
        F.code_end = CODE_VA + PAGE_SIZE;
        load_at(PAGE_SIZE - k, cr4, k);
        CU_ASSERT_EQUAL(x86_emulate_priv(&OPS, &R, NULL, NULL), EMUL_UNHANDLEABLE);
        CU_ASSERT_EQUAL(F.ncr_writes, 0);
    }
    /* Split across two mapped pages: two fetches, fine. */
    for (unsigned int k = 1; k < sizeof(cr4); k++) {
        reset();
        load_at(PAGE_SIZE - k, cr4, sizeof(cr4));
        CU_ASSERT_EQUAL(x86_emulate_priv(&OPS, &R, NULL, NULL), EMUL_OK);
        CU_ASSERT_EQUAL(F.fetch_calls, 2);
        CU_ASSERT_EQUAL(F.cr_written, R.gpr[EMUL_R10]);
        CU_ASSERT_EQUAL(R.rip, CODE_VA + PAGE_SIZE - k + 4);
        check_fetch_bounds(CODE_VA + PAGE_SIZE - k);
    }
}

static void test_priv_length_limit(void)
{
    uint8_t b[20];

    /* 13 prefixes + 0f a2 = 15 bytes: still an instruction. */
    reset();
    memset(b, 0x3e, 13);
    b[13] = 0x0f;
    b[14] = 0xa2;
    load_at(0, b, 15);
    CU_ASSERT_EQUAL(x86_emulate_priv(&OPS, &R, NULL, NULL), EMUL_OK);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 15);
    check_fetch_bounds(CODE_VA);

    /* 14 prefixes + 0f a2 = 16 bytes: not one. */
    reset();
    memset(b, 0x3e, 14);
    b[14] = 0x0f;
    b[15] = 0xa2;
    load_at(0, b, 16);
    CU_ASSERT_EQUAL(x86_emulate_priv(&OPS, &R, NULL, NULL), EMUL_UNHANDLEABLE);
    check_fetch_bounds(CODE_VA);

    /* 15 and 18 prefixes before int $0x80. */
    for (unsigned int n = 15; n <= 18; n += 3) {
        reset();
        memset(b, 0x66, n);
        b[n] = 0xcd;
        b[n + 1] = 0x80;
        load_at(100, b, n + 2);
        CU_ASSERT_EQUAL(x86_emulate_priv(&OPS, &R, NULL, NULL), EMUL_UNHANDLEABLE);
        check_fetch_bounds(CODE_VA + 100);
    }

    /* Fetch fails outright. */
    reset();
    R.rip = 0x1000;
    CU_ASSERT_EQUAL(x86_emulate_priv(&OPS, &R, NULL, NULL), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(x86_emulate_ud(&OPS, &R), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(x86_emulate_ptwr(&OPS, &R, PT_HIGH), EMUL_UNHANDLEABLE);
}

/* ---------------- #UD: forced emulation ---------------- */

static void test_ud(void)
{
    const uint8_t fe_cpuid[] = { 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2 };
    const uint8_t fe_rdmsr[] = { 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0x32 };
    const uint8_t fe_pfx_cpuid[] = { 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x48, 0x0f, 0xa2 };
    const uint8_t fe_bad_sig[] = { 0x0f, 0x0b, 0x78, 0x65, 0x6f, 0x0f, 0xa2 };
    struct emul_regs before;

    reset();
    R.gpr[EMUL_RAX] = 0x40000000;
    R.gpr[EMUL_RCX] = 0;
    load_at(0, fe_cpuid, sizeof(fe_cpuid));
    CU_ASSERT_EQUAL(x86_emulate_ud(&OPS, &R), EMUL_OK);
    CU_ASSERT_EQUAL(F.cpuid_leaf, 0x40000000U);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RBX], 0x566e6558ULL);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 7);

    /* The prefix before anything but CPUID, or a wrong signature: not ours. */
    const uint8_t *bad[] = { fe_rdmsr, fe_pfx_cpuid, fe_bad_sig, p_ud2 };
    const size_t badlen[] = { sizeof(fe_rdmsr), sizeof(fe_pfx_cpuid), sizeof(fe_bad_sig), 2 };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        reset();
        load_at(0, bad[i], badlen[i]);
        before = R;
        CU_ASSERT_EQUAL(x86_emulate_ud(&OPS, &R), EMUL_UNHANDLEABLE);
        CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
        CU_ASSERT_EQUAL(F.cpuid_leaf, 0);
    }

    /* Truncated at an unmapped page, at every length. */
    for (unsigned int k = 0; k < sizeof(fe_cpuid); k++) {
        reset();
        F.code_end = CODE_VA + PAGE_SIZE;
        load_at(PAGE_SIZE - k, fe_cpuid, k);
        CU_ASSERT_EQUAL(x86_emulate_ud(&OPS, &R), EMUL_UNHANDLEABLE);
    }

    reset();
    F.cpuid_rc = -EPERM;
    load_at(0, fe_cpuid, sizeof(fe_cpuid));
    CU_ASSERT_EQUAL(x86_emulate_ud(&OPS, &R), EMUL_INJECT_GP);
    CU_ASSERT_EQUAL(R.rip, CODE_VA);
    reset();
    OPS.cpuid = NULL;
    load_at(0, fe_cpuid, sizeof(fe_cpuid));
    CU_ASSERT_EQUAL(x86_emulate_ud(&OPS, &R), EMUL_UNHANDLEABLE);
}

/* ---------------- #PF: writable page tables ---------------- */

#define IDX 5
#define E (PT_HIGH + IDX * 8)           /* the entry under test */
#define OLD (0x8000000012345067ULL + ((uint64_t)IDX << 12))

static enum emul_result ptwr(const uint8_t *s, const uint8_t *e, uint64_t cr2)
{
    load(s, e);
    return x86_emulate_ptwr(&OPS, &R, cr2);
}

/* One write_pte call with these arguments, rip advanced by len. */
static void check_write_at(int line, uint64_t va, uint64_t old, uint64_t new, bool cmpxchg,
                           unsigned int len)
{
    if (F.nwrites != 1 || F.w.va != va || F.w.old != old || F.w.new != new ||
        F.w.cmpxchg != cmpxchg)
        printf("\n  line %d: %d writes, last va %#llx old %#llx new %#llx cmpxchg %d\n", line,
               F.nwrites, (unsigned long long)F.w.va, (unsigned long long)F.w.old,
               (unsigned long long)F.w.new, F.w.cmpxchg);
    CU_ASSERT_EQUAL(F.nwrites, 1);
    CU_ASSERT_EQUAL(F.w.va, va);
    CU_ASSERT_EQUAL(F.w.old, old);
    CU_ASSERT_EQUAL(F.w.new, new);
    CU_ASSERT_EQUAL(F.w.cmpxchg, cmpxchg);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + len);
    check_fetch_bounds(CODE_VA);
}

#define check_write(...) check_write_at(__LINE__, __VA_ARGS__)

INSN(w_mov_rdi, "mov %rax,(%rdi)");
INSN(w_mov_disp8, "mov %rdx,0x28(%rax)");
INSN(w_mov_sib, "mov %r8,(%r9,%r10,8)");
INSN(w_mov_rsp, "mov %rax,(%rsp)");
INSN(w_mov_r12, "mov %rax,(%r12)");
INSN(w_mov_r13, "mov %rax,(%r13)");
INSN(w_mov_rbp_neg, "mov %rax,-0x10(%rbp)");
INSN(w_mov_disp32_sib, "mov %rax,0x1000(%rbx,%rcx,8)");
INSN(w_mov_rip, "mov %rax,0x101(%rip)");
INSN(w_mov_abs_index, "mov %rax,0x10(,%rcx,8)");
INSN(w_mov_r12_index, "mov %rax,(%rdi,%r12,1)");
INSN(w_mov_fs, "mov %rax,%fs:0x28");
INSN(w_mov_gs_rdi, "mov %rax,%gs:(%rdi)");
INSN(w_mov_ds_rdi, "mov %rax,%ds:(%rdi)");
INSN(w_mov_addr32, "mov %rax,(%edi)");
INSN(w_mov_r15_r14, "mov %r15,(%r14)");

/* Each setup points the operand at an entry and returns that entry's address. */
struct mode_case {
    const uint8_t *s, *e;
    uint64_t (*setup)(void);
    unsigned int src;
};

static uint64_t su_rdi(void) { R.gpr[EMUL_RDI] = E; return E; }
static uint64_t su_disp8(void) { R.gpr[EMUL_RAX] = E - 0x28; return E; }
static uint64_t su_sib(void) { R.gpr[EMUL_R9] = E - 0x30; R.gpr[EMUL_R10] = 6; return E; }
static uint64_t su_rsp(void) { R.gpr[EMUL_RSP] = E; return E; }
static uint64_t su_r12(void) { R.gpr[EMUL_R12] = E; return E; }
static uint64_t su_r13(void) { R.gpr[EMUL_R13] = E; return E; }
static uint64_t su_rbp(void) { R.gpr[EMUL_RBP] = E + 0x10; return E; }
static uint64_t su_d32sib(void)
{
    R.gpr[EMUL_RBX] = E - 0x1000 - 0x40;
    R.gpr[EMUL_RCX] = 8;
    return E;
}
static uint64_t su_absidx(void) { R.gpr[EMUL_RCX] = (E - 0x10) / 8; return E; }
static uint64_t su_r12idx(void) { R.gpr[EMUL_RDI] = E - 0x1234; R.gpr[EMUL_R12] = 0x1234; return E; }
static uint64_t su_gs(void) { R.gpr[EMUL_RDI] = E - GS_BASE; return E; }
static uint64_t su_r14(void) { R.gpr[EMUL_R14] = E; return E; }

/* RIP-relative: the entry is 0x101 past the end of the (7-byte) instruction. */
static uint64_t su_rip(void)
{
    uint64_t t = CODE_VA + LEN(w_mov_rip) + 0x101;

    F.pt_va = t & ~(PAGE_SIZE - 1);
    return t;
}

/* %fs:0x28 with FS based at a page-table page. */
static uint64_t su_fs(void)
{
    F.pt_va = FS_BASE;
    return FS_BASE + 0x28;
}

/* 67: (%edi) uses only the low 32 bits of rdi. */
static uint64_t su_a32(void)
{
    F.pt_va = 0x7f000;
    R.gpr[EMUL_RDI] = 0xffffffff00000000ULL | (0x7f000 + IDX * 8);
    return 0x7f000 + IDX * 8;
}

static void test_ptwr_mov_modes(void)
{
    const struct mode_case cases[] = {
        { w_mov_rdi, w_mov_rdi_end, su_rdi, EMUL_RAX },
        { w_mov_disp8, w_mov_disp8_end, su_disp8, EMUL_RDX },
        { w_mov_sib, w_mov_sib_end, su_sib, EMUL_R8 },
        { w_mov_rsp, w_mov_rsp_end, su_rsp, EMUL_RAX },
        { w_mov_r12, w_mov_r12_end, su_r12, EMUL_RAX },
        { w_mov_r13, w_mov_r13_end, su_r13, EMUL_RAX },
        { w_mov_rbp_neg, w_mov_rbp_neg_end, su_rbp, EMUL_RAX },
        { w_mov_disp32_sib, w_mov_disp32_sib_end, su_d32sib, EMUL_RAX },
        { w_mov_rip, w_mov_rip_end, su_rip, EMUL_RAX },
        { w_mov_abs_index, w_mov_abs_index_end, su_absidx, EMUL_RAX },
        { w_mov_r12_index, w_mov_r12_index_end, su_r12idx, EMUL_RAX },
        { w_mov_fs, w_mov_fs_end, su_fs, EMUL_RAX },
        { w_mov_gs_rdi, w_mov_gs_rdi_end, su_gs, EMUL_RAX },
        { w_mov_ds_rdi, w_mov_ds_rdi_end, su_rdi, EMUL_RAX },
        { w_mov_addr32, w_mov_addr32_end, su_a32, EMUL_RAX },
        { w_mov_r15_r14, w_mov_r15_r14_end, su_r14, EMUL_R15 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct mode_case *c = &cases[i];
        const uint64_t val = 0x00000000abcde063ULL;
        uint64_t target;

        reset();
        target = c->setup();
        R.gpr[c->src] = val;
        if (ptwr(c->s, c->e, target) != EMUL_OK) {
            printf("\n  mode case %zu failed\n", i);
            CU_FAIL("ptwr mode");
            continue;
        }
        check_write(target, 0, val, false, (unsigned int)(c->e - c->s));
        CU_ASSERT_EQUAL(F.pt[(target - F.pt_va) / 8], val);
    }

    /* FS override with no way to learn the base: not ours. */
    reset();
    F.pt_va = FS_BASE;
    OPS.get_seg_base = NULL;
    CU_ASSERT_EQUAL(ptwr(w_mov_fs, w_mov_fs_end, FS_BASE + 0x28), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(F.nwrites, 0);
}

INSN(w_movq_0, "movq $0,(%rdi)");
INSN(w_movq_m1, "movq $-1,(%rdi)");
INSN(w_movq_big, "movq $0x7ffff067,0x8(%rdi)");
INSN(w_movl_hi, "movl $0x12345678,4(%rdi)");
INSN(w_mov_eax_lo, "mov %eax,(%rdi)");
INSN(w_mov_r9d_hi, "mov %r9d,4(%rdi)");
INSN(w_mov_al, "mov %al,(%rdi)");
INSN(w_mov_ah, "mov %ah,1(%rdi)");
INSN(w_mov_sil, "mov %sil,2(%rdi)");
INSN(w_movb_imm, "movb $0x63,7(%rdi)");
INSN(w_mov_opsz_w, ".byte 0x66, 0x48, 0x89, 0x07");   /* REX.W beats 66 */

static void test_ptwr_mov_sizes(void)
{
    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_movq_0, w_movq_0_end, E), EMUL_OK);
    check_write(E, 0, 0, false, LEN(w_movq_0));
    CU_ASSERT_EQUAL(F.pt[IDX], 0);

    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_movq_m1, w_movq_m1_end, E), EMUL_OK);
    check_write(E, 0, ~0ULL, false, LEN(w_movq_m1));

    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_movq_big, w_movq_big_end, E + 8), EMUL_OK);
    check_write(E + 8, 0, 0x7ffff067ULL, false, LEN(w_movq_big));

    /* 32-bit halves merge with the other half, installed by cmpxchg. */
    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_movl_hi, w_movl_hi_end, E + 4), EMUL_OK);
    check_write(E, OLD, 0x1234567800000000ULL | (OLD & 0xffffffff), true, LEN(w_movl_hi));

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0xffffffff00abc067ULL;
    CU_ASSERT_EQUAL(ptwr(w_mov_eax_lo, w_mov_eax_lo_end, E), EMUL_OK);
    check_write(E, OLD, (OLD & ~0xffffffffULL) | 0x00abc067, true, LEN(w_mov_eax_lo));

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_R9] = 0xffffffff00000001ULL;
    CU_ASSERT_EQUAL(ptwr(w_mov_r9d_hi, w_mov_r9d_hi_end, E + 4), EMUL_OK);
    check_write(E, OLD, (OLD & 0xffffffffULL) | (1ULL << 32), true, LEN(w_mov_r9d_hi));

    /* Bytes: AL; AH (no REX: reg 4 is AH); SIL (REX: reg 6 is SIL); imm8. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0x1122334455667722ULL;
    CU_ASSERT_EQUAL(ptwr(w_mov_al, w_mov_al_end, E), EMUL_OK);
    check_write(E, OLD, (OLD & ~0xffULL) | 0x22, true, LEN(w_mov_al));

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0x000000000000a500ULL;
    CU_ASSERT_EQUAL(ptwr(w_mov_ah, w_mov_ah_end, E + 1), EMUL_OK);
    check_write(E, OLD, (OLD & ~0xff00ULL) | 0xa500, true, LEN(w_mov_ah));

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RSI] = 0x5b;
    CU_ASSERT_EQUAL(ptwr(w_mov_sil, w_mov_sil_end, E + 2), EMUL_OK);
    check_write(E, OLD, (OLD & ~0xff0000ULL) | 0x5b0000, true, LEN(w_mov_sil));

    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_movb_imm, w_movb_imm_end, E + 7), EMUL_OK);
    check_write(E, OLD, (OLD & ~(0xffULL << 56)) | (0x63ULL << 56), true, LEN(w_movb_imm));

    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_mov_opsz_w, w_mov_opsz_w_end, E), EMUL_OK);
    check_write(E, 0, R.gpr[EMUL_RAX], false, 4);

    /* Writing what is already there: no update to validate, still done. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = OLD & 0xffffffff;
    CU_ASSERT_EQUAL(ptwr(w_mov_eax_lo, w_mov_eax_lo_end, E), EMUL_OK);
    CU_ASSERT_EQUAL(F.nwrites, 0);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + LEN(w_mov_eax_lo));
}

INSN(w_xchg_rax, "xchg %rax,(%rdi)");
INSN(w_xchg_r11, "xchg (%rdi),%r11");
INSN(w_xchg_eax_hi, "xchg %eax,4(%rdi)");
INSN(w_xchg_cl, "xchg %cl,(%rdi)");
INSN(w_xchg_bh, "xchg %bh,3(%rdi)");
INSN(w_lock_xchg, "lock xchg %rdx,(%rdi)");

static void test_ptwr_xchg(void)
{
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0;
    CU_ASSERT_EQUAL(ptwr(w_xchg_rax, w_xchg_rax_end, E), EMUL_OK);
    check_write(E, 0, 0, false, LEN(w_xchg_rax));
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], OLD);
    CU_ASSERT_EQUAL(F.pt[IDX], 0);

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_R11] = 0x42;
    CU_ASSERT_EQUAL(ptwr(w_xchg_r11, w_xchg_r11_end, E), EMUL_OK);
    check_write(E, 0, 0x42, false, LEN(w_xchg_r11));
    CU_ASSERT_EQUAL(R.gpr[EMUL_R11], OLD);

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RDX] = 7;
    CU_ASSERT_EQUAL(ptwr(w_lock_xchg, w_lock_xchg_end, E), EMUL_OK);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RDX], OLD);

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0xffffffff00000000ULL;
    CU_ASSERT_EQUAL(ptwr(w_xchg_eax_hi, w_xchg_eax_hi_end, E + 4), EMUL_OK);
    check_write(E, OLD, OLD & 0xffffffffULL, true, LEN(w_xchg_eax_hi));
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], OLD >> 32);    /* zero-extended */

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RCX] = 0xaaaaaaaaaaaaaa00ULL;
    CU_ASSERT_EQUAL(ptwr(w_xchg_cl, w_xchg_cl_end, E), EMUL_OK);
    check_write(E, OLD, OLD & ~0xffULL, true, LEN(w_xchg_cl));
    CU_ASSERT_EQUAL(R.gpr[EMUL_RCX], 0xaaaaaaaaaaaaaa00ULL | (OLD & 0xff));

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RBX] = 0x1111111111119911ULL;
    CU_ASSERT_EQUAL(ptwr(w_xchg_bh, w_xchg_bh_end, E + 3), EMUL_OK);
    check_write(E, OLD, (OLD & ~0xff000000ULL) | 0x99000000ULL, true, LEN(w_xchg_bh));
    CU_ASSERT_EQUAL(R.gpr[EMUL_RBX], 0x1111111111110011ULL | (((OLD >> 24) & 0xff) << 8));
}

INSN(w_lock_cmpxchg, "lock cmpxchg %rcx,(%rdi)");
INSN(w_cmpxchg, "cmpxchg %rdx,0x8(%rdi)");
INSN(w_lock_cmpxchg32, "lock cmpxchg %ecx,4(%rdi)");
INSN(w_lock_cmpxchg8, "lock cmpxchg %cl,(%rdi)");

static void test_ptwr_cmpxchg(void)
{
    const uint64_t arith_ok = EMUL_FLAG_ZF | EMUL_FLAG_PF;

    /* Success: entry == rax. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = OLD;
    R.gpr[EMUL_RCX] = 0x1234067;
    R.rflags = 0x202 | EMUL_FLAG_CF | EMUL_FLAG_OF | EMUL_FLAG_SF;
    CU_ASSERT_EQUAL(ptwr(w_lock_cmpxchg, w_lock_cmpxchg_end, E), EMUL_OK);
    check_write(E, OLD, 0x1234067, true, LEN(w_lock_cmpxchg));
    CU_ASSERT_EQUAL(R.rflags, 0x202 | arith_ok);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], OLD);
    CU_ASSERT_EQUAL(F.pt[IDX], 0x1234067);

    /* Failure: rax gets the entry, flags of rax - entry. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0x1000;
    R.gpr[EMUL_RCX] = 0x1234067;
    CU_ASSERT_EQUAL(ptwr(w_lock_cmpxchg, w_lock_cmpxchg_end, E), EMUL_OK);
    CU_ASSERT_EQUAL(F.nwrites, 1);
    CU_ASSERT_EQUAL(F.pt[IDX], OLD);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], OLD);
    /* 0x1000 - 0x800000001234a067 = 0x7fffffffedcb6f99: borrow, no overflow. */
    CU_ASSERT_EQUAL(R.rflags & EMUL_FLAGS_ARITH, EMUL_FLAG_CF | EMUL_FLAG_AF | EMUL_FLAG_PF);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + LEN(w_lock_cmpxchg));

    /* Without LOCK, other entry, other register. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = OLD + 0x1000;     /* entry IDX+1 */
    R.gpr[EMUL_RDX] = 0;
    CU_ASSERT_EQUAL(ptwr(w_cmpxchg, w_cmpxchg_end, E + 8), EMUL_OK);
    check_write(E + 8, OLD + 0x1000, 0, true, LEN(w_cmpxchg));
    CU_ASSERT_TRUE(R.rflags & EMUL_FLAG_ZF);

    /* 32-bit on the high half: success leaves rax alone, failure zero-extends. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0xdead000000000000ULL | (OLD >> 32);
    R.gpr[EMUL_RCX] = 0;
    CU_ASSERT_EQUAL(ptwr(w_lock_cmpxchg32, w_lock_cmpxchg32_end, E + 4), EMUL_OK);
    check_write(E, OLD, OLD & 0xffffffff, true, LEN(w_lock_cmpxchg32));
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 0xdead000000000000ULL | (OLD >> 32));
    CU_ASSERT_EQUAL(R.rflags & EMUL_FLAGS_ARITH, arith_ok);

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0xdead000000000001ULL;
    CU_ASSERT_EQUAL(ptwr(w_lock_cmpxchg32, w_lock_cmpxchg32_end, E + 4), EMUL_OK);
    CU_ASSERT_EQUAL(F.nwrites, 0);
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], OLD >> 32);
    /* 1 - 0x80000000: SF, OF, CF. */
    CU_ASSERT_EQUAL(R.rflags & EMUL_FLAGS_ARITH,
                    EMUL_FLAG_SF | EMUL_FLAG_OF | EMUL_FLAG_CF);

    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 0xff00 | (OLD & 0xff);
    R.gpr[EMUL_RCX] = 0x25;
    CU_ASSERT_EQUAL(ptwr(w_lock_cmpxchg8, w_lock_cmpxchg8_end, E), EMUL_OK);
    check_write(E, OLD, (OLD & ~0xffULL) | 0x25, true, LEN(w_lock_cmpxchg8));
    CU_ASSERT_EQUAL(R.gpr[EMUL_RAX], 0xff00 | (OLD & 0xff));

    /* Refused by the hypervisor: the guest gets its #PF, nothing changes. */
    {
        struct emul_regs before;

        reset();
        R.gpr[EMUL_RDI] = E;
        R.gpr[EMUL_RAX] = OLD;
        F.write_rc = -EPERM;
        before = R;
        CU_ASSERT_EQUAL(ptwr(w_lock_cmpxchg, w_lock_cmpxchg_end, E), EMUL_UNHANDLEABLE);
        CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
        /* A "mismatch" that reports the expected value is a retry. */
        F.write_rc = -EAGAIN;
        CU_ASSERT_EQUAL(ptwr(w_lock_cmpxchg, w_lock_cmpxchg_end, E), EMUL_RETRY);
        CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
    }
}

INSN(w_lock_andq_i8, "lock andq $-3,(%rdi)");
INSN(w_lock_andb_i8, "lock andb $-3,(%rdi)");
INSN(w_lock_orq_i8, "lock orq $0x20,(%rdi)");
INSN(w_lock_orb_i8, "lock orb $2,(%rdi)");
INSN(w_lock_and_reg, "lock and %rax,(%rdi)");
INSN(w_lock_or_reg, "lock or %rcx,(%rdi)");
INSN(w_andl_i32_hi, "andl $0x7fffffff,4(%rdi)");
INSN(w_lock_orl_i32_hi, "lock orl $0x80000000,4(%rdi)");
INSN(w_lock_andb_dl, "lock and %dl,(%rdi)");
INSN(w_lock_orb_dh, "lock or %dh,1(%rdi)");
INSN(w_lock_andq_i32, "lock andq $-0xff001,(%rdi)");
INSN(w_lock_orl_eax, "lock or %eax,(%rdi)");

struct alu_case {
    const uint8_t *s, *e;
    uint64_t cr2_off;
    uint64_t rax, rcx, rdx;
    uint64_t new, flags;
};

static void test_ptwr_and_or(void)
{
    const uint64_t SP = EMUL_FLAG_SF | EMUL_FLAG_PF;
    const struct alu_case cases[] = {
        { w_lock_andq_i8, w_lock_andq_i8_end, 0, 0, 0, 0, OLD & ~2ULL, SP },
        { w_lock_andb_i8, w_lock_andb_i8_end, 0, 0, 0, 0, OLD & ~2ULL, EMUL_FLAG_PF },
        { w_lock_orq_i8, w_lock_orq_i8_end, 0, 0, 0, 0, OLD | 0x20, EMUL_FLAG_SF },
        { w_lock_orb_i8, w_lock_orb_i8_end, 0, 0, 0, 0, OLD, 0 },
        { w_lock_and_reg, w_lock_and_reg_end, 0, 0xfff, 0, 0, OLD & 0xfff, 0 },
        { w_lock_or_reg, w_lock_or_reg_end, 0, 0, 0x100, 0, OLD | 0x100, EMUL_FLAG_SF },
        { w_andl_i32_hi, w_andl_i32_hi_end, 4, 0, 0, 0, OLD & ~(1ULL << 63),
          EMUL_FLAG_ZF | EMUL_FLAG_PF },
        { w_lock_orl_i32_hi, w_lock_orl_i32_hi_end, 4, 0, 0, 0, OLD, SP },
        { w_lock_andb_dl, w_lock_andb_dl_end, 0, 0, 0, 0xf0, OLD & ~0x0fULL, EMUL_FLAG_PF },
        { w_lock_orb_dh, w_lock_orb_dh_end, 1, 0, 0, 0x0100, OLD | 0x100, EMUL_FLAG_SF },
        { w_lock_andq_i32, w_lock_andq_i32_end, 0, 0, 0, 0, OLD & ~0xff000ULL, EMUL_FLAG_SF },
        { w_lock_orl_eax, w_lock_orl_eax_end, 0, 0x80000000, 0, 0,
          OLD | 0x80000000, EMUL_FLAG_SF },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct alu_case *c = &cases[i];
        uint64_t pf;

        reset();
        R.gpr[EMUL_RDI] = E;
        R.gpr[EMUL_RAX] = c->rax;
        R.gpr[EMUL_RCX] = c->rcx;
        R.gpr[EMUL_RDX] = c->rdx;
        R.rflags = 0x202 | EMUL_FLAG_CF | EMUL_FLAG_OF | EMUL_FLAG_ZF | EMUL_FLAG_AF;
        if (ptwr(c->s, c->e, E + c->cr2_off) != EMUL_OK) {
            printf("\n  alu case %zu failed\n", i);
            CU_FAIL("alu");
            continue;
        }
        CU_ASSERT_EQUAL(F.pt[IDX], c->new);
        if (c->new == OLD) {
            CU_ASSERT_EQUAL(F.nwrites, 0);
            CU_ASSERT_EQUAL(R.rip, CODE_VA + (uint64_t)(c->e - c->s));
        } else {
            check_write(E, OLD, c->new, true, (unsigned int)(c->e - c->s));
        }
        /* PF is from the low byte of the *operand*, so compare SF/ZF/CF/OF/AF strictly. */
        pf = R.rflags & EMUL_FLAG_PF;
        if ((R.rflags & (EMUL_FLAGS_ARITH & ~EMUL_FLAG_PF)) != (c->flags & ~EMUL_FLAG_PF))
            printf("\n  alu case %zu flags %#llx\n", i, (unsigned long long)R.rflags);
        CU_ASSERT_EQUAL(R.rflags & (EMUL_FLAGS_ARITH & ~EMUL_FLAG_PF), c->flags & ~EMUL_FLAG_PF);
        CU_ASSERT_EQUAL(pf, c->flags & EMUL_FLAG_PF);
        CU_ASSERT_TRUE(R.rflags & 0x200);
    }
}

INSN(w_lock_btrq_5, "lock btrq $5,(%rdi)");
INSN(w_lock_btsq_1, "lock btsq $1,(%rdi)");
INSN(w_lock_btr_rax, "lock btr %rax,(%rdi)");
INSN(w_lock_bts_rcx, "lock bts %rcx,(%rdi)");
INSN(w_btrl_5, "btrl $5,(%rdi)");
INSN(w_btsl_ecx, "btsl %ecx,(%rdi)");
INSN(w_btrq_69, "lock btrq $69,(%rdi)");      /* imm is taken mod 64 */

static void test_ptwr_bt(void)
{
    /* btr $5 (test_and_clear_young): CF = old A bit, then cleared. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.rflags = 0x202 | EMUL_FLAG_ZF | EMUL_FLAG_SF;
    CU_ASSERT_EQUAL(ptwr(w_lock_btrq_5, w_lock_btrq_5_end, E), EMUL_OK);
    check_write(E, OLD, OLD & ~0x20ULL, true, LEN(w_lock_btrq_5));
    CU_ASSERT_EQUAL(R.rflags, 0x202 | EMUL_FLAG_ZF | EMUL_FLAG_SF | EMUL_FLAG_CF);

    /* Second time: bit already clear, CF=0, no update. */
    R.rip = CODE_VA;
    F.nwrites = 0;
    CU_ASSERT_EQUAL(x86_emulate_ptwr(&OPS, &R, E), EMUL_OK);
    CU_ASSERT_EQUAL(F.nwrites, 0);
    CU_ASSERT_EQUAL(R.rflags, 0x202 | EMUL_FLAG_ZF | EMUL_FLAG_SF);

    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_lock_btrq_5, w_lock_btrq_5_end, E), EMUL_OK);
    reset();
    R.gpr[EMUL_RDI] = E;
    F.pt[IDX] = OLD & ~2ULL;
    CU_ASSERT_EQUAL(ptwr(w_lock_btsq_1, w_lock_btsq_1_end, E), EMUL_OK);
    check_write(E, OLD & ~2ULL, OLD, true, LEN(w_lock_btsq_1));
    CU_ASSERT_FALSE(R.rflags & EMUL_FLAG_CF);

    /* Register offset 63: NX. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RAX] = 63;
    CU_ASSERT_EQUAL(ptwr(w_lock_btr_rax, w_lock_btr_rax_end, E), EMUL_OK);
    check_write(E, OLD, OLD & ~(1ULL << 63), true, LEN(w_lock_btr_rax));
    CU_ASSERT_TRUE(R.rflags & EMUL_FLAG_CF);

    /* Register offset 64+3 addresses the next entry; -1 the previous one's bit 63. */
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RCX] = 67;
    CU_ASSERT_EQUAL(ptwr(w_lock_bts_rcx, w_lock_bts_rcx_end, E + 8), EMUL_OK);
    check_write(E + 8, OLD + 0x1000, OLD + 0x1000 + 8, true, LEN(w_lock_bts_rcx));
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RCX] = 67;
    CU_ASSERT_EQUAL(ptwr(w_lock_bts_rcx, w_lock_bts_rcx_end, E), EMUL_UNHANDLEABLE);
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RCX] = (uint64_t)-1;
    CU_ASSERT_EQUAL(ptwr(w_lock_bts_rcx, w_lock_bts_rcx_end, E - 8), EMUL_OK);
    CU_ASSERT_EQUAL(F.nwrites, 0);          /* NX already set */
    CU_ASSERT_TRUE(R.rflags & EMUL_FLAG_CF);

    /* 32-bit forms. */
    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_btrl_5, w_btrl_5_end, E), EMUL_OK);
    check_write(E, OLD, OLD & ~0x20ULL, true, LEN(w_btrl_5));
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RCX] = 0xffffffff00000021ULL;   /* ecx = 33: high dword, bit 1 */
    CU_ASSERT_EQUAL(ptwr(w_btsl_ecx, w_btsl_ecx_end, E + 4), EMUL_OK);
    check_write(E, OLD, OLD | (2ULL << 32), true, LEN(w_btsl_ecx));
    CU_ASSERT_FALSE(R.rflags & EMUL_FLAG_CF);
    reset();
    R.gpr[EMUL_RDI] = E;
    R.gpr[EMUL_RCX] = 0xffffffff;              /* ecx = -1: previous dword, bit 31 */
    CU_ASSERT_EQUAL(ptwr(w_btsl_ecx, w_btsl_ecx_end, E - 4), EMUL_OK);
    CU_ASSERT_EQUAL(F.nwrites, 0);
    CU_ASSERT_TRUE(R.rflags & EMUL_FLAG_CF);

    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_btrq_69, w_btrq_69_end, E), EMUL_OK);
    check_write(E, OLD, OLD & ~0x20ULL, true, LEN(w_btrq_69));
}

/*
 * What Linux 6.1 emits for its direct L1 writes (gcc -O2 shapes):
 * native_set_pte / pte_clear, ptep_get_and_clear, ptep cmpxchg,
 * ptep_set_wrprotect (clear_bit -> lock andb), test_and_clear_young
 * (lock btrq), set_bit (lock orb), with the usual addressing.
 */
INSN(l_set_pte, "mov %rsi,(%rdi)");
INSN(l_set_pte_idx, "mov %rcx,(%rax,%rdx,8)");
INSN(l_pte_clear, "movq $0x0,(%rdi)");
INSN(l_pte_clear_r, "movq $0x0,0x0(%rbp,%r12,8)");
INSN(l_get_and_clear, "xchg %rax,(%rdi)");
INSN(l_get_and_clear_r, "xchg %r13,(%rbx,%r14,8)");
INSN(l_cmpxchg, "lock cmpxchg %rsi,(%rdi)");
INSN(l_cmpxchg_r, "lock cmpxchg %r8,(%r12)");
INSN(l_wrprotect, "lock andb $0xfd,(%rdi)");
INSN(l_wrprotect_r, "lock andb $0xfd,(%rax,%rdx,8)");
INSN(l_young, "lock btrq $0x5,(%rdi)");
INSN(l_young_r, "lock btrq $0x5,0x8(%rbx)");
INSN(l_setbit, "lock orb $0x2,(%rdi)");

static void test_ptwr_linux_forms(void)
{
    const struct { const uint8_t *s, *e; } cases[] = {
        { l_set_pte, l_set_pte_end }, { l_set_pte_idx, l_set_pte_idx_end },
        { l_pte_clear, l_pte_clear_end }, { l_pte_clear_r, l_pte_clear_r_end },
        { l_get_and_clear, l_get_and_clear_end }, { l_get_and_clear_r, l_get_and_clear_r_end },
        { l_cmpxchg, l_cmpxchg_end }, { l_cmpxchg_r, l_cmpxchg_r_end },
        { l_wrprotect, l_wrprotect_end }, { l_wrprotect_r, l_wrprotect_r_end },
        { l_young, l_young_end }, { l_young_r, l_young_r_end }, { l_setbit, l_setbit_end },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        reset();
        /* Every base/index register combination above lands on E. */
        R.gpr[EMUL_RDI] = E;
        R.gpr[EMUL_RAX] = PT_HIGH;
        R.gpr[EMUL_RDX] = IDX;
        R.gpr[EMUL_RBP] = PT_HIGH;
        R.gpr[EMUL_R12] = IDX;
        R.gpr[EMUL_RBX] = E - 8;
        R.gpr[EMUL_R14] = 1;
        R.gpr[EMUL_RSI] = 0x1000067;
        if (cases[i].s == l_cmpxchg || cases[i].s == l_cmpxchg_r)
            R.gpr[EMUL_RAX] = OLD;
        if (cases[i].s == l_cmpxchg_r)
            R.gpr[EMUL_R12] = E;
        F.pt[IDX] = OLD | 2;    /* RW set so wrprotect has work */
        if (cases[i].s == l_cmpxchg || cases[i].s == l_cmpxchg_r)
            F.pt[IDX] = OLD;
        if (cases[i].s == l_setbit)
            F.pt[IDX] = OLD & ~2ULL;
        if (ptwr(cases[i].s, cases[i].e, E) != EMUL_OK) {
            printf("\n  linux form %zu not emulated\n", i);
            CU_FAIL("linux form");
            continue;
        }
        CU_ASSERT_EQUAL(F.nwrites, 1);
        CU_ASSERT_EQUAL(F.w.va, E);
        CU_ASSERT_EQUAL(R.rip, CODE_VA + (uint64_t)(cases[i].e - cases[i].s));
    }
}

INSN(h_mov_mis, "mov %rax,1(%rdi)");
INSN(h_movl_mis, "movl $0,2(%rdi)");
INSN(h_mov16, "mov %ax,(%rdi)");
INSN(h_movw_imm, "movw $1,(%rdi)");
INSN(h_andw, "lock andw $-3,(%rdi)");
INSN(h_btrw, "lock btrw $5,(%rdi)");
INSN(h_mov_reg, "mov %rax,%rdi");
INSN(h_and_reg, "and $-3,%rdi");
INSN(h_add, "add %rax,(%rdi)");
INSN(h_xadd, "lock xadd %rax,(%rdi)");
INSN(h_xor, "lock xor %rax,(%rdi)");
INSN(h_stos, "rep stosq");
INSN(h_movnti, "movnti %rax,(%rdi)");
INSN(h_bt, "bt $5,(%rdi)");
INSN(h_btc, "lock btc $5,(%rdi)");
INSN(h_load, "mov (%rdi),%rax");
INSN(h_lock_mov, ".byte 0xf0, 0x48, 0x89, 0x07");
INSN(h_rex_then_66, ".byte 0x48, 0x66, 0x89, 0x07");   /* REX cancelled: 16-bit */
INSN(h_movups, "movups %xmm0,(%rdi)");
INSN(h_cmpxchg16b, "lock cmpxchg16b (%rdi)");
INSN(h_c7_1, ".byte 0x48, 0xc7, 0x0f, 0, 0, 0, 0");   /* c7 /1: undefined */

static void test_ptwr_refused(void)
{
    const struct { const uint8_t *s, *e; uint64_t cr2; } cases[] = {
        { h_mov_mis, h_mov_mis_end, E + 1 }, { h_movl_mis, h_movl_mis_end, E + 2 },
        { h_mov16, h_mov16_end, E }, { h_movw_imm, h_movw_imm_end, E },
        { h_andw, h_andw_end, E }, { h_btrw, h_btrw_end, E },
        { h_mov_reg, h_mov_reg_end, E }, { h_and_reg, h_and_reg_end, E },
        { h_add, h_add_end, E }, { h_xadd, h_xadd_end, E }, { h_xor, h_xor_end, E },
        { h_stos, h_stos_end, E }, { h_movnti, h_movnti_end, E }, { h_bt, h_bt_end, E },
        { h_btc, h_btc_end, E }, { h_load, h_load_end, E }, { h_lock_mov, h_lock_mov_end, E },
        { h_rex_then_66, h_rex_then_66_end, E }, { h_movups, h_movups_end, E },
        { h_cmpxchg16b, h_cmpxchg16b_end, E }, { h_c7_1, h_c7_1_end, E },
        /* The write is not the faulting access. */
        { w_mov_rdi, w_mov_rdi_end, E + 8 }, { w_mov_rdi, w_mov_rdi_end, E - 1 },
        { w_mov_rdi, w_mov_rdi_end, E + 0x1000 }, { w_mov_al, w_mov_al_end, E + 1 },
        { w_movl_hi, w_movl_hi_end, E }, { w_lock_andb_i8, w_lock_andb_i8_end, E + 1 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct emul_regs before;

        reset();
        R.gpr[EMUL_RDI] = E;
        before = R;
        if (ptwr(cases[i].s, cases[i].e, cases[i].cr2) != EMUL_UNHANDLEABLE) {
            printf("\n  refused case %zu was accepted\n", i);
            CU_FAIL("refused");
        }
        CU_ASSERT_EQUAL(F.nwrites, 0);
        CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
        CU_ASSERT_EQUAL(F.pt[IDX], OLD);
    }

    /* cr2 anywhere inside the written bytes is the same access. */
    reset();
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_mov_rdi, w_mov_rdi_end, E + 7), EMUL_OK);
    CU_ASSERT_EQUAL(F.w.va, E);
}

static void test_ptwr_failures(void)
{
    struct emul_regs before;

    /* read() fails: not ours. */
    reset();
    R.gpr[EMUL_RDI] = E;
    F.read_rc = -EFAULT;
    before = R;
    CU_ASSERT_EQUAL(ptwr(w_lock_andb_i8, w_lock_andb_i8_end, E), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
    OPS.read = NULL;
    F.read_rc = 0;
    CU_ASSERT_EQUAL(ptwr(w_lock_andb_i8, w_lock_andb_i8_end, E), EMUL_UNHANDLEABLE);

    /* write_pte refuses: #PF to the guest, registers and flags untouched. */
    reset();
    R.gpr[EMUL_RDI] = E;
    F.write_rc = -EPERM;
    before = R;
    CU_ASSERT_EQUAL(ptwr(w_xchg_rax, w_xchg_rax_end, E), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(ptwr(w_lock_btrq_5, w_lock_btrq_5_end, E), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(ptwr(w_mov_rdi, w_mov_rdi_end, E), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);

    /* The entry changes between read and cmpxchg: retry, nothing done. */
    reset();
    R.gpr[EMUL_RDI] = E;
    F.race = true;
    before = R;
    CU_ASSERT_EQUAL(ptwr(w_lock_btrq_5, w_lock_btrq_5_end, E), EMUL_RETRY);
    CU_ASSERT_EQUAL(ptwr(w_xchg_cl, w_xchg_cl_end, E), EMUL_RETRY);
    CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
    CU_ASSERT_EQUAL(F.nwrites, 2);

    /* No write_pte at all. */
    reset();
    OPS.write_pte = NULL;
    R.gpr[EMUL_RDI] = E;
    CU_ASSERT_EQUAL(ptwr(w_mov_rdi, w_mov_rdi_end, E), EMUL_UNHANDLEABLE);
    CU_ASSERT_EQUAL(x86_emulate_ptwr(NULL, &R, E), EMUL_UNHANDLEABLE);
}

INSN(t_long, "lock cmpxchg %rcx,%gs:0x12345678(%rdi,%r12,8)");
INSN(t_long_imm, "lock andq $0x7ffffff0,%fs:0x12345678(%rdi,%r12,8)");

static void test_ptwr_truncated(void)
{
    const struct { const uint8_t *s, *e; } cases[] = {
        { t_long, t_long_end }, { t_long_imm, t_long_imm_end },
        { w_movl_hi, w_movl_hi_end }, { w_lock_btrq_5, w_lock_btrq_5_end },
        { w_mov_rip, w_mov_rip_end },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        unsigned int n = (unsigned int)(cases[i].e - cases[i].s);

        for (unsigned int k = 0; k < n; k++) {
            reset();
            R.gpr[EMUL_RDI] = E;
            F.code_end = CODE_VA + PAGE_SIZE;
            load_at(PAGE_SIZE - k, cases[i].s, k);
            CU_ASSERT_EQUAL(x86_emulate_ptwr(&OPS, &R, E), EMUL_UNHANDLEABLE);
            CU_ASSERT_EQUAL(F.nwrites, 0);
            CU_ASSERT_EQUAL(R.rip, CODE_VA + PAGE_SIZE - k);
            check_fetch_bounds(CODE_VA + PAGE_SIZE - k);
        }
    }

    /* The long one, split over two mapped pages at every point, works. */
    for (unsigned int k = 1; k < LEN(t_long); k++) {
        reset();
        R.gpr[EMUL_R12] = 3;
        R.gpr[EMUL_RDI] = E - GS_BASE - 0x12345678 - 3 * 8;
        R.gpr[EMUL_RAX] = OLD;
        load_at(PAGE_SIZE - k, t_long, LEN(t_long));
        CU_ASSERT_EQUAL(x86_emulate_ptwr(&OPS, &R, E), EMUL_OK);
        CU_ASSERT_EQUAL(F.fetch_calls, 2);
        check_fetch_bounds(CODE_VA + PAGE_SIZE - k);
        CU_ASSERT_EQUAL(F.w.va, E);
        CU_ASSERT_EQUAL(F.w.new, R.gpr[EMUL_RCX]);
        CU_ASSERT_EQUAL(R.rip, CODE_VA + PAGE_SIZE - k + LEN(t_long));
        CU_ASSERT_TRUE(R.rflags & EMUL_FLAG_ZF);
    }
}

static void test_ptwr_prefix_limit(void)
{
    uint8_t b[24];

    /* 12 segment prefixes + 48 89 07 = 15 bytes: accepted. */
    reset();
    R.gpr[EMUL_RDI] = E;
    memset(b, 0x2e, 12);
    memcpy(b + 12, "\x48\x89\x07", 3);
    load_at(0, b, 15);
    CU_ASSERT_EQUAL(x86_emulate_ptwr(&OPS, &R, E), EMUL_OK);
    CU_ASSERT_EQUAL(R.rip, CODE_VA + 15);
    check_fetch_bounds(CODE_VA);

    /* 13 prefixes: 16 bytes, refused; 15 and 21 prefixes likewise. */
    for (unsigned int n = 13; n <= 21; n += (n == 13 ? 2 : 6)) {
        reset();
        R.gpr[EMUL_RDI] = E;
        memset(b, n == 15 ? 0xf0 : 0x3e, n);
        memcpy(b + n, "\x48\x89\x07", 3);
        load_at(8, b, n + 3);
        CU_ASSERT_EQUAL(x86_emulate_ptwr(&OPS, &R, E), EMUL_UNHANDLEABLE);
        CU_ASSERT_EQUAL(F.nwrites, 0);
        check_fetch_bounds(CODE_VA + 8);
    }

    /* 15 REX prefixes. */
    reset();
    R.gpr[EMUL_RDI] = E;
    memset(b, 0x48, 16);
    b[16] = 0x89;
    b[17] = 0x07;
    load_at(0, b, 18);
    CU_ASSERT_EQUAL(x86_emulate_ptwr(&OPS, &R, E), EMUL_UNHANDLEABLE);
    check_fetch_bounds(CODE_VA);
}

/* ---------------- random bytes ---------------- */

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Bytes likely to matter: prefixes, our opcodes, ModRM-ish values. */
static uint8_t rnd_byte(void)
{
    static const uint8_t interesting[] = {
        0xf0, 0xf2, 0xf3, 0x66, 0x67, 0x2e, 0x3e, 0x64, 0x65, 0x40, 0x41, 0x44, 0x48, 0x4c,
        0x4f, 0x0f, 0x88, 0x89, 0xc6, 0xc7, 0x86, 0x87, 0x08, 0x09, 0x20, 0x21, 0x80, 0x81,
        0x83, 0xb0, 0xb1, 0xab, 0xb3, 0xba, 0x04, 0x05, 0x07, 0x24, 0x25, 0x44, 0x84, 0xcd,
        0xcc, 0x32, 0x30, 0xa2, 0x22, 0xe4, 0xec, 0xef, 0x0b, 0x78, 0x65, 0x6e, 0x01, 0xf9,
    };
    uint64_t r = rng();

    return (r & 3) ? interesting[(r >> 8) % sizeof(interesting)] : (uint8_t)(r >> 16);
}

static void test_random(void)
{
    unsigned int ok = 0;

    for (unsigned int iter = 0; iter < 200000; iter++) {
        uint8_t b[20];
        uint64_t off = (iter & 1) ? PAGE_SIZE - 1 - (rng() % 16) : rng() % 64;
        struct emul_regs before;
        enum emul_result res;
        uint64_t cr2;

        reset();
        if (iter & 2)
            F.code_end = CODE_VA + PAGE_SIZE;
        for (unsigned int i = 0; i < sizeof(b); i++)
            b[i] = rnd_byte();
        load_at(off, b, sizeof(b));
        for (unsigned int i = 0; i < 16; i++)
            R.gpr[i] = (rng() & 1) ? E - (rng() % 64) : rng() % 16;
        if (rng() & 1)
            R.gpr[EMUL_R12] = rng();
        R.rflags = rng() & 0xcd5;
        cr2 = E + (rng() % 16) - 8;
        before = R;

        switch (iter % 3) {
        case 0:
            res = x86_emulate_ptwr(&OPS, &R, cr2);
            CU_ASSERT_TRUE(res == EMUL_OK || res == EMUL_UNHANDLEABLE || res == EMUL_RETRY);
            CU_ASSERT_TRUE(F.nwrites <= 1);
            if (F.nwrites)
                CU_ASSERT_EQUAL(F.w.va, cr2 & ~7ULL);
            break;
        case 1: {
            uint8_t v;
            unsigned int len = 0;

            res = x86_emulate_priv(&OPS, &R, &v, &len);
            if (res != EMUL_UNHANDLEABLE)
                CU_ASSERT_TRUE(len >= 1 && len <= 15);
            break;
        }
        default:
            res = x86_emulate_ud(&OPS, &R);
            break;
        }
        if (res == EMUL_OK || res == EMUL_HALT) {
            ok++;
            CU_ASSERT_TRUE(R.rip > before.rip && R.rip <= before.rip + 15);
        } else {
            CU_ASSERT_EQUAL(memcmp(&before, &R, sizeof(R)), 0);
        }
        if (F.fetch_hi > before.rip + 15 || F.fetch_calls > 2) {
            CU_FAIL("fetch bounds");
            break;
        }
    }
    CU_ASSERT_TRUE(ok > 100);   /* the generator does reach the emulation paths */
}


/* ---------------- the host CPU as oracle ---------------- */

/*
 * Each ORACLE(name, text) assembles `text` twice: as bytes for the
 * emulator and inside name_hw(struct hw *), which runs it on the host with
 * rax/rcx/rdx/rflags from the struct and %rdi = &mem[1], then stores them
 * back. The emulated result must match the CPU's wherever the SDM defines
 * it. Operands only use rax, rcx, rdx and (%rdi).
 */
struct hw { uint64_t rax, rcx, rdx, rflags; uint64_t mem[3]; };

#define ORACLE(name, text)                                                   \
    INSN(name, text);                                                        \
    __asm__(".pushsection .text\n" #name "_hw:\n\t"                          \
            "push %rsi\n\tmov %rdi,%rsi\n\t"                                 \
            "mov 0(%rsi),%rax\n\tmov 8(%rsi),%rcx\n\tmov 16(%rsi),%rdx\n\t"  \
            "pushq 24(%rsi)\n\tpopfq\n\tlea 40(%rsi),%rdi\n\t"               \
            text "\n\t"                                                      \
            "pushfq\n\tpopq 24(%rsi)\n\t"                                    \
            "mov %rax,0(%rsi)\n\tmov %rcx,8(%rsi)\n\tmov %rdx,16(%rsi)\n\t"  \
            "pop %rsi\n\tret\n.popsection\n");                               \
    void name##_hw(struct hw *h)

ORACLE(o_mov64, "mov %rcx,(%rdi)");
ORACLE(o_mov32, "mov %ecx,4(%rdi)");
ORACLE(o_mov8, "mov %ch,3(%rdi)");
ORACLE(o_movimm, "movq $-0x7f,(%rdi)");
ORACLE(o_xchg64, "xchg %rcx,(%rdi)");
ORACLE(o_xchg32, "xchg %edx,(%rdi)");
ORACLE(o_xchg8, "xchg %dh,6(%rdi)");
ORACLE(o_cmpxchg64, "lock cmpxchg %rcx,(%rdi)");
ORACLE(o_cmpxchg32, "lock cmpxchg %ecx,4(%rdi)");
ORACLE(o_cmpxchg8, "lock cmpxchg %dl,5(%rdi)");
ORACLE(o_andq_i8, "lock andq $-3,(%rdi)");
ORACLE(o_andb_i8, "lock andb $-3,(%rdi)");
ORACLE(o_andl_i32, "lock andl $0x7ffff0ff,4(%rdi)");
ORACLE(o_and_reg, "lock and %rcx,(%rdi)");
ORACLE(o_and8_reg, "lock and %cl,7(%rdi)");
ORACLE(o_orq_i8, "lock orq $0x40,(%rdi)");
ORACLE(o_orb_i8, "lock orb $0x82,2(%rdi)");
ORACLE(o_orq_i32, "lock orq $-0x80000000,(%rdi)");
ORACLE(o_or_reg, "lock or %edx,(%rdi)");
ORACLE(o_btr_i, "lock btrq $5,(%rdi)");
ORACLE(o_bts_i, "lock btsq $63,(%rdi)");
ORACLE(o_btrl_i, "lock btrl $33,(%rdi)");
ORACLE(o_btr_r, "lock btr %rcx,(%rdi)");
ORACLE(o_bts_r, "lock bts %rcx,(%rdi)");
ORACLE(o_btsl_r, "lock bts %ecx,(%rdi)");

enum { F_NONE, F_LOGIC, F_CMP, F_BT };

struct oracle_case {
    const uint8_t *s, *e;
    void (*hw)(struct hw *);
    int cr2_off;        /* offset from &mem[1] of the access; 99: BT* by rcx */
    unsigned int bits;  /* operand bits for BT* by register */
    int flags;
};

/* Mostly PTE-shaped values, sometimes equal ones, sometimes anything. */
static uint64_t pte_like(void)
{
    uint64_t r = rng();

    switch (r & 3) {
    case 0: return r;
    case 1: return (r & 0x000ffffffffff000ULL) | (rng() & 0xfff) | ((r & 1) << 63);
    case 2: return rng() & 0xff;
    default: return 0;
    }
}

static void test_oracle(void)
{
    const struct oracle_case cases[] = {
        { o_mov64, o_mov64_end, o_mov64_hw, 0, 0, F_NONE },
        { o_mov32, o_mov32_end, o_mov32_hw, 4, 0, F_NONE },
        { o_mov8, o_mov8_end, o_mov8_hw, 3, 0, F_NONE },
        { o_movimm, o_movimm_end, o_movimm_hw, 0, 0, F_NONE },
        { o_xchg64, o_xchg64_end, o_xchg64_hw, 0, 0, F_NONE },
        { o_xchg32, o_xchg32_end, o_xchg32_hw, 0, 0, F_NONE },
        { o_xchg8, o_xchg8_end, o_xchg8_hw, 6, 0, F_NONE },
        { o_cmpxchg64, o_cmpxchg64_end, o_cmpxchg64_hw, 0, 0, F_CMP },
        { o_cmpxchg32, o_cmpxchg32_end, o_cmpxchg32_hw, 4, 0, F_CMP },
        { o_cmpxchg8, o_cmpxchg8_end, o_cmpxchg8_hw, 5, 0, F_CMP },
        { o_andq_i8, o_andq_i8_end, o_andq_i8_hw, 0, 0, F_LOGIC },
        { o_andb_i8, o_andb_i8_end, o_andb_i8_hw, 0, 0, F_LOGIC },
        { o_andl_i32, o_andl_i32_end, o_andl_i32_hw, 4, 0, F_LOGIC },
        { o_and_reg, o_and_reg_end, o_and_reg_hw, 0, 0, F_LOGIC },
        { o_and8_reg, o_and8_reg_end, o_and8_reg_hw, 7, 0, F_LOGIC },
        { o_orq_i8, o_orq_i8_end, o_orq_i8_hw, 0, 0, F_LOGIC },
        { o_orb_i8, o_orb_i8_end, o_orb_i8_hw, 2, 0, F_LOGIC },
        { o_orq_i32, o_orq_i32_end, o_orq_i32_hw, 0, 0, F_LOGIC },
        { o_or_reg, o_or_reg_end, o_or_reg_hw, 0, 0, F_LOGIC },
        { o_btr_i, o_btr_i_end, o_btr_i_hw, 0, 0, F_BT },
        { o_bts_i, o_bts_i_end, o_bts_i_hw, 0, 0, F_BT },
        { o_btrl_i, o_btrl_i_end, o_btrl_i_hw, 0, 0, F_BT },
        { o_btr_r, o_btr_r_end, o_btr_r_hw, 99, 64, F_BT },
        { o_bts_r, o_bts_r_end, o_bts_r_hw, 99, 64, F_BT },
        { o_btsl_r, o_btsl_r_end, o_btsl_r_hw, 99, 32, F_BT },
    };
    /* Flags the SDM defines for each kind (AND/OR leave AF undefined). */
    const uint64_t defined[] = {
        [F_NONE] = EMUL_FLAGS_ARITH,
        [F_LOGIC] = EMUL_FLAGS_ARITH & ~EMUL_FLAG_AF,
        [F_CMP] = EMUL_FLAGS_ARITH,
        [F_BT] = EMUL_FLAG_CF | EMUL_FLAG_ZF,
    };
    unsigned int mismatches = 0;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct oracle_case *c = &cases[i];

        for (unsigned int t = 0; t < 2000; t++) {
            struct hw h = {
                .rax = pte_like(), .rcx = pte_like(), .rdx = pte_like(),
                .rflags = 0x202 | (rng() & EMUL_FLAGS_ARITH),
                .mem = { pte_like(), pte_like(), pte_like() },
            };
            struct hw want;
            enum emul_result res;
            int64_t off = c->cr2_off;
            uint64_t mask = defined[c->flags];
            /* Flags the emulator may write; all others must keep their input value. */
            uint64_t touch = c->flags == F_NONE ? 0
                             : c->flags == F_BT ? EMUL_FLAG_CF : EMUL_FLAGS_ARITH;

            if (t & 1)      /* make CMPXCHG succeed half the time */
                h.rax = (t & 2) ? h.mem[1] : h.mem[1] >> 32;
            if (c->cr2_off == 99) {
                /* Bit offsets reaching the neighbouring entries only. */
                int64_t bo = (int64_t)(rng() % (3 * 64)) - 64;

                h.rcx = (c->bits == 32) ? (uint32_t)bo | (rng() << 32) : (uint64_t)bo;
                off = (c->bits == 64) ? 8 * (bo >> 6) : 4 * (bo >> 5);
            }
            want = h;
            c->hw(&want);

            reset();
            R.gpr[EMUL_RAX] = h.rax;
            R.gpr[EMUL_RCX] = h.rcx;
            R.gpr[EMUL_RDX] = h.rdx;
            R.gpr[EMUL_RDI] = E;
            R.rflags = h.rflags;
            F.pt[IDX - 1] = h.mem[0];
            F.pt[IDX] = h.mem[1];
            F.pt[IDX + 1] = h.mem[2];
            res = ptwr(c->s, c->e, E + (uint64_t)off);
            if (res != EMUL_OK || R.gpr[EMUL_RAX] != want.rax || R.gpr[EMUL_RCX] != want.rcx ||
                R.gpr[EMUL_RDX] != want.rdx || F.pt[IDX - 1] != want.mem[0] ||
                F.pt[IDX] != want.mem[1] || F.pt[IDX + 1] != want.mem[2] ||
                ((R.rflags ^ want.rflags) & mask) || ((R.rflags ^ h.rflags) & ~touch) ||
                R.rip != CODE_VA + (uint64_t)(c->e - c->s)) {
                if (mismatches++ < 5)
                    printf("\n  oracle case %zu: res %d rax %#llx/%#llx mem %#llx/%#llx "
                           "flags %#llx/%#llx\n", i, res,
                           (unsigned long long)R.gpr[EMUL_RAX], (unsigned long long)want.rax,
                           (unsigned long long)F.pt[IDX], (unsigned long long)want.mem[1],
                           (unsigned long long)R.rflags, (unsigned long long)want.rflags);
            }
        }
    }
    CU_ASSERT_EQUAL(mismatches, 0);
}

void unit_register(void)
{
    static const struct unit_case gp[] = {
        { "rdmsr/wrmsr", test_rdmsr_wrmsr },
        { "cpuid (faulting)", test_cpuid_gp },
        { "in/out forms", test_io },
        { "mov cr", test_mov_cr },
        { "clts, wbinvd, invd, hlt, rdtsc(p)", test_misc_priv },
        { "int n / int3 from the bytes", test_soft_int },
        { "not ours", test_priv_not_ours },
        { "truncated", test_priv_truncated },
        { "15-byte limit", test_priv_length_limit },
        { NULL, NULL },
    };
    static const struct unit_case ud[] = {
        { "forced-emulation cpuid", test_ud },
        { NULL, NULL },
    };
    static const struct unit_case pf[] = {
        { "mov addressing modes", test_ptwr_mov_modes },
        { "mov sizes and immediates", test_ptwr_mov_sizes },
        { "xchg", test_ptwr_xchg },
        { "cmpxchg", test_ptwr_cmpxchg },
        { "and/or", test_ptwr_and_or },
        { "bts/btr", test_ptwr_bt },
        { "linux 6.1 forms", test_ptwr_linux_forms },
        { "refused forms", test_ptwr_refused },
        { "callback failures", test_ptwr_failures },
        { "truncated", test_ptwr_truncated },
        { "prefix limit", test_ptwr_prefix_limit },
        { NULL, NULL },
    };
    static const struct unit_case rnd[] = {
        { "random bytes", test_random },
        { "host CPU as oracle", test_oracle },
        { NULL, NULL },
    };

    unit_add_suite("x86_emul #GP", gp);
    unit_add_suite("x86_emul #UD", ud);
    unit_add_suite("x86_emul ptwr", pf);
    unit_add_suite("x86_emul random", rnd);
}
