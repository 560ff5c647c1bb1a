/* SPDX-License-Identifier: MIT */
/*
 * The xenstore nodes xend writes for a domain, as a list of (path, value,
 * permissions) built in memory (pure code: xs.c applies it in one
 * transaction). The layout is xend's (Xen 3.x/4.0 XendDomainInfo):
 *
 *   /vm/UUID                      owner dom0, the guest may read
 *     uuid name start_time memory maxmem vcpus vcpu_avail
 *     on_poweroff on_reboot on_crash
 *     image/{ostype,kernel,ramdisk,cmdline}
 *     xend/config-chunks, xend/config-0.. (the domain config as JSON,
 *       cut in pieces below xenstore's 4096-byte payload limit),
 *     xend/previous_restart_time (when xend last restarted it)
 *   /local/domain/N               owner dom0, the guest may read
 *     vm name domid memory/target memory/static-max (KiB)
 *     cpu/I/availability (online|offline) console/{ring-ref,port,limit,type}
 *     store/{ring-ref,port} device control/platform-feature-multiprocessor-suspend
 *     owned by the guest: control/{shutdown,sysrq,feature-poweroff,
 *       feature-reboot,feature-suspend} data drivers error feature attr
 *
 * Everything xend needs to take a running domain back after a restart of
 * xend is in these nodes (xend.c's rediscovery reads them).
 */
#ifndef XEND_DAEMON_XSTREE_H
#define XEND_DAEMON_XSTREE_H

#include <stddef.h>
#include <stdint.h>

struct xm_domain_config;

struct xst_entry {
    char *path;
    char *value;
    char *perms;        /* "nN\0r0\0"-style list joined by ',', or NULL: inherited */
};

struct xst_list {
    struct xst_entry *v;
    size_t n, cap;
};

struct xst_domain {
    uint32_t domid;
    const char *name;
    const char *uuid;                   /* "xxxxxxxx-xxxx-..." */
    const struct xm_domain_config *cfg;
    const char *config_json;            /* the config as xend keeps it */
    unsigned long target_kb, static_max_kb;
    unsigned int max_vcpus;
    uint64_t online_mask;               /* bit I: vCPU I online */
    uint64_t store_mfn;
    uint32_t store_port;
    uint64_t console_mfn;
    uint32_t console_port;
    unsigned long console_limit;        /* bytes (xend-config console-limit KiB * 1024) */
    double start_time;
    double previous_restart;            /* < 0: none */
};

/* Largest piece of the JSON config per node. */
#define XST_CHUNK 2000

void xst_list_free(struct xst_list *l);
void xst_add(struct xst_list *l, const char *path, const char *value, const char *perms);

/* "/vm/UUID" and "/local/domain/N". Caller frees. */
char *xst_vm_path(const char *uuid);
char *xst_dom_path(uint32_t domid);

/* Every node of /vm/UUID, parents first. */
void xst_build_vm(const struct xst_domain *d, struct xst_list *out);
/* Every node of /local/domain/N, parents first. */
void xst_build_local(const struct xst_domain *d, struct xst_list *out);

#endif
