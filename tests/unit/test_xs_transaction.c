// UNIT-SOURCES: dom0-tools/xenstored/hash.c dom0-tools/xenstored/node.c dom0-tools/xenstored/path.c dom0-tools/xenstored/perms.c dom0-tools/xenstored/quota.c dom0-tools/xenstored/store.c dom0-tools/xenstored/transaction.c dom0-tools/xenstored/watch.c dom0-tools/xenstored/conn.c dom0-tools/xenstored/ops.c dom0-tools/xenstored/ops_node.c dom0-tools/xenstored/domain.c dom0-tools/xenstored/control.c dom0-tools/xenstored/server.c dom0-tools/xenstored/ring.c
/* SPDX-License-Identifier: MIT */
/*
 * xenstored core: transactions (ids, isolation, commit and abort, conflict
 * detection by generation counts as in Xen's transaction.c examples,
 * events at commit, errors).
 */
#include "test_xs_fixture.h"

static void test_ids_and_errors(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    uint32_t t1 = fx_tstart(s), t2 = fx_tstart(s);
    CU_ASSERT(t1 == 1 && t2 == 2);
    CU_ASSERT(fx_tstart(o) == 1);       /* ids are per connection */
    /* No nesting; unknown ids are ENOENT everywhere. */
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_TRANSACTION_START, t1, "", NULL)), "EBUSY");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_TRANSACTION_START, 99, "", NULL)), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 99, "/tool"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, 0, true), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_TRANSACTION_END, t1, "X"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_TRANSACTION_END, t1, "T", 1)), "EINVAL");
    CU_ASSERT(s->ntrans == 2);          /* a bad END leaves it open */
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t1, false), "OK");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t1, false), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t2, true), "OK");
    CU_ASSERT(s->ntrans == 0);
    /* Freed ids are not reused at once. */
    CU_ASSERT(fx_tstart(s) == 3);
    fx_fini();
}

static void test_isolation_commit_abort(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    fx_write(s, 0, "/a", "old");
    fx_watch(o, "/a", "w");
    fx_drop_events(o);
    uint32_t t = fx_tstart(s);
    CU_ASSERT_STRING_EQUAL(fx_write(s, t, "/a", "new"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_write(s, t, "/a/b/c", "deep"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, t, "/a"), "new");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, t, "/a"), "b");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/a"), "old");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/a"), "old");
    CU_ASSERT_STRING_EQUAL(fx_dir(o, 0, "/a"), "");
    CU_ASSERT_STRING_EQUAL(fx_event(o), "");        /* nothing fires before commit */
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/a"), "new");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/a/b/c"), "deep");
    CU_ASSERT_STRING_EQUAL(fx_event(o), "/a w");
    CU_ASSERT_STRING_EQUAL(fx_event(o), "/a/b/c w");
    CU_ASSERT_STRING_EQUAL(fx_event(o), "");

    t = fx_tstart(s);
    fx_write(s, t, "/a", "aborted");
    fx_op(s, XS_RM, t, "/a/b");
    CU_ASSERT_STRING_EQUAL(fx_read(s, t, "/a/b/c"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, false), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/a"), "new");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/a/b/c"), "deep");
    CU_ASSERT_STRING_EQUAL(fx_event(o), "");
    /* Removal inside a transaction, committed. */
    t = fx_tstart(s);
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_RM, t, "/a/b"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/a/b"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_dir(o, 0, "/a"), "");
    CU_ASSERT_STRING_EQUAL(fx_event(o), "/a/b w");
    CU_ASSERT(fx_srv.db.count == 6);
    CU_ASSERT(xs_domain_find(&fx_srv, 0)->nodes == 6);
    fx_fini();
}

/* Xen's example 2: a read node written by someone else -> EAGAIN. */
static void test_conflict_write(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    fx_write(s, 0, "/A", "1");
    fx_write(s, 0, "/B", "1");
    uint32_t t = fx_tstart(s);
    CU_ASSERT_STRING_EQUAL(fx_read(s, t, "/A"), "1");
    fx_write(o, 0, "/A", "2");
    fx_write(s, t, "/B", "from-ta");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "EAGAIN");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/B"), "1");
    CU_ASSERT(s->ntrans == 0);
    CU_ASSERT_STRING_EQUAL(fx_read(s, t, "/A"), "ENOENT");      /* the id is gone */
    fx_fini();
}

/* Example 1: unrelated writes elsewhere do not conflict. */
static void test_no_conflict(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    fx_write(s, 0, "/A", "1");
    fx_write(s, 0, "/B", "");
    fx_write(s, 0, "/C", "");
    uint32_t t = fx_tstart(s);
    CU_ASSERT_STRING_EQUAL(fx_read(s, t, "/A"), "1");
    fx_write(s, t, "/B", "b");
    fx_write(o, 0, "/C", "c");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/B"), "b");
    /* Creating a node reads and rewrites its parent: creating a sibling
     * meanwhile changes that parent, so the commit conflicts (as in Xen). */
    t = fx_tstart(s);
    fx_write(s, t, "/D", "d");
    fx_write(o, 0, "/E", "e");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "EAGAIN");
    fx_fini();
}

/* Example 3 and its mirror: deletes and creations conflict too. */
static void test_conflict_delete_create(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    fx_write(s, 0, "/A", "1");
    uint32_t t = fx_tstart(s);
    fx_read(s, t, "/A");
    fx_op(o, XS_RM, 0, "/A");
    fx_write(s, t, "/B", "x");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "EAGAIN");

    t = fx_tstart(s);
    CU_ASSERT_STRING_EQUAL(fx_read(s, t, "/new"), "ENOENT");
    fx_write(o, 0, "/new", "o");
    fx_write(s, t, "/new", "s");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "EAGAIN");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/new"), "o");
    fx_fini();
}

/* Example 4: two interfering transactions; the second to commit loses. */
static void test_two_transactions(void)
{
    fx_init();
    struct xs_conn *a = fx_socket(), *b = fx_socket();
    fx_write(a, 0, "/A", "1");
    fx_write(a, 0, "/B", "1");
    uint32_t t1 = fx_tstart(a), t2 = fx_tstart(b);
    fx_read(a, t1, "/A");
    fx_read(b, t2, "/B");
    fx_write(a, t1, "/B", "t1");
    fx_write(b, t2, "/A", "t2");
    CU_ASSERT_STRING_EQUAL(fx_tend(a, t1, true), "OK");
    CU_ASSERT_STRING_EQUAL(fx_tend(b, t2, true), "EAGAIN");
    CU_ASSERT_STRING_EQUAL(fx_read(a, 0, "/A"), "1");
    CU_ASSERT_STRING_EQUAL(fx_read(a, 0, "/B"), "t1");
    /* The classic retry loop succeeds the second time. */
    t2 = fx_tstart(b);
    fx_read(b, t2, "/B");
    fx_write(b, t2, "/A", "t2");
    CU_ASSERT_STRING_EQUAL(fx_tend(b, t2, true), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(a, 0, "/A"), "t2");
    fx_fini();
}

/* Writing a node the transaction wrote (after reading it) and someone else changed. */
static void test_write_write(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    fx_write(s, 0, "/W", "0");
    uint32_t t = fx_tstart(s);
    fx_write(s, t, "/W", "ta");     /* WRITE looks the node up first */
    fx_write(o, 0, "/W", "other");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "EAGAIN");
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/W"), "other");
    fx_fini();
}

static void test_events_at_commit(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *w = fx_socket();
    fx_write(s, 0, "/p/q", "");
    fx_watch(w, "/p", "t");
    fx_drop_events(w);
    uint32_t t = fx_tstart(s);
    fx_write(s, t, "/p/q", "1");
    fx_write(s, t, "/p/q", "2");        /* one event per node */
    fx_setperms(s, t, "/p/q", "n0", "r5", NULL);
    fx_op(s, XS_MKDIR, t, "/p/r");
    CU_ASSERT_STRING_EQUAL(fx_event(w), "");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "OK");
    CU_ASSERT_STRING_EQUAL(fx_event(w), "/p/q t");
    CU_ASSERT_STRING_EQUAL(fx_event(w), "/p/r t");
    CU_ASSERT_STRING_EQUAL(fx_event(w), "");
    CU_ASSERT_STRING_EQUAL(fx_perms(w, 0, "/p/q"), "n0,r5");
    /* A failed commit fires nothing. */
    t = fx_tstart(s);
    fx_read(s, t, "/p/q");
    fx_write(s, t, "/p/q", "3");
    fx_write(w, 0, "/p/q", "conflict");
    fx_drop_events(w);
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "EAGAIN");
    CU_ASSERT_STRING_EQUAL(fx_event(w), "");
    fx_fini();
}

static void test_other_connection_id(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    uint32_t t = fx_tstart(s);
    CU_ASSERT_STRING_EQUAL(fx_write(o, t, "/x", "1"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_tend(o, t, true), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_tend(s, t, true), "OK");
    /* Closing a connection drops its transactions. */
    t = fx_tstart(o);
    fx_write(o, t, "/y", "1");
    xs_conn_free(o);
    fx_conns[1].c = NULL;
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/y"), "ENOENT");
    fx_fini();
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "ids and errors", test_ids_and_errors },
        { "isolation, commit, abort", test_isolation_commit_abort },
        { "conflicting write", test_conflict_write },
        { "no conflict", test_no_conflict },
        { "conflicting delete and create", test_conflict_delete_create },
        { "two transactions", test_two_transactions },
        { "write after write", test_write_write },
        { "events at commit", test_events_at_commit },
        { "ids belong to their connection", test_other_connection_id },
        { NULL, NULL },
    };
    unit_add_suite("xenstored transactions", cases);
}
