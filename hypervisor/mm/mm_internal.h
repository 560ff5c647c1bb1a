/* SPDX-License-Identifier: MIT */
/* Interfaces private to mm/. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <xeno/e820.h>
#include <xeno/types.h>

/* Memory-map types for RAM claimed at boot (not handed to the allocator). */
#define E820_XEN      0xf0      /* hypervisor image, boot page tables, frame table */
#define E820_MODULE   0xf1      /* boot modules, freed once the domain builder is done */

/* Take nr contiguous RAM pages below limit from the boot memory map (highest
 * fit first) and retype them E820_XEN.  Returns the physical address, 0 if none. */
paddr_t boot_alloc_pages(unsigned long nr, uint64_t limit);
void paging_init(const struct e820map *m);

#endif
