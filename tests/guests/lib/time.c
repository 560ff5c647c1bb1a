/* SPDX-License-Identifier: MIT */
/*
 * pvclock: now = system_time + ((tsc - tsc_timestamp) << shift) * mul >> 32
 * (a right shift when tsc_shift is negative; the product is 96 bits wide).
 * 'version' is odd while the hypervisor rewrites the record, so retry
 * until the same even value is seen before and after reading.
 */
#include "time.h"
#include "evtchn.h"

uint64_t pvclock_read(const volatile struct vcpu_time_info *t)
{
    uint32_t ver;
    uint64_t delta, sys;
    uint32_t mul;
    int8_t shift;

    do {
        ver = t->version;
        asm volatile("lfence" ::: "memory");
        delta = rdtsc() - t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        asm volatile("lfence" ::: "memory");
    } while ((ver & 1) || ver != t->version);

    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t xtest_now(void)
{
    return pvclock_read(&xtest_vcpu_info[xtest_cpu()]->time);
}

void xtest_udelay_ns(uint64_t ns)
{
    uint64_t end = xtest_now() + ns;

    while (xtest_now() < end)
        cpu_relax();
}
