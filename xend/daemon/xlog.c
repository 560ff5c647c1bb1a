/* SPDX-License-Identifier: MIT */
#include "xlog.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static FILE *log_file;
static char *log_path;
static enum xlog_level min_level = XLOG_INFO;
static bool to_stderr = true;

static const char *const level_names[] = { "DEBUG", "INFO", "WARNING", "ERROR" };

void xlog_make_parent(const char *path)
{
    char *dir = xstrdup(path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        mkdir(dir, 0755);
        *p = '/';
    }
    free(dir);
}

int xlog_open(const char *path, const char *level, bool also_stderr)
{
    if (level) {
        for (size_t i = 0; i < 4; i++)
            if (!strcasecmp(level, level_names[i]))
                min_level = (enum xlog_level)i;
        if (!strcasecmp(level, "CRITICAL"))
            min_level = XLOG_ERROR;
    }
    xlog_make_parent(path);
    FILE *f = fopen(path, "ae");
    if (!f)
        return -errno;
    setvbuf(f, NULL, _IOLBF, 0);
    xlog_close();
    log_file = f;
    log_path = xstrdup(path);
    to_stderr = also_stderr;
    return 0;
}

void xlog_close(void)
{
    if (log_file)
        fclose(log_file);
    log_file = NULL;
    free(log_path);
    log_path = NULL;
}

const char *xlog_path(void)
{
    return log_path;
}

void xlog_at(enum xlog_level lvl, const char *file, int line, const char *fmt, ...)
{
    char when[32], msg[2048], src[64];
    time_t now = time(NULL);
    struct tm tm;
    va_list ap;

    if (lvl < min_level)
        return;
    localtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* xend logged the Python module name: the source file without directory or .c. */
    const char *base = strrchr(file, '/');
    snprintf(src, sizeof(src), "%s", base ? base + 1 : file);
    char *dot = strrchr(src, '.');
    if (dot)
        *dot = 0;
    if (log_file)
        fprintf(log_file, "[%s %d] %s (%s:%d) %s\n", when, (int)getpid(), level_names[lvl], src,
                line, msg);
    if (to_stderr || !log_file)
        fprintf(stderr, "[%s %d] %s (%s:%d) %s\n", when, (int)getpid(), level_names[lvl], src, line,
                msg);
}
