// UNIT-SOURCES: dom0-tools/xenstored/hash.c dom0-tools/xenstored/node.c dom0-tools/xenstored/path.c dom0-tools/xenstored/perms.c dom0-tools/xenstored/quota.c dom0-tools/xenstored/store.c dom0-tools/xenstored/transaction.c dom0-tools/xenstored/watch.c dom0-tools/xenstored/conn.c dom0-tools/xenstored/ops.c dom0-tools/xenstored/ops_node.c dom0-tools/xenstored/domain.c dom0-tools/xenstored/control.c dom0-tools/xenstored/server.c dom0-tools/xenstored/ring.c
/* SPDX-License-Identifier: MIT */
/*
 * xenstored core: watches (initial fire, subtree and depth matching,
 * relative paths, removal events, UNWATCH/RESET_WATCHES, permissions,
 * duplicate suppression, several connections).
 */
#include "test_xs_fixture.h"

static void test_initial_fire(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    const struct fx_msg *m = fx_callv(s, XS_WATCH, 0, "/w", "tok", NULL);
    CU_ASSERT(m->hdr.type == XS_WATCH);
    CU_ASSERT_STRING_EQUAL(m->body, "OK");
    /* The ack comes first, then the event (even for a missing node). */
    CU_ASSERT(s->out_head && s->out_head->event);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "/w tok");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    fx_fini();
}

static void test_subtree(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    fx_write(s, 0, "/a/b", "");
    CU_ASSERT_STRING_EQUAL(fx_watch(s, "/a/b", "t"), "OK");
    fx_drop_events(s);
    fx_write(o, 0, "/a/b", "1");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "/a/b t");
    fx_write(o, 0, "/a/b/c/d", "1");        /* creates c and d */
    CU_ASSERT_STRING_EQUAL(fx_event(s), "/a/b/c/d t");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    fx_write(o, 0, "/a", "x");              /* parent: no event */
    fx_write(o, 0, "/a/bb", "x");           /* sibling with a common prefix: none */
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    /* A watch on "/" sees everything but the special events. */
    CU_ASSERT_STRING_EQUAL(fx_watch(o, "/", "root"), "OK");
    fx_drop_events(o);
    fx_write(s, 0, "/z", "1");
    CU_ASSERT_STRING_EQUAL(fx_event(o), "/z root");
    fx_fini();
}

static void test_depth(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "/d", "one", "1", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "/d", "zero", "0", NULL)), "OK");
    fx_drop_events(s);
    fx_write(s, 0, "/d", "");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "/d one");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "/d zero");
    fx_write(s, 0, "/d/x", "");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "/d/x one");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    fx_write(s, 0, "/d/x/y", "");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "/d", "neg", "-1", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "/d", "bad", "x", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "/d", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "/d/", "t", NULL)), "EINVAL");
    fx_fini();
}

static void test_relative(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *d = fx_domain(3);
    fx_op(s, XS_MKDIR, 0, "/local/domain/3");
    fx_setperms(s, 0, "/local/domain/3", "n3", NULL);
    CU_ASSERT_STRING_EQUAL(fx_watch(d, "device", "dev"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "device dev");
    fx_write(s, 0, "/local/domain/3/device/vif/0", "");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "device/vif/0 dev");
    /* The same watch given absolutely gets absolute paths. */
    CU_ASSERT_STRING_EQUAL(fx_watch(d, "/local/domain/3/device", "abs"), "OK");
    fx_drop_events(d);
    fx_write(s, 0, "/local/domain/3/device/x", "");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "device/x dev");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "/local/domain/3/device/x abs");
    /* UNWATCH matches on the canonical path. */
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d, XS_UNWATCH, 0, "/local/domain/3/device", "dev", NULL)), "OK");
    fx_write(s, 0, "/local/domain/3/device/y", "");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "/local/domain/3/device/y abs");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "");
    fx_fini();
}

static void test_rm_events(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *w = fx_socket();
    fx_write(s, 0, "/r/x/y", "1");
    fx_write(s, 0, "/r/q", "1");
    fx_watch(w, "/r/x/y", "exact");
    fx_watch(w, "/r", "top");
    fx_watch(w, "/", "root");
    fx_watch(w, "/r/x/y/gone", "below");
    fx_drop_events(w);
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_RM, 0, "/r"), "OK");
    /* Post-order: descendants (exact matches only), then the removed root. */
    CU_ASSERT_STRING_EQUAL(fx_event(w), "/r/x/y exact");
    CU_ASSERT_STRING_EQUAL(fx_event(w), "/r top");
    CU_ASSERT_STRING_EQUAL(fx_event(w), "/r root");
    CU_ASSERT_STRING_EQUAL(fx_event(w), "");
    fx_fini();
}

static void test_unwatch_reset(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    fx_watch(s, "/u", "a");
    CU_ASSERT_STRING_EQUAL(fx_watch(s, "/u", "a"), "EEXIST");
    CU_ASSERT_STRING_EQUAL(fx_watch(s, "/u", "b"), "OK");
    CU_ASSERT(s->nwatches == 2);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_UNWATCH, 0, "/u", "a", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_UNWATCH, 0, "/u", "a", NULL)), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_UNWATCH, 0, "/u", NULL)), "EINVAL");
    fx_drop_events(s);
    fx_write(s, 0, "/u", "");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "/u b");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    /* tx_id is ignored by WATCH, even a bogus one. */
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 77, "/v", "t", NULL)), "OK");
    uint32_t t = fx_tstart(s);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_RESET_WATCHES, 0, "", 1)), "OK");
    CU_ASSERT(s->nwatches == 0 && s->ntrans == 0);
    CU_ASSERT_STRING_EQUAL(fx_read(s, t, "/u"), "ENOENT");    /* transaction gone */
    fx_drop_events(s);
    fx_write(s, 0, "/u", "1");
    fx_write(s, 0, "/v", "1");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    fx_fini();
}

static void test_permissions(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *d = fx_domain(1);
    fx_write(s, 0, "/secret/x", "1");
    CU_ASSERT_STRING_EQUAL(fx_watch(d, "/secret", "s"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "/secret s");   /* the initial fire is unconditional */
    fx_write(s, 0, "/secret/x", "2");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "");
    /* Readable node: events come; readable parent is enough too. */
    fx_setperms(s, 0, "/secret", "n0", "r1", NULL);
    fx_drop_events(d);
    fx_write(s, 0, "/secret/x", "3");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "/secret/x s");
    /* Losing access by SET_PERMS still tells those who could read before. */
    fx_setperms(s, 0, "/secret", "n0", NULL);
    CU_ASSERT_STRING_EQUAL(fx_event(d), "/secret s");
    fx_write(s, 0, "/secret", "4");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "");
    fx_fini();
}

static void test_dedupe_and_order(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *a = fx_socket(), *b = fx_socket();
    fx_watch(a, "/e", "ta");
    fx_watch(b, "/e", "tb");
    fx_drop_events(a);
    fx_drop_events(b);
    fx_write(s, 0, "/e", "1");
    fx_write(s, 0, "/e", "2");      /* identical pending event: dropped */
    fx_write(s, 0, "/e/f", "3");
    CU_ASSERT(fx_nevents(a) == 2 && fx_nevents(b) == 2);
    CU_ASSERT_STRING_EQUAL(fx_event(a), "/e ta");
    CU_ASSERT_STRING_EQUAL(fx_event(a), "/e/f ta");
    CU_ASSERT_STRING_EQUAL(fx_event(b), "/e tb");
    /* MKDIR of an existing node changes nothing and fires nothing. */
    fx_drop_events(a);
    fx_op(s, XS_MKDIR, 0, "/e");
    CU_ASSERT_STRING_EQUAL(fx_event(a), "");
    fx_fini();
}

static void test_special_paths(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *d = fx_domain(1);
    CU_ASSERT_STRING_EQUAL(fx_watch(s, "@releaseDomain", "rel"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain rel");
    CU_ASSERT_STRING_EQUAL(fx_watch(d, "@introduceDomain", "i"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_watch(s, "@bogus-but-valid", "b"), "OK");
    /* Writes never fire special watches. */
    fx_drop_events(s);
    fx_write(s, 0, "/x", "1");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    /* Special firing: @x plain and @x/<domid> for depth watches. */
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "@releaseDomain", "dep", "1", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "@releaseDomain/4", "four", NULL)), "OK");
    fx_drop_events(s);
    xs_fire_special(&fx_srv, "@releaseDomain", 4, XS_SPECIAL_NODOM | XS_SPECIAL_DOM);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain rel");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain/4 dep");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain/4 four");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    /* dom1 may read @releaseDomain (r32757) but not @introduceDomain. */
    CU_ASSERT_STRING_EQUAL(fx_watch(d, "@releaseDomain", "r"), "OK");
    fx_drop_events(d);
    xs_fire_special(&fx_srv, "@introduceDomain", 5, XS_SPECIAL_NODOM);
    xs_fire_special(&fx_srv, "@releaseDomain", 5, XS_SPECIAL_NODOM);
    CU_ASSERT_STRING_EQUAL(fx_event(d), "@releaseDomain r");
    CU_ASSERT_STRING_EQUAL(fx_event(d), "");
    fx_fini();
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "initial fire after the ack", test_initial_fire },
        { "node and subtree matching", test_subtree },
        { "watch depth", test_depth },
        { "relative watches", test_relative },
        { "removal events", test_rm_events },
        { "UNWATCH and RESET_WATCHES", test_unwatch_reset },
        { "events need read permission", test_permissions },
        { "duplicates and order", test_dedupe_and_order },
        { "special paths", test_special_paths },
        { NULL, NULL },
    };
    unit_add_suite("xenstored watches", cases);
}
