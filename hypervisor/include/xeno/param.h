/* SPDX-License-Identifier: MIT */
#ifndef XENO_PARAM_H
#define XENO_PARAM_H

/*
 * Hypervisor command-line options, in Xen's syntax
 * (docs/misc/xen-command-line.pandoc, xen/common/kernel.c parse_params):
 *
 *   - Options are separated by white space (space, tab, CR, LF).
 *   - "name=value" assigns; a bare "name" sets a boolean to true, sets a
 *     string to "", and calls a custom handler with val == NULL.
 *     Integer and size options need a value.
 *   - "no-name" (or "no_name") sets a boolean to false and calls a custom
 *     handler with "no" (as Xen does, so handlers built on parse_bool()
 *     treat it like "name=no"). It only applies when no option is literally
 *     called "no-name"; "no-name=value" is a bad value (Xen: undefined).
 *   - "name=" (empty value) sets a boolean to true, as in Xen.
 *   - '-' and '_' are interchangeable in option names; names are
 *     otherwise case-sensitive.
 *   - Double quotes group text containing spaces: opt="a b" or "opt=a b".
 *     The quote characters themselves are removed from name and value; an
 *     unterminated quote runs to the end of the line.
 *   - A standalone "--" ends the hypervisor's options; the rest is for
 *     dom0 (Xen: " -- " in __start_xen).
 *   - When the same option appears several times the last one wins. If
 *     several table entries share a name, each of them is applied.
 *
 * A malformed value never changes the variable (custom handlers must
 * honour this themselves). Non-string values longer than
 * CMDLINE_MAX_VALUE - 1 characters are malformed; strings are limited
 * only by their own buffer.
 */

#include "xeno/types.h"

enum param_type { PARAM_BOOL, PARAM_UINT, PARAM_SIZE, PARAM_STRING, PARAM_CUSTOM };

struct kernel_param {
    const char *name;
    enum param_type type;
    void *var;              /* bool *, unsigned long *, uint64_t * (bytes), char [len] */
    size_t len;             /* PARAM_STRING: buffer size incl. NUL */
    int (*custom)(const char *val);   /* PARAM_CUSTOM: val may be NULL for a bare "name"; returns 0 or -EINVAL */
};

/* Longest value (incl. NUL) handed to a custom handler or number parser. */
#define CMDLINE_MAX_VALUE 256

/* Bounds of the .data.param section, provided by the linker script. */
extern const struct kernel_param __param_start[], __param_end[];

#define XENO_PARAM_CAT_(a, b) a##b
#define XENO_PARAM_CAT(a, b)  XENO_PARAM_CAT_(a, b)

/*
 * Each registration is a static object in ".data.param"; the linker
 * script collects them into one array, so the objects must be exactly
 * sizeof(struct kernel_param) apart: the alignment equals the natural one
 * and the size is a multiple of it. __COUNTER__ keeps two registrations
 * of the same variable (aliases) from colliding.
 */
#define XENO_PARAM_DEFINE(_name, _type, _var, _len, _fn)                     \
    static const struct kernel_param                                         \
        XENO_PARAM_CAT(__kparam_, __COUNTER__)                               \
        __attribute__((used, section(".data.param"),                         \
                       aligned(__alignof__(struct kernel_param)))) = {       \
        .name = (_name), .type = (_type), .var = (_var), .len = (_len),      \
        .custom = (_fn) }

/* The asserts catch a variable whose type does not match the parser. */
#define boolean_param(_name, _var)                                           \
    _Static_assert(__builtin_types_compatible_p(typeof(_var), bool),         \
                   "boolean_param needs a bool");                            \
    XENO_PARAM_DEFINE(_name, PARAM_BOOL, &(_var), sizeof(_var), NULL)

#define integer_param(_name, _var)                                           \
    _Static_assert(__builtin_types_compatible_p(typeof(_var), unsigned long),\
                   "integer_param needs an unsigned long");                  \
    XENO_PARAM_DEFINE(_name, PARAM_UINT, &(_var), sizeof(_var), NULL)

#define size_param(_name, _var)                                              \
    _Static_assert(__builtin_types_compatible_p(typeof(_var), uint64_t),     \
                   "size_param needs a uint64_t");                           \
    XENO_PARAM_DEFINE(_name, PARAM_SIZE, &(_var), sizeof(_var), NULL)

#define string_param(_name, _var)                                            \
    _Static_assert(__builtin_types_compatible_p(typeof(_var),                \
                                                char[sizeof(_var)]),         \
                   "string_param needs a char array");                       \
    XENO_PARAM_DEFINE(_name, PARAM_STRING, (_var), sizeof(_var), NULL)

#define custom_param(_name, _fn)                                             \
    XENO_PARAM_DEFINE(_name, PARAM_CUSTOM, NULL, 0, (_fn))

enum cmdline_issue { CMDLINE_UNKNOWN, CMDLINE_BAD_VALUE };

/*
 * Called once per problem token. name/value point into the command line
 * as given (quotes included, not NUL-terminated); value is NULL when the
 * token has no '='. For CMDLINE_UNKNOWN of "no-x", name is "no-x".
 */
typedef void (*cmdline_report_fn)(void *ctx, enum cmdline_issue what,
                                  const char *name, size_t name_len,
                                  const char *value, size_t value_len);

/*
 * Parse a Xen-style hypervisor command line against the table [start, end).
 * Returns the number of malformed values (CMDLINE_BAD_VALUE reports);
 * unknown options are reported with CMDLINE_UNKNOWN but do not count.
 * report may be NULL; cmdline NULL is treated as "".
 * If rest != NULL, *rest is set to the text after a standalone "--" token
 * (leading white space skipped, so possibly ""), or NULL if there is none.
 */
int cmdline_parse(const char *cmdline, const struct kernel_param *start,
                  const struct kernel_param *end, cmdline_report_fn report,
                  void *ctx, const char **rest);

/*
 * 1 or 0 for exactly "1"/"0", "yes"/"no", "true"/"false", "on"/"off",
 * "enable"/"disable" (case-sensitive, as Xen), else -EINVAL. Looks at
 * s[0..len) only.
 */
int parse_bool(const char *s, size_t len);

/*
 * A number (as parse_ulong, 64-bit) with an optional case-insensitive
 * suffix B, K, M, G or T (powers of 1024). Without a suffix the number is
 * KiB, as Xen's parse_size_and_unit (xen/lib/parse-size.c: "default to
 * kB"). If end != NULL, *end is set past the suffix and trailing text is
 * the caller's business; if end == NULL, trailing text is -EINVAL.
 * Returns 0, -EINVAL (no digits / trailing text) or -ERANGE (the byte
 * count does not fit in 64 bits). *out is only written on success.
 */
int parse_size(const char *s, const char **end, uint64_t *out);

/*
 * Unsigned number in base 0 like strtoul: "0x"/"0X" hex, leading "0"
 * octal, else decimal. No white space or sign is accepted. end as in
 * parse_size. Returns 0, -EINVAL (no digits / trailing text) or -ERANGE
 * (> ULONG_MAX). *out is only written on success.
 */
int parse_ulong(const char *s, const char **end, unsigned long *out);

#endif
