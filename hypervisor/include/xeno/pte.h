/* SPDX-License-Identifier: MIT */
#ifndef XENO_PTE_H
#define XENO_PTE_H

/*
 * x86-64 page-table entry bits (SDM vol. 3, 4.5) plus the bits the Xen PV
 * ABI gives a meaning to. Pure: no hardware access, usable hosted.
 *
 * The first block repeats xeno/mm.h token for token, so a file including
 * both compiles (an identical redefinition is legal C; a differing one is a
 * -Werror failure, which keeps the two copies honest).
 */

#include "xeno/types.h"

#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_USER     0x004UL
#define _PAGE_PWT      0x008UL
#define _PAGE_PCD      0x010UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL
#define _PAGE_PSE      0x080UL
#define _PAGE_GLOBAL   0x100UL
#define _PAGE_NX       (1UL << 63)
#define PADDR_MASK     0x000ffffffffff000UL

/* In an L1 entry bit 7 selects the PAT entry instead of a superpage. */
#define _PAGE_PAT        0x080UL
#define PAGE_CACHE_ATTRS (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT)

/* Software-available bits: 9..11 and 52..62, guests may use them freely. */
#define _PAGE_AVAIL      0xe00UL
#define _PAGE_AVAIL_HIGH (0x7ffUL << 52)

/*
 * Bit 62: Xen marks PTEs installed by the grant-table code (_PAGE_GNTTAB),
 * so ordinary L1 updates may not set it.
 */
#define _PAGE_GNTTAB     (1UL << 62)

/*
 * Bit 52: Xen's _PAGE_GUEST_KERNEL. Every present 64-bit PV entry carries
 * _PAGE_USER (the guest kernel runs in ring 3), so the hypervisor records
 * in this software bit that the guest asked for a supervisor-only L1 entry.
 */
#define _PAGE_GUEST_KERNEL (1UL << 52)

#define PTE_ENTRIES    512U   /* entries in one table frame, every level */

static inline unsigned long pte_mfn(uint64_t pte) { return (unsigned long)((pte & PADDR_MASK) >> 12); }

#endif
