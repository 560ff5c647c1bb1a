/* SPDX-License-Identifier: MIT */
/* One log line per failure, through the handle's logger (stderr by default). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xenoctrl_priv.h"

void xenoctrl_log_stderr(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

void xo_logger_init(struct xo_logger *l)
{
    l->fn = xenoctrl_log_stderr;
    l->ctx = NULL;
    l->last[0] = 0;
}

int xo_fail(struct xo_logger *l, int rc, const char *fmt, ...)
{
    va_list ap;
    size_t n = strlen(strcpy(l->last, "xenoctrl: "));

    va_start(ap, fmt);
    vsnprintf(l->last + n, sizeof(l->last) - n, fmt, ap);
    va_end(ap);
    n = strlen(l->last);
    /* rc is a negative errno; Xen's values are Linux's (public errno.h). */
    snprintf(l->last + n, sizeof(l->last) - n, ": %s (%d)", strerror(-rc), rc);
    if (l->fn)
        l->fn(l->ctx, l->last);
    return rc;
}
