/* SPDX-License-Identifier: MIT */
/* libxenobuild: reading a kernel or ramdisk file whole. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xb_priv.h"

int xb_read_file(const char *what, const char *path, uint8_t **buf, size_t *len, char *err,
                 size_t errlen)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return xb_err(err, errlen, -errno, "%s %s: %s", what, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int rc = -errno;
        close(fd);
        return xb_err(err, errlen, rc, "%s %s: %s", what, path, strerror(-rc));
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0 || (uint64_t)st.st_size > XB_MAX_FILE) {
        close(fd);
        return xb_err(err, errlen, -EINVAL, "%s %s: %s", what, path,
                      !S_ISREG(st.st_mode) ? "not a regular file"
                      : st.st_size == 0    ? "empty file"
                                           : "larger than 1 GiB");
    }
    size_t n = (size_t)st.st_size, got = 0;
    uint8_t *b = malloc(n);
    if (!b) {
        close(fd);
        return xb_err(err, errlen, -ENOMEM, "%s %s: no memory for %zu bytes", what, path, n);
    }
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int rc = r < 0 ? -errno : -EIO;
            free(b);
            close(fd);
            return xb_err(err, errlen, rc, "%s %s: read failed after %zu of %zu bytes: %s", what, path,
                          got, n, r < 0 ? strerror(-rc) : "file shrank");
        }
        got += (size_t)r;
    }
    close(fd);
    *buf = b;
    *len = n;
    return 0;
}
