/* SPDX-License-Identifier: MIT */
/* How the pure PV MMU rules (mm/page_type.c) reach this machine. */
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/pv_desc.h>
#include <xeno/pv_mm.h>
#include <xeno/sched.h>
#include <xeno/smp.h>

/* One lock over all guests' page tables and frame types.  A plain spinlock
 * (interrupts stay enabled while waiting) so TLB-flush IPIs always land. */
spinlock_t pv_mm_lock = SPIN_LOCK_UNLOCKED;

static uint64_t *env_map(void *ctx, unsigned long mfn)
{
    (void)ctx;
    return __va((paddr_t)mfn << PAGE_SHIFT);
}

static void env_unmap(void *ctx, uint64_t *va)
{
    (void)ctx;
    (void)va;
}

static bool env_iomem_allowed(void *ctx, uint32_t domid, unsigned long mfn)
{
    (void)ctx;
    struct domain *d = domain_lookup(domid);
    return d && d->iomem_all && mfn_is_iomem(mfn);
}

static bool env_cache_attrs_allowed(void *ctx, uint32_t domid)
{
    (void)ctx;
    struct domain *d = domain_lookup(domid);
    return d && d->iomem_all;
}

static void env_init_xen_l4_slots(void *ctx, uint64_t *l4, unsigned long l4_mfn)
{
    (void)ctx;
    (void)l4_mfn;
    for (unsigned int i = 256; i <= 271; i++)
        l4[i] = idle_pg_table[i];
}

static void flush_local(void *arg)
{
    (void)arg;
    /* CR4.PGE toggle drops global entries too. */
    unsigned long cr4 = read_cr4();
    write_cr4(cr4 & ~X86_CR4_PGE);
    write_cr4(cr4);
}

void flush_tlb_all_cpus(void)
{
    for (unsigned int c = 0; c < NR_CPUS; c++)
        if (percpu[c].online)
            smp_call_on_cpu(c, flush_local, NULL);
}

static void env_flush(void *ctx, unsigned long mfn)
{
    (void)ctx;
    (void)mfn;
    flush_tlb_all_cpus();
}

static void env_free_frame(void *ctx, unsigned long mfn)
{
    (void)ctx;
    frame_table[mfn].owner = PAGE_OWNER_NONE;
    m2p[mfn] = INVALID_M2P_ENTRY;
    free_frames(mfn, 0);
}

static void env_warn(void *ctx, const char *what, unsigned long mfn)
{
    (void)ctx;
    printk(XENLOG_ERR "PV MMU: %s (mfn %#lx)\n", what, mfn);
}

const struct mm_env pv_mm_env = {
    .map = env_map,
    .unmap = env_unmap,
    .iomem_allowed = env_iomem_allowed,
    .cache_attrs_allowed = env_cache_attrs_allowed,
    .init_xen_l4_slots = env_init_xen_l4_slots,
    .check_seg_desc = pv_check_seg_desc,
    .flush_tlbs = env_flush,
    .free_frame = env_free_frame,
    .warn = env_warn,
};

struct mm_env pv_env;

void pv_mm_init(void)
{
    pv_env = pv_mm_env;
    pv_env.frames = frame_table;
    pv_env.nr_frames = max_page;
}
