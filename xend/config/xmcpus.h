/* SPDX-License-Identifier: MIT */
/*
 * Physical CPU sets as xm writes them: "0-3,5,^1" (ranges, single CPUs,
 * and ^N or ^N-M to take CPUs back out, applied left to right) or "all".
 * Used by the cpus= config key and by vcpu-pin / vcpu-list.
 */
#ifndef XEND_CONFIG_XMCPUS_H
#define XEND_CONFIG_XMCPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

#define XM_MAX_CPUS 1024

struct xm_cpumask {
    uint64_t bits[XM_MAX_CPUS / 64];
};

void xm_cpumask_clear(struct xm_cpumask *m);
void xm_cpumask_fill(struct xm_cpumask *m, unsigned int nr_cpus);
void xm_cpumask_set(struct xm_cpumask *m, unsigned int cpu);
void xm_cpumask_unset(struct xm_cpumask *m, unsigned int cpu);
bool xm_cpumask_test(const struct xm_cpumask *m, unsigned int cpu);
unsigned int xm_cpumask_weight(const struct xm_cpumask *m);
/*
 * Parse spec into m. "all" sets every CPU below XM_MAX_CPUS. On error
 * returns -1 and writes a message (without position) to err; *err_off is
 * the byte offset in spec where the problem starts.
 */
int xm_cpumask_parse(const char *spec, struct xm_cpumask *m, struct strbuf *err, size_t *err_off);
/*
 * Canonical form: ranges in increasing order, "0-3,5". An empty set is
 * "" (callers decide how to show it). With nr_cpus > 0 and every CPU below
 * nr_cpus set, "any cpu" (xm vcpu-list's wording).
 */
void xm_cpumask_format(const struct xm_cpumask *m, unsigned int nr_cpus, struct strbuf *out);

#endif
