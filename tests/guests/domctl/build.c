/* SPDX-License-Identifier: MIT */
/*
 * dom0 as a domain builder: a tiny 64-bit PV domain made entirely through
 * the control interface, the way the toolstack's builder will do it from
 * dom0 user space (libxc's xc_dom_* in Xen):
 *   createdomain, max_mem, populate_physmap (dom0 learns the MFNs),
 *   page tables written through FOREIGNDOM mappings while they are plain
 *   RAM, MMUEXT_PIN_L4_TABLE with FOREIGNDOM, setvcpucontext (VGCF_online),
 *   unpausedomain.
 * Its program stores a magic number and shuts down with a reason we check;
 * a second one spins and is destroyed while it runs.  Each time all of its
 * memory must come back.
 */
#include "domctl_test.h"

#define PAGES 16
enum { P_ZERO, P_L4, P_L3, P_L2, P_L1, P_CODE, P_STACK, P_DATA };
#define VA(pfn) ((uint64_t)(pfn) << PAGE_SHIFT)
#define MAGIC 0xc0ffee
#define UPPER (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

_Static_assert(__HYPERVISOR_sched_op == 29 && SCHEDOP_shutdown == 2, "encoded in prog_shutdown");
_Static_assert(VA(P_DATA) == 0x7000 && VA(P_CODE) == 0x5000, "encoded in prog_shutdown");

/* movl $MAGIC, 0x7000; sched_op(SCHEDOP_shutdown, 0x7008); jmp . */
static const uint8_t prog_shutdown[] = {
    0xc7, 0x04, 0x25, 0x00, 0x70, 0x00, 0x00, 0xee, 0xff, 0xc0, 0x00,
    0xb8, 0x1d, 0x00, 0x00, 0x00,
    0xbf, 0x02, 0x00, 0x00, 0x00,
    0xbe, 0x08, 0x70, 0x00, 0x00,
    0x0f, 0x05,
    0xeb, 0xfe,
};
static const uint8_t prog_spin[] = { 0xeb, 0xfe };

static struct vcpu_guest_context ctx;
static evtchn_port_t dom_exc;

static bool is_table(unsigned int pfn)
{
    return pfn >= P_L4 && pfn <= P_L1;
}

/* Fill one of d's frames through a writable foreign mapping. */
static bool write_frame(domid_t d, xen_pfn_t mfn, const void *src, size_t len, size_t off)
{
    long rc;
    uint8_t *p = map_foreign(mfn, d, PTE_RW, &rc);
    if (!p)
        return false;
    memcpy(p + off, src, len);
    unmap_foreign(p);
    return true;
}

static domid_t build(const uint8_t *prog, size_t len, xen_pfn_t *m)
{
    domid_t id = 0;
    uint64_t t[PAGES];
    uint32_t reason = SHUTDOWN_reboot;

    if (!CHECK_EQ(dc_create(0, 1, &id), 0, "createdomain (1 vCPU)") ||
        !CHECK_EQ(dc_max_mem(id, PAGES * 4), 0, "max_mem %u KiB", PAGES * 4) ||
        !CHECK_EQ(populate(id, 0, PAGES, m), PAGES, "populate_physmap %u pages", PAGES))
        return id;
    bool ok = true;
    uint64_t e;
    e = (m[P_L3] << PAGE_SHIFT) | UPPER;
    ok &= write_frame(id, m[P_L4], &e, 8, 0);
    e = (m[P_L2] << PAGE_SHIFT) | UPPER;
    ok &= write_frame(id, m[P_L3], &e, 8, 0);
    e = (m[P_L1] << PAGE_SHIFT) | UPPER;
    ok &= write_frame(id, m[P_L2], &e, 8, 0);
    /* VA = pfn << 12; the page tables themselves read-only (PV rule). */
    for (unsigned int i = 0; i < PAGES; i++)
        t[i] = (m[i] << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED |
               (is_table(i) ? 0 : _PAGE_RW | _PAGE_DIRTY);
    ok &= write_frame(id, m[P_L1], t, sizeof(t), 0);
    ok &= write_frame(id, m[P_CODE], prog, len, 0);
    ok &= write_frame(id, m[P_DATA], &reason, 4, 8);     /* struct sched_shutdown at 0x7008 */
    CHECK(ok, "d%u's page tables, code and data written through foreign mappings", id);
    return id;
}

static void fill_ctx(xen_pfn_t l4)
{
    memset(&ctx, 0, sizeof(ctx));
    ctx.flags = VGCF_in_kernel | VGCF_online;
    ctx.user_regs.rip = VA(P_CODE);
    ctx.user_regs.rsp = VA(P_STACK + 1);
    ctx.user_regs.cs = FLAT_KERNEL_CS;
    ctx.user_regs.ss = FLAT_KERNEL_SS;
    ctx.user_regs.rflags = 0x200;
    ctx.kernel_ss = FLAT_KERNEL_SS;
    ctx.kernel_sp = VA(P_STACK + 1);
    ctx.ctrlreg[3] = xen_pfn_to_cr3(l4);
}

static long set_ctx(domid_t d, uint32_t vcpu, uint64_t ptr)
{
    struct xen_domctl op;
    dc_init(&op, XEN_DOMCTL_setvcpucontext, d);
    op.u.vcpucontext.vcpu = vcpu;
    op.u.vcpucontext.ctxt = ptr;
    return HYPERVISOR_domctl(&op);
}

static long get_ctx(domid_t d, struct vcpu_guest_context *out)
{
    struct xen_domctl op;
    dc_init(&op, XEN_DOMCTL_getvcpucontext, d);
    op.u.vcpucontext.ctxt = (unsigned long)out;
    return HYPERVISOR_domctl(&op);
}

static long pin_l4(domid_t owner, xen_pfn_t mfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };
    op.arg1.mfn = mfn;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, owner);
}

static void pfinfo(domid_t d, const xen_pfn_t *m, xen_pfn_t *out, unsigned int n)
{
    struct xen_domctl op;
    memcpy(out, m, n * sizeof(*out));
    dc_init(&op, XEN_DOMCTL_getpageframeinfo3, d);
    op.u.getpageframeinfo3.num = n;
    op.u.getpageframeinfo3.array = (unsigned long)out;
    if (HYPERVISOR_domctl(&op))
        memset(out, 0xff, n * sizeof(*out));
}

/* The hypervisor marks a domain shut down before it raises VIRQ_DOM_EXC
 * (as Xen does, so a toolstack woken by the VIRQ sees the new state); a
 * domain on another CPU can be seen shut down a moment before the VIRQ is
 * pending, so allow it up to 500 ms to arrive. */
static bool dom_exc_fired(void)
{
    uint64_t deadline = xtest_now() + MILLISECS(500);
    bool p;
    while (!(p = evtchn_is_pending(dom_exc)) && xtest_now() < deadline)
        ;
    evtchn_clear_pending(dom_exc);
    return p;
}

static void shutdown_domain(void)
{
    xen_pfn_t m[PAGES], types[PAGES];
    long rc;

    xtest_section("build a domain from dom0, run it to its shutdown, destroy it");
    uint64_t free0 = host_free_pages();
    domid_t id = build(prog_shutdown, sizeof(prog_shutdown), m);
    if (!id)
        return;

    /* Page types while it is being built. */
    pfinfo(id, m, types, PAGES);
    CHECK(types[P_L4] == XEN_DOMCTL_PFINFO_NOTAB && types[P_L1] == XEN_DOMCTL_PFINFO_NOTAB,
          "before pinning its tables are plain RAM (NOTAB)");
    uint8_t *l1w = map_foreign(m[P_L1], id, PTE_RW, &rc);
    CHECK(l1w, "its future L1 mapped writable by us");
    CHECK(pin_l4(id, m[P_L4]) != 0, "pinning its L4 fails while we map the L1 writable");
    pfinfo(id, m, types, PAGES);
    CHECK_EQ(types[P_L4], XEN_DOMCTL_PFINFO_NOTAB, "... and leaves no trace (L4 still NOTAB)");
    unmap_foreign(l1w);
    CHECK_EQ(pin_l4(DOMID_SELF, m[P_L4]), -EINVAL, "pinning its L4 as if ours -> -EINVAL");
    CHECK_EQ(pin_l4(id, m[P_L4]), 0, "MMUEXT_PIN_L4_TABLE with FOREIGNDOM = d%u", id);
    CHECK_EQ(pin_l4(id, m[P_L4]), -EINVAL, "pinning it twice -> -EINVAL (Xen)");
    pfinfo(id, m, types, PAGES);
    CHECK_EQ(types[P_L4], XEN_DOMCTL_PFINFO_L4TAB | XEN_DOMCTL_PFINFO_LPINTAB, "getpageframeinfo3: L4, pinned");
    CHECK(types[P_L3] == XEN_DOMCTL_PFINFO_L3TAB && types[P_L2] == XEN_DOMCTL_PFINFO_L2TAB &&
          types[P_L1] == XEN_DOMCTL_PFINFO_L1TAB && types[P_CODE] == XEN_DOMCTL_PFINFO_NOTAB,
          "... L3, L2, L1 validated below it; code NOTAB");
    CHECK(!map_foreign(m[P_L1], id, PTE_RW, &rc), "its L1 can no longer be mapped writable (rc %ld)", rc);
    uint8_t *l1r = map_foreign(m[P_L1], id, PTE_RO, &rc);
    CHECK(l1r, "... read-only is fine");
    if (l1r)
        unmap_foreign(l1r);
    struct mmuext_op nb = { .cmd = MMUEXT_NEW_BASEPTR };
    nb.arg1.mfn = m[P_L4];
    CHECK_EQ(HYPERVISOR_mmuext_op(&nb, 1, NULL, id), -EPERM, "NEW_BASEPTR with FOREIGNDOM -> -EPERM");

    /* hypercall_init: on a data frame yes, on a page table or ours no. */
    struct xen_domctl op;
    dc_init(&op, XEN_DOMCTL_hypercall_init, id);
    op.u.hypercall_init.gmfn = m[P_ZERO];
    CHECK_EQ(HYPERVISOR_domctl(&op), 0, "hypercall_init into its page 0");
    uint8_t *hp = map_foreign(m[P_ZERO], id, PTE_RO, &rc);
    if (CHECK(hp, "mapped"))
        CHECK(hp[32] == 0x51 && hp[33] == 0x41 && hp[34] == 0x53, "stub 1 starts push %%rcx; push %%r11");
    unmap_foreign(hp);
    op.u.hypercall_init.gmfn = m[P_L1];
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "hypercall_init into its L1 -> -EINVAL");
    op.u.hypercall_init.gmfn = virt_to_mfn(alloc_page());
    CHECK_EQ(HYPERVISOR_domctl(&op), -EINVAL, "hypercall_init into a frame of ours -> -EINVAL");

    /* vCPU context: every refusal leaves the vCPU uninitialised. */
    struct vcpu_guest_context got;
    long irc;
    fill_ctx(xtest_l4_mfn);
    CHECK_EQ(set_ctx(id, 0, (unsigned long)&ctx), -EINVAL, "setvcpucontext with our L4 as its CR3 -> -EINVAL");
    fill_ctx(m[P_L4]);
    ctx.user_regs.rip = 0x0000800000000000ULL;
    CHECK_EQ(set_ctx(id, 0, (unsigned long)&ctx), -EINVAL, "... a non-canonical rip -> -EINVAL");
    fill_ctx(m[P_L4]);
    CHECK_EQ(set_ctx(id, 0, 0xffff830000000000ULL), -EFAULT, "... a context in the hypervisor's range -> -EFAULT");
    CHECK_EQ(set_ctx(id, 1, (unsigned long)&ctx), -EINVAL, "... vCPU 1 (it has one) -> -EINVAL");
    CHECK_EQ(set_ctx(0, 1, (unsigned long)&ctx), -EINVAL, "... on dom0 itself -> -EINVAL");
    CHECK_EQ(get_ctx(id, &got), -ENODATA, "getvcpucontext: still uninitialised");
    CHECK_EQ(set_ctx(id, 0, (unsigned long)&ctx), 0, "setvcpucontext (VGCF_online)");
    CHECK_EQ(set_ctx(id, 0, (unsigned long)&ctx), -EEXIST, "... a second time -> -EEXIST");
    CHECK_EQ(get_ctx(id, &got), 0, "getvcpucontext");
    CHECK(got.user_regs.rip == VA(P_CODE) && got.ctrlreg[3] == xen_pfn_to_cr3(m[P_L4]) &&
          got.kernel_sp == VA(P_STACK + 1) && (got.flags & VGCF_online) && (got.flags & VGCF_in_kernel),
          "... reads back rip %#lx cr3 %#lx flags %#lx", (unsigned long)got.user_regs.rip,
          (unsigned long)got.ctrlreg[3], (unsigned long)got.flags);
    struct xen_domctl_getvcpuinfo vi;
    CHECK(dc_vcpuinfo(id, 0, &vi) == 0 && vi.online && !vi.running, "getvcpuinfo: online, not running (paused)");
    struct xen_domctl_getdomaininfo info;
    irc = dc_getinfo(id, &info);
    CHECK(irc == 0 && info.flags == XEN_DOMINF_paused && info.nr_online_vcpus == 1,
          "getdomaininfo: paused, 1 vCPU online (flags %#x)", info.flags);

    /* Run it. */
    evtchn_clear_pending(dom_exc);
    CHECK_EQ(dc_simple(XEN_DOMCTL_unpausedomain, id), 0, "unpausedomain: it runs");
    int reason = wait_shutdown(id, 3000);
    CHECK_EQ(reason, SHUTDOWN_reboot, "it shut down with reason reboot (its own choice)");
    CHECK(dom_exc_fired(), "VIRQ_DOM_EXC told us");
    uint32_t *data = map_foreign(m[P_DATA], id, PTE_RO, &rc);
    if (CHECK(data, "its data page mapped"))
        CHECK_EQ(data[0], MAGIC, "its program stored %#x", MAGIC);
    unmap_foreign(data);
    irc = dc_getinfo(id, &info);
    CHECK(irc == 0 && info.cpu_time > 0, "it used %lu ns of CPU", (unsigned long)info.cpu_time);

    CHECK_EQ(dc_simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain");
    CHECK(dom_exc_fired(), "VIRQ_DOM_EXC again for the destruction");
    CHECK(!dom_exists(id), "gone");
    CHECK_EQ(host_free_pages(), free0, "free pages exactly as before it was created (pinned tables, "
             "the vCPU's CR3, shared_info and grant frames all released)");
}

static void destroy_running(void)
{
    xen_pfn_t m[PAGES];
    struct xen_domctl_getvcpuinfo vi;
    struct vcpu_guest_context got;

    xtest_section("destroy a domain while it runs");
    uint64_t free0 = host_free_pages();
    domid_t id = build(prog_spin, sizeof(prog_spin), m);
    if (!id)
        return;
    fill_ctx(m[P_L4]);
    CHECK_EQ(pin_l4(id, m[P_L4]), 0, "L4 pinned");
    CHECK_EQ(set_ctx(id, 0, (unsigned long)&ctx), 0, "context set");
    CHECK_EQ(dc_simple(XEN_DOMCTL_unpausedomain, id), 0, "unpaused");
    uint64_t deadline = xtest_now() + MILLISECS(2000);
    bool ran = false;
    while (!ran && xtest_now() < deadline) {
        ran = dc_vcpuinfo(id, 0, &vi) == 0 && vi.cpu_time > MILLISECS(1);
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    CHECK(ran, "it spins (%lu ns of CPU so far)", (unsigned long)vi.cpu_time);
    CHECK_EQ(dc_simple(XEN_DOMCTL_pausedomain, id), 0, "pausedomain");
    CHECK(dc_vcpuinfo(id, 0, &vi) == 0 && !vi.running, "... it is off the CPU");
    uint64_t t1 = vi.cpu_time;
    long grc = get_ctx(id, &got);
    CHECK(grc == 0 && got.user_regs.rip == VA(P_CODE), "its rip is at the loop (%#lx)",
          (unsigned long)got.user_regs.rip);
    for (int i = 0; i < 20; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK(dc_vcpuinfo(id, 0, &vi) == 0 && vi.cpu_time == t1, "... and its CPU time stands still");
    CHECK_EQ(dc_simple(XEN_DOMCTL_unpausedomain, id), 0, "unpaused again");
    for (int i = 0; i < 20; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(dc_simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain while it runs");
    CHECK(!dom_exists(id), "gone");
    CHECK_EQ(host_free_pages(), free0, "free pages exactly as before");
}

void dom0_build_and_run(void)
{
    if (evtchn_bind_virq(VIRQ_DOM_EXC, 0, &dom_exc))
        xtest_abort("bind_virq(VIRQ_DOM_EXC) failed");
    evtchn_mask_port(dom_exc);
    shutdown_domain();
    destroy_running();
}
