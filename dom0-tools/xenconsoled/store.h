/* SPDX-License-Identifier: MIT */
/*
 * The few xenstore operations the console daemon and client use, over the
 * wire client of dom0-tools/xenstored/client.h.  Each returns 0 or an
 * errno (ENOENT for a missing node, EPIPE when xenstored went away).
 */
#ifndef XCD_STORE_H
#define XCD_STORE_H

#include <stddef.h>

#include "client.h"

/* The node's value, NUL-terminated, in a malloc()ed *out. */
int xcd_xs_read(struct xsc *c, const char *path, char **out);
/* The value as an unsigned number (decimal, or 0x hex); EINVAL if it is not one. */
int xcd_xs_read_ulong(struct xsc *c, const char *path, unsigned long *v);
int xcd_xs_write(struct xsc *c, const char *path, const char *value);
int xcd_xs_rm(struct xsc *c, const char *path);
/* Children's names, NUL-separated, in a malloc()ed *out of *len bytes. */
int xcd_xs_directory(struct xsc *c, const char *path, char **out, size_t *len);
int xcd_xs_watch(struct xsc *c, const char *path, const char *token);
int xcd_xs_unwatch(struct xsc *c, const char *path, const char *token);

#endif
