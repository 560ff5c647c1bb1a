/* SPDX-License-Identifier: MIT */
#ifndef ASM_ASM_OFFSETS_H
#define ASM_ASM_OFFSETS_H

/* Offsets into struct cpu_regs for assembly; asm/regs.h asserts them. */
#define REGS_RAX          80
#define REGS_RCX          88
#define REGS_ERROR_CODE   120
#define REGS_ENTRY_VECTOR 124
#define REGS_RIP          128
#define REGS_CS           136
#define REGS_RFLAGS       144
#define REGS_RSP          152
#define REGS_SS           160
#define REGS_SIZE         168
/* struct cpu_info: 8 bytes of padding, then guest_regs, so the frame's end
 * (what TSS.rsp0 and the SYSCALL stubs point at) is 16-byte aligned. */
#define CPUINFO_GUEST_REGS 8

#endif
