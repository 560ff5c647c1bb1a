/* SPDX-License-Identifier: MIT */
/*
 * What xend does when a domain has shut down: the decision table from the
 * hypervisor's shutdown reason and the domain's on_poweroff / on_reboot /
 * on_crash settings, and xend's guard against restart loops. Pure code.
 *
 * Reasons are Xen's SHUTDOWN_* codes (xen/sched.h): 0 poweroff, 1 reboot,
 * 2 suspend, 3 crash, 4 watchdog, 5 soft_reset. As in xend, a watchdog
 * firing counts as a crash and a soft reset as a reboot; a suspended
 * domain is left alone (Xeno's xend has no save/restore to finish it).
 * coredump-destroy and coredump-restart act as destroy and restart (no
 * core dumps yet); the decision says so, for the log.
 */
#ifndef XEND_DAEMON_LIFECYCLE_H
#define XEND_DAEMON_LIFECYCLE_H

#include <stdbool.h>

#include "../config/xmconfig.h"

enum lc_do {
    LC_DO_NOTHING,          /* suspended, or reason unknown: leave it */
    LC_DO_DESTROY,
    LC_DO_RESTART,
    LC_DO_PRESERVE,         /* keep the shut-down domain for inspection */
    LC_DO_RENAME_RESTART,   /* keep the old one under another name, start a new one */
};

struct lc_decision {
    enum lc_do what;
    const char *reason;     /* "poweroff", "reboot", "suspend", "crash", ... */
    const char *setting;    /* "on_poweroff", "on_reboot", "on_crash"; NULL for nothing */
    enum xm_action action;  /* the configured action that led here */
    bool coredump_skipped;  /* a coredump-* action: no dump was written */
};

struct lc_decision lc_decide(unsigned int shutdown_reason, enum xm_action on_poweroff,
                             enum xm_action on_reboot, enum xm_action on_crash);

/* xend refuses a restart this soon after the previous one (seconds). */
#define LC_MIN_RESTART_INTERVAL 10.0

/*
 * May a domain restart now? previous_restart is the time of its last
 * restart by xend (< 0: never restarted). Fills *since with the seconds
 * since then (or -1).
 */
bool lc_restart_allowed(double now, double previous_restart, double *since);

/* "destroy", "restart", ... for log lines. */
const char *lc_do_name(enum lc_do d);

#endif
