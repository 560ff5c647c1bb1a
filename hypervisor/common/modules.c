/* SPDX-License-Identifier: MIT */
/* First look at the boot modules: catch a missing or corrupt dom0 kernel at
 * boot with a clear message, before anything is built from it. */
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/setup.h>
#include <xeno/shutdown.h>

static const char *kernel_kind(const uint8_t *p, uint64_t len)
{
    if (len >= 64 && !memcmp(p, "\177ELF", 4))
        return p[4] == 2 ? "ELF64" : "ELF32";
    /* Linux boot protocol: "HdrS" at 0x202 (Documentation/arch/x86/boot.rst). */
    if (len >= 0x250 && !memcmp(p + 0x202, "HdrS", 4))
        return "bzImage";
    return NULL;
}

void check_boot_modules(const struct boot_info *bi)
{
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->mods[i];
        printk("Module %u: [%#lx, %#lx) %lu bytes \"%s\"\n", i + 1, (unsigned long)m->start,
               (unsigned long)m->end, (unsigned long)(m->end - m->start), m->string);
        if (m->end == m->start)
            boot_fatal("module %u (\"%s\") is empty: the boot loader could not read it?", i + 1, m->string);
    }
    if (!bi->nr_modules)
        return;
    const struct boot_module *k = &bi->mods[0];
    const char *kind = kernel_kind(__va(k->start), k->end - k->start);
    if (!kind)
        boot_fatal("module 1 (\"%s\") is not a kernel: neither ELF nor a Linux bzImage", k->string);
    if (kind[3] == '3')
        boot_fatal("module 1 (\"%s\") is a 32-bit ELF; Xeno runs 64-bit PV kernels only", k->string);
    printk("dom0 kernel: %s, %lu bytes\n", kind, (unsigned long)(k->end - k->start));
}
