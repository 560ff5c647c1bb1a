/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture for the xenstored core tests (tests/unit/test_xs_*.c):
 * a server, connections fed byte by byte through the framing code, and
 * helpers that send one request and pop its reply, keeping watch events
 * aside in the order they arrived.
 */
#ifndef TEST_XS_FIXTURE_H
#define TEST_XS_FIXTURE_H

#include "unit.h"
#include "../../dom0-tools/xenstored/core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FX_MAX_CONNS 16
#define FX_MAX_EVENTS 256

struct fx_msg {
    struct xsd_sockmsg hdr;
    char body[XENSTORE_PAYLOAD_MAX + 2];
};

struct fx_conn {
    struct xs_conn *c;
    struct fx_msg events[FX_MAX_EVENTS];
    unsigned int nevents;
};

static __attribute__((unused)) struct xs_server fx_srv;
static __attribute__((unused)) struct fx_conn fx_conns[FX_MAX_CONNS];
static __attribute__((unused)) unsigned int fx_nconns;
static __attribute__((unused)) uint32_t fx_req_id;
static __attribute__((unused)) char fx_last_log[512];
static __attribute__((unused)) unsigned int fx_nlogs;

static __attribute__((unused)) void fx_log(struct xs_server *srv, const char *line)
{
    (void)srv;
    snprintf(fx_last_log, sizeof(fx_last_log), "%s", line);
    fx_nlogs++;
}

static __attribute__((unused)) void fx_init_env(const struct xs_env *env)
{
    struct xs_env e = { 0 };
    if (env)
        e = *env;
    if (!e.log)
        e.log = fx_log;
    memset(fx_conns, 0, sizeof(fx_conns));
    fx_nconns = 0;
    fx_req_id = 100;
    fx_nlogs = 0;
    CU_ASSERT_FATAL(xs_server_init(&fx_srv, &e) == 0);
}

static __attribute__((unused)) void fx_init(void)
{
    fx_init_env(NULL);
}

static __attribute__((unused)) void fx_fini(void)
{
    xs_server_destroy(&fx_srv);
    fx_nconns = 0;
}

static __attribute__((unused)) struct fx_conn *fx_of(struct xs_conn *c)
{
    for (unsigned int i = 0; i < fx_nconns; i++)
        if (fx_conns[i].c == c)
            return &fx_conns[i];
    CU_FAIL_FATAL("unknown connection");
    return NULL;
}

static __attribute__((unused)) struct xs_conn *fx_track(struct xs_conn *c)
{
    CU_ASSERT_FATAL(c != NULL && fx_nconns < FX_MAX_CONNS);
    fx_conns[fx_nconns++].c = c;
    return c;
}

/* A tools socket: the store domain, privileged. */
static __attribute__((unused)) struct xs_conn *fx_socket(void)
{
    return fx_track(xs_conn_new(&fx_srv, 0, NULL, "socket"));
}

/* A domain served over a ring (no real ring: output stays queued). */
static __attribute__((unused)) struct xs_conn *fx_domain(unsigned int domid)
{
    struct xs_domain *d = xs_domain_get(&fx_srv, domid);
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_FATAL(xs_domain_attach(&fx_srv, d) == 0);
    return fx_track(d->conn);
}

/* Feed raw bytes, in pieces of at most chunk bytes. */
static __attribute__((unused)) void fx_feed(struct xs_conn *c, const void *data, size_t len, size_t chunk)
{
    const char *p = data;
    while (len) {
        size_t want;
        void *dst = xs_conn_in_buf(c, &want);
        if (!want)
            return;
        size_t n = len < want ? len : want;
        if (chunk && n > chunk)
            n = chunk;
        memcpy(dst, p, n);
        xs_conn_in_done(c, n);
        p += n;
        len -= n;
    }
}

static __attribute__((unused)) void fx_send_raw(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx, const void *payload,
                        uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = tx, .len = len };
    fx_feed(c, &h, sizeof(h), 0);
    fx_feed(c, payload, len, 0);
}

/* Pop the next queued message; false when none. */
static __attribute__((unused)) bool fx_pop(struct xs_conn *c, struct fx_msg *m)
{
    size_t got = 0, len;
    const void *p;
    if (!c->out_head)
        return false;
    p = xs_conn_out_buf(c, &len);
    CU_ASSERT_FATAL(p != NULL && len == sizeof(m->hdr));
    memcpy(&m->hdr, p, sizeof(m->hdr));
    xs_conn_out_done(c, len);
    while (got < m->hdr.len) {
        p = xs_conn_out_buf(c, &len);
        CU_ASSERT_FATAL(p != NULL && len > 0);
        memcpy(m->body + got, p, len);
        got += len;
        xs_conn_out_done(c, len);
    }
    m->body[m->hdr.len] = 0;
    return true;
}

static __attribute__((unused)) void fx_collect_events(struct xs_conn *c)
{
    struct fx_conn *f = fx_of(c);
    struct fx_msg m;
    while (c->out_head && c->out_head->event) {
        fx_pop(c, &m);
        CU_ASSERT_FATAL(f->nevents < FX_MAX_EVENTS);
        f->events[f->nevents++] = m;
    }
}

/* Send a request and return its reply (events before it are kept aside). */
static __attribute__((unused)) struct fx_msg fx_reply;
static __attribute__((unused)) const struct fx_msg *fx_call(struct xs_conn *c, uint32_t type, uint32_t tx, const void *payload,
                                    uint32_t len)
{
    struct fx_conn *f = fx_of(c);
    uint32_t id = ++fx_req_id;
    fx_collect_events(c);
    fx_send_raw(c, type, id, tx, payload, len);
    memset(&fx_reply, 0, sizeof(fx_reply));
    for (;;) {
        struct fx_msg m;
        if (!fx_pop(c, &m)) {
            CU_FAIL("no reply");
            fx_reply.hdr.type = 0xdead;
            return &fx_reply;
        }
        if (m.hdr.type == XS_WATCH_EVENT) {
            CU_ASSERT(m.hdr.req_id == 0 && m.hdr.tx_id == 0);
            CU_ASSERT_FATAL(f->nevents < FX_MAX_EVENTS);
            f->events[f->nevents++] = m;
            continue;
        }
        CU_ASSERT(m.hdr.req_id == id);
        CU_ASSERT(m.hdr.tx_id == tx);
        fx_reply = m;
        return &fx_reply;
    }
}

/* Payload from a NULL-terminated list of strings, each with its NUL. */
static __attribute__((unused)) uint32_t fx_payload(char *buf, size_t size, va_list ap)
{
    uint32_t len = 0;
    const char *s;
    while ((s = va_arg(ap, const char *))) {
        size_t l = strlen(s) + 1;
        CU_ASSERT_FATAL(len + l <= size);
        memcpy(buf + len, s, l);
        len += (uint32_t)l;
    }
    return len;
}

static __attribute__((unused)) const struct fx_msg *fx_callv(struct xs_conn *c, uint32_t type, uint32_t tx, ...)
{
    static char buf[XENSTORE_PAYLOAD_MAX * 2];
    va_list ap;
    va_start(ap, tx);
    uint32_t len = fx_payload(buf, sizeof(buf), ap);
    va_end(ap);
    return fx_call(c, type, tx, buf, len);
}

/* "OK", the value, or "E..." for an error. */
static __attribute__((unused)) const char *fx_result(const struct fx_msg *m)
{
    return m->body;
}

static __attribute__((unused)) const char *fx_read(struct xs_conn *c, uint32_t tx, const char *path)
{
    const struct fx_msg *m = fx_callv(c, XS_READ, tx, path, NULL);
    return m->hdr.type == XS_ERROR || m->hdr.type == XS_READ ? m->body : "?";
}

static __attribute__((unused)) const char *fx_write(struct xs_conn *c, uint32_t tx, const char *path, const char *value)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    size_t pl = strlen(path) + 1, vl = strlen(value);
    CU_ASSERT_FATAL(pl + vl <= sizeof(buf));
    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    return fx_result(fx_call(c, XS_WRITE, tx, buf, (uint32_t)(pl + vl)));
}

static __attribute__((unused)) const char *fx_op(struct xs_conn *c, uint32_t type, uint32_t tx, const char *arg)
{
    return fx_result(fx_callv(c, type, tx, arg, NULL));
}

/* Children list as "a,b,c" (or the error name). */
static __attribute__((unused)) const char *fx_dir(struct xs_conn *c, uint32_t tx, const char *path)
{
    static char out[XENSTORE_PAYLOAD_MAX + 1];
    const struct fx_msg *m = fx_callv(c, XS_DIRECTORY, tx, path, NULL);
    if (m->hdr.type == XS_ERROR)
        return m->body;
    out[0] = 0;
    for (uint32_t off = 0; off < m->hdr.len; off += (uint32_t)strlen(m->body + off) + 1) {
        if (out[0])
            strcat(out, ",");
        strcat(out, m->body + off);
    }
    return out;
}

/* Permissions as "n0,r1" (or the error name). */
static __attribute__((unused)) const char *fx_perms(struct xs_conn *c, uint32_t tx, const char *path)
{
    static char out[256];
    const struct fx_msg *m = fx_callv(c, XS_GET_PERMS, tx, path, NULL);
    if (m->hdr.type == XS_ERROR)
        return m->body;
    out[0] = 0;
    for (uint32_t off = 0; off < m->hdr.len; off += (uint32_t)strlen(m->body + off) + 1) {
        if (out[0])
            strcat(out, ",");
        strcat(out, m->body + off);
    }
    return out;
}

static __attribute__((unused)) const char *fx_setperms(struct xs_conn *c, uint32_t tx, const char *path, ...)
{
    static char buf[1024];
    va_list ap;
    size_t pl = strlen(path) + 1;
    memcpy(buf, path, pl);
    va_start(ap, path);
    uint32_t len = fx_payload(buf + pl, sizeof(buf) - pl, ap);
    va_end(ap);
    return fx_result(fx_call(c, XS_SET_PERMS, tx, buf, (uint32_t)pl + len));
}

static __attribute__((unused)) uint32_t fx_tstart(struct xs_conn *c)
{
    const struct fx_msg *m = fx_callv(c, XS_TRANSACTION_START, 0, "", NULL);
    CU_ASSERT_FATAL(m->hdr.type == XS_TRANSACTION_START);
    return (uint32_t)strtoul(m->body, NULL, 10);
}

static __attribute__((unused)) const char *fx_tend(struct xs_conn *c, uint32_t tx, bool commit)
{
    return fx_op(c, XS_TRANSACTION_END, tx, commit ? "T" : "F");
}

static __attribute__((unused)) const char *fx_watch(struct xs_conn *c, const char *path, const char *token)
{
    return fx_result(fx_callv(c, XS_WATCH, 0, path, token, NULL));
}

/* Next watch event as "path token", or "" when there is none. */
static __attribute__((unused)) const char *fx_event(struct xs_conn *c)
{
    static char out[2 * XENSTORE_PAYLOAD_MAX + 8];
    struct fx_conn *f = fx_of(c);
    fx_collect_events(c);
    if (!f->nevents)
        return "";
    struct fx_msg *m = &f->events[0];
    snprintf(out, sizeof(out), "%s %s", m->body, m->body + strlen(m->body) + 1);
    memmove(&f->events[0], &f->events[1], (f->nevents - 1) * sizeof(f->events[0]));
    f->nevents--;
    return out;
}

static __attribute__((unused)) unsigned int fx_nevents(struct xs_conn *c)
{
    fx_collect_events(c);
    return fx_of(c)->nevents;
}

static __attribute__((unused)) void fx_drop_events(struct xs_conn *c)
{
    fx_collect_events(c);
    fx_of(c)->nevents = 0;
}

#endif
