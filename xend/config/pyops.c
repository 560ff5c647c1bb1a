/* SPDX-License-Identifier: MIT */
/*
 * The operators of the xm config language (pyconf.h): + - * // % on
 * numbers, + and * on strings and lists, and printf-style STR % VALUES,
 * with Python's results (floor division and modulo, overflow refused).
 */
#include "pyops.h"
#include "pyvalue.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void operr(struct pyops_error *e, unsigned int line, unsigned int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Keep the first error only. */
static void operr(struct pyops_error *e, unsigned int line, unsigned int col, const char *fmt, ...)
{
    va_list ap;

    if (e->failed)
        return;
    e->failed = true;
    e->line = line;
    e->col = col;
    va_start(ap, fmt);
    sb_vprintf(&e->msg, fmt, ap);
    va_end(ap);
}


static bool is_number(const struct pyvalue *v)
{
    return v->type == PYV_INT || v->type == PYV_BOOL || v->type == PYV_FLOAT;
}

static long long as_int(const struct pyvalue *v)
{
    return v->type == PYV_BOOL ? (long long)v->u.b : v->u.i;
}

static double as_float(const struct pyvalue *v)
{
    return v->type == PYV_FLOAT ? v->u.f : (double)as_int(v);
}

static bool is_seq(const struct pyvalue *v)
{
    return v->type == PYV_LIST || v->type == PYV_TUPLE;
}

static struct pyvalue *repeat(struct pyops_error *e, const struct pyvalue *seq, long long times,
                              unsigned int line, unsigned int col)
{
    if (times < 0)
        times = 0;
    if (seq->type == PYV_STR) {
        size_t n = strlen(seq->u.s);
        if (n && (unsigned long long)times > (1u << 20) / n) {
            operr(e, line, col, "string repetition makes a string longer than 1 MiB");
            return NULL;
        }
        struct strbuf sb = STRBUF_INIT;
        for (long long k = 0; k < times; k++)
            sb_puts(&sb, seq->u.s);
        return pyv_str_take(sb_steal(&sb), line, col);
    }
    if (seq->u.list.n && (unsigned long long)times > 65536 / seq->u.list.n) {
        operr(e, line, col, "list repetition makes a list longer than 65536 items");
        return NULL;
    }
    struct pyvalue *r = pyv_list(seq->type, line, col);
    for (long long k = 0; k < times; k++)
        for (size_t i = 0; i < seq->u.list.n; i++)
            pyv_list_append(r, pyv_clone(seq->u.list.items[i]));
    return r;
}

static struct pyvalue *format_percent(struct pyops_error *e, const struct pyvalue *fmtv,
                                      const struct pyvalue *args, unsigned int line,
                                      unsigned int col);

/* Python floor division and modulo for ints. */
static long long floordiv(long long a, long long b)
{
    long long q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static long long floormod(long long a, long long b)
{
    long long r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

struct pyvalue *pyops_binary(const char *op, struct pyvalue *a, struct pyvalue *b,
                             unsigned int op_line, unsigned int op_col, struct pyops_error *e)
{
    unsigned int line = a->line, col = a->col;
    struct pyvalue *r = NULL;
    long long x;

    if (is_number(a) && is_number(b)) {
        bool fl = a->type == PYV_FLOAT || b->type == PYV_FLOAT;
        if (fl) {
            double fa = as_float(a), fb = as_float(b);
            if (!strcmp(op, "+"))
                r = pyv_float(fa + fb, line, col);
            else if (!strcmp(op, "-"))
                r = pyv_float(fa - fb, line, col);
            else if (!strcmp(op, "*"))
                r = pyv_float(fa * fb, line, col);
            else if (fb == 0.0)
                operr(e, op_line, op_col, "division by zero");
            else if (!strcmp(op, "//"))
                r = pyv_float(floor(fa / fb), line, col);
            else {
                double m = fmod(fa, fb);
                if (m != 0.0 && ((m < 0) != (fb < 0)))
                    m += fb;
                r = pyv_float(m, line, col);
            }
        } else {
            long long ia = as_int(a), ib = as_int(b);
            bool ovf = false;
            if (!strcmp(op, "+"))
                ovf = __builtin_add_overflow(ia, ib, &x);
            else if (!strcmp(op, "-"))
                ovf = __builtin_sub_overflow(ia, ib, &x);
            else if (!strcmp(op, "*"))
                ovf = __builtin_mul_overflow(ia, ib, &x);
            else if (ib == 0) {
                operr(e, op_line, op_col, "integer division or modulo by zero");
                goto out;
            } else if (ia == (-9223372036854775807LL - 1) && ib == -1)
                ovf = true;
            else
                x = !strcmp(op, "//") ? floordiv(ia, ib) : floormod(ia, ib);
            if (ovf)
                operr(e, op_line, op_col, "integer overflow in '%s'", op);
            else
                r = pyv_int(x, line, col);
        }
    } else if (!strcmp(op, "%") && a->type == PYV_STR) {
        r = format_percent(e, a, b, op_line, op_col);
        if (r) {
            r->line = line;
            r->col = col;
        }
    } else if (!strcmp(op, "+") && a->type == PYV_STR && b->type == PYV_STR) {
        r = pyv_str_take(xasprintf("%s%s", a->u.s, b->u.s), line, col);
    } else if (!strcmp(op, "+") && is_seq(a) && a->type == b->type) {
        r = pyv_list(a->type, line, col);
        for (size_t i = 0; i < a->u.list.n; i++)
            pyv_list_append(r, pyv_clone(a->u.list.items[i]));
        for (size_t i = 0; i < b->u.list.n; i++)
            pyv_list_append(r, pyv_clone(b->u.list.items[i]));
    } else if (!strcmp(op, "*") && (a->type == PYV_STR || is_seq(a)) &&
               (b->type == PYV_INT || b->type == PYV_BOOL)) {
        r = repeat(e, a, as_int(b), line, col);
    } else if (!strcmp(op, "*") && (b->type == PYV_STR || is_seq(b)) &&
               (a->type == PYV_INT || a->type == PYV_BOOL)) {
        r = repeat(e, b, as_int(a), line, col);
    } else if (!strcmp(op, "+") && (a->type == PYV_STR || b->type == PYV_STR)) {
        operr(e, op_line, op_col,
                  "cannot add %s and %s: convert with \"%%d\" %% value, or write both as strings",
                  pyv_type_name(a->type), pyv_type_name(b->type));
    } else {
        operr(e, op_line, op_col, "unsupported operand types for %s: %s and %s", op,
                  pyv_type_name(a->type), pyv_type_name(b->type));
    }
out:
    pyv_free(a);
    pyv_free(b);
    return r;
}

/* Python's printf-style formatting, the common conversions. */
static struct pyvalue *format_percent(struct pyops_error *e, const struct pyvalue *fmtv,
                                      const struct pyvalue *args, unsigned int line,
                                      unsigned int col)
{
    const struct pyvalue *const *argv;
    const struct pyvalue *single = args;
    size_t argc, used = 0;
    struct strbuf out = STRBUF_INIT;
    const char *f = fmtv->u.s;

    if (args->type == PYV_TUPLE) {
        argv = (const struct pyvalue *const *)args->u.list.items;
        argc = args->u.list.n;
    } else {
        argv = &single;
        argc = 1;
    }
    while (*f) {
        if (*f != '%') {
            sb_putc(&out, *f++);
            continue;
        }
        f++;
        if (*f == '%') {
            sb_putc(&out, '%');
            f++;
            continue;
        }
        if (*f == '(') {
            operr(e, line, col, "%%(name) formats need a dict, which xm configs do not have");
            goto fail;
        }
        char flags[8];
        size_t nf = 0;
        while (*f && strchr("-+ 0#", *f) && nf < sizeof(flags) - 1)
            flags[nf++] = *f++;
        flags[nf] = '\0';
        if (*f == '*') {
            operr(e, line, col, "'*' widths in format strings are not supported");
            goto fail;
        }
        int width = -1, prec = -1;
        if (*f >= '0' && *f <= '9') {
            width = 0;
            while (*f >= '0' && *f <= '9' && width < 1000)
                width = width * 10 + (*f++ - '0');
        }
        if (*f == '.') {
            f++;
            prec = 0;
            while (*f >= '0' && *f <= '9' && prec < 1000)
                prec = prec * 10 + (*f++ - '0');
        }
        while (*f && strchr("hlL", *f))
            f++;
        char conv = *f;
        if (!conv) {
            operr(e, line, col, "incomplete format: '%%' at the end of the string");
            goto fail;
        }
        f++;
        if (!strchr("sdiuxXocrfFeEgG", conv)) {
            operr(e, line, col, "unsupported format character '%c'", conv);
            goto fail;
        }
        if (used >= argc) {
            operr(e, line, col, "not enough arguments for format string");
            goto fail;
        }
        const struct pyvalue *a = argv[used++];
        char cfmt[32];
        int k = snprintf(cfmt, sizeof(cfmt), "%%%s", flags);
        if (width >= 0)
            k += snprintf(cfmt + k, sizeof(cfmt) - (size_t)k, "%d", width);
        if (prec >= 0)
            k += snprintf(cfmt + k, sizeof(cfmt) - (size_t)k, ".%d", prec);
        if (conv == 's' || conv == 'r') {
            struct strbuf tmp = STRBUF_INIT;
            if (conv == 's')
                pyv_str_of(a, &tmp);
            else
                pyv_repr(a, &tmp);
            snprintf(cfmt + k, sizeof(cfmt) - (size_t)k, "s");
            sb_printf(&out, cfmt, sb_str(&tmp));
            sb_free(&tmp);
        } else if (conv == 'c') {
            if (a->type == PYV_STR && strlen(a->u.s) == 1) {
                sb_putc(&out, a->u.s[0]);
            } else if ((a->type == PYV_INT || a->type == PYV_BOOL) && as_int(a) > 0 && as_int(a) < 256) {
                sb_putc(&out, (char)as_int(a));
            } else {
                operr(e, line, col, "%%c requires an int from 1 to 255 or a single character");
                goto fail;
            }
        } else if (!is_number(a)) {
            operr(e, line, col, "%%%c format: a number is required, not %s", conv,
                      pyv_type_name(a->type));
            goto fail;
        } else if (strchr("fFeEgG", conv)) {
            snprintf(cfmt + k, sizeof(cfmt) - (size_t)k, "%c", conv);
            sb_printf(&out, cfmt, as_float(a));
        } else {
            long long v = a->type == PYV_FLOAT ? (long long)a->u.f : as_int(a);
            char c2 = (conv == 'i' || conv == 'u') ? 'd' : conv;
            if (v < 0 && c2 != 'd') {
                /* Python prints -ff, not the two's complement. */
                snprintf(cfmt + k, sizeof(cfmt) - (size_t)k, "ll%c", c2);
                sb_putc(&out, '-');
                sb_printf(&out, cfmt, (unsigned long long)-(v + 1) + 1);
            } else {
                snprintf(cfmt + k, sizeof(cfmt) - (size_t)k, "ll%c", c2);
                sb_printf(&out, cfmt, v);
            }
        }
    }
    if (used < argc) {
        operr(e, line, col, "not all arguments converted during string formatting");
        goto fail;
    }
    return pyv_str_take(sb_steal(&out), fmtv->line, fmtv->col);
fail:
    sb_free(&out);
    return NULL;
}
