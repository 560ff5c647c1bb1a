/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor command-line parsing; the accepted syntax is described in
 * xeno/param.h. The command line is never modified: tokens are handled as
 * (pointer, length) spans of it, and only values that must be handed on as
 * C strings are copied (de-quoted) into a bounded scratch buffer.
 */
#include "xeno/param.h"
#include "xeno/errno.h"
#include "xeno/string.h"

/* A token split at its first '='; value is NULL when there is none. */
struct token {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Value of c as a digit in bases up to 16; 16 for anything else. */
static unsigned int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (unsigned int)(c - 'A' + 10);
    return 16;
}

static int parse_number(const char *s, const char **end, uint64_t max, uint64_t *out)
{
    const char *p = s;
    unsigned int base = 10, d;
    uint64_t v = 0;
    bool overflow = false;

    /*
     * strtoul's base-0 rules. "0x" not followed by a hex digit is the
     * number 0 followed by text "x...", as strtoul reads it.
     */
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
        base = 16;
        p += 2;
    } else if (p[0] == '0') {
        base = 8;
    }
    if (digit_value(*p) >= base)
        return -EINVAL;
    for (; (d = digit_value(*p)) < base; p++) {
        if (v > (max - d) / base)
            overflow = true;
        else
            v = v * base + d;
    }
    if (end)
        *end = p;
    else if (*p)
        return -EINVAL;
    if (overflow)
        return -ERANGE;
    *out = v;
    return 0;
}

int parse_ulong(const char *s, const char **end, unsigned long *out)
{
    uint64_t v;
    int rc = parse_number(s, end, (unsigned long)-1, &v);

    if (rc == 0)
        *out = (unsigned long)v;
    return rc;
}

int parse_size(const char *s, const char **end, uint64_t *out)
{
    const char *p;
    unsigned int shift;
    uint64_t v;
    int rc = parse_number(s, &p, UINT64_MAX, &v);

    if (rc == -EINVAL)
        return rc;
    switch (*p) {
    case 'T': case 't': shift = 40; p++; break;
    case 'G': case 'g': shift = 30; p++; break;
    case 'M': case 'm': shift = 20; p++; break;
    case 'K': case 'k': shift = 10; p++; break;
    case 'B': case 'b': shift = 0;  p++; break;
    default:            shift = 10;      break;   /* Xen: "default to kB" */
    }
    if (end)
        *end = p;
    else if (*p)
        return -EINVAL;
    if (rc || v > (UINT64_MAX >> shift))
        return -ERANGE;
    *out = v << shift;
    return 0;
}

int parse_bool(const char *s, size_t len)
{
    static const struct {
        const char *word;
        int val;
    } words[] = {
        { "1", 1 },      { "0", 0 },
        { "yes", 1 },    { "no", 0 },
        { "true", 1 },   { "false", 0 },
        { "on", 1 },     { "off", 0 },
        { "enable", 1 }, { "disable", 0 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(words); i++)
        if (strlen(words[i].word) == len && !memcmp(words[i].word, s, len))
            return words[i].val;
    return -EINVAL;
}

/* Length of s[0..len) once the grouping quotes are removed. */
static size_t dequoted_len(const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        n += s[i] != '"';
    return n;
}

/* Copy s[0..len) without quotes into dst (room for it plus a NUL). */
static size_t dequote(char *dst, const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        if (s[i] != '"')
            dst[n++] = s[i];
    dst[n] = '\0';
    return n;
}

static bool name_char_eq(char a, char b)
{
    if (a == '_')
        a = '-';
    if (b == '_')
        b = '-';
    return a == b;
}

/* Does the (quoted) span s[0..len) spell pname, '-' and '_' alike? */
static bool name_matches(const char *pname, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            continue;
        if (*pname == '\0' || !name_char_eq(*pname, s[i]))
            return false;
        pname++;
    }
    return *pname == '\0';
}

/*
 * If the span starts with "no-" (quotes skipped, '_' for '-'), return the
 * offset just after it, else 0.
 */
static size_t negation_prefix(const char *s, size_t len)
{
    static const char prefix[] = "no-";
    size_t i, matched = 0;

    for (i = 0; i < len && matched < sizeof(prefix) - 1; i++) {
        if (s[i] == '"')
            continue;
        if (!name_char_eq(prefix[matched], s[i]))
            return 0;
        matched++;
    }
    return matched == sizeof(prefix) - 1 ? i : 0;
}

/* De-quote the value into buf; false if it does not fit. */
static bool value_to_buf(const struct token *t, char buf[CMDLINE_MAX_VALUE])
{
    if (dequoted_len(t->value, t->value_len) >= CMDLINE_MAX_VALUE)
        return false;
    dequote(buf, t->value, t->value_len);
    return true;
}

/* Apply one token to one table entry: 0, or -EINVAL leaving it unchanged. */
static int apply(const struct kernel_param *kp, const struct token *t, bool negated)
{
    char buf[CMDLINE_MAX_VALUE];
    unsigned long ul;
    uint64_t size;
    size_t n;
    int b;

    if (kp->type != PARAM_CUSTOM && !kp->var)
        return -EINVAL;

    switch (kp->type) {
    case PARAM_BOOL:
        if (!t->value || !t->value_len) {
            /* Xen: empty value means "enabled"; "no-x=..." is undefined. */
            if (negated && t->value)
                return -EINVAL;
            *(bool *)kp->var = !negated;
            return 0;
        }
        if (negated || !value_to_buf(t, buf))
            return -EINVAL;
        b = parse_bool(buf, strlen(buf));
        if (b < 0)
            return -EINVAL;
        *(bool *)kp->var = b;
        return 0;

    case PARAM_UINT:
        if (negated || !t->value || !value_to_buf(t, buf) ||
            parse_ulong(buf, NULL, &ul))
            return -EINVAL;
        *(unsigned long *)kp->var = ul;
        return 0;

    case PARAM_SIZE:
        if (negated || !t->value || !value_to_buf(t, buf) ||
            parse_size(buf, NULL, &size))
            return -EINVAL;
        *(uint64_t *)kp->var = size;
        return 0;

    case PARAM_STRING:
        if (negated)
            return -EINVAL;
        n = t->value ? dequoted_len(t->value, t->value_len) : 0;
        if (n >= kp->len)
            return -EINVAL;
        if (t->value)
            dequote(kp->var, t->value, t->value_len);
        else
            *(char *)kp->var = '\0';
        return 0;

    case PARAM_CUSTOM:
        if (!kp->custom)
            return -EINVAL;
        if (negated) {
            /* Xen hands "no-x" to x's handler as "no". */
            if (t->value)
                return -EINVAL;
            return kp->custom("no") ? -EINVAL : 0;
        }
        if (!t->value)
            return kp->custom(NULL) ? -EINVAL : 0;
        if (!value_to_buf(t, buf))
            return -EINVAL;
        return kp->custom(buf) ? -EINVAL : 0;
    }
    return -EINVAL;
}

/*
 * Apply t to every entry named name[0..len); returns how many matched and
 * sets *failed if any of them rejected the value.
 */
static unsigned int apply_all(const struct kernel_param *start,
                              const struct kernel_param *end,
                              const struct token *t, const char *name,
                              size_t len, bool negated, bool *failed)
{
    unsigned int found = 0;

    for (const struct kernel_param *kp = start; kp < end; kp++) {
        if (!kp->name || !name_matches(kp->name, name, len))
            continue;
        found++;
        if (apply(kp, t, negated))
            *failed = true;
    }
    return found;
}

/* Handle one token; returns 1 if it had a malformed value, else 0. */
static int handle_token(const char *tok, size_t len,
                        const struct kernel_param *start,
                        const struct kernel_param *end,
                        cmdline_report_fn report, void *ctx)
{
    const char *eq = memchr(tok, '=', len);
    struct token t = { .name = tok, .name_len = eq ? (size_t)(eq - tok) : len };
    bool failed = false;
    size_t skip;

    if (eq) {
        t.value = eq + 1;
        t.value_len = len - t.name_len - 1;
    } else if (!dequoted_len(tok, len)) {
        return 0;   /* nothing but quotes, e.g. "" */
    }

    if (!apply_all(start, end, &t, t.name, t.name_len, false, &failed)) {
        skip = negation_prefix(t.name, t.name_len);
        if (!skip || !apply_all(start, end, &t, t.name + skip,
                                t.name_len - skip, true, &failed)) {
            if (report)
                report(ctx, CMDLINE_UNKNOWN, t.name, t.name_len, t.value, t.value_len);
            return 0;
        }
    }
    if (!failed)
        return 0;
    if (report)
        report(ctx, CMDLINE_BAD_VALUE, t.name, t.name_len, t.value, t.value_len);
    return 1;
}

int cmdline_parse(const char *cmdline, const struct kernel_param *start,
                  const struct kernel_param *end, cmdline_report_fn report,
                  void *ctx, const char **rest)
{
    const char *p = cmdline ? cmdline : "";
    int bad = 0;

    if (rest)
        *rest = NULL;
    for (;;) {
        const char *tok;
        bool quoted = false;

        while (is_space(*p))
            p++;
        if (*p == '\0')
            break;
        tok = p;
        for (; *p && (quoted || !is_space(*p)); p++)
            if (*p == '"')
                quoted = !quoted;

        if (p - tok == 2 && tok[0] == '-' && tok[1] == '-') {
            if (rest) {
                while (is_space(*p))
                    p++;
                *rest = p;
            }
            break;
        }
        bad += handle_token(tok, (size_t)(p - tok), start, end, report, ctx);
    }
    return bad;
}
