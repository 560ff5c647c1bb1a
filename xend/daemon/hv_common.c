/* SPDX-License-Identifier: MIT */
#include "hv.h"

#include <stdarg.h>
#include <stdio.h>

void hv_set_error(struct hv *h, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(h->err, sizeof(h->err), fmt, ap);
    va_end(ap);
}
