/* SPDX-License-Identifier: MIT */
/*
 * hello: the first things every PV kernel relies on: console_io,
 * xen_version, the start_info page the dom0 builder fills in, the
 * shared_info page and the per-vCPU time record.
 */
#include "xtest.h"
#include "evtchn.h"
#include "mm.h"
#include "time.h"

const char xtest_name[] = "hello";

/* The loader must zero the part of PT_LOAD beyond p_filesz (.bss)... */
static uint64_t bss_probe[512];
/* ...and copy initialised data. */
static volatile uint64_t data_probe = 0x0123456789abcdefULL;

static void test_console(void)
{
    static const char msg[] = "hello: raw console_io write\n";

    xtest_section("console_io");
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg), 0,
             "CONSOLEIO_write returns 0");
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 0, msg), 0,
             "CONSOLEIO_write of 0 bytes");
    /* dom0 may read the console: nothing was typed, so 0 bytes come back. */
    {
        char in[16];
        CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_read, sizeof(in), in), 0,
                 "CONSOLEIO_read with no input returns 0");
    }
    CHECK_EQ(HYPERVISOR_console_io(99, 1, msg), -ENOSYS,
             "unknown console_io command");
}

static void test_version(void)
{
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);
    xen_extraversion_t extra;
    static xen_capabilities_info_t caps;
    static xen_commandline_t cmdline;
    struct xen_feature_info fi = { .submap_idx = 0 };
    struct xen_platform_parameters pp;

    xtest_section("xen_version");
    printf("  version %ld.%ld\n", v >> 16, v & 0xffff);
    /* Guests gate features on >= 3.x; Xen 4.17 answers 4.17. */
    CHECK(v >= (3L << 16), "XENVER_version is a 3.x or later version (%#lx)", v);

    memset(extra, 0x55, sizeof(extra));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, extra), 0,
             "XENVER_extraversion");
    CHECK(strnlen(extra, sizeof(extra)) < sizeof(extra),
          "extraversion is NUL-terminated within 16 bytes (\"%.16s\")", extra);

    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0,
             "XENVER_get_features submap 0");
    printf("  features submap 0 = %#x\n", fi.submap);
    /* Linux 6.1 panics without these two (drivers/xen/features.c). */
    CHECK(fi.submap & (1U << XENFEAT_mmu_pt_update_preserve_ad),
          "feature bit 5 mmu_pt_update_preserve_ad set");
    CHECK(fi.submap & (1U << XENFEAT_gnttab_map_avail_bits),
          "feature bit 7 gnttab_map_avail_bits set");
    /* Direct-paging PV: no translation, page tables not writable. */
    CHECK(!(fi.submap & (1U << XENFEAT_auto_translated_physmap)),
          "feature bit 2 auto_translated_physmap clear");
    CHECK(!(fi.submap & (1U << XENFEAT_writable_page_tables)),
          "feature bit 0 writable_page_tables clear");
    CHECK(!(fi.submap & (1U << XENFEAT_supervisor_mode_kernel)),
          "feature bit 3 supervisor_mode_kernel clear");
    CHECK(fi.submap & (1U << XENFEAT_dom0), "feature bit 11 dom0 set for dom0");
    fi.submap_idx = 1;
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), -EINVAL,
             "XENVER_get_features submap 1 (beyond XENFEAT_NR_SUBMAPS)");

    CHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, caps), 0,
             "XENVER_capabilities");
    printf("  capabilities \"%s\"\n", caps);
    CHECK(strstr(caps, "xen-3.0-x86_64") != NULL,
          "capabilities contain xen-3.0-x86_64");

    CHECK_EQ(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096,
             "XENVER_pagesize");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp), 0,
             "XENVER_platform_parameters");
    CHECK_EQ(pp.virt_start, HYPERVISOR_VIRT_START,
             "platform_parameters.virt_start is HYPERVISOR_VIRT_START");

    CHECK_EQ(HYPERVISOR_xen_version(XENVER_commandline, cmdline), 0,
             "XENVER_commandline (dom0 may read it)");
    CHECK(strstr(cmdline, "dom0_mem=128M") != NULL,
          "hypervisor command line contains dom0_mem=128M (\"%.100s\")", cmdline);

    CHECK_EQ(HYPERVISOR_xen_version(0x7fff, NULL), -ENOSYS,
             "unknown xen_version command");
}

static void test_start_info(void)
{
    struct start_info *si = xtest_start_info;
    unsigned long i, bad = 0, nonzero = 0;
    domid_t self = DOMID_SELF;
    long cur;

    xtest_section("start_info");
    printf("  magic \"%.32s\" nr_pages %lu flags %#x shared_info %#lx\n",
           si->magic, si->nr_pages, si->flags, si->shared_info);
    printf("  pt_base %#lx nr_pt_frames %lu mfn_list %#lx cmd_line \"%s\"\n",
           si->pt_base, si->nr_pt_frames, si->mfn_list, si->cmd_line);

    CHECK(((unsigned long)si & ~PAGE_MASK) == 0, "start_info is page aligned");
    CHECK(!strncmp(si->magic, "xen-3.0-x86_64", 14),
          "magic starts with xen-3.0-x86_64");
    CHECK((si->flags & SIF_INITDOMAIN) && (si->flags & SIF_PRIVILEGED),
          "flags have SIF_INITDOMAIN and SIF_PRIVILEGED");
    /* dom0_mem=128M on the command line. */
    CHECK_EQ(si->nr_pages, 32768, "nr_pages matches dom0_mem=128M");
    cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    CHECK_EQ(cur, (long)si->nr_pages, "nr_pages == XENMEM_current_reservation");
    CHECK((si->shared_info & ~PAGE_MASK) == 0, "shared_info maddr page aligned");
    CHECK((si->pt_base & ~PAGE_MASK) == 0 && si->pt_base < xtest_map_end,
          "pt_base page aligned and inside the initial mapping");
    CHECK(si->nr_pt_frames >= 4, "at least L4+L3+L2+L1 page-table frames");
    CHECK(si->mfn_list >= (unsigned long)&data_probe && si->mfn_list < xtest_map_end,
          "p2m list lies after the kernel inside the initial mapping");
    CHECK(!strcmp(si->cmd_line, "xeno-test"),
          "cmd_line is the module's argument \"xeno-test\"");

    /* P2M and M2P must be inverse of each other for every frame we own. */
    for (i = 0; i < si->nr_pages; i++)
        if (xtest_m2p[xtest_p2m[i]] != i)
            bad++;
    CHECK_EQ(bad, 0, "M2P[P2M[pfn]] == pfn for all %lu pfns", si->nr_pages);

    /* Every page-table frame is mapped read-only (direct paging rule). */
    bad = 0;
    for (i = 0; i < si->nr_pt_frames; i++) {
        uint64_t pte = pte_get(si->pt_base + i * PAGE_SIZE);

        if (!(pte & _PAGE_PRESENT) || (pte & _PAGE_RW))
            bad++;
    }
    CHECK_EQ(bad, 0, "all %lu page-table frames mapped read-only", si->nr_pt_frames);
    CHECK(pte_get((unsigned long)si) & _PAGE_RW, "start_info page mapped writable");
    CHECK((pte_get((unsigned long)&data_probe) & PTE_MFN_MASK) >> PAGE_SHIFT ==
              xtest_p2m[virt_to_pfn((void *)&data_probe)],
          "kernel VA maps the frame the p2m names (VA == pfn << 12)");

    for (i = 0; i < ARRAY_SIZE(bss_probe); i++)
        nonzero |= bss_probe[i];
    CHECK_EQ(nonzero, 0, ".bss (memsz beyond filesz) is zeroed");
    CHECK_EQ(data_probe, 0x0123456789abcdefULL, ".data is loaded");
    CHECK(xtest_boot_rsp > si->pt_base && xtest_boot_rsp <= xtest_map_end &&
              (xtest_boot_rsp & ~PAGE_MASK) == 0,
          "initial rsp (%#lx) is a page-aligned boot stack top after pt_base",
          xtest_boot_rsp);
    CHECK(free_pages_left() >= 128,
          "at least 512 KiB of slack at the end of the initial mapping");
}

static void test_shared_info(void)
{
    struct shared_info *s = xtest_shared;
    struct vcpu_info *vi = xtest_vcpu_info[0];
    struct vcpu_time_info t;
    uint64_t t1, t2, t3;

    xtest_section("shared_info and time");
    /* The builder masks every vCPU's upcalls; nothing has unmasked yet. */
    CHECK_EQ(vi->evtchn_upcall_mask, 1, "vcpu_info[0].evtchn_upcall_mask is 1 at boot");
    CHECK_EQ(s->vcpu_info[1].evtchn_upcall_mask, 1, "vcpu_info[1].evtchn_upcall_mask is 1");
    CHECK((s->wc_version & 1) == 0, "wallclock version even (%u)", s->wc_version);

    t = vi->time;
    printf("  time: version %u tsc_timestamp %#lx system_time %lu mul %u shift %d flags %#x\n",
           t.version, t.tsc_timestamp, t.system_time, t.tsc_to_system_mul,
           t.tsc_shift, t.flags);
    CHECK((t.version & 1) == 0, "vcpu_time_info.version is even");
    CHECK(t.tsc_to_system_mul != 0, "tsc_to_system_mul != 0");
    CHECK(t.system_time > 0, "system_time > 0");

    t1 = xtest_now();
    xtest_udelay_ns(MILLISECS(2));
    t2 = xtest_now();
    CHECK(t2 >= t1 + MILLISECS(2), "system time advances (%lu -> %lu)", t1, t2);
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    t3 = xtest_now();
    CHECK(t3 >= t2, "system time is monotonic across a yield");
    CHECK(t3 < t1 + 10000000000ULL, "system time advances at a sane rate");
}

void xtest_main(void)
{
    test_console();
    test_version();
    test_start_info();
    test_shared_info();
}
