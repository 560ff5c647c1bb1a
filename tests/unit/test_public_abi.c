// UNIT-SOURCES:
/* SPDX-License-Identifier: MIT */
/*
 * Run-time record of the Xen PV ABI as stated in xen-public-headers/.
 * The headers already _Static_assert the main layouts; this test repeats
 * them with sizeof/offsetof so a failure names the field, adds the
 * numeric constants guests depend on, and exercises the ring macros.
 * Every expected number below is the x86-64 reference ABI value.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/nmi.h>
#include <xen/physdev.h>
#include <xen/platform.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/io/blkif.h>
#include <xen/io/console.h>
#include <xen/io/netif.h>
#include <xen/io/ring.h>
#include <xen/io/xenbus.h>
#include <xen/io/xs_wire.h>

#include <CUnit/CUnit.h>
#include "unit.h"

#define SIZE(type, n)        CU_ASSERT_EQUAL(sizeof(type), (size_t)(n))
#define OFF(type, field, n)  CU_ASSERT_EQUAL(offsetof(type, field), (size_t)(n))
#define VAL(expr, n)         CU_ASSERT_EQUAL((long long)(expr), (long long)(n))

/* ---- hypercall numbers (the set Linux 6.1 issues, plus the rest) ---- */

static void test_hypercall_numbers(void)
{
    VAL(__HYPERVISOR_set_trap_table, 0);
    VAL(__HYPERVISOR_mmu_update, 1);
    VAL(__HYPERVISOR_set_gdt, 2);
    VAL(__HYPERVISOR_stack_switch, 3);
    VAL(__HYPERVISOR_set_callbacks, 4);
    VAL(__HYPERVISOR_fpu_taskswitch, 5);
    VAL(__HYPERVISOR_sched_op_compat, 6);
    VAL(__HYPERVISOR_platform_op, 7);
    VAL(__HYPERVISOR_set_debugreg, 8);
    VAL(__HYPERVISOR_get_debugreg, 9);
    VAL(__HYPERVISOR_update_descriptor, 10);
    VAL(__HYPERVISOR_memory_op, 12);
    VAL(__HYPERVISOR_multicall, 13);
    VAL(__HYPERVISOR_update_va_mapping, 14);
    VAL(__HYPERVISOR_set_timer_op, 15);
    VAL(__HYPERVISOR_event_channel_op_compat, 16);
    VAL(__HYPERVISOR_xen_version, 17);
    VAL(__HYPERVISOR_console_io, 18);
    VAL(__HYPERVISOR_physdev_op_compat, 19);
    VAL(__HYPERVISOR_grant_table_op, 20);
    VAL(__HYPERVISOR_vm_assist, 21);
    VAL(__HYPERVISOR_update_va_mapping_otherdomain, 22);
    VAL(__HYPERVISOR_iret, 23);
    VAL(__HYPERVISOR_vcpu_op, 24);
    VAL(__HYPERVISOR_set_segment_base, 25);
    VAL(__HYPERVISOR_mmuext_op, 26);
    VAL(__HYPERVISOR_xsm_op, 27);
    VAL(__HYPERVISOR_nmi_op, 28);
    VAL(__HYPERVISOR_sched_op, 29);
    VAL(__HYPERVISOR_callback_op, 30);
    VAL(__HYPERVISOR_xenoprof_op, 31);
    VAL(__HYPERVISOR_event_channel_op, 32);
    VAL(__HYPERVISOR_physdev_op, 33);
    VAL(__HYPERVISOR_hvm_op, 34);
    VAL(__HYPERVISOR_sysctl, 35);
    VAL(__HYPERVISOR_domctl, 36);
    VAL(__HYPERVISOR_kexec_op, 37);
    VAL(__HYPERVISOR_tmem_op, 38);
    VAL(__HYPERVISOR_argo_op, 39);
    VAL(__HYPERVISOR_xenpmu_op, 40);
    VAL(__HYPERVISOR_dm_op, 41);
    VAL(__HYPERVISOR_hypfs_op, 42);
    VAL(__HYPERVISOR_mca, 48);
    VAL(__HYPERVISOR_arch_0, 48);
    VAL(__HYPERVISOR_arch_7, 55);
    /* Every stub is 32 bytes, so the whole table must fit one 4 KiB page. */
    CU_ASSERT((__HYPERVISOR_arch_7 + 1) * 32 <= 4096);
}

static void test_core_constants(void)
{
    VAL(DOMID_FIRST_RESERVED, 0x7FF0);
    VAL(DOMID_SELF, 0x7FF0);
    VAL(DOMID_IO, 0x7FF1);
    VAL(DOMID_XEN, 0x7FF2);
    VAL(DOMID_COW, 0x7FF3);
    VAL(DOMID_INVALID, 0x7FF4);
    VAL(DOMID_ANY, 0x7FF5);
    VAL(DOMID_IDLE, 0x7FFF);

    VAL(MMU_NORMAL_PT_UPDATE, 0);
    VAL(MMU_MACHPHYS_UPDATE, 1);
    VAL(MMU_PT_UPDATE_PRESERVE_AD, 2);
    VAL(MMU_PT_UPDATE_NO_TRANSLATE, 3);
    VAL(MMUEXT_PIN_L1_TABLE, 0);
    VAL(MMUEXT_PIN_L4_TABLE, 3);
    VAL(MMUEXT_UNPIN_TABLE, 4);
    VAL(MMUEXT_NEW_BASEPTR, 5);
    VAL(MMUEXT_TLB_FLUSH_LOCAL, 6);
    VAL(MMUEXT_INVLPG_LOCAL, 7);
    VAL(MMUEXT_TLB_FLUSH_MULTI, 8);
    VAL(MMUEXT_INVLPG_MULTI, 9);
    VAL(MMUEXT_TLB_FLUSH_ALL, 10);
    VAL(MMUEXT_INVLPG_ALL, 11);
    VAL(MMUEXT_FLUSH_CACHE, 12);
    VAL(MMUEXT_SET_LDT, 13);
    VAL(MMUEXT_NEW_USER_BASEPTR, 15);
    VAL(MMUEXT_CLEAR_PAGE, 16);
    VAL(MMUEXT_COPY_PAGE, 17);
    VAL(MMUEXT_FLUSH_CACHE_GLOBAL, 18);
    VAL(MMUEXT_MARK_SUPER, 19);
    VAL(MMUEXT_UNMARK_SUPER, 20);

    VAL(UVMF_NONE, 0);
    VAL(UVMF_TLB_FLUSH, 1);
    VAL(UVMF_INVLPG, 2);
    VAL(UVMF_FLUSHTYPE_MASK, 3);
    VAL(UVMF_LOCAL, 0);
    VAL(UVMF_ALL, 4);

    VAL(CONSOLEIO_write, 0);
    VAL(CONSOLEIO_read, 1);
    VAL(VMASST_CMD_enable, 0);
    VAL(VMASST_CMD_disable, 1);
    VAL(VMASST_TYPE_writable_pagetables, 2);
    VAL(VMASST_TYPE_pae_extended_cr3, 3);
    VAL(VMASST_TYPE_architectural_iopl, 4);
    VAL(VMASST_TYPE_runstate_update_flag, 5);
    VAL(VMASST_TYPE_m2p_strict, 32);

    VAL(VIRQ_TIMER, 0);
    VAL(VIRQ_DEBUG, 1);
    VAL(VIRQ_CONSOLE, 2);
    VAL(VIRQ_DOM_EXC, 3);
    VAL(VIRQ_DEBUGGER, 6);
    VAL(VIRQ_CON_RING, 8);
    VAL(VIRQ_PCPU_STATE, 9);
    VAL(VIRQ_ENOMEM, 12);
    VAL(VIRQ_MCA, 16);
    VAL(NR_VIRQS, 24);

    VAL(SIF_PRIVILEGED, 1);
    VAL(SIF_INITDOMAIN, 2);
    VAL(SIF_MULTIBOOT_MOD, 4);
    VAL(SIF_MOD_START_PFN, 8);
    VAL(SIF_VIRT_P2M_4TOOLS, 16);
    VAL(SIF_PM_MASK, 0xFF00);
    VAL(MAX_GUEST_CMDLINE, 1024);

    VAL(NR_EVENT_CHANNELS, 4096);
    VAL(XEN_LEGACY_MAX_VCPUS, 32);
    VAL(XEN_PVCLOCK_TSC_STABLE_BIT, 1);
    VAL(XEN_PVCLOCK_GUEST_STOPPED, 2);
    VAL(XEN_VGATYPE_TEXT_MODE_3, 0x03);
    VAL(XEN_VGATYPE_VESA_LFB, 0x23);
    VAL(XEN_VGATYPE_EFI_LFB, 0x70);
}

static void test_x86_64_constants(void)
{
    VAL(FLAT_RING3_CS32, 0xe023);
    VAL(FLAT_RING3_CS64, 0xe033);
    VAL(FLAT_RING3_DS32, 0xe02b);
    VAL(FLAT_RING3_DS64, 0);
    VAL(FLAT_RING3_SS32, 0xe02b);
    VAL(FLAT_RING3_SS64, 0xe02b);
    VAL(FLAT_KERNEL_CS, 0xe033);
    VAL(FLAT_KERNEL_DS, 0);
    VAL(FLAT_KERNEL_SS, 0xe02b);
    VAL(FLAT_USER_CS, 0xe033);
    VAL(FLAT_USER_DS, 0);
    VAL(FLAT_USER_SS, 0xe02b);
    VAL(FLAT_USER_CS32, 0xe023);

    CU_ASSERT_EQUAL((uint64_t)HYPERVISOR_VIRT_START, 0xFFFF800000000000ULL);
    CU_ASSERT_EQUAL((uint64_t)HYPERVISOR_VIRT_END, 0xFFFF880000000000ULL);
    CU_ASSERT_EQUAL((uint64_t)MACH2PHYS_VIRT_START, 0xFFFF800000000000ULL);
    CU_ASSERT_EQUAL((uint64_t)MACH2PHYS_VIRT_END, 0xFFFF804000000000ULL);
    CU_ASSERT_EQUAL((uint64_t)MACH2PHYS_NR_ENTRIES, 1ULL << 35);
    CU_ASSERT_EQUAL((uint64_t)(uintptr_t)machine_to_phys_mapping, 0xFFFF800000000000ULL);

    VAL(FIRST_RESERVED_GDT_PAGE, 14);
    VAL(FIRST_RESERVED_GDT_BYTE, 14 * 4096);
    VAL(FIRST_RESERVED_GDT_ENTRY, 7168);
    /* The flat selectors are GDT entries 260-262 of the reserved area. */
    VAL(FLAT_RING3_CS32 >> 3, FIRST_RESERVED_GDT_ENTRY + 4);
    VAL(FLAT_RING3_DS32 >> 3, FIRST_RESERVED_GDT_ENTRY + 5);
    VAL(FLAT_RING3_CS64 >> 3, FIRST_RESERVED_GDT_ENTRY + 6);

    VAL(SEGBASE_FS, 0);
    VAL(SEGBASE_GS_USER, 1);
    VAL(SEGBASE_GS_KERNEL, 2);
    VAL(SEGBASE_GS_USER_SEL, 3);

    VAL(VGCF_i387_valid, 1 << 0);
    VAL(VGCF_in_kernel, 1 << 2);
    VAL(VGCF_failsafe_disables_events, 1 << 3);
    VAL(VGCF_syscall_disables_events, 1 << 4);
    VAL(VGCF_online, 1 << 5);
    VAL(VGCF_in_syscall, 1 << 8);

    CU_ASSERT_EQUAL(xen_pfn_to_cr3(0x1234), 0x1234000ULL);
    CU_ASSERT_EQUAL(xen_cr3_to_pfn(0x1234000ULL), 0x1234ULL);

    struct trap_info ti = { 0 };
    TI_SET_DPL(&ti, 3);
    TI_SET_IF(&ti, 1);
    VAL(ti.flags, 7);
    VAL(TI_GET_DPL(&ti), 3);
    CU_ASSERT(TI_GET_IF(&ti) != 0);
}

/* ---- core structures ---- */

static void test_start_info(void)
{
    SIZE(struct start_info, 1168);
    OFF(struct start_info, magic, 0);
    OFF(struct start_info, nr_pages, 32);
    OFF(struct start_info, shared_info, 40);
    OFF(struct start_info, flags, 48);
    OFF(struct start_info, store_mfn, 56);
    OFF(struct start_info, store_evtchn, 64);
    OFF(struct start_info, console, 72);
    OFF(struct start_info, console.domU.mfn, 72);
    OFF(struct start_info, console.domU.evtchn, 80);
    OFF(struct start_info, console.dom0.info_off, 72);
    OFF(struct start_info, console.dom0.info_size, 76);
    OFF(struct start_info, pt_base, 88);
    OFF(struct start_info, nr_pt_frames, 96);
    OFF(struct start_info, mfn_list, 104);
    OFF(struct start_info, mod_start, 112);
    OFF(struct start_info, mod_len, 120);
    OFF(struct start_info, cmd_line, 128);
    OFF(struct start_info, first_p2m_pfn, 1152);
    OFF(struct start_info, nr_p2m_frames, 1160);
    SIZE(struct xen_multiboot_mod_list, 16);
}

static void test_shared_info(void)
{
    SIZE(struct vcpu_time_info, 32);
    OFF(struct vcpu_time_info, version, 0);
    OFF(struct vcpu_time_info, tsc_timestamp, 8);
    OFF(struct vcpu_time_info, system_time, 16);
    OFF(struct vcpu_time_info, tsc_to_system_mul, 24);
    OFF(struct vcpu_time_info, tsc_shift, 28);
    OFF(struct vcpu_time_info, flags, 29);

    SIZE(struct arch_vcpu_info, 16);
    SIZE(struct vcpu_info, 64);
    OFF(struct vcpu_info, evtchn_upcall_pending, 0);
    OFF(struct vcpu_info, evtchn_upcall_mask, 1);
    OFF(struct vcpu_info, evtchn_pending_sel, 8);
    OFF(struct vcpu_info, arch.cr2, 16);
    OFF(struct vcpu_info, time, 32);

    SIZE(struct arch_shared_info, 48);
    OFF(struct arch_shared_info, max_pfn, 0);
    OFF(struct arch_shared_info, pfn_to_mfn_frame_list_list, 8);
    OFF(struct arch_shared_info, nmi_reason, 16);
    OFF(struct arch_shared_info, p2m_cr3, 24);
    OFF(struct arch_shared_info, p2m_vaddr, 32);
    OFF(struct arch_shared_info, p2m_generation, 40);

    SIZE(struct shared_info, 3136);
    OFF(struct shared_info, vcpu_info, 0);
    OFF(struct shared_info, vcpu_info[1], 64);
    OFF(struct shared_info, evtchn_pending, 2048);
    OFF(struct shared_info, evtchn_mask, 2560);
    OFF(struct shared_info, wc_version, 3072);
    OFF(struct shared_info, wc_sec, 3076);
    OFF(struct shared_info, wc_nsec, 3080);
    OFF(struct shared_info, wc_sec_hi, 3084);
    OFF(struct shared_info, arch, 3088);
    CU_ASSERT(sizeof(struct shared_info) <= 4096);
    /* One pending/mask bit per 2-level port. */
    VAL(sizeof(((struct shared_info *)0)->evtchn_pending) * 8, NR_EVENT_CHANNELS);
}

static void test_mmu_and_multicall(void)
{
    SIZE(struct mmu_update, 16);
    OFF(struct mmu_update, val, 8);
    SIZE(struct mmuext_op, 24);
    OFF(struct mmuext_op, arg1.mfn, 8);
    OFF(struct mmuext_op, arg1.linear_addr, 8);
    OFF(struct mmuext_op, arg2.nr_ents, 16);
    OFF(struct mmuext_op, arg2.vcpumask, 16);
    OFF(struct mmuext_op, arg2.src_mfn, 16);
    SIZE(struct multicall_entry, 64);
    OFF(struct multicall_entry, result, 8);
    OFF(struct multicall_entry, args, 16);
    SIZE(xen_guest_handle_t, 8);
    SIZE(xen_pfn_t, 8);
    SIZE(xen_ulong_t, 8);
    SIZE(domid_t, 2);

    int x;
    xen_guest_handle_t h;
    xen_guest_handle_set(h, &x);
    CU_ASSERT_PTR_EQUAL(xen_guest_handle_ptr(h), &x);
}

static void test_vcpu_context(void)
{
    SIZE(struct trap_info, 16);
    OFF(struct trap_info, vector, 0);
    OFF(struct trap_info, flags, 1);
    OFF(struct trap_info, cs, 2);
    OFF(struct trap_info, address, 8);

    SIZE(struct cpu_user_regs, 200);
    OFF(struct cpu_user_regs, r15, 0);
    OFF(struct cpu_user_regs, r14, 8);
    OFF(struct cpu_user_regs, r13, 16);
    OFF(struct cpu_user_regs, r12, 24);
    OFF(struct cpu_user_regs, rbp, 32);
    OFF(struct cpu_user_regs, rbx, 40);
    OFF(struct cpu_user_regs, r11, 48);
    OFF(struct cpu_user_regs, r10, 56);
    OFF(struct cpu_user_regs, r9, 64);
    OFF(struct cpu_user_regs, r8, 72);
    OFF(struct cpu_user_regs, rax, 80);
    OFF(struct cpu_user_regs, rcx, 88);
    OFF(struct cpu_user_regs, rdx, 96);
    OFF(struct cpu_user_regs, rsi, 104);
    OFF(struct cpu_user_regs, rdi, 112);
    OFF(struct cpu_user_regs, error_code, 120);
    OFF(struct cpu_user_regs, entry_vector, 124);
    OFF(struct cpu_user_regs, rip, 128);
    OFF(struct cpu_user_regs, cs, 136);
    OFF(struct cpu_user_regs, saved_upcall_mask, 140);
    OFF(struct cpu_user_regs, rflags, 144);
    OFF(struct cpu_user_regs, rsp, 152);
    OFF(struct cpu_user_regs, ss, 160);
    OFF(struct cpu_user_regs, es, 168);
    OFF(struct cpu_user_regs, ds, 176);
    OFF(struct cpu_user_regs, fs, 184);
    OFF(struct cpu_user_regs, gs, 192);

    SIZE(struct vcpu_guest_context, 5168);
    OFF(struct vcpu_guest_context, fpu_ctxt, 0);
    OFF(struct vcpu_guest_context, flags, 512);
    OFF(struct vcpu_guest_context, user_regs, 520);
    OFF(struct vcpu_guest_context, trap_ctxt, 720);
    OFF(struct vcpu_guest_context, ldt_base, 4816);
    OFF(struct vcpu_guest_context, ldt_ents, 4824);
    OFF(struct vcpu_guest_context, gdt_frames, 4832);
    OFF(struct vcpu_guest_context, gdt_ents, 4960);
    OFF(struct vcpu_guest_context, kernel_ss, 4968);
    OFF(struct vcpu_guest_context, kernel_sp, 4976);
    OFF(struct vcpu_guest_context, ctrlreg, 4984);
    OFF(struct vcpu_guest_context, debugreg, 5048);
    OFF(struct vcpu_guest_context, event_callback_eip, 5112);
    OFF(struct vcpu_guest_context, failsafe_callback_eip, 5120);
    OFF(struct vcpu_guest_context, syscall_callback_eip, 5128);
    OFF(struct vcpu_guest_context, vm_assist, 5136);
    OFF(struct vcpu_guest_context, fs_base, 5144);
    OFF(struct vcpu_guest_context, gs_base_kernel, 5152);
    OFF(struct vcpu_guest_context, gs_base_user, 5160);

    SIZE(struct iret_context, 72);
    OFF(struct iret_context, rax, 0);
    OFF(struct iret_context, r11, 8);
    OFF(struct iret_context, rcx, 16);
    OFF(struct iret_context, flags, 24);
    OFF(struct iret_context, rip, 32);
    OFF(struct iret_context, cs, 40);
    OFF(struct iret_context, rflags, 48);
    OFF(struct iret_context, rsp, 56);
    OFF(struct iret_context, ss, 64);
}

static void test_vga_console_info(void)
{
    SIZE(struct dom0_vga_console_info, 40);
    OFF(struct dom0_vga_console_info, u, 4);
    OFF(struct dom0_vga_console_info, u.text_mode_3.font_height, 4);
    OFF(struct dom0_vga_console_info, u.text_mode_3.columns, 12);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.width, 4);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.bits_per_pixel, 10);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.lfb_base, 12);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.lfb_size, 16);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.red_pos, 20);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.rsvd_size, 27);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.gbl_caps, 28);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.mode_attrs, 32);
    OFF(struct dom0_vga_console_info, u.vesa_lfb.ext_lfb_base, 36);
    SIZE(xenpf_dom0_console_t, 40);
}

/* ---- event channels, scheduling, vCPUs ---- */

static void test_event_channels(void)
{
    VAL(EVTCHNOP_bind_interdomain, 0);
    VAL(EVTCHNOP_bind_virq, 1);
    VAL(EVTCHNOP_bind_pirq, 2);
    VAL(EVTCHNOP_close, 3);
    VAL(EVTCHNOP_send, 4);
    VAL(EVTCHNOP_status, 5);
    VAL(EVTCHNOP_alloc_unbound, 6);
    VAL(EVTCHNOP_bind_ipi, 7);
    VAL(EVTCHNOP_bind_vcpu, 8);
    VAL(EVTCHNOP_unmask, 9);
    VAL(EVTCHNOP_reset, 10);
    VAL(EVTCHNOP_init_control, 11);
    VAL(EVTCHNOP_expand_array, 12);
    VAL(EVTCHNOP_set_priority, 13);
    VAL(EVTCHNSTAT_closed, 0);
    VAL(EVTCHNSTAT_ipi, 5);
    VAL(EVTCHN_2L_NR_CHANNELS, 4096);
    VAL(EVTCHN_FIFO_NR_CHANNELS, 1 << 17);

    SIZE(evtchn_port_t, 4);
    SIZE(struct evtchn_alloc_unbound, 8);
    OFF(struct evtchn_alloc_unbound, remote_dom, 2);
    OFF(struct evtchn_alloc_unbound, port, 4);
    SIZE(struct evtchn_bind_interdomain, 12);
    OFF(struct evtchn_bind_interdomain, remote_port, 4);
    OFF(struct evtchn_bind_interdomain, local_port, 8);
    SIZE(struct evtchn_bind_virq, 12);
    OFF(struct evtchn_bind_virq, port, 8);
    SIZE(struct evtchn_bind_pirq, 12);
    SIZE(struct evtchn_bind_ipi, 8);
    SIZE(struct evtchn_close, 4);
    SIZE(struct evtchn_send, 4);
    SIZE(struct evtchn_status, 24);
    OFF(struct evtchn_status, port, 4);
    OFF(struct evtchn_status, status, 8);
    OFF(struct evtchn_status, vcpu, 12);
    OFF(struct evtchn_status, u.interdomain.dom, 16);
    OFF(struct evtchn_status, u.interdomain.port, 20);
    SIZE(struct evtchn_bind_vcpu, 8);
    SIZE(struct evtchn_unmask, 4);
    SIZE(struct evtchn_reset, 2);
    SIZE(struct evtchn_init_control, 24);
    OFF(struct evtchn_init_control, link_bits, 16);
    SIZE(struct evtchn_expand_array, 8);
    SIZE(struct evtchn_set_priority, 8);
    SIZE(struct evtchn_op, 28);
    OFF(struct evtchn_op, u, 4);
    SIZE(struct evtchn_fifo_control_block, 72);
}

static void test_sched_and_vcpu(void)
{
    VAL(SCHEDOP_yield, 0);
    VAL(SCHEDOP_block, 1);
    VAL(SCHEDOP_shutdown, 2);
    VAL(SCHEDOP_poll, 3);
    VAL(SCHEDOP_remote_shutdown, 4);
    VAL(SCHEDOP_shutdown_code, 5);
    VAL(SCHEDOP_watchdog, 6);
    VAL(SCHEDOP_pin_override, 7);
    VAL(SHUTDOWN_poweroff, 0);
    VAL(SHUTDOWN_reboot, 1);
    VAL(SHUTDOWN_suspend, 2);
    VAL(SHUTDOWN_crash, 3);
    VAL(SHUTDOWN_watchdog, 4);
    VAL(SHUTDOWN_soft_reset, 5);
    SIZE(struct sched_shutdown, 4);
    SIZE(struct sched_poll, 24);
    OFF(struct sched_poll, ports, 0);
    OFF(struct sched_poll, nr_ports, 8);
    OFF(struct sched_poll, timeout, 16);
    SIZE(struct sched_remote_shutdown, 8);
    OFF(struct sched_remote_shutdown, reason, 4);
    SIZE(struct sched_watchdog, 8);

    VAL(VCPUOP_initialise, 0);
    VAL(VCPUOP_up, 1);
    VAL(VCPUOP_down, 2);
    VAL(VCPUOP_is_up, 3);
    VAL(VCPUOP_get_runstate_info, 4);
    VAL(VCPUOP_register_runstate_memory_area, 5);
    VAL(VCPUOP_set_periodic_timer, 6);
    VAL(VCPUOP_stop_periodic_timer, 7);
    VAL(VCPUOP_set_singleshot_timer, 8);
    VAL(VCPUOP_stop_singleshot_timer, 9);
    VAL(VCPUOP_register_vcpu_info, 10);
    VAL(VCPUOP_send_nmi, 11);
    VAL(VCPUOP_get_physid, 12);
    VAL(VCPUOP_register_vcpu_time_memory_area, 13);
    VAL(RUNSTATE_running, 0);
    VAL(RUNSTATE_runnable, 1);
    VAL(RUNSTATE_blocked, 2);
    VAL(RUNSTATE_offline, 3);
    VAL(VCPU_SSHOTTMR_future, 1);
    CU_ASSERT_EQUAL(XEN_RUNSTATE_UPDATE, 0x8000000000000000ULL);

    SIZE(struct vcpu_runstate_info, 48);
    OFF(struct vcpu_runstate_info, state_entry_time, 8);
    OFF(struct vcpu_runstate_info, time, 16);
    SIZE(struct vcpu_register_runstate_memory_area, 8);
    SIZE(struct vcpu_set_periodic_timer, 8);
    SIZE(struct vcpu_set_singleshot_timer, 16);
    OFF(struct vcpu_set_singleshot_timer, flags, 8);
    SIZE(struct vcpu_register_vcpu_info, 16);
    OFF(struct vcpu_register_vcpu_info, offset, 8);
    OFF(struct vcpu_register_vcpu_info, rsvd, 12);
    SIZE(struct vcpu_get_physid, 8);
    SIZE(struct vcpu_register_time_memory_area, 8);
}

/* ---- grant tables ---- */

static void test_grant_tables(void)
{
    VAL(GNTTABOP_map_grant_ref, 0);
    VAL(GNTTABOP_unmap_grant_ref, 1);
    VAL(GNTTABOP_setup_table, 2);
    VAL(GNTTABOP_dump_table, 3);
    VAL(GNTTABOP_transfer, 4);
    VAL(GNTTABOP_copy, 5);
    VAL(GNTTABOP_query_size, 6);
    VAL(GNTTABOP_unmap_and_replace, 7);
    VAL(GNTTABOP_set_version, 8);
    VAL(GNTTABOP_get_status_frames, 9);
    VAL(GNTTABOP_get_version, 10);
    VAL(GNTTABOP_swap_grant_ref, 11);
    VAL(GNTTABOP_cache_flush, 12);

    VAL(GTF_invalid, 0);
    VAL(GTF_permit_access, 1);
    VAL(GTF_accept_transfer, 2);
    VAL(GTF_transitive, 3);
    VAL(GTF_type_mask, 3);
    VAL(GTF_readonly, 1 << 2);
    VAL(GTF_reading, 1 << 3);
    VAL(GTF_writing, 1 << 4);
    VAL(GTF_PWT, 1 << 5);
    VAL(GTF_PCD, 1 << 6);
    VAL(GTF_PAT, 1 << 7);
    VAL(GTF_sub_page, 1 << 8);
    VAL(GTF_transfer_committed, 1 << 2);
    VAL(GTF_transfer_completed, 1 << 3);

    VAL(GNTMAP_device_map, 1);
    VAL(GNTMAP_host_map, 2);
    VAL(GNTMAP_readonly, 4);
    VAL(GNTMAP_application_map, 8);
    VAL(GNTMAP_contains_pte, 16);
    CU_ASSERT_EQUAL(GNTMAP_guest_avail_mask, 0xFFFF0000u);
    VAL(GNTCOPY_source_gref, 1);
    VAL(GNTCOPY_dest_gref, 2);

    VAL(GNTST_okay, 0);
    VAL(GNTST_general_error, -1);
    VAL(GNTST_bad_domain, -2);
    VAL(GNTST_bad_gntref, -3);
    VAL(GNTST_bad_handle, -4);
    VAL(GNTST_bad_virt_addr, -5);
    VAL(GNTST_bad_dev_addr, -6);
    VAL(GNTST_no_device_space, -7);
    VAL(GNTST_permission_denied, -8);
    VAL(GNTST_bad_page, -9);
    VAL(GNTST_bad_copy_arg, -10);
    VAL(GNTST_address_too_big, -11);
    VAL(GNTST_eagain, -12);
    VAL(GNTST_no_space, -13);

    VAL(GNTTAB_NR_RESERVED_ENTRIES, 8);
    VAL(GNTTAB_RESERVED_CONSOLE, 0);
    VAL(GNTTAB_RESERVED_XENSTORE, 1);

    SIZE(grant_ref_t, 4);
    SIZE(grant_handle_t, 4);
    SIZE(struct grant_entry_v1, 8);
    OFF(struct grant_entry_v1, flags, 0);
    OFF(struct grant_entry_v1, domid, 2);
    OFF(struct grant_entry_v1, frame, 4);
    SIZE(union grant_entry_v2, 16);
    SIZE(grant_status_t, 2);

    SIZE(struct gnttab_map_grant_ref, 32);
    OFF(struct gnttab_map_grant_ref, host_addr, 0);
    OFF(struct gnttab_map_grant_ref, flags, 8);
    OFF(struct gnttab_map_grant_ref, ref, 12);
    OFF(struct gnttab_map_grant_ref, dom, 16);
    OFF(struct gnttab_map_grant_ref, status, 18);
    OFF(struct gnttab_map_grant_ref, handle, 20);
    OFF(struct gnttab_map_grant_ref, dev_bus_addr, 24);
    SIZE(struct gnttab_unmap_grant_ref, 24);
    OFF(struct gnttab_unmap_grant_ref, dev_bus_addr, 8);
    OFF(struct gnttab_unmap_grant_ref, handle, 16);
    OFF(struct gnttab_unmap_grant_ref, status, 20);
    SIZE(struct gnttab_setup_table, 24);
    OFF(struct gnttab_setup_table, nr_frames, 4);
    OFF(struct gnttab_setup_table, status, 8);
    OFF(struct gnttab_setup_table, frame_list, 16);
    SIZE(struct gnttab_dump_table, 4);
    SIZE(struct gnttab_transfer, 24);
    OFF(struct gnttab_transfer, domid, 8);
    OFF(struct gnttab_transfer, ref, 12);
    OFF(struct gnttab_transfer, status, 16);
    SIZE(struct gnttab_copy, 40);
    OFF(struct gnttab_copy, source.u.ref, 0);
    OFF(struct gnttab_copy, source.domid, 8);
    OFF(struct gnttab_copy, source.offset, 10);
    OFF(struct gnttab_copy, dest, 16);
    OFF(struct gnttab_copy, dest.domid, 24);
    OFF(struct gnttab_copy, len, 32);
    OFF(struct gnttab_copy, flags, 34);
    OFF(struct gnttab_copy, status, 36);
    SIZE(struct gnttab_query_size, 16);
    OFF(struct gnttab_query_size, nr_frames, 4);
    OFF(struct gnttab_query_size, max_nr_frames, 8);
    OFF(struct gnttab_query_size, status, 12);
    SIZE(struct gnttab_unmap_and_replace, 24);
    SIZE(struct gnttab_set_version, 4);
    SIZE(struct gnttab_get_status_frames, 16);
    OFF(struct gnttab_get_status_frames, frame_list, 8);
    SIZE(struct gnttab_get_version, 8);
    OFF(struct gnttab_get_version, version, 4);
    SIZE(struct gnttab_swap_grant_ref, 12);
    SIZE(struct gnttab_cache_flush, 16);
}

/* ---- memory_op ---- */

static void test_memory(void)
{
    VAL(XENMEM_increase_reservation, 0);
    VAL(XENMEM_decrease_reservation, 1);
    VAL(XENMEM_maximum_ram_page, 2);
    VAL(XENMEM_current_reservation, 3);
    VAL(XENMEM_maximum_reservation, 4);
    VAL(XENMEM_machphys_mfn_list, 5);
    VAL(XENMEM_populate_physmap, 6);
    VAL(XENMEM_add_to_physmap, 7);
    VAL(XENMEM_memory_map, 9);
    VAL(XENMEM_machine_memory_map, 10);
    VAL(XENMEM_exchange, 11);
    VAL(XENMEM_machphys_mapping, 12);
    VAL(XENMEM_set_memory_map, 13);
    VAL(XENMEM_maximum_gpfn, 14);
    VAL(XENMEM_remove_from_physmap, 15);
    VAL(XENMEM_add_to_physmap_batch, 23);
    VAL(XENMEM_claim_pages, 24);
    VAL(XENMEM_machphys_compat_mfn_list, 25);
    VAL(XENMEM_acquire_resource, 28);
    VAL(XENMAPSPACE_shared_info, 0);
    VAL(XENMAPSPACE_grant_table, 1);
    VAL(XENMAPSPACE_gmfn, 2);
    VAL(XENMAPSPACE_gmfn_range, 3);
    VAL(XENMAPSPACE_gmfn_foreign, 4);
    VAL(XENMEMF_node(0), 1 << 8);
    VAL(XENMEMF_get_node(XENMEMF_node(3)), 3);
    VAL(XENMEMF_populate_on_demand, 1 << 16);
    VAL(XENMEMF_exact_node_request, 1 << 17);

    SIZE(struct xen_memory_reservation, 32);
    OFF(struct xen_memory_reservation, extent_start, 0);
    OFF(struct xen_memory_reservation, nr_extents, 8);
    OFF(struct xen_memory_reservation, extent_order, 16);
    OFF(struct xen_memory_reservation, mem_flags, 20);
    OFF(struct xen_memory_reservation, domid, 24);
    SIZE(struct xen_memory_exchange, 72);
    OFF(struct xen_memory_exchange, out, 32);
    OFF(struct xen_memory_exchange, nr_exchanged, 64);
    SIZE(struct xen_memory_domain, 2);
    SIZE(struct xen_machphys_mfn_list, 24);
    OFF(struct xen_machphys_mfn_list, extent_start, 8);
    OFF(struct xen_machphys_mfn_list, nr_extents, 16);
    SIZE(struct xen_machphys_mapping, 24);
    OFF(struct xen_machphys_mapping, max_mfn, 16);
    SIZE(struct xen_add_to_physmap, 24);
    OFF(struct xen_add_to_physmap, size, 2);
    OFF(struct xen_add_to_physmap, space, 4);
    OFF(struct xen_add_to_physmap, idx, 8);
    OFF(struct xen_add_to_physmap, gpfn, 16);
    SIZE(struct xen_add_to_physmap_batch, 32);
    OFF(struct xen_add_to_physmap_batch, u, 6);
    OFF(struct xen_add_to_physmap_batch, idxs, 8);
    OFF(struct xen_add_to_physmap_batch, gpfns, 16);
    OFF(struct xen_add_to_physmap_batch, errs, 24);
    SIZE(struct xen_remove_from_physmap, 16);
    SIZE(struct xen_memory_map, 16);
    OFF(struct xen_memory_map, buffer, 8);
    SIZE(struct xen_e820_entry, 20);
    OFF(struct xen_e820_entry, size, 8);
    OFF(struct xen_e820_entry, type, 16);
    SIZE(struct xen_foreign_memory_map, 24);
    OFF(struct xen_foreign_memory_map, map, 8);
    SIZE(struct xen_pod_target, 40);
    SIZE(struct xen_mem_acquire_resource, 32);
    OFF(struct xen_mem_acquire_resource, frame, 16);
    OFF(struct xen_mem_acquire_resource, frame_list, 24);
}

/* ---- physdev_op ---- */

static void test_physdev(void)
{
    VAL(PHYSDEVOP_irq_status_query, 5);
    VAL(PHYSDEVOP_set_iopl, 6);
    VAL(PHYSDEVOP_set_iobitmap, 7);
    VAL(PHYSDEVOP_apic_read, 8);
    VAL(PHYSDEVOP_apic_write, 9);
    VAL(PHYSDEVOP_alloc_irq_vector, 10);
    VAL(PHYSDEVOP_free_irq_vector, 11);
    VAL(PHYSDEVOP_eoi, 12);
    VAL(PHYSDEVOP_map_pirq, 13);
    VAL(PHYSDEVOP_unmap_pirq, 14);
    VAL(PHYSDEVOP_manage_pci_add, 15);
    VAL(PHYSDEVOP_manage_pci_remove, 16);
    VAL(PHYSDEVOP_pirq_eoi_gmfn_v1, 17);
    VAL(PHYSDEVOP_restore_msi, 19);
    VAL(PHYSDEVOP_manage_pci_add_ext, 20);
    VAL(PHYSDEVOP_setup_gsi, 21);
    VAL(PHYSDEVOP_get_free_pirq, 23);
    VAL(PHYSDEVOP_pci_mmcfg_reserved, 24);
    VAL(PHYSDEVOP_pci_device_add, 25);
    VAL(PHYSDEVOP_pci_device_remove, 26);
    VAL(PHYSDEVOP_restore_msi_ext, 27);
    VAL(PHYSDEVOP_pirq_eoi_gmfn_v2, 28);
    VAL(PHYSDEVOP_dbgp_op, 29);
    VAL(PHYSDEVOP_prepare_msix, 30);
    VAL(PHYSDEVOP_release_msix, 31);
    VAL(PHYSDEVOP_pci_device_reset, 32);
    VAL(MAP_PIRQ_TYPE_MSI, 0);
    VAL(MAP_PIRQ_TYPE_GSI, 1);
    VAL(MAP_PIRQ_TYPE_UNKNOWN, 2);
    VAL(MAP_PIRQ_TYPE_MSI_SEG, 3);
    VAL(MAP_PIRQ_TYPE_MULTI_MSI, 4);
    VAL(XENIRQSTAT_needs_eoi, 1);
    VAL(XENIRQSTAT_shared, 2);

    SIZE(struct physdev_eoi, 4);
    SIZE(struct physdev_pirq_eoi_gmfn, 8);
    SIZE(struct physdev_irq_status_query, 8);
    SIZE(struct physdev_set_iopl, 4);
    SIZE(struct physdev_set_iobitmap, 16);
    OFF(struct physdev_set_iobitmap, nr_ports, 8);
    SIZE(struct physdev_apic, 16);
    OFF(struct physdev_apic, reg, 8);
    OFF(struct physdev_apic, value, 12);
    SIZE(struct physdev_irq, 8);
    SIZE(struct physdev_map_pirq, 40);
    OFF(struct physdev_map_pirq, type, 4);
    OFF(struct physdev_map_pirq, index, 8);
    OFF(struct physdev_map_pirq, pirq, 12);
    OFF(struct physdev_map_pirq, bus, 16);
    OFF(struct physdev_map_pirq, devfn, 20);
    OFF(struct physdev_map_pirq, entry_nr, 24);
    OFF(struct physdev_map_pirq, table_base, 32);
    SIZE(struct physdev_unmap_pirq, 8);
    OFF(struct physdev_unmap_pirq, pirq, 4);
    SIZE(struct physdev_manage_pci, 2);
    SIZE(struct physdev_manage_pci_ext, 16);
    SIZE(struct physdev_op, 24);
    OFF(struct physdev_op, u, 8);
    SIZE(struct physdev_setup_gsi, 8);
    OFF(struct physdev_setup_gsi, triggering, 4);
    OFF(struct physdev_setup_gsi, polarity, 5);
    SIZE(struct physdev_get_free_pirq, 8);
    SIZE(struct physdev_pci_mmcfg_reserved, 16);
    SIZE(struct physdev_pci_device_add, 12);
    OFF(struct physdev_pci_device_add, physfn, 8);
    OFF(struct physdev_pci_device_add, optarr, 12);
    SIZE(struct physdev_pci_device, 4);
    SIZE(struct physdev_dbgp_op, 6);
    OFF(struct physdev_dbgp_op, u.pci.seg, 2);
}

/* ---- platform_op ---- */

static void test_platform(void)
{
    VAL(XENPF_INTERFACE_VERSION, 0x03000001);
    VAL(XENPF_settime32, 17);
    VAL(XENPF_settime64, 62);
    VAL(XENPF_add_memtype, 31);
    VAL(XENPF_del_memtype, 32);
    VAL(XENPF_read_memtype, 33);
    VAL(XENPF_microcode_update, 35);
    VAL(XENPF_platform_quirk, 39);
    VAL(XENPF_get_cpu_version, 48);
    VAL(XENPF_efi_runtime_call, 49);
    VAL(XENPF_firmware_info, 50);
    VAL(XENPF_enter_acpi_sleep, 51);
    VAL(XENPF_change_freq, 52);
    VAL(XENPF_getidletime, 53);
    VAL(XENPF_set_processor_pminfo, 54);
    VAL(XENPF_get_cpuinfo, 55);
    VAL(XENPF_cpu_online, 56);
    VAL(XENPF_cpu_offline, 57);
    VAL(XENPF_cpu_hotadd, 58);
    VAL(XENPF_mem_hotadd, 59);
    VAL(XENPF_core_parking, 60);
    VAL(XENPF_resource_op, 61);
    VAL(XENPF_get_symbol, 63);
    VAL(XENPF_get_dom0_console, 64);
    VAL(XEN_FW_DISK_INFO, 1);
    VAL(XEN_FW_DISK_MBR_SIGNATURE, 2);
    VAL(XEN_FW_VBEDDC_INFO, 3);
    VAL(XEN_FW_EFI_INFO, 4);
    VAL(XEN_FW_KBD_SHIFT_FLAGS, 5);
    VAL(XEN_PM_CX, 0);
    VAL(XEN_PM_PX, 1);
    VAL(XEN_PM_TX, 2);
    VAL(XEN_PM_PDC, 3);

    SIZE(struct xen_platform_op, 136);
    OFF(struct xen_platform_op, cmd, 0);
    OFF(struct xen_platform_op, interface_version, 4);
    OFF(struct xen_platform_op, u, 8);
    SIZE(((struct xen_platform_op *)0)->u, 128);
    SIZE(struct xenpf_settime32, 16);
    OFF(struct xenpf_settime32, system_time, 8);
    SIZE(struct xenpf_settime64, 24);
    OFF(struct xenpf_settime64, nsecs, 8);
    OFF(struct xenpf_settime64, system_time, 16);
    SIZE(struct xenpf_firmware_info, 40);
    OFF(struct xenpf_firmware_info, u, 8);
    OFF(struct xenpf_firmware_info, u.disk_info.edd_params, 16);
    OFF(struct xenpf_firmware_info, u.disk_mbr_signature.mbr_signature, 12);
    OFF(struct xenpf_firmware_info, u.vbeddc_info.edid, 16);
    SIZE(struct xenpf_enter_acpi_sleep, 12);
    OFF(struct xenpf_enter_acpi_sleep, sleep_state, 4);
    OFF(struct xenpf_enter_acpi_sleep, flags, 8);
    SIZE(struct xenpf_pcpuinfo, 20);
    SIZE(struct xenpf_cpu_ol, 4);
    SIZE(struct xenpf_set_processor_pminfo, 112);
    OFF(struct xenpf_set_processor_pminfo, u, 8);
    SIZE(struct xen_processor_performance, 104);
    SIZE(struct xen_processor_cx, 48);
    SIZE(struct xen_processor_px, 48);
    SIZE(struct xenpf_efi_runtime_call, 56);
    OFF(struct xenpf_efi_runtime_call, status, 8);
    OFF(struct xenpf_efi_runtime_call, u, 16);
    SIZE(struct xenpf_symdata, 32);
    OFF(struct xenpf_symdata, name, 8);
    OFF(struct xenpf_symdata, address, 16);
    OFF(struct xenpf_symdata, type, 24);
}

/* ---- xen_version, features, callbacks, NMI, ELF notes ---- */

static void test_version_features(void)
{
    VAL(XENVER_version, 0);
    VAL(XENVER_extraversion, 1);
    VAL(XENVER_compile_info, 2);
    VAL(XENVER_capabilities, 3);
    VAL(XENVER_changeset, 4);
    VAL(XENVER_platform_parameters, 5);
    VAL(XENVER_get_features, 6);
    VAL(XENVER_pagesize, 7);
    VAL(XENVER_guest_handle, 8);
    VAL(XENVER_commandline, 9);
    VAL(XENVER_build_id, 10);
    VAL(XENVER_commandline2, 14);
    SIZE(xen_extraversion_t, 16);
    SIZE(struct xen_compile_info, 144);
    OFF(struct xen_compile_info, compile_by, 64);
    OFF(struct xen_compile_info, compile_domain, 80);
    OFF(struct xen_compile_info, compile_date, 112);
    SIZE(xen_capabilities_info_t, 1024);
    SIZE(xen_changeset_info_t, 64);
    SIZE(xen_commandline_t, 1024);
    SIZE(xen_domain_handle_t, 16);
    SIZE(struct xen_platform_parameters, 8);
    SIZE(struct xen_feature_info, 8);
    SIZE(struct xen_build_id, 4);
    SIZE(struct xen_varbuf, 4);

    VAL(XENFEAT_writable_page_tables, 0);
    VAL(XENFEAT_writable_descriptor_tables, 1);
    VAL(XENFEAT_auto_translated_physmap, 2);
    VAL(XENFEAT_supervisor_mode_kernel, 3);
    VAL(XENFEAT_pae_pgdir_above_4gb, 4);
    VAL(XENFEAT_mmu_pt_update_preserve_ad, 5);
    VAL(XENFEAT_highmem_assist, 6);
    VAL(XENFEAT_gnttab_map_avail_bits, 7);
    VAL(XENFEAT_hvm_callback_vector, 8);
    VAL(XENFEAT_hvm_safe_pvclock, 9);
    VAL(XENFEAT_hvm_pirqs, 10);
    VAL(XENFEAT_dom0, 11);
    VAL(XENFEAT_memory_op_vnode_supported, 13);
    VAL(XENFEAT_linux_rsdp_unrestricted, 15);
    VAL(XENFEAT_runstate_phys_area, 18);
    VAL(XENFEAT_vcpu_time_phys_area, 19);
    VAL(XENFEAT_NR_SUBMAPS, 1);

    VAL(CALLBACKTYPE_event, 0);
    VAL(CALLBACKTYPE_failsafe, 1);
    VAL(CALLBACKTYPE_syscall, 2);
    VAL(CALLBACKTYPE_sysenter_deprecated, 3);
    VAL(CALLBACKTYPE_nmi, 4);
    VAL(CALLBACKTYPE_sysenter, 5);
    VAL(CALLBACKTYPE_syscall32, 7);
    VAL(CALLBACKF_mask_events, 1);
    VAL(CALLBACKOP_register, 0);
    VAL(CALLBACKOP_unregister, 1);
    SIZE(struct callback_register, 16);
    OFF(struct callback_register, flags, 2);
    OFF(struct callback_register, address, 8);
    SIZE(struct callback_unregister, 4);

    VAL(XENNMI_register_callback, 0);
    VAL(XENNMI_unregister_callback, 1);
    VAL(XEN_NMIREASON_io_error, 1);
    VAL(XEN_NMIREASON_pci_serr, 2);
    VAL(XEN_NMIREASON_unknown, 4);
    SIZE(struct xennmi_callback, 16);

    VAL(XEN_ELFNOTE_INFO, 0);
    VAL(XEN_ELFNOTE_ENTRY, 1);
    VAL(XEN_ELFNOTE_HYPERCALL_PAGE, 2);
    VAL(XEN_ELFNOTE_VIRT_BASE, 3);
    VAL(XEN_ELFNOTE_PADDR_OFFSET, 4);
    VAL(XEN_ELFNOTE_XEN_VERSION, 5);
    VAL(XEN_ELFNOTE_GUEST_OS, 6);
    VAL(XEN_ELFNOTE_GUEST_VERSION, 7);
    VAL(XEN_ELFNOTE_LOADER, 8);
    VAL(XEN_ELFNOTE_PAE_MODE, 9);
    VAL(XEN_ELFNOTE_FEATURES, 10);
    VAL(XEN_ELFNOTE_BSD_SYMTAB, 11);
    VAL(XEN_ELFNOTE_HV_START_LOW, 12);
    VAL(XEN_ELFNOTE_L1_MFN_VALID, 13);
    VAL(XEN_ELFNOTE_SUSPEND_CANCEL, 14);
    VAL(XEN_ELFNOTE_INIT_P2M, 15);
    VAL(XEN_ELFNOTE_MOD_START_PFN, 16);
    VAL(XEN_ELFNOTE_SUPPORTED_FEATURES, 17);
    VAL(XEN_ELFNOTE_PHYS32_ENTRY, 18);
    VAL(XEN_ELFNOTE_PHYS32_RELOC, 19);
    VAL(XEN_ELFNOTE_MAX, 19);
    VAL(XEN_ELFNOTE_CRASH_INFO, 0x1000001);
    VAL(XEN_ELFNOTE_DUMPCORE_NONE, 0x2000000);
}

/* ---- I/O protocols ---- */

static void test_console_xenstore(void)
{
    SIZE(struct xencons_interface, 3092);
    OFF(struct xencons_interface, in, 0);
    OFF(struct xencons_interface, out, 1024);
    OFF(struct xencons_interface, in_cons, 3072);
    OFF(struct xencons_interface, in_prod, 3076);
    OFF(struct xencons_interface, out_cons, 3080);
    OFF(struct xencons_interface, out_prod, 3084);
    OFF(struct xencons_interface, connection, 3088);
    VAL(XENCONSOLE_CONNECTED, 0);
    VAL(XENCONSOLE_DISCONNECTED, 1);
    struct xencons_interface *cons = NULL;
    VAL(MASK_XENCONS_IDX(2049u, cons->out), 1);
    VAL(MASK_XENCONS_IDX(1025u, cons->in), 1);

    VAL(XS_CONTROL, 0);
    VAL(XS_DEBUG, 0);
    VAL(XS_DIRECTORY, 1);
    VAL(XS_READ, 2);
    VAL(XS_GET_PERMS, 3);
    VAL(XS_WATCH, 4);
    VAL(XS_UNWATCH, 5);
    VAL(XS_TRANSACTION_START, 6);
    VAL(XS_TRANSACTION_END, 7);
    VAL(XS_INTRODUCE, 8);
    VAL(XS_RELEASE, 9);
    VAL(XS_GET_DOMAIN_PATH, 10);
    VAL(XS_WRITE, 11);
    VAL(XS_MKDIR, 12);
    VAL(XS_RM, 13);
    VAL(XS_SET_PERMS, 14);
    VAL(XS_WATCH_EVENT, 15);
    VAL(XS_ERROR, 16);
    VAL(XS_IS_DOMAIN_INTRODUCED, 17);
    VAL(XS_RESUME, 18);
    VAL(XS_SET_TARGET, 19);
    VAL(XS_RESET_WATCHES, 21);
    VAL(XS_DIRECTORY_PART, 22);
    VAL(XS_GET_FEATURE, 23);
    VAL(XS_SET_FEATURE, 24);
    VAL(XS_GET_QUOTA, 25);
    VAL(XS_SET_QUOTA, 26);
    VAL(XS_TYPE_COUNT, 27);
    VAL(XS_INVALID, 0xffff);
    VAL(XS_WATCH_PATH, 0);
    VAL(XS_WATCH_TOKEN, 1);
    SIZE(struct xsd_sockmsg, 16);
    OFF(struct xsd_sockmsg, req_id, 4);
    OFF(struct xsd_sockmsg, tx_id, 8);
    OFF(struct xsd_sockmsg, len, 12);

    VAL(XENSTORE_RING_SIZE, 1024);
    VAL(XENSTORE_PAYLOAD_MAX, 4096);
    VAL(MASK_XENSTORE_IDX(1027u), 3);
    SIZE(struct xenstore_domain_interface, 2080);
    OFF(struct xenstore_domain_interface, rsp, 1024);
    OFF(struct xenstore_domain_interface, req_cons, 2048);
    OFF(struct xenstore_domain_interface, req_prod, 2052);
    OFF(struct xenstore_domain_interface, rsp_cons, 2056);
    OFF(struct xenstore_domain_interface, rsp_prod, 2060);
    OFF(struct xenstore_domain_interface, server_features, 2064);
    OFF(struct xenstore_domain_interface, connection, 2068);
    OFF(struct xenstore_domain_interface, error, 2072);
    OFF(struct xenstore_domain_interface, evtchn_port, 2076);

    /* <errno.h> came first, so the error table exists; order is protocol. */
    VAL(XSD_ERRORS_COUNT, 16);
    VAL(xsd_errors[0].errnum, EINVAL);
    CU_ASSERT_STRING_EQUAL(xsd_errors[0].errstring, "EINVAL");
    VAL(xsd_errors[4].errnum, ENOENT);
    CU_ASSERT_STRING_EQUAL(xsd_errors[4].errstring, "ENOENT");
    VAL(xsd_errors[15].errnum, EPERM);
    CU_ASSERT_STRING_EQUAL(xsd_errors[15].errstring, "EPERM");

    VAL(XenbusStateUnknown, 0);
    VAL(XenbusStateInitialising, 1);
    VAL(XenbusStateInitWait, 2);
    VAL(XenbusStateInitialised, 3);
    VAL(XenbusStateConnected, 4);
    VAL(XenbusStateClosing, 5);
    VAL(XenbusStateClosed, 6);
    VAL(XenbusStateReconfiguring, 7);
    VAL(XenbusStateReconfigured, 8);
}

static void test_netif(void)
{
    SIZE(struct netif_tx_request, 12);
    OFF(struct netif_tx_request, gref, 0);
    OFF(struct netif_tx_request, offset, 4);
    OFF(struct netif_tx_request, flags, 6);
    OFF(struct netif_tx_request, id, 8);
    OFF(struct netif_tx_request, size, 10);
    SIZE(struct netif_extra_info, 8);
    OFF(struct netif_extra_info, u.gso.size, 2);
    OFF(struct netif_extra_info, u.gso.type, 4);
    OFF(struct netif_extra_info, u.gso.features, 6);
    OFF(struct netif_extra_info, u.mcast.addr, 2);
    SIZE(struct netif_tx_response, 4);
    OFF(struct netif_tx_response, status, 2);
    SIZE(struct netif_rx_request, 8);
    OFF(struct netif_rx_request, gref, 4);
    SIZE(struct netif_rx_response, 8);
    OFF(struct netif_rx_response, offset, 2);
    OFF(struct netif_rx_response, flags, 4);
    OFF(struct netif_rx_response, status, 6);

    VAL(NETTXF_csum_blank, 1);
    VAL(NETTXF_data_validated, 2);
    VAL(NETTXF_more_data, 4);
    VAL(NETTXF_extra_info, 8);
    VAL(NETRXF_data_validated, 1);
    VAL(NETRXF_csum_blank, 2);
    VAL(NETRXF_more_data, 4);
    VAL(NETRXF_extra_info, 8);
    VAL(NETRXF_gso_prefix, 16);
    VAL(XEN_NETIF_EXTRA_TYPE_NONE, 0);
    VAL(XEN_NETIF_EXTRA_TYPE_GSO, 1);
    VAL(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 2);
    VAL(XEN_NETIF_EXTRA_TYPE_MCAST_DEL, 3);
    VAL(XEN_NETIF_EXTRA_TYPE_HASH, 4);
    VAL(XEN_NETIF_EXTRA_FLAG_MORE, 1);
    VAL(XEN_NETIF_GSO_TYPE_TCPV4, 1);
    VAL(XEN_NETIF_GSO_TYPE_TCPV6, 2);
    VAL(NETIF_RSP_DROPPED, -2);
    VAL(NETIF_RSP_ERROR, -1);
    VAL(NETIF_RSP_OKAY, 0);
    VAL(NETIF_RSP_NULL, 1);
    VAL(XEN_NETIF_NR_SLOTS_MIN, 18);

    OFF(struct netif_tx_sring, req_prod, 0);
    OFF(struct netif_tx_sring, req_event, 4);
    OFF(struct netif_tx_sring, rsp_prod, 8);
    OFF(struct netif_tx_sring, rsp_event, 12);
    OFF(struct netif_tx_sring, pvt, 16);
    OFF(struct netif_tx_sring, __pad, 20);
    OFF(struct netif_tx_sring, ring, 64);
    SIZE(union netif_tx_sring_entry, 12);
    SIZE(union netif_rx_sring_entry, 8);
    VAL(XEN_NETIF_TX_RING_SIZE, 256);
    VAL(XEN_NETIF_RX_RING_SIZE, 256);
}

static void test_blkif(void)
{
    VAL(BLKIF_OP_READ, 0);
    VAL(BLKIF_OP_WRITE, 1);
    VAL(BLKIF_OP_WRITE_BARRIER, 2);
    VAL(BLKIF_OP_FLUSH_DISKCACHE, 3);
    VAL(BLKIF_OP_RESERVED_1, 4);
    VAL(BLKIF_OP_DISCARD, 5);
    VAL(BLKIF_OP_INDIRECT, 6);
    VAL(BLKIF_MAX_SEGMENTS_PER_REQUEST, 11);
    VAL(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST, 8);
    VAL(BLKIF_RSP_EOPNOTSUPP, -2);
    VAL(BLKIF_RSP_ERROR, -1);
    VAL(BLKIF_RSP_OKAY, 0);
    VAL(BLKIF_DISCARD_SECURE, 1);
    VAL(VDISK_CDROM, 1);
    VAL(VDISK_REMOVABLE, 2);
    VAL(VDISK_READONLY, 4);

    SIZE(struct blkif_request_segment, 8);
    OFF(struct blkif_request_segment, first_sect, 4);
    OFF(struct blkif_request_segment, last_sect, 5);
    SIZE(struct blkif_request, 112);
    OFF(struct blkif_request, operation, 0);
    OFF(struct blkif_request, nr_segments, 1);
    OFF(struct blkif_request, handle, 2);
    OFF(struct blkif_request, id, 8);
    OFF(struct blkif_request, sector_number, 16);
    OFF(struct blkif_request, seg, 24);
    SIZE(struct blkif_request_discard, 32);
    OFF(struct blkif_request_discard, flag, 1);
    OFF(struct blkif_request_discard, id, 8);
    OFF(struct blkif_request_discard, sector_number, 16);
    OFF(struct blkif_request_discard, nr_sectors, 24);
    SIZE(struct blkif_request_indirect, 64);
    OFF(struct blkif_request_indirect, indirect_op, 1);
    OFF(struct blkif_request_indirect, nr_segments, 2);
    OFF(struct blkif_request_indirect, id, 8);
    OFF(struct blkif_request_indirect, sector_number, 16);
    OFF(struct blkif_request_indirect, handle, 24);
    OFF(struct blkif_request_indirect, indirect_grefs, 28);
    SIZE(struct blkif_response, 16);
    OFF(struct blkif_response, operation, 8);
    OFF(struct blkif_response, status, 10);
    SIZE(union blkif_sring_entry, 112);
    OFF(struct blkif_sring, ring, 64);
    VAL(XEN_BLKIF_RING_SIZE, 32);
    VAL(XEN_BLKIF_SEGS_PER_INDIRECT_FRAME, 512);
}

/* ---- ring macros: a frontend and a backend sharing one page ---- */

static uint8_t ring_page[4096] __attribute__((aligned(4096)));

static void test_ring_round_trip(void)
{
    struct blkif_sring *s = (struct blkif_sring *)ring_page;
    struct blkif_front_ring front;
    struct blkif_back_ring back;
    int notify, work;

    memset(ring_page, 0xAA, sizeof(ring_page));
    XEN_FRONT_RING_INIT(&front, s, sizeof(ring_page));
    BACK_RING_INIT(&back, s, sizeof(ring_page));
    VAL(s->req_prod, 0);
    VAL(s->rsp_prod, 0);
    VAL(s->req_event, 1);
    VAL(s->rsp_event, 1);
    VAL(s->pvt.pvt_pad[3], 0);
    VAL(s->__pad[43], 0);
    VAL(RING_SIZE(&front), 32);
    VAL(RING_SIZE(&back), 32);
    VAL(RING_FREE_REQUESTS(&front), 32);
    CU_ASSERT(!RING_FULL(&front));
    CU_ASSERT(!RING_HAS_UNCONSUMED_REQUESTS(&back));

    /* Frontend queues three requests; the backend asked for an event at 1. */
    for (unsigned int i = 0; i < 3; i++) {
        struct blkif_request *rq = RING_GET_REQUEST(&front, front.req_prod_pvt);
        memset(rq, 0, sizeof(*rq));
        rq->operation = BLKIF_OP_READ;
        rq->id = 100 + i;
        front.req_prod_pvt++;
    }
    VAL(RING_FREE_REQUESTS(&front), 29);
    CU_ASSERT(!RING_HAS_UNCONSUMED_REQUESTS(&back));   /* not yet published */
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    CU_ASSERT(notify);
    VAL(s->req_prod, 3);

    /* A further push without the backend re-arming needs no event. */
    front.req_prod_pvt++;
    RING_GET_REQUEST(&front, 3)->id = 103;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    CU_ASSERT(!notify);

    /* Backend consumes everything and answers each request. */
    VAL(RING_HAS_UNCONSUMED_REQUESTS(&back), 4);
    while (RING_HAS_UNCONSUMED_REQUESTS(&back)) {
        struct blkif_request rq;
        CU_ASSERT(!RING_REQUEST_CONS_OVERFLOW(&back, back.req_cons));
        RING_COPY_REQUEST(&back, back.req_cons, &rq);
        back.req_cons++;
        struct blkif_response *rsp = RING_GET_RESPONSE(&back, back.rsp_prod_pvt);
        rsp->id = rq.id;
        rsp->operation = rq.operation;
        rsp->status = BLKIF_RSP_OKAY;
        back.rsp_prod_pvt++;
    }
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
    CU_ASSERT(notify);
    RING_FINAL_CHECK_FOR_REQUESTS(&back, work);
    CU_ASSERT(!work);
    VAL(s->req_event, 5);   /* re-armed for the next request */

    /* Frontend collects the responses in order. */
    VAL(RING_HAS_UNCONSUMED_RESPONSES(&front), 4);
    for (unsigned int i = 0; i < 4; i++) {
        struct blkif_response *rsp = RING_GET_RESPONSE(&front, front.rsp_cons);
        VAL(rsp->id, 100 + i);
        VAL(rsp->status, BLKIF_RSP_OKAY);
        front.rsp_cons++;
    }
    RING_FINAL_CHECK_FOR_RESPONSES(&front, work);
    CU_ASSERT(!work);
    VAL(s->rsp_event, 5);
    VAL(RING_FREE_REQUESTS(&front), 32);

    /* The next request now crosses req_event, so it must notify. */
    RING_GET_REQUEST(&front, front.req_prod_pvt)->id = 104;
    front.req_prod_pvt++;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    CU_ASSERT(notify);
    RING_FINAL_CHECK_FOR_REQUESTS(&back, work);
    CU_ASSERT(work);
}

static void test_ring_full_and_wrap(void)
{
    struct netif_tx_sring *s = (struct netif_tx_sring *)ring_page;
    struct netif_tx_front_ring front;
    struct netif_tx_back_ring back;
    const RING_IDX start = 0xfffffff0u;    /* indexes wrap through 2^32 */
    int notify;

    SHARED_RING_INIT(s);
    s->req_prod = s->rsp_prod = start;
    FRONT_RING_ATTACH(&front, s, start, sizeof(ring_page));
    BACK_RING_ATTACH(&back, s, start, sizeof(ring_page));
    VAL(RING_SIZE(&front), 256);

    for (unsigned int i = 0; i < 256; i++) {
        RING_GET_REQUEST(&front, front.req_prod_pvt)->id = (uint16_t)i;
        front.req_prod_pvt++;
    }
    CU_ASSERT(RING_FULL(&front));
    RING_PUSH_REQUESTS(&front);
    VAL(s->req_prod, start + 256);          /* wrapped to 0xf0 */
    VAL(RING_HAS_UNCONSUMED_REQUESTS(&back), 256);
    CU_ASSERT(!RING_REQUEST_PROD_OVERFLOW(&back, s->req_prod));
    CU_ASSERT(RING_REQUEST_PROD_OVERFLOW(&back, s->req_prod + 1));
    /* Slot of the last request is (start + 255) mod 256 = 0xef. */
    VAL(RING_GET_REQUEST(&back, start + 255)->id, 255);
    VAL((uint8_t *)RING_GET_REQUEST(&back, start) - ring_page, 64 + 0xf0 * 12);

    back.req_cons += 256;
    CU_ASSERT(RING_REQUEST_CONS_OVERFLOW(&back, back.req_cons));
    for (unsigned int i = 0; i < 256; i++) {
        struct netif_tx_response *rsp = RING_GET_RESPONSE(&back, back.rsp_prod_pvt);
        rsp->id = (uint16_t)i;
        rsp->status = NETIF_RSP_OKAY;
        back.rsp_prod_pvt++;
    }
    s->rsp_event = start + 1;
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
    CU_ASSERT(notify);
    VAL(RING_HAS_UNCONSUMED_RESPONSES(&front), 256);
    CU_ASSERT(!RING_RESPONSE_PROD_OVERFLOW(&front, s->rsp_prod));
    CU_ASSERT(RING_RESPONSE_PROD_OVERFLOW(&front, s->rsp_prod + 1));

    /* rsp_event beyond the published range: no event is due. */
    back.rsp_prod_pvt++;
    s->rsp_event = back.rsp_prod_pvt + 5;
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
    CU_ASSERT(!notify);
}

static void test_ring_sizes(void)
{
    VAL(XEN_RING_POW2_FLOOR(1), 1);
    VAL(XEN_RING_POW2_FLOOR(36), 32);
    VAL(XEN_RING_POW2_FLOOR(504), 256);
    VAL(XEN_RING_POW2_FLOOR(0x80000001u), 0x80000000u);
    VAL(XEN_RING_POW2_FLOOR(0), 0);
    /* Multi-page rings (ring-page-order): one header, then entries. */
    VAL(__CONST_RING_SIZE(blkif, 4 * 4096), 128);      /* 145 fit */
    VAL(__CONST_RING_SIZE(netif_rx, 2 * 4096), 512);   /* 1016 fit */
}

void unit_register(void)
{
    static const struct unit_case numbers[] = {
        { "hypercall numbers", test_hypercall_numbers },
        { "core constants", test_core_constants },
        { "x86-64 constants", test_x86_64_constants },
        { NULL, NULL },
    };
    static const struct unit_case core[] = {
        { "start_info", test_start_info },
        { "shared_info and vcpu_info", test_shared_info },
        { "mmu_update, mmuext_op, multicall", test_mmu_and_multicall },
        { "vcpu_guest_context", test_vcpu_context },
        { "dom0_vga_console_info", test_vga_console_info },
        { NULL, NULL },
    };
    static const struct unit_case ops[] = {
        { "event channels", test_event_channels },
        { "sched_op and vcpu_op", test_sched_and_vcpu },
        { "grant tables", test_grant_tables },
        { "memory_op", test_memory },
        { "physdev_op", test_physdev },
        { "platform_op", test_platform },
        { "version, features, callbacks, ELF notes", test_version_features },
        { NULL, NULL },
    };
    static const struct unit_case io[] = {
        { "console, xenstore, xenbus", test_console_xenstore },
        { "netif", test_netif },
        { "blkif", test_blkif },
        { "ring round trip", test_ring_round_trip },
        { "ring full and index wrap", test_ring_full_and_wrap },
        { "ring sizes", test_ring_sizes },
        { NULL, NULL },
    };
    unit_add_suite("public ABI: numbers", numbers);
    unit_add_suite("public ABI: core structures", core);
    unit_add_suite("public ABI: hypercall arguments", ops);
    unit_add_suite("public ABI: I/O protocols", io);
}
