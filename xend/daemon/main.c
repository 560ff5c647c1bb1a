/* SPDX-License-Identifier: MIT */
/*
 * xend [start|stop|restart|status|foreground|-f]
 *
 * start daemonizes and exits 0 once the socket listens (1 with the reason
 * if it cannot start); stop ends a running xend and waits for it; status
 * exits 0 if xend runs, 3 if not (LSB); foreground (-f) runs in the
 * terminal, logging to stderr too. Domains keep running while xend is
 * stopped; the next xend takes them back.
 *
 * Paths (defaults, then what overrides them, for tests):
 *   /etc/xen/xend-config.sxp       $XEND_CONFIG
 *   /var/log/xen/xend.log          (logfile) in the config, $XEND_LOGFILE
 *   /var/run/xend/xend.sock        (xend-json-socket), $XEND_SOCKET
 *   /var/lib/xend/domains          (xend-domains-path), $XEND_STATE_DIR/domains
 *   /etc/xen/auto                  $XEND_AUTO_DIR
 *   /var/run/xend.pid              $XEND_PIDFILE
 *   60 s for a guest to shut down  $XEND_SHUTDOWN_TIMEOUT
 *   xenstored's socket             $XENSTORED_PATH (client.h's rules)
 */
#define _GNU_SOURCE
#include "xend.h"
#include "hotplug.h"
#include "xlog.h"
#include "../common/diag.h"
#include "../common/strbuf.h"
#include "../common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define XEND_PIDFILE "/var/run/xend.pid"
#define XEND_AUTO_DIR "/etc/xen/auto"

static struct xend *the_xend;

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && *v ? v : def;
}

static const char *pidfile_path(void)
{
    return env_or("XEND_PIDFILE", XEND_PIDFILE);
}

/* The pid of a running xend, or 0. */
static pid_t running_pid(void)
{
    FILE *f = fopen(pidfile_path(), "re");
    long pid = 0;

    if (!f)
        return 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    if (pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
        return 0;
    return (pid_t)pid;
}

static void on_signal(int sig)
{
    (void)sig;
    if (the_xend)
        the_xend->stop = 1;
}

static int load_options(struct xend *x, struct strbuf *why)
{
    const char *path = env_or("XEND_CONFIG", XEND_CONFIG_PATH);
    struct strbuf text = STRBUF_INIT;
    struct diags diags = DIAGS_INIT;
    FILE *f = fopen(path, "re");
    char buf[4096];
    size_t n;

    if (!f) {
        xend_options_init(&x->opts);
        if (errno != ENOENT) {
            sb_printf(why, "cannot read %s: %s", path, strerror(errno));
            return -1;
        }
        return 0;   /* no file: xend's defaults */
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_putn(&text, buf, n);
    fclose(f);
    int rc = xend_options_parse(path, sb_str(&text), text.len, &x->opts, &diags);
    diags_format(&diags, why);
    sb_free(&text);
    diags_free(&diags);
    return rc;
}

static int write_pidfile(const char *path)
{
    char text[32];
    char *tmp = xasprintf("%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = 0;

    if (fd < 0) {
        free(tmp);
        return -errno;
    }
    int len = snprintf(text, sizeof(text), "%d\n", (int)getpid());
    if (write(fd, text, (size_t)len) != len)
        rc = -EIO;
    close(fd);
    if (!rc && rename(tmp, path) < 0)
        rc = -errno;
    free(tmp);
    return rc;
}

/* Everything up to a listening socket. 0, or -1 with the reason in why. */
static int xend_init(struct xend *x, bool foreground, struct strbuf *why)
{
    struct strbuf notes = STRBUF_INIT;
    struct xerr e;
    char msg[256];
    int rc;

    x->listen_fd = -1;
    x->xs.fd = x->xsw.fd = -1;
    if (load_options(x, &notes) < 0) {
        sb_printf(why, "%s", sb_str(&notes));
        sb_free(&notes);
        return -1;
    }
    const char *logfile = env_or("XEND_LOGFILE", x->opts.logfile);
    if ((rc = xlog_open(logfile, x->opts.loglevel, foreground)) < 0) {
        sb_printf(why, "cannot open the log %s: %s", logfile, strerror(-rc));
        return -1;
    }
    xlog_info("Xend started (pid %d).", (int)getpid());
    if (notes.len)
        xlog_warn("%s: %s", env_or("XEND_CONFIG", XEND_CONFIG_PATH), sb_str(&notes));
    sb_free(&notes);
    x->socket_path = xstrdup(env_or(XEND_SOCKET_ENV, x->opts.xend_json_socket));
    const char *state = getenv("XEND_STATE_DIR");
    x->domains_dir = state && *state ? xasprintf("%s/domains", state)
                                     : xstrdup(x->opts.xend_domains_path);
    x->auto_dir = xstrdup(env_or("XEND_AUTO_DIR", XEND_AUTO_DIR));
    x->pidfile = xstrdup(pidfile_path());
    /* xend gave a guest 60 s to act on a shutdown request; tests shorten it. */
    x->shutdown_timeout = strtod(env_or("XEND_SHUTDOWN_TIMEOUT", "60"), NULL);
    if (x->shutdown_timeout <= 0)
        x->shutdown_timeout = 60;
    if ((rc = hv_open(&x->hv, msg, sizeof(msg))) < 0) {
        sb_printf(why, "%s", msg);
        return -1;
    }
    xlog_info("Hypervisor backend: %s.", x->hv->ops->name);
    int err = xsc_open(&x->xs, NULL);
    if (!err)
        err = xsc_open(&x->xsw, NULL);
    if (!err)
        err = xs_watch(&x->xsw, "@releaseDomain", "xend-release");
    if (err) {
        sb_printf(why, "cannot talk to xenstored (%s): %s; is xenstored running?", xsc_socket_path(),
                  strerror(err));
        return -1;
    }
    /* xend named dom0 in xenstore (XendDomain's initialisation). */
    if ((err = xs_write(&x->xs, 0, "/local/domain/0/name", "Domain-0")) != 0 ||
        (err = xs_write(&x->xs, 0, "/local/domain/0/domid", "0")) != 0)
        xlog_warn("cannot write /local/domain/0/{name,domid}: %s", strerror(err));
    hotplug_network_start(x);
    xend_rediscover(x);
    managed_load_all(x);
    if (server_listen(x, &e) < 0) {
        sb_printf(why, "%s", e.msg);
        return -1;
    }
    if ((rc = write_pidfile(x->pidfile)) < 0)
        xlog_warn("cannot write %s: %s", x->pidfile, strerror(-rc));
    return 0;
}

static void xend_fini(struct xend *x)
{
    server_close(x);
    if (x->pidfile) {
        FILE *f = fopen(x->pidfile, "re");
        long pid = 0;
        if (f) {
            if (fscanf(f, "%ld", &pid) != 1)
                pid = 0;
            fclose(f);
        }
        if (pid == getpid())
            unlink(x->pidfile);
    }
    while (x->doms) {
        struct xdom *d = x->doms;
        x->doms = d->next;
        xdom_free(d);
    }
    if (x->xs.fd >= 0)
        xsc_close(&x->xs);
    if (x->xsw.fd >= 0)
        xsc_close(&x->xsw);
    if (x->hv)
        x->hv->ops->close(x->hv);
    xlog_info("Xend stopped.");
    xlog_close();
    xend_options_free(&x->opts);
    free(x->socket_path);
    free(x->domains_dir);
    free(x->auto_dir);
    free(x->pidfile);
    free(x->netdev);
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
        perror("xend: sigaction");
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &sa, NULL) < 0 || sigaction(SIGHUP, &sa, NULL) < 0)
        perror("xend: sigaction");
}

/* Run xend in this process; ready_fd (or -1) gets "ok\n" or the reason once it listens. */
static int run(bool foreground, int ready_fd)
{
    struct xend x;
    struct strbuf why = STRBUF_INIT;

    memset(&x, 0, sizeof(x));
    the_xend = &x;
    install_signals();
    if (xend_init(&x, foreground, &why) < 0) {
        if (ready_fd >= 0) {
            if (write(ready_fd, why.buf, why.len) < 0)
                perror("xend: status pipe");
        } else {
            fprintf(stderr, "xend: %s\n", sb_str(&why));
        }
        xlog_error("cannot start: %s", sb_str(&why));
        sb_free(&why);
        xend_fini(&x);
        return 1;
    }
    if (ready_fd >= 0) {
        if (write(ready_fd, "ok\n", 3) != 3)
            perror("xend: status pipe");
        close(ready_fd);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
            if (null > 2)
                close(null);
        }
    }
    xend_autostart(&x);
    server_run(&x);
    xend_fini(&x);
    return 0;
}

static int start(void)
{
    int p[2];
    pid_t pid = running_pid();

    if (pid) {
        fprintf(stderr, "xend is already running (pid %d).\n", (int)pid);
        return 0;
    }
    if (pipe2(p, O_CLOEXEC) < 0) {
        perror("xend: pipe");
        return 1;
    }
    pid = fork();
    if (pid < 0) {
        perror("xend: fork");
        return 1;
    }
    if (pid == 0) {
        close(p[0]);
        setsid();
        if (chdir("/") < 0)
            _exit(1);
        /* A second fork: the daemon is no session leader and cannot get a terminal back. */
        pid_t g = fork();
        if (g < 0)
            _exit(1);
        if (g > 0)
            _exit(0);
        _exit(run(false, p[1]));
    }
    close(p[1]);
    waitpid(pid, NULL, 0);
    struct strbuf msg = STRBUF_INIT;
    char buf[512];
    ssize_t n;
    while ((n = read(p[0], buf, sizeof(buf))) > 0)
        sb_putn(&msg, buf, (size_t)n);
    close(p[0]);
    int rc = strcmp(sb_str(&msg), "ok\n") ? 1 : 0;
    if (rc)
        fprintf(stderr, "xend: cannot start: %s\n", msg.len ? sb_str(&msg) : "it died");
    sb_free(&msg);
    return rc;
}

static int stop(void)
{
    pid_t pid = running_pid();

    if (!pid)
        return 0;
    if (kill(pid, SIGTERM) < 0) {
        fprintf(stderr, "xend: cannot stop pid %d: %s\n", (int)pid, strerror(errno));
        return 1;
    }
    /* Domains with on_xend_stop = shutdown get the shutdown timeout (60 s) first. */
    for (int i = 0; i < 20 * 90; i++) {
        if (kill(pid, 0) < 0 && errno == ESRCH)
            return 0;
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "xend: pid %d did not stop within 90 seconds\n", (int)pid);
    return 1;
}

static void usage(FILE *f)
{
    fputs("Usage: xend {start|stop|restart|status|foreground}\n"
          "  start       start the daemon (returns once it listens)\n"
          "  stop        stop it (domains keep running)\n"
          "  restart     stop, then start\n"
          "  status      exit 0 if xend is running, 3 if not\n"
          "  foreground  run in this terminal (also -f)\n", f);
}

int main(int argc, char **argv)
{
    int rc = hv_tool_main(argc, argv);

    if (rc >= 0)
        return rc;
    const char *cmd = argc > 1 ? argv[1] : "start";
    if (argc > 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(cmd, "start"))
        return start();
    if (!strcmp(cmd, "stop"))
        return stop();
    if (!strcmp(cmd, "restart"))
        return stop() ? 1 : start();
    if (!strcmp(cmd, "status"))
        return running_pid() ? 0 : 3;
    if (!strcmp(cmd, "foreground") || !strcmp(cmd, "-f"))
        return run(true, -1);
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "xend: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
