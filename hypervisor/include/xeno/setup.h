/* SPDX-License-Identifier: MIT */
#ifndef XENO_SETUP_H
#define XENO_SETUP_H

#include <xeno/bootinfo.h>
#include <xeno/dom0_params.h>

#define XENO_VERSION    "0.1"
#define XEN_ABI_VERSION "4.17"

extern struct boot_info bootinfo;
extern const char *dom0_cmdline_extra;
extern struct dom0_mem_spec dom0_mem;
extern struct dom0_vcpus_spec dom0_vcpus;

/* Refuse modules that cannot be a kernel/initrd (empty, not ELF/bzImage). */
void check_boot_modules(const struct boot_info *bi);
/* selftest=<mode>: run the in-hypervisor boot checks, then power off or halt. */
void run_selftest_if_asked(void);
#define MAX_BOOT_DOMUS 8
struct boot_domu {
    unsigned int first_module;      /* index of its kernel in bootinfo.mods */
    bool has_initrd;                /* the next module is its initrd */
    uint64_t mem;
    unsigned int vcpus;
};
/* The boot-time domUs asked for with domU= (validated against the modules). */
unsigned int plan_boot_domus(const struct boot_info *bi, struct boot_domu *out);
/* Build dom0 from module 1 (kernel) and 2 (initrd) and make it runnable. */
void construct_dom0(const struct boot_info *bi);
/* The idle loop every CPU ends in; the boot CPU also serves the debug keys. */
void idle_loop(void) __attribute__((noreturn));

#endif
