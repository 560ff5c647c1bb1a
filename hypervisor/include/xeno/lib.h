/* SPDX-License-Identifier: MIT */
#ifndef XENO_LIB_H
#define XENO_LIB_H

#include <stdarg.h>
#include <xeno/types.h>
#include <xeno/string.h>

/*
 * Log levels use Xen's in-band prefixes, so messages read the same as Xen's
 * and `loglvl=` means what Xen users expect.  A message without a prefix is
 * XENLOG_WARNING-level: shown by default.
 */
#define XENLOG_ERR     "<0>"
#define XENLOG_WARNING "<1>"
#define XENLOG_INFO    "<2>"
#define XENLOG_DEBUG   "<3>"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while (0)
#define ASSERT(c) BUG_ON(!(c))

#define __init __attribute__((section(".text.init")))
#define __used __attribute__((used))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))

#endif
