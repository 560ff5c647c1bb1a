/* SPDX-License-Identifier: MIT */
/* start_xeno(): the boot CPU's path from the loader to a running hypervisor. */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <xeno/acpi.h>
#include <xeno/apic.h>
#include <xeno/bootinfo.h>
#include <xeno/console.h>
#include <xeno/dom0_params.h>
#include <xeno/e820.h>
#include <xeno/errno.h>
#include <xeno/irq.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/param.h>
#include <xeno/pv.h>
#include <xeno/sched.h>
#include <xeno/setup.h>
#include <xeno/shutdown.h>
#include <xeno/smp.h>
#include <xeno/time.h>

struct boot_info bootinfo;
const char *dom0_cmdline_extra;     /* text after " -- " on our command line */

struct dom0_mem_spec dom0_mem;
struct dom0_vcpus_spec dom0_vcpus;

static int parse_dom0_mem_opt(const char *v) { return v ? parse_dom0_mem(v, &dom0_mem) : -EINVAL; }
static int parse_dom0_vcpus_opt(const char *v) { return v ? parse_dom0_max_vcpus(v, &dom0_vcpus) : -EINVAL; }
custom_param("dom0_mem", parse_dom0_mem_opt);
custom_param("dom0_max_vcpus", parse_dom0_vcpus_opt);

static uint64_t bsp_gdt_page[PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static uint8_t bsp_ist[NR_IST_STACKS * PAGE_SIZE] __aligned(PAGE_SIZE);

void start_xeno(uint32_t magic, uint32_t info_pa);

/* Multiboot structures are below 4 GiB, identity-mapped by the boot tables. */
static const void *boot_map_identity(uint64_t pa, size_t len)
{
    if (pa + len < pa || pa + len > (4UL << 30))
        return NULL;
    return (const void *)(uintptr_t)pa;
}

static void report_option(void *ctx, enum cmdline_issue what, const char *name, size_t name_len,
                          const char *value, size_t value_len)
{
    (void)ctx;
    if (what == CMDLINE_UNKNOWN)
        printk(XENLOG_WARNING "parameter \"%.*s\" unknown!\n", (int)name_len, name);
    else
        printk(XENLOG_ERR "parameter \"%.*s\" has invalid value \"%.*s\"!\n",
               (int)name_len, name, (int)value_len, value ? value : "");
}

static void print_memory_map(const struct e820map *m)
{
    printk("Xeno-e820 RAM map:\n");
    for (unsigned int i = 0; i < m->nr; i++)
        printk(" [%016lx, %016lx] %s\n", (unsigned long)m->map[i].addr,
               (unsigned long)(m->map[i].addr + m->map[i].size - 1), e820_type_name(m->map[i].type));
}

void start_xeno(uint32_t magic, uint32_t info_pa)
{
    struct cpu_info *ci = get_cpu_info();
    ci->cpu_id = 0;
    ci->pcpu = &percpu[0];

    console_init_early();
    idt_init();
    cpu_load_descriptors(&percpu[0], bsp_gdt_page, bsp_ist);

    printk("Xeno %s: a Xen-compatible PV hypervisor (Xen ABI %s)\n", XENO_VERSION, XEN_ABI_VERSION);

    const char *why = "unknown error";
    if (multiboot_parse(magic, info_pa, boot_map_identity, &bootinfo, &why))
        boot_fatal("%s", why);

    int bad = cmdline_parse(bootinfo.cmdline, __param_start, __param_end, report_option, NULL,
                            &dom0_cmdline_extra);
    console_init_postparse();
    printk("Bootloader: %s (multiboot%u)\n", bootinfo.loader[0] ? bootinfo.loader : "unknown",
           bootinfo.mb_version);
    printk("Command line: %s\n", bootinfo.cmdline);
    if (bad > 0)
        boot_fatal("%d malformed option value%s on the command line (see above)", bad, bad > 1 ? "s" : "");

    print_memory_map(&bootinfo.mmap);
    mm_init(&bootinfo);
    m2p_init();
    tsc_calibrate();
    rtc_read_boot_time();
    acpi_init(&bootinfo);

    apic_init_cpu();
    irq_init();         /* PICs and I/O APICs masked; device IRQs for dom0 (arch/x86/irq.c) */
    scheduler_init_cpu();
    pv_cpu_init(0);
    timer_init_cpu();
    local_irq_enable();
    unsigned int cpus = smp_boot_cpus();
    printk("Brought up %u CPU%s\n", cpus, cpus > 1 ? "s" : "");

    check_boot_modules(&bootinfo);

    printk("Xeno ready: %u CPU%s, %lu MiB free, boot took %lu ms\n", cpus, cpus > 1 ? "s" : "",
           free_page_count() >> 8, (unsigned long)(NOW() / 1000000));

    run_selftest_if_asked();
    if (!bootinfo.nr_modules)
        printk(XENLOG_WARNING "No dom0 kernel given: nothing to run. Press 'h' on the console for debug keys.\n");
    else
        construct_dom0(&bootinfo);
    idle_loop();
}
