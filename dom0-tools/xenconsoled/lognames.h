/* SPDX-License-Identifier: MIT */
/*
 * Console log files as Xen's xenconsoled names and writes them
 * (tools/console/daemon/io.c): DIR/guest-NAME.log per domain, NAME from
 * /local/domain/N/name, and DIR/hypervisor.log; with timestamps on, each
 * line starts with "[YYYY-MM-DD HH:MM:SS] " and the carriage returns right
 * after a newline are dropped.
 *
 * Pure code: unit-tested hosted.
 */
#ifndef XCD_LOGNAMES_H
#define XCD_LOGNAMES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * DIR/guest-NAME.log into buf; 0, or -1 if it does not fit.  A '/' in the
 * name becomes '_' and "", "." or ".." become "dom<domid>" (Xen writes the
 * name unchecked; a domain name must not pick another file).
 */
int xcd_guest_log_path(char *buf, size_t size, const char *dir, const char *name, unsigned int domid);
int xcd_hv_log_path(char *buf, size_t size, const char *dir);

/* Where the next byte starts a line (then it gets a stamp). */
struct xcd_stamper {
    bool at_line_start;
};

typedef int xcd_sink_fn(void *ctx, const char *p, size_t n);

void xcd_stamper_init(struct xcd_stamper *s);
/*
 * Write data through sink, each line prefixed by stamp (e.g.
 * "[2026-11-21 23:30:08] ").  Returns 0 or the sink's first error.
 */
int xcd_stamp(struct xcd_stamper *s, const char *stamp, const char *data, size_t len, xcd_sink_fn *sink,
              void *ctx);

#endif
