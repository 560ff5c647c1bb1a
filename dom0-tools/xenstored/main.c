/* SPDX-License-Identifier: MIT */
/*
 * xenstored: options (Xen's xenstored names where they exist), start-up,
 * daemonizing and the poll loop.  The work is in the core (server.c and
 * friends); this file only wires the sockets, the rings and the back end
 * together.
 */
#include "daemon.h"
#include "client.h"

#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static struct daemon dd;

static void usage(FILE *f)
{
    fprintf(f,
"Usage: xenstored [options]\n"
"\n"
"  -F, --pid-file <file>    write the daemon's pid to <file> (and lock it)\n"
"  -H, --help               this message\n"
"  -N, --no-fork            stay in the foreground, log to stderr\n"
"  -P, --output-pid         print the daemon's pid on stdout\n"
"  -T, --trace-file <file>  log lines and every message to <file>\n"
"  -V, --verbose            log connections coming and going\n"
"  -D, --no-domain-init     do not connect dom0's own ring\n"
"  -E, --entry-nb <nb>      quota: nodes per domain (1000)\n"
"  -S, --entry-size <size>  quota: node size (2048)\n"
"  -W, --watch-nb <nb>      quota: watches per domain (128)\n"
"  -t, --transaction <nb>   quota: transactions per domain (10)\n"
"  -A, --perm-nb <nb>       quota: permissions per node (5)\n"
"  -M, --path-max <chars>   quota: path length below a domain's home (2048)\n"
"  -Q, --quota <what>=<nb>  any quota by name (nodes, watches, outstanding,\n"
"                           transactions, transaction-nodes, node-permissions,\n"
"                           path-max, node-size)\n"
"  -s, --socket <path>      listen there (default $XENSTORED_PATH,\n"
"                           $XENSTORED_RUNDIR/socket or " XS_DEFAULT_SOCKET ")\n"
"      --hosted-rings <dir> test mode without Xen: rings are files in <dir>\n");
}

static unsigned int optval(const char *opt, const char *arg)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (!*arg || *end || v > 0x7fffffff) {
        fprintf(stderr, "xenstored: invalid value \"%s\" for %s\n", arg, opt);
        exit(2);
    }
    return (unsigned int)v;
}

static void set_quota(enum xs_quota_item q, const char *opt, const char *arg)
{
    dd.srv.quota[q] = optval(opt, arg);
    if (q == XS_Q_PATH_MAX && dd.srv.quota[q] > XENSTORE_REL_PATH_MAX)
        dd.srv.quota[q] = XENSTORE_REL_PATH_MAX;
}

/* Without event channels no ring can be served. */
static int no_rings(struct xs_server *srv, struct xs_domain *d)
{
    (void)srv;
    (void)d;
    return ENOSYS;
}

static volatile sig_atomic_t reopen_log;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        reopen_log = 1;     /* log rotation, as Xen's xenstored */
    else
        dd.stop = 1;
}

/* The daemon runs in "/": make paths given relative to the caller absolute. */
static const char *absolute(const char *path)
{
    if (!path || path[0] == '/')
        return path;
    char cwd[4096];
    if (!getcwd(cwd, sizeof(cwd))) {
        perror("xenstored: getcwd");
        exit(1);
    }
    size_t l = strlen(cwd) + 1 + strlen(path) + 1;
    char *a = malloc(l);
    if (!a) {
        perror("xenstored: malloc");
        exit(1);
    }
    snprintf(a, l, "%s/%s", cwd, path);
    return a;
}

/* Hold the pid file locked for our lifetime; a second daemon exits quietly (as Xen's). */
static int pid_fd = -1;
static void write_pidfile(const char *path)
{
    pid_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (pid_fd < 0) {
        xsd_log(&dd, "cannot open pid file %s: %s", path, strerror(errno));
        exit(1);
    }
    if (lockf(pid_fd, F_TLOCK, 0) < 0) {
        xsd_log(&dd, "pid file %s is locked: another xenstored runs", path);
        exit(0);
    }
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(pid_fd, 0) < 0 || write(pid_fd, buf, (size_t)n) != n) {
        xsd_log(&dd, "cannot write pid file %s: %s", path, strerror(errno));
        exit(1);
    }
}

/*
 * Fork into the background, but let the parent exit only once the socket
 * listens (the child writes a byte on ready_fd), so whoever started us can
 * use the store at once.
 */
static int daemonize(void)
{
    int p[2];
    if (pipe(p) < 0) {
        perror("xenstored: pipe");
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("xenstored: fork");
        exit(1);
    }
    if (pid > 0) {
        char c;
        close(p[1]);
        ssize_t n;
        do {
            n = read(p[0], &c, 1);
        } while (n < 0 && errno == EINTR);
        _exit(n == 1 ? 0 : 1);
    }
    close(p[0]);
    if (setsid() < 0)
        perror("xenstored: setsid");
    pid = fork();
    if (pid < 0) {
        perror("xenstored: fork");
        exit(1);
    }
    if (pid > 0)
        _exit(0);
    if (chdir("/") < 0)
        perror("xenstored: chdir /");
    return p[1];
}

static void ready(int ready_fd, bool output_pid)
{
    if (output_pid) {
        printf("%ld\n", (long)getpid());
        fflush(stdout);
    }
    if (ready_fd < 0)
        return;
    /* Detach from the terminal now that start-up errors have been shown. */
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO)
            close(null);
    }
    if (write(ready_fd, "r", 1) != 1)
        xsd_log(&dd, "cannot tell the parent we are ready: %s", strerror(errno));
    close(ready_fd);
}

static void main_loop(void)
{
    struct pollfd *pfd = NULL;
    size_t cap = 0;
    while (!dd.stop) {
        size_t want = 2;
        for (struct xs_conn *c = dd.srv.conns; c; c = c->next)
            want++;
        if (want > cap) {
            struct pollfd *n = realloc(pfd, want * sizeof(*pfd));
            if (!n) {
                xsd_log(&dd, "out of memory for the poll set");
                sleep(1);
                continue;
            }
            pfd = n;
            cap = want;
        }
        int n = 0;
        pfd[n++] = (struct pollfd){ .fd = dd.listen_fd, .events = POLLIN };
        int ev = -1;
        if (dd.event_fd >= 0) {
            ev = n;
            pfd[n++] = (struct pollfd){ .fd = dd.event_fd, .events = POLLIN };
        }
        int first = n;
        n += sock_pollfds(&dd, pfd + first, (int)cap - first);
        if (reopen_log) {
            reopen_log = 0;
            if (dd.trace_path && xsd_open_trace(&dd, dd.trace_path) == 0)
                xsd_log(&dd, "log reopened");
        }
        if (poll(pfd, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            xsd_log(&dd, "poll: %s", strerror(errno));
            break;
        }
        if (pfd[0].revents & POLLIN)
            sock_accept(&dd);
        if (ev >= 0 && pfd[ev].revents)
            dd.on_event(&dd);
        sock_handle(&dd, pfd + first, n - first);
        ring_service_all(&dd);
        sock_flush_all(&dd);
    }
    free(pfd);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "pid-file", 1, NULL, 'F' }, { "help", 0, NULL, 'H' }, { "no-fork", 0, NULL, 'N' },
        { "output-pid", 0, NULL, 'P' }, { "trace-file", 1, NULL, 'T' }, { "verbose", 0, NULL, 'V' },
        { "no-domain-init", 0, NULL, 'D' }, { "entry-nb", 1, NULL, 'E' }, { "entry-size", 1, NULL, 'S' },
        { "watch-nb", 1, NULL, 'W' }, { "transaction", 1, NULL, 't' }, { "perm-nb", 1, NULL, 'A' },
        { "path-max", 1, NULL, 'M' }, { "quota", 1, NULL, 'Q' }, { "socket", 1, NULL, 's' },
        { "hosted-rings", 1, NULL, 'r' }, { NULL, 0, NULL, 0 },
    };
    struct xs_env env = { .log = xsd_log_line, .trace = xsd_trace, .log_control = xsd_log_control, .data = &dd };
    const char *pidfile = NULL, *tracefile = NULL, *sock = NULL, *hosted = NULL;
    bool output_pid = false, domain_init = true;
    int c;

    dd.listen_fd = dd.event_fd = dd.evtchn_fd = dd.gntdev_fd = dd.privcmd_fd = -1;
    dd.foreground = true;       /* log to stderr until daemonized */
    if (xs_server_init(&dd.srv, &env)) {
        fprintf(stderr, "xenstored: cannot initialise the store\n");
        return 1;
    }
    bool fork_ = true;
    while ((c = getopt_long(argc, argv, "F:HNPT:VDE:S:W:t:A:M:Q:s:", opts, NULL)) != -1) {
        switch (c) {
        case 'F': pidfile = optarg; break;
        case 'H': usage(stdout); return 0;
        case 'N': fork_ = false; break;
        case 'P': output_pid = true; break;
        case 'T': tracefile = optarg; break;
        case 'V': dd.verbose = true; break;
        case 'D': domain_init = false; break;
        case 'E': set_quota(XS_Q_NODES, "-E", optarg); break;
        case 'S': set_quota(XS_Q_NODE_SIZE, "-S", optarg); break;
        case 'W': set_quota(XS_Q_WATCHES, "-W", optarg); break;
        case 't': set_quota(XS_Q_TRANSACTIONS, "-t", optarg); break;
        case 'A': set_quota(XS_Q_PERMS, "-A", optarg); break;
        case 'M': set_quota(XS_Q_PATH_MAX, "-M", optarg); break;
        case 'Q': {
            const char *eq = strchr(optarg, '=');
            char name[32];
            int q = -1;
            if (eq && (size_t)(eq - optarg) < sizeof(name)) {
                snprintf(name, sizeof(name), "%.*s", (int)(eq - optarg), optarg);
                q = xs_quota_lookup(name);
            }
            if (q < 0) {
                fprintf(stderr, "xenstored: unknown quota \"%s\" (want <what>=<nb>)\n", optarg);
                return 2;
            }
            set_quota((enum xs_quota_item)q, "-Q", eq + 1);
            break;
        }
        case 's': sock = optarg; break;
        case 'r': hosted = optarg; break;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "xenstored: no arguments wanted (%s)\n", argv[optind]);
        return 2;
    }
    bool default_socket = !sock && !getenv("XENSTORED_PATH") && !getenv("XENSTORED_RUNDIR");
    if (!sock)
        sock = xsc_socket_path();

    pidfile = absolute(pidfile);
    tracefile = absolute(tracefile);
    sock = absolute(sock);
    hosted = absolute(hosted);
    int ready_fd = fork_ ? daemonize() : -1;
    umask(022);
    /* Writes to vanished tools must fail with EPIPE, not kill us; no SA_RESTART so poll() wakes. */
    struct sigaction ign = { .sa_handler = SIG_IGN }, sa = { .sa_handler = on_signal };
    if (sigaction(SIGPIPE, &ign, NULL) || sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
        sigaction(SIGUSR1, &sa, NULL)) {
        xsd_log(&dd, "sigaction: %s", strerror(errno));
        return 1;
    }
    if (tracefile && xsd_open_trace(&dd, tracefile))
        return 1;
    if (pidfile)
        write_pidfile(pidfile);

    int err = hosted ? hosted_init(&dd, hosted) : xen_init(&dd, domain_init);
    if (err) {
        xsd_log(&dd, "start-up failed: %s", strerror(err));
        return 1;
    }
    if (!hosted && !domain_init && dd.evtchn_fd < 0)
        xsd_log(&dd, "no event channels: INTRODUCE will fail with ENOSYS");
    if (!dd.srv.env.introduce)
        dd.srv.env.introduce = no_rings;
    err = sock_listen(&dd, sock, default_socket);
    if (err)
        return 1;
    xsd_log(&dd, "listening on %s", dd.sock_path);
    ready(ready_fd, output_pid);
    dd.foreground = !fork_;

    main_loop();

    xsd_log(&dd, "exiting");
    sock_close_all(&dd);
    sock_close_listener(&dd);
    for (unsigned int b = 0; b < XS_DOMAIN_BUCKETS; b++)
        for (struct xs_domain *d = dd.srv.domains[b]; d; d = d->next)
            if (d->introduced && dd.srv.env.release)
                dd.srv.env.release(&dd.srv, d);
    if (hosted)
        hosted_fini(&dd);
    else
        xen_fini(&dd);
    xs_server_destroy(&dd.srv);
    if (pidfile && unlink(pidfile) < 0 && errno != ENOENT)
        fprintf(stderr, "xenstored: cannot remove %s: %s\n", pidfile, strerror(errno));
    if (dd.trace)
        fclose(dd.trace);
    free(dd.trace_path);
    return 0;
}
