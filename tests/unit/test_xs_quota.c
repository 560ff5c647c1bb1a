// UNIT-SOURCES: dom0-tools/xenstored/hash.c dom0-tools/xenstored/node.c dom0-tools/xenstored/path.c dom0-tools/xenstored/perms.c dom0-tools/xenstored/quota.c dom0-tools/xenstored/store.c dom0-tools/xenstored/transaction.c dom0-tools/xenstored/watch.c dom0-tools/xenstored/conn.c dom0-tools/xenstored/ops.c dom0-tools/xenstored/ops_node.c dom0-tools/xenstored/domain.c dom0-tools/xenstored/control.c dom0-tools/xenstored/server.c dom0-tools/xenstored/ring.c
/* SPDX-License-Identifier: MIT */
/*
 * xenstored core: per-domain quotas with Xen's defaults and semantics
 * (value v breaks quota q when v >= q; privileged connections unlimited):
 * nodes, node size, watches, transactions, permissions per node, path
 * length, outstanding replies, nodes per transaction; GET/SET_QUOTA and
 * CONTROL quota.
 */
#include "test_xs_fixture.h"

static struct xs_conn *s, *d1;

static void setup(void)
{
    fx_init();
    s = fx_socket();
    d1 = fx_domain(1);
    fx_op(s, XS_MKDIR, 0, "/local/domain/1");
    fx_setperms(s, 0, "/local/domain/1", "n1", NULL);
}

static void test_defaults(void)
{
    fx_init();
    s = fx_socket();
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_QUOTA, 0, NULL)),
                           "nodes watches outstanding transactions transaction-nodes node-permissions path-max node-size");
    const char *want[][2] = { { "nodes", "1000" }, { "watches", "128" }, { "outstanding", "20" },
                              { "transactions", "10" }, { "transaction-nodes", "1024" },
                              { "node-permissions", "5" }, { "path-max", "2048" }, { "node-size", "2048" } };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_QUOTA, 0, want[i][0], NULL)), want[i][1]);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_QUOTA, 0, "memory", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_QUOTA, 0, "3", "nodes", NULL)), "1000");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_QUOTA, 0, "3", "nodes", "7", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_QUOTA, 0, "3", "nodes", NULL)), "7");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_QUOTA, 0, "nodes", NULL)), "1000");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_QUOTA, 0, "nodes", "x", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_QUOTA, 0, "bogus", "1", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_QUOTA, 0, "nodes", NULL)), "EINVAL");
    fx_fini();
}

static void test_nodes(void)
{
    fx_init();
    s = fx_socket();
    /* Global quotas are the defaults of domains met later. */
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_QUOTA, 0, "nodes", "10", NULL)), "OK");
    d1 = fx_domain(1);
    fx_op(s, XS_MKDIR, 0, "/local/domain/1");
    fx_setperms(s, 0, "/local/domain/1", "n1", NULL);
    CU_ASSERT(xs_domain_find(&fx_srv, 1)->nodes == 1);
    char p[32];
    int ok = 0;
    for (int i = 0; i < 20; i++) {
        snprintf(p, sizeof(p), "n%d", i);
        if (strcmp(fx_write(d1, 0, p, "x"), "OK") == 0)
            ok++;
        else
            CU_ASSERT_STRING_EQUAL(fx_result(&fx_reply), "ENOSPC");
    }
    CU_ASSERT(ok == 8);         /* 1 + 8 = 9 owned; a 10th would reach the quota */
    CU_ASSERT(xs_domain_find(&fx_srv, 1)->nodes == 9);
    /* Modifying existing nodes is fine; removing frees room. */
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "n0", "y"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_op(d1, XS_RM, 0, "n0"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "again", "y"), "OK");
    /* Several missing levels count together. */
    CU_ASSERT_STRING_EQUAL(fx_op(d1, XS_RM, 0, "again"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "a/b", "y"), "ENOSPC");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "a"), "ENOENT");
    /* dom0 writing into the domain's home is not limited. */
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "/local/domain/1/by0/x/y", "z"), "OK");
    /* ... but the new nodes inherit dom1 as owner and count for it. */
    CU_ASSERT(xs_domain_find(&fx_srv, 1)->nodes == 11);
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_RM, 0, "/local/domain/1/by0"), "OK");
    CU_ASSERT(xs_domain_find(&fx_srv, 1)->nodes == 8);
    /* Quota checked again at commit. */
    uint32_t t = fx_tstart(d1);
    CU_ASSERT_STRING_EQUAL(fx_write(d1, t, "t1", "y"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_write(d1, t, "t2", "y"), "ENOSPC");
    CU_ASSERT_STRING_EQUAL(fx_tend(d1, t, true), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/local/domain/1/t1"), "y");
    fx_fini();
}

static void test_node_size(void)
{
    setup();
    static char big[4000];
    memset(big, 'v', sizeof(big) - 1);
    /* header 16 + one perm 8 + data: 2048 bytes would reach the quota. */
    big[2024] = 0;
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "big", big), "ENOSPC");
    big[2023] = 0;
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "big", big), "OK");
    memset(big, 'v', sizeof(big) - 1);
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "/local/domain/1/huge", big), "OK");
    /* In a transaction the failure poisons the commit. */
    uint32_t t = fx_tstart(d1);
    CU_ASSERT_STRING_EQUAL(fx_write(d1, t, "big", big), "ENOSPC");
    CU_ASSERT_STRING_EQUAL(fx_tend(d1, t, true), "ENOMEM");
    fx_fini();
}

static void test_watches(void)
{
    setup();
    char p[32];
    int ok = 0;
    for (int i = 0; i < 130; i++) {
        snprintf(p, sizeof(p), "w%d", i);
        if (strcmp(fx_watch(d1, p, "t"), "OK") == 0)
            ok++;
        else
            CU_ASSERT_STRING_EQUAL(fx_result(&fx_reply), "ENOSPC");
        fx_drop_events(d1);
    }
    CU_ASSERT(ok == 127);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_UNWATCH, 0, "w0", "t", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_watch(d1, "w0", "t"), "OK");
    for (int i = 0; i < 200; i++) {
        snprintf(p, sizeof(p), "w%d", i);
        fx_watch(s, p, "t");
    }
    CU_ASSERT(s->nwatches == 200);
    fx_fini();
}

static void test_transactions(void)
{
    setup();
    int ok = 0;
    for (int i = 0; i < 12; i++) {
        const struct fx_msg *m = fx_callv(d1, XS_TRANSACTION_START, 0, "", NULL);
        if (m->hdr.type == XS_TRANSACTION_START)
            ok++;
        else
            CU_ASSERT_STRING_EQUAL(m->body, "ENOSPC");
    }
    CU_ASSERT(ok == 9);
    CU_ASSERT_STRING_EQUAL(fx_tend(d1, 1, false), "OK");
    CU_ASSERT(fx_tstart(d1) > 0);
    fx_fini();
}

static void test_transaction_nodes(void)
{
    setup();
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_QUOTA, 0, "1", "transaction-nodes", "3", NULL)), "OK");
    fx_write(d1, 0, "a", "1");
    fx_write(d1, 0, "b", "1");
    fx_write(d1, 0, "c", "1");
    uint32_t t = fx_tstart(d1);
    CU_ASSERT_STRING_EQUAL(fx_read(d1, t, "a"), "1");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, t, "b"), "1");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, t, "a"), "1");     /* already counted */
    CU_ASSERT_STRING_EQUAL(fx_read(d1, t, "c"), "ENOSPC");
    CU_ASSERT_STRING_EQUAL(fx_tend(d1, t, true), "ENOMEM");
    fx_fini();
}

static void test_perms_and_path(void)
{
    setup();
    fx_write(d1, 0, "p", "");
    CU_ASSERT_STRING_EQUAL(fx_setperms(d1, 0, "p", "n1", "r2", "r3", "r4", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_setperms(d1, 0, "p", "n1", "r2", "r3", "r4", "r5", NULL), "ENOSPC");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/local/domain/1/p", "n1", "r2", "r3", "r4", "r5", "r6", NULL), "OK");
    /* Path below /local/domain/1/: 2047 bytes fine, 2048 too long. */
    static char rel[2100];
    memset(rel, 'x', sizeof(rel));
    rel[2047] = 0;
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, rel), "ENOENT");
    rel[2047] = 'x';
    rel[2048] = 0;
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, rel), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, rel), "ENOENT");     /* sockets: 3072 absolute */
    fx_fini();
}

static void test_outstanding(void)
{
    setup();
    for (int i = 0; i < 19; i++)
        fx_send_raw(d1, XS_READ, 1000 + (uint32_t)i, 0, "a", 2);
    CU_ASSERT(d1->outstanding == 19);
    CU_ASSERT(xs_conn_can_read(d1));
    fx_send_raw(d1, XS_READ, 2000, 0, "a", 2);
    CU_ASSERT(d1->outstanding == 20);
    CU_ASSERT(!xs_conn_can_read(d1));       /* stop reading its ring */
    struct fx_msg m;
    CU_ASSERT(fx_pop(d1, &m) && m.hdr.req_id == 1000);
    CU_ASSERT(xs_conn_can_read(d1));
    /* Watch events do not count. */
    CU_ASSERT(d1->outstanding == 19);
    for (int i = 0; i < 40; i++)
        fx_send_raw(s, XS_READ, 3000 + (uint32_t)i, 0, "/", 2);
    CU_ASSERT(xs_conn_can_read(s));
    fx_fini();
}

static void test_control_quota(void)
{
    setup();
    const struct fx_msg *m = fx_callv(s, XS_CONTROL, 0, "quota", NULL);
    CU_ASSERT(m->hdr.type == XS_CONTROL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m->body, "Quota settings:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m->body, "nodes            :     1000"));
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "quota", "set", "watches", "5", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_QUOTA, 0, "watches", NULL)), "5");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "quota", "set", "watches", "0", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "quota", "set", "nope", "1", NULL)), "EINVAL");
    m = fx_callv(s, XS_CONTROL, 0, "quota", "1", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m->body, "Domain 1:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m->body, "nodes            :        1"));
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "quota", "77", NULL)), "ENOENT");
    fx_fini();
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "defaults, GET_QUOTA, SET_QUOTA", test_defaults },
        { "nodes per domain", test_nodes },
        { "node size", test_node_size },
        { "watches", test_watches },
        { "transactions", test_transactions },
        { "nodes per transaction", test_transaction_nodes },
        { "permissions per node and path length", test_perms_and_path },
        { "outstanding replies", test_outstanding },
        { "CONTROL quota", test_control_quota },
        { NULL, NULL },
    };
    unit_add_suite("xenstored quotas", cases);
}
