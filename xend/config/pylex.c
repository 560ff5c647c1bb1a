/* SPDX-License-Identifier: MIT */
/* Tokenizer for xm config files; the accepted syntax is in pylex.h. */
#include "pylex.h"
#include "../common/diag.h"
#include "../common/strbuf.h"
#include "../common/hexdigit.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(int c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int digit_in_base(int c, int base)
{
    int d = hex_digit_value(c);

    return d < base ? d : -1;
}

void pylex_init(struct pylex *lx, const char *file, const char *text, size_t len,
                struct diags *diags)
{
    lx->file = file;
    lx->p = text;
    lx->end = text + len;
    lx->line_start = text;
    lx->line = 1;
    lx->depth = 0;
    lx->line_has_tokens = false;
    lx->at_line_start = true;
    lx->eof_newline_done = false;
    lx->diags = diags;
}

void pytok_clear(struct pytok *tok)
{
    free(tok->s);
    tok->s = NULL;
}

static unsigned int col_of(const struct pylex *lx, const char *at)
{
    return (unsigned int)(at - lx->line_start) + 1;
}

static void newline_at(struct pylex *lx, const char *nl)
{
    lx->line++;
    lx->line_start = nl + 1;
}

static void lex_error(struct pylex *lx, unsigned int line, unsigned int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void lex_error(struct pylex *lx, unsigned int line, unsigned int col, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    diag_add(lx->diags, DIAG_ERROR, lx->file, line, col, "%s", sb_str(&sb));
    sb_free(&sb);
}

/* Describe a byte for an error message: 'x' or a hex code. */
static const char *show_char(int c, char *buf, size_t size)
{
    if (c > 0x20 && c < 0x7f)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "byte 0x%02x", (unsigned int)(unsigned char)c);
    return buf;
}

/*
 * Skip blanks, comments and (inside brackets or after a backslash) line
 * breaks. Returns true when a logical line ends here (a newline at depth
 * 0 after some tokens, or the end of input).
 */
static bool skip_space(struct pylex *lx)
{
    for (;;) {
        if (lx->at_line_start && lx->depth == 0) {
            /* Measure indentation of a new logical line. */
            const char *q = lx->p;
            while (q < lx->end && (*q == ' ' || *q == '\t' || *q == '\f'))
                q++;
            if (q < lx->end && *q != '\n' && *q != '#' && *q != '\r' && q != lx->p &&
                !(*q == '\\' && q + 1 < lx->end && q[1] == '\n'))
                lex_error(lx, lx->line, col_of(lx, q),
                          "unexpected indentation: settings start in the first column");
            lx->p = q;
            lx->at_line_start = false;
        }
        if (lx->p >= lx->end)
            return true;
        char c = *lx->p;
        if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
            lx->p++;
        } else if (c == '#') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else if (c == '\\' && lx->p + 1 < lx->end &&
                   (lx->p[1] == '\n' || (lx->p[1] == '\r' && lx->p + 2 < lx->end && lx->p[2] == '\n'))) {
            const char *nl = lx->p[1] == '\n' ? lx->p + 1 : lx->p + 2;
            newline_at(lx, nl);
            lx->p = nl + 1;
        } else if (c == '\n') {
            if (lx->depth == 0 && lx->line_has_tokens)
                return true;    /* the caller consumes the newline */
            newline_at(lx, lx->p);
            lx->p++;
            if (lx->depth == 0)
                lx->at_line_start = true;
        } else {
            return false;
        }
    }
}

static int lex_number(struct pylex *lx, struct pytok *tok)
{
    const char *s = lx->p, *q = s;
    int base = 10;
    bool is_float = false;

    if (*q == '0' && q + 1 < lx->end && strchr("xXoObB", q[1])) {
        base = (q[1] == 'x' || q[1] == 'X') ? 16 : (q[1] == 'o' || q[1] == 'O') ? 8 : 2;
        q += 2;
        const char *digits = q;
        while (q < lx->end && digit_in_base(*q, base) >= 0)
            q++;
        if (q == digits) {
            lex_error(lx, lx->line, col_of(lx, s), "invalid number '%.*s': no digits after the prefix",
                      (int)(q - s), s);
            lx->p = q;
            return -1;
        }
    } else {
        while (q < lx->end && is_digit(*q))
            q++;
        if (q < lx->end && *q == '.') {
            is_float = true;
            q++;
            while (q < lx->end && is_digit(*q))
                q++;
        }
        if (q < lx->end && (*q == 'e' || *q == 'E')) {
            const char *e = q + 1;
            if (e < lx->end && (*e == '+' || *e == '-'))
                e++;
            if (e < lx->end && is_digit(*e)) {
                is_float = true;
                q = e;
                while (q < lx->end && is_digit(*q))
                    q++;
            }
        }
    }
    const char *num_end = q;
    if (!is_float && q < lx->end && (*q == 'L' || *q == 'l'))
        q++;    /* Python 2 long suffix */
    if (q < lx->end && (is_name_char(*q) || *q == '.')) {
        const char *bad = q;
        while (q < lx->end && (is_name_char(*q) || *q == '.'))
            q++;
        lex_error(lx, lx->line, col_of(lx, s), "invalid number '%.*s'", (int)(q - s), s);
        (void)bad;
        lx->p = q;
        return -1;
    }
    tok->line = lx->line;
    tok->col = col_of(lx, s);
    tok->text = s;
    tok->len = (size_t)(q - s);
    lx->p = q;

    char buf[128];
    size_t n = (size_t)(num_end - s);
    if (n >= sizeof(buf)) {
        lex_error(lx, tok->line, tok->col, "number too long");
        return -1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (is_float) {
        errno = 0;
        tok->f = strtod(buf, NULL);
        if (errno == ERANGE) {
            lex_error(lx, tok->line, tok->col, "number '%s' is out of range", buf);
            return -1;
        }
        tok->kind = PT_FLOAT;
        return 0;
    }
    if (base == 10 && n > 1 && buf[0] == '0' && strspn(buf, "0") != n) {
        lex_error(lx, tok->line, tok->col,
                  "number '%s' has a leading zero: write 0o%s for octal or %s for decimal",
                  buf, buf + strspn(buf, "0"), buf + strspn(buf, "0"));
        return -1;
    }
    errno = 0;
    unsigned long long v = strtoull(base == 10 ? buf : buf + 2, NULL, base);
    if (errno == ERANGE || v > (unsigned long long)LLONG_MAX) {
        lex_error(lx, tok->line, tok->col, "number '%s' is too large", buf);
        return -1;
    }
    tok->kind = PT_INT;
    tok->i = (long long)v;
    return 0;
}

/* Decode one escape after a backslash at *pp (pointing past the backslash). */
static int decode_escape(struct pylex *lx, const char **pp, struct strbuf *out,
                         unsigned int line, unsigned int col)
{
    const char *p = *pp;
    char c = *p++;
    int v, d;

    switch (c) {
    case '\n':
        newline_at(lx, p - 1);
        break;
    case '\\': sb_putc(out, '\\'); break;
    case '\'': sb_putc(out, '\''); break;
    case '"': sb_putc(out, '"'); break;
    case 'a': sb_putc(out, '\a'); break;
    case 'b': sb_putc(out, '\b'); break;
    case 'f': sb_putc(out, '\f'); break;
    case 'n': sb_putc(out, '\n'); break;
    case 'r': sb_putc(out, '\r'); break;
    case 't': sb_putc(out, '\t'); break;
    case 'v': sb_putc(out, '\v'); break;
    case 'x':
        if (p + 1 >= lx->end || (v = digit_in_base(p[0], 16)) < 0 || (d = digit_in_base(p[1], 16)) < 0) {
            lex_error(lx, line, col, "invalid \\x escape: two hex digits must follow");
            *pp = p;
            return -1;
        }
        v = v * 16 + d;
        p += 2;
        if (v == 0) {
            lex_error(lx, line, col, "a NUL character (\\x00) cannot appear in a config string");
            *pp = p;
            return -1;
        }
        sb_putc(out, (char)v);
        break;
    default:
        if (c >= '0' && c <= '7') {
            v = c - '0';
            for (int k = 0; k < 2 && p < lx->end && *p >= '0' && *p <= '7'; k++)
                v = v * 8 + (*p++ - '0');
            if (v == 0 || v > 0xff) {
                lex_error(lx, line, col, v ? "octal escape out of range (above \\377)"
                                           : "a NUL character (\\0) cannot appear in a config string");
                *pp = p;
                return -1;
            }
            sb_putc(out, (char)v);
        } else {
            /* Unknown escapes keep the backslash, as in Python. */
            sb_putc(out, '\\');
            sb_putc(out, c);
            if (c == '\n')
                newline_at(lx, p - 1);
        }
        break;
    }
    *pp = p;
    return 0;
}

static int lex_string(struct pylex *lx, struct pytok *tok, const char *start, const char *quote,
                      bool raw)
{
    char q = *quote;
    bool triple = quote + 2 < lx->end && quote[1] == q && quote[2] == q;
    const char *p = quote + (triple ? 3 : 1);
    unsigned int line = lx->line, col = col_of(lx, start);
    struct strbuf sb = STRBUF_INIT;
    bool simple = !triple, failed = false;
    unsigned int text_col = col_of(lx, p);

    for (;;) {
        if (p >= lx->end) {
            if (triple)
                lex_error(lx, line, col, "unterminated string: no closing %c%c%c before the end of the file",
                          q, q, q);
            else
                lex_error(lx, line, col, "unterminated string: no closing %c before the end of the line", q);
            lx->p = p;
            sb_free(&sb);
            return -1;
        }
        char c = *p;
        if (c == q && (!triple || (p + 2 < lx->end && p[1] == q && p[2] == q))) {
            p += triple ? 3 : 1;
            break;
        }
        if (c == '\n' && !triple) {
            lex_error(lx, line, col, "unterminated string: no closing %c before the end of the line", q);
            lx->p = p;  /* the newline ends the logical line as usual */
            sb_free(&sb);
            return -1;
        }
        if (c == '\0') {
            lex_error(lx, lx->line, col_of(lx, p), "a NUL byte cannot appear in a config string");
            failed = true;
            p++;
            continue;
        }
        if (c == '\\' && p + 1 < lx->end) {
            simple = false;
            if (raw) {
                /* A raw string keeps the backslash; it only protects the next character. */
                sb_putc(&sb, '\\');
                sb_putc(&sb, p[1]);
                if (p[1] == '\n')
                    newline_at(lx, p + 1);
                p += 2;
                continue;
            }
            const char *esc = p + 1;
            if (decode_escape(lx, &esc, &sb, lx->line, col_of(lx, p)) < 0)
                failed = true;
            p = esc;
            continue;
        }
        if (c == '\n') {
            newline_at(lx, p);
            simple = false;
        }
        sb_putc(&sb, c);
        p++;
    }
    lx->p = p;
    if (failed) {
        sb_free(&sb);
        return -1;
    }
    tok->kind = PT_STRING;
    tok->line = line;
    tok->col = col;
    tok->text = start;
    tok->len = (size_t)(p - start);
    tok->s = sb_steal(&sb);
    tok->text_col = simple ? text_col : 0;
    return 0;
}

static const char *const operators[] = {
    "**=", "//=", ">>=", "<<=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "//", "==", "!=", "<=", ">=",
    "<<", ">>", "->", "<>",
    "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=",
    "<", ">", "~", "&", "|", "^", "@", "`",
};

int pylex_next(struct pylex *lx, struct pytok *tok)
{
    char cbuf[16];

    tok->s = NULL;
    tok->text_col = 0;
    if (skip_space(lx)) {
        if (lx->p < lx->end) {
            /* A newline ending a logical line. */
            tok->kind = PT_NEWLINE;
            tok->line = lx->line;
            tok->col = col_of(lx, lx->p);
            tok->text = lx->p;
            tok->len = 1;
            newline_at(lx, lx->p);
            lx->p++;
            lx->line_has_tokens = false;
            lx->at_line_start = true;
            return 0;
        }
        if (lx->line_has_tokens && !lx->eof_newline_done && lx->depth == 0) {
            tok->kind = PT_NEWLINE;
            lx->eof_newline_done = true;
            lx->line_has_tokens = false;
        } else {
            tok->kind = PT_EOF;
        }
        tok->line = lx->line;
        tok->col = col_of(lx, lx->p);
        tok->text = lx->p;
        tok->len = 0;
        return 0;
    }

    const char *s = lx->p;
    char c = *s;
    lx->line_has_tokens = true;

    if (is_name_start(c)) {
        const char *q = s;
        while (q < lx->end && is_name_char(*q))
            q++;
        /* String prefixes: r, u, b, and r combined with one of the others. */
        size_t n = (size_t)(q - s);
        if (q < lx->end && (*q == '\'' || *q == '"') && n <= 2) {
            bool ok = true, raw = false;
            for (size_t k = 0; k < n; k++) {
                char pc = s[k] | 0x20;
                if (pc == 'r')
                    raw = true;
                else if (pc != 'u' && pc != 'b')
                    ok = false;
            }
            if (n == 2 && !raw)
                ok = false;
            if (ok)
                return lex_string(lx, tok, s, q, raw);
        }
        tok->kind = PT_NAME;
        tok->line = lx->line;
        tok->col = col_of(lx, s);
        tok->text = s;
        tok->len = n;
        lx->p = q;
        return 0;
    }
    if (is_digit(c) || (c == '.' && s + 1 < lx->end && is_digit(s[1])))
        return lex_number(lx, tok);
    if (c == '\'' || c == '"')
        return lex_string(lx, tok, s, s, false);

    for (size_t k = 0; k < sizeof(operators) / sizeof(operators[0]); k++) {
        size_t n = strlen(operators[k]);
        if ((size_t)(lx->end - s) >= n && memcmp(s, operators[k], n) == 0) {
            tok->kind = PT_OP;
            tok->line = lx->line;
            tok->col = col_of(lx, s);
            tok->text = s;
            tok->len = n;
            memcpy(tok->op, operators[k], n + 1);
            if (strchr("([{", c) && n == 1)
                lx->depth++;
            else if (strchr(")]}", c) && n == 1 && lx->depth > 0)
                lx->depth--;
            lx->p = s + n;
            return 0;
        }
    }
    if (c == '\\')
        lex_error(lx, lx->line, col_of(lx, s),
                  "a backslash outside a string must be the last character of the line");
    else
        lex_error(lx, lx->line, col_of(lx, s), "unexpected character %s", show_char(c, cbuf, sizeof(cbuf)));
    lx->p = s + 1;
    return -1;
}

const char *pytok_describe(const struct pytok *tok, char *buf, size_t size)
{
    switch (tok->kind) {
    case PT_EOF:
        snprintf(buf, size, "end of file");
        break;
    case PT_NEWLINE:
        snprintf(buf, size, "end of line");
        break;
    case PT_NAME:
        snprintf(buf, size, "name '%.*s'", (int)(tok->len > 40 ? 40 : tok->len), tok->text);
        break;
    case PT_INT:
    case PT_FLOAT:
        snprintf(buf, size, "number %.*s", (int)(tok->len > 40 ? 40 : tok->len), tok->text);
        break;
    case PT_STRING:
        snprintf(buf, size, "a string");
        break;
    case PT_OP:
        snprintf(buf, size, "'%s'", tok->op);
        break;
    }
    return buf;
}
