/* SPDX-License-Identifier: MIT */
#include "xmcpus.h"
#include "../common/strbuf.h"

#include <string.h>

void xm_cpumask_clear(struct xm_cpumask *m)
{
    memset(m->bits, 0, sizeof(m->bits));
}

void xm_cpumask_fill(struct xm_cpumask *m, unsigned int nr_cpus)
{
    xm_cpumask_clear(m);
    for (unsigned int c = 0; c < nr_cpus && c < XM_MAX_CPUS; c++)
        xm_cpumask_set(m, c);
}

void xm_cpumask_set(struct xm_cpumask *m, unsigned int cpu)
{
    if (cpu < XM_MAX_CPUS)
        m->bits[cpu / 64] |= 1ULL << (cpu % 64);
}

void xm_cpumask_unset(struct xm_cpumask *m, unsigned int cpu)
{
    if (cpu < XM_MAX_CPUS)
        m->bits[cpu / 64] &= ~(1ULL << (cpu % 64));
}

bool xm_cpumask_test(const struct xm_cpumask *m, unsigned int cpu)
{
    return cpu < XM_MAX_CPUS && (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned int xm_cpumask_weight(const struct xm_cpumask *m)
{
    unsigned int n = 0;

    for (size_t i = 0; i < XM_MAX_CPUS / 64; i++)
        n += (unsigned int)__builtin_popcountll(m->bits[i]);
    return n;
}

/* A CPU number at s; returns characters used, 0 if none, -1 if too large. */
static int parse_cpu(const char *s, unsigned int *cpu)
{
    unsigned int v = 0;
    int n = 0;

    while (s[n] >= '0' && s[n] <= '9') {
        v = v * 10 + (unsigned int)(s[n] - '0');
        n++;
        if (v >= XM_MAX_CPUS) {
            while (s[n] >= '0' && s[n] <= '9')
                n++;
            return -1;
        }
    }
    *cpu = v;
    return n;
}

int xm_cpumask_parse(const char *spec, struct xm_cpumask *m, struct strbuf *err, size_t *err_off)
{
    const char *p = spec;

    xm_cpumask_clear(m);
    while (*p == ' ')
        p++;
    if (strcmp(p, "all") == 0) {
        xm_cpumask_fill(m, XM_MAX_CPUS);
        return 0;
    }
    if (!*p) {
        sb_puts(err, "empty CPU list");
        *err_off = 0;
        return -1;
    }
    for (;;) {
        const char *item = p;
        bool exclude = false;
        unsigned int lo, hi;
        int n;

        while (*p == ' ')
            p++;
        if (*p == '^') {
            exclude = true;
            p++;
        }
        n = parse_cpu(p, &lo);
        if (n <= 0) {
            if (n < 0)
                sb_printf(err, "CPU number too large (the limit is %u)", XM_MAX_CPUS - 1);
            else
                sb_printf(err, "expected a CPU number, a range N-M or ^N");
            *err_off = (size_t)(p - spec);
            return -1;
        }
        p += n;
        hi = lo;
        if (*p == '-') {
            p++;
            n = parse_cpu(p, &hi);
            if (n <= 0) {
                if (n < 0)
                    sb_printf(err, "CPU number too large (the limit is %u)", XM_MAX_CPUS - 1);
                else
                    sb_printf(err, "expected the end of the range after '-'");
                *err_off = (size_t)(p - spec);
                return -1;
            }
            p += n;
            if (hi < lo) {
                sb_printf(err, "range %u-%u runs backwards", lo, hi);
                *err_off = (size_t)(item - spec);
                return -1;
            }
        }
        for (unsigned int c = lo; c <= hi; c++) {
            if (exclude)
                xm_cpumask_unset(m, c);
            else
                xm_cpumask_set(m, c);
        }
        while (*p == ' ')
            p++;
        if (!*p)
            return 0;
        if (*p != ',') {
            sb_printf(err, "unexpected '%c' in CPU list", *p);
            *err_off = (size_t)(p - spec);
            return -1;
        }
        p++;
    }
}

void xm_cpumask_format(const struct xm_cpumask *m, unsigned int nr_cpus, struct strbuf *out)
{
    bool first = true;

    if (nr_cpus > 0) {
        bool all = true;
        for (unsigned int c = 0; c < nr_cpus && c < XM_MAX_CPUS; c++)
            all = all && xm_cpumask_test(m, c);
        if (all) {
            sb_puts(out, "any cpu");
            return;
        }
    }
    for (unsigned int c = 0; c < XM_MAX_CPUS; c++) {
        if (!xm_cpumask_test(m, c))
            continue;
        unsigned int e = c;
        while (e + 1 < XM_MAX_CPUS && xm_cpumask_test(m, e + 1))
            e++;
        if (!first)
            sb_putc(out, ',');
        first = false;
        if (e == c)
            sb_printf(out, "%u", c);
        else
            sb_printf(out, "%u-%u", c, e);
        c = e;
    }
}
