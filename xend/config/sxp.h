/* SPDX-License-Identifier: MIT */
/*
 * S-expressions as xend writes and reads them (xend-config.sxp, xm list
 * -l, xm create -n, managed-domain config.sxp).
 *
 * Syntax read: '(' and ')' make lists; '#' starts a comment to the end of
 * the line; a bare word runs to white space, '(', ')' or '#'; a string is
 * quoted with ' or " and takes the escapes \a \b \t \n \v \f \r \\ \' \"
 * \xHH and \OOO (an unknown escape keeps its backslash, as xend does).
 * A quote in the middle of a bare word is an error (quote the whole value).
 * Lists nest at most SXP_MAX_DEPTH deep.
 *
 * Printed form (xend's rules): an atom made only of letters, digits and
 * ". - _ : / ~" (or empty) is written bare, anything else is quoted the way
 * Python's repr() quotes a string. sxp_pretty() lays lists out like xend's
 * PrettyPrint: a list that fits in the remaining width stays on one line;
 * otherwise its first element follows '(', each further element goes on
 * its own line indented 4 columns from the '(', and ')' gets a line of
 * its own under the '('.
 */
#ifndef XEND_CONFIG_SXP_H
#define XEND_CONFIG_SXP_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct strbuf;

#define SXP_MAX_DEPTH 64

enum sxp_type {
    SXP_ATOM,
    SXP_LIST,
};

struct sxp {
    enum sxp_type type;
    unsigned int line;      /* where it starts in the source; 0 if built in memory */
    unsigned int col;
    bool quoted;            /* atom: was written in quotes */
    char *atom;             /* SXP_ATOM: NUL-terminated text */
    struct sxp **items;     /* SXP_LIST */
    size_t n;
};

struct sxp *sxp_atom(const char *s);
struct sxp *sxp_atomf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
struct sxp *sxp_list(void);
/* A list whose first element is the atom name: (name). */
struct sxp *sxp_named(const char *name);
/* Append item to list (ownership passes). Returns item. */
struct sxp *sxp_append(struct sxp *list, struct sxp *item);
/* Append (key value) to list. */
void sxp_add(struct sxp *list, const char *key, const char *value);
void sxp_addf(struct sxp *list, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sxp_free(struct sxp *x);

/* The first element of a list if it is an atom, else NULL. */
const char *sxp_name(const struct sxp *x);
/* The first child list named name, or NULL. */
const struct sxp *sxp_child(const struct sxp *x, const char *name);
/* The atom value of the first child (name value), or NULL. */
const char *sxp_child_value(const struct sxp *x, const char *name);

/*
 * Parse every top-level form in text into a list (the "document"; its
 * items are the forms). Errors go to diags with file as the name; on error
 * returns NULL (nothing is half-built).
 */
struct sxp *sxp_parse(const char *file, const char *text, size_t len, struct diags *diags);

/* Append an atom in printed form (bare or quoted). */
void sxp_print_atom(const char *atom, struct strbuf *out);
/* One-line form: (a b (c d)). */
void sxp_print(const struct sxp *x, struct strbuf *out);
/* Pretty form for a page width (xend uses 80), ending with a newline. */
void sxp_pretty(const struct sxp *x, unsigned int width, struct strbuf *out);

#endif
