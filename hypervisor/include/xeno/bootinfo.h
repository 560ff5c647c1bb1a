/* SPDX-License-Identifier: MIT */
#ifndef XENO_BOOTINFO_H
#define XENO_BOOTINFO_H

/*
 * What the boot loader told us, read from a Multiboot 1 or Multiboot 2
 * information structure and checked for consistency.
 */

#include "xeno/types.h"
#include "xeno/e820.h"

#define MULTIBOOT1_BOOTLOADER_MAGIC 0x2BADB002u
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289u

#define MAX_BOOT_MODULES 16

struct boot_module {
    uint64_t start, end;    /* [start, end) physical */
    char string[256];       /* module command line as given by the loader */
};

struct boot_info {
    unsigned int mb_version;          /* 1 or 2 */
    char cmdline[1024];                /* hypervisor command line, image name removed */
    char loader[64];                   /* boot loader name, "" if not given */
    struct e820map mmap;               /* as reported, then e820_sanitize()d */
    unsigned int nr_modules;
    struct boot_module mods[MAX_BOOT_MODULES];
    bool have_rsdp;                    /* MB2 tags 14/15 carry a copy of the RSDP */
    uint8_t rsdp[36];
};

/* Returns NULL if [pa, pa+len) cannot be accessed. */
typedef const void *(*boot_map_fn)(uint64_t pa, size_t len);

/*
 * Fill *bi from the information structure at info_pa, given the magic the
 * loader left in EAX. Returns 0, or -EINVAL with *why (if why != NULL) set
 * to a static human-readable reason; *bi is then only partly filled.
 *
 * - Memory map: the loader's map (MB1 flag 6 / MB2 tag 6) when present,
 *   else RAM at [0, mem_lower KiB) and [1 MiB, 1 MiB + mem_upper KiB)
 *   (MB1 flag 0 / MB2 tag 4); neither is an error. Types other than the
 *   five E820_* ones become E820_RESERVED.
 * - Messages name modules from 1, in the order the loader lists them.
 * - Strings longer than their buffer are truncated. MB2 strings must be
 *   NUL-terminated inside their tag; MB1 strings are read up to the buffer
 *   size (their length is not declared anywhere).
 * - Command line: leading white space is dropped and, unless the loader
 *   is GRUB 2, so is the first word - the image name that QEMU and GRUB
 *   legacy put there. "GRUB 2" means the loader name contains "GRUB "
 *   followed by anything but '0' (Xen's loader_is_grub2 and cmdline_cook
 *   in xen/arch/x86/setup.c; GRUB legacy calls itself "GNU GRUB 0.97").
 * - RSDP: tag 15 (ACPI 2.0+, 36 bytes) is preferred over tag 14 (ACPI
 *   1.0, 20 bytes, rest of rsdp[] zeroed). Checksums are left to the ACPI
 *   code.
 * - map() may be called many times; each pointer it returns is only used
 *   until the next call.
 */
int multiboot_parse(uint32_t magic, uint64_t info_pa, boot_map_fn map,
                    struct boot_info *bi, const char **why);

/*
 * The arguments part of a module's string. Loaders other than GRUB 2
 * (same test as for the command line) start it with the module's path;
 * then a first word that begins with '/' or contains no '=' is skipped,
 * together with the white space around it. This is gentler than Xen,
 * which drops the first word unconditionally: a first word like
 * "root=/dev/sda1" is kept. Returns a pointer into m->string.
 */
const char *boot_module_args(const struct boot_info *bi, const struct boot_module *m);

/* Is bi->loader GRUB 2 (see multiboot_parse)? */
bool boot_loader_is_grub2(const struct boot_info *bi);

#endif
