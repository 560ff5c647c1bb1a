/* SPDX-License-Identifier: MIT */
/*
 * xend's xenstore calls, over the xenstore client of dom0-tools/xenstored
 * (client.h). Each returns 0 or a positive errno (the XS_ERROR name's, or
 * an I/O error); tx 0 means outside a transaction.
 */
#ifndef XEND_DAEMON_XS_H
#define XEND_DAEMON_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../dom0-tools/xenstored/client.h"

struct xst_list;

/* The value (malloc'd, NUL-terminated) or NULL with *err set. */
char *xs_read(struct xsc *c, uint32_t tx, const char *path, int *err);
int xs_write(struct xsc *c, uint32_t tx, const char *path, const char *value);
int xs_rm(struct xsc *c, uint32_t tx, const char *path);
/* perms: "n3,r0" (owner first). */
int xs_set_perms(struct xsc *c, uint32_t tx, const char *path, const char *perms);
/* Children's names, a NULL-terminated malloc'd array (free with xs_strv_free), or NULL + *err. */
char **xs_directory(struct xsc *c, uint32_t tx, const char *path, int *err);
void xs_strv_free(char **v);
int xs_introduce(struct xsc *c, uint32_t domid, uint64_t mfn, uint32_t port);
int xs_release(struct xsc *c, uint32_t domid);
int xs_watch(struct xsc *c, const char *path, const char *token);
/*
 * Run step inside one transaction, again from the start while xenstored
 * answers EAGAIN (another writer got in between); step's nonzero return
 * aborts the transaction and is returned.
 */
int xs_transaction(struct xsc *c, int (*step)(struct xsc *c, uint32_t tx, const void *ctx),
                   const void *ctx);
/* Write every entry in one transaction (retried on EAGAIN). */
int xs_apply(struct xsc *c, const struct xst_list *l);
/* Remove each path in one transaction; a missing one is fine. */
int xs_rm_all(struct xsc *c, const char *const *paths, size_t n);

#endif
