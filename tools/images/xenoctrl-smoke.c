/* SPDX-License-Identifier: MIT */
/*
 * xenoctrl-smoke: libxenoctrl from Linux dom0 user space, the way the
 * toolstack uses it.  Prints the host (physinfo), reads the hypervisor's
 * log (readconsole), lists domains, then creates a domain, gives it
 * memory, maps its frames through privcmd (MMAPBATCH_V2), builds a tiny
 * 64-bit PV kernel in it (page tables written while they are plain RAM,
 * L4 pinned with FOREIGNDOM, vCPU context set), runs it to its own
 * shutdown, and destroys it; all its memory must come back.  Also an
 * event-channel loopback through /dev/xen/evtchn.
 *
 * Output: "xenoctrl-smoke: ok - <what>" / "xenoctrl-smoke: FAIL - <what>"
 * lines, then "xenoctrl-smoke: N passed, M failed"; exit status = M.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xen/sched.h>

#include "xenoctrl.h"

static int passed, failed;

static bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool check(bool ok, const char *fmt, ...)
{
    va_list ap;
    printf("xenoctrl-smoke: %s - ", ok ? "ok" : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    ok ? passed++ : failed++;
    return ok;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void host(xenoctrl *x)
{
    struct xenoctrl_physinfo pi;
    if (check(xenoctrl_physinfo(x, &pi) == 0, "physinfo")) {
        printf("xenoctrl-smoke: host: %u CPUs, %u MHz, %llu MiB RAM, %llu MiB free, caps%s%s%s\n",
               pi.nr_cpus, pi.cpu_khz / 1000, (unsigned long long)pi.total_pages >> 8,
               (unsigned long long)pi.free_pages >> 8, pi.cap_pv ? " pv" : "", pi.cap_hvm ? " hvm" : "",
               pi.cap_gnttab_v1 ? " gnttab-v1" : "");
        check(pi.nr_cpus >= 1 && pi.cap_pv && !pi.cap_hvm, "physinfo: %u CPUs, PV capable", pi.nr_cpus);
        check(pi.free_pages > 0 && pi.free_pages < pi.total_pages, "physinfo: free < total pages");
    }
    static char log[80 * 1024];
    uint32_t index = 0;
    long n = xenoctrl_readconsole(x, log, sizeof(log), &index, false, false);
    check(n > 0 && strstr(log, "(XEN) ") != NULL, "readconsole: %ld bytes of the hypervisor's log", n);
    check(n > 0 && strstr(log, "dom0") != NULL, "readconsole: it tells of dom0");
    long again = xenoctrl_readconsole(x, log, sizeof(log), &index, true, false);
    check(again >= 0 && again < 4096, "readconsole incremental: only what is new (%ld bytes)", again);
    uint32_t sched = 0;
    check(xenoctrl_sched_id(x, &sched) == 0 && sched == XEN_SCHEDULER_CREDIT, "sched_id: credit");
    uint64_t idle[64];
    int cpus = xenoctrl_cpu_idle(x, 64, idle);
    check(cpus >= 1, "getcpuinfo: %d CPUs, CPU0 idle %llu ms", cpus,
          cpus > 0 ? (unsigned long long)idle[0] / 1000000 : 0ULL);

    struct xenoctrl_dominfo list[16];
    int nd = xenoctrl_domain_getinfolist(x, 0, 16, list);
    check(nd >= 1 && list[0].domid == 0 && list[0].running, "getinfolist: dom0 first, running (%d domains)", nd);
    struct xenoctrl_dominfo info;
    xenoctrl_set_logger(x, NULL, NULL);     /* expected failures below */
    check(xenoctrl_domain_getinfo(x, 0x7000, &info) == -ESRCH, "getinfo of a missing domain: -ESRCH");
    check(xenoctrl_domain_destroy(x, 0) == -EINVAL, "destroying dom0 from dom0: -EINVAL");
    check(strstr(xenoctrl_last_error(x), "destroydomain on d0") != NULL, "the failure is described: \"%s\"",
          xenoctrl_last_error(x));
    xenoctrl_set_logger(x, xenoctrl_log_stderr, NULL);
}

/* The tiny kernel of tests/guests/domctl/build.c: VA = pfn << 12; it
 * stores a magic number and shuts down with reason reboot. */
enum { P_HCALL, P_L4, P_L3, P_L2, P_L1, P_CODE, P_STACK, P_DATA, PAGES = 16 };
static const uint8_t prog[] = {
    0xc7, 0x04, 0x25, 0x00, 0x70, 0x00, 0x00, 0xee, 0xff, 0xc0, 0x00,  /* movl $0xc0ffee, 0x7000 */
    0xb8, 0x1d, 0x00, 0x00, 0x00,                                      /* mov $sched_op, %eax */
    0xbf, 0x02, 0x00, 0x00, 0x00,                                      /* mov $SCHEDOP_shutdown, %edi */
    0xbe, 0x08, 0x70, 0x00, 0x00,                                      /* mov $0x7008, %esi */
    0x0f, 0x05,                                                        /* syscall */
    0xeb, 0xfe,                                                        /* jmp . */
};

static void build_and_run(xenoctrl *x)
{
    struct xenoctrl_physinfo pi;
    struct xenoctrl_domain_config cfg;
    struct xenoctrl_dominfo info;
    uint32_t domid = 0;
    xen_pfn_t m[PAGES];

    if (xenoctrl_physinfo(x, &pi))
        return;
    uint64_t free0 = pi.free_pages;
    xenoctrl_domain_config_default(&cfg);
    memcpy(cfg.handle, "xenoctrl-smoke!!", 16);
    int crc = xenoctrl_domain_create(x, 0, &cfg, &domid);
    if (!check(crc == 0, "create a domain: d%u", domid))
        return;
    check(xenoctrl_domain_getinfo(x, domid, &info) == 0 && info.paused && info.tot_pages == 0 &&
          !memcmp(info.handle, "xenoctrl-smoke!!", 16), "getinfo: paused, no memory, our handle");
    check(xenoctrl_domain_setmaxmem(x, domid, PAGES * 4) == 0, "setmaxmem %u KiB", PAGES * 4);
    for (unsigned int i = 0; i < PAGES; i++)
        m[i] = i;
    long done = xenoctrl_populate_physmap(x, domid, PAGES, 0, m);
    check(done == PAGES, "populate_physmap for d%u: %ld of %u pages", domid, done, PAGES);
    check(xenoctrl_domain_tot_pages(x, domid) == PAGES, "its reservation is %u pages", PAGES);
    uint32_t types[PAGES];
    check(xenoctrl_get_pfn_types(x, domid, PAGES, m, types) == 0 && types[P_L4] == XEN_DOMCTL_PFINFO_NOTAB,
          "getpageframeinfo3: plain RAM");

    /* Write everything through one writable mapping of all its frames. */
    int errs[PAGES], rc;
    uint8_t *p = xenoctrl_map_foreign_bulk(x, domid, PROT_READ | PROT_WRITE, m, errs, PAGES, &rc);
    if (!check(p != NULL, "map its %u frames read-write (MMAPBATCH_V2): %d", PAGES, rc))
        goto destroy;
    uint64_t *pt = (uint64_t *)(p + P_L4 * 4096);
    pt[0] = (m[P_L3] << 12) | 0x27;                 /* P RW US A */
    pt = (uint64_t *)(p + P_L3 * 4096);
    pt[0] = (m[P_L2] << 12) | 0x27;
    pt = (uint64_t *)(p + P_L2 * 4096);
    pt[0] = (m[P_L1] << 12) | 0x27;
    pt = (uint64_t *)(p + P_L1 * 4096);
    for (unsigned int i = 0; i < PAGES; i++)
        pt[i] = (m[i] << 12) | 0x25 | (i >= P_L4 && i <= P_L1 ? 0 : 0x42);   /* tables read-only */
    memcpy(p + P_CODE * 4096, prog, sizeof(prog));
    uint32_t reason = SHUTDOWN_reboot;
    memcpy(p + P_DATA * 4096 + 8, &reason, 4);
    xenoctrl_set_logger(x, NULL, NULL);     /* expected failures */
    check(xenoctrl_pin_table(x, domid, 4, m[P_L4]) < 0, "pinning its L4 fails while we map its tables writable");
    check(xenoctrl_unmap(x, p, PAGES) == 0, "unmap");
    void *bad = xenoctrl_map_foreign_range(x, domid, PROT_READ, 0x10, 1, &rc);
    check(!bad, "mapping a frame it does not own fails (%d)", rc);
    xenoctrl_set_logger(x, xenoctrl_log_stderr, NULL);
    check(xenoctrl_pin_table(x, domid, 4, m[P_L4]) == 0, "pin its L4 (FOREIGNDOM): the tables validate");
    check(xenoctrl_get_pfn_types(x, domid, PAGES, m, types) == 0 &&
          types[P_L4] == (XEN_DOMCTL_PFINFO_L4TAB | XEN_DOMCTL_PFINFO_LPINTAB) &&
          types[P_L1] == XEN_DOMCTL_PFINFO_L1TAB, "getpageframeinfo3: L4 pinned, L1 below it");
    xenoctrl_set_logger(x, NULL, NULL);
    bad = xenoctrl_map_foreign_range(x, domid, PROT_READ | PROT_WRITE, m[P_L1], 1, &rc);
    check(!bad, "its L1 can no longer be mapped writable (%d)", rc);
    xenoctrl_set_logger(x, xenoctrl_log_stderr, NULL);
    check(xenoctrl_hypercall_init(x, domid, m[P_HCALL]) == 0, "hypercall_init into its page 0");

    vcpu_guest_context_t ctx, got;
    memset(&ctx, 0, sizeof(ctx));
    ctx.flags = VGCF_in_kernel | VGCF_online;
    ctx.user_regs.rip = P_CODE << 12;
    ctx.user_regs.rsp = (P_STACK + 1) << 12;
    ctx.user_regs.cs = FLAT_KERNEL_CS;
    ctx.user_regs.ss = FLAT_KERNEL_SS;
    ctx.user_regs.rflags = 0x200;
    ctx.kernel_ss = FLAT_KERNEL_SS;
    ctx.kernel_sp = ctx.user_regs.rsp;
    ctx.ctrlreg[3] = xen_pfn_to_cr3(m[P_L4]);
    check(xenoctrl_vcpu_setcontext(x, domid, 0, &ctx) == 0, "setvcpucontext");
    check(xenoctrl_vcpu_getcontext(x, domid, 0, &got) == 0 && got.user_regs.rip == ctx.user_regs.rip &&
          got.ctrlreg[3] == ctx.ctrlreg[3], "getvcpucontext reads it back");
    check(xenoctrl_domain_unpause(x, domid) == 0, "unpause");
    for (int i = 0; i < 300; i++) {
        if (xenoctrl_domain_getinfo(x, domid, &info) || info.shutdown)
            break;
        sleep_ms(10);
    }
    check(info.shutdown && info.shutdown_reason == SHUTDOWN_reboot, "it ran to its shutdown (reason %u)",
          info.shutdown_reason);
    uint32_t *data = xenoctrl_map_foreign_range(x, domid, PROT_READ, m[P_DATA], 1, &rc);
    if (check(data != NULL, "map its data page read-only")) {
        check(data[0] == 0xc0ffee, "it stored 0xc0ffee (%#x)", data[0]);
        xenoctrl_unmap(x, data, 1);
    }
destroy:
    check(xenoctrl_domain_destroy(x, domid) == 0, "destroy d%u", domid);
    check(xenoctrl_domain_getinfo(x, domid, &info) == -ESRCH, "it is gone");
    check(xenoctrl_domain_destroy(x, domid) == -ESRCH, "destroying it again: -ESRCH");
    xenoctrl_physinfo(x, &pi);
    check(pi.free_pages == free0, "free pages back to %llu (now %llu)", (unsigned long long)free0,
          (unsigned long long)pi.free_pages);
}

static void evtchn(void)
{
    xenoctrl_evtchn *e;
    if (!check(xenoctrl_evtchn_open(&e) == 0, "open /dev/xen/evtchn"))
        return;
    int a = xenoctrl_evtchn_alloc_unbound(e, 0);
    int b = a > 0 ? xenoctrl_evtchn_bind_interdomain(e, 0, (uint32_t)a) : -1;
    check(a > 0 && b > 0, "loopback channel: ports %d and %d", a, b);
    /* bind_interdomain raises the new port once; drain it. */
    struct pollfd pf = { .fd = xenoctrl_evtchn_fd(e), .events = POLLIN };
    while (poll(&pf, 1, 200) > 0) {
        int port = xenoctrl_evtchn_pending(e);
        if (port < 0)
            break;
        xenoctrl_evtchn_unmask(e, (uint32_t)port);
    }
    bool seen = false;
    if (b > 0 && xenoctrl_evtchn_notify(e, (uint32_t)a) == 0 && poll(&pf, 1, 2000) > 0)
        seen = xenoctrl_evtchn_pending(e) == b;
    check(seen, "notify on one end fires the other");
    xenoctrl_evtchn_close(e);
}

/* Share a page with ourselves through /dev/xen/gntalloc (Linux's uapi
 * gntalloc.h) and map it back with the library's gntdev mapping. */
struct gntalloc_alloc_gref { uint16_t domid, flags; uint32_t count; uint64_t index; uint32_t gref_ids[1]; };
#define IOCTL_GNTALLOC_ALLOC_GREF _IOC(_IOC_NONE, 'G', 5, sizeof(struct gntalloc_alloc_gref))

static void gnttab(void)
{
    xenoctrl_gnttab *g;
    int ga = open("/dev/xen/gntalloc", O_RDWR);
    if (!check(ga >= 0 && xenoctrl_gnttab_open(&g) == 0, "open /dev/xen/gntalloc and the gntdev handle"))
        return;
    struct gntalloc_alloc_gref al = { .domid = 0, .flags = 1 /* writable */, .count = 1 };
    char *src = ioctl(ga, IOCTL_GNTALLOC_ALLOC_GREF, &al) == 0
              ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ga, (off_t)al.index) : MAP_FAILED;
    if (check(src != MAP_FAILED, "a page granted to dom0 (ref %u)", al.gref_ids[0])) {
        strcpy(src, "granted");
        uint32_t dom = 0, ref = al.gref_ids[0];
        int rc;
        char *dst = xenoctrl_gnttab_map(g, 1, &dom, &ref, PROT_READ | PROT_WRITE, &rc);
        if (check(dst != NULL, "xenoctrl_gnttab_map of it (%d)", rc)) {
            check(!strcmp(dst, "granted"), "the mapping shows the granter's data");
            strcpy(dst, "written back");
            check(!strcmp(src, "written back"), "and writes go through");
            check(xenoctrl_gnttab_unmap(g, dst, 1) == 0, "xenoctrl_gnttab_unmap");
        }
        munmap(src, 4096);
    }
    xenoctrl_gnttab_close(g);
    close(ga);
}

int main(void)
{
    xenoctrl *x;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (check(xenoctrl_open(&x) == 0, "open /dev/xen/privcmd")) {
        host(x);
        build_and_run(x);
        xenoctrl_close(x);
    }
    evtchn();
    gnttab();
    printf("xenoctrl-smoke: %d passed, %d failed\n", passed, failed);
    return failed;
}
