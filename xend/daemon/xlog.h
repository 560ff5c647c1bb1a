/* SPDX-License-Identifier: MIT */
/*
 * xend's log file (/var/log/xen/xend.log; xend-config (logfile), or
 * $XEND_LOGFILE), one line per message in xend's Python logging format:
 *   [2026-11-21 23:30:09 1234] INFO (domain:321) Domain web1 (3) created.
 * i.e. [date time pid] LEVEL (source file:line) message. Messages below
 * the configured level (xend-config (loglevel)) are not written. Before
 * the file is open (and in foreground mode, too) lines also go to stderr.
 */
#ifndef XEND_DAEMON_XLOG_H
#define XEND_DAEMON_XLOG_H

#include <stdbool.h>

enum xlog_level { XLOG_DEBUG, XLOG_INFO, XLOG_WARNING, XLOG_ERROR };

/* Open (append) path; 0 or -errno. level: "DEBUG".."CRITICAL" (NULL: INFO). */
int xlog_open(const char *path, const char *level, bool also_stderr);
void xlog_close(void);
/* mkdir -p of path's directory (0755), for a log or socket in a fresh /var. */
void xlog_make_parent(const char *path);
const char *xlog_path(void);
void xlog_at(enum xlog_level lvl, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define xlog_debug(...) xlog_at(XLOG_DEBUG, __FILE__, __LINE__, __VA_ARGS__)
#define xlog_info(...) xlog_at(XLOG_INFO, __FILE__, __LINE__, __VA_ARGS__)
#define xlog_warn(...) xlog_at(XLOG_WARNING, __FILE__, __LINE__, __VA_ARGS__)
#define xlog_error(...) xlog_at(XLOG_ERROR, __FILE__, __LINE__, __VA_ARGS__)

#endif
