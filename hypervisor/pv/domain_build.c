/* SPDX-License-Identifier: MIT */
/*
 * Building a PV domain from boot modules (dom0: module 1 kernel, module 2
 * initrd; boot-time domUs: the modules named by domU=), the start-of-day
 * state a 64-bit PV kernel expects (pv-abi-checklist §1):
 * the kernel loaded by p_paddr + VIRT_BASE, one 1:1 region inside a 1 GiB
 * slot holding [initrd] p2m start_info page-tables stack, every page-table
 * frame mapped read-only, the L4 pinned, vCPU 0 at the ELF entry with
 * rsi = start_info.
 */
#include <xen/elfnote.h>
#include <xen/xen.h>
#include <xeno/decompress.h>
#include <xeno/errno.h>
#include <xeno/kernel_image.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_layout.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>
#include <xeno/setup.h>
#include <xeno/shutdown.h>
#include <xeno/smp.h>

struct builder {
    const char *who;             /* "dom0", "d1" ... for messages */
    struct domain *d;
    unsigned long nr_pages;
    unsigned long *p2m;          /* pfn -> mfn */
    uint64_t virt_base;
};

static unsigned long m2p_mfn_of(struct builder *b, uint64_t va);

static void *pfn_va(struct builder *b, unsigned long pfn)
{
    return __va((paddr_t)b->p2m[pfn] << PAGE_SHIFT);
}

/* Guest VA inside the 1:1 region -> hypervisor pointer (pages may not be
 * machine-contiguous, so callers copy at most to the end of a page). */
static void *gva(struct builder *b, uint64_t va)
{
    unsigned long pfn = (va - b->virt_base) >> PAGE_SHIFT;
    BUG_ON(pfn >= b->nr_pages);
    return (char *)pfn_va(b, pfn) + (va & (PAGE_SIZE - 1));
}

static unsigned long m2p_mfn_of(struct builder *b, uint64_t va)
{
    return b->p2m[(va - b->virt_base) >> PAGE_SHIFT];
}

static int copy_cb(void *ctx, uint64_t va, const void *src, size_t n)
{
    struct builder *b = ctx;
    const uint8_t *s = src;
    while (n) {
        size_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        if (va < b->virt_base || ((va - b->virt_base) >> PAGE_SHIFT) >= b->nr_pages)
            return -EINVAL;
        memcpy(gva(b, va), s, chunk);
        va += chunk, s += chunk, n -= chunk;
    }
    return 0;
}

static int zero_cb(void *ctx, uint64_t va, size_t n)
{
    struct builder *b = ctx;
    while (n) {
        size_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        if (va < b->virt_base || ((va - b->virt_base) >> PAGE_SHIFT) >= b->nr_pages)
            return -EINVAL;
        memset(gva(b, va), 0, chunk);
        va += chunk, n -= chunk;
    }
    return 0;
}

/* The kernel as an ELF in hypervisor memory: module 1 itself, or its
 * bzImage payload unpacked into a temporary buffer (freed by the caller). */
static const uint8_t *kernel_elf(const char *who, const struct boot_module *m, size_t *len, void **tmp,
                                 unsigned int *tmp_order)
{
    const uint8_t *img = __va(m->start);
    size_t img_len = m->end - m->start;
    const uint8_t *payload;
    size_t payload_len, out_size;
    const char *why = NULL;

    *tmp = NULL;
    if (bzimage_payload(img, img_len, &payload, &payload_len, &why)) {
        *len = img_len;
        return img;             /* plain ELF; elf_parse_pv judges it */
    }
    if (bzimage_output_size(payload, payload_len, &out_size) || out_size == 0)
        boot_fatal("%s kernel: bzImage payload size unreadable", who);
    unsigned int order = 0;
    while ((PAGE_SIZE << order) < out_size + decompress_workspace_size())
        order++;
    long mfn = alloc_frames(order);
    if (mfn < 0)
        boot_fatal("%s kernel: no memory to unpack %lu KiB", who, (unsigned long)(out_size >> 10));
    uint8_t *out = __va((paddr_t)mfn << PAGE_SHIFT);
    void *work = out + ROUNDUP(out_size, 64);
    size_t got = 0;
    s_time_t t0 = NOW();
    int rc = decompress(payload, payload_len, out, out_size, &got, work, decompress_workspace_size(), &why);
    if (rc)
        boot_fatal("%s kernel: %s (%d)", who, why ? why : "cannot unpack the bzImage payload", rc);
    printk("%s kernel: unpacked %s payload, %lu KiB in %lu ms\n", who,
           compression_name(detect_compression(payload, payload_len)), (unsigned long)(got >> 10),
           (unsigned long)((NOW() - t0) / 1000000));
    *tmp = out;
    *tmp_order = order;
    *len = got;
    return out;
}

static void build_page_tables(struct builder *b, const struct pv_layout *l)
{
    unsigned long pt_pfn = (l->pt_va - b->virt_base) >> PAGE_SHIFT;
    unsigned long next = pt_pfn + 1;    /* frames after the L4: L3s, L2s, L1s */
    uint64_t *l4 = pfn_va(b, pt_pfn);
    memset(l4, 0, PAGE_SIZE);

    for (uint64_t va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
        uint64_t *t = l4;
        for (int level = 4; level > 1; level--) {
            uint64_t *e = &t[(va >> (12 + 9 * (level - 1))) & 511];
            if (!(*e & _PAGE_PRESENT)) {
                BUG_ON(next >= pt_pfn + l->nr_pt_frames);
                memset(pfn_va(b, next), 0, PAGE_SIZE);
                *e = ((uint64_t)b->p2m[next] << PAGE_SHIFT) | PV_UPPER_PTE_FLAGS;
                next++;
            }
            t = __va(*e & PADDR_MASK);
        }
        uint64_t flags;
        BUG_ON(pv_region_pte_flags(l, va, &flags));
        unsigned long pfn = (va - b->virt_base) >> PAGE_SHIFT;
        t[(va >> 12) & 511] = ((uint64_t)b->p2m[pfn] << PAGE_SHIFT) | flags;
    }
}

struct build_spec {
    uint16_t domid;
    bool privileged;
    const struct boot_module *kernel, *initrd;
    const char *cmdline;
    uint64_t mem;                   /* bytes; dom0: resolved from dom0_mem */
    unsigned int vcpus;
};

static void fill_start_info(struct builder *b, const struct pv_layout *l, const struct build_spec *spec)
{
    struct start_info *si = gva(b, l->start_info_va);
    memset(si, 0, PAGE_SIZE);
    strlcpy(si->magic, "xen-3.0-x86_64", sizeof(si->magic));
    si->nr_pages = b->nr_pages;
    si->shared_info = (uint64_t)b->d->shared_info_mfn << PAGE_SHIFT;
    si->flags = spec->privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
    si->pt_base = l->pt_va;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->p2m_va;
    if (!spec->privileged) {
        /* Console and xenstore rings with ports offered to dom0, where their
         * back ends will live (as Xen's toolstack sets them up). */
        si->store_mfn = m2p_mfn_of(b, l->xenstore_va);
        si->console.domU.mfn = m2p_mfn_of(b, l->console_va);
        si->store_evtchn = pv_alloc_unbound_port(b->d, 0);
        si->console.domU.evtchn = pv_alloc_unbound_port(b->d, 0);
    }
    if (spec->initrd) {
        si->mod_len = spec->initrd->end - spec->initrd->start;
        if (l->initrd_va) {
            si->mod_start = l->initrd_va;
        } else {
            si->mod_start = l->initrd_pfn;
            si->flags |= SIF_MOD_START_PFN;
        }
    }
    strlcpy(si->cmd_line, spec->cmdline, sizeof(si->cmd_line));
}

static struct domain *build_pv_domain(const char *who, const struct build_spec *spec)
{
    const char *why = NULL;
    size_t elf_len;
    void *tmp;
    unsigned int tmp_order = 0;
    struct pv_elf_info elf;

    const uint8_t *img = kernel_elf(who, spec->kernel, &elf_len, &tmp, &tmp_order);
    int rc = elf_parse_pv(img, elf_len, &elf, &why);
    if (rc)
        boot_fatal("%s kernel: %s (%d)", who, why ? why : "not a PV kernel", rc);
    if (spec->privileged ? pv_elf_check_dom0(&elf, &why) : pv_elf_check_domu(&elf, &why))
        boot_fatal("%s kernel: %s", who, why);
    printk("%s kernel: %s %s for %s, entry %#lx, image [%#lx, %#lx)\n", who,
           elf.guest_os[0] ? elf.guest_os : "?", elf.guest_version, elf.xen_version,
           (unsigned long)elf.entry, (unsigned long)elf.virt_kstart, (unsigned long)elf.virt_kend);

    unsigned int vcpus = spec->vcpus;
    uint64_t initrd_len = spec->initrd ? spec->initrd->end - spec->initrd->start : 0;
    unsigned long nr_pages = spec->mem >> PAGE_SHIFT;

    struct pv_layout_in lin = {
        .virt_kstart = elf.virt_kstart, .virt_kend = elf.virt_kend, .virt_base = elf.virt_base,
        .nr_pages = nr_pages, .initrd_len = initrd_len,
        .initrd_unmapped = elf.mod_start_pfn, .is_dom0 = spec->privileged, .p2m_at_init_p2m = false,
    };
    struct pv_layout l;
    if (pv_layout_compute(&lin, &l, &why))
        boot_fatal("%s: %s", who, why);

    struct domain *d = domain_create(spec->domid, spec->privileged, vcpus);
    if (!d)
        boot_fatal("%s: cannot create the domain (out of memory)", who);
    d->max_pages = nr_pages;

    struct builder b = { .who = who, .d = d, .nr_pages = nr_pages, .virt_base = elf.virt_base };
    b.p2m = xmalloc_bytes(nr_pages * sizeof(unsigned long));
    if (!b.p2m)
        boot_fatal("%s: no memory for the p2m of %lu pages", who, nr_pages);
    /* Frames in as large blocks as the allocator gives; zeroed (scrubbed). */
    unsigned long pfn = 0;
    for (int order = 9; pfn < nr_pages; ) {
        if ((1UL << order) > nr_pages - pfn) {
            order--;
            continue;
        }
        long mfn = alloc_frames(order);
        if (mfn < 0) {
            if (order == 0)
                boot_fatal("%s: out of memory after %lu of %lu pages", who, pfn, nr_pages);
            order--;
            continue;
        }
        memset(__va((paddr_t)mfn << PAGE_SHIFT), 0, PAGE_SIZE << order);
        for (unsigned long i = 0; i < (1UL << order); i++, pfn++) {
            b.p2m[pfn] = mfn + i;
            frame_table[mfn + i].owner = d->domid;
            list_add_tail(&frame_table[mfn + i].list, &d->page_list);
            m2p[mfn + i] = pfn;
        }
    }
    d->tot_pages = nr_pages;

    if (elf_load_pv(img, elf_len, &elf, copy_cb, zero_cb, &b))
        boot_fatal("%s kernel: loading its segments failed", who);
    if (tmp)
        free_frames(__pa(tmp) >> PAGE_SHIFT, tmp_order);

    if (initrd_len) {
        const uint8_t *src = __va(spec->initrd->start);
        if (l.initrd_va) {
            copy_cb(&b, l.initrd_va, src, initrd_len);
        } else {
            for (uint64_t off = 0; off < initrd_len; off += PAGE_SIZE)
                memcpy(pfn_va(&b, l.initrd_pfn + off / PAGE_SIZE), src + off, MIN(PAGE_SIZE, initrd_len - off));
        }
    }
    /* The p2m list the guest sees: MFNs by pfn. */
    for (unsigned long i = 0; i < nr_pages; i++) {
        uint64_t m = b.p2m[i];
        copy_cb(&b, l.p2m_va + i * 8, &m, 8);
    }
    if (pv_elf_has_note(&elf, XEN_ELFNOTE_HYPERCALL_PAGE)) {
        uint8_t page[PAGE_SIZE];
        pv_hypercall_page_fill(page);
        if (copy_cb(&b, elf.hypercall_page & PAGE_MASK, page, PAGE_SIZE))
            boot_fatal("%s kernel: hypercall page %#lx outside its memory", who, (unsigned long)elf.hypercall_page);
    }
    fill_start_info(&b, &l, spec);
    build_page_tables(&b, &l);

    unsigned long l4_mfn = b.p2m[(l.pt_va - elf.virt_base) >> PAGE_SHIFT];
    spin_lock(&pv_mm_lock);
    rc = pin_table(&pv_env, d->domid, l4_mfn, 4);
    if (!rc)
        rc = get_page_and_type(&pv_env, l4_mfn, d->domid, PGT_l4_page_table);
    spin_unlock(&pv_mm_lock);
    if (rc)
        boot_fatal("%s: the initial page tables do not validate (%d)", who, rc);

    struct vcpu *v = d->vcpus[0];
    memset(&v->regs, 0, sizeof(v->regs));
    v->regs.rip = elf.entry;
    v->regs.rsp = l.boot_sp;
    v->regs.rsi = l.start_info_va;
    v->regs.cs = FLAT_RING3_CS64_SEL;
    v->regs.ss = FLAT_RING3_DS32_SEL;
    v->regs.rflags = 0x202;
    v->kernel_mode = true;
    v->kernel_sp = l.boot_sp;
    v->guest_table = l4_mfn;
    v->initialised = true;
    update_domain_wallclock(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        update_vcpu_system_time(d->vcpus[i]);
    xfree(b.p2m);

    printk("%s: %lu MiB (%lu pages), %u vCPU%s, region [%#lx, %#lx), start_info %#lx\n",
           who, nr_pages >> 8, nr_pages, vcpus, vcpus > 1 ? "s" : "", (unsigned long)l.v_start,
           (unsigned long)l.v_end, (unsigned long)l.start_info_va);
    return d;
}

void construct_dom0(const struct boot_info *bi)
{
    char cmdline[1024];
    const char *args = boot_module_args(bi, &bi->mods[0]);
    snprintf(cmdline, sizeof(cmdline), "%s%s%s", args,
             dom0_cmdline_extra && *dom0_cmdline_extra ? " " : "",
             dom0_cmdline_extra ? dom0_cmdline_extra : "");

    /* Boot-time domUs (domU=) take their modules first, and their memory
     * before dom0's default "everything else" is computed. */
    struct boot_domu plan[MAX_BOOT_DOMUS];
    unsigned int nr_domus = plan_boot_domus(bi, plan);
    uint64_t domu_mem = 0;
    for (unsigned int i = 0; i < nr_domus; i++)
        domu_mem += plan[i].mem;

    unsigned int nr_mods_dom0 = nr_domus ? plan[0].first_module : bi->nr_modules;
    struct build_spec spec = {
        .domid = 0, .privileged = true, .kernel = &bi->mods[0],
        .initrd = nr_mods_dom0 > 1 ? &bi->mods[1] : NULL, .cmdline = cmdline,
        .vcpus = MIN(dom0_vcpus_resolve(&dom0_vcpus, nr_cpus_online), MAX_VIRT_CPUS),
    };
    uint64_t avail = ((uint64_t)free_page_count() << PAGE_SHIFT);
    avail = avail > domu_mem ? avail - domu_mem : 0;
    spec.mem = dom0_mem_resolve(&dom0_mem, avail) & PAGE_MASK;

    pv_mm_init();
    dom0 = build_pv_domain("dom0", &spec);
    struct domain *built[MAX_BOOT_DOMUS];
    for (unsigned int i = 0; i < nr_domus; i++) {
        char who[8];
        snprintf(who, sizeof(who), "d%u", i + 1);
        struct build_spec ds = {
            .domid = (uint16_t)(i + 1), .privileged = false, .kernel = &bi->mods[plan[i].first_module],
            .initrd = plan[i].has_initrd ? &bi->mods[plan[i].first_module + 1] : NULL,
            .cmdline = boot_module_args(bi, &bi->mods[plan[i].first_module]),
            .mem = plan[i].mem, .vcpus = plan[i].vcpus,
        };
        built[i] = build_pv_domain(who, &ds);
        built[i]->console_io_allowed = true;
    }
    /* Everything is built before anything runs (as Xen's dom0less does), so
     * no domain sees another half-made. */
    for (unsigned int i = 0; i < nr_domus; i++)
        vcpu_wake(built[i]->vcpus[0]);
    vcpu_wake(dom0->vcpus[0]);
}
