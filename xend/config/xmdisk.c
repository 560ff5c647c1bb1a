/* SPDX-License-Identifier: MIT */
/* Disk specs of xm config files (syntax in xmdev.h) and virtual device numbers. */
#include "xmdev.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- virtual block device numbers (Xen's vbd interface numbering) ---- */

#define XVD_MAJOR 202
#define XVD_EXT (1u << 28)

static const unsigned int scsi_majors[16] = {
    8, 65, 66, 67, 68, 69, 70, 71, 128, 129, 130, 131, 132, 133, 134, 135,
};
static const unsigned int ide_majors[10] = { 3, 22, 33, 34, 56, 57, 88, 89, 90, 91 };

/* Letters a..z, aa..zz, ... (bijective base 26) to a disk index; -1 if none/too big. */
static long disk_index(const char **pp)
{
    const char *p = *pp;
    long idx = 0;
    int n = 0;

    while (*p >= 'a' && *p <= 'z') {
        idx = idx * 26 + (*p - 'a' + 1);
        if (idx > (1L << 20))
            return -1;
        p++;
        n++;
    }
    if (!n)
        return -1;
    *pp = p;
    return idx - 1;
}

/* Partition number after the letters: none = 0; -1 if malformed. */
static long part_number(const char *p)
{
    long v = 0;

    if (!*p)
        return 0;
    if (*p == '0')
        return -1;  /* partitions count from 1 and have no leading zero */
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
        if (v > 255)
            return -1;
    }
    return v;
}

int xm_vdev_number(const char *name, uint32_t *devid, struct strbuf *err)
{
    const char *p = name;
    long disk, part;

    if (*p >= '0' && *p <= '9') {
        unsigned long v = 0;
        for (; *p; p++) {
            if (*p < '0' || *p > '9' || v > 0xfffffffUL) {
                sb_printf(err, "'%s' is neither a device name nor a number", name);
                return -1;
            }
            v = v * 10 + (unsigned long)(*p - '0');
        }
        if (v > UINT32_MAX) {
            sb_printf(err, "device number %s is too large", name);
            return -1;
        }
        *devid = (uint32_t)v;
        return 0;
    }
    if (strncmp(p, "xvd", 3) == 0) {
        p += 3;
        disk = disk_index(&p);
        part = disk < 0 ? -1 : part_number(p);
        if (disk < 0 || part < 0 || disk >= (1L << 20))
            goto bad;
        if (disk < 16 && part < 16)
            *devid = (XVD_MAJOR << 8) | (uint32_t)(disk << 4) | (uint32_t)part;
        else
            *devid = XVD_EXT | (uint32_t)(disk << 8) | (uint32_t)part;
        return 0;
    }
    if (strncmp(p, "sd", 2) == 0) {
        p += 2;
        disk = disk_index(&p);
        part = disk < 0 ? -1 : part_number(p);
        if (disk < 0 || part < 0 || part > 15 || disk >= 256)
            goto bad;
        *devid = (scsi_majors[disk / 16] << 8) | (uint32_t)((disk % 16) << 4) | (uint32_t)part;
        return 0;
    }
    if (strncmp(p, "hd", 2) == 0) {
        p += 2;
        disk = disk_index(&p);
        part = disk < 0 ? -1 : part_number(p);
        if (disk < 0 || part < 0 || part > 63 || disk >= 20)
            goto bad;
        *devid = (ide_majors[disk / 2] << 8) | (uint32_t)((disk % 2) << 6) | (uint32_t)part;
        return 0;
    }
bad:
    sb_printf(err, "'%s' is not a virtual disk name: use xvda, xvdb, ... "
              "(xvda1 for a partition)", name);
    return -1;
}

const char *xm_disk_mode_name(enum xm_disk_mode mode)
{
    switch (mode) {
    case XM_DISK_R:
        return "r";
    case XM_DISK_W:
        return "w";
    case XM_DISK_W_SHARED:
        return "w!";
    }
    return "?";
}

/* ---- disk specs ---- */

struct field {
    const char *start;  /* first non-blank character */
    size_t len;         /* without surrounding blanks */
    size_t off;         /* offset of start in the spec */
};

/* Split spec at commas into at most max fields; returns the count or -1 if more. */
static int split_fields(const char *spec, struct field *f, int max)
{
    int n = 0;
    const char *p = spec;

    for (;;) {
        const char *s = p, *e;
        while (*s == ' ' || *s == '\t')
            s++;
        e = s;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if (n == max)
            return -1;
        f[n].start = s;
        f[n].len = (size_t)(t - s);
        f[n].off = (size_t)(s - spec);
        n++;
        if (!*e)
            return n;
        p = e + 1;
    }
}

static bool field_is(const struct field *f, const char *s)
{
    return f->len == strlen(s) && memcmp(f->start, s, f->len) == 0;
}

static const char *const tap_drivers[] = {
    "tapdisk", "aio", "sync", "qcow", "qcow2", "vhd", "vmdk", "ram", "remus",
};

static bool is_tap_driver(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(tap_drivers) / sizeof(tap_drivers[0]); i++)
        if (strlen(tap_drivers[i]) == n && memcmp(tap_drivers[i], s, n) == 0)
            return true;
    return false;
}

static bool valid_type_name(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

void xm_disk_free(struct xm_disk *d)
{
    free(d->spec);
    free(d->uname);
    free(d->type);
    free(d->target);
    free(d->vdev);
    free(d->backend);
    free(d->protocol);
    memset(d, 0, sizeof(*d));
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void xm_disk_copy(struct xm_disk *dst, const struct xm_disk *src)
{
    *dst = *src;
    dst->spec = dup_or_null(src->spec);
    dst->uname = dup_or_null(src->uname);
    dst->type = dup_or_null(src->type);
    dst->target = dup_or_null(src->target);
    dst->vdev = dup_or_null(src->vdev);
    dst->backend = dup_or_null(src->backend);
    dst->protocol = dup_or_null(src->protocol);
}

/* Split BACKEND into type and target; fills d->type and d->target. */
static int parse_backend(const struct field *f, struct xm_disk *d, struct strbuf *err, size_t *err_off)
{
    const char *s = f->start, *end = f->start + f->len;
    const char *colon = memchr(s, ':', f->len);

    if (!colon) {
        sb_printf(err, "'%.*s' has no type: write phy:%.*s for a block device or "
                  "file:%.*s for an image file", (int)f->len, s, (int)f->len, s, (int)f->len, s);
        *err_off = f->off;
        return -1;
    }
    size_t tlen = (size_t)(colon - s);
    if (!valid_type_name(s, tlen)) {
        sb_printf(err, "'%.*s' is not a disk type (phy, file, tap:aio, ...)", (int)tlen, s);
        *err_off = f->off;
        return -1;
    }
    const char *target = colon + 1;
    if ((tlen == 3 && !memcmp(s, "tap", 3)) || (tlen == 4 && !memcmp(s, "tap2", 4))) {
        /* tap:DRIVER[:DRIVER...]:PATH */
        int drivers = 0;
        for (;;) {
            const char *c = memchr(target, ':', (size_t)(end - target));
            if (!c || !is_tap_driver(target, (size_t)(c - target)))
                break;
            target = c + 1;
            drivers++;
        }
        if (!drivers) {
            sb_printf(err, "%.*s: needs a driver, e.g. %.*s:aio:/path/to/image", (int)tlen, s,
                      (int)tlen, s);
            *err_off = (size_t)(colon + 1 - s) + f->off;
            return -1;
        }
        tlen = (size_t)(target - 1 - s);
    }
    if (target == end) {
        sb_printf(err, "'%.*s' names no device or file after the type", (int)f->len, s);
        *err_off = f->off + f->len;
        return -1;
    }
    d->type = xstrndup(s, tlen);
    d->target = xstrndup(target, (size_t)(end - target));
    bool is_path = !strcmp(d->type, "file") || !strncmp(d->type, "tap", 3);
    if (is_path && d->target[0] != '/') {
        sb_printf(err, "'%s' is a relative path: xend would resolve it against its own "
                  "directory, so write the absolute path", d->target);
        *err_off = f->off + (size_t)(target - s);
        return -1;
    }
    return 0;
}

int xm_disk_parse(const char *spec, struct xm_disk *d, struct strbuf *err, size_t *err_off)
{
    struct field f[6];
    int n = split_fields(spec, f, 5);
    struct strbuf tmp = STRBUF_INIT;

    memset(d, 0, sizeof(*d));
    *err_off = 0;
    if (n < 0 || n < 3) {
        sb_printf(err, "expected 'BACKEND,FRONTEND,MODE[,BACKEND-DOMAIN[,PROTOCOL]]' "
                  "(e.g. 'phy:/dev/vg/guest,xvda,w'), found %d comma-separated field%s",
                  n < 0 ? 6 : n, n == 1 ? "" : "s");
        if (n < 0)
            sb_puts(err, " or more");
        return -1;
    }

    /* FRONTEND first: an empty BACKEND is legal only for a CD-ROM. */
    const char *fe = f[1].start;
    size_t fe_len = f[1].len;
    if (fe_len >= 6 && !memcmp(fe, "ioemu:", 6)) {
        sb_puts(err, "'ioemu:' devices are for HVM guests; Xeno runs PV guests only");
        *err_off = f[1].off;
        goto fail;
    }
    const char *sfx = memchr(fe, ':', fe_len);
    size_t name_len = sfx ? (size_t)(sfx - fe) : fe_len;
    if (sfx) {
        size_t sl = fe_len - name_len - 1;
        if (sl == 5 && !memcmp(sfx + 1, "cdrom", 5)) {
            d->cdrom = true;
        } else if (!(sl == 4 && !memcmp(sfx + 1, "disk", 4))) {
            sb_printf(err, "unknown device kind ':%.*s': use ':disk' or ':cdrom'", (int)sl, sfx + 1);
            *err_off = f[1].off + name_len;
            goto fail;
        }
    }
    if (!name_len) {
        sb_puts(err, "no virtual device name (FRONTEND, e.g. xvda)");
        *err_off = f[1].off;
        goto fail;
    }
    d->vdev = xstrndup(fe, name_len);
    if (xm_vdev_number(d->vdev, &d->devid, &tmp) < 0) {
        sb_puts(err, sb_str(&tmp));
        *err_off = f[1].off;
        goto fail;
    }

    if (f[0].len == 0) {
        if (!d->cdrom) {
            sb_puts(err, "no backend device: only a CD-ROM drive (xvdc:cdrom) may be empty");
            *err_off = f[0].off;
            goto fail;
        }
        d->uname = xstrdup("");
        d->type = xstrdup("");
        d->target = xstrdup("");
    } else {
        d->uname = xstrndup(f[0].start, f[0].len);
        if (parse_backend(&f[0], d, err, err_off) < 0)
            goto fail;
    }

    if (field_is(&f[2], "r")) {
        d->mode = XM_DISK_R;
    } else if (field_is(&f[2], "w")) {
        d->mode = XM_DISK_W;
    } else if (field_is(&f[2], "w!")) {
        d->mode = XM_DISK_W_SHARED;
    } else {
        sb_printf(err, "bad mode '%.*s': expected r (read-only), w (read-write) or w! "
                  "(read-write, shared)", (int)f[2].len, f[2].start);
        if (field_is(&f[2], "rw"))
            sb_puts(err, "; xm writes 'w' where xl writes 'rw'");
        else if (field_is(&f[2], "ro"))
            sb_puts(err, "; xm writes 'r' where xl writes 'ro'");
        *err_off = f[2].off;
        goto fail;
    }
    if (n >= 4) {
        if (!f[3].len) {
            sb_puts(err, "empty backend domain: leave the field out to use dom0");
            *err_off = f[3].off;
            goto fail;
        }
        d->backend = xstrndup(f[3].start, f[3].len);
    }
    if (n == 5) {
        if (!field_is(&f[4], "x86_32-abi") && !field_is(&f[4], "x86_64-abi")) {
            sb_printf(err, "unknown protocol '%.*s': expected x86_32-abi or x86_64-abi",
                      (int)f[4].len, f[4].start);
            *err_off = f[4].off;
            goto fail;
        }
        d->protocol = xstrndup(f[4].start, f[4].len);
    }
    d->spec = xstrdup(spec);
    sb_free(&tmp);
    return 0;
fail:
    sb_free(&tmp);
    xm_disk_free(d);
    return -1;
}

void xm_disk_advice(const struct xm_disk *d, struct strbuf *out)
{
    if (!strncmp(d->vdev, "sd", 2) || !strncmp(d->vdev, "hd", 2))
        sb_printf(out, "Linux PV guests know '%s' as xvd%s; prefer xvd names", d->vdev, d->vdev + 2);
    else if (d->cdrom && d->mode != XM_DISK_R)
        sb_printf(out, "CD-ROM %s is writable; CD-ROMs are normally read-only (r)", d->vdev);
}
