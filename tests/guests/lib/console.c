/* SPDX-License-Identifier: MIT */
/*
 * Console output through HYPERVISOR_console_io(CONSOLEIO_write).  That call
 * is always allowed for the hardware domain (dom0), which is how these
 * guests boot, and the hypervisor prints the bytes on its own serial line.
 * A line is written with one hypercall where possible so that output of
 * two vCPUs does not interleave within a line.
 */
#include "xtest.h"
#include "smp.h"

static volatile int console_lock;

void console_write(const char *s, size_t len)
{
    while (len) {
        long rc = HYPERVISOR_console_io(CONSOLEIO_write, len, s);

        /* The hypervisor may consume part of the buffer (it returns bytes
         * written on some versions, 0 for "all" on others); on error there
         * is no other channel to complain through. */
        if (rc <= 0 || (size_t)rc > len)
            break;
        s += rc;
        len -= rc;
    }
}

int vprintf(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

    spin_lock(&console_lock);
    console_write(buf, len);
    spin_unlock(&console_lock);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

void xtest_shutdown(unsigned int reason)
{
    struct sched_shutdown sd = { .reason = reason };

    for (;;) {
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
        /* A hardware domain's poweroff halts the machine and never returns;
         * if it does return (refused), keep asking rather than run on. */
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}
