/* SPDX-License-Identifier: MIT */
/*
 * Time: the TSC is the clock (calibrated once against PIT channel 2, as Xen
 * does when no better reference is known), and each CPU's local APIC timer,
 * calibrated against the TSC, gives a periodic tick.
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <xeno/apic.h>
#include <xeno/lib.h>
#include <xeno/time.h>

#define PIT_HZ 1193182u
#define CALIBRATE_MS 20

static uint64_t tsc_khz;
static uint64_t tsc_at_boot;
static uint64_t ns_per_tsc_mul;     /* ns = (tsc * mul) >> 32 */
static uint32_t apic_ticks_per_hz;

void tsc_calibrate(void)
{
    uint32_t latch = PIT_HZ * CALIBRATE_MS / 1000;

    /* Channel 2 gate on, speaker off; mode 0 counts down once and raises OUT. */
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb0);
    outb(0x42, latch & 0xff);
    outb(0x42, latch >> 8);
    uint64_t t0 = rdtsc();
    unsigned long spins = 0;
    while (!(inb(0x61) & 0x20))
        if (++spins > 100000000UL)
            break;
    uint64_t t1 = rdtsc();
    tsc_khz = (t1 - t0) / CALIBRATE_MS;
    if (!tsc_khz || spins > 100000000UL) {
        printk(XENLOG_WARNING "TSC calibration against the PIT failed; assuming 1 GHz\n");
        tsc_khz = 1000000;
    }
    ns_per_tsc_mul = (1000000ULL << 32) / tsc_khz;
    tsc_at_boot = t0;
    printk("Detected %lu.%03lu MHz processor.\n", (unsigned long)(tsc_khz / 1000),
           (unsigned long)(tsc_khz % 1000));
}

uint64_t cpu_khz(void) { return tsc_khz; }

s_time_t NOW(void)
{
    uint64_t d = rdtsc() - tsc_at_boot;
    return (s_time_t)(((unsigned __int128)d * ns_per_tsc_mul) >> 32);
}

void udelay(unsigned long us)
{
    uint64_t end = rdtsc() + us * tsc_khz / 1000;
    while ((int64_t)(rdtsc() - end) < 0)
        cpu_relax();
}

void mdelay(unsigned long ms)
{
    while (ms--)
        udelay(1000);
}

static void apic_timer_calibrate(void)
{
    /* Count APIC timer ticks over 10 ms of TSC time. */
    apic_timer_oneshot_count(0xffffffffu);
    uint64_t end = rdtsc() + tsc_khz * 10;
    uint32_t start = apic_timer_current();
    while ((int64_t)(rdtsc() - end) < 0)
        cpu_relax();
    uint32_t ticks = start - apic_timer_current();
    apic_timer_stop();
    apic_ticks_per_hz = ticks * 100 / HZ;
    if (!apic_ticks_per_hz)
        apic_ticks_per_hz = 1;
}

void timer_init_cpu(void)
{
    if (!apic_ticks_per_hz)
        apic_timer_calibrate();
    apic_timer_periodic(VECTOR_TIMER, apic_ticks_per_hz);
}

void timer_interrupt(void)
{
    this_cpu()->timer_ticks++;
}
