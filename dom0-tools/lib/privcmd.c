/* SPDX-License-Identifier: MIT */
/*
 * The privcmd handle: hypercalls through IOCTL_PRIVCMD_HYPERCALL, with
 * arguments copied into a hypercall-safe buffer.  The hypervisor reads
 * and writes a caller's buffers through the caller's page tables while it
 * runs and cannot fault pages in, so they must be present and stay so:
 * /dev/xen/hypercall hands out such pages (Linux privcmd-buf.c); without
 * it, locked and pre-touched anonymous memory does the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xenoctrl_priv.h"

static void *buffer_map(bool *from_device)
{
    size_t len = XO_BUF_PAGES * XO_PAGE_SIZE;
    int fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);                  /* the mapping keeps the pages */
        if (p != MAP_FAILED) {
            *from_device = true;
            return p;
        }
    }
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    memset(p, 0, len);              /* present and writable now ... */
    (void)mlock(p, len);            /* ... and not swapped out later */
    *from_device = false;
    return p;
}

int xenoctrl_open(xenoctrl **out)
{
    struct xo_logger boot;
    xo_logger_init(&boot);
    xenoctrl *x = calloc(1, sizeof(*x));
    if (!x)
        return xo_fail(&boot, -ENOMEM, "open: handle");
    xo_logger_init(&x->log);
    x->privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (x->privcmd_fd < 0)
        x->privcmd_fd = open("/proc/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (x->privcmd_fd < 0) {
        int rc = xo_fail(&boot, -errno, "open /dev/xen/privcmd");
        free(x);
        return rc;
    }
    x->buf = buffer_map(&x->buf_from_device);
    if (!x->buf) {
        int rc = xo_fail(&boot, -errno, "hypercall buffer");
        close(x->privcmd_fd);
        free(x);
        return rc;
    }
    *out = x;
    return 0;
}

void xenoctrl_close(xenoctrl *x)
{
    if (!x)
        return;
    munmap(x->buf, XO_BUF_PAGES * XO_PAGE_SIZE);
    close(x->privcmd_fd);
    free(x);
}

void xenoctrl_set_logger(xenoctrl *x, xenoctrl_log_fn *fn, void *ctx)
{
    x->log.fn = fn;
    x->log.ctx = ctx;
}

const char *xenoctrl_last_error(const xenoctrl *x)
{
    return x->log.last;
}

void *xenoctrl_buffer(xenoctrl *x, size_t len)
{
    size_t at = (x->buf_used + 15) & ~(size_t)15;
    if (len > XO_BUF_PAGES * XO_PAGE_SIZE - at)
        return NULL;
    x->buf_used = at + len;
    return (char *)x->buf + at;
}

void xenoctrl_buffer_release(xenoctrl *x)
{
    x->buf_used = 0;
}

static long raw_hypercall(xenoctrl *x, unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3,
                          uint64_t a4, uint64_t a5)
{
    struct privcmd_hypercall h = { .op = op, .arg = { a1, a2, a3, a4, a5 } };
    long r = ioctl(x->privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    /* Linux returns the hypercall's own result; a negative one is errno. */
    return r < 0 ? -errno : r;
}

long xenoctrl_hypercall(xenoctrl *x, unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3,
                        uint64_t a4, uint64_t a5)
{
    long r = raw_hypercall(x, op, a1, a2, a3, a4, a5);
    if (r < 0)
        xo_fail(&x->log, (int)r, "hypercall %u", op);
    return r;
}

/* Internal: a domctl whose side buffers are already in the buffer. */
int xo_do_domctl(xenoctrl *x, struct xen_domctl *op)
{
    size_t mark = x->buf_used;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    struct xen_domctl *b = xenoctrl_buffer(x, sizeof(*b));
    if (!b)
        return xo_fail(&x->log, -ENOBUFS, "domctl %s on d%u: hypercall buffer full",
                       xo_domctl_name(op->cmd), op->domain);
    memcpy(b, op, sizeof(*b));
    long r = raw_hypercall(x, __HYPERVISOR_domctl, (uint64_t)(uintptr_t)b, 0, 0, 0, 0);
    x->buf_used = mark;         /* the copy of the op is not needed after the call */
    if (r < 0)
        return xo_fail(&x->log, (int)r, "domctl %s on d%u", xo_domctl_name(op->cmd), op->domain);
    memcpy(op, b, sizeof(*op));
    return 0;
}

int xo_do_sysctl(xenoctrl *x, struct xen_sysctl *op)
{
    size_t mark = x->buf_used;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    struct xen_sysctl *b = xenoctrl_buffer(x, sizeof(*b));
    if (!b)
        return xo_fail(&x->log, -ENOBUFS, "sysctl %s: hypercall buffer full", xo_sysctl_name(op->cmd));
    memcpy(b, op, sizeof(*b));
    long r = raw_hypercall(x, __HYPERVISOR_sysctl, (uint64_t)(uintptr_t)b, 0, 0, 0, 0);
    x->buf_used = mark;
    if (r < 0)
        return xo_fail(&x->log, (int)r, "sysctl %s", xo_sysctl_name(op->cmd));
    memcpy(op, b, sizeof(*op));
    return 0;
}

/* Internal: memory_op / mmuext_op with an argument already in the buffer. */
long xo_do_hypercall(xenoctrl *x, unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return raw_hypercall(x, op, a1, a2, a3, a4, 0);
}

/* The raw calls keep what xenoctrl_buffer() handed out: the op may point there. */
int xenoctrl_domctl(xenoctrl *x, struct xen_domctl *op)
{
    return xo_do_domctl(x, op);
}

int xenoctrl_sysctl(xenoctrl *x, struct xen_sysctl *op)
{
    return xo_do_sysctl(x, op);
}
