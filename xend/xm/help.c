/* SPDX-License-Identifier: MIT */
/*
 * Help text generated from the command table, in xm's layout: the
 * command list is " %-20s %s" with summaries wrapped at 50 columns, a
 * command's options are "  %-30s %s" wrapped at 43 (continuations start at
 * column 33). Trailing blanks are not printed.
 */
#include "xm.h"
#include "../common/strbuf.h"

#include <string.h>

static const char usage_head[] =
    "Usage: xm <subcommand> [args]\n"
    "\n"
    "Control, list, and manipulate Xen guest instances.\n"
    "\n";

static const char usage_foot[] =
    "<Domain> can either be the Domain Name or Id.\n"
    "For help on one subcommand run 'xm help <subcommand>' or 'xm <subcommand> --help'.\n"
    "For the keys of a domain configuration file run 'xm create --help_config'.\n";

static void command_row(const struct xm_command *c, struct strbuf *out)
{
    sb_printf(out, " %-20s ", c->name);
    sb_wrap(out, c->summary, 50, 22);
    sb_putc(out, '\n');
}

void xm_help_short(struct strbuf *out)
{
    sb_puts(out, usage_head);
    sb_puts(out, "Common 'xm' commands:\n\n");
    /* In alphabetical order, as xm listed them. */
    const char *last = "";
    for (;;) {
        const struct xm_command *next = NULL;
        for (size_t i = 0; i < xm_nr_commands; i++) {
            const struct xm_command *c = &xm_commands[i];
            if (c->common && strcmp(c->name, last) > 0 && (!next || strcmp(c->name, next->name) < 0))
                next = c;
        }
        if (!next)
            break;
        command_row(next, out);
        last = next->name;
    }
    sb_putc(out, '\n');
    sb_puts(out, usage_foot);
    sb_puts(out, "\nFor a complete list of subcommands run 'xm help'.\n");
}

void xm_help_long(struct strbuf *out)
{
    sb_puts(out, usage_head);
    sb_puts(out, "xm full list of subcommands:\n");
    for (size_t i = 0; i < xm_nr_commands; i++) {
        const char *g = xm_commands[i].group;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(xm_commands[j].group, g);
        if (seen)
            continue;
        sb_printf(out, "\n %s:\n", g);
        for (size_t j = i; j < xm_nr_commands; j++)
            if (!strcmp(xm_commands[j].group, g))
                command_row(&xm_commands[j], out);
    }
    if (xm_nr_aliases) {
        sb_puts(out, "\n Deprecated names:");
        for (size_t i = 0; i < xm_nr_aliases; i++)
            sb_printf(out, "%s %s (%s)", i ? "," : "", xm_aliases[i].name, xm_aliases[i].target);
        sb_putc(out, '\n');
    }
    sb_putc(out, '\n');
    sb_puts(out, usage_foot);
}

void xm_help_command(const struct xm_command *cmd, struct strbuf *out)
{
    sb_printf(out, "Usage: xm %s %s", cmd->name, cmd->usage);
    sb_rstrip(out);
    sb_printf(out, "\n\n%s\n", cmd->summary);
    bool any = false;
    for (const struct xm_option *o = cmd->options; o->help; o++) {
        struct strbuf desc = STRBUF_INIT;
        if (o->short_name) {
            sb_printf(&desc, "-%c", o->short_name);
            if (o->arg)
                sb_printf(&desc, " %s", o->arg);
        }
        if (o->long_name) {
            sb_printf(&desc, "%s--%s", desc.len ? ", " : "", o->long_name);
            if (o->arg)
                sb_printf(&desc, "=%s", o->arg);
        }
        if (!any)
            sb_putc(out, '\n');
        any = true;
        sb_printf(out, "  %-30s ", sb_str(&desc));
        if (desc.len > 30) {
            sb_putc(out, '\n');
            sb_repeat(out, ' ', 33);
        }
        sb_wrap(out, o->help, 43, 33);
        sb_putc(out, '\n');
        sb_free(&desc);
    }
    if (cmd->help) {
        sb_putc(out, '\n');
        sb_wrap(out, cmd->help, 76, 0);
        sb_putc(out, '\n');
    }
}

const struct xm_command *xm_find_command(const char *name, const char **alias_of)
{
    const struct xm_command *match = NULL;
    size_t n = strlen(name), matches = 0;

    *alias_of = NULL;
    for (size_t i = 0; i < xm_nr_commands; i++)
        if (!strcmp(xm_commands[i].name, name))
            return &xm_commands[i];
    for (size_t i = 0; i < xm_nr_aliases; i++) {
        if (!strcmp(xm_aliases[i].name, name)) {
            *alias_of = xm_aliases[i].target;
            const char *dummy;
            return xm_find_command(xm_aliases[i].target, &dummy);
        }
    }
    /* xm's rule: a unique prefix of two or more letters names the command. */
    if (n < 2)
        return NULL;
    for (size_t i = 0; i < xm_nr_commands; i++) {
        if (!strncmp(xm_commands[i].name, name, n)) {
            match = &xm_commands[i];
            matches++;
        }
    }
    return matches == 1 ? match : NULL;
}
