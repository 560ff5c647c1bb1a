// UNIT-SOURCES: dom0-tools/xenconsoled/options.c dom0-tools/xenconsoled/lognames.c
// UNIT-LIBS:
/* SPDX-License-Identifier: MIT */
/*
 * xenconsoled's and xenconsole's command lines (Xen's option names, bad
 * values refused), the console log names (guest-NAME.log, hypervisor.log)
 * and the timestamping of log lines.
 */
#include "unit.h"
#include "../../dom0-tools/xenconsoled/lognames.h"
#include "../../dom0-tools/xenconsoled/options.h"

#include <stdio.h>
#include <string.h>

static char msg[2048];

#define ARGV(...) ((char *[]){ "prog", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "prog", __VA_ARGS__ }) / sizeof(char *)))
#define DPARSE(o, ...) xcd_parse_options(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o, msg, sizeof(msg))
#define CPARSE(o, ...) xcc_parse_options(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o, msg, sizeof(msg))

static void test_daemon_defaults(void)
{
    struct xcd_options o;
    char *argv[] = { "xenconsoled", NULL };
    CU_ASSERT_EQUAL(xcd_parse_options(1, argv, &o, msg, sizeof(msg)), XCD_PARSE_RUN);
    CU_ASSERT_TRUE(o.log_guest);
    CU_ASSERT_FALSE(o.log_hv);
    CU_ASSERT_FALSE(o.stamp_guest || o.stamp_hv || o.interactive || o.verbose);
    CU_ASSERT_STRING_EQUAL(o.log_dir, "/var/log/xen/console");
    CU_ASSERT_PTR_NULL(o.pid_file);
    CU_ASSERT_PTR_NULL(o.hosted_dir);
}

static void test_daemon_options(void)
{
    struct xcd_options o;
    CU_ASSERT_EQUAL(DPARSE(&o, "-i", "-v", "--log=all", "--log-dir=/tmp/l", "--pid-file=/run/x.pid",
                           "--timestamp=guest", "--hosted=/tmp/h"),
                    XCD_PARSE_RUN);
    CU_ASSERT_TRUE(o.interactive && o.verbose && o.log_guest && o.log_hv && o.stamp_guest);
    CU_ASSERT_FALSE(o.stamp_hv);
    CU_ASSERT_STRING_EQUAL(o.log_dir, "/tmp/l");
    CU_ASSERT_STRING_EQUAL(o.pid_file, "/run/x.pid");
    CU_ASSERT_STRING_EQUAL(o.hosted_dir, "/tmp/h");
    /* Separate-word values, the short forms, and the last word winning. */
    CU_ASSERT_EQUAL(DPARSE(&o, "--log", "hv", "-t", "all", "--interactive", "--verbose", "--log", "none"),
                    XCD_PARSE_RUN);
    CU_ASSERT_FALSE(o.log_guest || o.log_hv);
    CU_ASSERT_TRUE(o.stamp_guest && o.stamp_hv && o.interactive && o.verbose);
    CU_ASSERT_EQUAL(DPARSE(&o, "--log=hv", "--timestamp=hv"), XCD_PARSE_RUN);
    CU_ASSERT_TRUE(o.log_hv && !o.log_guest && o.stamp_hv && !o.stamp_guest);
}

static void test_daemon_errors(void)
{
    struct xcd_options o;
    CU_ASSERT_EQUAL(DPARSE(&o, "--log=everything"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "invalid --log value 'everything'"));
    CU_ASSERT_EQUAL(DPARSE(&o, "--timestamp=yes"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "--timestamp"));
    CU_ASSERT_EQUAL(DPARSE(&o, "--bogus"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "unknown option '--bogus'"));
    CU_ASSERT_EQUAL(DPARSE(&o, "--log-dir"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "needs a value"));
    CU_ASSERT_EQUAL(DPARSE(&o, "--log-dir="), XCD_PARSE_ERROR);
    CU_ASSERT_EQUAL(DPARSE(&o, "extra"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "unexpected argument 'extra'"));
    CU_ASSERT_EQUAL(DPARSE(&o, "-x"), XCD_PARSE_ERROR);
}

static void test_daemon_help(void)
{
    struct xcd_options o;
    CU_ASSERT_EQUAL(DPARSE(&o, "--help"), XCD_PARSE_EXIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "--log=none|guest|hv|all"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "--pid-file=PATH"));
    CU_ASSERT_EQUAL(DPARSE(&o, "-V"), XCD_PARSE_EXIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "Xen Console Daemon"));
}

static void test_client(void)
{
    struct xcc_options o;
    char path[96];
    /* How xm console runs it. */
    CU_ASSERT_EQUAL(CPARSE(&o, "7", "--num", "0"), XCD_PARSE_RUN);
    CU_ASSERT_EQUAL(o.domid, 7u);
    CU_ASSERT_EQUAL(o.num, 0u);
    CU_ASSERT_EQUAL(o.timeout_s, 10u);
    CU_ASSERT_EQUAL(o.escape, 0x1d);
    CU_ASSERT_EQUAL(xcc_tty_path(&o, path, sizeof(path)), 0);
    CU_ASSERT_STRING_EQUAL(path, "/local/domain/7/console/tty");
    CU_ASSERT_EQUAL(CPARSE(&o, "--type", "pv", "-n", "2", "--timeout", "3", "--escape", "^A", "12"),
                    XCD_PARSE_RUN);
    CU_ASSERT_EQUAL(o.domid, 12u);
    CU_ASSERT_EQUAL(o.timeout_s, 3u);
    CU_ASSERT_EQUAL(o.escape, 1);
    CU_ASSERT_EQUAL(xcc_tty_path(&o, path, sizeof(path)), 0);
    CU_ASSERT_STRING_EQUAL(path, "/local/domain/12/device/console/2/tty");
    CU_ASSERT_EQUAL(CPARSE(&o, "--escape", "q", "3"), XCD_PARSE_RUN);
    CU_ASSERT_EQUAL(o.escape, 'q');
    CU_ASSERT_EQUAL(CPARSE(&o, "-h"), XCD_PARSE_EXIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "Usage: xenconsole [OPTION] DOMID"));
}

static void test_client_errors(void)
{
    struct xcc_options o;
    char *none[] = { "xenconsole", NULL };
    CU_ASSERT_EQUAL(xcc_parse_options(1, none, &o, msg, sizeof(msg)), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "DOMID should be specified"));
    CU_ASSERT_EQUAL(CPARSE(&o, "0"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "Can't specify Domain-0"));
    CU_ASSERT_EQUAL(CPARSE(&o, "7x"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "invalid DOMID `7x'"));
    CU_ASSERT_EQUAL(CPARSE(&o, "-3"), XCD_PARSE_ERROR);
    CU_ASSERT_EQUAL(CPARSE(&o, "32752"), XCD_PARSE_ERROR);     /* DOMID_FIRST_RESERVED */
    CU_ASSERT_EQUAL(CPARSE(&o, "32751"), XCD_PARSE_RUN);
    CU_ASSERT_EQUAL(CPARSE(&o, "--type", "serial", "1"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "Console types supported are: pv"));
    CU_ASSERT_EQUAL(CPARSE(&o, "--num", "x", "1"), XCD_PARSE_ERROR);
    CU_ASSERT_EQUAL(CPARSE(&o, "--escape", "ab", "1"), XCD_PARSE_ERROR);
    CU_ASSERT_EQUAL(CPARSE(&o, "--timeout", "9999", "1"), XCD_PARSE_ERROR);
    CU_ASSERT_EQUAL(CPARSE(&o, "1", "2"), XCD_PARSE_ERROR);
    CU_ASSERT_EQUAL(CPARSE(&o, "--num"), XCD_PARSE_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "needs a value"));
}

static void test_log_names(void)
{
    char p[64];
    CU_ASSERT_EQUAL(xcd_guest_log_path(p, sizeof(p), "/var/log/xen/console", "demo", 3), 0);
    CU_ASSERT_STRING_EQUAL(p, "/var/log/xen/console/guest-demo.log");
    CU_ASSERT_EQUAL(xcd_guest_log_path(p, sizeof(p), "/l", "a/../../etc/x", 3), 0);
    CU_ASSERT_STRING_EQUAL(p, "/l/guest-a_.._.._etc_x.log");
    CU_ASSERT_EQUAL(xcd_guest_log_path(p, sizeof(p), "/l", NULL, 4), 0);
    CU_ASSERT_STRING_EQUAL(p, "/l/guest-dom4.log");
    CU_ASSERT_EQUAL(xcd_guest_log_path(p, sizeof(p), "/l", "..", 5), 0);
    CU_ASSERT_STRING_EQUAL(p, "/l/guest-dom5.log");
    CU_ASSERT_EQUAL(xcd_guest_log_path(p, sizeof(p), "/l", "", 6), 0);
    CU_ASSERT_STRING_EQUAL(p, "/l/guest-dom6.log");
    CU_ASSERT_EQUAL(xcd_guest_log_path(p, 16, "/l", "a-long-domain-name", 6), -1);
    CU_ASSERT_EQUAL(xcd_hv_log_path(p, sizeof(p), "/var/log/xen/console"), 0);
    CU_ASSERT_STRING_EQUAL(p, "/var/log/xen/console/hypervisor.log");
}

static char sunk[512];
static int sink(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    strncat(sunk, p, n);
    return 0;
}

static int failing_sink(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return 28;  /* ENOSPC */
}

static void test_stamping(void)
{
    struct xcd_stamper s;
    xcd_stamper_init(&s);
    sunk[0] = 0;
    /* Lines split across writes get one stamp; \r right after \n is dropped (Xen). */
    CU_ASSERT_EQUAL(xcd_stamp(&s, "[T] ", "boot", 4, sink, NULL), 0);
    CU_ASSERT_EQUAL(xcd_stamp(&s, "[T] ", "ing\n\rlogin: ", 12, sink, NULL), 0);
    CU_ASSERT_EQUAL(xcd_stamp(&s, "[U] ", "root\r\n", 6, sink, NULL), 0);
    CU_ASSERT_EQUAL(xcd_stamp(&s, "[V] ", "\n\n", 2, sink, NULL), 0);
    CU_ASSERT_STRING_EQUAL(sunk, "[T] booting\n[T] login: root\r\n[V] \n[V] \n");
    CU_ASSERT_TRUE(s.at_line_start);
    CU_ASSERT_EQUAL(xcd_stamp(&s, "[W] ", "", 0, sink, NULL), 0);
    CU_ASSERT_EQUAL(xcd_stamp(&s, "[W] ", "x", 1, failing_sink, NULL), 28);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "xenconsoled defaults", test_daemon_defaults },
        { "xenconsoled options", test_daemon_options },
        { "xenconsoled bad options", test_daemon_errors },
        { "xenconsoled help and version", test_daemon_help },
        { "xenconsole options", test_client },
        { "xenconsole bad options", test_client_errors },
        { "log names", test_log_names },
        { "log line stamps", test_stamping },
        { NULL, NULL },
    };
    unit_add_suite("xenconsoled options and logs", cases);
}
