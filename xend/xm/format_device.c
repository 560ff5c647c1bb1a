/* SPDX-License-Identifier: MIT */
/* xm block-list and network-list, short and -l (layouts in format.h). */
#include "format.h"
#include "../common/strbuf.h"
#include "../config/sxp.h"

#include <stdlib.h>
#include <string.h>

void xm_devinfo_free(struct xm_devinfo *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->keys[i]);
        free(d->values[i]);
    }
    free(d->keys);
    free(d->values);
    memset(d, 0, sizeof(*d));
}

static const char *text(const struct xm_devinfo *d, const char *key, const char *def)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->keys[i], key))
            return d->values[i];
    return def;
}

/* xm's int(value), with its default when the node is missing or not a number. */
static long long num(const struct xm_devinfo *d, const char *key, long long def)
{
    const char *v = text(d, key, NULL);
    char *end;

    if (!v || !*v)
        return def;
    long long n = strtoll(v, &end, 10);
    return *end ? def : n;
}

void xm_format_block_list(const struct xm_devinfo *devs, size_t n, struct strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        const struct xm_devinfo *d = &devs[i];
        if (i == 0)
            sb_puts(out, "Vdev  BE handle state evt-ch ring-ref BE-path\n");
        sb_printf(out, "%-5lld  %-3lld  %-3lld   %-3lld    %-3lld    %-5lld %-30s  \n", d->devid,
                  num(d, "backend-id", -1), num(d, "handle", 0), num(d, "state", -1),
                  num(d, "event-channel", -1), num(d, "ring-ref", -1), text(d, "backend", "??"));
    }
}

/* Linux's netfront (since 3.x, after xm's time) writes event-channel-tx and
 * -rx instead of event-channel when the backend offers split channels; the
 * column then shows the TX one. */
static long long vif_evtchn(const struct xm_devinfo *d)
{
    return num(d, "event-channel", num(d, "event-channel-tx", -1));
}

void xm_format_network_list(const struct xm_devinfo *devs, size_t n, struct strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        const struct xm_devinfo *d = &devs[i];
        if (i == 0)
            sb_puts(out, "Idx BE     MAC Addr.     handle state evt-ch tx-/rx-ring-ref BE-path\n");
        sb_printf(out, "%-3lld %-3lld%-17s    %-3lld   %-3lld    %-3lld   %-5lld/%-5lld   %-30s  \n",
                  d->devid, num(d, "backend-id", -1), text(d, "mac", "??"), num(d, "handle", 0),
                  num(d, "state", -1), vif_evtchn(d), num(d, "tx-ring-ref", -1),
                  num(d, "rx-ring-ref", -1), text(d, "backend", "??"));
    }
}

void xm_format_device_long(const struct xm_devinfo *devs, size_t n, struct strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        struct sxp *dev = sxp_list();
        sxp_append(dev, sxp_atomf("%lld", devs[i].devid));
        struct sxp *nodes = sxp_append(dev, sxp_list());
        for (size_t k = 0; k < devs[i].n; k++)
            sxp_add(nodes, devs[i].keys[k], devs[i].values[k]);
        sxp_pretty(dev, 80, out);
        sxp_free(dev);
    }
}
