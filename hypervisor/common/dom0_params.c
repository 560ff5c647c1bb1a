/* SPDX-License-Identifier: MIT */
/*
 * dom0_mem= and dom0_max_vcpus= (contract in xeno/dom0_params.h). The
 * grammar and the resolution order follow Xen 4.17's parse_amt,
 * parse_dom0_mem, dom0_compute_nr_pages, parse_dom0_max_vcpus and
 * dom0_max_vcpus in xen/arch/x86/dom0_build.c.
 */
#include "xeno/dom0_params.h"
#include "xeno/param.h"
#include "xeno/errno.h"
#include "xeno/string.h"

/* Xen's default reservation is capped at 128 MiB (default_nr_pages). */
#define DOM0_DEFAULT_RESERVE_CAP_PAGES ((128ULL << 20) >> PAGE_SHIFT)

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "<frac>%" at s: 0 with *end past the '%', else -EINVAL. */
static int parse_percent(const char *s, const char **end, unsigned int *out)
{
    unsigned long v;
    const char *p;

    if (!is_digit(*s) || parse_ulong(s, &p, &v) || *p != '%')
        return -EINVAL;
    /* Xen's parse_amt rejects 100% and more. */
    if (v >= 100)
        return -EINVAL;
    *out = (unsigned int)v;
    *end = p + 1;
    return 0;
}

/* One amount, ending at NUL or ','; *end is left at that character. */
static int parse_amount(const char *s, const char **end, struct dom0_size *out)
{
    struct dom0_size sz = { .set = true };
    const char *p = s;
    unsigned int frac;
    uint64_t bytes;

    if (*p == '-') {
        sz.negative = true;
        p++;
    }
    /* Xen insists on a digit, so "--1G" or "-G" are not sizes. */
    if (!is_digit(*p))
        return -EINVAL;
    if (parse_percent(p, &p, &frac) == 0) {
        sz.percent = true;
        sz.value = frac;
    } else {
        if (parse_size(p, &p, &bytes))
            return -EINVAL;
        sz.value = bytes;
        /* Only "<size>+<frac>%" may follow; Xen allows at most two items. */
        if (*p == '+') {
            if (parse_percent(p + 1, &p, &frac))
                return -EINVAL;
            sz.extra_percent = frac;
        }
    }
    if (*p != '\0' && *p != ',')
        return -EINVAL;
    *end = p;
    *out = sz;
    return 0;
}

int parse_dom0_mem(const char *s, struct dom0_mem_spec *out)
{
    struct dom0_mem_spec spec = { 0 };
    const char *p = s;

    if (!s)
        return -EINVAL;
    for (;;) {
        struct dom0_size *dst = &spec.amount;

        if (!strncmp(p, "min:", 4)) {
            dst = &spec.min;
            p += 4;
        } else if (!strncmp(p, "max:", 4)) {
            dst = &spec.max;
            p += 4;
        }
        if (parse_amount(p, &p, dst))
            return -EINVAL;
        if (*p == '\0')
            break;
        p++;    /* the ',' */
    }
    *out = spec;
    return 0;
}

/* Xen's get_memsize(), in pages of avail; hand-built specs are clamped. */
static uint64_t size_pages(const struct dom0_size *sz, uint64_t avail)
{
    uint64_t pages;

    if (sz->percent)
        pages = MIN(sz->value, 100) * avail / 100;
    else
        pages = (sz->value >> PAGE_SHIFT) + MIN(sz->extra_percent, 100u) * avail / 100;
    if (sz->negative)
        return pages >= avail ? 0 : avail - pages;
    return pages;
}

uint64_t dom0_mem_resolve(const struct dom0_mem_spec *spec, uint64_t avail_bytes)
{
    uint64_t avail = avail_bytes >> PAGE_SHIFT;
    uint64_t nr = spec->amount.set ? size_pages(&spec->amount, avail) : 0;

    /* Xen: "get_memsize(&dom0_size, avail) ?: default_nr_pages(avail)". */
    if (!nr)
        nr = avail - MIN(avail / 16, DOM0_DEFAULT_RESERVE_CAP_PAGES);
    if (spec->min.set)
        nr = MAX(nr, size_pages(&spec->min, avail));
    if (spec->max.set)
        nr = MIN(nr, size_pages(&spec->max, avail));
    nr = MIN(nr, avail);
    return nr << PAGE_SHIFT;
}

static int parse_count(const char *s, const char **end, unsigned int *out)
{
    unsigned long v;

    if (!is_digit(*s) || parse_ulong(s, end, &v) || v > (unsigned int)-1)
        return -EINVAL;
    *out = (unsigned int)v;
    return 0;
}

int parse_dom0_max_vcpus(const char *s, struct dom0_vcpus_spec *out)
{
    struct dom0_vcpus_spec v = { 0 };
    const char *p = s;
    unsigned int n;

    if (!s)
        return -EINVAL;
    if (*p == '-') {
        if (parse_count(p + 1, &p, &n) || !n)
            return -EINVAL;
        v.max = n;
    } else {
        if (parse_count(p, &p, &n))
            return -EINVAL;
        /* Xen turns a minimum of 0 into 1, also for the plain "<n>" form. */
        v.min = n ? n : 1;
        if (*p == '\0') {
            v.max = v.min;
        } else if (*p == '-') {
            p++;
            if (*p) {
                if (parse_count(p, &p, &n) || !n)
                    return -EINVAL;
                v.max = n;
            }
        }
    }
    if (*p)
        return -EINVAL;
    *out = v;
    return 0;
}

unsigned dom0_vcpus_resolve(const struct dom0_vcpus_spec *spec, unsigned nr_pcpus)
{
    unsigned int n = nr_pcpus;

    if (spec->min && n < spec->min)
        n = spec->min;
    if (spec->max && n > spec->max)
        n = spec->max;
    return n ? n : 1;
}
