/* SPDX-License-Identifier: MIT */
/* JSON values and their yajl-based encoder and decoder (json.h). */
#include "json.h"
#include "strbuf.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

static struct json *alloc(enum json_type t)
{
    struct json *v = xcalloc(1, sizeof(*v));

    v->type = t;
    return v;
}

struct json *json_null(void)
{
    return alloc(JSON_NULL);
}

struct json *json_bool(bool b)
{
    struct json *v = alloc(JSON_BOOL);
    v->u.b = b;
    return v;
}

struct json *json_int(long long i)
{
    struct json *v = alloc(JSON_INT);
    v->u.i = i;
    return v;
}

struct json *json_double(double d)
{
    struct json *v = alloc(JSON_DOUBLE);
    v->u.d = d;
    return v;
}

struct json *json_string(const char *s)
{
    struct json *v = alloc(JSON_STRING);
    v->u.s = xstrdup(s);
    return v;
}

struct json *json_array(void)
{
    return alloc(JSON_ARRAY);
}

struct json *json_object(void)
{
    return alloc(JSON_OBJECT);
}

struct json *json_append(struct json *array, struct json *v)
{
    array->u.arr.v = xreallocarray(array->u.arr.v, array->u.arr.n + 1, sizeof(*array->u.arr.v));
    array->u.arr.v[array->u.arr.n++] = v;
    return v;
}

struct json *json_set(struct json *object, const char *key, struct json *v)
{
    for (size_t i = 0; i < object->u.obj.n; i++) {
        if (!strcmp(object->u.obj.keys[i], key)) {
            json_free(object->u.obj.vals[i]);
            object->u.obj.vals[i] = v;
            return v;
        }
    }
    size_t n = object->u.obj.n;
    object->u.obj.keys = xreallocarray(object->u.obj.keys, n + 1, sizeof(*object->u.obj.keys));
    object->u.obj.vals = xreallocarray(object->u.obj.vals, n + 1, sizeof(*object->u.obj.vals));
    object->u.obj.keys[n] = xstrdup(key);
    object->u.obj.vals[n] = v;
    object->u.obj.n = n + 1;
    return v;
}

const struct json *json_get(const struct json *object, const char *key)
{
    if (!object || object->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->u.obj.n; i++)
        if (!strcmp(object->u.obj.keys[i], key))
            return object->u.obj.vals[i];
    return NULL;
}

struct json *json_clone(const struct json *v)
{
    struct json *c;

    switch (v->type) {
    case JSON_STRING:
        return json_string(v->u.s);
    case JSON_ARRAY:
        c = json_array();
        for (size_t i = 0; i < v->u.arr.n; i++)
            json_append(c, json_clone(v->u.arr.v[i]));
        return c;
    case JSON_OBJECT:
        c = json_object();
        for (size_t i = 0; i < v->u.obj.n; i++)
            json_set(c, v->u.obj.keys[i], json_clone(v->u.obj.vals[i]));
        return c;
    default:
        c = alloc(v->type);
        c->u = v->u;
        return c;
    }
}

void json_free(struct json *v)
{
    if (!v)
        return;
    switch (v->type) {
    case JSON_STRING:
        free(v->u.s);
        break;
    case JSON_ARRAY:
        for (size_t i = 0; i < v->u.arr.n; i++)
            json_free(v->u.arr.v[i]);
        free(v->u.arr.v);
        break;
    case JSON_OBJECT:
        for (size_t i = 0; i < v->u.obj.n; i++) {
            free(v->u.obj.keys[i]);
            json_free(v->u.obj.vals[i]);
        }
        free(v->u.obj.keys);
        free(v->u.obj.vals);
        break;
    default:
        break;
    }
    free(v);
}

const char *json_type_name(enum json_type t)
{
    switch (t) {
    case JSON_NULL:
        return "null";
    case JSON_BOOL:
        return "boolean";
    case JSON_INT:
        return "integer";
    case JSON_DOUBLE:
        return "number";
    case JSON_STRING:
        return "string";
    case JSON_ARRAY:
        return "array";
    case JSON_OBJECT:
        return "object";
    }
    return "?";
}

/* ---- typed member access ---- */

static const struct json *member(const struct json *o, const char *key, bool required, int *rc,
                                 struct strbuf *err)
{
    const struct json *v = json_get(o, key);

    if (v && v->type == JSON_NULL)
        v = NULL;
    if (!v) {
        if (required)
            sb_printf(err, "member \"%s\" is missing", key);
        *rc = required ? -1 : 1;
    }
    return v;
}

int json_member_str(const struct json *o, const char *key, bool required, const char **out,
                    struct strbuf *err)
{
    int rc;
    const struct json *v = member(o, key, required, &rc, err);

    if (!v)
        return rc;
    if (v->type != JSON_STRING) {
        sb_printf(err, "member \"%s\" must be a string, not %s", key, json_type_name(v->type));
        return -1;
    }
    *out = v->u.s;
    return 0;
}

int json_member_int(const struct json *o, const char *key, bool required, long long min,
                    long long max, long long *out, struct strbuf *err)
{
    int rc;
    const struct json *v = member(o, key, required, &rc, err);

    if (!v)
        return rc;
    if (v->type != JSON_INT) {
        sb_printf(err, "member \"%s\" must be an integer, not %s", key, json_type_name(v->type));
        return -1;
    }
    if (v->u.i < min || v->u.i > max) {
        sb_printf(err, "member \"%s\" is %lld, outside %lld..%lld", key, v->u.i, min, max);
        return -1;
    }
    *out = v->u.i;
    return 0;
}

int json_member_double(const struct json *o, const char *key, bool required, double *out,
                       struct strbuf *err)
{
    int rc;
    const struct json *v = member(o, key, required, &rc, err);

    if (!v)
        return rc;
    if (v->type == JSON_INT) {
        *out = (double)v->u.i;
        return 0;
    }
    if (v->type != JSON_DOUBLE) {
        sb_printf(err, "member \"%s\" must be a number, not %s", key, json_type_name(v->type));
        return -1;
    }
    *out = v->u.d;
    return 0;
}

int json_member_bool(const struct json *o, const char *key, bool required, bool *out,
                     struct strbuf *err)
{
    int rc;
    const struct json *v = member(o, key, required, &rc, err);

    if (!v)
        return rc;
    if (v->type != JSON_BOOL) {
        sb_printf(err, "member \"%s\" must be true or false, not %s", key, json_type_name(v->type));
        return -1;
    }
    *out = v->u.b;
    return 0;
}

int json_member_of(const struct json *o, const char *key, enum json_type type, bool required,
                   const struct json **out, struct strbuf *err)
{
    int rc;
    const struct json *v = member(o, key, required, &rc, err);

    if (!v)
        return rc;
    if (v->type != type) {
        sb_printf(err, "member \"%s\" must be an %s, not %s", key, json_type_name(type),
                  json_type_name(v->type));
        return -1;
    }
    *out = v;
    return 0;
}

/* ---- encoding ---- */

static const char *gen_status_text(yajl_gen_status st)
{
    switch (st) {
    case yajl_gen_invalid_string:
        return "a string is not valid UTF-8";
    case yajl_gen_invalid_number:
        return "a number is not finite";
    case yajl_max_depth_exceeded:
        return "nesting is too deep";
    default:
        return "the JSON generator failed";
    }
}

static yajl_gen_status gen(yajl_gen g, const struct json *v, unsigned int depth)
{
    yajl_gen_status st = yajl_gen_status_ok;

    if (depth > JSON_MAX_DEPTH)
        return yajl_max_depth_exceeded;
    switch (v->type) {
    case JSON_NULL:
        return yajl_gen_null(g);
    case JSON_BOOL:
        return yajl_gen_bool(g, v->u.b);
    case JSON_INT:
        return yajl_gen_integer(g, v->u.i);
    case JSON_DOUBLE:
        if (!isfinite(v->u.d))
            return yajl_gen_invalid_number;
        return yajl_gen_double(g, v->u.d);
    case JSON_STRING:
        return yajl_gen_string(g, (const unsigned char *)v->u.s, strlen(v->u.s));
    case JSON_ARRAY:
        st = yajl_gen_array_open(g);
        for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.arr.n; i++)
            st = gen(g, v->u.arr.v[i], depth + 1);
        return st == yajl_gen_status_ok ? yajl_gen_array_close(g) : st;
    case JSON_OBJECT:
        st = yajl_gen_map_open(g);
        for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.obj.n; i++) {
            const char *k = v->u.obj.keys[i];
            st = yajl_gen_string(g, (const unsigned char *)k, strlen(k));
            if (st == yajl_gen_status_ok)
                st = gen(g, v->u.obj.vals[i], depth + 1);
        }
        return st == yajl_gen_status_ok ? yajl_gen_map_close(g) : st;
    }
    return yajl_gen_status_ok;
}

int json_encode(const struct json *v, struct strbuf *out, struct strbuf *err)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    const unsigned char *buf;
    size_t len;
    int rc = 0;

    if (!g) {
        sb_puts(err, "cannot allocate a JSON generator");
        return -1;
    }
    if (!yajl_gen_config(g, yajl_gen_validate_utf8, 1)) {
        sb_puts(err, "cannot configure the JSON generator");
        yajl_gen_free(g);
        return -1;
    }
    yajl_gen_status st = gen(g, v, 0);
    if (st != yajl_gen_status_ok) {
        sb_puts(err, gen_status_text(st));
        rc = -1;
    } else if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) {
        sb_puts(err, "the JSON generator failed");
        rc = -1;
    } else {
        sb_putn(out, (const char *)buf, len);
    }
    yajl_gen_free(g);
    return rc;
}

/* ---- decoding ---- */

struct frame {
    struct json *v;
    char *key;      /* pending object key */
};

struct decoder {
    struct frame stack[JSON_MAX_DEPTH + 1];
    unsigned int depth;
    struct json *root;
    const char *error;      /* our own reason to stop */
};

/* Attach a finished value to its parent (or make it the root). */
static int attach(struct decoder *d, struct json *v)
{
    if (d->depth == 0) {
        d->root = v;
        return 1;
    }
    struct frame *f = &d->stack[d->depth - 1];
    if (f->v->type == JSON_ARRAY) {
        json_append(f->v, v);
    } else {
        if (json_get(f->v, f->key)) {
            d->error = "an object repeats a key";
            json_free(v);
            return 0;
        }
        json_set(f->v, f->key, v);
        free(f->key);
        f->key = NULL;
    }
    return 1;
}

static int cb_null(void *ctx)
{
    return attach(ctx, json_null());
}

static int cb_bool(void *ctx, int b)
{
    return attach(ctx, json_bool(b != 0));
}

static int cb_int(void *ctx, long long i)
{
    return attach(ctx, json_int(i));
}

static int cb_double(void *ctx, double d)
{
    return attach(ctx, json_double(d));
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    struct decoder *d = ctx;

    if (memchr(s, '\0', len)) {
        d->error = "a string contains a NUL character";
        return 0;
    }
    struct json *v = alloc(JSON_STRING);
    v->u.s = xstrndup((const char *)s, len);
    return attach(d, v);
}

static int open_container(struct decoder *d, struct json *v)
{
    if (d->depth >= JSON_MAX_DEPTH) {
        d->error = "nesting is too deep";
        json_free(v);
        return 0;
    }
    d->stack[d->depth].v = v;
    d->stack[d->depth].key = NULL;
    d->depth++;
    return 1;
}

static int close_container(struct decoder *d)
{
    struct frame *f = &d->stack[--d->depth];
    struct json *v = f->v;

    f->v = NULL;
    return attach(d, v);
}

static int cb_map_open(void *ctx)
{
    return open_container(ctx, json_object());
}

static int cb_map_key(void *ctx, const unsigned char *k, size_t len)
{
    struct decoder *d = ctx;

    if (memchr(k, '\0', len)) {
        d->error = "an object key contains a NUL character";
        return 0;
    }
    free(d->stack[d->depth - 1].key);
    d->stack[d->depth - 1].key = xstrndup((const char *)k, len);
    return 1;
}

static int cb_end(void *ctx)
{
    return close_container(ctx);
}

static int cb_array_open(void *ctx)
{
    return open_container(ctx, json_array());
}

static const yajl_callbacks callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_bool,
    .yajl_integer = cb_int,
    .yajl_double = cb_double,
    .yajl_string = cb_string,
    .yajl_start_map = cb_map_open,
    .yajl_map_key = cb_map_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_array_open,
    .yajl_end_array = cb_end,
};

struct json *json_decode(const char *text, size_t len, struct strbuf *err)
{
    struct decoder d;
    yajl_handle h;
    yajl_status st;

    memset(&d, 0, sizeof(d));
    h = yajl_alloc(&callbacks, NULL, &d);
    if (!h) {
        sb_puts(err, "cannot allocate a JSON parser");
        return NULL;
    }
    st = yajl_parse(h, (const unsigned char *)text, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    if (st != yajl_status_ok) {
        if (d.error) {
            sb_puts(err, d.error);
        } else {
            unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)text, len);
            if (msg) {
                /* yajl's message ends with a newline; keep one line. */
                size_t n = strcspn((const char *)msg, "\n");
                sb_putn(err, (const char *)msg, n);
                yajl_free_error(h, msg);
            } else {
                sb_puts(err, "malformed JSON");
            }
        }
        for (unsigned int i = 0; i < d.depth; i++) {
            json_free(d.stack[i].v);
            free(d.stack[i].key);
        }
        json_free(d.root);
        yajl_free(h);
        return NULL;
    }
    yajl_free(h);
    if (!d.root)
        sb_puts(err, "no JSON value");
    return d.root;
}
