/* SPDX-License-Identifier: MIT */
/*
 * Test API for the PV test guests.
 *
 * A test guest defines
 *     const char xtest_name[] = "hello";
 *     void xtest_main(void);
 * and uses the checks below.  The runtime (xtest.c) boots, runs
 * xtest_main() and then prints exactly
 *     xeno-test: <name>: N passed, M failed
 *     xeno-test: RESULT: PASS            (or FAIL)
 * before SCHEDOP_shutdown(poweroff).  tests/pv/run.sh parses these lines.
 */
#ifndef XTEST_XTEST_H
#define XTEST_XTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hypercall.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __noreturn    __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __aligned(n)  __attribute__((aligned(n)))

/* Provided by each test. */
extern const char xtest_name[];
void xtest_main(void);

/* Boot information: the start_info page the builder passed in %rsi. */
extern struct start_info *xtest_start_info;
/* The shared_info page, mapped by the runtime before xtest_main(). */
extern struct shared_info *xtest_shared;

/* ---- results ---- */
/* xtest_pass() counts silently; xtest_pass("fmt", ...) also prints. */
void xtest_pass_(const char *fmt, ...) __printf(1, 2);
#define xtest_pass(...) xtest_pass_("" __VA_ARGS__)
void xtest_fail(const char *fmt, ...) __printf(1, 2);
/* Counts a pass or a fail; returns cond so callers can skip dependants. */
bool xtest_check(bool cond, const char *fmt, ...) __printf(2, 3);
/* Like xtest_check(got == want) but prints both values on failure. */
bool xtest_check_eq(long got, long want, const char *fmt, ...) __printf(3, 4);
#define CHECK(cond, ...)         xtest_check(!!(cond), __VA_ARGS__)
#define CHECK_EQ(got, want, ...) xtest_check_eq((long)(got), (long)(want), __VA_ARGS__)
/* Print the summary lines and power off.  Called after xtest_main(). */
void xtest_finish(void) __noreturn;
/* Print the summary lines now and go on running (a guest that must end
 * some other way, e.g. by crashing on purpose).  Later checks are not
 * reported, and xtest_finish() then blocks for good, as after a second
 * summary attempt.  False if a summary was already printed. */
bool xtest_summary(void);
/* Report a fatal problem (one extra failure) and finish at once. */
void xtest_abort(const char *fmt, ...) __printf(1, 2) __noreturn;
/* Print a section heading, to make logs readable. */
void xtest_section(const char *name);

/* ---- console ---- */
void console_write(const char *s, size_t len);
int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ---- string ---- */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

/* ---- shutdown ---- */
void xtest_shutdown(unsigned int reason) __noreturn;

/* ---- misc CPU helpers ---- */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void) { asm volatile("pause" ::: "memory"); }
#define barrier() asm volatile("" ::: "memory")
#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif /* XTEST_XTEST_H */
