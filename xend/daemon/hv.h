/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor as xend sees it: a table of operations with two
 * implementations,
 *   hv_xenoctrl.c  the real one, over libxenoctrl and libxenobuild (dom0);
 *   hv_fake.c      a stand-in for hosted tests whose domains are files in
 *                  a directory, so they outlive a restart of xend.
 * Each binary links one of them (build/xend/xend, build/xend/xend-hosted)
 * and gets it from hv_open().
 *
 * Every operation returns 0 (or a count) or a negative errno; failures
 * also leave a one-line reason in the handle (hv_error()).
 */
#ifndef XEND_DAEMON_HV_H
#define XEND_DAEMON_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HV_MAX_DOMAINS 1024

struct hv_dominfo {
    uint32_t domid;
    bool dying, shutdown, paused, blocked, running;
    unsigned int shutdown_reason;   /* Xen's SHUTDOWN_*, valid with shutdown */
    uint64_t tot_kb, max_kb;
    double cpu_time;                /* seconds */
    unsigned int online_vcpus, max_vcpus;
    uint8_t handle[16];
};

struct hv_vcpuinfo {
    bool online, blocked, running;
    double cpu_time;
    int cpu;                        /* -1: not on a CPU */
};

struct hv_hostinfo {
    unsigned int nr_cpus, nr_nodes, cores_per_socket, threads_per_core, cpu_mhz;
    uint64_t total_kb, free_kb;
    char hw_caps[80];
    bool cap_hvm;
    unsigned int xen_major, xen_minor, pagesize;
    char xen_extra[32], xen_caps[256], scheduler[32], changeset[64], commandline[256];
    char platform_params[64];
    char cc_compiler[64], cc_compile_by[32], cc_compile_domain[48], cc_compile_date[48];
};

struct hv_build {
    const char *kernel, *ramdisk, *cmdline;
    uint64_t memory_kb, maxmem_kb;
    unsigned int vcpus, max_vcpus;  /* online at boot, maximum */
    uint8_t uuid[16];
};

struct hv_built {
    uint32_t domid;
    uint64_t store_mfn;
    uint32_t store_port;
    uint64_t console_mfn;
    uint32_t console_port;
};

struct hv;

struct hv_ops {
    const char *name;
    /* Create and build a domain, left paused; on failure nothing is left. */
    int (*build)(struct hv *h, const struct hv_build *b, struct hv_built *out);
    int (*destroy)(struct hv *h, uint32_t domid);
    int (*pause)(struct hv *h, uint32_t domid);
    int (*unpause)(struct hv *h, uint32_t domid);
    /* -ESRCH if there is no such domain. */
    int (*getinfo)(struct hv *h, uint32_t domid, struct hv_dominfo *out);
    /* Every domain in id order; returns how many (<= max). */
    int (*list)(struct hv *h, struct hv_dominfo *out, unsigned int max);
    int (*setmaxmem)(struct hv *h, uint32_t domid, uint64_t max_kb);
    int (*vcpuinfo)(struct hv *h, uint32_t domid, unsigned int vcpu, struct hv_vcpuinfo *out);
    int (*hostinfo)(struct hv *h, struct hv_hostinfo *out);
    /* The console ring, NUL-terminated in buf; returns its length. */
    long (*readconsole)(struct hv *h, char *buf, size_t size, bool clear);
    void (*close)(struct hv *h);
};

struct hv {
    const struct hv_ops *ops;
    void *priv;
    char err[256];
};

/* The backend this binary was linked with. 0 or -errno (reason in *why). */
int hv_open(struct hv **out, char *why, size_t whylen);
/*
 * Backend-specific subcommands of the xend binary (the fake one's
 * "fake-guest" and "fake-shutdown" for tests). Returns the exit status,
 * or -1 if argv[1] is not one of them.
 */
int hv_tool_main(int argc, char **argv);
static inline const char *hv_error(const struct hv *h) { return h->err; }
void hv_set_error(struct hv *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
