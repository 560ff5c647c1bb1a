/* SPDX-License-Identifier: MIT */
/*
 * xm block-attach, block-detach, block-list, network-attach,
 * network-detach, network-list (xend's device_create, destroyDevice and
 * getDeviceSxprs). A running domain's devices are connected or removed
 * at once (device.h); the config keeps them either way, so that a
 * managed domain starts with them and a restart brings them back.
 */
#include "ops.h"
#include "xend.h"
#include "hotplug.h"
#include "xlog.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../config/xmdev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The config with the change must still be one a config file could give (no
   repeated device, MAC or vifname), or a restarted xend would refuse it. */
static int config_still_valid(struct xdom *d, struct xerr *e)
{
    struct json *j = xm_config_to_json(&d->cfg);
    struct xm_domain_config check;
    int rc = xdom_config_from_request(j, &check, e);

    json_free(j);
    if (rc == 0)
        xm_config_free(&check);
    return rc;
}

static void drop_disk(struct xm_domain_config *c, size_t i)
{
    xm_disk_free(&c->disks[i]);
    memmove(&c->disks[i], &c->disks[i + 1], (c->nr_disks - i - 1) * sizeof(*c->disks));
    c->nr_disks--;
}

static void drop_vif(struct xm_domain_config *c, size_t i)
{
    xm_vif_free(&c->vifs[i]);
    memmove(&c->vifs[i], &c->vifs[i + 1], (c->nr_vifs - i - 1) * sizeof(*c->vifs));
    c->nr_vifs--;
}

static struct xdom *config_domain(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = ops_arg_domain(x, args, false, e);

    if (d && !d->has_config) {
        xerr_set(e, XEND_E_NOT_SUPPORTED, "Domain %s was not created by xend.", d->name);
        return NULL;
    }
    return d;
}

static bool backend_is_dom0(const char *b)
{
    return !b || !strcmp(b, "0") || !strcmp(b, "Domain-0");
}

struct json *ops_block_attach(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = config_domain(x, args, e);
    const char *uname = d ? ops_arg_str(args, "uname", e) : NULL;
    const char *dev = uname ? ops_arg_str(args, "dev", e) : NULL;
    const char *mode = dev ? ops_arg_str(args, "mode", e) : NULL;
    const char *backend = json_get(args, "backend") ? ops_arg_str(args, "backend", e) : NULL;

    if (!mode || (json_get(args, "backend") && !backend))
        return NULL;
    struct strbuf spec = STRBUF_INIT, err = STRBUF_INIT;
    struct xm_disk disk;
    size_t off;
    sb_printf(&spec, "%s,%s,%s%s%s", uname, dev, mode, backend ? "," : "", backend ? backend : "");
    int rc = xm_disk_parse(sb_str(&spec), &disk, &err, &off);
    if (rc < 0)
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Invalid disk '%s': %s", sb_str(&spec), sb_str(&err));
    sb_free(&spec);
    sb_free(&err);
    if (rc < 0)
        return NULL;
    if (!backend_is_dom0(disk.backend)) {
        xerr_set(e, XEND_E_NOT_SUPPORTED, "Backend domain %s: Xeno's backends are in Domain-0 "
                 "only.", disk.backend);
        xm_disk_free(&disk);
        return NULL;
    }
    struct xm_domain_config *c = &d->cfg;
    for (size_t i = 0; i < c->nr_disks; i++) {
        if (c->disks[i].devid == disk.devid) {
            xerr_set(e, XEND_E_EXISTS, "Device %s (%u, vbd) is already connected.", disk.vdev,
                     disk.devid);
            xm_disk_free(&disk);
            return NULL;
        }
    }
    c->disks = xreallocarray(c->disks, c->nr_disks + 1, sizeof(*c->disks));
    c->disks[c->nr_disks++] = disk;
    if (config_still_valid(d, e) < 0) {
        drop_disk(c, c->nr_disks - 1);
        return NULL;
    }
    if (d->active) {
        struct dev_nodes n;
        dev_vbd_nodes(&c->disks[c->nr_disks - 1], c->nr_disks == 1, d->domid,
                      hotplug_scripts_dir(), &n);
        rc = dev_connect(x, &n, e);
        dev_nodes_free(&n);
        if (rc < 0) {
            drop_disk(c, c->nr_disks - 1);
            return NULL;
        }
    }
    xlog_info("Domain %s: disk %s attached.", d->name, c->disks[c->nr_disks - 1].spec);
    return ops_persist(x, d, e) < 0 ? NULL : json_null();
}

/* The lowest handle no vif of the running domain uses (xend's allocateDeviceID). */
static uint32_t free_handle(struct xend *x, uint32_t domid)
{
    uint32_t ids[256], h = 0;
    size_t n = dev_ids(x, domid, DEV_VIF, ids, 256);

    for (size_t i = 0; i < n && ids[i] == h; i++)
        h++;
    return h;
}

struct json *ops_network_attach(struct xend *x, const struct json *args, struct xerr *e)
{
    struct xdom *d = config_domain(x, args, e);
    const char *spec = d ? ops_arg_str(args, "vif", e) : NULL;

    if (!spec)
        return NULL;
    struct strbuf err = STRBUF_INIT;
    struct xm_vif vif;
    size_t off;
    int rc = xm_vif_parse(spec, &vif, &err, &off);
    if (rc < 0)
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Invalid vif '%s': %s", spec, sb_str(&err));
    sb_free(&err);
    if (rc < 0)
        return NULL;
    dev_vif_assign_mac(&vif);
    struct xm_domain_config *c = &d->cfg;
    c->vifs = xreallocarray(c->vifs, c->nr_vifs + 1, sizeof(*c->vifs));
    c->vifs[c->nr_vifs++] = vif;
    if (config_still_valid(d, e) < 0) {
        drop_vif(c, c->nr_vifs - 1);
        return NULL;
    }
    if (d->active) {
        struct dev_nodes n;
        struct strbuf why = STRBUF_INIT;
        uint32_t h = free_handle(x, d->domid);
        rc = dev_vif_nodes(&c->vifs[c->nr_vifs - 1], h, d->domid, x->opts.vif_script,
                           hotplug_scripts_dir(), &n, &why);
        if (rc < 0)
            xerr_set(e, XEND_E_INVALID_ARGUMENT, "Device %u (vif) could not be connected. %s", h,
                     sb_str(&why));
        else
            rc = dev_connect(x, &n, e);
        dev_nodes_free(&n);
        sb_free(&why);
        if (rc < 0) {
            drop_vif(c, c->nr_vifs - 1);
            return NULL;
        }
    }
    xlog_info("Domain %s: vif %s attached.", d->name, c->vifs[c->nr_vifs - 1].spec);
    return ops_persist(x, d, e) < 0 ? NULL : json_null();
}

/* xm names a vbd by number, by name (xvdb) or as vbd/51728 or /dev/xvdb. */
static int vbd_number(const char *dev, uint32_t *devid, struct xerr *e)
{
    const char *last = strrchr(dev, '/');
    struct strbuf err = STRBUF_INIT;

    last = last ? last + 1 : dev;
    int rc = xm_vdev_number(last, devid, &err);
    if (rc < 0)
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Unable to find number for device (%s)", dev);
    sb_free(&err);
    return rc;
}

static bool is_number(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static char *be_mac(struct xend *x, uint32_t domid, uint32_t devid)
{
    char *be = dev_be_path(DEV_VIF, domid, devid), *p = xasprintf("%s/mac", be);
    int err;
    char *mac = xs_read(&x->xs, 0, p, &err);
    free(p);
    free(be);
    return mac;
}

/* Which device of a running domain: its number, or for a vif also its MAC. */
static int running_devid(struct xend *x, struct xdom *d, enum dev_class cls, const char *dev,
                         uint32_t *devid, struct xerr *e)
{
    if (cls == DEV_VBD)
        return vbd_number(dev, devid, e);
    const char *last = strrchr(dev, '/');
    if (is_number(last ? last + 1 : dev)) {
        *devid = (uint32_t)strtoul(last ? last + 1 : dev, NULL, 10);
        return 0;
    }
    uint32_t ids[256];
    size_t n = dev_ids(x, d->domid, DEV_VIF, ids, 256);
    for (size_t i = 0; i < n; i++) {
        char *mac = be_mac(x, d->domid, ids[i]);
        bool same = mac && !strcasecmp(mac, dev);
        free(mac);
        if (same) {
            *devid = ids[i];
            return 0;
        }
    }
    xerr_set(e, XEND_E_INVALID_ARGUMENT, "Device %s not connected", dev);
    return -1;
}

/* The config entry of a device: index into disks or vifs, or -1. */
static long config_index(struct xend *x, struct xdom *d, enum dev_class cls, const char *dev,
                         uint32_t devid)
{
    const struct xm_domain_config *c = &d->cfg;

    if (!d->has_config)
        return -1;
    if (cls == DEV_VBD) {
        for (size_t i = 0; i < c->nr_disks; i++)
            if (c->disks[i].devid == devid)
                return (long)i;
        return -1;
    }
    char *mac = d->active ? be_mac(x, d->domid, devid) : NULL;
    const char *want = mac ? mac : strchr(dev, ':') ? dev : NULL;
    long found = -1;
    for (size_t i = 0; i < c->nr_vifs && found < 0; i++)
        if (want ? c->vifs[i].mac && !strcasecmp(c->vifs[i].mac, want) : i == devid)
            found = (long)i;
    free(mac);
    return found;
}

struct json *ops_device_detach(struct xend *x, const struct json *args, enum dev_class cls,
                               struct xerr *e)
{
    struct xdom *d = ops_arg_domain(x, args, false, e);
    const char *dev = d ? ops_arg_str(args, "device", e) : NULL;
    uint32_t devid = 0;

    if (!dev)
        return NULL;
    if (d->active) {
        if (running_devid(x, d, cls, dev, &devid, e) < 0)
            return NULL;
    } else if (cls == DEV_VBD) {
        if (vbd_number(dev, &devid, e) < 0)
            return NULL;
    } else if (is_number(dev)) {
        devid = (uint32_t)strtoul(dev, NULL, 10);
    }
    long idx = config_index(x, d, cls, dev, devid);
    if (d->active && dev_detach(x, d->domid, cls, devid, ops_arg_bool(args, "force"), e) < 0)
        return NULL;
    if (idx < 0) {
        if (d->active)
            return json_null();     /* connected, but not from the config (xend found it so) */
        xerr_set(e, XEND_E_INVALID_ARGUMENT, "Device %s is not defined", dev);
        return NULL;
    }
    if (cls == DEV_VBD)
        drop_disk(&d->cfg, (size_t)idx);
    else
        drop_vif(&d->cfg, (size_t)idx);
    xlog_info("Domain %s: device %s (%s) removed from its config.", d->name, dev,
              dev_class_name(cls));
    return ops_persist(x, d, e) < 0 ? NULL : json_null();
}

static struct json *pair(struct json *nodes, const char *key, const char *value)
{
    struct json *p = json_append(nodes, json_array());
    json_append(p, json_string(key));
    json_append(p, json_string(value ? value : ""));
    return p;
}

/* A domain that does not run: its configured devices (xend listed the config's). */
static struct json *config_list(const struct xdom *d, enum dev_class cls)
{
    struct json *arr = json_array();
    const struct xm_domain_config *c = &d->cfg;
    size_t n = cls == DEV_VBD ? c->nr_disks : c->nr_vifs;

    for (size_t i = 0; i < n; i++) {
        struct json *dev = json_append(arr, json_object());
        struct json *nodes = json_set(dev, "nodes", json_array());
        if (cls == DEV_VBD) {
            const struct xm_disk *k = &c->disks[i];
            char name[64];
            json_set(dev, "devid", json_int(k->devid));
            snprintf(name, sizeof(name), "%s:%s", k->vdev, k->cdrom ? "cdrom" : "disk");
            pair(nodes, "uname", k->uname);
            pair(nodes, "dev", name);
            pair(nodes, "mode", xm_disk_mode_name(k->mode));
        } else {
            const struct xm_vif *v = &c->vifs[i];
            json_set(dev, "devid", json_int((long long)i));
            if (v->mac)
                pair(nodes, "mac", v->mac);
            if (v->bridge)
                pair(nodes, "bridge", v->bridge);
            if (v->script)
                pair(nodes, "script", v->script);
            if (v->ip)
                pair(nodes, "ip", v->ip);
        }
    }
    return arr;
}

struct json *ops_device_list(struct xend *x, const struct json *args, enum dev_class cls,
                             struct xerr *e)
{
    struct xdom *d = ops_arg_domain(x, args, false, e);

    if (!d)
        return NULL;
    if (!d->active)
        return config_list(d, cls);
    return dev_list_json(x, d->domid, cls);
}
