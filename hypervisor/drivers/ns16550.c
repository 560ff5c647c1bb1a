/* SPDX-License-Identifier: MIT */
/* 16550 UART, polled: the console must work before interrupts do and in panic. */
#include <asm/cpu.h>
#include <xeno/errno.h>
#include <xeno/serial.h>
#include <xeno/string.h>

#define THR 0   /* transmit holding (DLAB=0) */
#define RBR 0
#define DLL 0   /* divisor latch (DLAB=1) */
#define IER 1
#define DLM 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define SCR 7
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define LCR_DLAB 0x80
#define UART_CLOCK 1843200u   /* 1.8432 MHz crystal: divisor = 115200 / baud */

static unsigned long parse_dec(const char **p, bool *ok)
{
    unsigned long v = 0;
    const char *s = *p;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    *ok = false;
    for (;; s++) {
        int d;
        if (*s >= '0' && *s <= '9') d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F') d = *s - 'A' + 10;
        else break;
        v = v * base + d;
        *ok = true;
        if (v > 0xffffffffu) { *ok = false; return 0; }
    }
    *p = s;
    return v;
}

int ns16550_parse(const char *s, struct ns16550 *u)
{
    struct ns16550 t = *u;
    bool ok;

    if (!strncmp(s, "auto", 4)) {
        t.baud = 0;
        s += 4;
    } else {
        t.baud = parse_dec(&s, &ok);
        if (!ok || t.baud == 0)
            return -EINVAL;
    }
    if (*s == '/') {            /* base clock: accepted, we assume the standard crystal */
        s++;
        parse_dec(&s, &ok);
        if (!ok)
            return -EINVAL;
    }
    if (*s == ',') {
        s++;
        if (*s >= '5' && *s <= '8' && s[1] && s[2] >= '1' && s[2] <= '2') {
            char p = s[1] | 0x20;
            if (p != 'n' && p != 'o' && p != 'e' && p != 'm' && p != 's')
                return -EINVAL;
            t.data_bits = s[0] - '0';
            t.parity = p;
            t.stop_bits = s[2] - '0';
            s += 3;
        } else if (*s != ',') {
            return -EINVAL;
        }
        if (*s == ',') {
            s++;
            unsigned long io = parse_dec(&s, &ok);
            if (!ok || io > 0xffff)
                return -EINVAL;
            t.io_base = io;
            if (*s == ',') {
                s++;
                unsigned long irq = parse_dec(&s, &ok);
                if (!ok || irq > 255)
                    return -EINVAL;
                t.irq = irq;
            }
        }
    }
    if (*s)
        return -EINVAL;
    *u = t;
    return 0;
}

void ns16550_init(struct ns16550 *u)
{
    uint16_t io = u->io_base;

    outb(io + SCR, 0x5a);
    if (inb(io + SCR) != 0x5a) {
        u->present = false;
        return;
    }
    outb(io + IER, 0);
    uint8_t lcr = (u->data_bits - 5) | ((u->stop_bits - 1) << 2);
    switch (u->parity) {
    case 'o': lcr |= 0x08; break;
    case 'e': lcr |= 0x18; break;
    case 'm': lcr |= 0x28; break;
    case 's': lcr |= 0x38; break;
    default: break;
    }
    if (u->baud) {
        uint32_t div = UART_CLOCK / 16 / u->baud;
        if (!div)
            div = 1;
        outb(io + LCR, LCR_DLAB);
        outb(io + DLL, div & 0xff);
        outb(io + DLM, div >> 8);
    }
    outb(io + LCR, lcr);
    outb(io + FCR, 0x07);   /* enable and clear FIFOs */
    outb(io + MCR, 0x03);   /* DTR | RTS */
    u->present = true;
}

void ns16550_putc(struct ns16550 *u, char c)
{
    if (!u->present)
        return;
    /* Bounded wait: a wedged UART must not hang the hypervisor. */
    for (unsigned i = 0; i < 100000 && !(inb(u->io_base + LSR) & LSR_THRE); i++)
        cpu_relax();
    outb(u->io_base + THR, c);
}

int ns16550_getc(struct ns16550 *u)
{
    if (!u->present || !(inb(u->io_base + LSR) & LSR_DR))
        return -1;
    return inb(u->io_base + RBR);
}
