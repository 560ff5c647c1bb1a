/* SPDX-License-Identifier: MIT */
/*
 * libxenobuild: vCPU 0's first context and the seeded grant entries, as
 * libxenguest sets them for a 64-bit PV guest (xg_dom_x86.c vcpu_x86_64,
 * xg_dom_boot.c xc_dom_gnttab_seed).
 */
#include <string.h>
#include <xen/grant_table.h>

#include "xb_priv.h"

void xb_boot_context(const struct xb_kernel *k, const struct pv_layout *l, xen_pfn_t l4_mfn,
                     vcpu_guest_context_t *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    /* Starts in kernel mode (no user L4 needed) and online, so unpausing
     * the domain runs it. */
    ctx->flags = VGCF_in_kernel | VGCF_online;
    ctx->user_regs.rip = k->info.entry;
    ctx->user_regs.rsp = l->boot_sp;
    ctx->user_regs.rsi = l->start_info_va;     /* Linux: xen_start_info */
    ctx->user_regs.rflags = (1u << 9) | (1u << 1);      /* IF, and bit 1 reads as one */
    ctx->user_regs.cs = FLAT_KERNEL_CS;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->user_regs.ds = FLAT_KERNEL_DS;
    ctx->user_regs.es = FLAT_KERNEL_DS;
    ctx->user_regs.fs = FLAT_KERNEL_DS;
    ctx->user_regs.gs = FLAT_KERNEL_DS;
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = l->boot_sp;
    ctx->ctrlreg[3] = xen_pfn_to_cr3(l4_mfn);
}

void xb_grant_seed(void *frame, uint32_t console_domid, xen_pfn_t console_gfn, uint32_t store_domid,
                   xen_pfn_t store_gfn)
{
    struct grant_entry_v1 *e = frame;
    /* Grantee and frame before the flags that make the entry valid. */
    e[GNTTAB_RESERVED_CONSOLE].domid = (domid_t)console_domid;
    e[GNTTAB_RESERVED_CONSOLE].frame = (uint32_t)console_gfn;
    e[GNTTAB_RESERVED_XENSTORE].domid = (domid_t)store_domid;
    e[GNTTAB_RESERVED_XENSTORE].frame = (uint32_t)store_gfn;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e[GNTTAB_RESERVED_CONSOLE].flags = GTF_permit_access;
    e[GNTTAB_RESERVED_XENSTORE].flags = GTF_permit_access;
}
