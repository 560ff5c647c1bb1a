/* SPDX-License-Identifier: MIT */
#include "diag.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>

void diags_init(struct diags *d)
{
    d->v = NULL;
    d->n = d->cap = 0;
    d->errors = d->warnings = 0;
}

void diags_free(struct diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    diags_init(d);
}

void diag_add(struct diags *d, enum diag_level level, const char *file,
              unsigned int line, unsigned int col, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
    }
    d->v[d->n++] = (struct diag){
        .level = level,
        .file = xstrdup(file ? file : "<input>"),
        .line = line,
        .col = col,
        .msg = sb_steal(&sb),
    };
    if (level == DIAG_ERROR)
        d->errors++;
    else if (level == DIAG_WARNING)
        d->warnings++;
}

void diags_sort(struct diags *d, size_t first)
{
    /* Insertion sort: the lists are short and the order must stay stable. */
    for (size_t i = first + 1; i < d->n; i++) {
        struct diag x = d->v[i];
        size_t j = i;
        while (j > first) {
            const struct diag *p = &d->v[j - 1];
            bool before = x.line && (!p->line || x.line < p->line ||
                                     (x.line == p->line && x.col < p->col));
            if (!before)
                break;
            d->v[j] = d->v[j - 1];
            j--;
        }
        d->v[j] = x;
    }
}

static const char *level_name(enum diag_level level)
{
    switch (level) {
    case DIAG_ERROR:
        return "error";
    case DIAG_WARNING:
        return "warning";
    case DIAG_NOTE:
        return "note";
    }
    return "?";
}

void diag_format(const struct diag *dg, struct strbuf *out)
{
    sb_puts(out, dg->file);
    if (dg->line) {
        sb_printf(out, ":%u", dg->line);
        if (dg->col)
            sb_printf(out, ":%u", dg->col);
    }
    sb_printf(out, ": %s: %s", level_name(dg->level), dg->msg);
}

void diags_format(const struct diags *d, struct strbuf *out)
{
    for (size_t i = 0; i < d->n; i++) {
        diag_format(&d->v[i], out);
        sb_putc(out, '\n');
    }
}
