/* SPDX-License-Identifier: MIT */
/* Network interface (vif) specs of xm config files; the syntax is in xmdev.h. */
#include "xmdev.h"
#include "../common/strbuf.h"
#include "../common/suggest.h"
#include "../common/hexdigit.h"
#include "../common/xalloc.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

struct vif_key {
    const char *name;
    size_t offset;
};

#define VK(n) { #n, offsetof(struct xm_vif, n) }
static const struct vif_key vif_keys[] = {
    VK(mac), VK(bridge), VK(ip), VK(script), VK(type), VK(backend), VK(vifname),
    VK(rate), VK(model), VK(accel), VK(policy), VK(label),
};
#undef VK
#define NR_VIF_KEYS (sizeof(vif_keys) / sizeof(vif_keys[0]))

void xm_vif_free(struct xm_vif *v)
{
    free(v->spec);
    for (size_t i = 0; i < NR_VIF_KEYS; i++)
        free(*(char **)((char *)v + vif_keys[i].offset));
    memset(v, 0, sizeof(*v));
}

void xm_vif_copy(struct xm_vif *dst, const struct xm_vif *src)
{
    dst->spec = dup_or_null(src->spec);
    for (size_t i = 0; i < NR_VIF_KEYS; i++)
        *(char **)((char *)dst + vif_keys[i].offset) =
            dup_or_null(*(char *const *)((const char *)src + vif_keys[i].offset));
}

bool xm_mac_valid(const char *mac, struct strbuf *err)
{
    const char *p = mac;

    for (int i = 0; i < 6; i++) {
        if (hex_digit_value(p[0]) < 0 || hex_digit_value(p[1]) < 0 || (i < 5 && p[2] != ':') || (i == 5 && p[2])) {
            sb_printf(err, "'%s' is not a MAC address: write six two-digit hex numbers "
                      "separated by ':' (00:16:3e:xx:xx:xx)", mac);
            return false;
        }
        p += 3;
    }
    if (hex_digit_value(mac[1]) & 1) {
        sb_printf(err, "'%s' is a multicast address: the first byte must be even "
                  "(Xen's prefix is 00:16:3e)", mac);
        return false;
    }
    return true;
}

static bool valid_rate(const char *r)
{
    /* NUM[GMK]?[bB]/s[@NUM[mu]?s] */
    const char *p = r;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == 'G' || *p == 'M' || *p == 'K')
        p++;
    if (*p != 'b' && *p != 'B')
        return false;
    p++;
    if (strncmp(p, "/s", 2) != 0)
        return false;
    p += 2;
    if (!*p)
        return true;
    if (*p++ != '@' || *p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == 'm' || *p == 'u')
        p++;
    return strcmp(p, "s") == 0;
}

static bool valid_ifname(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 15 || !strcmp(s, ".") || !strcmp(s, ".."))
        return false;
    for (; *s; s++)
        if (*s == '/' || *s == ':' || *s == ' ' || *s == '\t' || (unsigned char)*s < 0x21 ||
            (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

static int check_vif_value(const char *key, const char *val, struct strbuf *err)
{
    if (!strcmp(key, "mac"))
        return xm_mac_valid(val, err) ? 0 : -1;
    if (!strcmp(key, "ip")) {
        char *copy = xstrdup(val), *save = NULL;
        int rc = 0, count = 0;
        for (char *a = strtok_r(copy, " ", &save); a; a = strtok_r(NULL, " ", &save)) {
            unsigned char buf[16];
            char *slash = strchr(a, '/');
            if (slash)
                *slash = '\0';
            count++;
            if (inet_pton(AF_INET, a, buf) != 1 && inet_pton(AF_INET6, a, buf) != 1) {
                sb_printf(err, "'%s' is not an IP address (ip= takes addresses separated by spaces)", a);
                rc = -1;
                break;
            }
        }
        if (rc == 0 && count == 0) {
            sb_puts(err, "ip= is empty");
            rc = -1;
        }
        free(copy);
        return rc;
    }
    if (!strcmp(key, "vifname") || !strcmp(key, "bridge")) {
        if (!valid_ifname(val)) {
            sb_printf(err, "%s '%s' is not a valid interface name (1 to 15 characters, "
                      "no '/', ':' or spaces)", key, val);
            return -1;
        }
        return 0;
    }
    if (!strcmp(key, "rate")) {
        if (!valid_rate(val)) {
            sb_printf(err, "rate '%s' is malformed: write e.g. 10Mb/s or 10MB/s@20ms", val);
            return -1;
        }
        return 0;
    }
    if (!strcmp(key, "type")) {
        if (strcmp(val, "netfront") != 0) {
            if (!strcmp(val, "ioemu"))
                sb_puts(err, "type=ioemu is for HVM guests; Xeno runs PV guests (netfront)");
            else
                sb_printf(err, "unknown vif type '%s': PV guests use netfront", val);
            return -1;
        }
        return 0;
    }
    if (!*val) {
        sb_printf(err, "%s= has no value", key);
        return -1;
    }
    return 0;
}

int xm_vif_parse(const char *spec, struct xm_vif *v, struct strbuf *err, size_t *err_off)
{
    const char *p = spec;

    memset(v, 0, sizeof(*v));
    *err_off = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p) {
        v->spec = xstrdup(spec);
        return 0;   /* '' = one NIC with all defaults */
    }
    for (;;) {
        const char *s = p, *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        const char *eq = memchr(s, '=', (size_t)(t - s));
        if (!eq) {
            sb_printf(err, "'%.*s' should be KEY=VALUE (e.g. bridge=xenbr0)", (int)(t - s), s);
            *err_off = (size_t)(s - spec);
            goto fail;
        }
        const char *ke = eq;
        while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        const char *vs = eq + 1;
        while (vs < t && (*vs == ' ' || *vs == '\t'))
            vs++;
        char *key = xstrndup(s, (size_t)(ke - s));
        char *val = xstrndup(vs, (size_t)(t - vs));
        const struct vif_key *k = NULL;
        for (size_t i = 0; i < NR_VIF_KEYS; i++)
            if (!strcmp(vif_keys[i].name, key))
                k = &vif_keys[i];
        if (!k) {
            const char *near = suggest_name(key, vif_keys, NR_VIF_KEYS, sizeof(vif_keys[0]));
            sb_printf(err, "unknown vif option '%s'", key);
            if (near)
                sb_printf(err, " (did you mean '%s'?)", near);
            else
                sb_puts(err, ": known options are mac, bridge, ip, script, type, backend, "
                        "vifname, rate, model, accel");
            *err_off = (size_t)(s - spec);
            free(key);
            free(val);
            goto fail;
        }
        char **slot = (char **)((char *)v + k->offset);
        if (*slot) {
            sb_printf(err, "vif option '%s' is given twice", key);
            *err_off = (size_t)(s - spec);
            free(key);
            free(val);
            goto fail;
        }
        if (check_vif_value(key, val, err) < 0) {
            *err_off = (size_t)(vs - spec);
            free(key);
            free(val);
            goto fail;
        }
        *slot = val;
        free(key);
        if (!*e)
            break;
        p = e + 1;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;  /* a trailing comma is harmless */
    }
    v->spec = xstrdup(spec);
    return 0;
fail:
    xm_vif_free(v);
    return -1;
}
