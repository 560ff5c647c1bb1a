// UNIT-SOURCES: xend/common/xalloc.c xend/common/strbuf.c xend/common/diag.c xend/common/suggest.c xend/common/json.c xend/common/dominfo.c xend/config/pyvalue.c xend/config/pylex.c xend/config/pyconf.c xend/config/pyops.c xend/config/xmcpus.c xend/config/xmdisk.c xend/config/xmvif.c xend/config/xmkeys.c xend/config/xmconfig.c xend/config/xmconfig_out.c xend/config/xmconfig_json.c xend/config/sxp.c xend/xm/format_list.c xend/xm/format_info.c xend/xm/format_vcpu.c xend/xm/format_uptime.c
// UNIT-LIBS: -l:libyajl_s.a -lm
/* SPDX-License-Identifier: MIT */
/*
 * xm's output formats against golden strings: the xm list lines are the
 * real xm output quoted in toolstack-anchors.md; the others were produced
 * by xm's own format strings (Python %-formatting) for the same inputs.
 */
#include "unit.h"
#include "../../xend/common/diag.h"
#include "../../xend/common/dominfo.h"
#include "../../xend/common/json.h"
#include "../../xend/common/strbuf.h"
#include "../../xend/config/xmconfig.h"
#include "../../xend/xm/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPECT_TEXT(got, want)                                           \
    do {                                                                 \
        if (strcmp((got), (want)) != 0)                                  \
            printf("\n--- expected\n%s--- got\n%s", (want), (got));       \
        CU_ASSERT_STRING_EQUAL((got), (want));                           \
    } while (0)

static struct xm_dominfo dom(const char *name, unsigned int domid, unsigned long mem,
                             unsigned int vcpus, const char *state, double cpu_time)
{
    struct xm_dominfo d;

    memset(&d, 0, sizeof(d));
    d.name = (char *)name;
    d.active = true;
    d.domid = domid;
    d.memory = d.maxmem = mem;
    d.vcpus = d.max_vcpus = vcpus;
    CU_ASSERT_EQUAL(xm_state_parse(state, &d.state), 0);
    d.cpu_time = cpu_time;
    d.start_time = d.uptime = -1;
    return d;
}

static void test_list(void)
{
    struct xm_dominfo d[3] = {
        dom("Domain-0", 0, 1024, 2, "r-----", 1234.5),
        dom("guest1", 3, 512, 1, "-b----", 77.0),
        dom("managed-but-off", 0, 256, 1, "------", 0),
    };
    struct strbuf sb = STRBUF_INIT;

    d[2].active = false;
    xm_format_list(d, 2, &sb);
    /* Verbatim from toolstack-anchors.md §1.3. */
    EXPECT_TEXT(sb_str(&sb),
        "Name                                        ID   Mem VCPUs      State   Time(s)\n"
        "Domain-0                                     0  1024     2     r-----   1234.5\n"
        "guest1                                       3   512     1     -b----     77.0\n");
    sb_reset(&sb);
    xm_format_list(&d[2], 1, &sb);
    EXPECT_TEXT(strchr(sb_str(&sb), '\n') + 1,
        "managed-but-off                                  256     1     ------      0.0\n");
    /* Every state letter in its place; long names are not cut. */
    struct xm_dominfo all = dom("a-very-long-domain-name-that-is-longer-than-forty", 32767, 99999, 128,
                                "rbpscd", 123456.789);
    sb_reset(&sb);
    xm_format_list(&all, 1, &sb);
    EXPECT_TEXT(strchr(sb_str(&sb), '\n') + 1,
        "a-very-long-domain-name-that-is-longer-than-forty 32767 99999   128     rbpscd 123456.8\n");
    sb_free(&sb);
}

static void test_states(void)
{
    char s[7];
    unsigned int st;

    xm_state_format(0, s);
    CU_ASSERT_STRING_EQUAL(s, "------");
    xm_state_format(XM_STATE_PAUSED | XM_STATE_CRASHED, s);
    CU_ASSERT_STRING_EQUAL(s, "--p-c-");
    xm_state_format(XM_STATE_ALL, s);
    CU_ASSERT_STRING_EQUAL(s, "rbpscd");
    CU_ASSERT_EQUAL(xm_state_parse("---s--", &st), 0);
    CU_ASSERT_EQUAL(st, XM_STATE_SHUTDOWN);
    CU_ASSERT_EQUAL(xm_state_parse("b-----", &st), -1);    /* letter out of place */
    CU_ASSERT_EQUAL(xm_state_parse("r----", &st), -1);
    CU_ASSERT_EQUAL(xm_state_parse("r------", &st), -1);

    struct xm_dominfo d = dom("x", 1, 1, 1, "-b----", 0);
    CU_ASSERT_EQUAL(xm_state_status(&d), 2);
    d.state = XM_STATE_PAUSED;
    CU_ASSERT_EQUAL(xm_state_status(&d), 1);
    d.state = XM_STATE_SHUTDOWN;
    CU_ASSERT_EQUAL(xm_state_status(&d), 4);
    d.state = XM_STATE_CRASHED | XM_STATE_SHUTDOWN;
    CU_ASSERT_EQUAL(xm_state_status(&d), 5);
    d.active = false;
    CU_ASSERT_EQUAL(xm_state_status(&d), 0);
}

static void test_list_long(void)
{
    const char *text =
        "name = 'web1'\nmemory = 512\nbootloader = '/usr/bin/pygrub'\n"
        "uuid = 'd9a1c2e4-0b7f-4a6e-9c3d-5e8f1a2b3c4d'\n"
        "vif = [ 'bridge=eth0,mac=00:16:3e:1b:8b:d2,script=/etc/xen/scripts/vif-bridge' ]\n"
        "disk = [ 'phy:/dev/sdb7,xvda,w' ]\n";
    struct xm_domain_config cfg;
    struct diags diags = DIAGS_INIT;
    struct strbuf sb = STRBUF_INIT;

    CU_ASSERT_EQUAL_FATAL(xm_config_parse("web1", text, strlen(text), NULL, 0, &cfg, &diags), 0);
    struct xm_dominfo d = dom("web1", 15, 512, 1, "-b----", 5.97);
    d.config = &cfg;
    d.has_uuid = cfg.has_uuid;
    memcpy(d.uuid, cfg.uuid, 16);
    d.start_time = 1230489041.67;
    d.store_mfn = 2216783;
    d.console_mfn = 2216782;
    xm_format_list_long(&d, 1, &sb);
    EXPECT_TEXT(sb_str(&sb),
        "(domain\n"
        "    (domid 15)\n"
        "    (on_crash restart)\n"
        "    (uuid d9a1c2e4-0b7f-4a6e-9c3d-5e8f1a2b3c4d)\n"
        "    (bootloader_args )\n"
        "    (vcpus 1)\n"
        "    (name web1)\n"
        "    (on_poweroff destroy)\n"
        "    (on_reboot restart)\n"
        "    (bootloader /usr/bin/pygrub)\n"
        "    (maxmem 512)\n"
        "    (memory 512)\n"
        "    (shadow_memory 0)\n"
        "    (cpu_weight 256)\n"
        "    (cpu_cap 0)\n"
        "    (features )\n"
        "    (on_xend_start ignore)\n"
        "    (on_xend_stop ignore)\n"
        "    (start_time 1230489041.67)\n"
        "    (cpu_time 5.97)\n"
        "    (online_vcpus 1)\n"
        "    (image (linux (kernel )))\n"
        "    (status 2)\n"
        "    (state -b----)\n"
        "    (store_mfn 2216783)\n"
        "    (console_mfn 2216782)\n"
        "    (device\n"
        "        (vif\n"
        "            (bridge eth0)\n"
        "            (mac 00:16:3e:1b:8b:d2)\n"
        "            (script /etc/xen/scripts/vif-bridge)\n"
        "            (backend 0)\n"
        "        )\n"
        "    )\n"
        "    (device (vbd (dev xvda:disk) (uname phy:/dev/sdb7) (mode w) (backend 0)))\n"
        ")\n");

    /* Without a configuration (e.g. dom0 before xend knows it): runtime facts only. */
    struct xm_dominfo d0 = dom("Domain-0", 0, 1024, 2, "r-----", 12);
    sb_reset(&sb);
    xm_format_list_long(&d0, 1, &sb);
    EXPECT_TEXT(sb_str(&sb),
        "(domain\n"
        "    (domid 0)\n"
        "    (vcpus 2)\n"
        "    (name Domain-0)\n"
        "    (maxmem 1024)\n"
        "    (memory 1024)\n"
        "    (cpu_time 12.0)\n"
        "    (online_vcpus 2)\n"
        "    (status 2)\n"
        "    (state r-----)\n"
        ")\n");
    xm_config_free(&cfg);
    diags_free(&diags);
    sb_free(&sb);
}

static void test_info(void)
{
    struct xm_hostinfo h = {
        .host = "xenhost", .release = "6.1.0-18-amd64", .version = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1",
        .machine = "x86_64", .nr_cpus = 4, .nr_nodes = 1, .cores_per_socket = 4, .threads_per_core = 1,
        .cpu_mhz = 2394, .hw_caps = "bfebfbff:28100800:00000000:00000940", .virt_caps = "",
        .total_memory = 4095, .free_memory = 2900, .free_cpus = 0, .xen_major = 4, .xen_minor = 0,
        .xen_extra = ".1", .xen_caps = "xen-3.0-x86_64", .xen_scheduler = "credit",
        .xen_pagesize = 4096, .platform_params = "virt_start=0xffff800000000000",
        .xen_changeset = "unavailable", .xen_commandline = "dom0_mem=1024M console=com1",
        .cc_compiler = "gcc (Debian 12.2.0-14) 12.2.0", .cc_compile_by = "root", .cc_compile_domain = NULL,
        .cc_compile_date = "Sat Nov 21 22:17:19 UTC 2026", .xend_config_format = 4,
    };
    struct strbuf sb = STRBUF_INIT;

    xm_format_info(&h, &sb);
    EXPECT_TEXT(sb_str(&sb),
        "host                   : xenhost\n"
        "release                : 6.1.0-18-amd64\n"
        "version                : #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1\n"
        "machine                : x86_64\n"
        "nr_cpus                : 4\n"
        "nr_nodes               : 1\n"
        "cores_per_socket       : 4\n"
        "threads_per_core       : 1\n"
        "cpu_mhz                : 2394\n"
        "hw_caps                : bfebfbff:28100800:00000000:00000940\n"
        "virt_caps              : \n"
        "total_memory           : 4095\n"
        "free_memory            : 2900\n"
        "free_cpus              : 0\n"
        "xen_major              : 4\n"
        "xen_minor              : 0\n"
        "xen_extra              : .1\n"
        "xen_caps               : xen-3.0-x86_64\n"
        "xen_scheduler          : credit\n"
        "xen_pagesize           : 4096\n"
        "platform_params        : virt_start=0xffff800000000000\n"
        "xen_changeset          : unavailable\n"
        "xen_commandline        : dom0_mem=1024M console=com1\n"
        "cc_compiler            : gcc (Debian 12.2.0-14) 12.2.0\n"
        "cc_compile_by          : root\n"
        "cc_compile_domain      : \n"
        "cc_compile_date        : Sat Nov 21 22:17:19 UTC 2026\n"
        "xend_config_format     : 4\n");

    /* Through JSON and back. */
    struct json *j = xm_hostinfo_to_json(&h);
    struct xm_hostinfo back;
    struct strbuf err = STRBUF_INIT, again = STRBUF_INIT;
    CU_ASSERT_EQUAL_FATAL(xm_hostinfo_from_json(j, &back, &err), 0);
    xm_format_info(&back, &again);
    EXPECT_TEXT(sb_str(&again), sb_str(&sb));
    xm_hostinfo_free(&back);
    json_free(j);
    j = json_object();
    json_set(j, "nr_cpus", json_string("four"));
    CU_ASSERT_EQUAL(xm_hostinfo_from_json(j, &back, &err), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&err), "member \"nr_cpus\" must be an integer, not string");
    json_free(j);
    sb_free(&sb);
    sb_free(&err);
    sb_free(&again);
}

static void set_affinity(struct xm_vcpuinfo *v, const char *spec)
{
    struct strbuf err = STRBUF_INIT;
    size_t off;
    CU_ASSERT_EQUAL(xm_cpumask_parse(spec, &v->affinity, &err, &off), 0);
    sb_free(&err);
}

static void test_vcpu_list(void)
{
    struct xm_vcpuinfo v0[2] = {
        { .number = 0, .cpu = 0, .online = true, .running = true, .cpu_time = 1234.56 },
        { .number = 1, .cpu = 1, .online = true, .blocked = true, .cpu_time = 99.94 },
    };
    struct xm_vcpuinfo v3[2] = {
        { .number = 0, .cpu = 2, .online = true, .blocked = true, .cpu_time = 5.25 },
        { .number = 1, .cpu = -1, .online = false, .cpu_time = 0 },   /* as the backends report it */
    };
    struct xm_vcpuinfo vm[1] = { { .number = 0, .cpu = -1 } };
    set_affinity(&v0[0], "all");
    set_affinity(&v0[1], "0-3");
    set_affinity(&v3[0], "2-3");
    set_affinity(&v3[1], "0,2,9");      /* CPU 9 is beyond the host's 4 */
    xm_cpumask_clear(&vm[0].affinity);
    struct xm_domvcpus doms[3] = {
        { .name = "Domain-0", .active = true, .domid = 0, .nr = 2, .vcpus = v0 },
        { .name = "web1", .active = true, .domid = 3, .nr = 2, .vcpus = v3 },
        { .name = "managed", .active = false, .nr = 1, .vcpus = vm },
    };
    struct strbuf sb = STRBUF_INIT;

    xm_format_vcpu_list(doms, 3, 4, &sb);
    EXPECT_TEXT(sb_str(&sb),
        "Name                                ID  VCPU   CPU State   Time(s) CPU Affinity\n"
        "Domain-0                             0     0     0   r--    1234.6 any cpu\n"
        "Domain-0                             0     1     1   -b-      99.9 any cpu\n"
        "web1                                 3     0     2   -b-       5.2 2-3\n"
        "web1                                 3     1     -   --p       0.0 0,2\n"
        "managed                                    0                   0.0 no cpus\n");

    /* JSON round trip. */
    struct json *j = xm_domvcpus_to_json(&doms[1]);
    struct xm_domvcpus back;
    struct strbuf err = STRBUF_INIT, again = STRBUF_INIT;
    CU_ASSERT_EQUAL_FATAL(xm_domvcpus_from_json(j, &back, &err), 0);
    xm_format_vcpu_list(&back, 1, 4, &again);
    EXPECT_TEXT(strchr(sb_str(&again), '\n') + 1,
        "web1                                 3     0     2   -b-       5.2 2-3\n"
        "web1                                 3     1     -   --p       0.0 0,2\n");
    xm_domvcpus_free(&back);
    json_free(j);
    sb_free(&sb);
    sb_free(&err);
    sb_free(&again);
}

static void test_uptime(void)
{
    struct xm_dominfo d[4] = {
        dom("Domain-0", 0, 1024, 2, "r-----", 0),
        dom("web1", 3, 512, 1, "-b----", 0),
        dom("db", 12, 512, 1, "-b----", 0),
        dom("off", 0, 512, 1, "------", 0),
    };
    struct tm now = { .tm_hour = 14, .tm_min = 3, .tm_sec = 9 };
    struct strbuf sb = STRBUF_INIT;

    d[0].uptime = 93784.6;
    d[1].uptime = 59.4;
    d[2].uptime = 2 * 86400 + 10 * 3600 + 7;
    d[3].active = false;
    xm_format_uptime(d, 4, false, &now, &sb);
    EXPECT_TEXT(sb_str(&sb),
        "Name                                ID Uptime \n"
        "Domain-0                             0 1 day,  2:03:05\n"
        "web1                                 3  0:00:59\n"
        "db                                  12 2 days, 10:00:07\n"
        "off                                     0:00:00\n");
    sb_reset(&sb);
    d[1].uptime = 3725;
    xm_format_uptime(d, 2, true, &now, &sb);
    EXPECT_TEXT(sb_str(&sb),
        " 14:03:09 up 1 day,  2:03, Domain-0 (0)\n"
        " 14:03:09 up  1:02, web1 (3)\n");
    sb_free(&sb);
}

static void test_dominfo_json(void)
{
    struct xm_dominfo d = dom("web1", 3, 512, 2, "-b---d", 77.25), back;
    struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;

    d.maxmem = 1024;
    d.start_time = 1700000000.5;
    d.uptime = 42;
    d.has_uuid = true;
    for (int i = 0; i < 16; i++)
        d.uuid[i] = (uint8_t)(i * 17);
    struct json *j = xm_dominfo_to_json(&d);
    CU_ASSERT_EQUAL(json_encode(j, &text, &err), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&text),
        "{\"name\":\"web1\",\"domid\":3,\"uuid\":\"00112233-4455-6677-8899-aabbccddeeff\",\"memory\":512,"
        "\"maxmem\":1024,\"vcpus\":2,\"max_vcpus\":2,\"state\":\"-b---d\",\"cpu_time\":77.25,"
        "\"start_time\":1700000000.5,\"uptime\":42.0}");
    CU_ASSERT_EQUAL_FATAL(xm_dominfo_from_json(j, &back, &err), 0);
    CU_ASSERT_STRING_EQUAL(back.name, "web1");
    CU_ASSERT_TRUE(back.active);
    CU_ASSERT_EQUAL(back.domid, 3);
    CU_ASSERT_EQUAL(back.maxmem, 1024);
    CU_ASSERT_EQUAL(back.state, XM_STATE_BLOCKED | XM_STATE_DYING);
    CU_ASSERT_EQUAL(memcmp(back.uuid, d.uuid, 16), 0);
    CU_ASSERT_TRUE(back.uptime == 42.0);
    xm_dominfo_free(&back);
    json_free(j);

    /* Inactive domains have a null domid; unknown members are ignored. */
    const char *text2 = "{\"name\":\"off\",\"domid\":null,\"memory\":256,\"vcpus\":1,\"future\":[1]}";
    j = json_decode(text2, strlen(text2), &err);
    CU_ASSERT_EQUAL_FATAL(xm_dominfo_from_json(j, &back, &err), 0);
    CU_ASSERT_FALSE(back.active);
    CU_ASSERT_EQUAL(back.maxmem, 256);
    CU_ASSERT_TRUE(back.uptime < 0);
    xm_dominfo_free(&back);
    json_free(j);

    static const struct {
        const char *text, *msg;
    } bad[] = {
        { "{\"memory\":1,\"vcpus\":1}", "member \"name\" is missing" },
        { "{\"name\":\"x\",\"domid\":-1,\"memory\":1,\"vcpus\":1}", "member \"domid\" is -1, outside 0..32767" },
        { "{\"name\":\"x\",\"domid\":1,\"memory\":1,\"vcpus\":1}", "member \"state\" is missing" },
        { "{\"name\":\"x\",\"domid\":1,\"memory\":1,\"vcpus\":1,\"state\":\"running\"}",
          "member \"state\" is not a state such as -b----: running" },
        { "{\"name\":\"x\",\"memory\":1,\"vcpus\":1,\"uuid\":\"xyz\"}", "member \"uuid\" is not a UUID: xyz" },
        { "{\"name\":\"x\",\"memory\":1,\"vcpus\":1,\"config\":{\"memory\":\"a\"}}",
          "member \"config\": memory must be a whole number, not str 'a'" },
        { "[]", "a domain must be a JSON object" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sb_reset(&err);
        j = json_decode(bad[i].text, strlen(bad[i].text), &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(j);
        CU_ASSERT_EQUAL(xm_dominfo_from_json(j, &back, &err), -1);
        if (strcmp(sb_str(&err), bad[i].msg))
            printf("\n%s: %s", bad[i].text, sb_str(&err));
        CU_ASSERT_STRING_EQUAL(sb_str(&err), bad[i].msg);
        json_free(j);
    }
    sb_free(&err);
    sb_free(&text);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "xm list", test_list },
        { "state letters", test_states },
        { "xm list -l", test_list_long },
        { "xm info", test_info },
        { "xm vcpu-list", test_vcpu_list },
        { "xm uptime", test_uptime },
        { "domain JSON", test_dominfo_json },
        { NULL, NULL },
    };
    unit_add_suite("xm output formats", cases);
}
