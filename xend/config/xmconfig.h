/* SPDX-License-Identifier: MIT */
/*
 * xm domain configuration: /etc/xen/NAME files (syntax: pyconf.h) plus
 * the VAR=VALUE settings of "xm create NAME VAR=VALUE...", checked and
 * turned into a struct xm_domain_config.
 *
 * Keys: xm's keys for PV guests (name, uuid, memory, maxmem, vcpus,
 * vcpu_avail, cpus, cpu, cpu_weight, cpu_cap, builder, kernel, ramdisk,
 * root, extra, cmdline, ip, gateway, netmask, hostname, interface, dhcp,
 * nfs_server, nfs_root, bootloader, bootargs, disk, vif, on_poweroff,
 * on_reboot, on_crash, on_xend_start, on_xend_stop, localtime,
 * rtc_timeoffset, description, shadow_memory, tsc_mode, nomigrate, blkif,
 * netif, tpmif, features), with xm's defaults. "xm create --help_config"
 * lists them (xm_config_keys_help).
 *
 * Rules (each violation is an error naming FILE:LINE:COL):
 *  - a key not in the table is an error with a "did you mean" hint,
 *    unless another setting uses it by name (a helper variable such as
 *    vmid in name = "vm%d" % vmid);
 *  - values must have the key's type (ints, strings, lists of strings...;
 *    an int written as a string, memory = "512", is accepted with a warning);
 *  - kernel is required unless bootloader is set; maxmem >= memory;
 *    cmdline (xl's spelling of the whole command line) excludes root and
 *    extra; disk and vif entries must parse (xmdev.h) and must not repeat a
 *    virtual device, MAC or vifname;
 *  - HVM-only keys (vnc, serial, acpi, ...) and keys of features Xeno
 *    does not have (cpu_cap, shadow_memory, ...) give a warning and are
 *    ignored; device lists Xeno cannot provide (pci, vfb, vscsi, vtpm,
 *    irq, ioports) are errors when non-empty, since the guest would miss
 *    them; deprecated keys (nics, restart, bootentry) warn with the modern
 *    spelling; xl-only keys (type, maxvcpus, bootloader_args...) are
 *    errors that give the xm spelling.
 *  - name defaults to the config file's base name (xm's rule); the UUID is
 *    left unset (xend makes a random one) unless given.
 *
 * Command-line values are typed by the key: ints and bools are parsed,
 * strings taken as written, and each disk=/vif= adds one entry (xm's
 * append rule: "xm create web disk=phy:/dev/vg/x,xvdb,w"); a value
 * starting with '[' is read as a Python list. Unknown command-line names
 * become helper variables (an int if the text is a decimal number,
 * else a string) and must be used by the file.
 */
#ifndef XEND_CONFIG_XMCONFIG_H
#define XEND_CONFIG_XMCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xmcpus.h"
#include "xmdev.h"

struct diags;
struct json;
struct strbuf;

enum xm_action {
    XM_ACTION_DESTROY,
    XM_ACTION_RESTART,
    XM_ACTION_PRESERVE,
    XM_ACTION_RENAME_RESTART,
    XM_ACTION_COREDUMP_DESTROY,     /* on_crash only */
    XM_ACTION_COREDUMP_RESTART,     /* on_crash only */
};

enum xm_xend_start {
    XM_XEND_START_IGNORE,
    XM_XEND_START_START,
};

enum xm_xend_stop {
    XM_XEND_STOP_IGNORE,
    XM_XEND_STOP_SHUTDOWN,
    XM_XEND_STOP_SUSPEND,
};

#define XM_MAX_VCPUS 512

struct xm_domain_config {
    char *name;
    bool has_uuid;
    uint8_t uuid[16];
    char *description;

    unsigned long memory;           /* MiB */
    unsigned long maxmem;           /* MiB */
    unsigned int vcpus;
    bool has_vcpu_avail;
    uint64_t vcpu_avail;            /* bit N: vCPU N online at boot */
    /* cpus: none, one mask for every vCPU, or one per vCPU (a list) */
    size_t nr_cpumasks;
    struct xm_cpumask *cpumasks;
    int cpu;                        /* old: pCPU of vCPU0, -1 = any */
    unsigned int cpu_weight;        /* 0 = scheduler default (256) */
    unsigned int cpu_cap;           /* percent of one CPU, 0 = uncapped */

    char *builder;                  /* "linux" */
    char *kernel;
    char *ramdisk;
    char *root;
    char *extra;
    char *cmdline;                  /* xl's key; excludes root and extra */
    char *ip, *gateway, *netmask, *hostname, *interface, *dhcp;
    char *nfs_server, *nfs_root;
    char *bootloader;
    char *bootargs;
    char *features;

    enum xm_action on_poweroff, on_reboot, on_crash;
    enum xm_xend_start on_xend_start;
    enum xm_xend_stop on_xend_stop;

    bool localtime;
    long rtc_timeoffset;
    unsigned int shadow_memory;
    unsigned int tsc_mode;
    bool nomigrate;
    bool blkif, netif, tpmif;       /* this domain is a driver domain */

    size_t nr_disks;
    struct xm_disk *disks;
    size_t nr_vifs;
    struct xm_vif *vifs;
};

/* One VAR=VALUE from the command line. */
struct xm_override {
    const char *name;
    const char *value;
};

void xm_config_init(struct xm_domain_config *cfg);
void xm_config_free(struct xm_domain_config *cfg);

/* The file name to pass when a configuration comes from VAR=VALUE settings alone. */
#define XM_CONFIG_NO_FILE "command line"

/*
 * Read a config file's text (file is used in messages and for the default
 * name; XM_CONFIG_NO_FILE when there is no file, and then name must be
 * set) with the command-line overrides applied, into cfg (initialised
 * here). Warnings and errors go to diags. Returns 0 if there was no error;
 * otherwise -1 and cfg is freed.
 */
int xm_config_parse(const char *file, const char *text, size_t len,
                    const struct xm_override *ovr, size_t nr_ovr,
                    struct xm_domain_config *cfg, struct diags *diags);

/*
 * Split "VAR=VALUE" into an override; returns false if arg has no '=' or
 * an empty name (xm treats such arguments as errors).
 */
bool xm_override_split(const char *arg, struct xm_override *ovr, char **storage);

/* The kernel command line the guest gets: root=..., ip=..., nfsroot, extra or cmdline. */
void xm_config_kernel_cmdline(const struct xm_domain_config *cfg, struct strbuf *out);

const char *xm_action_name(enum xm_action a);
const char *xm_xend_start_name(enum xm_xend_start a);
const char *xm_xend_stop_name(enum xm_xend_stop a);
int xm_action_parse(const char *s, bool crash, enum xm_action *a);

/*
 * The configuration as a JSON object of xm config keys (for the protocol);
 * and back, checked by the same rules as a config file (errors name
 * origin, e.g. "request"). from_json returns 0 or -1 (cfg then freed).
 */
struct json *xm_config_to_json(const struct xm_domain_config *cfg);
int xm_config_from_json(const struct json *obj, const char *origin, struct xm_domain_config *cfg,
                        struct diags *diags);

/* The text of "xm create --help_config": every key, its argument and use. */
void xm_config_keys_help(struct strbuf *out);

/*
 * The configuration as an SXP (vm ...) form, pretty-printed the way
 * "xm create -n" shows it (xm's make_config order and names).
 */
void xm_config_to_sxp_text(const struct xm_domain_config *cfg, struct strbuf *out);

#endif
