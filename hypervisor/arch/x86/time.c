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
#include <xeno/console.h>
#include <xeno/sched.h>
#include <xeno/time.h>

#define PIT_HZ 1193182u
#define CALIBRATE_MS 20

static uint64_t tsc_khz;
static uint64_t tsc_at_boot;
static uint32_t scale_mul;          /* ns = ((tsc_delta << shift) * mul) >> 32 */
static int8_t scale_shift;
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
    /* Pick shift so that mul lands in [2^31, 2^32): best precision a
     * 32-bit pvclock multiplier allows. */
    unsigned __int128 m = ((unsigned __int128)1000000 << 32) / tsc_khz;
    int sh = 0;
    while (m >= ((unsigned __int128)1 << 32)) {
        m >>= 1;
        sh++;
    }
    while (m < (1ULL << 31) && sh > -31) {
        m <<= 1;
        sh--;
    }
    scale_mul = (uint32_t)m;
    scale_shift = (int8_t)sh;
    tsc_at_boot = t0;
    printk("Detected %lu.%03lu MHz processor.\n", (unsigned long)(tsc_khz / 1000),
           (unsigned long)(tsc_khz % 1000));
}

uint64_t cpu_khz(void) { return tsc_khz; }

static s_time_t scale_delta(uint64_t d)
{
    d = scale_shift >= 0 ? d << scale_shift : d >> -scale_shift;
    return (s_time_t)(((unsigned __int128)d * scale_mul) >> 32);
}

s_time_t NOW(void)
{
    return scale_delta(rdtsc() - tsc_at_boot);
}

s_time_t time_snapshot(uint64_t *tsc, uint32_t *mul, int8_t *shift)
{
    *tsc = rdtsc();
    *mul = scale_mul;
    *shift = scale_shift;
    return scale_delta(*tsc - tsc_at_boot);
}

/* CMOS RTC (MC146818): wall clock at boot, as Xen reads it for guests. */
static uint64_t boot_wall_sec;

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned int bcd(uint8_t v, bool binary)
{
    return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
    y -= m <= 2;
    unsigned int era = y / 400, yoe = y - era * 400;
    unsigned int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (uint64_t)era * 146097 + doe - 719468;
}

void rtc_read_boot_time(void)
{
    for (int i = 0; i < 1000000 && (cmos(0x0a) & 0x80); i++)
        cpu_relax();
    uint8_t b = cmos(0x0b);
    bool binary = b & 0x04;
    unsigned int sec = bcd(cmos(0x00), binary), min = bcd(cmos(0x02), binary);
    uint8_t hr = cmos(0x04);
    bool pm = !(b & 0x02) && (hr & 0x80);
    unsigned int hour = bcd(hr & 0x7f, binary);
    if (!(b & 0x02))
        hour = hour % 12 + (pm ? 12 : 0);
    unsigned int day = bcd(cmos(0x07), binary), mon = bcd(cmos(0x08), binary);
    unsigned int year = bcd(cmos(0x09), binary);
    year += year < 70 ? 2000 : 1900;
    if (mon < 1 || mon > 12 || day < 1 || day > 31) {
        printk(XENLOG_WARNING "RTC: implausible date, wall clock starts at the epoch\n");
        return;
    }
    uint64_t wall = days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
    boot_wall_sec = wall - (uint64_t)(NOW() / 1000000000);
}

void wallclock_at_boot(uint64_t *sec, uint64_t *nsec)
{
    *sec = boot_wall_sec;
    *nsec = 0;
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
    if (smp_processor_id() == 0)
        console_poll_input();
    sched_timer_tick();
}
