/* SPDX-License-Identifier: MIT */
/*
 * Request helpers shared by xend's command handlers (ops.c, ops_device.c),
 * and the device commands (arguments and results in xend/xm/commands.c).
 */
#ifndef XEND_DAEMON_OPS_H
#define XEND_DAEMON_OPS_H

#include <stdbool.h>

#include "device.h"

struct json;
struct xdom;
struct xend;
struct xerr;

/* A required string member of args, or NULL with e set. */
const char *ops_arg_str(const struct json *args, const char *key, struct xerr *e);
/* An optional boolean member (false if absent). */
bool ops_arg_bool(const struct json *args, const char *key);
/* The domain named by args.domain (not Domain-0); a running one when want_active. */
struct xdom *ops_arg_domain(struct xend *x, const struct json *args, bool want_active,
                            struct xerr *e);
/* After a change of d's config: xenstore for a running domain, the file of a managed one. */
int ops_persist(struct xend *x, struct xdom *d, struct xerr *e);

/* ops_device.c */
struct json *ops_block_attach(struct xend *x, const struct json *args, struct xerr *e);
struct json *ops_network_attach(struct xend *x, const struct json *args, struct xerr *e);
struct json *ops_device_detach(struct xend *x, const struct json *args, enum dev_class cls,
                               struct xerr *e);
struct json *ops_device_list(struct xend *x, const struct json *args, enum dev_class cls,
                             struct xerr *e);

#endif
