/* SPDX-License-Identifier: MIT */
/*
 * /etc/xen/auto: every config file (or symlink to one) there is created
 * when xend starts, unless a domain of that name (or UUID) runs already,
 * so that restarting xend does not start a second copy (Xen's xendomains
 * script did this at boot). Files are taken in name order; README*,
 * hidden files and editor/dpkg leftovers are skipped. A bad file is
 * logged with its FILE:LINE:COL messages and the others still start.
 * Managed domains with on_xend_start = start are started too.
 */
#include "xend.h"
#include "xlog.h"
#include "../common/diag.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool skipped(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || !strncmp(name, "README", 6) || name[n - 1] == '~' ||
           strstr(name, ".dpkg-") || (n > 4 && !strcmp(name + n - 4, ".bak"));
}

static int read_text(const char *path, struct strbuf *out)
{
    FILE *f = fopen(path, "re");
    char buf[4096];
    size_t n;

    if (!f)
        return -errno;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_putn(out, buf, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? -EIO : 0;
}

static void start_file(struct xend *x, const char *path)
{
    struct strbuf text = STRBUF_INIT, msgs = STRBUF_INIT;
    struct diags diags = DIAGS_INIT;
    struct xm_domain_config cfg;
    struct xerr e;
    int rc = read_text(path, &text);

    if (rc < 0) {
        xlog_error("Auto-start: cannot read %s: %s", path, strerror(-rc));
        goto out;
    }
    if (xm_config_parse(path, sb_str(&text), text.len, NULL, 0, &cfg, &diags) < 0) {
        for (size_t i = 0; i < diags.n; i++) {
            sb_reset(&msgs);
            diag_format(&diags.v[i], &msgs);
            xlog_error("Auto-start: %s", sb_str(&msgs));
        }
        xlog_error("Auto-start: %s has errors; not started.", path);
        goto out;
    }
    struct xdom *running = xdom_by_name(x, cfg.name);
    if ((!running || !running->active) && cfg.has_uuid) {
        struct xdom *u = xdom_by_uuid(x, cfg.uuid);
        running = u && u->active ? u : running;
    }
    if (running && running->active) {
        xlog_info("Auto-start: %s: domain %s is already running (id %u).", path, running->name,
                  running->domid);
        xm_config_free(&cfg);
        goto out;
    }
    if (!cfg.kernel) {
        xlog_error("Auto-start: %s: no kernel given (bootloaders are not supported yet).", path);
        xm_config_free(&cfg);
        goto out;
    }
    if (xdom_check_unique(x, NULL, cfg.name, cfg.has_uuid ? cfg.uuid : NULL, &e) < 0) {
        xlog_error("Auto-start: %s: %s", path, e.msg);
        xm_config_free(&cfg);
        goto out;
    }
    struct xdom *d = xdom_new(x, &cfg);
    if (xdom_boot(x, d, false, &e) < 0) {
        xlog_error("Auto-start: %s: %s", path, e.msg);
        xdom_unlink(x, d);
        xdom_free(d);
        goto out;
    }
    xlog_info("Auto-start: %s: started domain %s (id %u).", path, d->name, d->domid);
out:
    sb_free(&text);
    sb_free(&msgs);
    diags_free(&diags);
}

void xend_autostart(struct xend *x)
{
    struct dirent **list;
    int n = scandir(x->auto_dir, &list, NULL, alphasort);

    if (n < 0) {
        if (errno != ENOENT)
            xlog_error("Auto-start: cannot read %s: %s", x->auto_dir, strerror(errno));
    }
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        if (!skipped(name)) {
            char *path = xasprintf("%s/%s", x->auto_dir, name);
            start_file(x, path);
            free(path);
        }
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    for (struct xdom *d = x->doms; d; d = d->next) {
        struct xerr e;
        if (!d->managed || d->active || d->cfg.on_xend_start != XM_XEND_START_START)
            continue;
        if (xdom_boot(x, d, false, &e) < 0)
            xlog_error("on_xend_start: %s", e.msg);
    }
}
