/* SPDX-License-Identifier: MIT */
/*
 * From a config file plus command-line settings to a checked struct
 * xm_domain_config: overrides are typed and bound first, the file is
 * read (pyconf.c), every binding goes through its key's handler
 * (xmkeys.c), then defaults and cross-key rules are applied. The rules
 * themselves are listed in xmconfig.h.
 */
#include "xmconfig.h"
#include "pyconf.h"
#include "pyvalue.h"
#include "xmkeys.h"
#include "../common/diag.h"
#include "../common/strbuf.h"
#include "../common/suggest.h"
#include "../common/xalloc.h"

#include <stdlib.h>
#include <string.h>

void xm_config_init(struct xm_domain_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->memory = 128;
    cfg->vcpus = 1;
    cfg->cpu = -1;
    cfg->on_poweroff = XM_ACTION_DESTROY;
    cfg->on_reboot = XM_ACTION_RESTART;
    cfg->on_crash = XM_ACTION_RESTART;
    cfg->on_xend_start = XM_XEND_START_IGNORE;
    cfg->on_xend_stop = XM_XEND_STOP_IGNORE;
}

void xm_config_free(struct xm_domain_config *cfg)
{
    char **strings[] = {
        &cfg->name, &cfg->description, &cfg->builder, &cfg->kernel, &cfg->ramdisk, &cfg->root,
        &cfg->extra, &cfg->cmdline, &cfg->ip, &cfg->gateway, &cfg->netmask, &cfg->hostname,
        &cfg->interface, &cfg->dhcp, &cfg->nfs_server, &cfg->nfs_root, &cfg->bootloader,
        &cfg->bootargs, &cfg->features,
    };

    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        free(*strings[i]);
    free(cfg->cpumasks);
    for (size_t i = 0; i < cfg->nr_disks; i++)
        xm_disk_free(&cfg->disks[i]);
    free(cfg->disks);
    for (size_t i = 0; i < cfg->nr_vifs; i++)
        xm_vif_free(&cfg->vifs[i]);
    free(cfg->vifs);
    memset(cfg, 0, sizeof(*cfg));
}

static const char *const action_names[] = {
    [XM_ACTION_DESTROY] = "destroy",
    [XM_ACTION_RESTART] = "restart",
    [XM_ACTION_PRESERVE] = "preserve",
    [XM_ACTION_RENAME_RESTART] = "rename-restart",
    [XM_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
    [XM_ACTION_COREDUMP_RESTART] = "coredump-restart",
};

const char *xm_action_name(enum xm_action a)
{
    return (unsigned int)a < sizeof(action_names) / sizeof(action_names[0]) ? action_names[a] : "?";
}

int xm_action_parse(const char *s, bool crash, enum xm_action *a)
{
    size_t n = crash ? 6 : 4;

    for (size_t i = 0; i < n; i++) {
        if (!strcmp(s, action_names[i])) {
            *a = (enum xm_action)i;
            return 0;
        }
    }
    return -1;
}

const char *xm_xend_start_name(enum xm_xend_start a)
{
    return a == XM_XEND_START_START ? "start" : "ignore";
}

const char *xm_xend_stop_name(enum xm_xend_stop a)
{
    return a == XM_XEND_STOP_SHUTDOWN ? "shutdown" : a == XM_XEND_STOP_SUSPEND ? "suspend" : "ignore";
}

bool xm_override_split(const char *arg, struct xm_override *ovr, char **storage)
{
    const char *eq = strchr(arg, '=');

    if (!eq || eq == arg)
        return false;
    char *s = xstrdup(arg);
    s[eq - arg] = '\0';
    *storage = s;
    ovr->name = s;
    ovr->value = s + (eq - arg) + 1;
    return true;
}

/* ---- command-line values ---- */

static bool all_digits(const char *s)
{
    const char *p = s + (*s == '-');
    return *p && strspn(p, "0123456789") == strlen(p);
}

static void bind_override(struct pyconf *env, const struct xm_override *o, struct diags *diags)
{
    const struct xm_key *k = xm_key_find(o->name);
    enum xm_key_type type = k ? k->type : XMT_ANY;
    struct pyvalue *v;

    if (o->value[0] == '[') {
        v = pyconf_parse_literal("command line", o->value, diags);
        if (!v)
            return;
        v->line = v->col = 0;
        pyconf_set(env, o->name, v, PYCONF_CMDLINE, 0, 0);
        return;
    }
    if (type == XMT_STRLIST) {
        /* Each use adds one entry: disk=... disk=... */
        struct pyconf_binding *b = pyconf_find(env, o->name);
        struct pyvalue *item = pyv_str(o->value, 0, 0);
        if (b && b->origin == PYCONF_CMDLINE && b->value->type == PYV_LIST) {
            pyv_list_append(b->value, item);
        } else {
            struct pyvalue *l = pyv_list(PYV_LIST, 0, 0);
            pyv_list_append(l, item);
            pyconf_set(env, o->name, l, PYCONF_CMDLINE, 0, 0);
        }
        return;
    }
    if ((type == XMT_INT || type == XMT_ANY || type == XMT_CPUS) && all_digits(o->value)) {
        char *end;
        long long x = strtoll(o->value, &end, 10);
        v = pyv_int(x, 0, 0);
    } else {
        v = pyv_str(o->value, 0, 0);   /* typed (and reported) by the key's handler */
    }
    pyconf_set(env, o->name, v, PYCONF_CMDLINE, 0, 0);
}

/* ---- bindings to keys ---- */

static void unknown_key(struct xm_key_ctx *c, const struct pyconf_binding *b)
{
    const char *near = suggest_name(b->name, xm_keys, xm_nr_keys, sizeof(xm_keys[0]));
    struct strbuf hint = STRBUF_INIT;

    if (near)
        sb_printf(&hint, " (did you mean '%s'?)", near);
    else
        sb_puts(&hint, ": xm create --help_config lists the keys");
    if (b->origin == PYCONF_CMDLINE)
        diag_add(c->diags, DIAG_ERROR, "command line", 0, 0,
                 "%s=...: '%s' is not a config key and the file does not use it%s",
                 b->name, b->name, sb_str(&hint));
    else
        diag_add(c->diags, DIAG_ERROR, c->file, b->line, b->col, "unknown key '%s'%s",
                 b->name, sb_str(&hint));
    sb_free(&hint);
}

/* An empty value: "", [], 0, None or False. */
static bool is_empty_value(const struct pyvalue *v)
{
    switch (v->type) {
    case PYV_NONE:
        return true;
    case PYV_BOOL:
        return !v->u.b;
    case PYV_INT:
        return v->u.i == 0;
    case PYV_FLOAT:
        return v->u.f == 0.0;
    case PYV_STR:
        return !v->u.s[0];
    case PYV_LIST:
    case PYV_TUPLE:
        return v->u.list.n == 0;
    }
    return false;
}

static void apply_binding(struct xm_key_ctx *c, const struct pyconf_binding *b)
{
    const struct xm_key *k = xm_key_find(b->name);

    if (!k) {
        if (!b->referenced)
            unknown_key(c, b);
        return;
    }
    c->seen[k - xm_keys] = b;
    switch (k->cls) {
    case XMK_SUPPORTED:
    case XMK_DEPRECATED:     /* the handler warns */
        k->apply(c, k, b);
        break;
    case XMK_IGNORED:
        if (!is_empty_value(b->value))
            xm_key_report(c, b, b->value, false, "%s is ignored: %s", k->name, k->help);
        break;
    case XMK_HVM:
        if (!is_empty_value(b->value))
            xm_key_report(c, b, b->value, false, "%s is for HVM guests and is ignored "
                          "(Xeno runs paravirtualised guests)", k->name);
        break;
    case XMK_DEVLIST:
        if (!is_empty_value(b->value))
            xm_key_report(c, b, b->value, true, "%s: %s", k->name, k->help);
        break;
    case XMK_XL:
        xm_key_report(c, b, b->value, true, "%s", k->help);
        break;
    }
}

/* ---- defaults and cross-key rules ---- */

static const struct pyconf_binding *seen(const struct xm_key_ctx *c, const char *name)
{
    return c->seen[xm_key_find(name) - xm_keys];
}

static void finish(struct xm_key_ctx *c, const char *file)
{
    struct xm_domain_config *cfg = c->cfg;
    const struct pyconf_binding *b;

    if (!cfg->name) {
        /* xm's rule: a config without a name is named after its file. */
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        if (!*base || !c->name_from_file)
            diag_add(c->diags, DIAG_ERROR, file, 0, 0, "no name: set name = 'NAME'");
        else
            cfg->name = xstrdup(base);
    }
    if (!cfg->builder)
        cfg->builder = xstrdup("linux");
    if (!cfg->maxmem)
        cfg->maxmem = cfg->memory;
    else if ((b = seen(c, "maxmem")) && cfg->maxmem < cfg->memory)
        xm_key_report(c, b, b->value, true, "maxmem (%lu MiB) is less than memory (%lu MiB)",
                      cfg->maxmem, cfg->memory);

    /* A line that failed to parse may have been the kernel setting: say nothing then. */
    if (!cfg->kernel && !cfg->bootloader && !seen(c, "kernel") && !seen(c, "bootloader") &&
        !c->syntax_failed)
        diag_add(c->diags, DIAG_ERROR, file, 0, 0,
                 "no kernel: set kernel = '/path/to/vmlinuz' (or bootloader = '/usr/bin/pygrub' "
                 "to boot the kernel inside the guest's disk)");
    if (cfg->ramdisk && !cfg->kernel && (b = seen(c, "ramdisk")))
        xm_key_report(c, b, b->value, false, "ramdisk without kernel is only a hint for the "
                      "bootloader");

    if (cfg->cmdline && (cfg->root || cfg->extra) && (b = seen(c, "cmdline")))
        xm_key_report(c, b, b->value, true, "cmdline is the whole kernel command line: set either "
                      "cmdline or root/extra, not both");
    if (cfg->nfs_root && !cfg->nfs_server && (b = seen(c, "nfs_root")))
        xm_key_report(c, b, b->value, true, "nfs_root needs nfs_server");

    if (cfg->has_vcpu_avail && (b = seen(c, "vcpu_avail"))) {
        if (cfg->vcpus < 64 && (cfg->vcpu_avail >> cfg->vcpus))
            xm_key_report(c, b, b->value, true, "vcpu_avail 0x%llx names vCPUs beyond vcpus = %u",
                          (unsigned long long)cfg->vcpu_avail, cfg->vcpus);
        else if (!cfg->vcpu_avail)
            xm_key_report(c, b, b->value, true, "vcpu_avail is 0: at least vCPU0 must be online");
    }
    if (cfg->nr_cpumasks > 1 && cfg->nr_cpumasks != cfg->vcpus && (b = seen(c, "cpus")))
        xm_key_report(c, b, b->value, false, "cpus lists %zu entries for %u vCPUs; the last entries "
                      "are %s", cfg->nr_cpumasks, cfg->vcpus,
                      cfg->nr_cpumasks > cfg->vcpus ? "unused" : "missing, so those vCPUs may run anywhere");
    for (size_t i = 0; i < cfg->nr_cpumasks; i++) {
        if (!xm_cpumask_weight(&cfg->cpumasks[i]) && (b = seen(c, "cpus"))) {
            xm_key_report(c, b, b->value, true, "cpus leaves no CPU to run on");
            break;
        }
    }

    if (c->restart_given) {
        /* The deprecated restart fills in what on_* did not set explicitly. */
        enum xm_action *fields[3] = { &cfg->on_poweroff, &cfg->on_reboot, &cfg->on_crash };
        for (int i = 0; i < 3; i++)
            if (!c->on_given[i])
                *fields[i] = c->restart_actions[i];
    }
    if (c->nics >= 0 && (b = seen(c, "nics"))) {
        if (c->nics == 0) {
            xm_key_report(c, b, b->value, false, "nics is deprecated: remove it");
        } else {
            xm_key_report(c, b, b->value, false, "nics is deprecated: use empty vif entries instead, "
                          "vif = [ '' ]");
            while (cfg->nr_vifs < (size_t)c->nics) {
                cfg->vifs = xreallocarray(cfg->vifs, cfg->nr_vifs + 1, sizeof(*cfg->vifs));
                memset(&cfg->vifs[cfg->nr_vifs], 0, sizeof(cfg->vifs[0]));
                cfg->vifs[cfg->nr_vifs++].spec = xstrdup("");
            }
        }
    }
}

int xm_config_apply_env(const struct pyconf *env, const char *origin, bool from_file,
                        bool syntax_failed, struct xm_domain_config *cfg, struct diags *diags,
                        size_t first_diag, unsigned int errors_before)
{
    const struct pyconf_binding **seen_tab = xcalloc(xm_nr_keys, sizeof(*seen_tab));
    struct xm_key_ctx c = {
        .file = origin, .diags = diags, .cfg = cfg, .seen = seen_tab, .nics = -1,
        .syntax_failed = syntax_failed, .name_from_file = from_file,
    };

    for (size_t i = 0; i < env->n; i++)
        apply_binding(&c, &env->v[i]);
    finish(&c, origin);
    diags_sort(diags, first_diag);
    free(seen_tab);
    if (diags->errors != errors_before) {
        xm_config_free(cfg);
        return -1;
    }
    return 0;
}

int xm_config_parse(const char *file, const char *text, size_t len,
                    const struct xm_override *ovr, size_t nr_ovr,
                    struct xm_domain_config *cfg, struct diags *diags)
{
    struct pyconf env;
    unsigned int errors = diags->errors;
    size_t first_diag = diags->n;

    xm_config_init(cfg);
    pyconf_init(&env);
    for (size_t i = 0; i < nr_ovr; i++)
        bind_override(&env, &ovr[i], diags);
    bool syntax_failed = pyconf_parse(&env, file, text, len, diags) < 0;
    bool from_file = strcmp(file, XM_CONFIG_NO_FILE) != 0;
    int rc = xm_config_apply_env(&env, file, from_file, syntax_failed, cfg, diags, first_diag, errors);
    pyconf_free(&env);
    return rc;
}

/* ---- help ---- */

void xm_config_keys_help(struct strbuf *out)
{
    sb_puts(out, "Configuration keys (NAME = VALUE in the file, or NAME=VALUE on the command line):\n\n");
    for (size_t i = 0; i < xm_nr_keys; i++) {
        const struct xm_key *k = &xm_keys[i];
        if (k->cls != XMK_SUPPORTED)
            continue;
        size_t mark = out->len;
        sb_printf(out, "  %s=%s", k->name, k->arg);
        size_t w = out->len - mark;
        if (w < 30)
            sb_repeat(out, ' ', 30 - w);
        else {
            sb_putc(out, '\n');
            sb_repeat(out, ' ', 30);
        }
        sb_putc(out, ' ');
        sb_wrap(out, k->help, 47, 31);
        sb_putc(out, '\n');
    }
    sb_putc(out, '\n');
    sb_wrap(out, "Accepted for compatibility: nics, restart, bootentry (deprecated, with a "
            "warning). HVM-only keys are ignored with a warning.", 78, 0);
    sb_putc(out, '\n');
}
