/* SPDX-License-Identifier: MIT */
/*
 * The client's grants to dom0: what it sees in its own table while dom0
 * maps, unmaps and copies, and revoking a grant.
 */
#include "client.h"

#define RW_BITS (GTF_reading | GTF_writing)

static uint16_t gflags(grant_ref_t ref)
{
    return READ_ONCE(gnttab_v1[ref].flags);
}

void cli_grant(void)
{
    struct mailbox *mb = alloc_page();
    unsigned int i;

    xtest_section("client: grant three pages to dom0");
    cli.mbox = mb;
    cli.data = alloc_page();
    cli.ro = alloc_page();
    mb->client_magic = CLIENT_MAGIC;
    mb->client_domid = cli.d.domid;
    mb->client_nr_pages = xtest_start_info->nr_pages;
    mb->client_mbox_mfn = virt_to_mfn(mb);
    mb->client_data_mfn = virt_to_mfn(cli.data);
    for (i = 0; i < PAGE_SIZE; i++)
        cli.data[i] = data_byte(i);
    cli.ro[0] = CLIENT_MAGIC ^ RO_REF;

    if (!CHECK_EQ(gnttab_setup(1), GNTST_okay, "setup_table(1 frame) for ourselves"))
        return;
    gnttab_grant(MBOX_REF, virt_to_mfn(mb), 0, GTF_permit_access);
    gnttab_grant(DATA_REF, virt_to_mfn(cli.data), 0, GTF_permit_access);
    gnttab_grant(RO_REF, virt_to_mfn(cli.ro), 0, GTF_permit_access | GTF_readonly);
    cli.granted = true;
    xtest_pass("refs %u (mailbox), %u (data) read-write and %u read-only granted to dom0",
               MBOX_REF, DATA_REF, RO_REF);
}

void cli_check_mapped(void)
{
    xtest_section("client: our grants while dom0 has them mapped");
    if (!cli.granted) {
        xtest_fail("nothing granted, nothing to look at");
        return;
    }
    CHECK_EQ(gflags(MBOX_REF) & RW_BITS, RW_BITS,
             "the mailbox entry shows GTF_reading|GTF_writing (%#x)", gflags(MBOX_REF));
    CHECK_EQ(gflags(DATA_REF) & RW_BITS, RW_BITS,
             "the data entry shows GTF_reading|GTF_writing (%#x)", gflags(DATA_REF));
    CHECK_EQ(gflags(RO_REF) & RW_BITS, GTF_reading,
             "the read-only entry shows GTF_reading only (%#x)", gflags(RO_REF));
    if (CHECK_EQ(READ_ONCE(cli.mbox->server_magic), SERVER_MAGIC,
                 "dom0's answer arrived in our page through its mapping")) {
        cli.victim_mfn = cli.mbox->server_victim_mfn;
        cli.srv_l4_mfn = cli.mbox->server_l4_mfn;
        printf("  dom0 says: victim page MFN %#lx, L4 MFN %#lx\n", cli.victim_mfn,
               cli.srv_l4_mfn);
    }
}

void cli_check_unmapped_and_revoke(void)
{
    uint16_t want = GTF_permit_access;
    unsigned int i, bad = 0;

    xtest_section("client: after dom0's unmap and copies; revoke");
    if (!cli.granted) {
        xtest_fail("nothing granted, nothing to look at");
        return;
    }
    CHECK_EQ(gflags(DATA_REF), GTF_permit_access,
             "the data entry's reading/writing bits are gone after the unmap and copies");
    CHECK_EQ(gflags(RO_REF), GTF_permit_access | GTF_readonly,
             "so are the read-only entry's");
    CHECK_EQ(gflags(MBOX_REF) & RW_BITS, RW_BITS, "the mailbox is still mapped");
    for (i = 0; i < COPY_DST_LEN; i++)
        if (cli.data[COPY_DST_OFF + i] != copy_byte(i))
            bad++;
    CHECK_EQ(bad, 0, "dom0's GNTTABOP_copy wrote %u bytes at offset %u", COPY_DST_LEN,
             COPY_DST_OFF);
    CHECK(cli.data[COPY_DST_OFF - 1] == data_byte(COPY_DST_OFF - 1) &&
              cli.data[COPY_DST_OFF + COPY_DST_LEN] == data_byte(COPY_DST_OFF + COPY_DST_LEN),
          "and nothing around them");
    /* Revoke as Linux's gnttab_end_foreign_access_ref does: only while
     * nobody has the entry in use. */
    CHECK(__atomic_compare_exchange_n(&gnttab_v1[DATA_REF].flags, &want, 0, false,
                                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST),
          "revoke the data grant (flags %#x -> 0)", want);
}
