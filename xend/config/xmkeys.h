/* SPDX-License-Identifier: MIT */
/*
 * Internal to xend/config: the table of xm config keys (xmkeys.c) and the
 * context the key handlers work in (xmconfig.c drives them).
 */
#ifndef XEND_CONFIG_XMKEYS_H
#define XEND_CONFIG_XMKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "xmconfig.h"

struct diags;
struct pyconf;
struct pyconf_binding;
struct pyvalue;

/* How Xeno treats a key xm knew. */
enum xm_key_class {
    XMK_SUPPORTED,      /* checked and stored */
    XMK_IGNORED,        /* checked, then ignored with a warning (no such feature) */
    XMK_HVM,            /* HVM-only: ignored with a warning */
    XMK_DEVLIST,        /* a device list Xeno cannot provide: error unless empty */
    XMK_DEPRECATED,     /* stored through its modern spelling, with a warning */
    XMK_XL,             /* xl's key: error that names the xm spelling */
};

/* What a value must look like (for command-line conversion and help). */
enum xm_key_type {
    XMT_STR,
    XMT_INT,
    XMT_BOOL,
    XMT_STRLIST,        /* list of strings; each command-line use appends one */
    XMT_CPUS,           /* string, int or list of them */
    XMT_ANY,
};

struct xm_key_ctx {
    const char *file;
    struct diags *diags;
    struct xm_domain_config *cfg;
    /* binding that set each key, by table index (NULL if unset) */
    const struct pyconf_binding **seen;
    bool restart_given;         /* deprecated 'restart' was used... */
    enum xm_action restart_actions[3]; /* ...and maps to these */
    bool on_given[3];           /* on_poweroff, on_reboot, on_crash set explicitly */
    long nics;                  /* deprecated 'nics', -1 if unset */
    bool syntax_failed;         /* the file had errors before any key was looked at */
    bool name_from_file;        /* a missing name defaults to the file's base name */
};

struct xm_key;
typedef void (*xm_key_apply_fn)(struct xm_key_ctx *c, const struct xm_key *k,
                                const struct pyconf_binding *b);

struct xm_key {
    const char *name;
    enum xm_key_class cls;
    enum xm_key_type type;
    const char *arg;            /* placeholder in help, e.g. "MEMORY" */
    const char *help;           /* one line, or the reason for IGNORED/HVM/XL/DEPRECATED */
    xm_key_apply_fn apply;      /* NULL for classes that only warn/err */
    size_t off;                 /* field in struct xm_domain_config, for generic appliers */
    long long min, max;         /* XMT_INT range */
};

/*
 * Check every binding of env against the key table, apply defaults and
 * cross-key rules (xmconfig.c). origin names the source in messages.
 * Returns 0, or -1 (cfg freed) if diags gained errors since errors_before;
 * diagnostics from first_diag on are sorted by position.
 */
int xm_config_apply_env(const struct pyconf *env, const char *origin, bool from_file,
                        bool syntax_failed, struct xm_domain_config *cfg, struct diags *diags,
                        size_t first_diag, unsigned int errors_before);

extern const struct xm_key xm_keys[];
extern const size_t xm_nr_keys;

const struct xm_key *xm_key_find(const char *name);

/* Report at the position of a binding's value ("command line" for overrides). */
void xm_key_report(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                   bool error, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Report at a byte offset inside a string value when its column is known. */
void xm_key_report_in(struct xm_key_ctx *c, const struct pyconf_binding *b, const struct pyvalue *v,
                      size_t off, bool error, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
