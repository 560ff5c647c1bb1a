/* SPDX-License-Identifier: MIT */
/* pvbench: timing harness, ns conversion and the list of benchmarks. */
#include "pvbench.h"

const char xtest_name[] = "pvbench";

static inline uint64_t rdtsc_ordered(void)
{
    asm volatile("lfence" ::: "memory");
    return rdtsc();
}

/* tsc_to_system_mul / tsc_shift of vCPU 0, read consistently. */
static void pvclock_scale(uint32_t *mul, int8_t *shift)
{
    const volatile struct vcpu_time_info *t = &xtest_vcpu_info[0]->time;
    uint32_t ver;

    do {
        ver = t->version;
        asm volatile("lfence" ::: "memory");
        *mul = t->tsc_to_system_mul;
        *shift = t->tsc_shift;
        asm volatile("lfence" ::: "memory");
    } while ((ver & 1) || ver != t->version);
}

/* pvclock: ns = ((cycles << shift) * mul) >> 32 (right shift if negative). */
static uint64_t cycles_to_ns(uint64_t cyc)
{
    uint32_t mul;
    int8_t shift;

    pvclock_scale(&mul, &shift);
    if (shift < 0)
        cyc >>= -shift;
    else
        cyc <<= shift;
    return (uint64_t)(((unsigned __int128)cyc * mul) >> 32);
}

static void sort_u64(uint64_t *a, unsigned int n)
{
    unsigned int i, j;

    for (i = 1; i < n; i++) {
        uint64_t v = a[i];

        for (j = i; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* ns per operation, in tenths, for a block of 'ops' operations. */
static uint64_t ns10_per_op(uint64_t block_cycles, uint64_t ops)
{
    return (cycles_to_ns(block_cycles * 10) + ops / 2) / ops;
}

#define TENTHS(x) (x) / 10, (x) % 10

/*
 * s[] sorted block times.  Lines: the median in ns; the median and the
 * minimum in TSC cycles (independent of how well the hypervisor calibrated
 * its TSC: under QEMU TCG the guest TSC runs at the host's TSC rate for
 * both hypervisors; the minimum is the block least disturbed by the host);
 * and the spread in ns: min, quartiles, max.
 */
static void report(const char *name, const uint64_t *s, uint64_t ops)
{
    const unsigned int n = PVBENCH_RUNS;
    uint64_t med = s[n / 2];
    uint64_t cy10 = (med * 10 + ops / 2) / ops;
    uint64_t min10 = (s[0] * 10 + ops / 2) / ops;

    printf("pvbench: %s %lu.%lu ns (n=%u)\n", name, TENTHS(ns10_per_op(med, ops)), n);
    printf("pvbench-cycles: %s %lu.%lu cycles (n=%u), min %lu.%lu\n", name,
           TENTHS(cy10), n, TENTHS(min10));
    printf("pvbench-dist: %s min %lu.%lu q1 %lu.%lu median %lu.%lu q3 %lu.%lu "
           "max %lu.%lu ns/op (%lu ops per block)\n", name,
           TENTHS(ns10_per_op(s[0], ops)), TENTHS(ns10_per_op(s[n / 4], ops)),
           TENTHS(ns10_per_op(med, ops)), TENTHS(ns10_per_op(s[3 * n / 4], ops)),
           TENTHS(ns10_per_op(s[n - 1], ops)), ops);
}

bool pvbench_run(const char *name, pvbench_block_fn fn, unsigned int iters,
                 const char *per_iter_name, unsigned int ops_per_iter)
{
    static uint64_t s[PVBENCH_RUNS];
    unsigned int r;

    /* Warm-up: first-time costs (QEMU translating the code paths, cold
     * caches and TLBs) are not what is measured. */
    if (!fn(iters))
        return false;
    for (r = 0; r < PVBENCH_RUNS; r++) {
        uint64_t t0 = rdtsc_ordered();

        if (!fn(iters))
            return false;
        s[r] = rdtsc_ordered() - t0;
    }
    sort_u64(s, PVBENCH_RUNS);
    if (per_iter_name)
        report(per_iter_name, s, iters);
    report(name, s, (uint64_t)iters * ops_per_iter);
    return true;
}

void xtest_main(void)
{
    uint32_t mul;
    int8_t shift;
    uint64_t khz;

    pvclock_scale(&mul, &shift);
    /* cycles per ms = 1e6 ns / (ns per cycle), ns per cycle = mul*2^shift/2^32 */
    khz = shift >= 0 ? (1000000ULL << 32) / ((uint64_t)mul << shift)
                     : ((1000000ULL << 32) << -shift) / mul;
    printf("pvbench-info: tsc_to_system_mul %u tsc_shift %d (TSC %lu kHz)\n",
           mul, shift, khz);
    events_disable();
    bench_null_hypercalls();
    bench_evtchn();
    bench_mmu_update();
    events_disable();
}
