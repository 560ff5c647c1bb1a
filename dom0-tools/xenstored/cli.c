/* SPDX-License-Identifier: MIT */
/*
 * xenstore: the xenstore-* command-line tools as one multi-call binary
 * (dom0's initramfs has no libxenstore).  Called as xenstore-read, -write,
 * -rm, -exists, -list, -ls, -chmod, -watch, -control (through symlinks) or
 * as "xenstore <mode> ...".  Options, output and exit codes follow Xen's
 * tools/xs-clients: read/write escape non-printable bytes unless -R, each
 * command runs in a transaction retried on EAGAIN (not ls and watch).
 */
#include "client.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum mode { M_READ, M_WRITE, M_RM, M_EXISTS, M_LIST, M_LS, M_CHMOD, M_WATCH, M_CONTROL };

static const struct {
    const char *name;
    enum mode mode;
    const char *usage;
} modes[] = {
    { "read", M_READ, "[-h] [-p] [-R] key [...]" },
    { "write", M_WRITE, "[-h] [-R] key value [...]" },
    { "rm", M_RM, "[-h] [-t] key [...]" },
    { "exists", M_EXISTS, "[-h] key" },
    { "list", M_LIST, "[-h] [-p] key [...]" },
    { "ls", M_LS, "[-h] [-f] [-p] [path]" },
    { "chmod", M_CHMOD, "[-h] [-u] [-r] key <mode [modes...]>" },
    { "watch", M_WATCH, "[-h] [-n NR] [-d DEPTH] key" },
    { "control", M_CONTROL, "[-h] command [arg...]" },
};

static const char *prog;
static struct xsc xs;

/* Output is buffered so that a retried transaction prints once. */
static char *out;
static size_t out_len, out_size;

static void out_raw(const char *p, size_t n)
{
    if (out_len + n + 1 > out_size) {
        size_t ns = (out_len + n + 1) * 2;
        char *b = realloc(out, ns);
        if (!b) {
            fprintf(stderr, "%s: out of memory\n", prog);
            exit(1);
        }
        out = b;
        out_size = ns;
    }
    memcpy(out + out_len, p, n);
    out_len += n;
}

static void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void outf(const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    out_raw(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warnx_(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Xen's sanitise_value: printable ASCII as is, the rest escaped. */
static char *sanitise(const char *v, size_t len)
{
    char *s = malloc(len * 4 + 1), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c >= ' ' && c <= '~' && c != '\\') {
            *p++ = (char)c;
            continue;
        }
        *p++ = '\\';
        switch (c) {
        case '\t': *p++ = 't'; break;
        case '\n': *p++ = 'n'; break;
        case '\r': *p++ = 'r'; break;
        case '\\': *p++ = '\\'; break;
        default: p += c < 010 ? sprintf(p, "%03o", c) : sprintf(p, "x%02x", c); break;
        }
    }
    *p = 0;
    return s;
}

/* Xen's unsanitise_value: \t \n \r \\ \xHH \ooo. */
static size_t unsanitise(char *o, const char *in)
{
    char *op = o;
    for (const char *ip = in; *ip;) {
        char c = *ip++;
        if (c == '\\' && *ip) {
            c = *ip++;
            switch (c) {
            case 't': c = '\t'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case '\\': c = '\\'; break;
            case 'x': {
                unsigned int v = 0;
                int n = 0;
                if (sscanf(ip, "%2x%n", &v, &n) == 1)
                    ip += n;
                c = (char)v;
                break;
            }
            default:
                if (c >= '0' && c <= '7') {
                    unsigned int v = 0;
                    int n = 0;
                    ip--;
                    if (sscanf(ip, "%3o%n", &v, &n) == 1)
                        ip += n;
                    c = (char)v;
                }
                break;
            }
        }
        *op++ = c;
    }
    *op = 0;
    return (size_t)(op - o);
}

static int xs_read(uint32_t tx, const char *path, struct xsc_msg **m)
{
    return xsc_callv(&xs, XS_READ, tx, m, path, NULL);
}

static int list_children(uint32_t tx, const char *path, struct xsc_msg **m)
{
    return xsc_callv(&xs, XS_DIRECTORY, tx, m, path, NULL);
}

static int do_rm_tidy(uint32_t tx, const char *path, bool tidy)
{
    struct xsc_msg *m;
    int err = xsc_callv(&xs, XS_RM, tx, &m, path, NULL);
    if (err) {
        warnx_("could not remove path %s", path);
        return 1;
    }
    free(m);
    if (!tidy)
        return 0;
    /* -t: also remove parents left empty and valueless, up to the root. */
    char *p = strdup(path);
    if (!p)
        return 1;
    for (;;) {
        char *slash = strrchr(p, '/');
        if (!slash || slash == p)
            break;
        *slash = 0;
        struct xsc_msg *v, *d;
        if (xs_read(tx, p, &v))
            break;
        bool empty_value = v->hdr.len == 0;
        free(v);
        if (!empty_value || list_children(tx, p, &d))
            break;
        bool no_children = d->hdr.len == 0;
        free(d);
        if (!no_children)
            break;
        if (xsc_callv(&xs, XS_RM, tx, &m, p, NULL)) {
            warnx_("could not remove path %s", p);
            free(p);
            return 1;
        }
        free(m);
    }
    free(p);
    return 0;
}

static int max_width = 80, desired_width = 60;
static bool whole_path;

static void do_ls(const char *path, int depth, bool perms)
{
    struct xsc_msg *dir;
    int err = list_children(0, path, &dir);
    if (err) {
        if (depth && err == ENOENT)
            return;     /* vanished while we walked */
        warnx_("xs_directory (%s): %s", path, strerror(err));
        exit(1);
    }
    for (unsigned int i = 0;; i++) {
        const char *name = xsc_string(dir, i);
        if (!name)
            break;
        char child[XENSTORE_ABS_PATH_MAX + 1024];
        snprintf(child, sizeof(child), "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", name);
        int w = 0;
        const int tag = (int)strlen(" = \"...\"");
        if (whole_path) {
            outf("%s", child);
            w = (int)strlen(child);
        } else {
            for (; w < depth; w++)
                outf(" ");
            int n = max_width - tag - w;
            outf("%.*s", n > 0 ? n : 0, name);
            w += (int)strlen(name) < n ? (int)strlen(name) : (n > 0 ? n : 0);
        }
        struct xsc_msg *v;
        if (xs_read(0, child, &v)) {
            outf(":\n");
        } else {
            char *s = sanitise(v->body, v->hdr.len);
            if (!s) {
                warnx_("out of memory");
                exit(1);
            }
            if (max_width < w + (int)v->hdr.len + tag) {
                int n = max_width - tag - w;
                outf(" = \"%.*s\\...\"", n > 0 ? n : 0, s);
            } else {
                outf(" = \"%s\"", s);
                w += (int)strlen(s) + 5;
                if (perms) {
                    outf(" ");
                    for (w++; w < (desired_width < max_width ? desired_width : max_width); w++)
                        outf("%c", (w & 1) ? '.' : ' ');
                }
            }
            free(s);
            free(v);
            if (perms) {
                struct xsc_msg *p;
                if (xsc_callv(&xs, XS_GET_PERMS, 0, &p, child, NULL)) {
                    warnx_("could not access permissions for %s", name);
                } else {
                    outf("  (");
                    for (unsigned int k = 0; xsc_string(p, k); k++)
                        outf("%s%s", k ? "," : "", xsc_string(p, k));
                    outf(")");
                    free(p);
                }
            }
            outf("\n");
        }
        do_ls(child, depth + 1, perms);
    }
    free(dir);
}

static int set_perms(uint32_t tx, const char *path, char **modes_, int n)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t len = strlen(path) + 1;
    if (len > sizeof(buf))
        return E2BIG;
    memcpy(buf, path, len);
    for (int i = 0; i < n; i++) {
        size_t l = strlen(modes_[i]) + 1;
        if (len + l > sizeof(buf))
            return E2BIG;
        memcpy(buf + len, modes_[i], l);
        len += l;
    }
    struct xsc_msg *m;
    int err = xsc_call(&xs, XS_SET_PERMS, tx, buf, (uint32_t)len, &m);
    free(m);
    return err;
}

static int do_chmod(uint32_t tx, char *path, char **perms, int n, bool upto, bool recurse)
{
    if (!path[0])
        return 0;
    int err = set_perms(tx, path, perms, n);
    if (err) {
        warnx_("Error occurred setting permissions on '%s': %s", path, strerror(err));
        exit(1);
    }
    if (upto) {
        char *slash = strrchr(path, '/');
        if (slash) {
            *slash = 0;
            do_chmod(tx, path, perms, n, true, false);
            *slash = '/';
        }
    }
    if (recurse) {
        struct xsc_msg *d;
        if (!list_children(tx, path, &d)) {
            for (unsigned int i = 0; xsc_string(d, i); i++) {
                char child[XENSTORE_ABS_PATH_MAX + 1024];
                snprintf(child, sizeof(child), "%s/%s", path, xsc_string(d, i));
                do_chmod(tx, child, perms, n, false, true);
            }
            free(d);
        }
    }
    return 0;
}

struct opts {
    bool prefix, tidy, upto, recurse, raw;
    int nr_watches, depth;
};

/* One attempt of the command; 0, 1 (failed) or -EAGAIN-style retry signal handled by caller. */
static int perform(enum mode mode, int argc, char **argv, uint32_t tx, const struct opts *o)
{
    struct xsc_msg *m;
    int err;
    switch (mode) {
    case M_READ:
        for (int i = 0; i < argc; i++) {
            if (xs_read(tx, argv[i], &m)) {
                warnx_("couldn't read path %s", argv[i]);
                return 1;
            }
            if (o->prefix)
                outf("%s: ", argv[i]);
            if (o->raw) {
                out_raw(m->body, m->hdr.len);
            } else {
                char *s = sanitise(m->body, m->hdr.len);
                if (!s)
                    return 1;
                outf("%s\n", s);
                free(s);
            }
            free(m);
        }
        return 0;
    case M_WRITE:
        for (int i = 0; i + 1 < argc; i += 2) {
            size_t pl = strlen(argv[i]) + 1;
            char *buf = malloc(pl + strlen(argv[i + 1]) + 1);
            if (!buf)
                return 1;
            memcpy(buf, argv[i], pl);
            size_t vl;
            if (o->raw) {
                vl = strlen(argv[i + 1]);
                memcpy(buf + pl, argv[i + 1], vl);
            } else {
                vl = unsanitise(buf + pl, argv[i + 1]);
            }
            err = xsc_call(&xs, XS_WRITE, tx, buf, (uint32_t)(pl + vl), &m);
            free(buf);
            free(m);
            if (err) {
                warnx_("could not write path %s", argv[i]);
                return 1;
            }
        }
        return 0;
    case M_RM:
        for (int i = 0; i < argc; i++)
            if (do_rm_tidy(tx, argv[i], o->tidy))
                return 1;
        return 0;
    case M_EXISTS:
        for (int i = 0; i < argc; i++) {
            if (xs_read(tx, argv[i], &m))
                return 1;
            free(m);
        }
        return 0;
    case M_LIST:
        for (int i = 0; i < argc; i++) {
            if (list_children(tx, argv[i], &m)) {
                warnx_("could not list path %s", argv[i]);
                return 1;
            }
            const char *pref = (o->prefix && strcmp(argv[i], "/")) ? argv[i] : "";
            for (unsigned int k = 0; xsc_string(m, k); k++)
                outf("%s%s%s\n", pref, o->prefix ? "/" : "", xsc_string(m, k));
            free(m);
        }
        return 0;
    case M_LS:
        do_ls(argc ? argv[0] : "/", 0, o->prefix);
        for (int i = 1; i < argc; i++)
            do_ls(argv[i], 0, o->prefix);
        return 0;
    case M_CHMOD:
        for (int i = 1; i < argc; i++)
            if (!strchr("nrwb", argv[i][0]) || !argv[i][0]) {
                warnx_("Invalid permission specification: '%c'", argv[i][0]);
                exit(1);
            }
        return do_chmod(tx, argv[0], argv + 1, argc - 1, o->upto, o->recurse);
    case M_WATCH:
        for (int i = 0; i < argc; i++) {
            char depth[16];
            snprintf(depth, sizeof(depth), "%d", o->depth);
            err = o->depth >= 0 ? xsc_callv(&xs, XS_WATCH, 0, &m, argv[i], argv[i], depth, NULL)
                                : xsc_callv(&xs, XS_WATCH, 0, &m, argv[i], argv[i], NULL);
            if (err) {
                warnx_("Unable to add watch on %s: %s", argv[i], strerror(err));
                exit(1);
            }
            free(m);
        }
        for (int n = 0; o->nr_watches < 0 || n < o->nr_watches; n++) {
            err = xsc_event(&xs, &m, -1);
            if (err) {
                warnx_("reading watch events: %s", strerror(err));
                return 1;
            }
            printf("%s\n", m->body);
            fflush(stdout);
            free(m);
        }
        return 0;
    case M_CONTROL: {
        char buf[XENSTORE_PAYLOAD_MAX];
        size_t len = 0;
        for (int i = 0; i < argc; i++) {
            size_t l = strlen(argv[i]) + 1;
            if (len + l > sizeof(buf)) {
                warnx_("arguments too long");
                return 1;
            }
            memcpy(buf + len, argv[i], l);
            len += l;
        }
        err = xsc_call(&xs, XS_CONTROL, 0, buf, (uint32_t)len, &m);
        if (err) {
            warnx_("control %s failed: %s", argv[0], strerror(err));
            return 1;
        }
        /* Text replies end in a NUL; acks print as "OK" like Xen's xenstore-control. */
        size_t tl = strnlen(m->body, m->hdr.len);
        outf("%.*s", (int)tl, m->body);
        if (tl && m->body[tl - 1] != '\n')
            outf("\n");
        free(m);
        return 0;
    }
    }
    return 1;
}

static void usage(int status, int mi, bool with_mode)
{
    if (mi < 0)
        fprintf(stderr, "Usage: %s <mode> [-h] [...]\n", prog);
    else
        fprintf(stderr, "Usage: %s %s%s%s\n", prog, with_mode ? modes[mi].name : "", with_mode ? " " : "",
                modes[mi].usage);
    exit(status);
}

int main(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    prog = base;
    const char *mname;
    bool with_mode = false;
    if (!strncmp(base, "xenstore-", 9)) {
        mname = base + 9;
    } else {
        if (argc < 2)
            usage(1, -1, false);
        mname = argv[1];
        argv++;
        argc--;
        with_mode = true;
    }
    int mi = -1;
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        if (!strcmp(mname, modes[i].name))
            mi = (int)i;
    if (mi < 0) {
        fprintf(stderr, "%s: unknown mode %s\n", prog, mname);
        return 1;
    }
    enum mode mode = modes[mi].mode;
    struct opts o = { .nr_watches = -1, .depth = -1 };
    static const struct option lopts[] = {
        { "help", 0, 0, 'h' }, { "flat", 0, 0, 'f' }, { "prefix", 0, 0, 'p' }, { "tidy", 0, 0, 't' },
        { "upto", 0, 0, 'u' }, { "recurse", 0, 0, 'r' }, { "number", 1, 0, 'n' }, { "raw", 0, 0, 'R' },
        { "depth", 1, 0, 'd' }, { "socket", 0, 0, 's' }, { 0, 0, 0, 0 },
    };
    int c;
    /* '+': options come first, so values may start with '-'. */
    while ((c = getopt_long(argc, argv, mode == M_CONTROL ? "+hs" : "+hfspturn:Rd:", lopts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(0, mi, with_mode); break;
        case 's': break;                /* always the socket when there is one */
        case 'f':
            if (mode != M_LS)
                usage(1, mi, with_mode);
            max_width = INT_MAX / 2;
            desired_width = 0;
            whole_path = true;
            break;
        case 'p':
            if (mode != M_READ && mode != M_LIST && mode != M_LS)
                usage(1, mi, with_mode);
            o.prefix = true;
            break;
        case 't':
            if (mode != M_RM)
                usage(1, mi, with_mode);
            o.tidy = true;
            break;
        case 'u':
            if (mode != M_CHMOD)
                usage(1, mi, with_mode);
            o.upto = true;
            break;
        case 'r':
            if (mode != M_CHMOD)
                usage(1, mi, with_mode);
            o.recurse = true;
            break;
        case 'n':
            if (mode != M_WATCH)
                usage(1, mi, with_mode);
            o.nr_watches = atoi(optarg);
            break;
        case 'R':
            if (mode != M_READ && mode != M_WRITE)
                usage(1, mi, with_mode);
            o.raw = true;
            break;
        case 'd':
            if (mode != M_WATCH)
                usage(1, mi, with_mode);
            o.depth = atoi(optarg);
            break;
        default:
            usage(1, mi, with_mode);
        }
    }
    argc -= optind;
    argv += optind;
    if ((mode == M_WRITE && argc % 2) || (mode != M_LS && argc == 0) || (mode == M_CHMOD && argc < 2))
        usage(1, mi, with_mode);

    bool transaction = mode == M_READ ? argc > 1 : mode == M_WRITE ? argc > 2
                     : !(mode == M_LS || mode == M_WATCH || mode == M_CONTROL);
    if (mode == M_LS && !whole_path) {
        struct winsize ws;
        if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 2)
            max_width = ws.ws_col - 2;
    }
    int err = xsc_open(&xs, NULL);
    if (err) {
        fprintf(stderr, "%s: xs_open: cannot connect to %s: %s\n", prog, xsc_socket_path(), strerror(err));
        return 1;
    }
    int ret;
    for (int attempt = 0;; attempt++) {
        uint32_t tx = 0;
        struct xsc_msg *m;
        out_len = 0;
        if (transaction) {
            err = xsc_callv(&xs, XS_TRANSACTION_START, 0, &m, "", NULL);
            if (err) {
                fprintf(stderr, "%s: couldn't start transaction: %s\n", prog, strerror(err));
                return 1;
            }
            tx = (uint32_t)strtoul(m->body, NULL, 10);
            free(m);
        }
        ret = perform(mode, argc, argv, tx, &o);
        if (!transaction)
            break;
        err = xsc_callv(&xs, XS_TRANSACTION_END, tx, &m, ret ? "F" : "T", NULL);
        free(m);
        if (!err)
            break;
        if (ret == 0 && err == EAGAIN && attempt < 1000)
            continue;
        fprintf(stderr, "%s: couldn't end transaction: %s\n", prog, strerror(err));
        return 1;
    }
    if (out_len && fwrite(out, 1, out_len, stdout) != out_len)
        ret = 1;
    free(out);
    xsc_close(&xs);
    return ret;
}
