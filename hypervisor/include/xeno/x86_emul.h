/* SPDX-License-Identifier: MIT */
#ifndef XENO_X86_EMUL_H
#define XENO_X86_EMUL_H

/*
 * A small x86-64 instruction decoder/emulator for the three places a 64-bit
 * PV guest kernel (which runs in ring 3) needs the hypervisor to finish an
 * instruction for it:
 *
 *   x86_emulate_priv  #GP: privileged instructions (RDMSR, WRMSR, CPUID,
 *                     IN/OUT, MOV CR, CLTS, WBINVD/INVD, HLT, RDTSC/RDTSCP)
 *                     and software interrupts (INT n, INT3) aimed at gates
 *                     the guest may not use directly;
 *   x86_emulate_ud    #UD: Xen's forced-emulation prefix before CPUID;
 *   x86_emulate_ptwr  #PF: a write to an L1 page-table page the guest has
 *                     mapped read-only (VMASST_TYPE_writable_pagetables).
 *
 * Pure: no hardware access. Guest memory, guest-visible machine state and
 * every policy decision (which MSRs, ports and CRs the guest may touch,
 * whether a new PTE is acceptable) go through struct emul_ops, so the code
 * is compiled both into the hypervisor and hosted for unit tests.
 *
 * Only 64-bit code is decoded (CS.L=1): a 64-bit PV kernel never runs
 * anything else in ring 3 on the paths that reach here.
 *
 * Guarantees, whatever the guest's memory holds: at most 15 bytes are ever
 * fetched from regs->rip (the architectural instruction-length limit, SDM
 * vol. 2 2.3.11); at most two fetch calls are made (one per page the
 * instruction touches); every callback error is handled; nothing loops on
 * guest data. On any result other than EMUL_OK and EMUL_HALT *regs is left
 * untouched.
 */

#include "xeno/types.h"

/* General-purpose registers in hardware encoding order (ModRM/REX numbering). */
enum {
    EMUL_RAX, EMUL_RCX, EMUL_RDX, EMUL_RBX, EMUL_RSP, EMUL_RBP, EMUL_RSI, EMUL_RDI,
    EMUL_R8, EMUL_R9, EMUL_R10, EMUL_R11, EMUL_R12, EMUL_R13, EMUL_R14, EMUL_R15,
};

struct emul_regs {
    uint64_t gpr[16];   /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
    uint64_t rip, rflags;
};

/* RFLAGS bits the emulator computes (SDM vol. 1 3.4.3). */
#define EMUL_FLAG_CF 0x0001UL
#define EMUL_FLAG_PF 0x0004UL
#define EMUL_FLAG_AF 0x0010UL
#define EMUL_FLAG_ZF 0x0040UL
#define EMUL_FLAG_SF 0x0080UL
#define EMUL_FLAG_OF 0x0800UL
#define EMUL_FLAGS_ARITH (EMUL_FLAG_CF | EMUL_FLAG_PF | EMUL_FLAG_AF | \
                          EMUL_FLAG_ZF | EMUL_FLAG_SF | EMUL_FLAG_OF)

/* Segment registers in hardware (Sreg) encoding order. */
enum emul_seg { EMUL_SEG_ES, EMUL_SEG_CS, EMUL_SEG_SS, EMUL_SEG_DS, EMUL_SEG_FS, EMUL_SEG_GS };

/* MSRs used to emulate RDTSC/RDTSCP (SDM vol. 4 table 2-2). */
#define EMUL_MSR_TSC     0x00000010U
#define EMUL_MSR_TSC_AUX 0xc0000103U

/*
 * Callbacks. Each returns 0 or a negative errno; ctx is passed through.
 * Any callback may be NULL: an instruction that needs a missing one is
 * EMUL_UNHANDLEABLE.
 *
 * For cpuid, rdmsr, wrmsr, io_in, io_out, read_cr and write_cr:
 * -EAGAIN means "not now" (EMUL_RETRY), any other error means the guest
 * gets #GP (EMUL_INJECT_GP; -EPERM is the expected one). They decide
 * policy, including guest-kernel versus guest-user mode.
 */
struct emul_ops {
    /* Copy n instruction bytes at linear address va (guest's view). -EFAULT. */
    int (*fetch)(void *ctx, uint64_t va, void *buf, size_t n);
    /*
     * Read guest memory; the ptwr path reads only a whole aligned 8-byte
     * PTE, which must be one single load so it is consistent.
     */
    int (*read)(void *ctx, uint64_t va, void *buf, size_t n);
    /*
     * Replace the 8-byte-aligned L1 entry the guest maps at va with new.
     * cmpxchg=false: unconditional (atomic exchange), old is 0 and unused.
     * cmpxchg=true: only if the entry still equals old; else -EAGAIN.
     * If actual is non-NULL it receives the entry's value just before
     * the update (on success) or its current value (on -EAGAIN).
     * -EPERM (or any other error): the hypervisor refuses the new entry;
     * the guest gets its #PF (EMUL_UNHANDLEABLE).
     */
    int (*write_pte)(void *ctx, uint64_t va, uint64_t old, uint64_t new,
                     bool cmpxchg, uint64_t *actual);
    /* out = eax, ebx, ecx, edx for leaf/subleaf. */
    int (*cpuid)(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4]);
    int (*rdmsr)(void *ctx, uint32_t msr, uint64_t *val);
    int (*wrmsr)(void *ctx, uint32_t msr, uint64_t val);
    /* bytes is 1, 2 or 4; *val is returned zero-extended from that width. */
    int (*io_in)(void *ctx, uint16_t port, unsigned int bytes, uint32_t *val);
    int (*io_out)(void *ctx, uint16_t port, unsigned int bytes, uint32_t val);
    /* cr is 0, 2, 3, 4 or 8 (the others are #UD and never reach here). */
    int (*read_cr)(void *ctx, int cr, uint64_t *val);
    int (*write_cr)(void *ctx, int cr, uint64_t val);
    /*
     * Linear base of FS or GS (only those two are ever asked for: in 64-bit
     * mode the other segment bases are 0, SDM vol. 1 3.4.2.1).
     */
    uint64_t (*get_seg_base)(void *ctx, enum emul_seg seg);
    void *ctx;
};

enum emul_result {
    EMUL_OK,            /* done, *regs updated, rip past the instruction */
    EMUL_UNHANDLEABLE,  /* not ours: deliver the original fault to the guest */
    EMUL_INJECT_GP,     /* deliver #GP(0) at the unchanged rip */
    EMUL_INJECT_UD,     /* deliver #UD at the unchanged rip */
    EMUL_RETRY,         /* nothing done: resume the guest at the same rip */
    EMUL_HALT,          /* HLT: rip advanced, block the vCPU until an event */
    EMUL_SOFT_INT,      /* INT n / INT3: see x86_emulate_priv */
};

/*
 * #GP from the guest (ring 3) at regs->rip. Emulates:
 *   0f 32 RDMSR, 0f 30 WRMSR, 0f a2 CPUID (CPUID faulting),
 *   e4/e5/ec/ed IN and e6/e7/ee/ef OUT (byte, word with 66, dword),
 *   0f 20/0f 22 MOV from/to CR0/2/3/4/8, 0f 06 CLTS (read_cr/write_cr CR0),
 *   0f 09 WBINVD, 0f 08 INVD (no-ops: a PV guest may not flush caches),
 *   f4 HLT (EMUL_HALT), 0f 31 RDTSC and 0f 01 f9 RDTSCP (only fault with
 *   CR4.TSD; served by rdmsr of EMUL_MSR_TSC / EMUL_MSR_TSC_AUX).
 * INT n (cd ib) and INT3 (cc) return EMUL_SOFT_INT with *soft_int_vector
 * and *insn_len (prefixes included) set and *regs untouched: the caller
 * checks the guest's trap table and delivers with rip + *insn_len as the
 * return address. The vector always comes from the instruction bytes,
 * never from the #GP error code (QEMU 7.2 reports it wrongly).
 * INTO (ce) is #UD in 64-bit mode. INS/OUTS, CLI/STI and anything else:
 * EMUL_UNHANDLEABLE. A LOCK prefix on an emulated instruction: #UD.
 * *insn_len is set whenever the instruction was decoded (pointers may be
 * NULL). On EMUL_OK/EMUL_HALT the caller still owes any single-step #DB.
 */
enum emul_result x86_emulate_priv(const struct emul_ops *ops, struct emul_regs *regs,
                                  uint8_t *soft_int_vector, unsigned int *insn_len);

/*
 * #UD from the guest at regs->rip. Only Xen's forced-emulation prefix
 * "ud2; .ascii \"xen\"" (0f 0b 78 65 6e) followed directly by CPUID (0f a2)
 * is accepted: CPUID is emulated and rip += 7 (Linux xen_cpuid, the only
 * user). Anything else: EMUL_UNHANDLEABLE. cpuid errors as above.
 */
enum emul_result x86_emulate_ud(const struct emul_ops *ops, struct emul_regs *regs);

/*
 * #PF (write to a present, read-only page) at cr2 that the caller has found
 * to be a guest L1 page-table page. Decodes the instruction at regs->rip
 * and, if it writes memory in one of these forms, performs it through
 * write_pte on the enclosing 8-byte entry:
 *   88/89 MOV r->m; c6/0, c7/0 MOV imm->m (imm32 sign-extended for 64-bit);
 *   86/87 XCHG; 0f b0/b1 CMPXCHG; 08/09/20/21 OR/AND r->m and
 *   80, 81, 83 /1 /4 OR/AND imm->m; 0f ab/b3 BTS/BTR r->m and
 *   0f ba /5 /6 BTS/BTR imm8->m;
 * with or without LOCK, 8-, 32- or 64-bit operands, any ModRM/SIB/disp
 * form, RIP-relative, 32-bit address size (67), REX, FS/GS overrides (base
 * from get_seg_base; the other overrides are ignored as in hardware).
 * Flags are computed as the instruction defines them (CMPXCHG: as CMP;
 * AND/OR: OF=CF=0, SF/ZF/PF from the result, AF cleared; BTS/BTR: CF is
 * the old bit, the rest unchanged); XCHG/CMPXCHG update their register.
 *
 * Refused (EMUL_UNHANDLEABLE): other opcodes, register destinations,
 * 16-bit operands (66 without REX.W), LOCK on MOV, accesses that are not
 * naturally aligned, accesses whose bytes do not include cr2, fetch/read
 * errors and write_pte refusals. Sub-8-byte writes and read-modify-writes
 * read the entry and install the merged value with cmpxchg=true; if
 * another CPU changed it meanwhile the result is EMUL_RETRY (the guest
 * re-executes and faults again) rather than a loop here. Results are
 * EMUL_OK, EMUL_UNHANDLEABLE or EMUL_RETRY.
 */
enum emul_result x86_emulate_ptwr(const struct emul_ops *ops, struct emul_regs *regs,
                                  uint64_t cr2);

#endif
