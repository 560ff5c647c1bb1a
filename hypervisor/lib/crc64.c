/* SPDX-License-Identifier: MIT */
/*
 * Table-driven CRC-64/XZ (ECMA-182 polynomial, reflected). Slicing-by-8
 * tables (16 KiB of .bss) are computed on first use; the boot path that
 * needs them is single-threaded.
 */
#include "xeno/crc64.h"
#include "xeno/types.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "crc64.c assumes a little-endian CPU"
#endif

#define CRC64_POLY 0xC96C5795D7870F42ull

static uint64_t crc64_tab[8][256];
static bool crc64_ready;

static void crc64_init(void)
{
    for (uint64_t n = 0; n < 256; n++) {
        uint64_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (CRC64_POLY & (0ull - (c & 1)));
        crc64_tab[0][n] = c;
    }
    for (unsigned n = 0; n < 256; n++) {
        uint64_t c = crc64_tab[0][n];
        for (int t = 1; t < 8; t++) {
            c = (c >> 8) ^ crc64_tab[0][c & 0xFF];
            crc64_tab[t][n] = c;
        }
    }
    crc64_ready = true;
}

uint64_t crc64_update(uint64_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint64_t c = ~crc;

    if (unlikely(!crc64_ready))
        crc64_init();

    while (len && ((uintptr_t)p & 7)) {
        c = (c >> 8) ^ crc64_tab[0][(c ^ *p++) & 0xFF];
        len--;
    }
    while (len >= 8) {
        uint64_t v;
        __builtin_memcpy(&v, p, sizeof(v));
        v ^= c;
        c = crc64_tab[7][v & 0xFF] ^ crc64_tab[6][(v >> 8) & 0xFF] ^
            crc64_tab[5][(v >> 16) & 0xFF] ^ crc64_tab[4][(v >> 24) & 0xFF] ^
            crc64_tab[3][(v >> 32) & 0xFF] ^ crc64_tab[2][(v >> 40) & 0xFF] ^
            crc64_tab[1][(v >> 48) & 0xFF] ^ crc64_tab[0][v >> 56];
        p += 8;
        len -= 8;
    }
    while (len--)
        c = (c >> 8) ^ crc64_tab[0][(c ^ *p++) & 0xFF];
    return ~c;
}
