/* SPDX-License-Identifier: MIT */
/*
 * A domain configuration as JSON, for the xm <-> xend protocol: an object
 * whose members are xm config keys with the values a config file would
 * give them ({"name": "web1", "memory": 512, "disk": ["phy:...,xvda,w"],
 * "on_crash": "restart", "localtime": false, ...}). The receiver runs it
 * through the same key table and rules as a config file, so both sides
 * agree on what is valid and nothing is trusted unchecked.
 */
#include "xmconfig.h"
#include "pyconf.h"
#include "pyvalue.h"
#include "xmkeys.h"
#include "../common/diag.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <stdio.h>

static void set_str(struct json *o, const char *key, const char *s)
{
    if (s)
        json_set(o, key, json_string(s));
}

struct json *xm_config_to_json(const struct xm_domain_config *cfg)
{
    struct json *o = json_object();
    struct strbuf sb = STRBUF_INIT;

    set_str(o, "name", cfg->name);
    if (cfg->has_uuid) {
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10)
                sb_putc(&sb, '-');
            sb_printf(&sb, "%02x", cfg->uuid[i]);
        }
        json_set(o, "uuid", json_string(sb_str(&sb)));
    }
    set_str(o, "description", cfg->description);
    json_set(o, "memory", json_int((long long)cfg->memory));
    json_set(o, "maxmem", json_int((long long)cfg->maxmem));
    json_set(o, "vcpus", json_int(cfg->vcpus));
    if (cfg->has_vcpu_avail)
        json_set(o, "vcpu_avail", json_int((long long)cfg->vcpu_avail));
    if (cfg->nr_cpumasks == 1) {
        sb_reset(&sb);
        xm_cpumask_format(&cfg->cpumasks[0], 0, &sb);
        json_set(o, "cpus", json_string(sb_str(&sb)));
    } else if (cfg->nr_cpumasks > 1) {
        struct json *a = json_set(o, "cpus", json_array());
        for (size_t i = 0; i < cfg->nr_cpumasks; i++) {
            sb_reset(&sb);
            xm_cpumask_format(&cfg->cpumasks[i], 0, &sb);
            json_append(a, json_string(sb_str(&sb)));
        }
    }
    if (cfg->cpu >= 0)
        json_set(o, "cpu", json_int(cfg->cpu));
    if (cfg->cpu_weight)
        json_set(o, "cpu_weight", json_int(cfg->cpu_weight));
    if (cfg->cpu_cap)
        json_set(o, "cpu_cap", json_int(cfg->cpu_cap));
    set_str(o, "builder", cfg->builder);
    set_str(o, "kernel", cfg->kernel);
    set_str(o, "ramdisk", cfg->ramdisk);
    set_str(o, "root", cfg->root);
    set_str(o, "extra", cfg->extra);
    set_str(o, "cmdline", cfg->cmdline);
    set_str(o, "ip", cfg->ip);
    set_str(o, "gateway", cfg->gateway);
    set_str(o, "netmask", cfg->netmask);
    set_str(o, "hostname", cfg->hostname);
    set_str(o, "interface", cfg->interface);
    set_str(o, "dhcp", cfg->dhcp);
    set_str(o, "nfs_server", cfg->nfs_server);
    set_str(o, "nfs_root", cfg->nfs_root);
    set_str(o, "bootloader", cfg->bootloader);
    set_str(o, "bootargs", cfg->bootargs);
    set_str(o, "features", cfg->features);
    struct json *disks = json_set(o, "disk", json_array());
    for (size_t i = 0; i < cfg->nr_disks; i++)
        json_append(disks, json_string(cfg->disks[i].spec));
    struct json *vifs = json_set(o, "vif", json_array());
    for (size_t i = 0; i < cfg->nr_vifs; i++)
        json_append(vifs, json_string(cfg->vifs[i].spec ? cfg->vifs[i].spec : ""));
    json_set(o, "on_poweroff", json_string(xm_action_name(cfg->on_poweroff)));
    json_set(o, "on_reboot", json_string(xm_action_name(cfg->on_reboot)));
    json_set(o, "on_crash", json_string(xm_action_name(cfg->on_crash)));
    json_set(o, "on_xend_start", json_string(xm_xend_start_name(cfg->on_xend_start)));
    json_set(o, "on_xend_stop", json_string(xm_xend_stop_name(cfg->on_xend_stop)));
    json_set(o, "localtime", json_bool(cfg->localtime));
    if (cfg->rtc_timeoffset)
        json_set(o, "rtc_timeoffset", json_int(cfg->rtc_timeoffset));
    if (cfg->tsc_mode)
        json_set(o, "tsc_mode", json_int(cfg->tsc_mode));
    json_set(o, "nomigrate", json_bool(cfg->nomigrate));
    json_set(o, "blkif", json_bool(cfg->blkif));
    json_set(o, "netif", json_bool(cfg->netif));
    json_set(o, "tpmif", json_bool(cfg->tpmif));
    sb_free(&sb);
    return o;
}

/* A JSON value as a config value; NULL (with a diagnostic) for objects. */
static struct pyvalue *to_pyvalue(const struct json *v, const char *origin, const char *key,
                                  struct diags *diags)
{
    struct pyvalue *p;

    switch (v->type) {
    case JSON_NULL:
        return pyv_none(0, 0);
    case JSON_BOOL:
        return pyv_bool(v->u.b, 0, 0);
    case JSON_INT:
        return pyv_int(v->u.i, 0, 0);
    case JSON_DOUBLE:
        return pyv_float(v->u.d, 0, 0);
    case JSON_STRING:
        return pyv_str(v->u.s, 0, 0);
    case JSON_ARRAY:
        p = pyv_list(PYV_LIST, 0, 0);
        for (size_t i = 0; i < v->u.arr.n; i++) {
            struct pyvalue *it = to_pyvalue(v->u.arr.v[i], origin, key, diags);
            if (!it) {
                pyv_free(p);
                return NULL;
            }
            pyv_list_append(p, it);
        }
        return p;
    case JSON_OBJECT:
        break;
    }
    diag_add(diags, DIAG_ERROR, origin, 0, 0, "%s: an object is not a config value", key);
    return NULL;
}

int xm_config_from_json(const struct json *obj, const char *origin, struct xm_domain_config *cfg,
                        struct diags *diags)
{
    struct pyconf env;
    unsigned int errors = diags->errors;
    size_t first = diags->n;

    xm_config_init(cfg);
    if (!obj || obj->type != JSON_OBJECT) {
        diag_add(diags, DIAG_ERROR, origin, 0, 0, "a domain configuration must be a JSON object");
        return -1;
    }
    pyconf_init(&env);
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        struct pyvalue *v = to_pyvalue(obj->u.obj.vals[i], origin, obj->u.obj.keys[i], diags);
        if (v)
            pyconf_set(&env, obj->u.obj.keys[i], v, PYCONF_FILE, 0, 0);
    }
    int rc = xm_config_apply_env(&env, origin, false, diags->errors != errors, cfg, diags, first,
                                 errors);
    pyconf_free(&env);
    return rc;
}
