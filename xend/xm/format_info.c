/* SPDX-License-Identifier: MIT */
/* xm info: "%-23s: %s" per field in xend's order (format.h). */
#include "format.h"
#include "../common/strbuf.h"

static void str_line(struct strbuf *out, const char *key, const char *v)
{
    sb_printf(out, "%-23s: %s\n", key, v ? v : "");
}

static void num_line(struct strbuf *out, const char *key, unsigned long v)
{
    sb_printf(out, "%-23s: %lu\n", key, v);
}

void xm_format_info(const struct xm_hostinfo *h, struct strbuf *out)
{
    str_line(out, "host", h->host);
    str_line(out, "release", h->release);
    str_line(out, "version", h->version);
    str_line(out, "machine", h->machine);
    num_line(out, "nr_cpus", h->nr_cpus);
    num_line(out, "nr_nodes", h->nr_nodes);
    num_line(out, "cores_per_socket", h->cores_per_socket);
    num_line(out, "threads_per_core", h->threads_per_core);
    num_line(out, "cpu_mhz", h->cpu_mhz);
    str_line(out, "hw_caps", h->hw_caps);
    str_line(out, "virt_caps", h->virt_caps);
    num_line(out, "total_memory", h->total_memory);
    num_line(out, "free_memory", h->free_memory);
    num_line(out, "free_cpus", h->free_cpus);
    num_line(out, "xen_major", h->xen_major);
    num_line(out, "xen_minor", h->xen_minor);
    str_line(out, "xen_extra", h->xen_extra);
    str_line(out, "xen_caps", h->xen_caps);
    str_line(out, "xen_scheduler", h->xen_scheduler);
    num_line(out, "xen_pagesize", h->xen_pagesize);
    str_line(out, "platform_params", h->platform_params);
    str_line(out, "xen_changeset", h->xen_changeset);
    str_line(out, "xen_commandline", h->xen_commandline);
    str_line(out, "cc_compiler", h->cc_compiler);
    str_line(out, "cc_compile_by", h->cc_compile_by);
    str_line(out, "cc_compile_domain", h->cc_compile_domain);
    str_line(out, "cc_compile_date", h->cc_compile_date);
    num_line(out, "xend_config_format", h->xend_config_format);
}
