/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own page table (the "idle" L4): the image window kept from
 * boot (slot 261) and the direct map (slots 262+).  Later, guest L4s copy the
 * hypervisor slots from here, so a mapping made with map_pages() is seen in
 * every address space.
 */
#include <asm/cpu.h>
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/shutdown.h>
#include <xeno/spinlock.h>
#include "mm_internal.h"

uint64_t *idle_pg_table;
static bool directmap_ready;
static spinlock_t map_lock = SPIN_LOCK_UNLOCKED;

#define TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

extern char __image_start[], __image_end[];
extern uint64_t boot_l4[];

paddr_t __pa(const void *va)
{
    unsigned long v = (unsigned long)va;
    if (v >= DIRECTMAP_VIRT_START && v < DIRECTMAP_VIRT_END)
        return v - DIRECTMAP_VIRT_START;
    if (v >= XEN_VIRT_START && v < XEN_VIRT_START + XEN_VIRT_SIZE)
        return v - XEN_VIRT_START;
    panic("__pa(%p): not a direct-map or image address", va);
}

/* Page-table pages are reached through the image window (physical < 1 GiB)
 * until the direct map exists. */
static uint64_t *table_va(paddr_t pa)
{
    if (directmap_ready)
        return __va(pa);
    BUG_ON(pa >= XEN_VIRT_SIZE);
    return (uint64_t *)(XEN_VIRT_START + pa);
}

static unsigned long table_extra_flags;   /* _PAGE_USER while building guest-visible maps */

static int new_table(uint64_t *entry)
{
    paddr_t pa;
    if (directmap_ready) {
        long mfn = alloc_frames(0);
        if (mfn < 0)
            return -ENOMEM;
        pa = (paddr_t)mfn << PAGE_SHIFT;
    } else {
        pa = boot_alloc_pages(1, XEN_VIRT_SIZE);
        if (!pa)
            return -ENOMEM;
    }
    memset(table_va(pa), 0, PAGE_SIZE);
    *entry = pa | TABLE_FLAGS | table_extra_flags;
    return 0;
}

/* Walk to the entry mapping va at the given level (1 = L1 .. 3 = L3), creating
 * tables on the way.  A large page in the way is a caller bug (-EINVAL). */
static int walk(unsigned long va, int level, uint64_t **out)
{
    uint64_t *t = idle_pg_table;
    for (int l = 4; l > level; l--) {
        uint64_t *e = &t[(va >> (12 + 9 * (l - 1))) & 511];
        if (!(*e & _PAGE_PRESENT)) {
            int rc = new_table(e);
            if (rc)
                return rc;
        } else if (*e & _PAGE_PSE) {
            return -EINVAL;
        }
        t = table_va(*e & PADDR_MASK);
    }
    *out = &t[(va >> (12 + 9 * (level - 1))) & 511];
    return 0;
}

static int map_range(unsigned long va, paddr_t pa, uint64_t len, unsigned long flags, bool large)
{
    while (len) {
        uint64_t *e;
        int rc;
        if (large && !((va | pa) & ((2UL << 20) - 1)) && len >= (2UL << 20)) {
            rc = walk(va, 2, &e);
            if (rc)
                return rc;
            *e = pa | flags | _PAGE_PSE;
            va += 2UL << 20, pa += 2UL << 20, len -= 2UL << 20;
        } else {
            rc = walk(va, 1, &e);
            if (rc)
                return rc;
            *e = pa | flags;
            invlpg(va);
            va += PAGE_SIZE, pa += PAGE_SIZE, len -= PAGE_SIZE;
        }
    }
    return 0;
}

int map_pages(unsigned long va, unsigned long mfn, unsigned long nr, unsigned long flags)
{
    if ((va & ~PAGE_MASK) || va < HYPERVISOR_VIRT_START || va + nr * PAGE_SIZE > HYPERVISOR_VIRT_END)
        return -EINVAL;
    spin_lock(&map_lock);
    int rc = map_range(va, (paddr_t)mfn << PAGE_SHIFT, nr * PAGE_SIZE, flags, false);
    spin_unlock(&map_lock);
    return rc;
}

void paging_init(const struct e820map *m)
{
    paddr_t l4 = boot_alloc_pages(1, XEN_VIRT_SIZE);
    if (!l4)
        boot_fatal("no memory below 1 GiB for the hypervisor page tables");
    idle_pg_table = table_va(l4);
    memset(idle_pg_table, 0, PAGE_SIZE);
    /* The image window: same L3 as the boot tables. */
    idle_pg_table[L4_SLOT_XEN_IMAGE] = boot_l4[L4_SLOT_XEN_IMAGE];

    /* The first 4 GiB whole (firmware tables, local APIC, VGA live there),
     * then every RAM range above it.  The MTRRs keep MMIO uncached. */
    if (map_range(DIRECTMAP_VIRT_START, 0, 4UL << 30, PAGE_HYPERVISOR_NX, true))
        boot_fatal("out of memory building the direct map");
    for (unsigned int i = 0; i < m->nr; i++) {
        const struct e820entry *e = &m->map[i];
        uint64_t s = ROUNDDOWN(e->addr, PAGE_SIZE), end = ROUNDUP(e->addr + e->size, PAGE_SIZE);
        if (e->type == E820_ACPI || e->type == E820_NVS || e->type == E820_UNUSABLE ||
            e->type == E820_RESERVED || end <= (4UL << 30))
            continue;
        if (s < (4UL << 30))
            s = 4UL << 30;
        if (end > DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)
            boot_fatal("RAM above %lu TiB is not supported",
                       (DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START) >> 40);
        if (map_range(DIRECTMAP_VIRT_START + s, s, end - s, PAGE_HYPERVISOR_NX, true))
            boot_fatal("out of memory building the direct map");
    }
    /* The AP trampoline runs with paging on at its physical address, so it
     * needs an identity mapping of its own page; nothing else low is mapped,
     * so a NULL dereference in the hypervisor still faults. */
    if (map_range(trampoline_phys, trampoline_phys, PAGE_SIZE, PAGE_HYPERVISOR & ~_PAGE_GLOBAL, false))
        boot_fatal("out of memory mapping the AP trampoline");
    write_cr4(read_cr4() | X86_CR4_PGE);
    write_cr3(l4);
    directmap_ready = true;
    idle_pg_table = __va(l4);
}

/*
 * Guest L4s copy slots 256..271 from the idle table when they are validated,
 * so those entries must never change afterwards: give every slot its L3 now.
 * Slot 256 (the read-only M2P) is the one guests may read, so its upper
 * levels carry _PAGE_USER (the guest kernel runs in ring 3).
 */
int paging_prepare_guest_slots(void)
{
    spin_lock(&map_lock);
    for (unsigned int slot = 256; slot <= 271; slot++) {
        if (idle_pg_table[slot] & _PAGE_PRESENT)
            continue;
        table_extra_flags = slot == 256 ? _PAGE_USER : 0;
        int rc = new_table(&idle_pg_table[slot]);
        table_extra_flags = 0;
        if (rc) {
            spin_unlock(&map_lock);
            return rc;
        }
    }
    spin_unlock(&map_lock);
    return 0;
}

int map_pages_guest_ro(unsigned long va, unsigned long mfn, unsigned long nr)
{
    spin_lock(&map_lock);
    table_extra_flags = _PAGE_USER;
    int rc = map_range(va, (paddr_t)mfn << PAGE_SHIFT, nr * PAGE_SIZE,
                       _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX, false);
    table_extra_flags = 0;
    spin_unlock(&map_lock);
    return rc;
}
