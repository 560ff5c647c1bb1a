/* SPDX-License-Identifier: MIT */
#ifndef XB_PRIV_H
#define XB_PRIV_H

/*
 * Inside libxenobuild.  The steps that need no hypervisor (reading and
 * unpacking the kernel, writing the domain's start-of-day memory image
 * into a buffer) are separate from the ones that do (build.c), so the
 * former are tested hosted (tests/unit/test_xenobuild*.c).
 *
 * ELF parsing and the layout are the hypervisor's own code compiled hosted
 * (hypervisor/common/kernel_image.c, pv_layout.c), magic sniffing is
 * hypervisor/lib/decompress.c's detect_compression(): one rule, one place.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#include "xeno/decompress.h"
#include "xeno/kernel_image.h"
#include "xeno/pv_layout.h"

#define XB_PAGE 4096UL

/* Largest kernel/ramdisk file and unpacked kernel accepted (sanity). */
#define XB_MAX_FILE   (1024UL << 20)
#define XB_MAX_UNPACK (1024UL << 20)

/* "fmt..." into err (may be NULL); returns rc. */
int xb_err(char *err, size_t errlen, int rc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* file.c: the whole file in *buf (malloc), -errno with the reason. */
int xb_read_file(const char *what, const char *path, uint8_t **buf, size_t *len, char *err,
                 size_t errlen);

/*
 * unpack.c: decompress in (format c) into a new malloc'd buffer.  expect:
 * the size the data must unpack to (a bzImage's trailer), 0 unknown.
 * Trailing bytes after the compressed stream are ignored (the bzImage
 * size word).  0, -EOPNOTSUPP (format not handled), -EINVAL (corrupt,
 * truncated, or not the expected size), -ENOMEM; *why is static text.
 */
int xb_unpack(enum compression c, const uint8_t *in, size_t in_len, size_t expect, uint8_t **out,
              size_t *out_len, const char **why);

/* kernel.c: a kernel file read, unwrapped and parsed. */
struct xb_kernel {
    uint8_t *file;              /* the file as read */
    size_t file_len;
    uint8_t *unpacked;          /* decompressed ELF (NULL for a bare ELF) */
    const uint8_t *elf;         /* file or unpacked */
    size_t elf_len;
    struct pv_elf_info info;
    char format[48];
    bool borrowed;              /* buffers belong to the kernel cache */
};
/* From a buffer (taken over: freed by xb_kernel_free even on failure). */
int xb_kernel_parse(const char *path, uint8_t *file, size_t len, struct xb_kernel *k, char *err,
                    size_t errlen);
int xb_kernel_load(const char *path, struct xb_kernel *k, char *err, size_t errlen);
void xb_kernel_free(struct xb_kernel *k);
/* xb_kernel_load through the kernel cache (kernel_cache.c): the result may
 * borrow the cache's buffers; xb_kernel_free() it as usual. */
int xb_kernel_get(const char *path, struct xb_kernel *k, char *err, size_t errlen);

/*
 * image.c: the start-of-day memory of a PV domU, written into mem, which
 * holds pfns [0, layout.next_pfn) contiguously (pfn i at mem + i * 4 KiB;
 * the builder maps them there, the tests use plain memory).  p2m gives
 * each pfn's MFN.  Every page of mem not holding kernel or ramdisk bytes
 * is zeroed (fresh frames need not be).
 */
struct xb_image {
    const struct xb_kernel *kernel;
    const uint8_t *ramdisk;
    size_t ramdisk_len;
    const char *cmdline;
    const struct pv_layout *layout;
    unsigned long nr_pages;
    const xen_pfn_t *p2m;       /* nr_pages entries */
    uint64_t shared_info_maddr; /* start_info.shared_info */
    uint32_t store_evtchn, console_evtchn;
};
int xb_image_write(const struct xb_image *im, uint8_t *mem, const char **why);

/* The layout of a domU of nr_pages for kernel k and a ramdisk of
 * ramdisk_len bytes (the hypervisor's dom0 builder's choices). */
int xb_layout(const struct xb_kernel *k, unsigned long nr_pages, size_t ramdisk_len,
              struct pv_layout *l, const char **why);

/* vCPU 0's start state (Xen's libxenguest vcpu_x86_64). */
void xb_boot_context(const struct xb_kernel *k, const struct pv_layout *l, xen_pfn_t l4_mfn,
                     vcpu_guest_context_t *ctx);

/* Grant entries 0 (console) and 1 (xenstore) written into the domain's
 * first grant frame (v1 entries, GTF_permit_access). */
void xb_grant_seed(void *frame, uint32_t console_domid, xen_pfn_t console_gfn, uint32_t store_domid,
                   xen_pfn_t store_gfn);

#endif
