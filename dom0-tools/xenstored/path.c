/* SPDX-License-Identifier: MIT */
/*
 * Path rules (docs/misc/xenstore.txt): absolute paths start with '/',
 * relative ones are below /local/domain/<domid> of the caller, special
 * watch paths start with '@'.  Characters are alphanumerics and -/_@;
 * no "//", no trailing '/' except the root, at most 3072 bytes
 * (XENSTORE_ABS_PATH_MAX), and a domain's path below its own
 * /local/domain/<domid>/ is limited by its path-max quota (2048,
 * XENSTORE_REL_PATH_MAX).
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool xs_path_valid_chars(const char *p)
{
    for (; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '/' || c == '_' || c == '@'))
            return false;
    }
    return true;
}

void xs_implicit_path(const struct xs_conn *conn, char *buf, size_t size)
{
    /* Sockets belong to the store domain (Xen: store_domain_path). */
    snprintf(buf, size, "/local/domain/%u", conn ? conn->id : 0);
}

/* Offset just past "/local/domain/<1-5 digits>/", or 0 (Xen's local_off). */
static size_t local_offset(const char *name)
{
    static const char pfx[] = "/local/domain/";
    size_t l = sizeof(pfx) - 1;
    if (strncmp(name, pfx, l) != 0)
        return 0;
    size_t d = 0;
    while (name[l + d] >= '0' && name[l + d] <= '9' && d < 5)
        d++;
    if (!d || name[l + d] != '/')
        return 0;
    return l + d + 1;
}

char *xs_canonicalize(const struct xs_conn *conn, const char *path, bool allow_special, int *err)
{
    *err = EINVAL;
    if (!path || !xs_path_valid_chars(path) || (path[0] == '@' && !allow_special))
        return NULL;
    char *name;
    if (path[0] != '/' && path[0] != '@') {
        char base[32];
        xs_implicit_path(conn, base, sizeof(base));
        size_t l = strlen(base) + 1 + strlen(path) + 1;
        name = malloc(l);
        if (!name) {
            *err = ENOMEM;
            return NULL;
        }
        snprintf(name, l, "%s/%s", base, path);
    } else {
        name = strdup(path);
        if (!name) {
            *err = ENOMEM;
            return NULL;
        }
    }
    size_t len = strlen(name);
    bool ok = len > 0 && len <= XENSTORE_ABS_PATH_MAX &&
              !(len > 1 && name[len - 1] == '/') && !strstr(name, "//") &&
              !xs_quota_exceeds(conn, XS_Q_PATH_MAX, (unsigned int)(len - local_offset(name)));
    if (!ok) {
        free(name);
        return NULL;
    }
    *err = 0;
    return name;
}

char *xs_path_parent(const char *path)
{
    const char *slash = strrchr(path + 1, '/');
    if (!slash)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

const char *xs_path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *xs_path_child(const char *parent, const char *base)
{
    size_t l = strlen(parent) + 1 + strlen(base) + 1;
    char *c = malloc(l);
    if (!c)
        return NULL;
    snprintf(c, l, "%s%s%s", parent, strcmp(parent, "/") ? "/" : "", base);
    return c;
}

bool xs_path_is_child(const char *child, const char *parent, int depth)
{
    size_t len = strlen(parent);
    /* Below "/" the first component is already one level down. */
    int levels = (len == 1) ? 1 : 0;
    if (strncmp(child, parent, len) != 0)
        return false;
    if (len > 1 && child[len] != '/' && child[len] != '\0')
        return false;
    if (depth < 0 || child[len] == '\0')
        return true;
    for (; levels <= depth; len++) {
        if (child[len] == '\0')
            return true;
        if (child[len] == '/')
            levels++;
    }
    return false;
}
