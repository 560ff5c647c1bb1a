// UNIT-SOURCES: dom0-tools/lib/marshal.c
/* SPDX-License-Identifier: MIT */
/*
 * libxenoctrl's pure half (dom0-tools/lib/marshal.c): hypercall
 * structures built, answers decoded, arguments refused before any
 * hypercall, and the ABI numbers the library relies on (Xen's domctl /
 * sysctl numbering, Linux's ioctl encodings).
 */
#include <errno.h>
#include <string.h>
#include <xen/sched.h>

#include "unit.h"
#include "../../dom0-tools/lib/xenoctrl_priv.h"

static void test_prepare(void)
{
    struct xen_domctl op;
    struct xen_sysctl sop;
    memset(&op, 0xaa, sizeof(op));
    xo_domctl_prepare(&op, XEN_DOMCTL_pausedomain, 7);
    CU_ASSERT_EQUAL(op.cmd, XEN_DOMCTL_pausedomain);
    CU_ASSERT_EQUAL(op.interface_version, XEN_DOMCTL_INTERFACE_VERSION);
    CU_ASSERT_EQUAL(op.domain, 7);
    CU_ASSERT_EQUAL(op.u.pad[0], 0);
    CU_ASSERT_EQUAL(op.u.pad[127], 0);
    memset(&sop, 0xaa, sizeof(sop));
    xo_sysctl_prepare(&sop, XEN_SYSCTL_physinfo);
    CU_ASSERT_EQUAL(sop.cmd, XEN_SYSCTL_physinfo);
    CU_ASSERT_EQUAL(sop.interface_version, XEN_SYSCTL_INTERFACE_VERSION);
    CU_ASSERT_EQUAL(sop.u.pad[64], 0);
}

static void test_createdomain(void)
{
    struct xenoctrl_domain_config c;
    struct xen_domctl op, before;

    /* The library's own defaults (xenoctrl_domain_config_default lives in
     * domain.c, which needs a device: restate them). */
    memset(&c, 0, sizeof(c));
    c.max_vcpus = 2;
    c.max_evtchn_port = 1023;
    c.max_grant_frames = -1;
    c.max_maptrack_frames = -1;
    c.flags = XEN_DOMCTL_CDF_xs_domain;
    for (int i = 0; i < 16; i++)
        c.handle[i] = (uint8_t)(i * 3);
    CU_ASSERT_EQUAL(xo_marshal_createdomain(&op, 0, &c), 0);
    CU_ASSERT_EQUAL(op.cmd, XEN_DOMCTL_createdomain);
    CU_ASSERT_EQUAL(op.domain, 0);
    CU_ASSERT_EQUAL(op.u.createdomain.max_vcpus, 2);
    CU_ASSERT_EQUAL(op.u.createdomain.max_evtchn_port, 1023);
    CU_ASSERT_EQUAL(op.u.createdomain.max_grant_frames, -1);
    CU_ASSERT_EQUAL(op.u.createdomain.max_maptrack_frames, -1);
    CU_ASSERT_EQUAL(op.u.createdomain.flags, XEN_DOMCTL_CDF_xs_domain);
    CU_ASSERT_EQUAL(op.u.createdomain.grant_opts, 1);
    CU_ASSERT_EQUAL(op.u.createdomain.handle[15], 45);
    CU_ASSERT_EQUAL(op.u.createdomain.ssidref, 0);
    CU_ASSERT_EQUAL(xo_marshal_createdomain(&op, 42, &c), 0);
    CU_ASSERT_EQUAL(op.domain, 42);

    /* Refused before any hypercall, the op left alone. */
    memset(&op, 0x5c, sizeof(op));
    before = op;
    c.max_vcpus = 0;
    CU_ASSERT_EQUAL(xo_marshal_createdomain(&op, 0, &c), -EINVAL);
    c.max_vcpus = 33;
    CU_ASSERT_EQUAL(xo_marshal_createdomain(&op, 0, &c), -EINVAL);
    c.max_vcpus = 1;
    CU_ASSERT_EQUAL(xo_marshal_createdomain(&op, DOMID_FIRST_RESERVED, &c), -EINVAL);
    CU_ASSERT_EQUAL(xo_marshal_createdomain(&op, 0x10000, &c), -EINVAL);
    CU_ASSERT_EQUAL(xo_marshal_createdomain(&op, 1, NULL), -EINVAL);
    CU_ASSERT_EQUAL(memcmp(&op, &before, sizeof(op)), 0);
}

static void test_dominfo(void)
{
    struct xen_domctl_getdomaininfo in;
    struct xenoctrl_dominfo out;

    memset(&in, 0, sizeof(in));
    in.domain = 9;
    in.flags = XEN_DOMINF_paused | XEN_DOMINF_blocked | XEN_DOMINF_xs_domain | (3U << XEN_DOMINF_shutdownshift);
    in.tot_pages = 100;
    in.max_pages = 256;
    in.shared_info_frame = 0x1234;
    in.cpu_time = 555;
    in.nr_online_vcpus = 2;
    in.max_vcpu_id = 3;
    in.handle[0] = 0xab;
    xo_decode_dominfo(&in, &out);
    CU_ASSERT_EQUAL(out.domid, 9);
    CU_ASSERT_TRUE(out.paused && out.blocked && out.xs_domain);
    CU_ASSERT_FALSE(out.running || out.dying || out.hvm || out.shutdown);
    CU_ASSERT_EQUAL(out.shutdown_reason, 0);        /* a reason only counts with the flag */
    CU_ASSERT_EQUAL(out.tot_pages, 100);
    CU_ASSERT_EQUAL(out.max_pages, 256);
    CU_ASSERT_EQUAL(out.shared_info_frame, 0x1234);
    CU_ASSERT_EQUAL(out.cpu_time_ns, 555);
    CU_ASSERT_EQUAL(out.nr_online_vcpus, 2);
    CU_ASSERT_EQUAL(out.max_vcpu_id, 3);
    CU_ASSERT_EQUAL(out.handle[0], 0xab);
    in.flags = XEN_DOMINF_shutdown | XEN_DOMINF_dying | XEN_DOMINF_running | (SHUTDOWN_crash << 16);
    xo_decode_dominfo(&in, &out);
    CU_ASSERT_TRUE(out.shutdown && out.dying && out.running);
    CU_ASSERT_EQUAL(out.shutdown_reason, SHUTDOWN_crash);
}

static void test_physinfo(void)
{
    struct xen_sysctl_physinfo in;
    struct xenoctrl_physinfo out;

    memset(&in, 0, sizeof(in));
    in.nr_cpus = 4;
    in.max_cpu_id = 3;
    in.cpu_khz = 2400000;
    in.capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    in.total_pages = 1 << 20;
    in.free_pages = 1 << 19;
    in.max_mfn = (1 << 20) - 1;
    in.hw_cap[7] = 0x77;
    xo_decode_physinfo(&in, &out);
    CU_ASSERT_EQUAL(out.nr_cpus, 4);
    CU_ASSERT_EQUAL(out.max_cpu_id, 3);
    CU_ASSERT_EQUAL(out.cpu_khz, 2400000);
    CU_ASSERT_TRUE(out.cap_pv && out.cap_gnttab_v1);
    CU_ASSERT_FALSE(out.cap_hvm || out.cap_directio || out.cap_gnttab_v2);
    CU_ASSERT_EQUAL(out.total_pages, 1 << 20);
    CU_ASSERT_EQUAL(out.free_pages, 1 << 19);
    CU_ASSERT_EQUAL(out.max_mfn, (1 << 20) - 1);
    CU_ASSERT_EQUAL(out.hw_cap[7], 0x77);
}

static void test_small_rules(void)
{
    uint64_t kb = 0;
    CU_ASSERT_EQUAL(xo_maxmem_kb(4096, &kb), 0);
    CU_ASSERT_EQUAL(kb, 4096);
    CU_ASSERT_EQUAL(xo_maxmem_kb(0, &kb), 0);
    CU_ASSERT_EQUAL(xo_maxmem_kb(1025, &kb), -EINVAL);
    CU_ASSERT_EQUAL(kb, 0);

    int none[3] = { 0, 0, 0 }, some[4] = { 0, 0, -14, -22 }, positive[1] = { 22 };
    CU_ASSERT_EQUAL(xo_mmapbatch_first_error(none, 3), 0);
    CU_ASSERT_EQUAL(xo_mmapbatch_first_error(some, 4), -14);
    CU_ASSERT_EQUAL(xo_mmapbatch_first_error(some, 2), 0);
    CU_ASSERT_EQUAL(xo_mmapbatch_first_error(positive, 1), -22);
    CU_ASSERT_EQUAL(xo_mmapbatch_first_error(NULL, 5), 0);

    struct mmuext_op op;
    CU_ASSERT_EQUAL(xo_marshal_pin(&op, 4, 0x1234, true), 0);
    CU_ASSERT_EQUAL(op.cmd, MMUEXT_PIN_L4_TABLE);
    CU_ASSERT_EQUAL(op.arg1.mfn, 0x1234);
    CU_ASSERT_EQUAL(xo_marshal_pin(&op, 1, 5, true), 0);
    CU_ASSERT_EQUAL(op.cmd, MMUEXT_PIN_L1_TABLE);
    CU_ASSERT_EQUAL(xo_marshal_pin(&op, 0, 5, true), -EINVAL);
    CU_ASSERT_EQUAL(xo_marshal_pin(&op, 5, 5, true), -EINVAL);
    CU_ASSERT_EQUAL(xo_marshal_pin(&op, 0, 77, false), 0);
    CU_ASSERT_EQUAL(op.cmd, MMUEXT_UNPIN_TABLE);
    CU_ASSERT_EQUAL(op.arg1.mfn, 77);

    struct xen_memory_reservation r;
    memset(&r, 0xff, sizeof(r));
    xo_marshal_reservation(&r, 3, 0x7000, 16, 9);
    CU_ASSERT_EQUAL(r.extent_start, 0x7000);
    CU_ASSERT_EQUAL(r.nr_extents, 16);
    CU_ASSERT_EQUAL(r.extent_order, 9);
    CU_ASSERT_EQUAL(r.mem_flags, 0);
    CU_ASSERT_EQUAL(r.domid, 3);

    CU_ASSERT_EQUAL(xo_gntdev_map_size(1), 24);
    CU_ASSERT_EQUAL(xo_gntdev_map_size(3), 40);
    CU_ASSERT_EQUAL(xo_gntdev_map_size(0), 24);
}

static void test_names(void)
{
    CU_ASSERT_STRING_EQUAL(xo_domctl_name(XEN_DOMCTL_createdomain), "createdomain");
    CU_ASSERT_STRING_EQUAL(xo_domctl_name(XEN_DOMCTL_getpageframeinfo3), "getpageframeinfo3");
    CU_ASSERT_STRING_EQUAL(xo_domctl_name(12345), "domctl");
    CU_ASSERT_STRING_EQUAL(xo_sysctl_name(XEN_SYSCTL_readconsole), "readconsole");
    CU_ASSERT_STRING_EQUAL(xo_sysctl_name(0), "sysctl");
}

/* Numbers that must not drift: Xen's domctl/sysctl numbering and the
 * encodings of Linux's ioctls (include/uapi/xen/{privcmd,evtchn,gntdev}.h, asm-generic _IOC). */
static void test_abi_numbers(void)
{
    CU_ASSERT_EQUAL(__HYPERVISOR_sysctl, 35);
    CU_ASSERT_EQUAL(__HYPERVISOR_domctl, 36);
    CU_ASSERT_EQUAL(XEN_DOMCTL_createdomain, 1);
    CU_ASSERT_EQUAL(XEN_DOMCTL_getdomaininfo, 5);
    CU_ASSERT_EQUAL(XEN_DOMCTL_max_mem, 11);
    CU_ASSERT_EQUAL(XEN_DOMCTL_setvcpucontext, 12);
    CU_ASSERT_EQUAL(XEN_DOMCTL_getvcpuinfo, 14);
    CU_ASSERT_EQUAL(XEN_DOMCTL_settimeoffset, 24);
    CU_ASSERT_EQUAL(XEN_DOMCTL_getpageframeinfo3, 61);
    CU_ASSERT_EQUAL(XEN_SYSCTL_readconsole, 1);
    CU_ASSERT_EQUAL(XEN_SYSCTL_physinfo, 3);
    CU_ASSERT_EQUAL(XEN_SYSCTL_getdomaininfolist, 6);
    CU_ASSERT_EQUAL(XEN_SYSCTL_cputopoinfo, 16);
    CU_ASSERT_EQUAL(XEN_DOMINF_shutdownshift, 16);
    CU_ASSERT_EQUAL(XEN_DOMCTL_PFINFO_L4TAB, 0x40000000u);
    CU_ASSERT_EQUAL(XEN_DOMCTL_PFINFO_LPINTAB, 0x80000000u);
    CU_ASSERT_NOT_EQUAL(XEN_DOMCTL_INTERFACE_VERSION, 0x15);    /* ours, not Xen 4.17's */
    CU_ASSERT_EQUAL(IOCTL_PRIVCMD_HYPERCALL, 0x00305000u);
    CU_ASSERT_EQUAL(IOCTL_PRIVCMD_MMAPBATCH_V2, 0x00205004u);
    CU_ASSERT_EQUAL(IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0x00044502u);
    CU_ASSERT_EQUAL(IOCTL_EVTCHN_NOTIFY, 0x00044504u);
    CU_ASSERT_EQUAL(IOCTL_GNTDEV_MAP_GRANT_REF, 0x00184700u);
    CU_ASSERT_EQUAL(IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, 0x00184702u);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "domctl/sysctl prepared with our versions", test_prepare },
        { "createdomain marshalled, bad configs refused", test_createdomain },
        { "getdomaininfo decoded", test_dominfo },
        { "physinfo decoded", test_physinfo },
        { "max_mem, mmapbatch errors, pins, reservations, gntdev sizes", test_small_rules },
        { "names for log lines", test_names },
        { "ABI numbers", test_abi_numbers },
        { NULL, NULL },
    };
    unit_add_suite("xenoctrl_marshal", cases);
}
