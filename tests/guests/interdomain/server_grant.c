/* SPDX-License-Identifier: MIT */
/*
 * The server's grant-table part: its own table (the grants the client
 * probes), and mapping, copying and unmapping what the client grants it.
 */
#include "server.h"
#include "traps.h"

static unsigned long data_va, ro_va;
static grant_handle_t data_handle, ro_handle;
static bool data_mapped, ro_mapped;

static void fill(uint64_t *page, uint64_t v)
{
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        page[i] = v;
}

void srv_grant_setup(void)
{
    xtest_section("server: own grant table");
    srv.victim = alloc_page();
    srv.srv_ro = alloc_page();
    fill(srv.victim, VICTIM_PATTERN);
    fill(srv.srv_ro, SRV_RO_PATTERN);
    if (!CHECK_EQ(gnttab_setup(1), GNTST_okay, "setup_table(1 frame) for dom0"))
        return;
    gnttab_grant(SRV_SELF_REF, virt_to_mfn(srv.victim), 0, GTF_permit_access);
    gnttab_grant(SRV_RO_REF, virt_to_mfn(srv.srv_ro), CLIENT_DOMID,
                 GTF_permit_access | GTF_readonly);
    gnttab_grant(SRV_OTHER_REF, virt_to_mfn(srv.victim), NO_SUCH_DOMID, GTF_permit_access);
    xtest_pass("refs %u (to dom0), %u (read-only to d%u), %u (to d%u) filled", SRV_SELF_REF,
               SRV_RO_REF, CLIENT_DOMID, SRV_OTHER_REF, NO_SUCH_DOMID);
}

static bool data_ok(const volatile uint8_t *p)
{
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        if (p[i] != data_byte(i))
            return false;
    return true;
}

void srv_on_granted(void)
{
    struct gnttab_map_grant_ref m;
    unsigned long va = empty_slot();
    uint64_t v = 0;
    struct mailbox *mb = (struct mailbox *)va;

    xtest_section("server: map the client's grants");
    if (CHECK_EQ(gnttab_map(va, GNTMAP_host_map, MBOX_REF, CLIENT_DOMID, &m), GNTST_okay,
                 "map d%u's mailbox (ref %u) read-write", CLIENT_DOMID, MBOX_REF)) {
        srv.mbox = mb;
        srv.mbox_handle = m.handle;
        CHECK_EQ(mb->client_magic, CLIENT_MAGIC, "the mailbox shows the client's magic");
        CHECK_EQ(mb->client_domid, CLIENT_DOMID, "and its domid");
        CHECK_EQ(m.dev_bus_addr, mb->client_mbox_mfn << PAGE_SHIFT,
                 "dev_bus_addr is the client's own MFN of the page");
        CHECK_EQ(slot_mfn(va), mb->client_mbox_mfn, "our PTE maps that MFN");
        srv.client_nr_pages = (long)mb->client_nr_pages;
        CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation,
                                      &(struct xen_memory_domain){ CLIENT_DOMID }),
                 srv.client_nr_pages,
                 "XENMEM_current_reservation(d%u) (dom0 may ask) = its start_info.nr_pages",
                 CLIENT_DOMID);
        /* Our answer goes through the mapping into the client's page. */
        mb->server_victim_mfn = virt_to_mfn(srv.victim);
        mb->server_l4_mfn = xtest_l4_mfn;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        mb->server_magic = SERVER_MAGIC;
    }

    data_va = empty_slot();
    data_mapped = CHECK_EQ(gnttab_map(data_va, GNTMAP_host_map, DATA_REF, CLIENT_DOMID, &m),
                           GNTST_okay, "map the data page (ref %u) read-write", DATA_REF);
    data_handle = m.handle;
    if (data_mapped) {
        CHECK(data_ok((const uint8_t *)data_va), "it holds the client's pattern");
        if (srv.mbox)
            CHECK_EQ(m.dev_bus_addr, srv.mbox->client_data_mfn << PAGE_SHIFT,
                     "at the MFN the client announced");
    }

    ro_va = empty_slot();
    CHECK_EQ(gnttab_map(ro_va, GNTMAP_host_map, RO_REF, CLIENT_DOMID, &m), GNTST_general_error,
             "mapping the read-only grant (ref %u) writable -> GNTST_general_error", RO_REF);
    CHECK_EQ(slot_mfn(ro_va), 0, "and nothing was mapped");
    ro_mapped = CHECK_EQ(gnttab_map(ro_va, GNTMAP_host_map | GNTMAP_readonly, RO_REF,
                                    CLIENT_DOMID, &m),
                         GNTST_okay, "mapping it read-only is fine");
    ro_handle = m.handle;
    if (ro_mapped) {
        CHECK_EQ(probe_read64((uint64_t *)ro_va, &v), -1, "it reads");
        CHECK_EQ(v, CLIENT_MAGIC ^ RO_REF, "the client's read-only pattern");
        CHECK_EQ(probe_write64((uint64_t *)ro_va, 1), X86_EXC_PF, "writing it faults");
    }
    CHECK_EQ(gnttab_map(empty_slot(), GNTMAP_host_map, MBOX_REF, NO_SUCH_DOMID, &m),
             GNTST_bad_domain, "a grant of d%u (no such domain) -> GNTST_bad_domain",
             NO_SUCH_DOMID);
}

void srv_on_seen_mapped(void)
{
    static uint8_t buf[PAGE_SIZE] __aligned(PAGE_SIZE);
    struct gnttab_copy c;
    unsigned int i, bad = 0;
    uint64_t v;

    xtest_section("server: unmap, then copy");
    if (data_mapped) {
        CHECK_EQ(gnttab_unmap(data_va, data_handle), GNTST_okay, "unmap the data page");
        CHECK_EQ(probe_read64((uint64_t *)data_va, &v), X86_EXC_PF, "its VA faults again");
        CHECK_EQ(gnttab_unmap(data_va, data_handle), GNTST_bad_handle,
                 "unmapping it twice -> GNTST_bad_handle");
    }
    if (ro_mapped)
        CHECK_EQ(gnttab_unmap(ro_va, ro_handle), GNTST_okay, "unmap the read-only page");

    memset(&c, 0, sizeof(c));
    c.flags = GNTCOPY_source_gref;
    c.source.u.ref = DATA_REF;
    c.source.domid = CLIENT_DOMID;
    c.source.offset = COPY_SRC_OFF;
    c.dest.u.gmfn = virt_to_mfn(buf);
    c.dest.domid = DOMID_SELF;
    c.dest.offset = 0;
    c.len = COPY_SRC_LEN;
    CHECK_EQ(gnttab_copy1(&c), GNTST_okay, "GNTTABOP_copy %u bytes out of the client's page",
             COPY_SRC_LEN);
    for (i = 0; i < COPY_SRC_LEN; i++)
        if (buf[i] != data_byte(COPY_SRC_OFF + i))
            bad++;
    CHECK_EQ(bad, 0, "they are the client's bytes");

    for (i = 0; i < COPY_DST_LEN; i++)
        buf[i] = copy_byte(i);
    memset(&c, 0, sizeof(c));
    c.flags = GNTCOPY_dest_gref;
    c.source.u.gmfn = virt_to_mfn(buf);
    c.source.domid = DOMID_SELF;
    c.dest.u.ref = DATA_REF;
    c.dest.domid = CLIENT_DOMID;
    c.dest.offset = COPY_DST_OFF;
    c.len = COPY_DST_LEN;
    CHECK_EQ(gnttab_copy1(&c), GNTST_okay, "GNTTABOP_copy %u bytes into it", COPY_DST_LEN);
    c.dest.u.ref = RO_REF;
    CHECK_EQ(gnttab_copy1(&c), GNTST_general_error,
             "copying into the read-only grant -> GNTST_general_error");
}

void srv_on_revoked(void)
{
    struct gnttab_map_grant_ref m;
    struct gnttab_copy c;
    unsigned long va = empty_slot();

    xtest_section("server: the data grant is revoked");
    CHECK_EQ(gnttab_map(va, GNTMAP_host_map, DATA_REF, CLIENT_DOMID, &m), GNTST_general_error,
             "mapping the revoked ref -> GNTST_general_error");
    CHECK_EQ(slot_mfn(va), 0, "nothing mapped");
    memset(&c, 0, sizeof(c));
    c.flags = GNTCOPY_source_gref;
    c.source.u.ref = DATA_REF;
    c.source.domid = CLIENT_DOMID;
    c.dest.u.gmfn = virt_to_mfn(srv.srv_ro);
    c.dest.domid = DOMID_SELF;
    c.len = 8;
    CHECK_EQ(gnttab_copy1(&c), GNTST_general_error,
             "copying from the revoked ref -> GNTST_general_error");
    CHECK_EQ(srv.srv_ro[0], SRV_RO_PATTERN, "our destination page is untouched");
}
