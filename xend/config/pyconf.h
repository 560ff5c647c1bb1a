/* SPDX-License-Identifier: MIT */
/*
 * Reader for xm domain config files (/etc/xen/NAME).
 *
 * xm executed these files as Python. Xeno does not run Python: it reads a
 * strict subset of Python's syntax and evaluates it itself, so a file we
 * accept means the same as it did under xm, and anything else is refused
 * with FILE:LINE:COL and a reason instead of being silently misread.
 *
 * The subset:
 *   file       := { statement [';' statement] NEWLINE }
 *   statement  := NAME '=' exprlist | NAME '+=' exprlist
 *   exprlist   := expr { ',' expr } [',']       (a bare "a, b" is a tuple)
 *   expr       := term { ('+' | '-') term }
 *   term       := factor { ('*' | '//' | '%') factor }
 *   factor     := ('-' | '+') factor | atom
 *   atom       := NAME | INT | FLOAT | STRING { STRING } | True | False | None
 *               | '[' [exprlist] ']' | '(' [exprlist] ')'
 * with Python's meaning: + adds numbers and concatenates strings and
 * lists, * multiplies numbers and repeats strings/lists, // and % are
 * integer floor division and modulo, and STR % VALUE (or % TUPLE) formats
 * with %s %r %d %i %u %x %X %o %c %e %f %g and %% (flags -+0 and space,
 * width, precision). A NAME refers to a setting made earlier in the file
 * or on the command line (xm create FILE vmid=3 ... name = "vm%d" % vmid).
 * Adjacent string literals are joined, as in Python.
 *
 * Not accepted (each with its own message): function calls, attribute
 * access (os.path..., xm_vars...), indexing, '/', '**', comparisons,
 * and/or/not, conditional expressions, dicts, comprehensions, lambda, and
 * every statement other than assignment (import, def, if, for, print...).
 *
 * Settings: each name may be assigned once in a file (a second plain
 * assignment is an error that names the first; "+=" extends). A name
 * bound on the command line before parsing wins: the file's assignment to
 * it is evaluated (so errors in it are still reported) and then ignored,
 * and later references see the command-line value. This is xm's rule:
 * "VAR=VAL on the command line overrides the file".
 */
#ifndef XEND_CONFIG_PYCONF_H
#define XEND_CONFIG_PYCONF_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct pyvalue;

enum pyconf_origin {
    PYCONF_FILE,
    PYCONF_CMDLINE,
};

struct pyconf_binding {
    char *name;
    struct pyvalue *value;
    enum pyconf_origin origin;
    unsigned int line;          /* of the name in the file; 0 for the command line */
    unsigned int col;
    bool referenced;            /* a later expression used it (a helper variable) */
    unsigned int file_line;     /* command-line bindings: where the file also set it, or 0 */
};

struct pyconf {
    struct pyconf_binding *v;
    size_t n;
};

void pyconf_init(struct pyconf *env);
void pyconf_free(struct pyconf *env);
struct pyconf_binding *pyconf_find(const struct pyconf *env, const char *name);
/*
 * Bind name to value (ownership of value passes to env), replacing any
 * earlier binding of that name. Used for command-line settings.
 */
void pyconf_set(struct pyconf *env, const char *name, struct pyvalue *value,
                enum pyconf_origin origin, unsigned int line, unsigned int col);
/*
 * Parse and evaluate text (len bytes; it need not be NUL-terminated) into
 * env. Errors are added to diags with file as the file name; parsing goes
 * on after an error (from the next line) to report as much as possible.
 * Returns 0 when no error was found, -1 otherwise. env holds every
 * setting that evaluated cleanly either way.
 */
int pyconf_parse(struct pyconf *env, const char *file, const char *text, size_t len,
                 struct diags *diags);
/*
 * Parse text as a single expression (no names allowed) and return its value,
 * or NULL (with a diagnostic) if it is not one. For command-line values
 * written in Python syntax, e.g. vif="['bridge=xenbr0', '']".
 */
struct pyvalue *pyconf_parse_literal(const char *file, const char *text, struct diags *diags);

#endif
