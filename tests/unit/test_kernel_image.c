// UNIT-SOURCES: hypervisor/common/kernel_image.c hypervisor/common/pv_layout.c
// UNIT-LIBS: -llzma
/* SPDX-License-Identifier: MIT */
/*
 * Hosted tests for bzImage unwrapping, ELF64 PV kernel parsing/loading and
 * the hypercall page. The ELF images are built here from hand-made headers
 * and notes; every parse runs on an exact-size heap copy so that ASan
 * catches any read past the end. One test reads a real Debian kernel when
 * XENO_TEST_VMLINUZ names it.
 */
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "xeno/errno.h"
#include "xeno/kernel_image.h"
#include "xeno/pv_layout.h"
#include "xen/elfnote.h"
#include "xen/features.h"

#define VIRT_BASE 0xffffffff80000000ull
#define KSTART    (VIRT_BASE + 0x1000000)   /* paddr 0x1000000 */

/* ---- little-endian writers ------------------------------------------- */

static void w16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void w32(uint8_t *p, uint32_t v) { w16(p, (uint16_t)v); w16(p + 2, (uint16_t)(v >> 16)); }
static void w64(uint8_t *p, uint64_t v) { w32(p, (uint32_t)v); w32(p + 4, (uint32_t)(v >> 32)); }

/* ---- a hand-made ELF PV kernel --------------------------------------- */

struct tnote {
    uint32_t type;
    uint8_t desc[64];
    uint32_t descsz;
    const char *owner;      /* NULL = "Xen" */
};

struct tseg {
    uint32_t type;          /* 0 = PT_LOAD */
    uint64_t paddr, vaddr, filesz, memsz;
    uint32_t flags;
};

struct tkernel {
    uint16_t e_type, e_machine;
    uint8_t ei_class, ei_data;
    uint64_t e_entry;
    unsigned int nr_segs;
    struct tseg seg[20];
    unsigned int nr_notes;
    struct tnote note[24];
    uint64_t note_align;
};

/* Offsets of interesting fields in the last image built. */
static size_t g_phoff, g_note_off, g_note_phdr;

static void add_num(struct tkernel *k, uint32_t type, uint64_t v, uint32_t size)
{
    struct tnote *n = &k->note[k->nr_notes++];

    memset(n, 0, sizeof(*n));
    n->type = type;
    n->descsz = size;
    for (uint32_t i = 0; i < size; i++)
        n->desc[i] = (uint8_t)(v >> (8 * i));
}

static void add_str(struct tkernel *k, uint32_t type, const char *s, bool nul)
{
    struct tnote *n = &k->note[k->nr_notes++];

    memset(n, 0, sizeof(*n));
    n->type = type;
    n->descsz = (uint32_t)strlen(s) + (nul ? 1 : 0);
    memcpy(n->desc, s, strlen(s));
}

static struct tnote *find_note(struct tkernel *k, uint32_t type)
{
    for (unsigned int i = 0; i < k->nr_notes; i++)
        if (k->note[i].type == type && !k->note[i].owner)
            return &k->note[i];
    return NULL;
}

static void del_note(struct tkernel *k, uint32_t type)
{
    struct tnote *n = find_note(k, type);

    if (n) {
        memmove(n, n + 1, (size_t)(&k->note[k->nr_notes] - (n + 1)) * sizeof(*n));
        k->nr_notes--;
    }
}

/* A Debian-6.1-like kernel: text, data, a per-CPU segment linked at VA 0, init+bss. */
static void default_kernel(struct tkernel *k)
{
    memset(k, 0, sizeof(*k));
    k->e_type = 2;
    k->e_machine = 62;
    k->ei_class = 2;
    k->ei_data = 1;
    k->e_entry = 0x1000000;     /* Linux's e_entry is physical */
    k->nr_segs = 3;
    k->seg[0] = (struct tseg){ 0, 0x1000000, 0xffffffff81000000ull, 0x3000, 0x3000, 5 };
    k->seg[1] = (struct tseg){ 0, 0x1004000, 0, 0x1000, 0x1000, 6 };
    k->seg[2] = (struct tseg){ 0, 0x1006000, 0xffffffff81006000ull, 0x800, 0x3000, 7 };
    add_str(k, XEN_ELFNOTE_GUEST_OS, "linux", true);
    add_str(k, XEN_ELFNOTE_GUEST_VERSION, "2.6", true);
    add_str(k, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", true);
    add_num(k, XEN_ELFNOTE_VIRT_BASE, VIRT_BASE, 8);
    add_num(k, XEN_ELFNOTE_INIT_P2M, 0x8000000000ull, 8);
    add_num(k, XEN_ELFNOTE_ENTRY, KSTART + 0x40, 8);
    add_num(k, XEN_ELFNOTE_HYPERCALL_PAGE, KSTART + 0x1000, 8);
    add_str(k, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb", false);
    add_num(k, XEN_ELFNOTE_SUPPORTED_FEATURES, 0x8801, 4);
    add_str(k, XEN_ELFNOTE_PAE_MODE, "yes", true);
    add_str(k, XEN_ELFNOTE_LOADER, "generic", true);
    {
        struct tnote *n = &k->note[k->nr_notes++];
        memset(n, 0, sizeof(*n));
        n->type = XEN_ELFNOTE_L1_MFN_VALID;
        n->descsz = 16;
        n->desc[0] = 1;
        n->desc[8] = 1;
    }
    add_num(k, XEN_ELFNOTE_SUSPEND_CANCEL, 1, 4);
    add_num(k, XEN_ELFNOTE_MOD_START_PFN, 1, 4);
    add_num(k, XEN_ELFNOTE_HV_START_LOW, 0xffff800000000000ull, 8);
    add_num(k, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
    add_num(k, XEN_ELFNOTE_PHYS32_ENTRY, 0x1000850, 4);
    /* A foreign note with the same type number must be ignored. */
    k->note[k->nr_notes] = (struct tnote){ .type = XEN_ELFNOTE_ENTRY, .descsz = 4,
                                           .owner = "GNU" };
    k->nr_notes++;
}

static size_t up(size_t v, size_t a) { return (v + a - 1) / a * a; }

/* Serialise k into buf; returns the image length. Segment data byte j of
 * segment i is (i * 16 + j) & 0xff, non-zero-ish and position dependent. */
static size_t build(const struct tkernel *k, uint8_t *buf, size_t cap)
{
    size_t na = k->note_align ? k->note_align : 4;
    size_t phnum = k->nr_segs + 1, off, notes_len = 0;

    memset(buf, 0, cap);
    memcpy(buf, "\177ELF", 4);
    buf[4] = k->ei_class;
    buf[5] = k->ei_data;
    buf[6] = 1;
    w16(buf + 16, k->e_type);
    w16(buf + 18, k->e_machine);
    w32(buf + 20, 1);
    w64(buf + 24, k->e_entry);
    g_phoff = 64;
    w64(buf + 32, g_phoff);
    w16(buf + 52, 64);
    w16(buf + 54, 56);
    w16(buf + 56, (uint16_t)phnum);

    /* Notes right after the program headers. */
    g_note_off = up(g_phoff + phnum * 56, 8);
    off = g_note_off;
    for (unsigned int i = 0; i < k->nr_notes; i++) {
        const struct tnote *n = &k->note[i];
        const char *owner = n->owner ? n->owner : "Xen";
        uint32_t namesz = (uint32_t)strlen(owner) + 1;

        w32(buf + off, namesz);
        w32(buf + off + 4, n->descsz);
        w32(buf + off + 8, n->type);
        memcpy(buf + off + 12, owner, namesz);
        off = off + 12 + up(namesz, na);
        memcpy(buf + off, n->desc, n->descsz);
        off += up(n->descsz, na);
    }
    notes_len = off - g_note_off;

    off = up(off, 16);
    for (unsigned int i = 0; i < k->nr_segs; i++) {
        const struct tseg *s = &k->seg[i];
        uint8_t *ph = buf + g_phoff + i * 56;

        w32(ph, s->type ? s->type : 1);
        w32(ph + 4, s->flags);
        w64(ph + 8, off);
        w64(ph + 16, s->vaddr);
        w64(ph + 24, s->paddr);
        w64(ph + 32, s->filesz);
        w64(ph + 40, s->memsz);
        w64(ph + 48, 0x1000);
        CU_ASSERT_FATAL(off + s->filesz <= cap);
        for (uint64_t j = 0; j < s->filesz; j++)
            buf[off + j] = (uint8_t)(i * 16 + j + 1);
        off += s->filesz;
    }
    g_note_phdr = g_phoff + k->nr_segs * 56;
    w32(buf + g_note_phdr, 4);
    w32(buf + g_note_phdr + 4, 4);
    w64(buf + g_note_phdr + 8, g_note_off);
    w64(buf + g_note_phdr + 32, notes_len);
    w64(buf + g_note_phdr + 40, notes_len);
    w64(buf + g_note_phdr + 48, na);
    return off;
}

static uint8_t scratch[1 << 16];

/* Parse an exact-size heap copy of buf[0, len). */
static int parse(const uint8_t *buf, size_t len, struct pv_elf_info *info, const char **why)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    memcpy(copy, buf, len);
    rc = elf_parse_pv(copy, len, info, why);
    free(copy);
    return rc;
}

static int parse_kernel(const struct tkernel *k, struct pv_elf_info *info, const char **why)
{
    size_t len = build(k, scratch, sizeof(scratch));

    return parse(scratch, len, info, why);
}

/* ---- bzImage ---------------------------------------------------------- */

static size_t make_bzimage(uint8_t *b, size_t cap, uint8_t setup_sects, uint16_t ver,
                           uint32_t poff, uint32_t plen)
{
    memset(b, 0, cap);
    b[0x1f1] = setup_sects;
    w16(b + 0x1fe, 0xaa55);
    memcpy(b + 0x202, "HdrS", 4);
    w16(b + 0x206, ver);
    w32(b + 0x248, poff);
    w32(b + 0x24c, plen);
    return cap;
}

static void test_bzimage(void)
{
    static uint8_t b[0x2000];
    const uint8_t *p = NULL;
    const char *why = "x";
    size_t n = 0, out = 0;

    make_bzimage(b, sizeof(b), 2, 0x20f, 0x100, 0x50);
    CU_ASSERT_EQUAL(bzimage_payload(b, sizeof(b), &p, &n, &why), 0);
    CU_ASSERT_PTR_EQUAL(p, b + 3 * 512 + 0x100);
    CU_ASSERT_EQUAL(n, 0x50);
    CU_ASSERT_PTR_NULL(why);

    /* setup_sects 0 means 4. */
    make_bzimage(b, sizeof(b), 0, 0x208, 0, 0x10);
    CU_ASSERT_EQUAL(bzimage_payload(b, sizeof(b), &p, &n, &why), 0);
    CU_ASSERT_PTR_EQUAL(p, b + 5 * 512);

    /* Payload exactly to the end is fine, one byte more is not. */
    make_bzimage(b, sizeof(b), 1, 0x20f, 0x1000, 0x2000 - 0x1400);
    CU_ASSERT_EQUAL(bzimage_payload(b, sizeof(b), &p, &n, &why), 0);
    make_bzimage(b, sizeof(b), 1, 0x20f, 0x1000, 0x2000 - 0x1400 + 1);
    CU_ASSERT_EQUAL(bzimage_payload(b, sizeof(b), &p, &n, &why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(why);
    make_bzimage(b, sizeof(b), 255, 0x20f, 0xffffffffu, 0xffffffffu);
    CU_ASSERT_EQUAL(bzimage_payload(b, sizeof(b), &p, &n, &why), -EINVAL);
    make_bzimage(b, sizeof(b), 1, 0x20f, 0x10, 0);
    CU_ASSERT_EQUAL(bzimage_payload(b, sizeof(b), &p, &n, &why), -EINVAL);

    /* Protocol 2.07 has no payload fields (Xen: "at least v2.08 is required"). */
    make_bzimage(b, sizeof(b), 1, 0x207, 0x10, 0x10);
    CU_ASSERT_EQUAL(bzimage_payload(b, sizeof(b), &p, &n, &why), -EINVAL);

    /* Not a bzImage at all, or too short to tell. */
    memset(b, 0, sizeof(b));
    CU_ASSERT_EQUAL(bzimage_payload(b, sizeof(b), &p, &n, &why), -ENOEXEC);
    CU_ASSERT_EQUAL(bzimage_payload(b, 0x100, &p, &n, &why), -ENOEXEC);
    CU_ASSERT_EQUAL(bzimage_payload(NULL, 0, &p, &n, NULL), -ENOEXEC);
    /* "HdrS" but the header stops before the payload fields. */
    make_bzimage(b, sizeof(b), 1, 0x20f, 0x10, 0x10);
    {
        uint8_t *t = malloc(0x210);
        memcpy(t, b, 0x210);
        CU_ASSERT_EQUAL(bzimage_payload(t, 0x210, &p, &n, &why), -EINVAL);
        free(t);
    }

    /* The decompressed size word at the end of the payload. */
    {
        uint8_t pl[8] = { 1, 2, 3, 4, 0xb4, 0xa7, 0xed, 0x03 };
        CU_ASSERT_EQUAL(bzimage_output_size(pl, 8, &out), 0);
        CU_ASSERT_EQUAL(out, 65906612);
        CU_ASSERT_EQUAL(bzimage_output_size(pl, 3, &out), -EINVAL);
        memset(pl, 0, sizeof(pl));
        CU_ASSERT_EQUAL(bzimage_output_size(pl, 8, &out), -EINVAL);
    }
}

/* ---- ELF: the good cases --------------------------------------------- */

static void test_elf_good(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    const char *why = "x";

    default_kernel(&k);
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_PTR_NULL(why);
    CU_ASSERT_STRING_EQUAL(info.guest_os, "linux");
    CU_ASSERT_STRING_EQUAL(info.guest_version, "2.6");
    CU_ASSERT_STRING_EQUAL(info.xen_version, "xen-3.0");
    CU_ASSERT_STRING_EQUAL(info.loader, "generic");
    CU_ASSERT_STRING_EQUAL(info.features, "!writable_page_tables|pae_pgdir_above_4gb");
    CU_ASSERT_EQUAL(info.f_required, 1u << XENFEAT_writable_page_tables);
    CU_ASSERT_EQUAL(info.f_supported, (1u << XENFEAT_writable_page_tables) |
                    (1u << XENFEAT_pae_pgdir_above_4gb) | 0x8801u);
    CU_ASSERT_TRUE(pv_elf_has_note(&info, XEN_ELFNOTE_SUPPORTED_FEATURES));
    CU_ASSERT_EQUAL(info.supported_features, 0x8801);
    CU_ASSERT_EQUAL(info.virt_base, VIRT_BASE);
    CU_ASSERT_EQUAL(info.paddr_offset, 0);
    CU_ASSERT_EQUAL(info.entry, KSTART + 0x40);
    CU_ASSERT_EQUAL(info.e_entry, 0x1000000);
    CU_ASSERT_TRUE(pv_elf_has_note(&info, XEN_ELFNOTE_HYPERCALL_PAGE));
    CU_ASSERT_EQUAL(info.hypercall_page, KSTART + 0x1000);
    CU_ASSERT_TRUE(pv_elf_has_note(&info, XEN_ELFNOTE_INIT_P2M));
    CU_ASSERT_EQUAL(info.init_p2m, 0x8000000000ull);
    CU_ASSERT_EQUAL(info.hv_start_low, 0xffff800000000000ull);
    CU_ASSERT_TRUE(info.mod_start_pfn);
    CU_ASSERT_TRUE(info.suspend_cancel);
    CU_ASSERT_EQUAL(info.l1_mfn_valid_mask, 1);
    CU_ASSERT_EQUAL(info.l1_mfn_valid_value, 1);
    CU_ASSERT_EQUAL(info.phys32_entry, 0x1000850);
    CU_ASSERT_FALSE(pv_elf_has_note(&info, XEN_ELFNOTE_BSD_SYMTAB));

    /* Loaded by paddr: the per-CPU segment (vaddr 0) goes to virt_base + paddr. */
    CU_ASSERT_EQUAL_FATAL(info.nr_segs, 3);
    CU_ASSERT_EQUAL(info.seg[0].load_va, KSTART);
    CU_ASSERT_EQUAL(info.seg[1].vaddr, 0);
    CU_ASSERT_EQUAL(info.seg[1].load_va, KSTART + 0x4000);
    CU_ASSERT_EQUAL(info.seg[2].load_va, KSTART + 0x6000);
    CU_ASSERT_EQUAL(info.seg[2].filesz, 0x800);
    CU_ASSERT_EQUAL(info.seg[2].memsz, 0x3000);
    CU_ASSERT_EQUAL(info.virt_kstart, KSTART);
    CU_ASSERT_EQUAL(info.virt_kend, KSTART + 0x9000);

    CU_ASSERT_EQUAL(pv_elf_check_dom0(&info, &why), 0);
    CU_ASSERT_EQUAL(pv_elf_check_domu(&info, &why), 0);
}

/* Xen's defaults when notes are absent (libelf elf_xen_addr_calc_check). */
static void test_elf_defaults(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    const char *why;

    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_VIRT_BASE);
    del_note(&k, XEN_ELFNOTE_PADDR_OFFSET);
    del_note(&k, XEN_ELFNOTE_ENTRY);
    del_note(&k, XEN_ELFNOTE_HYPERCALL_PAGE);
    del_note(&k, XEN_ELFNOTE_INIT_P2M);
    del_note(&k, XEN_ELFNOTE_SUPPORTED_FEATURES);
    del_note(&k, XEN_ELFNOTE_MOD_START_PFN);
    k.e_entry = 0x1000010;
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(info.virt_base, 0);
    CU_ASSERT_EQUAL(info.paddr_offset, 0);
    CU_ASSERT_EQUAL(info.entry, 0x1000010);          /* e_entry */
    CU_ASSERT_EQUAL(info.virt_kstart, 0x1000000);
    CU_ASSERT_EQUAL(info.virt_kend, 0x1009000);
    CU_ASSERT_FALSE(info.mod_start_pfn);
    CU_ASSERT_FALSE(pv_elf_has_note(&info, XEN_ELFNOTE_HYPERCALL_PAGE));
    CU_ASSERT_FALSE(pv_elf_has_note(&info, XEN_ELFNOTE_INIT_P2M));
    /* No SUPPORTED_FEATURES note: Xen accepts it as dom0. */
    CU_ASSERT_EQUAL(pv_elf_check_dom0(&info, &why), 0);

    /* Legacy-style paddr == vaddr with PADDR_OFFSET = VIRT_BASE. */
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_PADDR_OFFSET);
    add_num(&k, XEN_ELFNOTE_PADDR_OFFSET, VIRT_BASE, 8);
    for (unsigned int i = 0; i < k.nr_segs; i++)
        k.seg[i].paddr += VIRT_BASE;
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(info.virt_kstart, KSTART);
    CU_ASSERT_EQUAL(info.seg[1].load_va, KSTART + 0x4000);

    /* Only GUEST_OS "linux" or only LOADER "generic" is enough. */
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_LOADER);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), 0);
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_GUEST_OS);
    add_str(&k, XEN_ELFNOTE_GUEST_OS, "NetBSD", true);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), 0);

    /* Unknown optional features are ignored; numeric notes may be 1..8 bytes. */
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_FEATURES);
    add_str(&k, XEN_ELFNOTE_FEATURES, "shiny_new_thing||dom0|!pae_pgdir_above_4gb", true);
    del_note(&k, XEN_ELFNOTE_SUSPEND_CANCEL);
    add_num(&k, XEN_ELFNOTE_SUSPEND_CANCEL, 1, 1);
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(info.f_required, 1u << XENFEAT_pae_pgdir_above_4gb);
    CU_ASSERT_TRUE(info.f_supported & (1u << XENFEAT_dom0));
    CU_ASSERT_TRUE(info.suspend_cancel);

    /* 8-aligned note segment: name and descriptor padded to 8. */
    default_kernel(&k);
    k.note_align = 8;
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(info.entry, KSTART + 0x40);
    CU_ASSERT_STRING_EQUAL(info.loader, "generic");

    /* Long strings are truncated, not overflowed. */
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_GUEST_VERSION);
    add_str(&k, XEN_ELFNOTE_GUEST_VERSION,
            "0123456789012345678901234567890123456789012345678901234567890", true);
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(strlen(info.guest_version), PV_ELF_STR_LEN - 1);
}

/* ---- ELF: not ours ----------------------------------------------------- */

static void test_elf_not_ours(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    const char *why;
    uint8_t junk[128] = { 0 };

    CU_ASSERT_EQUAL(parse(junk, sizeof(junk), &info, &why), -ENOEXEC);
    CU_ASSERT_EQUAL(parse(junk, 0, &info, &why), -ENOEXEC);
    CU_ASSERT_EQUAL(elf_parse_pv(NULL, 0, &info, &why), -ENOEXEC);

    default_kernel(&k);
    k.ei_class = 1;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -ENOEXEC);
    default_kernel(&k);
    k.ei_data = 2;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -ENOEXEC);
    default_kernel(&k);
    k.e_machine = 3;    /* EM_386 */
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -ENOEXEC);
    default_kernel(&k);
    k.e_type = 3;       /* ET_DYN */
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(why);

    /* An ELF without any Xen note is no PV kernel (libelf: "Not a Xen-ELF image"). */
    default_kernel(&k);
    k.nr_notes = 0;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -ENOEXEC);
    default_kernel(&k);
    for (unsigned int i = 0; i < k.nr_notes; i++)
        k.note[i].owner = "Xen2";
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -ENOEXEC);
}

/* ---- ELF: hostile headers and segments ------------------------------- */

static int parse_mut(size_t len, struct pv_elf_info *info)
{
    const char *why = NULL;
    int rc = parse(scratch, len, info, &why);

    if (rc)
        CU_ASSERT_PTR_NOT_NULL(why);
    return rc;
}

static void test_elf_hostile_headers(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    size_t len;

    default_kernel(&k);
    len = build(&k, scratch, sizeof(scratch));
    CU_ASSERT_EQUAL_FATAL(parse_mut(len, &info), 0);

    /* Truncated header, truncated phdrs, truncated segment data. */
    CU_ASSERT_EQUAL(parse_mut(40, &info), -EINVAL);
    CU_ASSERT_EQUAL(parse_mut(63, &info), -EINVAL);
    CU_ASSERT_EQUAL(parse_mut(64 + 56, &info), -EINVAL);
    CU_ASSERT_EQUAL(parse_mut(len - 1, &info), -EINVAL);

    /* e_version. */
    build(&k, scratch, sizeof(scratch));
    w32(scratch + 20, 2);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);

    /* Program headers past EOF, at a wrapping offset, bad entsize, huge/zero/XNUM phnum. */
    build(&k, scratch, sizeof(scratch));
    w64(scratch + 32, len - 10);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    build(&k, scratch, sizeof(scratch));
    w64(scratch + 32, 0xffffffffffffff00ull);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    build(&k, scratch, sizeof(scratch));
    w16(scratch + 54, 64);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    build(&k, scratch, sizeof(scratch));
    w16(scratch + 56, 0xfffe);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    build(&k, scratch, sizeof(scratch));
    w16(scratch + 56, 0xffff);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    build(&k, scratch, sizeof(scratch));
    w16(scratch + 56, 0);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);

    /* Segment offset past EOF, offset + filesz wrapping, filesz > memsz. */
    build(&k, scratch, sizeof(scratch));
    w64(scratch + g_phoff + 8, len + 1);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    build(&k, scratch, sizeof(scratch));
    w64(scratch + g_phoff + 8, 0xfffffffffffff000ull);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    build(&k, scratch, sizeof(scratch));
    w64(scratch + g_phoff + 56 + 32, 0x2000);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    /* Note segment past EOF. */
    build(&k, scratch, sizeof(scratch));
    w64(scratch + g_note_phdr + 32, len);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    /* A note segment with p_offset 0 is skipped (binutils quirk) -> no notes. */
    build(&k, scratch, sizeof(scratch));
    w64(scratch + g_note_phdr + 8, 0);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -ENOEXEC);
}

static void test_elf_hostile_segments(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    const char *why;

    /* paddr + memsz overflows; vaddr + memsz overflows. */
    default_kernel(&k);
    k.seg[2].paddr = 0xfffffffffffff000ull;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    default_kernel(&k);
    k.seg[1].vaddr = 0xfffffffffffff800ull;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    /* Load VA overflows although paddr does not. */
    default_kernel(&k);
    k.seg[2].paddr = 0x7ffffffff000ull;
    k.seg[2].memsz = 0x80000000ull;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);

    /* Overlapping segments (by load address). */
    default_kernel(&k);
    k.seg[1].paddr = 0x1002000;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(why);
    /* Touching is fine. */
    default_kernel(&k);
    k.seg[1].paddr = 0x1003000;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), 0);

    /* Non-loadable PT_LOAD (no R/W/X), zero memsz and other types are skipped. */
    default_kernel(&k);
    k.seg[1].flags = 0;
    k.seg[1].paddr = 0x1000000;     /* would overlap if loaded */
    k.seg[2].type = 6;              /* PT_PHDR */
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(info.nr_segs, 1);

    /* No loadable segment; too many. */
    default_kernel(&k);
    for (unsigned int i = 0; i < 3; i++)
        k.seg[i].flags = 0;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    default_kernel(&k);
    k.nr_segs = PV_ELF_MAX_SEGS + 1;
    for (unsigned int i = 0; i < k.nr_segs; i++)
        k.seg[i] = (struct tseg){ 0, 0x1000000 + i * 0x1000, 0, 0x10, 0x1000, 4 };
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    k.nr_segs = PV_ELF_MAX_SEGS;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), 0);

    /* Missing entry: no ENTRY note and e_entry 0; entry past the image. */
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_ENTRY);
    k.e_entry = 0;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_ENTRY);
    add_num(&k, XEN_ELFNOTE_ENTRY, KSTART + 0x9000, 8);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);

    /* Image below VIRT_BASE. */
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_PADDR_OFFSET);
    add_num(&k, XEN_ELFNOTE_PADDR_OFFSET, 0x2000000, 8);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);

    /* INIT_P2M inside the image; hypercall page misaligned or outside. */
    default_kernel(&k);
    find_note(&k, XEN_ELFNOTE_INIT_P2M)->desc[0] = 0;
    w64(find_note(&k, XEN_ELFNOTE_INIT_P2M)->desc, KSTART + 0x2000);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    default_kernel(&k);
    w64(find_note(&k, XEN_ELFNOTE_HYPERCALL_PAGE)->desc, KSTART + 0x1800);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    w64(find_note(&k, XEN_ELFNOTE_HYPERCALL_PAGE)->desc, KSTART + 0x9000);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    w64(find_note(&k, XEN_ELFNOTE_HYPERCALL_PAGE)->desc, KSTART + 0x8000);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), 0);
}

/* ---- ELF: hostile notes and refused kernels --------------------------- */

static void test_elf_hostile_notes(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    const char *why;
    size_t len;

    /* descsz past the end of the note segment. */
    default_kernel(&k);
    len = build(&k, scratch, sizeof(scratch));
    w32(scratch + g_note_off + 4, 0x10000);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    w32(scratch + g_note_off + 4, 0xffffffffu);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    /* namesz past the end. */
    build(&k, scratch, sizeof(scratch));
    w32(scratch + g_note_off, 0xfffffff0u);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    /* The segment cut in the middle of a note's descriptor. */
    build(&k, scratch, sizeof(scratch));
    w64(scratch + g_note_phdr + 32, 12 + 4 + 3);
    CU_ASSERT_EQUAL(parse_mut(len, &info), -EINVAL);
    /* ... or in the middle of a header: the stub is ignored. */
    build(&k, scratch, sizeof(scratch));
    {
        uint64_t fs = 0;
        for (int i = 0; i < 8; i++)
            fs |= (uint64_t)scratch[g_note_phdr + 32 + i] << (8 * i);
        w64(scratch + g_note_phdr + 32, fs + 8);
    }
    CU_ASSERT_EQUAL(parse_mut(len, &info), 0);

    /* Numeric note of an odd size; short SUPPORTED_FEATURES / L1_MFN_VALID. */
    default_kernel(&k);
    find_note(&k, XEN_ELFNOTE_ENTRY)->descsz = 3;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    default_kernel(&k);
    find_note(&k, XEN_ELFNOTE_SUPPORTED_FEATURES)->descsz = 2;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    default_kernel(&k);
    find_note(&k, XEN_ELFNOTE_L1_MFN_VALID)->descsz = 8;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    /* Empty string notes are fine but fail the XEN_VERSION check. */
    default_kernel(&k);
    find_note(&k, XEN_ELFNOTE_XEN_VERSION)->descsz = 0;
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);

    /* Refused: wrong XEN_VERSION, missing, wrong loader/OS. */
    default_kernel(&k);
    memcpy(find_note(&k, XEN_ELFNOTE_XEN_VERSION)->desc, "xen-2.0", 7);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_XEN_VERSION);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_LOADER);
    del_note(&k, XEN_ELFNOTE_GUEST_OS);
    add_str(&k, XEN_ELFNOTE_GUEST_OS, "plan9", true);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);

    /* PADDR_OFFSET without VIRT_BASE. */
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_VIRT_BASE);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);

    /* Required features: unknown -> -EINVAL, unsupported -> -EOPNOTSUPP. */
    static const char *const refused[] = {
        "!auto_translated_physmap", "!supervisor_mode_kernel",
        "!hvm_callback_vector", "!writable_descriptor_tables",
    };
    for (unsigned int i = 0; i < 4; i++) {
        default_kernel(&k);
        del_note(&k, XEN_ELFNOTE_FEATURES);
        add_str(&k, XEN_ELFNOTE_FEATURES, refused[i], true);
        CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EOPNOTSUPP);
        /* ... but merely supporting them is fine. */
        default_kernel(&k);
        del_note(&k, XEN_ELFNOTE_FEATURES);
        add_str(&k, XEN_ELFNOTE_FEATURES, refused[i] + 1, true);
        CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), 0);
    }
    default_kernel(&k);
    del_note(&k, XEN_ELFNOTE_FEATURES);
    add_str(&k, XEN_ELFNOTE_FEATURES, "writable_page_tables|!time_travel", true);
    CU_ASSERT_EQUAL(parse_kernel(&k, &info, &why), -EINVAL);
}

static void test_dom0_domu_checks(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    const char *why = NULL;

    default_kernel(&k);
    w32(find_note(&k, XEN_ELFNOTE_SUPPORTED_FEATURES)->desc, 0x8001);
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(pv_elf_check_dom0(&info, &why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(why);
    CU_ASSERT_EQUAL(pv_elf_check_domu(&info, &why), 0);

    /* "dom0" in FEATURES does not satisfy Xen's SUPPORTED_FEATURES check. */
    del_note(&k, XEN_ELFNOTE_FEATURES);
    add_str(&k, XEN_ELFNOTE_FEATURES, "!dom0", true);
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(pv_elf_check_dom0(&info, &why), -EINVAL);
    CU_ASSERT_EQUAL(pv_elf_check_domu(&info, &why), -EINVAL);
    del_note(&k, XEN_ELFNOTE_SUPPORTED_FEATURES);
    CU_ASSERT_EQUAL_FATAL(parse_kernel(&k, &info, &why), 0);
    CU_ASSERT_EQUAL(pv_elf_check_dom0(&info, &why), 0);
}

/* Random corruption of a good image must never crash or read out of bounds. */
static void test_elf_fuzz(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    static uint8_t base[1 << 16];
    uint64_t s = 0x243f6a8885a308d3ull;
    size_t len;
    unsigned int accepted = 0;

    default_kernel(&k);
    len = build(&k, base, sizeof(base));
    for (unsigned int iter = 0; iter < 20000; iter++) {
        size_t n = len;
        memcpy(scratch, base, len);
        for (unsigned int m = 0; m < 1 + iter % 4; m++) {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            /* Mostly hit headers and notes, where the structure is. */
            size_t pos = (s >> 8) % (iter & 1 ? g_note_off + 0x300 : len);
            scratch[pos] = (uint8_t)(s >> 40);
        }
        if (iter % 7 == 0)
            n = (size_t)((s >> 20) % len);
        const char *why = NULL;
        int rc = parse(scratch, n, &info, &why);
        CU_ASSERT(rc == 0 || rc == -EINVAL || rc == -ENOEXEC || rc == -EOPNOTSUPP);
        if (rc == 0) {
            accepted++;
            CU_ASSERT(info.virt_kstart < info.virt_kend);
            CU_ASSERT(info.entry >= info.virt_kstart && info.entry < info.virt_kend);
            for (unsigned int i = 0; i < info.nr_segs; i++)
                CU_ASSERT(info.seg[i].offset + info.seg[i].filesz <= n);
        } else {
            CU_ASSERT_PTR_NOT_NULL(why);
        }
    }
    CU_ASSERT(accepted > 0);
}

/* ---- loading ----------------------------------------------------------- */

struct sim_mem {
    uint64_t base;
    uint8_t *mem;
    size_t size;
    int copies, zeros;
    int fail_at;            /* fail the n-th callback (1-based), 0 = never */
};

static int sim_check(struct sim_mem *m, uint64_t va, size_t n)
{
    if (m->fail_at && m->copies + m->zeros + 1 == m->fail_at)
        return -EFAULT;
    if (va < m->base || va - m->base > m->size || n > m->size - (va - m->base)) {
        CU_FAIL("load outside the simulated guest memory");
        return -EFAULT;
    }
    return 0;
}

static int sim_copy(void *ctx, uint64_t va, const void *src, size_t n)
{
    struct sim_mem *m = ctx;
    int rc = sim_check(m, va, n);

    if (rc)
        return rc;
    memcpy(m->mem + (va - m->base), src, n);
    m->copies++;
    return 0;
}

static int sim_zero(void *ctx, uint64_t va, size_t n)
{
    struct sim_mem *m = ctx;
    int rc = sim_check(m, va, n);

    if (rc)
        return rc;
    memset(m->mem + (va - m->base), 0, n);
    m->zeros++;
    return 0;
}

static void test_elf_load(void)
{
    struct tkernel k;
    struct pv_elf_info info;
    const char *why;
    struct sim_mem m = { .base = KSTART, .size = 0x9000 };
    size_t len;

    default_kernel(&k);
    len = build(&k, scratch, sizeof(scratch));
    CU_ASSERT_EQUAL_FATAL(parse(scratch, len, &info, &why), 0);
    m.mem = malloc(m.size);
    memset(m.mem, 0xee, m.size);
    CU_ASSERT_EQUAL(elf_load_pv(scratch, len, &info, sim_copy, sim_zero, &m), 0);
    CU_ASSERT_EQUAL(m.copies, 3);
    CU_ASSERT_EQUAL(m.zeros, 1);
    /* Segment i byte j is (i * 16 + j + 1) & 0xff; seg 1 (vaddr 0) at +0x4000. */
    CU_ASSERT_EQUAL(m.mem[0], 1);
    CU_ASSERT_EQUAL(m.mem[0x2fff], (uint8_t)(0x2fff + 1));
    CU_ASSERT_EQUAL(m.mem[0x3000], 0xee);           /* gap untouched */
    CU_ASSERT_EQUAL(m.mem[0x4000], 17);
    CU_ASSERT_EQUAL(m.mem[0x6000], 33);
    CU_ASSERT_EQUAL(m.mem[0x67ff], (uint8_t)(32 + 0x7ff + 1));
    for (size_t i = 0x6800; i < 0x9000; i++)
        if (m.mem[i] != 0) {
            CU_FAIL("bss not zeroed");
            break;
        }

    /* Callback errors propagate and stop the load. */
    m.copies = m.zeros = 0;
    m.fail_at = 2;
    CU_ASSERT_EQUAL(elf_load_pv(scratch, len, &info, sim_copy, sim_zero, &m), -EFAULT);
    CU_ASSERT_EQUAL(m.copies, 1);
    m.copies = m.zeros = 0;
    m.fail_at = 4;
    CU_ASSERT_EQUAL(elf_load_pv(scratch, len, &info, sim_copy, sim_zero, &m), -EFAULT);
    CU_ASSERT_EQUAL(m.zeros, 0);

    /* A mismatched (shorter) buffer is refused, not over-read. */
    m.fail_at = 0;
    CU_ASSERT_EQUAL(elf_load_pv(scratch, len - 1, &info, sim_copy, sim_zero, &m), -EINVAL);
    free(m.mem);
}

/* ---- hypercall page ---------------------------------------------------- */

static void test_hypercall_page(void)
{
    static const uint8_t stub5[14] = { 0x51, 0x41, 0x53, 0xb8, 5, 0, 0, 0,
                                       0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
    static const uint8_t iret[11] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 0x17, 0, 0, 0,
                                      0x0f, 0x05 };
    uint8_t page[4096];

    memset(page, 0, sizeof(page));
    pv_hypercall_page_fill(page);
    CU_ASSERT_EQUAL(memcmp(page + 5 * 32, stub5, sizeof(stub5)), 0);
    CU_ASSERT_EQUAL(memcmp(page + 23 * 32, iret, sizeof(iret)), 0);
    for (unsigned int i = 0; i < 128; i++) {
        const uint8_t *p = page + i * 32;
        unsigned int used = i == 23 ? 11 : 14;

        if (i != 23) {
            CU_ASSERT_EQUAL(p[3], 0xb8);
            CU_ASSERT_EQUAL(p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24, i);
            CU_ASSERT_EQUAL(p[13], 0xc3);
        }
        for (unsigned int j = used; j < 32; j++)
            if (p[j] != 0xcc) {
                CU_FAIL("hypercall page padding is not int3");
                return;
            }
    }
}

/* ---- the real Debian kernel ------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* liblzma, one stream; the trailing size word is not part of it. */
static int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *out_len)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret r;

    if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
        return -1;
    s.next_in = in;
    s.avail_in = in_len;
    s.next_out = out;
    s.avail_out = cap;
    r = lzma_code(&s, LZMA_FINISH);
    *out_len = cap - s.avail_out;
    lzma_end(&s);
    return r == LZMA_STREAM_END ? 0 : -1;
}

static void print_layout(const char *title, const struct pv_layout *l)
{
    printf("\n  layout (%s):\n", title);
    printf("    v_start..v_end   %#llx..%#llx (%lu pages mapped)\n",
           (unsigned long long)l->v_start, (unsigned long long)l->v_end, l->region_pages);
    printf("    kernel           %#llx..%#llx\n",
           (unsigned long long)l->kernel_start, (unsigned long long)l->kernel_end);
    printf("    initrd           va %#llx pfn %#lx\n",
           (unsigned long long)l->initrd_va, l->initrd_pfn);
    printf("    p2m list         %#llx (%lu pages)", (unsigned long long)l->p2m_va, l->p2m_pages);
    if (l->p2m_frames)
        printf(" frames pfn %#lx+%lu (%lu pt)", l->p2m_pfn, l->p2m_frames, l->p2m_pt_frames);
    printf("\n    start_info       %#llx\n", (unsigned long long)l->start_info_va);
    if (l->xenstore_va)
        printf("    xenstore/console %#llx %#llx\n", (unsigned long long)l->xenstore_va,
               (unsigned long long)l->console_va);
    printf("    page tables      %#llx, %lu frames (L3 %lu, L2 %lu, L1 %lu)\n",
           (unsigned long long)l->pt_va, l->nr_pt_frames, l->nr_l3, l->nr_l2, l->nr_l1);
    printf("    stack            %#llx, boot rsp %#llx\n", (unsigned long long)l->stack_va,
           (unsigned long long)l->boot_sp);
    printf("    pages needed     %lu\n", l->next_pfn);
}

static void test_real_kernel(void)
{
    const char *path = getenv("XENO_TEST_VMLINUZ");
    const uint8_t *payload;
    size_t len, plen, out_size = 0, out_len = 0;
    uint8_t *img, *elf;
    struct pv_elf_info info;
    struct pv_layout lay;
    const char *why = NULL;

    if (!path || !*path) {
        printf("\n  NOTE: XENO_TEST_VMLINUZ unset, skipping the real-kernel test\n");
        return;
    }
    img = read_file(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(img);
    CU_ASSERT_EQUAL_FATAL(bzimage_payload(img, len, &payload, &plen, &why), 0);
    CU_ASSERT_EQUAL_FATAL(bzimage_output_size(payload, plen, &out_size), 0);
    elf = malloc(out_size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(elf);
    CU_ASSERT_EQUAL_FATAL(unxz(payload, plen, elf, out_size, &out_len), 0);
    CU_ASSERT_EQUAL(out_len, out_size);

    int rc = elf_parse_pv(elf, out_len, &info, &why);
    if (rc)
        printf("\n  parse failed: %d %s\n", rc, why);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(pv_elf_check_dom0(&info, &why), 0);
    CU_ASSERT_EQUAL(pv_elf_check_domu(&info, &why), 0);

    /* Checklist table 1.2. */
    CU_ASSERT_STRING_EQUAL(info.guest_os, "linux");
    CU_ASSERT_STRING_EQUAL(info.xen_version, "xen-3.0");
    CU_ASSERT_STRING_EQUAL(info.loader, "generic");
    CU_ASSERT_EQUAL(info.virt_base, 0xffffffff80000000ull);
    CU_ASSERT_TRUE(pv_elf_has_note(&info, XEN_ELFNOTE_PADDR_OFFSET));
    CU_ASSERT_EQUAL(info.paddr_offset, 0);
    CU_ASSERT_TRUE(pv_elf_has_note(&info, XEN_ELFNOTE_ENTRY));
    CU_ASSERT(info.entry >= info.virt_kstart && info.entry < info.virt_kend);
    CU_ASSERT_TRUE(pv_elf_has_note(&info, XEN_ELFNOTE_INIT_P2M));
    CU_ASSERT_EQUAL(info.init_p2m, 0x8000000000ull);
    CU_ASSERT_TRUE(info.mod_start_pfn);
    CU_ASSERT_TRUE(pv_elf_has_note(&info, XEN_ELFNOTE_SUPPORTED_FEATURES));
    CU_ASSERT_TRUE(info.supported_features & (1u << XENFEAT_dom0));
    CU_ASSERT_TRUE(info.f_required & (1u << XENFEAT_writable_page_tables));
    /* The per-CPU segment is linked at VA 0 but loads by paddr. */
    bool percpu = false;
    for (unsigned int i = 0; i < info.nr_segs; i++)
        if (info.seg[i].vaddr == 0 && info.seg[i].load_va == info.virt_base + info.seg[i].paddr)
            percpu = true;
    CU_ASSERT_TRUE(percpu);

    printf("\n  %s: bzImage payload %zu bytes -> ELF %zu bytes\n", path, plen, out_len);
    printf("    GUEST_OS %s GUEST_VERSION %s XEN_VERSION %s LOADER %s\n",
           info.guest_os, info.guest_version, info.xen_version, info.loader);
    printf("    FEATURES \"%s\" supported %#x required %#x SUPPORTED_FEATURES %#x\n",
           info.features, info.f_supported, info.f_required, info.supported_features);
    printf("    VIRT_BASE %#llx PADDR_OFFSET %#llx ENTRY %#llx (e_entry %#llx)\n",
           (unsigned long long)info.virt_base, (unsigned long long)info.paddr_offset,
           (unsigned long long)info.entry, (unsigned long long)info.e_entry);
    printf("    HYPERCALL_PAGE %s INIT_P2M %#llx MOD_START_PFN %d SUSPEND_CANCEL %d\n",
           pv_elf_has_note(&info, XEN_ELFNOTE_HYPERCALL_PAGE) ? "present" : "absent",
           (unsigned long long)info.init_p2m, info.mod_start_pfn, info.suspend_cancel);
    printf("    HV_START_LOW %#llx L1_MFN_VALID %#llx/%#llx PHYS32_ENTRY %#x notes %#x\n",
           (unsigned long long)info.hv_start_low, (unsigned long long)info.l1_mfn_valid_mask,
           (unsigned long long)info.l1_mfn_valid_value, info.phys32_entry, info.notes);
    for (unsigned int i = 0; i < info.nr_segs; i++)
        printf("    LOAD paddr %#llx vaddr %#llx -> va %#llx filesz %#llx memsz %#llx\n",
               (unsigned long long)info.seg[i].paddr, (unsigned long long)info.seg[i].vaddr,
               (unsigned long long)info.seg[i].load_va, (unsigned long long)info.seg[i].filesz,
               (unsigned long long)info.seg[i].memsz);
    printf("    virt_kstart %#llx virt_kend %#llx\n", (unsigned long long)info.virt_kstart,
           (unsigned long long)info.virt_kend);

    /* Load it into a simulated image and spot-check the entry bytes. */
    {
        struct sim_mem m = { .base = info.virt_kstart,
                             .size = info.virt_kend - info.virt_kstart };
        m.mem = calloc(1, m.size);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m.mem);
        CU_ASSERT_EQUAL(elf_load_pv(elf, out_len, &info, sim_copy, sim_zero, &m), 0);
        for (unsigned int i = 0; i < info.nr_segs; i++)
            if (info.seg[i].filesz)
                CU_ASSERT_EQUAL(memcmp(m.mem + (info.seg[i].load_va - m.base),
                                       elf + info.seg[i].offset, 64), 0);
        free(m.mem);
    }

    /* dom0 with 128 MiB and a 10 MiB initrd, as Xen would build it. */
    struct pv_layout_in in = {
        .virt_kstart = info.virt_kstart, .virt_kend = info.virt_kend,
        .virt_base = info.virt_base, .nr_pages = (128u << 20) >> 12,
        .initrd_len = 10u << 20, .initrd_unmapped = info.mod_start_pfn,
        .is_dom0 = true, .p2m_at_init_p2m = pv_elf_has_note(&info, XEN_ELFNOTE_INIT_P2M),
        .init_p2m_va = info.init_p2m,
    };
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &lay, &why), 0);
    print_layout("dom0, 128 MiB, 10 MiB initrd via MOD_START_PFN, p2m at INIT_P2M", &lay);
    in.initrd_unmapped = false;
    in.p2m_at_init_p2m = false;
    CU_ASSERT_EQUAL(pv_layout_compute(&in, &lay, &why), 0);
    print_layout("dom0, same, initrd and p2m mapped in the region", &lay);

    free(elf);
    free(img);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "bzImage payload", test_bzimage },
        { "ELF good kernel", test_elf_good },
        { "ELF defaults and variants", test_elf_defaults },
        { "ELF not a PV kernel", test_elf_not_ours },
        { "ELF hostile headers", test_elf_hostile_headers },
        { "ELF hostile segments", test_elf_hostile_segments },
        { "ELF hostile notes and refusals", test_elf_hostile_notes },
        { "dom0/domU checks", test_dom0_domu_checks },
        { "ELF fuzz", test_elf_fuzz },
        { "ELF load", test_elf_load },
        { "hypercall page", test_hypercall_page },
        { "real Debian kernel (XENO_TEST_VMLINUZ)", test_real_kernel },
        { NULL, NULL },
    };
    unit_add_suite("kernel_image", cases);
}
