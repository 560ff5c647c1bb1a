/* SPDX-License-Identifier: MIT */
#ifndef XENO_SERIAL_H
#define XENO_SERIAL_H

#include <xeno/types.h>

/* A 16550-compatible UART on port I/O, configured with Xen's com1=/com2= syntax. */
struct ns16550 {
    uint16_t io_base;
    uint32_t baud;          /* 0: leave the divisor the firmware set ("auto") */
    uint8_t data_bits;      /* 5..8 */
    char parity;            /* 'n', 'o', 'e', 'm', 's' */
    uint8_t stop_bits;      /* 1 or 2 */
    uint8_t irq;
    bool present;
};

/* Parse "<baud>|auto[/<clock>][,DPS[,<io-base>[,<irq>]]]" (Xen's com1= value)
 * into *u, keeping defaults for absent fields.  0 or -EINVAL (u untouched). */
int ns16550_parse(const char *s, struct ns16550 *u);
/* Program the UART; sets u->present when the scratch register answers. */
void ns16550_init(struct ns16550 *u);
void ns16550_putc(struct ns16550 *u, char c);
/* Next received byte, or -1 if none is waiting. */
int ns16550_getc(struct ns16550 *u);

void vga_init(void);
void vga_putc(char c);

#endif
