/* SPDX-License-Identifier: MIT */
/*
 * Growable, always NUL-terminated string buffer. Used by every formatter
 * and error path in xend/ so that output is built in memory (and can be
 * compared byte for byte in tests) before it is written anywhere.
 * Allocation cannot fail (xalloc.h).
 */
#ifndef XEND_COMMON_STRBUF_H
#define XEND_COMMON_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *buf;      /* NULL until something is added */
    size_t len;
    size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Empty the buffer but keep its storage. */
void sb_reset(struct strbuf *sb);
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
/* Append c n times. */
void sb_repeat(struct strbuf *sb, char c, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* The contents; "" (never NULL) when empty. Valid until the next change. */
const char *sb_str(const struct strbuf *sb);
/* Hand the contents over as a malloc'd string and reset the buffer. */
char *sb_steal(struct strbuf *sb);
/*
 * Append text with its blank-separated words wrapped so that no line gets
 * longer than width columns (counted from where the text starts);
 * continuation lines start with indent blanks. Longer words are not cut.
 */
void sb_wrap(struct strbuf *sb, const char *text, size_t width, size_t indent);
/* Append s as Python's repr() of a str writes it: single quotes unless s
 * has ' but no ", backslash escapes, \xNN for other control and non-ASCII
 * bytes (xm printed configs and SXP atoms that way). */
void sb_put_pyrepr(struct strbuf *sb, const char *s);
/* Remove trailing spaces and tabs from the end of the buffer. */
void sb_rstrip(struct strbuf *sb);

#endif
