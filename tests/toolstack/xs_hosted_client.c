/* SPDX-License-Identifier: MIT */
/*
 * Test client for tests/toolstack/xenstored-hosted.sh: drives a xenstored
 * started with --socket S --hosted-rings DIR through its socket (as the
 * tools do) and through a ring file (as a guest kernel does), and checks
 * the answers.  Usage: xs-hosted-client SOCKET DIR CASE.  Prints one
 * "ok ..." or "FAIL ..." line per check; exits with the number of failures.
 */
#include "../../dom0-tools/xenstored/client.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *sock_path, *dir;
static int failures;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...)
{
    va_list ap;
    printf("%s ", ok ? "ok" : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    failures += !ok;
}

static void die(const char *what, int err)
{
    printf("FAIL %s: %s\n", what, strerror(err));
    exit(100);
}

static void open_or_die(struct xsc *c)
{
    int err = xsc_open(c, sock_path);
    if (err)
        die("connect", err);
}

/* Result of a request as text: the reply body, or the error name. */
static char result[XENSTORE_PAYLOAD_MAX + 1];
static const char *call(struct xsc *c, uint32_t type, uint32_t tx, const void *body, uint32_t len)
{
    struct xsc_msg *m;
    int err = xsc_call(c, type, tx, body, len, &m);
    if (err) {
        for (size_t i = 0; i < XSD_ERRORS_COUNT; i++)
            if (xsd_errors[i].errnum == err) {
                snprintf(result, sizeof(result), "%s", xsd_errors[i].errstring);
                return result;
            }
        snprintf(result, sizeof(result), "io:%s", strerror(err));
        return result;
    }
    memcpy(result, m->body, m->hdr.len);
    result[m->hdr.len] = 0;
    free(m);
    return result;
}

static const char *callv(struct xsc *c, uint32_t type, uint32_t tx, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t len;
    va_list ap;
    va_start(ap, tx);
    int err = xsc_pack(buf, sizeof(buf), &len, ap);
    va_end(ap);
    return err ? "E2BIG" : call(c, type, tx, buf, len);
}

static const char *wr(struct xsc *c, uint32_t tx, const char *path, const char *val)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t pl = strlen(path) + 1, vl = strlen(val);
    memcpy(buf, path, pl);
    memcpy(buf + pl, val, vl);
    return call(c, XS_WRITE, tx, buf, (uint32_t)(pl + vl));
}

/* Next watch event as "path token" within timeout, or "". */
static char evbuf[XENSTORE_PAYLOAD_MAX * 2];
static const char *event(struct xsc *c, int timeout_ms)
{
    struct xsc_msg *m;
    if (xsc_event(c, &m, timeout_ms))
        return "";
    snprintf(evbuf, sizeof(evbuf), "%s %s", xsc_string(m, 0) ? xsc_string(m, 0) : "?",
             xsc_string(m, 1) ? xsc_string(m, 1) : "?");
    free(m);
    return evbuf;
}

/* ---------------------------------------------------------------- raw socket */

static int raw_connect(void)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
        die("raw connect", errno);
    return fd;
}

static void raw_send(int fd, const void *p, size_t len, size_t chunk)
{
    const char *b = p;
    while (len) {
        size_t n = chunk && chunk < len ? chunk : len;
        if (write(fd, b, n) != (ssize_t)n)
            die("raw write", errno);
        b += n;
        len -= n;
        if (chunk)
            usleep(1000);
    }
}

/* Read one reply: 0 ok, -1 EOF/timeout. */
static int raw_reply(int fd, struct xsd_sockmsg *h, char *body, int timeout_ms)
{
    size_t got = 0;
    char *p = (char *)h;
    while (got < sizeof(*h)) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        if (poll(&pfd, 1, timeout_ms) <= 0)
            return -1;
        ssize_t n = read(fd, p + got, sizeof(*h) - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    got = 0;
    while (got < h->len) {
        ssize_t n = read(fd, body + got, h->len - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    body[h->len] = 0;
    return 0;
}

static void case_malformed(void)
{
    int fd = raw_connect();
    struct xsd_sockmsg h, r;
    char body[XENSTORE_PAYLOAD_MAX + 1];

    h = (struct xsd_sockmsg){ .type = 999, .req_id = 11, .len = 2 };
    raw_send(fd, &h, sizeof(h), 0);
    raw_send(fd, "/", 2, 0);
    check(!raw_reply(fd, &r, body, 3000) && r.type == XS_ERROR && r.req_id == 11 && !strcmp(body, "ENOSYS"),
          "unknown type 999 -> ENOSYS");

    h = (struct xsd_sockmsg){ .type = 20, .req_id = 12, .len = 2 };
    raw_send(fd, &h, sizeof(h), 0);
    raw_send(fd, "1", 2, 0);
    check(!raw_reply(fd, &r, body, 3000) && r.type == XS_ERROR && !strcmp(body, "ENOSYS"),
          "withdrawn RESTRICT (20) -> ENOSYS");

    h = (struct xsd_sockmsg){ .type = XS_WATCH_EVENT, .req_id = 13, .len = 4 };
    raw_send(fd, &h, sizeof(h), 0);
    raw_send(fd, "a\0b", 4, 0);
    check(!raw_reply(fd, &r, body, 3000) && r.type == XS_ERROR && !strcmp(body, "ENOSYS"),
          "client-sent WATCH_EVENT -> ENOSYS");

    h = (struct xsd_sockmsg){ .type = XS_READ, .req_id = 14, .len = 5 };
    raw_send(fd, &h, sizeof(h), 0);
    raw_send(fd, "/tool", 5, 0);    /* no NUL */
    check(!raw_reply(fd, &r, body, 3000) && r.type == XS_ERROR && r.req_id == 14 && !strcmp(body, "EINVAL"),
          "READ without NUL -> EINVAL");

    h = (struct xsd_sockmsg){ .type = XS_READ, .req_id = 15, .len = 10 };
    raw_send(fd, &h, sizeof(h), 0);
    raw_send(fd, "/a\0/b\0/c\0\0", 10, 0);
    check(!raw_reply(fd, &r, body, 3000) && r.type == XS_ERROR && !strcmp(body, "EINVAL"),
          "READ with several strings -> EINVAL");

    /* One byte at a time still makes a message. */
    h = (struct xsd_sockmsg){ .type = XS_DIRECTORY, .req_id = 16, .tx_id = 0, .len = 6 };
    raw_send(fd, &h, sizeof(h), 1);
    raw_send(fd, "/tool", 6, 1);
    check(!raw_reply(fd, &r, body, 3000) && r.type == XS_DIRECTORY && r.req_id == 16 &&
              !strcmp(body, "xenstored"),
          "a request sent byte by byte");

    /* Bad transaction id. */
    h = (struct xsd_sockmsg){ .type = XS_READ, .req_id = 17, .tx_id = 4242, .len = 6 };
    raw_send(fd, &h, sizeof(h), 0);
    raw_send(fd, "/tool", 6, 0);
    check(!raw_reply(fd, &r, body, 3000) && r.type == XS_ERROR && r.tx_id == 4242 && !strcmp(body, "ENOENT"),
          "unknown transaction id -> ENOENT, tx_id echoed");

    /* A reply bigger than a message. */
    struct xsc c;
    open_or_die(&c);
    char path[64];
    for (int i = 0; i < 150; i++) {
        snprintf(path, sizeof(path), "/big/child-with-a-long-name-%04d", i);
        wr(&c, 0, path, "");
    }
    check(!strcmp(callv(&c, XS_DIRECTORY, 0, "/big", NULL), "E2BIG"), "DIRECTORY over 4096 bytes -> E2BIG");
    check(!strcmp(callv(&c, XS_RM, 0, "/big", NULL), "OK"), "rm /big");

    /* Payload past 4096: the daemon drops the connection, and only it. */
    h = (struct xsd_sockmsg){ .type = XS_WRITE, .req_id = 18, .len = XENSTORE_PAYLOAD_MAX + 1 };
    raw_send(fd, &h, sizeof(h), 0);
    int closed = raw_reply(fd, &r, body, 3000) == -1;
    check(closed, "payload of 4097 bytes -> connection closed without a reply");
    close(fd);
    check(!strcmp(callv(&c, XS_READ, 0, "/tool/xenstored", NULL), ""), "other connections carry on");

    /* Exactly 4096 is fine. */
    static char big[XENSTORE_PAYLOAD_MAX];
    memset(big, 'v', sizeof(big));
    memcpy(big, "/max", 5);
    check(!strcmp(call(&c, XS_WRITE, 0, big, XENSTORE_PAYLOAD_MAX), "OK"), "payload of exactly 4096 bytes");

    /* A client vanishing mid-message. */
    fd = raw_connect();
    h = (struct xsd_sockmsg){ .type = XS_WRITE, .req_id = 19, .len = 100 };
    raw_send(fd, &h, sizeof(h), 0);
    raw_send(fd, "/half", 5, 0);
    close(fd);
    fd = raw_connect();
    raw_send(fd, &h, 7, 0);         /* half a header */
    close(fd);
    usleep(100000);
    check(!strcmp(callv(&c, XS_READ, 0, "/half", NULL), "ENOENT"), "half messages from closed clients are dropped");
    xsc_close(&c);
}

static void case_transaction(void)
{
    struct xsc a, b;
    open_or_die(&a);
    open_or_die(&b);
    wr(&a, 0, "/tc/x", "0");
    wr(&a, 0, "/tc/y", "0");
    const char *id = callv(&a, XS_TRANSACTION_START, 0, "", NULL);
    uint32_t t = (uint32_t)strtoul(id, NULL, 10);
    check(t != 0, "transaction started (%s)", id);
    check(!strcmp(callv(&a, XS_READ, t, "/tc/x", NULL), "0"), "read inside the transaction");
    check(!strcmp(wr(&b, 0, "/tc/x", "from-b"), "OK"), "another connection writes the node read");
    check(!strcmp(wr(&a, t, "/tc/y", "from-a"), "OK"), "write inside the transaction");
    check(!strcmp(callv(&b, XS_READ, 0, "/tc/y", NULL), "0"), "the write is invisible outside before commit");
    check(!strcmp(callv(&a, XS_TRANSACTION_END, t, "T", NULL), "EAGAIN"), "commit conflicts: EAGAIN");
    check(!strcmp(callv(&b, XS_READ, 0, "/tc/y", NULL), "0"), "nothing of the failed transaction applied");
    check(!strcmp(callv(&a, XS_READ, t, "/tc/x", NULL), "ENOENT"), "the transaction is gone after EAGAIN");
    /* Retry, as clients do. */
    t = (uint32_t)strtoul(callv(&a, XS_TRANSACTION_START, 0, "", NULL), NULL, 10);
    check(!strcmp(callv(&a, XS_READ, t, "/tc/x", NULL), "from-b"), "retry sees the other write");
    wr(&a, t, "/tc/y", "from-a");
    check(!strcmp(callv(&a, XS_TRANSACTION_END, t, "T", NULL), "OK"), "retry commits");
    check(!strcmp(callv(&b, XS_READ, 0, "/tc/y", NULL), "from-a"), "the commit is visible");
    /* Abort. */
    t = (uint32_t)strtoul(callv(&a, XS_TRANSACTION_START, 0, "", NULL), NULL, 10);
    wr(&a, t, "/tc/z", "never");
    check(!strcmp(callv(&a, XS_TRANSACTION_END, t, "F", NULL), "OK"), "abort");
    check(!strcmp(callv(&b, XS_READ, 0, "/tc/z", NULL), "ENOENT"), "aborted write discarded");
    xsc_close(&a);
    xsc_close(&b);
}

static void case_watch(void)
{
    struct xsc a, b;
    open_or_die(&a);
    open_or_die(&b);
    check(!strcmp(callv(&a, XS_WATCH, 0, "/wa", "tok1", NULL), "OK"), "watch /wa");
    check(!strcmp(event(&a, 3000), "/wa tok1"), "initial event on registration");
    wr(&b, 0, "/wa/child", "1");
    check(!strcmp(event(&a, 3000), "/wa/child tok1"), "event for another connection's write below");
    callv(&b, XS_RM, 0, "/wa", NULL);
    /* Removed descendants only fire watches on themselves (Xen's MATCH_EXACT). */
    check(!strcmp(event(&a, 3000), "/wa tok1"), "removal event for the removed node");
    check(!strcmp(event(&a, 300), ""), "no event for its removed child");
    check(!strcmp(callv(&a, XS_WATCH, 0, "/wa", "tok2", "0", NULL), "OK"), "watch /wa with depth 0");
    event(&a, 3000);
    wr(&b, 0, "/wa/deep", "1");
    const char *e = event(&a, 3000);
    check(!strcmp(e, "/wa/deep tok1"), "only the unlimited watch fires below (%s)", e);
    check(!strcmp(event(&a, 300), ""), "no event for the depth-0 watch");
    check(!strcmp(callv(&a, XS_UNWATCH, 0, "/wa", "tok1", NULL), "OK"), "unwatch");
    wr(&b, 0, "/wa", "2");
    check(!strcmp(event(&a, 3000), "/wa tok2"), "remaining watch fires");
    check(!strcmp(event(&a, 300), ""), "removed watch is silent");
    xsc_close(&a);
    xsc_close(&b);
}

/* ---------------------------------------------------------------- a guest on a ring */

struct guest {
    unsigned int domid;
    struct xenstore_domain_interface *intf;
    int evfd;               /* our "event channel": DIR/guest-N */
    struct sockaddr_un xsd; /* DIR/xenstored-evtchn */
    uint32_t req_id;
    unsigned int notifications;
};

static void guest_kick(struct guest *g, const char *what)
{
    if (sendto(g->evfd, what, strlen(what), 0, (struct sockaddr *)&g->xsd, sizeof(g->xsd)) < 0)
        die("kick xenstored", errno);
}

static void guest_init(struct guest *g, unsigned int domid)
{
    char path[256];
    memset(g, 0, sizeof(*g));
    g->domid = domid;
    snprintf(path, sizeof(path), "%s/ring-%u", dir, domid);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 4096) < 0)
        die("ring file", errno);
    g->intf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (g->intf == MAP_FAILED)
        die("mmap ring", errno);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/guest-%u", dir, domid);
    unlink(a.sun_path);
    g->evfd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (g->evfd < 0 || bind(g->evfd, (struct sockaddr *)&a, sizeof(a)) < 0)
        die("guest event socket", errno);
    g->xsd.sun_family = AF_UNIX;
    snprintf(g->xsd.sun_path, sizeof(g->xsd.sun_path), "%s/xenstored-evtchn", dir);
}

/* Wait for a notification from xenstored (true) or time out. */
static bool guest_wait(struct guest *g, int timeout_ms)
{
    struct pollfd pfd = { .fd = g->evfd, .events = POLLIN };
    if (poll(&pfd, 1, timeout_ms) <= 0)
        return false;
    char buf[16];
    while (recv(g->evfd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
        g->notifications++;
    return true;
}

static void guest_put(struct guest *g, const void *p, size_t len)
{
    const char *b = p;
    while (len) {
        uint32_t cons = __atomic_load_n(&g->intf->req_cons, __ATOMIC_ACQUIRE);
        uint32_t prod = g->intf->req_prod;
        size_t space = XENSTORE_RING_SIZE - (prod - cons);
        if (!space) {
            guest_kick(g, "kick");
            guest_wait(g, 1000);
            continue;
        }
        size_t n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
        if (n > space)
            n = space;
        if (n > len)
            n = len;
        memcpy(g->intf->req + MASK_XENSTORE_IDX(prod), b, n);
        __atomic_store_n(&g->intf->req_prod, prod + (uint32_t)n, __ATOMIC_RELEASE);
        b += n;
        len -= n;
    }
}

/* Take len reply bytes, waiting up to timeout; false on timeout. */
static bool guest_get(struct guest *g, void *p, size_t len, int timeout_ms)
{
    char *b = p;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (len) {
        uint32_t prod = __atomic_load_n(&g->intf->rsp_prod, __ATOMIC_ACQUIRE);
        uint32_t cons = g->intf->rsp_cons;
        size_t avail = prod - cons;
        if (!avail) {
            struct timespec t;
            clock_gettime(CLOCK_MONOTONIC, &t);
            long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
            if (ms > timeout_ms)
                return false;
            guest_wait(g, 50);
            continue;
        }
        size_t n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
        if (n > avail)
            n = avail;
        if (n > len)
            n = len;
        memcpy(b, g->intf->rsp + MASK_XENSTORE_IDX(cons), n);
        __atomic_store_n(&g->intf->rsp_cons, cons + (uint32_t)n, __ATOMIC_RELEASE);
        b += n;
        len -= n;
        guest_kick(g, "kick");      /* room freed (Linux notifies after reading) */
    }
    return true;
}

static char gevents[16][256];
static unsigned int ngevents;

/* A request over the ring; the reply body (or error name) as text. */
static const char *guest_call(struct guest *g, uint32_t type, uint32_t tx, const void *body, uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = ++g->req_id, .tx_id = tx, .len = len };
    guest_put(g, &h, sizeof(h));
    guest_put(g, body, len);
    guest_kick(g, "kick");
    for (;;) {
        struct xsd_sockmsg r;
        static char b[XENSTORE_PAYLOAD_MAX + 1];
        if (!guest_get(g, &r, sizeof(r), 3000) || r.len > XENSTORE_PAYLOAD_MAX || !guest_get(g, b, r.len, 3000))
            return "timeout";
        b[r.len] = 0;
        if (r.type == XS_WATCH_EVENT) {
            if (ngevents < 16)
                snprintf(gevents[ngevents++], sizeof(gevents[0]), "%.100s %.100s", b, b + strlen(b) + 1);
            continue;
        }
        if (r.req_id != h.req_id)
            return "wrong req_id";
        return b;
    }
}

static const char *guest_callv(struct guest *g, uint32_t type, uint32_t tx, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t len;
    va_list ap;
    va_start(ap, tx);
    int err = xsc_pack(buf, sizeof(buf), &len, ap);
    va_end(ap);
    return err ? "E2BIG" : guest_call(g, type, tx, buf, len);
}

static const char *guest_write(struct guest *g, const char *path, const char *val)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t pl = strlen(path) + 1, vl = strlen(val);
    memcpy(buf, path, pl);
    memcpy(buf + pl, val, vl);
    return guest_call(g, XS_WRITE, 0, buf, (uint32_t)(pl + vl));
}

static void write_state(unsigned int domid, const char *state)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/state-%u", dir, domid);
    FILE *f = fopen(path, "w");
    if (!f || fputs(state, f) < 0 || fclose(f))
        die("state file", errno);
}

static void case_ring(void)
{
    struct xsc t;
    struct guest g;
    open_or_die(&t);
    guest_init(&g, 5);
    /* The toolstack's part: the domain's home, watches for it. */
    check(!strcmp(callv(&t, XS_MKDIR, 0, "/local/domain/5", NULL), "OK"), "toolstack makes /local/domain/5");
    check(!strcmp(callv(&t, XS_SET_PERMS, 0, "/local/domain/5", "n5", NULL), "OK"), "... owned by dom5");
    callv(&t, XS_WATCH, 0, "@introduceDomain", "intro", NULL);
    callv(&t, XS_WATCH, 0, "@releaseDomain", "rel", NULL);
    callv(&t, XS_WATCH, 0, "/local/domain/5/data", "data", NULL);
    event(&t, 1000);
    event(&t, 1000);
    event(&t, 1000);
    check(!strcmp(callv(&t, XS_INTRODUCE, 0, "5", "12345", "7", NULL), "OK"), "INTRODUCE 5");
    check(!strcmp(event(&t, 3000), "@introduceDomain intro"), "@introduceDomain fires");
    check(!strcmp(callv(&t, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL), "T"), "IS_DOMAIN_INTRODUCED 5 = T");
    check(g.intf->server_features == (XENSTORE_SERVER_FEATURE_ERROR | XENSTORE_SERVER_FEATURE_WATCHDEPTH |
                                      XENSTORE_SERVER_FEATURE_DOMID_ANY),
          "server_features in the page (%u)", g.intf->server_features);

    /* The guest's part, over its ring. */
    check(!strcmp(guest_write(&g, "data/x", "hi"), "OK"), "guest writes data/x over the ring");
    check(guest_wait(&g, 100) || g.notifications > 0, "xenstored kicked the guest's event channel");
    check(!strcmp(guest_callv(&g, XS_READ, 0, "data/x", NULL), "hi"), "guest reads it back (relative path)");
    check(!strcmp(callv(&t, XS_READ, 0, "/local/domain/5/data/x", NULL), "hi"), "the tools see it");
    check(!strcmp(callv(&t, XS_GET_PERMS, 0, "/local/domain/5/data/x", NULL), "n5"), "owned by the guest");
    check(!strcmp(event(&t, 3000), "/local/domain/5/data/x data"), "tools' watch fires for the guest's write");
    check(!strcmp(guest_callv(&g, XS_READ, 0, "/tool/xenstored", NULL), "EACCES"), "guest cannot read /tool");
    check(!strcmp(guest_callv(&g, XS_INTRODUCE, 0, "6", "1", "1", NULL), "EACCES"), "guest cannot INTRODUCE");
    check(!strcmp(guest_callv(&g, XS_GET_DOMAIN_PATH, 0, "5", NULL), "/local/domain/5"), "GET_DOMAIN_PATH");
    check(!strcmp(guest_callv(&g, XS_WATCH, 0, "data", "gw", NULL), "OK"), "guest watches data");
    check(!strcmp(wr(&t, 0, "/local/domain/5/data/y", "from-dom0"), "OK"), "tools write below it");
    check(!strcmp(guest_callv(&g, XS_READ, 0, "data/y", NULL), "from-dom0"), "guest reads it");
    check(ngevents >= 2 && !strcmp(gevents[0], "data gw") && !strcmp(gevents[1], "data/y gw"),
          "guest got its watch events over the ring (%u: %s, %s)", ngevents, gevents[0], ngevents > 1 ? gevents[1] : "");
    /* Transactions over the ring. */
    const char *id = guest_callv(&g, XS_TRANSACTION_START, 0, "", NULL);
    uint32_t tx = (uint32_t)strtoul(id, NULL, 10);
    char buf[64] = "data/t";
    memcpy(buf + 7, "in-tx", 5);
    check(tx && !strcmp(guest_call(&g, XS_WRITE, tx, buf, 12), "OK"), "guest writes in a transaction");
    check(!strcmp(guest_callv(&g, XS_TRANSACTION_END, tx, "T", NULL), "OK"), "guest commits");
    check(!strcmp(callv(&t, XS_READ, 0, "/local/domain/5/data/t", NULL), "in-tx"), "committed value visible");

    /* Quotas apply to the guest: nodes and watches. */
    check(!strcmp(callv(&t, XS_SET_QUOTA, 0, "5", "nodes", "8", NULL), "OK"), "SET_QUOTA 5 nodes 8");
    int made = 0;
    for (int i = 0; i < 10; i++) {
        snprintf(buf, sizeof(buf), "q%d", i);
        if (!strcmp(guest_write(&g, buf, "1"), "OK"))
            made++;
    }
    const char *last = guest_write(&g, "one-more", "1");
    check(made == 2 && !strcmp(last, "ENOSPC"), "node quota: 2 more nodes, then ENOSPC (%d, %s)", made, last);
    check(!strcmp(callv(&t, XS_SET_QUOTA, 0, "5", "watches", "3", NULL), "OK"), "SET_QUOTA 5 watches 3");
    check(!strcmp(guest_callv(&g, XS_WATCH, 0, "w1", "t", NULL), "OK"), "second watch");
    check(!strcmp(guest_callv(&g, XS_WATCH, 0, "w2", "t", NULL), "ENOSPC"), "third watch: ENOSPC");
    static char big[3000];
    memset(big, 'b', sizeof(big) - 1);
    check(!strcmp(callv(&t, XS_RM, 0, "/local/domain/5/q0", NULL), "OK"), "tools free a node");
    check(!strcmp(guest_write(&g, "big", big), "ENOSPC"), "node-size quota: 2999-byte value -> ENOSPC");

    /* The domain dies: its nodes go, @releaseDomain fires. */
    while (event(&t, 200)[0])
        ;
    write_state(5, "shutdown");
    guest_kick(&g, "virq");
    check(!strcmp(event(&t, 3000), "@releaseDomain rel"), "@releaseDomain on shutdown");
    write_state(5, "dead");
    guest_kick(&g, "virq");
    const char *e1 = event(&t, 3000);
    const char *ev = e1;
    bool data_gone = false, released = false;
    for (int i = 0; i < 20 && ev[0]; i++) {
        data_gone = data_gone || !strcmp(ev, "/local/domain/5/data data");
        released = released || !strcmp(ev, "@releaseDomain rel");
        if (released)
            break;
        ev = event(&t, 3000);
    }
    check(data_gone, "the dead guest's nodes are removed (watch fired)");
    check(released, "@releaseDomain when the domain is gone");
    check(!strcmp(callv(&t, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL), "F"), "IS_DOMAIN_INTRODUCED 5 = F");
    check(!strcmp(callv(&t, XS_READ, 0, "/local/domain/5/data", NULL), "ENOENT"), "/local/domain/5/data gone");
    xsc_close(&t);
}

/* A guest breaking the protocol: error in the page, connection ignored, daemon fine. */
static void case_ring_abuse(void)
{
    struct xsc t;
    struct guest g;
    open_or_die(&t);
    guest_init(&g, 6);
    check(!strcmp(callv(&t, XS_INTRODUCE, 0, "6", "1", "9", NULL), "OK"), "INTRODUCE 6");
    check(!strcmp(guest_callv(&g, 31337, 0, "x", NULL), "ENOSYS"), "guest: unknown type -> ENOSYS");
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 1, .len = XENSTORE_PAYLOAD_MAX + 100 };
    guest_put(&g, &h, sizeof(h));
    guest_kick(&g, "kick");
    guest_wait(&g, 2000);
    for (int i = 0; i < 20 && g.intf->error == 0; i++)
        usleep(50000);
    check(g.intf->error == XENSTORE_ERROR_PROTO, "oversized guest message -> page error %u (PROTO)", g.intf->error);
    check(!strcmp(callv(&t, XS_READ, 0, "/tool/xenstored", NULL), ""), "the daemon still answers the tools");
    /* Corrupt indexes on a fresh introduction. */
    check(!strcmp(callv(&t, XS_RELEASE, 0, "6", NULL), "OK"), "RELEASE 6");
    guest_init(&g, 6);
    check(!strcmp(callv(&t, XS_INTRODUCE, 0, "6", "1", "9", NULL), "OK"), "INTRODUCE 6 again");
    g.intf->req_prod = 5000;
    guest_kick(&g, "kick");
    for (int i = 0; i < 20 && g.intf->error == 0; i++)
        usleep(50000);
    check(g.intf->error == XENSTORE_ERROR_RINGIDX, "corrupt ring indexes -> page error %u (RINGIDX)", g.intf->error);
    check(!strcmp(callv(&t, XS_RELEASE, 0, "6", NULL), "OK"), "RELEASE 6");
    check(!strcmp(callv(&t, XS_INTRODUCE, 0, "7", "1", "9", NULL), "ENOENT"), "INTRODUCE without a ring -> ENOENT");
    xsc_close(&t);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s SOCKET DIR CASE\n", argv[0]);
        return 2;
    }
    sock_path = argv[1];
    dir = argv[2];
    const char *c = argv[3];
    if (!strcmp(c, "malformed"))
        case_malformed();
    else if (!strcmp(c, "transaction"))
        case_transaction();
    else if (!strcmp(c, "watch"))
        case_watch();
    else if (!strcmp(c, "ring"))
        case_ring();
    else if (!strcmp(c, "ring-abuse"))
        case_ring_abuse();
    else {
        fprintf(stderr, "unknown case %s\n", c);
        return 2;
    }
    return failures;
}
