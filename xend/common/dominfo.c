/* SPDX-License-Identifier: MIT */
/* Domain, vCPU and host reports and their JSON forms (dominfo.h). */
#include "dominfo.h"
#include "diag.h"
#include "json.h"
#include "strbuf.h"
#include "xalloc.h"
#include "../config/xmconfig.h"
#include "hexdigit.h"

#include <stdlib.h>
#include <string.h>

static const char state_letters[] = "rbpscd";

void xm_state_format(unsigned int state, char out[7])
{
    for (int i = 0; i < 6; i++)
        out[i] = (state & (1u << i)) ? state_letters[i] : '-';
    out[6] = '\0';
}

int xm_state_parse(const char *s, unsigned int *state)
{
    unsigned int st = 0;

    if (strlen(s) != 6)
        return -1;
    for (int i = 0; i < 6; i++) {
        if (s[i] == state_letters[i])
            st |= 1u << i;
        else if (s[i] != '-')
            return -1;
    }
    *state = st;
    return 0;
}

unsigned int xm_state_status(const struct xm_dominfo *d)
{
    if (!d->active)
        return 0;   /* halted */
    if (d->state & XM_STATE_CRASHED)
        return 5;
    if (d->state & (XM_STATE_SHUTDOWN | XM_STATE_DYING))
        return 4;
    if (d->state & XM_STATE_PAUSED)
        return 1;
    return 2;       /* running */
}

void xm_dominfo_free(struct xm_dominfo *d)
{
    free(d->name);
    if (d->config) {
        xm_config_free(d->config);
        free(d->config);
    }
    memset(d, 0, sizeof(*d));
}

void xm_domvcpus_free(struct xm_domvcpus *d)
{
    free(d->name);
    free(d->vcpus);
    memset(d, 0, sizeof(*d));
}

#define HOST_STRINGS(X) X(host) X(release) X(version) X(machine) X(hw_caps) X(virt_caps) \
    X(xen_extra) X(xen_caps) X(xen_scheduler) X(platform_params) X(xen_changeset)          \
    X(xen_commandline) X(cc_compiler) X(cc_compile_by) X(cc_compile_domain) X(cc_compile_date)
#define HOST_UINTS(X) X(nr_cpus) X(nr_nodes) X(cores_per_socket) X(threads_per_core) X(cpu_mhz) \
    X(free_cpus) X(xen_major) X(xen_minor) X(xen_pagesize) X(xend_config_format)

void xm_hostinfo_free(struct xm_hostinfo *h)
{
#define FREE_ONE(f) free(h->f);
    HOST_STRINGS(FREE_ONE)
#undef FREE_ONE
    memset(h, 0, sizeof(*h));
}

/* ---- UUIDs ---- */

void xm_uuid_format(const uint8_t u[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    char *p = out;

    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[u[i] >> 4];
        *p++ = hex[u[i] & 15];
    }
    *p = '\0';
}

int xm_uuid_parse(const char *s, uint8_t u[16])
{
    int n = 0;

    for (; *s; s++) {
        if (*s == '-')
            continue;
        int v = hex_digit_value(*s);
        if (v < 0 || n >= 32)
            return -1;
        if (n % 2 == 0)
            u[n / 2] = (uint8_t)(v << 4);
        else
            u[n / 2] |= (uint8_t)v;
        n++;
    }
    return n == 32 ? 0 : -1;
}

/* ---- domains ---- */

struct json *xm_dominfo_to_json(const struct xm_dominfo *d)
{
    struct json *o = json_object();
    char buf[37];

    json_set(o, "name", json_string(d->name ? d->name : ""));
    json_set(o, "domid", d->active ? json_int(d->domid) : json_null());
    if (d->has_uuid) {
        xm_uuid_format(d->uuid, buf);
        json_set(o, "uuid", json_string(buf));
    }
    json_set(o, "memory", json_int((long long)d->memory));
    json_set(o, "maxmem", json_int((long long)d->maxmem));
    json_set(o, "vcpus", json_int(d->vcpus));
    json_set(o, "max_vcpus", json_int(d->max_vcpus));
    xm_state_format(d->state, buf);
    json_set(o, "state", json_string(buf));
    json_set(o, "cpu_time", json_double(d->cpu_time));
    if (d->start_time >= 0)
        json_set(o, "start_time", json_double(d->start_time));
    if (d->uptime >= 0)
        json_set(o, "uptime", json_double(d->uptime));
    if (d->store_mfn)
        json_set(o, "store_mfn", json_int((long long)d->store_mfn));
    if (d->console_mfn)
        json_set(o, "console_mfn", json_int((long long)d->console_mfn));
    if (d->config)
        json_set(o, "config", xm_config_to_json(d->config));
    return o;
}

#define ULONG_LIMIT 0x7fffffffffffffffLL

/* "name" (required) and "domid" (absent or null: not running), shared by
 * the domain and vCPU reports. 0, or -1 with a reason in err. */
static int decode_identity(const struct json *j, char **name, bool *active, unsigned int *domid,
                           struct strbuf *err)
{
    const char *s;
    long long x;

    if (json_member_str(j, "name", true, &s, err) < 0)
        return -1;
    *name = xstrdup(s);
    int rc = json_member_int(j, "domid", false, 0, 0x7fff, &x, err);
    if (rc < 0)
        return -1;
    *active = rc == 0;
    *domid = *active ? (unsigned int)x : 0;
    return 0;
}

int xm_dominfo_from_json(const struct json *j, struct xm_dominfo *d, struct strbuf *err)
{
    const char *s;
    long long x;
    const struct json *cfg;

    memset(d, 0, sizeof(*d));
    d->start_time = d->uptime = -1;
    if (!j || j->type != JSON_OBJECT) {
        sb_puts(err, "a domain must be a JSON object");
        return -1;
    }
    if (decode_identity(j, &d->name, &d->active, &d->domid, err) < 0)
        goto fail;
    int rc = json_member_str(j, "uuid", false, &s, err);
    if (rc < 0)
        goto fail;
    if (rc == 0) {
        if (xm_uuid_parse(s, d->uuid) < 0) {
            sb_printf(err, "member \"uuid\" is not a UUID: %s", s);
            goto fail;
        }
        d->has_uuid = true;
    }
    if (json_member_int(j, "memory", true, 0, ULONG_LIMIT, &x, err) < 0)
        goto fail;
    d->memory = (unsigned long)x;
    x = (long long)d->memory;
    if (json_member_int(j, "maxmem", false, 0, ULONG_LIMIT, &x, err) < 0)
        goto fail;
    d->maxmem = (unsigned long)x;
    if (json_member_int(j, "vcpus", true, 0, 1 << 20, &x, err) < 0)
        goto fail;
    d->vcpus = (unsigned int)x;
    x = d->vcpus;
    if (json_member_int(j, "max_vcpus", false, 0, 1 << 20, &x, err) < 0)
        goto fail;
    d->max_vcpus = (unsigned int)x;
    rc = json_member_str(j, "state", !d->active ? false : true, &s, err);
    if (rc < 0)
        goto fail;
    if (rc == 0 && xm_state_parse(s, &d->state) < 0) {
        sb_printf(err, "member \"state\" is not a state such as -b----: %s", s);
        goto fail;
    }
    if (json_member_double(j, "cpu_time", false, &d->cpu_time, err) < 0 ||
        json_member_double(j, "start_time", false, &d->start_time, err) < 0 ||
        json_member_double(j, "uptime", false, &d->uptime, err) < 0)
        goto fail;
    x = 0;
    if (json_member_int(j, "store_mfn", false, 0, ULONG_LIMIT, &x, err) < 0)
        goto fail;
    d->store_mfn = (unsigned long)x;
    x = 0;
    if (json_member_int(j, "console_mfn", false, 0, ULONG_LIMIT, &x, err) < 0)
        goto fail;
    d->console_mfn = (unsigned long)x;
    rc = json_member_of(j, "config", JSON_OBJECT, false, &cfg, err);
    if (rc < 0)
        goto fail;
    if (rc == 0) {
        struct diags diags = DIAGS_INIT;
        d->config = xmalloc(sizeof(*d->config));
        if (xm_config_from_json(cfg, "config", d->config, &diags) < 0) {
            free(d->config);
            d->config = NULL;
            sb_puts(err, "member \"config\": ");
            for (size_t i = 0; i < diags.n; i++)
                if (diags.v[i].level == DIAG_ERROR) {
                    sb_puts(err, diags.v[i].msg);
                    break;
                }
            diags_free(&diags);
            goto fail;
        }
        diags_free(&diags);
    }
    return 0;
fail:
    xm_dominfo_free(d);
    return -1;
}

/* ---- vCPUs ---- */

struct json *xm_domvcpus_to_json(const struct xm_domvcpus *d)
{
    struct json *o = json_object();
    struct strbuf sb = STRBUF_INIT;

    json_set(o, "name", json_string(d->name ? d->name : ""));
    json_set(o, "domid", d->active ? json_int(d->domid) : json_null());
    struct json *a = json_set(o, "vcpus", json_array());
    for (size_t i = 0; i < d->nr; i++) {
        const struct xm_vcpuinfo *v = &d->vcpus[i];
        struct json *e = json_append(a, json_object());
        json_set(e, "number", json_int(v->number));
        json_set(e, "cpu", json_int(v->cpu));
        json_set(e, "online", json_bool(v->online));
        json_set(e, "running", json_bool(v->running));
        json_set(e, "blocked", json_bool(v->blocked));
        json_set(e, "cpu_time", json_double(v->cpu_time));
        sb_reset(&sb);
        xm_cpumask_format(&v->affinity, 0, &sb);
        json_set(e, "affinity", json_string(sb_str(&sb)));
    }
    sb_free(&sb);
    return o;
}

int xm_domvcpus_from_json(const struct json *j, struct xm_domvcpus *d, struct strbuf *err)
{
    const char *s;
    long long x;
    const struct json *a;

    memset(d, 0, sizeof(*d));
    if (!j || j->type != JSON_OBJECT) {
        sb_puts(err, "a domain's vCPUs must be a JSON object");
        return -1;
    }
    if (decode_identity(j, &d->name, &d->active, &d->domid, err) < 0)
        goto fail;
    if (json_member_of(j, "vcpus", JSON_ARRAY, true, &a, err) < 0)
        goto fail;
    d->vcpus = xcalloc(a->u.arr.n ? a->u.arr.n : 1, sizeof(*d->vcpus));
    for (size_t i = 0; i < a->u.arr.n; i++) {
        const struct json *e = a->u.arr.v[i];
        struct xm_vcpuinfo *v = &d->vcpus[i];
        if (e->type != JSON_OBJECT) {
            sb_printf(err, "vCPU entry %zu is not an object", i);
            goto fail;
        }
        if (json_member_int(e, "number", true, 0, 1 << 20, &x, err) < 0)
            goto fail;
        v->number = (unsigned int)x;
        x = -1;
        if (json_member_int(e, "cpu", false, -1, XM_MAX_CPUS - 1, &x, err) < 0)
            goto fail;
        v->cpu = (int)x;
        if (json_member_bool(e, "online", true, &v->online, err) < 0 ||
            json_member_bool(e, "running", false, &v->running, err) < 0 ||
            json_member_bool(e, "blocked", false, &v->blocked, err) < 0 ||
            json_member_double(e, "cpu_time", false, &v->cpu_time, err) < 0)
            goto fail;
        int rc = json_member_str(e, "affinity", false, &s, err);
        if (rc < 0)
            goto fail;
        if (rc == 0) {
            size_t off;
            struct strbuf why = STRBUF_INIT;
            if (xm_cpumask_parse(s, &v->affinity, &why, &off) < 0) {
                sb_printf(err, "vCPU %u: affinity '%s': %s", v->number, s, sb_str(&why));
                sb_free(&why);
                goto fail;
            }
            sb_free(&why);
        } else {
            xm_cpumask_fill(&v->affinity, XM_MAX_CPUS);
        }
        d->nr++;
    }
    return 0;
fail:
    xm_domvcpus_free(d);
    return -1;
}

/* ---- host ---- */

struct json *xm_hostinfo_to_json(const struct xm_hostinfo *h)
{
    struct json *o = json_object();

#define PUT_STR(f) json_set(o, #f, json_string(h->f ? h->f : ""));
#define PUT_UINT(f) json_set(o, #f, json_int(h->f));
    PUT_STR(host) PUT_STR(release) PUT_STR(version) PUT_STR(machine)
    PUT_UINT(nr_cpus) PUT_UINT(nr_nodes) PUT_UINT(cores_per_socket) PUT_UINT(threads_per_core)
    PUT_UINT(cpu_mhz) PUT_STR(hw_caps) PUT_STR(virt_caps)
    json_set(o, "total_memory", json_int((long long)h->total_memory));
    json_set(o, "free_memory", json_int((long long)h->free_memory));
    PUT_UINT(free_cpus) PUT_UINT(xen_major) PUT_UINT(xen_minor) PUT_STR(xen_extra)
    PUT_STR(xen_caps) PUT_STR(xen_scheduler) PUT_UINT(xen_pagesize) PUT_STR(platform_params)
    PUT_STR(xen_changeset) PUT_STR(xen_commandline) PUT_STR(cc_compiler) PUT_STR(cc_compile_by)
    PUT_STR(cc_compile_domain) PUT_STR(cc_compile_date) PUT_UINT(xend_config_format)
#undef PUT_STR
#undef PUT_UINT
    return o;
}

int xm_hostinfo_from_json(const struct json *j, struct xm_hostinfo *h, struct strbuf *err)
{
    const char *s;
    long long x;

    memset(h, 0, sizeof(*h));
    if (!j || j->type != JSON_OBJECT) {
        sb_puts(err, "host information must be a JSON object");
        return -1;
    }
    /* Missing members print as empty/0, as xm did for fields an old xend lacked. */
#define GET_STR(f)                                                  \
    if (json_member_str(j, #f, false, &s, err) < 0)                 \
        goto fail;                                                  \
    h->f = xstrdup(json_get(j, #f) && json_get(j, #f)->type == JSON_STRING ? s : "");
#define GET_UINT(f)                                                 \
    x = 0;                                                          \
    if (json_member_int(j, #f, false, 0, 0xffffffffLL, &x, err) < 0) \
        goto fail;                                                  \
    h->f = (unsigned int)x;
    HOST_STRINGS(GET_STR)
    HOST_UINTS(GET_UINT)
#undef GET_STR
#undef GET_UINT
    x = 0;
    if (json_member_int(j, "total_memory", false, 0, ULONG_LIMIT, &x, err) < 0)
        goto fail;
    h->total_memory = (unsigned long)x;
    x = 0;
    if (json_member_int(j, "free_memory", false, 0, ULONG_LIMIT, &x, err) < 0)
        goto fail;
    h->free_memory = (unsigned long)x;
    return 0;
fail:
    xm_hostinfo_free(h);
    return -1;
}
