/* SPDX-License-Identifier: MIT */
/* VGA text mode (80x25 at 0xb8000), for console=vga on real machines. */
#include <asm/config.h>
#include <asm/cpu.h>
#include <xeno/serial.h>
#include <xeno/string.h>

#define COLS 80
#define ROWS 25
#define ATTR 0x0700

static volatile uint16_t *const vram = (volatile uint16_t *)(XEN_VIRT_START + 0xb8000);
static unsigned int row, col;
static bool active;

void vga_init(void)
{
    for (unsigned i = 0; i < COLS * ROWS; i++)
        vram[i] = ATTR | ' ';
    row = col = 0;
    active = true;
}

static void scroll(void)
{
    for (unsigned i = 0; i < COLS * (ROWS - 1); i++)
        vram[i] = vram[i + COLS];
    for (unsigned i = COLS * (ROWS - 1); i < COLS * ROWS; i++)
        vram[i] = ATTR | ' ';
    row = ROWS - 1;
}

void vga_putc(char c)
{
    if (!active)
        return;
    if (c == '\n') {
        col = 0;
        if (++row == ROWS)
            scroll();
        return;
    }
    if (c == '\r')
        return;
    vram[row * COLS + col] = ATTR | (uint8_t)c;
    if (++col == COLS) {
        col = 0;
        if (++row == ROWS)
            scroll();
    }
}
