/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: ELF note types a PV kernel uses to
 * describe itself to the domain builder.  Notes sit in a PT_NOTE segment
 * with owner name "Xen"; "numeric" payloads are 4 or 8 bytes (judged by
 * descsz), "string" payloads are NUL-terminated ASCII.
 */
#ifndef XENO_PUBLIC_ELFNOTE_H
#define XENO_PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_INFO                0   /* string: NAME=VALUE */
#define XEN_ELFNOTE_ENTRY               1   /* numeric: entry point VA */
#define XEN_ELFNOTE_HYPERCALL_PAGE      2   /* numeric: VA to fill with stubs */
#define XEN_ELFNOTE_VIRT_BASE           3   /* numeric: VA the image is linked at */
#define XEN_ELFNOTE_PADDR_OFFSET        4   /* numeric: subtracted from p_paddr */
#define XEN_ELFNOTE_XEN_VERSION         5   /* string, e.g. "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS            6   /* string, e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION       7   /* string */
#define XEN_ELFNOTE_LOADER              8   /* string, e.g. "generic" */
#define XEN_ELFNOTE_PAE_MODE            9   /* string, 32-bit guests only */
#define XEN_ELFNOTE_FEATURES           10   /* string: '|'-separated XENFEAT names, '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB         11   /* string "yes"/"no": load the symbol table */
#define XEN_ELFNOTE_HV_START_LOW       12   /* numeric: lowest start of the hypervisor hole */
#define XEN_ELFNOTE_L1_MFN_VALID       13   /* numeric pairs: mask/value of PTEs holding MFNs */
#define XEN_ELFNOTE_SUSPEND_CANCEL     14   /* numeric: supports cancelled suspend */
#define XEN_ELFNOTE_INIT_P2M           15   /* numeric: VA for the initial p2m (x86-64) */
#define XEN_ELFNOTE_MOD_START_PFN      16   /* numeric: initrd may be passed as a PFN */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17   /* numeric: XENFEAT bitmap (word 0) */
#define XEN_ELFNOTE_PHYS32_ENTRY       18   /* numeric: 32-bit PVH entry (ignored for PV) */
#define XEN_ELFNOTE_PHYS32_RELOC       19   /* up to 3 x u32: PVH relocation limits */

#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_RELOC

/* Notes written into crash dumps and core files, not read from kernels. */
#define XEN_ELFNOTE_CRASH_INFO               0x1000001
#define XEN_ELFNOTE_CRASH_REGS               0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE            0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER          0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION     0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION  0x2000003

#endif /* XENO_PUBLIC_ELFNOTE_H */
