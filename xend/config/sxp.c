/* SPDX-License-Identifier: MIT */
/* S-expressions: building, parsing and printing (rules in sxp.h). */
#include "sxp.h"
#include "../common/diag.h"
#include "../common/strbuf.h"
#include "../common/hexdigit.h"
#include "../common/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- building ---- */

struct sxp *sxp_atom(const char *s)
{
    struct sxp *x = xcalloc(1, sizeof(*x));

    x->type = SXP_ATOM;
    x->atom = xstrdup(s);
    return x;
}

struct sxp *sxp_atomf(const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    struct sxp *x = xcalloc(1, sizeof(*x));

    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    x->type = SXP_ATOM;
    x->atom = sb_steal(&sb);
    return x;
}

struct sxp *sxp_list(void)
{
    struct sxp *x = xcalloc(1, sizeof(*x));

    x->type = SXP_LIST;
    return x;
}

struct sxp *sxp_named(const char *name)
{
    struct sxp *x = sxp_list();

    sxp_append(x, sxp_atom(name));
    return x;
}

struct sxp *sxp_append(struct sxp *list, struct sxp *item)
{
    list->items = xreallocarray(list->items, list->n + 1, sizeof(*list->items));
    list->items[list->n++] = item;
    return item;
}

void sxp_add(struct sxp *list, const char *key, const char *value)
{
    struct sxp *kv = sxp_named(key);

    sxp_append(kv, sxp_atom(value));
    sxp_append(list, kv);
}

void sxp_addf(struct sxp *list, const char *key, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    sxp_add(list, key, sb_str(&sb));
    sb_free(&sb);
}

void sxp_free(struct sxp *x)
{
    if (!x)
        return;
    if (x->type == SXP_LIST) {
        for (size_t i = 0; i < x->n; i++)
            sxp_free(x->items[i]);
        free(x->items);
    } else {
        free(x->atom);
    }
    free(x);
}

const char *sxp_name(const struct sxp *x)
{
    if (x->type != SXP_LIST || x->n == 0 || x->items[0]->type != SXP_ATOM)
        return NULL;
    return x->items[0]->atom;
}

const struct sxp *sxp_child(const struct sxp *x, const char *name)
{
    if (x->type != SXP_LIST)
        return NULL;
    for (size_t i = 1; i < x->n; i++) {
        const char *n = sxp_name(x->items[i]);
        if (n && strcmp(n, name) == 0)
            return x->items[i];
    }
    return NULL;
}

const char *sxp_child_value(const struct sxp *x, const char *name)
{
    const struct sxp *c = sxp_child(x, name);

    if (!c || c->n < 2 || c->items[1]->type != SXP_ATOM)
        return NULL;
    return c->items[1]->atom;
}

/* ---- parsing ---- */

struct reader {
    const char *file;
    const char *p, *end, *line_start;
    unsigned int line;
    struct diags *diags;
    bool failed;
};

static unsigned int rcol(const struct reader *r, const char *at)
{
    return (unsigned int)(at - r->line_start) + 1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static void skip_blank(struct reader *r)
{
    while (r->p < r->end) {
        if (*r->p == '\n') {
            r->line++;
            r->line_start = ++r->p;
        } else if (is_space(*r->p)) {
            r->p++;
        } else if (*r->p == '#') {
            while (r->p < r->end && *r->p != '\n')
                r->p++;
        } else {
            break;
        }
    }
}

static struct sxp *read_string(struct reader *r)
{
    char q = *r->p;
    unsigned int line = r->line, col = rcol(r, r->p);
    struct strbuf sb = STRBUF_INIT;

    r->p++;
    for (;;) {
        if (r->p >= r->end) {
            diag_add(r->diags, DIAG_ERROR, r->file, line, col,
                     "unterminated string: no closing %c before the end of the file", q);
            sb_free(&sb);
            return NULL;
        }
        char c = *r->p++;
        if (c == q)
            break;
        if (c == '\n') {
            r->line++;
            r->line_start = r->p;
        }
        if (c == '\0') {
            diag_add(r->diags, DIAG_ERROR, r->file, r->line, rcol(r, r->p - 1),
                     "a NUL byte cannot appear in a string");
            sb_free(&sb);
            return NULL;
        }
        if (c != '\\' || r->p >= r->end) {
            sb_putc(&sb, c);
            continue;
        }
        char e = *r->p++;
        const char *map = strchr("abtnvfr\\'\"", e);
        if (map && e) {
            static const char out[] = "\a\b\t\n\v\f\r\\'\"";
            sb_putc(&sb, out[map - "abtnvfr\\'\""]);
        } else if (e == 'x' && r->p + 1 < r->end && hex_digit_value(r->p[0]) >= 0 && hex_digit_value(r->p[1]) >= 0) {
            int v = hex_digit_value(r->p[0]) * 16 + hex_digit_value(r->p[1]);
            r->p += 2;
            if (!v) {
                diag_add(r->diags, DIAG_ERROR, r->file, r->line, rcol(r, r->p - 4),
                         "a NUL character (\\x00) cannot appear in a string");
                sb_free(&sb);
                return NULL;
            }
            sb_putc(&sb, (char)v);
        } else if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && r->p < r->end && *r->p >= '0' && *r->p <= '7'; k++)
                v = v * 8 + (*r->p++ - '0');
            if (!v || v > 0xff) {
                diag_add(r->diags, DIAG_ERROR, r->file, r->line, rcol(r, r->p - 1),
                         v ? "octal escape out of range (above \\377)"
                           : "a NUL character cannot appear in a string");
                sb_free(&sb);
                return NULL;
            }
            sb_putc(&sb, (char)v);
        } else {
            sb_putc(&sb, '\\');
            sb_putc(&sb, e);
            if (e == '\n') {
                r->line++;
                r->line_start = r->p;
            }
        }
    }
    struct sxp *x = xcalloc(1, sizeof(*x));
    x->type = SXP_ATOM;
    x->atom = sb_steal(&sb);
    x->quoted = true;
    x->line = line;
    x->col = col;
    return x;
}

static struct sxp *read_form(struct reader *r, unsigned int depth);

static struct sxp *read_list(struct reader *r, unsigned int depth)
{
    unsigned int line = r->line, col = rcol(r, r->p);
    struct sxp *l = sxp_list();

    l->line = line;
    l->col = col;
    if (depth >= SXP_MAX_DEPTH) {
        diag_add(r->diags, DIAG_ERROR, r->file, line, col, "lists nest more than %d deep",
                 SXP_MAX_DEPTH);
        sxp_free(l);
        return NULL;
    }
    r->p++;
    for (;;) {
        skip_blank(r);
        if (r->p >= r->end) {
            diag_add(r->diags, DIAG_ERROR, r->file, line, col,
                     "'(' is never closed (the file ends first)");
            sxp_free(l);
            return NULL;
        }
        if (*r->p == ')') {
            r->p++;
            return l;
        }
        struct sxp *item = read_form(r, depth + 1);
        if (!item) {
            sxp_free(l);
            return NULL;
        }
        sxp_append(l, item);
    }
}

static struct sxp *read_form(struct reader *r, unsigned int depth)
{
    char c = *r->p;

    if (c == '(')
        return read_list(r, depth);
    if (c == ')') {
        diag_add(r->diags, DIAG_ERROR, r->file, r->line, rcol(r, r->p), "unexpected ')'");
        return NULL;
    }
    if (c == '\'' || c == '"')
        return read_string(r);
    const char *s = r->p;
    while (r->p < r->end && !is_space(*r->p) && *r->p != '(' && *r->p != ')' && *r->p != '#') {
        if (*r->p == '\'' || *r->p == '"') {
            diag_add(r->diags, DIAG_ERROR, r->file, r->line, rcol(r, r->p),
                     "quote inside a bare word: put the whole value in quotes");
            return NULL;
        }
        if (*r->p == '\0') {
            diag_add(r->diags, DIAG_ERROR, r->file, r->line, rcol(r, r->p), "unexpected NUL byte");
            return NULL;
        }
        r->p++;
    }
    struct sxp *x = xcalloc(1, sizeof(*x));
    x->type = SXP_ATOM;
    x->atom = xstrndup(s, (size_t)(r->p - s));
    x->line = r->line;
    x->col = rcol(r, s);
    return x;
}

struct sxp *sxp_parse(const char *file, const char *text, size_t len, struct diags *diags)
{
    struct reader r = {
        .file = file, .p = text, .end = text + len, .line_start = text, .line = 1, .diags = diags,
    };
    struct sxp *doc = sxp_list();

    doc->line = 1;
    doc->col = 1;
    for (;;) {
        skip_blank(&r);
        if (r.p >= r.end)
            return doc;
        struct sxp *x = read_form(&r, 1);
        if (!x) {
            sxp_free(doc);
            return NULL;
        }
        sxp_append(doc, x);
    }
}

/* ---- printing ---- */

static bool bare_atom(const char *s)
{
    if (!strcmp(s, "@"))
        return true;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr(".-_:/~", c)))
            return false;
    }
    return true;
}

void sxp_print_atom(const char *atom, struct strbuf *out)
{
    if (bare_atom(atom)) {
        sb_puts(out, atom);
        return;
    }
    sb_put_pyrepr(out, atom);
}

void sxp_print(const struct sxp *x, struct strbuf *out)
{
    if (x->type == SXP_ATOM) {
        sxp_print_atom(x->atom, out);
        return;
    }
    sb_putc(out, '(');
    for (size_t i = 0; i < x->n; i++) {
        if (i)
            sb_putc(out, ' ');
        sxp_print(x->items[i], out);
    }
    sb_putc(out, ')');
}

static size_t flat_width(const struct sxp *x)
{
    struct strbuf sb = STRBUF_INIT;
    size_t n;

    sxp_print(x, &sb);
    n = sb.len;
    sb_free(&sb);
    return n;
}

static void pretty(const struct sxp *x, unsigned int col, unsigned int width, struct strbuf *out)
{
    if (x->type == SXP_ATOM || flat_width(x) + col <= width) {
        sxp_print(x, out);
        return;
    }
    sb_putc(out, '(');
    for (size_t i = 0; i < x->n; i++) {
        if (i) {
            sb_putc(out, '\n');
            sb_repeat(out, ' ', col + 4);
            pretty(x->items[i], col + 4, width, out);
        } else {
            pretty(x->items[i], col + 1, width, out);
        }
    }
    sb_putc(out, '\n');
    sb_repeat(out, ' ', col);
    sb_putc(out, ')');
}

void sxp_pretty(const struct sxp *x, unsigned int width, struct strbuf *out)
{
    pretty(x, 0, width, out);
    sb_putc(out, '\n');
}
