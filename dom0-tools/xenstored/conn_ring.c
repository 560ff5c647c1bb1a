/* SPDX-License-Identifier: MIT */
/*
 * Domain connections over the shared page (xs_wire.h): requests are taken
 * from the req ring while the connection may read (outstanding-reply quota)
 * and replies and events are put on the rsp ring while there is space.  The
 * domain's event channel is kicked whenever either index moved, so a guest
 * waiting for space or for an answer wakes up (Xen notifies after every
 * readchn/writechn).  Corrupt indexes break the connection and, with
 * XENSTORE_SERVER_FEATURE_ERROR, are reported in the page's error field.
 */
#include "daemon.h"

static bool ring_ready(const struct xs_domain *d)
{
    return d->introduced && d->intf && d->conn && !d->conn->bad;
}

/* Stop serving the ring (the core may have done so already) and say why in the page. */
static void ring_broken(struct daemon *dd, struct xs_domain *d, unsigned int err)
{
    if (!d->conn->bad)
        xs_conn_set_bad(d->conn, err);
    if (d->features & XENSTORE_SERVER_FEATURE_ERROR)
        d->intf->error = err;
    if (dd->srv.env.notify)
        dd->srv.env.notify(&dd->srv, d);
}

static bool ring_input(struct daemon *dd, struct xs_domain *d)
{
    bool moved = false;
    while (ring_ready(d) && xs_conn_can_read(d->conn) && xs_ring_has_input(d->intf)) {
        size_t want;
        void *buf = xs_conn_in_buf(d->conn, &want);
        if (!want)
            break;
        int n = xs_ring_read(d->intf, buf, want);
        if (n < 0) {
            xsd_log(dd, "dom%u: request ring indexes corrupt (cons %u prod %u)", d->domid, d->intf->req_cons,
                    d->intf->req_prod);
            ring_broken(dd, d, XENSTORE_ERROR_RINGIDX);
            return false;
        }
        if (n == 0)
            break;
        moved = true;
        xs_conn_in_done(d->conn, (size_t)n);
        if (d->conn && d->conn->bad) {
            ring_broken(dd, d, d->conn->bad);
            return false;
        }
    }
    return moved;
}

static bool ring_output(struct daemon *dd, struct xs_domain *d)
{
    bool moved = false;
    size_t len;
    const void *p;
    while (ring_ready(d) && xs_ring_has_space(d->intf) && (p = xs_conn_out_buf(d->conn, &len)) != NULL) {
        int n = xs_ring_write(d->intf, p, len);
        if (n < 0) {
            xsd_log(dd, "dom%u: response ring indexes corrupt (cons %u prod %u)", d->domid, d->intf->rsp_cons,
                    d->intf->rsp_prod);
            ring_broken(dd, d, XENSTORE_ERROR_RINGIDX);
            return false;
        }
        if (n == 0)
            break;
        moved = true;
        xs_conn_out_done(d->conn, (size_t)n);
    }
    return moved;
}

void ring_service_all(struct daemon *dd)
{
    struct xs_server *srv = &dd->srv;
    bool again = true;
    /* Requests may queue output anywhere: loop until nothing moves. */
    for (int round = 0; again && round < 64; round++) {
        again = false;
        for (unsigned int b = 0; b < XS_DOMAIN_BUCKETS; b++)
            for (struct xs_domain *d = srv->domains[b]; d; d = d->next) {
                bool in = ring_input(dd, d);
                bool out = ring_output(dd, d);
                if ((in || out) && srv->env.notify)
                    srv->env.notify(srv, d);
                again = again || in;
            }
    }
}
