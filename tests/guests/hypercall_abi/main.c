/* SPDX-License-Identifier: MIT */
/*
 * hypercall_abi: the calling convention itself.  Unknown numbers, which
 * registers survive, the hypercall page, multicall, and hostile pointers
 * (every copy to/from the guest must fail with -EFAULT, never crash).
 */
#include "xtest.h"
#include "mm.h"

const char xtest_name[] = "hypercall_abi";

struct hc_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rflags;
};
struct hc_regs hc_after;
uint64_t hc_rsp_before;
void regs_probe_syscall(unsigned long nr);
void regs_probe_call(unsigned long nr, unsigned long target);
extern char regs_probe_syscall_ret[];

#define X86_EFLAGS_DF 0x400

/* Hostile addresses: unmapped (page 0 is unmapped by the runtime, and
 * nothing is mapped at 1 GiB), inside the hypervisor's own area (Xen's
 * direct map), and non-canonical. */
static const struct {
    unsigned long va;
    const char *what;
} bad_ptrs[] = {
    { 0x8, "unmapped VA 0x8" },
    { 0x40000000, "unmapped VA 1 GiB" },
    { 0xffff830000000000UL, "hypervisor VA 0xffff830000000000" },
    { 0x8000000000000000UL, "non-canonical VA" },
};

static void test_unknown_numbers(void)
{
    static const unsigned long nrs[] = { 11, 44, 47, 56, 63, 64, 127, 255,
                                         4096, 1UL << 32, ~0UL };
    unsigned int i;

    xtest_section("unknown hypercall numbers");
    for (i = 0; i < ARRAY_SIZE(nrs); i++)
        CHECK_EQ(xen_hc_syscall(nrs[i], 0, 0, 0, 0, 0), -ENOSYS,
                 "syscall with rax=%#lx", nrs[i]);
#ifdef XTEST_HYPERCALL_PAGE
    /* Every one of the page's 128 slots is a stub, used or not. */
    CHECK_EQ(xen_hc_page(11, 0, 0, 0, 0, 0), -ENOSYS, "page stub 11 (unused number)");
    CHECK_EQ(xen_hc_page(127, 0, 0, 0, 0, 0), -ENOSYS, "page stub 127 (last slot)");
#endif
}

static void check_preserved(const char *how, bool rcx_r11_kept)
{
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    CHECK_EQ(hc_after.rax, ver, "%s: rax holds the result", how);
    CHECK_EQ(hc_after.rbx, 0xb0b0b0b0b0b0b0b0UL, "%s: rbx preserved", how);
    CHECK_EQ(hc_after.rbp, 0xbebebebebebebebeUL, "%s: rbp preserved", how);
    CHECK_EQ(hc_after.r9, 0x9999999999999999UL, "%s: r9 preserved", how);
    CHECK_EQ(hc_after.r12, 0x1212121212121212UL, "%s: r12 preserved", how);
    CHECK_EQ(hc_after.r13, 0x1313131313131313UL, "%s: r13 preserved", how);
    CHECK_EQ(hc_after.r14, 0x1414141414141414UL, "%s: r14 preserved", how);
    CHECK_EQ(hc_after.r15, 0x1515151515151515UL, "%s: r15 preserved", how);
    CHECK_EQ(hc_after.rsp, hc_rsp_before, "%s: rsp preserved", how);
    CHECK(hc_after.rflags & X86_EFLAGS_DF, "%s: RFLAGS.DF preserved (%#lx)", how,
          hc_after.rflags);
    if (rcx_r11_kept) {
        CHECK_EQ(hc_after.rcx, 0xc1c1c1c1c1c1c1c1UL, "%s: rcx preserved by the stub", how);
        CHECK_EQ(hc_after.r11, 0x1111111111111111UL, "%s: r11 preserved by the stub", how);
    } else {
        /* SYSCALL itself loads rcx with the return RIP and r11 with
         * RFLAGS; whatever the hypervisor leaves there is fine, but the
         * guest must not get back to anywhere but the next instruction
         * (checked by the fact that store_all ran). */
        printf("  (%s: rcx=%#lx r11=%#lx after the call; next insn %p)\n", how,
               hc_after.rcx, hc_after.r11, (void *)regs_probe_syscall_ret);
    }
}

static void test_registers(void)
{
    xtest_section("register preservation");
    regs_probe_syscall(__HYPERVISOR_xen_version);
    check_preserved("syscall", false);
#ifdef XTEST_HYPERCALL_PAGE
    regs_probe_call(__HYPERVISOR_xen_version,
                    (unsigned long)hypercall_page + 32 * __HYPERVISOR_xen_version);
    check_preserved("page stub", true);
#endif
}

#ifdef XTEST_HYPERCALL_PAGE
static void test_page_contents(void)
{
    /* push %rcx; push %r11; mov $N,%eax; syscall; pop %r11; pop %rcx; ret */
    static const uint8_t stub17[] = { 0x51, 0x41, 0x53, 0xb8, 17, 0, 0, 0,
                                      0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
    /* iret: push %rcx; push %r11; push %rax; mov $23,%eax; syscall */
    static const uint8_t stub23[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0,
                                      0x0f, 0x05 };

    xtest_section("hypercall page");
    CHECK(!memcmp(hypercall_page + 32 * 17, stub17, sizeof(stub17)),
          "stub 17 is push rcx/r11, mov $17,%%eax, syscall, pop, ret");
    CHECK(!memcmp(hypercall_page + 32 * 23, stub23, sizeof(stub23)),
          "stub 23 (iret) pushes rcx, r11, rax and does not return");
    CHECK(HYPERVISOR_xen_version(XENVER_version, NULL) > 0,
          "hypercalls through the page work");
}
#endif

static void test_multicall(void)
{
    static struct multicall_entry mc[8];
    static struct xen_feature_info fi;
    static struct mmu_update mu;
    static unsigned int done;
    static domid_t self = DOMID_SELF;
    static const char msg[] = "  (console_io from inside a multicall)\n";
    uint64_t *page = alloc_page();
    unsigned long va = (unsigned long)page;
    uint64_t pte = (virt_to_mfn(page) << PAGE_SHIFT) | PTE_RW;
    long rc;
    unsigned int i;

    xtest_section("multicall");
    memset(mc, 0x5a, sizeof(mc));
    for (i = 0; i < ARRAY_SIZE(mc); i++)
        memset(mc[i].args, 0, sizeof(mc[i].args));

    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_version;
    mc[1].op = __HYPERVISOR_xen_version;
    mc[1].args[0] = XENVER_get_features;
    mc[1].args[1] = (unsigned long)&fi;
    mc[2].op = 11;                                  /* unused number */
    mc[3].op = __HYPERVISOR_update_va_mapping;      /* make the page RO */
    mc[3].args[0] = va;
    mc[3].args[1] = pte & ~_PAGE_RW;
    mc[3].args[2] = UVMF_INVLPG;
    mc[4].op = __HYPERVISOR_mmu_update;             /* and RW again */
    mu.ptr = virt_to_maddr(pte_ptr(va, 1)) | MMU_NORMAL_PT_UPDATE;
    mu.val = pte;
    mc[4].args[0] = (unsigned long)&mu;
    mc[4].args[1] = 1;
    mc[4].args[2] = (unsigned long)&done;
    mc[4].args[3] = DOMID_SELF;
    mc[5].op = __HYPERVISOR_memory_op;
    mc[5].args[0] = XENMEM_current_reservation;
    mc[5].args[1] = (unsigned long)&self;
    mc[6].op = __HYPERVISOR_multicall;              /* nesting is refused */
    mc[6].args[0] = (unsigned long)&mc[0];
    mc[6].args[1] = 1;
    mc[7].op = __HYPERVISOR_console_io;
    mc[7].args[0] = CONSOLEIO_write;
    mc[7].args[1] = sizeof(msg) - 1;
    mc[7].args[2] = (unsigned long)msg;

    rc = HYPERVISOR_multicall(mc, ARRAY_SIZE(mc));
    CHECK_EQ(rc, 0, "multicall of 8 mixed entries returns 0");
    CHECK_EQ((long)mc[0].result, HYPERVISOR_xen_version(XENVER_version, NULL),
             "entry 0 xen_version result");
    CHECK_EQ((long)mc[1].result, 0, "entry 1 get_features result");
    CHECK(fi.submap & (1U << XENFEAT_gnttab_map_avail_bits),
          "entry 1 wrote its output (features %#x)", fi.submap);
    CHECK_EQ((long)mc[2].result, -ENOSYS, "entry 2 (unknown op) result");
    CHECK_EQ((long)mc[3].result, 0, "entry 3 update_va_mapping result");
    CHECK_EQ((long)mc[4].result, 0, "entry 4 mmu_update result");
    CHECK_EQ(done, 1, "entry 4 mmu_update success count");
    CHECK(pte_get(va) & _PAGE_RW, "entries 3+4 ran in order (page RW again)");
    CHECK_EQ((long)mc[5].result, (long)xtest_start_info->nr_pages,
             "entry 5 current_reservation result");
    CHECK_EQ((long)mc[6].result, -EINVAL, "entry 6 nested multicall refused");
    CHECK_EQ((long)mc[7].result, 0, "entry 7 console_io result");

    CHECK_EQ(HYPERVISOR_multicall(mc, 0), 0, "multicall with 0 entries");
    for (i = 0; i < ARRAY_SIZE(bad_ptrs); i++)
        CHECK_EQ(HYPERVISOR_multicall((void *)bad_ptrs[i].va, 1), -EFAULT,
                 "multicall list at %s", bad_ptrs[i].what);
}

static void test_bad_pointers(void)
{
    unsigned int i;
    struct sched_poll poll;

    xtest_section("hostile guest pointers");
    for (i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
        unsigned long p = bad_ptrs[i].va;
        const char *w = bad_ptrs[i].what;

        CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, (void *)p), -EFAULT,
                 "xen_version(extraversion) output to %s", w);
        CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, (void *)p), -EFAULT,
                 "xen_version(get_features) input from %s", w);
        CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 16, (void *)p), -EFAULT,
                 "console_io write from %s", w);
        CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, (void *)p), -EFAULT,
                 "memory_op(current_reservation) domid at %s", w);
        CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_send, (void *)p), -EFAULT,
                 "event_channel_op(send) at %s", w);
        CHECK_EQ(HYPERVISOR_set_trap_table((void *)p), -EFAULT,
                 "set_trap_table from %s", w);
        CHECK_EQ(HYPERVISOR_mmu_update((void *)p, 1, NULL, DOMID_SELF), -EFAULT,
                 "mmu_update requests at %s", w);
        CHECK_EQ(HYPERVISOR_mmuext_op((void *)p, 1, NULL, DOMID_SELF), -EFAULT,
                 "mmuext_op requests at %s", w);
        CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, (void *)p), -EFAULT,
                 "vcpu_op(get_runstate_info) output to %s", w);
        CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, (void *)p), -EFAULT,
                 "callback_op(register) from %s", w);
        CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, (void *)p, 1), -EFAULT,
                 "grant_table_op(query_size) at %s", w);
        poll.ports = p;
        poll.nr_ports = 1;
        poll.timeout = 1;
        CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -EFAULT,
                 "sched_op(poll) port list at %s", w);
    }

    /* Output buffers that are mapped but read-only to the guest. */
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, (void *)xtest_start_info->pt_base),
             -EFAULT, "xen_version output to a read-only page-table page");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, (void *)xtest_m2p), -EFAULT,
             "xen_version output to the read-only M2P");
    {
        /* A status output that lies across into an unmapped page. */
        char *edge = (char *)(xtest_map_end - 4);
        CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, edge), -EFAULT,
                 "xen_version output straddling the end of the mapping");
    }
    CHECK(HYPERVISOR_xen_version(XENVER_version, NULL) > 0,
          "hypervisor and guest still alive after hostile pointers");
}

void xtest_main(void)
{
    test_unknown_numbers();
    test_registers();
#ifdef XTEST_HYPERCALL_PAGE
    test_page_contents();
#endif
    test_multicall();
    test_bad_pointers();
}
