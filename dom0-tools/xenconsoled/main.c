/* SPDX-License-Identifier: MIT */
/*
 * xenconsoled: options, daemonizing, the pid file and signals.
 *
 *   xenconsoled [-h] [-V] [-v] [-i] [--log=none|guest|hv|all] [--log-dir=DIR]
 *               [--pid-file=PATH] [-t, --timestamp=none|guest|hv|all] [--hosted=DIR]
 *
 * Without -i the parent returns once the daemon is connected to xenstore
 * (status 0), or fails with its reason on stderr (status 1), so init
 * scripts see a broken start.  SIGTERM/SIGINT close every console and
 * exit; SIGHUP reopens the logs (logrotate).
 */
#include "xenconsoled.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct xcd daemon_state;

static void on_stop(int sig)
{
    (void)sig;
    daemon_state.stop = 1;
}

static void on_hup(int sig)
{
    (void)sig;
    daemon_state.reload = 1;
}

/* Handlers for the loop's ppoll(); the signals stay blocked outside it. */
static int setup_signals(void)
{
    struct sigaction sa = { .sa_handler = on_stop };
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0 ||
        sigaction(SIGINT, &sa, NULL) < 0)
        return errno;
    sa.sa_handler = on_hup;
    if (sigaction(SIGHUP, &sa, NULL) < 0)
        return errno;
    /* xenstored or a pty may go away under a write: an error, not death. */
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &sa, NULL) < 0)
        return errno;
    return 0;
}

/*
 * Fork twice (no controlling terminal ever again) and return in the
 * daemon with *ready_fd to report success on; the original process waits
 * for that byte and exits 0, or 1 if the daemon died first.
 */
static int daemonize(int *ready_fd)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return errno;
    pid_t pid = fork();
    if (pid < 0)
        return errno;
    if (pid > 0) {
        char c;
        close(p[1]);
        ssize_t n;
        while ((n = read(p[0], &c, 1)) < 0 && errno == EINTR)
            ;
        _exit(n == 1 ? 0 : 1);
    }
    close(p[0]);
    if (setsid() < 0)
        return errno;
    pid = fork();
    if (pid < 0)
        return errno;
    if (pid > 0)
        _exit(0);
    umask(022);
    if (chdir("/") < 0)
        return errno;
    *ready_fd = p[1];
    return 0;
}

/* Lock and fill the pid file; the fd stays open (and locked) for our lifetime. */
static int write_pid_file(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        xcd_log(XCD_ERR, "cannot open pid file %s: %s", path, strerror(errno));
        return -1;
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        xcd_log(XCD_ERR, "pid file %s is locked: is xenconsoled already running?", path);
        close(fd);
        return -1;
    }
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)n) != n) {
        xcd_log(XCD_ERR, "cannot write pid file %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* The daemon runs in /: relative paths are made absolute first. */
static const char *absolute(const char *path)
{
    char cwd[PATH_MAX], *abs;
    if (!path || path[0] == '/')
        return path;
    if (!getcwd(cwd, sizeof(cwd)) || asprintf(&abs, "%s/%s", cwd, path) < 0) {
        fprintf(stderr, "xenconsoled: cannot make %s absolute: %s\n", path, strerror(errno));
        exit(1);
    }
    return abs;     /* lives as long as the process */
}

/* Standard streams to /dev/null once nobody watches them. */
static void detach_stdio(void)
{
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        return;
    for (int i = 0; i <= 2; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
}

int main(int argc, char **argv)
{
    struct xcd *d = &daemon_state;
    char msg[2048];
    int st = xcd_parse_status(xcd_parse_options(argc, argv, &d->opt, msg, sizeof(msg)), msg);
    if (st >= 0)
        return st;
    if (!d->opt.hosted_dir && geteuid() != 0) {
        fprintf(stderr, "xenconsoled requires root to run.\n");
        return 1;
    }
    d->opt.log_dir = absolute(d->opt.log_dir);
    d->opt.pid_file = absolute(d->opt.pid_file);
    d->opt.hosted_dir = absolute(d->opt.hosted_dir);
    xcd_log_setup(true, d->opt.verbose);
    int err = setup_signals();
    if (err) {
        xcd_log(XCD_ERR, "signal set-up: %s", strerror(err));
        return 1;
    }
    int ready_fd = -1, pid_fd = -1;
    if (!d->opt.interactive && (err = daemonize(&ready_fd))) {
        xcd_log(XCD_ERR, "daemonizing: %s", strerror(err));
        return 1;
    }
    const char *pid_file = d->opt.pid_file ? d->opt.pid_file : d->opt.interactive ? NULL : XCD_DEFAULT_PID_FILE;
    if (pid_file && (pid_fd = write_pid_file(pid_file)) < 0)
        return 1;
    if (d->opt.log_guest || d->opt.log_hv) {
        err = xcd_mkdirs(d->opt.log_dir);
        if (err) {
            xcd_log(XCD_ERR, "cannot create log directory %s: %s", d->opt.log_dir, strerror(err));
            return 1;
        }
    }
    err = d->opt.hosted_dir ? xcd_backend_hosted(&d->be, d->opt.hosted_dir) : xcd_backend_xen(&d->be);
    if (err)
        return 1;
    if (xcd_start(d))
        return 1;
    if (ready_fd >= 0) {
        /* From here on messages go to syslog: the caller's stderr is not ours to keep. */
        xcd_log_setup(false, d->opt.verbose);
        detach_stdio();
        if (write(ready_fd, "1", 1) != 1)
            xcd_log(XCD_WARN, "could not tell the starting process we are up: %s", strerror(errno));
        close(ready_fd);
    }
    int rc = xcd_run(d);
    d->be.close(&d->be);
    if (pid_fd >= 0) {
        unlink(pid_file);
        close(pid_fd);
    }
    return rc;
}
