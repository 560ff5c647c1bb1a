/* SPDX-License-Identifier: MIT */
#ifndef XENO_CRC32_H
#define XENO_CRC32_H

#include "xeno/types.h"

/*
 * CRC-32 as used by gzip, zlib, xz and Ethernet (IEEE 802.3, reflected
 * polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF).
 * Start with crc = 0; pass the previous result to continue over more data:
 * crc32_update(crc32_update(0, a, n), b, m) == CRC of a||b.
 */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
