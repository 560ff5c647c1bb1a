/* SPDX-License-Identifier: MIT */
/*
 * Running /etc/xen/scripts programs from xend: the hotplug scripts of
 * devices (device.c) and xend-config's network-script at start.
 *
 * A script runs as a child of xend (fork + exec, in its own process
 * group so that a timeout kills what it started too), with xend's
 * environment plus the variables given, stdin /dev/null and stdout and
 * stderr appended to the hotplug log (/var/log/xen/xen-hotplug.log).
 * xend waits for it (bounded); the hotplug scripts only talk to xenstored
 * and the kernel, never to xend, so the wait cannot deadlock.
 *
 * Paths for hosted tests: $XEND_SCRIPTS_DIR (default /etc/xen/scripts)
 * and $XEND_HOTPLUG_LOG.
 */
#ifndef XEND_DAEMON_HOTPLUG_H
#define XEND_DAEMON_HOTPLUG_H

#define HOTPLUG_LOG "/var/log/xen/xen-hotplug.log"

struct xend;

const char *hotplug_scripts_dir(void);
const char *hotplug_log_path(void);

/*
 * Run argv[0] (an absolute path) with argv and env (NAME=VALUE strings,
 * NULL-terminated; may be NULL), for at most timeout seconds. Returns its
 * exit status (128 + N if killed by signal N; 127 if it could not be
 * executed, the reason then in the log), -ETIMEDOUT if it had to be
 * killed, or another -errno if it could not be started.
 */
int hotplug_run(char *const argv[], char *const env[], double timeout);

/*
 * xend-config's (network-script NAME VAR=VAL...): run it once with
 * "start" and its arguments ("network-bridge start netdev=eth1"); a
 * failure is logged and xend goes on. Keeps netdev= for the vif scripts'
 * environment (x->netdev).
 */
void hotplug_network_start(struct xend *x);

#endif
