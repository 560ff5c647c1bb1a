/* SPDX-License-Identifier: MIT */
/*
 * The byte level of the xm <-> xend protocol (protocol.h): a UNIX stream
 * socket carrying '\n'-terminated messages. Functions return 0 or a
 * negative errno; EINTR is retried.
 */
#ifndef XEND_COMMON_TRANSPORT_H
#define XEND_COMMON_TRANSPORT_H

#include <stddef.h>

struct strbuf;

/*
 * Connect to the socket at path. Returns a file descriptor, or -ENOENT (no
 * socket), -ECONNREFUSED (nobody listening), -EACCES, -ENAMETOOLONG, ...
 */
int xend_connect(const char *path);
/* Write all of buf. */
int xend_write_all(int fd, const char *buf, size_t len);
/*
 * Read one message (up to and including '\n') into out. -EPROTO if the
 * peer closes before the newline, -EMSGSIZE past max bytes.
 */
int xend_read_message(int fd, struct strbuf *out, size_t max);

#endif
