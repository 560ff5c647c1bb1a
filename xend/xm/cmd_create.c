/* SPDX-License-Identifier: MIT */
/*
 * xm create and xm new: find the config file, read it with the
 * command-line VAR=VALUE settings (xend/config/xmconfig.h), show what is
 * wrong with FILE:LINE:COL, and send the checked configuration to xend.
 */
#include "xm.h"
#include "../common/diag.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../config/xmconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Read name as given (if it has a '/') or from the first directory of path that has it. */
static int find_config(struct xm_ctx *ctx, const char *name, const char *path, struct strbuf *text,
                       char **found)
{
    struct xm_env *env = ctx->env;
    int err = ENOENT;

    if (strchr(name, '/')) {
        if (env->read_file(env->file_ctx, name, text) == 0) {
            *found = strdup(name);
            return *found ? 0 : -1;
        }
        xm_error(ctx, "Cannot read config file \"%s\": %s", name, strerror(errno));
        return -1;
    }
    char *dirs = strdup(path);
    if (!dirs) {
        xm_error(ctx, "out of memory");
        return -1;
    }
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        struct strbuf p = STRBUF_INIT;
        sb_printf(&p, "%s/%s", d, name);
        sb_reset(text);
        if (env->read_file(env->file_ctx, sb_str(&p), text) == 0) {
            *found = sb_steal(&p);
            free(dirs);
            return 0;
        }
        if (errno != ENOENT)
            err = errno;
        sb_free(&p);
    }
    free(dirs);
    xm_error(ctx, "Cannot find config file \"%s\" in %s: %s", name, path, strerror(err));
    return -1;
}

/*
 * Parse the command line of create/new into cfg. Returns 0 when cfg is
 * ready, -1 when the command is done (help printed), or an exit status > 0.
 */
static int load_config(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a,
                       struct xm_domain_config *cfg)
{
    struct xm_env *env = ctx->env;
    const char *file = xm_opt_value(cmd, a, "defconfig");
    const char *path = xm_opt_value(cmd, a, "path");
    bool quiet = xm_opt_set(cmd, a, "quiet");
    struct xm_override *ovr = calloc(a->nr_pos + 1, sizeof(*ovr));
    char **store = calloc(a->nr_pos + 1, sizeof(*store));
    size_t nr = 0;
    struct strbuf text = STRBUF_INIT, msgs = STRBUF_INIT;
    struct diags diags = DIAGS_INIT;
    char *found = NULL;
    int rc = 1;

    if (!ovr || !store) {
        xm_error(ctx, "out of memory");
        goto out;
    }
    if (xm_opt_set(cmd, a, "help_config")) {
        xm_config_keys_help(&text);
        fputs(sb_str(&text), env->out);
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < a->nr_pos; i++) {
        const char *arg = a->pos[i];
        if (strchr(arg, '=')) {
            if (!xm_override_split(arg, &ovr[nr], &store[nr])) {
                rc = xm_usage_error(ctx, cmd, "'%s' is not VAR=VALUE", arg);
                goto out;
            }
            nr++;
        } else if (!file) {
            file = arg;
        } else {
            rc = xm_usage_error(ctx, cmd, "unexpected argument '%s': give one config file, then "
                                "VAR=VALUE settings", arg);
            goto out;
        }
    }
    if (!file && !nr) {
        rc = xm_usage_error(ctx, cmd, "'xm %s' needs a config file (or VAR=VALUE settings)",
                            cmd->name);
        goto out;
    }
    const char *origin = XM_CONFIG_NO_FILE;
    if (file) {
        if (find_config(ctx, file, path ? path : env->config_path, &text, &found) < 0)
            goto out;
        origin = found;
        if (!quiet)
            fprintf(env->out, "Using config file \"%s\".\n", found);
    }
    int prc = xm_config_parse(origin, text.buf ? text.buf : "", text.len, ovr, nr, cfg, &diags);
    diags_format(&diags, &msgs);
    fputs(sb_str(&msgs), env->err);
    if (prc < 0) {
        fprintf(env->err, "Error: %s has %u error%s; nothing was %s.\n",
                file ? origin : "the command line", diags.errors,
                diags.errors == 1 ? "" : "s", !strcmp(cmd->name, "new") ? "registered" : "created");
        goto out;
    }
    /* xm made the kernel and ramdisk paths absolute before sending them. */
    char **paths[] = { &cfg->kernel, &cfg->ramdisk };
    for (size_t i = 0; i < 2; i++) {
        if (*paths[i] && (*paths[i])[0] != '/') {
            char *abs = env->abspath(*paths[i]);
            if (!abs) {
                xm_error(ctx, "cannot resolve %s: %s", *paths[i], strerror(errno));
                xm_config_free(cfg);
                goto out;
            }
            free(*paths[i]);
            *paths[i] = abs;
        }
    }
    rc = 0;
out:
    for (size_t i = 0; i < nr; i++)
        free(store[i]);
    free(store);
    free(ovr);
    free(found);
    sb_free(&text);
    sb_free(&msgs);
    diags_free(&diags);
    return rc;
}

int xm_cmd_create(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct xm_domain_config cfg;
    int rc = load_config(ctx, cmd, a, &cfg);

    if (rc)
        return rc < 0 ? 0 : rc;
    if (xm_opt_set(cmd, a, "dryrun")) {
        struct strbuf sb = STRBUF_INIT;
        xm_config_to_sxp_text(&cfg, &sb);
        fputs(sb_str(&sb), ctx->env->out);
        sb_free(&sb);
        xm_config_free(&cfg);
        return 0;
    }
    struct json *args = json_object(), *result;
    json_set(args, "config", xm_config_to_json(&cfg));
    json_set(args, "paused", json_bool(xm_opt_set(cmd, a, "paused")));
    xm_config_free(&cfg);
    rc = xm_call(ctx, cmd, "create", args, &result);
    json_free(args);
    if (rc)
        return rc;
    const char *name;
    long domid = xm_result_domid(ctx, cmd, result, &name);
    if (domid < 0) {
        json_free(result);
        return 1;
    }
    if (!xm_opt_set(cmd, a, "quiet"))
        fprintf(ctx->env->out, "Started domain %s (id=%ld)\n", name, domid);
    json_free(result);
    if (xm_opt_set(cmd, a, "console_autoconnect"))
        return xm_console_exec(ctx, (unsigned int)domid);
    return 0;
}

int xm_cmd_new(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct xm_domain_config cfg;
    int rc = load_config(ctx, cmd, a, &cfg);

    if (rc)
        return rc < 0 ? 0 : rc;
    struct json *args = json_object(), *result;
    json_set(args, "config", xm_config_to_json(&cfg));
    xm_config_free(&cfg);
    rc = xm_call(ctx, cmd, "new", args, &result);
    json_free(args);
    json_free(result);
    return rc;
}
