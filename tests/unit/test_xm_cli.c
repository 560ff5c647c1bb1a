// UNIT-SOURCES: xend/common/xalloc.c xend/common/strbuf.c xend/common/diag.c xend/common/suggest.c xend/common/json.c xend/common/protocol.c xend/common/dominfo.c xend/config/pyvalue.c xend/config/pylex.c xend/config/pyconf.c xend/config/pyops.c xend/config/xmcpus.c xend/config/xmdisk.c xend/config/xmvif.c xend/config/xmkeys.c xend/config/xmconfig.c xend/config/xmconfig_out.c xend/config/xmconfig_json.c xend/config/sxp.c xend/config/xendconfig.c xend/xm/cli.c xend/xm/help.c xend/xm/commands.c xend/xm/client.c xend/xm/cmd_create.c xend/xm/cmd_info.c xend/xm/cmd_domain.c xend/xm/format_list.c xend/xm/format_info.c xend/xm/format_vcpu.c xend/xm/format_uptime.c xend/xm/cmd_device.c xend/xm/format_device.c
// UNIT-LIBS: -l:libyajl_s.a -lm
/* SPDX-License-Identifier: MIT */
/*
 * The whole xm command line, in-process, against a fake xend: help and
 * usage errors generated from the command table, exit statuses, the
 * requests each command sends, the output it makes of the answers, and
 * what happens when xend is not there.
 */
#include "unit.h"
#include "../../xend/common/strbuf.h"
#include "../../xend/xm/xm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the fake world ---- */

static struct {
    enum xm_call_status status;
    const char *response;       /* canned response message */
    char request[8192];         /* the last request */
    int calls;
    unsigned int console_domid;
    int console_calls;
} fake;

static const struct {
    const char *path, *text;
} files[] = {
    { "./web1", "name = 'web1'\nkernel = '/boot/vmlinuz'\nmemory = 256\n"
                "disk = [ 'phy:/dev/vg0/web1,xvda1,w' ]\nroot = '/dev/xvda1 ro'\n" },
    { "/etc/xen/db", "name = 'db'\nkernel = 'vmlinuz'\nramdisk = '../boot/initrd'\nmemory = 1024\n" },
    { "/etc/xen/broken", "name = 'broken'\nkernel = '/k'\nmemroy = 5\ndisk = [ 'phy:/x,xvda,rw' ]\n" },
    { "/etc/xen/old", "name = 'old'\nkernel = '/k'\nvnc = 1\n" },
    { "/etc/xen/vars", "name = 'vm%d' % vmid\nkernel = '/k'\n" },
    { "/etc/xen/xend-config.sxp", "(dom0-min-mem 196)\n(vif-script vif-route)\n" },
    { "/etc/xen/bad-xend.sxp", "(dom0-min-mem lots)\n" },
};

static enum xm_call_status fake_call(void *ctx, const char *socket, const char *request, size_t len,
                                     struct strbuf *response, struct strbuf *err)
{
    (void)ctx;
    (void)socket;
    fake.calls++;
    snprintf(fake.request, sizeof(fake.request), "%.*s", (int)len, request);
    if (fake.status == XM_CALL_FAILED)
        sb_puts(err, "Connection reset by peer");
    if (fake.status == XM_CALL_OK)
        sb_puts(response, fake.response);
    return fake.status;
}

static int fake_read(void *ctx, const char *path, struct strbuf *out)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        if (!strcmp(files[i].path, path)) {
            sb_puts(out, files[i].text);
            return 0;
        }
    }
    errno = ENOENT;
    return -1;
}

static char *fake_abspath(const char *path)
{
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "/home/admin/%s", path);
    return sb_steal(&sb);
}

static int fake_exec(void *ctx, unsigned int domid)
{
    (void)ctx;
    fake.console_domid = domid;
    fake.console_calls++;
    errno = ENOENT;
    return -1;
}

struct run {
    int rc;
    char *out;
    char *err;
};

static struct run run(const char *cmdline)
{
    struct run r;
    size_t out_len, err_len;
    FILE *out = open_memstream(&r.out, &out_len);
    FILE *err = open_memstream(&r.err, &err_len);
    char *copy = strdup(cmdline), *argv[32], *save = NULL;
    int argc = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    argv[argc++] = "xm";
    for (char *w = strtok_r(copy, " ", &save); w && argc < 31; w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    argv[argc] = NULL;
    struct xm_env env = {
        .out = out, .err = err, .socket_path = "/var/run/xend/xend.sock",
        .config_path = ".:/etc/xen", .xend_config = "/etc/xen/xend-config.sxp",
        .on_hypervisor = true, .now = { .tm_hour = 9, .tm_min = 5, .tm_sec = 0 },
        .call = fake_call, .read_file = fake_read, .abspath = fake_abspath, .exec_console = fake_exec,
    };
    fake.calls = 0;
    fake.request[0] = '\0';
    r.rc = xm_main(argc, argv, &env);
    CU_ASSERT_EQUAL(fclose(out), 0);
    CU_ASSERT_EQUAL(fclose(err), 0);
    free(copy);
    return r;
}

static void done(struct run *r)
{
    free(r->out);
    free(r->err);
}

#define EXPECT_STR(got, want)                                            \
    do {                                                                 \
        if (strcmp((got), (want)))                                       \
            printf("\n--- expected\n%s--- got\n%s", (want), (got));       \
        CU_ASSERT_STRING_EQUAL((got), (want));                           \
    } while (0)

#define EXPECT_HAS(hay, needle)                                          \
    do {                                                                 \
        if (!strstr((hay), (needle)))                                    \
            printf("\n--- missing\n%s\n--- in\n%s", (needle), (hay));     \
        CU_ASSERT_PTR_NOT_NULL(strstr((hay), (needle)));                 \
    } while (0)

static void answer(const char *response)
{
    fake.status = XM_CALL_OK;
    fake.response = response;
}

/* ---- help and usage ---- */

static void test_help(void)
{
    struct run r = run("");
    CU_ASSERT_EQUAL(r.rc, 1);   /* bare xm: short help, failure (xm's rule) */
    EXPECT_HAS(r.out, "Usage: xm <subcommand> [args]\n\nControl, list, and manipulate Xen guest instances.\n");
    EXPECT_HAS(r.out, "Common 'xm' commands:\n\n console              Attach to <Domain>'s console.\n"
                      " create               Create a domain based on <ConfigFile>.\n");
    EXPECT_HAS(r.out, " vcpu-set             Set the number of active VCPUs for allowed for the\n"
                      "                      domain.\n");
    EXPECT_HAS(r.out, "For a complete list of subcommands run 'xm help'.\n");
    CU_ASSERT_PTR_NULL(strstr(r.out, " vcpu-list"));    /* not a common command */
    done(&r);

    r = run("help");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(r.out, "xm full list of subcommands:\n\n Console:\n console ");
    EXPECT_HAS(r.out, " vcpu-list            List the VCPUs for all/some domains.\n");
    EXPECT_HAS(r.out, " Deprecated names: balloon (mem-set), set-vcpus (vcpu-set)\n");
    CU_ASSERT_STRING_EQUAL(r.err, "");
    done(&r);

    struct run r2 = run("--help");
    r = run("help --long");
    CU_ASSERT_EQUAL(r2.rc, 0);
    CU_ASSERT_STRING_EQUAL(r.out, r2.out);
    done(&r);
    done(&r2);

    r = run("help destroy");
    r2 = run("destroy --help");
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_EQUAL(r2.rc, 0);
    EXPECT_STR(r.out,
        "Usage: xm destroy <Domain>\n"
        "\n"
        "Terminate a domain immediately.\n"
        "\n"
        "  -h, --help                     Print this help.\n"
        "\n"
        "Like pulling the power cord: the guest gets no chance to shut down cleanly.\n");
    CU_ASSERT_STRING_EQUAL(r.out, r2.out);
    done(&r);
    done(&r2);

    r = run("list -h");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(r.out, "Usage: xm list [options] [Domain, ...]\n\nList information about all/some domains.\n\n"
                      "  -h, --help                     Print this help.\n"
                      "  -l, --long                     Output all VM details in SXP.\n"
                      "  --label                        Include security labels.\n"
                      "  --state=STATE                  Select only VMs with the specified state.\n");
    done(&r);

    r = run("help nosuch");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "Error: Subcommand nosuch not found!\nFor a list of subcommands run 'xm help'.\n");
    done(&r);

    /* Every command's help renders, and every option table fits struct xm_args. */
    for (size_t i = 0; i < xm_nr_commands; i++) {
        size_t n = 0;
        while (xm_commands[i].options[n].help)
            n++;
        CU_ASSERT_TRUE(n <= 16);
        struct strbuf sb = STRBUF_INIT;
        xm_help_command(&xm_commands[i], &sb);
        CU_ASSERT_EQUAL(strncmp(sb_str(&sb), "Usage: xm ", 10), 0);
        CU_ASSERT_PTR_NULL(strstr(sb_str(&sb), " \n"));      /* no trailing blanks */
        sb_free(&sb);
    }
}

static void test_dispatch(void)
{
    struct run r = run("lsit");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "Error: Subcommand lsit not found!\nDid you mean 'xm list'?\n"
                      "For a list of subcommands run 'xm help'.\n");
    CU_ASSERT_EQUAL(fake.calls, 0);
    done(&r);

    /* Unique prefixes work, as in xm; ambiguous ones do not. */
    answer("{\"ok\":true,\"result\":[]}");
    r = run("li");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(fake.request, "\"cmd\":\"list\"");
    done(&r);
    r = run("un");
    CU_ASSERT_EQUAL(r.rc, 1);   /* unpause or uptime */
    done(&r);
    r = run("s");
    CU_ASSERT_EQUAL(r.rc, 1);   /* one letter never abbreviates */
    done(&r);

    answer("{\"ok\":true,\"result\":null}");
    r = run("balloon web1 256");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.err, "Command balloon is deprecated.  Please use xm mem-set instead.\n");
    EXPECT_STR(fake.request, "{\"cmd\":\"mem-set\",\"args\":{\"domain\":\"web1\",\"memory\":256}}\n");
    done(&r);
}

static void test_usage_errors(void)
{
    struct run r = run("destroy");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_HAS(r.err, "Error: 'xm destroy' requires 1 argument.\n\nUsage: xm destroy <Domain>\n");
    CU_ASSERT_STRING_EQUAL(r.out, "");
    CU_ASSERT_EQUAL(fake.calls, 0);
    done(&r);

    r = run("rename a");
    EXPECT_HAS(r.err, "Error: 'xm rename' requires 2 arguments.\n");
    done(&r);
    r = run("help a b");
    EXPECT_HAS(r.err, "Error: 'xm help' requires between 0 and 1 arguments.\n");
    done(&r);
    r = run("list -x");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_HAS(r.err, "Error: option -x not recognized\n\nUsage: xm list");
    done(&r);
    r = run("list --frobnicate");
    EXPECT_HAS(r.err, "Error: option --frobnicate not recognized\n");
    done(&r);
    r = run("list --long=yes");
    EXPECT_HAS(r.err, "Error: option --long must not have an argument\n");
    done(&r);
    r = run("create -f");
    EXPECT_HAS(r.err, "Error: option -f requires argument\n");
    done(&r);
    r = run("list --state");
    EXPECT_HAS(r.err, "Error: option --state requires argument\n");
    done(&r);
    r = run("list --state=asleep");
    EXPECT_HAS(r.err, "Error: Invalid state 'asleep'");
    done(&r);
    r = run("list --state=paused web1");
    EXPECT_HAS(r.err, "Error: You may specify either a state or a particular VM, but not both\n");
    done(&r);
    r = run("mem-set web1 12x");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_HAS(r.err, "Error: Invalid argument: '12x' is not an amount of memory");
    done(&r);
    r = run("vcpu-set web1 0");
    EXPECT_HAS(r.err, "Error: Invalid argument: '0' is not a vCPU count (1 to 512)\n");
    done(&r);
    r = run("shutdown");
    EXPECT_HAS(r.err, "Error: No domain parameter given\n");
    done(&r);
    r = run("shutdown -a web1");
    EXPECT_HAS(r.err, "Error: give either -a or a domain, not both\n");
    done(&r);
    r = run("shutdown -HR web1");
    EXPECT_HAS(r.err, "Error: -H and -R cannot be used together\n");
    done(&r);
    r = run("rename web1 42");
    EXPECT_HAS(r.err, "Error: '42' cannot be a domain name: a number would be read as a domain ID\n");
    done(&r);
    r = run("list --label");
    EXPECT_HAS(r.err, "Error: security labels are not supported by Xeno\n");
    done(&r);
    CU_ASSERT_EQUAL(fake.calls, 0);
}

/* ---- talking to xend ---- */

static void test_xend_absent(void)
{
    fake.status = XM_CALL_NO_SOCKET;
    struct run r = run("list");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "xm: list: xend is not running (no socket at /var/run/xend/xend.sock)\n");
    CU_ASSERT_STRING_EQUAL(r.out, "");
    done(&r);
    r = run("pause web1");
    EXPECT_STR(r.err, "xm: pause: xend is not running (no socket at /var/run/xend/xend.sock)\n");
    done(&r);

    fake.status = XM_CALL_REFUSED;
    r = run("info");
    EXPECT_STR(r.err, "xm: info: xend is not running (nothing listens on /var/run/xend/xend.sock)\n");
    done(&r);
    fake.status = XM_CALL_DENIED;
    r = run("destroy 3");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "xm: destroy: permission denied on /var/run/xend/xend.sock: most commands need root access\n");
    done(&r);
    fake.status = XM_CALL_FAILED;
    r = run("uptime");
    EXPECT_STR(r.err, "xm: uptime: cannot talk to xend at /var/run/xend/xend.sock: Connection reset by peer\n");
    done(&r);

    answer("{\"ok\":tru");
    r = run("list");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_HAS(r.err, "xm: list: xend sent a malformed response: ");
    done(&r);
    answer("{\"ok\":true,\"result\":{}}");
    r = run("list");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "xm: list: xend sent a malformed result: expected an array of domains\n");
    done(&r);
}

static void test_xend_errors(void)
{
    answer("{\"ok\":false,\"error\":{\"code\":\"no-such-domain\",\"message\":\"Domain 'web9' does not exist.\"}}");
    struct run r = run("destroy web9");
    CU_ASSERT_EQUAL(r.rc, 3);   /* xm's status for a missing domain */
    EXPECT_STR(r.err, "Error: Domain 'web9' does not exist.\n");
    done(&r);
    answer("{\"ok\":false,\"error\":{\"code\":\"no-memory\",\"message\":\"I need 1048576 KiB, but only 524288 KiB are free.\"}}");
    r = run("mem-set web1 1g");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "Error: I need 1048576 KiB, but only 524288 KiB are free.\n");
    EXPECT_HAS(fake.request, "\"memory\":1024");
    done(&r);
}

struct req_case {
    const char *cmdline, *request;
};

/* Each command line sends its request; xend's refusal (answered before) gives exit 1 and err. */
static void expect_requests(const struct req_case *cases, size_t n, const char *err)
{
    for (size_t i = 0; i < n; i++) {
        struct run r = run(cases[i].cmdline);
        if (strcmp(fake.request, cases[i].request))
            printf("\nxm %s sent %s", cases[i].cmdline, fake.request);
        CU_ASSERT_STRING_EQUAL(fake.request, cases[i].request);
        CU_ASSERT_EQUAL(r.rc, 1);
        EXPECT_STR(r.err, err);
        done(&r);
    }
}

static void test_requests(void)
{
    static const struct req_case cases[] = {
        { "destroy web1", "{\"cmd\":\"destroy\",\"args\":{\"domain\":\"web1\"}}\n" },
        { "pause 3", "{\"cmd\":\"pause\",\"args\":{\"domain\":\"3\"}}\n" },
        { "unpause web1", "{\"cmd\":\"unpause\",\"args\":{\"domain\":\"web1\"}}\n" },
        { "delete web1", "{\"cmd\":\"delete\",\"args\":{\"domain\":\"web1\"}}\n" },
        { "shutdown web1", "{\"cmd\":\"shutdown\",\"args\":{\"domain\":\"web1\",\"mode\":\"poweroff\",\"wait\":false}}\n" },
        { "shutdown -w -R web1", "{\"cmd\":\"shutdown\",\"args\":{\"domain\":\"web1\",\"mode\":\"reboot\",\"wait\":true}}\n" },
        { "shutdown -aw", "{\"cmd\":\"shutdown\",\"args\":{\"all\":true,\"mode\":\"poweroff\",\"wait\":true}}\n" },
        { "shutdown -H web1", "{\"cmd\":\"shutdown\",\"args\":{\"domain\":\"web1\",\"mode\":\"halt\",\"wait\":false}}\n" },
        { "reboot web1", "{\"cmd\":\"shutdown\",\"args\":{\"domain\":\"web1\",\"mode\":\"reboot\",\"wait\":false}}\n" },
        { "rename web1 web2", "{\"cmd\":\"rename\",\"args\":{\"domain\":\"web1\",\"name\":\"web2\"}}\n" },
        { "mem-max web1 2048k", "{\"cmd\":\"mem-max\",\"args\":{\"domain\":\"web1\",\"memory\":2}}\n" },
        { "mem-set web1 512m", "{\"cmd\":\"mem-set\",\"args\":{\"domain\":\"web1\",\"memory\":512}}\n" },
        { "vcpu-set web1 2", "{\"cmd\":\"vcpu-set\",\"args\":{\"domain\":\"web1\",\"vcpus\":2}}\n" },
        { "dmesg -c", "{\"cmd\":\"dmesg\",\"args\":{\"clear\":true}}\n" },
        { "log", "{\"cmd\":\"log\",\"args\":{}}\n" },
        { "info", "{\"cmd\":\"info\",\"args\":{}}\n" },
        { "list -l web1 3", "{\"cmd\":\"list\",\"args\":{\"domains\":[\"web1\",\"3\"],\"long\":true}}\n" },
        { "list --state=paused", "{\"cmd\":\"list\",\"args\":{\"domains\":[],\"long\":false,\"state\":\"paused\"}}\n" },
        { "uptime -s", "{\"cmd\":\"list\",\"args\":{\"domains\":[]}}\n" },
        { "vcpu-list web1", "{\"cmd\":\"vcpu-list\",\"args\":{\"domains\":[\"web1\"]}}\n" },
        { "start -p web1", "{\"cmd\":\"start\",\"args\":{\"domain\":\"web1\",\"paused\":true}}\n" },
        { "console web1", "{\"cmd\":\"console\",\"args\":{\"domain\":\"web1\"}}\n" },
    };
    /* The answers do not matter here; a refusal keeps the handlers short. */
    answer("{\"ok\":false,\"error\":{\"code\":\"busy\",\"message\":\"Busy.\"}}");
    expect_requests(cases, sizeof(cases) / sizeof(cases[0]), "Error: Busy.\n");
}

/* ---- answers turned into output ---- */

static const char list_answer[] =
    "{\"ok\":true,\"result\":["
    "{\"name\":\"Domain-0\",\"domid\":0,\"memory\":1024,\"vcpus\":2,\"state\":\"r-----\",\"cpu_time\":1234.5,\"uptime\":93784.6},"
    "{\"name\":\"guest1\",\"domid\":3,\"memory\":512,\"vcpus\":1,\"state\":\"-b----\",\"cpu_time\":77.0,\"uptime\":59.4}]}";

static void test_outputs(void)
{
    answer(list_answer);
    struct run r = run("list");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out,
        "Name                                        ID   Mem VCPUs      State   Time(s)\n"
        "Domain-0                                     0  1024     2     r-----   1234.5\n"
        "guest1                                       3   512     1     -b----     77.0\n");
    CU_ASSERT_STRING_EQUAL(r.err, "");
    done(&r);

    r = run("uptime");
    EXPECT_STR(r.out,
        "Name                                ID Uptime \n"
        "Domain-0                             0 1 day,  2:03:05\n"
        "guest1                               3  0:00:59\n");
    done(&r);
    r = run("uptime -s");
    EXPECT_STR(r.out, " 09:05:00 up 1 day,  2:03, Domain-0 (0)\n 09:05:00 up  0:00, guest1 (3)\n");
    done(&r);

    /* domid / domname: one domain through "list". */
    answer("{\"ok\":true,\"result\":[{\"name\":\"guest1\",\"domid\":3,\"memory\":512,\"vcpus\":1,"
           "\"state\":\"-b----\",\"cpu_time\":77.0}]}");
    r = run("domid guest1");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(fake.request, "{\"cmd\":\"list\",\"args\":{\"domains\":[\"guest1\"]");
    EXPECT_STR(r.out, "3\n");
    done(&r);
    r = run("domname 3");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out, "guest1\n");
    done(&r);
    answer("{\"ok\":true,\"result\":[{\"name\":\"later\",\"domid\":null,\"memory\":512,\"vcpus\":1,"
           "\"state\":\"------\",\"cpu_time\":0}]}");
    r = run("domid later");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out, "None\n");
    done(&r);
    answer("{\"ok\":false,\"error\":{\"code\":\"no-such-domain\",\"message\":\"Domain 'nosuch' does not exist.\"}}");
    r = run("domid nosuch");
    CU_ASSERT_EQUAL(r.rc, 3);
    EXPECT_STR(r.err, "Error: Domain 'nosuch' does not exist.\n");
    done(&r);
    r = run("domname");
    CU_ASSERT_EQUAL(r.rc, 1);
    done(&r);

    answer("{\"ok\":true,\"result\":[{\"name\":\"guest1\",\"domid\":3,\"memory\":512,\"vcpus\":1,"
           "\"state\":\"-b----\",\"cpu_time\":77.0,\"config\":{\"name\":\"guest1\",\"kernel\":\"/k\","
           "\"memory\":512,\"vif\":[\"bridge=xenbr0\"]}}]}");
    r = run("list -l guest1");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(r.out, "(domain\n    (domid 3)\n    (on_crash restart)\n");
    EXPECT_HAS(r.out, "    (image (linux (kernel /k)))\n    (status 2)\n    (state -b----)\n"
                      "    (device (vif (bridge xenbr0) (backend 0)))\n)\n");
    done(&r);

    answer("{\"ok\":true,\"result\":{\"nr_cpus\":4,\"domains\":[{\"name\":\"Domain-0\",\"domid\":0,\"vcpus\":["
           "{\"number\":0,\"cpu\":1,\"online\":true,\"running\":true,\"cpu_time\":12.34,\"affinity\":\"0-3\"}]}]}}");
    r = run("vcpu-list");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out,
        "Name                                ID  VCPU   CPU State   Time(s) CPU Affinity\n"
        "Domain-0                             0     0     1   r--      12.3 any cpu\n");
    done(&r);

    answer("{\"ok\":true,\"result\":{\"host\":\"h\",\"nr_cpus\":4,\"xen_major\":4,\"xend_config_format\":4}}");
    r = run("info");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(r.out, "host                   : h\nrelease                : \n");
    EXPECT_HAS(r.out, "nr_cpus                : 4\n");
    EXPECT_HAS(r.out, "xend_config_format     : 4\n");
    done(&r);

    answer("{\"ok\":true,\"result\":{\"text\":\"(XEN) Xeno starting\\n(XEN) done\\n\"}}");
    r = run("dmesg");
    EXPECT_STR(r.out, "(XEN) Xeno starting\n(XEN) done\n");
    done(&r);
    answer("{\"ok\":true,\"result\":{\"text\":\"[2026-11-21 10:00:00] INFO started\"}}");
    r = run("log");
    EXPECT_STR(r.out, "[2026-11-21 10:00:00] INFO started\n");
    done(&r);
    answer("{\"ok\":true,\"result\":{\"lines\":[]}}");
    r = run("log");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "xm: log: xend sent a malformed result: member \"text\" is missing\n");
    done(&r);

    answer("{\"ok\":true,\"result\":null}");
    r = run("pause web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_STRING_EQUAL(r.out, "");
    CU_ASSERT_STRING_EQUAL(r.err, "");
    done(&r);
}

/* ---- create / new ---- */

static void test_create(void)
{
    answer("{\"ok\":true,\"result\":{\"name\":\"web1\",\"domid\":7}}");
    struct run r = run("create web1 memory=128 vcpus=2");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out, "Using config file \"./web1\".\nStarted domain web1 (id=7)\n");
    CU_ASSERT_STRING_EQUAL(r.err, "");
    EXPECT_HAS(fake.request, "{\"cmd\":\"create\",\"args\":{\"config\":{\"name\":\"web1\",\"memory\":128,"
                             "\"maxmem\":128,\"vcpus\":2,");
    EXPECT_HAS(fake.request, "\"disk\":[\"phy:/dev/vg0/web1,xvda1,w\"]");
    EXPECT_HAS(fake.request, "},\"paused\":false}}\n");
    done(&r);

    /* Found on the search path; relative kernel paths made absolute, as xm did. */
    answer("{\"ok\":true,\"result\":{\"name\":\"db\",\"domid\":8}}");
    r = run("create -q -p db");
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_STRING_EQUAL(r.out, "");
    EXPECT_HAS(fake.request, "\"kernel\":\"/home/admin/vmlinuz\",\"ramdisk\":\"/home/admin/../boot/initrd\"");
    EXPECT_HAS(fake.request, "\"paused\":true");
    done(&r);

    /* -c: then the console, for the new domain's ID. */
    fake.console_calls = 0;
    answer("{\"ok\":true,\"result\":{\"name\":\"web1\",\"domid\":7}}");
    r = run("create -c web1");
    CU_ASSERT_EQUAL(fake.console_calls, 1);
    CU_ASSERT_EQUAL(fake.console_domid, 7);
    CU_ASSERT_EQUAL(r.rc, 1);       /* the fake exec fails */
    EXPECT_HAS(r.err, "Error: Could not start console for domain 7 (/usr/lib/xen/bin/xenconsole): No such file or directory\n");
    done(&r);

    /* Variables the file uses; -f; --path. */
    answer("{\"ok\":true,\"result\":{\"name\":\"vm4\",\"domid\":9}}");
    r = run("create -f vars vmid=4");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(fake.request, "\"name\":\"vm4\"");
    done(&r);
    r = run("create --path=/nowhere web1");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "Error: Cannot find config file \"web1\" in /nowhere: No such file or directory\n");
    done(&r);

    /* A config from variables alone; it must name the domain. */
    r = run("create kernel=/k");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "command line: error: no name: set name = 'NAME'\n"
                      "Error: the command line has 1 error; nothing was created.\n");
    done(&r);
    answer("{\"ok\":true,\"result\":{\"name\":\"adhoc\",\"domid\":10}}");
    r = run("create name=adhoc kernel=/k");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out, "Started domain adhoc (id=10)\n");
    done(&r);
}

static void test_create_errors(void)
{
    fake.calls = 0;
    struct run r = run("create broken");
    CU_ASSERT_EQUAL(r.rc, 1);
    CU_ASSERT_EQUAL(fake.calls, 0);     /* nothing reaches xend */
    EXPECT_STR(r.err,
        "/etc/xen/broken:3:1: error: unknown key 'memroy' (did you mean 'memory'?)\n"
        "/etc/xen/broken:4:23: error: disk 1 ('phy:/x,xvda,rw'): bad mode 'rw': expected r (read-only), "
        "w (read-write) or w! (read-write, shared); xm writes 'w' where xl writes 'rw'\n"
        "Error: /etc/xen/broken has 2 errors; nothing was created.\n");
    done(&r);

    r = run("create nosuch");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "Error: Cannot find config file \"nosuch\" in .:/etc/xen: No such file or directory\n");
    done(&r);
    r = run("create /abs/nosuch");
    EXPECT_STR(r.err, "Error: Cannot read config file \"/abs/nosuch\": No such file or directory\n");
    done(&r);
    r = run("create web1 db");
    EXPECT_HAS(r.err, "Error: unexpected argument 'db': give one config file, then VAR=VALUE settings\n");
    done(&r);
    r = run("create");
    EXPECT_HAS(r.err, "Error: 'xm create' needs a config file (or VAR=VALUE settings)\n");
    done(&r);
    r = run("create web1 =5");
    EXPECT_HAS(r.err, "Error: '=5' is not VAR=VALUE\n");
    done(&r);
    r = run("create web1 memory=big");
    EXPECT_HAS(r.err, "command line: error: memory=big: memory must be a whole number, not str 'big'\n");
    done(&r);

    /* Warnings are shown, and do not stop the create. */
    answer("{\"ok\":true,\"result\":{\"name\":\"old\",\"domid\":11}}");
    r = run("create old");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.err, "/etc/xen/old:3:7: warning: vnc is for HVM guests and is ignored (Xeno runs paravirtualised guests)\n");
    done(&r);

    /* xend refuses. */
    answer("{\"ok\":false,\"error\":{\"code\":\"exists\",\"message\":\"Domain 'web1' already exists with ID '7'\"}}");
    r = run("create web1");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_HAS(r.err, "Error: Domain 'web1' already exists with ID '7'\n");
    done(&r);
    answer("{\"ok\":true,\"result\":{\"domid\":7}}");
    r = run("create -q web1");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_STR(r.err, "xm: create: xend sent a malformed result: member \"name\" is missing\n");
    done(&r);
}

static void test_create_dryrun_and_help_config(void)
{
    fake.calls = 0;
    struct run r = run("create -n web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_EQUAL(fake.calls, 0);
    EXPECT_STR(r.out,
        "Using config file \"./web1\".\n"
        "(vm\n"
        "    (name web1)\n"
        "    (memory 256)\n"
        "    (maxmem 256)\n"
        "    (on_poweroff destroy)\n"
        "    (on_reboot restart)\n"
        "    (on_crash restart)\n"
        "    (vcpus 1)\n"
        "    (on_xend_start ignore)\n"
        "    (on_xend_stop ignore)\n"
        "    (image (linux (kernel /boot/vmlinuz) (root '/dev/xvda1 ro')))\n"
        "    (device (vbd (uname phy:/dev/vg0/web1) (dev xvda1) (mode w)))\n"
        ")\n");
    done(&r);

    r = run("create --help_config");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(r.out, "  memory=MEMORY                Initial memory in MiB (default 128).\n");
    done(&r);

    answer("{\"ok\":true,\"result\":{\"name\":\"web1\",\"uuid\":\"x\"}}");
    r = run("new -q web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_HAS(fake.request, "{\"cmd\":\"new\",\"args\":{\"config\":{\"name\":\"web1\"");
    CU_ASSERT_STRING_EQUAL(r.out, "");
    done(&r);
    r = run("new -n web1");     /* new has no dry run */
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_HAS(r.err, "Error: option -n not recognized\n");
    done(&r);
}

static void test_console_and_start(void)
{
    fake.console_calls = 0;
    answer("{\"ok\":true,\"result\":{\"domid\":5}}");
    struct run r = run("console web1");
    CU_ASSERT_EQUAL(fake.console_calls, 1);
    CU_ASSERT_EQUAL(fake.console_domid, 5);
    done(&r);

    answer("{\"ok\":false,\"error\":{\"code\":\"no-such-domain\",\"message\":\"Domain 'x' does not exist.\"}}");
    r = run("console -q x");
    CU_ASSERT_EQUAL(r.rc, 1);
    CU_ASSERT_STRING_EQUAL(r.err, "");      /* -q: quiet, only the status */
    done(&r);
    r = run("console x");
    CU_ASSERT_EQUAL(r.rc, 3);
    EXPECT_STR(r.err, "Error: Domain 'x' does not exist.\n");
    done(&r);

    fake.console_calls = 0;
    answer("{\"ok\":true,\"result\":{\"name\":\"web1\",\"domid\":12}}");
    r = run("start web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_EQUAL(fake.console_calls, 0);
    done(&r);
    r = run("start -c web1");
    CU_ASSERT_EQUAL(fake.console_calls, 1);
    CU_ASSERT_EQUAL(fake.console_domid, 12);
    done(&r);
}

static void test_info_config(void)
{
    fake.calls = 0;
    struct run r = run("info -c");
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_EQUAL(fake.calls, 0);     /* read locally, as xm did */
    EXPECT_HAS(r.out, "dom0-min-mem                          : 196\n");
    EXPECT_HAS(r.out, "vif-script                            : vif-route\n");
    EXPECT_HAS(r.out, "enable-dom0-ballooning                : yes\n");
    done(&r);
}

/* ---- block- and network- attach, detach, list ---- */

static void test_devices(void)
{
    static const struct req_case cases[] = {
        { "block-attach web1 phy:/dev/vg/x xvdb w",
          "{\"cmd\":\"block-attach\",\"args\":{\"domain\":\"web1\",\"uname\":\"phy:/dev/vg/x\",\"dev\":\"xvdb\",\"mode\":\"w\"}}\n" },
        { "block-attach web1 file:/srv/cd.iso xvdc:cdrom r 0",
          "{\"cmd\":\"block-attach\",\"args\":{\"domain\":\"web1\",\"uname\":\"file:/srv/cd.iso\",\"dev\":\"xvdc:cdrom\",\"mode\":\"r\",\"backend\":\"0\"}}\n" },
        { "block-detach web1 xvdb", "{\"cmd\":\"block-detach\",\"args\":{\"domain\":\"web1\",\"device\":\"xvdb\",\"force\":false}}\n" },
        { "block-detach web1 51728 -f", "{\"cmd\":\"block-detach\",\"args\":{\"domain\":\"web1\",\"device\":\"51728\",\"force\":true}}\n" },
        { "network-attach web1", "{\"cmd\":\"network-attach\",\"args\":{\"domain\":\"web1\",\"vif\":\"\"}}\n" },
        { "network-attach web1 bridge=xenbr1 mac=00:16:3e:00:00:01 rate=10Mb/s",
          "{\"cmd\":\"network-attach\",\"args\":{\"domain\":\"web1\",\"vif\":\"bridge=xenbr1,mac=00:16:3e:00:00:01,rate=10Mb/s\"}}\n" },
        { "network-detach web1 00:16:3e:00:00:01 --force",
          "{\"cmd\":\"network-detach\",\"args\":{\"domain\":\"web1\",\"device\":\"00:16:3e:00:00:01\",\"force\":true}}\n" },
        { "block-list web1", "{\"cmd\":\"block-list\",\"args\":{\"domain\":\"web1\"}}\n" },
        { "network-list -l 3", "{\"cmd\":\"network-list\",\"args\":{\"domain\":\"3\"}}\n" },
    };
    answer("{\"ok\":false,\"error\":{\"code\":\"device\",\"message\":\"Device 51728 (vbd) could not be connected. Hotplug scripts not working.\"}}");
    expect_requests(cases, sizeof(cases) / sizeof(cases[0]),
                    "Error: Device 51728 (vbd) could not be connected. Hotplug scripts not working.\n");

    /* xm's own checks: nothing is sent. */
    static const char *const refused[] = {
        "network-attach web1 bogus=1", "network-attach web1 mac=", "network-attach web1 bridge",
        "network-attach web1 ip=1=2", "block-attach web1 phy:/dev/x xvdb", "block-list",
        "block-list a b", "network-detach web1",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        struct run r = run(refused[i]);
        if (r.rc != 1 || fake.calls)
            printf("\nxm %s: rc %d, %d calls\n", refused[i], r.rc, fake.calls);
        CU_ASSERT_EQUAL(r.rc, 1);
        CU_ASSERT_EQUAL(fake.calls, 0);
        done(&r);
    }
    struct run r = run("network-attach web1 bogus=1");
    EXPECT_HAS(r.err, "Error: Invalid argument: bogus=1\n");
    EXPECT_HAS(r.err, "Usage: xm network-attach <Domain> [type=<type>]");
    done(&r);

    answer("{\"ok\":true,\"result\":["
           "{\"devid\":51712,\"nodes\":[[\"backend-id\",\"0\"],[\"virtual-device\",\"51712\"],[\"state\",\"4\"],"
           "[\"backend\",\"/local/domain/0/backend/vbd/3/51712\"],[\"ring-ref\",\"8\"],[\"event-channel\",\"10\"]]},"
           "{\"devid\":51728,\"nodes\":[[\"uname\",\"phy:/dev/x\"],[\"state\",\"\"]]}]}");
    r = run("block-list web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out,
        "Vdev  BE handle state evt-ch ring-ref BE-path\n"
        "51712  0    0     4      10     8     /local/domain/0/backend/vbd/3/51712  \n"
        "51728  -1   0     -1     -1     -1    ??                              \n");
    done(&r);
    r = run("block-list -l web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out,
        "(51712\n"
        "    ((backend-id 0)\n"
        "        (virtual-device 51712)\n"
        "        (state 4)\n"
        "        (backend /local/domain/0/backend/vbd/3/51712)\n"
        "        (ring-ref 8)\n"
        "        (event-channel 10)\n"
        "    )\n"
        ")\n"
        "(51728 ((uname phy:/dev/x) (state )))\n");
    done(&r);

    answer("{\"ok\":true,\"result\":[{\"devid\":0,\"nodes\":[[\"backend-id\",\"0\"],"
           "[\"mac\",\"00:16:3e:12:34:56\"],[\"handle\",\"0\"],[\"state\",\"4\"],"
           "[\"backend\",\"/local/domain/0/backend/vif/3/0\"],[\"tx-ring-ref\",\"768\"],"
           "[\"rx-ring-ref\",\"769\"],[\"event-channel\",\"11\"]]}]}");
    r = run("network-list web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out,
        "Idx BE     MAC Addr.     handle state evt-ch tx-/rx-ring-ref BE-path\n"
        "0   0  00:16:3e:12:34:56    0     4      11    768  /769     /local/domain/0/backend/vif/3/0  \n");
    done(&r);

    /* Split event channels (netfront's event-channel-tx/-rx): the TX one. */
    answer("{\"ok\":true,\"result\":[{\"devid\":1,\"nodes\":[[\"backend-id\",\"0\"],"
           "[\"mac\",\"00:16:3e:12:34:57\"],[\"handle\",\"1\"],[\"state\",\"4\"],"
           "[\"backend\",\"/local/domain/0/backend/vif/3/1\"],[\"tx-ring-ref\",\"770\"],"
           "[\"rx-ring-ref\",\"771\"],[\"event-channel-tx\",\"12\"],[\"event-channel-rx\",\"13\"]]}]}");
    r = run("network-list web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out,
        "Idx BE     MAC Addr.     handle state evt-ch tx-/rx-ring-ref BE-path\n"
        "1   0  00:16:3e:12:34:57    1     4      12    770  /771     /local/domain/0/backend/vif/3/1  \n");
    done(&r);

    /* No devices: no header, as xm printed it only before the first one. */
    answer("{\"ok\":true,\"result\":[]}");
    r = run("network-list web1");
    CU_ASSERT_EQUAL(r.rc, 0);
    EXPECT_STR(r.out, "");
    done(&r);

    answer("{\"ok\":true,\"result\":[{\"devid\":\"x\"}]}");
    r = run("block-list web1");
    CU_ASSERT_EQUAL(r.rc, 1);
    EXPECT_HAS(r.err, "xm: block-list: xend sent a malformed result");
    done(&r);

    answer("{\"ok\":false,\"error\":{\"code\":\"no-such-domain\",\"message\":\"Domain 'nosuch' does not exist.\"}}");
    r = run("network-list nosuch");
    CU_ASSERT_EQUAL(r.rc, 3);
    EXPECT_STR(r.err, "Error: Domain 'nosuch' does not exist.\n");
    done(&r);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "help texts", test_help },
        { "dispatch, prefixes, aliases", test_dispatch },
        { "usage errors", test_usage_errors },
        { "xend not reachable", test_xend_absent },
        { "errors from xend", test_xend_errors },
        { "requests", test_requests },
        { "outputs", test_outputs },
        { "create", test_create },
        { "create errors", test_create_errors },
        { "create -n, --help_config, new", test_create_dryrun_and_help_config },
        { "console and start", test_console_and_start },
        { "info -c", test_info_config },
        { "block and network devices", test_devices },
        { NULL, NULL },
    };
    unit_add_suite("xm command line", cases);
}
