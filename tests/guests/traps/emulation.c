/* SPDX-License-Identifier: MIT */
/*
 * Things the hypervisor emulates for a ring-3 kernel: CPUID behind the
 * forced-emulation prefix (ud2; "xen"; cpuid), the FS/GS base MSRs,
 * reads of CR0 and the virtual CR0.TS of fpu_taskswitch; plus the
 * set_segment_base hypercall.
 */
#include "traps_test.h"

#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define X86_CR0_TS         0x8

static void xen_cpuid(uint32_t leaf, uint32_t r[4])
{
    asm volatile("ud2; .ascii \"xen\"; cpuid"
                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                 : "0"(leaf), "2"(0));
}

/* rdmsr/wrmsr with #GP caught: return -1 or the vector. */
static int try_rdmsr(uint32_t msr, uint64_t *val)
{
    uint32_t lo = 0, hi = 0;

    xtest_fault.hit = false;
    asm volatile("1: rdmsr\n2:\n" XTEST_EXTABLE(1b, 2b)
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
    *val = ((uint64_t)hi << 32) | lo;
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

static int try_wrmsr(uint32_t msr, uint64_t val)
{
    xtest_fault.hit = false;
    asm volatile("1: wrmsr\n2:\n" XTEST_EXTABLE(1b, 2b)
                 :: "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                 : "memory");
    return xtest_fault.hit ? (int)xtest_fault.vector : -1;
}

static uint64_t read_cr0(void)
{
    uint64_t v;

    asm volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static uint64_t fs0(void)
{
    uint64_t v;

    asm volatile("mov %%fs:0, %0" : "=r"(v));
    return v;
}

static uint64_t gs0(void)
{
    uint64_t v;

    asm volatile("mov %%gs:0, %0" : "=r"(v));
    return v;
}

static void test_cpuid(void)
{
    uint32_t r[4];
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    xen_cpuid(0x40000000, r);
    printf("  cpuid 0x40000000: %08x %.4s%.4s%.4s\n", r[0], (char *)&r[1],
           (char *)&r[2], (char *)&r[3]);
    CHECK(r[1] == 0x566e6558 && r[2] == 0x65584d4d && r[3] == 0x4d4d566e,
          "forced-emulation CPUID 0x40000000 signature is XenVMMXenVMM");
    CHECK(r[0] >= 0x40000002, "max hypervisor leaf >= 0x40000002 (%#x)", r[0]);
    xen_cpuid(0x40000001, r);
    CHECK_EQ(r[0], ver, "leaf 0x40000001 eax = XENVER_version");
    xen_cpuid(1, r);
    CHECK(r[2] & (1U << 31), "leaf 1 ecx bit 31 (hypervisor present) set");
    xen_cpuid(0, r);
    CHECK(r[0] >= 1, "leaf 0 reports a max basic leaf (%u)", r[0]);
}

static void test_msrs(void)
{
    static uint64_t fs_var = 0xf5f5f5f5UL, gs_var = 0x6565656565UL,
                    ugs_var = 0x7575757575UL;
    uint64_t v = 0;

    CHECK_EQ(try_wrmsr(MSR_FS_BASE, (uint64_t)&fs_var), -1, "wrmsr FS_BASE emulated");
    CHECK_EQ(fs0(), fs_var, "%%fs:0 reads through the new base");
    CHECK(try_rdmsr(MSR_FS_BASE, &v) == -1 && v == (uint64_t)&fs_var,
          "rdmsr FS_BASE returns it");
    CHECK_EQ(try_wrmsr(MSR_GS_BASE, (uint64_t)&gs_var), -1, "wrmsr GS_BASE emulated");
    CHECK_EQ(gs0(), gs_var, "%%gs:0 reads through the new base");
    CHECK(try_rdmsr(MSR_GS_BASE, &v) == -1 && v == (uint64_t)&gs_var,
          "rdmsr GS_BASE returns it");
    CHECK_EQ(try_wrmsr(MSR_FS_BASE, 0x8000000000000000UL), X86_EXC_GP,
             "wrmsr FS_BASE with a non-canonical base raises #GP");
    CHECK_EQ(try_rdmsr(0x1234, &v), X86_EXC_GP, "rdmsr of an unknown MSR raises #GP");

    /* set_segment_base: FS, kernel GS, user GS (the inactive one in
     * kernel mode, which is what MSR_KERNEL_GS_BASE reads). */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, (uint64_t)&gs_var), 0,
             "set_segment_base(SEGBASE_FS)");
    CHECK_EQ(fs0(), gs_var, "%%fs:0 follows");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (uint64_t)&fs_var), 0,
             "set_segment_base(SEGBASE_GS_KERNEL)");
    CHECK_EQ(gs0(), fs_var, "%%gs:0 follows (kernel GS is active in kernel mode)");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, (uint64_t)&ugs_var), 0,
             "set_segment_base(SEGBASE_GS_USER)");
    CHECK(try_rdmsr(MSR_KERNEL_GS_BASE, &v) == -1 && v == (uint64_t)&ugs_var,
          "rdmsr KERNEL_GS_BASE shows the user GS base");
    CHECK_EQ(gs0(), fs_var, "the active (kernel) GS base is unchanged");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0,
             "set_segment_base(SEGBASE_GS_USER_SEL, 0)");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, 0x8000000000000000UL), -EINVAL,
             "set_segment_base with a non-canonical base -> -EINVAL");
    CHECK_EQ(HYPERVISOR_set_segment_base(7, 0), -EINVAL,
             "set_segment_base of an unknown register -> -EINVAL");
    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
}

static volatile int nm_count;
static volatile uint64_t nm_rip;

static bool nm_handler(struct xtest_regs *r)
{
    nm_count++;
    nm_rip = r->rip;
    /* Return to the same instruction: the hypervisor clears the virtual
     * TS when it delivers #NM (Xen: do_device_not_available).  Guard
     * against a hypervisor that does not. */
    if (nm_count > 3)
        HYPERVISOR_fpu_taskswitch(0);
    return true;
}

static void test_fpu_taskswitch(void)
{
    uint64_t insn;

    xtest_set_handler(X86_EXC_NM, nm_handler);
    CHECK_EQ(read_cr0() & X86_CR0_TS, 0, "CR0.TS clear at start (emulated mov from cr0)");
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
    CHECK(read_cr0() & X86_CR0_TS, "CR0.TS now reads as set");
    asm volatile("lea 1f(%%rip), %0\n1: fnop" : "=r"(insn) :: "memory");
    CHECK_EQ(nm_count, 1, "an x87 instruction raised exactly one #NM");
    CHECK_EQ(nm_rip, insn, "#NM rip is the x87 instruction");
    CHECK_EQ(read_cr0() & X86_CR0_TS, 0,
             "delivering #NM cleared the virtual TS (Xen clts-on-#NM behaviour)");
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(1), 0, "fpu_taskswitch(1) again");
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(0), 0, "fpu_taskswitch(0)");
    asm volatile("fnop" ::: "memory");
    CHECK_EQ(nm_count, 1, "no #NM with TS clear");
    xtest_set_handler(X86_EXC_NM, NULL);
}

void test_emulation(void)
{
    xtest_section("emulated instructions");
    test_cpuid();
    test_msrs();
    test_fpu_taskswitch();
}
