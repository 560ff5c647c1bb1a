/* SPDX-License-Identifier: MIT */
/*
 * A vif's xenstore nodes (docs/devices.md §1; Xen's netif.py), its MAC and
 * its rate. Pure code but for the random MAC.
 *
 * Linux's netback names the interface vifD.N from the frontend's domain
 * and BE/handle, reads BE/mac (the dom0 side's address is fe:ff:ff:ff:ff:ff
 * regardless) and BE/rate; the frontend takes FE/mac as the guest NIC's
 * address. The vif script reads bridge, ip and vifname from BE.
 */
#include "device.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"
#include "../config/xmdev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int dev_vif_rate(const char *rate, struct strbuf *out)
{
    const char *p = rate;
    char *end;
    unsigned long long bytes, usecs = 50000;   /* netif.py: a 50 ms credit interval */

    if (*p < '0' || *p > '9')
        return -1;
    bytes = strtoull(p, &end, 10);
    p = end;
    if (*p == 'G' || *p == 'M' || *p == 'K') {
        bytes *= *p == 'G' ? 1000000000ull : *p == 'M' ? 1000000ull : 1000ull;
        p++;
    }
    if (*p != 'b' && *p != 'B')
        return -1;
    if (*p++ == 'b')
        bytes /= 8;
    if (strncmp(p, "/s", 2))
        return -1;
    p += 2;
    if (*p == '@') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        usecs = strtoull(p, &end, 10);
        p = end;
        if (*p == 'm') {
            usecs *= 1000;
            p++;
        } else if (*p == 'u') {
            p++;
        } else {
            usecs *= 1000000;
        }
        if (*p++ != 's')
            return -1;
    }
    if (*p)
        return -1;
    /* netback keeps both in 32-bit fields: clamp as xend did. */
    unsigned long long per = bytes * usecs / 1000000ull;
    if (usecs > 0xffffffffull)
        usecs = 0xffffffffull;
    if (per > 0xffffffffull)
        per = 0xffffffffull;
    sb_printf(out, "%llu,%llu", per, usecs);
    return 0;
}

int dev_vif_nodes(const struct xm_vif *vif, uint32_t handle, uint32_t domid,
                  const char *default_script, const char *scripts_dir, struct dev_nodes *out,
                  struct strbuf *err)
{
    char id[16];
    struct strbuf rate = STRBUF_INIT;

    memset(out, 0, sizeof(*out));
    if (!vif->mac) {
        sb_printf(err, "vif %u has no MAC address", handle);
        return -1;
    }
    if (vif->rate && dev_vif_rate(vif->rate, &rate) < 0) {
        sb_printf(err, "Invalid rate format: %s", vif->rate);
        sb_free(&rate);
        return -1;
    }
    if (vif->backend && strcmp(vif->backend, "0") && strcmp(vif->backend, "Domain-0")) {
        sb_printf(err, "backend=%s: Xeno's backends are in Domain-0 only", vif->backend);
        sb_free(&rate);
        return -1;
    }
    dev_nodes_begin(out, DEV_VIF, domid, handle);
    out->label = xasprintf("%u (vif)", handle);
    snprintf(id, sizeof(id), "%u", handle);
    char *script = dev_script_path(scripts_dir, vif->script ? vif->script : default_script);

    struct xst_list *l = &out->entries;
    dev_put(l, out->be, "script", script);
    dev_put(l, out->be, "mac", vif->mac);
    dev_put(l, out->be, "handle", id);
    if (vif->bridge)
        dev_put(l, out->be, "bridge", vif->bridge);
    if (vif->ip)
        dev_put(l, out->be, "ip", vif->ip);
    if (vif->vifname)
        dev_put(l, out->be, "vifname", vif->vifname);
    if (rate.len)
        dev_put(l, out->be, "rate", sb_str(&rate));
    dev_nodes_front(out);
    dev_put(l, out->fe, "handle", id);
    dev_put(l, out->fe, "mac", vif->mac);
    dev_nodes_end(out);
    free(script);
    sb_free(&rate);
    return 0;
}

static void random_bytes(unsigned char *b, size_t n)
{
    ssize_t got = getrandom(b, n, GRND_NONBLOCK);

    if (got == (ssize_t)n)
        return;
    /* No entropy yet (an early dom0): a MAC need not be secret, only unlikely to repeat. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long s = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
                           (unsigned long long)getpid() << 40;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        b[i] = (unsigned char)(s >> 56);
    }
}

bool dev_vif_assign_mac(struct xm_vif *vif)
{
    unsigned char b[3];

    if (vif->mac)
        return false;
    random_bytes(b, sizeof(b));
    /* xend's randomMAC: 00:16:3e (Xen's OUI), then 0x00-0x7f, 0x00-0xff, 0x00-0xff. */
    vif->mac = xasprintf("00:16:3e:%02x:%02x:%02x", b[0] & 0x7f, b[1], b[2]);
    char *spec = vif->spec && *vif->spec ? xasprintf("%s,mac=%s", vif->spec, vif->mac)
                                         : xasprintf("mac=%s", vif->mac);
    free(vif->spec);
    vif->spec = spec;
    return true;
}
