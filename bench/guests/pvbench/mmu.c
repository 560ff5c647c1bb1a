/* SPDX-License-Identifier: MIT */
/*
 * mmu_update batches: 64 MMU_NORMAL_PT_UPDATE requests per hypercall on
 * the 64 first entries of a pinned L1 table (not linked into the live page
 * tables, so nothing needs flushing).  Every batch toggles all 64 entries
 * between two values: a writable mapping of data page P and one of data
 * page Q.  Each request therefore costs what a Linux set_pte does in the
 * hypervisor: type check of the table, validation of the new entry
 * (reference + writable type on the new frame) and release of the old one.
 */
#include "pvbench.h"

#define MMU_BATCH 64
#define IGN (_PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)
#define MMU_ITERS 4             /* batches per block */

static struct mmu_update req[2][MMU_BATCH];
static unsigned int toggle;

static bool block_batches(unsigned int iters)
{
    unsigned int i, done;

    for (i = 0; i < iters; i++) {
        done = 0;
        if (HYPERVISOR_mmu_update(req[toggle], MMU_BATCH, &done, DOMID_SELF) ||
            done != MMU_BATCH)
            return false;
        toggle ^= 1;
    }
    return true;
}

void bench_mmu_update(void)
{
    uint64_t *l1 = alloc_page();
    void *p = alloc_page(), *q = alloc_page();
    xen_pfn_t l1_mfn = virt_to_mfn(l1);
    uint64_t va = (virt_to_mfn(p) << PAGE_SHIFT) | PTE_RW;
    uint64_t vb = (virt_to_mfn(q) << PAGE_SHIFT) | PTE_RW;
    struct mmu_update clear[MMU_BATCH];
    unsigned int i;
    bool ok;

    for (i = 0; i < MMU_BATCH; i++) {
        uint64_t ma = virt_to_maddr(&l1[i]) | MMU_NORMAL_PT_UPDATE;

        req[0][i] = (struct mmu_update){ .ptr = ma, .val = va };
        req[1][i] = (struct mmu_update){ .ptr = ma, .val = vb };
        clear[i] = (struct mmu_update){ .ptr = ma, .val = 0 };
    }
    if (!CHECK_EQ(remap_ro(l1), 0, "L1 page mapped read-only") ||
        !CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, l1_mfn), 0, "MMUEXT_PIN_L1_TABLE"))
        return;
    toggle = 0;
    ok = pvbench_run("mmu_update_per_entry", block_batches, MMU_ITERS,
                     "mmu_update_batch64", MMU_BATCH);
    if (CHECK(ok, "mmu_update benchmark ran")) {
        /* The last batch sent was req[toggle ^ 1].  Besides A/D, Xen sets
         * G in guest-kernel entries (adjust_guest_l1e); nothing else may
         * differ. */
        uint64_t want = req[toggle ^ 1][0].val & ~IGN;

        CHECK((l1[0] & ~IGN) == want && (l1[MMU_BATCH - 1] & ~IGN) == want,
              "the L1 holds the last batch's values (%#lx, %#lx; want %#lx)",
              l1[0], l1[MMU_BATCH - 1], want);
    }
    CHECK_EQ(HYPERVISOR_mmu_update(clear, MMU_BATCH, NULL, DOMID_SELF), 0,
             "clear the entries");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l1_mfn), 0, "unpin");
    CHECK_EQ(remap_rw(l1), 0, "L1 page writable again");
}
