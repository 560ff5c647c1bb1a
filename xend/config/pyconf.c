/* SPDX-License-Identifier: MIT */
/*
 * Parser and evaluator for the Python subset of xm config files. The
 * grammar and the rules for settings are in pyconf.h; this file reads one
 * statement at a time, evaluating expressions as it parses them.
 */
#include "pyconf.h"
#include "pylex.h"
#include "pyops.h"
#include "pyvalue.h"
#include "../common/diag.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    struct pylex lx;
    struct pytok tok;
    struct pyconf *env;
    struct diags *diags;
    const char *file;
    bool stmt_failed;       /* an error was reported in this statement */
    bool allow_names;       /* false for command-line literals */
};

static const char *const keywords[] = {
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "exec", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "print", "raise", "return",
    "try", "while", "with", "yield",
};

static bool is_keyword(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
        if (strlen(keywords[i]) == n && memcmp(keywords[i], s, n) == 0)
            return true;
    return false;
}

static bool tok_is_name(const struct pytok *t, const char *name)
{
    return t->kind == PT_NAME && t->len == strlen(name) && memcmp(t->text, name, t->len) == 0;
}

static bool tok_is_op(const struct pytok *t, const char *op)
{
    return t->kind == PT_OP && strcmp(t->op, op) == 0;
}

static void perror_at(struct parser *p, unsigned int line, unsigned int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Report a parse or evaluation error; only the first one of a statement. */
static void perror_at(struct parser *p, unsigned int line, unsigned int col, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    if (p->stmt_failed)
        return;
    p->stmt_failed = true;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    diag_add(p->diags, DIAG_ERROR, p->file, line, col, "%s", sb_str(&sb));
    sb_free(&sb);
}

static void next(struct parser *p)
{
    pytok_clear(&p->tok);
    for (;;) {
        unsigned int before = p->diags->errors;
        if (pylex_next(&p->lx, &p->tok) == 0)
            return;
        if (p->diags->errors != before)
            p->stmt_failed = true;  /* the lexer reported it; stay quiet about the rest */
    }
}

/* ---- environment ---- */

void pyconf_init(struct pyconf *env)
{
    env->v = NULL;
    env->n = 0;
}

void pyconf_free(struct pyconf *env)
{
    for (size_t i = 0; i < env->n; i++) {
        free(env->v[i].name);
        pyv_free(env->v[i].value);
    }
    free(env->v);
    pyconf_init(env);
}

struct pyconf_binding *pyconf_find(const struct pyconf *env, const char *name)
{
    for (size_t i = 0; i < env->n; i++)
        if (strcmp(env->v[i].name, name) == 0)
            return &env->v[i];
    return NULL;
}

void pyconf_set(struct pyconf *env, const char *name, struct pyvalue *value,
                enum pyconf_origin origin, unsigned int line, unsigned int col)
{
    struct pyconf_binding *b = pyconf_find(env, name);

    if (b) {
        pyv_free(b->value);
    } else {
        env->v = xreallocarray(env->v, env->n + 1, sizeof(*env->v));
        b = &env->v[env->n++];
        b->name = xstrdup(name);
    }
    b->value = value;
    b->origin = origin;
    b->line = line;
    b->col = col;
    b->referenced = false;
    b->file_line = 0;
}

/* ---- evaluation ---- */

static bool is_number(const struct pyvalue *v)
{
    return v->type == PYV_INT || v->type == PYV_BOOL || v->type == PYV_FLOAT;
}

/* Apply a binary operator (pyops.c); consumes a and b; reports failures. */
static struct pyvalue *binop(struct parser *p, const char *op, struct pyvalue *a, struct pyvalue *b,
                             unsigned int op_line, unsigned int op_col)
{
    struct pyops_error e = { .msg = STRBUF_INIT };
    struct pyvalue *r = pyops_binary(op, a, b, op_line, op_col, &e);

    if (!r)
        perror_at(p, e.line, e.col, "%s", sb_str(&e.msg));
    sb_free(&e.msg);
    return r;
}

/* ---- parsing ---- */

static struct pyvalue *parse_exprlist(struct parser *p, const char *closer);
static struct pyvalue *parse_expr(struct parser *p);

static void unsupported_after_name(struct parser *p, const struct pytok *name)
{
    char what[64];

    snprintf(what, sizeof(what), "%.*s", (int)(name->len > 40 ? 40 : name->len), name->text);
    if (!strcmp(what, "xm_vars")) {
        perror_at(p, name->line, name->col,
                  "xm_vars is not supported: pass variables on the command line "
                  "(xm create FILE vmid=3) and use them by name");
    } else if (tok_is_op(&p->tok, "(")) {
        perror_at(p, name->line, name->col,
                      "function calls such as %s(...) are not supported: xm config files "
                      "are read, not run as Python", what);
    } else if (tok_is_op(&p->tok, ".")) {
        perror_at(p, name->line, name->col,
                  "'%s.' (attribute access) is not supported: xm config files are read, "
                  "not run as Python", what);
    } else {
        perror_at(p, p->tok.line, p->tok.col, "indexing (%s[...]) is not supported", what);
    }
}

static struct pyvalue *parse_name_atom(struct parser *p)
{
    struct pytok name = p->tok;
    char buf[128];
    unsigned int line = name.line, col = name.col;

    if (name.len >= sizeof(buf)) {
        perror_at(p, line, col, "name is too long");
        return NULL;
    }
    memcpy(buf, name.text, name.len);
    buf[name.len] = '\0';
    if (is_keyword(name.text, name.len)) {
        perror_at(p, line, col, "'%s' is not supported in xm config files "
                  "(only literals, names, + - * // %% and brackets)", buf);
        return NULL;
    }
    next(p);
    if (tok_is_op(&p->tok, "(") || tok_is_op(&p->tok, ".") || tok_is_op(&p->tok, "[")) {
        unsupported_after_name(p, &name);
        return NULL;
    }
    if (!strcmp(buf, "True"))
        return pyv_bool(true, line, col);
    if (!strcmp(buf, "False"))
        return pyv_bool(false, line, col);
    if (!strcmp(buf, "None"))
        return pyv_none(line, col);
    if (!p->allow_names) {
        perror_at(p, line, col, "name '%s' is not a value", buf);
        return NULL;
    }
    struct pyconf_binding *b = pyconf_find(p->env, buf);
    if (!b && tok_is_name(&p->tok, "for")) {
        perror_at(p, p->tok.line, p->tok.col, "comprehensions are not supported");
        return NULL;
    }
    if (!b && tok_is_op(&p->tok, "=")) {
        perror_at(p, p->tok.line, p->tok.col, "chained assignment (a = b = value) is not supported");
        return NULL;
    }
    if (!b) {
        perror_at(p, line, col, "name '%s' is not defined: set it earlier in the file or on "
                  "the command line (%s=VALUE); quote it if it is meant as text", buf, buf);
        return NULL;
    }
    b->referenced = true;
    struct pyvalue *v = pyv_clone(b->value);
    v->line = line;
    v->col = col;
    v->text_col = 0;
    return v;
}

static struct pyvalue *parse_bracket(struct parser *p, const char *open, const char *close)
{
    unsigned int line = p->tok.line, col = p->tok.col;
    struct pyvalue *v;

    next(p);
    if (tok_is_op(&p->tok, close)) {
        next(p);
        return pyv_list(open[0] == '[' ? PYV_LIST : PYV_TUPLE, line, col);
    }
    v = parse_exprlist(p, close);
    if (!v)
        return NULL;
    if (!tok_is_op(&p->tok, close)) {
        char d[64];
        if (p->tok.kind == PT_EOF)
            perror_at(p, line, col, "'%s' is never closed (the file ends first)", open);
        else if (tok_is_name(&p->tok, "for"))
            perror_at(p, p->tok.line, p->tok.col, "comprehensions are not supported");
        else
            perror_at(p, p->tok.line, p->tok.col, "expected ',' or '%s' to continue the '%s' "
                      "opened at %u:%u, found %s", close, open, line, col,
                      pytok_describe(&p->tok, d, sizeof(d)));
        pyv_free(v);
        return NULL;
    }
    next(p);
    if (open[0] == '[') {
        if (v->type == PYV_TUPLE && v->line == 0) {
            /* [a, b, ...]: the bare tuple becomes the list. */
            v->type = PYV_LIST;
            v->line = line;
            v->col = col;
            return v;
        }
        struct pyvalue *l = pyv_list(PYV_LIST, line, col);
        pyv_list_append(l, v);
        return l;
    }
    if (v->type == PYV_TUPLE && v->line == 0) {
        v->line = line;
        v->col = col;
    }
    return v;
}

static struct pyvalue *parse_atom(struct parser *p)
{
    char d[64];

    switch (p->tok.kind) {
    case PT_NAME:
        return parse_name_atom(p);
    case PT_INT: {
        struct pyvalue *v = pyv_int(p->tok.i, p->tok.line, p->tok.col);
        next(p);
        return v;
    }
    case PT_FLOAT: {
        struct pyvalue *v = pyv_float(p->tok.f, p->tok.line, p->tok.col);
        next(p);
        return v;
    }
    case PT_STRING: {
        struct pyvalue *v = pyv_str_take(p->tok.s, p->tok.line, p->tok.col);
        v->text_col = p->tok.text_col;
        p->tok.s = NULL;
        next(p);
        while (p->tok.kind == PT_STRING) {
            /* Adjacent literals are one string. */
            char *joined = xasprintf("%s%s", v->u.s, p->tok.s);
            free(v->u.s);
            v->u.s = joined;
            v->text_col = 0;
            next(p);
        }
        return v;
    }
    case PT_OP:
        if (tok_is_op(&p->tok, "["))
            return parse_bracket(p, "[", "]");
        if (tok_is_op(&p->tok, "("))
            return parse_bracket(p, "(", ")");
        if (tok_is_op(&p->tok, "{")) {
            perror_at(p, p->tok.line, p->tok.col, "dictionaries ({...}) are not supported in xm "
                      "config files");
            return NULL;
        }
        break;
    default:
        break;
    }
    perror_at(p, p->tok.line, p->tok.col, "expected a value, found %s",
              pytok_describe(&p->tok, d, sizeof(d)));
    return NULL;
}

static struct pyvalue *parse_factor(struct parser *p)
{
    if (tok_is_op(&p->tok, "-") || tok_is_op(&p->tok, "+")) {
        bool neg = p->tok.op[0] == '-';
        unsigned int line = p->tok.line, col = p->tok.col;
        next(p);
        struct pyvalue *v = parse_factor(p);
        if (!v)
            return NULL;
        if (!is_number(v)) {
            perror_at(p, line, col, "bad operand type for unary %c: %s", neg ? '-' : '+',
                      pyv_type_name(v->type));
            pyv_free(v);
            return NULL;
        }
        if (v->type == PYV_BOOL) {
            long long i = v->u.b;
            v->type = PYV_INT;
            v->u.i = i;
        }
        if (neg) {
            if (v->type == PYV_FLOAT) {
                v->u.f = -v->u.f;
            } else if (v->u.i == (-9223372036854775807LL - 1)) {
                perror_at(p, line, col, "integer overflow in unary '-'");
                pyv_free(v);
                return NULL;
            } else {
                v->u.i = -v->u.i;
            }
        }
        v->line = line;
        v->col = col;
        return v;
    }
    struct pyvalue *v = parse_atom(p);
    if (v && tok_is_op(&p->tok, "**")) {
        perror_at(p, p->tok.line, p->tok.col, "'**' is not supported in xm config files");
        pyv_free(v);
        return NULL;
    }
    return v;
}

static struct pyvalue *parse_term(struct parser *p)
{
    struct pyvalue *a = parse_factor(p);

    while (a && p->tok.kind == PT_OP) {
        if (tok_is_op(&p->tok, "/")) {
            perror_at(p, p->tok.line, p->tok.col, "'/' means different things in Python 2 and 3: "
                      "use // for integer division");
            pyv_free(a);
            return NULL;
        }
        if (!tok_is_op(&p->tok, "*") && !tok_is_op(&p->tok, "//") && !tok_is_op(&p->tok, "%"))
            break;
        char op[4];
        unsigned int line = p->tok.line, col = p->tok.col;
        memcpy(op, p->tok.op, sizeof(op));
        next(p);
        struct pyvalue *b = parse_factor(p);
        if (!b) {
            pyv_free(a);
            return NULL;
        }
        a = binop(p, op, a, b, line, col);
    }
    return a;
}

static struct pyvalue *parse_expr(struct parser *p)
{
    struct pyvalue *a = parse_term(p);

    while (a && (tok_is_op(&p->tok, "+") || tok_is_op(&p->tok, "-"))) {
        char op[4];
        unsigned int line = p->tok.line, col = p->tok.col;
        memcpy(op, p->tok.op, sizeof(op));
        next(p);
        struct pyvalue *b = parse_term(p);
        if (!b) {
            pyv_free(a);
            return NULL;
        }
        a = binop(p, op, a, b, line, col);
    }
    if (a && p->tok.kind == PT_OP && strchr("<>=!&|^~@`", p->tok.op[0]) && !tok_is_op(&p->tok, "=")) {
        perror_at(p, p->tok.line, p->tok.col, "operator '%s' is not supported in xm config files",
                  p->tok.op);
        pyv_free(a);
        return NULL;
    }
    if (a && p->tok.kind == PT_NAME && is_keyword(p->tok.text, p->tok.len) &&
        !tok_is_name(&p->tok, "for")) {
        perror_at(p, p->tok.line, p->tok.col, "'%.*s' is not supported in xm config files",
                  (int)p->tok.len, p->tok.text);
        pyv_free(a);
        return NULL;
    }
    return a;
}

/*
 * expr { ',' expr } [','] up to (not including) closer, NEWLINE, ';' or
 * '='. More than one expression, or a trailing comma, makes a tuple; such
 * a tuple is returned with line 0 so the caller can tell it from a
 * parenthesised one and give it its own position.
 */
static struct pyvalue *parse_exprlist(struct parser *p, const char *closer)
{
    struct pyvalue *first = parse_expr(p);

    if (!first || !tok_is_op(&p->tok, ","))
        return first;
    struct pyvalue *t = pyv_list(PYV_TUPLE, 0, 0);
    pyv_list_append(t, first);
    while (tok_is_op(&p->tok, ",")) {
        next(p);
        if ((closer && tok_is_op(&p->tok, closer)) || p->tok.kind == PT_NEWLINE ||
            p->tok.kind == PT_EOF || tok_is_op(&p->tok, ";"))
            break;
        struct pyvalue *v = parse_expr(p);
        if (!v) {
            pyv_free(t);
            return NULL;
        }
        pyv_list_append(t, v);
    }
    return t;
}

static void skip_statement(struct parser *p)
{
    while (p->tok.kind != PT_NEWLINE && p->tok.kind != PT_EOF)
        next(p);
}

static void assign(struct parser *p, const char *name, bool augmented, struct pyvalue *v,
                   unsigned int line, unsigned int col, unsigned int op_line, unsigned int op_col)
{
    struct pyconf_binding *b = pyconf_find(p->env, name);

    if (b && b->origin == PYCONF_CMDLINE) {
        /* The command line wins (xm's rule); remember where the file set it. */
        if (!b->file_line)
            b->file_line = line;
        pyv_free(v);
        return;
    }
    if (augmented) {
        if (!b) {
            perror_at(p, line, col, "'%s' is not set yet: '+=' extends an earlier '%s = ...'",
                      name, name);
            pyv_free(v);
            return;
        }
        struct pyvalue *r = binop(p, "+", pyv_clone(b->value), v, op_line, op_col);
        if (r) {
            r->line = b->value->line;
            r->col = b->value->col;
            pyv_free(b->value);
            b->value = r;
        }
        return;
    }
    if (b) {
        perror_at(p, line, col, "'%s' is already set at line %u; each setting may appear once "
                  "(use += to extend a list)", name, b->line);
        pyv_free(v);
        return;
    }
    pyconf_set(p->env, name, v, PYCONF_FILE, line, col);
}

static void parse_statement(struct parser *p)
{
    char d[64], name[128];

    if (p->tok.kind != PT_NAME) {
        if (p->tok.kind == PT_OP && strchr("([{", p->tok.op[0]))
            perror_at(p, p->tok.line, p->tok.col,
                      "expected a setting (NAME = VALUE), found %s: only assignments are allowed",
                      pytok_describe(&p->tok, d, sizeof(d)));
        else
            perror_at(p, p->tok.line, p->tok.col, "expected a setting (NAME = VALUE), found %s",
                      pytok_describe(&p->tok, d, sizeof(d)));
        return;
    }
    struct pytok nt = p->tok;
    if (is_keyword(nt.text, nt.len)) {
        perror_at(p, nt.line, nt.col, "'%.*s' statements are not supported: an xm config file "
                  "holds only NAME = VALUE settings", (int)nt.len, nt.text);
        return;
    }
    if (nt.len >= sizeof(name)) {
        perror_at(p, nt.line, nt.col, "setting name is too long");
        return;
    }
    memcpy(name, nt.text, nt.len);
    name[nt.len] = '\0';
    if (!strcmp(name, "True") || !strcmp(name, "False") || !strcmp(name, "None")) {
        perror_at(p, nt.line, nt.col, "cannot assign to %s", name);
        return;
    }
    next(p);
    if (tok_is_op(&p->tok, "(") || tok_is_op(&p->tok, ".") || tok_is_op(&p->tok, "[")) {
        unsupported_after_name(p, &nt);
        return;
    }
    if (tok_is_op(&p->tok, ",")) {
        perror_at(p, p->tok.line, p->tok.col, "assigning to several names at once is not supported");
        return;
    }
    bool augmented = tok_is_op(&p->tok, "+=");
    if (!augmented && !tok_is_op(&p->tok, "=")) {
        if (p->tok.kind == PT_OP && strlen(p->tok.op) >= 2 && p->tok.op[strlen(p->tok.op) - 1] == '=' &&
            strcmp(p->tok.op, "==") != 0)
            perror_at(p, p->tok.line, p->tok.col, "'%s' is not supported: only '=' and '+='", p->tok.op);
        else
            perror_at(p, p->tok.line, p->tok.col, "expected '=' after '%s', found %s", name,
                      pytok_describe(&p->tok, d, sizeof(d)));
        return;
    }
    unsigned int op_line = p->tok.line, op_col = p->tok.col;
    next(p);
    if (p->tok.kind == PT_NEWLINE || p->tok.kind == PT_EOF || tok_is_op(&p->tok, ";")) {
        perror_at(p, p->tok.line, p->tok.col, "expected a value after '%s %s'", name,
                  augmented ? "+=" : "=");
        return;
    }
    struct pyvalue *v = parse_exprlist(p, NULL);
    if (!v)
        return;
    if (v->type == PYV_TUPLE && v->line == 0) {
        v->line = v->u.list.items[0]->line;
        v->col = v->u.list.items[0]->col;
    }
    if (tok_is_op(&p->tok, "=")) {
        perror_at(p, p->tok.line, p->tok.col, "chained assignment (a = b = value) is not supported");
        pyv_free(v);
        return;
    }
    if (p->tok.kind != PT_NEWLINE && p->tok.kind != PT_EOF && !tok_is_op(&p->tok, ";")) {
        perror_at(p, p->tok.line, p->tok.col, "expected the end of the line after the value of '%s', "
                  "found %s", name, pytok_describe(&p->tok, d, sizeof(d)));
        pyv_free(v);
        return;
    }
    assign(p, name, augmented, v, nt.line, nt.col, op_line, op_col);
}

int pyconf_parse(struct pyconf *env, const char *file, const char *text, size_t len,
                 struct diags *diags)
{
    struct parser p = { .env = env, .diags = diags, .file = file, .allow_names = true };
    unsigned int errors = diags->errors;

    pylex_init(&p.lx, file, text, len, diags);
    p.tok.s = NULL;
    next(&p);
    while (p.tok.kind != PT_EOF) {
        p.stmt_failed = false;
        if (p.tok.kind == PT_NEWLINE) {
            next(&p);
            continue;
        }
        for (;;) {
            parse_statement(&p);
            if (p.stmt_failed)
                break;
            if (!tok_is_op(&p.tok, ";"))
                break;
            next(&p);
            if (p.tok.kind == PT_NEWLINE || p.tok.kind == PT_EOF)
                break;
        }
        skip_statement(&p);
    }
    pytok_clear(&p.tok);
    return diags->errors == errors ? 0 : -1;
}

struct pyvalue *pyconf_parse_literal(const char *file, const char *text, struct diags *diags)
{
    struct pyconf env;
    struct parser p = { .env = &env, .diags = diags, .file = file, .allow_names = false };
    struct pyvalue *v = NULL;
    char d[64];

    pyconf_init(&env);
    pylex_init(&p.lx, file, text, strlen(text), diags);
    p.tok.s = NULL;
    next(&p);
    v = parse_exprlist(&p, NULL);
    if (v && v->type == PYV_TUPLE && v->line == 0) {
        v->line = 1;
        v->col = 1;
    }
    if (v && !p.stmt_failed && p.tok.kind != PT_NEWLINE && p.tok.kind != PT_EOF) {
        perror_at(&p, p.tok.line, p.tok.col, "unexpected %s after the value",
                  pytok_describe(&p.tok, d, sizeof(d)));
    }
    if (v && p.stmt_failed) {
        pyv_free(v);
        v = NULL;
    }
    pytok_clear(&p.tok);
    pyconf_free(&env);
    return v;
}
