/* SPDX-License-Identifier: MIT */
/*
 * xeno-domu-run --kernel K [--ramdisk R] [--cmdline C] [--memory MiB]
 *               [--vcpus N] [--name NAME] [--timeout S]
 *
 * dom0's harness for one PV domU: build it (libxenobuild), introduce it to
 * the running xenstored with a minimal tree, unpause it, relay its console
 * to stdout ("[domU N] ..."), wait until it shuts down (polling
 * getdomaininfo every 50 ms), destroy it, XS_RELEASE it, and check that
 * the host's free pages are back where they were.  Exit 0 only if the
 * domain powered off and everything came back.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xen/sched.h>

#include "domu_run.h"

#define PROG "xeno-domu-run"

struct opts {
    struct xenobuild_spec spec;
    const char *name;
    unsigned int timeout_s;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " --kernel K [--ramdisk R] [--cmdline C] [--memory MiB] [--vcpus N]\n"
               "                     [--name NAME] [--timeout S]\n");
}

static int parse_uint(const char *opt, const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v == 0 || v > max) {
        fprintf(stderr, PROG ": %s %s: want a number 1..%lu\n", opt, s, max);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        { "kernel", required_argument, NULL, 'k' }, { "ramdisk", required_argument, NULL, 'r' },
        { "cmdline", required_argument, NULL, 'c' }, { "memory", required_argument, NULL, 'm' },
        { "vcpus", required_argument, NULL, 'v' }, { "name", required_argument, NULL, 'n' },
        { "timeout", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    unsigned long v;
    memset(o, 0, sizeof(*o));
    o->spec.memory_kb = 128 << 10;
    o->spec.vcpus = 1;
    o->name = "domU";
    o->timeout_s = 60;
    for (int c; (c = getopt_long(argc, argv, "", longs, NULL)) != -1;) {
        switch (c) {
        case 'k': o->spec.kernel = optarg; break;
        case 'r': o->spec.ramdisk = optarg; break;
        case 'c': o->spec.cmdline = optarg; break;
        case 'n': o->name = optarg; break;
        case 'm':
            if (parse_uint("--memory", optarg, 1 << 20, &v))
                return 2;
            o->spec.memory_kb = (uint64_t)v << 10;
            break;
        case 'v':
            if (parse_uint("--vcpus", optarg, 32, &v))
                return 2;
            o->spec.vcpus = (unsigned int)v;
            break;
        case 't':
            if (parse_uint("--timeout", optarg, 86400, &v))
                return 2;
            o->timeout_s = (unsigned int)v;
            break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || !o->spec.kernel) {
        usage(stderr);
        return 2;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *reason_name(unsigned int r)
{
    static const char *const names[] = { "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" };
    return r < sizeof(names) / sizeof(names[0]) ? names[r] : "unknown";
}

static void list_domains(xenoctrl *x)
{
    struct xenoctrl_dominfo d[64];
    int n = xenoctrl_domain_getinfolist(x, 0, 64, d);
    if (n < 0)
        return;
    printf(PROG ": %d domain%s now:", n, n == 1 ? "" : "s");
    for (int i = 0; i < n; i++)
        printf(" d%u", d[i].domid);
    printf("\n");
}

/* Wait for the domain to shut down: its reason, -ETIMEDOUT, -EINTR or -ESRCH. */
static int run(xenoctrl *x, struct domu_console *con, uint32_t domid, unsigned int timeout_s)
{
    double deadline = now() + timeout_s;
    struct xenoctrl_dominfo info;
    for (;;) {
        domu_console_poll(con, 50);
        int rc = xenoctrl_domain_getinfo(x, domid, &info);
        if (rc)
            return rc;
        if (info.shutdown) {
            domu_console_poll(con, 0);
            return (int)info.shutdown_reason;
        }
        if (stop)
            return -EINTR;
        if (now() > deadline)
            return -ETIMEDOUT;
    }
}

/* Free pages back to `before` (the hypervisor may finish teardown a little later). */
static bool memory_back(xenoctrl *x, uint64_t before)
{
    struct xenoctrl_physinfo pi = { 0 };
    for (int i = 0; i < 60; i++) {
        if (xenoctrl_physinfo(x, &pi) == 0 && pi.free_pages == before)
            break;
        usleep(50 * 1000);
    }
    printf(PROG ": host free pages %llu before, %llu after\n", (unsigned long long)before,
           (unsigned long long)pi.free_pages);
    return pi.free_pages == before;
}

int main(int argc, char **argv)
{
    struct opts o;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    xenoctrl *x;
    if (xenoctrl_open(&x))
        return 1;
    struct xsc xs;
    int err = xsc_open(&xs, xsc_socket_path());
    if (err) {
        fprintf(stderr, PROG ": cannot connect to xenstored at %s: %s\n", xsc_socket_path(), strerror(err));
        return 1;
    }
    struct xenoctrl_physinfo pi;
    if (xenoctrl_physinfo(x, &pi))
        return 1;
    uint64_t free_before = pi.free_pages;

    struct xenobuild_result r;
    char why[512];
    rc = xenobuild_create(x, &o.spec, &r, why, sizeof(why));
    if (rc) {
        printf(PROG ": build failed: %s (%s)\n", why, strerror(-rc));
        list_domains(x);
        memory_back(x, free_before);
        return 1;
    }
    printf(PROG ": built d%u: kernel %s (%s), %llu MiB, %u vCPU%s, store mfn %#llx port %u, console mfn "
           "%#llx port %u, in %.3f s\n",
           r.domid, o.spec.kernel, r.kernel_format, (unsigned long long)(r.nr_pages >> 8), o.spec.vcpus,
           o.spec.vcpus == 1 ? "" : "s", (unsigned long long)r.store_mfn, r.store_port,
           (unsigned long long)r.console_mfn, r.console_port, r.build_seconds);

    struct domu_console *con = NULL;
    bool ok = false;
    if (domu_xs_setup(&xs, &r, o.name, o.spec.memory_kb, o.spec.vcpus, o.spec.vcpus) == 0 &&
        domu_console_open(x, &r, &con) == 0 && xenoctrl_domain_unpause(x, r.domid) == 0) {
        int res = run(x, con, r.domid, o.timeout_s);
        if (res >= 0) {
            printf(PROG ": domain %u shut down (reason %s)\n", r.domid, reason_name((unsigned int)res));
            /* Written by the guest itself (Linux drivers/xen/manage.c) over
             * its xenstore ring: proof that the ring, port and grant work. */
            char v[32];
            domu_xs_read(&xs, r.domid, "control/feature-poweroff", v, sizeof(v));
            printf(PROG ": domain %u xenstore control/feature-poweroff = \"%s\"\n", r.domid, v);
            ok = res == SHUTDOWN_poweroff;
        } else {
            printf(PROG ": domain %u: %s\n", r.domid,
                   res == -ETIMEDOUT ? "timed out" : res == -EINTR ? "interrupted" : strerror(-res));
        }
    }
    domu_console_close(x, con);
    if (xenoctrl_domain_destroy(x, r.domid))
        ok = false;
    if (domu_xs_release(&xs, r.domid))
        ok = false;
    if (!memory_back(x, free_before)) {
        printf(PROG ": memory of d%u not all returned\n", r.domid);
        ok = false;
    }
    xsc_close(&xs);
    xenoctrl_close(x);
    printf(PROG ": %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
