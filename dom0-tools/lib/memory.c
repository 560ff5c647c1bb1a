/* SPDX-License-Identifier: MIT */
/*
 * libxenoctrl: another domain's memory.  populate_physmap and friends name
 * the domain in the reservation (the control domain may, Xen's
 * XSM_TARGET); pins use mmuext_op's FOREIGNDOM; mappings go through
 * IOCTL_PRIVCMD_MMAPBATCH_V2, which Linux turns into mmu_update with
 * FOREIGNDOM on the pages of an mmap of the privcmd device.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/memory.h>

#include "xenoctrl_priv.h"

/* Extents per hypercall: what fits the buffer with room to spare. */
#define CHUNK 2048

static long reservation(xenoctrl *x, unsigned int cmd, const char *name, uint32_t domid,
                        unsigned long nr, unsigned int order, xen_pfn_t *list)
{
    unsigned long done = 0;

    while (done < nr) {
        unsigned long n = nr - done < CHUNK ? nr - done : CHUNK;
        xenoctrl_buffer_release(x);
        xen_pfn_t *b = xenoctrl_buffer(x, n * sizeof(*b));
        struct xen_memory_reservation *r = xenoctrl_buffer(x, sizeof(*r));
        memcpy(b, list + done, n * sizeof(*b));
        xo_marshal_reservation(r, domid, (uint64_t)(uintptr_t)b, n, order);
        long got = xo_do_hypercall(x, __HYPERVISOR_memory_op, cmd, (uint64_t)(uintptr_t)r, 0, 0);
        if (got < 0)
            return xo_fail(&x->log, (int)got, "%s d%u (%lu extents of order %u)", name, domid, n, order);
        memcpy(list + done, b, (size_t)got * sizeof(*b));
        done += (unsigned long)got;
        if ((unsigned long)got < n) {
            /* Xen stops at the first extent it cannot do: the domain's
             * maximum, the host's memory, or a frame that is not its. */
            xo_fail(&x->log, -ENOMEM, "%s d%u: %lu of %lu extents done", name, domid, done, nr);
            break;
        }
    }
    return (long)done;
}

long xenoctrl_populate_physmap(xenoctrl *x, uint32_t domid, unsigned long nr, unsigned int order,
                               xen_pfn_t *pfns)
{
    return reservation(x, XENMEM_populate_physmap, "populate_physmap", domid, nr, order, pfns);
}

long xenoctrl_decrease_reservation(xenoctrl *x, uint32_t domid, unsigned long nr, const xen_pfn_t *mfns)
{
    /* The hypervisor does not write the list back for a decrease. */
    long done = 0;
    xen_pfn_t tmp[64];
    while ((unsigned long)done < nr) {
        unsigned long n = nr - done < 64 ? nr - done : 64;
        memcpy(tmp, mfns + done, n * sizeof(*tmp));
        long r = reservation(x, XENMEM_decrease_reservation, "decrease_reservation", domid, n, 0, tmp);
        if (r < 0)
            return r;
        done += r;
        if ((unsigned long)r < n)
            break;
    }
    return done;
}

long xenoctrl_domain_tot_pages(xenoctrl *x, uint32_t domid)
{
    xenoctrl_buffer_release(x);
    domid_t *d = xenoctrl_buffer(x, sizeof(*d));
    *d = (domid_t)domid;
    long r = xo_do_hypercall(x, __HYPERVISOR_memory_op, XENMEM_current_reservation, (uint64_t)(uintptr_t)d, 0, 0);
    if (r < 0)
        return xo_fail(&x->log, (int)r, "current_reservation d%u", domid);
    return r;
}

static int mmuext(xenoctrl *x, uint32_t domid, const struct mmuext_op *op, const char *what)
{
    xenoctrl_buffer_release(x);
    struct mmuext_op *b = xenoctrl_buffer(x, sizeof(*b));
    memcpy(b, op, sizeof(*b));
    long r = xo_do_hypercall(x, __HYPERVISOR_mmuext_op, (uint64_t)(uintptr_t)b, 1, 0, domid);
    if (r < 0)
        return xo_fail(&x->log, (int)r, "%s of mfn %#llx of d%u", what, (unsigned long long)op->arg1.mfn,
                       domid);
    return 0;
}

int xenoctrl_pin_table(xenoctrl *x, uint32_t domid, unsigned int level, xen_pfn_t mfn)
{
    struct mmuext_op op;
    if (xo_marshal_pin(&op, level, mfn, true))
        return xo_fail(&x->log, -EINVAL, "pin of mfn %#llx of d%u: level %u", (unsigned long long)mfn,
                       domid, level);
    return mmuext(x, domid, &op, "pin");
}

int xenoctrl_unpin_table(xenoctrl *x, uint32_t domid, xen_pfn_t mfn)
{
    struct mmuext_op op;
    xo_marshal_pin(&op, 0, mfn, false);
    return mmuext(x, domid, &op, "unpin");
}

void *xenoctrl_map_foreign_bulk(xenoctrl *x, uint32_t domid, int prot, const xen_pfn_t *mfns,
                                int *errs, unsigned int n, int *rc)
{
    int local[64], *err = errs ? errs : (n <= 64 ? local : NULL);
    int r = 0;

    if (!n || !err) {
        r = xo_fail(&x->log, -EINVAL, "map_foreign d%u: %u frames (pass errs for more than 64)", domid, n);
        goto out;
    }
    void *addr = mmap(NULL, n * XO_PAGE_SIZE, prot, MAP_SHARED, x->privcmd_fd, 0);
    if (addr == MAP_FAILED) {
        r = xo_fail(&x->log, -errno, "map_foreign d%u: mmap of %u pages", domid, n);
        goto out;
    }
    memset(err, 0, n * sizeof(*err));
    struct privcmd_mmapbatch_v2 b = {
        .num = n, .dom = (uint16_t)domid, .addr = (uint64_t)(uintptr_t)addr, .arr = mfns, .err = err,
    };
    if (ioctl(x->privcmd_fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b) < 0)
        r = -errno;
    int first = xo_mmapbatch_first_error(err, n);
    if (r || first) {
        munmap(addr, n * XO_PAGE_SIZE);
        r = xo_fail(&x->log, first ? first : r, "map_foreign d%u: %u frames from mfn %#llx", domid, n,
                    (unsigned long long)mfns[0]);
        goto out;
    }
    if (rc)
        *rc = 0;
    return addr;
out:
    if (rc)
        *rc = r;
    return NULL;
}

void *xenoctrl_map_foreign_range(xenoctrl *x, uint32_t domid, int prot, xen_pfn_t first,
                                 unsigned int n, int *rc)
{
    xen_pfn_t arr[256];
    if (n > 256) {
        int r = xo_fail(&x->log, -EINVAL, "map_foreign_range d%u: %u frames (at most 256)", domid, n);
        if (rc)
            *rc = r;
        return NULL;
    }
    int errs[256];
    for (unsigned int i = 0; i < n; i++)
        arr[i] = first + i;
    return xenoctrl_map_foreign_bulk(x, domid, prot, arr, errs, n, rc);
}

int xenoctrl_unmap(xenoctrl *x, void *addr, unsigned int n)
{
    /* Linux drops the foreign PTEs, and with them the frames' references. */
    if (munmap(addr, n * XO_PAGE_SIZE) < 0)
        return xo_fail(&x->log, -errno, "unmap of %u pages at %p", n, addr);
    return 0;
}
