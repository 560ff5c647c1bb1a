// UNIT-SOURCES: dom0-tools/builder/image.c dom0-tools/builder/start_state.c dom0-tools/builder/kernel.c dom0-tools/builder/kernel_cache.c dom0-tools/builder/unpack.c dom0-tools/builder/err.c dom0-tools/builder/file.c hypervisor/common/kernel_image.c hypervisor/common/pv_layout.c hypervisor/lib/decompress.c hypervisor/lib/inflate.c hypervisor/lib/xz.c hypervisor/lib/zstd.c hypervisor/lib/crc32.c hypervisor/lib/crc64.c
// UNIT-LIBS: -lz -llzma -llz4 -lzstd -lbz2
/* SPDX-License-Identifier: MIT */
/*
 * Hosted tests for libxenobuild's kernel reading (bare ELF, bzImage with a
 * compressed payload, compressed ELF, refusals naming the file) and its
 * start-of-day memory image, written into plain memory standing in for
 * the domain's frames, with a scrambled p2m so that every MFN in a page
 * table or start_info is checked against the right pfn: every page of the
 * region maps 1:1, page-table frames read-only, start_info, p2m list,
 * ramdisk, zeroed pages, vCPU 0's context and the seeded grants.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/elfnote.h>
#include <xen/grant_table.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "xenobuild.h"

#include "unit.h"
#include "../../dom0-tools/builder/xb_priv.h"

#define VB       0xffffffff80000000ull
#define PADDR    0x200000ull
#define FILESZ   (3 * 4096 + 100)
#define MEMSZ    (6 * 4096)
#define SEG_OFF  0x1000
#define NR_PAGES 8192ul                 /* 32 MiB; a power of two (see mfn_of) */
#define MFN_BASE 0x40000ul

/* ---- a tiny PV kernel --------------------------------------------------- */

struct note_buf {
    uint8_t b[1024];
    size_t n;
};

static void note(struct note_buf *nb, uint32_t type, const void *desc, uint32_t len)
{
    Elf64_Nhdr h = { .n_namesz = 4, .n_descsz = len, .n_type = type };
    memcpy(nb->b + nb->n, &h, sizeof(h));
    memcpy(nb->b + nb->n + sizeof(h), "Xen", 4);
    memcpy(nb->b + nb->n + sizeof(h) + 4, desc, len);
    nb->n += sizeof(h) + 4 + ((len + 3) & ~3u);
}

static void note_u64(struct note_buf *nb, uint32_t type, uint64_t v)
{
    note(nb, type, &v, 8);
}

/* ELF64 with one PT_LOAD at PADDR (+VB) and the notes Linux has. */
static uint8_t *make_elf(bool mod_start_pfn, const char *features, size_t *len)
{
    struct note_buf nb = { .n = 0 };
    note(&nb, XEN_ELFNOTE_GUEST_OS, "linux", 6);
    note(&nb, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
    note_u64(&nb, XEN_ELFNOTE_VIRT_BASE, VB);
    note_u64(&nb, XEN_ELFNOTE_PADDR_OFFSET, 0);
    note_u64(&nb, XEN_ELFNOTE_ENTRY, VB + PADDR + 0x40);
    note_u64(&nb, XEN_ELFNOTE_HYPERCALL_PAGE, VB + PADDR + 0x1000);
    if (mod_start_pfn)
        note_u64(&nb, XEN_ELFNOTE_MOD_START_PFN, 1);
    if (features)
        note(&nb, XEN_ELFNOTE_FEATURES, features, (uint32_t)strlen(features) + 1);

    *len = SEG_OFF + FILESZ;
    uint8_t *f = calloc(1, *len);
    Elf64_Ehdr eh = {
        .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
        .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
        .e_entry = VB + PADDR + 0x40, .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 2,
    };
    Elf64_Phdr ph[2] = {
        { .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X, .p_offset = SEG_OFF, .p_vaddr = VB + PADDR,
          .p_paddr = PADDR, .p_filesz = FILESZ, .p_memsz = MEMSZ, .p_align = 4096 },
        { .p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x200, .p_filesz = nb.n, .p_align = 4 },
    };
    memcpy(f, &eh, sizeof(eh));
    memcpy(f + sizeof(eh), ph, sizeof(ph));
    memcpy(f + 0x200, nb.b, nb.n);
    for (size_t i = 0; i < FILESZ; i++)
        f[SEG_OFF + i] = (uint8_t)(i * 7 + 1);
    return f;
}

static uint8_t *gzip_buf(const uint8_t *in, size_t len, size_t *out_len)
{
    uLongf cap = compressBound(len) + 64;
    uint8_t *out = malloc(cap);
    z_stream s;
    memset(&s, 0, sizeof(s));
    deflateInit2(&s, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)len;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    CU_ASSERT_EQUAL(deflate(&s, Z_FINISH), Z_STREAM_END);
    *out_len = s.total_out;
    deflateEnd(&s);
    return out;
}

/* A bzImage (boot protocol 2.15, setup_sects 1) around payload + size word. */
static uint8_t *make_bzimage(const uint8_t *payload, size_t plen, uint32_t unpacked, size_t *len)
{
    size_t start = 2 * 512 + 0x40;
    *len = start + plen + 4;
    uint8_t *f = calloc(1, *len);
    f[0x1f1] = 1;
    memcpy(f + 0x202, "HdrS", 4);
    uint16_t ver = 0x020f;
    uint32_t off = 0x40, pl = (uint32_t)plen + 4;
    memcpy(f + 0x206, &ver, 2);
    memcpy(f + 0x248, &off, 4);
    memcpy(f + 0x24c, &pl, 4);
    memcpy(f + start, payload, plen);
    memcpy(f + start + plen, &unpacked, 4);
    return f;
}

/* ---- kernel reading ---------------------------------------------------- */

static void test_kernel_formats(void)
{
    struct xb_kernel k;
    char err[256];
    size_t elf_len, gz_len, bz_len;
    uint8_t *elf = make_elf(false, NULL, &elf_len);

    CU_ASSERT_EQUAL(xb_kernel_parse("/k/elf", elf, elf_len, &k, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(k.format, "ELF");
    CU_ASSERT_EQUAL(k.info.entry, VB + PADDR + 0x40);
    CU_ASSERT_EQUAL(k.info.virt_base, VB);
    CU_ASSERT_STRING_EQUAL(k.info.guest_os, "linux");
    xb_kernel_free(&k);

    elf = make_elf(false, NULL, &elf_len);
    uint8_t *gz = gzip_buf(elf, elf_len, &gz_len);
    uint8_t *bz = make_bzimage(gz, gz_len, (uint32_t)elf_len, &bz_len);
    CU_ASSERT_EQUAL(xb_kernel_parse("/k/bz", bz, bz_len, &k, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(k.format, "bzImage (gzip)");
    CU_ASSERT_EQUAL(k.elf_len, elf_len);
    CU_ASSERT(memcmp(k.elf, elf, elf_len) == 0);
    xb_kernel_free(&k);

    /* A compressed ELF as a whole (vmlinux.gz). */
    CU_ASSERT_EQUAL(xb_kernel_parse("/k/gz", gz, gz_len, &k, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(k.format, "ELF (gzip)");
    xb_kernel_free(&k);

    /* Damaged payload: refused, naming the file and the format. */
    uint8_t *gz2 = gzip_buf(elf, elf_len, &gz_len);
    memset(gz2 + gz_len / 2, 0x5a, gz_len / 4);
    bz = make_bzimage(gz2, gz_len, (uint32_t)elf_len, &bz_len);
    free(gz2);
    CU_ASSERT_EQUAL(xb_kernel_parse("/k/bad", bz, bz_len, &k, err, sizeof(err)), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "kernel /k/bad: bzImage payload is gzip: gzip: "));
    xb_kernel_free(&k);
    free(elf);
}

/* ---- the kernel cache ---------------------------------------------------- */

static void write_file(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(b, 1, n, f), n);
    CU_ASSERT_EQUAL(fclose(f), 0);
}

static void test_kernel_cache(void)
{
    char dir[] = "/tmp/xb-cache-XXXXXX", path[64], err[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/vmlinuz", dir);
    size_t elf_len, gz_len, bz_len;
    uint8_t *elf = make_elf(false, NULL, &elf_len);
    uint8_t *gz = gzip_buf(elf, elf_len, &gz_len);
    uint8_t *bz = make_bzimage(gz, gz_len, (uint32_t)elf_len, &bz_len);
    write_file(path, bz, bz_len);
    struct xb_kernel a, b;

    /* Off by default: two reads, two buffers, no hit. */
    unsigned long hits = xenobuild_kernel_cache_hits();
    CU_ASSERT_EQUAL(xb_kernel_get(path, &a, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(xb_kernel_get(path, &b, err, sizeof(err)), 0);
    CU_ASSERT_FALSE(a.borrowed || b.borrowed);
    CU_ASSERT_PTR_NOT_EQUAL(a.elf, b.elf);
    CU_ASSERT_EQUAL(xenobuild_kernel_cache_hits(), hits);
    xb_kernel_free(&a);
    xb_kernel_free(&b);

    /* On: the second build of the same file borrows the first's image. */
    xenobuild_kernel_cache_limit(64u << 20);
    CU_ASSERT_EQUAL(xb_kernel_get(path, &a, err, sizeof(err)), 0);
    xb_kernel_free(&a);
    CU_ASSERT_EQUAL(xb_kernel_get(path, &b, err, sizeof(err)), 0);
    CU_ASSERT_TRUE(b.borrowed);
    CU_ASSERT_EQUAL(xenobuild_kernel_cache_hits(), hits + 1);
    CU_ASSERT_STRING_EQUAL(b.format, "bzImage (gzip)");
    CU_ASSERT_EQUAL(b.elf_len, elf_len);
    CU_ASSERT(memcmp(b.elf, elf, elf_len) == 0);
    const uint8_t *cached = b.elf;
    xb_kernel_free(&b);

    /* A rewritten file (new mtime and inode) is read again. */
    struct timespec later[2] = { { .tv_sec = 1000000000 }, { .tv_sec = 1000000000 } };
    CU_ASSERT_EQUAL(unlink(path), 0);
    write_file(path, bz, bz_len);
    CU_ASSERT_EQUAL(utimensat(AT_FDCWD, path, later, 0), 0);
    CU_ASSERT_EQUAL(xb_kernel_get(path, &a, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(xenobuild_kernel_cache_hits(), hits + 1);
    xb_kernel_free(&a);
    CU_ASSERT_EQUAL(xb_kernel_get(path, &a, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(xenobuild_kernel_cache_hits(), hits + 2);
    CU_ASSERT_PTR_NOT_EQUAL(a.elf, cached);
    xb_kernel_free(&a);

    /* A kernel larger than the limit is not kept; limit 0 frees the entry. */
    xenobuild_kernel_cache_limit(bz_len);
    CU_ASSERT_EQUAL(xb_kernel_get(path, &a, err, sizeof(err)), 0);
    CU_ASSERT_FALSE(a.borrowed);
    xb_kernel_free(&a);
    xenobuild_kernel_cache_limit(0);
    CU_ASSERT_EQUAL(xb_kernel_get(path, &a, err, sizeof(err)), 0);
    CU_ASSERT_FALSE(a.borrowed);
    xb_kernel_free(&a);
    CU_ASSERT_EQUAL(xenobuild_kernel_cache_hits(), hits + 2);

    unlink(path);
    rmdir(dir);
    free(gz);
    free(bz);
    free(elf);
}

static void test_kernel_refusals(void)
{
    struct xb_kernel k;
    char err[256];
    size_t len;

    uint8_t *junk = calloc(1, 8192);
    memcpy(junk, "#!/bin/sh\n", 10);
    CU_ASSERT_EQUAL(xb_kernel_parse("/k/junk", junk, 8192, &k, err, sizeof(err)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "kernel /k/junk (ELF): not a Xen PV kernel"));
    xb_kernel_free(&k);

    /* A kernel that requires dom0 cannot be a domU (libxenguest's rule). */
    uint8_t *elf = make_elf(false, "!dom0", &len);
    CU_ASSERT_EQUAL(xb_kernel_parse("/k/dom0only", elf, len, &k, err, sizeof(err)), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "kernel /k/dom0only: "));
    xb_kernel_free(&k);

    /* bzImage whose stated size is wrong. */
    elf = make_elf(false, NULL, &len);
    size_t gz_len, bz_len;
    uint8_t *gz = gzip_buf(elf, len, &gz_len);
    uint8_t *bz = make_bzimage(gz, gz_len, (uint32_t)len + 4096, &bz_len);
    CU_ASSERT_EQUAL(xb_kernel_parse("/k/size", bz, bz_len, &k, err, sizeof(err)), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "less than its stated size"));
    xb_kernel_free(&k);
    free(gz);
    free(elf);

    CU_ASSERT_EQUAL(xb_kernel_load("/nonexistent/vmlinuz", &k, err, sizeof(err)), -ENOENT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "kernel /nonexistent/vmlinuz: "));
    xb_kernel_free(&k);
}

/* ---- the memory image -------------------------------------------------- */

/* A bijection on [0, NR_PAGES): odd multiplier modulo a power of two. */
static xen_pfn_t mfn_of(unsigned long pfn)
{
    return MFN_BASE + ((pfn * 2654435761ul) & (NR_PAGES - 1));
}

struct fixture {
    struct xb_kernel k;
    struct pv_layout l;
    xen_pfn_t p2m[NR_PAGES];
    unsigned long pfn_of_mfn[NR_PAGES];
    uint8_t *mem, *ramdisk;
    size_t ramdisk_len;
    char cmdline[2000];
    struct xb_image im;
};

static struct fixture *setup(bool mod_start_pfn)
{
    struct fixture *f = calloc(1, sizeof(*f));
    size_t len;
    char err[256];
    uint8_t *elf = make_elf(mod_start_pfn, NULL, &len);
    CU_ASSERT_FATAL(xb_kernel_parse("/k", elf, len, &f->k, err, sizeof(err)) == 0);
    f->ramdisk_len = 100000;
    f->ramdisk = malloc(f->ramdisk_len);
    for (size_t i = 0; i < f->ramdisk_len; i++)
        f->ramdisk[i] = (uint8_t)(i * 13 + 5);
    const char *why = NULL;
    CU_ASSERT_FATAL(xb_layout(&f->k, NR_PAGES, f->ramdisk_len, &f->l, &why) == 0);
    for (unsigned long i = 0; i < NR_PAGES; i++) {
        f->p2m[i] = mfn_of(i);
        f->pfn_of_mfn[f->p2m[i] - MFN_BASE] = i;
    }
    memset(f->cmdline, 'c', sizeof(f->cmdline) - 1);
    memcpy(f->cmdline, "console=hvc0 ", 13);
    f->mem = malloc(f->l.next_pfn * XB_PAGE);
    memset(f->mem, 0xaa, f->l.next_pfn * XB_PAGE);   /* fresh frames hold anything */
    f->im = (struct xb_image){
        .kernel = &f->k, .ramdisk = f->ramdisk, .ramdisk_len = f->ramdisk_len, .cmdline = f->cmdline,
        .layout = &f->l, .nr_pages = NR_PAGES, .p2m = f->p2m, .shared_info_maddr = 0x1234000,
        .store_evtchn = 1, .console_evtchn = 2,
    };
    CU_ASSERT_FATAL(xb_image_write(&f->im, f->mem, &why) == 0);
    CU_ASSERT_PTR_NULL(why);
    return f;
}

static void teardown(struct fixture *f)
{
    xb_kernel_free(&f->k);
    free(f->mem);
    free(f->ramdisk);
    free(f);
}

static uint8_t *page(struct fixture *f, unsigned long pfn)
{
    return f->mem + pfn * XB_PAGE;
}

static unsigned long pfn_va(const struct fixture *f, uint64_t va)
{
    return (unsigned long)((va - f->l.v_start) >> 12);
}

static bool is_pt_pfn(const struct fixture *f, unsigned long pfn)
{
    unsigned long first = pfn_va(f, f->l.pt_va);
    return pfn >= first && pfn < first + f->l.nr_pt_frames;
}

/* Walk the bootstrap tables: the L1 entry for va, or 0 if a level is absent. */
static uint64_t walk(struct fixture *f, uint64_t va)
{
    const uint64_t *t = (const uint64_t *)page(f, pfn_va(f, f->l.pt_va));
    for (int level = 4; level > 1; level--) {
        uint64_t e = t[(va >> (12 + 9 * (level - 1))) & 511];
        if (!(e & PV_PTE_PRESENT))
            return 0;
        CU_ASSERT_EQUAL(e & 0xfff, PV_UPPER_PTE_FLAGS);
        unsigned long pfn = f->pfn_of_mfn[(e >> 12) - MFN_BASE];
        CU_ASSERT_FATAL(is_pt_pfn(f, pfn));     /* tables link to tables */
        t = (const uint64_t *)page(f, pfn);
    }
    return t[(va >> 12) & 511];
}

static void check_page_tables(struct fixture *f)
{
    unsigned long ro = 0, bad = 0;
    for (uint64_t va = f->l.v_start; va < f->l.v_end; va += XB_PAGE) {
        uint64_t e = walk(f, va);
        unsigned long pfn = pfn_va(f, va);
        bool want_ro = is_pt_pfn(f, pfn);
        if (!(e & PV_PTE_PRESENT) || !(e & PV_PTE_USER) || (e >> 12) != f->p2m[pfn] ||
            !!(e & PV_PTE_RW) == want_ro)
            bad++;
        ro += !(e & PV_PTE_RW);
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(ro, f->l.nr_pt_frames);
    CU_ASSERT_EQUAL(walk(f, f->l.v_end) & PV_PTE_PRESENT, 0);
    CU_ASSERT_EQUAL(walk(f, f->l.v_start - XB_PAGE) & PV_PTE_PRESENT, 0);
}

static void check_start_info(struct fixture *f, bool mod_start_pfn)
{
    const struct start_info *si = (const struct start_info *)page(f, pfn_va(f, f->l.start_info_va));
    CU_ASSERT_STRING_EQUAL(si->magic, "xen-3.0-x86_64");
    CU_ASSERT_EQUAL(si->nr_pages, NR_PAGES);
    CU_ASSERT_EQUAL(si->shared_info, 0x1234000);
    CU_ASSERT_EQUAL(si->flags, mod_start_pfn ? SIF_MOD_START_PFN : 0u);
    CU_ASSERT_EQUAL(si->store_mfn, f->p2m[pfn_va(f, f->l.xenstore_va)]);
    CU_ASSERT_EQUAL(si->store_evtchn, 1);
    CU_ASSERT_EQUAL(si->console.domU.mfn, f->p2m[pfn_va(f, f->l.console_va)]);
    CU_ASSERT_EQUAL(si->console.domU.evtchn, 2);
    CU_ASSERT_EQUAL(si->pt_base, f->l.pt_va);
    CU_ASSERT_EQUAL(si->nr_pt_frames, f->l.nr_pt_frames);
    CU_ASSERT_EQUAL(si->mfn_list, f->l.p2m_va);
    CU_ASSERT_EQUAL(si->mod_len, f->ramdisk_len);
    const uint8_t *rd;
    if (mod_start_pfn) {
        CU_ASSERT_EQUAL(si->mod_start, f->l.initrd_pfn);
        rd = page(f, f->l.initrd_pfn);
    } else {
        CU_ASSERT_EQUAL(si->mod_start, f->l.initrd_va);
        rd = page(f, pfn_va(f, f->l.initrd_va));
    }
    CU_ASSERT(memcmp(rd, f->ramdisk, f->ramdisk_len) == 0);
    /* The command line, cut to fit with its NUL. */
    CU_ASSERT_EQUAL(strlen(si->cmd_line), MAX_GUEST_CMDLINE - 1);
    CU_ASSERT(strncmp(si->cmd_line, f->cmdline, MAX_GUEST_CMDLINE - 1) == 0);
    CU_ASSERT_EQUAL(si->first_p2m_pfn, 0);
    CU_ASSERT_EQUAL(si->nr_p2m_frames, 0);
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static void check_contents(struct fixture *f)
{
    /* Kernel bytes at VIRT_BASE + p_paddr, then its bss zeroed. */
    const uint8_t *k = page(f, PADDR >> 12);
    CU_ASSERT(memcmp(k, f->k.elf + SEG_OFF, FILESZ) == 0);
    CU_ASSERT(all_zero(k + FILESZ, MEMSZ - FILESZ));
    /* The p2m list the guest reads (start_info.mfn_list). */
    const uint8_t *p2m = f->mem + (f->l.p2m_va - VB);
    CU_ASSERT(memcmp(p2m, f->p2m, NR_PAGES * sizeof(uint64_t)) == 0);
    /* Fresh pages zeroed: the rings, the stack, below the kernel. */
    CU_ASSERT(all_zero(page(f, pfn_va(f, f->l.xenstore_va)), XB_PAGE));
    CU_ASSERT(all_zero(page(f, pfn_va(f, f->l.console_va)), XB_PAGE));
    CU_ASSERT(all_zero(page(f, pfn_va(f, f->l.stack_va)), XB_PAGE));
    CU_ASSERT(all_zero(f->mem, PADDR));
}

static void test_image_mapped_initrd(void)
{
    struct fixture *f = setup(false);
    CU_ASSERT_NOT_EQUAL(f->l.initrd_va, 0);
    check_page_tables(f);
    check_start_info(f, false);
    check_contents(f);
    teardown(f);
}

static void test_image_initrd_by_pfn(void)
{
    struct fixture *f = setup(true);
    CU_ASSERT_EQUAL(f->l.initrd_va, 0);
    CU_ASSERT(f->l.initrd_pfn >= f->l.region_pages);   /* after the region */
    check_page_tables(f);
    check_start_info(f, true);
    check_contents(f);
    teardown(f);
}

static void test_too_little_memory(void)
{
    struct fixture *f = setup(false);
    struct pv_layout l;
    const char *why = NULL;
    CU_ASSERT_EQUAL(xb_layout(&f->k, 256, f->ramdisk_len, &l, &why), -ENOMEM);
    /* A layout bigger than the domain is refused before anything is written. */
    struct xb_image im = f->im;
    im.nr_pages = f->l.next_pfn - 1;
    CU_ASSERT_EQUAL(xb_image_write(&im, f->mem, &why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(why);
    teardown(f);
}

static void test_boot_context_and_grants(void)
{
    struct fixture *f = setup(false);
    vcpu_guest_context_t *c = malloc(sizeof(*c));
    memset(c, 0xff, sizeof(*c));
    xen_pfn_t l4 = f->p2m[pfn_va(f, f->l.pt_va)];
    xb_boot_context(&f->k, &f->l, l4, c);
    CU_ASSERT_EQUAL(c->flags, VGCF_in_kernel | VGCF_online);
    CU_ASSERT_EQUAL(c->user_regs.rip, VB + PADDR + 0x40);
    CU_ASSERT_EQUAL(c->user_regs.rsp, f->l.boot_sp);
    CU_ASSERT_EQUAL(c->user_regs.rsi, f->l.start_info_va);
    CU_ASSERT_EQUAL(c->user_regs.rflags, 0x202);
    CU_ASSERT_EQUAL(c->user_regs.cs, FLAT_KERNEL_CS);
    CU_ASSERT_EQUAL(c->user_regs.ss, FLAT_KERNEL_SS);
    CU_ASSERT_EQUAL(c->user_regs.ds, FLAT_KERNEL_DS);
    CU_ASSERT_EQUAL(c->kernel_ss, FLAT_KERNEL_SS);
    CU_ASSERT_EQUAL(c->kernel_sp, f->l.boot_sp);
    CU_ASSERT_EQUAL(c->ctrlreg[3], (uint64_t)l4 << 12);
    CU_ASSERT_EQUAL(c->ctrlreg[1], 0);
    CU_ASSERT_EQUAL(c->event_callback_eip, 0);
    free(c);

    struct grant_entry_v1 g[512];
    memset(g, 0, sizeof(g));
    xb_grant_seed(g, 0, 0x1111, 7, 0x2222);
    CU_ASSERT_EQUAL(g[GNTTAB_RESERVED_CONSOLE].flags, GTF_permit_access);
    CU_ASSERT_EQUAL(g[GNTTAB_RESERVED_CONSOLE].domid, 0);
    CU_ASSERT_EQUAL(g[GNTTAB_RESERVED_CONSOLE].frame, 0x1111);
    CU_ASSERT_EQUAL(g[GNTTAB_RESERVED_XENSTORE].flags, GTF_permit_access);
    CU_ASSERT_EQUAL(g[GNTTAB_RESERVED_XENSTORE].domid, 7);
    CU_ASSERT_EQUAL(g[GNTTAB_RESERVED_XENSTORE].frame, 0x2222);
    CU_ASSERT_EQUAL(g[2].flags, 0);
    teardown(f);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "kernel formats", test_kernel_formats },
        { "kernel refusals name the file", test_kernel_refusals },
        { "kernel cache", test_kernel_cache },
        { "image, ramdisk mapped", test_image_mapped_initrd },
        { "image, ramdisk by pfn (MOD_START_PFN)", test_image_initrd_by_pfn },
        { "too little memory", test_too_little_memory },
        { "vCPU 0 context and seeded grants", test_boot_context_and_grants },
        { NULL, NULL },
    };
    unit_add_suite("xenobuild_image", cases);
}
