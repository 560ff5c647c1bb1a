/* SPDX-License-Identifier: MIT */
/* Encoding and decoding of xm <-> xend messages (rules in protocol.h). */
#include "protocol.h"
#include "json.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const code_names[] = {
    [XEND_E_BAD_REQUEST] = "bad-request",
    [XEND_E_UNKNOWN_COMMAND] = "unknown-command",
    [XEND_E_INVALID_ARGUMENT] = "invalid-argument",
    [XEND_E_NO_SUCH_DOMAIN] = "no-such-domain",
    [XEND_E_EXISTS] = "exists",
    [XEND_E_PERMISSION] = "permission-denied",
    [XEND_E_BUSY] = "busy",
    [XEND_E_NO_MEMORY] = "no-memory",
    [XEND_E_TIMEOUT] = "timeout",
    [XEND_E_DEVICE] = "device-failed",
    [XEND_E_NOT_SUPPORTED] = "not-supported",
    [XEND_E_INTERNAL] = "internal",
    [XEND_E_UNKNOWN] = "unknown",
};

const char *xend_errcode_name(enum xend_errcode code)
{
    if ((unsigned int)code < sizeof(code_names) / sizeof(code_names[0]))
        return code_names[code];
    return "unknown";
}

enum xend_errcode xend_errcode_parse(const char *name)
{
    for (size_t i = 0; i < XEND_E_UNKNOWN; i++)
        if (!strcmp(code_names[i], name))
            return (enum xend_errcode)i;
    return XEND_E_UNKNOWN;
}

int xend_errcode_exit_status(enum xend_errcode code)
{
    return code == XEND_E_NO_SUCH_DOMAIN ? 3 : 1;
}

/* Encode v and terminate the message. */
static int finish(struct json *v, struct strbuf *out, struct strbuf *err)
{
    size_t mark = out->len;
    int rc = json_encode(v, out, err);

    if (rc == 0 && out->len - mark + 1 > XEND_MSG_MAX) {
        sb_printf(err, "message of %zu bytes is over the %u-byte limit", out->len - mark + 1,
                  XEND_MSG_MAX);
        out->len = mark;
        out->buf[mark] = '\0';
        rc = -1;
    }
    if (rc == 0)
        sb_putc(out, '\n');
    return rc;
}

int xend_request_encode(const char *cmd, const struct json *args, struct strbuf *out,
                        struct strbuf *err)
{
    if (!*cmd) {
        sb_puts(err, "empty command name");
        return -1;
    }
    if (args && args->type != JSON_OBJECT) {
        sb_puts(err, "request arguments must be an object");
        return -1;
    }
    struct json *req = json_object();
    json_set(req, "cmd", json_string(cmd));
    json_set(req, "args", args ? json_clone(args) : json_object());
    int rc = finish(req, out, err);
    json_free(req);
    return rc;
}

/* Parse a message: one object, optional trailing newline, size-limited. */
static struct json *parse_message(const char *text, size_t len, struct strbuf *err)
{
    if (len > XEND_MSG_MAX) {
        sb_printf(err, "message of %zu bytes is over the %u-byte limit", len, XEND_MSG_MAX);
        return NULL;
    }
    if (len && text[len - 1] == '\n')
        len--;
    if (memchr(text, '\n', len)) {
        sb_puts(err, "a message must be one line");
        return NULL;
    }
    struct json *v = json_decode(text, len, err);
    if (v && v->type != JSON_OBJECT) {
        sb_printf(err, "a message must be a JSON object, not %s", json_type_name(v->type));
        json_free(v);
        return NULL;
    }
    return v;
}

/* Every member of o must be one of the allowed names. */
static bool only_members(const struct json *o, const char *const *allowed, const char *what,
                         struct strbuf *err)
{
    for (size_t i = 0; i < o->u.obj.n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            ok = ok || !strcmp(*a, o->u.obj.keys[i]);
        if (!ok) {
            sb_printf(err, "unknown member \"%s\" in %s", o->u.obj.keys[i], what);
            return false;
        }
    }
    return true;
}

int xend_request_decode(const char *text, size_t len, struct xend_request *req, struct strbuf *err)
{
    static const char *const members[] = { "cmd", "args", NULL };
    struct json *v = parse_message(text, len, err);

    req->cmd = NULL;
    req->args = NULL;
    if (!v)
        return -1;
    const struct json *cmd = json_get(v, "cmd"), *args = json_get(v, "args");
    if (!only_members(v, members, "the request", err))
        goto fail;
    if (!cmd || cmd->type != JSON_STRING || !cmd->u.s[0]) {
        sb_puts(err, cmd ? "\"cmd\" must be a non-empty string" : "the request has no \"cmd\"");
        goto fail;
    }
    if (args && args->type != JSON_OBJECT) {
        sb_printf(err, "\"args\" must be an object, not %s", json_type_name(args->type));
        goto fail;
    }
    req->cmd = xstrdup(cmd->u.s);
    req->args = args ? json_clone(args) : json_object();
    json_free(v);
    return 0;
fail:
    json_free(v);
    return -1;
}

void xend_request_free(struct xend_request *req)
{
    free(req->cmd);
    json_free(req->args);
    req->cmd = NULL;
    req->args = NULL;
}

int xend_response_encode_ok(const struct json *result, struct strbuf *out, struct strbuf *err)
{
    struct json *r = json_object();

    json_set(r, "ok", json_bool(true));
    json_set(r, "result", result ? json_clone(result) : json_null());
    int rc = finish(r, out, err);
    json_free(r);
    return rc;
}

int xend_response_encode_error(enum xend_errcode code, const char *message, struct strbuf *out,
                               struct strbuf *err)
{
    if (code == XEND_E_UNKNOWN || (unsigned int)code > XEND_E_UNKNOWN) {
        sb_puts(err, "cannot send the placeholder code 'unknown'");
        return -1;
    }
    if (!message || !*message) {
        sb_puts(err, "an error response needs a message");
        return -1;
    }
    struct json *r = json_object();
    struct json *e = json_object();
    json_set(e, "code", json_string(xend_errcode_name(code)));
    json_set(e, "message", json_string(message));
    json_set(r, "ok", json_bool(false));
    json_set(r, "error", e);
    int rc = finish(r, out, err);
    json_free(r);
    return rc;
}

int xend_response_decode(const char *text, size_t len, struct xend_response *resp,
                         struct strbuf *err)
{
    static const char *const ok_members[] = { "ok", "result", NULL };
    static const char *const err_members[] = { "ok", "error", NULL };
    static const char *const error_members[] = { "code", "message", NULL };
    struct json *v = parse_message(text, len, err);

    memset(resp, 0, sizeof(*resp));
    if (!v)
        return -1;
    const struct json *ok = json_get(v, "ok");
    if (!ok || ok->type != JSON_BOOL) {
        sb_puts(err, ok ? "\"ok\" must be true or false" : "the response has no \"ok\"");
        goto fail;
    }
    if (ok->u.b) {
        if (!only_members(v, ok_members, "the response", err))
            goto fail;
        const struct json *result = json_get(v, "result");
        resp->ok = true;
        resp->result = result ? json_clone(result) : json_null();
        json_free(v);
        return 0;
    }
    if (!only_members(v, err_members, "the response", err))
        goto fail;
    const struct json *e = json_get(v, "error");
    if (!e || e->type != JSON_OBJECT) {
        sb_puts(err, "a failed response needs an \"error\" object");
        goto fail;
    }
    if (!only_members(e, error_members, "\"error\"", err))
        goto fail;
    const struct json *code = json_get(e, "code"), *msg = json_get(e, "message");
    if (!code || code->type != JSON_STRING || !msg || msg->type != JSON_STRING) {
        sb_puts(err, "\"error\" needs string members \"code\" and \"message\"");
        goto fail;
    }
    resp->ok = false;
    resp->code = xend_errcode_parse(code->u.s);
    resp->code_name = xstrdup(code->u.s);
    resp->message = xstrdup(msg->u.s);
    json_free(v);
    return 0;
fail:
    json_free(v);
    return -1;
}

void xend_response_free(struct xend_response *resp)
{
    json_free(resp->result);
    free(resp->code_name);
    free(resp->message);
    memset(resp, 0, sizeof(*resp));
}
