/* SPDX-License-Identifier: MIT */
/*
 * Null hypercalls: the cost of entering and leaving the hypervisor.
 *  - xen_version(XENVER_version, NULL): the classic null hypercall (Linux
 *    uses it to force event delivery), inline `syscall` as Linux 6.1 does;
 *  - an unknown hypercall number (63: inside the 64-entry table of both
 *    hypervisors, no handler), which must come back -ENOSYS.
 */
#include "pvbench.h"

#define NULL_ITERS 200
#define BAD_HYPERCALL 63

static long version;

static bool block_version(unsigned int iters)
{
    unsigned int i;

    for (i = 0; i < iters; i++)
        if (HYPERVISOR_xen_version(XENVER_version, NULL) != version)
            return false;
    return true;
}

static bool block_enosys(unsigned int iters)
{
    unsigned int i;

    for (i = 0; i < iters; i++)
        if (xen_hc_syscall(BAD_HYPERCALL, 0, 0, 0, 0, 0) != -ENOSYS)
            return false;
    return true;
}

void bench_null_hypercalls(void)
{
    version = HYPERVISOR_xen_version(XENVER_version, NULL);
    CHECK(version > 0, "xen_version(XENVER_version) = %#lx", version);
    CHECK_EQ(xen_hc_syscall(BAD_HYPERCALL, 0, 0, 0, 0, 0), -ENOSYS,
             "hypercall %d -> -ENOSYS", BAD_HYPERCALL);
    CHECK(pvbench_run("null_hypercall_xen_version", block_version, NULL_ITERS, NULL, 1),
          "null hypercall (xen_version) benchmark ran");
    CHECK(pvbench_run("null_hypercall_enosys", block_enosys, NULL_ITERS, NULL, 1),
          "null hypercall (-ENOSYS) benchmark ran");
}
