/* SPDX-License-Identifier: MIT */
/*
 * Tokenizer for the Python subset of xm domain config files.
 *
 * Python's lexical rules, restricted to what config files use:
 *  - '#' comments; blank lines; a logical line ends at a newline outside
 *    brackets (implicit joining inside (), [] and {}) or is continued by a
 *    backslash at the end of the line;
 *  - names, integers (decimal, 0x, 0o, 0b; a trailing L is accepted as
 *    Python 2 did; a leading zero such as 0755 is refused because Python 2
 *    and 3 disagree on it), floats;
 *  - strings '...', "...", '''...''', """...""" with the prefixes r, u, b
 *    (any case, r combinable) and Python's escapes (\n \t \\ \' \" \a \b \f
 *    \r \v \ooo \xhh, backslash-newline); an unknown escape keeps its
 *    backslash, as in Python;
 *  - operators and punctuation (the parser decides which are allowed).
 * Top-level lines must not be indented (Python rejects that too).
 *
 * Positions: line and col count from 1; col counts bytes (a tab is one).
 * Errors go to the diagnostics list; the lexer then skips the offending
 * text and carries on, so one run reports several problems.
 */
#ifndef XEND_CONFIG_PYLEX_H
#define XEND_CONFIG_PYLEX_H

#include <stdbool.h>
#include <stddef.h>

struct diags;

enum pytok_kind {
    PT_EOF,
    PT_NEWLINE,     /* end of a logical line */
    PT_NAME,
    PT_INT,
    PT_FLOAT,
    PT_STRING,
    PT_OP,
};

struct pytok {
    enum pytok_kind kind;
    unsigned int line;
    unsigned int col;
    const char *text;       /* raw source span */
    size_t len;
    long long i;            /* PT_INT */
    double f;               /* PT_FLOAT */
    char *s;                /* PT_STRING: decoded, malloc'd, owned by the token */
    unsigned int text_col;  /* PT_STRING: column of the first character when the
                               literal has no escapes and fits on one line, else 0 */
    char op[4];             /* PT_OP: the operator, NUL-terminated */
};

struct pylex {
    const char *file;
    const char *p;
    const char *end;
    const char *line_start;
    unsigned int line;
    int depth;              /* bracket nesting */
    bool line_has_tokens;
    bool at_line_start;
    bool eof_newline_done;
    struct diags *diags;
};

void pylex_init(struct pylex *lx, const char *file, const char *text, size_t len,
                struct diags *diags);
/*
 * Read the next token into tok (which must not hold a string: call
 * pytok_clear first). Returns 0, or -1 after recording a lexical error in
 * the diagnostics; in that case tok is not filled and the caller should
 * call again (the lexer has moved past the bad text).
 */
int pylex_next(struct pylex *lx, struct pytok *tok);
/* Free the token's decoded string, if any. */
void pytok_clear(struct pytok *tok);
/* "end of line", "end of file", "'='", "name 'foo'", "string", "number 12"... */
const char *pytok_describe(const struct pytok *tok, char *buf, size_t size);

#endif
