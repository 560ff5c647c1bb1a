// UNIT-SOURCES: dom0-tools/xenstored/hash.c dom0-tools/xenstored/node.c dom0-tools/xenstored/path.c dom0-tools/xenstored/perms.c dom0-tools/xenstored/quota.c dom0-tools/xenstored/store.c dom0-tools/xenstored/transaction.c dom0-tools/xenstored/watch.c dom0-tools/xenstored/conn.c dom0-tools/xenstored/ops.c dom0-tools/xenstored/ops_node.c dom0-tools/xenstored/domain.c dom0-tools/xenstored/control.c dom0-tools/xenstored/server.c dom0-tools/xenstored/ring.c
/* SPDX-License-Identifier: MIT */
/*
 * xenstored core: message framing (split and joined messages, the 4096-byte
 * payload limit that breaks a connection), partial output, the I/O trace
 * hook and the CONTROL commands.
 */
#include "test_xs_fixture.h"

static unsigned int traced_in, traced_out;

static void trace(struct xs_server *srv, const struct xs_conn *c, const char *dir,
                  const struct xsd_sockmsg *hdr, const char *body)
{
    (void)srv;
    (void)c;
    (void)hdr;
    (void)body;
    if (!strcmp(dir, "IN"))
        traced_in++;
    else
        traced_out++;
}

static void test_split_and_joined(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    fx_write(s, 0, "/k", "v");
    /* One byte at a time. */
    struct xsd_sockmsg h = { .type = XS_READ, .req_id = 42, .len = 3 };
    fx_feed(s, &h, sizeof(h), 1);
    CU_ASSERT(s->out_head == NULL);
    fx_feed(s, "/k", 3, 1);
    struct fx_msg m;
    CU_ASSERT_FATAL(fx_pop(s, &m));
    CU_ASSERT(m.hdr.type == XS_READ && m.hdr.req_id == 42 && m.hdr.len == 1 && m.body[0] == 'v');
    /* Two requests in one buffer, answered in order. */
    char buf[2 * sizeof(h) + 8];
    struct xsd_sockmsg h1 = { .type = XS_READ, .req_id = 1, .len = 3 };
    struct xsd_sockmsg h2 = { .type = XS_DIRECTORY, .req_id = 2, .tx_id = 0, .len = 2 };
    memcpy(buf, &h1, sizeof(h1));
    memcpy(buf + sizeof(h1), "/k", 3);
    memcpy(buf + sizeof(h1) + 3, &h2, sizeof(h2));
    memcpy(buf + 2 * sizeof(h1) + 3, "/", 2);
    fx_feed(s, buf, 2 * sizeof(h1) + 5, 0);
    CU_ASSERT(fx_pop(s, &m) && m.hdr.req_id == 1 && m.hdr.type == XS_READ);
    CU_ASSERT(fx_pop(s, &m) && m.hdr.req_id == 2 && m.hdr.type == XS_DIRECTORY);
    CU_ASSERT(!fx_pop(s, &m));
    /* An empty payload is a valid message. */
    const struct fx_msg *r = fx_call(s, XS_TRANSACTION_START, 0, "", 0);
    CU_ASSERT(r->hdr.type == XS_TRANSACTION_START);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_READ, 0, "", 0)), "EINVAL");
    fx_fini();
}

static void test_payload_limit(void)
{
    fx_init();
    struct xs_conn *s = fx_socket(), *o = fx_socket();
    static char big[XENSTORE_PAYLOAD_MAX + 16];
    memset(big, 'a', sizeof(big));
    memcpy(big, "/big", 5);
    /* Exactly 4096 bytes is fine. */
    const struct fx_msg *r = fx_call(s, XS_WRITE, 0, big, XENSTORE_PAYLOAD_MAX);
    CU_ASSERT_STRING_EQUAL(fx_result(r), "OK");
    fx_watch(s, "/w", "t");
    fx_tstart(s);
    /* One more breaks the connection: no reply, nothing more read. */
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 9, .len = XENSTORE_PAYLOAD_MAX + 1 };
    fx_feed(s, &h, sizeof(h), 0);
    CU_ASSERT(s->bad == XENSTORE_ERROR_PROTO);
    CU_ASSERT(s->out_head == NULL && s->nwatches == 0 && s->ntrans == 0);
    size_t want;
    CU_ASSERT(xs_conn_in_buf(s, &want) == NULL && want == 0);
    CU_ASSERT(!xs_conn_can_read(s));
    CU_ASSERT_PTR_NOT_NULL(strstr(fx_last_log, "connection broken (error 3)"));
    /* Broken connections get no events; others carry on. */
    fx_write(o, 0, "/w", "1");
    CU_ASSERT(s->out_head == NULL);
    CU_ASSERT_STRING_EQUAL(fx_read(o, 0, "/w"), "1");
    fx_fini();
}

static void test_partial_output(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    fx_send_raw(s, XS_READ, 5, 0, "/tool", 6);
    fx_send_raw(s, XS_GET_DOMAIN_PATH, 6, 0, "3", 2);
    char got[256];
    size_t total = 0, len;
    const void *p;
    while ((p = xs_conn_out_buf(s, &len)) != NULL) {
        size_t n = len > 3 ? 3 : len;       /* a slow reader */
        memcpy(got + total, p, n);
        total += n;
        xs_conn_out_done(s, n);
    }
    struct xsd_sockmsg h;
    CU_ASSERT(total == 2 * sizeof(h) + 0 + strlen("/local/domain/3") + 1);
    memcpy(&h, got, sizeof(h));
    CU_ASSERT(h.req_id == 5 && h.type == XS_READ && h.len == 0);
    memcpy(&h, got + sizeof(h), sizeof(h));
    CU_ASSERT(h.req_id == 6 && h.type == XS_GET_DOMAIN_PATH);
    CU_ASSERT_STRING_EQUAL(got + 2 * sizeof(h), "/local/domain/3");
    CU_ASSERT(s->outstanding == 0);
    fx_fini();
}

static void test_trace(void)
{
    struct xs_env e = { .trace = trace };
    traced_in = traced_out = 0;
    fx_init_env(&e);
    struct xs_conn *s = fx_socket();
    fx_write(s, 0, "/a", "1");
    fx_watch(s, "/a", "t");
    fx_drop_events(s);
    CU_ASSERT(traced_in == 2 && traced_out == 3);
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "log", "-io", NULL)), "OK");
    fx_write(s, 0, "/a", "2");
    CU_ASSERT(traced_in == 3);
    const struct fx_msg *m = fx_callv(s, XS_CONTROL, 0, "log", NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m->body, "io      : off"));
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "log", "+io", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "log", "on", NULL)), "EINVAL");   /* no hook */
    fx_fini();
}

static void test_control(void)
{
    fx_init();
    struct xs_conn *s = fx_socket();
    const struct fx_msg *m = fx_callv(s, XS_CONTROL, 0, "help", NULL);
    CU_ASSERT(m->hdr.type == XS_CONTROL);
    CU_ASSERT_PTR_NOT_NULL(strstr(m->body, "quota"));
    CU_ASSERT_PTR_NOT_NULL(strstr(m->body, "check"));
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "print", "hello there", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_last_log, "control: hello there");
    fx_write(s, 0, "/c/d/e", "");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "check", NULL)), "OK");
    CU_ASSERT_STRING_EQUAL(fx_last_log, "check: 8 nodes, 0 problems");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "nope", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_call(s, XS_CONTROL, 0, "", 0)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "print", NULL)), "EINVAL");
    CU_ASSERT_STRING_EQUAL(fx_result(fx_callv(s, XS_CONTROL, 0, "logfile", "/tmp/x", NULL)), "EINVAL");
    fx_fini();
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "split and joined messages", test_split_and_joined },
        { "payload limit breaks the connection", test_payload_limit },
        { "partial output", test_partial_output },
        { "I/O trace", test_trace },
        { "CONTROL commands", test_control },
        { NULL, NULL },
    };
    unit_add_suite("xenstored connections", cases);
}
