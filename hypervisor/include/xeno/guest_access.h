/* SPDX-License-Identifier: MIT */
#ifndef XENO_GUEST_ACCESS_H
#define XENO_GUEST_ACCESS_H

#include <asm/config.h>
#include <xeno/types.h>

/*
 * Access to the current guest's virtual memory (its page tables are loaded
 * while the hypervisor runs on its behalf).  Addresses inside the hypervisor's
 * reserved range are refused before any access; faults on the rest are caught
 * through the exception table.  All return 0 or -EFAULT.
 */
static inline bool guest_range_ok(uint64_t va, size_t len)
{
    uint64_t end = va + len;
    if (end < va)
        return false;
    /* Non-canonical addresses fault (#GP) and are caught; the reserved
     * window must never be touched on a guest's behalf. */
    return end <= HYPERVISOR_VIRT_START || va >= HYPERVISOR_VIRT_END;
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len);
int copy_to_guest(uint64_t guest_va, const void *src, size_t len);
/* 8-byte atomic compare-exchange on guest memory; 0, -EFAULT, or -EAGAIN (mismatch, *old updated). */
int cmpxchg_guest_u64(uint64_t guest_va, uint64_t *old, uint64_t new_val);

/* Raw copies with fault recovery (arch/x86/usercopy.S): bytes NOT copied. */
size_t raw_copy_checked(void *dst, const void *src, size_t len);
/* Exception table lookup: the fixup address for a faulting rip, or 0. */
unsigned long search_extable(unsigned long rip);

#endif
