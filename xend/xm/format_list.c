/* SPDX-License-Identifier: MIT */
/* xm list and xm list -l (layouts in format.h). */
#include "format.h"
#include "../common/strbuf.h"
#include "../config/sxp.h"
#include "../config/xmconfig.h"

#include <stdio.h>
#include <string.h>

void xm_format_list(const struct xm_dominfo *doms, size_t n, struct strbuf *out)
{
    sb_printf(out, "%-40s %5s %5s %5s %10s %9s\n", "Name", "ID", "Mem", "VCPUs", "State", "Time(s)");
    for (size_t i = 0; i < n; i++) {
        const struct xm_dominfo *d = &doms[i];
        char id[16] = "", state[7] = "------";

        /* An inactive managed domain has no ID; xend gave it an all-dashes state. */
        if (d->active) {
            snprintf(id, sizeof(id), "%u", d->domid);
            xm_state_format(d->state, state);
        }
        sb_printf(out, "%-40s %5s %5lu %5u %10s %8.1f\n", d->name, id, d->memory, d->vcpus, state,
                  d->cpu_time);
    }
}

/* Python 2's str(float): twelve significant digits. */
static void add_float(struct sxp *l, const char *key, double v)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.12g", v);
    if (!strpbrk(buf, ".en"))
        strcat(buf, ".0");
    sxp_add(l, key, buf);
}

static void add_devices(struct sxp *dom, const struct xm_domain_config *c)
{
    for (size_t i = 0; i < c->nr_vifs; i++) {
        const struct xm_vif *v = &c->vifs[i];
        struct sxp *vif = sxp_append(sxp_append(dom, sxp_named("device")), sxp_named("vif"));
        const char *kv[][2] = {
            { "bridge", v->bridge }, { "mac", v->mac }, { "script", v->script }, { "ip", v->ip },
            { "vifname", v->vifname }, { "rate", v->rate }, { "type", v->type }, { "model", v->model },
            { "accel", v->accel }, { "backend", v->backend ? v->backend : "0" },
        };
        for (size_t k = 0; k < sizeof(kv) / sizeof(kv[0]); k++)
            if (kv[k][1])
                sxp_add(vif, kv[k][0], kv[k][1]);
    }
    for (size_t i = 0; i < c->nr_disks; i++) {
        const struct xm_disk *d = &c->disks[i];
        const char *cls = !strncmp(d->uname, "tap", 3) ? "tap" : "vbd";
        struct sxp *vbd = sxp_append(sxp_append(dom, sxp_named("device")), sxp_named(cls));
        if (d->protocol)
            sxp_add(vbd, "protocol", d->protocol);
        sxp_addf(vbd, "dev", "%s:%s", d->vdev, d->cdrom ? "cdrom" : "disk");
        sxp_add(vbd, "uname", d->uname);
        sxp_add(vbd, "mode", xm_disk_mode_name(d->mode));
        sxp_add(vbd, "backend", d->backend ? d->backend : "0");
    }
}

/* One domain in xend's (domain ...) form, in the order xend printed it. */
static struct sxp *domain_sxp(const struct xm_dominfo *d)
{
    const struct xm_domain_config *c = d->config;
    struct sxp *dom = sxp_named("domain");
    char buf[64];

    if (d->active)
        sxp_addf(dom, "domid", "%u", d->domid);
    if (c)
        sxp_add(dom, "on_crash", xm_action_name(c->on_crash));
    if (d->has_uuid) {
        char *p = buf;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10)
                *p++ = '-';
            p += snprintf(p, 3, "%02x", d->uuid[i]);
        }
        sxp_add(dom, "uuid", buf);
    }
    if (c)
        sxp_add(dom, "bootloader_args", c->bootargs ? c->bootargs : "");
    sxp_addf(dom, "vcpus", "%u", d->max_vcpus ? d->max_vcpus : d->vcpus);
    sxp_add(dom, "name", d->name);
    if (c) {
        sxp_add(dom, "on_poweroff", xm_action_name(c->on_poweroff));
        sxp_add(dom, "on_reboot", xm_action_name(c->on_reboot));
        sxp_add(dom, "bootloader", c->bootloader ? c->bootloader : "");
        if (c->description)
            sxp_add(dom, "description", c->description);
    }
    sxp_addf(dom, "maxmem", "%lu", d->maxmem);
    sxp_addf(dom, "memory", "%lu", d->memory);
    if (c) {
        sxp_addf(dom, "shadow_memory", "%u", c->shadow_memory);
        sxp_addf(dom, "cpu_weight", "%u", c->cpu_weight ? c->cpu_weight : 256);
        sxp_addf(dom, "cpu_cap", "%u", c->cpu_cap);
        sxp_add(dom, "features", c->features ? c->features : "");
        sxp_add(dom, "on_xend_start", xm_xend_start_name(c->on_xend_start));
        sxp_add(dom, "on_xend_stop", xm_xend_stop_name(c->on_xend_stop));
    }
    if (d->start_time >= 0)
        add_float(dom, "start_time", d->start_time);
    add_float(dom, "cpu_time", d->cpu_time);
    sxp_addf(dom, "online_vcpus", "%u", d->vcpus);
    if (c) {
        struct strbuf args = STRBUF_INIT;
        struct sxp *img = sxp_append(dom, sxp_named("image"));
        struct sxp *lin = sxp_append(img, sxp_named(c->builder ? c->builder : "linux"));
        sxp_add(lin, "kernel", c->kernel ? c->kernel : "");
        if (c->ramdisk)
            sxp_add(lin, "ramdisk", c->ramdisk);
        xm_config_kernel_cmdline(c, &args);
        if (args.len)
            sxp_add(lin, "args", sb_str(&args));
        sb_free(&args);
    }
    sxp_addf(dom, "status", "%u", xm_state_status(d));
    if (d->active) {
        xm_state_format(d->state, buf);
        sxp_add(dom, "state", buf);
    }
    if (d->store_mfn)
        sxp_addf(dom, "store_mfn", "%lu", d->store_mfn);
    if (d->console_mfn)
        sxp_addf(dom, "console_mfn", "%lu", d->console_mfn);
    if (c)
        add_devices(dom, c);
    return dom;
}

void xm_format_list_long(const struct xm_dominfo *doms, size_t n, struct strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        struct sxp *dom = domain_sxp(&doms[i]);
        sxp_pretty(dom, 80, out);
        sxp_free(dom);
    }
}
