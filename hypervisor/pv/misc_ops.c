/* SPDX-License-Identifier: MIT */
/* xen_version, console_io, vm_assist, platform_op: information and console. */
#include <xen/features.h>
#include <xen/version.h>
#include <xen/xen.h>
#include <xeno/console.h>
#include <xeno/errno.h>
#include <xeno/guest_access.h>
#include <xeno/hypercall.h>
#include <xeno/lib.h>
#include <xeno/pv.h>
#include <xeno/setup.h>

#define XEN_MAJOR 4
#define XEN_MINOR 17

static long copy_string_out(uint64_t arg, const char *s, size_t size)
{
    char buf[1024];
    memset(buf, 0, size);
    strlcpy(buf, s, size);
    return copy_to_guest(arg, buf, size);
}

long do_xen_version(HC_ARGS)
{
    unsigned long cmd = a1;
    uint64_t arg = a2;
    struct domain *d = current->domain;

    switch (cmd) {
    case XENVER_version:
        return (XEN_MAJOR << 16) | XEN_MINOR;
    case XENVER_extraversion:
        return copy_string_out(arg, ".0-xeno", sizeof(xen_extraversion_t));
    case XENVER_compile_info: {
        struct xen_compile_info ci;
        memset(&ci, 0, sizeof(ci));
        strlcpy(ci.compiler, "gcc", sizeof(ci.compiler));
        strlcpy(ci.compile_by, "xeno", sizeof(ci.compile_by));
        strlcpy(ci.compile_domain, "xeno.invalid", sizeof(ci.compile_domain));
        strlcpy(ci.compile_date, __DATE__, sizeof(ci.compile_date));
        return copy_to_guest(arg, &ci, sizeof(ci));
    }
    case XENVER_capabilities:
        /* 64-bit PV guests only. */
        return copy_string_out(arg, "xen-3.0-x86_64 ", sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string_out(arg, "xeno " XENO_VERSION, sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters: {
        struct xen_platform_parameters pp = { .virt_start = HYPERVISOR_VIRT_START };
        return copy_to_guest(arg, &pp, sizeof(pp));
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;
        if (copy_from_guest(&fi, arg, sizeof(fi)))
            return -EFAULT;
        if (fi.submap_idx != 0)
            return -EINVAL;
        /* What Xen reports to a 64-bit PV guest; Linux panics without
         * mmu_pt_update_preserve_ad and gnttab_map_avail_bits. */
        fi.submap = (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_highmem_assist) |
                    (1u << XENFEAT_gnttab_map_avail_bits);
        if (d->vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3))
            fi.submap |= 1u << XENFEAT_pae_pgdir_above_4gb;
        if (d->is_privileged)
            fi.submap |= 1u << XENFEAT_dom0;
        return copy_to_guest(arg, &fi, sizeof(fi));
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle:
        return copy_to_guest(arg, d->handle, sizeof(d->handle));
    case XENVER_commandline:
        /* Xen answers an unprivileged caller with "<denied>", not an error. */
        return copy_string_out(arg, d->is_privileged ? bootinfo.cmdline : "<denied>", 1024);
    default:
        return -ENOSYS;
    }
}

long do_console_io(HC_ARGS)
{
    unsigned long cmd = a1, count = a2;
    uint64_t buf = a3;
    struct domain *d = current->domain;

    /* Like Xen's default policy: the console belongs to the control domain;
     * boot-time domUs have no console back end yet, so they may write it
     * too, each line tagged with the domain. */
    if (!d->is_privileged && !(d->console_io_allowed && cmd == CONSOLEIO_write))
        return -EPERM;
    switch (cmd) {
    case CONSOLEIO_write: {
        char chunk[256];
        unsigned long done = 0;
        while (done < count) {
            size_t n = MIN(count - done, sizeof(chunk));
            if (copy_from_guest(chunk, buf + done, n))
                return -EFAULT;
            if (d->is_privileged)
                console_write_raw(chunk, n);
            else
                console_write_guest(d->domid, chunk, n);
            done += n;
        }
        return 0;
    }
    case CONSOLEIO_read: {
        unsigned long n = 0;
        int c;
        while (n < count && (c = console_getc_for_guest()) >= 0) {
            char ch = c;
            if (copy_to_guest(buf + n, &ch, 1))
                return -EFAULT;
            n++;
        }
        return n;
    }
    default:
        return -ENOSYS;
    }
}

long do_vm_assist(HC_ARGS)
{
    unsigned long cmd = a1, type = a2;
    struct domain *d = current->domain;
    /* The assists a 64-bit PV guest may ask for (Xen's VM_ASSIST_VALID). */
    const unsigned long valid = (1UL << VMASST_TYPE_writable_pagetables) |
                                (1UL << VMASST_TYPE_pae_extended_cr3) |
                                (1UL << VMASST_TYPE_architectural_iopl) |
                                (1UL << VMASST_TYPE_runstate_update_flag) |
                                (1UL << VMASST_TYPE_m2p_strict);
    if (type >= 64 || !(valid & (1UL << type)))
        return -EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        __atomic_fetch_or(&d->vm_assist, 1UL << type, __ATOMIC_SEQ_CST);
        return 0;
    case VMASST_CMD_disable:
        __atomic_fetch_and(&d->vm_assist, ~(1UL << type), __ATOMIC_SEQ_CST);
        return 0;
    default:
        return -ENOSYS;
    }
}

long do_platform_op(HC_ARGS)
{
    /* Firmware and power-management sub-ops come with the dom0 hardware
     * work; Linux tolerates -ENOSYS for every one of them. */
    return -ENOSYS;
}
