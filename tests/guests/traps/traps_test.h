/* SPDX-License-Identifier: MIT */
/* Shared declarations of the traps test guest (C and assembly). */
#ifndef TRAPS_TEST_H
#define TRAPS_TEST_H

#define RAW_WORDS          10
#define USER_EXIT_MAGIC    0x5eed
#define USER_SYSCALL_MAGIC 0x5a5a

#ifndef __ASSEMBLER__
#include "xtest.h"
#include "mm.h"
#include "traps.h"

/* Raw frame as seen by raw_probe_N. */
extern volatile uint64_t raw_frame[RAW_WORDS];
extern volatile uint64_t raw_rsp;
void raw_probe_3(void), raw_probe_6(void), raw_probe_7(void),
     raw_probe_13(void), raw_probe_14(void), raw_probe_0x80(void);

extern uint64_t exec_user_fn, exec_user_arg, exec_user_ksp, exec_user_result;
uint64_t exec_user(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t rflags);
void exec_user_return(void);

uint64_t user_read(uint64_t va);
uint64_t user_write(uint64_t va);
uint64_t user_syscall(uint64_t arg);
uint64_t user_int80(uint64_t arg);
uint64_t user_ud2(uint64_t arg);
uint64_t user_gs_read(uint64_t unused);
uint64_t user_rdmsr(uint64_t msr);
uint64_t user_hypercall(uint64_t nr);
extern char user_syscall_ret[], user_int80_ret[], user_ud2_insn[];

void test_exceptions(void);
void test_softint(void);
void test_emulation(void);
void test_iret(void);
void test_user(void);
void test_failsafe(void);
#endif

#endif
