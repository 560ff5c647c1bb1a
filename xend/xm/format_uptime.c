/* SPDX-License-Identifier: MIT */
/* xm uptime [-s] (format.h). */
#include "format.h"
#include "../common/strbuf.h"

#include <math.h>
#include <stdio.h>

void xm_format_uptime(const struct xm_dominfo *doms, size_t n, bool short_form, const struct tm *now,
                      struct strbuf *out)
{
    if (!short_form)
        sb_printf(out, "%-33s %4s %s \n", "Name", "ID", "Uptime");
    for (size_t i = 0; i < n; i++) {
        const struct xm_dominfo *d = &doms[i];
        char id[16] = "";
        long up = 0;

        if (d->active) {
            snprintf(id, sizeof(id), "%u", d->domid);
            if (d->uptime > 0)
                up = (long)floor(d->uptime + 0.5);  /* Python 2's round() */
        }
        long days = up / 86400, hours = up % 86400 / 3600, minutes = up % 3600 / 60,
             seconds = up % 60;
        if (short_form)
            sb_printf(out, " %02d:%02d:%02d up ", now->tm_hour, now->tm_min, now->tm_sec);
        else
            sb_printf(out, "%-32s %5s ", d->name, id);
        if (days > 0)
            sb_printf(out, "%ld day%s, ", days, days > 1 ? "s" : "");
        sb_printf(out, "%2ld:%02ld", hours, minutes);
        if (short_form)
            sb_printf(out, ", %s (%s)\n", d->name, id);
        else
            sb_printf(out, ":%02ld\n", seconds);
    }
}
