/* SPDX-License-Identifier: MIT */
/* set_gdt and update_descriptor: guest GDT/LDT frames (to be wired). */
#include <xeno/errno.h>
#include <xeno/hypercall.h>

long do_set_gdt(HC_ARGS)
{
    return -ENOSYS;
}

long do_update_descriptor(HC_ARGS)
{
    return -ENOSYS;
}
