/* SPDX-License-Identifier: MIT */
/* xm vcpu-list (format.h). */
#include "format.h"
#include "../common/strbuf.h"

#include <stdio.h>

/* xm's affinity column: CPUs below nr_cpus as ranges, "any cpu" or "no cpus". */
static void affinity(const struct xm_cpumask *m, unsigned int nr_cpus, struct strbuf *out)
{
    struct xm_cpumask clipped = *m;

    if (nr_cpus)
        for (unsigned int c = nr_cpus; c < XM_MAX_CPUS; c++)
            xm_cpumask_unset(&clipped, c);
    if (!xm_cpumask_weight(&clipped)) {
        sb_puts(out, "no cpus");
        return;
    }
    xm_cpumask_format(&clipped, nr_cpus, out);
}

void xm_format_vcpu_list(const struct xm_domvcpus *doms, size_t n, unsigned int nr_cpus,
                         struct strbuf *out)
{
    sb_printf(out, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State", "Time(s)",
              "CPU Affinity");
    for (size_t i = 0; i < n; i++) {
        const struct xm_domvcpus *d = &doms[i];
        char id[16] = "";

        if (d->active)
            snprintf(id, sizeof(id), "%u", d->domid);
        for (size_t k = 0; k < d->nr; k++) {
            const struct xm_vcpuinfo *v = &d->vcpus[k];
            char cpu[16] = "", state[4] = "";

            if (!d->active || (v->online && v->cpu < 0)) {
                /* not running (a managed domain) or not yet placed: both
                   columns stay empty */
            } else if (!v->online) {
                /* xm: an offline vCPU has CPU "-" and state "--p" */
                snprintf(cpu, sizeof(cpu), "-");
                snprintf(state, sizeof(state), "--p");
            } else {
                snprintf(cpu, sizeof(cpu), "%d", v->cpu);
                state[0] = v->running ? 'r' : '-';
                state[1] = v->blocked ? 'b' : '-';
                state[2] = '-';
                state[3] = '\0';
            }
            sb_printf(out, "%-32s %5s %5u %5s %5s  %8.1f ", d->name, id, v->number, cpu, state,
                      v->cpu_time);
            affinity(&v->affinity, nr_cpus, out);
            sb_putc(out, '\n');
        }
    }
}
