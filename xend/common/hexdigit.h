/* SPDX-License-Identifier: MIT */
/* The value of a hexadecimal digit (either case), or -1: one rule for the
 * config lexer, SXP escapes, MAC addresses and UUIDs. */
#ifndef XEND_COMMON_HEXDIGIT_H
#define XEND_COMMON_HEXDIGIT_H

static inline int hex_digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
