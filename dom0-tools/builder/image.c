/* SPDX-License-Identifier: MIT */
/*
 * libxenobuild: the start-of-day memory of a 64-bit PV domU, as the
 * hypervisor's own builder (hypervisor/pv/domain_build.c) lays out dom0
 * and libxenguest a domU: kernel segments at VIRT_BASE + p_paddr, the
 * ramdisk (a PFN range after the region when the kernel has the
 * MOD_START_PFN note, else mapped in it), the p2m list (MFN by pfn),
 * start_info, zeroed xenstore and console pages, bootstrap page tables
 * mapping the region 1:1 with their own frames read-only (a PV guest may
 * not have a writable mapping of a page table: checklist 1.4) and the boot
 * stack.  Page-table entries hold MFNs.
 */
#include <errno.h>
#include <string.h>

#include "xb_priv.h"

struct mem {
    uint8_t *base;
    uint64_t virt_base;
    unsigned long pages;        /* pfns [0, pages) are in base */
};

static uint8_t *va_ptr(const struct mem *m, uint64_t va, size_t n)
{
    if (va < m->virt_base)
        return NULL;
    uint64_t off = va - m->virt_base;
    if (off > (uint64_t)m->pages * XB_PAGE || n > (uint64_t)m->pages * XB_PAGE - off)
        return NULL;
    return m->base + off;
}

static int copy_cb(void *ctx, uint64_t va, const void *src, size_t n)
{
    uint8_t *p = va_ptr(ctx, va, n);
    if (!p)
        return -ERANGE;
    memcpy(p, src, n);
    return 0;
}

static int zero_cb(void *ctx, uint64_t va, size_t n)
{
    uint8_t *p = va_ptr(ctx, va, n);
    if (!p)
        return -ERANGE;
    memset(p, 0, n);
    return 0;
}

int xb_layout(const struct xb_kernel *k, unsigned long nr_pages, size_t ramdisk_len,
              struct pv_layout *l, const char **why)
{
    struct pv_layout_in in = {
        .virt_kstart = k->info.virt_kstart, .virt_kend = k->info.virt_kend,
        .virt_base = k->info.virt_base, .nr_pages = nr_pages, .initrd_len = ramdisk_len,
        .initrd_unmapped = k->info.mod_start_pfn, .is_dom0 = false, .p2m_at_init_p2m = false,
    };
    return pv_layout_compute(&in, l, why);
}

static unsigned long pfn_of(const struct pv_layout *l, uint64_t va)
{
    return (unsigned long)((va - l->v_start) / XB_PAGE);
}

/* The page-table frame with MFN mfn (they are few: a linear search). */
static uint64_t *pt_frame(const struct xb_image *im, const struct mem *m, uint64_t mfn)
{
    unsigned long first = pfn_of(im->layout, im->layout->pt_va);
    for (unsigned long pfn = first; pfn < first + im->layout->nr_pt_frames; pfn++)
        if (im->p2m[pfn] == mfn)
            return (uint64_t *)(m->base + pfn * XB_PAGE);
    return NULL;
}

static int build_page_tables(const struct xb_image *im, const struct mem *m, const char **why)
{
    const struct pv_layout *l = im->layout;
    unsigned long pt_pfn = pfn_of(l, l->pt_va), next = pt_pfn + 1;
    uint64_t *l4 = (uint64_t *)(m->base + pt_pfn * XB_PAGE);

    for (uint64_t va = l->v_start; va < l->v_end; va += XB_PAGE) {
        uint64_t *t = l4;
        for (int level = 4; level > 1; level--) {
            uint64_t *e = &t[(va >> (12 + 9 * (level - 1))) & 511];
            if (!(*e & PV_PTE_PRESENT)) {
                if (next >= pt_pfn + l->nr_pt_frames) {
                    *why = "bootstrap page tables need more frames than the layout has";
                    return -EINVAL;
                }
                *e = ((uint64_t)im->p2m[next] << 12) | PV_UPPER_PTE_FLAGS;
                next++;
            }
            t = pt_frame(im, m, *e >> 12);
            if (!t) {
                *why = "page-table entry names a frame outside the page tables";
                return -EINVAL;
            }
        }
        uint64_t flags;
        if (pv_region_pte_flags(l, va, &flags)) {
            *why = "region address without PTE flags";
            return -EINVAL;
        }
        t[(va >> 12) & 511] = ((uint64_t)im->p2m[pfn_of(l, va)] << 12) | flags;
    }
    return 0;
}

static void fill_start_info(const struct xb_image *im, struct start_info *si)
{
    const struct pv_layout *l = im->layout;
    memset(si, 0, sizeof(*si));
    memcpy(si->magic, "xen-3.0-x86_64", sizeof("xen-3.0-x86_64"));
    si->nr_pages = im->nr_pages;
    si->shared_info = im->shared_info_maddr;
    si->flags = 0;      /* an unprivileged domU */
    si->store_mfn = im->p2m[pfn_of(l, l->xenstore_va)];
    si->store_evtchn = im->store_evtchn;
    si->console.domU.mfn = im->p2m[pfn_of(l, l->console_va)];
    si->console.domU.evtchn = im->console_evtchn;
    si->pt_base = l->pt_va;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->p2m_va;
    if (im->ramdisk_len) {
        si->mod_len = im->ramdisk_len;
        if (l->initrd_va) {
            si->mod_start = l->initrd_va;
        } else {
            si->mod_start = l->initrd_pfn;
            si->flags |= SIF_MOD_START_PFN;
        }
    }
    if (im->cmdline) {
        strncpy(si->cmd_line, im->cmdline, sizeof(si->cmd_line) - 1);
        si->cmd_line[sizeof(si->cmd_line) - 1] = '\0';
    }
}

int xb_image_write(const struct xb_image *im, uint8_t *mem, const char **why)
{
    const struct pv_layout *l = im->layout;
    const struct xb_kernel *k = im->kernel;
    struct mem m = { .base = mem, .virt_base = l->v_start, .pages = l->next_pfn };

    *why = NULL;
    if (l->next_pfn > im->nr_pages || l->v_start != k->info.virt_base) {
        *why = "layout does not fit the domain";
        return -EINVAL;
    }
    memset(mem, 0, l->next_pfn * XB_PAGE);
    if (elf_load_pv(k->elf, k->elf_len, &k->info, copy_cb, zero_cb, &m)) {
        *why = "a kernel segment lies outside the domain's memory";
        return -EINVAL;
    }
    if (im->ramdisk_len) {
        uint8_t *dst = l->initrd_va ? va_ptr(&m, l->initrd_va, im->ramdisk_len)
                                    : mem + l->initrd_pfn * XB_PAGE;
        if (!dst || (!l->initrd_va && (l->initrd_pfn * XB_PAGE + im->ramdisk_len > l->next_pfn * XB_PAGE))) {
            *why = "the ramdisk lies outside the domain's memory";
            return -EINVAL;
        }
        memcpy(dst, im->ramdisk, im->ramdisk_len);
    }
    uint8_t *p2m = va_ptr(&m, l->p2m_va, im->nr_pages * sizeof(uint64_t));
    if (!p2m) {
        *why = "the p2m list lies outside the domain's memory";
        return -EINVAL;
    }
    for (unsigned long i = 0; i < im->nr_pages; i++) {
        uint64_t mfn = im->p2m[i];
        memcpy(p2m + i * sizeof(mfn), &mfn, sizeof(mfn));
    }
    fill_start_info(im, (struct start_info *)va_ptr(&m, l->start_info_va, XB_PAGE));
    return build_page_tables(im, &m, why);
}
