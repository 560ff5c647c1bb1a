/* SPDX-License-Identifier: MIT */
/*
 * Trap table, callbacks and the C dispatcher behind entry.S.
 *
 * A PV guest has no IDT: it hands the hypervisor a virtual one with
 * HYPERVISOR_set_trap_table (struct trap_info: vector, flags, cs, address;
 * flags[1:0] = DPL for 'int n', flags[2] = mask events on entry) and
 * registers the event, failsafe and syscall entry points with
 * HYPERVISOR_callback_op.
 */
#include "traps.h"
#include "evtchn.h"
#include "mm.h"
#include "smp.h"

extern char xtest_trap_stubs[], xtest_event_entry[], xtest_failsafe_entry[],
            xtest_syscall_entry[];

volatile struct xtest_fault xtest_fault;
volatile uint64_t xtest_failsafe_segs[4];
volatile unsigned int xtest_failsafe_count;

unsigned long xtest_event_entry_addr, xtest_failsafe_entry_addr,
              xtest_syscall_entry_addr;

/* Vectors 0..31, terminated by an entry whose address is 0. */
struct trap_info xtest_trap_table[33];

#define NR_HANDLERS (XTEST_VEC_SYSCALL + 1)
static xtest_trap_fn handlers[NR_HANDLERS];

struct extable_entry {
    uint64_t fault, fixup;
};
extern const struct extable_entry __extable_start[], __extable_end[];

unsigned long xtest_trap_stub(unsigned int vector)
{
    return (unsigned long)xtest_trap_stubs + 16UL * vector;
}

void xtest_set_handler(unsigned int vector, xtest_trap_fn fn)
{
    if (vector < NR_HANDLERS)
        handlers[vector] = fn;
}

long xtest_set_trap_addr(unsigned int vector, unsigned int dpl,
                         bool mask_events, unsigned long addr)
{
    /* One entry plus the terminator (address 0); other vectors keep
     * their current entries. */
    struct trap_info t[2] = {
        {
            .vector = (uint8_t)vector,
            .flags = (uint8_t)((dpl & 3) | (mask_events ? 4 : 0)),
            .cs = FLAT_KERNEL_CS,
            .address = addr,
        },
        { 0, 0, 0, 0 },
    };

    return HYPERVISOR_set_trap_table(t);
}

long xtest_set_trap(unsigned int vector, unsigned int dpl, bool mask_events)
{
    return xtest_set_trap_addr(vector, dpl, mask_events, xtest_trap_stub(vector));
}

static long register_callback(unsigned int type, unsigned long addr,
                              unsigned int flags)
{
    struct callback_register cb = {
        .type = (uint16_t)type,
        .flags = (uint16_t)flags,
        .address = addr,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

void traps_init(void)
{
    unsigned int v;
    long rc;

    for (v = 0; v < 32; v++) {
        struct trap_info *t = &xtest_trap_table[v];

        t->vector = (uint8_t)v;
        /* #BP and #OF are raised by int3/into: let every ring use them,
         * as a native IDT would.  Everything masks events on entry. */
        t->flags = ((v == X86_EXC_BP || v == X86_EXC_OF) ? 3 : 0) | 4;
        t->cs = FLAT_KERNEL_CS;
        t->address = xtest_trap_stub(v);
    }
    rc = HYPERVISOR_set_trap_table(xtest_trap_table);
    if (rc)
        xtest_abort("set_trap_table failed: %ld", rc);

    xtest_event_entry_addr = (unsigned long)xtest_event_entry;
    xtest_failsafe_entry_addr = (unsigned long)xtest_failsafe_entry;
    xtest_syscall_entry_addr = (unsigned long)xtest_syscall_entry;

    /* The event callback always runs with events masked (the hypervisor
     * sets the mask); for the others ask for it explicitly. */
    rc = register_callback(CALLBACKTYPE_event, xtest_event_entry_addr, 0);
    if (rc)
        xtest_abort("register event callback failed: %ld", rc);
    rc = register_callback(CALLBACKTYPE_failsafe, xtest_failsafe_entry_addr,
                           CALLBACKF_mask_events);
    if (rc)
        xtest_abort("register failsafe callback failed: %ld", rc);
    rc = register_callback(CALLBACKTYPE_syscall, xtest_syscall_entry_addr,
                           CALLBACKF_mask_events);
    if (rc)
        xtest_abort("register syscall callback failed: %ld", rc);

    /* Where bounce frames go when guest user mode is interrupted. */
    rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                 (unsigned long)xtest_trap_stack_top(0));
    if (rc)
        xtest_abort("stack_switch failed: %ld", rc);
}

static const char *const vec_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "#09", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

static const char *vec_name(unsigned int v)
{
    if (v < 32 && vec_names[v])
        return vec_names[v];
    if (v == XTEST_VEC_EVENT)
        return "event";
    if (v == XTEST_VEC_FAILSAFE)
        return "failsafe";
    if (v == XTEST_VEC_SYSCALL)
        return "syscall";
    return "int";
}

static uint64_t current_cr2(void)
{
    return xtest_vcpu_info[xtest_cpu()]->arch.cr2;
}

void xtest_trap_dispatch(struct xtest_regs *r)
{
    unsigned int v = (unsigned int)r->vector;
    const struct extable_entry *e;

    if (v == XTEST_VEC_FAILSAFE)
        xtest_failsafe_count++;
    if (v < NR_HANDLERS && handlers[v] && handlers[v](r))
        return;

    if (v == XTEST_VEC_EVENT) {
        evtchn_do_upcall(r);
        return;
    }

    for (e = __extable_start; e < __extable_end; e++) {
        if (e->fault != r->rip)
            continue;
        xtest_fault.vector = v;
        xtest_fault.error_code = r->error_code;
        xtest_fault.rip = r->rip;
        xtest_fault.cs = r->cs;
        xtest_fault.rflags = r->rflags;
        xtest_fault.rsp = r->rsp;
        xtest_fault.ss = r->ss;
        xtest_fault.cr2 = v == X86_EXC_PF ? current_cr2() : 0;
        xtest_fault.hit = true;
        r->rip = e->fixup;
        return;
    }

    xtest_fail("unexpected %s (vector %#x) on vcpu%u: rip %#lx err %#lx "
               "cr2 %#lx cs %#lx rflags %#lx rsp %#lx",
               vec_name(v), v, xtest_cpu(), r->rip, r->error_code,
               v == X86_EXC_PF ? current_cr2() : 0, r->cs, r->rflags, r->rsp);
    xtest_finish();
}

int probe_write64(volatile uint64_t *p, uint64_t v)
{
    xtest_fault.hit = false;
    asm volatile("1: movq %1, (%0)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 :: "r"(p), "r"(v) : "memory");
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

int probe_write8(volatile uint8_t *p, uint8_t v)
{
    xtest_fault.hit = false;
    asm volatile("1: movb %1, (%0)\n2:\n" XTEST_EXTABLE(1b, 2b)
                 :: "r"(p), "q"(v) : "memory");
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

int probe_read64(const volatile uint64_t *p, uint64_t *out)
{
    uint64_t v = 0;

    xtest_fault.hit = false;
    asm volatile("1: movq (%1), %0\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "+r"(v) : "r"(p) : "memory");
    if (out)
        *out = v;
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}
