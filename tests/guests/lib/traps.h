/* SPDX-License-Identifier: MIT */
/*
 * Exceptions, callbacks and expected faults.
 *
 * The hypervisor delivers an exception to a 64-bit PV kernel by building
 * this frame on the guest kernel stack (Xen: x86_64/entry.S
 * create_bounce_frame), lowest address first, 16-byte aligned:
 *     rcx, r11, [error code], rip, cs, rflags, rsp, ss
 * (rcx/r11 because it may return with SYSRET, which clobbers them).  The
 * CS slot carries the saved evtchn_upcall_mask in bits 32-39, and its RPL
 * is cleared when the interrupted context was guest-kernel mode.  Events
 * and the syscall callback use the same frame without error code; the
 * failsafe callback inserts ds, es, fs, gs after r11.
 *
 * The entry stubs (entry.S) turn that into struct xtest_regs and call
 * xtest_trap_dispatch(); the return path is the iret hypercall.
 */
#ifndef XTEST_TRAPS_H
#define XTEST_TRAPS_H

/* Pseudo vectors for the callbacks, beyond the 256 IDT vectors. */
#define XTEST_VEC_EVENT    0x100
#define XTEST_VEC_FAILSAFE 0x101
#define XTEST_VEC_SYSCALL  0x102

#define X86_EXC_DE  0
#define X86_EXC_DB  1
#define X86_EXC_NMI 2
#define X86_EXC_BP  3
#define X86_EXC_OF  4
#define X86_EXC_BR  5
#define X86_EXC_UD  6
#define X86_EXC_NM  7
#define X86_EXC_DF  8
#define X86_EXC_TS  10
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_MF  16
#define X86_EXC_AC  17
#define X86_EXC_MC  18
#define X86_EXC_XM  19

#define X86_EFLAGS_IF 0x200UL

#ifndef __ASSEMBLER__
#include "xtest.h"

struct xtest_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector;        /* pushed by the stub */
    uint64_t error_code;    /* from the frame, or 0 */
    uint64_t rip, cs, rflags, rsp, ss;
};

/* What the last fault taken under an exception-table fixup looked like. */
struct xtest_fault {
    bool     hit;
    unsigned int vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
    uint64_t cr2;           /* vcpu_info.arch.cr2, for #PF */
};
extern volatile struct xtest_fault xtest_fault;

/* Failsafe callback: selectors found in its frame. */
extern volatile uint64_t xtest_failsafe_segs[4];
extern volatile unsigned int xtest_failsafe_count;

/*
 * Exception table: a fault at 'fault' resumes at 'fixup' after recording
 * xtest_fault.  Usage inside asm():  "1: insn\n 2:\n" XTEST_EXTABLE(1b, 2b)
 */
#define XTEST_EXTABLE(fault, fixup)                                      \
    ".pushsection .xtest_extable, \"a\"\n\t"                             \
    ".balign 8\n\t"                                                      \
    ".quad " #fault ", " #fixup "\n\t"                                   \
    ".popsection\n\t"

/*
 * A handler for one vector (0..255 or XTEST_VEC_*).  Return true when the
 * trap was handled (regs may be changed: they are what the iret restores);
 * false lets the default action happen (extable, else a test failure).
 */
typedef bool (*xtest_trap_fn)(struct xtest_regs *regs);
void xtest_set_handler(unsigned int vector, xtest_trap_fn fn);

/* Install the default trap table and callbacks (done by the runtime). */
void traps_init(void);
/* Trap-table entry of one vector, with this DPL ('int n' permission). */
long xtest_set_trap(unsigned int vector, unsigned int dpl, bool mask_events);
/* Same, with an entry point of the test's own. */
long xtest_set_trap_addr(unsigned int vector, unsigned int dpl,
                         bool mask_events, unsigned long addr);
/* Address of the stub for a vector (for building trap tables). */
unsigned long xtest_trap_stub(unsigned int vector);
extern struct trap_info xtest_trap_table[];
extern unsigned long xtest_event_entry_addr, xtest_failsafe_entry_addr,
                     xtest_syscall_entry_addr;

/* Probes: return -1 when no fault occurred, else the vector. */
int probe_write64(volatile uint64_t *p, uint64_t v);
int probe_read64(const volatile uint64_t *p, uint64_t *v);
int probe_write8(volatile uint8_t *p, uint8_t v);

/* The C side of every entry stub. */
void xtest_trap_dispatch(struct xtest_regs *regs);

/* Return to the frame [rip, cs, rflags, rsp, ss] at %rsp (entry.S). */
void xtest_iret_to_frame(void);
#endif

#endif /* XTEST_TRAPS_H */
