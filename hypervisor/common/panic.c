/* SPDX-License-Identifier: MIT */
/* panic(), boot_fatal(): the two ways the hypervisor stops on its own. */
#include <stdarg.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <xeno/console.h>
#include <xeno/lib.h>
#include <xeno/param.h>
#include <xeno/shutdown.h>
#include <xeno/smp.h>
#include <xeno/time.h>

bool opt_noreboot;
boolean_param("noreboot", opt_noreboot);

static int panicking;

void panic(const char *fmt, ...)
{
    va_list ap;
    char msg[256];

    local_irq_disable();
    if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST)) {
        /* A second CPU, or a panic while panicking: just stop here. */
        for (;;)
            halt();
    }
    smp_send_stop();
    console_force_unlock();

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    printk("****************************************\n");
    printk("Panic on CPU %u:\n", smp_processor_id());
    printk("%s\n", msg);
    printk("****************************************\n\n");

    if (opt_noreboot) {
        printk("Manual reset required ('noreboot' specified)\n");
        machine_halt(XENO_EXIT_PANIC);
    }
    printk("Reboot in five seconds...\n");
    debug_exit(XENO_EXIT_PANIC);
    mdelay(5000);
    machine_restart();
}

void boot_fatal(const char *fmt, ...)
{
    va_list ap;
    char msg[256];

    local_irq_disable();
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    printk("****************************************\n");
    printk("Xeno cannot start: %s\n", msg);
    printk("****************************************\n");
    printk("System halted.\n");
    machine_halt(XENO_EXIT_HALT);
}
