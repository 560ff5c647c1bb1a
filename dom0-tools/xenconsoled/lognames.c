/* SPDX-License-Identifier: MIT */
/* Console log names and timestamps: see lognames.h. */
#include "lognames.h"

#include <stdio.h>
#include <string.h>

static int fits(int n, size_t size)
{
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int xcd_guest_log_path(char *buf, size_t size, const char *dir, const char *name, unsigned int domid)
{
    char safe[256];
    if (!name || !*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        snprintf(safe, sizeof(safe), "dom%u", domid);
    } else {
        size_t i;
        for (i = 0; name[i] && i < sizeof(safe) - 1; i++)
            safe[i] = name[i] == '/' ? '_' : name[i];
        if (name[i])
            return -1;
        safe[i] = 0;
    }
    return fits(snprintf(buf, size, "%s/guest-%s.log", dir, safe), size);
}

int xcd_hv_log_path(char *buf, size_t size, const char *dir)
{
    return fits(snprintf(buf, size, "%s/hypervisor.log", dir), size);
}

void xcd_stamper_init(struct xcd_stamper *s)
{
    s->at_line_start = true;
}

int xcd_stamp(struct xcd_stamper *s, const char *stamp, const char *data, size_t len, xcd_sink_fn *sink,
              void *ctx)
{
    size_t stamp_len = strlen(stamp);
    while (len) {
        if (s->at_line_start) {
            /* Xen drops the \r of "\n\r" line ends so stamped lines stay clean. */
            while (len && *data == '\r') {
                data++;
                len--;
            }
            if (!len)
                break;
            int rc = sink(ctx, stamp, stamp_len);
            if (rc)
                return rc;
            s->at_line_start = false;
        }
        const char *nl = memchr(data, '\n', len);
        size_t n = nl ? (size_t)(nl - data) + 1 : len;
        int rc = sink(ctx, data, n);
        if (rc)
            return rc;
        s->at_line_start = nl != NULL;
        data += n;
        len -= n;
    }
    return 0;
}
