// UNIT-SOURCES: hypervisor/boot/multiboot.c hypervisor/mm/e820.c
/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "xeno/bootinfo.h"
#include "xeno/errno.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Fake physical memory: MEM_SIZE bytes at physical MEM_BASE. map() hands
 * out an exact-size heap copy of the range and frees the previous one, so
 * ASan catches both reads past the requested length and use of a mapping
 * after the next map() call.
 */
#define MEM_BASE 0x10000u
#define MEM_SIZE 0x40000u
#define MAP_CALL_LIMIT 1000000

static uint8_t mem[MEM_SIZE];
static size_t brk;
static void *last_map;
static long map_calls;

static const void *fake_map(uint64_t pa, size_t len)
{
    free(last_map);
    last_map = NULL;
    if (++map_calls > MAP_CALL_LIMIT)
        return NULL;            /* a runaway loop: fail the parse instead of hanging */
    if (pa < MEM_BASE || pa - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (pa - MEM_BASE))
        return NULL;
    last_map = malloc(len ? len : 1);
    if (last_map)
        memcpy(last_map, mem + (pa - MEM_BASE), len);
    return last_map;
}

static void mem_reset(void)
{
    memset(mem, 0, sizeof(mem));
    brk = 0;
    map_calls = 0;
}

/* Reserve len bytes aligned to align; returns the fake physical address. */
static uint32_t alloc(size_t len, size_t align)
{
    brk = (brk + align - 1) & ~(align - 1);
    CU_ASSERT_FATAL(brk + len <= MEM_SIZE);
    uint32_t pa = MEM_BASE + (uint32_t)brk;
    brk += len;
    return pa;
}

static uint8_t *at(uint32_t pa) { return mem + (pa - MEM_BASE); }
static void w32(uint32_t pa, uint32_t v) { memcpy(at(pa), &v, 4); }
static void w64(uint32_t pa, uint64_t v) { memcpy(at(pa), &v, 8); }

static uint32_t put_str(const char *s)
{
    uint32_t pa = alloc(strlen(s) + 1, 1);
    memcpy(at(pa), s, strlen(s) + 1);
    return pa;
}

static struct boot_info bi;
static const char *why;

static int parse(uint32_t magic, uint64_t pa)
{
    why = NULL;
    int rc = multiboot_parse(magic, pa, fake_map, &bi, &why);
    free(last_map);
    last_map = NULL;
    CU_ASSERT(map_calls <= MAP_CALL_LIMIT);
    if (rc == 0) {
        CU_ASSERT_PTR_NULL(why);
    } else {
        CU_ASSERT_PTR_NOT_NULL(why);
    }
    return rc;
}

static void expect_error(uint32_t magic, uint64_t pa, const char *msg)
{
    CU_ASSERT_EQUAL(parse(magic, pa), -EINVAL);
    if (why && strcmp(why, msg)) {
        printf("\n  expected \"%s\"\n  got      \"%s\"\n", msg, why);
        CU_FAIL("wrong error message");
    }
}

static bool has_entry(uint64_t start, uint64_t end, uint32_t type)
{
    for (unsigned int i = 0; i < bi.mmap.nr; i++)
        if (bi.mmap.map[i].addr == start && bi.mmap.map[i].size == end - start &&
            bi.mmap.map[i].type == type)
            return true;
    return false;
}

/* ---------------------------------------------------------------- MB1 */

#define MB1_SIZE 120
enum { F_MEM = 1 << 0, F_CMDLINE = 1 << 2, F_MODS = 1 << 3, F_MMAP = 1 << 6, F_LOADER = 1 << 9 };

static uint32_t mb1_info(uint32_t flags)
{
    uint32_t pa = alloc(MB1_SIZE, 8);
    w32(pa, flags);
    return pa;
}

static void mb1_set(uint32_t info, unsigned int off, uint32_t v) { w32(info + off, v); }

struct mmap_ent { uint64_t base, len; uint32_t type; };

static uint32_t mb1_mmap(const struct mmap_ent *e, size_t n)
{
    uint32_t pa = alloc(n * 24, 4);
    for (size_t i = 0; i < n; i++) {
        w32(pa + i * 24, 20);
        w64(pa + i * 24 + 4, e[i].base);
        w64(pa + i * 24 + 12, e[i].len);
        w32(pa + i * 24 + 20, e[i].type);
    }
    return pa;
}

struct mod { uint32_t start, end; const char *s; };

static uint32_t mb1_mods(const struct mod *m, size_t n)
{
    uint32_t pa = alloc(n * 16, 4);
    for (size_t i = 0; i < n; i++) {
        w32(pa + i * 16, m[i].start);
        w32(pa + i * 16 + 4, m[i].end);
        w32(pa + i * 16 + 8, m[i].s ? put_str(m[i].s) : 0);
    }
    return pa;
}

static const struct mmap_ent std_mmap[] = {
    { 0x100000, 0x7f00000, 1 },
    { 0, 0x9fc00, 1 },
    { 0x9fc00, 0x400, 2 },
    { 0xf0000, 0x10000, 2 },
    { 0x7fe0000, 0x20000, 3 },          /* ACPI tables at the top of RAM */
    { 0xfffc0000, 0x40000, 2 },
    { 0x200000, 0, 1 },                 /* zero length: skipped */
};

static uint32_t mb1_standard(const char *loader, const char *cmdline)
{
    uint32_t info = mb1_info(F_MEM | F_CMDLINE | F_MODS | F_MMAP | (loader ? F_LOADER : 0));
    static const struct mod mods[] = {
        { 0x1000000, 0x1400000, "/boot/vmlinuz root=/dev/xvda1 console=hvc0" },
        { 0x1400000, 0x1800000, "/boot/initrd.img" },
    };

    mb1_set(info, 4, 639);
    mb1_set(info, 8, 130048);
    mb1_set(info, 16, put_str(cmdline));
    mb1_set(info, 20, 2);
    mb1_set(info, 24, mb1_mods(mods, 2));
    mb1_set(info, 44, sizeof(std_mmap) / sizeof(std_mmap[0]) * 24);
    mb1_set(info, 48, mb1_mmap(std_mmap, ARRAY_SIZE(std_mmap)));
    if (loader)
        mb1_set(info, 64, put_str(loader));
    return info;
}

static void test_mb1_full(void)
{
    mem_reset();
    uint32_t info = mb1_standard("GNU GRUB 0.97", "/boot/xen.gz console=com1 dom0_mem=1G");

    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_EQUAL(bi.mb_version, 1);
    CU_ASSERT_STRING_EQUAL(bi.loader, "GNU GRUB 0.97");
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "console=com1 dom0_mem=1G");   /* image name gone */
    CU_ASSERT_EQUAL(bi.nr_modules, 2);
    CU_ASSERT_EQUAL(bi.mods[0].start, 0x1000000);
    CU_ASSERT_EQUAL(bi.mods[0].end, 0x1400000);
    CU_ASSERT_STRING_EQUAL(bi.mods[0].string, "/boot/vmlinuz root=/dev/xvda1 console=hvc0");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &bi.mods[0]), "root=/dev/xvda1 console=hvc0");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &bi.mods[1]), "");
    CU_ASSERT_FALSE(bi.have_rsdp);

    /* The mmap (not mem_lower/upper) is used, sanitized: ACPI carved out of RAM. */
    CU_ASSERT_EQUAL(bi.mmap.nr, 6);
    CU_ASSERT_TRUE(has_entry(0, 0x9fc00, E820_RAM));
    CU_ASSERT_TRUE(has_entry(0x9fc00, 0xa0000, E820_RESERVED));
    CU_ASSERT_TRUE(has_entry(0xf0000, 0x100000, E820_RESERVED));
    CU_ASSERT_TRUE(has_entry(0x100000, 0x7fe0000, E820_RAM));
    CU_ASSERT_TRUE(has_entry(0x7fe0000, 0x8000000, E820_ACPI));
    CU_ASSERT_TRUE(has_entry(0xfffc0000, 0x100000000, E820_RESERVED));
}

static void test_mb1_loaders(void)
{
    /* QEMU's multiboot loader: image name first, no GRUB in the name. */
    mem_reset();
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, mb1_standard("qemu", "xen.gz  noreboot")), 0);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "noreboot");
    CU_ASSERT_FALSE(boot_loader_is_grub2(&bi));

    /* No loader name at all: treated as not GRUB 2. */
    mem_reset();
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, mb1_standard(NULL, "  /xen noreboot")), 0);
    CU_ASSERT_STRING_EQUAL(bi.loader, "");
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "noreboot");

    /* Only the image name. */
    mem_reset();
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, mb1_standard("qemu", "/xen")), 0);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "");

    /* GRUB 2 does not prepend the image name: keep everything. */
    mem_reset();
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, mb1_standard("GRUB 2.06", "  console=com1 noreboot")), 0);
    CU_ASSERT_TRUE(boot_loader_is_grub2(&bi));
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "console=com1 noreboot");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &bi.mods[0]),
                           "/boot/vmlinuz root=/dev/xvda1 console=hvc0");

    mem_reset();
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, mb1_standard("GRUB 2.12-1ubuntu7", "a b")), 0);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "a b");
}

static void test_module_args_rule(void)
{
    memset(&bi, 0, sizeof(bi));
    struct boot_module m = { 0 };

    strcpy(bi.loader, "qemu");
    strcpy(m.string, "/boot/vmlinuz root=/dev/sda");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &m), "root=/dev/sda");
    strcpy(m.string, "vmlinuz  console=hvc0 quiet");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &m), "console=hvc0 quiet");
    strcpy(m.string, "root=/dev/sda quiet");           /* no path: keep it */
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &m), "root=/dev/sda quiet");
    strcpy(m.string, "/path=with=equals x");            /* starts with '/': a path */
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &m), "x");
    strcpy(m.string, "  /initrd  ");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &m), "");
    strcpy(m.string, "");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &m), "");

    strcpy(bi.loader, "GRUB 2.06");
    strcpy(m.string, "  vmlinuz console=hvc0");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &m), "vmlinuz console=hvc0");

    /* Xen's GRUB test: "GRUB " followed by anything but '0'. */
    strcpy(bi.loader, "GNU GRUB 0.97");
    CU_ASSERT_FALSE(boot_loader_is_grub2(&bi));
    strcpy(bi.loader, "GRUB");
    CU_ASSERT_FALSE(boot_loader_is_grub2(&bi));
    strcpy(bi.loader, "grub 2.06");
    CU_ASSERT_FALSE(boot_loader_is_grub2(&bi));
    strcpy(bi.loader, "GRUB 1.99");
    CU_ASSERT_TRUE(boot_loader_is_grub2(&bi));
}

static void test_mb1_meminfo(void)
{
    mem_reset();
    uint32_t info = mb1_info(F_MEM);
    mb1_set(info, 4, 639);
    mb1_set(info, 8, 130048);
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 2);
    CU_ASSERT_TRUE(has_entry(0, 639 * 1024, E820_RAM));
    CU_ASSERT_TRUE(has_entry(0x100000, 0x100000 + 130048ull * 1024, E820_RAM));
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "");
    CU_ASSERT_EQUAL(bi.nr_modules, 0);

    /* A bogus mem_lower cannot reach into high memory. */
    mem_reset();
    info = mb1_info(F_MEM);
    mb1_set(info, 4, 0xffffffff);
    mb1_set(info, 8, 0xffffffff);
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_TRUE(has_entry(0, 640 * 1024, E820_RAM));
    CU_ASSERT_TRUE(has_entry(0x100000, 0x100000 + 0xffffffffull * 1024, E820_RAM));

    /* An mmap flag with an empty map falls back to mem_lower/upper. */
    mem_reset();
    info = mb1_info(F_MEM | F_MMAP);
    mb1_set(info, 4, 600);
    mb1_set(info, 8, 1024);
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_TRUE(has_entry(0, 600 * 1024, E820_RAM));

    mem_reset();
    expect_error(0x2BADB002, mb1_info(F_CMDLINE * 0), "multiboot: no memory map and no memory size given");
    mem_reset();
    info = mb1_info(F_MMAP);        /* empty map, no meminfo */
    expect_error(0x2BADB002, info, "multiboot: no memory map and no memory size given");
}

static void test_mb1_bad_modules(void)
{
    static const struct mod bad_range[] = {
        { 0x1000000, 0x1400000, "a" },
        { 0x2000000, 0x1ffffff, "b" },
    };
    mem_reset();
    uint32_t info = mb1_info(F_MEM | F_MODS);
    mb1_set(info, 20, 2);
    mb1_set(info, 24, mb1_mods(bad_range, 2));
    expect_error(0x2BADB002, info, "multiboot: module 2 has end < start");

    /* 17 modules. */
    static struct mod many[MAX_BOOT_MODULES + 1];
    for (size_t i = 0; i < ARRAY_SIZE(many); i++)
        many[i] = (struct mod){ 0x1000000, 0x1000000, "m" };
    mem_reset();
    info = mb1_info(F_MEM | F_MODS);
    mb1_set(info, 20, MAX_BOOT_MODULES + 1);
    mb1_set(info, 24, mb1_mods(many, ARRAY_SIZE(many)));
    expect_error(0x2BADB002, info, "multiboot: more than 16 modules (MAX_BOOT_MODULES)");

    /* Exactly 16 is fine; empty modules and missing strings are allowed. */
    mem_reset();
    info = mb1_info(F_MEM | F_MODS);
    many[3].s = NULL;
    mb1_set(info, 20, MAX_BOOT_MODULES);
    mb1_set(info, 24, mb1_mods(many, MAX_BOOT_MODULES));
    CU_ASSERT_EQUAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_EQUAL(bi.nr_modules, MAX_BOOT_MODULES);
    CU_ASSERT_STRING_EQUAL(bi.mods[3].string, "");
    CU_ASSERT_STRING_EQUAL(bi.mods[15].string, "m");

    /* A huge count is refused before anything is mapped from mods_addr. */
    mem_reset();
    info = mb1_info(F_MEM | F_MODS);
    mb1_set(info, 20, 0xffffffff);
    mb1_set(info, 24, MEM_BASE);
    expect_error(0x2BADB002, info, "multiboot: more than 16 modules (MAX_BOOT_MODULES)");

    /* Module list outside accessible memory. */
    mem_reset();
    info = mb1_info(F_MEM | F_MODS);
    mb1_set(info, 20, 1);
    mb1_set(info, 24, 0x100);
    expect_error(0x2BADB002, info, "multiboot: module list is not readable");

    /* Module string pointing nowhere. */
    mem_reset();
    info = mb1_info(F_MEM | F_MODS);
    uint32_t mods = alloc(16, 4);
    w32(mods, 0x1000);
    w32(mods + 4, 0x2000);
    w32(mods + 8, 0xdead0000);
    mb1_set(info, 20, 1);
    mb1_set(info, 24, mods);
    expect_error(0x2BADB002, info, "multiboot: module 1 string is not readable");

    /* A module string longer than the buffer is truncated. */
    mem_reset();
    char longs[600];
    memset(longs, 'z', sizeof(longs) - 1);
    longs[sizeof(longs) - 1] = '\0';
    struct mod one = { 0x1000, 0x2000, longs };
    info = mb1_info(F_MEM | F_MODS);
    mb1_set(info, 20, 1);
    mb1_set(info, 24, mb1_mods(&one, 1));
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_EQUAL(strlen(bi.mods[0].string), sizeof(bi.mods[0].string) - 1);
}

static void test_mb1_bad_strings(void)
{
    /* Command line pointer outside memory. */
    mem_reset();
    uint32_t info = mb1_info(F_MEM | F_CMDLINE);
    mb1_set(info, 16, 0xfff00000);
    expect_error(0x2BADB002, info, "multiboot: command line is not readable");

    /* Command line running into the end of accessible memory without a NUL. */
    mem_reset();
    info = mb1_info(F_MEM | F_CMDLINE);
    memset(mem + MEM_SIZE - 10, 'x', 10);
    mb1_set(info, 16, MEM_BASE + MEM_SIZE - 10);
    expect_error(0x2BADB002, info, "multiboot: command line is not readable");

    /* Loader name likewise. */
    mem_reset();
    info = mb1_info(F_MEM | F_LOADER);
    memset(mem + MEM_SIZE - 3, 'G', 3);
    mb1_set(info, 64, MEM_BASE + MEM_SIZE - 3);
    expect_error(0x2BADB002, info, "multiboot: boot loader name is not readable");

    /* Overlong strings are truncated, not overrun. */
    mem_reset();
    char *s = malloc(3000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memset(s, 'c', 2999);
    s[2999] = '\0';
    s[4] = ' ';
    info = mb1_info(F_MEM | F_CMDLINE | F_LOADER);
    mb1_set(info, 16, put_str(s));
    mb1_set(info, 64, put_str(s));
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_EQUAL(strlen(bi.loader), sizeof(bi.loader) - 1);
    /* 1023 bytes read, then the first word ("cccc") and the space dropped. */
    CU_ASSERT_EQUAL(strlen(bi.cmdline), sizeof(bi.cmdline) - 1 - 5);
    free(s);

    /* A NULL string pointer means "no string". */
    mem_reset();
    info = mb1_info(F_MEM | F_CMDLINE | F_LOADER);
    CU_ASSERT_EQUAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "");
    CU_ASSERT_STRING_EQUAL(bi.loader, "");
}

static void test_mb1_bad_mmap(void)
{
    /* Entry size 0 would never advance: rejected. */
    mem_reset();
    uint32_t info = mb1_info(F_MMAP);
    uint32_t mm = alloc(48, 4);
    mb1_set(info, 44, 48);
    mb1_set(info, 48, mm);
    expect_error(0x2BADB002, info, "multiboot: memory map entry size is below 20");

    /* Last entry claims more than mmap_length holds. */
    static const struct mmap_ent two[] = { { 0, 0x9f000, 1 }, { 0x100000, 0x1000000, 1 } };
    mem_reset();
    info = mb1_info(F_MMAP);
    mb1_set(info, 44, 40);
    mb1_set(info, 48, mb1_mmap(two, 2));
    expect_error(0x2BADB002, info, "multiboot: memory map entry runs past mmap_length");

    /* mmap_length leaves 2 dangling bytes. */
    mem_reset();
    info = mb1_info(F_MMAP);
    mb1_set(info, 44, 26);
    mb1_set(info, 48, mb1_mmap(two, 2));
    expect_error(0x2BADB002, info, "multiboot: memory map entry is truncated or unreadable");

    /* mmap outside memory. */
    mem_reset();
    info = mb1_info(F_MMAP);
    mb1_set(info, 44, 24);
    mb1_set(info, 48, 0x100);
    expect_error(0x2BADB002, info, "multiboot: memory map entry is truncated or unreadable");

    /* Entry wrapping around 2^64. */
    static const struct mmap_ent wrap[] = { { 0xffffffffffff0000ull, 0x20000, 2 } };
    mem_reset();
    info = mb1_info(F_MMAP);
    mb1_set(info, 44, 24);
    mb1_set(info, 48, mb1_mmap(wrap, 1));
    expect_error(0x2BADB002, info, "multiboot: memory map entry wraps around the address space");

    /* Larger entries (size > 20) are stepped over by their size. */
    mem_reset();
    info = mb1_info(F_MMAP);
    mm = alloc(2 * 32, 4);
    for (int i = 0; i < 2; i++) {
        w32(mm + i * 32, 28);
        w64(mm + i * 32 + 4, i * 0x100000ull);
        w64(mm + i * 32 + 12, 0x1000);
        w32(mm + i * 32 + 20, 1);
        w32(mm + i * 32 + 24, 0xdeadbeef);
    }
    mb1_set(info, 44, 64);
    mb1_set(info, 48, mm);
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 2);
    CU_ASSERT_TRUE(has_entry(0x100000, 0x101000, E820_RAM));
}

static void test_mb1_big_mmap(void)
{
    /* 300 touching RAM entries: compacted on the way in. */
    enum { N = 300 };
    static struct mmap_ent e[N];
    for (int i = 0; i < N; i++)
        e[i] = (struct mmap_ent){ i * 0x1000ull, 0x1000, 1 };
    mem_reset();
    uint32_t info = mb1_info(F_MMAP);
    mb1_set(info, 44, N * 24);
    mb1_set(info, 48, mb1_mmap(e, N));
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 1);
    CU_ASSERT_TRUE(has_entry(0, N * 0x1000ull, E820_RAM));

    /* 300 disjoint entries of alternating type cannot fit. */
    for (int i = 0; i < N; i++)
        e[i] = (struct mmap_ent){ i * 0x2000ull, 0x1000, 1 + i % 2 };
    mem_reset();
    info = mb1_info(F_MMAP);
    mb1_set(info, 44, N * 24);
    mb1_set(info, 48, mb1_mmap(e, N));
    expect_error(0x2BADB002, info, "multiboot: memory map has more entries than fit (E820MAX)");
}

static void test_bad_magic(void)
{
    mem_reset();
    uint32_t info = mb1_standard("qemu", "x");
    expect_error(0x1BADB002, info, "not started by a multiboot loader (bad magic)");
    expect_error(0, info, "not started by a multiboot loader (bad magic)");
    expect_error(0xe85250d6, info, "not started by a multiboot loader (bad magic)"); /* header magic */

    /* Info structure not accessible. */
    expect_error(0x2BADB002, 0x100, "multiboot: information structure is not readable");
    expect_error(0x2BADB002, MEM_BASE + MEM_SIZE - 10, "multiboot: information structure is not readable");

    /* No map function; why may be NULL. */
    CU_ASSERT_EQUAL(multiboot_parse(0x2BADB002, info, NULL, &bi, NULL), -EINVAL);
    CU_ASSERT_EQUAL(multiboot_parse(0x12345678, info, fake_map, &bi, NULL), -EINVAL);
    free(last_map);
    last_map = NULL;
}

/* ---------------------------------------------------------------- MB2 */

static uint8_t mb2[16384];
static size_t mb2_len;

static void mb2_begin(void)
{
    memset(mb2, 0, sizeof(mb2));
    mb2_len = 8;
}

static void mb2_tag(uint32_t type, const void *payload, size_t len)
{
    uint32_t hdr[2] = { type, (uint32_t)(8 + len) };

    CU_ASSERT_FATAL(mb2_len + 8 + len + 8 <= sizeof(mb2));
    memcpy(mb2 + mb2_len, hdr, 8);
    if (len)
        memcpy(mb2 + mb2_len + 8, payload, len);
    mb2_len = (mb2_len + 8 + len + 7) & ~(size_t)7;
}

static void mb2_str_tag(uint32_t type, const char *s)
{
    mb2_tag(type, s, strlen(s) + 1);
}

static void mb2_module(uint32_t start, uint32_t end, const char *s)
{
    uint8_t buf[300];
    size_t n = strlen(s) + 1;

    memcpy(buf, &start, 4);
    memcpy(buf + 4, &end, 4);
    memcpy(buf + 8, s, n);
    mb2_tag(3, buf, 8 + n);
}

static void mb2_meminfo(uint32_t lower, uint32_t upper)
{
    uint32_t v[2] = { lower, upper };
    mb2_tag(4, v, 8);
}

static void mb2_mmap(const struct mmap_ent *e, size_t n, uint32_t entry_size)
{
    uint8_t buf[4096] = { 0 };
    uint32_t hdr[2] = { entry_size, 0 };

    memcpy(buf, hdr, 8);
    for (size_t i = 0; i < n; i++) {
        memcpy(buf + 8 + i * entry_size, &e[i].base, 8);
        memcpy(buf + 8 + i * entry_size + 8, &e[i].len, 8);
        memcpy(buf + 8 + i * entry_size + 16, &e[i].type, 4);
    }
    mb2_tag(6, buf, 8 + n * entry_size);
}

/* Close the list with an end tag and copy it into fake memory. */
static uint32_t mb2_finish(void)
{
    uint32_t end[2] = { 0, 8 }, total;

    memcpy(mb2 + mb2_len, end, 8);
    mb2_len += 8;
    total = (uint32_t)mb2_len;
    memcpy(mb2, &total, 4);
    uint32_t pa = alloc(mb2_len, 8);
    memcpy(at(pa), mb2, mb2_len);
    return pa;
}

/* As mb2_finish but without an end tag or with a chosen total_size. */
static uint32_t mb2_place(uint32_t total)
{
    memcpy(mb2, &total, 4);
    uint32_t pa = alloc(mb2_len + 64, 8);
    memcpy(at(pa), mb2, mb2_len);
    return pa;
}

static void fill_rsdp(uint8_t *r, size_t n, uint8_t seed)
{
    memcpy(r, "RSD PTR ", 8);
    for (size_t i = 8; i < n; i++)
        r[i] = (uint8_t)(seed + i);
}

static void test_mb2_full(void)
{
    uint8_t rsdp2[36], rsdp1[20];
    fill_rsdp(rsdp2, sizeof(rsdp2), 100);
    fill_rsdp(rsdp1, sizeof(rsdp1), 7);

    mem_reset();
    mb2_begin();
    mb2_str_tag(1, "console=com1 dom0_mem=2G");
    mb2_str_tag(2, "GRUB 2.06");
    mb2_module(0x1000000, 0x1400000, "vmlinuz root=/dev/xvda1");
    mb2_module(0x1400000, 0x1500000, "");
    mb2_meminfo(639, 130048);
    mb2_tag(8, "\x01\x02\x03", 3);                 /* framebuffer: ignored */
    mb2_tag(15, rsdp2, sizeof(rsdp2));
    mb2_tag(14, rsdp1, sizeof(rsdp1));             /* older copy: must not win */
    mb2_mmap(std_mmap, ARRAY_SIZE(std_mmap), 24);
    uint32_t pa = mb2_finish();

    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, pa), 0);
    CU_ASSERT_EQUAL(bi.mb_version, 2);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "console=com1 dom0_mem=2G");
    CU_ASSERT_STRING_EQUAL(bi.loader, "GRUB 2.06");
    CU_ASSERT_EQUAL(bi.nr_modules, 2);
    CU_ASSERT_EQUAL(bi.mods[0].start, 0x1000000);
    CU_ASSERT_EQUAL(bi.mods[0].end, 0x1400000);
    CU_ASSERT_STRING_EQUAL(bi.mods[0].string, "vmlinuz root=/dev/xvda1");
    CU_ASSERT_STRING_EQUAL(boot_module_args(&bi, &bi.mods[0]), "vmlinuz root=/dev/xvda1");
    CU_ASSERT_STRING_EQUAL(bi.mods[1].string, "");
    CU_ASSERT_TRUE(bi.have_rsdp);
    CU_ASSERT_EQUAL(memcmp(bi.rsdp, rsdp2, 36), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 6);
    CU_ASSERT_TRUE(has_entry(0x100000, 0x7fe0000, E820_RAM));
    CU_ASSERT_TRUE(has_entry(0x7fe0000, 0x8000000, E820_ACPI));
}

static void test_mb2_rsdp_old(void)
{
    uint8_t rsdp1[20];
    fill_rsdp(rsdp1, sizeof(rsdp1), 7);

    mem_reset();
    mb2_begin();
    mb2_meminfo(639, 1024);
    mb2_tag(14, rsdp1, sizeof(rsdp1));
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_TRUE(bi.have_rsdp);
    CU_ASSERT_EQUAL(memcmp(bi.rsdp, rsdp1, 20), 0);
    for (int i = 20; i < 36; i++)
        CU_ASSERT_EQUAL(bi.rsdp[i], 0);

    /* New after old replaces it. */
    uint8_t rsdp2[36];
    fill_rsdp(rsdp2, sizeof(rsdp2), 50);
    mem_reset();
    mb2_begin();
    mb2_meminfo(639, 1024);
    mb2_tag(14, rsdp1, sizeof(rsdp1));
    mb2_tag(15, rsdp2, sizeof(rsdp2));
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_EQUAL(memcmp(bi.rsdp, rsdp2, 36), 0);

    mem_reset();
    mb2_begin();
    mb2_meminfo(639, 1024);
    mb2_tag(14, rsdp1, 19);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: ACPI 1.0 RSDP tag is too small");
    mem_reset();
    mb2_begin();
    mb2_meminfo(639, 1024);
    mb2_tag(15, rsdp2, 20);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: ACPI 2.0 RSDP tag is too small");
}

static void test_mb2_meminfo_and_cmdline(void)
{
    /* No loader name: first word of the command line is the image name. */
    mem_reset();
    mb2_begin();
    mb2_str_tag(1, "xen.efi noreboot");
    mb2_meminfo(600, 2048);
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "noreboot");
    CU_ASSERT_STRING_EQUAL(bi.loader, "");
    CU_ASSERT_EQUAL(bi.mmap.nr, 2);
    CU_ASSERT_TRUE(has_entry(0, 600 * 1024, E820_RAM));
    CU_ASSERT_TRUE(has_entry(0x100000, 0x100000 + 2048 * 1024, E820_RAM));
    CU_ASSERT_FALSE(bi.have_rsdp);

    /* Long loader name truncated; odd-sized tags padded to 8. */
    mem_reset();
    mb2_begin();
    char name[100];
    memset(name, 'L', 99);
    name[99] = '\0';
    memcpy(name, "GRUB 2", 6);
    mb2_str_tag(2, name);
    mb2_str_tag(1, "abcd");
    mb2_meminfo(600, 2048);
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_EQUAL(strlen(bi.loader), sizeof(bi.loader) - 1);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "abcd");

    /* Neither mmap nor meminfo. */
    mem_reset();
    mb2_begin();
    mb2_str_tag(1, "x");
    expect_error(0x36d76289, mb2_finish(), "multiboot2: no memory map and no memory size given");

    /* An empty mmap tag falls back to meminfo. */
    mem_reset();
    mb2_begin();
    mb2_mmap(NULL, 0, 24);
    mb2_meminfo(600, 2048);
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 2);

    mem_reset();
    mb2_begin();
    mb2_tag(4, "\0\0\0\0", 4);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: basic memory information tag is too small");
}

static void test_mb2_mmap_forms(void)
{
    /* Bigger entries (an extended version) are stepped over by entry_size. */
    mem_reset();
    mb2_begin();
    mb2_mmap(std_mmap, ARRAY_SIZE(std_mmap), 40);
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 6);

    /* A later mmap tag replaces the earlier one. */
    static const struct mmap_ent one[] = { { 0x100000, 0x100000, 1 } };
    mem_reset();
    mb2_begin();
    mb2_mmap(std_mmap, ARRAY_SIZE(std_mmap), 24);
    mb2_mmap(one, 1, 24);
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 1);

    mem_reset();
    mb2_begin();
    mb2_mmap(std_mmap, 2, 0);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: memory map entry_size is below 24");
    mem_reset();
    mb2_begin();
    mb2_mmap(std_mmap, 2, 16);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: memory map entry_size is below 24");

    /* Partial trailing entry. */
    mem_reset();
    mb2_begin();
    uint8_t buf[8 + 24 + 10] = { 0 };
    uint32_t es = 24;
    memcpy(buf, &es, 4);
    mb2_tag(6, buf, sizeof(buf));
    expect_error(0x36d76289, mb2_finish(), "multiboot2: memory map tag ends in a partial entry");

    mem_reset();
    mb2_begin();
    mb2_tag(6, buf, 4);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: memory map tag is too small");
}

static void test_mb2_modules(void)
{
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    mb2_module(0x1000, 0x2000, "a");
    mb2_module(0x3000, 0x2fff, "b");
    expect_error(0x36d76289, mb2_finish(), "multiboot2: module 2 has end < start");

    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    for (int i = 0; i <= MAX_BOOT_MODULES; i++)
        mb2_module(0x1000, 0x2000, "m");
    expect_error(0x36d76289, mb2_finish(), "multiboot2: more than 16 modules (MAX_BOOT_MODULES)");

    /* Unterminated module string: the NUL is outside the tag. */
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    uint8_t raw[8 + 8] = { 0 };
    memset(raw + 8, 'x', 8);
    mb2_tag(3, raw, sizeof(raw));
    expect_error(0x36d76289, mb2_finish(), "multiboot2: module 1 string is not NUL-terminated within its tag");

    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    mb2_tag(3, raw, 7);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: module tag is too small");

    /* Long module string truncated. */
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    char s[290];
    memset(s, 's', sizeof(s) - 1);
    s[sizeof(s) - 1] = '\0';
    mb2_module(0x1000, 0x2000, s);
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_EQUAL(strlen(bi.mods[0].string), sizeof(bi.mods[0].string) - 1);
}

static void test_mb2_bad_strings(void)
{
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    mb2_tag(1, "abc", 3);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: command line is not NUL-terminated within its tag");

    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    mb2_tag(2, "GRUB", 4);
    expect_error(0x36d76289, mb2_finish(), "multiboot2: boot loader name is not NUL-terminated within its tag");

    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    mb2_tag(1, NULL, 0);                 /* size 8: no room even for a NUL */
    expect_error(0x36d76289, mb2_finish(), "multiboot2: command line is not NUL-terminated within its tag");
}

static void test_mb2_hostile_structure(void)
{
    /* Zero-size tag: must be refused, not looped on. */
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    uint32_t zero[2] = { 1, 0 };
    memcpy(mb2 + mb2_len, zero, 8);
    mb2_len += 8;
    expect_error(0x36d76289, mb2_place((uint32_t)mb2_len + 8), "multiboot2: tag size is below 8");

    /* Size 4 likewise. */
    mem_reset();
    mb2_begin();
    uint32_t four[2] = { 77, 4 };
    memcpy(mb2 + mb2_len, four, 8);
    mb2_len += 8;
    expect_error(0x36d76289, mb2_place((uint32_t)mb2_len + 8), "multiboot2: tag size is below 8");

    /* Tag running past total_size (truncated structure). */
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    mb2_str_tag(1, "a fairly long command line");
    expect_error(0x36d76289, mb2_place(8 + 16 + 12), "multiboot2: tag runs past total_size");

    /* No end tag before total_size. */
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    expect_error(0x36d76289, mb2_place((uint32_t)mb2_len), "multiboot2: tag list has no end tag within total_size");

    /* total_size not a multiple of 8, last tag padded past it. */
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    mb2_tag(1, "ab", 3);               /* ends at 24 + 11 = 35 */
    expect_error(0x36d76289, mb2_place(35), "multiboot2: tag list has no end tag within total_size");

    /* total_size too small, too large, beyond accessible memory. */
    mem_reset();
    mb2_begin();
    expect_error(0x36d76289, mb2_place(8), "multiboot2: total_size is smaller than a header and an end tag");
    expect_error(0x36d76289, mb2_place(0), "multiboot2: total_size is smaller than a header and an end tag");
    expect_error(0x36d76289, mb2_place(0x80000000), "multiboot2: total_size is larger than 1 MiB");
    mem_reset();
    mb2_begin();
    brk = MEM_SIZE - 80;
    expect_error(0x36d76289, mb2_place(4096), "multiboot2: information structure is not readable up to total_size");

    /* Misaligned or unmapped info. */
    mem_reset();
    mb2_begin();
    uint32_t pa = mb2_finish();
    expect_error(0x36d76289, pa + 4, "multiboot2: information structure is not 8-byte aligned");
    expect_error(0x36d76289, 0x1000, "multiboot2: information structure is not readable");
    expect_error(0x36d76289, 0xffffffffffff0000ull, "multiboot2: information structure is not readable");

    /* Minimal valid structure: header + end tag, but no memory info. */
    expect_error(0x36d76289, pa, "multiboot2: no memory map and no memory size given");

    /* End tag with a larger size is still the end; tags after it are ignored. */
    mem_reset();
    mb2_begin();
    mb2_meminfo(600, 2048);
    uint32_t end16[2] = { 0, 16 };
    memcpy(mb2 + mb2_len, end16, 8);
    mb2_len += 16;
    uint32_t junk[2] = { 1, 0 };
    memcpy(mb2 + mb2_len, junk, 8);
    mb2_len += 8;
    CU_ASSERT_EQUAL(parse(0x36d76289, mb2_place((uint32_t)mb2_len)), 0);
}

static void test_firmware_types(void)
{
    /* Unknown types from the loader become reserved; they cannot forge private ones. */
    static const struct mmap_ent e[] = {
        { 0, 0x9f000, 1 },
        { 0x100000, 0x100000, 0xf0 },
        { 0x200000, 0x100000, 7 },
        { 0x300000, 0x100000, 0 },
        { 0x400000, 0x100000, 5 },
        { 0x500000, 0x100000, 4 },
    };
    mem_reset();
    uint32_t info = mb1_info(F_MMAP);
    mb1_set(info, 44, sizeof(e) / sizeof(e[0]) * 24);
    mb1_set(info, 48, mb1_mmap(e, ARRAY_SIZE(e)));
    CU_ASSERT_EQUAL_FATAL(parse(0x2BADB002, info), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 4);
    CU_ASSERT_TRUE(has_entry(0, 0x9f000, E820_RAM));
    CU_ASSERT_TRUE(has_entry(0x100000, 0x400000, E820_RESERVED));
    CU_ASSERT_TRUE(has_entry(0x400000, 0x500000, E820_UNUSABLE));
    CU_ASSERT_TRUE(has_entry(0x500000, 0x600000, E820_NVS));

    mem_reset();
    mb2_begin();
    mb2_mmap(e, ARRAY_SIZE(e), 24);
    CU_ASSERT_EQUAL_FATAL(parse(0x36d76289, mb2_finish()), 0);
    CU_ASSERT_EQUAL(bi.mmap.nr, 4);
    CU_ASSERT_TRUE(has_entry(0x100000, 0x400000, E820_RESERVED));
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "mb1 full", test_mb1_full },
        { "mb1 loaders and image name", test_mb1_loaders },
        { "module args rule", test_module_args_rule },
        { "mb1 meminfo fallback", test_mb1_meminfo },
        { "mb1 bad modules", test_mb1_bad_modules },
        { "mb1 bad strings", test_mb1_bad_strings },
        { "mb1 bad mmap", test_mb1_bad_mmap },
        { "mb1 big mmap", test_mb1_big_mmap },
        { "firmware memory types", test_firmware_types },
        { "bad magic / unreadable info", test_bad_magic },
        { "mb2 full", test_mb2_full },
        { "mb2 RSDP", test_mb2_rsdp_old },
        { "mb2 meminfo and cmdline", test_mb2_meminfo_and_cmdline },
        { "mb2 mmap forms", test_mb2_mmap_forms },
        { "mb2 modules", test_mb2_modules },
        { "mb2 bad strings", test_mb2_bad_strings },
        { "mb2 hostile structure", test_mb2_hostile_structure },
        { NULL, NULL },
    };
    unit_add_suite("multiboot", cases);
}
