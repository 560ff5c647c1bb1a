/* SPDX-License-Identifier: MIT */
/*
 * xenconsoled's own messages (not the guests' logs): stderr in the
 * foreground (-i), syslog (daemon facility, as Xen) once daemonized.
 * Errors and warnings always; informational lines with -v.
 */
#ifndef XCD_LOG_H
#define XCD_LOG_H

#include <stdbool.h>

enum xcd_level { XCD_ERR, XCD_WARN, XCD_INFO, XCD_DEBUG };

void xcd_log_setup(bool to_stderr, bool verbose);
void xcd_log(enum xcd_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool xcd_log_verbose(void);

#endif
