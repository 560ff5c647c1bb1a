/* SPDX-License-Identifier: MIT */
/*
 * Connections: message framing and the output queue, independent of the
 * transport (socket or shared ring).  Every message is a struct xsd_sockmsg
 * and len payload bytes (xs_wire.h); a len above XENSTORE_PAYLOAD_MAX
 * breaks the connection (docs/misc/xenstore.txt: "its xenstored connection
 * will be immediately killed").  Replies copy req_id and tx_id; errors are
 * XS_ERROR with the errno name; watch events carry req_id = tx_id = 0.
 */
#include "core.h"

#include <stdlib.h>
#include <string.h>

struct xs_conn *xs_conn_new(struct xs_server *srv, unsigned int id, struct xs_domain *d, const char *name)
{
    struct xs_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->srv = srv;
    c->id = id;
    c->domain = d;
    c->next_tx_id = 1;
    strncpy(c->name, name, sizeof(c->name) - 1);
    /* Append: watch events go to connections in creation order. */
    struct xs_conn **p = &srv->conns;
    while (*p) {
        c->prev = *p;
        p = &(*p)->next;
    }
    *p = c;
    return c;
}

static void free_output(struct xs_conn *c)
{
    while (c->out_head) {
        struct xs_msg *m = c->out_head;
        c->out_head = m->next;
        free(m);
    }
    c->out_tail = NULL;
    c->out_sent = 0;
    c->outstanding = 0;
}

static void free_input(struct xs_conn *c)
{
    free(c->in_buf);
    c->in_buf = NULL;
    c->in_used = 0;
    c->in_payload = false;
}

void xs_conn_free(struct xs_conn *c)
{
    if (!c)
        return;
    if (c->prev)
        c->prev->next = c->next;
    else
        c->srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    for (struct xs_conn *o = c->srv->conns; o; o = o->next)
        if (o->target == c)
            o->target = NULL;
    if (c->domain && c->domain->conn == c)
        c->domain->conn = NULL;
    xs_conn_reset(c);
    free(c);
}

void xs_conn_reset(struct xs_conn *c)
{
    xs_watch_delete_all(c);
    xs_trans_delete_all(c);
    free_output(c);
    free_input(c);
    c->bad = 0;
}

void xs_conn_set_bad(struct xs_conn *c, unsigned int err)
{
    xs_log(c->srv, "%s: connection broken (error %u): ignoring it", c->name, err);
    xs_conn_reset(c);
    c->bad = err;
}

void *xs_conn_in_buf(struct xs_conn *c, size_t *want)
{
    if (c->bad) {
        *want = 0;
        return NULL;
    }
    if (!c->in_payload) {
        *want = sizeof(c->in_hdr) - c->in_used;
        return (char *)&c->in_hdr + c->in_used;
    }
    *want = c->in_hdr.len - c->in_used;
    return c->in_buf + c->in_used;
}

void xs_conn_in_done(struct xs_conn *c, size_t n)
{
    if (c->bad)
        return;
    c->in_used += (uint32_t)n;
    if (!c->in_payload) {
        if (c->in_used < sizeof(c->in_hdr))
            return;
        if (c->in_hdr.len > XENSTORE_PAYLOAD_MAX) {
            xs_log(c->srv, "%s: message type %u with %u payload bytes (limit %u)", c->name,
                   c->in_hdr.type, c->in_hdr.len, XENSTORE_PAYLOAD_MAX);
            xs_conn_set_bad(c, XENSTORE_ERROR_PROTO);
            return;
        }
        /* One spare byte keeps the payload NUL-terminated for the parsers. */
        c->in_buf = calloc(1, (size_t)c->in_hdr.len + 1);
        if (!c->in_buf) {
            xs_log(c->srv, "%s: no memory for a %u-byte message", c->name, c->in_hdr.len);
            xs_conn_set_bad(c, XENSTORE_ERROR_COMM);
            return;
        }
        c->in_payload = true;
        c->in_used = 0;
    }
    if (c->in_used < c->in_hdr.len)
        return;
    struct xsd_sockmsg hdr = c->in_hdr;
    char *buf = c->in_buf;
    c->in_buf = NULL;
    c->in_used = 0;
    c->in_payload = false;
    xs_process(c, &hdr, buf);
    free(buf);
}

bool xs_conn_can_read(const struct xs_conn *c)
{
    if (c->bad)
        return false;
    /* Too many unconsumed replies: stop reading until the domain catches up. */
    return !xs_quota_exceeds(c, XS_Q_OUTSTANDING, c->outstanding);
}

const void *xs_conn_out_buf(const struct xs_conn *c, size_t *len)
{
    const struct xs_msg *m = c->out_head;
    if (!m) {
        *len = 0;
        return NULL;
    }
    if (c->out_sent < sizeof(m->hdr)) {
        *len = sizeof(m->hdr) - c->out_sent;
        return (const char *)&m->hdr + c->out_sent;
    }
    size_t off = c->out_sent - sizeof(m->hdr);
    *len = m->hdr.len - off;
    return m->body + off;
}

void xs_conn_out_done(struct xs_conn *c, size_t n)
{
    struct xs_msg *m = c->out_head;
    if (!m)
        return;
    c->out_sent += n;
    if (c->out_sent < sizeof(m->hdr) + m->hdr.len)
        return;
    if (c->srv->env.trace)
        c->srv->env.trace(c->srv, c, "OUT", &m->hdr, m->body);
    c->out_head = m->next;
    if (!c->out_head)
        c->out_tail = NULL;
    c->out_sent = 0;
    if (!m->event && c->outstanding)
        c->outstanding--;
    free(m);
}

static struct xs_msg *queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                            const void *body, size_t len, bool event)
{
    struct xs_msg *m = malloc(sizeof(*m) + len + 1);
    if (!m)
        return NULL;
    m->next = NULL;
    m->hdr.type = type;
    m->hdr.req_id = req_id;
    m->hdr.tx_id = tx_id;
    m->hdr.len = (uint32_t)len;
    m->event = event;
    if (len)
        memcpy(m->body, body, len);
    m->body[len] = 0;
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
    if (!event)
        c->outstanding++;
    return m;
}

const char *xs_errno_name(int err)
{
    for (size_t i = 0; i < XSD_ERRORS_COUNT; i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    /* Xen sends entry 0 (EINVAL) for an errno the table lacks. */
    return xsd_errors[0].errstring;
}

int xs_reply(struct xs_req *r, enum xsd_sockmsg_type type, const void *body, size_t len)
{
    if (!r->conn || r->conn->bad)
        return 0;
    if (len > XENSTORE_PAYLOAD_MAX) {
        /* The answer does not fit in one message (e.g. a huge DIRECTORY). */
        xs_reply_error(r, E2BIG);
        return 0;
    }
    if (!queue(r->conn, type, r->hdr.req_id, r->hdr.tx_id, body, len, false)) {
        xs_log(r->srv, "%s: no memory for a %zu-byte reply", r->conn->name, len);
        return ENOMEM;
    }
    return 0;
}

int xs_reply_str(struct xs_req *r, enum xsd_sockmsg_type type, const char *s)
{
    return xs_reply(r, type, s, strlen(s) + 1);
}

int xs_reply_ack(struct xs_req *r)
{
    return xs_reply_str(r, (enum xsd_sockmsg_type)r->hdr.type, "OK");
}

void xs_reply_error(struct xs_req *r, int err)
{
    bool known = false;
    for (size_t i = 0; i < XSD_ERRORS_COUNT; i++)
        known = known || xsd_errors[i].errnum == err;
    if (!known)
        xs_log(r->srv, "error %d has no xenstore name: sending EINVAL", err);
    const char *name = xs_errno_name(err);
    if (!r->conn || r->conn->bad)
        return;
    if (!queue(r->conn, XS_ERROR, r->hdr.req_id, r->hdr.tx_id, name, strlen(name) + 1, false))
        xs_log(r->srv, "%s: no memory for an error reply (%s)", r->conn->name, name);
}

void xs_send_event(struct xs_conn *c, const char *path, const char *token)
{
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
    if (c->bad)
        return;
    if (pl + tl > XENSTORE_PAYLOAD_MAX) {
        xs_log(c->srv, "%s: dropping an over-long watch event for %s", c->name, path);
        return;
    }
    char *body = malloc(pl + tl);
    if (!body) {
        xs_log(c->srv, "%s: no memory for a watch event on %s", c->name, path);
        return;
    }
    memcpy(body, path, pl);
    memcpy(body + pl, token, tl);
    /* An identical event still queued makes this one redundant (not for @ events). */
    if (path[0] != '@')
        for (const struct xs_msg *m = c->out_head; m; m = m->next)
            if (m->event && m->hdr.len == pl + tl && !memcmp(m->body, body, pl + tl)) {
                free(body);
                return;
            }
    if (!queue(c, XS_WATCH_EVENT, 0, 0, body, pl + tl, true))
        xs_log(c->srv, "%s: no memory for a watch event on %s", c->name, path);
    free(body);
}
