/* SPDX-License-Identifier: MIT */
/*
 * libxenobuild: dom0's user-space PV domain builder
 * (build/dom0-tools/libxenobuild.a, sources in dom0-tools/builder/).
 *
 * Builds a 64-bit PV Linux domU the way Xen's libxenguest does
 * (tools/libs/guest/xg_dom_*.c): the kernel (bare ELF or bzImage whose
 * payload is gzip, xz, lzma, lz4, zstd or bzip2 — decompressed with zlib,
 * liblzma, liblz4, libzstd, libbz2), optional ramdisk (kept as the file
 * is: Linux unpacks it itself), command line, start_info, p2m list,
 * bootstrap page tables (layout: hypervisor/include/xeno/pv_layout.h, the
 * same code the hypervisor's dom0 builder uses), the xenstore and console
 * pages with their unbound event channels for the back-end domains, grant
 * references 0 (console) and 1 (xenstore) seeded for those domains
 * (GNTTAB_RESERVED_CONSOLE/XENSTORE), and vCPU 0's context.
 *
 * The domain is left paused; the caller (xend) introduces it to xenstored
 * (XS_INTRODUCE domid store_mfn store_port), writes its xenstore tree and
 * unpauses it.
 *
 * Errors: negative errno, and a one-line reason for the user in err
 * ("kernel /boot/x: bzImage payload is lz4 but ..."), naming the file and
 * what was wrong.  On any failure after the domain was created it is
 * destroyed again: nothing is left behind.
 *
 * The ramdisk is passed as a PFN range after the boot mapping
 * (SIF_MOD_START_PFN) when the kernel has the MOD_START_PFN note, as
 * libxenguest does for Linux; otherwise mapped, with its VA in mod_start.
 *
 * Build with -I xen-public-headers -I dom0-tools/include; link
 * $(XENOBUILD_LIB) $(XENOCTRL_LIB) $(XENOBUILD_LDLIBS) (mk/builder.mk),
 * -static for dom0.  Sources and notes: dom0-tools/builder/README.md.
 */
#ifndef XENOBUILD_H
#define XENOBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenoctrl.h"

#ifdef __cplusplus
extern "C" {
#endif

struct xenobuild_spec {
    const char *kernel;         /* path; required */
    const char *ramdisk;        /* path or NULL */
    const char *cmdline;        /* NULL: empty */
    uint64_t memory_kb;         /* initial allocation (xm "memory" * 1024) */
    uint64_t maxmem_kb;         /* hard limit (>= memory_kb; 0: memory_kb) */
    unsigned int vcpus;         /* online at boot (1..max_vcpus) */
    unsigned int max_vcpus;     /* 0: vcpus */
    uint8_t uuid[16];           /* domain handle */
    uint32_t store_domid;       /* back end of the xenstore ring (0) */
    uint32_t console_domid;     /* back end of the console ring (0) */
    uint32_t want_domid;        /* 0: the hypervisor picks */
};

struct xenobuild_result {
    uint32_t domid;
    uint64_t store_mfn;         /* start_info.store_mfn */
    uint32_t store_port;        /* unbound, remote = store_domid */
    uint64_t console_mfn;       /* start_info.console.domU.mfn */
    uint32_t console_port;      /* unbound, remote = console_domid */
    uint64_t nr_pages;          /* pages given to the domain */
    char kernel_format[48];     /* e.g. "bzImage (xz)", "ELF" */
    double build_seconds;       /* the whole call: kernel read and unpacked .. ready to unpause */
};

/* What the kernel file is, without creating anything (config checks). */
struct xenobuild_kernel_info {
    char format[48];            /* as in xenobuild_result */
    char guest_os[32];          /* XEN_ELFNOTE_GUEST_OS */
    uint64_t virt_base, entry;
};

/*
 * Read and check a kernel: 0, or -errno with the reason in err
 * (-ENOENT missing file, -ENOEXEC not a PV kernel, -EOPNOTSUPP an
 * unsupported compression, -EINVAL malformed).
 */
int xenobuild_probe_kernel(const char *path, struct xenobuild_kernel_info *info, char *err,
                           size_t errlen);

/*
 * Create and build a domain; on success it exists, paused, with
 * result filled.  -ENOMEM when the host has too little free memory.
 */
int xenobuild_create(xenoctrl *x, const struct xenobuild_spec *spec,
                     struct xenobuild_result *result, char *err, size_t errlen);

/*
 * Keep the last kernel built (its file and unpacked image) for the next
 * build from the same file (same device, inode, size and mtime), if it
 * takes at most `bytes` of memory; 0 (the default) turns the cache off
 * and frees the entry.  For long-lived callers such as xend: it saves the
 * unpacking, most of a build.
 */
void xenobuild_kernel_cache_limit(size_t bytes);
/* Builds that found their kernel in the cache (for logs and tests). */
unsigned long xenobuild_kernel_cache_hits(void);

#ifdef __cplusplus
}
#endif
#endif
