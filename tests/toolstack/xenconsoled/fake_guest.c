/* SPDX-License-Identifier: MIT */
/*
 * A pretend guest for xenconsoled's hosted mode (--hosted=DIR): it owns a
 * console page (a 4096-byte file in DIR) and "notifies" its port by
 * sending "<domid> <port>" to DIR/xenconsoled-evtchn.  One command per run
 * (the page file keeps the state between runs):
 *
 *   fake-guest page FILE                      create a zeroed page
 *   fake-guest write FILE DOMID PORT TEXT     TEXT into the out ring (\n escapes)
 *   fake-guest flood FILE DOMID PORT NBYTES   NBYTES of numbered lines, then "FLOOD-END\n";
 *                                             when the ring is full, wait for
 *                                             xenconsoled's notification (5 s)
 *   fake-guest read FILE WANT TIMEOUT_MS      consume the in ring until WANT was seen
 *   fake-guest state FILE                     print the indexes and connection
 *   fake-guest corrupt FILE DOMID PORT        out_prod far beyond out_cons
 *   fake-guest introduce DOMID STOREFILE      XS_INTRODUCE to xenstored ($XENSTORED_PATH)
 *   fake-guest release DOMID                  XS_RELEASE
 *
 * Prints "ok ..." or "FAIL ..." lines; status 0 only without FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <xen/io/console.h>

#include "client.h"
#include "guest_ring.h"

static char dir[80];   /* short: socket paths hold 108 bytes */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fail(const char *what)
{
    printf("FAIL %s\n", what);
    return 1;
}

static struct xencons_interface *map_page(const char *file)
{
    char copy[256];
    snprintf(copy, sizeof(copy), "%s", file);
    snprintf(dir, sizeof(dir), "%s", dirname(copy));
    int fd = open(file, O_RDWR);
    if (fd < 0) {
        printf("FAIL open %s: %s\n", file, strerror(errno));
        exit(1);
    }
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        printf("FAIL mmap %s: %s\n", file, strerror(errno));
        exit(1);
    }
    return p;
}

static void notify(unsigned int domid, unsigned int port)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    char msg[32];
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/xenconsoled-evtchn", dir);
    int n = snprintf(msg, sizeof(msg), "%u %u", domid, port);
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (s < 0 || sendto(s, msg, (size_t)n, 0, (struct sockaddr *)&a, sizeof(a)) < 0)
        printf("note: notify failed: %s\n", strerror(errno));
    if (s >= 0)
        close(s);
}

/* Our event channel: DIR/console-evtchn-DOMID, bound before producing. */
static int listen_port(unsigned int domid)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/console-evtchn-%u", dir, domid);
    unlink(a.sun_path);
    int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
        printf("FAIL bind %s: %s\n", a.sun_path, strerror(errno));
        exit(1);
    }
    return s;
}

static size_t unescape(char *s)
{
    char *o = s;
    for (char *i = s; *i; i++) {
        if (i[0] == '\\' && i[1] == 'n') {
            *o++ = '\n';
            i++;
        } else if (i[0] == '\\' && i[1] == 'r') {
            *o++ = '\r';
            i++;
        } else {
            *o++ = *i;
        }
    }
    *o = 0;
    return (size_t)(o - s);
}

static int cmd_write(struct xencons_interface *c, unsigned int domid, unsigned int port, char *text)
{
    size_t len = unescape(text), done = 0;
    long long deadline = now_ms() + 5000;
    while (done < len) {
        size_t n = guest_produce(c, text + done, len - done);
        done += n;
        notify(domid, port);
        if (done < len) {
            if (now_ms() > deadline)
                return fail("write: the ring stayed full for 5 s");
            usleep(5000);
        }
    }
    printf("ok wrote %zu bytes\n", len);
    return 0;
}

static int cmd_flood(struct xencons_interface *c, unsigned int domid, unsigned int port, size_t total)
{
    int ev = listen_port(domid);
    char line[64];
    size_t sent = 0, line_len = 0, line_off = 0;
    unsigned long lineno = 0, notifies = 0, waits = 0;
    bool end = false;
    long long t0 = now_ms();
    while (!end || line_off < line_len) {
        if (line_off == line_len) {
            if (sent >= total) {
                line_len = (size_t)snprintf(line, sizeof(line), "FLOOD-END\n");
                end = true;
            } else {
                line_len = (size_t)snprintf(line, sizeof(line), "flood line %08lu xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", lineno++);
            }
            line_off = 0;
            sent += line_len;
        }
        size_t n = guest_produce(c, line + line_off, line_len - line_off);
        line_off += n;
        if (n)
            continue;
        /* Ring full: kick the daemon and wait for it to say it made room. */
        notify(domid, port);
        waits++;
        struct pollfd pfd = { .fd = ev, .events = POLLIN };
        long long until = now_ms() + 5000;
        for (;;) {
            int r = poll(&pfd, 1, (int)(until - now_ms() > 0 ? until - now_ms() : 0));
            char buf[32];
            while (recv(ev, buf, sizeof(buf), 0) > 0)
                notifies++;
            XENCONS_RING_IDX used = c->out_prod - __atomic_load_n(&c->out_cons, __ATOMIC_ACQUIRE);
            if (used < sizeof(c->out))
                break;
            if (r == 0 || now_ms() >= until) {
                printf("FAIL flood stalled: ring full for 5 s after %zu bytes\n", sent);
                return 1;
            }
        }
    }
    notify(domid, port);
    /* Wait for the ring to be consumed completely. */
    long long until = now_ms() + 5000;
    while (c->out_prod != __atomic_load_n(&c->out_cons, __ATOMIC_ACQUIRE) && now_ms() < until)
        usleep(5000);
    char buf[32];
    while (recv(ev, buf, sizeof(buf), 0) > 0)
        notifies++;
    if (c->out_prod != c->out_cons)
        return fail("flood: the last output was never consumed");
    if (waits && !notifies)
        return fail("flood: never notified after the daemon made room");
    printf("ok flood of %zu bytes consumed in %lld ms (%lu full-ring waits, %lu notifications)\n", sent,
           now_ms() - t0, waits, notifies);
    return 0;
}

static int cmd_read(struct xencons_interface *c, const char *want, long timeout_ms)
{
    char got[4096];
    size_t len = 0;
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        guest_consume(c, got, &len, sizeof(got));
        if (strstr(got, want)) {
            printf("ok read \"%s\"\n", got);
            return 0;
        }
        if (now_ms() > deadline) {
            printf("FAIL read: wanted \"%s\", got \"%s\"\n", want, got);
            return 1;
        }
        usleep(5000);
    }
}

static int introduce(unsigned int domid, const char *store, bool release)
{
    struct xsc xs;
    int err = xsc_open(&xs, NULL);
    if (err) {
        printf("FAIL connect to xenstored: %s\n", strerror(err));
        return 1;
    }
    char id[16];
    snprintf(id, sizeof(id), "%u", domid);
    if (store) {
        int fd = open(store, O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || ftruncate(fd, 4096) < 0)
            return fail("store ring file");
        close(fd);
    }
    struct xsc_msg *m;
    err = release ? xsc_callv(&xs, XS_RELEASE, 0, &m, id, NULL)
                  : xsc_callv(&xs, XS_INTRODUCE, 0, &m, id, "1", "1", NULL);
    if (err) {
        printf("FAIL %s %u: %s\n", release ? "release" : "introduce", domid, strerror(err));
        return 1;
    }
    free(m);
    printf("ok %s %u\n", release ? "released" : "introduced", domid);
    xsc_close(&xs);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3)
        return fail("usage: see the comment at the top of fake_guest.c");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "page")) {
        int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || ftruncate(fd, 4096) < 0)
            return fail("create page");
        close(fd);
        return 0;
    }
    if (!strcmp(cmd, "introduce") && argc == 4)
        return introduce((unsigned int)atoi(argv[2]), argv[3], false);
    if (!strcmp(cmd, "release"))
        return introduce((unsigned int)atoi(argv[2]), NULL, true);
    struct xencons_interface *c = map_page(argv[2]);
    if (!strcmp(cmd, "state")) {
        printf("in %u/%u out %u/%u connection %u\n", c->in_cons, c->in_prod, c->out_cons, c->out_prod,
               c->connection);
        return 0;
    }
    if (!strcmp(cmd, "read") && argc == 5)
        return cmd_read(c, argv[3], atol(argv[4]));
    if (argc < 5)
        return fail("missing DOMID PORT");
    unsigned int domid = (unsigned int)atoi(argv[3]), port = (unsigned int)atoi(argv[4]);
    if (!strcmp(cmd, "write") && argc == 6)
        return cmd_write(c, domid, port, argv[5]);
    if (!strcmp(cmd, "flood") && argc == 6)
        return cmd_flood(c, domid, port, (size_t)atol(argv[5]));
    if (!strcmp(cmd, "corrupt")) {
        c->out_prod = c->out_cons + 5000;
        notify(domid, port);
        printf("ok corrupted\n");
        return 0;
    }
    return fail("unknown command or wrong arguments");
}
