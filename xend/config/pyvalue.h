/* SPDX-License-Identifier: MIT */
/*
 * Values of the Python subset accepted in xm domain config files
 * (see pyconf.h): None, bool, int, float, str, list and tuple.
 *
 * Every value remembers where the expression that produced it starts
 * (line, col; 1-based), so that later checks (a bad disk spec, a wrong
 * type) can point at the right place in the file. A string produced by a
 * single literal without escapes on one line also records the column of
 * its first character (text_col), so a checker can point inside it.
 */
#ifndef XEND_CONFIG_PYVALUE_H
#define XEND_CONFIG_PYVALUE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

enum pyv_type {
    PYV_NONE,
    PYV_BOOL,
    PYV_INT,
    PYV_FLOAT,
    PYV_STR,
    PYV_LIST,
    PYV_TUPLE,
};

struct pyvalue {
    enum pyv_type type;
    unsigned int line;
    unsigned int col;
    /* PYV_STR only: column of the string's first character, 0 if unknown. */
    unsigned int text_col;
    union {
        bool b;
        long long i;
        double f;
        char *s;            /* NUL-terminated; literals cannot contain NUL */
        struct {
            struct pyvalue **items;
            size_t n;
        } list;             /* PYV_LIST and PYV_TUPLE */
    } u;
};

struct pyvalue *pyv_none(unsigned int line, unsigned int col);
struct pyvalue *pyv_bool(bool b, unsigned int line, unsigned int col);
struct pyvalue *pyv_int(long long i, unsigned int line, unsigned int col);
struct pyvalue *pyv_float(double f, unsigned int line, unsigned int col);
/* Takes ownership of s (malloc'd). */
struct pyvalue *pyv_str_take(char *s, unsigned int line, unsigned int col);
struct pyvalue *pyv_str(const char *s, unsigned int line, unsigned int col);
struct pyvalue *pyv_list(enum pyv_type type, unsigned int line, unsigned int col);
/* Append item (ownership passes to the list). */
void pyv_list_append(struct pyvalue *list, struct pyvalue *item);
struct pyvalue *pyv_clone(const struct pyvalue *v);
void pyv_free(struct pyvalue *v);

/* Python's name for the type: "NoneType", "bool", "int", "float", "str", "list", "tuple". */
const char *pyv_type_name(enum pyv_type type);
/* Python repr(): 'a\'b', [1, 'x'], (1,), True, None, 1.5. */
void pyv_repr(const struct pyvalue *v, struct strbuf *out);
/* Python str(): strings unquoted, everything else as repr(). */
void pyv_str_of(const struct pyvalue *v, struct strbuf *out);
/* Python float repr (shortest form that reads back, always with '.' or 'e'). */
void pyv_format_float(double f, struct strbuf *out);

#endif
