/* SPDX-License-Identifier: MIT */
/*
 * xm commands that act on one domain: destroy, pause, unpause, delete,
 * shutdown, reboot, rename, mem-set, mem-max, vcpu-set, start, console;
 * and xm help.
 */
#include "xm.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../config/xmconfig.h"

#include <stdlib.h>
#include <string.h>

struct json *xm_domain_args(struct xm_ctx *ctx, const struct xm_command *cmd,
                                const struct xm_args *a, int *rc)
{
    if (!xm_valid_domain(a->pos[0])) {
        *rc = xm_usage_error(ctx, cmd, "'%s' is not a domain name or ID", a->pos[0]);
        return NULL;
    }
    struct json *args = json_object();
    json_set(args, "domain", json_string(a->pos[0]));
    return args;
}

int xm_simple_call(struct xm_ctx *ctx, const struct xm_command *cmd, struct json *args)
{
    struct json *result;
    int rc = xm_call(ctx, cmd, cmd->name, args, &result);

    json_free(args);
    json_free(result);
    return rc;
}

int xm_cmd_domain_op(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    struct json *args = xm_domain_args(ctx, cmd, a, &rc);

    return args ? xm_simple_call(ctx, cmd, args) : rc;
}

int xm_cmd_shutdown(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    bool reboot = !strcmp(cmd->name, "reboot");
    bool all = xm_opt_set(cmd, a, "all");
    bool halt = false;
    int rc = 0;

    if (!reboot) {
        halt = xm_opt_set(cmd, a, "halt");
        reboot = xm_opt_set(cmd, a, "reboot");
        if (halt && reboot)
            return xm_usage_error(ctx, cmd, "-H and -R cannot be used together");
    }
    if (all && a->nr_pos)
        return xm_usage_error(ctx, cmd, "give either -a or a domain, not both");
    if (!all && !a->nr_pos)
        return xm_usage_error(ctx, cmd, "No domain parameter given");
    struct json *args;
    if (all) {
        args = json_object();
        json_set(args, "all", json_bool(true));
    } else if (!(args = xm_domain_args(ctx, cmd, a, &rc))) {
        return rc;
    }
    /* xm's modes, written to the guest's control/shutdown as they are. */
    json_set(args, "mode", json_string(reboot ? "reboot" : halt ? "halt" : "poweroff"));
    json_set(args, "wait", json_bool(xm_opt_set(cmd, a, "wait")));
    struct json *result;
    rc = xm_call(ctx, cmd, "shutdown", args, &result);
    json_free(args);
    json_free(result);
    return rc;
}

int xm_cmd_rename(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    const char *why = xm_bad_domain_name(a->pos[1]);

    if (why)
        return xm_usage_error(ctx, cmd, "'%s' cannot be a domain name: %s", a->pos[1], why);
    struct json *args = xm_domain_args(ctx, cmd, a, &rc);
    if (!args)
        return rc;
    json_set(args, "name", json_string(a->pos[1]));
    return xm_simple_call(ctx, cmd, args);
}

int xm_cmd_mem(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    long long mib = xm_parse_mem_mib(a->pos[1]);

    if (mib < 0)
        return xm_usage_error(ctx, cmd, "Invalid argument: '%s' is not an amount of memory "
                              "(MiB, or a number with a k, m or g suffix)", a->pos[1]);
    struct json *args = xm_domain_args(ctx, cmd, a, &rc);
    if (!args)
        return rc;
    json_set(args, "memory", json_int(mib));
    return xm_simple_call(ctx, cmd, args);
}

int xm_cmd_vcpu_set(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    char *end;
    long n = strtol(a->pos[1], &end, 10);

    if (a->pos[1][0] < '0' || a->pos[1][0] > '9' || *end || n < 1 || n > XM_MAX_VCPUS)
        return xm_usage_error(ctx, cmd, "Invalid argument: '%s' is not a vCPU count (1 to %d)",
                              a->pos[1], XM_MAX_VCPUS);
    struct json *args = xm_domain_args(ctx, cmd, a, &rc);
    if (!args)
        return rc;
    json_set(args, "vcpus", json_int(n));
    return xm_simple_call(ctx, cmd, args);
}

int xm_cmd_start(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    struct json *args = xm_domain_args(ctx, cmd, a, &rc), *result;

    if (!args)
        return rc;
    json_set(args, "paused", json_bool(xm_opt_set(cmd, a, "paused")));
    rc = xm_call(ctx, cmd, "start", args, &result);
    json_free(args);
    if (rc)
        return rc;
    const char *name;
    long domid = xm_result_domid(ctx, cmd, result, &name);
    json_free(result);
    if (domid < 0)
        return 1;
    if (xm_opt_set(cmd, a, "console_autoconnect"))
        return xm_console_exec(ctx, (unsigned int)domid);
    return 0;
}

int xm_cmd_console(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    struct json *args = xm_domain_args(ctx, cmd, a, &rc), *result;
    struct strbuf err = STRBUF_INIT;
    long long domid;

    if (!args)
        return rc;
    /* -q: a missing domain only sets the exit status (xm's rule). */
    ctx->quiet_errors = xm_opt_set(cmd, a, "quiet");
    rc = xm_call(ctx, cmd, "console", args, &result);
    ctx->quiet_errors = false;
    json_free(args);
    if (rc)
        return rc == 3 && xm_opt_set(cmd, a, "quiet") ? 1 : rc;
    if (result->type != JSON_OBJECT || json_member_int(result, "domid", true, 0, 0x7fff, &domid, &err) < 0) {
        fprintf(ctx->env->err, "xm: console: xend sent a malformed result: %s\n",
                err.len ? sb_str(&err) : "expected {domid}");
        json_free(result);
        sb_free(&err);
        return 1;
    }
    json_free(result);
    sb_free(&err);
    return xm_console_exec(ctx, (unsigned int)domid);
}

int xm_cmd_help(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct strbuf sb = STRBUF_INIT;

    (void)cmd;
    if (a->nr_pos) {
        const char *alias;
        const struct xm_command *c = xm_find_command(a->pos[0], &alias);
        if (!c) {
            xm_error(ctx, "Subcommand %s not found!", a->pos[0]);
            fputs("For a list of subcommands run 'xm help'.\n", ctx->env->err);
            return 1;
        }
        xm_help_command(c, &sb);
    } else {
        xm_help_long(&sb);
    }
    fputs(sb_str(&sb), ctx->env->out);
    sb_free(&sb);
    return 0;
}
