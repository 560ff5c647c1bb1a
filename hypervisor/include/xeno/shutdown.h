/* SPDX-License-Identifier: MIT */
#ifndef XENO_SHUTDOWN_H
#define XENO_SHUTDOWN_H

#include <xeno/types.h>

/*
 * Status reported through QEMU's isa-debug-exit device when the Xeno option
 * debugexit=<port> is given (QEMU exits with (status << 1) | 1).  Tests use it
 * so a run always ends, and ends saying how.
 */
enum xeno_exit {
    XENO_EXIT_POWEROFF = 0,     /* orderly poweroff: QEMU status 1 */
    XENO_EXIT_HALT = 1,         /* stopped on a fatal boot error: status 3 */
    XENO_EXIT_PANIC = 2,        /* panic / fatal exception: status 5 */
    XENO_EXIT_TEST_FAIL = 3,    /* in-hypervisor self-test failed: status 7 */
};

/* Power the machine off (ACPI S5, then fallbacks). */
void machine_power_off(void) __attribute__((noreturn));
/* Reset the machine (ACPI reset register, keyboard controller, 0xcf9, triple fault). */
void machine_restart(void) __attribute__((noreturn));
/* Stop every CPU for good, reporting why to a debug-exit port if configured. */
void machine_halt(enum xeno_exit why) __attribute__((noreturn));
/* Report a status through debugexit= if configured (returns if not). */
void debug_exit(enum xeno_exit why);
/* A fatal boot problem (bad module, too little memory, bad option): message, then clean halt. */
void boot_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
extern bool opt_noreboot;

#endif
