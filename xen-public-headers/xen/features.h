/* SPDX-License-Identifier: MIT */
/*
 * Xeno's statement of the Xen PV ABI: feature bits reported by
 * XENVER_get_features (bit n lives in submap n / 32, bit n % 32) and
 * requested by a guest kernel in its XEN_ELFNOTE_SUPPORTED_FEATURES note.
 */
#ifndef XENO_PUBLIC_FEATURES_H
#define XENO_PUBLIC_FEATURES_H

#define XENFEAT_writable_page_tables       0   /* guest may write its page tables directly */
#define XENFEAT_writable_descriptor_tables 1   /* ... and its GDT/LDT */
#define XENFEAT_auto_translated_physmap    2   /* hypervisor does the p2m (not PV) */
#define XENFEAT_supervisor_mode_kernel     3   /* guest kernel runs in ring 0 */
#define XENFEAT_pae_pgdir_above_4gb        4   /* PAE L3 may live above 4 GiB */
#define XENFEAT_mmu_pt_update_preserve_ad  5   /* MMU_PT_UPDATE_PRESERVE_AD exists */
#define XENFEAT_highmem_assist             6   /* MMUEXT_{CLEAR,COPY}_PAGE exist */
#define XENFEAT_gnttab_map_avail_bits      7   /* GNTMAP_guest_avail_mask honoured */
#define XENFEAT_hvm_callback_vector        8
#define XENFEAT_hvm_safe_pvclock           9
#define XENFEAT_hvm_pirqs                 10
#define XENFEAT_dom0                      11   /* may run as dom0 */
#define XENFEAT_grant_map_identity        12   /* deprecated; do not rely on it */
#define XENFEAT_memory_op_vnode_supported 13   /* XENMEMF_vnode accepted */
#define XENFEAT_ARM_SMCCC_supported       14
#define XENFEAT_linux_rsdp_unrestricted   15
#define XENFEAT_not_direct_mapped         16
#define XENFEAT_direct_mapped             17
#define XENFEAT_runstate_phys_area        18   /* VCPUOP_register_runstate_phys_area */
#define XENFEAT_vcpu_time_phys_area       19   /* VCPUOP_register_vcpu_time_phys_area */
#define XENFEAT_dm_msix_all_writes        20

/* Number of 32-bit feature words. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* XENO_PUBLIC_FEATURES_H */
