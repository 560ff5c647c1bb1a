// UNIT-SOURCES: xend/daemon/lifecycle.c
// UNIT-LIBS:
/* SPDX-License-Identifier: MIT */
/* xend's shutdown decision table and its restart-loop guard (xend/daemon/lifecycle.h). */
#include "unit.h"
#include "../../xend/daemon/lifecycle.h"

#include <stdio.h>
#include <string.h>

#define POWEROFF 0
#define REBOOT 1
#define SUSPEND 2
#define CRASH 3
#define WATCHDOG 4
#define SOFT_RESET 5

static void test_table(void)
{
    static const struct {
        unsigned int reason;
        enum xm_action po, rb, cr;
        enum lc_do want;
        const char *setting;
        bool coredump;
    } rows[] = {
        /* each reason picks its own setting, whatever the others say */
        { POWEROFF, XM_ACTION_DESTROY, XM_ACTION_RESTART, XM_ACTION_RESTART, LC_DO_DESTROY, "on_poweroff", false },
        { POWEROFF, XM_ACTION_RESTART, XM_ACTION_DESTROY, XM_ACTION_DESTROY, LC_DO_RESTART, "on_poweroff", false },
        { POWEROFF, XM_ACTION_PRESERVE, XM_ACTION_DESTROY, XM_ACTION_DESTROY, LC_DO_PRESERVE, "on_poweroff", false },
        { REBOOT, XM_ACTION_DESTROY, XM_ACTION_RESTART, XM_ACTION_DESTROY, LC_DO_RESTART, "on_reboot", false },
        { REBOOT, XM_ACTION_RESTART, XM_ACTION_DESTROY, XM_ACTION_RESTART, LC_DO_DESTROY, "on_reboot", false },
        { REBOOT, XM_ACTION_DESTROY, XM_ACTION_RENAME_RESTART, XM_ACTION_DESTROY, LC_DO_RENAME_RESTART, "on_reboot", false },
        { CRASH, XM_ACTION_RESTART, XM_ACTION_RESTART, XM_ACTION_DESTROY, LC_DO_DESTROY, "on_crash", false },
        { CRASH, XM_ACTION_DESTROY, XM_ACTION_DESTROY, XM_ACTION_RESTART, LC_DO_RESTART, "on_crash", false },
        { CRASH, XM_ACTION_DESTROY, XM_ACTION_DESTROY, XM_ACTION_PRESERVE, LC_DO_PRESERVE, "on_crash", false },
        { CRASH, XM_ACTION_DESTROY, XM_ACTION_DESTROY, XM_ACTION_RENAME_RESTART, LC_DO_RENAME_RESTART, "on_crash", false },
        /* no core dumps: act as the other half says, and say so */
        { CRASH, XM_ACTION_RESTART, XM_ACTION_RESTART, XM_ACTION_COREDUMP_DESTROY, LC_DO_DESTROY, "on_crash", true },
        { CRASH, XM_ACTION_DESTROY, XM_ACTION_DESTROY, XM_ACTION_COREDUMP_RESTART, LC_DO_RESTART, "on_crash", true },
        /* a watchdog is a crash; a soft reset is a reboot */
        { WATCHDOG, XM_ACTION_DESTROY, XM_ACTION_DESTROY, XM_ACTION_RESTART, LC_DO_RESTART, "on_crash", false },
        { SOFT_RESET, XM_ACTION_DESTROY, XM_ACTION_RESTART, XM_ACTION_DESTROY, LC_DO_RESTART, "on_reboot", false },
        /* suspended or unknown: leave it */
        { SUSPEND, XM_ACTION_RESTART, XM_ACTION_RESTART, XM_ACTION_RESTART, LC_DO_NOTHING, NULL, false },
        { 77, XM_ACTION_RESTART, XM_ACTION_RESTART, XM_ACTION_RESTART, LC_DO_NOTHING, NULL, false },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct lc_decision d = lc_decide(rows[i].reason, rows[i].po, rows[i].rb, rows[i].cr);
        CU_ASSERT_EQUAL(d.what, rows[i].want);
        CU_ASSERT_EQUAL(d.coredump_skipped, rows[i].coredump);
        if (rows[i].setting) {
            CU_ASSERT_STRING_EQUAL(d.setting, rows[i].setting);
        } else {
            CU_ASSERT_PTR_NULL(d.setting);
        }
        if (d.what != rows[i].want)
            printf("\nrow %zu: got %s, want %s\n", i, lc_do_name(d.what), lc_do_name(rows[i].want));
    }
}

static void test_reason_names(void)
{
    CU_ASSERT_STRING_EQUAL(lc_decide(POWEROFF, 0, 0, 0).reason, "poweroff");
    CU_ASSERT_STRING_EQUAL(lc_decide(REBOOT, 0, 0, 0).reason, "reboot");
    CU_ASSERT_STRING_EQUAL(lc_decide(CRASH, 0, 0, 0).reason, "crash");
    CU_ASSERT_STRING_EQUAL(lc_decide(WATCHDOG, 0, 0, 0).reason, "watchdog");
    CU_ASSERT_STRING_EQUAL(lc_decide(1000, 0, 0, 0).reason, "unknown");
    CU_ASSERT_STRING_EQUAL(lc_do_name(LC_DO_RENAME_RESTART), "rename-restart");
}

static void test_guard(void)
{
    double since;

    /* never restarted: allowed, nothing to measure */
    CU_ASSERT_TRUE(lc_restart_allowed(1000.0, -1, &since));
    CU_ASSERT_EQUAL(since, -1);
    /* just restarted: refused, with the time since */
    CU_ASSERT_FALSE(lc_restart_allowed(1000.0, 995.5, &since));
    CU_ASSERT_DOUBLE_EQUAL(since, 4.5, 1e-9);
    /* the boundary: exactly the interval is enough */
    CU_ASSERT_TRUE(lc_restart_allowed(1000.0, 1000.0 - LC_MIN_RESTART_INTERVAL, &since));
    CU_ASSERT_FALSE(lc_restart_allowed(1000.0, 1000.0 - LC_MIN_RESTART_INTERVAL + 0.01, &since));
    CU_ASSERT_TRUE(lc_restart_allowed(5000.0, 1000.0, &since));
    CU_ASSERT_DOUBLE_EQUAL(since, 4000.0, 1e-9);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "decision table", test_table },
        { "reason names", test_reason_names },
        { "restart-loop guard", test_guard },
        { NULL, NULL },
    };
    unit_add_suite("xend lifecycle", cases);
}
