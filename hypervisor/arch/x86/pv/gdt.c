/* SPDX-License-Identifier: MIT */
/*
 * Guest GDT and LDT of 64-bit PV vCPUs.
 *
 * A PV guest cannot load GDTR/LDTR; it hands over frames instead
 * (HYPERVISOR_set_gdt, MMUEXT_SET_LDT, VCPUOP_initialise). Each frame takes
 * a PGT_seg_desc_page type reference, which validates its 512 descriptors
 * (pv_check_seg_desc) and, the type being exclusive, keeps every writable
 * mapping of it away for as long as it is in use; afterwards the guest
 * changes it only through HYPERVISOR_update_descriptor.
 *
 * Every CPU has a descriptor area in the hypervisor's L4 slot 260 (see
 * xeno/pv_desc.h); on a switch to a vCPU its GDT frames and LDT pages are
 * mapped there and GDTR stays constant. The frames are mapped read-write
 * for the hypervisor only, as Xen does (__PAGE_HYPERVISOR_RW in
 * pv_set_gdt(), _PAGE_RW added in map_ldt_shadow_page()): loading a
 * descriptor whose accessed bit is clear makes the CPU write that bit
 * (SDM vol. 3, 3.4.5.1), which would fault on a read-only mapping.
 *
 * Deviations from Xen: the areas are per CPU rather than per vCPU (one
 * vCPU at a time runs on a CPU, so the mapping is redone on switch-in); the
 * LDT pages are looked up and typed when the LDT is set rather than on the
 * first fault (Xen's map_ldt_shadow_page()), a page unusable then reads as
 * null descriptors; and a guest page-table update that unmaps an LDT page
 * does not drop the LDT (Xen's put_page_from_l1e() does): Linux loads a new
 * LDT on every CPU before it frees the old one (install_ldt()), so its
 * pages are unused when they become writable again.
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_desc.h>
#include <xeno/pv_mm.h>
#include <xeno/spinlock.h>

#define AREA_PAGES      32U
#define AREA_RESERVED   FIRST_RESERVED_GDT_PAGE         /* page 14 */
#define AREA_LDT        (PV_DESC_LDT_OFFSET / PAGE_SIZE)  /* pages 16..31 */

/* Guest descriptor frames: supervisor RW (accessed bits), never executable. */
#define PTE_DESC        PAGE_HYPERVISOR_NX
/* The zero page stands for "no descriptors": all null, so read-only is
 * enough (the CPU writes no accessed bit into a descriptor it refuses). */
#define PTE_ZERO        (PAGE_HYPERVISOR_NX & ~_PAGE_RW)

_Static_assert(PV_DESC_AREA_STRIDE == AREA_PAGES * PAGE_SIZE, "area layout");
_Static_assert(PV_LDT_MAX_PAGES == 16 && AREA_LDT + 16 == AREA_PAGES, "LDT window");
/* A CPU's window must sit inside one L1 table (2 MiB) so its PTEs are contiguous. */
_Static_assert((2UL << 20) % PV_DESC_AREA_STRIDE == 0, "area straddles an L1");
_Static_assert(PV_DESC_AREA_START + NR_CPUS * PV_DESC_AREA_STRIDE <= 0xffff828000000000UL,
               "areas stay in L4 slot 260");

static unsigned long zero_mfn;              /* all-null descriptor page */
static uint64_t *area_ptes[NR_CPUS];        /* each CPU's AREA_PAGES PTEs */
static spinlock_t area_lock = SPIN_LOCK_UNLOCKED;

static unsigned long area_va(unsigned int cpu)
{
    return PV_DESC_AREA_START + cpu * PV_DESC_AREA_STRIDE;
}

static unsigned int gdt_frames_for(unsigned int ents)
{
    return (ents + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
}

static unsigned int ldt_pages_for(unsigned int ents)
{
    return (ents * 8U + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* The L1 entry mapping hypervisor address va (tables made by map_pages()). */
static uint64_t *idle_pte(unsigned long va)
{
    uint64_t *t = idle_pg_table;
    for (int level = 4; level > 1; level--) {
        uint64_t e = t[(va >> (12 + 9 * (level - 1))) & 511];
        BUG_ON(!(e & _PAGE_PRESENT) || (e & _PAGE_PSE));
        t = __va(e & PADDR_MASK);
    }
    return &t[(va >> 12) & 511];
}

static void set_pte(unsigned int cpu, unsigned int page, unsigned long mfn)
{
    uint64_t *pte = &area_ptes[cpu][page];
    uint64_t val = mfn ? ((uint64_t)mfn << PAGE_SHIFT) | PTE_DESC
                       : ((uint64_t)zero_mfn << PAGE_SHIFT) | PTE_ZERO;
    /* Only this CPU uses its window, so a local INVLPG is the whole flush. */
    if (*pte != val) {
        *pte = val;
        invlpg(area_va(cpu) + page * PAGE_SIZE);
    }
}

/* First guest on this CPU: build the window and move GDTR into it. */
static void area_init(unsigned int cpu)
{
    unsigned long va = area_va(cpu);

    spin_lock(&area_lock);
    if (!zero_mfn) {
        void *z = alloc_xenheap_pages(0);
        if (!z)
            panic("PV descriptor area: out of memory");
        zero_mfn = __pa(z) >> PAGE_SHIFT;
    }
    spin_unlock(&area_lock);
    /* map_pages() creates the page tables; the rest is written directly. */
    if (map_pages(va, zero_mfn, 1, PTE_ZERO))
        panic("PV descriptor area: cannot map CPU%u's window", cpu);
    uint64_t *ptes = idle_pte(va);
    for (unsigned int i = 0; i < AREA_PAGES; i++) {
        if (i == AREA_RESERVED)
            ptes[i] = __pa(percpu[cpu].gdt_reserved) | PAGE_HYPERVISOR_NX;   /* TSS busy bit */
        else if (i == AREA_RESERVED + 1)
            ptes[i] = 0;                                                     /* guard */
        else
            ptes[i] = ((uint64_t)zero_mfn << PAGE_SHIFT) | PTE_ZERO;
        invlpg(va + i * PAGE_SIZE);
    }
    area_ptes[cpu] = ptes;
    /* Page 14 is the same frame as before, so the cached CS/SS/TR stay valid. */
    cpu_load_gdtr(va);
}

static void map_gdt(struct vcpu *v, unsigned int cpu)
{
    unsigned int n = gdt_frames_for(v->gdt_ents);
    for (unsigned int i = 0; i < PV_GDT_MAX_FRAMES; i++)
        set_pte(cpu, i, i < n ? v->gdt_frames[i] : 0);
}

static void map_ldt(struct vcpu *v, unsigned int cpu)
{
    for (unsigned int i = 0; i < PV_LDT_MAX_PAGES; i++)
        set_pte(cpu, AREA_LDT + i, v->ldt_frames[i]);
    cpu_load_ldt(area_va(cpu) + PV_DESC_LDT_OFFSET, v->ldt_ents);
}

/* This CPU, its window built. */
static unsigned int this_area(void)
{
    unsigned int cpu = smp_processor_id();
    if (unlikely(!area_ptes[cpu]))
        area_init(cpu);
    return cpu;
}

void pv_desc_load(struct vcpu *v)
{
    unsigned int cpu = this_area();
    map_gdt(v, cpu);
    map_ldt(v, cpu);
}

int pv_check_seg_desc(void *ctx, const uint64_t *descs)
{
    (void)ctx;
    /*
     * The fix-ups (DPL 3, call-gate DPL 0) are stored in the frame itself,
     * as Xen's validate_segdesc_page() does, so the const is cast away on
     * purpose: the PV MMU calls this while the frame is PGT_seg_desc_page
     * with count 1 and not yet validated, when no writable mapping or
     * update_descriptor can reach it (both need another type or a
     * validated one), and it passes the direct-map address, which is
     * writable. pv_check_desc_page() writes only if all 512 pass, so a
     * refused frame is left as the guest wrote it.
     */
    return pv_check_desc_page((uint64_t *)descs);
}

/* Take a seg_desc type reference on each frame for d: all or nothing. */
static int get_desc_frames(const struct domain *d, const unsigned long *mfns, unsigned int n)
{
    spin_lock(&pv_mm_lock);
    for (unsigned int i = 0; i < n; i++) {
        /* MFN 0 is "none" in gdt_frames[] (it is never a guest frame). */
        if (!mfns[i] || get_page_and_type(&pv_env, mfns[i], d->domid, PGT_seg_desc_page)) {
            while (i--)
                put_page_and_type(&pv_env, mfns[i]);
            spin_unlock(&pv_mm_lock);
            return -EINVAL;
        }
    }
    spin_unlock(&pv_mm_lock);
    return 0;
}

static void put_desc_frames(const unsigned long *mfns, unsigned int n)
{
    spin_lock(&pv_mm_lock);
    for (unsigned int i = 0; i < n; i++)
        if (mfns[i])
            put_page_and_type(&pv_env, mfns[i]);
    spin_unlock(&pv_mm_lock);
}

int pv_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int entries)
{
    unsigned long old[PV_GDT_MAX_FRAMES];
    unsigned int n = gdt_frames_for(entries), old_n = gdt_frames_for(v->gdt_ents);

    /* Xen: entries > FIRST_RESERVED_GDT_ENTRY is -EINVAL. */
    if (entries > PV_GDT_MAX_ENTRIES)
        return -EINVAL;
    int rc = get_desc_frames(v->domain, frames, n);
    if (rc)
        return rc;
    /* New references first, then the switch, then the old ones go: a
     * frame in both lists never drops to type count 0 (no revalidation). */
    memcpy(old, v->gdt_frames, sizeof(old));
    for (unsigned int i = 0; i < PV_GDT_MAX_FRAMES; i++)
        v->gdt_frames[i] = i < n ? frames[i] : 0;
    v->gdt_ents = entries;
    if (v == current)
        map_gdt(v, this_area());
    put_desc_frames(old, old_n);
    return 0;
}

void pv_destroy_gdt(struct vcpu *v)
{
    pv_set_gdt(v, NULL, 0);
}

/* The frame guest VA `va` maps in the tables under l4_mfn, 0 if none. The
 * tables are validated (they hold a type reference through the vCPU's
 * guest_table), so every entry on the way names a frame of the domain. */
static unsigned long guest_frame(unsigned long l4_mfn, uint64_t va)
{
    unsigned long mfn = l4_mfn;
    for (int level = 4; level >= 1; level--) {
        const uint64_t *t = __va((paddr_t)mfn << PAGE_SHIFT);
        uint64_t e = __atomic_load_n(&t[(va >> (12 + 9 * (level - 1))) & 511], __ATOMIC_RELAXED);
        if (!(e & _PAGE_PRESENT) || (level > 1 && (e & _PAGE_PSE)))
            return 0;
        mfn = (e & PADDR_MASK) >> PAGE_SHIFT;
        if (!mfn_valid(mfn))
            return 0;
    }
    return mfn;
}

int pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents)
{
    unsigned long new[PV_LDT_MAX_PAGES] = { 0 }, old[PV_LDT_MAX_PAGES];
    unsigned int pages = ldt_pages_for(ents), missing = 0;

    /* Xen MMUEXT_SET_LDT: page aligned, at most 8192 entries, outside the
     * hypervisor's range (__addr_ok); the base is ignored with 0 entries. */
    if (ents > PV_LDT_MAX_ENTRIES)
        return -EINVAL;
    if (!ents)
        base = 0;
    if ((base & (PAGE_SIZE - 1)) || !is_canonical(base) ||
        (ents && (!is_canonical(base + ents * 8UL - 1) || !guest_range_ok(base, ents * 8UL))))
        return -EINVAL;

    spin_lock(&pv_mm_lock);
    for (unsigned int i = 0; i < pages; i++) {
        unsigned long mfn = v->guest_table ? guest_frame(v->guest_table, base + i * PAGE_SIZE) : 0;
        if (mfn && !get_page_and_type(&pv_env, mfn, v->domain->domid, PGT_seg_desc_page))
            new[i] = mfn;
        else
            missing++;
    }
    spin_unlock(&pv_mm_lock);
    if (missing)
        printk(XENLOG_WARNING "d%uv%u: LDT at %#lx: %u of %u pages absent or not usable as "
               "descriptor pages; they read as null descriptors\n", v->domain->domid,
               v->vcpu_id, (unsigned long)base, missing, pages);

    memcpy(old, v->ldt_frames, sizeof(old));
    memcpy(v->ldt_frames, new, sizeof(new));
    v->ldt_base = base;
    v->ldt_ents = ents;
    if (v == current)
        map_ldt(v, this_area());
    put_desc_frames(old, PV_LDT_MAX_PAGES);
    return 0;
}

void pv_destroy_ldt(struct vcpu *v)
{
    pv_set_ldt(v, 0, 0);
}

void pv_vcpu_destroy_desc(struct vcpu *v)
{
    /* A CPU that last ran v may still map these frames in its window until
     * its next switch-in; nothing reads guest descriptors there before
     * pv_desc_load() remaps them. */
    pv_destroy_gdt(v);
    pv_destroy_ldt(v);
}
