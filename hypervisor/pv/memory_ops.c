/* SPDX-License-Identifier: MIT */
/* memory_op: reservations, memory maps and the M2P location. */
#include <xen/memory.h>
#include <xen/xen.h>
#include <xeno/e820.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/mm.h>
#include <xeno/pv.h>
#include <xeno/sched.h>
#include <xeno/setup.h>

static struct domain *target(struct domain *self, uint16_t domid)
{
    if (domid == DOMID_SELF || domid == self->domid)
        return self;
    return self->is_privileged ? domain_lookup(domid) : NULL;
}

static long copy_map_out(uint64_t arg, const struct xen_e820_entry *ents, unsigned int n)
{
    struct xen_memory_map map;
    if (copy_from_guest(&map, arg, sizeof(map)))
        return -EFAULT;
    if (map.nr_entries < n)
        n = map.nr_entries;
    if (copy_to_guest(map.buffer, ents, n * sizeof(*ents)))
        return -EFAULT;
    map.nr_entries = n;
    return copy_to_guest(arg, &map, sizeof(map));
}

long do_memory_op(HC_ARGS)
{
    unsigned long cmd = a1 & 0xf;    /* low bits: command; high bits: continuation (unused) */
    uint64_t arg = a2;
    struct domain *self = current->domain;

    switch (a1) {
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation: {
        uint16_t domid;
        if (copy_from_guest(&domid, arg, sizeof(domid)))
            return -EFAULT;
        struct domain *d = target(self, domid);
        if (!d)
            return -ESRCH;
        return a1 == XENMEM_current_reservation ? (long)d->tot_pages : (long)d->max_pages;
    }
    case XENMEM_maximum_ram_page:
        return max_page - 1;
    case XENMEM_machphys_mapping: {
        struct xen_machphys_mapping m = {
            .v_start = RO_MPT_VIRT_START,
            .v_end = RO_MPT_VIRT_START + ROUNDUP(max_page * 8UL, PAGE_SIZE),
            .max_mfn = max_page - 1,
        };
        return copy_to_guest(arg, &m, sizeof(m));
    }
    case XENMEM_machphys_mfn_list: {
        /* The M2P's frames in 2 MiB extents (what tools map to read it). */
        struct xen_machphys_mfn_list l;
        if (copy_from_guest(&l, arg, sizeof(l)))
            return -EFAULT;
        unsigned long base = __pa(m2p) >> PAGE_SHIFT;
        unsigned long extents = ROUNDUP(max_page * 8UL, 2UL << 20) >> 21;
        unsigned int n = 0;
        for (; n < l.max_extents && n < extents; n++) {
            uint64_t mfn = base + n * 512UL;
            if (copy_to_guest(l.extent_start + n * sizeof(mfn), &mfn, sizeof(mfn)))
                return -EFAULT;
        }
        l.nr_extents = n;
        return copy_to_guest(arg, &l, sizeof(l));
    }
    case XENMEM_memory_map: {
        /* A PV guest's pseudo-physical map: all its pages as one RAM range
         * (what Linux assumes without the call; we say it explicitly). */
        struct xen_e820_entry e = { .addr = 0, .size = (uint64_t)self->tot_pages << PAGE_SHIFT,
                                    .type = E820_RAM };
        return copy_map_out(arg, &e, 1);
    }
    case XENMEM_machine_memory_map: {
        if (!self->is_privileged)
            return -EPERM;
        struct xen_e820_entry ents[E820MAX];
        const struct e820map *m = firmware_memory_map();
        for (unsigned int i = 0; i < m->nr; i++)
            ents[i] = (struct xen_e820_entry){ .addr = m->map[i].addr, .size = m->map[i].size,
                                               .type = m->map[i].type };
        return copy_map_out(arg, ents, m->nr);
    }
    default:
        (void)cmd;
        /* populate/decrease/exchange come with ballooning and the toolstack. */
        return -ENOSYS;
    }
}
