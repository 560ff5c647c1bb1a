/* SPDX-License-Identifier: MIT */
/*
 * What xend reports about domains, vCPUs and the host, as C structs (for
 * xm's formatters, xend/xm/format.h) and as JSON (protocol results).
 *
 * JSON forms (decoders ignore members they do not know, so an older xm
 * can talk to a newer xend; every member they use is type-checked):
 *   domain:  {"name": "web1", "domid": 3 | null, "uuid": "...",
 *             "memory": MiB, "maxmem": MiB, "vcpus": online, "max_vcpus": N,
 *             "state": "-b----", "cpu_time": seconds, "start_time": epoch s,
 *             "uptime": seconds, "store_mfn": N, "console_mfn": N,
 *             "config": {domain config, xm_config_to_json}}   (long form)
 *   vCPUs:   {"name", "domid", "vcpus": [{"number", "cpu" (-1 = none),
 *             "online", "running", "blocked", "cpu_time", "affinity": "0-3"}]}
 *   host:    {"host", "release", ..., "xend_config_format"} (xm info's keys)
 */
#ifndef XEND_COMMON_DOMINFO_H
#define XEND_COMMON_DOMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../config/xmcpus.h"

struct json;
struct strbuf;
struct xm_domain_config;

/* The letters of xm list's State column, in order: r b p s c d. */
#define XM_STATE_RUNNING  0x01u  /* r: on a CPU now */
#define XM_STATE_BLOCKED  0x02u  /* b: waiting for an event */
#define XM_STATE_PAUSED   0x04u  /* p: paused by the administrator */
#define XM_STATE_SHUTDOWN 0x08u  /* s: shut down, being torn down */
#define XM_STATE_CRASHED  0x10u  /* c: crashed (kept with on_crash=preserve) */
#define XM_STATE_DYING    0x20u  /* d: being destroyed */
#define XM_STATE_ALL      0x3fu

struct xm_dominfo {
    char *name;
    bool active;                /* false: a managed domain that is not running (no ID) */
    unsigned int domid;
    bool has_uuid;
    uint8_t uuid[16];
    unsigned long memory;       /* MiB, the current target */
    unsigned long maxmem;       /* MiB */
    unsigned int vcpus;         /* online (configured when inactive) */
    unsigned int max_vcpus;
    unsigned int state;         /* XM_STATE_* */
    double cpu_time;            /* seconds */
    double start_time;          /* seconds since the epoch; < 0 unknown */
    double uptime;              /* seconds; < 0 unknown */
    unsigned long store_mfn;    /* 0 unknown */
    unsigned long console_mfn;
    struct xm_domain_config *config;    /* long form only, else NULL */
};

struct xm_vcpuinfo {
    unsigned int number;
    int cpu;                    /* physical CPU, -1 if none */
    bool online;
    bool running;
    bool blocked;
    double cpu_time;
    struct xm_cpumask affinity;
};

struct xm_domvcpus {
    char *name;
    bool active;
    unsigned int domid;
    size_t nr;
    struct xm_vcpuinfo *vcpus;
};

struct xm_hostinfo {
    char *host, *release, *version, *machine;
    unsigned int nr_cpus, nr_nodes, cores_per_socket, threads_per_core, cpu_mhz;
    char *hw_caps, *virt_caps;
    unsigned long total_memory, free_memory;    /* MiB */
    unsigned int free_cpus;
    unsigned int xen_major, xen_minor;
    char *xen_extra, *xen_caps, *xen_scheduler;
    unsigned int xen_pagesize;
    char *platform_params, *xen_changeset, *xen_commandline;
    char *cc_compiler, *cc_compile_by, *cc_compile_domain, *cc_compile_date;
    unsigned int xend_config_format;            /* 4, as xm/xl print */
};

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower case); out has room for 37. */
void xm_uuid_format(const uint8_t u[16], char out[37]);
/* 32 hex digits, dashes anywhere; 0 or -1. */
int xm_uuid_parse(const char *s, uint8_t u[16]);
/* "r-----", "-b----", ...: six letters or '-'; out has room for 7. */
void xm_state_format(unsigned int state, char out[7]);
/* Parse a six-character state string; -1 if malformed. */
int xm_state_parse(const char *s, unsigned int *state);
/* Xen-API power state index of list -l's (status N): 0 halted .. 5 crashed. */
unsigned int xm_state_status(const struct xm_dominfo *d);

void xm_dominfo_free(struct xm_dominfo *d);
void xm_domvcpus_free(struct xm_domvcpus *d);
void xm_hostinfo_free(struct xm_hostinfo *h);

struct json *xm_dominfo_to_json(const struct xm_dominfo *d);
/* Returns 0, or -1 with a reason in err (d is then freed/zeroed). */
int xm_dominfo_from_json(const struct json *j, struct xm_dominfo *d, struct strbuf *err);
struct json *xm_domvcpus_to_json(const struct xm_domvcpus *d);
int xm_domvcpus_from_json(const struct json *j, struct xm_domvcpus *d, struct strbuf *err);
struct json *xm_hostinfo_to_json(const struct xm_hostinfo *h);
int xm_hostinfo_from_json(const struct json *j, struct xm_hostinfo *h, struct strbuf *err);

#endif
