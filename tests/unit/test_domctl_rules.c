// UNIT-SOURCES: hypervisor/common/domctl_rules.c hypervisor/common/rangeset.c
/* SPDX-License-Identifier: MIT */
/*
 * The pure parts of domctl/sysctl: createdomain's configuration check,
 * domain-id choice (Xen's rover), getdomaininfo flags, getpageframeinfo3
 * types, readconsole's start position, and the I/O permission range sets.
 */
#include "unit.h"
#include "xeno/domctl_rules.h"
#include "xeno/errno.h"
#include "xeno/page_type.h"
#include "xeno/rangeset.h"

#include <string.h>

/* ---- createdomain_check ---- */

static struct xen_domctl_createdomain good_config(void)
{
    struct xen_domctl_createdomain c;
    memset(&c, 0, sizeof(c));
    c.max_vcpus = 2;
    c.max_evtchn_port = 1023;
    c.max_grant_frames = -1;
    c.max_maptrack_frames = -1;
    c.grant_opts = 1;
    return c;
}

static int check(const struct xen_domctl_createdomain *c, unsigned int *ports)
{
    return createdomain_check(c, 32, 64, ports);
}

static void test_create_good(void)
{
    struct xen_domctl_createdomain c = good_config();
    unsigned int ports = 0;
    CU_ASSERT_EQUAL(check(&c, &ports), 0);
    CU_ASSERT_EQUAL(ports, 1024);
    c.flags = XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_oos_off;
    c.grant_opts = 0;               /* default version */
    c.max_grant_frames = 64;
    c.arch.misc_flags = XEN_X86_MSR_RELAXED;
    c.max_vcpus = 32;
    CU_ASSERT_EQUAL(check(&c, &ports), 0);
    c.max_evtchn_port = 0xffffffffu; /* capped at the 2-level limit */
    CU_ASSERT_EQUAL(check(&c, &ports), 0);
    CU_ASSERT_EQUAL(ports, 4096);
    c.max_evtchn_port = 0;
    CU_ASSERT_EQUAL(check(&c, &ports), 0);
    CU_ASSERT_EQUAL(ports, 1);
}

static void test_create_refused(void)
{
    static const uint32_t bad_flags[] = {
        XEN_DOMCTL_CDF_hvm, XEN_DOMCTL_CDF_hap, XEN_DOMCTL_CDF_s3_integrity, XEN_DOMCTL_CDF_iommu,
        XEN_DOMCTL_CDF_nested_virt, XEN_DOMCTL_CDF_vpmu, 1U << 8, 1U << 31,
    };
    unsigned int ports = 77;
    for (unsigned int i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
        struct xen_domctl_createdomain c = good_config();
        c.flags = bad_flags[i];
        CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    }
    struct xen_domctl_createdomain c = good_config();
    c.max_vcpus = 0;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c.max_vcpus = 33;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.iommu_opts = 1;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.max_grant_frames = 0;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.max_grant_frames = 65;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.max_grant_frames = -2;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.max_maptrack_frames = -5;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.grant_opts = 2;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.grant_opts = 1 | 0x10;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.vmtrace_size = 4096;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.arch.emulation_flags = 1;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.arch.misc_flags = 2;
    CU_ASSERT_EQUAL(check(&c, &ports), -EINVAL);
    c = good_config(); c.cpupool_id = 1;
    CU_ASSERT_EQUAL(check(&c, &ports), -ENOENT);
    CU_ASSERT_EQUAL(ports, 77);     /* untouched on every error */
}

/* ---- domid_choose ---- */

static bool taken[DOMID_FIRST_RESERVED];

static bool usable(void *ctx, uint16_t id)
{
    (void)ctx;
    return !taken[id];
}

static void test_domid_requested(void)
{
    uint16_t rover = 0, out = 0;
    memset(taken, 0, sizeof(taken));
    taken[0] = taken[5] = true;
    CU_ASSERT_EQUAL(domid_choose(7, &rover, usable, NULL, &out), 0);
    CU_ASSERT_EQUAL(out, 7);
    CU_ASSERT_EQUAL(rover, 0);      /* an explicit id does not move the rover */
    out = 99;
    CU_ASSERT_EQUAL(domid_choose(5, &rover, usable, NULL, &out), -EEXIST);
    CU_ASSERT_EQUAL(out, 99);
    CU_ASSERT_EQUAL(domid_choose(DOMID_FIRST_RESERVED - 1, &rover, usable, NULL, &out), 0);
    CU_ASSERT_EQUAL(out, DOMID_FIRST_RESERVED - 1);
}

static void test_domid_rover(void)
{
    uint16_t rover = 0, out = 0;
    memset(taken, 0, sizeof(taken));
    taken[0] = taken[1] = taken[2] = true;      /* dom0 and two boot-time domUs */
    CU_ASSERT_EQUAL(domid_choose(0, &rover, usable, NULL, &out), 0);
    CU_ASSERT_EQUAL(out, 3);
    taken[3] = true;
    CU_ASSERT_EQUAL(domid_choose(DOMID_SELF, &rover, usable, NULL, &out), 0);
    CU_ASSERT_EQUAL(out, 4);
    /* 3 destroyed: not reused while higher ids are free */
    taken[3] = false;
    CU_ASSERT_EQUAL(domid_choose(0, &rover, usable, NULL, &out), 0);
    CU_ASSERT_EQUAL(out, 5);
    /* wrap: at the top the search continues at 1, never 0 */
    rover = DOMID_FIRST_RESERVED - 1;
    CU_ASSERT_EQUAL(domid_choose(0, &rover, usable, NULL, &out), 0);
    CU_ASSERT_EQUAL(out, 3);
    CU_ASSERT_EQUAL(rover, 3);
    /* everything taken */
    memset(taken, 1, sizeof(taken));
    out = 42;
    CU_ASSERT_EQUAL(domid_choose(0, &rover, usable, NULL, &out), -ENOMEM);
    CU_ASSERT_EQUAL(out, 42);
    CU_ASSERT_EQUAL(rover, 3);
}

/* ---- dominfo_flags ---- */

static void test_dominfo_flags(void)
{
    struct dominfo_state s = { 0 };
    /* No vCPU online: neither blocked nor running (Xen). */
    CU_ASSERT_EQUAL(dominfo_flags(&s), 0);
    s.nr_online = 2;
    s.nr_online_blocked = 2;
    CU_ASSERT_EQUAL(dominfo_flags(&s), XEN_DOMINF_blocked);
    s.nr_online_blocked = 1;
    s.nr_running = 1;
    CU_ASSERT_EQUAL(dominfo_flags(&s), XEN_DOMINF_running);
    s.paused = true;
    s.xs_domain = true;
    CU_ASSERT_EQUAL(dominfo_flags(&s), XEN_DOMINF_running | XEN_DOMINF_paused | XEN_DOMINF_xs_domain);
    struct dominfo_state t = { .shutdown = true, .shutdown_reason = 3, .dying = true };
    CU_ASSERT_EQUAL(dominfo_flags(&t), XEN_DOMINF_shutdown | XEN_DOMINF_dying | (3U << 16));
    t.shutdown_reason = 0x1ff;      /* masked to 8 bits */
    CU_ASSERT_EQUAL(dominfo_flags(&t) >> XEN_DOMINF_shutdownshift, 0xff);
    t.shutdown = false;             /* a reason means nothing without shutdown */
    CU_ASSERT_EQUAL(dominfo_flags(&t), XEN_DOMINF_dying);
}

/* ---- pfinfo_type ---- */

static void test_pfinfo(void)
{
    CU_ASSERT_EQUAL(pfinfo_type(0), XEN_DOMCTL_PFINFO_NOTAB);
    CU_ASSERT_EQUAL(pfinfo_type(PGT_writable_page | 3), XEN_DOMCTL_PFINFO_NOTAB);
    CU_ASSERT_EQUAL(pfinfo_type(PGT_seg_desc_page | PGT_validated | 1), XEN_DOMCTL_PFINFO_NOTAB);
    CU_ASSERT_EQUAL(pfinfo_type(PGT_l1_page_table | PGT_validated | 1), XEN_DOMCTL_PFINFO_L1TAB);
    CU_ASSERT_EQUAL(pfinfo_type(PGT_l2_page_table | PGT_validated | 1), XEN_DOMCTL_PFINFO_L2TAB);
    CU_ASSERT_EQUAL(pfinfo_type(PGT_l3_page_table | PGT_validated | 1), XEN_DOMCTL_PFINFO_L3TAB);
    CU_ASSERT_EQUAL(pfinfo_type(PGT_l4_page_table | PGT_validated | PGT_pinned | 1),
                    XEN_DOMCTL_PFINFO_L4TAB | XEN_DOMCTL_PFINFO_LPINTAB);
    /* A former table, type kept at count 0 but no longer validated. */
    CU_ASSERT_EQUAL(pfinfo_type(PGT_l1_page_table), XEN_DOMCTL_PFINFO_NOTAB);
}

/* ---- conring_start ---- */

static void test_conring(void)
{
    /* 100 bytes written, all kept. */
    CU_ASSERT_EQUAL(conring_start(100, 0, 0, false, 0), 0);
    CU_ASSERT_EQUAL(conring_start(100, 0, 40, false, 0), 40);       /* after a clear */
    CU_ASSERT_EQUAL(conring_start(100, 0, 0, true, 60), 60);
    CU_ASSERT_EQUAL(conring_start(100, 0, 0, true, 100), 100);      /* nothing new */
    CU_ASSERT_EQUAL(conring_start(100, 0, 0, true, 101), 0);        /* in the future: from the start */
    /* The ring dropped everything below 1000. */
    CU_ASSERT_EQUAL(conring_start(5000, 1000, 0, false, 0), 1000);
    CU_ASSERT_EQUAL(conring_start(5000, 1000, 0, true, 500), 1000); /* overwritten */
    CU_ASSERT_EQUAL(conring_start(5000, 1000, 3000, true, 2000), 3000);   /* before the clear */
    CU_ASSERT_EQUAL(conring_start(5000, 1000, 3000, true, 4000), 4000);
    /* The index is the running count modulo 2^32. */
    uint64_t head = (5ULL << 32) + 100, oldest = head - 16384;
    CU_ASSERT_EQUAL(conring_start(head, oldest, 0, true, 50), head - 50);
    CU_ASSERT_EQUAL(conring_start(head, oldest, 0, true, (uint32_t)-10), head - 110);
    CU_ASSERT_EQUAL(conring_start(head, oldest, 0, true, (uint32_t)-20000), oldest);
}

/* ---- rangeset ---- */

static void expect(const struct rangeset *s, unsigned int n, const uint64_t *pairs)
{
    CU_ASSERT_EQUAL_FATAL(s->nr, n);
    for (unsigned int i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(s->r[i].first, pairs[2 * i]);
        CU_ASSERT_EQUAL(s->r[i].last, pairs[2 * i + 1]);
    }
}

static void test_rangeset_add(void)
{
    struct rangeset s;
    rangeset_init(&s);
    CU_ASSERT_FALSE(rangeset_contains(&s, 0, 0));
    CU_ASSERT_EQUAL(rangeset_add(&s, 10, 20), 0);
    CU_ASSERT_EQUAL(rangeset_add(&s, 30, 40), 0);
    CU_ASSERT_EQUAL(rangeset_add(&s, 0, 5), 0);
    expect(&s, 3, (uint64_t[]){ 0, 5, 10, 20, 30, 40 });
    CU_ASSERT_EQUAL(rangeset_add(&s, 21, 29), 0);          /* adjacent both sides: merges */
    expect(&s, 2, (uint64_t[]){ 0, 5, 10, 40 });
    CU_ASSERT_EQUAL(rangeset_add(&s, 3, 12), 0);           /* overlapping */
    expect(&s, 1, (uint64_t[]){ 0, 40 });
    CU_ASSERT_TRUE(rangeset_contains(&s, 0, 40));
    CU_ASSERT_FALSE(rangeset_contains(&s, 0, 41));
    CU_ASSERT_EQUAL(rangeset_add(&s, 5, 4), -EINVAL);
    CU_ASSERT_EQUAL(rangeset_add(&s, UINT64_MAX - 1, UINT64_MAX), 0);
    CU_ASSERT_TRUE(rangeset_contains(&s, UINT64_MAX, UINT64_MAX));
    expect(&s, 2, (uint64_t[]){ 0, 40, UINT64_MAX - 1, UINT64_MAX });
}

static void test_rangeset_remove_and_full(void)
{
    struct rangeset s;
    rangeset_init(&s);
    CU_ASSERT_EQUAL(rangeset_add(&s, 0, 99), 0);
    CU_ASSERT_EQUAL(rangeset_remove(&s, 10, 19), 0);       /* split */
    expect(&s, 2, (uint64_t[]){ 0, 9, 20, 99 });
    CU_ASSERT_EQUAL(rangeset_remove(&s, 5, 25), 0);
    expect(&s, 2, (uint64_t[]){ 0, 4, 26, 99 });
    CU_ASSERT_EQUAL(rangeset_remove(&s, 200, 300), 0);     /* not there: fine */
    CU_ASSERT_EQUAL(rangeset_remove(&s, 0, UINT64_MAX), 0);
    CU_ASSERT_EQUAL(s.nr, 0);
    /* Fill every slot with disjoint ranges; one more is -ENOMEM, unchanged. */
    for (unsigned int i = 0; i < RANGESET_MAX; i++)
        CU_ASSERT_EQUAL(rangeset_add(&s, i * 10, i * 10 + 5), 0);
    struct rangeset before = s;
    CU_ASSERT_EQUAL(rangeset_add(&s, 1000, 1001), -ENOMEM);
    CU_ASSERT_EQUAL(memcmp(&s, &before, sizeof(s)), 0);
    CU_ASSERT_EQUAL(rangeset_remove(&s, 2, 3), -ENOMEM);   /* a split needs a slot */
    CU_ASSERT_EQUAL(memcmp(&s, &before, sizeof(s)), 0);
    CU_ASSERT_EQUAL(rangeset_add(&s, 6, 9), 0);            /* merging needs none */
    CU_ASSERT_EQUAL(s.nr, RANGESET_MAX - 1);
    CU_ASSERT_EQUAL(rangeset_remove(&s, 5, 4), -EINVAL);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "createdomain: accepted configurations", test_create_good },
        { "createdomain: refused configurations", test_create_refused },
        { "domid: requested ids", test_domid_requested },
        { "domid: rover and wrap", test_domid_rover },
        { "getdomaininfo flags", test_dominfo_flags },
        { "getpageframeinfo3 types", test_pfinfo },
        { "readconsole start position", test_conring },
        { "rangeset add/merge/contains", test_rangeset_add },
        { "rangeset remove/split/full", test_rangeset_remove_and_full },
        { NULL, NULL },
    };
    unit_add_suite("domctl_rules", cases);
}
