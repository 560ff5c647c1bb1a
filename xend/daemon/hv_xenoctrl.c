/* SPDX-License-Identifier: MIT */
/*
 * The real hypervisor backend (hv.h): libxenoctrl for domctl/sysctl and
 * HYPERVISOR_xen_version, libxenobuild to build a PV domain (it leaves
 * the domain paused and destroys it again on any failure).
 */
#include "hv.h"
#include "xlog.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenobuild.h>
#include <xenoctrl.h>
#include <xen/version.h>

#define HV_KERNEL_CACHE_BYTES (96u << 20)

static xenoctrl *xc(struct hv *h)
{
    return (xenoctrl *)h->priv;
}

/* libxenoctrl's failure lines go to xend's log (stderr is /dev/null in a daemon). */
static void to_log(void *ctx, const char *line)
{
    (void)ctx;
    xlog_error("%s", line);
}

static int fail(struct hv *h, int rc, const char *what, uint32_t domid)
{
    const char *why = xenoctrl_last_error(xc(h));
    hv_set_error(h, "%s (domain %u): %s", what, domid, *why ? why : strerror(-rc));
    return rc;
}

static int real_build(struct hv *h, const struct hv_build *b, struct hv_built *out)
{
    struct xenobuild_spec spec = {
        .kernel = b->kernel, .ramdisk = b->ramdisk, .cmdline = b->cmdline,
        .memory_kb = b->memory_kb, .maxmem_kb = b->maxmem_kb,
        .vcpus = b->vcpus, .max_vcpus = b->max_vcpus,
        .store_domid = 0, .console_domid = 0, .want_domid = 0,
    };
    struct xenobuild_result r;
    char err[512] = "";

    memcpy(spec.uuid, b->uuid, 16);
    unsigned long cache_hits = xenobuild_kernel_cache_hits();
    int rc = xenobuild_create(xc(h), &spec, &r, err, sizeof(err));
    if (rc < 0) {
        hv_set_error(h, "%s", *err ? err : strerror(-rc));
        return rc;
    }
    xlog_info("Built domain %u: kernel %s (%s), %.2f s%s.", r.domid, b->kernel, r.kernel_format,
              r.build_seconds, xenobuild_kernel_cache_hits() != cache_hits ? ", unpacked kernel reused" : "");
    out->domid = r.domid;
    out->store_mfn = r.store_mfn;
    out->store_port = r.store_port;
    out->console_mfn = r.console_mfn;
    out->console_port = r.console_port;
    return 0;
}

static int real_destroy(struct hv *h, uint32_t domid)
{
    int rc = xenoctrl_domain_destroy(xc(h), domid);
    return rc < 0 ? fail(h, rc, "destroy", domid) : 0;
}

static int real_pause(struct hv *h, uint32_t domid)
{
    int rc = xenoctrl_domain_pause(xc(h), domid);
    return rc < 0 ? fail(h, rc, "pause", domid) : 0;
}

static int real_unpause(struct hv *h, uint32_t domid)
{
    int rc = xenoctrl_domain_unpause(xc(h), domid);
    return rc < 0 ? fail(h, rc, "unpause", domid) : 0;
}

static void convert(const struct xenoctrl_dominfo *i, struct hv_dominfo *o)
{
    memset(o, 0, sizeof(*o));
    o->domid = i->domid;
    o->dying = i->dying;
    o->shutdown = i->shutdown;
    o->paused = i->paused;
    o->blocked = i->blocked;
    o->running = i->running;
    o->shutdown_reason = i->shutdown_reason;
    o->tot_kb = i->tot_pages * 4;
    o->max_kb = i->max_pages * 4;
    o->cpu_time = (double)i->cpu_time_ns / 1e9;
    o->online_vcpus = i->nr_online_vcpus;
    o->max_vcpus = i->max_vcpu_id == XEN_INVALID_MAX_VCPU_ID ? 0 : i->max_vcpu_id + 1;
    memcpy(o->handle, i->handle, 16);
}

static int real_getinfo(struct hv *h, uint32_t domid, struct hv_dominfo *o)
{
    struct xenoctrl_dominfo i;
    /* A missing domain is an answer here, not a failure worth a log line. */
    xenoctrl_set_logger(xc(h), NULL, NULL);
    int rc = xenoctrl_domain_getinfo(xc(h), domid, &i);
    xenoctrl_set_logger(xc(h), to_log, NULL);
    if (rc < 0) {
        hv_set_error(h, "getinfo (domain %u): %s", domid, strerror(-rc));
        return rc;
    }
    convert(&i, o);
    return 0;
}

static int real_list(struct hv *h, struct hv_dominfo *out, unsigned int max)
{
    struct xenoctrl_dominfo *v = xcalloc(max ? max : 1, sizeof(*v));
    int n = xenoctrl_domain_getinfolist(xc(h), 0, max, v);

    if (n < 0) {
        free(v);
        return fail(h, n, "getinfolist", 0);
    }
    for (int i = 0; i < n; i++)
        convert(&v[i], &out[i]);
    free(v);
    return n;
}

static int real_setmaxmem(struct hv *h, uint32_t domid, uint64_t max_kb)
{
    int rc = xenoctrl_domain_setmaxmem(xc(h), domid, max_kb);
    return rc < 0 ? fail(h, rc, "setmaxmem", domid) : 0;
}

static int real_vcpuinfo(struct hv *h, uint32_t domid, unsigned int vcpu, struct hv_vcpuinfo *o)
{
    struct xenoctrl_vcpuinfo i;
    int rc = xenoctrl_vcpu_getinfo(xc(h), domid, vcpu, &i);

    if (rc < 0)
        return fail(h, rc, "getvcpuinfo", domid);
    o->online = i.online;
    o->blocked = i.blocked;
    o->running = i.running;
    o->cpu_time = (double)i.cpu_time_ns / 1e9;
    o->cpu = i.online ? (int)i.cpu : -1;
    return 0;
}

/* HYPERVISOR_xen_version(cmd, buf) into out (NUL-terminated). */
static void version_string(struct hv *h, unsigned int cmd, size_t len, char *out, size_t outlen)
{
    char *buf = xenoctrl_buffer(xc(h), len);

    out[0] = 0;
    if (!buf)
        return;
    memset(buf, 0, len);
    long rc = xenoctrl_hypercall(xc(h), __HYPERVISOR_xen_version, cmd, (uint64_t)(uintptr_t)buf, 0,
                                 0, 0);
    if (rc >= 0) {
        size_t n = strnlen(buf, len);
        snprintf(out, outlen, "%.*s", (int)n, buf);
    }
    xenoctrl_buffer_release(xc(h));
}

static const char *scheduler_name(uint32_t id)
{
    switch (id) {
    case XEN_SCHEDULER_CREDIT:
        return "credit";
    case XEN_SCHEDULER_CREDIT2:
        return "credit2";
    case XEN_SCHEDULER_ARINC653:
        return "arinc653";
    case XEN_SCHEDULER_RTDS:
        return "rtds";
    case XEN_SCHEDULER_NULL:
        return "null";
    default:
        return "unknown";
    }
}

static int real_hostinfo(struct hv *h, struct hv_hostinfo *o)
{
    struct xenoctrl_physinfo pi;
    int rc = xenoctrl_physinfo(xc(h), &pi);

    if (rc < 0)
        return fail(h, rc, "physinfo", 0);
    memset(o, 0, sizeof(*o));
    o->nr_cpus = pi.nr_cpus;
    o->nr_nodes = pi.nr_nodes;
    o->cores_per_socket = pi.cores_per_socket;
    o->threads_per_core = pi.threads_per_core;
    o->cpu_mhz = pi.cpu_khz / 1000;
    o->total_kb = pi.total_pages * 4;
    o->free_kb = pi.free_pages * 4;
    o->cap_hvm = pi.cap_hvm;
    int off = 0;
    for (int i = 0; i < 8; i++)
        off += snprintf(o->hw_caps + off, sizeof(o->hw_caps) - (size_t)off, "%s%08x", i ? ":" : "",
                        pi.hw_cap[i]);
    long v = xenoctrl_hypercall(xc(h), __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
    if (v >= 0) {
        o->xen_major = (unsigned int)(v >> 16);
        o->xen_minor = (unsigned int)(v & 0xffff);
    }
    long ps = xenoctrl_hypercall(xc(h), __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0, 0, 0);
    o->pagesize = ps > 0 ? (unsigned int)ps : 4096;
    version_string(h, XENVER_extraversion, sizeof(xen_extraversion_t), o->xen_extra,
                   sizeof(o->xen_extra));
    version_string(h, XENVER_capabilities, sizeof(xen_capabilities_info_t), o->xen_caps,
                   sizeof(o->xen_caps));
    version_string(h, XENVER_changeset, sizeof(xen_changeset_info_t), o->changeset,
                   sizeof(o->changeset));
    version_string(h, XENVER_commandline, sizeof(xen_commandline_t), o->commandline,
                   sizeof(o->commandline));
    struct xen_compile_info *ci = xenoctrl_buffer(xc(h), sizeof(*ci));
    if (ci) {
        memset(ci, 0, sizeof(*ci));
        if (xenoctrl_hypercall(xc(h), __HYPERVISOR_xen_version, XENVER_compile_info,
                               (uint64_t)(uintptr_t)ci, 0, 0, 0) >= 0) {
            snprintf(o->cc_compiler, sizeof(o->cc_compiler), "%.*s", (int)sizeof(ci->compiler), ci->compiler);
            snprintf(o->cc_compile_by, sizeof(o->cc_compile_by), "%.*s", (int)sizeof(ci->compile_by),
                     ci->compile_by);
            snprintf(o->cc_compile_domain, sizeof(o->cc_compile_domain), "%.*s",
                     (int)sizeof(ci->compile_domain), ci->compile_domain);
            snprintf(o->cc_compile_date, sizeof(o->cc_compile_date), "%.*s",
                     (int)sizeof(ci->compile_date), ci->compile_date);
        }
        xenoctrl_buffer_release(xc(h));
    }
    struct xen_platform_parameters *pp = xenoctrl_buffer(xc(h), sizeof(*pp));
    if (pp) {
        memset(pp, 0, sizeof(*pp));
        if (xenoctrl_hypercall(xc(h), __HYPERVISOR_xen_version, XENVER_platform_parameters,
                               (uint64_t)(uintptr_t)pp, 0, 0, 0) >= 0)
            snprintf(o->platform_params, sizeof(o->platform_params), "virt_start=0x%llx",
                     (unsigned long long)pp->virt_start);
        xenoctrl_buffer_release(xc(h));
    }
    uint32_t sched;
    snprintf(o->scheduler, sizeof(o->scheduler), "%s",
             xenoctrl_sched_id(xc(h), &sched) == 0 ? scheduler_name(sched) : "unknown");
    return 0;
}

static long real_readconsole(struct hv *h, char *buf, size_t size, bool clear)
{
    uint32_t index = 0;
    long n = xenoctrl_readconsole(xc(h), buf, size, &index, false, clear);
    if (n < 0) {
        fail(h, (int)n, "readconsole", 0);
        return n;
    }
    return n;
}

static void real_close(struct hv *h)
{
    xenoctrl_close(xc(h));
    free(h);
}

static const struct hv_ops real_ops = {
    .name = "xenoctrl",
    .build = real_build,
    .destroy = real_destroy,
    .pause = real_pause,
    .unpause = real_unpause,
    .getinfo = real_getinfo,
    .list = real_list,
    .setmaxmem = real_setmaxmem,
    .vcpuinfo = real_vcpuinfo,
    .hostinfo = real_hostinfo,
    .readconsole = real_readconsole,
    .close = real_close,
};

int hv_open(struct hv **out, char *why, size_t whylen)
{
    xenoctrl *x;
    int rc = xenoctrl_open(&x);

    if (rc < 0) {
        snprintf(why, whylen, "cannot open the hypervisor interface (/dev/xen/privcmd): %s; is "
                 "this dom0 on Xen/Xeno with xenfs or privcmd loaded?", strerror(-rc));
        return rc;
    }
    struct hv *h = xcalloc(1, sizeof(*h));
    xenoctrl_set_logger(x, to_log, NULL);
    /* xend restarts domains with the kernel they had: keep the last one unpacked (a Debian
       kernel's image is some tens of MiB; unpacking it is most of a build under TCG). */
    xenobuild_kernel_cache_limit(HV_KERNEL_CACHE_BYTES);
    h->ops = &real_ops;
    h->priv = x;
    *out = h;
    return 0;
}

int hv_tool_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return -1;
}
