/* SPDX-License-Identifier: MIT */
/*
 * libxenobuild: a kernel file made into a parsed PV ELF image.  A bzImage
 * is unwrapped (boot protocol fields, kernel_image.c) and its payload
 * unpacked to the size its trailer states; a bare ELF may itself be
 * compressed as a whole (vmlinux.gz), as libxenguest accepts.  The Xen
 * notes are read by the hypervisor's parser, and a domU kernel must not
 * require XENFEAT_dom0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xb_priv.h"
#include "xenobuild.h"

void xb_kernel_free(struct xb_kernel *k)
{
    if (!k->borrowed) {
        free(k->file);
        free(k->unpacked);
    }
    memset(k, 0, sizeof(*k));
}

static int unwrap(const char *path, struct xb_kernel *k, char *err, size_t errlen)
{
    const uint8_t *payload;
    size_t payload_len, expect;
    const char *why = NULL;
    int rc = bzimage_payload(k->file, k->file_len, &payload, &payload_len, &why);

    if (rc == 0) {
        enum compression c = detect_compression(payload, payload_len);
        snprintf(k->format, sizeof(k->format), "bzImage (%s)", compression_name(c));
        if (bzimage_output_size(payload, payload_len, &expect))
            return xb_err(err, errlen, -EINVAL, "kernel %s: bzImage payload too short for its size word",
                          path);
        rc = xb_unpack(c, payload, payload_len, expect, &k->unpacked, &k->elf_len, &why);
        if (rc)
            return xb_err(err, errlen, rc, "kernel %s: bzImage payload is %s: %s", path,
                          compression_name(c), why);
        k->elf = k->unpacked;
        return 0;
    }
    if (rc != -ENOEXEC)
        return xb_err(err, errlen, rc, "kernel %s: %s", path, why ? why : "malformed bzImage");
    enum compression c = detect_compression(k->file, k->file_len);
    if (c == COMPRESSION_NONE) {
        snprintf(k->format, sizeof(k->format), "ELF");
        k->elf = k->file;
        k->elf_len = k->file_len;
        return 0;
    }
    snprintf(k->format, sizeof(k->format), "ELF (%s)", compression_name(c));
    rc = xb_unpack(c, k->file, k->file_len, 0, &k->unpacked, &k->elf_len, &why);
    if (rc)
        return xb_err(err, errlen, rc, "kernel %s: file is %s: %s", path, compression_name(c), why);
    k->elf = k->unpacked;
    return 0;
}

int xb_kernel_parse(const char *path, uint8_t *file, size_t len, struct xb_kernel *k, char *err,
                    size_t errlen)
{
    memset(k, 0, sizeof(*k));
    k->file = file;
    k->file_len = len;
    int rc = unwrap(path, k, err, errlen);
    if (rc)
        return rc;
    const char *why = NULL;
    rc = elf_parse_pv(k->elf, k->elf_len, &k->info, &why);
    if (rc == -ENOEXEC)
        return xb_err(err, errlen, rc, "kernel %s (%s): not a Xen PV kernel: %s", path, k->format,
                      why ? why : "no Xen ELF notes");
    if (rc)
        return xb_err(err, errlen, rc, "kernel %s (%s): %s", path, k->format, why ? why : "malformed ELF");
    if ((rc = pv_elf_check_domu(&k->info, &why)) != 0)
        return xb_err(err, errlen, rc, "kernel %s: %s", path, why);
    return 0;
}

int xb_kernel_load(const char *path, struct xb_kernel *k, char *err, size_t errlen)
{
    uint8_t *file;
    size_t len;
    memset(k, 0, sizeof(*k));
    if (!path || !*path)
        return xb_err(err, errlen, -EINVAL, "no kernel given");
    int rc = xb_read_file("kernel", path, &file, &len, err, errlen);
    if (rc)
        return rc;
    return xb_kernel_parse(path, file, len, k, err, errlen);
}

int xenobuild_probe_kernel(const char *path, struct xenobuild_kernel_info *info, char *err, size_t errlen)
{
    struct xb_kernel k;
    int rc = xb_kernel_load(path, &k, err, errlen);
    if (!rc && info) {
        memset(info, 0, sizeof(*info));
        snprintf(info->format, sizeof(info->format), "%s", k.format);
        snprintf(info->guest_os, sizeof(info->guest_os), "%s", k.info.guest_os);
        info->virt_base = k.info.virt_base;
        info->entry = k.info.entry;
    }
    xb_kernel_free(&k);
    return rc;
}
