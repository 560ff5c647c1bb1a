/* SPDX-License-Identifier: MIT */
/* libxenoctrl: the host (XEN_SYSCTL_*). */
#include <errno.h>
#include <string.h>

#include "xenoctrl_priv.h"

int xenoctrl_physinfo(xenoctrl *x, struct xenoctrl_physinfo *pi)
{
    struct xen_sysctl op;
    xenoctrl_buffer_release(x);
    xo_sysctl_prepare(&op, XEN_SYSCTL_physinfo);
    int rc = xo_do_sysctl(x, &op);
    if (!rc)
        xo_decode_physinfo(&op.u.physinfo, pi);
    return rc;
}

long xenoctrl_readconsole(xenoctrl *x, char *buf, size_t size, uint32_t *index, bool incremental,
                          bool clear)
{
    size_t got = 0;
    uint32_t idx = index ? *index : 0;

    if (!size)
        return xo_fail(&x->log, -EINVAL, "readconsole: no room");
    /* In chunks through the hypercall buffer; the first read decides
     * where to start, the rest continue incrementally from there. */
    while (got < size - 1) {
        size_t want = size - 1 - got < 16384 ? size - 1 - got : 16384;
        struct xen_sysctl op;
        xenoctrl_buffer_release(x);
        char *b = xenoctrl_buffer(x, want);
        xo_sysctl_prepare(&op, XEN_SYSCTL_readconsole);
        op.u.readconsole.incremental = got ? 1 : incremental;
        op.u.readconsole.index = idx;
        op.u.readconsole.clear = clear;
        op.u.readconsole.buffer = (uint64_t)(uintptr_t)b;
        op.u.readconsole.count = (uint32_t)want;
        int rc = xo_do_sysctl(x, &op);
        if (rc)
            return rc;
        memcpy(buf + got, b, op.u.readconsole.count);
        got += op.u.readconsole.count;
        idx = op.u.readconsole.index;
        if (op.u.readconsole.count < want)
            break;
    }
    buf[got] = 0;
    if (index)
        *index = idx;
    return (long)got;
}

int xenoctrl_sched_id(xenoctrl *x, uint32_t *sched_id)
{
    struct xen_sysctl op;
    xenoctrl_buffer_release(x);
    xo_sysctl_prepare(&op, XEN_SYSCTL_sched_id);
    int rc = xo_do_sysctl(x, &op);
    if (!rc)
        *sched_id = op.u.sched_id.sched_id;
    return rc;
}

int xenoctrl_cpu_idle(xenoctrl *x, unsigned int max, uint64_t *idle_ns)
{
    struct xen_sysctl op;
    if (max > 1024)
        max = 1024;
    xenoctrl_buffer_release(x);
    struct xen_sysctl_cpuinfo *ci = xenoctrl_buffer(x, max * sizeof(*ci));
    xo_sysctl_prepare(&op, XEN_SYSCTL_getcpuinfo);
    op.u.getcpuinfo.max_cpus = max;
    op.u.getcpuinfo.info = (uint64_t)(uintptr_t)ci;
    int rc = xo_do_sysctl(x, &op);
    if (rc)
        return rc;
    for (unsigned int i = 0; i < op.u.getcpuinfo.nr_cpus; i++)
        idle_ns[i] = ci[i].idletime;
    return (int)op.u.getcpuinfo.nr_cpus;
}

int xenoctrl_debug_keys(xenoctrl *x, const char *keys)
{
    struct xen_sysctl op;
    size_t n = strlen(keys);
    xenoctrl_buffer_release(x);
    char *b = xenoctrl_buffer(x, n + 1);
    if (!b)
        return xo_fail(&x->log, -E2BIG, "debug_keys: %zu keys", n);
    memcpy(b, keys, n + 1);
    xo_sysctl_prepare(&op, XEN_SYSCTL_debug_keys);
    op.u.debug_keys.keys = (uint64_t)(uintptr_t)b;
    op.u.debug_keys.nr_keys = (uint32_t)n;
    return xo_do_sysctl(x, &op);
}
