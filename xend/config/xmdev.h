/* SPDX-License-Identifier: MIT */
/*
 * The device specs of xm config files:
 *
 *   disk = [ 'BACKEND,FRONTEND,MODE[,BACKEND-DOMAIN[,PROTOCOL]]', ... ]
 *     BACKEND   TYPE:TARGET: phy:/dev/vg/lv, phy:sda7, file:/srv/img,
 *               tap:aio:/srv/img (also tap:sync:, tap:qcow:, tap:qcow2:,
 *               tap:vhd:, tap:vmdk:, tap:ram:, tap2:tapdisk:aio:...), or any
 *               X:TARGET run by /etc/xen/scripts/block-X (nbd:, iscsi:,
 *               drbd:...). Empty only for an empty CD-ROM drive.
 *     FRONTEND  xvda, xvdb3, xvdaa... (sdX, hdX and plain numbers are
 *               accepted too), with an optional :disk or :cdrom suffix.
 *     MODE      r (read-only), w (read-write), w! (read-write even when
 *               another domain has it writable).
 *
 *   vif = [ 'KEY=VALUE,KEY=VALUE', ... ]   ('' gives a NIC with defaults)
 *     keys: mac, bridge, ip, script, type, backend, vifname, rate, model,
 *     accel, policy, label (xm's set; anything else is an error).
 *
 * The parsers check one spec; duplicates across specs are the caller's
 * business (xmconfig.c). On error they return -1 with a message in err
 * and the byte offset in the spec where the problem is in *err_off, so the
 * caller can point at the exact column.
 */
#ifndef XEND_CONFIG_XMDEV_H
#define XEND_CONFIG_XMDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

enum xm_disk_mode {
    XM_DISK_R,
    XM_DISK_W,
    XM_DISK_W_SHARED,   /* "w!" */
};

struct xm_disk {
    char *spec;         /* the text as written */
    char *uname;        /* "phy:/dev/vg/x"; "" for an empty CD-ROM */
    char *type;         /* "phy", "file", "tap:aio", "tap2:tapdisk:aio", "nbd"...; "" if empty */
    char *target;       /* what follows the type: "/dev/vg/x" */
    char *vdev;         /* "xvda" (without :disk / :cdrom) */
    bool cdrom;
    uint32_t devid;     /* xenstore device number: xvda = 51712 */
    enum xm_disk_mode mode;
    char *backend;      /* backend domain (name or id), NULL for dom0 */
    char *protocol;     /* NULL, "x86_32-abi" or "x86_64-abi" */
};

struct xm_vif {
    char *spec;
    char *mac;
    char *bridge;
    char *ip;
    char *script;
    char *type;
    char *backend;
    char *vifname;
    char *rate;
    char *model;
    char *accel;
    char *policy;
    char *label;
};

/*
 * Device number of a virtual block device name (xvda -> 51712, xvda1 ->
 * 51713, xvdq -> 268439552, sda -> 2048, hda -> 768, or a plain decimal
 * number). Returns 0 or -1 with a message in err.
 */
int xm_vdev_number(const char *name, uint32_t *devid, struct strbuf *err);
/* The mode as written in a spec: "r", "w" or "w!". */
const char *xm_disk_mode_name(enum xm_disk_mode mode);

/* Parse one disk spec. On success fills d (free with xm_disk_free). */
int xm_disk_parse(const char *spec, struct xm_disk *d, struct strbuf *err, size_t *err_off);
/* Non-fatal advice about a parsed disk (e.g. sdX names), or "" if none. */
void xm_disk_advice(const struct xm_disk *d, struct strbuf *out);
void xm_disk_free(struct xm_disk *d);
void xm_disk_copy(struct xm_disk *dst, const struct xm_disk *src);

/* Parse one vif spec. */
int xm_vif_parse(const char *spec, struct xm_vif *v, struct strbuf *err, size_t *err_off);
void xm_vif_free(struct xm_vif *v);
void xm_vif_copy(struct xm_vif *dst, const struct xm_vif *src);
/* Check a MAC address "00:16:3e:xx:xx:xx" (six two-digit hex octets, unicast). */
bool xm_mac_valid(const char *mac, struct strbuf *err);

#endif
