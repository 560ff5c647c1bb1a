/* SPDX-License-Identifier: MIT */
/*
 * Boot-time unprivileged domains (Xeno option, in the spirit of Xen's
 * dom0less): domU=<kernel>[+<initrd>][@<mem>][*<vcpus>][,...] names boot
 * modules by number (module 1 is dom0's kernel).  They let interdomain event
 * channels, grants and isolation be exercised before a toolstack exists.
 */
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/param.h>
#include <xeno/setup.h>
#include <xeno/shutdown.h>

#define DEFAULT_DOMU_MEM (64ULL << 20)

static struct boot_domu parsed[MAX_BOOT_DOMUS];
static unsigned int nr_parsed;

static int parse_domu(const char *v)
{
    struct boot_domu tmp[MAX_BOOT_DOMUS];
    unsigned int n = 0;
    const char *p = v;

    if (!v || !*v)
        return -EINVAL;
    while (*p) {
        if (n == MAX_BOOT_DOMUS)
            return -EINVAL;
        struct boot_domu d = { .mem = DEFAULT_DOMU_MEM, .vcpus = 1 };
        unsigned long k, i;
        const char *end;
        if (parse_ulong(p, &end, &k) || k < 2 || k > MAX_BOOT_MODULES)
            return -EINVAL;
        d.first_module = k - 1;
        p = end;
        if (*p == '+') {
            if (parse_ulong(p + 1, &end, &i) || i != k + 1)
                return -EINVAL;     /* the initrd is the module right after */
            d.has_initrd = true;
            p = end;
        }
        if (*p == '@') {
            if (parse_size(p + 1, &end, &d.mem) || d.mem < (4ULL << 20))
                return -EINVAL;
            p = end;
        }
        if (*p == '*') {
            unsigned long c;
            if (parse_ulong(p + 1, &end, &c) || c < 1 || c > 32)
                return -EINVAL;
            d.vcpus = c;
            p = end;
        }
        if (n && d.first_module <= tmp[n - 1].first_module + tmp[n - 1].has_initrd)
            return -EINVAL;         /* in module order, no overlap */
        tmp[n++] = d;
        if (*p == ',')
            p++;
        else if (*p)
            return -EINVAL;
    }
    memcpy(parsed, tmp, sizeof(tmp));
    nr_parsed = n;
    return 0;
}
custom_param("domU", parse_domu);

unsigned int plan_boot_domus(const struct boot_info *bi, struct boot_domu *out)
{
    for (unsigned int i = 0; i < nr_parsed; i++) {
        const struct boot_domu *d = &parsed[i];
        unsigned int last = d->first_module + d->has_initrd;
        if (last >= bi->nr_modules)
            boot_fatal("domU=: module %u does not exist (%u modules given)", last + 1, bi->nr_modules);
        out[i] = *d;
    }
    return nr_parsed;
}
