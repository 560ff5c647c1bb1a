/* SPDX-License-Identifier: MIT */
/*
 * libxenoctrl: mapping other domains' grants through /dev/xen/gntdev
 * (Linux's drivers/xen/gntdev.c): MAP_GRANT_REF reserves an offset, an
 * mmap of it maps the grants; unmapping is munmap plus UNMAP_GRANT_REF
 * for the offset (looked up from the address).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xenoctrl_priv.h"

struct xenoctrl_gnttab {
    int fd;
    struct xo_logger log;
};

int xenoctrl_gnttab_open(xenoctrl_gnttab **out)
{
    struct xo_logger boot;
    xo_logger_init(&boot);
    xenoctrl_gnttab *g = calloc(1, sizeof(*g));
    if (!g)
        return xo_fail(&boot, -ENOMEM, "gnttab: handle");
    xo_logger_init(&g->log);
    g->fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
    if (g->fd < 0) {
        int rc = xo_fail(&boot, -errno, "open /dev/xen/gntdev");
        free(g);
        return rc;
    }
    *out = g;
    return 0;
}

void xenoctrl_gnttab_close(xenoctrl_gnttab *g)
{
    if (!g)
        return;
    close(g->fd);
    free(g);
}

void xenoctrl_gnttab_set_logger(xenoctrl_gnttab *g, xenoctrl_log_fn *fn, void *ctx)
{
    g->log.fn = fn;
    g->log.ctx = ctx;
}

void *xenoctrl_gnttab_map(xenoctrl_gnttab *g, unsigned int n, const uint32_t *domids,
                          const uint32_t *refs, int prot, int *rc)
{
    int r;
    void *addr = NULL;
    struct ioctl_gntdev_map_grant_ref *m = n ? calloc(1, xo_gntdev_map_size(n)) : NULL;

    if (!m) {
        r = xo_fail(&g->log, n ? -ENOMEM : -EINVAL, "gnttab map of %u grants", n);
        goto out;
    }
    m->count = n;
    for (unsigned int i = 0; i < n; i++) {
        m->refs[i].domid = domids[i];
        m->refs[i].ref = refs[i];
    }
    if (ioctl(g->fd, IOCTL_GNTDEV_MAP_GRANT_REF, m) < 0) {
        r = xo_fail(&g->log, -errno, "gnttab map of d%u ref %u (+%u)", domids[0], refs[0], n - 1);
        goto out;
    }
    addr = mmap(NULL, n * XO_PAGE_SIZE, prot, MAP_SHARED, g->fd, (off_t)m->index);
    if (addr == MAP_FAILED) {
        /* The grant operation happens at mmap; undo the reservation. */
        r = xo_fail(&g->log, -errno, "gnttab mmap of d%u ref %u (+%u)", domids[0], refs[0], n - 1);
        struct ioctl_gntdev_unmap_grant_ref u = { .index = m->index, .count = n };
        ioctl(g->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
        addr = NULL;
        goto out;
    }
    r = 0;
out:
    free(m);
    if (rc)
        *rc = r;
    return addr;
}

int xenoctrl_gnttab_unmap(xenoctrl_gnttab *g, void *addr, unsigned int n)
{
    struct ioctl_gntdev_get_offset_for_vaddr o = { .vaddr = (uint64_t)(uintptr_t)addr };
    if (ioctl(g->fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &o) < 0)
        return xo_fail(&g->log, -errno, "gnttab unmap at %p: not a grant mapping", addr);
    if (munmap(addr, n * XO_PAGE_SIZE) < 0)
        return xo_fail(&g->log, -errno, "gnttab munmap at %p", addr);
    struct ioctl_gntdev_unmap_grant_ref u = { .index = o.offset, .count = n };
    if (ioctl(g->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) < 0)
        return xo_fail(&g->log, -errno, "gnttab release of offset %#llx", (unsigned long long)o.offset);
    return 0;
}
