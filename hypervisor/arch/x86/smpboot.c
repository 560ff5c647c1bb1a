/* SPDX-License-Identifier: MIT */
/* Bringing up the application processors (INIT-SIPI-SIPI, SDM vol. 3 8.4.4)
 * and the IPIs the hypervisor sends between them. */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <xeno/acpi.h>
#include <xeno/apic.h>
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/param.h>
#include <xeno/smp.h>
#include <xeno/time.h>
#include <xeno/pv.h>
#include <xeno/sched.h>

struct percpu percpu[NR_CPUS];
unsigned int nr_cpus_online = 1;

static unsigned long opt_maxcpus = NR_CPUS;
integer_param("maxcpus", opt_maxcpus);
static bool opt_nosmp;
boolean_param("nosmp", opt_nosmp);

extern char trampoline_start[], trampoline_end[];
extern char tr_gdtr[], tr_jmp32[], tr_jmp64[], tr_cr3[], tr_efer[], tr_stack[], tr_entry[], tr_cpu[];
extern uint32_t boot_cpu_has_nx;

static bool apics_ready;

/* Per-target slot for smp_call_on_cpu(). */
struct call_slot {
    spinlock_t lock;            /* one caller per target at a time */
    void (*fn)(void *);
    void *arg;
    volatile bool done;
};
static struct call_slot call_slots[NR_CPUS];

void start_secondary(unsigned int cpu);
void idle_loop(void) __attribute__((noreturn));

static void patch32(char *copy, char *sym, uint32_t v)
{
    memcpy(copy + (sym - trampoline_start), &v, 4);
}

static void patch64(char *copy, char *sym, uint64_t v)
{
    memcpy(copy + (sym - trampoline_start), &v, 8);
}

void start_secondary(unsigned int cpu)
{
    struct percpu *pc = &percpu[cpu];

    cpu_load_descriptors(pc, pc->gdt_reserved, pc->ist_stacks);
    apic_init_cpu();
    scheduler_init_cpu();
    pv_cpu_init(cpu);
    timer_init_cpu();
    __atomic_fetch_add(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
    pc->online = true;
    idle_loop();
}

static int boot_one(unsigned int cpu, uint32_t apic, char *copy)
{
    struct percpu *pc = &percpu[cpu];
    void *stack = alloc_xenheap_pages(STACK_ORDER);
    void *gdt = alloc_xenheap_pages(0);
    void *ist = alloc_xenheap_pages(2);
    if (!stack || !gdt || !ist)
        return -ENOMEM;

    pc->cpu_id = cpu;
    pc->apic_id = apic;
    pc->stack = stack;
    pc->gdt_reserved = gdt;
    pc->ist_stacks = ist;
    struct cpu_info *ci = (struct cpu_info *)((char *)stack + STACK_SIZE - CPU_INFO_SIZE);
    ci->cpu_id = cpu;
    ci->pcpu = pc;

    patch64(copy, tr_stack, (uint64_t)ci);
    patch32(copy, tr_cpu, cpu);
    barrier();

    apic_send_init(apic);
    mdelay(10);
    apic_send_sipi(apic, trampoline_phys >> PAGE_SHIFT);
    udelay(200);
    if (!pc->online)
        apic_send_sipi(apic, trampoline_phys >> PAGE_SHIFT);
    /* Software emulation makes start-up slow; give it two seconds. */
    for (int i = 0; i < 2000 && !pc->online; i++)
        mdelay(1);
    return pc->online ? 0 : -ETIMEDOUT;
}

unsigned int smp_boot_cpus(void)
{
    uint32_t self = apic_id();
    percpu[0].apic_id = self;
    percpu[0].online = true;
    apics_ready = true;

    if (opt_nosmp || opt_maxcpus <= 1 || acpi.nr_cpus <= 1)
        return nr_cpus_online;

    char *copy = __va(trampoline_phys);
    size_t len = trampoline_end - trampoline_start;
    memcpy(copy, trampoline_start, len);
    uint32_t base = trampoline_phys;
    patch32(copy, tr_gdtr + 2, base + (uint32_t)(uintptr_t)*(uint32_t *)(tr_gdtr + 2));
    patch32(copy, tr_jmp32, base + *(uint32_t *)tr_jmp32);
    patch32(copy, tr_jmp64, base + *(uint32_t *)tr_jmp64);
    patch32(copy, tr_cr3, __pa(idle_pg_table));
    patch32(copy, tr_efer, boot_cpu_has_nx ? EFER_NXE : 0);
    patch64(copy, tr_entry, (uint64_t)start_secondary);

    unsigned int next = 1;
    for (unsigned int i = 0; i < acpi.nr_cpus && next < NR_CPUS && next < opt_maxcpus; i++) {
        uint32_t apic = acpi.cpu_apic_ids[i];
        if (apic == self)
            continue;
        int rc = boot_one(next, apic, copy);
        if (rc) {
            printk(XENLOG_WARNING "CPU%u (APIC ID %u) failed to start: %d\n", next, apic, rc);
            continue;
        }
        next++;
    }
    return nr_cpus_online;
}

void smp_send_stop(void)
{
    if (!apics_ready)
        return;
    unsigned int me = smp_processor_id();
    for (unsigned int c = 0; c < NR_CPUS; c++)
        if (c != me && percpu[c].online) {
            apic_send_ipi(percpu[c].apic_id, VECTOR_IPI_STOP);
            percpu[c].online = false;
        }
}

int smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg)
{
    if (cpu >= NR_CPUS || !percpu[cpu].online)
        return -ENXIO;
    if (cpu == smp_processor_id()) {
        fn(arg);
        return 0;
    }
    struct call_slot *s = &call_slots[cpu];
    /* Spin with interrupts as the caller has them, so a CPU waiting here
     * still answers the calls other CPUs make to it. */
    spin_lock(&s->lock);
    s->fn = fn;
    s->arg = arg;
    s->done = false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    apic_send_ipi(percpu[cpu].apic_id, VECTOR_IPI_CALL);
    for (int i = 0; i < 1000000 && !s->done; i++)
        udelay(1);
    int rc = s->done ? 0 : -ETIMEDOUT;
    s->fn = NULL;
    spin_unlock(&s->lock);
    return rc;
}

void smp_ipi_interrupt(void)
{
    struct percpu *pc = this_cpu();
    struct call_slot *s = &call_slots[pc->cpu_id];
    pc->ipi_count++;
    if (s->fn && !s->done) {
        s->fn(s->arg);
        __atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
    }
}
