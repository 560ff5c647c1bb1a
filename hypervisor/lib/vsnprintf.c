/* SPDX-License-Identifier: MIT */
/*
 * printf formatting for the hypervisor: flags - 0 + space #, width, precision,
 * length hh h l ll z t j, conversions d i u x X o c s p %.  No floating point.
 */
#include <stdarg.h>
#include <xeno/lib.h>

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;
    if (!left)
        while (fill-- > 0)
            put(o, pad);
    while (n--)
        put(o, *s++);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static void put_number(struct out *o, unsigned long long v, bool neg, unsigned base, bool upper,
                       int width, int prec, bool left, bool zero, char sign, bool alt)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    while (n < prec && n < (int)sizeof(tmp))
        tmp[n++] = '0';
    char prefix[3];
    int np = 0;
    if (neg)
        prefix[np++] = '-';
    else if (sign)
        prefix[np++] = sign;
    if (alt && base == 16) {
        prefix[np++] = '0';
        prefix[np++] = upper ? 'X' : 'x';
    }
    int total = n + np;
    int fill = width > total ? width - total : 0;
    if (!left && !(zero && prec < 0))
        while (fill-- > 0)
            put(o, ' ');
    for (int i = 0; i < np; i++)
        put(o, prefix[i]);
    if (!left && zero && prec < 0)
        while (fill-- > 0)
            put(o, '0');
    while (n)
        put(o, tmp[--n]);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        bool left = false, zero = false, alt = false;
        char sign = 0;
        for (;; fmt++) {
            char f = fmt[1];
            if (f == '-') left = true;
            else if (f == '0') zero = true;
            else if (f == '+') sign = '+';
            else if (f == ' ') { if (!sign) sign = ' '; }
            else if (f == '#') alt = true;
            else break;
        }
        fmt++;
        int width = 0, prec = -1;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) { left = true; width = -width; }
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
        int lng = 0;   /* 0 int, 1 long, 2 long long, -1 short, -2 char */
        for (;; fmt++) {
            if (*fmt == 'l') lng++;
            else if (*fmt == 'h') lng--;
            else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') lng = 1;
            else break;
        }
        char c = *fmt;
        if (!c)
            break;
        switch (c) {
        case 'd':
        case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            if (lng == -1) v = (short)v;
            if (lng <= -2) v = (signed char)v;
            unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
            put_number(&o, u, v < 0, 10, false, width, prec, left, zero, sign, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long)
                                 : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if (lng == -1) v = (unsigned short)v;
            if (lng <= -2) v = (unsigned char)v;
            unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
            put_number(&o, v, false, base, c == 'X', width, prec, left, zero, 0, alt);
            break;
        }
        case 'p':
            put_number(&o, (unsigned long)va_arg(ap, void *), false, 16, false, width ? width : 16,
                       prec, left, true, 0, false);
            break;
        case 'c': {
            char ch = (char)va_arg(ap, int);
            put_padded(&o, &ch, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t n = prec >= 0 ? strnlen(s, prec) : strlen(s);
            put_padded(&o, s, n, width, left, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:
            put(&o, '%');
            put(&o, c);
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
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
