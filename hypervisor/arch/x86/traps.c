/* SPDX-License-Identifier: MIT */
/* Exceptions and interrupts taken in the hypervisor.  An exception here is a
 * hypervisor bug: print everything useful, then panic (which honours noreboot). */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/regs.h>
#include <xeno/apic.h>
#include <xeno/guest_access.h>
#include <xeno/irq.h>
#include <xeno/pv.h>
#include <xeno/lib.h>
#include <xeno/smp.h>
#include <xeno/symbols.h>
#include <xeno/time.h>

static const char *const trap_names[32] = {
    "divide error", "debug", "nmi", "int3", "overflow", "bounds", "invalid opcode",
    "device not available", "double fault", "coprocessor segment", "invalid tss",
    "segment not found", "stack error", "general protection fault", "page fault",
    "spurious interrupt bug", "coprocessor error", "alignment check", "machine check",
    "simd error", "virtualisation exception", "control protection", "reserved", "reserved",
    "reserved", "reserved", "reserved", "reserved", "hypervisor injection", "vmm communication",
    "security exception", "reserved",
};

static void show_registers(const struct cpu_regs *r)
{
    unsigned long off, size;
    const char *sym = symbol_lookup(r->rip, &off, &size);

    printk("----[ Xeno x86_64 ]----\n");
    printk("CPU:    %u\n", smp_processor_id());
    if (sym)
        printk("RIP:    %04x:[<%016lx>] %s+%#lx/%#lx\n", r->cs, r->rip, sym, off, size);
    else
        printk("RIP:    %04x:[<%016lx>]\n", r->cs, r->rip);
    printk("RFLAGS: %016lx\n", r->rflags);
    printk("rax: %016lx   rbx: %016lx   rcx: %016lx\n", r->rax, r->rbx, r->rcx);
    printk("rdx: %016lx   rsi: %016lx   rdi: %016lx\n", r->rdx, r->rsi, r->rdi);
    printk("rbp: %016lx   rsp: %016lx   r8:  %016lx\n", r->rbp, r->rsp, r->r8);
    printk("r9:  %016lx   r10: %016lx   r11: %016lx\n", r->r9, r->r10, r->r11);
    printk("r12: %016lx   r13: %016lx   r14: %016lx\n", r->r12, r->r13, r->r14);
    printk("r15: %016lx   cr0: %016lx   cr4: %016lx\n", r->r15, read_cr0(), read_cr4());
    printk("cr3: %016lx   cr2: %016lx\n", read_cr3(), read_cr2());
    printk("ds: %04x   es: %04x   fs: %04x   gs: %04x   ss: %04x   cs: %04x\n",
           0, 0, 0, 0, r->ss, r->cs);
}

static void fatal_trap(const struct cpu_regs *r)
{
    unsigned int v = r->entry_vector;

    show_registers(r);
    show_stack_trace(r->rip, r->rsp, r->rbp);
    if (v == 14)
        panic("FATAL TRAP: vector = %u (%s)\n[error_code=%04x] Faulting linear address: %016lx",
              v, trap_names[v], r->error_code, read_cr2());
    panic("FATAL TRAP: vector = %u (%s)\n[error_code=%04x]", v, trap_names[v], r->error_code);
}

void do_hypervisor_interrupt(struct cpu_regs *r)
{
    unsigned int v = r->entry_vector;

    switch (v) {
    case VECTOR_TIMER:
        timer_interrupt();
        apic_eoi();
        return;
    case VECTOR_IPI_EVENT:
        apic_eoi();             /* the exit path looks at what the sender queued */
        return;
    case VECTOR_IPI_CALL:
    case VECTOR_IPI_STOP:
        apic_eoi();
        if (v == VECTOR_IPI_STOP)
            for (;;) {
                local_irq_disable();
                halt();
            }
        smp_ipi_interrupt();
        return;
    case VECTOR_SPURIOUS:
        return;    /* no EOI for spurious vectors (SDM 10.9) */
    default:
        /* Device interrupts for the hardware domain (arch/x86/irq.c). */
        if (v >= FIRST_DEVICE_VECTOR && v <= LAST_DEVICE_VECTOR) {
            do_device_irq(v);
            return;
        }
        printk(XENLOG_WARNING "CPU%u: unexpected interrupt vector %#x\n", smp_processor_id(), v);
        apic_eoi();
    }
}

void do_trap(struct cpu_regs *r);
void do_trap(struct cpu_regs *r)
{
    unsigned int v = r->entry_vector;

    if ((r->cs & 3) == 3) {
        do_guest_trap(r);
        return;
    }
    if (v >= 32) {
        do_hypervisor_interrupt(r);
        return;
    }
    /* A fault on guest memory accessed on the guest's behalf: recover. */
    if (v == 14 || v == 13 || v == 12 || v == 11) {
        unsigned long fixup = search_extable(r->rip);
        if (fixup) {
            r->rip = fixup;
            return;
        }
    }
    fatal_trap(r);
}
