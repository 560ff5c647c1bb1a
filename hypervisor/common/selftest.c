/* SPDX-License-Identifier: MIT */
/*
 * selftest=<mode> (a Xeno option, for the boot tests): checks that need the
 * real machine — all of RAM through the allocator, the heap, timers and IPIs
 * on every CPU, time keeping — and deliberate faults to prove the crash path.
 * Ends the run with a status on the debugexit= port.
 */
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/param.h>
#include <xeno/setup.h>
#include <xeno/shutdown.h>
#include <xeno/smp.h>
#include <xeno/time.h>

static char opt_selftest[16];
string_param("selftest", opt_selftest);

static unsigned int passed, failed;

static void check(bool ok, const char *what)
{
    printk("selftest: %s: %s\n", ok ? "PASS" : "FAIL", what);
    if (ok)
        passed++;
    else
        failed++;
}

/* Allocate every free frame, touch each one, give all back. */
static void test_all_memory(void)
{
    unsigned long before = free_page_count(), got = 0;
    long head = -1;         /* singly linked through the first word of each block */
    for (int order = 9; order >= 0; order--) {
        long mfn;
        while ((mfn = alloc_frames(order)) >= 0) {
            uint64_t *p = __va((paddr_t)mfn << PAGE_SHIFT);
            uint64_t *last = (uint64_t *)((char *)p + (PAGE_SIZE << order)) - 1;
            p[0] = head;
            p[1] = order;
            *last = ~(uint64_t)mfn;
            head = mfn;
            got += 1UL << order;
        }
    }
    check(got == before, "every free frame can be allocated");
    check(free_page_count() == 0, "allocator reports no free frames when exhausted");
    bool intact = true;
    while (head >= 0) {
        uint64_t *p = __va((paddr_t)head << PAGE_SHIFT);
        unsigned int order = p[1];
        long next = (long)p[0];
        uint64_t *last = (uint64_t *)((char *)p + (PAGE_SIZE << order)) - 1;
        if (*last != ~(uint64_t)head)
            intact = false;
        free_frames(head, order);
        head = next;
    }
    check(intact, "allocated blocks do not overlap (patterns intact)");
    check(free_page_count() == before, "all frames return to the allocator");
    check(mm_check() == 0, "allocator consistent after exhaustion");
}

static void test_heap(void)
{
    size_t base = xmalloc_used();
    void *ptrs[256];
    bool ok = true;
    for (unsigned i = 0; i < ARRAY_SIZE(ptrs); i++) {
        size_t sz = 1 + (i * 37) % 5000;
        ptrs[i] = xmalloc_bytes(sz);
        if (!ptrs[i]) { ok = false; break; }
        memset(ptrs[i], i & 0xff, sz);
    }
    for (unsigned i = 0; ok && i < ARRAY_SIZE(ptrs); i++) {
        size_t sz = 1 + (i * 37) % 5000;
        const uint8_t *p = ptrs[i];
        if (p[0] != (i & 0xff) || p[sz - 1] != (i & 0xff))
            ok = false;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(ptrs); i++)
        xfree(ptrs[i]);
    check(ok, "heap objects of 1..5000 bytes keep their contents");
    check(xmalloc_used() == base, "heap usage returns to its baseline");
    check(mm_check() == 0, "heap consistent");
}

static void record_cpu(void *arg)
{
    *(volatile unsigned int *)arg = smp_processor_id();
}

static void test_cpus(void)
{
    uint64_t t0[NR_CPUS];
    for (unsigned c = 0; c < NR_CPUS; c++)
        t0[c] = percpu[c].timer_ticks;
    mdelay(100);
    unsigned int ticking = 0, online = 0, answered = 0;
    for (unsigned c = 0; c < NR_CPUS; c++) {
        if (!percpu[c].online)
            continue;
        online++;
        if (percpu[c].timer_ticks > t0[c])
            ticking++;
        volatile unsigned int who = ~0u;
        if (smp_call_on_cpu(c, record_cpu, (void *)&who) == 0 && who == c)
            answered++;
    }
    printk("selftest: %u CPUs online, %u ticking, %u answered IPIs\n", online, ticking, answered);
    check(online == nr_cpus_online, "online CPU count consistent");
    check(ticking == online, "every CPU's timer ticks");
    check(answered == online, "every CPU runs a function sent by IPI");
}

static void test_time(void)
{
    s_time_t a = NOW();
    mdelay(20);
    s_time_t b = NOW();
    long ms = (long)((b - a) / 1000000);
    printk("selftest: mdelay(20) took %ld ms of system time\n", ms);
    check(b > a, "system time advances");
    /* Under emulation a busy host stretches delays, never shortens them. */
    check(ms >= 19 && ms < 1000, "system time agrees with the calibrated delay");
}

static void __attribute__((noinline)) selftest_fault_ud2(void)
{
    asm volatile("ud2");
}

static void __attribute__((noinline)) selftest_fault_pf(void)
{
    /* Nothing is mapped at the bottom of the address space. */
    volatile uint64_t *bad;
    asm volatile("mov $0x10, %0" : "=r"(bad));
    *bad = 1;
}

void run_selftest_if_asked(void)
{
    if (!opt_selftest[0])
        return;
    if (!strcmp(opt_selftest, "ud2"))
        selftest_fault_ud2();
    if (!strcmp(opt_selftest, "pagefault"))
        selftest_fault_pf();
    if (!strcmp(opt_selftest, "poweroff"))
        machine_power_off();
    if (!strcmp(opt_selftest, "reboot"))
        machine_restart();
    if (!strcmp(opt_selftest, "panic"))
        panic("selftest: panic requested");
    if (strcmp(opt_selftest, "boot")) {
        printk("selftest: unknown mode '%s' (boot, ud2, pagefault, poweroff, reboot, panic)\n", opt_selftest);
        return;
    }
    test_all_memory();
    test_heap();
    test_cpus();
    test_time();
    printk("selftest: %u passed, %u failed\n", passed, failed);
    if (failed)
        machine_halt(XENO_EXIT_TEST_FAIL);
    machine_power_off();
}
