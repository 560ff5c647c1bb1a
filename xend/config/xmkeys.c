/* SPDX-License-Identifier: MIT */
/*
 * The xm config keys: one row per key (name, how Xeno treats it, type,
 * help) and the handlers that check a value and store it in struct
 * xm_domain_config. Cross-key rules live in xmconfig.c.
 */
#include "xmkeys.h"
#include "pyconf.h"
#include "pyvalue.h"
#include "xmconfig.h"
#include "../common/diag.h"
#include "../common/dominfo.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- reporting ---- */

static void vreport(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                    unsigned int col_override, bool error, const char *fmt, va_list ap)
{
    struct strbuf sb = STRBUF_INIT;
    enum diag_level level = error ? DIAG_ERROR : DIAG_WARNING;

    sb_vprintf(&sb, fmt, ap);
    if (b->origin == PYCONF_CMDLINE && b->value->type == PYV_STR)
        diag_add(c->diags, level, "command line", 0, 0, "%s=%s: %s", b->name, b->value->u.s,
                 sb_str(&sb));
    else if (b->origin == PYCONF_CMDLINE)
        diag_add(c->diags, level, "command line", 0, 0, "%s=...: %s", b->name, sb_str(&sb));
    else
        diag_add(c->diags, level, c->file, v ? v->line : b->line,
                 col_override ? col_override : v ? v->col : b->col, "%s", sb_str(&sb));
    sb_free(&sb);
}

void xm_key_report(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                   bool error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(c, b, v, 0, error, fmt, ap);
    va_end(ap);
}

void xm_key_report_in(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                      size_t off, bool error, const char *fmt, ...)
{
    va_list ap;
    unsigned int col = (v && v->type == PYV_STR && v->text_col) ? v->text_col + (unsigned int)off : 0;

    va_start(ap, fmt);
    vreport(c, b, v, col, error, fmt, ap);
    va_end(ap);
}

/* ---- value checks ---- */

static const char *describe(const struct pyvalue *v, struct strbuf *tmp)
{
    sb_reset(tmp);
    sb_printf(tmp, "%s ", pyv_type_name(v->type));
    size_t mark = tmp->len;
    pyv_repr(v, tmp);
    if (tmp->len - mark > 40) {
        tmp->len = mark + 37;
        tmp->buf[tmp->len] = '\0';
        sb_puts(tmp, "...");
    }
    return sb_str(tmp);
}

static bool parse_decimal(const char *s, long long *out)
{
    char *end;
    long long v;

    if (!*s)
        return false;
    v = strtoll(s, &end, 0);
    if (*end || (s[0] == '0' && s[1] && s[1] != 'x' && s[1] != 'X'))
        return false;
    *out = v;
    return true;
}

static bool get_int(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                    const char *what, long long min, long long max, long long *out)
{
    struct strbuf tmp = STRBUF_INIT;
    long long x;
    bool ok = true;

    if (v->type == PYV_INT) {
        x = v->u.i;
    } else if (v->type == PYV_BOOL) {
        x = v->u.b;
    } else if (v->type == PYV_STR && parse_decimal(v->u.s, &x)) {
        if (b->origin != PYCONF_CMDLINE)
            xm_key_report(c, b, v, false, "%s is a number: write %s = %lld without quotes",
                          what, what, x);
    } else {
        xm_key_report(c, b, v, true, "%s must be a whole number, not %s", what, describe(v, &tmp));
        ok = false;
    }
    if (ok && (x < min || x > max)) {
        xm_key_report(c, b, v, true, "%s = %lld is out of range (%lld to %lld)", what, x, min, max);
        ok = false;
    }
    if (ok)
        *out = x;
    sb_free(&tmp);
    return ok;
}

static bool get_str(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                    const char *what, const char **out)
{
    struct strbuf tmp = STRBUF_INIT;

    if (v->type != PYV_STR) {
        xm_key_report(c, b, v, true, "%s must be a string (in quotes), not %s", what, describe(v, &tmp));
        sb_free(&tmp);
        return false;
    }
    *out = v->u.s;
    return true;
}

static bool get_bool(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                     const char *what, bool *out)
{
    static const char *const yes[] = { "1", "yes", "y", "true", "on" };
    static const char *const no[] = { "0", "no", "n", "false", "off" };
    struct strbuf tmp = STRBUF_INIT;

    if (v->type == PYV_BOOL) {
        *out = v->u.b;
        return true;
    }
    if (v->type == PYV_INT && (v->u.i == 0 || v->u.i == 1)) {
        *out = v->u.i;
        return true;
    }
    if (v->type == PYV_STR) {
        for (size_t i = 0; i < 5; i++) {
            if (!strcasecmp(v->u.s, yes[i])) {
                *out = true;
                return true;
            }
            if (!strcasecmp(v->u.s, no[i])) {
                *out = false;
                return true;
            }
        }
    }
    xm_key_report(c, b, v, true, "%s must be 0 or 1 (or True/False), not %s", what, describe(v, &tmp));
    sb_free(&tmp);
    return false;
}

/* A list of strings; reports and returns false otherwise. */
static bool check_strlist(struct xm_key_ctx *c, const struct pyconf_binding *b,
                          const struct pyvalue *v, const char *what, const char *example)
{
    struct strbuf tmp = STRBUF_INIT;
    bool ok = true;

    if (v->type == PYV_STR) {
        xm_key_report(c, b, v, true, "%s must be a list: write %s = [ %s ]", what, what, example);
        return false;
    }
    if (v->type != PYV_LIST) {
        xm_key_report(c, b, v, true, "%s must be a list [ ... ] of strings, not %s", what,
                      describe(v, &tmp));
        sb_free(&tmp);
        return false;
    }
    for (size_t i = 0; i < v->u.list.n; i++) {
        const struct pyvalue *it = v->u.list.items[i];
        if (it->type != PYV_STR) {
            xm_key_report(c, b, it, true, "%s entry %zu must be a string, not %s", what, i + 1,
                          describe(it, &tmp));
            ok = false;
        }
    }
    sb_free(&tmp);
    return ok;
}

#define FIELD(c, k, type) ((type *)((char *)(c)->cfg + (k)->off))

/* ---- generic appliers ---- */

static void apply_str(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    char **slot = FIELD(c, k, char *);
    free(*slot);
    *slot = xstrdup(s);
}

/* A string that must not be empty. */
static void apply_path(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    if (!*s) {
        xm_key_report(c, b, b->value, true, "%s is empty", k->name);
        return;
    }
    char **slot = FIELD(c, k, char *);
    free(*slot);
    *slot = xstrdup(s);
}

static void apply_ulong(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    long long x;

    if (get_int(c, b, b->value, k->name, k->min, k->max, &x))
        *FIELD(c, k, unsigned long) = (unsigned long)x;
}

static void apply_uint(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    long long x;

    if (get_int(c, b, b->value, k->name, k->min, k->max, &x))
        *FIELD(c, k, unsigned int) = (unsigned int)x;
}

static void apply_int(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    long long x;

    if (get_int(c, b, b->value, k->name, k->min, k->max, &x))
        *FIELD(c, k, int) = (int)x;
}

static void apply_long(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    long long x;

    if (get_int(c, b, b->value, k->name, k->min, k->max, &x))
        *FIELD(c, k, long) = (long)x;
}

static void apply_bool(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    bool x;

    if (get_bool(c, b, b->value, k->name, &x))
        *FIELD(c, k, bool) = x;
}

/* ---- key-specific appliers ---- */

static void apply_name(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    size_t n = strlen(s);
    if (!n) {
        xm_key_report(c, b, b->value, true, "name is empty");
        return;
    }
    if (n > 64) {
        xm_key_report(c, b, b->value, true, "name is %zu characters long; the limit is 64", n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              strchr("_-.:/+", ch))) {
            xm_key_report_in(c, b, b->value, i, true, "name '%s' has a bad character '%c': use "
                             "letters, digits and _ - . : / +", s, ch);
            return;
        }
    }
    if (strspn(s, "0123456789") == n) {
        xm_key_report(c, b, b->value, true, "name '%s' is a number, which xm would read as a "
                      "domain ID: choose a name with a letter in it", s);
        return;
    }
    if (!strcmp(s, "Domain-0")) {
        xm_key_report(c, b, b->value, true, "the name Domain-0 belongs to dom0");
        return;
    }
    free(c->cfg->name);
    c->cfg->name = xstrdup(s);
}

static void apply_uuid(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;
    uint8_t u[16];

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    /* 32 hex digits, dashes anywhere ignored (xend's rule), canonically 8-4-4-4-12. */
    if (xm_uuid_parse(s, u) < 0) {
        xm_key_report(c, b, b->value, true, "uuid '%s' is not a UUID "
                      "(32 hex digits, e.g. 3f2a4d8e-1b7c-4e9a-8d2f-0c5b6a7e8f90)", s);
        return;
    }
    memcpy(c->cfg->uuid, u, sizeof(u));
    c->cfg->has_uuid = true;
}

static void apply_vcpu_avail(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    long long x;

    if (!get_int(c, b, b->value, k->name, k->min, k->max, &x))
        return;
    c->cfg->vcpu_avail = (uint64_t)x;
    c->cfg->has_vcpu_avail = true;
}

static bool one_cpumask(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                        struct xm_cpumask *m)
{
    struct strbuf err = STRBUF_INIT, tmp = STRBUF_INIT;
    size_t off = 0;
    bool ok = true;

    if (v->type == PYV_INT) {
        if (v->u.i < 0 || v->u.i >= XM_MAX_CPUS) {
            xm_key_report(c, b, v, true, "CPU %lld is out of range (0 to %d)", v->u.i, XM_MAX_CPUS - 1);
            ok = false;
        } else {
            xm_cpumask_clear(m);
            xm_cpumask_set(m, (unsigned int)v->u.i);
        }
    } else if (v->type == PYV_STR) {
        if (xm_cpumask_parse(v->u.s, m, &err, &off) < 0) {
            xm_key_report_in(c, b, v, off, true, "cpus '%s': %s", v->u.s, sb_str(&err));
            ok = false;
        }
    } else {
        xm_key_report(c, b, v, true, "cpus must be a string such as \"0-3,^1\", a CPU number or "
                      "a list of them (one per vCPU), not %s", describe(v, &tmp));
        ok = false;
    }
    sb_free(&err);
    sb_free(&tmp);
    return ok;
}

static void apply_cpus(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const struct pyvalue *v = b->value;
    struct xm_domain_config *cfg = c->cfg;

    (void)k;
    free(cfg->cpumasks);
    cfg->cpumasks = NULL;
    cfg->nr_cpumasks = 0;
    if (v->type == PYV_LIST) {
        if (v->u.list.n == 0) {
            xm_key_report(c, b, v, true, "cpus is an empty list: leave it out to allow every CPU");
            return;
        }
        struct xm_cpumask *m = xcalloc(v->u.list.n, sizeof(*m));
        for (size_t i = 0; i < v->u.list.n; i++) {
            if (!one_cpumask(c, b, v->u.list.items[i], &m[i])) {
                free(m);
                return;
            }
        }
        cfg->cpumasks = m;
        cfg->nr_cpumasks = v->u.list.n;
        return;
    }
    struct xm_cpumask one;
    if (one_cpumask(c, b, v, &one)) {
        cfg->cpumasks = xmalloc(sizeof(one));
        cfg->cpumasks[0] = one;
        cfg->nr_cpumasks = 1;
    }
}

static void apply_builder(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    if (!strcmp(s, "hvm")) {
        xm_key_report(c, b, b->value, true, "builder 'hvm': Xeno runs paravirtualised guests only "
                      "(builder = 'linux')");
        return;
    }
    if (strcmp(s, "linux") != 0) {
        xm_key_report(c, b, b->value, true, "unknown builder '%s': the PV builder is 'linux'", s);
        return;
    }
    free(c->cfg->builder);
    c->cfg->builder = xstrdup(s);
}

static void apply_dhcp(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    static const char *const ok[] = { "off", "none", "on", "any", "dhcp", "bootp", "rarp", "both" };
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        if (!strcmp(s, ok[i])) {
            free(c->cfg->dhcp);
            c->cfg->dhcp = xstrdup(s);
            return;
        }
    }
    xm_key_report(c, b, b->value, true, "dhcp '%s' is not one of off, dhcp, on, any, bootp, rarp, "
                  "both, none", s);
}

static void apply_action(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;
    bool crash = !strcmp(k->name, "on_crash");
    enum xm_action a;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    if (xm_action_parse(s, crash, &a) < 0) {
        if (!crash && !strncmp(s, "coredump-", 9))
            xm_key_report(c, b, b->value, true, "%s '%s': coredump actions apply to on_crash only",
                          k->name, s);
        else
            xm_key_report(c, b, b->value, true, "%s '%s' is not one of destroy, restart, preserve, "
                          "rename-restart%s", k->name, s, crash ? ", coredump-destroy, coredump-restart" : "");
        return;
    }
    *FIELD(c, k, enum xm_action) = a;
    if (!strcmp(k->name, "on_poweroff"))
        c->on_given[0] = true;
    else if (!strcmp(k->name, "on_reboot"))
        c->on_given[1] = true;
    else
        c->on_given[2] = true;
}

static void apply_xend_start(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    if (!strcmp(s, "ignore"))
        c->cfg->on_xend_start = XM_XEND_START_IGNORE;
    else if (!strcmp(s, "start"))
        c->cfg->on_xend_start = XM_XEND_START_START;
    else
        xm_key_report(c, b, b->value, true, "on_xend_start '%s' is not ignore or start", s);
}

static void apply_xend_stop(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    if (!strcmp(s, "ignore"))
        c->cfg->on_xend_stop = XM_XEND_STOP_IGNORE;
    else if (!strcmp(s, "shutdown"))
        c->cfg->on_xend_stop = XM_XEND_STOP_SHUTDOWN;
    else if (!strcmp(s, "suspend"))
        c->cfg->on_xend_stop = XM_XEND_STOP_SUSPEND;
    else
        xm_key_report(c, b, b->value, true, "on_xend_stop '%s' is not ignore, shutdown or suspend", s);
}

static void apply_disk(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const struct pyvalue *v = b->value;
    struct xm_domain_config *cfg = c->cfg;
    struct strbuf err = STRBUF_INIT, advice = STRBUF_INIT;

    if (!check_strlist(c, b, v, k->name, "'phy:/dev/vg/guest,xvda,w'"))
        return;
    for (size_t i = 0; i < v->u.list.n; i++) {
        const struct pyvalue *it = v->u.list.items[i];
        struct xm_disk d;
        size_t off;

        sb_reset(&err);
        if (xm_disk_parse(it->u.s, &d, &err, &off) < 0) {
            xm_key_report_in(c, b, it, off, true, "disk %zu ('%s'): %s", i + 1, it->u.s, sb_str(&err));
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < cfg->nr_disks; j++) {
            if (cfg->disks[j].devid == d.devid) {
                xm_key_report(c, b, it, true, "disk %zu: %s is already used by disk %zu ('%s')",
                              i + 1, d.vdev, j + 1, cfg->disks[j].spec);
                dup = true;
                break;
            }
        }
        if (dup) {
            xm_disk_free(&d);
            continue;
        }
        sb_reset(&advice);
        xm_disk_advice(&d, &advice);
        if (advice.len)
            xm_key_report(c, b, it, false, "disk %zu: %s", i + 1, sb_str(&advice));
        cfg->disks = xreallocarray(cfg->disks, cfg->nr_disks + 1, sizeof(*cfg->disks));
        cfg->disks[cfg->nr_disks++] = d;
    }
    sb_free(&err);
    sb_free(&advice);
}

static void apply_vif(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const struct pyvalue *v = b->value;
    struct xm_domain_config *cfg = c->cfg;
    struct strbuf err = STRBUF_INIT;

    if (!check_strlist(c, b, v, k->name, "'bridge=xenbr0'"))
        return;
    for (size_t i = 0; i < v->u.list.n; i++) {
        const struct pyvalue *it = v->u.list.items[i];
        struct xm_vif f;
        size_t off;

        sb_reset(&err);
        if (xm_vif_parse(it->u.s, &f, &err, &off) < 0) {
            xm_key_report_in(c, b, it, off, true, "vif %zu ('%s'): %s", i + 1, it->u.s, sb_str(&err));
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < cfg->nr_vifs && !dup; j++) {
            const struct xm_vif *o = &cfg->vifs[j];
            if (f.mac && o->mac && !strcasecmp(f.mac, o->mac)) {
                xm_key_report(c, b, it, true, "vif %zu: MAC %s is already used by vif %zu",
                              i + 1, f.mac, j + 1);
                dup = true;
            } else if (f.vifname && o->vifname && !strcmp(f.vifname, o->vifname)) {
                xm_key_report(c, b, it, true, "vif %zu: vifname %s is already used by vif %zu",
                              i + 1, f.vifname, j + 1);
                dup = true;
            }
        }
        if (dup) {
            xm_vif_free(&f);
            continue;
        }
        cfg->vifs = xreallocarray(cfg->vifs, cfg->nr_vifs + 1, sizeof(*cfg->vifs));
        cfg->vifs[cfg->nr_vifs++] = f;
    }
    sb_free(&err);
}

/* Deprecated keys, stored through their replacements. */

static void apply_nics(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    long long x;

    if (get_int(c, b, b->value, k->name, -1, 1024, &x))
        c->nics = (long)x;
}

static void apply_restart(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    /* xend's translation of the old key; explicit on_* settings win (xmconfig.c). */
    enum xm_action *a = c->restart_actions;
    if (!strcmp(s, "onreboot")) {
        a[0] = XM_ACTION_DESTROY;
        a[1] = XM_ACTION_RESTART;
        a[2] = XM_ACTION_DESTROY;
    } else if (!strcmp(s, "always")) {
        a[0] = a[1] = a[2] = XM_ACTION_RESTART;
    } else if (!strcmp(s, "never")) {
        a[0] = a[1] = a[2] = XM_ACTION_DESTROY;
    } else {
        xm_key_report(c, b, b->value, true, "restart '%s' is not onreboot, always or never", s);
        return;
    }
    c->restart_given = true;
    xm_key_report(c, b, b->value, false, "restart is deprecated: use on_poweroff, on_reboot and on_crash");
}

static void apply_bootentry(struct xm_key_ctx *c, const struct xm_key *k, const struct pyconf_binding *b)
{
    const char *s;

    if (!get_str(c, b, b->value, k->name, &s))
        return;
    xm_key_report(c, b, b->value, false, "bootentry is deprecated: use bootargs = '--entry=%s'", s);
    if (!c->seen[xm_key_find("bootargs") - xm_keys] && !c->cfg->bootargs)
        c->cfg->bootargs = xasprintf("--entry=%s", s);
}

/* ---- the table ---- */

#define OFF(f) offsetof(struct xm_domain_config, f)
#define I64MAX 0x7fffffffffffffffLL

#define SUP(n, t, a, h, fn, off, lo, hi) { n, XMK_SUPPORTED, t, a, h, fn, off, lo, hi }
#define IGN(n, t, why) { n, XMK_IGNORED, t, NULL, why, NULL, 0, 0, 0 }
#define HVM(n) { n, XMK_HVM, XMT_ANY, NULL, NULL, NULL, 0, 0, 0 }
#define DEV(n, why) { n, XMK_DEVLIST, XMT_STRLIST, NULL, why, NULL, 0, 0, 0 }
#define XL(n, hint) { n, XMK_XL, XMT_ANY, NULL, hint, NULL, 0, 0, 0 }

const struct xm_key xm_keys[] = {
    SUP("name", XMT_STR, "NAME", "Domain name; must be unique (default: the config file's name).",
        apply_name, 0, 0, 0),
    SUP("uuid", XMT_STR, "UUID", "Domain UUID (default: a new random one on every create).",
        apply_uuid, 0, 0, 0),
    SUP("description", XMT_STR, "TEXT", "Free-form description.", apply_str, OFF(description), 0, 0),
    SUP("memory", XMT_INT, "MEMORY", "Initial memory in MiB (default 128).", apply_ulong,
        OFF(memory), 1, 16777216),
    SUP("maxmem", XMT_INT, "MEMORY", "Maximum memory in MiB, the balloon ceiling (default: memory).",
        apply_ulong, OFF(maxmem), 1, 16777216),
    SUP("vcpus", XMT_INT, "VCPUS", "Number of virtual CPUs (default 1).", apply_uint, OFF(vcpus), 1,
        XM_MAX_VCPUS),
    SUP("vcpu_avail", XMT_INT, "VCPUS", "Bitmask of the vCPUs online at boot (default: all).",
        apply_vcpu_avail, 0, 0, I64MAX),
    SUP("cpus", XMT_CPUS, "CPUS", "Physical CPUs the domain may use: \"0-3,5,^1\", or a list with "
        "one entry per vCPU.", apply_cpus, 0, 0, 0),
    SUP("cpu", XMT_INT, "CPU", "Physical CPU for vCPU0 (old; use cpus).", apply_int, OFF(cpu), -1,
        XM_MAX_CPUS - 1),
    SUP("cpu_weight", XMT_INT, "WEIGHT", "Scheduler weight, 1 to 65535 (default 256).", apply_uint,
        OFF(cpu_weight), 1, 65535),
    SUP("cpu_cap", XMT_INT, "CAP", "Scheduler cap in percent of one CPU (0 = none).", apply_uint,
        OFF(cpu_cap), 0, 100 * XM_MAX_CPUS),
    SUP("builder", XMT_STR, "FUNCTION", "Domain builder: 'linux' (paravirtualised).", apply_builder,
        0, 0, 0),
    SUP("kernel", XMT_STR, "FILE", "Path of the guest kernel in dom0 (needed without bootloader).",
        apply_path, OFF(kernel), 0, 0),
    SUP("ramdisk", XMT_STR, "FILE", "Path of the initial ramdisk.", apply_path, OFF(ramdisk), 0, 0),
    SUP("root", XMT_STR, "DEVICE", "root= on the kernel command line, e.g. '/dev/xvda1 ro'.",
        apply_str, OFF(root), 0, 0),
    SUP("extra", XMT_STR, "ARGS", "More kernel command line arguments, e.g. 'console=hvc0'.",
        apply_str, OFF(extra), 0, 0),
    SUP("cmdline", XMT_STR, "ARGS", "The whole kernel command line (xl's key; replaces root and "
        "extra).", apply_str, OFF(cmdline), 0, 0),
    SUP("ip", XMT_STR, "IPADDR", "Kernel IP address (ip= argument).", apply_str, OFF(ip), 0, 0),
    SUP("gateway", XMT_STR, "IPADDR", "Kernel IP gateway.", apply_str, OFF(gateway), 0, 0),
    SUP("netmask", XMT_STR, "MASK", "Kernel IP netmask.", apply_str, OFF(netmask), 0, 0),
    SUP("hostname", XMT_STR, "NAME", "Kernel IP host name.", apply_str, OFF(hostname), 0, 0),
    SUP("interface", XMT_STR, "INTF", "Kernel IP interface (default eth0).", apply_str,
        OFF(interface), 0, 0),
    SUP("dhcp", XMT_STR, "off|dhcp", "Kernel DHCP setting (default off).", apply_dhcp, 0, 0, 0),
    SUP("nfs_server", XMT_STR, "IPADDR", "NFS server for an NFS root.", apply_str, OFF(nfs_server),
        0, 0),
    SUP("nfs_root", XMT_STR, "PATH", "NFS root path (needs nfs_server).", apply_str, OFF(nfs_root),
        0, 0),
    SUP("bootloader", XMT_STR, "FILE", "Boot loader run in dom0 to pick the kernel, e.g. "
        "'/usr/bin/pygrub'.", apply_path, OFF(bootloader), 0, 0),
    SUP("bootargs", XMT_STR, "ARGS", "Arguments for the boot loader.", apply_str, OFF(bootargs), 0, 0),
    SUP("features", XMT_STR, "FEATURES", "Guest kernel features to enable.", apply_str,
        OFF(features), 0, 0),
    SUP("disk", XMT_STRLIST, "phy:DEV,VDEV,MODE[,DOM]", "Virtual disks, e.g. "
        "[ 'phy:/dev/vg/guest,xvda,w', 'file:/srv/guest.img,xvdb,r' ].", apply_disk, 0, 0, 0),
    SUP("vif", XMT_STRLIST, "mac=MAC,bridge=BRIDGE,...", "Network interfaces, e.g. "
        "[ 'mac=00:16:3e:00:00:01,bridge=xenbr0' ]; [ '' ] gives one with defaults.", apply_vif,
        0, 0, 0),
    SUP("on_poweroff", XMT_STR, "destroy|restart|preserve|rename-restart",
        "What to do when the guest powers off (default destroy).", apply_action, OFF(on_poweroff), 0, 0),
    SUP("on_reboot", XMT_STR, "destroy|restart|preserve|rename-restart",
        "What to do when the guest reboots (default restart).", apply_action, OFF(on_reboot), 0, 0),
    SUP("on_crash", XMT_STR, "destroy|restart|preserve|rename-restart|coredump-destroy|coredump-restart",
        "What to do when the guest crashes (default restart, as xm).", apply_action, OFF(on_crash), 0, 0),
    SUP("on_xend_start", XMT_STR, "ignore|start", "Managed domains: start when xend starts.",
        apply_xend_start, 0, 0, 0),
    SUP("on_xend_stop", XMT_STR, "ignore|shutdown|suspend", "Managed domains: what to do when xend "
        "stops.", apply_xend_stop, 0, 0, 0),
    SUP("localtime", XMT_BOOL, "0|1", "The guest clock runs in local time, not UTC.", apply_bool,
        OFF(localtime), 0, 0),
    SUP("rtc_timeoffset", XMT_INT, "SECONDS", "Guest clock offset in seconds.", apply_long,
        OFF(rtc_timeoffset), -I64MAX, I64MAX),
    SUP("tsc_mode", XMT_INT, "0-3", "TSC: 0 default, 1 always emulate, 2 never, 3 pvrdtscp.",
        apply_uint, OFF(tsc_mode), 0, 3),
    SUP("nomigrate", XMT_BOOL, "0|1", "Forbid migration and save.", apply_bool, OFF(nomigrate), 0, 0),
    SUP("blkif", XMT_BOOL, "0|1", "The domain is a block backend (driver domain).", apply_bool,
        OFF(blkif), 0, 0),
    SUP("netif", XMT_BOOL, "0|1", "The domain is a network backend (driver domain).", apply_bool,
        OFF(netif), 0, 0),
    SUP("tpmif", XMT_BOOL, "0|1", "The domain is a TPM backend.", apply_bool, OFF(tpmif), 0, 0),

    { "nics", XMK_DEPRECATED, XMT_INT, "NUM", "nics is deprecated: use empty vif entries, "
      "vif = [ '' ]", apply_nics, 0, -1, 1024 },
    { "restart", XMK_DEPRECATED, XMT_STR, "onreboot|always|never", "restart is deprecated: use "
      "on_poweroff, on_reboot and on_crash", apply_restart, 0, 0, 0 },
    { "bootentry", XMK_DEPRECATED, XMT_STR, "ENTRY", "bootentry is deprecated: use bootargs",
      apply_bootentry, 0, 0, 0 },

    IGN("shadow_memory", XMT_INT, "shadow memory is for HVM guests"),
    IGN("pool", XMT_STR, "cpupools are not supported by Xeno"),
    IGN("target", XMT_INT, "device-model targets are for HVM guests"),
    IGN("machine_address_size", XMT_INT, "Xeno does not limit machine address sizes"),
    IGN("suppress_spurious_page_faults", XMT_BOOL, "Xeno does not inject spurious page faults"),
    IGN("s3_integrity", XMT_INT, "tboot is not supported by Xeno"),
    IGN("vhpt", XMT_INT, "vhpt is for IA64"),
    IGN("cpuid", XMT_ANY, "CPUID policies are not configurable in Xeno"),
    IGN("cpuid_check", XMT_ANY, "CPUID policies are not configurable in Xeno"),
    IGN("vncviewer", XMT_ANY, "there is no graphical console"),
    IGN("vncconsole", XMT_ANY, "there is no graphical console"),
    IGN("vncpasswd", XMT_ANY, "there is no graphical console"),
    IGN("vkbd", XMT_ANY, "there is no virtual keyboard"),

    DEV("pci", "PCI passthrough is not supported by Xeno"),
    DEV("vfb", "virtual framebuffers are not supported by Xeno (use the text console, xm console)"),
    DEV("vscsi", "PV SCSI is not supported by Xeno"),
    DEV("vtpm", "virtual TPMs are not supported by Xeno"),
    DEV("irq", "passing physical IRQs to a guest is not supported by Xeno"),
    DEV("ioports", "passing I/O ports to a guest is not supported by Xeno"),
    DEV("access_control", "ACM security labels are not supported by Xeno"),

    HVM("loader"), HVM("device_model"), HVM("pae"), HVM("acpi"), HVM("apic"), HVM("hap"),
    HVM("hpet"), HVM("timer_mode"), HVM("vpt_align"), HVM("viridian"), HVM("boot"), HVM("fda"),
    HVM("fdb"), HVM("serial"), HVM("monitor"), HVM("keymap"), HVM("usb"), HVM("usbdevice"),
    HVM("guest_os_type"), HVM("stdvga"), HVM("isa"), HVM("nographic"), HVM("soundhw"), HVM("vnc"),
    HVM("vncdisplay"), HVM("vnclisten"), HVM("vncunused"), HVM("videoram"), HVM("sdl"),
    HVM("opengl"), HVM("display"), HVM("xauthority"), HVM("pci_msitranslate"),
    HVM("pci_power_mgmt"), HVM("xen_platform_pci"), HVM("xen_extended_power_mgmt"),

    XL("type", "xl's type: xm's builder = 'linux' is the PV type"),
    XL("maxvcpus", "xl's maxvcpus: in xm, vcpus sets the maximum and vcpu_avail the ones online at boot"),
    XL("bootloader_args", "xl's bootloader_args: xm's key is bootargs (a string)"),
    XL("on_watchdog", "xl's on_watchdog has no xm equivalent"),
    XL("on_soft_reset", "xl's on_soft_reset has no xm equivalent"),
    XL("max_grant_frames", "xl's max_grant_frames has no xm equivalent"),
    XL("max_maptrack_frames", "xl's max_maptrack_frames has no xm equivalent"),
    XL("driver_domain", "xl's driver_domain: xm uses blkif = 1 / netif = 1"),
};

const size_t xm_nr_keys = sizeof(xm_keys) / sizeof(xm_keys[0]);

const struct xm_key *xm_key_find(const char *name)
{
    for (size_t i = 0; i < xm_nr_keys; i++)
        if (!strcmp(xm_keys[i].name, name))
            return &xm_keys[i];
    return NULL;
}
