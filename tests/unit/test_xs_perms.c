// UNIT-SOURCES: dom0-tools/xenstored/hash.c dom0-tools/xenstored/node.c dom0-tools/xenstored/path.c dom0-tools/xenstored/perms.c dom0-tools/xenstored/quota.c dom0-tools/xenstored/store.c dom0-tools/xenstored/transaction.c dom0-tools/xenstored/watch.c dom0-tools/xenstored/conn.c dom0-tools/xenstored/ops.c dom0-tools/xenstored/ops_node.c dom0-tools/xenstored/domain.c dom0-tools/xenstored/control.c dom0-tools/xenstored/server.c dom0-tools/xenstored/ring.c
/* SPDX-License-Identifier: MIT */
/*
 * xenstored core: permissions as seen by unprivileged domains (owner,
 * default access, per-domain entries, inheritance on creation, owner-only
 * SET_PERMS, hiding nodes behind EACCES, SET_TARGET, DOMID_ANY, privileged
 * operations).
 */
#include "test_xs_fixture.h"

static struct xs_conn *s, *d1, *d2;

static void setup(void)
{
    fx_init();
    s = fx_socket();
    d1 = fx_domain(1);
    d2 = fx_domain(2);
    /* What a toolstack does for a new domain: its home, owned by it. */
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_MKDIR, 0, "/local/domain/1"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/local/domain/1", "n1", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_MKDIR, 0, "/local/domain/2"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/local/domain/2", "n2", NULL), "OK");
}

static void test_default_deny(void)
{
    setup();
    fx_write(s, 0, "/secret", "x");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "/secret"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "/secret", "y"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_dir(d1, 0, "/"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_perms(d1, 0, "/secret"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_op(d1, XS_RM, 0, "/secret"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/secret"), "x");
    /* dom0 over its ring is privileged like a socket. */
    struct xs_conn *d0 = fx_domain(0);
    CU_ASSERT_STRING_EQUAL(fx_read(d0, 0, "/secret"), "x");
    fx_fini();
}

static void test_own_home(void)
{
    setup();
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "/local/domain/1/a/b", "v"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "/local/domain/1/a/b"), "v");
    /* Relative paths are below the caller's home. */
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "a/b"), "v");
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "rel", "r"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/local/domain/1/rel"), "r");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "/local/domain/1/a/b"), "n1");
    /* Other domains see nothing of it. */
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/local/domain/1/a/b"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "a/b"), "ENOENT");   /* its own home */
    CU_ASSERT_STRING_EQUAL(fx_op(d1, XS_RM, 0, "a"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "a/b"), "ENOENT");
    fx_fini();
}

/* A missing node below an unreadable parent is EACCES, not ENOENT. */
static void test_errno_hiding(void)
{
    setup();
    fx_op(s, XS_MKDIR, 0, "/secret");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "/secret/missing"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "/nothere/at/all"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "/local/domain/1/missing"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "/secret/new", "x"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/secret/new"), "ENOENT");
    fx_fini();
}

static void test_entries_and_inheritance(void)
{
    setup();
    fx_write(s, 0, "/pub/x", "1");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/pub", "n0", "r1", "b2", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/pub/x", "n0", "r1", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "/pub/x"), "1");
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "/pub/x", "2"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/pub/x"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_dir(d1, 0, "/pub"), "x");
    /* dom1 may not create below /pub (read only); dom2 may and owns the node. */
    CU_ASSERT_STRING_EQUAL(fx_write(d1, 0, "/pub/y", "v"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_write(d2, 0, "/pub/y/z", "v"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "/pub/y"), "n2,r1,b2");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "/pub/y/z"), "n2,r1,b2");
    /* dom0 creating keeps the parent's owner. */
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "/pub/w", "v"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "/pub/w"), "n0,r1,b2");
    /* Default access from the first entry. */
    fx_write(s, 0, "/open", "o");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/open", "r0", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/open"), "o");
    CU_ASSERT_STRING_EQUAL(fx_write(d2, 0, "/open", "p"), "EACCES");
    /* An explicit "n" entry overrides the default. */
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/open", "r0", "n2", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/open"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "/open"), "o");
    /* DOMID_ANY (32757) matches every domain. */
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/open", "n0", "r32757", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/open"), "o");
    fx_fini();
}

static void test_set_perms_rules(void)
{
    setup();
    fx_write(d1, 0, "mine", "m");
    CU_ASSERT_STRING_EQUAL(fx_setperms(d1, 0, "mine", "n1", "r2", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/local/domain/1/mine"), "m");
    /* Only the control domain changes owners. */
    CU_ASSERT_STRING_EQUAL(fx_setperms(d1, 0, "mine", "n2", NULL), "EPERM");
    CU_ASSERT_STRING_EQUAL(fx_setperms(d2, 0, "/local/domain/1/mine", "n1", NULL), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/local/domain/1/mine", "n2", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/local/domain/1/mine"), "m");
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "mine"), "EACCES");
    /* Malformed requests. */
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/local/domain/1", NULL), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/local/domain/1", "x1", NULL), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/local/domain/1", "r", NULL), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "/nope", "n0", NULL), "ENOENT");
    /* The special nodes' permissions can be set (to let domains watch them). */
    CU_ASSERT_STRING_EQUAL(fx_setperms(s, 0, "@introduceDomain", "n0", "r1", NULL), "OK");
    CU_ASSERT_STRING_EQUAL(fx_perms(d1, 0, "@introduceDomain"), "n0,r1");
    fx_fini();
}

static void test_set_target(void)
{
    setup();
    fx_write(d1, 0, "data", "d");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/local/domain/1/data"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_TARGET, 0, "2", "1", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(d2, 0, "/local/domain/1/data"), "d");
    CU_ASSERT_STRING_EQUAL(fx_write(d2, 0, "/local/domain/1/data", "e"), "OK");
    /* The target does not get the reverse. */
    CU_ASSERT_STRING_EQUAL(fx_read(d1, 0, "/local/domain/2"), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_TARGET, 0, "2", "9", NULL)), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_SET_TARGET, 0, "2", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_SET_TARGET, 0, "1", "2", NULL)), "EACCES");
    fx_fini();
}

static void test_privileged_ops(void)
{
    setup();
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_INTRODUCE, 0, "5", "1", "2", NULL)), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_RELEASE, 0, "2", NULL)), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_CONTROL, 0, "print", "x", NULL)), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_IS_DOMAIN_INTRODUCED, 0, "2", NULL)), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_RESUME, 0, "2", NULL)), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_GET_QUOTA, 0, NULL)), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_SET_QUOTA, 0, "nodes", "5", NULL)), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_SET_FEATURE, 0, "1", "0", NULL)), "EACCES");
    /* Anyone may ask its own features and any domain path. */
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(d1, XS_GET_FEATURE, 0, "", 0)), "14");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_GET_FEATURE, 0, "2", NULL)), "EACCES");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(d1, XS_GET_DOMAIN_PATH, 0, "2", NULL)), "/local/domain/2");
    fx_fini();
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "no access by default", test_default_deny },
        { "a domain's own home", test_own_home },
        { "EACCES hides missing nodes", test_errno_hiding },
        { "entries, defaults, inheritance", test_entries_and_inheritance },
        { "SET_PERMS rules", test_set_perms_rules },
        { "SET_TARGET", test_set_target },
        { "privileged operations", test_privileged_ops },
        { NULL, NULL },
    };
    unit_add_suite("xenstored permissions", cases);
}
