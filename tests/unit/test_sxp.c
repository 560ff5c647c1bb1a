// UNIT-SOURCES: xend/common/xalloc.c xend/common/strbuf.c xend/common/diag.c xend/common/suggest.c xend/config/sxp.c xend/config/xendconfig.c
/* SPDX-License-Identifier: MIT */
/*
 * S-expressions (reading, xend's printing rules and PrettyPrint layout)
 * and the xend-config.sxp options, including every example line of the
 * config/xend-config.sxp we ship.
 */
#include "unit.h"
#include "../../xend/common/diag.h"
#include "../../xend/common/strbuf.h"
#include "../../xend/config/sxp.h"
#include "../../xend/config/xendconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *roundtrip(const char *text)
{
    struct diags d = DIAGS_INIT;
    struct strbuf sb = STRBUF_INIT;
    struct sxp *doc = sxp_parse("t.sxp", text, strlen(text), &d);

    if (!doc) {
        diags_format(&d, &sb);
    } else {
        for (size_t i = 0; i < doc->n; i++) {
            sxp_print(doc->items[i], &sb);
            sb_putc(&sb, '\n');
        }
        sxp_free(doc);
    }
    diags_free(&d);
    return sb_steal(&sb);
}

#define EXPECT_RT(text, expect)                                          \
    do {                                                                 \
        char *got_ = roundtrip(text);                                    \
        if (strcmp(got_, expect))                                        \
            printf("\n--- input\n%s\n--- expected\n%s--- got\n%s", text, expect, got_); \
        CU_ASSERT_STRING_EQUAL(got_, expect);                            \
        free(got_);                                                      \
    } while (0)

static void test_read(void)
{
    EXPECT_RT("(a b)", "(a b)\n");
    EXPECT_RT("  ( a  (b c)\n d ) # comment\n(e)", "(a (b c) d)\n(e)\n");
    EXPECT_RT("atom", "atom\n");
    EXPECT_RT("()", "()\n");
    EXPECT_RT("(x 'a b' \"c'd\" '')", "(x 'a b' \"c'd\" )\n");
    EXPECT_RT("(x 'tab\\there' '\\x41\\102' '\\q' \"\\\"\")", "(x 'tab\\there' AB '\\\\q' '\"')\n");
    EXPECT_RT("(x a#comment\n b)", "(x a b)\n");
    EXPECT_RT("(hosts '^localhost$ ^localhost\\\\.localdomain$')",
              "(hosts '^localhost$ ^localhost\\\\.localdomain$')\n");
    EXPECT_RT("(xen-api-server ((9363 pam '^localhost$ example\\\\.com$') (unix none)))",
              "(xen-api-server ((9363 pam '^localhost$ example\\\\.com$') (unix none)))\n");
    /* errors, with positions */
    EXPECT_RT("(a\n (b c)", "t.sxp:1:1: error: '(' is never closed (the file ends first)\n");
    EXPECT_RT("(a))", "t.sxp:1:4: error: unexpected ')'\n");
    EXPECT_RT("(a 'b)", "t.sxp:1:4: error: unterminated string: no closing ' before the end of the file\n");
    EXPECT_RT("(a b'c')", "t.sxp:1:5: error: quote inside a bare word: put the whole value in quotes\n");
    EXPECT_RT("(a '\\x00')", "t.sxp:1:5: error: a NUL character (\\x00) cannot appear in a string\n");
}

static void test_positions_and_access(void)
{
    struct diags d = DIAGS_INIT;
    const char *text = "# c\n(domain\n  (domid 3)\n  (name 'web 1')\n  (device (vbd (dev xvda))))\n";
    struct sxp *doc = sxp_parse("t", text, strlen(text), &d);

    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL_FATAL(doc->n, 1);
    const struct sxp *dom = doc->items[0];
    CU_ASSERT_EQUAL(dom->line, 2);
    CU_ASSERT_EQUAL(dom->col, 1);
    CU_ASSERT_STRING_EQUAL(sxp_name(dom), "domain");
    CU_ASSERT_STRING_EQUAL(sxp_child_value(dom, "domid"), "3");
    CU_ASSERT_STRING_EQUAL(sxp_child_value(dom, "name"), "web 1");
    CU_ASSERT_TRUE(sxp_child(dom, "name")->items[1]->quoted);
    CU_ASSERT_EQUAL(sxp_child(dom, "name")->items[1]->col, 9);
    const struct sxp *dev = sxp_child(dom, "device");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dev);
    CU_ASSERT_STRING_EQUAL(sxp_child_value(dev->items[1], "dev"), "xvda");
    CU_ASSERT_PTR_NULL(sxp_child(dom, "nothing"));
    CU_ASSERT_PTR_NULL(sxp_child_value(dom, "device"));     /* not an atom value */
    sxp_free(doc);

    /* Nesting is bounded. */
    struct strbuf deep = STRBUF_INIT;
    sb_repeat(&deep, '(', SXP_MAX_DEPTH + 1);
    sb_repeat(&deep, ')', SXP_MAX_DEPTH + 1);
    CU_ASSERT_PTR_NULL(sxp_parse("t", deep.buf, deep.len, &d));
    CU_ASSERT_EQUAL(d.errors, 1);
    sb_free(&deep);
    diags_free(&d);
}

static void test_atoms(void)
{
    static const struct {
        const char *atom, *printed;
    } cases[] = {
        { "plain", "plain" }, { "00:16:3e:1b:8b:d2", "00:16:3e:1b:8b:d2" },
        { "phy:/dev/vg/x", "phy:/dev/vg/x" }, { "-b----", "-b----" }, { "1.5", "1.5" },
        { "~user", "~user" }, { "", "" }, { "@", "@" }, { "a b", "'a b'" }, { "0-3,5", "'0-3,5'" },
        { "it's", "\"it's\"" }, { "both'\"", "'both\\'\"'" }, { "w!", "'w!'" },
        { "a\nb", "'a\\nb'" }, { "back\\slash", "'back\\\\slash'" }, { "\x01", "'\\x01'" },
        { "(x)", "'(x)'" }, { "#", "'#'" },
    };
    struct strbuf sb = STRBUF_INIT;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sb_reset(&sb);
        sxp_print_atom(cases[i].atom, &sb);
        CU_ASSERT_STRING_EQUAL(sb_str(&sb), cases[i].printed);
        /* What we print reads back as the same atom (except the empty one, as in xend). */
        if (cases[i].atom[0]) {
            struct diags d = DIAGS_INIT;
            struct sxp *doc = sxp_parse("t", sb.buf, sb.len, &d);
            CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
            CU_ASSERT_STRING_EQUAL(doc->items[0]->atom, cases[i].atom);
            sxp_free(doc);
            diags_free(&d);
        }
    }
    sb_free(&sb);
}

static void test_build_and_pretty(void)
{
    struct sxp *dom = sxp_named("domain");
    struct strbuf sb = STRBUF_INIT;

    sxp_add(dom, "domid", "1");
    sxp_addf(dom, "memory", "%d", 512);
    struct sxp *dev = sxp_append(dom, sxp_named("device"));
    struct sxp *vif = sxp_append(dev, sxp_named("vif"));
    sxp_add(vif, "bridge", "xenbr0");
    sxp_add(vif, "mac", "00:16:3e:1b:8b:d2");
    sxp_add(vif, "script", "/etc/xen/scripts/vif-bridge");
    sxp_add(vif, "uuid", "a7c1d52b-4ff1-4e2b-98d5-1f9a0d6c2f10");

    sxp_print(dom, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb),
        "(domain (domid 1) (memory 512) (device (vif (bridge xenbr0) (mac 00:16:3e:1b:8b:d2) "
        "(script /etc/xen/scripts/vif-bridge) (uuid a7c1d52b-4ff1-4e2b-98d5-1f9a0d6c2f10))))");

    /* xend's PrettyPrint: break a list only when it does not fit. */
    sb_reset(&sb);
    sxp_pretty(dom, 80, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb),
        "(domain\n"
        "    (domid 1)\n"
        "    (memory 512)\n"
        "    (device\n"
        "        (vif\n"
        "            (bridge xenbr0)\n"
        "            (mac 00:16:3e:1b:8b:d2)\n"
        "            (script /etc/xen/scripts/vif-bridge)\n"
        "            (uuid a7c1d52b-4ff1-4e2b-98d5-1f9a0d6c2f10)\n"
        "        )\n"
        "    )\n"
        ")\n");
    sb_reset(&sb);
    sxp_pretty(vif, 200, &sb);
    CU_ASSERT_EQUAL(strchr(sb_str(&sb), '\n') - sb_str(&sb), (long)sb.len - 1);  /* one line */
    /* Exactly at the width still fits; one more column breaks. */
    struct sxp *l = sxp_named("kk");
    sxp_add(l, "a", "b");   /* "(kk (a b))" is 10 columns */
    sb_reset(&sb);
    sxp_pretty(l, 10, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "(kk (a b))\n");
    sb_reset(&sb);
    sxp_pretty(l, 9, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "(kk\n    (a b)\n)\n");
    sb_reset(&sb);
    sxp_pretty(l, 8, &sb);  /* "(a b)" at column 4 no longer fits either */
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "(kk\n    (a\n        b\n    )\n)\n");
    sxp_free(l);
    /* A list whose first element is a list breaks after '(' too. */
    l = sxp_list();
    sxp_append(l, sxp_named("unix"));
    sxp_append(l, sxp_named("9363"));
    sb_reset(&sb);
    sxp_pretty(l, 10, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "((unix)\n    (9363)\n)\n");
    sxp_free(l);
    sxp_free(dom);
    sb_free(&sb);
}

/* ---- xend-config.sxp ---- */

static int parse_opts(const char *text, struct xend_options *o, struct strbuf *msgs)
{
    struct diags d = DIAGS_INIT;
    int rc = xend_options_parse("x.sxp", text, strlen(text), o, &d);

    diags_format(&d, msgs);
    diags_free(&d);
    return rc;
}

static void test_defaults(void)
{
    struct xend_options o;
    struct strbuf sb = STRBUF_INIT;

    CU_ASSERT_EQUAL(parse_opts("", &o, &sb), 0);
    CU_ASSERT_STRING_EQUAL(o.logfile, "/var/log/xen/xend.log");
    CU_ASSERT_STRING_EQUAL(o.loglevel, "DEBUG");
    CU_ASSERT_STRING_EQUAL(o.xend_json_socket, "/var/run/xend/xend.sock");
    CU_ASSERT_STRING_EQUAL(o.xend_unix_path, "/var/lib/xend/xend-socket");
    CU_ASSERT_TRUE(o.xend_unix_xmlrpc_server);
    CU_ASSERT_FALSE(o.xend_relocation_server);
    CU_ASSERT_EQUAL(o.xend_relocation_port, 8002);
    CU_ASSERT_EQUAL(o.xend_relocation_ssl_port, 8003);
    CU_ASSERT_STRING_EQUAL(o.vif_script, "vif-bridge");
    CU_ASSERT_STRING_EQUAL(o.network_script, "");
    CU_ASSERT_EQUAL(o.dom0_min_mem, 0);
    CU_ASSERT_FALSE(o.enable_dom0_ballooning);
    CU_ASSERT_EQUAL(o.console_limit, 1024);
    CU_ASSERT_EQUAL(o.device_create_timeout, 100);
    CU_ASSERT_STRING_EQUAL(o.xend_domains_path, "/var/lib/xend/domains");
    CU_ASSERT_STRING_EQUAL(o.xen_api_server, "((unix))");
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "");
    xend_options_free(&o);
    sb_free(&sb);
}

static void test_options(void)
{
    struct xend_options o;
    struct strbuf sb = STRBUF_INIT;
    const char *text =
        "(logfile /tmp/x.log) (loglevel info)\n"
        "(network-script 'network-bridge netdev=eth1')\n"
        "(vif-script vif-route)\n"
        "(dom0-min-mem 196)\n"
        "(dom0-cpus 1)\n"
        "(xend-relocation-hosts-allow '^localhost$ ^localhost\\\\.localdomain$')\n"
        "(xen-api-server ((9363 pam '^localhost$') (unix none)))\n"
        "(enable-dump y)\n";

    CU_ASSERT_EQUAL(parse_opts(text, &o, &sb), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "");
    CU_ASSERT_STRING_EQUAL(o.logfile, "/tmp/x.log");
    CU_ASSERT_STRING_EQUAL(o.loglevel, "INFO");
    CU_ASSERT_STRING_EQUAL(o.network_script, "network-bridge netdev=eth1");
    CU_ASSERT_STRING_EQUAL(o.vif_script, "vif-route");
    CU_ASSERT_EQUAL(o.dom0_min_mem, 196);
    CU_ASSERT_TRUE(o.enable_dom0_ballooning);   /* follows dom0-min-mem */
    CU_ASSERT_EQUAL(o.dom0_cpus, 1);
    CU_ASSERT_STRING_EQUAL(o.xend_relocation_hosts_allow, "^localhost$ ^localhost\\.localdomain$");
    CU_ASSERT_STRING_EQUAL(o.xen_api_server, "((9363 pam '^localhost$') (unix none))");
    CU_ASSERT_TRUE(o.enable_dump);

    sb_reset(&sb);
    xend_options_dump(&o, &sb);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&sb), "\nnetwork-script                        : network-bridge netdev=eth1\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&sb), "\nxend-relocation-server                : no\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&sb), "\nxend-address                          : (none)\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&sb), "\ndom0-min-mem                          : 196\n"));
    xend_options_free(&o);

    sb_reset(&sb);
    CU_ASSERT_EQUAL(parse_opts("(dom0-min-mem 196) (enable-dom0-ballooning no)", &o, &sb), 0);
    CU_ASSERT_FALSE(o.enable_dom0_ballooning);
    xend_options_free(&o);

    sb_reset(&sb);
    xend_script_command("network-bridge netdev=eth1 ", &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "/etc/xen/scripts/network-bridge netdev=eth1");
    sb_reset(&sb);
    xend_script_command("/usr/local/bin/mynet start", &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "/usr/local/bin/mynet start");
    sb_reset(&sb);
    xend_script_command("", &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "");
    sb_free(&sb);
}

static void test_option_errors(void)
{
    struct xend_options o;
    struct strbuf sb = STRBUF_INIT;
    const char *text =
        "(logfile /a) (logfile /b)\n"
        "(dom0-min-mem lots)\n"
        "(xend-relocation-port 70000)\n"
        "(enable-dump maybe)\n"
        "(loglevel verbose)\n"
        "(network-script network-bridge netdev=eth1)\n"
        "(vif-script (vif-bridge))\n"
        "bare\n"
        "(dom0-min-memory 128)\n"
        "(frobnicate 1)\n"
        "(console-limit)\n"
        "(xend-http-server yes)\n";

    CU_ASSERT_EQUAL(parse_opts(text, &o, &sb), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb),
        "x.sxp:1:14: error: logfile is already set at line 1\n"
        "x.sxp:2:15: error: dom0-min-mem must be a whole number, not 'lots'\n"
        "x.sxp:3:23: error: xend-relocation-port 70000 is out of range (1 to 65535)\n"
        "x.sxp:4:14: error: enable-dump must be yes or no, not 'maybe'\n"
        "x.sxp:5:11: error: loglevel 'verbose' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL\n"
        "x.sxp:6:32: error: network-script takes one value; put a value with blanks in quotes, e.g. (network-script 'a b')\n"
        "x.sxp:7:13: error: vif-script takes a single value, not a list\n"
        "x.sxp:8:1: error: expected a setting such as (logfile /var/log/xen/xend.log)\n"
        "x.sxp:9:2: warning: unknown option 'dom0-min-memory' is ignored (did you mean 'dom0-min-mem'?)\n"
        "x.sxp:10:2: warning: unknown option 'frobnicate' is ignored\n"
        "x.sxp:11:1: warning: console-limit has no value; the default (1024) applies\n"
        "x.sxp:12:19: warning: xend-http-server: Xeno's xend does not provide this server; xm uses xend-json-socket\n");
    CU_ASSERT_STRING_EQUAL(o.logfile, "/a");     /* good settings still apply */
    CU_ASSERT_EQUAL(o.console_limit, 1024);
    xend_options_free(&o);

    sb_reset(&sb);
    CU_ASSERT_EQUAL(parse_opts("(logfile", &o, &sb), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "x.sxp:1:1: error: '(' is never closed (the file ends first)\n");
    xend_options_free(&o);
    sb_free(&sb);
}

/* Every "#(option ...)" example line of the shipped file must load on its own. */
static void test_shipped_file(void)
{
    char path[4096];
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    snprintf(path, sizeof(path), "%.*s/../../config/xend-config.sxp", (int)(slash - here), here);

    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    struct strbuf all = STRBUF_INIT;
    char line[1024];
    unsigned int examples = 0;
    while (fgets(line, sizeof(line), f)) {
        sb_puts(&all, line);
        if (strncmp(line, "#(", 2) != 0)
            continue;
        struct xend_options o;
        struct strbuf msgs = STRBUF_INIT;
        struct diags d = DIAGS_INIT;
        int rc = xend_options_parse(path, line + 1, strlen(line + 1), &o, &d);
        diags_format(&d, &msgs);
        if (rc != 0 || d.n != 0)
            printf("\n%s: example %s gives:\n%s", path, line, sb_str(&msgs));
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT_EQUAL(d.n, 0);
        xend_options_free(&o);
        diags_free(&d);
        sb_free(&msgs);
        examples++;
    }
    CU_ASSERT_EQUAL(fclose(f), 0);
    CU_ASSERT_TRUE(examples >= 40);

    /* As shipped (everything commented out) it gives the defaults. */
    struct xend_options o, def;
    struct diags d = DIAGS_INIT;
    struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    CU_ASSERT_EQUAL(xend_options_parse(path, all.buf, all.len, &o, &d), 0);
    CU_ASSERT_EQUAL(d.n, 0);
    xend_options_init(&def);
    xend_options_dump(&o, &a);
    xend_options_dump(&def, &b);
    CU_ASSERT_STRING_EQUAL(sb_str(&a), sb_str(&b));
    xend_options_free(&o);
    xend_options_free(&def);
    diags_free(&d);
    sb_free(&a);
    sb_free(&b);
    sb_free(&all);
}

/* Damaged settings files: no crash, no leak, diagnostics inside the text. */
static void test_mutations(void)
{
    static const char base[] =
        "# xend\n(logfile /var/log/xen/xend.log)\n(network-script 'network-bridge netdev=eth1')\n"
        "(xen-api-server ((9363 pam '^localhost$ example\\\\.com$') (unix none)))\n"
        "(dom0-min-mem 196) (enable-dump yes)\n(xend-relocation-hosts-allow \"^a\\x41$\")\n";
    static const char bytes[] = "()'\"#\\ \n\tx0-";
    unsigned int seed = 12345;

    for (int k = 0; k < 3000; k++) {
        struct strbuf m = STRBUF_INIT;
        sb_puts(&m, base);
        for (int e = 0; e < 3 && m.len; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % m.len;
            seed = seed * 1103515245u + 12345u;
            char c = bytes[(seed >> 8) % (sizeof(bytes) - 1)];
            if ((seed >> 20) & 1) {
                m.buf[at] = c;
            } else {
                memmove(m.buf + at, m.buf + at + 1, m.len - at - 1);
                m.len--;
            }
        }
        struct xend_options o;
        struct diags d = DIAGS_INIT;
        (void)xend_options_parse("m", m.buf, m.len, &o, &d);
        unsigned int lines = 1;
        for (size_t i = 0; i < m.len; i++)
            lines += m.buf[i] == '\n';
        for (size_t i = 0; i < d.n; i++)
            CU_ASSERT_TRUE(d.v[i].line >= 1 && d.v[i].line <= lines);
        xend_options_free(&o);
        diags_free(&d);
        sb_free(&m);
    }
}

void unit_register(void)
{
    static const struct unit_case sxp[] = {
        { "read and print", test_read },
        { "positions and child access", test_positions_and_access },
        { "atom quoting", test_atoms },
        { "build and pretty-print", test_build_and_pretty },
        { NULL, NULL },
    };
    static const struct unit_case cfg[] = {
        { "defaults", test_defaults },
        { "options", test_options },
        { "errors and warnings", test_option_errors },
        { "shipped config/xend-config.sxp", test_shipped_file },
        { "damaged files", test_mutations },
        { NULL, NULL },
    };
    unit_add_suite("sxp", sxp);
    unit_add_suite("xend-config.sxp", cfg);
}
