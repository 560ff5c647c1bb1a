/* SPDX-License-Identifier: MIT */
/*
 * A small vsnprintf for the test guests: %d %i %u %x %X %o %p %s %c %%,
 * with flags '-', '0', '#', a width (or '*'), a precision for %s, and the
 * length modifiers h, hh, l, ll, z.  No floating point: the guests are
 * built with -mgeneral-regs-only.
 */
#include "xtest.h"

struct out {
    char *buf;
    size_t size;
    size_t len;     /* characters produced so far (may exceed size) */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
                       bool left, char pad)
{
    size_t i;
    int fill = width > (int)n ? width - (int)n : 0;

    /* Zero padding goes after a sign so "-0005" comes out right. */
    if (!left && pad == '0' && n && (s[0] == '-')) {
        put(o, '-');
        s++;
        n--;
    }
    if (!left)
        while (fill-- > 0)
            put(o, pad);
    for (i = 0; i < n; i++)
        put(o, s[i]);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static size_t fmt_unsigned(char *tmp, unsigned long long v, unsigned base,
                           bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    size_t n = 0, i;

    do {
        rev[n++] = digits[v % base];
        v /= base;
    } while (v);
    for (i = 0; i < n; i++)
        tmp[i] = rev[n - 1 - i];
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        bool left = false, alt = false;
        char pad = ' ';
        int width = 0, prec = -1, lng = 0;
        char tmp[32];
        size_t n = 0;
        unsigned long long u;
        long long s;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-')
                left = true;
            else if (*fmt == '0')
                pad = '0';
            else if (*fmt == '#')
                alt = true;
            else
                break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        for (;; fmt++) {
            if (*fmt == 'l' || *fmt == 'z')
                lng++;
            else if (*fmt == 'h')
                lng--;
            else
                break;
        }

        switch (*fmt) {
        case 'd':
        case 'i':
            if (lng > 0)
                s = lng > 1 ? va_arg(ap, long long) : va_arg(ap, long);
            else
                s = va_arg(ap, int);
            if (lng == -1)
                s = (short)s;
            else if (lng <= -2)
                s = (signed char)s;
            if (s < 0) {
                tmp[n++] = '-';
                u = -(unsigned long long)s;
            } else {
                u = s;
            }
            n += fmt_unsigned(tmp + n, u, 10, false);
            put_padded(&o, tmp, n, width, left, pad);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            if (lng > 0)
                u = lng > 1 ? va_arg(ap, unsigned long long)
                            : va_arg(ap, unsigned long);
            else
                u = va_arg(ap, unsigned int);
            if (lng == -1)
                u = (unsigned short)u;
            else if (lng <= -2)
                u = (unsigned char)u;
            if (alt && (*fmt == 'x' || *fmt == 'X')) {
                tmp[n++] = '0';
                tmp[n++] = 'x';
            }
            n += fmt_unsigned(tmp + n, u,
                              *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
                              *fmt == 'X');
            put_padded(&o, tmp, n, width, left, pad);
            break;
        case 'p':
            u = (unsigned long)va_arg(ap, void *);
            tmp[n++] = '0';
            tmp[n++] = 'x';
            n += fmt_unsigned(tmp + n, u, 16, false);
            put_padded(&o, tmp, n, width, left, pad);
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);

            if (!str)
                str = "(null)";
            n = prec >= 0 ? strnlen(str, prec) : strlen(str);
            put_padded(&o, str, n, width, left, ' ');
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            put_padded(&o, tmp, 1, width, left, ' ');
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--;          /* stray '%' at the end: stop cleanly */
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
