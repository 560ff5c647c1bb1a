// UNIT-SOURCES: dom0-tools/xenstored/hash.c dom0-tools/xenstored/node.c dom0-tools/xenstored/path.c dom0-tools/xenstored/perms.c dom0-tools/xenstored/quota.c dom0-tools/xenstored/store.c dom0-tools/xenstored/transaction.c dom0-tools/xenstored/watch.c dom0-tools/xenstored/conn.c dom0-tools/xenstored/ops.c dom0-tools/xenstored/ops_node.c dom0-tools/xenstored/domain.c dom0-tools/xenstored/control.c dom0-tools/xenstored/server.c dom0-tools/xenstored/ring.c
/* SPDX-License-Identifier: MIT */
/*
 * xenstored core: domains (INTRODUCE, RELEASE, RESUME, IS_DOMAIN_INTRODUCED,
 * GET_DOMAIN_PATH, features, special watches, clean-up of a gone domain's
 * nodes and permissions, shutdown/death from the hypervisor) and the shared
 * ring code.
 */
#include "test_xs_fixture.h"

static struct {
    unsigned int introduced, released, rebound, notified;
    unsigned int last_domid;
    uint64_t last_gfn;
    uint32_t last_port;
    bool exists[16], shutdown[16];
} env;

static int fake_introduce(struct xs_server *srv, struct xs_domain *d)
{
    (void)srv;
    if (d->domid == 13)
        return ENOENT;      /* mapping the ring failed */
    env.introduced++;
    env.last_domid = d->domid;
    env.last_gfn = d->gfn;
    env.last_port = d->remote_port;
    d->intf = calloc(1, sizeof(*d->intf));
    d->port = 100 + d->domid;
    return d->intf ? 0 : ENOMEM;
}

static void fake_release(struct xs_server *srv, struct xs_domain *d)
{
    (void)srv;
    env.released++;
    free(d->intf);
    d->intf = NULL;
}

static int fake_rebind(struct xs_server *srv, struct xs_domain *d)
{
    (void)srv;
    (void)d;
    env.rebound++;
    return 0;
}

static void fake_notify(struct xs_server *srv, struct xs_domain *d)
{
    (void)srv;
    (void)d;
    env.notified++;
}

static int fake_info(struct xs_server *srv, unsigned int domid, bool *exists, bool *shutdown)
{
    (void)srv;
    if (domid >= 16)
        return ENOENT;
    *exists = env.exists[domid];
    *shutdown = env.shutdown[domid];
    return 0;
}

static struct xs_conn *s;

static void setup(void)
{
    struct xs_env e = { .introduce = fake_introduce, .release = fake_release, .rebind = fake_rebind,
                        .notify = fake_notify, .domain_info = fake_info };
    memset(&env, 0, sizeof(env));
    for (int i = 0; i < 16; i++)
        env.exists[i] = true;
    fx_init_env(&e);
    s = fx_socket();
}

static void teardown(void)
{
    /* Free fake rings of domains still introduced. */
    for (unsigned int b = 0; b < XS_DOMAIN_BUCKETS; b++)
        for (struct xs_domain *d = fx_srv.domains[b]; d; d = d->next) {
            free(d->intf);
            d->intf = NULL;
        }
    fx_fini();
}

static const char *introduce(const char *domid, const char *gfn, const char *port)
{
    return fx_result(fx_callv(s, XS_INTRODUCE, 0, domid, gfn, port, NULL));
}

static void test_introduce(void)
{
    setup();
    fx_watch(s, "@introduceDomain", "intro");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "@introduceDomain", "dep", "1", NULL)), "OK");
    fx_drop_events(s);
    CU_ASSERT_STRING_EQUAL(introduce("5", "-12345", "3"), "OK");
    CU_ASSERT(env.introduced == 1 && env.last_domid == 5 && env.last_port == 3);
    CU_ASSERT(env.last_gfn == (uint64_t)-12345);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@introduceDomain intro");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@introduceDomain/5 dep");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    struct xs_domain *d = xs_domain_find(&fx_srv, 5);
    CU_ASSERT_FATAL(d && d->introduced && d->conn);
    CU_ASSERT(d->intf->server_features == XS_SUPPORTED_FEATURES);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL)), "T");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_IS_DOMAIN_INTRODUCED, 0, "6", NULL)), "F");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_IS_DOMAIN_INTRODUCED, 0, "32752", NULL)), "T");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_IS_DOMAIN_INTRODUCED, 0, "x", NULL)), "EINVAL");
    /* The new connection speaks with domid 5's rights. */
    struct xs_conn *c = fx_track(d->conn);
    CU_ASSERT_STRING_EQUAL(fx_read(c, 0, "/tool"), "EACCES");
    teardown();
}

static void test_introduce_errors(void)
{
    setup();
    CU_ASSERT_STRING_EQUAL(introduce("5", "1", "0"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(introduce("5", "1", "-2"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(introduce("x", "1", "2"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(introduce("0", "1", "2"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(introduce("65535", "1", "2"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_INTRODUCE, 0, "5", "1", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(introduce("13", "1", "2"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_IS_DOMAIN_INTRODUCED, 0, "13", NULL)), "F");
    CU_ASSERT(env.introduced == 0);
    teardown();
}

static void test_reintroduce(void)
{
    setup();
    CU_ASSERT_STRING_EQUAL(introduce("5", "1", "3"), "OK");
    struct xs_domain *d = xs_domain_find(&fx_srv, 5);
    struct xs_conn *c = fx_track(d->conn);
    fx_write(s, 0, "/local/domain/5", "");
    fx_setperms(s, 0, "/local/domain/5", "n5", NULL);
    fx_watch(c, "x", "t");
    fx_drop_events(c);
    CU_ASSERT(c->nwatches == 1);
    d->intf->req_prod = 7;
    d->intf->connection = XENSTORE_RECONNECT;
    fx_watch(s, "@introduceDomain", "i");
    fx_drop_events(s);
    unsigned int notified = env.notified;
    CU_ASSERT_STRING_EQUAL(introduce("5", "1", "9"), "OK");
    CU_ASSERT(env.introduced == 1 && env.rebound == 1 && d->remote_port == 9);
    CU_ASSERT(c->nwatches == 0);            /* connection reset */
    CU_ASSERT(d->intf->req_prod == 0);
    CU_ASSERT(d->intf->connection == XENSTORE_CONNECTED && env.notified == notified + 1);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");   /* not a new domain */
    teardown();
}

static void test_release(void)
{
    setup();
    CU_ASSERT_STRING_EQUAL(introduce("5", "1", "3"), "OK");
    struct xs_domain *d = xs_domain_find(&fx_srv, 5);
    struct xs_conn *c = fx_track(d->conn);
    fx_op(s, XS_MKDIR, 0, "/local/domain/5/device");
    fx_setperms(s, 0, "/local/domain/5", "n0", "r5", NULL);
    fx_setperms(s, 0, "/local/domain/5/device", "n5", NULL);
    CU_ASSERT_STRING_EQUAL(fx_write(c, 0, "device/vif/0/state", "1"), "OK");
    fx_write(s, 0, "/backend/5", "x");
    fx_setperms(s, 0, "/backend/5", "n0", "b5", "r7", NULL);
    fx_watch(c, "device", "own");
    fx_watch(s, "@releaseDomain", "rel");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "@releaseDomain/5", "rel5", NULL)), "OK");
    fx_watch(s, "/local/domain/5", "home");
    fx_drop_events(s);
    CU_ASSERT(d->nodes == 4);

    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_RELEASE, 0, "5", NULL)), "OK");
    CU_ASSERT(env.released == 1);
    fx_conns[1].c = NULL;       /* the connection is gone */
    /* Its nodes are gone, its permission entries too. */
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/local/domain/5/device"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/local/domain/5"), "");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "/local/domain/5"), "n0");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "/backend/5"), "n0,r7");
    CU_ASSERT(d->nodes == 0);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "/local/domain/5/device home");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain rel");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain/5 rel5");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL)), "F");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_RELEASE, 0, "5", NULL)), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_RELEASE, 0, "0", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_RELEASE, 0, "5", "6", NULL)), "EINVAL");
    /* It can come back. */
    CU_ASSERT_STRING_EQUAL(introduce("5", "1", "3"), "OK");
    CU_ASSERT(env.introduced == 2);
    teardown();
}

static void test_shutdown_and_death(void)
{
    setup();
    introduce("5", "1", "3");
    introduce("6", "1", "3");
    fx_watch(s, "@releaseDomain", "rel");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH, 0, "@releaseDomain", "dep", "1", NULL)), "OK");
    fx_drop_events(s);
    xs_check_domains(&fx_srv);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    env.shutdown[5] = true;
    xs_check_domains(&fx_srv);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain/5 dep");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain rel");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    xs_check_domains(&fx_srv);           /* once per shutdown */
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_RESUME, 0, "5", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_RESUME, 0, "9", NULL)), "ENOENT");
    xs_check_domains(&fx_srv);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain/5 dep");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain rel");
    env.exists[6] = false;
    xs_check_domains(&fx_srv);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain rel");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "@releaseDomain/6 dep");
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    CU_ASSERT(!xs_domain_find(&fx_srv, 6)->introduced && env.released == 1);
    teardown();
}

static void test_paths_and_features(void)
{
    setup();
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_DOMAIN_PATH, 0, "7", NULL)), "/local/domain/7");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_DOMAIN_PATH, 0, "x", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_DOMAIN_PATH, 0, "70000", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_GET_FEATURE, 0, "", 0)), "14");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_FEATURE, 0, "5", "2", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_GET_FEATURE, 0, "5", NULL)), "2");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_FEATURE, 0, "5", "1", NULL)), "EINVAL");
    introduce("5", "1", "3");
    struct xs_domain *d = xs_domain_find(&fx_srv, 5);
    CU_ASSERT(d->intf->server_features == 2);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_FEATURE, 0, "5", "2", NULL)), "EBUSY");
    /* Without WATCHDEPTH a depth argument is refused. */
    struct xs_conn *c = fx_track(d->conn);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(c, XS_WATCH, 0, "x", "t", "1", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(c, XS_GET_FEATURE, 0, "", 0)), "2");
    teardown();
}

static void test_attach_local(void)
{
    setup();
    fx_watch(s, "@introduceDomain", "i");
    fx_drop_events(s);
    struct xs_domain *d = xs_domain_get(&fx_srv, 0);
    struct xenstore_domain_interface *intf = calloc(1, sizeof(*intf));
    d->intf = intf;
    intf->connection = XENSTORE_RECONNECT;
    CU_ASSERT(xs_domain_attach(&fx_srv, d) == 0);
    CU_ASSERT(intf->connection == XENSTORE_CONNECTED && env.notified == 1);
    CU_ASSERT(intf->server_features == XS_SUPPORTED_FEATURES);
    CU_ASSERT_STRING_EQUAL(fx_event(s), "");
    struct xs_conn *c = fx_track(d->conn);
    CU_ASSERT_STRING_EQUAL(fx_read(c, 0, "/tool/xenstored"), "");
    /* Its own domid can be neither introduced nor released. */
    CU_ASSERT_STRING_EQUAL(introduce("0", "1", "1"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(c, XS_RELEASE, 0, "0", NULL)), "EINVAL");
    teardown();
}

static void test_ring(void)
{
    struct xenstore_domain_interface *r = calloc(1, sizeof(*r));
    char buf[2048], out[2048];
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT(!xs_ring_has_input(r));
    CU_ASSERT(xs_ring_has_space(r));
    /* Guest wrote 1000 bytes starting near the end of the ring: wraps. */
    r->req_cons = r->req_prod = 0xfffffe00u;
    for (int i = 0; i < 1000; i++) {
        buf[i] = (char)i;
        r->req[MASK_XENSTORE_IDX(r->req_prod)] = (char)i;
        r->req_prod++;
    }
    CU_ASSERT(xs_ring_has_input(r));
    int got = 0, n;
    while ((n = xs_ring_read(r, out + got, sizeof(out) - (size_t)got)) > 0)
        got += n;
    CU_ASSERT(n == 0 && got == 1000 && !memcmp(buf, out, 1000));
    CU_ASSERT(r->req_cons == r->req_prod);
    /* Replies fill the ring, never more. */
    r->rsp_cons = r->rsp_prod = 0x7ffffff0u;
    int put = 0;
    while ((n = xs_ring_write(r, buf + put % 1000, 100)) > 0)
        put += n;
    CU_ASSERT(n == 0 && put == XENSTORE_RING_SIZE);
    CU_ASSERT(!xs_ring_has_space(r));
    CU_ASSERT(r->rsp[MASK_XENSTORE_IDX(0x7ffffff0u)] == buf[0]);
    /* A producer more than a ring ahead is corrupt. */
    r->req_cons = 0;
    r->req_prod = XENSTORE_RING_SIZE + 1;
    CU_ASSERT(xs_ring_read(r, out, 10) == -1);
    r->rsp_cons = 5000;
    r->rsp_prod = 0;
    CU_ASSERT(xs_ring_write(r, out, 10) == -1);
    free(r);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "INTRODUCE and @introduceDomain", test_introduce },
        { "INTRODUCE errors", test_introduce_errors },
        { "INTRODUCE of a known domain", test_reintroduce },
        { "RELEASE cleans up", test_release },
        { "shutdown and death", test_shutdown_and_death },
        { "domain paths and features", test_paths_and_features },
        { "dom0's local ring", test_attach_local },
        { "shared rings", test_ring },
        { NULL, NULL },
    };
    unit_add_suite("xenstored domains", cases);
}
