/* SPDX-License-Identifier: MIT */
/*
 * A disk's xenstore nodes (docs/devices.md §1; Xen's blkif.py). Pure code.
 *
 * Linux's blkback reads params/type/mode only to report them: the device it
 * serves is BE/physical-device ("MAJOR:MINOR"), which the block script
 * writes after it has found or set up (losetup) the target. The frontend
 * takes virtual-device and device-type (cdrom) from FE.
 */
#include "device.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../config/xmdev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void dev_vbd_nodes(const struct xm_disk *disk, bool bootable, uint32_t domid,
                   const char *scripts_dir, struct dev_nodes *out)
{
    char id[16];
    /* Xen split the uname at its first ':': tap:aio:/img is type tap, params aio:/img. */
    const char *colon = strchr(disk->uname, ':');
    char *type = colon ? xstrndup(disk->uname, (size_t)(colon - disk->uname)) : xstrdup("");
    const char *params = colon ? colon + 1 : disk->uname;
    const char *devtype = disk->cdrom ? "cdrom" : "disk";

    dev_nodes_begin(out, DEV_VBD, domid, disk->devid);
    out->label = xasprintf("%s (%u, vbd)", disk->vdev, disk->devid);
    snprintf(id, sizeof(id), "%u", disk->devid);

    /* The block script handles phy and file; another type X has its own block-X. */
    char *script = NULL;
    if (*type && strcmp(type, "phy") && strcmp(type, "file")) {
        char *name = xasprintf("block-%s", type);
        struct stat st;
        script = dev_script_path(scripts_dir, name);
        free(name);
        if (stat(script, &st) < 0) {
            free(script);
            script = NULL;
        }
    }
    if (!script)
        script = dev_script_path(scripts_dir, "block");

    struct xst_list *l = &out->entries;
    dev_put(l, out->be, "type", type);
    dev_put(l, out->be, "params", params);
    dev_put(l, out->be, "mode", xm_disk_mode_name(disk->mode));
    dev_put(l, out->be, "dev", disk->vdev);
    dev_put(l, out->be, "device-type", devtype);
    dev_put(l, out->be, "script", script);
    dev_put(l, out->be, "bootable", bootable ? "1" : "0");
    dev_nodes_front(out);
    dev_put(l, out->fe, "virtual-device", id);
    dev_put(l, out->fe, "device-type", devtype);
    dev_nodes_end(out);
    free(script);
    free(type);
}
