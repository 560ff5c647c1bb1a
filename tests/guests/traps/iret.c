/* SPDX-License-Identifier: MIT */
/*
 * The iret hypercall (23).  The guest pushes
 *   rax, r11, rcx, flags, rip, cs, rflags, rsp, ss   (lowest first)
 * and does syscall with rax = 23.  An RPL of 3 in cs returns to user mode,
 * anything else stays in kernel mode; evtchn_upcall_mask becomes
 * !rflags.IF; rax comes back from the frame, and rcx/r11 too unless
 * flags has VGCF_in_syscall.
 */
#include "traps_test.h"
#include "evtchn.h"

/* iret_probe(rflags, flags): iret to the next instruction; iret_after
 * receives rax, rcx, r11 and the real RFLAGS seen there. */
void iret_probe(uint64_t rflags, uint64_t flags);
uint64_t iret_after[4];

asm(".text\n"
    ".globl iret_probe\n"
    "iret_probe:\n\t"
    "push %rbx\n\t"
    "mov  %rsp, %rbx\n\t"
    "pushq $0xe02b\n\t"                 /* ss: FLAT_KERNEL_SS */
    "push %rbx\n\t"                     /* rsp */
    "push %rdi\n\t"                     /* rflags */
    "pushq $0xe030\n\t"                 /* cs: FLAT_KERNEL_CS, RPL 0 = kernel */
    "lea  1f(%rip), %rax\n\t"
    "push %rax\n\t"                     /* rip */
    "push %rsi\n\t"                     /* flags */
    "movabs $0xc1c1c1c1c1c1c1c1, %rcx\n\t"
    "push %rcx\n\t"
    "movabs $0x1111111111111111, %r11\n\t"
    "push %r11\n\t"
    "movabs $0xa1a1a1a1a1a1a1a1, %rax\n\t"
    "push %rax\n\t"
    "mov  $23, %eax\n\t"
    "syscall\n"
    "1:\n\t"
    "mov  %rax, iret_after(%rip)\n\t"
    "mov  %rcx, iret_after+8(%rip)\n\t"
    "mov  %r11, iret_after+16(%rip)\n\t"
    "pushfq\n\t"
    "pop  %rax\n\t"
    "mov  %rax, iret_after+24(%rip)\n\t"
    "cld\n\t"
    "pop  %rbx\n\t"
    "ret\n");

#define X86_EFLAGS_DF 0x400

void test_iret(void)
{
    struct vcpu_info *vi = xtest_vcpu_info[0];

    xtest_section("iret hypercall");
    iret_probe(0x2, 0);
    CHECK_EQ(iret_after[0], 0xa1a1a1a1a1a1a1a1UL, "rax restored from the frame");
    CHECK_EQ(iret_after[1], 0xc1c1c1c1c1c1c1c1UL, "rcx restored (flags = 0)");
    CHECK_EQ(iret_after[2], 0x1111111111111111UL, "r11 restored (flags = 0)");
    CHECK_EQ(vi->evtchn_upcall_mask, 1, "frame IF=0 leaves events masked");
    CHECK(iret_after[3] & X86_EFLAGS_IF, "the real IF is on regardless");

    iret_probe(0x202, 0);
    CHECK_EQ(vi->evtchn_upcall_mask, 0, "frame IF=1 unmasks events");
    events_disable();

    iret_probe(0x2 | X86_EFLAGS_DF, VGCF_in_syscall);
    CHECK_EQ(iret_after[0], 0xa1a1a1a1a1a1a1a1UL,
             "with VGCF_in_syscall rax still comes from the frame");
    CHECK(iret_after[3] & X86_EFLAGS_DF, "rflags.DF restored from the frame");

    iret_probe(0x2 | (3UL << 12), 0);
    CHECK_EQ(iret_after[3] & (3UL << 12), 0, "IOPL in the frame is ignored");
}
