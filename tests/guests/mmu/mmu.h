/* SPDX-License-Identifier: MIT */
/* Shared helpers of the mmu test guest. */
#ifndef MMU_TEST_H
#define MMU_TEST_H

#include "xtest.h"
#include "mm.h"
#include "traps.h"

/* Machine address of the L1 entry that maps va (for mmu_update). */
static inline uint64_t l1e_maddr(unsigned long va)
{
    return virt_to_maddr(pte_ptr(va, 1));
}

/* A frame owned by the hypervisor itself (the first M2P chunk). */
xen_pfn_t xen_owned_mfn(void);

void test_va_mapping(void);
void test_mmu_update(void);
void test_pinning(void);
void test_baseptr(void);
void test_hostile_entries(void);
void test_foreign_frames(void);
void test_ptwr(void);
void test_mmuext_misc(void);

#endif
