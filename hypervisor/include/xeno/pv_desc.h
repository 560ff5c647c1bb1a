/* SPDX-License-Identifier: MIT */
#ifndef XENO_PV_DESC_H
#define XENO_PV_DESC_H

/*
 * Guest descriptor tables of 64-bit PV vCPUs (GDT frames, LDT pages).
 *
 * The descriptor rule (arch/x86/pv/desc_check.c) is pure and runs hosted;
 * the rest (arch/x86/pv/gdt.c) maps the tables into each CPU's descriptor
 * area and keeps the frames' PGT_seg_desc_page references.
 */
#include "xeno/types.h"

/* Descriptor fields in the high 32 bits of an 8-byte descriptor (SDM vol. 3, 3.4.5). */
#define SEGD_TYPE   (UINT32_C(15) << 8)
#define SEGD_S      (UINT32_C(1) << 12)     /* code/data (1) or system (0) */
#define SEGD_DPL    (UINT32_C(3) << 13)
#define SEGD_P      (UINT32_C(1) << 15)
#define SEGD_L      (UINT32_C(1) << 21)

#define DESCS_PER_PAGE      512U
#define PV_GDT_MAX_FRAMES   14U                     /* pages 0..13; page 14 is the hypervisor's */
#define PV_GDT_MAX_ENTRIES  (PV_GDT_MAX_FRAMES * DESCS_PER_PAGE)
#define PV_LDT_MAX_ENTRIES  8192U                   /* 16-bit selector index, TI = 1 */
#define PV_LDT_MAX_PAGES    (PV_LDT_MAX_ENTRIES / DESCS_PER_PAGE)

/*
 * Xen's check_descriptor() for a 64-bit PV guest (xen/arch/x86/pv/
 * descriptor-tables.c). Returns false if *d may not be used; otherwise
 * true with *d possibly rewritten to what must be installed:
 *  - not present: accepted as is (it can only fault);
 *  - code/data (S = 1): accepted, DPL raised to 3 (the guest kernel runs in
 *    ring 3; __fixup_guest_selector() with GUEST_KERNEL_RPL = 3), no base
 *    or limit check (64-bit segments are flat);
 *  - system type 0: accepted as is (the upper half of a 16-byte call gate);
 *  - 64-bit call gate (type 12): target selector must be a guest GDT entry
 *    (index < 7168), FLAT_KERNEL_CS (0xe033) or an LDT selector, low byte
 *    of the high word (reserved) zero; it is stored with DPL 0 so every use
 *    faults into the hypervisor, the intended DPL kept in the selector RPL;
 *  - every other system descriptor (TSS, LDT, interrupt/trap gates, 16-bit
 *    gates): refused, so a guest can never plant a TSS or LDT descriptor.
 */
bool pv_check_descriptor(uint64_t *d);

/*
 * Validate a whole GDT/LDT frame (512 descriptors). All are checked first;
 * only if every one is acceptable are the rewrites of pv_check_descriptor()
 * stored, so on -EINVAL the frame is unchanged. Returns 0 or -EINVAL.
 */
int pv_check_desc_page(uint64_t *descs);

#ifndef XENO_HOSTED
struct vcpu;

/*
 * Per-CPU descriptor area, L4 slot 260 (Xen's PERDOMAIN slot, unused by
 * Xeno otherwise), 128 KiB per CPU:
 *   pages  0..13  the running vCPU's GDT frames (the shared zero page where
 *                 it has fewer), so selectors below 0xe000 index them;
 *   page   14     the CPU's reserved descriptors (cpu_load_descriptors());
 *   page   15     unmapped;
 *   pages 16..31  the running vCPU's LDT pages (zero page beyond them).
 * GDTR = { 0xefff, area }, the limit Xen uses (LAST_RESERVED_GDT_BYTE).
 */
#define PV_DESC_AREA_START  0xffff820000000000UL
#define PV_DESC_AREA_STRIDE (32UL * PAGE_SIZE)
#define PV_DESC_LDT_OFFSET  (16UL * PAGE_SIZE)

/* Context switch in (IRQs off): map v's GDT/LDT on this CPU, load LDTR. */
void pv_desc_load(struct vcpu *v);

/* Install `entries` descriptors from frames[] as v's GDT (Xen pv_set_gdt()):
 * up to 14 frames, each owned by v's domain and taking a PGT_seg_desc_page
 * type reference; the old frames' references are dropped. v must be current
 * or not running. 0 or -EINVAL. */
int pv_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int entries);
void pv_destroy_gdt(struct vcpu *v);

/* MMUEXT_SET_LDT: v's LDT is `ents` descriptors at guest VA `base` (page
 * aligned, ents <= 8192). The pages are looked up in v's kernel page tables
 * and take PGT_seg_desc_page references now (Xen does so on first use). A
 * page that is absent or not usable as a descriptor page is shown as zero
 * descriptors, so using it faults in the guest. 0 or -EINVAL. */
int pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents);
void pv_destroy_ldt(struct vcpu *v);

/* Drop every descriptor-table reference v holds (vCPU teardown; v must not
 * be running). */
void pv_vcpu_destroy_desc(struct vcpu *v);

/* mm_env.check_seg_desc: validate (and fix up) a frame about to become
 * PGT_seg_desc_page. */
int pv_check_seg_desc(void *ctx, const uint64_t *descs);
#endif

#endif
