// UNIT-SOURCES: dom0-tools/xenstored/hash.c dom0-tools/xenstored/node.c dom0-tools/xenstored/path.c dom0-tools/xenstored/perms.c dom0-tools/xenstored/quota.c dom0-tools/xenstored/store.c dom0-tools/xenstored/transaction.c dom0-tools/xenstored/watch.c dom0-tools/xenstored/conn.c dom0-tools/xenstored/ops.c dom0-tools/xenstored/ops_node.c dom0-tools/xenstored/domain.c dom0-tools/xenstored/control.c dom0-tools/xenstored/server.c dom0-tools/xenstored/ring.c
/* SPDX-License-Identifier: MIT */
/*
 * xenstored core: the node tree through the wire operations (READ, WRITE,
 * MKDIR, RM, DIRECTORY, DIRECTORY_PART, GET_PERMS), path rules, and the
 * small helpers (hash table, paths, permission strings, error names).
 */
#include "test_xs_fixture.h"

static void test_hash(void)
{
    struct xs_hash h;
    void *old;
    char key[32];
    xs_hash_init(&h);
    CU_ASSERT_PTR_NULL(xs_hash_get(&h, "x"));
    CU_ASSERT_PTR_NULL(xs_hash_del(&h, "x"));
    for (long i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "/k/%ld", i);
        CU_ASSERT(xs_hash_put(&h, key, (void *)(i + 1), &old) == 0);
        CU_ASSERT_PTR_NULL(old);
    }
    CU_ASSERT(h.count == 1000);
    CU_ASSERT(xs_hash_get(&h, "/k/500") == (void *)501);
    CU_ASSERT(xs_hash_put(&h, "/k/500", (void *)7, &old) == 0);
    CU_ASSERT(old == (void *)501);
    CU_ASSERT(h.count == 1000);
    CU_ASSERT(xs_hash_del(&h, "/k/500") == (void *)7);
    CU_ASSERT_PTR_NULL(xs_hash_get(&h, "/k/500"));
    CU_ASSERT(h.count == 999);
    xs_hash_destroy(&h, NULL);
    CU_ASSERT(h.count == 0);
}

static void test_path_helpers(void)
{
    char *p = xs_path_parent("/a/b/c");
    CU_ASSERT_STRING_EQUAL(p, "/a/b");
    free(p);
    p = xs_path_parent("/a");
    CU_ASSERT_STRING_EQUAL(p, "/");
    free(p);
    p = xs_path_parent("@releaseDomain");
    CU_ASSERT_STRING_EQUAL(p, "/");
    free(p);
    CU_ASSERT_STRING_EQUAL(xs_path_base("/a/b/c"), "c");
    p = xs_path_child("/", "tool");
    CU_ASSERT_STRING_EQUAL(p, "/tool");
    free(p);
    p = xs_path_child("/a", "b");
    CU_ASSERT_STRING_EQUAL(p, "/a/b");
    free(p);

    /* Xen's is_child: the node itself, descendants, depth limits, "/" special. */
    CU_ASSERT(xs_path_is_child("/a", "/a", -1));
    CU_ASSERT(xs_path_is_child("/a/b/c", "/a", -1));
    CU_ASSERT(!xs_path_is_child("/ab", "/a", -1));
    CU_ASSERT(xs_path_is_child("/a/b", "/", -1));
    CU_ASSERT(!xs_path_is_child("@introduceDomain", "/", -1));
    CU_ASSERT(xs_path_is_child("/a", "/a", 0));
    CU_ASSERT(!xs_path_is_child("/a/b", "/a", 0));
    CU_ASSERT(xs_path_is_child("/a/b", "/a", 1));
    CU_ASSERT(!xs_path_is_child("/a/b/c", "/a", 1));
    CU_ASSERT(xs_path_is_child("/a/b/c", "/a", 2));
    CU_ASSERT(!xs_path_is_child("/a", "/", 0));
    CU_ASSERT(xs_path_is_child("/a", "/", 1));
    CU_ASSERT(!xs_path_is_child("/a/b", "/", 1));
    CU_ASSERT(xs_path_is_child("@releaseDomain/3", "@releaseDomain", 1));
}

static void test_canonicalize(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    struct xs_conn *d = fx_domain(7);
    int err;
    char *c = xs_canonicalize(s, "foo/bar", false, &err);
    CU_ASSERT_STRING_EQUAL(c, "/local/domain/0/foo/bar");
    free(c);
    c = xs_canonicalize(d, "foo", false, &err);
    CU_ASSERT_STRING_EQUAL(c, "/local/domain/7/foo");
    free(c);
    c = xs_canonicalize(d, "@releaseDomain", true, &err);
    CU_ASSERT_STRING_EQUAL(c, "@releaseDomain");
    free(c);
    const char *bad[] = { "", "/a/", "//a", "/a//b", "/a b", "/a.b", "/a\\b", "@x" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        c = xs_canonicalize(s, bad[i], false, &err);
        CU_ASSERT_PTR_NULL(c);
        CU_ASSERT(err == EINVAL);
    }
    CU_ASSERT_PTR_NULL(xs_canonicalize(s, NULL, false, &err));
    c = xs_canonicalize(s, "/", false, &err);
    CU_ASSERT_STRING_EQUAL(c, "/");
    free(c);
    /* 3072 bytes is the absolute limit. */
    char longp[XENSTORE_ABS_PATH_MAX + 2];
    memset(longp, 'a', sizeof(longp));
    longp[0] = '/';
    longp[XENSTORE_ABS_PATH_MAX] = 0;
    c = xs_canonicalize(s, longp, false, &err);
    CU_ASSERT_PTR_NOT_NULL(c);
    free(c);
    longp[XENSTORE_ABS_PATH_MAX] = 'a';
    longp[XENSTORE_ABS_PATH_MAX + 1] = 0;
    CU_ASSERT_PTR_NULL(xs_canonicalize(s, longp, false, &err));
    fx_fini();
}

static void test_perm_strings(void)
{
    struct xs_perm p[3];
    CU_ASSERT(xs_perms_parse("n0\0r1\0b65535", 3, p) == 0);
    CU_ASSERT(p[0].id == 0 && p[0].perms == XS_PERM_NONE);
    CU_ASSERT(p[1].id == 1 && p[1].perms == XS_PERM_READ);
    CU_ASSERT(p[2].id == 65535 && p[2].perms == (XS_PERM_READ | XS_PERM_WRITE));
    CU_ASSERT(xs_perms_parse("w3", 1, p) == 0 && p[0].perms == XS_PERM_WRITE && p[0].id == 3);
    CU_ASSERT(xs_perms_parse("x1", 1, p) == EINVAL);
    CU_ASSERT(xs_perms_parse("r", 1, p) == EINVAL);
    CU_ASSERT(xs_perms_parse("r1a", 1, p) == EINVAL);
    CU_ASSERT(xs_perms_parse("r-1", 1, p) == EINVAL);
    CU_ASSERT(xs_perms_parse("r65536", 1, p) == EINVAL);
    char buf[16];
    struct xs_perm q = { .id = 12, .perms = XS_PERM_READ | XS_PERM_WRITE };
    xs_perm_format(&q, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "b12");
}

static void test_error_names(void)
{
    CU_ASSERT_STRING_EQUAL(xs_errno_name(EAGAIN), "EAGAIN");
    CU_ASSERT_STRING_EQUAL(xs_errno_name(E2BIG), "E2BIG");
    CU_ASSERT_STRING_EQUAL(xs_errno_name(EPERM), "EPERM");
    /* Not in xsd_errors: Xen sends EINVAL. */
    CU_ASSERT_STRING_EQUAL(xs_errno_name(ETIMEDOUT), "EINVAL");
}

static void test_initial_store(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/"), "tool");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/tool"), "xenstored");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/tool/xenstored"), "");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "/"), "n0");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "@introduceDomain"), "n0");
    CU_ASSERT_STRING_EQUAL(fx_perms(s, 0, "@releaseDomain"), "n0,r32757");
    /* Special nodes are not readable as values. */
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "@releaseDomain"), "EINVAL");
    CU_ASSERT(xs_domain_find(&fx_srv, 0)->nodes == 5);
    fx_fini();
}

static void test_write_read(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "/a/b/c", "hello"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/a/b/c"), "hello");
    /* WRITE creates missing parents with empty values. */
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/a"), "");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/a/b"), "");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/"), "tool,a");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/a"), "b");
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "/a/b/c", "world"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/a/b/c"), "world");
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "/a/b/c", ""), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/a/b/c"), "");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/nope"), "ENOENT");
    /* A value with NULs is binary data (WRITE takes everything after the path). */
    const struct fx_msg *m = fx_call(s, XS_WRITE, 0, "/bin\0a\0b", 8);
    CU_ASSERT_STRING_EQUAL(m->body, "OK");
    m = fx_callv(s, XS_READ, 0, "/bin", NULL);
    CU_ASSERT(m->hdr.type == XS_READ && m->hdr.len == 3 && !memcmp(m->body, "a\0b", 3));
    /* Relative paths from a socket are below /local/domain/0. */
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "rel/x", "1"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/local/domain/0/rel/x"), "1");
    /* The reply echoes the request type. */
    m = fx_callv(s, XS_MKDIR, 0, "/m", NULL);
    CU_ASSERT(m->hdr.type == XS_MKDIR && m->hdr.len == 3);
    fx_fini();
}

static void test_bad_payloads(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_WRITE, 0, "/nonul", 6)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_READ, 0, "/a", 2)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_READ, 0, "/a\0/b", 6)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_READ, 0, "", 0)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/a/"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/a.b"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "", "x"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "@introduceDomain", "x"), "EINVAL");
    /* Nothing was created by the failures. */
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/"), "tool");
    fx_fini();
}

static void test_mkdir_rm(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "/d/x", "v"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_MKDIR, 0, "/d/x"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/d/x"), "v");      /* left unchanged */
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_MKDIR, 0, "/d/y/z"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/d/y/z"), "");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/d"), "x,y");
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_RM, 0, "/d/y"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/d/y/z"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_read(s, 0, "/d/y"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/d"), "x");
    /* Removing a missing node is fine if its parent exists. */
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_RM, 0, "/d/y"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_RM, 0, "/nope/y"), "ENOENT");
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_RM, 0, "/"), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_op(s, XS_RM, 0, "/d"), "OK");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/"), "tool");
    /* Accounting followed: dom0 owns the 5 initial nodes again. */
    CU_ASSERT(xs_domain_find(&fx_srv, 0)->nodes == 5);
    CU_ASSERT(fx_srv.db.count == 5);
    fx_fini();
}

static void test_directory_order(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    fx_write(s, 0, "/d/z", "");
    fx_write(s, 0, "/d/a", "");
    fx_write(s, 0, "/d/m", "");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/d"), "z,a,m");
    fx_op(s, XS_RM, 0, "/d/a");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/d"), "z,m");
    fx_write(s, 0, "/d/a", "");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/d"), "z,m,a");
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/nope"), "ENOENT");
    fx_fini();
}

/* DIRECTORY fails with E2BIG past one message; DIRECTORY_PART pages through. */
static void test_directory_part(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    char path[128], expect[16384] = "", name[80];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "child-%03d-%s", i, "padding-padding-padding-padding-padding");
        snprintf(path, sizeof(path), "/big/%s", name);
        CU_ASSERT_STRING_EQUAL(fx_write(s, 0, path, "x"), "OK");
        strcat(expect, name);
        strcat(expect, ",");
    }
    CU_ASSERT_STRING_EQUAL(fx_dir(s, 0, "/big"), "E2BIG");
    char got[16384] = "", gen0[32] = "";
    unsigned int off = 0, parts = 0;
    for (;;) {
        char offs[16];
        snprintf(offs, sizeof(offs), "%u", off);
        const struct fx_msg *m = fx_callv(s, XS_DIRECTORY_PART, 0, "/big", offs, NULL);
        CU_ASSERT_FATAL(m->hdr.type == XS_DIRECTORY_PART);
        CU_ASSERT(m->hdr.len <= XENSTORE_PAYLOAD_MAX);
        parts++;
        if (!gen0[0])
            snprintf(gen0, sizeof(gen0), "%.20s", m->body);
        CU_ASSERT_STRING_EQUAL(m->body, gen0);   /* unchanged node: same generation */
        uint32_t p = (uint32_t)strlen(m->body) + 1;
        bool end = false;
        while (p < m->hdr.len) {
            if (!m->body[p]) {
                end = true;
                break;
            }
            strcat(got, m->body + p);
            strcat(got, ",");
            off += (unsigned int)strlen(m->body + p) + 1;
            p += (uint32_t)strlen(m->body + p) + 1;
        }
        if (end || parts > 10)
            break;
    }
    CU_ASSERT(parts >= 2);
    CU_ASSERT_STRING_EQUAL(got, expect);
    /* Past the end: generation and an empty string. */
    const struct fx_msg *m = fx_callv(s, XS_DIRECTORY_PART, 0, "/big", "99999", NULL);
    CU_ASSERT(m->hdr.len == strlen(gen0) + 2 && m->body[strlen(gen0) + 1] == 0);
    /* A change moves the generation. */
    fx_write(s, 0, "/big/new", "");
    m = fx_callv(s, XS_DIRECTORY_PART, 0, "/big", "99999", NULL);
    CU_ASSERT_STRING_NOT_EQUAL(m->body, gen0);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_DIRECTORY_PART, 0, "/big", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_DIRECTORY_PART, 0, "/big", "x", NULL)), "EINVAL");
    fx_fini();
}

static void test_unknown_types(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, 20 /* withdrawn RESTRICT */, 0, "1", NULL)), "ENOSYS");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_WATCH_EVENT, 0, "a", "b", NULL)), "ENOSYS");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_ERROR, 0, "a", NULL)), "ENOSYS");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, 999, 0, "a", NULL)), "ENOSYS");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_INVALID, 0, "a", NULL)), "ENOSYS");
    CU_ASSERT(fx_reply.hdr.type == XS_ERROR);
    CU_ASSERT_STRING_EQUAL(xs_type_name(XS_READ), "READ");
    CU_ASSERT_STRING_EQUAL(xs_type_name(12345), "UNKNOWN");
    /* The connection still works. */
    CU_ASSERT_STRING_EQUAL(fx_write(s, 0, "/ok", "1"), "OK");
    fx_fini();
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "hash table", test_hash },
        { "path helpers and is_child", test_path_helpers },
        { "canonical paths", test_canonicalize },
        { "permission strings", test_perm_strings },
        { "error names", test_error_names },
        { "initial store", test_initial_store },
        { "write and read", test_write_read },
        { "malformed payloads", test_bad_payloads },
        { "mkdir and rm", test_mkdir_rm },
        { "children in creation order", test_directory_order },
        { "directory_part pages a long list", test_directory_part },
        { "unknown and reply-only types", test_unknown_types },
        { NULL, NULL },
    };
    unit_add_suite("xenstored store", cases);
}
