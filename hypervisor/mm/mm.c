/* SPDX-License-Identifier: MIT */
/*
 * Memory bring-up and the hypervisor's allocator front end: frame table over
 * all RAM, the buddy allocator (mm/buddy.c) for frames, the small-object heap
 * (mm/xmalloc.c) on top.  One lock each; the pure allocators take none.
 */
#include <asm/cpu.h>
#include <xeno/acpi.h>
#include <xeno/buddy.h>
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/param.h>
#include <xeno/shutdown.h>
#include <xeno/spinlock.h>
#include <xeno/xmalloc.h>
#include "mm_internal.h"

/* Below this the hypervisor cannot even hold its own structures and a dom0. */
#define MIN_RAM_BYTES (32UL << 20)

struct page_info *frame_table;
unsigned long max_page;
paddr_t trampoline_phys;

static struct e820map *boot_map;
static struct e820map firmware_map;     /* the loader's map before we retyped RAM */
static struct buddy buddy;
static spinlock_t buddy_lock = SPIN_LOCK_UNLOCKED;
static struct heap heap;
static spinlock_t heap_lock = SPIN_LOCK_UNLOCKED;

extern char __image_start[], __image_end[];

paddr_t boot_alloc_pages(unsigned long nr, uint64_t limit)
{
    uint64_t bytes = nr * PAGE_SIZE;
    for (int i = (int)boot_map->nr - 1; i >= 0; i--) {
        const struct e820entry *e = &boot_map->map[i];
        if (e->type != E820_RAM)
            continue;
        uint64_t end = MIN(ROUNDDOWN(e->addr + e->size, PAGE_SIZE), limit);
        uint64_t start = ROUNDUP(e->addr, PAGE_SIZE);
        if (end < start + bytes || end < bytes)
            continue;
        paddr_t pa = end - bytes;
        if (e820_change_type(boot_map, pa, pa + bytes, E820_RAM, E820_XEN))
            return 0;
        return pa;
    }
    return 0;
}

static void reserve(uint64_t start, uint64_t end, uint32_t type, const char *what)
{
    start = ROUNDDOWN(start, PAGE_SIZE);
    end = ROUNDUP(end, PAGE_SIZE);
    if (e820_change_type(boot_map, start, end, E820_RAM, type))
        boot_fatal("memory map too fragmented to reserve %s", what);
}

static void pick_trampoline(void)
{
    /* Real-mode code for the APs: one page below 640 KiB, above the BIOS data area. */
    for (paddr_t pa = 0x9e000; pa >= 0x1000; pa -= PAGE_SIZE)
        if (e820_all_of_type(boot_map, pa, pa + PAGE_SIZE, E820_RAM)) {
            trampoline_phys = pa;
            return;
        }
    boot_fatal("no free RAM page below 640 KiB for the AP start-up trampoline");
}

static void *heap_page_alloc(void *ctx, unsigned int order)
{
    (void)ctx;
    return alloc_xenheap_pages(order);
}

static void heap_page_free(void *ctx, void *va, unsigned int order)
{
    (void)ctx;
    free_xenheap_pages(va, order);
}

void mm_init(struct boot_info *bi)
{
    boot_map = &bi->mmap;
    firmware_map = bi->mmap;
    uint64_t ram = e820_total(boot_map, E820_RAM);
    if (ram < MIN_RAM_BYTES)
        boot_fatal("the memory map gives %lu KiB of RAM; Xeno needs at least %lu MiB",
                   (unsigned long)(ram >> 10), MIN_RAM_BYTES >> 20);
    max_page = e820_end_of(boot_map, E820_RAM) >> PAGE_SHIFT;

    pick_trampoline();
    reserve(0, 1UL << 20, E820_XEN, "low memory");
    reserve(__pa(__image_start), __pa(__image_end), E820_XEN, "the hypervisor image");
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *mod = &bi->mods[i];
        if (!e820_all_of_type(boot_map, ROUNDDOWN(mod->start, PAGE_SIZE), ROUNDUP(mod->end, PAGE_SIZE), E820_RAM))
            boot_fatal("module %u [%#lx, %#lx) is not in RAM (corrupt boot loader data?)",
                       i + 1, (unsigned long)mod->start, (unsigned long)mod->end);
        reserve(mod->start, mod->end, E820_MODULE, "a boot module");
    }

    paging_init(boot_map);

    unsigned long ft_pages = ROUNDUP(max_page * sizeof(struct page_info), PAGE_SIZE) >> PAGE_SHIFT;
    paddr_t ft = boot_alloc_pages(ft_pages, ~0ULL);
    if (!ft)
        boot_fatal("no room for the frame table (%lu KiB)", ft_pages * 4);
    frame_table = __va(ft);
    memset(frame_table, 0, ft_pages * PAGE_SIZE);

    buddy_init(&buddy, frame_table, max_page);
    for (unsigned int i = 0; i < boot_map->nr; i++) {
        const struct e820entry *e = &boot_map->map[i];
        if (e->type != E820_RAM)
            continue;
        unsigned long s = ROUNDUP(e->addr, PAGE_SIZE) >> PAGE_SHIFT;
        unsigned long end = ROUNDDOWN(e->addr + e->size, PAGE_SIZE) >> PAGE_SHIFT;
        if (end > s && buddy_free_range(&buddy, s, end - s))
            boot_fatal("allocator refused RAM range [%#lx, %#lx)", s << PAGE_SHIFT, end << PAGE_SHIFT);
    }
    for (unsigned long mfn = 0; mfn < max_page; mfn++)
        if (!(frame_table[mfn].count_info & PGC_free))
            frame_table[mfn].owner = PAGE_OWNER_XEN;

    static const struct heap_pages_ops ops = { heap_page_alloc, heap_page_free, NULL };
    heap_init(&heap, &ops);

    printk("Memory: %lu MiB RAM, %lu MiB free, frame table %lu KiB, max page %#lx\n",
           (unsigned long)(ram >> 20), free_page_count() >> 8, ft_pages * 4, max_page);
}

long alloc_frames(unsigned int order)
{
    unsigned long f = spin_lock_irqsave(&buddy_lock);
    long mfn = buddy_alloc(&buddy, order);
    spin_unlock_irqrestore(&buddy_lock, f);
    return mfn;
}

long alloc_frames_below(unsigned int order, unsigned long limit_mfn)
{
    unsigned long f = spin_lock_irqsave(&buddy_lock);
    long mfn = buddy_alloc_below(&buddy, order, limit_mfn);
    spin_unlock_irqrestore(&buddy_lock, f);
    return mfn;
}

int free_frames(unsigned long mfn, unsigned int order)
{
    unsigned long f = spin_lock_irqsave(&buddy_lock);
    int rc = buddy_free(&buddy, mfn, order);
    spin_unlock_irqrestore(&buddy_lock, f);
    if (rc)
        printk(XENLOG_ERR "free_frames(mfn %#lx, order %u) refused: %d\n", mfn, order, rc);
    return rc;
}

void *alloc_xenheap_pages(unsigned int order)
{
    long mfn = alloc_frames(order);
    if (mfn < 0)
        return NULL;
    void *va = __va((paddr_t)mfn << PAGE_SHIFT);
    memset(va, 0, PAGE_SIZE << order);
    return va;
}

void free_xenheap_pages(void *va, unsigned int order)
{
    if (va)
        free_frames(__pa(va) >> PAGE_SHIFT, order);
}

unsigned long free_page_count(void) { return buddy_free_pages(&buddy); }
unsigned long total_page_count(void) { return buddy.total_pages; }

int mm_check(void)
{
    unsigned long f = spin_lock_irqsave(&buddy_lock);
    int rc = buddy_check(&buddy);
    spin_unlock_irqrestore(&buddy_lock, f);
    f = spin_lock_irqsave(&heap_lock);
    int rc2 = heap_check(&heap);
    spin_unlock_irqrestore(&heap_lock, f);
    return rc ? rc : rc2;
}

void *xmalloc_bytes(size_t size)
{
    unsigned long f = spin_lock_irqsave(&heap_lock);
    void *p = heap_alloc(&heap, size, 16);
    spin_unlock_irqrestore(&heap_lock, f);
    return p;
}

void *xzalloc_bytes(size_t size)
{
    void *p = xmalloc_bytes(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void xfree(void *p)
{
    unsigned long f = spin_lock_irqsave(&heap_lock);
    int rc = heap_free(&heap, p);
    spin_unlock_irqrestore(&heap_lock, f);
    if (rc)
        printk(XENLOG_ERR "xfree(%p) refused: %d (double free or foreign pointer)\n", p, rc);
}

size_t xmalloc_used(void)
{
    return heap_used_bytes(&heap);
}

bool mfn_is_iomem(unsigned long mfn)
{
    uint64_t pa = (uint64_t)mfn << PAGE_SHIFT;
    /* Beyond the CPU's physical address width there is nothing to map. */
    uint32_t a, b, c, d;
    cpuid(0x80000000, &a, &b, &c, &d);
    unsigned int bits = 36;
    if (a >= 0x80000008) {
        cpuid(0x80000008, &a, &b, &c, &d);
        bits = a & 0xff;
    }
    if (bits < 64 && (pa >> bits))
        return false;
    /* The interrupt controllers are the hypervisor's: dom0 programs them
     * only through PHYSDEVOP (Xen denies these pages too). */
    uint64_t lapic = acpi.lapic_addr ? acpi.lapic_addr : 0xfee00000;
    if (pa >> PAGE_SHIFT == lapic >> PAGE_SHIFT)
        return false;
    for (unsigned int i = 0; i < acpi.nr_ioapics; i++)
        if (pa >> PAGE_SHIFT == acpi.ioapics[i].addr >> PAGE_SHIFT)
            return false;
    /* The first MiB is legacy/BIOS space that dom0 maps 1:1 (Xen hands all
     * of it to dom_io).  That includes the AP trampoline page: Linux scans
     * low memory (iBFT, MP tables) through it, and the trampoline is only
     * used while the CPUs come up at boot, before dom0 exists. */
    if (mfn < 0x100)
        return true;
    for (unsigned int i = 0; i < firmware_map.nr; i++) {
        const struct e820entry *e = &firmware_map.map[i];
        if (pa >= e->addr && pa < e->addr + e->size)
            return e->type != E820_RAM;
    }
    return true;    /* a hole: MMIO */
}

const struct e820map *firmware_memory_map(void)
{
    return &firmware_map;
}
