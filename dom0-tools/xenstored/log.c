/* SPDX-License-Identifier: MIT */
/*
 * Logging: lines go to stderr while in the foreground and to the trace file
 * (-T) when there is one, else to syslog once daemonized.  The trace file
 * also gets one line per message in and out (Xen's trace_io), which
 * CONTROL log +io/-io switches.
 */
#include "daemon.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static struct daemon *dd_of(struct xs_server *srv)
{
    return (struct daemon *)srv->env.data;
}

static void stamp(char *buf, size_t size)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf + n, size - n, ".%03ld", ts.tv_nsec / 1000000);
}

void xsd_log_line(struct xs_server *srv, const char *line)
{
    struct daemon *dd = dd_of(srv);
    if (dd->log_off)
        return;
    if (dd->foreground)
        fprintf(stderr, "xenstored: %s\n", line);
    if (dd->trace) {
        char ts[40];
        stamp(ts, sizeof(ts));
        fprintf(dd->trace, "%s %s\n", ts, line);
        fflush(dd->trace);
    } else if (!dd->foreground) {
        syslog(LOG_ERR, "%s", line);
    }
}

void xsd_trace(struct xs_server *srv, const struct xs_conn *conn, const char *dir,
               const struct xsd_sockmsg *hdr, const char *body)
{
    struct daemon *dd = dd_of(srv);
    if (!dd->trace || dd->log_off)
        return;
    /* Payload strings separated by spaces, binary bytes as '.', cut at 80. */
    char text[84];
    size_t n = 0;
    for (uint32_t i = 0; i < hdr->len && n < 80; i++) {
        unsigned char c = (unsigned char)body[i];
        text[n++] = c == 0 ? ' ' : (c >= ' ' && c <= '~') ? (char)c : '.';
    }
    text[n] = 0;
    char ts[40];
    stamp(ts, sizeof(ts));
    fprintf(dd->trace, "%s %-3s %s %s req %u tx %u (%s%s)\n", ts, dir, conn->name, xs_type_name(hdr->type),
            hdr->req_id, hdr->tx_id, text, hdr->len > 80 ? "..." : "");
    fflush(dd->trace);
}

int xsd_open_trace(struct daemon *dd, const char *path)
{
    FILE *f = fopen(path, "a");
    if (!f) {
        int e = errno;
        xsd_log(dd, "cannot open trace file %s: %s", path, strerror(e));
        return e;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    if (dd->trace)
        fclose(dd->trace);
    dd->trace = f;
    char *p = strdup(path);
    if (p) {
        free(dd->trace_path);
        dd->trace_path = p;
    }
    return 0;
}

int xsd_log_control(struct xs_server *srv, const char *what, const char *arg)
{
    struct daemon *dd = dd_of(srv);
    if (!strcmp(what, "logfile"))
        return xsd_open_trace(dd, arg);
    if (!strcmp(what, "on")) {
        dd->log_off = false;
        return 0;
    }
    if (!strcmp(what, "off")) {
        dd->log_off = true;
        return 0;
    }
    return EINVAL;
}
