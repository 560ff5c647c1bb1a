/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics with source positions, shared by the config parsers
 * (xm domain configs, xend-config.sxp) and the xm command line.
 *
 * A diagnostic prints as "FILE:LINE:COL: error: MESSAGE" (the compiler
 * convention editors understand). LINE and COL count from 1; 0 means
 * "unknown" and that part is left out ("FILE: error: MESSAGE").
 */
#ifndef XEND_COMMON_DIAG_H
#define XEND_COMMON_DIAG_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

enum diag_level {
    DIAG_ERROR,
    DIAG_WARNING,
    DIAG_NOTE,
};

struct diag {
    enum diag_level level;
    char *file;
    unsigned int line;
    unsigned int col;
    char *msg;
};

struct diags {
    struct diag *v;
    size_t n;
    size_t cap;
    unsigned int errors;
    unsigned int warnings;
};

#define DIAGS_INIT { NULL, 0, 0, 0, 0 }

void diags_init(struct diags *d);
void diags_free(struct diags *d);
void diag_add(struct diags *d, enum diag_level level, const char *file,
              unsigned int line, unsigned int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/*
 * Order the diagnostics from index first onwards by file position (line,
 * then column); ones without a line keep their order and go last. Stable.
 */
void diags_sort(struct diags *d, size_t first);
/* Append one diagnostic, formatted as above, without a newline. */
void diag_format(const struct diag *dg, struct strbuf *out);
/* Append every diagnostic, one per line, in the order they were added. */
void diags_format(const struct diags *d, struct strbuf *out);
static inline bool diags_failed(const struct diags *d) { return d->errors != 0; }

#endif
