/* SPDX-License-Identifier: MIT */
/*
 * Allocation for the dom0 toolstack (xm, xend and their libraries).
 *
 * Contract: these never return NULL. When the C library cannot satisfy a
 * request they print "<program>: out of memory (N bytes)" on stderr and
 * abort(). The toolstack has no way to make progress without memory, and
 * failing loudly at the allocation is better than a NULL dereference or a
 * half-built object later. Everything else in xend/ may therefore treat
 * allocation as infallible; every other failure is returned to the caller.
 */
#ifndef XEND_COMMON_XALLOC_H
#define XEND_COMMON_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array of nmemb elements of size bytes, checking for overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* Copy at most n bytes of s (stopping at a NUL) into a new string. */
char *xstrndup(const char *s, size_t n);
/* printf into a freshly allocated string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
