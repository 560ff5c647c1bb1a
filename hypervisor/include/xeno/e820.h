/* SPDX-License-Identifier: MIT */
#ifndef XENO_E820_H
#define XENO_E820_H

/*
 * The machine memory map in BIOS e820 form (ACPI "Address Range Types";
 * the same numbers appear in multiboot memory maps).
 *
 * A map is "sanitized" when its entries are sorted by address, do not
 * overlap, have non-zero size, and no two touching entries have the same
 * type.
 *
 * Types other than the five below are kept as they are: the hypervisor
 * uses private ones (e.g. for its own image) on its boot map. Like
 * E820_RESERVED they are never RAM.
 *
 * Boot-time code: e820_sanitize() and e820_change_type() share one static
 * scratch map, so they must not run concurrently.
 */

#include "xeno/types.h"

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_UNUSABLE 5

#define E820MAX 128

struct e820entry { uint64_t addr, size; uint32_t type; };
struct e820map { unsigned int nr; struct e820entry map[E820MAX]; };

/*
 * Append [addr, addr + size) as given (no sorting or merging).
 * -EINVAL for size 0 or a range that does not end below 2^64;
 * -ENOSPC when the map is full.
 */
int e820_add(struct e820map *m, uint64_t addr, uint64_t size, uint32_t type);

/*
 * Sanitize m. Where entries overlap, any non-RAM type beats RAM, and
 * between two non-RAM types the higher type number wins, as in Linux's
 * sanitize_e820_map (type 0 included: it is not RAM either). Entries that
 * run past 2^64 - 1 are cut there; entries beyond m->nr == E820MAX are
 * ignored. Returns 0, or -ENOSPC (m unchanged) if the result needs more
 * than E820MAX entries.
 */
int e820_sanitize(struct e820map *m);

/*
 * Retype the parts of [start, end) that currently have old_type to
 * new_type (any value, private types included). m is sanitized first and
 * stays sanitized. An empty range is a no-op. Returns 0, or
 * -ENOSPC with no retyping done (m may have been sanitized).
 */
int e820_change_type(struct e820map *m, uint64_t start, uint64_t end,
                     uint32_t old_type, uint32_t new_type);

/* Bytes of that type (meaningful on a sanitized map). */
uint64_t e820_total(const struct e820map *m, uint32_t type);

/* Highest end address of that type, 0 if none. */
uint64_t e820_end_of(const struct e820map *m, uint32_t type);

/* Is every byte of [start, end) of that type? True for an empty range. */
bool e820_all_of_type(const struct e820map *m, uint64_t start, uint64_t end,
                      uint32_t type);

/* "RAM", "RESERVED", "ACPI", "ACPI NVS", "UNUSABLE", else "UNKNOWN". */
const char *e820_type_name(uint32_t type);

#endif
