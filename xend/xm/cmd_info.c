/* SPDX-License-Identifier: MIT */
/* xm list, uptime, vcpu-list, info, dmesg and log: ask xend, format the answer. */
#include "xm.h"
#include "format.h"
#include "../common/diag.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../config/xendconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const list_states[] = {
    "running", "blocked", "paused", "shutdown", "crashed", "dying", "all",
};

/* Positional arguments as a {"domains": [...]} array member; 1 (usage error) if one is bad. */
static int add_domains(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a,
                       struct json *args)
{
    struct json *arr = json_set(args, "domains", json_array());

    for (size_t i = 0; i < a->nr_pos; i++) {
        if (!xm_valid_domain(a->pos[i]))
            return xm_usage_error(ctx, cmd, "'%s' is not a domain name or ID", a->pos[i]);
        json_append(arr, json_string(a->pos[i]));
    }
    return 0;
}

static void malformed(struct xm_ctx *ctx, const struct xm_command *cmd, const char *why)
{
    fprintf(ctx->env->err, "xm: %s: xend sent a malformed result: %s\n", cmd->name, why);
}

/* Ask "list" and decode the array of domains. Returns 0 or an exit status. */
static int fetch_domains(struct xm_ctx *ctx, const struct xm_command *cmd, struct json *args,
                         struct xm_dominfo **doms, size_t *n)
{
    struct json *result;
    struct strbuf err = STRBUF_INIT;
    int rc = xm_call(ctx, cmd, "list", args, &result);

    *doms = NULL;
    *n = 0;
    if (rc)
        return rc;
    if (result->type != JSON_ARRAY) {
        malformed(ctx, cmd, "expected an array of domains");
        json_free(result);
        return 1;
    }
    *doms = calloc(result->u.arr.n + 1, sizeof(**doms));
    if (!*doms) {
        xm_error(ctx, "out of memory");
        json_free(result);
        return 1;
    }
    for (size_t i = 0; i < result->u.arr.n; i++) {
        if (xm_dominfo_from_json(result->u.arr.v[i], &(*doms)[i], &err) < 0) {
            malformed(ctx, cmd, sb_str(&err));
            for (size_t k = 0; k < i; k++)
                xm_dominfo_free(&(*doms)[k]);
            free(*doms);
            *doms = NULL;
            json_free(result);
            sb_free(&err);
            return 1;
        }
        (*n)++;
    }
    json_free(result);
    sb_free(&err);
    return 0;
}

static void free_domains(struct xm_dominfo *doms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xm_dominfo_free(&doms[i]);
    free(doms);
}

static void emit(struct xm_ctx *ctx, struct strbuf *sb)
{
    fputs(sb_str(sb), ctx->env->out);
    sb_free(sb);
}

int xm_cmd_list(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    const char *state = xm_opt_value(cmd, a, "state");
    bool lng = xm_opt_set(cmd, a, "long");
    struct xm_dominfo *doms;
    size_t n;

    if (xm_opt_set(cmd, a, "label")) {
        xm_error(ctx, "security labels are not supported by Xeno");
        return 1;
    }
    if (state) {
        bool ok = false;
        for (size_t i = 0; i < sizeof(list_states) / sizeof(list_states[0]); i++)
            ok = ok || !strcmp(state, list_states[i]);
        if (!ok)
            return xm_usage_error(ctx, cmd, "Invalid state '%s': use running, blocked, paused, "
                                  "shutdown, crashed, dying or all", state);
        if (a->nr_pos)
            return xm_usage_error(ctx, cmd, "You may specify either a state or a particular VM, "
                                  "but not both");
    }
    struct json *args = json_object();
    int rc = add_domains(ctx, cmd, a, args);
    if (!rc) {
        json_set(args, "long", json_bool(lng));
        if (state && strcmp(state, "all"))
            json_set(args, "state", json_string(state));
        rc = fetch_domains(ctx, cmd, args, &doms, &n);
    }
    json_free(args);
    if (rc)
        return rc;
    struct strbuf sb = STRBUF_INIT;
    if (lng)
        xm_format_list_long(doms, n, &sb);
    else
        xm_format_list(doms, n, &sb);
    emit(ctx, &sb);
    free_domains(doms, n);
    return 0;
}

/* The domains named on the command line (all if none), through "list". */
static int fetch_named(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a,
                       struct xm_dominfo **doms, size_t *n)
{
    struct json *args = json_object();
    int rc = add_domains(ctx, cmd, a, args);

    if (!rc)
        rc = fetch_domains(ctx, cmd, args, doms, n);
    json_free(args);
    return rc;
}

int xm_cmd_uptime(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct xm_dominfo *doms;
    size_t n;
    int rc = fetch_named(ctx, cmd, a, &doms, &n);

    if (rc)
        return rc;
    struct strbuf sb = STRBUF_INIT;
    xm_format_uptime(doms, n, xm_opt_set(cmd, a, "short"), &ctx->env->now, &sb);
    emit(ctx, &sb);
    free_domains(doms, n);
    return 0;
}

/* xm domid NAME / xm domname ID: one domain through "list" (which answers
 * no-such-domain, exit 3, for an unknown one). */
int xm_cmd_domid(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct xm_dominfo *doms;
    size_t n;
    int rc = fetch_named(ctx, cmd, a, &doms, &n);

    if (rc)
        return rc;
    if (n != 1) {
        free_domains(doms, n);
        malformed(ctx, cmd, "expected exactly one domain");
        return 1;
    }
    struct strbuf sb = STRBUF_INIT;
    if (strcmp(cmd->name, "domid"))
        sb_printf(&sb, "%s\n", doms[0].name);
    else if (doms[0].active)
        sb_printf(&sb, "%u\n", doms[0].domid);
    else
        sb_printf(&sb, "None\n");
    emit(ctx, &sb);
    free_domains(doms, n);
    return 0;
}

int xm_cmd_vcpu_list(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct json *args = json_object(), *result = NULL;
    struct strbuf err = STRBUF_INIT;
    int rc = add_domains(ctx, cmd, a, args);
    long long nr_cpus = 0;
    const struct json *arr;

    if (!rc)
        rc = xm_call(ctx, cmd, "vcpu-list", args, &result);
    json_free(args);
    if (rc)
        return rc;
    if (result->type != JSON_OBJECT ||
        json_member_int(result, "nr_cpus", true, 1, XM_MAX_CPUS, &nr_cpus, &err) < 0 ||
        json_member_of(result, "domains", JSON_ARRAY, true, &arr, &err) < 0) {
        malformed(ctx, cmd, err.len ? sb_str(&err) : "expected {nr_cpus, domains}");
        json_free(result);
        sb_free(&err);
        return 1;
    }
    struct xm_domvcpus *doms = calloc(arr->u.arr.n + 1, sizeof(*doms));
    size_t n = 0;
    rc = 0;
    if (!doms) {
        xm_error(ctx, "out of memory");
        rc = 1;
    }
    for (size_t i = 0; !rc && i < arr->u.arr.n; i++) {
        if (xm_domvcpus_from_json(arr->u.arr.v[i], &doms[i], &err) < 0) {
            malformed(ctx, cmd, sb_str(&err));
            rc = 1;
        } else {
            n++;
        }
    }
    if (!rc) {
        struct strbuf sb = STRBUF_INIT;
        xm_format_vcpu_list(doms, n, (unsigned int)nr_cpus, &sb);
        emit(ctx, &sb);
    }
    for (size_t i = 0; i < n; i++)
        xm_domvcpus_free(&doms[i]);
    free(doms);
    json_free(result);
    sb_free(&err);
    return rc;
}

/* xm info -c: xend's effective settings, read here from xend-config.sxp. */
static int info_config(struct xm_ctx *ctx)
{
    struct xm_env *env = ctx->env;
    struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
    struct diags diags = DIAGS_INIT;
    struct xend_options o;
    int rc = 1;

    if (env->read_file(env->file_ctx, env->xend_config, &text) < 0) {
        if (errno != ENOENT) {
            xm_error(ctx, "Cannot read %s: %s", env->xend_config, strerror(errno));
            goto out;
        }
        fprintf(env->err, "xm: info: %s does not exist; these are the defaults\n", env->xend_config);
    }
    int prc = xend_options_parse(env->xend_config, text.buf ? text.buf : "", text.len, &o, &diags);
    diags_format(&diags, &out);
    fputs(sb_str(&out), env->err);
    sb_reset(&out);
    xend_options_dump(&o, &out);
    xend_options_free(&o);
    if (prc < 0)
        goto out;   /* xend would refuse this file too */
    fputs(sb_str(&out), env->out);
    rc = 0;
out:
    sb_free(&text);
    sb_free(&out);
    diags_free(&diags);
    return rc;
}

int xm_cmd_info(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct json *result;
    struct strbuf err = STRBUF_INIT;
    struct xm_hostinfo h;

    if (xm_opt_set(cmd, a, "config"))
        return info_config(ctx);
    int rc = xm_call(ctx, cmd, "info", NULL, &result);
    if (rc)
        return rc;
    if (xm_hostinfo_from_json(result, &h, &err) < 0) {
        malformed(ctx, cmd, sb_str(&err));
        json_free(result);
        sb_free(&err);
        return 1;
    }
    struct strbuf sb = STRBUF_INIT;
    xm_format_info(&h, &sb);
    emit(ctx, &sb);
    xm_hostinfo_free(&h);
    json_free(result);
    sb_free(&err);
    return 0;
}

/* Ask for a {text} result and print it; newline-terminate when add_newline. */
static int print_text_result(struct xm_ctx *ctx, const struct xm_command *cmd, struct json *args,
                             bool add_newline)
{
    struct json *result;
    struct strbuf err = STRBUF_INIT;
    const char *text;
    int rc = xm_call(ctx, cmd, cmd->name, args, &result);

    if (rc)
        return rc;
    if (result->type != JSON_OBJECT || json_member_str(result, "text", true, &text, &err) < 0) {
        malformed(ctx, cmd, err.len ? sb_str(&err) : "expected {text}");
        json_free(result);
        sb_free(&err);
        return 1;
    }
    fputs(text, ctx->env->out);
    if (add_newline && (!*text || text[strlen(text) - 1] != '\n'))
        fputc('\n', ctx->env->out);
    json_free(result);
    sb_free(&err);
    return 0;
}

int xm_cmd_dmesg(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct json *args = json_object();

    json_set(args, "clear", json_bool(xm_opt_set(cmd, a, "clear")));
    int rc = print_text_result(ctx, cmd, args, false);
    json_free(args);
    return rc;
}

int xm_cmd_log(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    (void)a;
    return print_text_result(ctx, cmd, NULL, true);
}
