/* SPDX-License-Identifier: MIT */
#ifndef XENO_TYPES_H
#define XENO_TYPES_H

/* Freestanding headers only: these exist both for -ffreestanding and hosted builds. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;   /* machine (physical) address */
typedef uint64_t mfn_t;     /* machine frame number */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a)   (((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define ROUNDDOWN(x, a) ((x) & ~((typeof(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

/* x86-64 canonical address: bits 63..47 all equal (48-bit virtual addresses). */
static inline bool is_canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif
