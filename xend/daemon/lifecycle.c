/* SPDX-License-Identifier: MIT */
#include "lifecycle.h"

#include <stddef.h>

static enum lc_do action_to_do(enum xm_action a, bool *coredump)
{
    switch (a) {
    case XM_ACTION_DESTROY:
        return LC_DO_DESTROY;
    case XM_ACTION_RESTART:
        return LC_DO_RESTART;
    case XM_ACTION_PRESERVE:
        return LC_DO_PRESERVE;
    case XM_ACTION_RENAME_RESTART:
        return LC_DO_RENAME_RESTART;
    case XM_ACTION_COREDUMP_DESTROY:
        *coredump = true;
        return LC_DO_DESTROY;
    case XM_ACTION_COREDUMP_RESTART:
        *coredump = true;
        return LC_DO_RESTART;
    }
    return LC_DO_DESTROY;
}

struct lc_decision lc_decide(unsigned int shutdown_reason, enum xm_action on_poweroff,
                             enum xm_action on_reboot, enum xm_action on_crash)
{
    static const char *const names[] = { "poweroff", "reboot", "suspend", "crash", "watchdog",
                                         "soft_reset" };
    struct lc_decision d = { LC_DO_NOTHING, "unknown", NULL, XM_ACTION_DESTROY, false };

    if (shutdown_reason < sizeof(names) / sizeof(names[0]))
        d.reason = names[shutdown_reason];
    switch (shutdown_reason) {
    case 0:
        d.setting = "on_poweroff";
        d.action = on_poweroff;
        break;
    case 1:
    case 5:
        d.setting = "on_reboot";
        d.action = on_reboot;
        break;
    case 3:
    case 4:
        d.setting = "on_crash";
        d.action = on_crash;
        break;
    default:
        return d;
    }
    d.what = action_to_do(d.action, &d.coredump_skipped);
    return d;
}

bool lc_restart_allowed(double now, double previous_restart, double *since)
{
    if (previous_restart < 0) {
        *since = -1;
        return true;
    }
    *since = now - previous_restart;
    return *since >= LC_MIN_RESTART_INTERVAL;
}

const char *lc_do_name(enum lc_do d)
{
    switch (d) {
    case LC_DO_NOTHING:
        return "nothing";
    case LC_DO_DESTROY:
        return "destroy";
    case LC_DO_RESTART:
        return "restart";
    case LC_DO_PRESERVE:
        return "preserve";
    case LC_DO_RENAME_RESTART:
        return "rename-restart";
    }
    return "?";
}
