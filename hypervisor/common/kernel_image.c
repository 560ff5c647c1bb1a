/* SPDX-License-Identifier: MIT */
/*
 * bzImage unwrapping, ELF64 PV kernel parsing and loading, and the 64-bit
 * PV hypercall page (contract in xeno/kernel_image.h).
 *
 * The acceptance rules follow Xen: xen/arch/x86/bzimage.c (bzimage_check),
 * xen/common/libelf (elf_phdr_is_loadable, elf_parse_binary,
 * elf_xen_parse_note, elf_xen_parse_features, elf_xen_note_check,
 * elf_xen_addr_calc_check), xen/arch/x86/dom0_build.c
 * (initdom_check_parms) and xen/arch/x86/pv/hypercall.c
 * (pv_ring3_init_hypercall_page). Unlike libelf, which reads through a
 * bounds-checking accessor and marks the image "broken", every offset and
 * size here is checked before use and a bad one is an error.
 *
 * All multi-byte fields are read byte by byte: the image may sit at any
 * alignment, and this keeps the code free of unaligned accesses.
 */
#include "xeno/kernel_image.h"
#include "xeno/errno.h"
#include "xeno/string.h"

#include "xen/elfnote.h"
#include "xen/features.h"
#include "xen/xen.h"

static int fail(const char **why, const char *msg, int err)
{
    if (why)
        *why = msg;
    return err;
}

static int ok(const char **why)
{
    if (why)
        *why = NULL;
    return 0;
}

static uint64_t rd_le(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    while (n--)
        v = (v << 8) | p[n];
    return v;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)rd_le(p, 2); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd_le(p, 4); }
static uint64_t rd64(const uint8_t *p) { return rd_le(p, 8); }

/* ---- bzImage -------------------------------------------------------- */

/* Setup-header offsets (boot.rst, "The Real-Mode Kernel Header"). */
#define BZ_SETUP_SECTS    0x1f1
#define BZ_HEADER         0x202   /* "HdrS" */
#define BZ_VERSION        0x206
#define BZ_PAYLOAD_OFFSET 0x248   /* protocol 2.08+ */
#define BZ_PAYLOAD_LENGTH 0x24c   /* protocol 2.08+ */
#define BZ_HDR_END        0x250
#define BZ_MIN_VERSION    0x0208

int bzimage_payload(const uint8_t *img, size_t len, const uint8_t **payload,
                    size_t *payload_len, const char **why)
{
    unsigned int setup_sects;
    uint64_t start, plen;

    if (!img || len < BZ_HEADER + 4 || memcmp(img + BZ_HEADER, "HdrS", 4) != 0)
        return fail(why, "not a bzImage (no \"HdrS\" at 0x202)", -ENOEXEC);
    if (len < BZ_HDR_END)
        return fail(why, "bzImage setup header truncated", -EINVAL);
    /* Xen's bzimage_check: the payload fields only exist from 2.08 on. */
    if (rd16(img + BZ_VERSION) < BZ_MIN_VERSION)
        return fail(why, "bzImage boot protocol older than 2.08 has no payload fields",
                    -EINVAL);

    /* boot.rst: "If this field is 0, the real value is 4." */
    setup_sects = img[BZ_SETUP_SECTS] ? img[BZ_SETUP_SECTS] : 4;
    /* The boot sector plus setup_sects sectors precede the 32-bit code. */
    start = (uint64_t)(setup_sects + 1) * 512 + rd32(img + BZ_PAYLOAD_OFFSET);
    plen = rd32(img + BZ_PAYLOAD_LENGTH);
    if (start > len || plen > len - start)
        return fail(why, "bzImage payload lies beyond the end of the image", -EINVAL);
    if (plen == 0)
        return fail(why, "bzImage payload is empty", -EINVAL);
    *payload = img + start;
    *payload_len = (size_t)plen;
    return ok(why);
}

int bzimage_output_size(const uint8_t *payload, size_t payload_len, size_t *size)
{
    uint32_t n;

    if (!payload || payload_len < 4)
        return -EINVAL;
    n = rd32(payload + payload_len - 4);
    if (n == 0)
        return -EINVAL;
    *size = n;
    return 0;
}

/* ---- ELF ------------------------------------------------------------ */

/* ELF64 layout (System V gABI). */
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC       2
#define EM_X86_64     62
#define PT_LOAD       1
#define PT_NOTE       4
#define PF_X          1
#define PF_W          2
#define PF_R          4
#define PN_XNUM       0xffff

#define EHDR_SIZE     64
#define E_TYPE        16
#define E_MACHINE     18
#define E_VERSION     20
#define E_ENTRY       24
#define E_PHOFF       32
#define E_PHENTSIZE   54
#define E_PHNUM       56

#define PHDR_SIZE     56
#define P_TYPE        0
#define P_FLAGS       4
#define P_OFFSET      8
#define P_VADDR       16
#define P_PADDR       24
#define P_FILESZ      32
#define P_MEMSZ       40
#define P_ALIGN       48

#define NOTE_HDR_SIZE 12   /* namesz, descsz, type: 3 x u32 */

/* Segment sizes are passed to the callbacks as size_t. */
_Static_assert(sizeof(size_t) == sizeof(uint64_t), "64-bit size_t");

/* libelf's elf_xen_feature_names: the only names a FEATURES note may use. */
static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_dom0] = "dom0",
};

/*
 * Features a kernel may not require of a PV domain here. Xen never
 * reports writable_descriptor_tables, auto_translated_physmap or
 * hvm_callback_vector to a PV guest (xen/common/kernel.c,
 * XENVER_get_features), and dom0_build.c panics on a required
 * supervisor_mode_kernel: the guest kernel runs in ring 3.
 * writable_page_tables stays allowed: Linux marks it required
 * ("!writable_page_tables") yet runs on a direct-paging PV MMU, where
 * libelf's '!' has no effect (checklist 1.2).
 */
#define PV_UNSUPPORTED_REQUIRED                    \
    ((1U << XENFEAT_writable_descriptor_tables) |  \
     (1U << XENFEAT_auto_translated_physmap) |     \
     (1U << XENFEAT_supervisor_mode_kernel) |      \
     (1U << XENFEAT_hvm_callback_vector))

static bool token_is(const char *tok, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(tok, name, n) == 0;
}

/*
 * '|'-separated feature names, '!' marking a required one (public
 * elfnote.h, XEN_ELFNOTE_FEATURES). As in libelf an unknown optional name
 * is ignored and an unknown required one rejects the kernel.
 */
static int parse_features(const char *s, size_t n, struct pv_elf_info *info,
                          const char **why)
{
    size_t pos = 0;

    while (pos < n) {
        size_t end = pos, tlen;
        const char *tok = s + pos;
        bool required = false, found = false;
        unsigned int i;

        while (end < n && s[end] != '|')
            end++;
        tlen = end - pos;
        pos = end + 1;
        if (tlen && tok[0] == '!') {
            required = true;
            tok++;
            tlen--;
        }
        if (tlen == 0)
            continue;
        for (i = 0; i < ARRAY_SIZE(feature_names); i++) {
            if (!feature_names[i] || !token_is(tok, tlen, feature_names[i]))
                continue;
            info->f_supported |= 1U << i;
            if (required)
                info->f_required |= 1U << i;
            found = true;
            break;
        }
        if (!found && required)
            return fail(why, "FEATURES note requires a feature Xen does not know", -EINVAL);
    }
    return 0;
}

static void copy_str(char *dst, size_t cap, const uint8_t *src, size_t n)
{
    if (n > cap - 1)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* libelf's elf_note_numeric: 1, 2, 4 or 8 little-endian bytes. */
static int note_numeric(const uint8_t *desc, uint32_t descsz, uint64_t *val,
                        const char **why)
{
    if (descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8)
        return fail(why, "numeric Xen note is not 1, 2, 4 or 8 bytes", -EINVAL);
    *val = rd_le(desc, descsz);
    return 0;
}

static int parse_xen_note(uint32_t type, const uint8_t *desc, uint32_t descsz,
                          struct pv_elf_info *info, const char **why)
{
    /* Strings are NUL-terminated, but Linux's FEATURES note has no NUL. */
    size_t slen = strnlen((const char *)desc, descsz);
    uint64_t v = 0;
    int rc;

    switch (type) {
    case XEN_ELFNOTE_GUEST_OS:
        copy_str(info->guest_os, sizeof(info->guest_os), desc, slen);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        copy_str(info->guest_version, sizeof(info->guest_version), desc, slen);
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        copy_str(info->xen_version, sizeof(info->xen_version), desc, slen);
        break;
    case XEN_ELFNOTE_LOADER:
        copy_str(info->loader, sizeof(info->loader), desc, slen);
        break;
    case XEN_ELFNOTE_FEATURES:
        copy_str(info->features, sizeof(info->features), desc, slen);
        rc = parse_features((const char *)desc, slen, info, why);
        if (rc)
            return rc;
        break;

    case XEN_ELFNOTE_ENTRY:
    case XEN_ELFNOTE_HYPERCALL_PAGE:
    case XEN_ELFNOTE_VIRT_BASE:
    case XEN_ELFNOTE_PADDR_OFFSET:
    case XEN_ELFNOTE_HV_START_LOW:
    case XEN_ELFNOTE_SUSPEND_CANCEL:
    case XEN_ELFNOTE_INIT_P2M:
    case XEN_ELFNOTE_MOD_START_PFN:
    case XEN_ELFNOTE_PHYS32_ENTRY:
        rc = note_numeric(desc, descsz, &v, why);
        if (rc)
            return rc;
        break;

    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        /* An array of 32-bit submaps (libelf elf_note_numeric_array). */
        if (descsz < 4 || descsz % 4)
            return fail(why, "SUPPORTED_FEATURES note is not a list of 32-bit words",
                        -EINVAL);
        info->supported_features = rd32(desc);
        info->f_supported |= info->supported_features;
        break;

    case XEN_ELFNOTE_L1_MFN_VALID:
        /* maddr_t-sized (8-byte) mask/value pairs; we keep the first. */
        if (descsz < 16 || descsz % 16)
            return fail(why, "L1_MFN_VALID note is not a list of 64-bit mask/value pairs",
                        -EINVAL);
        info->l1_mfn_valid_mask = rd64(desc);
        info->l1_mfn_valid_value = rd64(desc + 8);
        break;

    default:
        /* INFO, PAE_MODE (32-bit only), BSD_SYMTAB, PHYS32_RELOC, unknown. */
        break;
    }

    switch (type) {
    case XEN_ELFNOTE_ENTRY:          info->entry = v; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: info->hypercall_page = v; break;
    case XEN_ELFNOTE_VIRT_BASE:      info->virt_base = v; break;
    case XEN_ELFNOTE_PADDR_OFFSET:   info->paddr_offset = v; break;
    case XEN_ELFNOTE_HV_START_LOW:   info->hv_start_low = v; break;
    case XEN_ELFNOTE_SUSPEND_CANCEL: info->suspend_cancel = v != 0; break;
    case XEN_ELFNOTE_INIT_P2M:       info->init_p2m = v; break;
    case XEN_ELFNOTE_MOD_START_PFN:  info->mod_start_pfn = v != 0; break;
    case XEN_ELFNOTE_PHYS32_ENTRY:   info->phys32_entry = (uint32_t)v; break;
    default: break;
    }
    if (type < 32)
        info->notes |= 1U << type;
    return 0;
}

/*
 * The notes of one PT_NOTE segment: each a 12-byte header, the name and
 * the descriptor, both padded to the segment's alignment (4, or 8 for
 * 8-aligned note segments, gABI). Name and descriptor must lie inside the
 * segment; padding after the last note may be missing.
 */
static int parse_note_segment(const uint8_t *p, uint64_t size, uint64_t align,
                              struct pv_elf_info *info, unsigned int *nr_xen,
                              const char **why)
{
    uint64_t a = align == 8 ? 8 : 4;
    uint64_t pos = 0;

    while (size - pos >= NOTE_HDR_SIZE) {
        uint32_t namesz = rd32(p + pos), descsz = rd32(p + pos + 4);
        uint32_t type = rd32(p + pos + 8);
        uint64_t name_off = pos + NOTE_HDR_SIZE, desc_off;
        int rc;

        if (namesz > size - name_off)
            return fail(why, "ELF note name runs past the end of its segment", -EINVAL);
        desc_off = name_off + ROUNDUP((uint64_t)namesz, a);
        if (desc_off > size || descsz > size - desc_off)
            return fail(why, "ELF note descriptor (descsz) runs past the end of its segment",
                        -EINVAL);
        /* Owner "Xen", NUL included in namesz (elfnote.h). */
        if (namesz == 4 && memcmp(p + name_off, "Xen", 4) == 0) {
            rc = parse_xen_note(type, p + desc_off, descsz, info, why);
            if (rc)
                return rc;
            (*nr_xen)++;
        }
        pos = desc_off + ROUNDUP((uint64_t)descsz, a);
        if (pos > size)
            break;
    }
    return 0;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* Header, class, machine and type: the "is this for us at all" checks. */
static int check_ehdr(const uint8_t *elf, size_t len, const char **why)
{
    if (!elf || len < 4 || memcmp(elf, "\177ELF", 4) != 0)
        return fail(why, "not an ELF image", -ENOEXEC);
    if (len < EHDR_SIZE)
        return fail(why, "ELF header truncated", -EINVAL);
    if (elf[EI_CLASS] != ELFCLASS64)
        return fail(why, "not a 64-bit ELF image", -ENOEXEC);
    if (elf[EI_DATA] != ELFDATA2LSB)
        return fail(why, "not a little-endian ELF image", -ENOEXEC);
    if (rd16(elf + E_MACHINE) != EM_X86_64)
        return fail(why, "ELF image is not for x86-64", -ENOEXEC);
    if (rd16(elf + E_TYPE) != ET_EXEC)
        return fail(why, "ELF image is not an executable (ET_EXEC)", -ENOEXEC);
    if (elf[EI_VERSION] != EV_CURRENT || rd32(elf + E_VERSION) != EV_CURRENT)
        return fail(why, "ELF version is not 1 (EV_CURRENT)", -EINVAL);
    return 0;
}

/* Program headers: collect loadable segments and the Xen notes. */
static int scan_phdrs(const uint8_t *elf, size_t len, struct pv_elf_info *info,
                      unsigned int *nr_xen, const char **why)
{
    uint64_t phoff = rd64(elf + E_PHOFF);
    unsigned int phnum = rd16(elf + E_PHNUM), i;
    int rc;

    if (rd16(elf + E_PHENTSIZE) != PHDR_SIZE)
        return fail(why, "ELF program header size is not 56", -EINVAL);
    if (phnum == 0)
        return fail(why, "ELF image has no program headers", -EINVAL);
    if (phnum == PN_XNUM)
        return fail(why, "ELF extended program header numbering is not supported", -EINVAL);
    if (phoff > len || (uint64_t)phnum * PHDR_SIZE > len - phoff)
        return fail(why, "ELF program headers lie beyond the end of the image", -EINVAL);

    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = elf + phoff + (uint64_t)i * PHDR_SIZE;
        uint32_t ptype = rd32(ph + P_TYPE), flags = rd32(ph + P_FLAGS);
        uint64_t off = rd64(ph + P_OFFSET), filesz = rd64(ph + P_FILESZ);
        uint64_t memsz = rd64(ph + P_MEMSZ);
        struct pv_elf_seg *s;

        if (ptype == PT_NOTE) {
            /* libelf skips p_offset 0: some binutils leave it unset. */
            if (off == 0)
                continue;
            if (off > len || filesz > len - off)
                return fail(why, "ELF note segment lies beyond the end of the image",
                            -EINVAL);
            rc = parse_note_segment(elf + off, filesz, rd64(ph + P_ALIGN), info,
                                    nr_xen, why);
            if (rc)
                return rc;
            continue;
        }
        /* libelf's elf_phdr_is_loadable: PT_LOAD with any of R/W/X. */
        if (ptype != PT_LOAD || !(flags & (PF_R | PF_W | PF_X)) || memsz == 0)
            continue;
        if (filesz > memsz)
            return fail(why, "ELF segment has p_filesz > p_memsz", -EINVAL);
        if (off > len || filesz > len - off)
            return fail(why, "ELF segment data lies beyond the end of the image", -EINVAL);
        if (rd64(ph + P_PADDR) > UINT64_MAX - memsz || rd64(ph + P_VADDR) > UINT64_MAX - memsz)
            return fail(why, "ELF segment address + p_memsz overflows", -EINVAL);
        if (info->nr_segs == PV_ELF_MAX_SEGS)
            return fail(why, "ELF image has too many loadable segments", -EINVAL);
        s = &info->seg[info->nr_segs++];
        s->paddr = rd64(ph + P_PADDR);
        s->vaddr = rd64(ph + P_VADDR);
        s->offset = off;
        s->filesz = filesz;
        s->memsz = memsz;
        s->flags = flags;
    }
    if (info->nr_segs == 0)
        return fail(why, "ELF image has no loadable segment", -EINVAL);
    return 0;
}

/* libelf elf_xen_note_check: which images Xen agrees to build at all. */
static int check_notes(const struct pv_elf_info *info, const char **why)
{
    if (strncmp(info->loader, "generic", 7) != 0 && strncmp(info->guest_os, "linux", 5) != 0)
        return fail(why, "Xen notes name neither LOADER \"generic\" nor GUEST_OS \"linux\"",
                    -EINVAL);
    if (strncmp(info->xen_version, "xen-3.0", 7) != 0)
        return fail(why, "XEN_VERSION note is not \"xen-3.0\"", -EINVAL);
    if (info->f_required & PV_UNSUPPORTED_REQUIRED)
        return fail(why, "kernel requires a Xen feature a PV domain does not have "
                    "(auto_translated_physmap, supervisor_mode_kernel, "
                    "writable_descriptor_tables or hvm_callback_vector)", -EOPNOTSUPP);
    /* libelf elf_xen_addr_calc_check refuses this combination for PV. */
    if (pv_elf_has_note(info, XEN_ELFNOTE_PADDR_OFFSET) &&
        !pv_elf_has_note(info, XEN_ELFNOTE_VIRT_BASE))
        return fail(why, "PADDR_OFFSET note without VIRT_BASE note", -EINVAL);
    return 0;
}

/* Load addresses, image span and the addresses that must lie inside it. */
static int place_segments(struct pv_elf_info *info, const char **why)
{
    /* Xen loads by paddr: VA = p_paddr - PADDR_OFFSET + VIRT_BASE (mod 2^64). */
    uint64_t delta = info->virt_base - info->paddr_offset;
    unsigned int i, j;

    info->virt_kstart = UINT64_MAX;
    info->virt_kend = 0;
    for (i = 0; i < info->nr_segs; i++) {
        struct pv_elf_seg *s = &info->seg[i];

        s->load_va = s->paddr + delta;
        if (s->load_va > UINT64_MAX - s->memsz)
            return fail(why, "ELF segment load address + p_memsz overflows", -EINVAL);
        for (j = 0; j < i; j++)
            if (ranges_overlap(s->load_va, s->memsz, info->seg[j].load_va,
                               info->seg[j].memsz))
                return fail(why, "ELF loadable segments overlap", -EINVAL);
        info->virt_kstart = MIN(info->virt_kstart, s->load_va);
        info->virt_kend = MAX(info->virt_kend, s->load_va + s->memsz);
    }

    /* elf_xen_addr_calc_check's bounds. */
    if (info->virt_base > info->virt_kstart)
        return fail(why, "kernel image starts below VIRT_BASE", -EINVAL);
    if (info->entry < info->virt_kstart || info->entry >= info->virt_kend)
        return fail(why, "entry point lies outside the kernel image", -EINVAL);
    if (pv_elf_has_note(info, XEN_ELFNOTE_INIT_P2M) &&
        info->init_p2m >= info->virt_kstart && info->init_p2m < info->virt_kend)
        return fail(why, "INIT_P2M address lies inside the kernel image", -EINVAL);
    /* The whole page gets overwritten, so it must be a page of the image. */
    if (pv_elf_has_note(info, XEN_ELFNOTE_HYPERCALL_PAGE) &&
        ((info->hypercall_page & (PAGE_SIZE - 1)) ||
         info->hypercall_page < info->virt_kstart ||
         info->hypercall_page > info->virt_kend - PAGE_SIZE ||
         info->virt_kend - info->virt_kstart < PAGE_SIZE))
        return fail(why, "HYPERCALL_PAGE is not a page-aligned page of the kernel image",
                    -EINVAL);
    return 0;
}

int elf_parse_pv(const uint8_t *elf, size_t len, struct pv_elf_info *info,
                 const char **why)
{
    unsigned int nr_xen = 0;
    int rc;

    memset(info, 0, sizeof(*info));
    rc = check_ehdr(elf, len, why);
    if (rc)
        return rc;
    info->e_entry = rd64(elf + E_ENTRY);

    rc = scan_phdrs(elf, len, info, &nr_xen, why);
    if (rc)
        return rc;
    if (nr_xen == 0)
        return fail(why, "ELF image has no Xen notes: not a Xen PV kernel", -ENOEXEC);

    rc = check_notes(info, why);
    if (rc)
        return rc;

    /*
     * Defaults (libelf elf_xen_addr_calc_check, public elfnote.h): VIRT_BASE
     * 0, PADDR_OFFSET 0 with the notes interface (only the legacy
     * __xen_guest string defaulted it to VIRT_BASE), ENTRY = e_entry. The
     * memset above left the unset ones 0.
     */
    if (!pv_elf_has_note(info, XEN_ELFNOTE_ENTRY))
        info->entry = info->e_entry;

    rc = place_segments(info, why);
    if (rc)
        return rc;
    return ok(why);
}

int pv_elf_check_dom0(const struct pv_elf_info *info, const char **why)
{
    if (pv_elf_has_note(info, XEN_ELFNOTE_SUPPORTED_FEATURES) &&
        !(info->supported_features & (1U << XENFEAT_dom0)))
        return fail(why, "kernel does not support dom0 operation "
                    "(SUPPORTED_FEATURES lacks XENFEAT_dom0)", -EINVAL);
    return ok(why);
}

int pv_elf_check_domu(const struct pv_elf_info *info, const char **why)
{
    if (info->f_required & (1U << XENFEAT_dom0))
        return fail(why, "kernel requires dom0 operation (FEATURES \"!dom0\")", -EINVAL);
    return ok(why);
}

int elf_load_pv(const uint8_t *elf, size_t len, const struct pv_elf_info *info,
                int (*copy)(void *ctx, uint64_t va, const void *src, size_t n),
                int (*zero)(void *ctx, uint64_t va, size_t n), void *ctx)
{
    unsigned int i;
    int rc;

    if (!elf || info->nr_segs > PV_ELF_MAX_SEGS)
        return -EINVAL;
    for (i = 0; i < info->nr_segs; i++) {
        const struct pv_elf_seg *s = &info->seg[i];

        if (s->offset > len || s->filesz > len - s->offset || s->filesz > s->memsz)
            return -EINVAL;
        if (s->filesz) {
            rc = copy(ctx, s->load_va, elf + s->offset, (size_t)s->filesz);
            if (rc < 0)
                return rc;
        }
        /* BSS: the guest may also clear it (Linux clear_bss), Xen zeroes it too. */
        if (s->memsz > s->filesz) {
            rc = zero(ctx, s->load_va + s->filesz, (size_t)(s->memsz - s->filesz));
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* ---- hypercall page ------------------------------------------------- */

#define HYPERCALL_STUB_SIZE 32

void pv_hypercall_page_fill(uint8_t page[4096])
{
    unsigned int i;

    /* Xen init_hypercall_page: unused bytes trap (int3). */
    memset(page, 0xcc, PAGE_SIZE);
    for (i = 0; i < PAGE_SIZE / HYPERCALL_STUB_SIZE; i++) {
        uint8_t *p = page + i * HYPERCALL_STUB_SIZE;

        p[0] = 0x51;                        /* push %rcx: syscall clobbers it */
        p[1] = 0x41; p[2] = 0x53;           /* push %r11: ... and r11 */
        if (i == __HYPERVISOR_iret) {
            /*
             * iret does not return: the guest jumps here with its iret
             * frame (flags, rip, cs, rflags, rsp, ss) on the stack, and
             * pushing rax completes struct iret_context {rax, r11, rcx,
             * ...} for the hypervisor to read (pv_ring3_init_hypercall_page).
             */
            p[3] = 0x50;                    /* push %rax */
            p[4] = 0xb8;                    /* mov $23,%eax */
            p[5] = __HYPERVISOR_iret; p[6] = 0; p[7] = 0; p[8] = 0;
            p[9] = 0x0f; p[10] = 0x05;      /* syscall */
            continue;
        }
        p[3] = 0xb8;                        /* mov $i,%eax */
        p[4] = (uint8_t)i; p[5] = (uint8_t)(i >> 8);
        p[6] = (uint8_t)(i >> 16); p[7] = (uint8_t)(i >> 24);
        p[8] = 0x0f; p[9] = 0x05;           /* syscall */
        p[10] = 0x41; p[11] = 0x5b;         /* pop %r11 */
        p[12] = 0x59;                       /* pop %rcx */
        p[13] = 0xc3;                       /* ret */
    }
}
