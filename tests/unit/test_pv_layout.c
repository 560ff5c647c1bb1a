// UNIT-SOURCES: hypervisor/common/pv_layout.c
/* SPDX-License-Identifier: MIT */
/*
 * Hosted tests for the start-of-day PV layout: the Debian 6.1 dom0 case
 * worked out by hand, the invariants of checklist 1.4 over a sweep of
 * sizes, the 1 GiB and memory limits, and the PTE flags.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "xeno/errno.h"
#include "xeno/pv_layout.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define VB  0xffffffff80000000ull

/* Debian 6.1.0-56: paddr 0x1000000..0x4a00000 loaded at VIRT_BASE + paddr. */
static struct pv_layout_in debian_in(void)
{
    return (struct pv_layout_in){
        .virt_kstart = VB + 0x1000000, .virt_kend = VB + 0x4a00000, .virt_base = VB,
        .nr_pages = (128 * MiB) >> 12, .initrd_len = 10 * MiB, .initrd_unmapped = true,
        .is_dom0 = true, .p2m_at_init_p2m = true, .init_p2m_va = 0x8000000000ull,
    };
}

static unsigned long nr(uint64_t lo, uint64_t hi, unsigned int shift)
{
    return (unsigned long)(((hi - 1) >> shift) - (lo >> shift) + 1);
}

/* The rules of checklist 1.4 / Xen's dom0_construct, checked independently. */
static void check_invariants(const struct pv_layout_in *in, const struct pv_layout *l)
{
    uint64_t cursor = (in->virt_kend + 4095) & ~4095ull;

    CU_ASSERT_EQUAL(l->v_start, in->virt_base);
    CU_ASSERT_EQUAL(l->kernel_start, in->virt_kstart);
    CU_ASSERT_EQUAL(l->kernel_end, in->virt_kend);
    /* Areas in order, page aligned, back to back. */
    if (in->initrd_len && !in->initrd_unmapped) {
        CU_ASSERT_EQUAL(l->initrd_va, cursor);
        CU_ASSERT_EQUAL(l->initrd_pfn, (cursor - l->v_start) >> 12);
        cursor += (in->initrd_len + 4095) & ~4095ull;
    } else {
        CU_ASSERT_EQUAL(l->initrd_va, 0);
    }
    CU_ASSERT_EQUAL(l->p2m_pages, (in->nr_pages * 8 + 4095) / 4096);
    if (l->p2m_va >= l->v_start) {
        CU_ASSERT_EQUAL(l->p2m_va, cursor);
        cursor += (uint64_t)l->p2m_pages * 4096;
        CU_ASSERT_EQUAL(l->p2m_frames, 0);
    }
    CU_ASSERT_EQUAL(l->start_info_va, cursor);
    cursor += 4096;
    if (!in->is_dom0) {
        CU_ASSERT_EQUAL(l->xenstore_va, cursor);
        CU_ASSERT_EQUAL(l->console_va, cursor + 4096);
        cursor += 8192;
    } else {
        CU_ASSERT_EQUAL(l->xenstore_va, 0);
        CU_ASSERT_EQUAL(l->console_va, 0);
    }
    CU_ASSERT_EQUAL(l->pt_va, cursor);
    cursor += (uint64_t)l->nr_pt_frames * 4096;
    CU_ASSERT_EQUAL(l->stack_va, cursor);
    CU_ASSERT_EQUAL(l->boot_sp, cursor + 4096);

    /* v_end: 4 MiB aligned with >= 512 KiB slack, < 4 MiB + 512 KiB of it. */
    CU_ASSERT_EQUAL(l->v_end % (4 * MiB), 0);
    CU_ASSERT(l->v_end - l->boot_sp >= 512 * KiB);
    CU_ASSERT(l->v_end - l->boot_sp < 4 * MiB + 512 * KiB);
    CU_ASSERT_EQUAL(l->region_pages, (l->v_end - l->v_start) >> 12);
    /* One 1 GiB slot. */
    CU_ASSERT_EQUAL(l->v_start >> 30, (l->v_end - 1) >> 30);

    /* The tables map exactly [v_start, v_end), themselves included. */
    CU_ASSERT_EQUAL(l->nr_l1, nr(l->v_start, l->v_end, 21));
    CU_ASSERT_EQUAL(l->nr_l2, nr(l->v_start, l->v_end, 30));
    CU_ASSERT_EQUAL(l->nr_l3, nr(l->v_start, l->v_end, 39));
    CU_ASSERT_EQUAL(l->nr_pt_frames, 1 + l->nr_l3 + l->nr_l2 + l->nr_l1);
    CU_ASSERT(l->pt_va + (uint64_t)l->nr_pt_frames * 4096 <= l->v_end);
    /* Minimal: one frame fewer would not have been enough (Xen's search). */
    if (l->nr_pt_frames > 2) {
        uint64_t n = l->nr_pt_frames - 1;
        uint64_t stack_end = l->pt_va + n * 4096 + 4096;
        uint64_t v_end = (stack_end + 4 * MiB - 1) & ~(4 * MiB - 1);
        if (v_end - stack_end < 512 * KiB)
            v_end += 4 * MiB;
        CU_ASSERT(1 + nr(l->v_start, v_end, 39) + nr(l->v_start, v_end, 30) +
                  nr(l->v_start, v_end, 21) > n);
    }

    /* Pages after the region. */
    unsigned long next = l->region_pages;
    if (in->initrd_len && in->initrd_unmapped) {
        CU_ASSERT_EQUAL(l->initrd_pfn, next);
        next += (unsigned long)((in->initrd_len + 4095) / 4096);
    }
    if (l->p2m_va < l->v_start) {
        CU_ASSERT_EQUAL(l->p2m_pfn, next);
        CU_ASSERT_EQUAL(l->p2m_frames, l->p2m_pages + l->p2m_pt_frames);
        next += l->p2m_frames;
    }
    CU_ASSERT_EQUAL(l->next_pfn, next);
}

static void test_debian_dom0(void)
{
    struct pv_layout_in in = debian_in();
    struct pv_layout l;
    const char *why = "x";

    CU_ASSERT_EQUAL_FATAL(pv_layout_compute(&in, &l, &why), 0);
    CU_ASSERT_PTR_NULL(why);
    check_invariants(&in, &l);
    /*
     * By hand: start_info at 0x4a00000, tables from 0x4a01000; the region
     * ends at 0x4c00000 (the stack ends at 0x4a2b000, 1.8 MiB of slack),
     * which takes 38 L1s + 1 L2 + 1 L3 + the L4 = 41 frames.
     */
    CU_ASSERT_EQUAL(l.start_info_va, VB + 0x4a00000);
    CU_ASSERT_EQUAL(l.pt_va, VB + 0x4a01000);
    CU_ASSERT_EQUAL(l.nr_pt_frames, 41);
    CU_ASSERT_EQUAL(l.nr_l1, 38);
    CU_ASSERT_EQUAL(l.stack_va, VB + 0x4a2a000);
    CU_ASSERT_EQUAL(l.boot_sp, VB + 0x4a2b000);
    CU_ASSERT_EQUAL(l.v_end, VB + 0x4c00000);
    CU_ASSERT_EQUAL(l.region_pages, 0x4c00);
    CU_ASSERT_EQUAL(l.initrd_pfn, 0x4c00);
    CU_ASSERT_EQUAL(l.initrd_va, 0);
    CU_ASSERT_EQUAL(l.p2m_va, 0x8000000000ull);
    CU_ASSERT_EQUAL(l.p2m_pages, 64);
    CU_ASSERT_EQUAL(l.p2m_pt_frames, 3);
    CU_ASSERT_EQUAL(l.p2m_pfn, 0x4c00 + 2560);
    CU_ASSERT_EQUAL(l.next_pfn, 0x4c00 + 2560 + 67);
}

static void test_domu_mapped(void)
{
    struct pv_layout_in in = debian_in();
    struct pv_layout l;
    const char *why;

    in.is_dom0 = false;
    in.initrd_unmapped = false;
    in.p2m_at_init_p2m = false;
    in.initrd_len = 10 * MiB + 1;
    CU_ASSERT_EQUAL_FATAL(pv_layout_compute(&in, &l, &why), 0);
    check_invariants(&in, &l);
    CU_ASSERT_EQUAL(l.initrd_va, VB + 0x4a00000);
    CU_ASSERT_EQUAL(l.p2m_va, VB + 0x4a00000 + 10 * MiB + 4096);
    CU_ASSERT(l.xenstore_va > l.start_info_va && l.console_va > l.xenstore_va);
    CU_ASSERT_EQUAL(l.p2m_frames, 0);
    CU_ASSERT_EQUAL(l.next_pfn, l.region_pages);
}

/* The invariants over a sweep of kernel ends, memory and initrd sizes. */
static void test_sweep(void)
{
    unsigned int done = 0;

    for (uint64_t kend = 0x1001000; kend < 0x9000000; kend += 0x3b3000)
        for (unsigned long pages = 4096; pages <= (4ul << 20); pages *= 4)
            for (uint64_t ird = 0; ird < 64 * MiB; ird += 13 * MiB + 4097)
                for (unsigned int v = 0; v < 8; v++) {
                    struct pv_layout_in in = {
                        .virt_kstart = VB + 0x1000000, .virt_kend = VB + kend,
                        .virt_base = VB, .nr_pages = pages, .initrd_len = ird,
                        .initrd_unmapped = v & 1, .is_dom0 = v & 2,
                        .p2m_at_init_p2m = v & 4, .init_p2m_va = 0x8000000000ull,
                    };
                    struct pv_layout l;
                    const char *why = NULL;
                    int rc = pv_layout_compute(&in, &l, &why);

                    CU_ASSERT(rc == 0 || rc == -ENOMEM || rc == -E2BIG);
                    if (rc == -E2BIG)
                        continue;
                    CU_ASSERT_PTR_NOT_NULL(rc ? why : "ok");
                    check_invariants(&in, &l);
                    CU_ASSERT_EQUAL(rc == -ENOMEM, l.next_pfn > pages);
                    done++;
                }
    CU_ASSERT(done > 1000);
}

/* Where the stack ends within 512 KiB of a 4 MiB boundary, 4 MiB more. */
static void test_slack(void)
{
    struct pv_layout_in in = debian_in();
    struct pv_layout l;
    const char *why;

    /*
     * With 41 frames the stack would end at 0x4b81000, 508 KiB below
     * 0x4c00000: v_end becomes 0x5000000, which takes 40 L1s, so 43 frames.
     */
    in.virt_kend = VB + 0x4a00000 + (0x4b81000 - 0x4a2b000);
    CU_ASSERT_EQUAL_FATAL(pv_layout_compute(&in, &l, &why), 0);
    check_invariants(&in, &l);
    CU_ASSERT_EQUAL(l.boot_sp, VB + 0x4b83000);
    CU_ASSERT_EQUAL(l.v_end, VB + 0x4c00000 + 4 * MiB);
    CU_ASSERT_EQUAL(l.nr_l1, 40);
    CU_ASSERT_EQUAL(l.nr_pt_frames, 43);
}

static void test_limits(void)
{
    struct pv_layout_in in;
    struct pv_layout l;
    const char *why;

    /* A mapped 1 GiB initrd cannot fit in the slot; unmapped it can. */
    in = debian_in();
    in.initrd_unmapped = false;
    in.initrd_len = 1 * GiB;
    in.nr_pages = 1ul << 20;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);
    CU_ASSERT_PTR_NOT_NULL(why);
    in.initrd_unmapped = true;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
    in.initrd_len = UINT64_MAX;
    in.initrd_unmapped = false;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);

    /* 512 GiB of p2m entries (4 GiB list): only at INIT_P2M. */
    in = debian_in();
    in.nr_pages = 128ul << 20;
    in.p2m_at_init_p2m = false;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);
    in.p2m_at_init_p2m = true;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
    check_invariants(&in, &l);
    CU_ASSERT_EQUAL(l.p2m_pages, 262144);
    CU_ASSERT_EQUAL(l.p2m_pt_frames, 1 + 1 + 512);  /* 1 GiB of list: L3, L2, 512 L1s */

    /* Just under 1 GiB kernel fits, or not, by a few pages. */
    in = debian_in();
    in.nr_pages = 1ul << 20;
    in.virt_kend = VB + 1 * GiB - 6 * MiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
    CU_ASSERT_EQUAL(l.v_end, VB + 1 * GiB);
    check_invariants(&in, &l);
    /* 515 table frames (2.01 MiB): the stack ends 0.98 MiB before 1 GiB. */
    in.virt_kend = VB + 1 * GiB - 3 * MiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
    CU_ASSERT_EQUAL(l.nr_pt_frames, 515);
    /* ... 0.48 MiB before: the 512 KiB slack needs another 4 MiB. */
    in.virt_kend = VB + 1 * GiB - 2 * MiB - 512 * KiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);
    in.virt_kend = VB + 1 * GiB - 2 * MiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);
    in.virt_kend = VB + 1 * GiB + 4096;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);

    /* VIRT_BASE near the end of its slot: the region would cross it. */
    in = debian_in();
    in.virt_base = VB + 1 * GiB - 8 * MiB;
    in.virt_kstart = in.virt_base + 4096;
    in.virt_kend = in.virt_base + 6 * MiB;      /* ends exactly at the slot end */
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
    CU_ASSERT_EQUAL(l.v_end, VB + 1 * GiB);
    in.virt_kend = in.virt_base + 7 * MiB + 768 * KiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);

    /* The top slot: v_end may not reach 2^64. */
    in = debian_in();
    in.virt_base = 0xffffffffc0000000ull;
    in.virt_kstart = in.virt_base + 16 * MiB;
    in.virt_kend = in.virt_base + 32 * MiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
    check_invariants(&in, &l);
    in.virt_kend = in.virt_base + 1 * GiB - 6 * MiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);
    in.virt_base = 0xfffffffffff00000ull;
    in.virt_kstart = in.virt_base;
    in.virt_kend = in.virt_base + 4096;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -E2BIG);

    /* Too little memory: -ENOMEM, with the need reported. */
    in = debian_in();
    in.nr_pages = 20000;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -ENOMEM);
    CU_ASSERT_PTR_NOT_NULL(why);
    CU_ASSERT_EQUAL(l.next_pfn, 0x4c00 + 2560 + (20000 * 8 + 4095) / 4096 + 3);
    /* The p2m grows with nr_pages, so the need is a lower bound: iterate. */
    int rc = -ENOMEM, tries = 0;
    while (rc == -ENOMEM && tries++ < 4) {
        in.nr_pages = l.next_pfn;
        rc = pv_layout_compute(&in, &l, &why);
    }
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(tries, 2);
    in.nr_pages--;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -ENOMEM);
}

static void test_bad_input(void)
{
    struct pv_layout_in in;
    struct pv_layout l;
    const char *why;

    in = debian_in();
    in.virt_base += 0x800;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -EINVAL);
    in = debian_in();
    in.virt_base = 0xffff800000000000ull;   /* Xen's own area */
    in.virt_kstart = in.virt_base + 16 * MiB;
    in.virt_kend = in.virt_base + 32 * MiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -EINVAL);
    in.virt_base = 0xffff87ffc0000000ull;   /* last GiB of it */
    in.virt_kstart = in.virt_base + 16 * MiB;
    in.virt_kend = in.virt_base + 32 * MiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -EINVAL);
    in.virt_base = 0x0000900000000000ull;   /* non-canonical */
    in.virt_kstart = in.virt_base + 16 * MiB;
    in.virt_kend = in.virt_base + 32 * MiB;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -EINVAL);
    in = debian_in();
    in.virt_kstart = VB - 4096;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -EINVAL);
    in = debian_in();
    in.virt_kend = in.virt_kstart;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -EINVAL);
    in = debian_in();
    in.nr_pages = 0;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -EINVAL);
    in.nr_pages = ~0ul;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), -EINVAL);

    /* A low-half VIRT_BASE (Xen's default 0) is legal. */
    in = debian_in();
    in.virt_base = 0;
    in.virt_kstart = 16 * MiB;
    in.virt_kend = 32 * MiB;
    in.p2m_at_init_p2m = false;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
    check_invariants(&in, &l);
}

/* INIT_P2M is used only where libxc would use it; else the list moves inside. */
static void test_init_p2m_fallback(void)
{
    static const uint64_t bad[] = {
        0x8000000800ull,                /* not page aligned */
        0xffffffff90000000ull,          /* above VIRT_BASE */
        VB - 4096,                      /* list would run into the region */
        0xffffff8000000000ull,          /* the region's own L4 slot */
        0xffff800000000000ull,          /* Xen's area */
        0x00007ffffffff000ull,          /* runs out of the canonical low half */
    };
    struct pv_layout_in in = debian_in();
    struct pv_layout l;
    const char *why;

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        in.init_p2m_va = bad[i];
        CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
        CU_ASSERT(l.p2m_va >= l.v_start && l.p2m_va < l.v_end);
        CU_ASSERT_EQUAL(l.p2m_frames, 0);
        check_invariants(&in, &l);
    }
    in.init_p2m_va = 0xffffc90000000000ull;  /* fine: below VIRT_BASE, own slot */
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &l, &why), 0);
    CU_ASSERT_EQUAL(l.p2m_va, 0xffffc90000000000ull);
}

static void test_pte_flags(void)
{
    struct pv_layout_in in = debian_in();
    struct pv_layout l;
    const char *why;
    uint64_t f = 0, rw = PV_PTE_PRESENT | PV_PTE_RW | PV_PTE_ACCESSED | PV_PTE_USER;
    unsigned long ro = 0;

    in.is_dom0 = false;
    CU_ASSERT_EQUAL_FATAL(pv_layout_compute(&in, &l, &why), 0);
    for (uint64_t va = l.v_start; va < l.v_end; va += 4096) {
        CU_ASSERT_EQUAL_FATAL(pv_region_pte_flags(&l, va, &f), 0);
        CU_ASSERT(f & PV_PTE_USER);
        CU_ASSERT(f & PV_PTE_PRESENT);
        if (va >= l.pt_va && va < l.pt_va + l.nr_pt_frames * 4096ull) {
            CU_ASSERT_EQUAL(f, rw & ~PV_PTE_RW);
            ro++;
        } else {
            CU_ASSERT_EQUAL(f, rw);
        }
    }
    CU_ASSERT_EQUAL(ro, l.nr_pt_frames);
    CU_ASSERT_EQUAL(pv_region_pte_flags(&l, l.start_info_va + 12, &f), 0);
    CU_ASSERT_EQUAL(f, rw);
    CU_ASSERT_EQUAL(pv_region_pte_flags(&l, l.pt_va + 4095, &f), 0);
    CU_ASSERT_EQUAL(f, rw & ~PV_PTE_RW);
    CU_ASSERT_EQUAL(pv_region_pte_flags(&l, l.stack_va, &f), 0);
    CU_ASSERT_EQUAL(f, rw);
    CU_ASSERT_EQUAL(pv_region_pte_flags(&l, l.v_end, &f), -ERANGE);
    CU_ASSERT_EQUAL(pv_region_pte_flags(&l, l.v_start - 1, &f), -ERANGE);
    CU_ASSERT_EQUAL(PV_UPPER_PTE_FLAGS & PV_PTE_USER, PV_PTE_USER);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "Debian dom0 by hand", test_debian_dom0 },
        { "domU, everything mapped", test_domu_mapped },
        { "invariants over a sweep", test_sweep },
        { "512 KiB slack adds 4 MiB", test_slack },
        { "1 GiB slot and memory limits", test_limits },
        { "bad input", test_bad_input },
        { "INIT_P2M fallback", test_init_p2m_fallback },
        { "PTE flags", test_pte_flags },
        { NULL, NULL },
    };
    unit_add_suite("pv_layout", cases);
}
