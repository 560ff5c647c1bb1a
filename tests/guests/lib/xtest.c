/* SPDX-License-Identifier: MIT */
/*
 * Runtime: start of day, result counting, the summary lines, shutdown,
 * and the landing point of secondary vCPUs.
 */
#include "xtest.h"
#include "evtchn.h"
#include "mm.h"
#include "smp.h"
#include "traps.h"

struct start_info *xtest_start_info;
struct shared_info *xtest_shared;

/* A page of our own image that will map the shared_info frame instead. */
static char shared_info_page[PAGE_SIZE]
    __attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));

/* The -hcpage build of a test reports under its own name. */
#ifdef XTEST_HYPERCALL_PAGE
#define VARIANT "-hcpage"
#else
#define VARIANT ""
#endif

static volatile unsigned int n_pass, n_fail;
static volatile int finishing;

static void vreport(bool ok, const char *fmt, va_list ap)
{
    char buf[400];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    printf("%s: %s\n", ok ? "  ok" : "FAIL", buf);
}

void xtest_pass_(const char *fmt, ...)
{
    va_list ap;

    __atomic_fetch_add(&n_pass, 1, __ATOMIC_SEQ_CST);
    if (!*fmt)
        return;
    va_start(ap, fmt);
    vreport(true, fmt, ap);
    va_end(ap);
}

void xtest_fail(const char *fmt, ...)
{
    va_list ap;

    __atomic_fetch_add(&n_fail, 1, __ATOMIC_SEQ_CST);
    va_start(ap, fmt);
    vreport(false, fmt, ap);
    va_end(ap);
}

bool xtest_check(bool cond, const char *fmt, ...)
{
    va_list ap;

    __atomic_fetch_add(cond ? &n_pass : &n_fail, 1, __ATOMIC_SEQ_CST);
    va_start(ap, fmt);
    vreport(cond, fmt, ap);
    va_end(ap);
    return cond;
}

bool xtest_check_eq(long got, long want, const char *fmt, ...)
{
    char buf[320];
    va_list ap;
    bool ok = got == want;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    __atomic_fetch_add(ok ? &n_pass : &n_fail, 1, __ATOMIC_SEQ_CST);
    if (ok && got > -100000 && got < 100000)
        printf("  ok: %s (= %ld)\n", buf, got);
    else if (ok)
        printf("  ok: %s (= %#lx)\n", buf, (unsigned long)got);
    else
        printf("FAIL: %s: got %ld (%#lx), want %ld (%#lx)\n", buf, got,
               (unsigned long)got, want, (unsigned long)want);
    return ok;
}

void xtest_section(const char *name)
{
    printf("--- %s\n", name);
}

/* Returns false if a summary was already printed (or is being printed). */
static bool print_summary(void)
{
    bool pass;

    if (__atomic_exchange_n(&finishing, 1, __ATOMIC_SEQ_CST))
        return false;
    pass = n_fail == 0 && n_pass > 0;
    printf("xeno-test: %s" VARIANT ": %u passed, %u failed\n", xtest_name,
           n_pass, n_fail);
    printf("xeno-test: RESULT: %s\n", pass ? "PASS" : "FAIL");
    return true;
}

bool xtest_summary(void)
{
    return print_summary();
}

void xtest_finish(void)
{
    /* A fault while finishing (or a second vCPU finishing at the same
     * time) must not print a second summary. */
    if (!print_summary())
        for (;;)
            HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    xtest_shutdown(SHUTDOWN_poweroff);
}

void xtest_abort(const char *fmt, ...)
{
    va_list ap;

    __atomic_fetch_add(&n_fail, 1, __ATOMIC_SEQ_CST);
    va_start(ap, fmt);
    vreport(false, fmt, ap);
    va_end(ap);
    xtest_finish();
}

/* Called from head.S on the boot vCPU's own stack. */
void xtest_start(void)
{
    struct start_info *si = xtest_start_info;
    unsigned int i;
    long rc;

    printf("xeno-test: starting %s" VARIANT "\n", xtest_name);

    /* shared_info is given as a machine address; a PV guest maps it
     * itself, here over one page of its own .bss. */
    rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info_page,
                                      (si->shared_info & PTE_MFN_MASK) | PTE_RW,
                                      UVMF_INVLPG);
    if (rc)
        xtest_abort("mapping shared_info (maddr %#lx) failed: %ld",
                    si->shared_info, rc);
    xtest_shared = (struct shared_info *)shared_info_page;
    for (i = 0; i < XTEST_MAX_CPUS; i++)
        xtest_vcpu_info[i] = &xtest_shared->vcpu_info[i];

    mm_init();
    traps_init();

    /* Catch NULL pointer dereferences: the 1:1 region starts at VA 0. */
    rc = HYPERVISOR_update_va_mapping(0, 0, UVMF_INVLPG);
    if (rc)
        xtest_abort("unmapping page 0 failed: %ld", rc);

    xtest_main();
    xtest_finish();
}
