/* SPDX-License-Identifier: MIT */
/*
 * The client tries to reach dom0's memory: through its own page tables
 * (mapping dom0's frames, writing dom0's page tables, pinning or loading
 * them, rewriting the M2P) and through dom0's grant table.  Targets are
 * the frames dom0 named in the mailbox plus frames guessed from the
 * machine-wide, world-readable M2P: anything we do not own.  The
 * expected errors are explained in attack.c.
 */
#include "client.h"
#include "traps.h"

#define M2P_ENTRIES_PER_PAGE (PAGE_SIZE / 8)

static bool ours(xen_pfn_t mfn, uint64_t pfn)
{
    return pfn < xtest_start_info->nr_pages && pfn_to_mfn(pfn) == mfn;
}

/* Up to n frames not ours with a plausible M2P entry, one per slice of the
 * machine above 1 MiB (below it lie ROM and MMIO, which Xen refuses with
 * -EPERM instead); M2P pages that are not mapped are skipped. */
static unsigned int guess_foreign(xen_pfn_t *out, unsigned int n)
{
    const xen_pfn_t first = 0x100;
    xen_pfn_t slice = (xtest_m2p_max_mfn - first) / n;
    unsigned int got = 0;
    uint64_t v;

    for (unsigned int s = 0; s < n; s++) {
        xen_pfn_t mfn = first + s * slice, end = mfn + slice;

        while (mfn < end) {
            if (probe_read64(&xtest_m2p[mfn], &v) != -1) {
                mfn = (mfn | (M2P_ENTRIES_PER_PAGE - 1)) + 1;
                continue;
            }
            if (v < (1UL << 20) && !ours(mfn, v)) {
                out[got++] = mfn;
                break;
            }
            mfn++;
        }
    }
    return got;
}

void cli_hostile_mmu(void)
{
    xen_pfn_t guess[4];
    unsigned int n, i;
    uint64_t before;

    xtest_section("client: dom0's memory through the MMU");
    if (cli.victim_mfn) {
        attack_frame(cli.victim_mfn, 0, "dom0's victim page");
        before = xtest_m2p[cli.victim_mfn];
        CHECK_EQ(mmu_update1((cli.victim_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0x1234),
                 -EINVAL, "MMU_MACHPHYS_UPDATE of its M2P entry -> -EINVAL");
        CHECK_EQ(xtest_m2p[cli.victim_mfn], before, "the M2P entry is unchanged");
    } else {
        xtest_fail("dom0's MFNs are unknown (no mailbox): only guessed frames attacked");
    }
    if (cli.srv_l4_mfn) {
        attack_frame(cli.srv_l4_mfn, 0, "dom0's L4");
        attack_l4(cli.srv_l4_mfn, "dom0's L4");
    }
    n = guess_foreign(guess, ARRAY_SIZE(guess));
    CHECK(n > 0, "%u frames not ours found through the M2P", n);
    for (i = 0; i < n; i++)
        attack_frame(guess[i], 0, "a guessed frame");
}

void cli_hostile_grant(void)
{
    struct gnttab_map_grant_ref m;
    struct gnttab_setup_table st = { .dom = 0, .nr_frames = 1 };
    struct gnttab_query_size qs = { .dom = 0 };
    struct gnttab_copy c;
    static xen_pfn_t frames[1];
    static uint8_t buf[PAGE_SIZE] __aligned(PAGE_SIZE);
    unsigned long va = empty_slot();
    uint64_t v = 0;

    xtest_section("client: dom0's grant table");
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, SRV_SELF_REF, 0, &m), GNTST_general_error,
             "map dom0's ref %u (granted to dom0 itself) -> GNTST_general_error", SRV_SELF_REF);
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map | GNTMAP_readonly, SRV_OTHER_REF, 0, &m),
             GNTST_general_error, "map dom0's ref %u (granted to d%u) -> GNTST_general_error",
             SRV_OTHER_REF, NO_SUCH_DOMID);
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, SRV_RO_REF, 0, &m), GNTST_general_error,
             "map dom0's read-only grant to us writable -> GNTST_general_error");
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, 1U << 30, 0, &m), GNTST_bad_gntref,
             "map dom0's ref 2^30 -> GNTST_bad_gntref");
    CHECK_EQ(slot_mfn(va), 0, "nothing was mapped");
    if (CHECK_EQ(gnttab_map(va, GNTMAP_host_map | GNTMAP_readonly, SRV_RO_REF, 0, &m),
                 GNTST_okay, "map it read-only: that one is ours to read")) {
        CHECK_EQ(probe_read64((uint64_t *)va, &v), -1, "it reads");
        CHECK_EQ(v, SRV_RO_PATTERN, "dom0's pattern");
        CHECK_EQ(probe_write64((uint64_t *)va, 0), X86_EXC_PF, "writing it faults");
        CHECK_EQ(gnttab_unmap(va, m.handle), GNTST_okay, "unmap it");
    }

    memset(&c, 0, sizeof(c));
    c.flags = GNTCOPY_source_gref;
    c.source.u.ref = SRV_SELF_REF;
    c.source.domid = 0;
    c.dest.u.gmfn = virt_to_mfn(buf);
    c.dest.domid = DOMID_SELF;
    c.len = 64;
    CHECK_EQ(gnttab_copy1(&c), GNTST_general_error,
             "copy from dom0's ref %u (not ours) -> GNTST_general_error", SRV_SELF_REF);
    c.flags = 0;
    c.source.u.gmfn = cli.victim_mfn ? cli.victim_mfn : 1;
    CHECK_EQ(gnttab_copy1(&c), GNTST_permission_denied,
             "copy from (dom0, MFN) rather than a ref -> GNTST_permission_denied");
    c.source.u.gmfn = virt_to_mfn(buf);
    c.source.domid = DOMID_SELF;
    c.dest.u.gmfn = cli.victim_mfn ? cli.victim_mfn : 1;
    c.dest.domid = 0;
    CHECK_EQ(gnttab_copy1(&c), GNTST_permission_denied,
             "copy to (dom0, MFN) -> GNTST_permission_denied");
    c.flags = GNTCOPY_dest_gref;
    c.dest.u.ref = SRV_RO_REF;
    CHECK_EQ(gnttab_copy1(&c), GNTST_general_error,
             "copy into dom0's read-only grant -> GNTST_general_error");

    xen_guest_handle_set(st.frame_list, frames);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table(dom0)...");
    CHECK_EQ(st.status, GNTST_permission_denied, "...GNTST_permission_denied");
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1), 0, "query_size(dom0)...");
    CHECK_EQ(qs.status, GNTST_permission_denied, "...GNTST_permission_denied");
}
