/* SPDX-License-Identifier: MIT */
#ifndef XENO_DOM0_PARAMS_H
#define XENO_DOM0_PARAMS_H

/*
 * Parsers and resolution rules for Xen's dom0_mem= and dom0_max_vcpus=
 * options, as Xen 4.17 defines them (xen/arch/x86/dom0_build.c and
 * docs/misc/xen-command-line.pandoc).
 */

#include "xeno/types.h"

/*
 * One dom0_mem amount. Xen 4.17 accepts "<size>", "<frac>%" and
 * "<size>+<frac>%", each optionally prefixed by '-' meaning "all available
 * memory except this much". <size> uses parse_size() (KiB by default);
 * <frac> must be below 100, as in Xen.
 *   "<size>":         percent = false, value = bytes, extra_percent = 0
 *   "<frac>%":        percent = true,  value = frac
 *   "<size>+<frac>%": percent = false, value = bytes, extra_percent = frac
 * extra_percent is an addition to the agreed API, needed for the third
 * form.
 */
struct dom0_size {
    bool set;
    bool negative;
    bool percent;
    uint64_t value;             /* bytes, or percent 0..99 */
    unsigned int extra_percent; /* "<size>+<frac>%": the <frac> */
};

struct dom0_mem_spec { struct dom0_size amount, min, max; };

/*
 * dom0_mem=[min:<amt>,][max:<amt>,][<amt>] - a comma list in any order;
 * later items replace earlier ones of the same kind. On success *out is
 * entirely replaced (items not mentioned become unset), so of several
 * dom0_mem= options the last one wins; Xen instead lets them accumulate.
 * Returns 0, or -EINVAL leaving *out untouched.
 */
int parse_dom0_mem(const char *s, struct dom0_mem_spec *out);

/*
 * Bytes to give dom0 out of avail_bytes (the caller has already taken its
 * own reservations out). Computed in whole pages, as Xen does:
 *   amount = the explicit amount, or, when unset or 0, Xen's default:
 *            all but min(avail / 16, 128 MiB) (dom0_build.c
 *            default_nr_pages);
 *   then raised to min, lowered to max (so max wins over min), and
 *   lowered to avail.
 * A percentage is of avail. A negative amount larger than avail counts as
 * 0 (Xen's unsigned arithmetic would wrap instead).
 */
uint64_t dom0_mem_resolve(const struct dom0_mem_spec *spec, uint64_t avail_bytes);

struct dom0_vcpus_spec { unsigned min, max; };  /* 0 = unset */

/*
 * dom0_max_vcpus=<n> | <min>- | -<max> | <min>-<max>, numbers as
 * parse_ulong(). As in Xen, "<n>" means min = max = n, and a min of 0
 * means 1. A max of 0 cannot be expressed (0 = unset) and is rejected.
 * Returns 0, or -EINVAL leaving *out untouched.
 */
int parse_dom0_max_vcpus(const char *s, struct dom0_vcpus_spec *out);

/*
 * Xen's dom0_max_vcpus(): start from the number of physical CPUs, raise to
 * min, lower to max (max wins), and never return less than 1. Xen's extra
 * cap at MAX_VIRT_CPUS is the caller's business.
 */
unsigned dom0_vcpus_resolve(const struct dom0_vcpus_spec *spec, unsigned nr_pcpus);

#endif
