/* SPDX-License-Identifier: MIT */
#include <xeno/errno.h>
#include <xeno/guest_access.h>

struct extable_entry {
    unsigned long insn, fixup;
};
extern const struct extable_entry __extable_start[], __extable_end[];
int raw_cmpxchg_u64(uint64_t *p, uint64_t *old, uint64_t new_val);

unsigned long search_extable(unsigned long rip)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
        if (e->insn == rip)
            return e->fixup;
    return 0;
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
    if (!guest_range_ok(guest_va, len))
        return -EFAULT;
    return raw_copy_checked(dst, (const void *)guest_va, len) ? -EFAULT : 0;
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
    if (!guest_range_ok(guest_va, len))
        return -EFAULT;
    return raw_copy_checked((void *)guest_va, src, len) ? -EFAULT : 0;
}

int cmpxchg_guest_u64(uint64_t guest_va, uint64_t *old, uint64_t new_val)
{
    if ((guest_va & 7) || !guest_range_ok(guest_va, 8))
        return -EFAULT;
    int rc = raw_cmpxchg_u64((uint64_t *)guest_va, old, new_val);
    return rc < 0 ? -EFAULT : rc ? -EAGAIN : 0;
}
