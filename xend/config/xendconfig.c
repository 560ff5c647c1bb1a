/* SPDX-License-Identifier: MIT */
/* xend-config.sxp options: a table of option definitions and one reader. */
#include "xendconfig.h"
#include "sxp.h"
#include "../common/diag.h"
#include "../common/strbuf.h"
#include "../common/suggest.h"
#include "../common/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum opt_type {
    OT_BOOL,
    OT_INT,
    OT_STR,
    OT_LOGLEVEL,
    OT_SEXP,        /* any value, kept in printed form */
};

struct opt_def {
    const char *name;
    enum opt_type type;
    size_t off;
    const char *def;        /* default in the option's own syntax */
    long min, max;          /* OT_INT */
    const char *absent;     /* non-NULL: Xeno does not provide this service (why) */
};

#define O(f) offsetof(struct xend_options, f)
#define NOSRV "Xeno's xend does not provide this server; xm uses xend-json-socket"
#define NOREL "Xeno does not support live migration yet"

static const struct opt_def opts[] = {
    { "logfile", OT_STR, O(logfile), "/var/log/xen/xend.log", 0, 0, NULL },
    { "loglevel", OT_LOGLEVEL, O(loglevel), "DEBUG", 0, 0, NULL },
    { "xsm_module_name", OT_STR, O(xsm_module_name), "dummy", 0, 0, NULL },
    { "xend-json-socket", OT_STR, O(xend_json_socket), "/var/run/xend/xend.sock", 0, 0, NULL },
    { "xen-api-server", OT_SEXP, O(xen_api_server), "((unix))", 0, 0, NULL },
    { "xend-http-server", OT_BOOL, O(xend_http_server), "no", 0, 0, NOSRV },
    { "xend-unix-server", OT_BOOL, O(xend_unix_server), "no", 0, 0, NOSRV },
    { "xend-unix-path", OT_STR, O(xend_unix_path), "/var/lib/xend/xend-socket", 0, 0, NULL },
    { "xend-tcp-xmlrpc-server", OT_BOOL, O(xend_tcp_xmlrpc_server), "no", 0, 0, NOSRV },
    { "xend-tcp-xmlrpc-server-address", OT_STR, O(xend_tcp_xmlrpc_server_address), "localhost", 0, 0,
      NULL },
    { "xend-tcp-xmlrpc-server-port", OT_INT, O(xend_tcp_xmlrpc_server_port), "8006", 1, 65535, NULL },
    { "xend-tcp-xmlrpc-server-ssl-key-file", OT_STR, O(xend_tcp_xmlrpc_server_ssl_key_file), "", 0, 0,
      NULL },
    { "xend-tcp-xmlrpc-server-ssl-cert-file", OT_STR, O(xend_tcp_xmlrpc_server_ssl_cert_file), "", 0,
      0, NULL },
    { "xend-unix-xmlrpc-server", OT_BOOL, O(xend_unix_xmlrpc_server), "yes", 0, 0, NULL },
    { "xend-udev-event-server", OT_BOOL, O(xend_udev_event_server), "no", 0, 0, NOSRV },
    { "xend-port", OT_INT, O(xend_port), "8000", 1, 65535, NULL },
    { "xend-address", OT_STR, O(xend_address), "", 0, 0, NULL },
    { "xend-relocation-server", OT_BOOL, O(xend_relocation_server), "no", 0, 0, NOREL },
    { "xend-relocation-port", OT_INT, O(xend_relocation_port), "8002", 1, 65535, NULL },
    { "xend-relocation-ssl-server", OT_BOOL, O(xend_relocation_ssl_server), "no", 0, 0, NOREL },
    { "xend-relocation-ssl-port", OT_INT, O(xend_relocation_ssl_port), "8003", 1, 65535, NULL },
    { "xend-relocation-server-ssl-key-file", OT_STR, O(xend_relocation_server_ssl_key_file), "", 0, 0,
      NULL },
    { "xend-relocation-server-ssl-cert-file", OT_STR, O(xend_relocation_server_ssl_cert_file), "", 0,
      0, NULL },
    { "xend-relocation-ssl", OT_BOOL, O(xend_relocation_ssl), "no", 0, 0, NULL },
    { "xend-relocation-address", OT_STR, O(xend_relocation_address), "", 0, 0, NULL },
    { "xend-relocation-hosts-allow", OT_STR, O(xend_relocation_hosts_allow), "", 0, 0, NULL },
    { "network-script", OT_STR, O(network_script), "", 0, 0, NULL },
    { "vif-script", OT_STR, O(vif_script), "vif-bridge", 0, 0, NULL },
    { "dom0-min-mem", OT_INT, O(dom0_min_mem), "0", 0, 16777216, NULL },
    { "enable-dom0-ballooning", OT_BOOL, O(enable_dom0_ballooning), NULL, 0, 0, NULL },
    { "total_available_memory", OT_INT, O(total_available_memory), "0", 0, 16777216, NULL },
    { "dom0-cpus", OT_INT, O(dom0_cpus), "0", 0, 4096, NULL },
    { "enable-dump", OT_BOOL, O(enable_dump), "no", 0, 0, NULL },
    { "console-limit", OT_INT, O(console_limit), "1024", 1, 1048576, NULL },
    { "external-migration-tool", OT_STR, O(external_migration_tool), "", 0, 0, NULL },
    { "vnc-listen", OT_STR, O(vnc_listen), "127.0.0.1", 0, 0, NULL },
    { "vncpasswd", OT_STR, O(vncpasswd), "", 0, 0, NULL },
    { "vnc-tls", OT_BOOL, O(vnc_tls), "no", 0, 0, NULL },
    { "vnc-x509-cert-dir", OT_STR, O(vnc_x509_cert_dir), "/etc/xen/vnc", 0, 0, NULL },
    { "vnc-x509-verify", OT_BOOL, O(vnc_x509_verify), "no", 0, 0, NULL },
    { "keymap", OT_STR, O(keymap), "en-us", 0, 0, NULL },
    { "resource-label-change-script", OT_STR, O(resource_label_change_script), "", 0, 0, NULL },
    { "qemu-dm-logrotate-count", OT_INT, O(qemu_dm_logrotate_count), "10", 0, 1000, NULL },
    { "device-create-timeout", OT_INT, O(device_create_timeout), "100", 1, 3600, NULL },
    { "device-destroy-timeout", OT_INT, O(device_destroy_timeout), "100", 1, 3600, NULL },
    { "xend-domains-path", OT_STR, O(xend_domains_path), "/var/lib/xend/domains", 0, 0, NULL },
    { "xend-state-path", OT_STR, O(xend_state_path), "/var/lib/xend/state", 0, 0, NULL },
    { "xend-storage-path", OT_STR, O(xend_storage_path), "/var/lib/xend/storage", 0, 0, NULL },
    { "xend-security-path", OT_STR, O(xend_security_path), "/var/lib/xend/security", 0, 0, NULL },
    { "pci-passthrough-strict-check", OT_BOOL, O(pci_passthrough_strict_check), "yes", 0, 0, NULL },
    { "pscsi-device-mask", OT_SEXP, O(pscsi_device_mask), "('*')", 0, 0, NULL },
    { "xend-domain-lock", OT_BOOL, O(xend_domain_lock), "no", 0, 0, NULL },
    { "xend-domain-lock-path", OT_STR, O(xend_domain_lock_path), "/var/lib/xen/images/vm_locks", 0, 0,
      NULL },
    { "xend-domain-lock-utility", OT_STR, O(xend_domain_lock_utility), "domain-lock", 0, 0, NULL },
    { "xend-domain-lock-device", OT_STR, O(xend_domain_lock_device), "", 0, 0, NULL },
};
#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

static const char *const loglevels[] = { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" };

static int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "yes", "y", "on", "true", "1" };
    static const char *const no[] = { "no", "n", "off", "false", "0" };

    for (size_t i = 0; i < 5; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return 0;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static int parse_long(const char *s, long *out)
{
    char *end;
    long v;

    if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
        return -1;
    v = strtol(s, &end, 10);
    if (*end)
        return -1;
    *out = v;
    return 0;
}

static char **str_slot(struct xend_options *o, const struct opt_def *d)
{
    return (char **)((char *)o + d->off);
}

/* Store value (already checked) for option d. */
static void store(struct xend_options *o, const struct opt_def *d, const char *value)
{
    switch (d->type) {
    case OT_BOOL:
        (void)parse_bool(value, (bool *)((char *)o + d->off));
        break;
    case OT_INT:
        (void)parse_long(value, (long *)((char *)o + d->off));
        break;
    case OT_STR:
    case OT_LOGLEVEL:
    case OT_SEXP:
        free(*str_slot(o, d));
        *str_slot(o, d) = xstrdup(value);
        break;
    }
}

void xend_options_init(struct xend_options *o)
{
    memset(o, 0, sizeof(*o));
    for (size_t i = 0; i < NR_OPTS; i++)
        if (opts[i].def)
            store(o, &opts[i], opts[i].def);
    o->enable_dom0_ballooning = o->dom0_min_mem != 0;
}

void xend_options_free(struct xend_options *o)
{
    for (size_t i = 0; i < NR_OPTS; i++)
        if (opts[i].type == OT_STR || opts[i].type == OT_LOGLEVEL || opts[i].type == OT_SEXP)
            free(*str_slot(o, &opts[i]));
    memset(o, 0, sizeof(*o));
}

static const struct opt_def *find_opt(const char *name)
{
    for (size_t i = 0; i < NR_OPTS; i++)
        if (!strcmp(opts[i].name, name))
            return &opts[i];
    return NULL;
}

/* Check one option's value; returns 0 and the text to store, or -1 after a diagnostic. */
static int check_value(const char *file, const struct opt_def *d, const struct sxp *form,
                       struct strbuf *text, struct diags *diags)
{
    const struct sxp *v = form->items[1];

    if (d->type == OT_SEXP) {
        if (form->n == 2)
            sxp_print(v, text);
        else
            for (size_t i = 1; i < form->n; i++) {
                if (i > 1)
                    sb_putc(text, ' ');
                sxp_print(form->items[i], text);
            }
        return 0;
    }
    if (form->n > 2) {
        diag_add(diags, DIAG_ERROR, file, form->items[2]->line, form->items[2]->col,
                 "%s takes one value; put a value with blanks in quotes, e.g. (%s 'a b')",
                 d->name, d->name);
        return -1;
    }
    if (v->type != SXP_ATOM) {
        diag_add(diags, DIAG_ERROR, file, v->line, v->col, "%s takes a single value, not a list",
                 d->name);
        return -1;
    }
    const char *s = v->atom;
    switch (d->type) {
    case OT_BOOL: {
        bool b;
        if (parse_bool(s, &b) < 0) {
            diag_add(diags, DIAG_ERROR, file, v->line, v->col, "%s must be yes or no, not '%s'",
                     d->name, s);
            return -1;
        }
        break;
    }
    case OT_INT: {
        long x;
        if (parse_long(s, &x) < 0) {
            diag_add(diags, DIAG_ERROR, file, v->line, v->col, "%s must be a whole number, not '%s'",
                     d->name, s);
            return -1;
        }
        if (x < d->min || x > d->max) {
            diag_add(diags, DIAG_ERROR, file, v->line, v->col, "%s %ld is out of range (%ld to %ld)",
                     d->name, x, d->min, d->max);
            return -1;
        }
        break;
    }
    case OT_LOGLEVEL: {
        bool ok = false;
        for (size_t i = 0; i < sizeof(loglevels) / sizeof(loglevels[0]); i++)
            if (!strcasecmp(s, loglevels[i])) {
                ok = true;
                sb_puts(text, loglevels[i]);
                return 0;
            }
        if (!ok) {
            diag_add(diags, DIAG_ERROR, file, v->line, v->col,
                     "loglevel '%s' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL", s);
            return -1;
        }
        break;
    }
    default:
        break;
    }
    sb_puts(text, s);
    return 0;
}

int xend_options_parse(const char *file, const char *text, size_t len, struct xend_options *o,
                       struct diags *diags)
{
    unsigned int errors = diags->errors;
    const struct sxp *seen[NR_OPTS];
    bool ballooning_set = false;
    struct strbuf val = STRBUF_INIT;

    xend_options_init(o);
    memset(seen, 0, sizeof(seen));
    struct sxp *doc = sxp_parse(file, text, len, diags);
    if (!doc)
        return -1;
    for (size_t i = 0; i < doc->n; i++) {
        const struct sxp *form = doc->items[i];
        const char *name = sxp_name(form);

        if (form->type != SXP_LIST || !name) {
            diag_add(diags, DIAG_ERROR, file, form->line, form->col,
                     "expected a setting such as (logfile /var/log/xen/xend.log)");
            continue;
        }
        const struct opt_def *d = find_opt(name);
        if (!d) {
            const char *near = suggest_name(name, opts, NR_OPTS, sizeof(opts[0]));
            if (near)
                diag_add(diags, DIAG_WARNING, file, form->items[0]->line, form->items[0]->col,
                         "unknown option '%s' is ignored (did you mean '%s'?)", name, near);
            else
                diag_add(diags, DIAG_WARNING, file, form->items[0]->line, form->items[0]->col,
                         "unknown option '%s' is ignored", name);
            continue;
        }
        size_t idx = (size_t)(d - opts);
        if (seen[idx]) {
            diag_add(diags, DIAG_ERROR, file, form->line, form->col,
                     "%s is already set at line %u", name, seen[idx]->line);
            continue;
        }
        seen[idx] = form;
        if (form->n < 2) {
            diag_add(diags, DIAG_WARNING, file, form->line, form->col,
                     "%s has no value; the default (%s) applies", name,
                     d->def ? (*d->def ? d->def : "empty") : "automatic");
            continue;
        }
        sb_reset(&val);
        if (check_value(file, d, form, &val, diags) < 0)
            continue;
        store(o, d, sb_str(&val));
        if (d->off == O(enable_dom0_ballooning))
            ballooning_set = true;
        if (d->absent && d->type == OT_BOOL && *(bool *)((char *)o + d->off))
            diag_add(diags, DIAG_WARNING, file, form->items[1]->line, form->items[1]->col,
                     "%s: %s", name, d->absent);
    }
    if (!ballooning_set)
        o->enable_dom0_ballooning = o->dom0_min_mem != 0;
    sb_free(&val);
    sxp_free(doc);
    return diags->errors == errors ? 0 : -1;
}

void xend_options_dump(const struct xend_options *o, struct strbuf *out)
{
    for (size_t i = 0; i < NR_OPTS; i++) {
        const struct opt_def *d = &opts[i];
        sb_printf(out, "%-38s: ", d->name);
        switch (d->type) {
        case OT_BOOL:
            sb_puts(out, *(const bool *)((const char *)o + d->off) ? "yes" : "no");
            break;
        case OT_INT:
            sb_printf(out, "%ld", *(const long *)((const char *)o + d->off));
            break;
        default: {
            const char *s = *(char *const *)((const char *)o + d->off);
            sb_puts(out, s && *s ? s : "(none)");
            break;
        }
        }
        sb_putc(out, '\n');
    }
}

void xend_script_command(const char *value, struct strbuf *out)
{
    const char *p = value;

    while (*p == ' ')
        p++;
    if (!*p)
        return;
    if (*p != '/')
        sb_printf(out, "%s/", XEND_SCRIPTS_DIR);
    sb_puts(out, p);
    sb_rstrip(out);
}
