/* SPDX-License-Identifier: MIT */
/*
 * What a parsed xm config turns into: the guest's kernel command line
 * (xend's rules) and the SXP (vm ...) form that "xm create -n" prints
 * (xm's make_config order and element names).
 */
#include "xmconfig.h"
#include "sxp.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <string.h>

static const char *strip_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(s, prefix, n) == 0 ? s + n : s;
}

/* xm's ip= argument: IP:NFS-SERVER:GATEWAY:NETMASK:HOSTNAME:INTERFACE:DHCP, or "" */
static void cmdline_ip(const struct xm_domain_config *cfg, struct strbuf *out)
{
    const char *dhcp = cfg->dhcp ? cfg->dhcp : "off";

    if (!(cfg->ip && *cfg->ip) && !strcmp(dhcp, "off"))
        return;
    sb_printf(out, "%s:%s:%s:%s:%s:%s:%s", cfg->ip ? strip_prefix(cfg->ip, "ip=") : "",
              cfg->nfs_server ? cfg->nfs_server : "127.0.255.255",
              cfg->gateway ? cfg->gateway : "", cfg->netmask ? cfg->netmask : "",
              cfg->hostname ? cfg->hostname : "", cfg->interface ? cfg->interface : "eth0", dhcp);
}

/* extra with nfsroot= in front when an NFS root is configured. */
static void args_with_nfs(const struct xm_domain_config *cfg, struct strbuf *out)
{
    if (cfg->nfs_root && cfg->nfs_server) {
        sb_printf(out, "nfsroot=%s:%s", cfg->nfs_server, cfg->nfs_root);
        if (cfg->extra && *cfg->extra)
            sb_putc(out, ' ');
    }
    if (cfg->extra)
        sb_puts(out, cfg->extra);
}

void xm_config_kernel_cmdline(const struct xm_domain_config *cfg, struct strbuf *out)
{
    struct strbuf args = STRBUF_INIT, ip = STRBUF_INIT;
    size_t start = out->len;

    if (cfg->cmdline) {
        sb_puts(out, cfg->cmdline);
        return;
    }
    args_with_nfs(cfg, &args);
    cmdline_ip(cfg, &ip);
    /* xend puts root= then ip= in front of the arguments unless they already have them. */
    if (cfg->root && *cfg->root && !strstr(sb_str(&args), "root="))
        sb_printf(out, "root=%s ", strip_prefix(cfg->root, "root="));
    if (ip.len && !strstr(sb_str(&args), "ip="))
        sb_printf(out, "ip=%s ", sb_str(&ip));
    sb_puts(out, sb_str(&args));
    while (out->len > start && out->buf[out->len - 1] == ' ')
        out->len--;
    if (out->buf)
        out->buf[out->len] = '\0';
    sb_free(&args);
    sb_free(&ip);
}

static void format_uuid(const uint8_t u[16], struct strbuf *out)
{
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            sb_putc(out, '-');
        sb_printf(out, "%02x", u[i]);
    }
}

static struct sxp *image_sxp(const struct xm_domain_config *cfg)
{
    struct sxp *img = sxp_named("image");
    struct sxp *linux_ = sxp_append(img, sxp_named(cfg->builder ? cfg->builder : "linux"));
    struct strbuf sb = STRBUF_INIT;

    if (cfg->kernel)
        sxp_add(linux_, "kernel", cfg->kernel);
    if (cfg->ramdisk)
        sxp_add(linux_, "ramdisk", cfg->ramdisk);
    if (cfg->cmdline) {
        sxp_add(linux_, "args", cfg->cmdline);
    } else {
        cmdline_ip(cfg, &sb);
        if (sb.len)
            sxp_add(linux_, "ip", sb_str(&sb));
        if (cfg->root && *cfg->root)
            sxp_add(linux_, "root", strip_prefix(cfg->root, "root="));
        sb_reset(&sb);
        args_with_nfs(cfg, &sb);
        if (sb.len)
            sxp_add(linux_, "args", sb_str(&sb));
    }
    sb_free(&sb);
    return img;
}

static struct sxp *disk_sxp(const struct xm_disk *d)
{
    struct sxp *dev = sxp_named("device");
    struct sxp *vbd = sxp_append(dev, sxp_named(!strncmp(d->uname, "tap", 3) ? "tap" : "vbd"));

    sxp_add(vbd, "uname", d->uname);
    if (d->cdrom)
        sxp_addf(vbd, "dev", "%s:cdrom", d->vdev);
    else
        sxp_add(vbd, "dev", d->vdev);
    sxp_add(vbd, "mode", xm_disk_mode_name(d->mode));
    if (d->backend)
        sxp_add(vbd, "backend", d->backend);
    if (d->protocol)
        sxp_add(vbd, "protocol", d->protocol);
    return dev;
}

static struct sxp *vif_sxp(const struct xm_vif *v)
{
    struct sxp *dev = sxp_named("device");
    struct sxp *vif = sxp_append(dev, sxp_named("vif"));
    const struct {
        const char *name;
        const char *value;
    } kv[] = {
        { "mac", v->mac }, { "bridge", v->bridge }, { "ip", v->ip }, { "script", v->script },
        { "type", v->type }, { "backend", v->backend }, { "vifname", v->vifname },
        { "rate", v->rate }, { "model", v->model }, { "accel", v->accel },
        { "policy", v->policy }, { "label", v->label },
    };

    for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
        if (kv[i].value)
            sxp_add(vif, kv[i].name, kv[i].value);
    return dev;
}

void xm_config_to_sxp_text(const struct xm_domain_config *cfg, struct strbuf *out)
{
    struct sxp *vm = sxp_named("vm");
    struct strbuf sb = STRBUF_INIT;

    sxp_add(vm, "name", cfg->name ? cfg->name : "");
    sxp_addf(vm, "memory", "%lu", cfg->memory);
    sxp_addf(vm, "maxmem", "%lu", cfg->maxmem);
    sxp_add(vm, "on_poweroff", xm_action_name(cfg->on_poweroff));
    sxp_add(vm, "on_reboot", xm_action_name(cfg->on_reboot));
    sxp_add(vm, "on_crash", xm_action_name(cfg->on_crash));
    sxp_addf(vm, "vcpus", "%u", cfg->vcpus);
    if (cfg->has_vcpu_avail)
        sxp_addf(vm, "vcpu_avail", "%llu", (unsigned long long)cfg->vcpu_avail);
    if (cfg->features && *cfg->features)
        sxp_add(vm, "features", cfg->features);
    sxp_add(vm, "on_xend_start", xm_xend_start_name(cfg->on_xend_start));
    sxp_add(vm, "on_xend_stop", xm_xend_stop_name(cfg->on_xend_stop));
    if (cfg->has_uuid) {
        format_uuid(cfg->uuid, &sb);
        sxp_add(vm, "uuid", sb_str(&sb));
    }
    if (cfg->description)
        sxp_add(vm, "description", cfg->description);
    if (cfg->cpu >= 0)
        sxp_addf(vm, "cpu", "%d", cfg->cpu);
    if (cfg->nr_cpumasks == 1) {
        sb_reset(&sb);
        xm_cpumask_format(&cfg->cpumasks[0], 0, &sb);
        sxp_add(vm, "cpus", sb_str(&sb));
    } else if (cfg->nr_cpumasks > 1) {
        struct sxp *cpus = sxp_append(vm, sxp_named("cpus"));
        struct sxp *l = sxp_append(cpus, sxp_list());
        for (size_t i = 0; i < cfg->nr_cpumasks; i++) {
            sb_reset(&sb);
            xm_cpumask_format(&cfg->cpumasks[i], 0, &sb);
            sxp_append(l, sxp_atom(sb_str(&sb)));
        }
    }
    if (cfg->cpu_cap)
        sxp_addf(vm, "cpu_cap", "%u", cfg->cpu_cap);
    if (cfg->cpu_weight)
        sxp_addf(vm, "cpu_weight", "%u", cfg->cpu_weight);
    if (cfg->blkif)
        sxp_append(sxp_append(vm, sxp_named("backend")), sxp_named("blkif"));
    if (cfg->netif)
        sxp_append(sxp_append(vm, sxp_named("backend")), sxp_named("netif"));
    if (cfg->tpmif)
        sxp_append(sxp_append(vm, sxp_named("backend")), sxp_named("tpmif"));
    if (cfg->localtime)
        sxp_add(vm, "localtime", "1");
    if (cfg->rtc_timeoffset)
        sxp_addf(vm, "rtc_timeoffset", "%ld", cfg->rtc_timeoffset);
    if (cfg->tsc_mode)
        sxp_addf(vm, "tsc_mode", "%u", cfg->tsc_mode);
    if (cfg->nomigrate)
        sxp_add(vm, "nomigrate", "1");
    if (cfg->bootloader) {
        sxp_add(vm, "bootloader", cfg->bootloader);
        if (cfg->bootargs)
            sxp_add(vm, "bootloader_args", cfg->bootargs);
    }
    sxp_append(vm, image_sxp(cfg));
    for (size_t i = 0; i < cfg->nr_disks; i++)
        sxp_append(vm, disk_sxp(&cfg->disks[i]));
    for (size_t i = 0; i < cfg->nr_vifs; i++)
        sxp_append(vm, vif_sxp(&cfg->vifs[i]));
    sxp_pretty(vm, 80, out);
    sxp_free(vm);
    sb_free(&sb);
}
