/* SPDX-License-Identifier: MIT */
/*
 * A domain's split-driver devices, vbd (disks) and vif (NICs), as
 * docs/devices.md specifies them (modelled on Xen 3.x/4.0 xend's
 * DevController, blkif.py and netif.py, with the hotplug scripts run by
 * xend itself as libxl does):
 *
 *   BE = /local/domain/0/backend/CLASS/D/N     dom0's, the guest reads (n0,rD)
 *   FE = /local/domain/D/device/CLASS/N        the guest's, dom0 reads (nD,r0)
 *
 * N is a vbd's virtual-device number (xvda = 51712) or a vif's handle.
 *
 * Connecting a device: one transaction writes BE and FE (state 1 on both);
 * xend waits (polling every DEV_POLL_MS) until BE/state >= 2, i.e. the
 * backend driver took the device, then runs BE/script with "add" (vbd) or
 * "online" (vif) and checks its exit status and BE/hotplug-status; the
 * whole wait is bounded by xend-config's device-create-timeout. A failure
 * is xend's message, "Device N (CLASS) could not be connected. ...".
 *
 * Removal: BE/online = 0 and BE/state = 5 (detach), or the domain's
 * destruction (its FE directory vanishes); the backend then reaches
 * state 6 (or unregisters); xend runs the script with "remove" /
 * "offline" and removes BE (and FE). Everything is read back from
 * xenstore, so devices of domains found after a restart of xend are
 * handled the same way.
 */
#ifndef XEND_DAEMON_DEVICE_H
#define XEND_DAEMON_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xstree.h"

struct json;
struct strbuf;
struct xdom;
struct xend;
struct xerr;
struct xm_disk;
struct xm_vif;

enum dev_class { DEV_VBD, DEV_VIF };

/* How often xend looks at a backend's state while it waits. */
#define DEV_POLL_MS 20

/* "vbd", "vif". */
const char *dev_class_name(enum dev_class c);

/* One device's xenstore nodes (pure: device_vbd.c, device_vif.c). */
struct dev_nodes {
    enum dev_class cls;
    uint32_t domid, devid;
    char *be, *fe;              /* the two directories */
    char *label;                /* how messages name it: "xvdb (51728, vbd)", "1 (vif)" */
    struct xst_list entries;    /* BE then FE, each directory first with its permissions */
};

void dev_nodes_free(struct dev_nodes *n);
/* "/local/domain/0/backend/CLASS/D/N" and "/local/domain/D/device/CLASS/N"; caller frees. */
char *dev_be_path(enum dev_class c, uint32_t domid, uint32_t devid);
char *dev_fe_path(enum dev_class c, uint32_t domid, uint32_t devid);
/*
 * The nodes every device has, in three steps around the class's own:
 * begin sets out's identity and starts BE (directory n0,rD, frontend,
 * frontend-id, online = 1); front ends BE with state = 1 and starts FE
 * (directory nD,r0, backend, backend-id = 0); end writes FE/state = 1.
 */
void dev_nodes_begin(struct dev_nodes *out, enum dev_class cls, uint32_t domid, uint32_t devid);
void dev_nodes_front(struct dev_nodes *out);
void dev_nodes_end(struct dev_nodes *out);
/* dir/key = value (permissions inherited from dir) onto l. */
void dev_put(struct xst_list *l, const char *dir, const char *key, const char *value);
/* A script name as xend runs it: absolute as given, else under scripts_dir. Caller frees. */
char *dev_script_path(const char *scripts_dir, const char *name);

/* A disk's nodes; bootable for the domain's first disk. */
void dev_vbd_nodes(const struct xm_disk *disk, bool bootable, uint32_t domid,
                   const char *scripts_dir, struct dev_nodes *out);
/* A vif's nodes; default_script is xend-config's vif-script. The vif must have a MAC. */
int dev_vif_nodes(const struct xm_vif *vif, uint32_t handle, uint32_t domid,
                  const char *default_script, const char *scripts_dir, struct dev_nodes *out,
                  struct strbuf *err);
/*
 * netback's BE/rate, "BYTES,MICROSECONDS" per credit interval, from xm's
 * rate= syntax NUM[GMK]{b|B}/s[@NUM[m|u]s] (default interval 50 ms).
 * 0, or -1 if the text does not have that form.
 */
int dev_vif_rate(const char *rate, struct strbuf *out);
/*
 * A vif without a MAC gets a random one, 00:16:3e and three random bytes
 * (the fourth byte below 0x80, as xend's randomMAC), appended to its spec
 * so that the domain's stored config keeps it. true if one was assigned.
 */
bool dev_vif_assign_mac(struct xm_vif *vif);

/* device.c: with xend and xenstore. */

/*
 * Connect every disk, then every vif of d's config (d is built and
 * paused). 0, or -1 with e set (the caller destroys the domain, which
 * removes what was connected).
 */
int dev_create_all(struct xend *x, struct xdom *d, struct xerr *e);
/* Write, wait, run the script, check (see above); on failure the device is removed. */
int dev_connect(struct xend *x, const struct dev_nodes *n, struct xerr *e);

/* The devices of a domain being destroyed (their backend directories). */
struct dev_set {
    uint32_t domid;
    size_t n;
    struct dev_ref {
        enum dev_class cls;
        uint32_t devid;
        char *script;
    } *v;
};
/* Find every device of domid in xenstore and write BE/online = 0 to each. */
void dev_teardown_begin(struct xend *x, uint32_t domid, struct dev_set *s);
/*
 * Once the domain and /local/domain/D are gone: wait (up to
 * device-destroy-timeout) for each backend to close, run the scripts with
 * remove / offline, remove the backend directories; frees s.
 */
void dev_teardown_finish(struct xend *x, struct dev_set *s);

/*
 * Detach one device of a running domain: online 0, state 5 (Closing), wait
 * for the backend to close (not with force), run the script, remove BE
 * and FE. 0, or -1 with e set.
 */
int dev_detach(struct xend *x, uint32_t domid, enum dev_class cls, uint32_t devid, bool force,
               struct xerr *e);
/*
 * After a restart of xend: the devices of domains that are gone (destroyed
 * while xend was not running) are torn down like a destroyed domain's,
 * and their /local/domain/D goes too.
 * live: the hypervisor's domain IDs.
 */
void dev_cleanup_orphans(struct xend *x, const uint32_t *live, size_t n);
/* Is there a backend directory for this device? */
bool dev_exists(struct xend *x, uint32_t domid, enum dev_class cls, uint32_t devid);
/* The device numbers of a running domain's devices of a class (backend directories), sorted. */
size_t dev_ids(struct xend *x, uint32_t domid, enum dev_class cls, uint32_t *ids, size_t max);
/*
 * A running domain's devices of a class as xm's block-list / network-list
 * want them: [{"devid": N, "nodes": [[KEY, VALUE], ...]}, ...], the
 * frontend directory's nodes (xend's getDeviceSxprs).
 */
struct json *dev_list_json(struct xend *x, uint32_t domid, enum dev_class cls);

#endif
