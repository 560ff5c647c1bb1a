/* SPDX-License-Identifier: MIT */
/*
 * xm's front end: find the subcommand in the table, parse its options the
 * way GNU getopt does (options and arguments may mix; "-abc" groups flags;
 * "-f FILE", "-fFILE", "--defconfig FILE" and "--defconfig=FILE"; "--"
 * ends options), check the argument count, and run the handler. Usage
 * errors use the messages of xm (Python getopt) and exit with status 1.
 */
#include "xm.h"
#include "../common/strbuf.h"
#include "../common/suggest.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void xm_error(struct xm_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    fputs("Error: ", ctx->env->err);
    va_start(ap, fmt);
    vfprintf(ctx->env->err, fmt, ap);
    va_end(ap);
    fputc('\n', ctx->env->err);
}

int xm_usage_error(struct xm_ctx *ctx, const struct xm_command *cmd, const char *fmt, ...)
{
    va_list ap;
    struct strbuf sb = STRBUF_INIT;

    fputs("Error: ", ctx->env->err);
    va_start(ap, fmt);
    vfprintf(ctx->env->err, fmt, ap);
    va_end(ap);
    fputs("\n\n", ctx->env->err);
    xm_help_command(cmd, &sb);
    fputs(sb_str(&sb), ctx->env->err);
    sb_free(&sb);
    return 1;
}

int xm_opt_index(const struct xm_command *cmd, const char *long_name, char short_name)
{
    for (int i = 0; cmd->options[i].help; i++) {
        const struct xm_option *o = &cmd->options[i];
        if (long_name && o->long_name && !strcmp(o->long_name, long_name))
            return i;
        if (!long_name && short_name && o->short_name == short_name)
            return i;
    }
    return -1;
}

bool xm_opt_set(const struct xm_command *cmd, const struct xm_args *a, const char *long_name)
{
    int i = xm_opt_index(cmd, long_name, 0);
    return i >= 0 && a->set[i];
}

const char *xm_opt_value(const struct xm_command *cmd, const struct xm_args *a, const char *long_name)
{
    int i = xm_opt_index(cmd, long_name, 0);
    return i >= 0 && a->set[i] ? a->value[i] : NULL;
}

/*
 * Parse argv[0..argc) for cmd. Returns 0, 2 if help was asked for, or 1
 * after a usage error has been printed.
 */
static int parse_args(struct xm_ctx *ctx, const struct xm_command *cmd, int argc, char **argv,
                      struct xm_args *a)
{
    bool options_done = false;

    memset(a, 0, sizeof(*a));
    a->pos = calloc((size_t)argc + 1, sizeof(*a->pos));
    if (!a->pos) {
        xm_error(ctx, "out of memory");
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (options_done || arg[0] != '-' || !arg[1]) {
            a->pos[a->nr_pos++] = arg;
            continue;
        }
        if (!strcmp(arg, "--")) {
            options_done = true;
            continue;
        }
        if (arg[1] == '-') {
            char *name = arg + 2, *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            int idx = -1;
            for (int k = 0; cmd->options[k].help; k++) {
                const char *ln = cmd->options[k].long_name;
                if (ln && strlen(ln) == n && !strncmp(ln, name, n))
                    idx = k;
            }
            if (idx < 0)
                return xm_usage_error(ctx, cmd, "option --%.*s not recognized", (int)n, name);
            const struct xm_option *o = &cmd->options[idx];
            if (!strcmp(o->long_name, "help"))
                return 2;
            if (!o->arg && eq)
                return xm_usage_error(ctx, cmd, "option --%s must not have an argument", o->long_name);
            if (o->arg) {
                if (eq) {
                    a->value[idx] = eq + 1;
                } else if (i + 1 < argc) {
                    a->value[idx] = argv[++i];
                } else {
                    return xm_usage_error(ctx, cmd, "option --%s requires argument", o->long_name);
                }
            }
            a->set[idx] = true;
            continue;
        }
        for (char *c = arg + 1; *c; c++) {
            int idx = xm_opt_index(cmd, NULL, *c);
            if (idx < 0)
                return xm_usage_error(ctx, cmd, "option -%c not recognized", *c);
            const struct xm_option *o = &cmd->options[idx];
            if (o->short_name == 'h')
                return 2;
            a->set[idx] = true;
            if (o->arg) {
                if (c[1]) {
                    a->value[idx] = c + 1;
                } else if (i + 1 < argc) {
                    a->value[idx] = argv[++i];
                } else {
                    return xm_usage_error(ctx, cmd, "option -%c requires argument", *c);
                }
                break;
            }
        }
    }
    return 0;
}

static int check_count(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    size_t n = a->nr_pos;

    if (n >= cmd->min_args && (cmd->max_args == XM_ARGS_MANY || n <= cmd->max_args))
        return 0;
    if (cmd->min_args == cmd->max_args)
        return xm_usage_error(ctx, cmd, "'xm %s' requires %u argument%s.", cmd->name, cmd->min_args,
                              cmd->min_args == 1 ? "" : "s");
    if (cmd->max_args == XM_ARGS_MANY)
        return xm_usage_error(ctx, cmd, "'xm %s' requires at least %u argument%s.", cmd->name,
                              cmd->min_args, cmd->min_args == 1 ? "" : "s");
    return xm_usage_error(ctx, cmd, "'xm %s' requires between %u and %u arguments.", cmd->name,
                          cmd->min_args, cmd->max_args);
}

static void print_text(FILE *f, void (*fn)(struct strbuf *))
{
    struct strbuf sb = STRBUF_INIT;

    fn(&sb);
    fputs(sb_str(&sb), f);
    sb_free(&sb);
}

int xm_main(int argc, char **argv, struct xm_env *env)
{
    struct xm_ctx ctx = { .env = env, .prog = "xm" };
    const char *alias = NULL;

    if (argc < 2) {
        /* xm's rule: a bare "xm" shows the common commands and fails. */
        print_text(env->out, xm_help_short);
        return 1;
    }
    const char *name = argv[1];
    if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
        print_text(env->out, xm_help_long);
        return 0;
    }
    const struct xm_command *cmd = xm_find_command(name, &alias);
    if (!cmd) {
        const char *near = suggest_name(name, xm_commands, xm_nr_commands, sizeof(xm_commands[0]));
        xm_error(&ctx, "Subcommand %s not found!", name);
        if (near)
            fprintf(env->err, "Did you mean 'xm %s'?\n", near);
        fputs("For a list of subcommands run 'xm help'.\n", env->err);
        return 1;
    }
    if (alias)
        fprintf(env->err, "Command %s is deprecated.  Please use xm %s instead.\n", name, alias);

    struct xm_args a;
    int rc = parse_args(&ctx, cmd, argc - 2, argv + 2, &a);
    if (rc == 2) {
        struct strbuf sb = STRBUF_INIT;
        xm_help_command(cmd, &sb);
        fputs(sb_str(&sb), env->out);
        sb_free(&sb);
        rc = 0;
    } else if (rc == 0) {
        rc = check_count(&ctx, cmd, &a);
        if (rc == 0)
            rc = cmd->handler(&ctx, cmd, &a);
    }
    free(a.pos);
    fflush(env->out);
    fflush(env->err);
    return rc;
}
