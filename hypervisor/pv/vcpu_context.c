/* SPDX-License-Identifier: MIT */
/* VCPUOP_initialise: a secondary vCPU's start state from a vcpu_guest_context (to be wired). */
#include <xeno/errno.h>
#include <xeno/pv.h>

long pv_vcpu_initialise(struct vcpu *v, uint64_t ctx_va)
{
    (void)v;
    (void)ctx_va;
    return -ENOSYS;
}
