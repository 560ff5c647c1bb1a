/* SPDX-License-Identifier: MIT */
#include "pyvalue.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pyvalue *alloc(enum pyv_type type, unsigned int line, unsigned int col)
{
    struct pyvalue *v = xcalloc(1, sizeof(*v));

    v->type = type;
    v->line = line;
    v->col = col;
    return v;
}

struct pyvalue *pyv_none(unsigned int line, unsigned int col)
{
    return alloc(PYV_NONE, line, col);
}

struct pyvalue *pyv_bool(bool b, unsigned int line, unsigned int col)
{
    struct pyvalue *v = alloc(PYV_BOOL, line, col);

    v->u.b = b;
    return v;
}

struct pyvalue *pyv_int(long long i, unsigned int line, unsigned int col)
{
    struct pyvalue *v = alloc(PYV_INT, line, col);

    v->u.i = i;
    return v;
}

struct pyvalue *pyv_float(double f, unsigned int line, unsigned int col)
{
    struct pyvalue *v = alloc(PYV_FLOAT, line, col);

    v->u.f = f;
    return v;
}

struct pyvalue *pyv_str_take(char *s, unsigned int line, unsigned int col)
{
    struct pyvalue *v = alloc(PYV_STR, line, col);

    v->u.s = s;
    return v;
}

struct pyvalue *pyv_str(const char *s, unsigned int line, unsigned int col)
{
    return pyv_str_take(xstrdup(s), line, col);
}

struct pyvalue *pyv_list(enum pyv_type type, unsigned int line, unsigned int col)
{
    return alloc(type, line, col);
}

void pyv_list_append(struct pyvalue *list, struct pyvalue *item)
{
    list->u.list.items = xreallocarray(list->u.list.items, list->u.list.n + 1,
                                       sizeof(*list->u.list.items));
    list->u.list.items[list->u.list.n++] = item;
}

struct pyvalue *pyv_clone(const struct pyvalue *v)
{
    struct pyvalue *c = alloc(v->type, v->line, v->col);

    c->text_col = v->text_col;
    switch (v->type) {
    case PYV_STR:
        c->u.s = xstrdup(v->u.s);
        break;
    case PYV_LIST:
    case PYV_TUPLE:
        for (size_t i = 0; i < v->u.list.n; i++)
            pyv_list_append(c, pyv_clone(v->u.list.items[i]));
        break;
    default:
        c->u = v->u;
        break;
    }
    return c;
}

void pyv_free(struct pyvalue *v)
{
    if (!v)
        return;
    if (v->type == PYV_STR) {
        free(v->u.s);
    } else if (v->type == PYV_LIST || v->type == PYV_TUPLE) {
        for (size_t i = 0; i < v->u.list.n; i++)
            pyv_free(v->u.list.items[i]);
        free(v->u.list.items);
    }
    free(v);
}

const char *pyv_type_name(enum pyv_type type)
{
    switch (type) {
    case PYV_NONE:
        return "NoneType";
    case PYV_BOOL:
        return "bool";
    case PYV_INT:
        return "int";
    case PYV_FLOAT:
        return "float";
    case PYV_STR:
        return "str";
    case PYV_LIST:
        return "list";
    case PYV_TUPLE:
        return "tuple";
    }
    return "?";
}

void pyv_format_float(double f, struct strbuf *out)
{
    char buf[64];

    if (isnan(f)) {
        sb_puts(out, "nan");
        return;
    }
    if (isinf(f)) {
        sb_puts(out, f < 0 ? "-inf" : "inf");
        return;
    }
    /*
     * Python's repr: the fewest significant digits that read back exactly,
     * written positionally when the exponent is in [-4, 16), else as
     * d.ddde+XX; positional floats always show a '.'.
     */
    int prec;
    for (prec = 1; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    snprintf(buf, sizeof(buf), "%.*e", prec - 1, f);
    int exp = atoi(strchr(buf, 'e') + 1);
    if (exp >= -4 && exp < 16) {
        int decimals = prec - 1 - exp;
        snprintf(buf, sizeof(buf), "%.*f", decimals > 0 ? decimals : 0, f);
        sb_puts(out, buf);
        if (!strchr(buf, '.'))
            sb_puts(out, ".0");
    } else {
        sb_puts(out, buf);  /* C and Python agree here: 1e+16, 1.5e-05 */
    }
}

void pyv_repr(const struct pyvalue *v, struct strbuf *out)
{
    switch (v->type) {
    case PYV_NONE:
        sb_puts(out, "None");
        break;
    case PYV_BOOL:
        sb_puts(out, v->u.b ? "True" : "False");
        break;
    case PYV_INT:
        sb_printf(out, "%lld", v->u.i);
        break;
    case PYV_FLOAT:
        pyv_format_float(v->u.f, out);
        break;
    case PYV_STR:
        sb_put_pyrepr(out, v->u.s);
        break;
    case PYV_LIST:
    case PYV_TUPLE:
        sb_putc(out, v->type == PYV_LIST ? '[' : '(');
        for (size_t i = 0; i < v->u.list.n; i++) {
            if (i)
                sb_puts(out, ", ");
            pyv_repr(v->u.list.items[i], out);
        }
        if (v->type == PYV_TUPLE && v->u.list.n == 1)
            sb_putc(out, ',');
        sb_putc(out, v->type == PYV_LIST ? ']' : ')');
        break;
    }
}

void pyv_str_of(const struct pyvalue *v, struct strbuf *out)
{
    if (v->type == PYV_STR)
        sb_puts(out, v->u.s);
    else
        pyv_repr(v, out);
}
