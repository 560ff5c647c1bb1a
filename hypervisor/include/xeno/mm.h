/* SPDX-License-Identifier: MIT */
#ifndef XENO_MM_H
#define XENO_MM_H

#include <asm/config.h>
#include <xeno/bootinfo.h>
#include <xeno/page.h>
#include <xeno/types.h>

/* Every RAM frame, and all of the first 4 GiB (firmware tables, APIC, VGA),
 * is reachable through the direct map. */
#define __va(pa) ((void *)((unsigned long)(pa) + DIRECTMAP_VIRT_START))
paddr_t __pa(const void *va);

/* Page-table entry bits (SDM vol. 3, 4.5). */
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

#define PAGE_HYPERVISOR    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)
#define PAGE_HYPERVISOR_NX (PAGE_HYPERVISOR | _PAGE_NX)
#define PAGE_HYPERVISOR_UC (PAGE_HYPERVISOR_NX | _PAGE_PCD | _PAGE_PWT)

extern struct page_info *frame_table;
extern unsigned long max_page;           /* frames described by frame_table */
extern uint64_t *idle_pg_table;          /* the hypervisor's own L4 */

static inline struct page_info *mfn_to_page(unsigned long mfn) { return &frame_table[mfn]; }
static inline unsigned long page_to_mfn(const struct page_info *pg) { return pg - frame_table; }
static inline bool mfn_valid(unsigned long mfn) { return mfn < max_page; }

/* Build the frame table, allocator, direct map and heap from the sanitized
 * memory map.  Reserves the image, the modules and the low 1 MiB.  Stops the
 * boot with a clear message if memory is too small. */
void mm_init(struct boot_info *bi);

/* Map nr frames from mfn at va in the idle page table (and so in every address
 * space that shares the hypervisor's L4 slots).  0, -ENOMEM or -EINVAL. */
int map_pages(unsigned long va, unsigned long mfn, unsigned long nr, unsigned long flags);

/* Give each hypervisor L4 slot (256..271) its L3 so guest L4 copies stay valid. */
int paging_prepare_guest_slots(void);
/* Map frames read-only and readable from ring 3 (the M2P window). */
int map_pages_guest_ro(unsigned long va, unsigned long mfn, unsigned long nr);

/* The machine-to-phys table: m2p[mfn] = the owner's pfn, ~0 if none.
 * Guests read it at RO_MPT_VIRT_START. */
extern uint64_t *m2p;
#define INVALID_M2P_ENTRY (~0UL)
void m2p_init(void);
/* The memory map as the boot loader gave it (before the hypervisor's carving). */
struct e820map;
const struct e820map *firmware_memory_map(void);
/* Frames a privileged domain may map as I/O memory (not RAM, not ours). */
bool mfn_is_iomem(unsigned long mfn);

/* Page allocator: naturally aligned 2^order frames; returns the first MFN or -ENOMEM. */
long alloc_frames(unsigned int order);
long alloc_frames_below(unsigned int order, unsigned long limit_mfn);
int free_frames(unsigned long mfn, unsigned int order);
void *alloc_xenheap_pages(unsigned int order);          /* zeroed; NULL on failure */
void free_xenheap_pages(void *va, unsigned int order);
unsigned long free_page_count(void);
unsigned long total_page_count(void);
int mm_check(void);                                     /* allocator + heap consistency */

void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);
void xfree(void *p);
#define xmalloc(type) ((type *)xmalloc_bytes(sizeof(type)))
#define xzalloc(type) ((type *)xzalloc_bytes(sizeof(type)))
size_t xmalloc_used(void);

/* Low-memory page reserved for the AP start-up trampoline (physical address). */
extern paddr_t trampoline_phys;

#endif
