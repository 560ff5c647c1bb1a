/* SPDX-License-Identifier: MIT */
/*
 * Start-of-day virtual layout of a 64-bit PV domain (contract in
 * xeno/pv_layout.h). The arithmetic follows Xen's dom0_construct()
 * (xen/arch/x86/pv/dom0_build.c): the same order of areas, the same
 * exhaustive search for the page-table count, the same 4 MiB rounding
 * with >= 512 KiB slack. Where Xen's dom0 builder and libxc differ we
 * take libxc's page-table order (L4, L3, L2, L1: Linux's check_pt_base
 * can then give back three frames) and its domU xenstore/console pages.
 *
 * Every quantity is first computed as a byte offset from v_start and
 * checked against the room left in the 1 GiB slot, so nothing can wrap.
 */
#include "xeno/pv_layout.h"
#include "xeno/errno.h"
#include "xeno/string.h"

#include "xen/xen.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

#define L1_SHIFT 12   /* an L1 entry maps 4 KiB */
#define L2_SHIFT 21   /* an L2 entry maps 2 MiB: one L1 table */
#define L3_SHIFT 30   /* an L3 entry maps 1 GiB: one L2 table */
#define L4_SHIFT 39   /* an L4 entry maps 512 GiB: one L3 table */

/* Xen dom0_build.c: v_end is a 4 MiB boundary at least 512 KiB past the stack. */
#define V_END_ALIGN (4 * MiB)
#define V_END_SLACK (512 * KiB)

/* Canonical 48-bit addresses: the lower half ends here, the upper starts at -this. */
#define CANON_LOW_END 0x0000800000000000ULL
#define CANON_HIGH_START 0xffff800000000000ULL

static int fail(const char **why, const char *msg, int err)
{
    if (why)
        *why = msg;
    return err;
}

/* Tables of one level needed to cover [lo, hi) (Xen's NR() macro). */
static unsigned long nr_tables(uint64_t lo, uint64_t hi, unsigned int shift)
{
    uint64_t first = lo >> shift, last = (hi - 1) >> shift;

    return hi > lo ? (unsigned long)(last - first + 1) : 0;
}

/* [va, va + len) is canonical, in one half, and clear of Xen's area. */
static bool usable_range(uint64_t va, uint64_t len)
{
    uint64_t last = va + len - 1;

    if (len == 0 || last < va || !is_canonical(va) || !is_canonical(last))
        return false;
    if ((va < CANON_LOW_END) != (last < CANON_LOW_END))
        return false;
    return last < HYPERVISOR_VIRT_START || va >= HYPERVISOR_VIRT_END;
}

static uint64_t page_bytes(uint64_t n)
{
    return n << PAGE_SHIFT;
}

static uint64_t pages_for(uint64_t bytes)
{
    return (bytes >> PAGE_SHIFT) + ((bytes & (PAGE_SIZE - 1)) != 0);
}

/*
 * Whether the p2m list can go where INIT_P2M says: libxc takes it only
 * below virt_base and page aligned; we also keep it out of the region's
 * L4 slot so that its page tables are its own.
 */
static bool init_p2m_usable(const struct pv_layout_in *in, uint64_t p2m_bytes)
{
    uint64_t va = in->init_p2m_va;

    if (!in->p2m_at_init_p2m || (va & (PAGE_SIZE - 1)) || !usable_range(va, p2m_bytes))
        return false;
    if (va >= in->virt_base || p2m_bytes > in->virt_base - va)
        return false;
    return ((va + p2m_bytes - 1) >> L4_SHIFT) != (in->virt_base >> L4_SHIFT);
}

int pv_layout_compute(const struct pv_layout_in *in, struct pv_layout *out,
                      const char **why)
{
    uint64_t v_start = in->virt_base, slot_end, room, off, p2m_bytes, v_end_off = 0;
    unsigned long nr_pt;
    bool p2m_outside;

    memset(out, 0, sizeof(*out));
    if (why)
        *why = NULL;

    if (v_start & (PAGE_SIZE - 1))
        return fail(why, "VIRT_BASE is not page aligned", -EINVAL);
    /*
     * The canonical and hypervisor-area boundaries are 1 GiB aligned, and
     * the region stays inside one 1 GiB slot, so its first page decides.
     */
    if (!usable_range(v_start, PAGE_SIZE))
        return fail(why, "VIRT_BASE is not canonical or lies in the hypervisor's area",
                    -EINVAL);
    if (in->virt_kstart < v_start || in->virt_kend <= in->virt_kstart)
        return fail(why, "kernel image is empty or starts below VIRT_BASE", -EINVAL);
    if (in->nr_pages == 0)
        return fail(why, "domain has no memory", -EINVAL);
    /* The p2m list holds one 8-byte MFN per pfn; nr_pages * 8 must not wrap. */
    if (in->nr_pages > UINT64_MAX / 8 / 2)
        return fail(why, "nr_pages is absurdly large", -EINVAL);

    /*
     * Linux reads L4[511] -> L3[510] -> one L2 and copies that L2 into both
     * its kernel and direct-map tables, dropping anything mapped elsewhere
     * (checklist 1.4 point 2): the whole region must sit in virt_base's
     * 1 GiB slot. room is what is left of that slot after v_start.
     */
#define TOO_BIG fail(why, "boot region does not fit in the 1 GiB slot of VIRT_BASE " \
                     "(shrink the initrd or memory, or use MOD_START_PFN/INIT_P2M)", -E2BIG)

    slot_end = ROUNDDOWN(v_start, GiB) + GiB;
    if (slot_end != 0)
        room = slot_end - v_start;
    else if (v_start <= 0 - V_END_ALIGN)
        room = (0 - V_END_ALIGN) - v_start; /* v_end = 2^64 is not representable */
    else
        return TOO_BIG;

    if (in->virt_kend - v_start > room)
        return TOO_BIG;
    off = ROUNDUP(in->virt_kend - v_start, PAGE_SIZE);
    out->v_start = v_start;
    out->kernel_start = in->virt_kstart;
    out->kernel_end = in->virt_kend;

    /* [initrd]: mapped right after the kernel, as Xen's vinitrd_start. */
    if (in->initrd_len && !in->initrd_unmapped) {
        if (in->initrd_len > room - off)
            return TOO_BIG;
        out->initrd_va = v_start + off;
        out->initrd_pfn = (unsigned long)(off >> PAGE_SHIFT);
        off += ROUNDUP(in->initrd_len, PAGE_SIZE);
    }

    /* [p2m list]: one unsigned long per pfn (Xen vphysmap_start). */
    p2m_bytes = (uint64_t)in->nr_pages * sizeof(uint64_t);
    out->p2m_pages = (unsigned long)pages_for(p2m_bytes);
    p2m_outside = init_p2m_usable(in, p2m_bytes);
    if (p2m_outside) {
        out->p2m_va = in->init_p2m_va;
    } else {
        if (p2m_bytes > room - off)
            return TOO_BIG;
        out->p2m_va = v_start + off;
        /*
         * Whole pages: Linux writes ~0 up to the next multiple of 512
         * entries (xen_build_dynamic_phys_to_machine), i.e. to the end of
         * the last p2m page.
         */
        off += page_bytes(out->p2m_pages);
    }

    /* start_info (dom0's VGA info shares its page, at offset 1168). */
    if (room - off < PAGE_SIZE)
        return TOO_BIG;
    out->start_info_va = v_start + off;
    off += PAGE_SIZE;

    /* domU: xenstore ring and console ring pages (libxc alloc_magic_pages_pv). */
    if (!in->is_dom0) {
        if (room - off < 2 * PAGE_SIZE)
            return TOO_BIG;
        out->xenstore_va = v_start + off;
        out->console_va = v_start + off + PAGE_SIZE;
        off += 2 * PAGE_SIZE;
    }

    /*
     * Page tables, then the stack, then padding. The tables must map the
     * whole region, themselves included, so their number and v_end depend
     * on each other: Xen solves this by trying 2, 3, ... frames until the
     * count needed fits. The first fit is exact (the need only grows with
     * the count tried), and each extra frame moves v_end by at most 4 KiB,
     * so the loop is bounded by room / 4 KiB before TOO_BIG stops it.
     */
    out->pt_va = v_start + off;
    for (nr_pt = 2;; nr_pt++) {
        uint64_t stack_end = off + page_bytes(nr_pt) + PAGE_SIZE;
        uint64_t v_end, need;

        if (stack_end > room)
            return TOO_BIG;
        v_end = ROUNDUP(v_start + stack_end, V_END_ALIGN);
        if (v_end - (v_start + stack_end) < V_END_SLACK)
            v_end += V_END_ALIGN;
        v_end_off = v_end - v_start;
        if (v_end_off > room)
            return TOO_BIG;
        out->nr_l1 = nr_tables(v_start, v_end, L2_SHIFT);
        out->nr_l2 = nr_tables(v_start, v_end, L3_SHIFT);
        out->nr_l3 = nr_tables(v_start, v_end, L4_SHIFT);
        need = 1 + out->nr_l3 + out->nr_l2 + out->nr_l1;
        if (need <= nr_pt)
            break;
    }
#undef TOO_BIG
    out->nr_pt_frames = nr_pt;
    out->stack_va = out->pt_va + page_bytes(nr_pt);
    out->boot_sp = out->stack_va + PAGE_SIZE;
    out->v_end = v_start + v_end_off;
    out->region_pages = (unsigned long)(v_end_off >> PAGE_SHIFT);

    /* Pages beyond the region: an unmapped initrd, then the INIT_P2M frames. */
    out->next_pfn = out->region_pages;
    if (in->initrd_len && in->initrd_unmapped) {
        out->initrd_pfn = out->next_pfn;
        out->next_pfn += (unsigned long)pages_for(in->initrd_len);
    }
    if (p2m_outside) {
        uint64_t lo = out->p2m_va, hi = out->p2m_va + p2m_bytes;

        out->p2m_pt_frames = nr_tables(lo, hi, L4_SHIFT) + nr_tables(lo, hi, L3_SHIFT) +
                             nr_tables(lo, hi, L2_SHIFT);
        out->p2m_frames = out->p2m_pt_frames + out->p2m_pages;
        out->p2m_pfn = out->next_pfn;
        out->next_pfn += out->p2m_frames;
    }

    /* Xen: "Domain 0 allocation is too small for kernel image". */
    if (out->next_pfn > in->nr_pages)
        return fail(why, "domain memory is smaller than its boot region "
                    "(out->next_pfn pages are needed)", -ENOMEM);
    return 0;
}

int pv_region_pte_flags(const struct pv_layout *l, uint64_t va, uint64_t *flags)
{
    uint64_t f = PV_PTE_PRESENT | PV_PTE_ACCESSED | PV_PTE_USER;

    if (va < l->v_start || va >= l->v_end)
        return -ERANGE;
    /* Page-table frames are validated page tables: never writable. */
    if (va < l->pt_va || va - l->pt_va >= page_bytes(l->nr_pt_frames))
        f |= PV_PTE_RW;
    *flags = f;
    return 0;
}
