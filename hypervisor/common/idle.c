/* SPDX-License-Identifier: MIT */
/* The idle loop and Xen-style debug keys on the serial console. */
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <xeno/console.h>
#include <xeno/domain_ctl.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/setup.h>
#include <xeno/shutdown.h>
#include <xeno/time.h>
#include <xeno/sched.h>
#include <xen/xen.h>

struct keyhandler {
    char key;
    void (*fn)(void);
    const char *desc;
};

static void key_help(void);

static void key_memory(void)
{
    printk("Memory: %lu of %lu pages free (%lu MiB), heap %lu bytes in use, allocator check %s\n",
           free_page_count(), total_page_count(), free_page_count() >> 8,
           (unsigned long)xmalloc_used(), mm_check() ? "FAILED" : "ok");
}

static void key_time(void)
{
    printk("System time %ld ns, TSC %lu kHz\n", (long)NOW(), (unsigned long)cpu_khz());
}

static void key_cpus(void)
{
    for (unsigned int c = 0; c < NR_CPUS; c++)
        if (percpu[c].online)
            printk("CPU%u: APIC ID %u, %lu timer ticks, %lu IPIs\n", c, percpu[c].apic_id,
                   (unsigned long)percpu[c].timer_ticks, (unsigned long)percpu[c].ipi_count);
}

static void key_domains(void)
{
    static const char *const rs[] = { "running", "runnable", "blocked", "offline" };
    printk("'q' pressed -> dumping domain info (now = %ld ns)\n", (long)NOW());
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domain_list[i];
        if (!d)
            continue;
        printk("General information for domain %u:\n", d->domid);
        printk("    pages=%lu max_pages=%lu privileged=%d shutdown=%d reason=%u vm_assist=%#lx\n",
               d->tot_pages, d->max_pages, d->is_privileged, d->is_shutdown, d->shutdown_reason, d->vm_assist);
        for (unsigned int j = 0; j < d->nr_vcpus; j++) {
            struct vcpu *v = d->vcpus[j];
            if (!v)
                continue;
            printk("    VCPU%u: CPU%u %s %s cpu_time=%lu ns upcall_pend=%u upcall_mask=%u\n", j, v->processor,
                   rs[v->runstate & 3], v->kernel_mode ? "kernel" : "user", (unsigned long)v->cpu_time,
                   v->vcpu_info ? v->vcpu_info->evtchn_upcall_pending : 0,
                   v->vcpu_info ? v->vcpu_info->evtchn_upcall_mask : 0);
        }
    }
}

static void key_reboot(void)
{
    machine_restart();
}

static const struct keyhandler keys[] = {
    { 'h', key_help, "print this help" },
    { 'm', key_memory, "memory info" },
    { 't', key_time, "display system time" },
    { 'c', key_cpus, "dump CPU info" },
    { 'q', key_domains, "dump domain (and guest debug) info" },
    { 'R', key_reboot, "reboot machine" },
};

static void key_help(void)
{
    printk("'%c' pressed -> showing installed handlers\n", 'h');
    for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++)
        printk(" key '%c' (ascii '%02x') => %s\n", keys[i].key, keys[i].key, keys[i].desc);
}

void handle_keypress(int c)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++)
        if (keys[i].key == c) {
            keys[i].fn();
            return;
        }
}

void idle_loop(void)
{
    for (;;) {
        domain_quiescent();     /* idle: no domain pointer held */
        if (smp_processor_id() == 0)
            console_run_pending_keys();
        schedule_from_idle();   /* does not return while a vCPU is runnable here */
        local_irq_disable();
        if (!schedule_pending())
            safe_halt();        /* the periodic tick or a wake-up IPI wakes us */
        else
            local_irq_enable();
    }
}
