/* SPDX-License-Identifier: MIT */
/*
 * JSON values for the xm <-> xend protocol, encoded and decoded with
 * libyajl. Objects keep their members in insertion order and may not
 * repeat a key. Strings are NUL-terminated UTF-8 without NUL characters
 * (a \u0000 escape is refused when decoding); encoding refuses invalid
 * UTF-8 instead of sending it. Integers are 64-bit; numbers with a
 * fraction or exponent are doubles. Allocation cannot fail (xalloc.h).
 */
#ifndef XEND_COMMON_JSON_H
#define XEND_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

#define JSON_MAX_DEPTH 64

enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_INT,
    JSON_DOUBLE,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
};

struct json {
    enum json_type type;
    union {
        bool b;
        long long i;
        double d;
        char *s;
        struct {
            struct json **v;
            size_t n;
        } arr;
        struct {
            char **keys;
            struct json **vals;
            size_t n;
        } obj;
    } u;
};

struct json *json_null(void);
struct json *json_bool(bool b);
struct json *json_int(long long i);
struct json *json_double(double d);
struct json *json_string(const char *s);
struct json *json_array(void);
struct json *json_object(void);
/* Append to an array (ownership passes); returns v. */
struct json *json_append(struct json *array, struct json *v);
/* Set a member (ownership passes), replacing an existing one; returns v. */
struct json *json_set(struct json *object, const char *key, struct json *v);
/* The member key of an object, or NULL. */
const struct json *json_get(const struct json *object, const char *key);
struct json *json_clone(const struct json *v);
void json_free(struct json *v);
const char *json_type_name(enum json_type t);

/*
 * Typed member access for decoding results. Each returns 0 and stores the
 * value; 1 if the member is absent and not required (out untouched); -1
 * with "member \"key\" must be ..." in err if it is absent but required,
 * or has the wrong type or range. A JSON null counts as absent.
 */
int json_member_str(const struct json *o, const char *key, bool required, const char **out,
                    struct strbuf *err);
int json_member_int(const struct json *o, const char *key, bool required, long long min,
                    long long max, long long *out, struct strbuf *err);
/* Accepts integers too. */
int json_member_double(const struct json *o, const char *key, bool required, double *out,
                       struct strbuf *err);
int json_member_bool(const struct json *o, const char *key, bool required, bool *out,
                     struct strbuf *err);
/* An array or object member (type JSON_ARRAY or JSON_OBJECT). */
int json_member_of(const struct json *o, const char *key, enum json_type type, bool required,
                   const struct json **out, struct strbuf *err);

/*
 * Compact JSON text of v appended to out. Returns 0, or -1 with a reason
 * in err (invalid UTF-8 in a string, a NaN or infinite number).
 */
int json_encode(const struct json *v, struct strbuf *out, struct strbuf *err);
/*
 * Parse exactly one JSON value from text (trailing blanks allowed).
 * Returns the value, or NULL with a reason in err.
 */
struct json *json_decode(const char *text, size_t len, struct strbuf *err);

#endif
