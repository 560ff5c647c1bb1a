/* SPDX-License-Identifier: MIT */
/* Appending to console logs: see xenconsoled.h. */
#include "xenconsoled.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int write_all(void *ctx, const char *p, size_t n)
{
    int fd = *(int *)ctx;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int xcd_logfile_write(int fd, bool stamp, struct xcd_stamper *st, const char *p, size_t n)
{
    if (!stamp)
        return write_all(&fd, p, n);
    /* Xen's format: local time, to the second. */
    char ts[40];
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || !strftime(ts, sizeof(ts), "[%Y-%m-%d %H:%M:%S] ", &tm))
        strcpy(ts, "[time unknown] ");
    return xcd_stamp(st, ts, p, n, write_all, &fd);
}

int xcd_logfile_open(const char *path, bool stamp, struct xcd_stamper *st)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    xcd_stamper_init(st);
    if (stamp) {
        /* As Xen: a stamped marker line shows where each daemon run starts. */
        static const char opened[] = "Logfile Opened\n";
        int err = xcd_logfile_write(fd, true, st, opened, sizeof(opened) - 1);
        if (err) {
            close(fd);
            return -err;
        }
    }
    return fd;
}

int xcd_mkdirs(const char *dir)
{
    char p[PATH_MAX];
    size_t len = strlen(dir);
    if (!len || len >= sizeof(p))
        return ENAMETOOLONG;
    memcpy(p, dir, len + 1);
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s)
            continue;
        char c = *s;
        *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            return errno;
        if (!c)
            break;
        *s = c;
    }
    struct stat st;
    if (stat(p, &st) < 0)
        return errno;
    return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}
