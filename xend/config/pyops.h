/* SPDX-License-Identifier: MIT */
/* Binary operators of the xm config language (internal to xend/config). */
#ifndef XEND_CONFIG_PYOPS_H
#define XEND_CONFIG_PYOPS_H

#include <stdbool.h>

#include "../common/strbuf.h"

struct pyvalue;

/* Where and why an operation failed; msg must start empty (STRBUF_INIT). */
struct pyops_error {
    bool failed;
    unsigned int line;
    unsigned int col;
    struct strbuf msg;
};

/*
 * a OP b for op in "+", "-", "*", "//", "%". Consumes a and b. Returns the
 * result (at a's position), or NULL with the reason in e (at the operator,
 * op_line:op_col, or at the expression for size limits).
 */
struct pyvalue *pyops_binary(const char *op, struct pyvalue *a, struct pyvalue *b,
                             unsigned int op_line, unsigned int op_col, struct pyops_error *e);

#endif
