/* SPDX-License-Identifier: MIT */
/* The machine-to-phys table (M2P), read-only to every PV guest at
 * RO_MPT_VIRT_START (0xffff800000000000, Xen's fixed address). */
#include <xeno/errno.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/shutdown.h>

uint64_t *m2p;

void m2p_init(void)
{
    unsigned long bytes = max_page * sizeof(uint64_t);
    unsigned long pages = ROUNDUP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
    unsigned int order = 0;
    while ((1UL << order) < pages)
        order++;
    long mfn = alloc_frames(order);
    if (mfn < 0)
        boot_fatal("no memory for the machine-to-phys table (%lu KiB)", pages * 4);
    m2p = __va((paddr_t)mfn << PAGE_SHIFT);
    memset(m2p, 0xff, pages * PAGE_SIZE);
    if (paging_prepare_guest_slots() || map_pages_guest_ro(RO_MPT_VIRT_START, mfn, pages))
        boot_fatal("cannot map the machine-to-phys table");
}
