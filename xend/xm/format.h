/* SPDX-License-Identifier: MIT */
/*
 * xm's output formats as pure functions (input structs in
 * xend/common/dominfo.h, output appended to a strbuf). The layouts are
 * xm's, byte for byte, because scripts parse them:
 *
 *   list       "%-40s %5s %5s %5s %10s %9s" header, then per domain
 *              "%-40s %5s %5d %5d %10s %8.1f" (name, ID, Mem MiB, VCPUs,
 *              State, Time(s)); an inactive managed domain has an empty
 *              ID and State.
 *   list -l    one pretty-printed (domain ...) SXP per domain.
 *   info       "%-23s: %s" per field, in xend's order.
 *   vcpu-list  "%-32s %5s %5s %5s %5s %9s %s" header; rows
 *              "%-32s %5s %5d %5s %5s  %8.1f %s" (two blanks before the time).
 *   uptime     "%-33s %4s %s " header (with its trailing blank); rows
 *              "%-32s %5s [N day(s), ]H:MM:SS"; -s gives
 *              " HH:MM:SS up [N day(s), ]H:MM, NAME (ID)".
 *   block-list "Vdev  BE handle state evt-ch ring-ref BE-path" header, rows
 *              "%-5d  %-3d  %-3d   %-3d    %-3d    %-5d %-30s  " (vdev
 *              number, backend-id, handle, state, event-channel, ring-ref,
 *              backend path); network-list "Idx BE     MAC Addr.     handle
 *              state evt-ch tx-/rx-ring-ref BE-path", rows "%-3d %-3d%-17s
 *              %-3d   %-3d    %-3d   %-5d/%-5d   %-30s  ". Values come from
 *              the frontend directory; a missing or non-numeric one is -1
 *              (handle 0, text "??"), as xm's parse_dev_info had it. No
 *              header when there is no device. -l: one pretty-printed
 *              (N ((KEY VALUE) ...)) per device.
 */
#ifndef XEND_XM_FORMAT_H
#define XEND_XM_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../common/dominfo.h"

struct strbuf;

void xm_format_list(const struct xm_dominfo *doms, size_t n, struct strbuf *out);
void xm_format_list_long(const struct xm_dominfo *doms, size_t n, struct strbuf *out);
void xm_format_info(const struct xm_hostinfo *h, struct strbuf *out);
/* nr_cpus: the host's CPU count, for "any cpu" (0 if unknown). */
void xm_format_vcpu_list(const struct xm_domvcpus *doms, size_t n, unsigned int nr_cpus,
                         struct strbuf *out);
/* now: the local time shown by -s. */
void xm_format_uptime(const struct xm_dominfo *doms, size_t n, bool short_form, const struct tm *now,
                      struct strbuf *out);

/* One device of block-list / network-list: its number and frontend nodes. */
struct xm_devinfo {
    long long devid;
    size_t n;
    char **keys, **values;
};

void xm_devinfo_free(struct xm_devinfo *d);
void xm_format_block_list(const struct xm_devinfo *devs, size_t n, struct strbuf *out);
void xm_format_network_list(const struct xm_devinfo *devs, size_t n, struct strbuf *out);
void xm_format_device_long(const struct xm_devinfo *devs, size_t n, struct strbuf *out);

#endif
