/* SPDX-License-Identifier: MIT */
/*
 * The rule for descriptors a 64-bit PV guest puts in its GDT or LDT
 * (HYPERVISOR_set_gdt frames, MMUEXT_SET_LDT pages, update_descriptor).
 * Pure: no hardware, no globals; tested hosted (tests/unit/test_desc_check.c).
 *
 * Why the rule is safe: the guest kernel runs in ring 3, so a descriptor it
 * can use must have DPL 3 (lower DPLs are raised, as Xen does, because
 * Linux writes __KERNEL_CS with DPL 0 and then runs on __KERNEL_CS|3); no
 * system descriptor other than a call gate ever reaches the CPU's tables,
 * so neither a TSS (I/O bitmap, stack pointers) nor an LDT descriptor can be
 * forged; call gates get DPL 0, so using one always raises #GP into the
 * hypervisor instead of a ring transition.
 */
#include "asm/config.h"
#include "xen/xen.h"
#include "xeno/errno.h"
#include "xeno/pv_desc.h"

/* Where a call gate may lead (Xen guest_gate_selector_okay(), 64-bit). */
static bool gate_selector_ok(uint32_t sel)
{
    return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY ||   /* a guest GDT entry */
           sel == FLAT_KERNEL_CS ||                    /* 0xe033, the flat kernel CS */
           (sel & 4);                                   /* an LDT entry */
}

bool pv_check_descriptor(uint64_t *d)
{
    uint32_t a = (uint32_t)*d, b = (uint32_t)(*d >> 32);

    /* Not present: any use faults (#NP/#GP), so the contents do not matter. */
    if (!(b & SEGD_P))
        return true;

    /* 64-bit PV: GUEST_KERNEL_RPL is 3, so every DPL below 3 becomes 3. */
    uint32_t dpl = 3;
    b = (b & ~SEGD_DPL) | (dpl << 13);

    /* Code and data: no base/limit check, long mode ignores them for
     * everything but FS/GS, whose bases the guest sets anyway. */
    if (b & SEGD_S)
        goto good;

    /* System type 0 is "reserved/invalid" to the CPU, so harmless; it is
     * the upper half of a 16-byte call gate. Xen keeps it unmodified. */
    if ((b & SEGD_TYPE) == 0)
        return true;

    /* Only the 64-bit call gate (type 12) survives. */
    if ((b & SEGD_TYPE) != (UINT32_C(12) << 8))
        return false;

    uint32_t cs = a >> 16;
    if (!gate_selector_ok(cs))
        return false;
    /* DPL 0: a guest "lcall" through it always faults to the hypervisor
     * (ring 3 kernel and user cannot be told apart by the CPU); the wanted
     * DPL is kept in the target selector's RPL for the emulator. */
    b &= ~SEGD_DPL;
    cs = (cs & ~3U) | dpl;
    a = (a & 0xffff) | (cs << 16);
    /* Bits 0..7 of the high word are reserved in a 64-bit call gate. */
    if (b & 0xff)
        return false;

good:
    *d = ((uint64_t)b << 32) | a;
    return true;
}

int pv_check_desc_page(uint64_t *descs)
{
    /* First pass: judge without writing, so a refused frame stays as the
     * guest wrote it (Xen fixes entries up as it goes and leaves the ones
     * before the bad entry rewritten). */
    for (unsigned int i = 0; i < DESCS_PER_PAGE; i++) {
        uint64_t d = descs[i];
        if (!pv_check_descriptor(&d))
            return -EINVAL;
    }
    for (unsigned int i = 0; i < DESCS_PER_PAGE; i++) {
        uint64_t d = descs[i];
        pv_check_descriptor(&d);
        if (d != descs[i])
            descs[i] = d;
    }
    return 0;
}
