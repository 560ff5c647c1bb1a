/* SPDX-License-Identifier: MIT */
/* Command lines of xenconsoled and xenconsole: see options.h. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

void xcd_usage(char *out, size_t size)
{
    say(out, size,
        "Usage: xenconsoled [-h] [-V] [-v] [-i] [--log=none|guest|hv|all] [--log-dir=DIR]\n"
        "                   [--pid-file=PATH] [-t, --timestamp=none|guest|hv|all] [--hosted=DIR]\n"
        "  -i, --interactive   stay in the foreground and log to stderr\n"
        "  -v, --verbose       log informational messages too\n"
        "  --log=WHAT          write guest consoles (guest-NAME.log) and/or the\n"
        "                      hypervisor's (hypervisor.log) to files (default: guest)\n"
        "  --log-dir=DIR       where the logs go (default " XCD_DEFAULT_LOG_DIR ")\n"
        "  --pid-file=PATH     daemon's pid file (default " XCD_DEFAULT_PID_FILE ")\n"
        "  -t, --timestamp=WHAT  prefix log lines with [YYYY-MM-DD HH:MM:SS]\n"
        "  --hosted=DIR        test mode without Xen: rings and event channels are files\n"
        "                      and sockets in DIR (see dom0-tools/xenconsoled/README.md)\n");
}

int xcd_parse_status(enum xcd_parse r, const char *msg)
{
    if (r == XCD_PARSE_EXIT) {
        fputs(msg, stdout);
        return 0;
    }
    if (r == XCD_PARSE_ERROR) {
        fprintf(stderr, "%s\n", msg);
        return 2;
    }
    return -1;
}

/* "none|guest|hv|all" into two flags; false if the word is none of those. */
static bool which(const char *arg, bool *guest, bool *hv)
{
    static const char *const words[] = { "none", "guest", "hv", "all" };
    for (unsigned int i = 0; i < 4; i++)
        if (!strcmp(arg, words[i])) {
            *guest = i & 1;
            *hv = i & 2;
            return true;
        }
    return false;
}

enum xcd_parse xcd_parse_options(int argc, char **argv, struct xcd_options *o, char *out, size_t size)
{
    static const struct option lopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "verbose", no_argument, NULL, 'v' },
        { "interactive", no_argument, NULL, 'i' },
        { "log", required_argument, NULL, 'l' },
        { "log-dir", required_argument, NULL, 'r' },
        { "pid-file", required_argument, NULL, 'p' },
        { "timestamp", required_argument, NULL, 't' },
        { "hosted", required_argument, NULL, 'H' },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof(*o));
    o->log_guest = true;
    o->log_dir = XCD_DEFAULT_LOG_DIR;
    out[0] = 0;
    optind = 0;     /* GNU: full re-initialisation, so parsing can run more than once */
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hVvit:", lopts, NULL)) != -1) {
        switch (ch) {
        case 'h':
            xcd_usage(out, size);
            return XCD_PARSE_EXIT;
        case 'V':
            say(out, size, "Xen Console Daemon 3.0 (Xeno)\n");
            return XCD_PARSE_EXIT;
        case 'v':
            o->verbose = true;
            break;
        case 'i':
            o->interactive = true;
            break;
        case 'l':
            if (!which(optarg, &o->log_guest, &o->log_hv)) {
                say(out, size, "xenconsoled: invalid --log value '%s' (none, guest, hv or all)", optarg);
                return XCD_PARSE_ERROR;
            }
            break;
        case 't':
            if (!which(optarg, &o->stamp_guest, &o->stamp_hv)) {
                say(out, size, "xenconsoled: invalid --timestamp value '%s' (none, guest, hv or all)", optarg);
                return XCD_PARSE_ERROR;
            }
            break;
        case 'r':
        case 'p':
        case 'H':
            if (!*optarg) {
                say(out, size, "xenconsoled: empty path for --%s",
                    ch == 'r' ? "log-dir" : ch == 'p' ? "pid-file" : "hosted");
                return XCD_PARSE_ERROR;
            }
            *(ch == 'r' ? &o->log_dir : ch == 'p' ? &o->pid_file : &o->hosted_dir) = optarg;
            break;
        case ':':
            say(out, size, "xenconsoled: option '%s' needs a value; try 'xenconsoled --help'", argv[optind - 1]);
            return XCD_PARSE_ERROR;
        default:
            say(out, size, "xenconsoled: unknown option '%s'; try 'xenconsoled --help'", argv[optind - 1]);
            return XCD_PARSE_ERROR;
        }
    }
    if (optind < argc) {
        say(out, size, "xenconsoled: unexpected argument '%s'; try 'xenconsoled --help'", argv[optind]);
        return XCD_PARSE_ERROR;
    }
    return XCD_PARSE_RUN;
}

/* A decimal number without sign or junk, at most max. */
static bool number(const char *s, unsigned long max, unsigned long *v)
{
    char *end;
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    *v = strtoul(s, &end, 10);
    return !*end && !errno && *v <= max;
}

static void client_usage(char *out, size_t size)
{
    say(out, size,
        "Usage: xenconsole [OPTION] DOMID\n"
        "Attaches to a virtual domain console\n"
        "\n"
        "  -h, --help         display this help and exit\n"
        "  -n, --num N        use console number N\n"
        "  --type TYPE        console type: must be 'pv'\n"
        "  --timeout SECONDS  wait that long for the console to appear (default %d)\n"
        "  --escape E         escape character, as C or ^C (default ^])\n",
        XCC_DEFAULT_TIMEOUT);
}

enum xcd_parse xcc_parse_options(int argc, char **argv, struct xcc_options *o, char *out, size_t size)
{
    static const struct option lopts[] = {
        { "type", required_argument, NULL, 't' },
        { "num", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { "timeout", required_argument, NULL, 'T' },
        { "escape", required_argument, NULL, 'e' },
        { NULL, 0, NULL, 0 },
    };
    unsigned long v;
    memset(o, 0, sizeof(*o));
    o->timeout_s = XCC_DEFAULT_TIMEOUT;
    o->escape = XCC_ESCAPE;
    out[0] = 0;
    optind = 0;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hn:", lopts, NULL)) != -1) {
        switch (ch) {
        case 'h':
            client_usage(out, size);
            return XCD_PARSE_EXIT;
        case 'n':
            if (!number(optarg, 0xffff, &v)) {
                say(out, size, "xenconsole: invalid console number '%s'", optarg);
                return XCD_PARSE_ERROR;
            }
            o->num = (unsigned int)v;
            break;
        case 't':
            /* Only PV consoles exist here (no HVM: no emulated serial, no vuart). */
            if (strcmp(optarg, "pv")) {
                say(out, size, "xenconsole: invalid type argument '%s'\nConsole types supported are: pv", optarg);
                return XCD_PARSE_ERROR;
            }
            break;
        case 'T':
            if (!number(optarg, 3600, &v)) {
                say(out, size, "xenconsole: invalid timeout '%s' (seconds, 0..3600)", optarg);
                return XCD_PARSE_ERROR;
            }
            o->timeout_s = (unsigned int)v;
            break;
        case 'e':
            if (optarg[0] == '^' && optarg[1] && !optarg[2])
                o->escape = (char)(optarg[1] & 0x1f);
            else if (optarg[0] && !optarg[1])
                o->escape = optarg[0];
            else {
                say(out, size, "xenconsole: invalid escape argument '%s'", optarg);
                return XCD_PARSE_ERROR;
            }
            break;
        case ':':
            say(out, size, "xenconsole: option '%s' needs a value\nTry `xenconsole --help' for more information.",
                argv[optind - 1]);
            return XCD_PARSE_ERROR;
        default:
            say(out, size, "xenconsole: invalid argument '%s'\nTry `xenconsole --help' for more information.",
                argv[optind - 1]);
            return XCD_PARSE_ERROR;
        }
    }
    if (optind >= argc) {
        say(out, size, "xenconsole: DOMID should be specified\nTry `xenconsole --help' for more information.");
        return XCD_PARSE_ERROR;
    }
    if (optind + 1 < argc) {
        say(out, size, "xenconsole: unexpected argument '%s'\nTry `xenconsole --help' for more information.",
            argv[optind + 1]);
        return XCD_PARSE_ERROR;
    }
    /* DOMID_FIRST_RESERVED (0x7ff0) and above are not domains. */
    if (!number(argv[optind], 0x7fef, &v)) {
        say(out, size, "xenconsole: invalid DOMID `%s'\nTry `xenconsole --help' for more information.",
            argv[optind]);
        return XCD_PARSE_ERROR;
    }
    if (v == 0) {
        /* dom0's console is the hypervisor's serial line, not a PV ring. */
        say(out, size, "xenconsole: Can't specify Domain-0");
        return XCD_PARSE_ERROR;
    }
    o->domid = (unsigned int)v;
    return XCD_PARSE_RUN;
}

int xcc_tty_path(const struct xcc_options *o, char *buf, size_t size)
{
    int n = o->num == 0 ? snprintf(buf, size, "/local/domain/%u/console/tty", o->domid)
                        : snprintf(buf, size, "/local/domain/%u/device/console/%u/tty", o->domid, o->num);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}
