/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 and 2 information parsing (contract in xeno/bootinfo.h).
 * Layouts: "Boot information format" in the Multiboot Specification
 * 0.6.96 and in the Multiboot2 Specification 2.0. Everything the loader gives us is treated as untrusted:
 * each read is bounds-checked against what the structure declares, and
 * a pointer from map() is only used until the next map() call.
 */
#include "xeno/bootinfo.h"
#include "xeno/errno.h"
#include "xeno/string.h"

/* MB1 info flags. */
#define MB1_FLAG_MEM      (1u << 0)
#define MB1_FLAG_CMDLINE  (1u << 2)
#define MB1_FLAG_MODS     (1u << 3)
#define MB1_FLAG_MMAP     (1u << 6)
#define MB1_FLAG_LOADER   (1u << 9)

/* MB1 info field offsets; the structure is read up to boot_loader_name. */
#define MB1_MEM_LOWER     4
#define MB1_MEM_UPPER     8
#define MB1_CMDLINE       16
#define MB1_MODS_COUNT    20
#define MB1_MODS_ADDR     24
#define MB1_MMAP_LENGTH   44
#define MB1_MMAP_ADDR     48
#define MB1_LOADER_NAME   64
#define MB1_INFO_SIZE     68

#define MB1_MOD_SIZE      16    /* mod_start, mod_end, string, reserved */
/* An mmap entry's "size" excludes itself; base, length, type follow. */
#define MB1_MMAP_MIN_SIZE 20

/* MB2 tag types. */
#define MB2_TAG_END       0
#define MB2_TAG_CMDLINE   1
#define MB2_TAG_LOADER    2
#define MB2_TAG_MODULE    3
#define MB2_TAG_MEMINFO   4
#define MB2_TAG_MMAP      6
#define MB2_TAG_ACPI_OLD  14
#define MB2_TAG_ACPI_NEW  15

#define MB2_TAG_ALIGN     8
#define MB2_TAG_HDR       8     /* type, size */
#define MB2_MMAP_ENTRY    24    /* base_addr, length, type, reserved */
/* Real info blocks are a few KiB (an EFI memory map tag is the largest). */
#define MB2_MAX_INFO      (1u << 20)

#define RSDP_V1_SIZE      20    /* ACPI 1.0 RSDP; 2.0+ is 36 */

/* Lower memory ends at 640 KiB at most (MB1 spec, mem_lower). */
#define MAX_MEM_LOWER_KIB 640
#define MB_HIGH_MEM_START 0x100000ull

_Static_assert(MAX_BOOT_MODULES == 16, "module message tables need updating");

/* Messages are static strings, so there is one per module; numbered from 1. */
#define MOD_MSG(pfx, n, what) pfx "module " #n " " what
#define MOD_MSGS(pfx, what) {                                                  \
    MOD_MSG(pfx, 1, what),  MOD_MSG(pfx, 2, what),  MOD_MSG(pfx, 3, what),     \
    MOD_MSG(pfx, 4, what),  MOD_MSG(pfx, 5, what),  MOD_MSG(pfx, 6, what),     \
    MOD_MSG(pfx, 7, what),  MOD_MSG(pfx, 8, what),  MOD_MSG(pfx, 9, what),     \
    MOD_MSG(pfx, 10, what), MOD_MSG(pfx, 11, what), MOD_MSG(pfx, 12, what),    \
    MOD_MSG(pfx, 13, what), MOD_MSG(pfx, 14, what), MOD_MSG(pfx, 15, what),    \
    MOD_MSG(pfx, 16, what) }

static const char *const mb1_mod_range[] = MOD_MSGS("multiboot: ", "has end < start");
static const char *const mb1_mod_string[] = MOD_MSGS("multiboot: ", "string is not readable");
static const char *const mb2_mod_range[] = MOD_MSGS("multiboot2: ", "has end < start");
static const char *const mb2_mod_string[] = MOD_MSGS("multiboot2: ", "string is not NUL-terminated within its tag");

static int fail(const char **why, const char *msg)
{
    if (why)
        *why = msg;
    return -EINVAL;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_space(const char *p)
{
    while (is_space(*p))
        p++;
    return p;
}

static size_t word_len(const char *p)
{
    size_t n = 0;

    while (p[n] && !is_space(p[n]))
        n++;
    return n;
}

bool boot_loader_is_grub2(const struct boot_info *bi)
{
    /* Xen's loader_is_grub2: GRUB legacy is "GNU GRUB 0.xx", GRUB 2 "GRUB 2.xx". */
    const char *p = strstr(bi->loader, "GRUB ");

    return p && p[5] != '0';
}

const char *boot_module_args(const struct boot_info *bi, const struct boot_module *m)
{
    const char *p = skip_space(m->string);
    size_t n;

    if (boot_loader_is_grub2(bi))
        return p;
    n = word_len(p);
    if (n && (*p == '/' || !memchr(p, '=', n)))
        p = skip_space(p + n);
    return p;
}

/* Drop leading white space and, unless GRUB 2 booted us, the image name. */
static void cook_cmdline(struct boot_info *bi)
{
    const char *p = skip_space(bi->cmdline);

    if (!boot_loader_is_grub2(bi))
        p = skip_space(p + word_len(p));
    memmove(bi->cmdline, p, strlen(p) + 1);
}

/*
 * Copy the NUL-terminated string at physical pa, truncated to fit dst.
 * One byte at a time, because nothing says how long it is and map() may
 * refuse anything past its end. pa == 0 means "no string".
 */
static int copy_phys_string(boot_map_fn map, uint64_t pa, char *dst, size_t size)
{
    size_t n = 0;

    if (pa) {
        for (; n < size - 1; n++) {
            const char *c = map(pa + n, 1);

            if (!c)
                return -EINVAL;
            if (*c == '\0')
                break;
            dst[n] = *c;
        }
    }
    dst[n] = '\0';
    return 0;
}

/* Copy a string that must end inside [p, p + len); truncate to fit dst. */
static int copy_tag_string(const uint8_t *p, size_t len, char *dst, size_t size)
{
    const uint8_t *nul = memchr(p, '\0', len);
    size_t n;

    if (!nul)
        return -EINVAL;
    n = MIN((size_t)(nul - p), size - 1);
    memcpy(dst, p, n);
    dst[n] = '\0';
    return 0;
}

/*
 * Add a loader-reported region. Types we do not know become reserved:
 * the hypervisor keeps private types of its own in this map, and firmware
 * must not be able to forge them. A full table is first compacted by
 * sanitizing (firmware maps list many touching RAM ranges) before giving
 * up.
 */
static int add_region(struct e820map *m, uint64_t base, uint64_t len,
                      uint32_t type, const char **why)
{
    int rc;

    if (!len)
        return 0;
    if (type < E820_RAM || type > E820_UNUSABLE)
        type = E820_RESERVED;
    if (base > UINT64_MAX - len)
        return fail(why, "multiboot: memory map entry wraps around the address space");
    rc = e820_add(m, base, len, type);
    if (rc == -ENOSPC && e820_sanitize(m) == 0)
        rc = e820_add(m, base, len, type);
    if (rc)
        return fail(why, "multiboot: memory map has more entries than fit (E820MAX)");
    return 0;
}

static int add_meminfo(struct e820map *m, uint32_t lower_kib, uint32_t upper_kib,
                       const char **why)
{
    int rc = add_region(m, 0, (uint64_t)MIN(lower_kib, (uint32_t)MAX_MEM_LOWER_KIB) << 10,
                        E820_RAM, why);

    if (!rc)
        rc = add_region(m, MB_HIGH_MEM_START, (uint64_t)upper_kib << 10, E820_RAM, why);
    return rc;
}

static int finish(struct boot_info *bi, const char **why)
{
    if (e820_sanitize(&bi->mmap))
        return fail(why, "multiboot: memory map has more entries than fit (E820MAX)");
    cook_cmdline(bi);
    return 0;
}

static int mb1_modules(boot_map_fn map, uint32_t count, uint32_t addr,
                       struct boot_info *bi, const char **why)
{
    if (count > MAX_BOOT_MODULES)
        return fail(why, "multiboot: more than 16 modules (MAX_BOOT_MODULES)");
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *rec = map((uint64_t)addr + (uint64_t)i * MB1_MOD_SIZE, MB1_MOD_SIZE);
        struct boot_module *mod = &bi->mods[i];
        uint32_t string;

        if (!rec)
            return fail(why, "multiboot: module list is not readable");
        /* Both ends are 32-bit, so a module is always below 4 GiB. */
        mod->start = rd32(rec);
        mod->end = rd32(rec + 4);
        string = rd32(rec + 8);
        if (mod->end < mod->start)
            return fail(why, mb1_mod_range[i]);
        if (copy_phys_string(map, string, mod->string, sizeof(mod->string)))
            return fail(why, mb1_mod_string[i]);
        bi->nr_modules = i + 1;
    }
    return 0;
}

static int mb1_mmap(boot_map_fn map, uint32_t length, uint32_t addr,
                    struct boot_info *bi, const char **why)
{
    uint64_t base = addr;
    uint32_t off = 0;

    while (off < length) {
        const uint8_t *p;
        uint32_t size;
        uint64_t start, len;
        uint32_t type;

        if (length - off < 4 || !(p = map(base + off, 4)))
            return fail(why, "multiboot: memory map entry is truncated or unreadable");
        size = rd32(p);
        /* A size below the fixed fields would also never advance far enough. */
        if (size < MB1_MMAP_MIN_SIZE)
            return fail(why, "multiboot: memory map entry size is below 20");
        if (size > length - off - 4)
            return fail(why, "multiboot: memory map entry runs past mmap_length");
        if (!(p = map(base + off + 4, MB1_MMAP_MIN_SIZE)))
            return fail(why, "multiboot: memory map entry is truncated or unreadable");
        start = rd64(p);
        len = rd64(p + 8);
        type = rd32(p + 16);
        if (add_region(&bi->mmap, start, len, type, why))
            return -EINVAL;
        off += 4 + size;
    }
    return 0;
}

static int parse_mb1(uint64_t info_pa, boot_map_fn map, struct boot_info *bi,
                     const char **why)
{
    const uint8_t *p = map(info_pa, MB1_INFO_SIZE);
    uint8_t info[MB1_INFO_SIZE];
    uint32_t flags;

    if (!p)
        return fail(why, "multiboot: information structure is not readable");
    memcpy(info, p, sizeof(info));
    flags = rd32(info);

    if ((flags & MB1_FLAG_CMDLINE) &&
        copy_phys_string(map, rd32(info + MB1_CMDLINE), bi->cmdline, sizeof(bi->cmdline)))
        return fail(why, "multiboot: command line is not readable");
    if ((flags & MB1_FLAG_LOADER) &&
        copy_phys_string(map, rd32(info + MB1_LOADER_NAME), bi->loader, sizeof(bi->loader)))
        return fail(why, "multiboot: boot loader name is not readable");
    if ((flags & MB1_FLAG_MODS) &&
        mb1_modules(map, rd32(info + MB1_MODS_COUNT), rd32(info + MB1_MODS_ADDR), bi, why))
        return -EINVAL;
    if ((flags & MB1_FLAG_MMAP) &&
        mb1_mmap(map, rd32(info + MB1_MMAP_LENGTH), rd32(info + MB1_MMAP_ADDR), bi, why))
        return -EINVAL;

    if (!bi->mmap.nr) {
        if (!(flags & MB1_FLAG_MEM))
            return fail(why, "multiboot: no memory map and no memory size given");
        if (add_meminfo(&bi->mmap, rd32(info + MB1_MEM_LOWER), rd32(info + MB1_MEM_UPPER), why))
            return -EINVAL;
    }
    return finish(bi, why);
}

/* State gathered across MB2 tags, which may come in any order. */
struct mb2_state {
    bool have_mmap, have_meminfo, have_new_rsdp;
    uint32_t mem_lower, mem_upper;
};

static int mb2_mmap(const uint8_t *p, size_t len, struct boot_info *bi, const char **why)
{
    uint32_t entry_size;

    if (len < 8)
        return fail(why, "multiboot2: memory map tag is too small");
    /* entry_version (p + 4) only promises compatible extensions: ignored. */
    entry_size = rd32(p);
    if (entry_size < MB2_MMAP_ENTRY)
        return fail(why, "multiboot2: memory map entry_size is below 24");
    p += 8;
    len -= 8;
    if (len % entry_size)
        return fail(why, "multiboot2: memory map tag ends in a partial entry");
    bi->mmap.nr = 0;    /* a repeated tag replaces the earlier map */
    for (; len; p += entry_size, len -= entry_size)
        if (add_region(&bi->mmap, rd64(p), rd64(p + 8), rd32(p + 16), why))
            return -EINVAL;
    return 0;
}

static int mb2_tag(uint32_t type, const uint8_t *p, size_t len, struct mb2_state *st,
                   struct boot_info *bi, const char **why)
{
    struct boot_module *mod;

    switch (type) {
    case MB2_TAG_CMDLINE:
        if (copy_tag_string(p, len, bi->cmdline, sizeof(bi->cmdline)))
            return fail(why, "multiboot2: command line is not NUL-terminated within its tag");
        return 0;

    case MB2_TAG_LOADER:
        if (copy_tag_string(p, len, bi->loader, sizeof(bi->loader)))
            return fail(why, "multiboot2: boot loader name is not NUL-terminated within its tag");
        return 0;

    case MB2_TAG_MODULE:
        if (bi->nr_modules >= MAX_BOOT_MODULES)
            return fail(why, "multiboot2: more than 16 modules (MAX_BOOT_MODULES)");
        if (len < 8)
            return fail(why, "multiboot2: module tag is too small");
        mod = &bi->mods[bi->nr_modules];
        mod->start = rd32(p);
        mod->end = rd32(p + 4);
        if (mod->end < mod->start)
            return fail(why, mb2_mod_range[bi->nr_modules]);
        if (copy_tag_string(p + 8, len - 8, mod->string, sizeof(mod->string)))
            return fail(why, mb2_mod_string[bi->nr_modules]);
        bi->nr_modules++;
        return 0;

    case MB2_TAG_MEMINFO:
        if (len < 8)
            return fail(why, "multiboot2: basic memory information tag is too small");
        st->have_meminfo = true;
        st->mem_lower = rd32(p);
        st->mem_upper = rd32(p + 4);
        return 0;

    case MB2_TAG_MMAP:
        st->have_mmap = true;
        return mb2_mmap(p, len, bi, why);

    case MB2_TAG_ACPI_OLD:
        if (len < RSDP_V1_SIZE)
            return fail(why, "multiboot2: ACPI 1.0 RSDP tag is too small");
        if (!st->have_new_rsdp) {
            memset(bi->rsdp, 0, sizeof(bi->rsdp));
            memcpy(bi->rsdp, p, RSDP_V1_SIZE);
            bi->have_rsdp = true;
        }
        return 0;

    case MB2_TAG_ACPI_NEW:
        if (len < sizeof(bi->rsdp))
            return fail(why, "multiboot2: ACPI 2.0 RSDP tag is too small");
        memcpy(bi->rsdp, p, sizeof(bi->rsdp));
        bi->have_rsdp = true;
        st->have_new_rsdp = true;
        return 0;

    default:
        return 0;   /* framebuffer, EFI, ...: not ours to interpret here */
    }
}

static int parse_mb2(uint64_t info_pa, boot_map_fn map, struct boot_info *bi,
                     const char **why)
{
    struct mb2_state st = { 0 };
    const uint8_t *info;
    uint32_t total;
    size_t off;

    if (info_pa % MB2_TAG_ALIGN)
        return fail(why, "multiboot2: information structure is not 8-byte aligned");
    if (!(info = map(info_pa, 8)))
        return fail(why, "multiboot2: information structure is not readable");
    total = rd32(info);
    if (total < 2 * MB2_TAG_HDR)
        return fail(why, "multiboot2: total_size is smaller than a header and an end tag");
    if (total > MB2_MAX_INFO)
        return fail(why, "multiboot2: total_size is larger than 1 MiB");
    if (!(info = map(info_pa, total)))
        return fail(why, "multiboot2: information structure is not readable up to total_size");

    off = MB2_TAG_HDR;  /* tags follow total_size and reserved */
    for (;;) {
        uint32_t type, size;

        if (off > total || total - off < MB2_TAG_HDR)
            return fail(why, "multiboot2: tag list has no end tag within total_size");
        type = rd32(info + off);
        size = rd32(info + off + 4);
        /* size >= 8 also guarantees the walk moves forward. */
        if (size < MB2_TAG_HDR)
            return fail(why, "multiboot2: tag size is below 8");
        if (size > total - off)
            return fail(why, "multiboot2: tag runs past total_size");
        if (type == MB2_TAG_END)
            break;
        if (mb2_tag(type, info + off + MB2_TAG_HDR, size - MB2_TAG_HDR, &st, bi, why))
            return -EINVAL;
        off = ROUNDUP(off + size, (size_t)MB2_TAG_ALIGN);
    }

    if (!st.have_mmap || !bi->mmap.nr) {
        if (!st.have_meminfo)
            return fail(why, "multiboot2: no memory map and no memory size given");
        if (add_meminfo(&bi->mmap, st.mem_lower, st.mem_upper, why))
            return -EINVAL;
    }
    return finish(bi, why);
}

int multiboot_parse(uint32_t magic, uint64_t info_pa, boot_map_fn map,
                    struct boot_info *bi, const char **why)
{
    memset(bi, 0, sizeof(*bi));
    if (!map)
        return fail(why, "multiboot: no way to read the information structure");
    switch (magic) {
    case MULTIBOOT1_BOOTLOADER_MAGIC:
        bi->mb_version = 1;
        return parse_mb1(info_pa, map, bi, why);
    case MULTIBOOT2_BOOTLOADER_MAGIC:
        bi->mb_version = 2;
        return parse_mb2(info_pa, map, bi, why);
    default:
        return fail(why, "not started by a multiboot loader (bad magic)");
    }
}
