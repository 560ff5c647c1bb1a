/* SPDX-License-Identifier: MIT */
/*
 * grant: grant tables, version 1.  A domain grants access to one of its
 * frames by filling an entry {flags, domid, frame} of its own table (frames
 * obtained with GNTTABOP_setup_table); a grantee names (granting domain,
 * ref) in map/unmap/copy operations.  dom0 grants to itself here, which
 * Xen allows, so the whole path runs in one domain.  Per-operation errors
 * come back in the op's status field (GNTST_*), not as the hypercall's
 * return value.
 */
#include "xtest.h"
#include "mm.h"
#include "traps.h"
#include "gnttab.h"

const char xtest_name[] = "grant";

#define REF 10                  /* refs 0..7 are reserved by convention */

static unsigned int max_frames;

static void test_setup(void)
{
    static xen_pfn_t frames[4];
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    struct gnttab_set_version sv = { .version = 1 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };

    xtest_section("table setup");
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1), 0, "query_size");
    CHECK_EQ(qs.status, GNTST_okay, "query_size status");
    printf("  nr_frames %u max_nr_frames %u\n", qs.nr_frames, qs.max_nr_frames);
    CHECK(qs.max_nr_frames >= 4, "max_nr_frames >= 4 (%u)", qs.max_nr_frames);
    max_frames = qs.max_nr_frames;

    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1), 0, "set_version(1)");
    CHECK_EQ(sv.version, 1, "version in force is 1");
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), 0, "get_version");
    CHECK_EQ(gv.version, 1, "get_version says 1");
    sv.version = 3;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1), -EINVAL,
             "set_version(3) -> -EINVAL");

    CHECK_EQ(gnttab_setup(1), GNTST_okay,
             "setup_table(1 frame), and map the frame writable (its owner may)");
    qs.nr_frames = 0;
    HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1);
    CHECK(qs.nr_frames >= 1, "query_size now reports >= 1 frame (%u)", qs.nr_frames);

    xen_guest_handle_set(st.frame_list, frames);
    st.nr_frames = max_frames + 1;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0,
             "setup_table beyond max_nr_frames: hypercall 0...");
    CHECK_EQ(st.status, GNTST_general_error, "...status GNTST_general_error");
    st.dom = 5;
    st.nr_frames = 1;
    HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
    CHECK_EQ(st.status, GNTST_bad_domain, "setup_table of a nonexistent domain -> GNTST_bad_domain");
    qs.dom = 5;
    HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1);
    CHECK_EQ(qs.status, GNTST_bad_domain, "query_size of a nonexistent domain -> GNTST_bad_domain");
    CHECK_EQ(HYPERVISOR_grant_table_op(99, &qs, 1), -ENOSYS, "unknown grant op -> -ENOSYS");
}

static void test_map(void)
{
    uint64_t *src = alloc_page(), *slot = alloc_page();
    unsigned long va = (unsigned long)slot;
    struct gnttab_map_grant_ref m;
    uint64_t v;

    xtest_section("map_grant_ref / unmap_grant_ref (self-grant)");
    src[0] = 0x6772616e74UL;
    set_pte_va(va, 0, UVMF_INVLPG);            /* an empty PTE to map into */
    gnttab_grant(REF, virt_to_mfn(src), 0, GTF_permit_access);

    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, REF, 0, &m), GNTST_okay,
             "map ref %u of dom 0 at a kernel VA", REF);
    CHECK_EQ(*(volatile uint64_t *)va, src[0], "the VA shows the granted page");
    CHECK_EQ(m.dev_bus_addr, virt_to_mfn(src) << PAGE_SHIFT,
             "dev_bus_addr = granted MFN << 12");
    CHECK((gnttab_v1[REF].flags & (GTF_reading | GTF_writing)) == (GTF_reading | GTF_writing),
          "entry flags show GTF_reading|GTF_writing while mapped RW (%#x)", gnttab_v1[REF].flags);
    *(volatile uint64_t *)va = 42;
    CHECK_EQ(src[0], 42, "writes through the grant mapping reach the page");
    CHECK_EQ(gnttab_unmap(va, m.handle), GNTST_okay, "unmap");
    CHECK_EQ(gnttab_v1[REF].flags & (GTF_reading | GTF_writing), 0, "reading/writing cleared");
    CHECK_EQ(probe_read64((uint64_t *)va, &v), X86_EXC_PF, "the VA is unmapped again");
    CHECK_EQ(gnttab_unmap(va, m.handle), GNTST_bad_handle, "unmapping twice -> GNTST_bad_handle");
    CHECK_EQ(gnttab_unmap(va, 12345), GNTST_bad_handle, "unmap of a bogus handle -> GNTST_bad_handle");

    CHECK_EQ(gnttab_map(va, GNTMAP_host_map | GNTMAP_readonly, REF, 0, &m), GNTST_okay,
             "map read-only");
    CHECK_EQ(gnttab_v1[REF].flags & (GTF_reading | GTF_writing), GTF_reading,
             "only GTF_reading while mapped RO");
    CHECK_EQ(probe_write64((uint64_t *)va, 1), X86_EXC_PF, "writes to it fault");
    CHECK_EQ(gnttab_unmap(va, m.handle), GNTST_okay, "unmap");

    gnttab_grant(REF, virt_to_mfn(src), 0, GTF_permit_access | GTF_readonly);
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, REF, 0, &m), GNTST_general_error,
             "a read-only grant mapped writable -> GNTST_general_error");
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map | GNTMAP_readonly, REF, 0, &m), GNTST_okay,
             "the read-only grant mapped read-only is fine");
    gnttab_unmap(va, m.handle);

    gnttab_grant(REF, virt_to_mfn(src), 5, GTF_permit_access);
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, REF, 0, &m), GNTST_general_error,
             "a grant to another domain -> GNTST_general_error");
    gnttab_grant(REF, virt_to_mfn(src), 0, GTF_invalid);
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, REF, 0, &m), GNTST_general_error,
             "an entry without GTF_permit_access -> GNTST_general_error");
    gnttab_grant(REF, virt_to_mfn(src), 0, GTF_permit_access);
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, 512 * max_frames + 7, 0, &m), GNTST_bad_gntref,
             "a ref beyond the table -> GNTST_bad_gntref");
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, REF, 5, &m), GNTST_bad_domain,
             "a nonexistent granting domain -> GNTST_bad_domain");
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, REF, DOMID_SELF, &m), GNTST_bad_domain,
             "DOMID_SELF as the granting domain -> GNTST_bad_domain");
    CHECK_EQ(gnttab_map(va, 0, REF, 0, &m), GNTST_bad_gntref,
             "neither host_map nor device_map -> GNTST_bad_gntref");
    CHECK_EQ(gnttab_map(1UL << 30, GNTMAP_host_map, REF, 0, &m), GNTST_general_error,
             "host_addr with no L1 table -> GNTST_general_error");
    CHECK_EQ(gnttab_v1[REF].flags & (GTF_reading | GTF_writing), 0,
             "failed maps leave no reading/writing bits behind");

    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 0), 0, "map of 0 ops");
    remap_rw(slot);
}

static void test_copy(void)
{
    uint8_t *a = alloc_page(), *b = alloc_page();
    struct gnttab_copy c;
    unsigned int i, bad = 0;

    xtest_section("GNTTABOP_copy");
    for (i = 0; i < PAGE_SIZE; i++)
        a[i] = (uint8_t)i;
    memset(&c, 0, sizeof(c));
    c.source.u.gmfn = virt_to_mfn(a);
    c.source.domid = DOMID_SELF;
    c.source.offset = 16;
    c.dest.u.gmfn = virt_to_mfn(b);
    c.dest.domid = DOMID_SELF;
    c.dest.offset = 100;
    c.len = 200;
    CHECK_EQ(gnttab_copy1(&c), GNTST_okay, "copy 200 bytes between two own frames");
    for (i = 0; i < 200; i++)
        if (b[100 + i] != (uint8_t)(16 + i))
            bad++;
    CHECK_EQ(bad, 0, "the bytes arrived at the right offset");
    CHECK(b[99] == 0 && b[300] == 0, "nothing around them was touched");

    gnttab_grant(REF, virt_to_mfn(a), 0, GTF_permit_access | GTF_readonly);
    c.flags = GNTCOPY_source_gref;
    c.source.u.ref = REF;
    c.source.domid = 0;
    c.dest.offset = 1000;
    CHECK_EQ(gnttab_copy1(&c), GNTST_okay, "copy with the source given as a grant ref");
    CHECK_EQ(b[1000], 16, "data arrived");
    CHECK_EQ(gnttab_v1[REF].flags & (GTF_reading | GTF_writing), 0,
             "the grant is released after the copy");
    c.flags = GNTCOPY_dest_gref;
    c.dest.u.ref = REF;
    c.dest.domid = 0;
    c.source.u.gmfn = virt_to_mfn(b);
    c.source.domid = DOMID_SELF;
    CHECK_EQ(gnttab_copy1(&c), GNTST_general_error,
             "copy into a read-only grant -> GNTST_general_error");

    c.flags = 0;
    c.source.u.gmfn = virt_to_mfn(a);
    c.dest.u.gmfn = virt_to_mfn(b);
    c.dest.domid = DOMID_SELF;
    c.source.offset = 4000;
    c.dest.offset = 0;
    c.len = 200;
    CHECK_EQ(gnttab_copy1(&c), GNTST_bad_copy_arg, "a source crossing the page end -> GNTST_bad_copy_arg");
    c.source.offset = 0;
    c.dest.offset = 3999;
    CHECK_EQ(gnttab_copy1(&c), GNTST_bad_copy_arg, "a destination crossing the page end -> GNTST_bad_copy_arg");
    c.dest.offset = 0;
    c.source.domid = 5;
    CHECK_EQ(gnttab_copy1(&c), GNTST_bad_domain, "a nonexistent source domain -> GNTST_bad_domain");
    c.source.domid = DOMID_SELF;
    c.flags = GNTCOPY_source_gref;
    c.source.u.ref = 512 * max_frames + 7;
    c.source.domid = 0;
    CHECK_EQ(gnttab_copy1(&c), GNTST_bad_gntref, "a bad source ref -> GNTST_bad_gntref");
}

void xtest_main(void)
{
    test_setup();
    if (!gnttab_v1)
        return;
    test_map();
    test_copy();
}
