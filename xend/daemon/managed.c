/* SPDX-License-Identifier: MIT */
/*
 * Managed domains ("xm new"): DIR/UUID/config.sxp, the configuration in
 * xend's SXP form (what "xm create -n" prints), as Xen's xend stored it
 * under /var/lib/xend/domains; beside it config.json, the same
 * configuration as xm's keys, which is what this xend reads back (the
 * SXP form has the kernel command line already put together, so it
 * cannot give back root=, extra= and ip= separately).
 */
#include "xend.h"
#include "xlog.h"
#include "../common/dominfo.h"
#include "../common/json.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdir_p(const char *path)
{
    char *p = xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s && *s != '/')
            continue;
        char c = *s;
        *s = 0;
        if (mkdir(p, 0700) < 0 && errno != EEXIST) {
            rc = -errno;
            break;
        }
        if (!c)
            break;
        *s = c;
    }
    free(p);
    return rc;
}

static int write_file(const char *path, const char *text)
{
    char *tmp = xasprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "we");
    int rc = 0;

    if (!f) {
        rc = -errno;
    } else {
        if (fputs(text, f) < 0)
            rc = -EIO;
        if (fclose(f) != 0 && !rc)
            rc = -errno;
        if (!rc && rename(tmp, path) < 0)
            rc = -errno;
        if (rc)
            unlink(tmp);
    }
    free(tmp);
    return rc;
}

int managed_save(struct xend *x, struct xdom *d, struct xerr *e)
{
    char *dir = xasprintf("%s/%s", x->domains_dir, d->uuid_str);
    char *sxp_path = xasprintf("%s/config.sxp", dir), *json_path = xasprintf("%s/config.json", dir);
    struct strbuf sxp = STRBUF_INIT;
    char *json = xdom_config_json(d);
    int rc = mkdir_p(dir);

    xm_config_to_sxp_text(&d->cfg, &sxp);
    if (!rc)
        rc = write_file(sxp_path, sb_str(&sxp));
    if (!rc)
        rc = write_file(json_path, json);
    if (rc) {
        xerr_set(e, XEND_E_INTERNAL, "Cannot store domain %s in %s: %s", d->name, dir,
                 strerror(-rc));
        xlog_error("%s", e->msg);
    } else {
        xlog_info("Domain %s (%s) stored in %s.", d->name, d->uuid_str, dir);
    }
    sb_free(&sxp);
    free(json);
    free(sxp_path);
    free(json_path);
    free(dir);
    return rc ? -1 : 0;
}

int managed_delete(struct xend *x, struct xdom *d, struct xerr *e)
{
    char *dir = xasprintf("%s/%s", x->domains_dir, d->uuid_str);
    const char *files[] = { "config.sxp", "config.json" };
    int rc = 0;

    for (size_t i = 0; i < 2; i++) {
        char *p = xasprintf("%s/%s", dir, files[i]);
        if (unlink(p) < 0 && errno != ENOENT)
            rc = -errno;
        free(p);
    }
    if (!rc && rmdir(dir) < 0 && errno != ENOENT)
        rc = -errno;
    if (rc) {
        xerr_set(e, XEND_E_INTERNAL, "Cannot delete %s: %s", dir, strerror(-rc));
        xlog_error("%s", e->msg);
    } else {
        xlog_info("Domain %s (%s) deleted from %s.", d->name, d->uuid_str, x->domains_dir);
    }
    free(dir);
    return rc ? -1 : 0;
}

static void load_one(struct xend *x, const char *uuid_dir)
{
    char *path = xasprintf("%s/%s/config.json", x->domains_dir, uuid_dir);
    struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
    char buf[4096];
    size_t n;
    FILE *f = fopen(path, "re");
    struct xm_domain_config cfg;
    struct xerr e;

    if (!f) {
        xlog_error("Managed domain %s: cannot read %s: %s", uuid_dir, path, strerror(errno));
        goto out;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_putn(&text, buf, n);
    fclose(f);
    struct json *j = json_decode(sb_str(&text), text.len, &err);
    if (!j) {
        xlog_error("Managed domain %s: %s is not JSON: %s", uuid_dir, path, sb_str(&err));
        goto out;
    }
    int rc = xdom_config_from_request(j, &cfg, &e);
    json_free(j);
    if (rc < 0) {
        xlog_error("Managed domain %s: %s: %s", uuid_dir, path, e.msg);
        goto out;
    }
    struct xdom *d = cfg.has_uuid ? xdom_by_uuid(x, cfg.uuid) : NULL;
    if (d) {
        /* Running already (found by rediscovery): it is this managed domain. */
        d->managed = true;
        xm_config_free(&cfg);
    } else {
        d = xdom_new(x, &cfg);
        d->managed = true;
        xlog_info("Managed domain %s (%s) loaded.", d->name, d->uuid_str);
    }
out:
    sb_free(&text);
    sb_free(&err);
    free(path);
}

void managed_load_all(struct xend *x)
{
    DIR *dir = opendir(x->domains_dir);
    struct dirent *e;
    uint8_t u[16];

    if (!dir) {
        if (errno != ENOENT)
            xlog_error("Cannot read managed domains in %s: %s", x->domains_dir, strerror(errno));
        return;
    }
    while ((e = readdir(dir)))
        if (strlen(e->d_name) == 36 && xm_uuid_parse(e->d_name, u) == 0)
            load_one(x, e->d_name);
    closedir(dir);
}
