/* SPDX-License-Identifier: MIT */
/*
 * Guest user mode.  A 64-bit PV guest has two page tables: the kernel one
 * (NEW_BASEPTR) and the user one (NEW_USER_BASEPTR); the hypervisor
 * switches between them, and swaps the kernel/user GS bases, on every
 * kernel<->user transition.  The user table here shares L4 slot 0 with
 * the kernel (all PV mappings carry _PAGE_USER) and adds slot 1, which
 * only user mode can see.  Entry to user mode is the iret hypercall with
 * an RPL 3 CS; exceptions, 'int $0x80' and `syscall` come back to kernel
 * mode on the stack registered with stack_switch.
 */
#include "traps_test.h"
#include "smp.h"
#include "evtchn.h"

#define SLOT1_VA  (1UL << L4_SHIFT)
#define MAGIC     0x05e7c0de05e7c0deUL
#define USER_RFLAGS 0x2         /* IF=0: keep events masked in user mode */

uint64_t exec_user_fn, exec_user_arg, exec_user_ksp, exec_user_result;

static struct xtest_regs last;          /* frame of the last user->kernel entry */
static volatile uintptr_t last_at;      /* where that frame was on the stack */
extern char user_stack[], user_stack_top[];
static volatile uint8_t mask_at_entry;

static bool syscall_handler(struct xtest_regs *r)
{
    if (r->rax == USER_EXIT_MAGIC) {
        /* Back to exec_user's caller, in kernel mode (CS RPL 0). */
        exec_user_result = r->rdi;
        r->rip = (uint64_t)exec_user_return;
        r->cs = FLAT_KERNEL_CS & ~3;
        r->ss = FLAT_KERNEL_SS;
        r->rflags = 0x2;                /* keep events masked */
        return true;
    }
    last = *r;
    last_at = (uintptr_t)r;
    mask_at_entry = xtest_vcpu_info[0]->evtchn_upcall_mask;
    r->rax = r->rax == USER_SYSCALL_MAGIC ? r->rdi + 1 : 0xbad;
    return true;
}

static bool int80_handler(struct xtest_regs *r)
{
    last = *r;
    r->rax += 100;
    return true;
}

static bool ud_handler(struct xtest_regs *r)
{
    if ((r->cs & 3) != 3)
        return false;
    last = *r;
    r->rip += 2;
    return true;
}

static bool on_trap_stack(uintptr_t p)
{
    uintptr_t top = (uintptr_t)xtest_trap_stack_top(0);

    return p < top && p >= top - XTEST_STACK_SIZE;
}

static void build_user_pt(void)
{
    uint64_t *l4 = alloc_page(), *l3 = alloc_page(), *l2 = alloc_page();
    uint64_t *l1 = alloc_page(), *page = alloc_page();

    page[0] = MAGIC;
    l1[0] = (virt_to_mfn(page) << PAGE_SHIFT) | PTE_RW;
    l2[0] = (virt_to_mfn(l1) << PAGE_SHIFT) | PTE_RW;
    l3[0] = (virt_to_mfn(l2) << PAGE_SHIFT) | PTE_RW;
    l4[0] = xtest_l4()[0];
    l4[1] = (virt_to_mfn(l3) << PAGE_SHIFT) | PTE_RW;
    remap_ro(l1);
    remap_ro(l2);
    remap_ro(l3);
    remap_ro(l4);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, virt_to_mfn(l4)), 0, "pin the user L4");
    CHECK_EQ(mmuext1(MMUEXT_NEW_USER_BASEPTR, virt_to_mfn(l4)), 0,
             "NEW_USER_BASEPTR to it");
}

void test_user(void)
{
    static uint64_t kgs_var = 0x4b4b4b4b, ugs_var = 0x55555555;
    volatile uint64_t *ro = alloc_page();
    uint64_t v;

    xtest_section("user mode");
    build_user_pt();
    xtest_set_handler(XTEST_VEC_SYSCALL, syscall_handler);
    xtest_set_handler(0x80, int80_handler);
    xtest_set_handler(X86_EXC_UD, ud_handler);
    xtest_set_trap(0x80, 3, true);
    CHECK_EQ(HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                     (unsigned long)xtest_trap_stack_top(0)), 0,
             "stack_switch to the trap stack");

    CHECK_EQ(exec_user(user_read, SLOT1_VA, USER_RFLAGS), MAGIC,
             "iret to user mode; user code sees the user-only slot-1 page");
    CHECK_EQ(probe_read64((uint64_t *)SLOT1_VA, &v), X86_EXC_PF,
             "kernel mode (kernel L4) does not see it");

    CHECK_EQ(exec_user(user_syscall, 41, USER_RFLAGS), 42,
             "syscall from user mode reaches the syscall callback and returns");
    CHECK_EQ(last.rip, (uint64_t)user_syscall_ret, "callback frame rip = after syscall");
    CHECK_EQ(last.rcx, (uint64_t)user_syscall_ret, "rcx = user return address (SYSCALL)");
    CHECK_EQ(last.cs & 3, 3, "callback frame cs has RPL 3 (came from user)");
    CHECK(on_trap_stack(last_at), "the callback ran on the stack_switch stack");
    CHECK(last.rsp <= (uint64_t)user_stack_top && last.rsp > (uint64_t)user_stack,
          "callback frame rsp is the user stack pointer");
    CHECK_EQ(mask_at_entry, 1, "CALLBACKF_mask_events masked events on entry");

    CHECK_EQ(exec_user(user_int80, 5, USER_RFLAGS), 105,
             "int $0x80 from user mode reaches vector 0x80");
    CHECK_EQ(last.rip, (uint64_t)user_int80_ret, "frame rip = after int $0x80");
    CHECK_EQ(last.cs & 3, 3, "frame cs RPL 3");
    CHECK(last.rsp <= (uint64_t)user_stack_top && last.rsp > (uint64_t)user_stack,
          "frame rsp is the user stack pointer");

    xtest_set_trap_addr(X86_EXC_UD, 0, true, (unsigned long)raw_probe_6);
    CHECK_EQ(exec_user(user_ud2, 9, USER_RFLAGS), 9, "#UD in user mode is bounced");
    CHECK_EQ(last.rip, (uint64_t)user_ud2_insn, "frame rip = the ud2");
    CHECK_EQ(raw_rsp, ((uint64_t)xtest_trap_stack_top(0) & ~0xfUL) - 7 * 8,
             "the frame was pushed at the stack_switch stack (kernel_sp - 56)");
    CHECK_EQ(raw_frame[3] & 0xffff, FLAT_USER_CS, "frame cs = FLAT_USER_CS (RPL 3 kept)");
    CHECK_EQ(raw_frame[6], FLAT_USER_SS, "frame ss = FLAT_USER_SS");
    xtest_set_trap(X86_EXC_UD, 0, true);

    remap_ro((void *)ro);
    xtest_fault.hit = false;
    exec_user(user_write, (uint64_t)ro, USER_RFLAGS);
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_PF,
          "user write to a read-only page raises #PF");
    CHECK_EQ(xtest_fault.error_code, PFEC_PRESENT | PFEC_WRITE | PFEC_USER,
             "#PF error code P|W|U (user mode)");
    CHECK_EQ(xtest_fault.cr2, (uint64_t)ro, "cr2");
    xtest_fault.hit = false;
    exec_user(user_read, 1UL << 30, USER_RFLAGS);
    CHECK_EQ(xtest_fault.error_code, PFEC_USER, "#PF error code U for a not-present read");

    xtest_fault.hit = false;
    exec_user(user_rdmsr, 0xc0000100, USER_RFLAGS);
    CHECK(xtest_fault.hit && xtest_fault.vector == X86_EXC_GP &&
              (xtest_fault.cs & 3) == 3,
          "rdmsr in user mode raises #GP (not emulated)");

    CHECK_EQ(exec_user(user_hypercall, __HYPERVISOR_xen_version, USER_RFLAGS), 0xbad,
             "syscall with a hypercall number from user mode is not a hypercall");
    CHECK_EQ(last.rax, __HYPERVISOR_xen_version, "the callback saw rax = 17");

    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (uint64_t)&kgs_var);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, (uint64_t)&ugs_var);
    CHECK_EQ(exec_user(user_gs_read, 0, USER_RFLAGS), ugs_var,
             "user mode runs with the user GS base");
    {
        uint64_t g;
        asm volatile("mov %%gs:0, %0" : "=r"(g));
        CHECK_EQ(g, kgs_var, "kernel mode has the kernel GS base back");
    }
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);

    xtest_set_handler(XTEST_VEC_SYSCALL, NULL);
    xtest_set_handler(0x80, NULL);
    xtest_set_handler(X86_EXC_UD, NULL);
}
