/* SPDX-License-Identifier: MIT */
#ifndef XENO_CRC64_H
#define XENO_CRC64_H

#include "xeno/types.h"

/*
 * CRC-64 as used by the xz container: ECMA-182 polynomial in reflected form
 * (0xC96C5795D7870F42), initial value and final XOR all ones.
 * Same chaining convention as crc32_update(): start with crc = 0.
 */
uint64_t crc64_update(uint64_t crc, const void *buf, size_t len);

#endif
