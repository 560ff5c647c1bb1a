/* SPDX-License-Identifier: MIT */
/* grant_table_op: hypercall glue over common/grant_table.c (to be wired). */
#include <xeno/errno.h>
#include <xeno/hypercall.h>

long do_grant_table_op(HC_ARGS)
{
    return -ENOSYS;
}
