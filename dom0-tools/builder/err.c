/* SPDX-License-Identifier: MIT */
/* libxenobuild: the one-line reasons handed back to the caller. */
#include <stdio.h>

#include "xb_priv.h"

int xb_err(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}
