/* SPDX-License-Identifier: MIT */
/*
 * Decoder/emulator for the instructions a ring-3 PV guest kernel needs the
 * hypervisor to finish (contract in xeno/x86_emul.h). Encodings are from
 * the Intel SDM vol. 2 (chapter 2 for prefixes/ModRM/SIB, the instruction
 * pages for semantics and flags). Pure: every guest access is a callback.
 */
#include "xeno/x86_emul.h"
#include "xeno/errno.h"

/* SDM vol. 2 2.3.11: an instruction longer than 15 bytes raises #GP. */
#define MAX_INSN_LEN 15U

#define CR0_TS 0x8UL   /* SDM vol. 3 2.5: CR0 bit 3, cleared by CLTS */

/* ------------------------------------------------------------------ */
/* Instruction bytes                                                   */

struct insn {
    const struct emul_ops *ops;
    uint64_t rip;
    uint8_t buf[MAX_INSN_LEN];
    unsigned int have;   /* bytes fetched into buf */
    unsigned int pos;    /* bytes consumed by the decoder */
};

static void insn_init(struct insn *in, const struct emul_ops *ops, uint64_t rip)
{
    in->ops = ops;
    in->rip = rip;
    in->have = 0;
    in->pos = 0;
}

/*
 * Make buf[0, n) valid. Fetch whole rest-of-page chunks so the common case
 * is a single callback, but never cross into the next page unless the
 * instruction really continues there: that page may legitimately be
 * unmapped. The second chunk starts page-aligned and holds everything up
 * to the 15-byte limit, so two rounds always suffice.
 */
static int insn_need(struct insn *in, unsigned int n)
{
    if (n > MAX_INSN_LEN)
        return -EILSEQ;
    for (unsigned int round = 0; round < 2 && in->have < n; round++) {
        uint64_t va = in->rip + in->have;
        uint64_t to_page_end = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        unsigned int chunk = MAX_INSN_LEN - in->have;

        if (chunk > to_page_end)
            chunk = (unsigned int)to_page_end;
        if (in->ops->fetch(in->ops->ctx, va, in->buf + in->have, chunk))
            return -EFAULT;
        in->have += chunk;
    }
    return in->have >= n ? 0 : -EFAULT;
}

static int insn_u8(struct insn *in, uint8_t *b)
{
    int rc = insn_need(in, in->pos + 1);

    if (rc)
        return rc;
    *b = in->buf[in->pos++];
    return 0;
}

/* Little-endian immediate or displacement of 1, 2 or 4 bytes, zero-extended. */
static int insn_le(struct insn *in, unsigned int n, uint32_t *v)
{
    int rc = insn_need(in, in->pos + n);

    if (rc)
        return rc;
    *v = 0;
    for (unsigned int i = 0; i < n; i++)
        *v |= (uint32_t)in->buf[in->pos + i] << (8 * i);
    in->pos += n;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Prefixes (SDM vol. 2 2.1.1, 2.2.1)                                  */

#define REX_B 0x1
#define REX_X 0x2
#define REX_R 0x4
#define REX_W 0x8

struct prefixes {
    bool lock;      /* f0 */
    bool opsz;      /* 66 */
    bool adsz;      /* 67 */
    uint8_t rex;    /* 0x40..0x4f, or 0 */
    int seg;        /* EMUL_SEG_* of the last override, or -1 */
};

/*
 * Consume prefixes and return the first opcode byte. Each iteration eats
 * one byte and insn_need() refuses byte 16, so this ends. A REX prefix
 * only counts when it immediately precedes the opcode (SDM vol. 2 2.2.1):
 * any later legacy prefix cancels it, a later REX replaces it. F2/F3 are
 * accepted and ignored: on the instructions handled here they are either
 * meaningless REP or XACQUIRE/XRELEASE hints.
 */
static int decode_prefixes(struct insn *in, struct prefixes *p, uint8_t *opcode)
{
    *p = (struct prefixes){ .seg = -1 };
    for (;;) {
        uint8_t b;
        int rc = insn_u8(in, &b);

        if (rc)
            return rc;
        if ((b & 0xf0) == 0x40) {
            p->rex = b;
            continue;
        }
        switch (b) {
        case 0xf0: p->lock = true; break;
        case 0xf2: case 0xf3: break;
        case 0x66: p->opsz = true; break;
        case 0x67: p->adsz = true; break;
        case 0x26: p->seg = EMUL_SEG_ES; break;
        case 0x2e: p->seg = EMUL_SEG_CS; break;
        case 0x36: p->seg = EMUL_SEG_SS; break;
        case 0x3e: p->seg = EMUL_SEG_DS; break;
        case 0x64: p->seg = EMUL_SEG_FS; break;
        case 0x65: p->seg = EMUL_SEG_GS; break;
        default:
            *opcode = b;
            return 0;
        }
        p->rex = 0;
    }
}

/* ------------------------------------------------------------------ */
/* Registers                                                           */

static uint64_t size_mask(unsigned int bytes)
{
    return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

/*
 * Without any REX prefix byte registers 4-7 are AH, CH, DH, BH (bits 15:8
 * of registers 0-3); with one they are SPL, BPL, SIL, DIL (SDM vol. 2
 * 3.1.1.1, table 3-1 note).
 */
static uint64_t reg_read(const struct emul_regs *r, unsigned int n, unsigned int bytes,
                         bool rex)
{
    if (bytes == 1 && !rex && n >= 4 && n < 8)
        return (r->gpr[n - 4] >> 8) & 0xff;
    return r->gpr[n] & size_mask(bytes);
}

/* 32-bit results zero-extend into the 64-bit register, 8/16-bit ones merge (SDM vol. 1 3.4.1.1). */
static void reg_write(struct emul_regs *r, unsigned int n, unsigned int bytes, bool rex,
                      uint64_t v)
{
    if (bytes == 1 && !rex && n >= 4 && n < 8)
        r->gpr[n - 4] = (r->gpr[n - 4] & ~0xff00ULL) | ((v & 0xff) << 8);
    else if (bytes == 4)
        r->gpr[n] = (uint32_t)v;
    else
        r->gpr[n] = (r->gpr[n] & ~size_mask(bytes)) | (v & size_mask(bytes));
}

/* ------------------------------------------------------------------ */
/* Flags (SDM vol. 1 3.4.3.1)                                          */

static bool parity_even(uint8_t b)
{
    b ^= b >> 4;
    b ^= b >> 2;
    b ^= b >> 1;
    return !(b & 1);
}

static uint64_t flags_szp(uint64_t res, unsigned int bytes)
{
    uint64_t f = 0;

    if (!(res & size_mask(bytes)))
        f |= EMUL_FLAG_ZF;
    if (res >> (8 * bytes - 1) & 1)
        f |= EMUL_FLAG_SF;
    if (parity_even((uint8_t)res))
        f |= EMUL_FLAG_PF;
    return f;
}

/* Flags of CMP a, b (a - b), as CMPXCHG sets them. */
static uint64_t flags_sub(uint64_t a, uint64_t b, unsigned int bytes)
{
    uint64_t m = size_mask(bytes), res = (a - b) & m, f;
    unsigned int top = 8 * bytes - 1;

    a &= m;
    b &= m;
    f = flags_szp(res, bytes);
    if (a < b)
        f |= EMUL_FLAG_CF;
    if (((a ^ b) & (a ^ res)) >> top & 1)
        f |= EMUL_FLAG_OF;
    if ((a ^ b ^ res) & 0x10)
        f |= EMUL_FLAG_AF;
    return f;
}

static void set_flags(struct emul_regs *r, uint64_t which, uint64_t val)
{
    r->rflags = (r->rflags & ~which) | (val & which);
}

/* ------------------------------------------------------------------ */
/* #GP: privileged instructions                                        */

enum priv_op {
    PRIV_NONE, PRIV_INT, PRIV_INTO, PRIV_HLT, PRIV_IN, PRIV_OUT, PRIV_RDMSR, PRIV_WRMSR,
    PRIV_CPUID, PRIV_MOV_FROM_CR, PRIV_MOV_TO_CR, PRIV_CLTS, PRIV_WBINVD, PRIV_RDTSC,
    PRIV_RDTSCP,
};

struct priv_insn {
    enum priv_op op;
    uint8_t imm;            /* INT vector, IN/OUT port */
    bool port_imm;          /* IN/OUT port from imm rather than DX */
    unsigned int bytes;     /* IN/OUT width */
    unsigned int cr, gpr;   /* MOV CR operands */
};

static enum emul_result cb_error(int rc)
{
    return rc == -EAGAIN ? EMUL_RETRY : EMUL_INJECT_GP;
}

/* Decode the bytes after the prefixes; op stays PRIV_NONE if not ours. */
static int decode_priv(struct insn *in, const struct prefixes *p, uint8_t b,
                       struct priv_insn *d)
{
    int rc = 0;

    *d = (struct priv_insn){ .op = PRIV_NONE };
    switch (b) {
    case 0xcd:                                  /* INT imm8 */
        d->op = PRIV_INT;
        return insn_u8(in, &d->imm);
    case 0xcc:                                  /* INT3 */
        d->op = PRIV_INT;
        d->imm = 3;
        return 0;
    case 0xce: d->op = PRIV_INTO; return 0;
    case 0xf4: d->op = PRIV_HLT; return 0;
    case 0xe4: case 0xe5: case 0xec: case 0xed:
    case 0xe6: case 0xe7: case 0xee: case 0xef:
        /* Bit 0: byte vs word/dword; bit 1: OUT; bit 3: port in DX. REX.W is ignored. */
        d->op = (b & 2) ? PRIV_OUT : PRIV_IN;
        d->bytes = !(b & 1) ? 1 : p->opsz ? 2 : 4;
        d->port_imm = !(b & 8);
        return d->port_imm ? insn_u8(in, &d->imm) : 0;
    case 0x0f:
        break;
    default:
        return 0;
    }

    if ((rc = insn_u8(in, &b)))
        return rc;
    switch (b) {
    case 0x32: d->op = PRIV_RDMSR; break;
    case 0x30: d->op = PRIV_WRMSR; break;
    case 0xa2: d->op = PRIV_CPUID; break;
    case 0x06: d->op = PRIV_CLTS; break;
    case 0x08: case 0x09: d->op = PRIV_WBINVD; break;   /* INVD, WBINVD */
    case 0x31: d->op = PRIV_RDTSC; break;
    case 0x01: {
        uint8_t m;

        if ((rc = insn_u8(in, &m)))
            return rc;
        if (m == 0xf9)
            d->op = PRIV_RDTSCP;
        break;
    }
    case 0x20: case 0x22: {
        /*
         * MOV CR: operand size is fixed at 64 bits, the mod field is
         * ignored (always a register), REX.R reaches CR8 (SDM vol. 2
         * "MOV - Move to/from Control Registers").
         */
        uint8_t modrm;

        if ((rc = insn_u8(in, &modrm)))
            return rc;
        d->op = b == 0x20 ? PRIV_MOV_FROM_CR : PRIV_MOV_TO_CR;
        d->cr = ((modrm >> 3) & 7) | ((p->rex & REX_R) ? 8 : 0);
        d->gpr = (modrm & 7) | ((p->rex & REX_B) ? 8 : 0);
        break;
    }
    default:
        break;
    }
    return 0;
}

static enum emul_result do_cpuid(const struct emul_ops *ops, struct emul_regs *r)
{
    uint32_t out[4];
    int rc;

    if (!ops->cpuid)
        return EMUL_UNHANDLEABLE;
    rc = ops->cpuid(ops->ctx, (uint32_t)r->gpr[EMUL_RAX], (uint32_t)r->gpr[EMUL_RCX], out);
    if (rc)
        return cb_error(rc);
    r->gpr[EMUL_RAX] = out[0];
    r->gpr[EMUL_RBX] = out[1];
    r->gpr[EMUL_RCX] = out[2];
    r->gpr[EMUL_RDX] = out[3];
    return EMUL_OK;
}

static enum emul_result do_rdmsr(const struct emul_ops *ops, uint32_t msr, uint64_t *val)
{
    int rc;

    if (!ops->rdmsr)
        return EMUL_UNHANDLEABLE;
    rc = ops->rdmsr(ops->ctx, msr, val);
    return rc ? cb_error(rc) : EMUL_OK;
}

/* WRMSR writes EDX:EAX to MSR ECX (upper halves ignored). */
static enum emul_result do_wrmsr(const struct emul_ops *ops, const struct emul_regs *r)
{
    uint64_t v = (r->gpr[EMUL_RDX] << 32) | (uint32_t)r->gpr[EMUL_RAX];
    int rc;

    if (!ops->wrmsr)
        return EMUL_UNHANDLEABLE;
    rc = ops->wrmsr(ops->ctx, (uint32_t)r->gpr[EMUL_RCX], v);
    return rc ? cb_error(rc) : EMUL_OK;
}

/* RDMSR/RDTSC results land in EDX:EAX, zero-extended. */
static void set_edx_eax(struct emul_regs *r, uint64_t v)
{
    r->gpr[EMUL_RAX] = (uint32_t)v;
    r->gpr[EMUL_RDX] = v >> 32;
}

static enum emul_result do_io(const struct emul_ops *ops, struct emul_regs *r,
                              const struct priv_insn *d)
{
    uint16_t port = d->port_imm ? d->imm : (uint16_t)r->gpr[EMUL_RDX];
    uint32_t v;
    int rc;

    if (d->op == PRIV_OUT) {
        if (!ops->io_out)
            return EMUL_UNHANDLEABLE;
        rc = ops->io_out(ops->ctx, port, d->bytes,
                         (uint32_t)(r->gpr[EMUL_RAX] & size_mask(d->bytes)));
        return rc ? cb_error(rc) : EMUL_OK;
    }
    if (!ops->io_in)
        return EMUL_UNHANDLEABLE;
    if ((rc = ops->io_in(ops->ctx, port, d->bytes, &v)))
        return cb_error(rc);
    reg_write(r, EMUL_RAX, d->bytes, false, v);
    return EMUL_OK;
}

static enum emul_result do_cr(const struct emul_ops *ops, struct emul_regs *r,
                              const struct priv_insn *d)
{
    uint64_t v;
    int rc;

    /* SDM: CR1, CR5-CR7 and CR9-CR15 are reserved, #UD. */
    if (d->cr != 0 && d->cr != 2 && d->cr != 3 && d->cr != 4 && d->cr != 8)
        return EMUL_INJECT_UD;
    if (d->op == PRIV_MOV_TO_CR) {
        if (!ops->write_cr)
            return EMUL_UNHANDLEABLE;
        rc = ops->write_cr(ops->ctx, (int)d->cr, r->gpr[d->gpr]);
        return rc ? cb_error(rc) : EMUL_OK;
    }
    if (!ops->read_cr)
        return EMUL_UNHANDLEABLE;
    if ((rc = ops->read_cr(ops->ctx, (int)d->cr, &v)))
        return cb_error(rc);
    r->gpr[d->gpr] = v;
    return EMUL_OK;
}

static enum emul_result do_clts(const struct emul_ops *ops)
{
    uint64_t cr0;
    int rc;

    if (!ops->read_cr || !ops->write_cr)
        return EMUL_UNHANDLEABLE;
    if ((rc = ops->read_cr(ops->ctx, 0, &cr0)))
        return cb_error(rc);
    if ((rc = ops->write_cr(ops->ctx, 0, cr0 & ~CR0_TS)))
        return cb_error(rc);
    return EMUL_OK;
}

static enum emul_result exec_priv(const struct emul_ops *ops, struct emul_regs *r,
                                  const struct priv_insn *d)
{
    enum emul_result res;
    uint64_t v;

    switch (d->op) {
    case PRIV_INTO:
        return EMUL_INJECT_UD;          /* SDM: INTO is invalid in 64-bit mode */
    case PRIV_HLT:
        return EMUL_HALT;
    case PRIV_IN: case PRIV_OUT:
        return do_io(ops, r, d);
    case PRIV_RDMSR:
        if ((res = do_rdmsr(ops, (uint32_t)r->gpr[EMUL_RCX], &v)) == EMUL_OK)
            set_edx_eax(r, v);
        return res;
    case PRIV_WRMSR:
        return do_wrmsr(ops, r);
    case PRIV_CPUID:
        return do_cpuid(ops, r);
    case PRIV_MOV_FROM_CR: case PRIV_MOV_TO_CR:
        return do_cr(ops, r, d);
    case PRIV_CLTS:
        return do_clts(ops);
    case PRIV_WBINVD:
        /* A PV guest has no business flushing the host's caches: no-op. */
        return EMUL_OK;
    case PRIV_RDTSC:
        if ((res = do_rdmsr(ops, EMUL_MSR_TSC, &v)) == EMUL_OK)
            set_edx_eax(r, v);
        return res;
    case PRIV_RDTSCP: {
        uint64_t aux;

        if ((res = do_rdmsr(ops, EMUL_MSR_TSC, &v)) != EMUL_OK)
            return res;
        if ((res = do_rdmsr(ops, EMUL_MSR_TSC_AUX, &aux)) != EMUL_OK)
            return res;
        set_edx_eax(r, v);
        r->gpr[EMUL_RCX] = (uint32_t)aux;
        return EMUL_OK;
    }
    default:
        return EMUL_UNHANDLEABLE;
    }
}

enum emul_result x86_emulate_priv(const struct emul_ops *ops, struct emul_regs *regs,
                                  uint8_t *soft_int_vector, unsigned int *insn_len)
{
    struct insn in;
    struct prefixes p;
    struct priv_insn d;
    struct emul_regs r;
    enum emul_result res;
    uint8_t b;

    if (!ops || !ops->fetch || !regs)
        return EMUL_UNHANDLEABLE;
    insn_init(&in, ops, regs->rip);
    if (decode_prefixes(&in, &p, &b) || decode_priv(&in, &p, b, &d) || d.op == PRIV_NONE)
        return EMUL_UNHANDLEABLE;
    if (insn_len)
        *insn_len = in.pos;
    /* SDM vol. 2 "LOCK": #UD on any instruction not in the lockable list. */
    if (p.lock)
        return EMUL_INJECT_UD;
    if (d.op == PRIV_INT) {
        if (soft_int_vector)
            *soft_int_vector = d.imm;
        return EMUL_SOFT_INT;
    }

    r = *regs;
    res = exec_priv(ops, &r, &d);
    if (res == EMUL_OK || res == EMUL_HALT) {
        r.rip += in.pos;
        *regs = r;
    }
    return res;
}

/* ------------------------------------------------------------------ */
/* #UD: forced-emulation prefix                                        */

enum emul_result x86_emulate_ud(const struct emul_ops *ops, struct emul_regs *regs)
{
    /* ud2; .ascii "xen"; cpuid (Linux arch/x86/include/asm/xen/interface.h). */
    static const uint8_t seq[7] = { 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2 };
    struct insn in;
    struct emul_regs r;
    enum emul_result res;

    if (!ops || !ops->fetch || !regs)
        return EMUL_UNHANDLEABLE;
    insn_init(&in, ops, regs->rip);
    if (insn_need(&in, sizeof(seq)))
        return EMUL_UNHANDLEABLE;
    for (unsigned int i = 0; i < sizeof(seq); i++)
        if (in.buf[i] != seq[i])
            return EMUL_UNHANDLEABLE;

    r = *regs;
    res = do_cpuid(ops, &r);
    if (res == EMUL_OK) {
        r.rip += sizeof(seq);
        *regs = r;
    }
    return res;
}

/* ------------------------------------------------------------------ */
/* #PF: writes to read-only L1 page-table pages                        */

enum pt_op { PT_NONE, PT_MOV, PT_XCHG, PT_CMPXCHG, PT_AND, PT_OR, PT_BTS, PT_BTR };
enum pt_src { SRC_REG, SRC_IMM8, SRC_IMM32 };

struct pt_insn {
    enum pt_op op;
    enum pt_src src;
    unsigned int bytes;     /* operand size: 1, 4 or 8 */
    bool byte_op;
    uint8_t modrm;
    unsigned int reg;       /* ModRM.reg with REX.R */
    uint64_t imm;           /* sign-extended to 64 bits, except BT* bit numbers */
    /* memory operand */
    int base, index;        /* GPR numbers or -1 */
    unsigned int scale;
    uint64_t disp;          /* sign-extended */
    bool riprel;
};

/* Opcode (with ModRM.reg for group opcodes) -> operation. */
static void classify_pt(uint8_t b0, uint8_t b1, unsigned int modrm_reg, struct pt_insn *d)
{
    static const struct { uint8_t op0, op1; int reg; enum pt_op op; enum pt_src src; bool byte; }
    forms[] = {
        { 0x88, 0, -1, PT_MOV, SRC_REG, true },
        { 0x89, 0, -1, PT_MOV, SRC_REG, false },
        { 0xc6, 0, 0, PT_MOV, SRC_IMM8, true },
        { 0xc7, 0, 0, PT_MOV, SRC_IMM32, false },
        { 0x86, 0, -1, PT_XCHG, SRC_REG, true },
        { 0x87, 0, -1, PT_XCHG, SRC_REG, false },
        { 0x08, 0, -1, PT_OR, SRC_REG, true },
        { 0x09, 0, -1, PT_OR, SRC_REG, false },
        { 0x20, 0, -1, PT_AND, SRC_REG, true },
        { 0x21, 0, -1, PT_AND, SRC_REG, false },
        { 0x80, 0, 1, PT_OR, SRC_IMM8, true },
        { 0x80, 0, 4, PT_AND, SRC_IMM8, true },
        { 0x81, 0, 1, PT_OR, SRC_IMM32, false },
        { 0x81, 0, 4, PT_AND, SRC_IMM32, false },
        { 0x83, 0, 1, PT_OR, SRC_IMM8, false },
        { 0x83, 0, 4, PT_AND, SRC_IMM8, false },
        { 0x0f, 0xb0, -1, PT_CMPXCHG, SRC_REG, true },
        { 0x0f, 0xb1, -1, PT_CMPXCHG, SRC_REG, false },
        { 0x0f, 0xab, -1, PT_BTS, SRC_REG, false },
        { 0x0f, 0xb3, -1, PT_BTR, SRC_REG, false },
        { 0x0f, 0xba, 5, PT_BTS, SRC_IMM8, false },
        { 0x0f, 0xba, 6, PT_BTR, SRC_IMM8, false },
    };

    d->op = PT_NONE;
    for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
        if (forms[i].op0 != b0 || forms[i].op1 != b1 ||
            (forms[i].reg >= 0 && (unsigned int)forms[i].reg != modrm_reg))
            continue;
        d->op = forms[i].op;
        d->src = forms[i].src;
        d->byte_op = forms[i].byte;
        return;
    }
}

/*
 * ModRM memory operand, 64-bit addressing (SDM vol. 2 2.2.1.3, tables 2-2,
 * 2-3, 2-5). rm=100 always means SIB and mod=00 rm=101 always RIP-relative,
 * whatever REX.B says; SIB index 100 without REX.X means no index; SIB
 * base 101 with mod=00 means disp32 and no base.
 */
static int decode_mem(struct insn *in, uint8_t rex, struct pt_insn *d)
{
    unsigned int mod = d->modrm >> 6, rm = d->modrm & 7;
    uint32_t disp = 0;
    int rc = 0;

    d->base = d->index = -1;
    d->scale = 0;
    d->riprel = false;
    if (rm == 4) {
        uint8_t sib;
        unsigned int idx;

        if ((rc = insn_u8(in, &sib)))
            return rc;
        d->scale = sib >> 6;
        idx = ((sib >> 3) & 7) | ((rex & REX_X) ? 8 : 0);
        if (idx != 4)
            d->index = (int)idx;
        if ((sib & 7) == 5 && mod == 0)
            mod = 2;        /* disp32, no base; same length as mod=10 */
        else
            d->base = (int)((sib & 7) | ((rex & REX_B) ? 8 : 0));
    } else if (mod == 0 && rm == 5) {
        d->riprel = true;
        mod = 2;
    } else {
        d->base = (int)(rm | ((rex & REX_B) ? 8 : 0));
    }

    if (mod == 1) {
        rc = insn_le(in, 1, &disp);
        d->disp = (uint64_t)(int64_t)(int8_t)disp;
    } else if (mod == 2) {
        rc = insn_le(in, 4, &disp);
        d->disp = (uint64_t)(int64_t)(int32_t)disp;
    } else {
        d->disp = 0;
    }
    return rc;
}

/* Decode from the opcode on. Returns -errno or 0 with d->op == PT_NONE if not ours. */
static int decode_pt(struct insn *in, const struct prefixes *p, uint8_t b0, struct pt_insn *d)
{
    uint8_t b1 = 0;
    uint32_t imm;
    int rc;

    if (b0 == 0x0f && (rc = insn_u8(in, &b1)))
        return rc;
    if ((rc = insn_u8(in, &d->modrm)))
        return rc;
    classify_pt(b0, b1, (d->modrm >> 3) & 7, d);
    /* mod=11 is a register destination: no memory write to emulate. */
    if (d->op == PT_NONE || (d->modrm >> 6) == 3)
        goto not_ours;
    d->reg = ((d->modrm >> 3) & 7) | ((p->rex & REX_R) ? 8 : 0);
    d->bytes = d->byte_op ? 1 : (p->rex & REX_W) ? 8 : p->opsz ? 2 : 4;
    /* Policy: a 16-bit write to a PTE is never what a kernel means. */
    if (d->bytes == 2)
        goto not_ours;
    /* SDM vol. 2 "LOCK": MOV is not lockable (#UD on hardware). */
    if (p->lock && d->op == PT_MOV)
        goto not_ours;
    if ((rc = decode_mem(in, p->rex, d)))
        return rc;

    d->imm = 0;
    if (d->src == SRC_IMM8) {
        if ((rc = insn_le(in, 1, &imm)))
            return rc;
        /* BT* imm8 is a bit number; the ALU/MOV forms sign-extend it. */
        d->imm = (d->op == PT_BTS || d->op == PT_BTR) ? imm
                                                       : (uint64_t)(int64_t)(int8_t)imm;
    } else if (d->src == SRC_IMM32) {
        if ((rc = insn_le(in, 4, &imm)))
            return rc;
        d->imm = (uint64_t)(int64_t)(int32_t)imm;
    }
    return 0;

not_ours:
    d->op = PT_NONE;
    return 0;
}

/*
 * Linear address of the accessed operand. For BTS/BTR with a register bit
 * offset the offset is signed and selects the operand-sized unit at
 * EA + operand_size * (offset SAR log2(operand bits)) (SDM vol. 2 "BT");
 * *bit receives the bit number inside that unit.
 */
static enum emul_result pt_address(const struct emul_ops *ops, const struct emul_regs *r,
                                   const struct prefixes *p, const struct pt_insn *d,
                                   uint64_t next_rip, uint64_t *addr, unsigned int *bit)
{
    unsigned int bits = 8 * d->bytes;
    uint64_t a = d->disp;

    if (d->riprel)
        a += next_rip;
    if (d->base >= 0)
        a += r->gpr[d->base];
    if (d->index >= 0)
        a += r->gpr[d->index] << d->scale;

    *bit = 0;
    if (d->op == PT_BTS || d->op == PT_BTR) {
        if (d->src == SRC_IMM8) {
            *bit = d->imm & (bits - 1);
        } else {
            int64_t off = d->bytes == 8 ? (int64_t)r->gpr[d->reg] : (int32_t)r->gpr[d->reg];

            *bit = (unsigned int)(off & (bits - 1));
            a += (uint64_t)((off >> (bits == 64 ? 6 : 5)) * (int64_t)d->bytes);
        }
    }
    /* 67: the effective address is computed, and wraps, in 32 bits. */
    if (p->adsz)
        a = (uint32_t)a;
    /* 64-bit mode: only FS and GS overrides add a base (SDM vol. 1 3.4.2.1). */
    if (p->seg == EMUL_SEG_FS || p->seg == EMUL_SEG_GS) {
        if (!ops->get_seg_base)
            return EMUL_UNHANDLEABLE;
        a += ops->get_seg_base(ops->ctx, (enum emul_seg)p->seg);
    }
    *addr = a;
    return EMUL_OK;
}

static enum emul_result pte_write_result(int rc)
{
    if (rc == -EAGAIN)
        return EMUL_RETRY;
    return rc ? EMUL_UNHANDLEABLE : EMUL_OK;
}

/* Whole-entry MOV, XCHG and CMPXCHG map directly onto one write_pte call. */
static enum emul_result pt_exec_full(const struct emul_ops *ops, struct emul_regs *r,
                                     const struct pt_insn *d, uint64_t va, uint64_t src,
                                     bool rex)
{
    uint64_t old = 0, acc = r->gpr[EMUL_RAX];
    int rc;

    switch (d->op) {
    case PT_MOV:
        return pte_write_result(ops->write_pte(ops->ctx, va, 0, src, false, NULL));
    case PT_XCHG:
        rc = ops->write_pte(ops->ctx, va, 0, src, false, &old);
        if (rc)
            return pte_write_result(rc);
        reg_write(r, d->reg, 8, rex, old);
        return EMUL_OK;
    default: /* PT_CMPXCHG */
        rc = ops->write_pte(ops->ctx, va, acc, src, true, &old);
        if (rc == 0) {
            set_flags(r, EMUL_FLAGS_ARITH, flags_sub(acc, acc, 8));
            return EMUL_OK;
        }
        /* A mismatch must show a different value, else try again later. */
        if (rc != -EAGAIN || old == acc)
            return pte_write_result(rc);
        set_flags(r, EMUL_FLAGS_ARITH, flags_sub(acc, old, 8));
        r->gpr[EMUL_RAX] = old;
        return EMUL_OK;
    }
}

/*
 * Everything else reads the entry, computes the new operand and installs
 * the merged entry with cmpxchg, so a concurrent change of any of its
 * bytes (another vCPU, a hardware A/D update) is never overwritten.
 */
static enum emul_result pt_exec_rmw(const struct emul_ops *ops, struct emul_regs *r,
                                    const struct pt_insn *d, uint64_t va, unsigned int shift,
                                    uint64_t src, unsigned int bit, bool rex)
{
    uint64_t m = size_mask(d->bytes), cur, field, nf, acc;

    if (!ops->read || ops->read(ops->ctx, va, &cur, sizeof(cur)))
        return EMUL_UNHANDLEABLE;
    field = (cur >> shift) & m;
    src &= m;

    switch (d->op) {
    case PT_MOV:
        nf = src;
        break;
    case PT_XCHG:
        nf = src;
        reg_write(r, d->reg, d->bytes, rex, field);
        break;
    case PT_CMPXCHG:
        acc = r->gpr[EMUL_RAX] & m;
        set_flags(r, EMUL_FLAGS_ARITH, flags_sub(acc, field, d->bytes));
        if (acc != field) {
            reg_write(r, EMUL_RAX, d->bytes, rex, field);
            return EMUL_OK;
        }
        nf = src;
        break;
    case PT_AND:
    case PT_OR:
        nf = d->op == PT_AND ? (field & src) : (field | src);
        set_flags(r, EMUL_FLAGS_ARITH, flags_szp(nf, d->bytes));
        break;
    default: /* PT_BTS, PT_BTR */
        set_flags(r, EMUL_FLAG_CF, (field >> bit) & 1 ? EMUL_FLAG_CF : 0);
        nf = d->op == PT_BTS ? (field | (1ULL << bit)) : (field & ~(1ULL << bit));
        break;
    }

    nf = (cur & ~(m << shift)) | (nf << shift);
    if (nf == cur)
        return EMUL_OK;     /* nothing changes: no entry to validate */
    return pte_write_result(ops->write_pte(ops->ctx, va, cur, nf, true, NULL));
}

enum emul_result x86_emulate_ptwr(const struct emul_ops *ops, struct emul_regs *regs,
                                  uint64_t cr2)
{
    struct insn in;
    struct prefixes p;
    struct pt_insn d;
    struct emul_regs r;
    enum emul_result res;
    uint64_t addr, src;
    unsigned int bit;
    bool rex;
    uint8_t b;

    if (!ops || !ops->fetch || !ops->write_pte || !regs)
        return EMUL_UNHANDLEABLE;
    insn_init(&in, ops, regs->rip);
    if (decode_prefixes(&in, &p, &b) || decode_pt(&in, &p, b, &d) || d.op == PT_NONE)
        return EMUL_UNHANDLEABLE;

    r = *regs;
    rex = p.rex != 0;
    res = pt_address(ops, &r, &p, &d, r.rip + in.pos, &addr, &bit);
    if (res != EMUL_OK)
        return res;
    /*
     * The access must be naturally aligned (so it lies inside one entry and
     * is atomic on hardware) and must be the one that faulted: cr2 is the
     * address of one of its bytes. Anything else is not this fault's write.
     */
    if ((addr & (d.bytes - 1)) || cr2 - addr >= d.bytes)
        return EMUL_UNHANDLEABLE;

    src = d.src == SRC_REG ? reg_read(&r, d.reg, d.bytes, rex) : d.imm;
    if (d.bytes == 8 && (d.op == PT_MOV || d.op == PT_XCHG || d.op == PT_CMPXCHG))
        res = pt_exec_full(ops, &r, &d, addr, src, rex);
    else
        res = pt_exec_rmw(ops, &r, &d, addr & ~7ULL, (unsigned int)(addr & 7) * 8, src, bit,
                          rex);
    if (res == EMUL_OK) {
        r.rip += in.pos;
        *regs = r;
    }
    return res;
}
