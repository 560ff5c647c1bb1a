/* SPDX-License-Identifier: MIT */
/* Paths and names shared by the vbd and vif node builders (device.h); pure code. */
#include "device.h"
#include "../common/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *dev_class_name(enum dev_class c)
{
    return c == DEV_VBD ? "vbd" : "vif";
}

char *dev_be_path(enum dev_class c, uint32_t domid, uint32_t devid)
{
    /* Backends live in dom0 (Xeno has no driver domains: backend= must be 0). */
    return xasprintf("/local/domain/0/backend/%s/%u/%u", dev_class_name(c), domid, devid);
}

char *dev_fe_path(enum dev_class c, uint32_t domid, uint32_t devid)
{
    return xasprintf("/local/domain/%u/device/%s/%u", domid, dev_class_name(c), devid);
}

char *dev_script_path(const char *scripts_dir, const char *name)
{
    return name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", scripts_dir, name);
}

void dev_nodes_free(struct dev_nodes *n)
{
    free(n->be);
    free(n->fe);
    free(n->label);
    xst_list_free(&n->entries);
    n->be = n->fe = n->label = NULL;
}

void dev_put(struct xst_list *l, const char *dir, const char *key, const char *value)
{
    char *p = xasprintf("%s/%s", dir, key);
    xst_add(l, p, value, NULL);
    free(p);
}

void dev_nodes_begin(struct dev_nodes *out, enum dev_class cls, uint32_t domid, uint32_t devid)
{
    char dom[16];
    char *perms = xasprintf("n0,r%u", domid);

    memset(out, 0, sizeof(*out));
    out->cls = cls;
    out->domid = domid;
    out->devid = devid;
    out->be = dev_be_path(cls, domid, devid);
    out->fe = dev_fe_path(cls, domid, devid);
    snprintf(dom, sizeof(dom), "%u", domid);
    xst_add(&out->entries, out->be, "", perms);
    dev_put(&out->entries, out->be, "frontend", out->fe);
    dev_put(&out->entries, out->be, "frontend-id", dom);
    dev_put(&out->entries, out->be, "online", "1");
    free(perms);
}

void dev_nodes_front(struct dev_nodes *out)
{
    char *perms = xasprintf("n%u,r0", out->domid);

    /* Linux's xenbus probes a device when its state reads 1 (Initialising). */
    dev_put(&out->entries, out->be, "state", "1");
    xst_add(&out->entries, out->fe, "", perms);
    dev_put(&out->entries, out->fe, "backend", out->be);
    dev_put(&out->entries, out->fe, "backend-id", "0");
    free(perms);
}

void dev_nodes_end(struct dev_nodes *out)
{
    dev_put(&out->entries, out->fe, "state", "1");
}
