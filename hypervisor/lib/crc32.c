/* SPDX-License-Identifier: MIT */
/*
 * Table-driven CRC-32 (IEEE). The eight 256-entry tables for the
 * "slicing by 8" method are computed on first use (8 KiB of .bss); the boot
 * path that needs them is single-threaded.
 */
#include "xeno/crc32.h"
#include "xeno/types.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "crc32.c assumes a little-endian CPU"
#endif

#define CRC32_POLY 0xEDB88320u

static uint32_t crc32_tab[8][256];
static bool crc32_ready;

static void crc32_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (CRC32_POLY & (0u - (c & 1)));
        crc32_tab[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = crc32_tab[0][n];
        for (int t = 1; t < 8; t++) {
            c = (c >> 8) ^ crc32_tab[0][c & 0xFF];
            crc32_tab[t][n] = c;
        }
    }
    crc32_ready = true;
}

static inline uint32_t load_le32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof(v));
    return v;
}

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint32_t c = ~crc;

    if (unlikely(!crc32_ready))
        crc32_init();

    /* Byte steps until p is 8-byte aligned, then 8 bytes per step. */
    while (len && ((uintptr_t)p & 7)) {
        c = (c >> 8) ^ crc32_tab[0][(c ^ *p++) & 0xFF];
        len--;
    }
    while (len >= 8) {
        uint32_t lo = load_le32(p) ^ c;
        uint32_t hi = load_le32(p + 4);
        c = crc32_tab[7][lo & 0xFF] ^ crc32_tab[6][(lo >> 8) & 0xFF] ^
            crc32_tab[5][(lo >> 16) & 0xFF] ^ crc32_tab[4][lo >> 24] ^
            crc32_tab[3][hi & 0xFF] ^ crc32_tab[2][(hi >> 8) & 0xFF] ^
            crc32_tab[1][(hi >> 16) & 0xFF] ^ crc32_tab[0][hi >> 24];
        p += 8;
        len -= 8;
    }
    while (len--)
        c = (c >> 8) ^ crc32_tab[0][(c ^ *p++) & 0xFF];
    return ~c;
}
