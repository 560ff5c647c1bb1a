// UNIT-SOURCES: hypervisor/common/cmdline.c
/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "xeno/param.h"
#include "xeno/errno.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The registration macros must compile at file scope in a hosted build. */
static bool reg_bool;
static unsigned long reg_uint;
static uint64_t reg_size;
static char reg_str[8];
static int reg_custom(const char *v) { (void)v; return 0; }
boolean_param("reg-bool", reg_bool);
integer_param("reg-uint", reg_uint);
size_param("reg-size", reg_size);
string_param("reg-str", reg_str);
custom_param("reg-custom", reg_custom);
custom_param("reg-custom-alias", reg_custom);

/* Variables behind the local table; reset before each test. */
static bool b_noreboot, b_sync;
static unsigned long u_vcpus;
static uint64_t s_mem;
static char str_console[8];
static char str_big[64];

#define MAX_CALLS 8
static int custom_calls;
static char custom_vals[MAX_CALLS][300];
static bool custom_null[MAX_CALLS];
static int custom_rc;

static int custom_fn(const char *v)
{
    if (custom_calls < MAX_CALLS) {
        custom_null[custom_calls] = v == NULL;
        snprintf(custom_vals[custom_calls], sizeof(custom_vals[0]), "%s", v ? v : "");
    }
    custom_calls++;
    return custom_rc;
}

static const struct kernel_param table[] = {
    { .name = "noreboot", .type = PARAM_BOOL, .var = &b_noreboot },
    { .name = "sync_console", .type = PARAM_BOOL, .var = &b_sync },
    { .name = "dom0_max_vcpus", .type = PARAM_UINT, .var = &u_vcpus },
    { .name = "xenheap-megabytes", .type = PARAM_SIZE, .var = &s_mem },
    { .name = "console", .type = PARAM_STRING, .var = str_console, .len = sizeof(str_console) },
    { .name = "big", .type = PARAM_STRING, .var = str_big, .len = sizeof(str_big) },
    { .name = "iommu", .type = PARAM_CUSTOM, .custom = custom_fn },
};
#define TSTART (&table[0])
#define TEND (&table[ARRAY_SIZE(table)])

struct report { enum cmdline_issue what; char name[64]; char value[64]; bool has_value; };
static struct report reports[16];
static int nr_reports;

static void record(void *ctx, enum cmdline_issue what, const char *name, size_t name_len,
                   const char *value, size_t value_len)
{
    CU_ASSERT_PTR_EQUAL(ctx, &nr_reports);
    if (nr_reports < (int)ARRAY_SIZE(reports)) {
        struct report *r = &reports[nr_reports];
        r->what = what;
        snprintf(r->name, sizeof(r->name), "%.*s", (int)name_len, name);
        r->has_value = value != NULL;
        snprintf(r->value, sizeof(r->value), "%.*s", (int)(value ? value_len : 0), value ? value : "");
    }
    nr_reports++;
}

static void reset(void)
{
    b_noreboot = false;
    b_sync = false;
    u_vcpus = 7;
    s_mem = 7;
    strcpy(str_console, "vga");
    strcpy(str_big, "orig");
    custom_calls = 0;
    custom_rc = 0;
    nr_reports = 0;
    memset(reports, 0, sizeof(reports));
}

static int parse(const char *s)
{
    return cmdline_parse(s, TSTART, TEND, record, &nr_reports, NULL);
}

static void test_parse_bool(void)
{
    static const char *const yes[] = { "1", "yes", "true", "on", "enable" };
    static const char *const no[] = { "0", "no", "false", "off", "disable" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
        CU_ASSERT_EQUAL(parse_bool(yes[i], strlen(yes[i])), 1);
    for (size_t i = 0; i < ARRAY_SIZE(no); i++)
        CU_ASSERT_EQUAL(parse_bool(no[i], strlen(no[i])), 0);
    CU_ASSERT_EQUAL(parse_bool("maybe", 5), -EINVAL);
    CU_ASSERT_EQUAL(parse_bool("", 0), -EINVAL);
    CU_ASSERT_EQUAL(parse_bool("YES", 3), -EINVAL);     /* case-sensitive, as Xen */
    CU_ASSERT_EQUAL(parse_bool("yesx", 4), -EINVAL);
    CU_ASSERT_EQUAL(parse_bool("yesx", 3), 1);          /* only len chars count */
    CU_ASSERT_EQUAL(parse_bool("on", 1), -EINVAL);
}

static void test_parse_ulong(void)
{
    unsigned long v = 42;
    const char *end;

    CU_ASSERT_EQUAL(parse_ulong("123", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 123);
    CU_ASSERT_EQUAL(parse_ulong("0x1F", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 31);
    CU_ASSERT_EQUAL(parse_ulong("0X1f", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 31);
    CU_ASSERT_EQUAL(parse_ulong("017", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 15);
    CU_ASSERT_EQUAL(parse_ulong("0", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 0);
    CU_ASSERT_EQUAL(parse_ulong("18446744073709551615", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 18446744073709551615ul);
    CU_ASSERT_EQUAL(parse_ulong("0xffffffffffffffff", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 0xfffffffffffffffful);

    v = 42;
    CU_ASSERT_EQUAL(parse_ulong("18446744073709551616", NULL, &v), -ERANGE);
    CU_ASSERT_EQUAL(parse_ulong("0x10000000000000000", NULL, &v), -ERANGE);
    CU_ASSERT_EQUAL(parse_ulong("99999999999999999999999999999", &end, &v), -ERANGE);
    CU_ASSERT_EQUAL(*end, '\0');
    CU_ASSERT_EQUAL(parse_ulong("", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_ulong("abc", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_ulong("-1", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_ulong("+1", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_ulong(" 1", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_ulong("12abc", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_ulong("08", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_ulong("0x", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(v, 42);

    CU_ASSERT_EQUAL(parse_ulong("12abc", &end, &v), 0);
    CU_ASSERT_EQUAL(v, 12);
    CU_ASSERT_STRING_EQUAL(end, "abc");
    CU_ASSERT_EQUAL(parse_ulong("0x", &end, &v), 0);   /* strtoul: "0" then "x" */
    CU_ASSERT_EQUAL(v, 0);
    CU_ASSERT_STRING_EQUAL(end, "x");
    CU_ASSERT_EQUAL(parse_ulong("0xg", &end, &v), 0);
    CU_ASSERT_STRING_EQUAL(end, "xg");
    CU_ASSERT_EQUAL(parse_ulong("089", &end, &v), 0);
    CU_ASSERT_EQUAL(v, 0);
    CU_ASSERT_STRING_EQUAL(end, "89");
}

static void test_parse_size(void)
{
    uint64_t v = 42;
    const char *end;

    CU_ASSERT_EQUAL(parse_size("1", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 1024);                    /* no suffix: KiB, as Xen */
    CU_ASSERT_EQUAL(parse_size("4096b", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 4096);
    CU_ASSERT_EQUAL(parse_size("4096B", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 4096);
    CU_ASSERT_EQUAL(parse_size("2k", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 2048);
    CU_ASSERT_EQUAL(parse_size("2K", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 2048);
    CU_ASSERT_EQUAL(parse_size("16M", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 16ull << 20);
    CU_ASSERT_EQUAL(parse_size("16m", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 16ull << 20);
    CU_ASSERT_EQUAL(parse_size("3G", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 3ull << 30);
    CU_ASSERT_EQUAL(parse_size("3g", NULL, &v), 0);
    CU_ASSERT_EQUAL(parse_size("2T", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 2ull << 40);
    CU_ASSERT_EQUAL(parse_size("2t", NULL, &v), 0);
    CU_ASSERT_EQUAL(parse_size("0x10M", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 16ull << 20);
    CU_ASSERT_EQUAL(parse_size("0", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 0);
    CU_ASSERT_EQUAL(parse_size("16777215T", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, 16777215ull << 40);
    CU_ASSERT_EQUAL(parse_size("18446744073709551615B", NULL, &v), 0);
    CU_ASSERT_EQUAL(v, UINT64_MAX);

    v = 42;
    CU_ASSERT_EQUAL(parse_size("16777216T", NULL, &v), -ERANGE);
    CU_ASSERT_EQUAL(parse_size("18014398509481984", NULL, &v), -ERANGE);   /* 2^54 KiB */
    CU_ASSERT_EQUAL(parse_size("18446744073709551616B", NULL, &v), -ERANGE);
    CU_ASSERT_EQUAL(parse_size("", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_size("M", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_size("-1M", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_size("1X", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(parse_size("1MB", NULL, &v), -EINVAL);
    CU_ASSERT_EQUAL(v, 42);

    CU_ASSERT_EQUAL(parse_size("1G+10%", &end, &v), 0);
    CU_ASSERT_EQUAL(v, 1ull << 30);
    CU_ASSERT_STRING_EQUAL(end, "+10%");
    CU_ASSERT_EQUAL(parse_size("10%", &end, &v), 0);
    CU_ASSERT_EQUAL(v, 10ull << 10);
    CU_ASSERT_STRING_EQUAL(end, "%");
}

static void test_bool_forms(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("noreboot"), 0);
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(parse("no-noreboot"), 0);
    CU_ASSERT_FALSE(b_noreboot);
    CU_ASSERT_EQUAL(parse("noreboot="), 0);          /* Xen: empty means true */
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(parse("no_noreboot"), 0);
    CU_ASSERT_FALSE(b_noreboot);

    static const char *const yes[] = { "1", "yes", "true", "on", "enable" };
    static const char *const no[] = { "0", "no", "false", "off", "disable" };
    char buf[64];
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        b_noreboot = false;
        snprintf(buf, sizeof(buf), "noreboot=%s", yes[i]);
        CU_ASSERT_EQUAL(parse(buf), 0);
        CU_ASSERT_TRUE(b_noreboot);
        snprintf(buf, sizeof(buf), "noreboot=%s", no[i]);
        CU_ASSERT_EQUAL(parse(buf), 0);
        CU_ASSERT_FALSE(b_noreboot);
    }
    CU_ASSERT_EQUAL(nr_reports, 0);
}

static void test_bool_bad(void)
{
    reset();
    b_noreboot = true;
    CU_ASSERT_EQUAL(parse("noreboot=maybe"), 1);
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(nr_reports, 1);
    CU_ASSERT_EQUAL(reports[0].what, CMDLINE_BAD_VALUE);
    CU_ASSERT_STRING_EQUAL(reports[0].name, "noreboot");
    CU_ASSERT_STRING_EQUAL(reports[0].value, "maybe");

    CU_ASSERT_EQUAL(parse("no-noreboot=1"), 1);
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(parse("no-noreboot="), 1);
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(parse("noreboot=YES noreboot=1x"), 2);
    CU_ASSERT_TRUE(b_noreboot);
}

static void test_uint(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=4"), 0);
    CU_ASSERT_EQUAL(u_vcpus, 4);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=0x10"), 0);
    CU_ASSERT_EQUAL(u_vcpus, 16);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=010"), 0);
    CU_ASSERT_EQUAL(u_vcpus, 8);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=\"12\""), 0);
    CU_ASSERT_EQUAL(u_vcpus, 12);

    u_vcpus = 3;
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=abc"), 1);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus="), 1);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus"), 1);
    CU_ASSERT_EQUAL(parse("no-dom0_max_vcpus"), 1);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=-1"), 1);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=4x"), 1);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=99999999999999999999999"), 1);
    CU_ASSERT_EQUAL(u_vcpus, 3);
    CU_ASSERT_EQUAL(nr_reports, 7);
    for (int i = 0; i < 7; i++)
        CU_ASSERT_EQUAL(reports[i].what, CMDLINE_BAD_VALUE);
    CU_ASSERT_FALSE(reports[2].has_value);
    CU_ASSERT_TRUE(reports[1].has_value);
    CU_ASSERT_STRING_EQUAL(reports[1].value, "");
}

static void test_size(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("xenheap-megabytes=16M"), 0);
    CU_ASSERT_EQUAL(s_mem, 16ull << 20);
    CU_ASSERT_EQUAL(parse("xenheap-megabytes=64"), 0);
    CU_ASSERT_EQUAL(s_mem, 64ull << 10);
    CU_ASSERT_EQUAL(parse("xenheap-megabytes=1t"), 0);
    CU_ASSERT_EQUAL(s_mem, 1ull << 40);

    CU_ASSERT_EQUAL(parse("xenheap-megabytes=16777216T"), 1);  /* overflow */
    CU_ASSERT_EQUAL(parse("xenheap-megabytes=16Q"), 1);
    CU_ASSERT_EQUAL(parse("xenheap-megabytes"), 1);
    CU_ASSERT_EQUAL(s_mem, 1ull << 40);
}

static void test_string(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("console=com1"), 0);
    CU_ASSERT_STRING_EQUAL(str_console, "com1");
    CU_ASSERT_EQUAL(parse("console=1234567"), 0);            /* exactly fits 8 */
    CU_ASSERT_STRING_EQUAL(str_console, "1234567");
    CU_ASSERT_EQUAL(parse("console=12345678"), 1);           /* one too long */
    CU_ASSERT_STRING_EQUAL(str_console, "1234567");
    CU_ASSERT_EQUAL(parse("console=\"12345678\""), 1);
    CU_ASSERT_STRING_EQUAL(str_console, "1234567");
    CU_ASSERT_EQUAL(parse("console=\"1234567\""), 0);        /* quotes don't count */
    CU_ASSERT_STRING_EQUAL(str_console, "1234567");
    CU_ASSERT_EQUAL(parse("console="), 0);
    CU_ASSERT_STRING_EQUAL(str_console, "");
    strcpy(str_console, "x");
    CU_ASSERT_EQUAL(parse("console"), 0);
    CU_ASSERT_STRING_EQUAL(str_console, "");
    strcpy(str_console, "x");
    CU_ASSERT_EQUAL(parse("no-console"), 1);
    CU_ASSERT_STRING_EQUAL(str_console, "x");
    CU_ASSERT_EQUAL(parse("console=a=b"), 0);                /* only the first '=' splits */
    CU_ASSERT_STRING_EQUAL(str_console, "a=b");
}

static void test_quoting(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("big=\"a b  c\" noreboot"), 0);
    CU_ASSERT_STRING_EQUAL(str_big, "a b  c");
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(parse("\"big=x y\" sync_console"), 0);
    CU_ASSERT_STRING_EQUAL(str_big, "x y");
    CU_ASSERT_TRUE(b_sync);
    CU_ASSERT_EQUAL(parse("big=pre\"mid dle\"post"), 0);
    CU_ASSERT_STRING_EQUAL(str_big, "premid dlepost");
    CU_ASSERT_EQUAL(parse("big=\"\""), 0);
    CU_ASSERT_STRING_EQUAL(str_big, "");
    CU_ASSERT_EQUAL(parse("big=\"-- not a separator\""), 0);
    CU_ASSERT_STRING_EQUAL(str_big, "-- not a separator");

    /* An unterminated quote swallows the rest of the line. */
    b_sync = false;
    CU_ASSERT_EQUAL(parse("big=\"open sync_console"), 0);
    CU_ASSERT_STRING_EQUAL(str_big, "open sync_console");
    CU_ASSERT_FALSE(b_sync);

    /* Quotes alone make an empty token, which is ignored. */
    CU_ASSERT_EQUAL(parse("\"\" \"\"\"\""), 0);
    CU_ASSERT_EQUAL(nr_reports, 0);

    /* Quoted value handed to a custom handler without quotes. */
    CU_ASSERT_EQUAL(parse("iommu=\"a, b\""), 0);
    CU_ASSERT_EQUAL(custom_calls, 1);
    CU_ASSERT_STRING_EQUAL(custom_vals[0], "a, b");
}

static void test_custom(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("iommu=on,verbose iommu iommu= no-iommu"), 0);
    CU_ASSERT_EQUAL(custom_calls, 4);
    CU_ASSERT_STRING_EQUAL(custom_vals[0], "on,verbose");
    CU_ASSERT_FALSE(custom_null[0]);
    CU_ASSERT_TRUE(custom_null[1]);
    CU_ASSERT_FALSE(custom_null[2]);
    CU_ASSERT_STRING_EQUAL(custom_vals[2], "");
    CU_ASSERT_FALSE(custom_null[3]);
    CU_ASSERT_STRING_EQUAL(custom_vals[3], "no");

    reset();
    CU_ASSERT_EQUAL(parse("no-iommu=1"), 1);
    CU_ASSERT_EQUAL(custom_calls, 0);
    custom_rc = -EINVAL;
    CU_ASSERT_EQUAL(parse("iommu=bogus noreboot"), 1);
    CU_ASSERT_EQUAL(custom_calls, 1);
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(reports[1].what, CMDLINE_BAD_VALUE);
    CU_ASSERT_STRING_EQUAL(reports[1].name, "iommu");
    CU_ASSERT_STRING_EQUAL(reports[1].value, "bogus");
}

static void test_dash_underscore(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("dom0-max-vcpus=2 sync-console xenheap_megabytes=1M"), 0);
    CU_ASSERT_EQUAL(u_vcpus, 2);
    CU_ASSERT_TRUE(b_sync);
    CU_ASSERT_EQUAL(s_mem, 1ull << 20);
    CU_ASSERT_EQUAL(parse("dom0_max-vcpus=3 no_sync-console"), 0);
    CU_ASSERT_EQUAL(u_vcpus, 3);
    CU_ASSERT_FALSE(b_sync);
    CU_ASSERT_EQUAL(nr_reports, 0);
    /* Case still matters. */
    CU_ASSERT_EQUAL(parse("NoReboot"), 0);
    CU_ASSERT_EQUAL(nr_reports, 1);
    CU_ASSERT_EQUAL(reports[0].what, CMDLINE_UNKNOWN);
}

static void test_separator(void)
{
    const char *rest = (const char *)1;

    reset();
    CU_ASSERT_EQUAL(cmdline_parse("noreboot -- console=hvc0 dom0_max_vcpus=9", TSTART, TEND,
                                  record, &nr_reports, &rest), 0);
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
    CU_ASSERT_STRING_EQUAL(rest, "console=hvc0 dom0_max_vcpus=9");
    CU_ASSERT_STRING_EQUAL(str_console, "vga");
    CU_ASSERT_EQUAL(u_vcpus, 7);

    CU_ASSERT_EQUAL(cmdline_parse("noreboot --", TSTART, TEND, record, &nr_reports, &rest), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
    CU_ASSERT_STRING_EQUAL(rest, "");
    CU_ASSERT_EQUAL(cmdline_parse("--   x  y", TSTART, TEND, record, &nr_reports, &rest), 0);
    CU_ASSERT_STRING_EQUAL(rest, "x  y");

    CU_ASSERT_EQUAL(cmdline_parse("noreboot", TSTART, TEND, record, &nr_reports, &rest), 0);
    CU_ASSERT_PTR_NULL(rest);
    CU_ASSERT_EQUAL(nr_reports, 0);

    /* Not standalone: these are (unknown) options. */
    CU_ASSERT_EQUAL(cmdline_parse("a--b --x \"--\" ---", TSTART, TEND, record, &nr_reports, &rest), 0);
    CU_ASSERT_PTR_NULL(rest);
    CU_ASSERT_EQUAL(nr_reports, 4);

    /* rest == NULL is allowed; parsing still stops. */
    reset();
    CU_ASSERT_EQUAL(cmdline_parse("-- noreboot", TSTART, TEND, NULL, NULL, NULL), 0);
    CU_ASSERT_FALSE(b_noreboot);
}

static void test_unknown(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("frobnicate=3 no-such noreboot =x"), 0);
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(nr_reports, 3);
    CU_ASSERT_EQUAL(reports[0].what, CMDLINE_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(reports[0].name, "frobnicate");
    CU_ASSERT_STRING_EQUAL(reports[0].value, "3");
    CU_ASSERT_STRING_EQUAL(reports[1].name, "no-such");
    CU_ASSERT_FALSE(reports[1].has_value);
    CU_ASSERT_STRING_EQUAL(reports[2].name, "");
    CU_ASSERT_STRING_EQUAL(reports[2].value, "x");
    /* Prefix or extension of a known name does not match. */
    CU_ASSERT_EQUAL(parse("norebootx norebo"), 0);
    CU_ASSERT_EQUAL(nr_reports, 5);
    /* No report callback: unknown and bad options are still handled. */
    CU_ASSERT_EQUAL(cmdline_parse("bogus noreboot=maybe", TSTART, TEND, NULL, NULL, NULL), 1);
}

static void test_last_wins_and_spacing(void)
{
    reset();
    CU_ASSERT_EQUAL(parse("  dom0_max_vcpus=1\tdom0_max_vcpus=2\n dom0_max_vcpus=3\r\n"), 0);
    CU_ASSERT_EQUAL(u_vcpus, 3);
    CU_ASSERT_EQUAL(parse("dom0_max_vcpus=5 dom0_max_vcpus=bad"), 1);
    CU_ASSERT_EQUAL(u_vcpus, 5);
    CU_ASSERT_EQUAL(parse("noreboot no-noreboot noreboot"), 0);
    CU_ASSERT_TRUE(b_noreboot);
}

static void test_empty(void)
{
    const char *rest = (const char *)1;

    reset();
    CU_ASSERT_EQUAL(cmdline_parse("", TSTART, TEND, record, &nr_reports, &rest), 0);
    CU_ASSERT_PTR_NULL(rest);
    CU_ASSERT_EQUAL(cmdline_parse(NULL, TSTART, TEND, record, &nr_reports, &rest), 0);
    CU_ASSERT_EQUAL(cmdline_parse("   \t ", TSTART, TEND, record, &nr_reports, &rest), 0);
    CU_ASSERT_EQUAL(cmdline_parse("noreboot", TSTART, TSTART, record, &nr_reports, &rest), 0);
    CU_ASSERT_EQUAL(nr_reports, 1);   /* empty table: everything unknown */
    CU_ASSERT_FALSE(b_noreboot);
}

static void test_long_tokens(void)
{
    size_t n = 5000;
    char *s = malloc(n + 64);

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    reset();

    /* A huge unknown name. */
    memset(s, 'a', n);
    strcpy(s + n, " noreboot");
    CU_ASSERT_EQUAL(parse(s), 0);
    CU_ASSERT_TRUE(b_noreboot);
    CU_ASSERT_EQUAL(nr_reports, 1);

    /* Huge values: too long for a custom handler, a number, a string. */
    strcpy(s, "iommu=");
    memset(s + 6, 'v', n);
    s[6 + n] = '\0';
    CU_ASSERT_EQUAL(parse(s), 1);
    CU_ASSERT_EQUAL(custom_calls, 0);

    strcpy(s, "dom0_max_vcpus=");
    memset(s + 15, '0', n);
    s[15 + n] = '\0';
    CU_ASSERT_EQUAL(parse(s), 1);
    CU_ASSERT_EQUAL(u_vcpus, 7);

    strcpy(s, "big=");
    memset(s + 4, 'x', n);
    s[4 + n] = '\0';
    CU_ASSERT_EQUAL(parse(s), 1);
    CU_ASSERT_STRING_EQUAL(str_big, "orig");

    /* The longest value a custom handler can get. */
    strcpy(s, "iommu=");
    memset(s + 6, 'v', CMDLINE_MAX_VALUE - 1);
    s[6 + CMDLINE_MAX_VALUE - 1] = '\0';
    CU_ASSERT_EQUAL(parse(s), 0);
    CU_ASSERT_EQUAL(custom_calls, 1);
    CU_ASSERT_EQUAL(strlen(custom_vals[0]), CMDLINE_MAX_VALUE - 1);
    s[6 + CMDLINE_MAX_VALUE - 1] = 'v';
    s[6 + CMDLINE_MAX_VALUE] = '\0';
    CU_ASSERT_EQUAL(parse(s), 1);
    CU_ASSERT_EQUAL(custom_calls, 1);
    free(s);
}

static bool dup_a, dup_b;
static void test_shared_name(void)
{
    const struct kernel_param t[] = {
        { .name = "x", .type = PARAM_BOOL, .var = &dup_a },
        { .name = "x", .type = PARAM_BOOL, .var = &dup_b },
        { .name = NULL, .type = PARAM_BOOL, .var = &dup_a },     /* ignored */
        { .name = "nov", .type = PARAM_BOOL, .var = NULL },      /* no variable: bad value */
    };
    dup_a = dup_b = false;
    CU_ASSERT_EQUAL(cmdline_parse("x", t, t + ARRAY_SIZE(t), NULL, NULL, NULL), 0);
    CU_ASSERT_TRUE(dup_a);
    CU_ASSERT_TRUE(dup_b);
    CU_ASSERT_EQUAL(cmdline_parse("nov", t, t + ARRAY_SIZE(t), NULL, NULL, NULL), 1);
}

static void test_registered_macros(void)
{
    /* The section attribute does not stop the variables from being usable. */
    reg_bool = true;
    reg_uint = 1;
    reg_size = 2;
    strcpy(reg_str, "abc");
    CU_ASSERT_EQUAL(reg_custom(NULL), 0);
    CU_ASSERT_TRUE(reg_bool);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "parse_bool", test_parse_bool },
        { "parse_ulong", test_parse_ulong },
        { "parse_size", test_parse_size },
        { "bool forms", test_bool_forms },
        { "bool bad values", test_bool_bad },
        { "uint", test_uint },
        { "size", test_size },
        { "string", test_string },
        { "quoting", test_quoting },
        { "custom", test_custom },
        { "dash/underscore", test_dash_underscore },
        { "-- separator", test_separator },
        { "unknown", test_unknown },
        { "last wins, white space", test_last_wins_and_spacing },
        { "empty", test_empty },
        { "long tokens", test_long_tokens },
        { "shared name", test_shared_name },
        { "registration macros", test_registered_macros },
        { NULL, NULL },
    };
    unit_add_suite("cmdline", cases);
}
