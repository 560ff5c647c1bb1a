/* SPDX-License-Identifier: MIT */
/* Running scripts from xend (hotplug.h). */
#define _GNU_SOURCE
#include "hotplug.h"
#include "device.h"
#include "xend.h"
#include "xlog.h"
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

const char *hotplug_scripts_dir(void)
{
    const char *d = getenv("XEND_SCRIPTS_DIR");
    return d && *d ? d : XEND_SCRIPTS_DIR;
}

const char *hotplug_log_path(void)
{
    const char *p = getenv("XEND_HOTPLUG_LOG");
    return p && *p ? p : HOTPLUG_LOG;
}

/* The log's directory (/var/log/xen) may not exist yet in a fresh dom0. */
static int open_log(void)
{
    const char *path = hotplug_log_path();

    xlog_make_parent(path);
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* In the child: never returns. */
static void exec_script(char *const argv[], char *const env[], int log_fd)
{
    int null = open("/dev/null", O_RDONLY);

    setpgid(0, 0);
    if (null >= 0)
        dup2(null, 0);
    if (log_fd >= 0) {
        dup2(log_fd, 1);
        dup2(log_fd, 2);
    }
    /* xend ignores SIGPIPE and blocks nothing; the script gets the defaults. */
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    for (size_t i = 0; env && env[i]; i++)
        putenv(env[i]);
    execv(argv[0], argv);
    dprintf(2, "xend: cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int hotplug_run(char *const argv[], char *const env[], double timeout)
{
    int log_fd = open_log();

    if (log_fd < 0)
        xlog_warn("cannot open the hotplug log %s: %s; %s's output is lost", hotplug_log_path(),
                  strerror(errno), argv[0]);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        xlog_error("cannot start %s: fork: %s", argv[0], strerror(e));
        if (log_fd >= 0)
            close(log_fd);
        return -e;
    }
    if (pid == 0)
        exec_script(argv, env, log_fd);
    if (log_fd >= 0)
        close(log_fd);
    /* Also from here: the child may not have run setpgid yet when we kill the group. */
    setpgid(pid, pid);
    double deadline = xend_now() + timeout;
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            int e = errno;
            xlog_error("waiting for %s (pid %d): %s", argv[0], (int)pid, strerror(e));
            return -e;
        }
        if (xend_now() >= deadline) {
            xlog_error("%s %s did not finish within %.0f s; killing it (pid %d).", argv[0],
                       argv[1] ? argv[1] : "", timeout, (int)pid);
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return -ETIMEDOUT;
        }
        sleep_ms(DEV_POLL_MS);
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

void hotplug_network_start(struct xend *x)
{
    const char *value = x->opts.network_script ? x->opts.network_script : "";
    char *words = xstrdup(value);
    char *argv[64];
    size_t n = 0;

    for (char *save = NULL, *w = strtok_r(words, " \t", &save); w && n < 62;
         w = strtok_r(NULL, " \t", &save)) {
        argv[n++] = w;
        if (n == 1)
            argv[n++] = (char *)"start";
        else if (!strncmp(w, "netdev=", 7)) {
            free(x->netdev);
            x->netdev = xstrdup(w + 7);
        }
    }
    argv[n] = NULL;
    if (!n) {
        free(words);
        return;
    }
    char *script = dev_script_path(hotplug_scripts_dir(), argv[0]);
    argv[0] = script;
    const char *rest = value + strspn(value, " \t");
    rest += strcspn(rest, " \t");
    rest += strspn(rest, " \t");
    xlog_info("Running the network script: %s start%s%s", script, *rest ? " " : "", rest);
    int rc = hotplug_run(argv, NULL, (double)x->opts.device_create_timeout);
    if (rc == -ETIMEDOUT)
        xlog_error("The network script %s start did not finish within %ld s; continuing without "
                   "it (see %s).", script, x->opts.device_create_timeout, hotplug_log_path());
    else if (rc != 0)
        xlog_error("The network script %s start failed (exit status %d); continuing (see %s).",
                   script, rc, hotplug_log_path());
    else
        xlog_info("The network script %s start succeeded.", script);
    free(script);
    free(words);
}
