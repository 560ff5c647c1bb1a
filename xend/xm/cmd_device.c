/* SPDX-License-Identifier: MIT */
/*
 * xm block-attach, block-detach, block-list, network-attach,
 * network-detach, network-list (Xen 4.0 xm's arguments and checks).
 */
#include "xm.h"
#include "format.h"
#include "../common/json.h"
#include "../common/strbuf.h"

#include <stdlib.h>
#include <string.h>

int xm_cmd_block_attach(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    struct json *args = xm_domain_args(ctx, cmd, a, &rc);

    if (!args)
        return rc;
    json_set(args, "uname", json_string(a->pos[1]));
    json_set(args, "dev", json_string(a->pos[2]));
    json_set(args, "mode", json_string(a->pos[3]));
    if (a->nr_pos > 4)
        json_set(args, "backend", json_string(a->pos[4]));
    return xm_simple_call(ctx, cmd, args);
}

/* xm network-attach's keys (its vif_params). */
static const char *const vif_keys[] = {
    "type", "mac", "bridge", "ip", "script", "backend", "vifname", "rate", "model", "accel",
};

int xm_cmd_network_attach(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    struct strbuf spec = STRBUF_INIT;

    for (size_t i = 1; i < a->nr_pos; i++) {
        const char *arg = a->pos[i], *eq = strchr(arg, '=');
        bool known = false;
        for (size_t k = 0; eq && k < sizeof(vif_keys) / sizeof(vif_keys[0]); k++)
            known = known || (strlen(vif_keys[k]) == (size_t)(eq - arg) &&
                              !strncmp(arg, vif_keys[k], (size_t)(eq - arg)));
        /* xm: exactly one '=', a known key and a value. */
        if (!known || !eq[1] || strchr(eq + 1, '=')) {
            sb_free(&spec);
            return xm_usage_error(ctx, cmd, "Invalid argument: %s", arg);
        }
        sb_printf(&spec, "%s%s", spec.len ? "," : "", arg);
    }
    int rc = 0;
    struct json *args = xm_domain_args(ctx, cmd, a, &rc);
    if (args) {
        json_set(args, "vif", json_string(sb_str(&spec)));
        rc = xm_simple_call(ctx, cmd, args);
    }
    sb_free(&spec);
    return rc;
}

int xm_cmd_device_detach(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    struct json *args = xm_domain_args(ctx, cmd, a, &rc);

    if (!args)
        return rc;
    json_set(args, "device", json_string(a->pos[1]));
    json_set(args, "force", json_bool(xm_opt_set(cmd, a, "force")));
    return xm_simple_call(ctx, cmd, args);
}

/* One {"devid": N, "nodes": [[KEY, VALUE], ...]}; 0 or -1 (reason in err). */
static int decode_device(const struct json *j, struct xm_devinfo *d, struct strbuf *err)
{
    long long devid;
    const struct json *nodes = json_get(j, "nodes");

    memset(d, 0, sizeof(*d));
    if (json_member_int(j, "devid", true, 0, 0xffffffffLL, &devid, err) < 0)
        return -1;
    if (!nodes || nodes->type != JSON_ARRAY) {
        sb_puts(err, "member \"nodes\" must be an array");
        return -1;
    }
    d->devid = devid;
    d->keys = calloc(nodes->u.arr.n + 1, sizeof(*d->keys));
    d->values = calloc(nodes->u.arr.n + 1, sizeof(*d->values));
    if (!d->keys || !d->values) {
        xm_devinfo_free(d);
        sb_puts(err, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nodes->u.arr.n; i++) {
        const struct json *p = nodes->u.arr.v[i];
        if (p->type != JSON_ARRAY || p->u.arr.n != 2 || p->u.arr.v[0]->type != JSON_STRING ||
            p->u.arr.v[1]->type != JSON_STRING) {
            xm_devinfo_free(d);
            sb_puts(err, "a node must be a [key, value] pair of strings");
            return -1;
        }
        d->keys[d->n] = strdup(p->u.arr.v[0]->u.s);
        d->values[d->n] = strdup(p->u.arr.v[1]->u.s);
        d->n++;
        if (!d->keys[d->n - 1] || !d->values[d->n - 1]) {
            xm_devinfo_free(d);
            sb_puts(err, "out of memory");
            return -1;
        }
    }
    return 0;
}

int xm_cmd_device_list(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a)
{
    int rc = 0;
    struct json *args = xm_domain_args(ctx, cmd, a, &rc), *result;

    if (!args)
        return rc;
    rc = xm_call(ctx, cmd, cmd->name, args, &result);
    json_free(args);
    if (rc)
        return rc;
    struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
    size_t n = result->type == JSON_ARRAY ? result->u.arr.n : 0;
    struct xm_devinfo *devs = calloc(n + 1, sizeof(*devs));
    size_t got = 0;
    if (result->type != JSON_ARRAY)
        sb_puts(&err, "expected an array of devices");
    for (; devs && !err.len && got < n; got++)
        if (decode_device(result->u.arr.v[got], &devs[got], &err) < 0)
            break;
    if (!devs || err.len) {
        fprintf(ctx->env->err, "xm: %s: xend sent a malformed result: %s\n", cmd->name,
                devs ? sb_str(&err) : "out of memory");
        rc = 1;
    } else if (xm_opt_set(cmd, a, "long")) {
        xm_format_device_long(devs, n, &out);
    } else if (!strcmp(cmd->name, "block-list")) {
        xm_format_block_list(devs, n, &out);
    } else {
        xm_format_network_list(devs, n, &out);
    }
    fputs(sb_str(&out), ctx->env->out);
    for (size_t i = 0; devs && i < got; i++)
        xm_devinfo_free(&devs[i]);
    free(devs);
    sb_free(&out);
    sb_free(&err);
    json_free(result);
    return rc;
}
