/* SPDX-License-Identifier: MIT */
/*
 * libxenobuild: the last unpacked kernel, kept for the next build of the
 * same file.  A long-lived caller (xend) creates domain after domain from
 * one distribution kernel, and unpacking it is most of a build (2 s of 3
 * for Debian 6.1's xz payload under QEMU TCG).  The entry is keyed by the
 * file's device, inode, size and modification time, so a replaced or
 * rewritten kernel is read again.  Off (limit 0) unless the caller sets a
 * limit: the entry holds the whole unpacked image in the caller's memory.
 * Not thread-safe, like the rest of the library's handles.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xb_priv.h"
#include "xenobuild.h"

static struct {
    bool valid;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    struct xb_kernel k;
    unsigned long hits;
} entry;
static size_t limit;

static size_t footprint(const struct xb_kernel *k)
{
    return k->file_len + (k->unpacked ? k->elf_len : 0);
}

static void drop(void)
{
    if (entry.valid) {
        entry.k.borrowed = false;
        xb_kernel_free(&entry.k);
    }
    entry.valid = false;
}

void xenobuild_kernel_cache_limit(size_t bytes)
{
    limit = bytes;
    if (entry.valid && footprint(&entry.k) > limit)
        drop();
}

unsigned long xenobuild_kernel_cache_hits(void)
{
    return entry.hits;
}

static bool same_file(const struct stat *st)
{
    return entry.valid && entry.dev == st->st_dev && entry.ino == st->st_ino && entry.size == st->st_size &&
           entry.mtime.tv_sec == st->st_mtim.tv_sec && entry.mtime.tv_nsec == st->st_mtim.tv_nsec;
}

int xb_kernel_get(const char *path, struct xb_kernel *k, char *err, size_t errlen)
{
    struct stat st;
    if (limit && path && stat(path, &st) == 0 && same_file(&st)) {
        *k = entry.k;
        k->borrowed = true;
        entry.hits++;
        return 0;
    }
    int rc = xb_kernel_load(path, k, err, errlen);
    if (rc || !limit || footprint(k) > limit)
        return rc;
    /* The stat before the read may be stale if the file changed while it
     * was read: take the key after, and at worst read it once more later. */
    if (stat(path, &st) != 0)
        return 0;
    drop();
    entry.k = *k;
    entry.k.borrowed = false;
    entry.dev = st.st_dev;
    entry.ino = st.st_ino;
    entry.size = st.st_size;
    entry.mtime = st.st_mtim;
    entry.valid = true;
    k->borrowed = true;
    return 0;
}
