/* SPDX-License-Identifier: MIT */
/* Power-off, reset and halt, each with fallbacks so the machine always stops. */
#include <stdarg.h>
#include <asm/cpu.h>
#include <xeno/acpi.h>
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/param.h>
#include <xeno/shutdown.h>
#include <xeno/smp.h>
#include <xeno/time.h>

/* Xeno option debugexit=<port>: report the reason the machine stops to
 * QEMU's isa-debug-exit device (tests and benchmarks use it). */
static unsigned long opt_debugexit;
integer_param("debugexit", opt_debugexit);

/* Xen's reboot= methods: a(cpi), k(bd), p(ci), t(riple), n(o); we try the
 * chosen one first and then the rest. */
static char opt_reboot[16];
string_param("reboot", opt_reboot);

void debug_exit(enum xeno_exit why)
{
    if (opt_debugexit && opt_debugexit <= 0xffff)
        outb((uint16_t)opt_debugexit, (uint8_t)why);
}

static void stop_this_cpu(void)
{
    for (;;) {
        local_irq_disable();
        halt();
    }
}

void machine_halt(enum xeno_exit why)
{
    local_irq_disable();
    smp_send_stop();
    debug_exit(why);
    stop_this_cpu();
    __builtin_unreachable();
}

void machine_power_off(void)
{
    local_irq_disable();
    smp_send_stop();
    printk("Powering off.\n");
    debug_exit(XENO_EXIT_POWEROFF);
    if (acpi.have_s5 && acpi.pm1a_cnt) {
        /* PM1x_CNT: SLP_TYP in bits 12:10, SLP_EN bit 13 (ACPI 4.8.3.2.1). */
        outw(acpi.pm1a_cnt, (acpi.slp_typ_a << 10) | (1u << 13));
        if (acpi.pm1b_cnt)
            outw(acpi.pm1b_cnt, (acpi.slp_typ_b << 10) | (1u << 13));
        mdelay(100);
    }
    printk("ACPI power-off did not take effect; halting.\n");
    printk("System halted.\n");
    stop_this_cpu();
    __builtin_unreachable();
}

static void reset_acpi(void)
{
    if (!acpi.have_reset_reg)
        return;
    if (acpi.reset_space == 1)
        outb((uint16_t)acpi.reset_addr, acpi.reset_value);
    mdelay(50);
}

static void reset_kbd(void)
{
    /* Pulse the CPU reset line through the 8042's output port (command 0xfe). */
    for (int i = 0; i < 10000 && (inb(0x64) & 0x02); i++)
        udelay(10);
    outb(0x64, 0xfe);
    mdelay(50);
}

static void reset_pci(void)
{
    /* Reset control register 0xcf9: full reset (bit 3 clear), then SYS_RST|RST_CPU. */
    outb(0xcf9, 0x02);
    udelay(50);
    outb(0xcf9, 0x06);
    mdelay(50);
}

static void reset_triple(void)
{
    struct { uint16_t limit; uint64_t base; } __packed null_idt = { 0, 0 };
    asm volatile("lidt %0; int3" :: "m"(null_idt));
}

void machine_restart(void)
{
    local_irq_disable();
    smp_send_stop();
    if (opt_reboot[0] == 'n') {
        printk("Reboot disabled ('reboot=no'); halting.\n");
        machine_halt(XENO_EXIT_HALT);
    }
    printk("Rebooting.\n");
    void (*const methods[])(void) = { reset_acpi, reset_kbd, reset_pci, reset_triple };
    const char order[] = "akpt";
    const char *first = opt_reboot[0] ? strchr(order, opt_reboot[0]) : NULL;
    if (first)
        methods[first - order]();
    for (unsigned i = 0; i < ARRAY_SIZE(methods); i++)
        methods[i]();
    stop_this_cpu();
    __builtin_unreachable();
}
