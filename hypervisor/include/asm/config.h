/* SPDX-License-Identifier: MIT */
#ifndef ASM_CONFIG_H
#define ASM_CONFIG_H

/*
 * Virtual memory layout.  The 64-bit PV ABI gives the hypervisor L4 slots
 * 256..271 (0xffff800000000000 - 0xffff87ffffffffff, HYPERVISOR_VIRT_START/END
 * in xen/arch-x86/xen-x86_64.h); everything else belongs to the guest, so all
 * of Xeno lives inside that window, at the addresses Xen uses where a guest can
 * see them (the read-only M2P) and where debuggers expect them (the image).
 *
 *  0xffff800000000000  slot 256  read-only M2P, guest-visible (later)
 *  0xffff82d080000000  slot 261  hypervisor image: maps physical [0, 1 GiB)
 *  0xffff830000000000  slot 262+ direct map of all RAM (up to 5 TiB)
 */
#define HYPERVISOR_VIRT_START   0xffff800000000000
#define HYPERVISOR_VIRT_END     0xffff880000000000
#define RO_MPT_VIRT_START       0xffff800000000000
#define XEN_VIRT_START          0xffff82d080000000
#define XEN_VIRT_SIZE           0x40000000          /* 1 GiB, one L2 of 2 MiB pages */
#define DIRECTMAP_VIRT_START    0xffff830000000000
#define DIRECTMAP_VIRT_END      0xffff880000000000

/* Where loaders put the image: 2 MiB keeps it clear of firmware below 1 MiB
 * and lets one 2 MiB page of the boot map cover its start. */
#define XENO_LOAD_PHYS          0x200000

#define L4_SLOT_XEN_IMAGE       261
#define L4_SLOT_DIRECTMAP       262

#define STACK_ORDER             3                   /* 32 KiB per-CPU stacks */
#define STACK_SIZE              (4096 << STACK_ORDER)
#define NR_CPUS                 64
#define CPU_INFO_SIZE           256                 /* sizeof(struct cpu_info), checked in percpu.h */

/* Hypervisor selectors at Xen's positions in the reserved GDT page 14 (0xe000),
 * so guest selectors FLAT_RING3_* (0xe023/0xe02b/0xe033) sit where the ABI says. */
#define FIRST_RESERVED_GDT_PAGE 14
#define FIRST_RESERVED_GDT_BYTE (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)
#define __HYPERVISOR_CS         0xe008
#define __HYPERVISOR_DS32       0xe010
#define __HYPERVISOR_DS         0xe010
#define FLAT_RING3_CS32_SEL     0xe023
#define FLAT_RING3_DS32_SEL     0xe02b
#define FLAT_RING3_CS64_SEL     0xe033
#define __HYPERVISOR_CS32       0xe038
#define TSS_SELECTOR            0xe040
#define LDT_SELECTOR            0xe050
#define GDT_ENTRIES             (FIRST_RESERVED_GDT_ENTRY + 512)

#ifndef __ASSEMBLY__
#define __pa_image(x)  ((unsigned long)(x) - XEN_VIRT_START)
#endif

#endif
