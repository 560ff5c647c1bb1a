/* SPDX-License-Identifier: MIT */
/*
 * Command lines of xenconsoled and xenconsole, with Xen's option names
 * (tools/console/daemon/main.c, tools/console/client/main.c).  Unlike Xen,
 * a bad value is an error rather than silently ignored.
 *
 * Pure code (getopt_long and strings only): unit-tested hosted.
 */
#ifndef XCD_OPTIONS_H
#define XCD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define XCD_DEFAULT_LOG_DIR  "/var/log/xen/console"
#define XCD_DEFAULT_PID_FILE "/var/run/xenconsoled.pid"

struct xcd_options {
    bool log_guest, log_hv;         /* --log=none|guest|hv|all (default guest) */
    bool stamp_guest, stamp_hv;     /* -t, --timestamp=none|guest|hv|all (default none) */
    bool interactive;               /* -i: stay in the foreground, log to stderr */
    bool verbose;                   /* -v: also informational messages */
    const char *log_dir;            /* --log-dir (default XCD_DEFAULT_LOG_DIR) */
    const char *pid_file;           /* --pid-file (default XCD_DEFAULT_PID_FILE when daemonized) */
    const char *hosted_dir;         /* --hosted DIR: test back end instead of Xen's devices */
};

enum xcd_parse {
    XCD_PARSE_RUN,      /* options filled: go on */
    XCD_PARSE_EXIT,     /* help or version printed on out: exit 0 */
    XCD_PARSE_ERROR,    /* message in err: exit with status 2 */
};

void xcd_usage(char *out, size_t size);
/*
 * What main() does with a parse result: help/version on stdout (0), the
 * error on stderr (2), or -1 to carry on.
 */
int xcd_parse_status(enum xcd_parse r, const char *msg);
/* Parse xenconsoled's argv (argv[0] is skipped). */
enum xcd_parse xcd_parse_options(int argc, char **argv, struct xcd_options *o, char *out, size_t size);

/* xenconsole [--type pv] [--num N] [--timeout SECONDS] DOMID */
struct xcc_options {
    unsigned int domid;
    unsigned int num;               /* console number: 0 is console/, others device/console/N/ */
    unsigned int timeout_s;         /* wait for the tty to appear (default 10) */
    char escape;                    /* detach character (default Ctrl-], 0x1d) */
};

#define XCC_DEFAULT_TIMEOUT 10
#define XCC_ESCAPE 0x1d

enum xcd_parse xcc_parse_options(int argc, char **argv, struct xcc_options *o, char *out, size_t size);
/* The xenstore path of the console's tty node. */
int xcc_tty_path(const struct xcc_options *o, char *buf, size_t size);

#endif
