/* SPDX-License-Identifier: MIT */
/* xm list, vcpu-list, info, dmesg and log: reports (xend/common/dominfo.h). */
#include "xend.h"
#include "xlog.h"
#include "../common/dominfo.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static unsigned int state_bits(const struct hv_dominfo *i)
{
    unsigned int s = 0;
    if (i->running)
        s |= XM_STATE_RUNNING;
    if (i->blocked)
        s |= XM_STATE_BLOCKED;
    if (i->paused)
        s |= XM_STATE_PAUSED;
    if (i->shutdown)
        s |= i->shutdown_reason == 3 ? XM_STATE_CRASHED : XM_STATE_SHUTDOWN;
    if (i->dying)
        s |= XM_STATE_DYING;
    return s;
}

/* dom0 started when the machine did: the kernel's boot time (whole seconds, so it is the
   same on every call). */
static double boot_time(void)
{
    FILE *f = fopen("/proc/stat", "re");
    char line[256];
    double bt = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "btime %lf", &bt) == 1)
            break;
    fclose(f);
    return bt;
}

static void fill_dom0(struct xend *x, struct xm_dominfo *o)
{
    struct hv_dominfo i;

    memset(o, 0, sizeof(*o));
    o->name = xstrdup("Domain-0");
    o->active = true;
    o->has_uuid = true;
    o->start_time = boot_time();
    o->uptime = o->start_time > 0 ? xend_now() - o->start_time : -1;
    if (x->hv->ops->getinfo(x->hv, 0, &i) == 0) {
        o->memory = (unsigned long)(i.tot_kb / 1024);
        o->maxmem = (unsigned long)(i.max_kb / 1024);
        o->vcpus = i.online_vcpus;
        o->max_vcpus = i.max_vcpus;
        o->state = state_bits(&i);
        o->cpu_time = i.cpu_time;
    }
}

static void fill(struct xend *x, const struct xdom *d, bool lng, struct xm_dominfo *o)
{
    memset(o, 0, sizeof(*o));
    o->name = xstrdup(d->name);
    o->has_uuid = true;
    memcpy(o->uuid, d->uuid, 16);
    o->start_time = -1;
    o->uptime = -1;
    if (!d->active) {
        o->memory = d->cfg.memory;
        o->maxmem = d->cfg.maxmem;
        o->vcpus = d->cfg.vcpus;
        o->max_vcpus = d->cfg.vcpus;
    } else {
        struct hv_dominfo i;
        o->active = true;
        o->domid = d->domid;
        o->memory = d->target_kb / 1024;
        o->maxmem = d->maxmem_kb / 1024;
        o->vcpus = (unsigned int)__builtin_popcountll(d->online_mask);
        o->max_vcpus = d->max_vcpus;
        o->start_time = d->start_time;
        o->uptime = d->start_time > 0 ? xend_now() - d->start_time : -1;
        o->store_mfn = d->store_mfn;
        o->console_mfn = d->console_mfn;
        if (x->hv->ops->getinfo(x->hv, d->domid, &i) == 0) {
            o->state = state_bits(&i);
            o->cpu_time = i.cpu_time;
            /* xm's VCPUs column is what the guest has online (xend's
               online_vcpus), which follows vcpu-set only once the guest acts */
            o->vcpus = i.online_vcpus;
        } else {
            o->state = XM_STATE_DYING;
        }
    }
    if (lng && d->has_config)
        o->config = (struct xm_domain_config *)&d->cfg;
}

static int cmp_dom(const void *a, const void *b)
{
    const struct xdom *x = *(const struct xdom *const *)a, *y = *(const struct xdom *const *)b;
    if (x->active != y->active)
        return x->active ? -1 : 1;
    if (x->active)
        return x->domid < y->domid ? -1 : x->domid > y->domid;
    return strcmp(x->name, y->name);
}

/* The records to report: all, or those named in args.domains (in that order). */
static struct xdom **select_doms(struct xend *x, const struct json *args, bool *with_dom0,
                                 size_t *n, struct xerr *e)
{
    const struct json *names = json_get(args, "domains");
    size_t count = 0;

    for (struct xdom *d = x->doms; d; d = d->next)
        count++;
    struct xdom **v = xcalloc(count + 1 + (names && names->type == JSON_ARRAY ? names->u.arr.n : 0),
                              sizeof(*v));
    *n = 0;
    if (!names || names->type != JSON_ARRAY || !names->u.arr.n) {
        *with_dom0 = true;
        for (struct xdom *d = x->doms; d; d = d->next)
            v[(*n)++] = d;
        qsort(v, *n, sizeof(*v), cmp_dom);
        return v;
    }
    *with_dom0 = false;
    for (size_t i = 0; i < names->u.arr.n; i++) {
        const struct json *s = names->u.arr.v[i];
        if (s->type != JSON_STRING) {
            xerr_set(e, XEND_E_BAD_REQUEST, "Malformed request: domains must be strings");
            free(v);
            return NULL;
        }
        if (!strcmp(s->u.s, "0") || !strcmp(s->u.s, "Domain-0")) {
            *with_dom0 = true;
            continue;
        }
        struct xdom *d = xdom_find(x, s->u.s);
        if (!d) {
            xerr_set(e, XEND_E_NO_SUCH_DOMAIN, "Domain '%s' does not exist.", s->u.s);
            free(v);
            return NULL;
        }
        v[(*n)++] = d;
    }
    return v;
}

static bool state_matches(const char *want, const struct xm_dominfo *o)
{
    static const struct { const char *name; unsigned int bit; } map[] = {
        { "running", XM_STATE_RUNNING }, { "blocked", XM_STATE_BLOCKED },
        { "paused", XM_STATE_PAUSED }, { "shutdown", XM_STATE_SHUTDOWN },
        { "crashed", XM_STATE_CRASHED }, { "dying", XM_STATE_DYING },
    };
    if (!want)
        return true;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(want, map[i].name))
            return o->active && (o->state & map[i].bit);
    return false;
}

struct json *ops_list(struct xend *x, const struct json *args, struct xerr *e)
{
    bool lng = false, with_dom0;
    const char *state = NULL;
    struct strbuf err = STRBUF_INIT;
    size_t n;

    json_member_bool(args, "long", false, &lng, &err);
    json_member_str(args, "state", false, &state, &err);
    sb_free(&err);
    struct xdom **v = select_doms(x, args, &with_dom0, &n, e);
    if (!v)
        return NULL;
    struct json *arr = json_array();
    struct xm_dominfo o;
    if (with_dom0) {
        fill_dom0(x, &o);
        if (state_matches(state, &o))
            json_append(arr, xm_dominfo_to_json(&o));
        xm_dominfo_free(&o);
    }
    for (size_t i = 0; i < n; i++) {
        fill(x, v[i], lng, &o);
        if (state_matches(state, &o))
            json_append(arr, xm_dominfo_to_json(&o));
        o.config = NULL;    /* borrowed */
        xm_dominfo_free(&o);
    }
    free(v);
    return arr;
}

static unsigned int host_cpus(struct xend *x)
{
    struct hv_hostinfo h;
    if (!x->nr_cpus && x->hv->ops->hostinfo(x->hv, &h) == 0)
        x->nr_cpus = h.nr_cpus;
    return x->nr_cpus ? x->nr_cpus : 1;
}

static struct json *vcpus_of(struct xend *x, const char *name, uint32_t domid, unsigned int max,
                             const struct xm_domain_config *cfg)
{
    struct xm_domvcpus dv = { .name = xstrdup(name), .active = true, .domid = domid };

    dv.vcpus = xcalloc(max ? max : 1, sizeof(*dv.vcpus));
    for (unsigned int i = 0; i < max; i++) {
        struct hv_vcpuinfo vi;
        struct xm_vcpuinfo *o = &dv.vcpus[dv.nr];
        if (x->hv->ops->vcpuinfo(x->hv, domid, i, &vi) < 0)
            continue;
        o->number = i;
        o->cpu = vi.cpu;
        o->online = vi.online;
        o->running = vi.running;
        o->blocked = vi.blocked;
        o->cpu_time = vi.cpu_time;
        if (cfg && cfg->nr_cpumasks)
            o->affinity = cfg->cpumasks[cfg->nr_cpumasks == 1 ? 0 : i % cfg->nr_cpumasks];
        else
            xm_cpumask_fill(&o->affinity, host_cpus(x));
        dv.nr++;
    }
    struct json *j = xm_domvcpus_to_json(&dv);
    xm_domvcpus_free(&dv);
    return j;
}

struct json *ops_vcpu_list(struct xend *x, const struct json *args, struct xerr *e)
{
    bool with_dom0;
    size_t n;
    struct xdom **v = select_doms(x, args, &with_dom0, &n, e);

    if (!v)
        return NULL;
    struct json *r = json_object();
    json_set(r, "nr_cpus", json_int(host_cpus(x)));
    struct json *arr = json_set(r, "domains", json_array());
    if (with_dom0) {
        struct hv_dominfo i;
        if (x->hv->ops->getinfo(x->hv, 0, &i) == 0)
            json_append(arr, vcpus_of(x, "Domain-0", 0, i.max_vcpus, NULL));
    }
    for (size_t k = 0; k < n; k++) {
        if (!v[k]->active)
            continue;
        json_append(arr, vcpus_of(x, v[k]->name, v[k]->domid, v[k]->max_vcpus,
                                  v[k]->has_config ? &v[k]->cfg : NULL));
    }
    free(v);
    return r;
}

struct json *ops_info(struct xend *x, struct xerr *e)
{
    struct hv_hostinfo h;
    struct utsname u;
    struct xm_hostinfo o;

    if (x->hv->ops->hostinfo(x->hv, &h) < 0) {
        xerr_set(e, XEND_E_INTERNAL, "Cannot read the host's facts: %s", hv_error(x->hv));
        return NULL;
    }
    if (uname(&u) < 0)
        memset(&u, 0, sizeof(u));
    memset(&o, 0, sizeof(o));
    o.host = xstrdup(u.nodename);
    o.release = xstrdup(u.release);
    o.version = xstrdup(u.version);
    o.machine = xstrdup(u.machine);
    o.nr_cpus = h.nr_cpus;
    o.nr_nodes = h.nr_nodes;
    o.cores_per_socket = h.cores_per_socket;
    o.threads_per_core = h.threads_per_core;
    o.cpu_mhz = h.cpu_mhz;
    o.hw_caps = xstrdup(h.hw_caps);
    o.virt_caps = xstrdup(h.cap_hvm ? "hvm" : "");
    o.total_memory = (unsigned long)(h.total_kb / 1024);
    o.free_memory = (unsigned long)(h.free_kb / 1024);
    o.free_cpus = 0;
    o.xen_major = h.xen_major;
    o.xen_minor = h.xen_minor;
    o.xen_extra = xstrdup(h.xen_extra);
    o.xen_caps = xstrdup(h.xen_caps);
    o.xen_scheduler = xstrdup(h.scheduler);
    o.xen_pagesize = h.pagesize;
    o.platform_params = xstrdup(h.platform_params);
    o.xen_changeset = xstrdup(h.changeset);
    o.xen_commandline = xstrdup(h.commandline);
    o.cc_compiler = xstrdup(h.cc_compiler);
    o.cc_compile_by = xstrdup(h.cc_compile_by);
    o.cc_compile_domain = xstrdup(h.cc_compile_domain);
    o.cc_compile_date = xstrdup(h.cc_compile_date);
    o.xend_config_format = 4;
    struct json *j = xm_hostinfo_to_json(&o);
    xm_hostinfo_free(&o);
    return j;
}

static struct json *text_result(const char *text)
{
    struct json *r = json_object();
    json_set(r, "text", json_string(text));
    return r;
}

/* JSON strings must be UTF-8: replace anything else (a guest's junk on the console). */
static void make_ascii(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t'))
            *s = '?';
}

struct json *ops_dmesg(struct xend *x, const struct json *args, struct xerr *e)
{
    bool clear = false;
    struct strbuf err = STRBUF_INIT;
    size_t size = 1u << 20;
    char *buf = xmalloc(size);

    json_member_bool(args, "clear", false, &clear, &err);
    sb_free(&err);
    long n = x->hv->ops->readconsole(x->hv, buf, size, clear);
    if (n < 0) {
        xerr_set(e, XEND_E_INTERNAL, "Cannot read the hypervisor's console: %s", hv_error(x->hv));
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    make_ascii(buf);
    struct json *r = text_result(buf);
    free(buf);
    return r;
}

struct json *ops_log(struct xend *x, struct xerr *e)
{
    const char *path = xlog_path();
    FILE *f = path ? fopen(path, "re") : NULL;
    struct strbuf sb = STRBUF_INIT;
    char buf[8192];
    size_t n;

    (void)x;
    if (!f) {
        xerr_set(e, XEND_E_INTERNAL, "Cannot read the log %s: %s", path ? path : "(none)",
                 strerror(errno));
        return NULL;
    }
    /* The protocol caps a message at 16 MiB: the last 8 MiB is plenty. */
    if (fseek(f, -(8L << 20), SEEK_END) < 0)
        rewind(f);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_putn(&sb, buf, n);
    fclose(f);
    if (sb.buf)
        make_ascii(sb.buf);
    struct json *r = text_result(sb_str(&sb));
    sb_free(&sb);
    return r;
}
