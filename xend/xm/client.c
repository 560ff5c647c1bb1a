/* SPDX-License-Identifier: MIT */
/*
 * xm's side of the protocol: send a request through the environment's
 * transport, decode the response, and turn every failure into one clear
 * message and xm's exit status. Also the argument checks handlers share.
 */
#include "xm.h"
#include "../common/json.h"
#include "../common/protocol.h"
#include "../common/strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int xm_call(struct xm_ctx *ctx, const struct xm_command *cmd, const char *xend_cmd,
            struct json *args, struct json **result)
{
    struct strbuf req = STRBUF_INIT, resp = STRBUF_INIT, err = STRBUF_INIT;
    struct xend_response r;
    FILE *e = ctx->env->err;
    const char *sock = ctx->env->socket_path;
    int rc = 1;

    *result = NULL;
    if (ctx->env->socket_note) {
        fprintf(e, "xm: %s\n", ctx->env->socket_note);
        ctx->env->socket_note = NULL;
    }
    if (xend_request_encode(xend_cmd, args, &req, &err) < 0) {
        xm_error(ctx, "cannot encode the request: %s", sb_str(&err));
        goto out;
    }
    switch (ctx->env->call(ctx->env->call_ctx, sock, req.buf, req.len, &resp, &err)) {
    case XM_CALL_OK:
        break;
    case XM_CALL_NO_SOCKET:
        fprintf(e, "xm: %s: xend is not running (no socket at %s)\n", cmd->name, sock);
        if (!ctx->env->on_hypervisor)
            fputs("xm: this system is not running on the Xen hypervisor\n", e);
        goto out;
    case XM_CALL_REFUSED:
        fprintf(e, "xm: %s: xend is not running (nothing listens on %s)\n", cmd->name, sock);
        goto out;
    case XM_CALL_DENIED:
        fprintf(e, "xm: %s: permission denied on %s: most commands need root access\n", cmd->name,
                sock);
        goto out;
    case XM_CALL_FAILED:
        fprintf(e, "xm: %s: cannot talk to xend at %s: %s\n", cmd->name, sock, sb_str(&err));
        goto out;
    }
    if (xend_response_decode(resp.buf ? resp.buf : "", resp.len, &r, &err) < 0) {
        fprintf(e, "xm: %s: xend sent a malformed response: %s\n", cmd->name, sb_str(&err));
        goto out;
    }
    if (!r.ok) {
        if (!ctx->quiet_errors)
            xm_error(ctx, "%s", r.message);
        rc = xend_errcode_exit_status(r.code);
        xend_response_free(&r);
        goto out;
    }
    *result = r.result;
    r.result = NULL;
    xend_response_free(&r);
    rc = 0;
out:
    sb_free(&req);
    sb_free(&resp);
    sb_free(&err);
    return rc;
}

/* The domid in a {name, domid} result, or -1 with a message. */
long xm_result_domid(struct xm_ctx *ctx, const struct xm_command *cmd, const struct json *r,
                         const char **name)
{
    struct strbuf err = STRBUF_INIT;
    long long domid;

    *name = NULL;
    if (!r || r->type != JSON_OBJECT || json_member_int(r, "domid", true, 0, 0x7fff, &domid, &err) < 0 ||
        json_member_str(r, "name", true, name, &err) < 0) {
        fprintf(ctx->env->err, "xm: %s: xend sent a malformed result: %s\n", cmd->name,
                err.len ? sb_str(&err) : "expected {name, domid}");
        sb_free(&err);
        return -1;
    }
    sb_free(&err);
    return (long)domid;
}

int xm_console_exec(struct xm_ctx *ctx, unsigned int domid)
{
    fflush(ctx->env->out);
    fflush(ctx->env->err);
    ctx->env->exec_console(ctx->env->exec_ctx, domid);
    xm_error(ctx, "Could not start console for domain %u (%s): %s", domid, XM_XENCONSOLE,
             strerror(errno));
    return 1;
}

bool xm_valid_domain(const char *s)
{
    size_t n = strlen(s);

    if (!n || n > 64)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

const char *xm_bad_domain_name(const char *s)
{
    size_t n = strlen(s);

    if (!n)
        return "the name is empty";
    if (n > 64)
        return "the name is longer than 64 characters";
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("_-.:/+", c)))
            return "use letters, digits and _ - . : / + only";
    }
    if (strspn(s, "0123456789") == n)
        return "a number would be read as a domain ID";
    if (!strcmp(s, "Domain-0"))
        return "Domain-0 is dom0's name";
    return NULL;
}

long long xm_parse_mem_mib(const char *s)
{
    char *end;
    long long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || v < 0)
        return -1;
    /* xm's int_unit: no suffix or m = MiB; k, g convert; anything else is wrong. */
    if (!*end || ((*end == 'm' || *end == 'M') && !end[1]))
        return v;
    if ((*end == 'g' || *end == 'G') && !end[1])
        return v > (1LL << 40) ? -1 : v * 1024;
    if ((*end == 'k' || *end == 'K') && !end[1])
        return v / 1024;
    return -1;
}
