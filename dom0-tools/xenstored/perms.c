/* SPDX-License-Identifier: MIT */
/*
 * Permissions (docs/misc/xenstore.txt, Xen's perm_for_conn): the first
 * entry names the owner, who has full access, and gives everybody else's
 * default; later entries grant r/w/b/n to one domain each, the first match
 * winning.  The control domain (priv_domid, dom0) and sockets may do
 * everything; SET_TARGET lets a domain act for its target.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool xs_conn_is_priv(const struct xs_conn *conn)
{
    return !conn || conn->id == conn->srv->priv_domid;
}

static bool perm_matches(const struct xs_conn *conn, const struct xs_perm *p)
{
    if (p->id == conn->id || (conn->target && p->id == conn->target->id))
        return true;
    return p->id == DOMID_ANY;
}

unsigned int xs_perm_for_conn(const struct xs_conn *conn, const struct xs_perm *perms, unsigned int n)
{
    const unsigned int all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    if (xs_conn_is_priv(conn) || (n && perm_matches(conn, &perms[0])))
        return all;
    for (unsigned int i = 1; i < n; i++)
        if (perm_matches(conn, &perms[i]))
            return perms[i].perms & all;
    return n ? perms[0].perms & all : XS_PERM_NONE;
}

int xs_perms_parse(const char *s, unsigned int count, struct xs_perm *out)
{
    for (unsigned int i = 0; i < count; i++) {
        switch (*s) {
        case 'r': out[i].perms = XS_PERM_READ; break;
        case 'w': out[i].perms = XS_PERM_WRITE; break;
        case 'b': out[i].perms = XS_PERM_READ | XS_PERM_WRITE; break;
        case 'n': out[i].perms = XS_PERM_NONE; break;
        default: return EINVAL;
        }
        s++;
        /* A decimal domid must follow and fill the rest of the string. */
        if (*s < '0' || *s > '9')
            return EINVAL;
        char *end;
        unsigned long id = strtoul(s, &end, 10);
        if (*end || id > 0xffff)
            return EINVAL;
        out[i].id = (uint32_t)id;
        s = end + 1;
    }
    return 0;
}

void xs_perm_format(const struct xs_perm *p, char *buf, size_t size)
{
    char c;
    switch (p->perms & (XS_PERM_READ | XS_PERM_WRITE)) {
    case XS_PERM_READ: c = 'r'; break;
    case XS_PERM_WRITE: c = 'w'; break;
    case XS_PERM_READ | XS_PERM_WRITE: c = 'b'; break;
    default: c = 'n'; break;
    }
    snprintf(buf, size, "%c%u", c, p->id);
}
