/* SPDX-License-Identifier: MIT */
/* xenconsoled's own messages: see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

static bool use_stderr = true, verbose;

void xcd_log_setup(bool to_stderr, bool verb)
{
    use_stderr = to_stderr;
    verbose = verb;
    if (!to_stderr)
        openlog("xenconsoled", LOG_CONS | LOG_PID, LOG_DAEMON);
}

bool xcd_log_verbose(void)
{
    return verbose;
}

void xcd_log(enum xcd_level level, const char *fmt, ...)
{
    static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
    static const char *const tag[] = { "error: ", "warning: ", "", "debug: " };
    if (level >= XCD_INFO && !verbose)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (use_stderr) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        fprintf(stderr, "xenconsoled[%lld.%03ld]: %s%s\n", (long long)ts.tv_sec, ts.tv_nsec / 1000000,
                tag[level], line);
    } else {
        syslog(prio[level], "%s", line);
    }
}
