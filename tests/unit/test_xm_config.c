// UNIT-SOURCES: xend/common/xalloc.c xend/common/strbuf.c xend/common/diag.c xend/common/suggest.c xend/config/pyvalue.c xend/config/pylex.c xend/config/pyconf.c xend/config/pyops.c xend/config/xmcpus.c xend/config/xmdisk.c xend/config/xmvif.c xend/config/xmkeys.c xend/config/xmconfig.c xend/config/xmconfig_out.c xend/config/xmconfig_json.c xend/config/sxp.c xend/common/json.c xend/common/dominfo.c
// UNIT-LIBS: -l:libyajl_s.a -lm
/* SPDX-License-Identifier: MIT */
/*
 * The xm config reader piece by piece: the Python subset (pyconf), the
 * device specs (xmdev), CPU sets (xmcpus) and the key rules (xmconfig).
 * Whole files are covered by the golden tests (test_xm_golden.c).
 */
#include "unit.h"
#include "../../xend/common/diag.h"
#include "../../xend/common/json.h"
#include "../../xend/common/strbuf.h"
#include "../../xend/common/suggest.h"
#include "../../xend/config/pyconf.h"
#include "../../xend/config/pyvalue.h"
#include "../../xend/config/xmconfig.h"
#include "../../xend/config/xmcpus.h"
#include "../../xend/config/xmdev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* Parse text; return "name = repr" lines and the diagnostics. */
static char *eval(const char *text)
{
    struct pyconf env;
    struct diags d = DIAGS_INIT;
    struct strbuf sb = STRBUF_INIT;

    pyconf_init(&env);
    pyconf_parse(&env, "t.cfg", text, strlen(text), &d);
    diags_format(&d, &sb);
    for (size_t i = 0; i < env.n; i++) {
        sb_printf(&sb, "%s = ", env.v[i].name);
        pyv_repr(env.v[i].value, &sb);
        sb_putc(&sb, '\n');
    }
    pyconf_free(&env);
    diags_free(&d);
    return sb_steal(&sb);
}

#define EXPECT_EVAL(text, expect)                                        \
    do {                                                                 \
        char *got_ = eval(text);                                         \
        if (strcmp(got_, expect) != 0)                                   \
            printf("\n--- input\n%s\n--- expected\n%s--- got\n%s", text, expect, got_); \
        CU_ASSERT_STRING_EQUAL(got_, expect);                            \
        free(got_);                                                      \
    } while (0)

/* The value of one expression: "x = EXPR". */
static char *value_of(const char *expr)
{
    char text[512];
    snprintf(text, sizeof(text), "x = %s\n", expr);
    return eval(text);
}

#define EXPECT_VALUE(expr, repr)                                         \
    do {                                                                 \
        char *got_ = value_of(expr);                                     \
        char want_[512];                                                 \
        snprintf(want_, sizeof(want_), "x = %s\n", repr);                \
        if (strcmp(got_, want_) != 0)                                    \
            printf("\n%s: expected %s got %s", expr, want_, got_);       \
        CU_ASSERT_STRING_EQUAL(got_, want_);                             \
        free(got_);                                                      \
    } while (0)

/* The first diagnostic of parsing text, without a trailing newline. */
static char *first_diag(const char *text)
{
    char *all = eval(text);
    char *nl = strchr(all, '\n');
    if (nl)
        *nl = '\0';
    return all;
}

#define EXPECT_ERROR(text, msg)                                          \
    do {                                                                 \
        char *got_ = first_diag(text);                                   \
        if (strcmp(got_, msg) != 0)                                      \
            printf("\n--- input\n%s\n--- expected\n%s\n--- got\n%s\n", text, msg, got_); \
        CU_ASSERT_STRING_EQUAL(got_, msg);                               \
        free(got_);                                                      \
    } while (0)

/* ---- the Python subset ---- */

static void test_literals(void)
{
    EXPECT_VALUE("128", "128");
    EXPECT_VALUE("0x1f", "31");
    EXPECT_VALUE("0o17", "15");
    EXPECT_VALUE("0b101", "5");
    EXPECT_VALUE("0", "0");
    EXPECT_VALUE("00", "0");
    EXPECT_VALUE("512L", "512");
    EXPECT_VALUE("-5", "-5");
    EXPECT_VALUE("1.5", "1.5");
    EXPECT_VALUE("1500.0", "1500.0");
    EXPECT_VALUE("1e3", "1000.0");
    EXPECT_VALUE(".25", "0.25");
    EXPECT_VALUE("1e16", "1e+16");
    EXPECT_VALUE("True", "True");
    EXPECT_VALUE("False", "False");
    EXPECT_VALUE("None", "None");
    EXPECT_VALUE("[]", "[]");
    EXPECT_VALUE("()", "()");
    EXPECT_VALUE("[1, 'a', [2]]", "[1, 'a', [2]]");
    EXPECT_VALUE("(1,)", "(1,)");
    EXPECT_VALUE("(1)", "1");
    EXPECT_VALUE("1, 2", "(1, 2)");
    EXPECT_VALUE("[1,]", "[1]");
}

static void test_strings(void)
{
    EXPECT_VALUE("'a'", "'a'");
    EXPECT_VALUE("\"it's\"", "\"it's\"");
    EXPECT_VALUE("'a\\tb\\n'", "'a\\tb\\n'");
    EXPECT_VALUE("'\\x41\\101\\\\'", "'AA\\\\'");
    EXPECT_VALUE("'\\d'", "'\\\\d'");              /* unknown escape keeps the backslash */
    EXPECT_VALUE("r'\\d\\n'", "'\\\\d\\\\n'");
    EXPECT_VALUE("R\"a\\\"b\"", "'a\\\\\"b'");     /* raw: \" keeps both characters */
    EXPECT_VALUE("u'x' b'y' 'z'", "'xyz'");
    EXPECT_VALUE("'''a\nb'''", "'a\\nb'");
    EXPECT_VALUE("\"\"\"q\"x\"\"\"", "'q\"x'");
    EXPECT_VALUE("'a\\\nb'", "'ab'");               /* backslash-newline inside a string */
    EXPECT_VALUE("'\\''", "\"'\"");
}

static void test_operators(void)
{
    EXPECT_VALUE("2 * 256 + 1", "513");
    EXPECT_VALUE("2 + 3 * 4", "14");
    EXPECT_VALUE("(2 + 3) * 4", "20");
    EXPECT_VALUE("7 // 2", "3");
    EXPECT_VALUE("-7 // 2", "-4");
    EXPECT_VALUE("-7 % 3", "2");
    EXPECT_VALUE("7 % -3", "-2");
    EXPECT_VALUE("10 - 2 - 3", "5");
    EXPECT_VALUE("--3", "3");
    EXPECT_VALUE("True + 1", "2");
    EXPECT_VALUE("1.5 * 2", "3.0");
    EXPECT_VALUE("'ab' + 'cd'", "'abcd'");
    EXPECT_VALUE("'ab' * 2", "'abab'");
    EXPECT_VALUE("2 * [0]", "[0, 0]");
    EXPECT_VALUE("[1] + [2, 3]", "[1, 2, 3]");
    EXPECT_VALUE("'vm%d' % 3", "'vm3'");
    EXPECT_VALUE("'%s-%s' % ('a', 1)", "'a-1'");
    EXPECT_VALUE("'%03d|%-3s|%x|%X|%o|%%' % (7, 'a', 255, 255, 8)", "'007|a  |ff|FF|10|%'");
    EXPECT_VALUE("'%r' % 'q'", "\"'q'\"");
    EXPECT_VALUE("'%.2f' % 1.005", "'1.00'");
    EXPECT_VALUE("'%x' % -255", "'-ff'");
    EXPECT_VALUE("'%s' % [1, 2]", "'[1, 2]'");
    EXPECT_VALUE("'%c%c' % (65, 'b')", "'Ab'");
}

static void test_operator_errors(void)
{
    EXPECT_ERROR("x = 'a' + 1\n",
                 "t.cfg:1:9: error: cannot add str and int: convert with \"%d\" % value, or write both as strings");
    EXPECT_ERROR("x = 1 // 0\n", "t.cfg:1:7: error: integer division or modulo by zero");
    EXPECT_ERROR("x = 9223372036854775807 + 1\n", "t.cfg:1:25: error: integer overflow in '+'");
    EXPECT_ERROR("x = 6 / 2\n",
                 "t.cfg:1:7: error: '/' means different things in Python 2 and 3: use // for integer division");
    EXPECT_ERROR("x = 2 ** 3\n", "t.cfg:1:7: error: '**' is not supported in xm config files");
    EXPECT_ERROR("x = '%d' % 'a'\n", "t.cfg:1:10: error: %d format: a number is required, not str");
    EXPECT_ERROR("x = '%d %d' % 1\n", "t.cfg:1:13: error: not enough arguments for format string");
    EXPECT_ERROR("x = '%d' % (1, 2)\n",
                 "t.cfg:1:10: error: not all arguments converted during string formatting");
    EXPECT_ERROR("x = '%(a)s' % 1\n",
                 "t.cfg:1:13: error: %(name) formats need a dict, which xm configs do not have");
    EXPECT_ERROR("x = -'a'\n", "t.cfg:1:5: error: bad operand type for unary -: str");
    EXPECT_ERROR("x = 1 == 1\n", "t.cfg:1:7: error: operator '==' is not supported in xm config files");
    EXPECT_ERROR("x = 1 and 2\n", "t.cfg:1:7: error: 'and' is not supported in xm config files");
    EXPECT_ERROR("x = not 1\n",
                 "t.cfg:1:5: error: 'not' is not supported in xm config files (only literals, names, + - * // % and brackets)");
    EXPECT_ERROR("x = {'a': 1}\n", "t.cfg:1:5: error: dictionaries ({...}) are not supported in xm config files");
    EXPECT_ERROR("x = [i for i in y]\n", "t.cfg:1:8: error: comprehensions are not supported");
    EXPECT_ERROR("x = 'ab' * 9999999\n", "t.cfg:1:5: error: string repetition makes a string longer than 1 MiB");
}

static void test_statements(void)
{
    EXPECT_EVAL("a = 1; b = a + 1;\nc = [a,\n  b]\n", "a = 1\nb = 2\nc = [1, 2]\n");
    EXPECT_EVAL("# only comments\n\n   # indented comment\n", "");
    EXPECT_EVAL("a = \\\n  5\n", "a = 5\n");
    EXPECT_EVAL("d = ['x']\nd += ['y']\nd += []\n", "d = ['x', 'y']\n");
    EXPECT_EVAL("s = 'a'\ns += 'b'\n", "s = 'ab'\n");
    EXPECT_EVAL("a = 1\r\nb = 2\r\n", "a = 1\nb = 2\n");
    EXPECT_EVAL("a = 1", "a = 1\n");    /* no final newline */
    EXPECT_ERROR("a = 1\na = 2\n",
                 "t.cfg:2:1: error: 'a' is already set at line 1; each setting may appear once (use += to extend a list)");
    EXPECT_ERROR("d += ['y']\n", "t.cfg:1:1: error: 'd' is not set yet: '+=' extends an earlier 'd = ...'");
    EXPECT_ERROR("a = b = 1\n", "t.cfg:1:7: error: chained assignment (a = b = value) is not supported");
    EXPECT_ERROR("a, b = 1, 2\n", "t.cfg:1:2: error: assigning to several names at once is not supported");
    EXPECT_ERROR("a -= 1\n", "t.cfg:1:3: error: '-=' is not supported: only '=' and '+='");
    EXPECT_ERROR("a 1\n", "t.cfg:1:3: error: expected '=' after 'a', found number 1");
    EXPECT_ERROR("a =\n", "t.cfg:1:4: error: expected a value after 'a ='");
    EXPECT_ERROR("a = 1 2\n",
                 "t.cfg:1:7: error: expected the end of the line after the value of 'a', found number 2");
    EXPECT_ERROR("print 'x'\n",
                 "t.cfg:1:1: error: 'print' statements are not supported: an xm config file holds only NAME = VALUE settings");
    EXPECT_ERROR("f(1)\n",
                 "t.cfg:1:1: error: function calls such as f(...) are not supported: xm config files are read, not run as Python");
    EXPECT_ERROR("'x'\n", "t.cfg:1:1: error: expected a setting (NAME = VALUE), found a string");
    EXPECT_ERROR("True = 1\n", "t.cfg:1:1: error: cannot assign to True");
    EXPECT_ERROR("a = x[0]\n", "t.cfg:1:6: error: indexing (x[...]) is not supported");
    EXPECT_ERROR(" a = 1\n", "t.cfg:1:2: error: unexpected indentation: settings start in the first column");
    EXPECT_ERROR("a = 1 \\ 2\n",
                 "t.cfg:1:7: error: a backslash outside a string must be the last character of the line");
}

static void test_lexical_errors(void)
{
    EXPECT_ERROR("a = 'abc\n", "t.cfg:1:5: error: unterminated string: no closing ' before the end of the line");
    EXPECT_ERROR("a = '''abc\n\n",
                 "t.cfg:1:5: error: unterminated string: no closing ''' before the end of the file");
    EXPECT_ERROR("a = [1,\n 2\n", "t.cfg:1:5: error: '[' is never closed (the file ends first)");
    EXPECT_ERROR("a = (1\nb = 2\n",
                 "t.cfg:2:1: error: expected ',' or ')' to continue the '(' opened at 1:5, found name 'b'");
    EXPECT_ERROR("a = 0755\n",
                 "t.cfg:1:5: error: number '0755' has a leading zero: write 0o755 for octal or 755 for decimal");
    EXPECT_ERROR("a = 12ab\n", "t.cfg:1:5: error: invalid number '12ab'");
    EXPECT_ERROR("a = 0x\n", "t.cfg:1:5: error: invalid number '0x': no digits after the prefix");
    EXPECT_ERROR("a = 99999999999999999999\n", "t.cfg:1:5: error: number '99999999999999999999' is too large");
    EXPECT_ERROR("a = '\\x4'\n", "t.cfg:1:6: error: invalid \\x escape: two hex digits must follow");
    EXPECT_ERROR("a = '\\0'\n", "t.cfg:1:6: error: a NUL character (\\0) cannot appear in a config string");
    EXPECT_ERROR("a = $\n", "t.cfg:1:5: error: unexpected character '$'");
    EXPECT_ERROR("a = 1\nb = \x01\n", "t.cfg:2:5: error: unexpected character byte 0x01");
    /* One error per line; later lines are still read. */
    EXPECT_EVAL("a = $\nb = 2\nc = 'x\nd = 4\n",
                "t.cfg:1:5: error: unexpected character '$'\n"
                "t.cfg:3:5: error: unterminated string: no closing ' before the end of the line\n"
                "b = 2\nd = 4\n");
}

static void test_names(void)
{
    struct pyconf env;
    struct diags d = DIAGS_INIT;
    const char *text = "name = 'vm%d' % vmid\nmemory = 512\nmaxmem = memory * 2\n";

    pyconf_init(&env);
    pyconf_set(&env, "vmid", pyv_int(7, 0, 0), PYCONF_CMDLINE, 0, 0);
    pyconf_set(&env, "memory", pyv_int(64, 0, 0), PYCONF_CMDLINE, 0, 0);
    CU_ASSERT_EQUAL(pyconf_parse(&env, "t.cfg", text, strlen(text), &d), 0);
    CU_ASSERT_EQUAL(d.n, 0);
    struct pyconf_binding *b = pyconf_find(&env, "name");
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(b->value->u.s, "vm7");
    b = pyconf_find(&env, "memory");
    CU_ASSERT_EQUAL(b->value->u.i, 64);             /* the command line wins... */
    CU_ASSERT_EQUAL(b->origin, PYCONF_CMDLINE);
    CU_ASSERT_EQUAL(b->file_line, 2);               /* ...and we know the file set it too */
    CU_ASSERT_EQUAL(pyconf_find(&env, "maxmem")->value->u.i, 128);  /* later uses see 64 */
    CU_ASSERT_TRUE(pyconf_find(&env, "vmid")->referenced);
    CU_ASSERT_FALSE(pyconf_find(&env, "maxmem")->referenced);
    pyconf_free(&env);
    diags_free(&d);

    EXPECT_ERROR("a = b\n",
                 "t.cfg:1:5: error: name 'b' is not defined: set it earlier in the file or on the command line (b=VALUE); quote it if it is meant as text");
}

static void test_positions(void)
{
    struct pyconf env;
    struct diags d = DIAGS_INIT;
    const char *text = "\n  # x\ndisk = [ 'a',\n         \"b\\n\", 'c' 'd' ]\n";

    pyconf_init(&env);
    CU_ASSERT_EQUAL(pyconf_parse(&env, "t.cfg", text, strlen(text), &d), 0);
    struct pyvalue *v = pyconf_find(&env, "disk")->value;
    CU_ASSERT_EQUAL(v->line, 3);
    CU_ASSERT_EQUAL(v->col, 8);
    CU_ASSERT_EQUAL(v->u.list.items[0]->line, 3);
    CU_ASSERT_EQUAL(v->u.list.items[0]->col, 10);
    CU_ASSERT_EQUAL(v->u.list.items[0]->text_col, 11);
    CU_ASSERT_EQUAL(v->u.list.items[1]->line, 4);
    CU_ASSERT_EQUAL(v->u.list.items[1]->col, 10);
    CU_ASSERT_EQUAL(v->u.list.items[1]->text_col, 0);   /* escapes: no exact column */
    CU_ASSERT_EQUAL(v->u.list.items[2]->text_col, 0);   /* joined literals */
    pyconf_free(&env);
    diags_free(&d);
}

static void test_literal_values(void)
{
    struct diags d = DIAGS_INIT;
    struct pyvalue *v = pyconf_parse_literal("command line", "['a', 'b']", &d);
    struct strbuf sb = STRBUF_INIT;

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    pyv_repr(v, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "['a', 'b']");
    pyv_free(v);
    CU_ASSERT_PTR_NULL(pyconf_parse_literal("command line", "[a]", &d));
    CU_ASSERT_PTR_NULL(pyconf_parse_literal("command line", "[1] x", &d));
    CU_ASSERT_EQUAL(d.errors, 2);
    sb_free(&sb);
    diags_free(&d);
}

/* ---- device specs ---- */

static void test_vdev_numbers(void)
{
    static const struct {
        const char *name;
        uint32_t devid;
    } ok[] = {
        { "xvda", 51712 }, { "xvda1", 51713 }, { "xvdb", 51728 }, { "xvdp15", 51967 },
        { "xvdq", (1u << 28) | (16 << 8) }, { "xvda16", (1u << 28) | 16 },
        { "xvdaa", (1u << 28) | (26 << 8) }, { "sda", 2048 }, { "sda1", 2049 },
        { "sdq", 65 << 8 }, { "hda", 768 }, { "hdb", 832 }, { "hdc", 22 << 8 },
        { "hdd3", (22 << 8) | 64 | 3 }, { "51712", 51712 }, { "0", 0 },
    };
    static const char *const bad[] = {
        "vda", "xvd", "xvda0", "xvdA", "xvda1x", "sda16", "hdu", "xvda256", "", "12a",
        "99999999999",
    };
    struct strbuf err = STRBUF_INIT;

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        uint32_t n = 0;
        CU_ASSERT_EQUAL(xm_vdev_number(ok[i].name, &n, &err), 0);
        if (n != ok[i].devid)
            printf("\n%s: %u, expected %u", ok[i].name, n, ok[i].devid);
        CU_ASSERT_EQUAL(n, ok[i].devid);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t n;
        sb_reset(&err);
        CU_ASSERT_EQUAL(xm_vdev_number(bad[i], &n, &err), -1);
        CU_ASSERT_TRUE(err.len > 0);
    }
    sb_free(&err);
}

static void test_disk_specs(void)
{
    struct xm_disk d;
    struct strbuf err = STRBUF_INIT;
    size_t off;

    CU_ASSERT_EQUAL_FATAL(xm_disk_parse(" phy:/dev/vg/x , xvda1 , w ", &d, &err, &off), 0);
    CU_ASSERT_STRING_EQUAL(d.uname, "phy:/dev/vg/x");
    CU_ASSERT_STRING_EQUAL(d.type, "phy");
    CU_ASSERT_STRING_EQUAL(d.target, "/dev/vg/x");
    CU_ASSERT_STRING_EQUAL(d.vdev, "xvda1");
    CU_ASSERT_EQUAL(d.devid, 51713);
    CU_ASSERT_EQUAL(d.mode, XM_DISK_W);
    CU_ASSERT_PTR_NULL(d.backend);
    xm_disk_free(&d);

    CU_ASSERT_EQUAL_FATAL(xm_disk_parse("tap2:tapdisk:aio:/i.img,xvdb:disk,w!,dd,x86_64-abi", &d, &err,
                                        &off), 0);
    CU_ASSERT_STRING_EQUAL(d.type, "tap2:tapdisk:aio");
    CU_ASSERT_STRING_EQUAL(d.target, "/i.img");
    CU_ASSERT_FALSE(d.cdrom);
    CU_ASSERT_EQUAL(d.mode, XM_DISK_W_SHARED);
    CU_ASSERT_STRING_EQUAL(d.backend, "dd");
    CU_ASSERT_STRING_EQUAL(d.protocol, "x86_64-abi");
    struct xm_disk copy;
    xm_disk_copy(&copy, &d);
    xm_disk_free(&d);
    CU_ASSERT_STRING_EQUAL(copy.backend, "dd");
    xm_disk_free(&copy);

    CU_ASSERT_EQUAL_FATAL(xm_disk_parse(",hdc:cdrom,r", &d, &err, &off), 0);
    CU_ASSERT_TRUE(d.cdrom);
    CU_ASSERT_STRING_EQUAL(d.uname, "");
    CU_ASSERT_EQUAL(d.devid, 22 << 8);
    xm_disk_free(&d);

    /* Errors point at the field. */
    CU_ASSERT_EQUAL(xm_disk_parse("phy:/dev/x,xvda,q", &d, &err, &off), -1);
    CU_ASSERT_EQUAL(off, 16);
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_disk_parse("phy:/dev/x,xvd7,w", &d, &err, &off), -1);
    CU_ASSERT_EQUAL(off, 11);
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_disk_parse("a,b,c,d,e,f", &d, &err, &off), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&err), "6 comma-separated fields or more"));
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_disk_parse("phy:,xvda,w", &d, &err, &off), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&err), "names no device"));
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_disk_parse("PHY:/x,xvda,w", &d, &err, &off), -1);
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_disk_parse("phy:/x,xvda,w,,", &d, &err, &off), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&err), "empty backend domain"));
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_disk_parse("phy:/x,xvda,w,0,sparc", &d, &err, &off), -1);
    sb_free(&err);
}

static void test_vif_specs(void)
{
    struct xm_vif v;
    struct strbuf err = STRBUF_INIT;
    size_t off;

    CU_ASSERT_EQUAL_FATAL(xm_vif_parse("", &v, &err, &off), 0);
    CU_ASSERT_PTR_NULL(v.mac);
    xm_vif_free(&v);
    CU_ASSERT_EQUAL_FATAL(xm_vif_parse(" mac = 00:16:3e:01:02:03 , bridge=br0,", &v, &err, &off), 0);
    CU_ASSERT_STRING_EQUAL(v.mac, "00:16:3e:01:02:03");
    CU_ASSERT_STRING_EQUAL(v.bridge, "br0");
    struct xm_vif c;
    xm_vif_copy(&c, &v);
    xm_vif_free(&v);
    CU_ASSERT_STRING_EQUAL(c.bridge, "br0");
    xm_vif_free(&c);

    CU_ASSERT_EQUAL(xm_vif_parse("bridge=br0,macc=00:16:3e:01:02:03", &v, &err, &off), -1);
    CU_ASSERT_EQUAL(off, 11);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&err), "did you mean 'mac'"));
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_vif_parse("ip=10.0.0.1 fe80::1/64", &v, &err, &off), 0);
    xm_vif_free(&v);
    CU_ASSERT_EQUAL(xm_vif_parse("ip=", &v, &err, &off), -1);
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_vif_parse("rate=100MB/s", &v, &err, &off), 0);
    xm_vif_free(&v);
    CU_ASSERT_EQUAL(xm_vif_parse("rate=100MB/s@", &v, &err, &off), -1);
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_vif_parse("vifname=a/b", &v, &err, &off), -1);
    sb_reset(&err);
    CU_ASSERT_EQUAL(xm_vif_parse("script=", &v, &err, &off), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&err), "script= has no value");

    CU_ASSERT_TRUE(xm_mac_valid("00:16:3E:aa:BB:cc", &err));
    CU_ASSERT_FALSE(xm_mac_valid("00:16:3e:aa:bb", &err));
    CU_ASSERT_FALSE(xm_mac_valid("00:16:3e:aa:bb:cc:dd", &err));
    CU_ASSERT_FALSE(xm_mac_valid("00-16-3e-aa-bb-cc", &err));
    CU_ASSERT_FALSE(xm_mac_valid("ff:ff:ff:ff:ff:ff", &err));
    sb_free(&err);
}

static void test_cpumasks(void)
{
    struct xm_cpumask m;
    struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
    size_t off;

    CU_ASSERT_EQUAL(xm_cpumask_parse("0-3,5,^1", &m, &err, &off), 0);
    xm_cpumask_format(&m, 0, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "0,2-3,5");
    CU_ASSERT_EQUAL(xm_cpumask_weight(&m), 4);
    sb_reset(&sb);
    xm_cpumask_format(&m, 4, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "0,2-3,5");
    CU_ASSERT_EQUAL(xm_cpumask_parse("0-7,^2-3", &m, &err, &off), 0);
    sb_reset(&sb);
    xm_cpumask_format(&m, 0, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "0-1,4-7");
    CU_ASSERT_EQUAL(xm_cpumask_parse("all", &m, &err, &off), 0);
    CU_ASSERT_EQUAL(xm_cpumask_weight(&m), XM_MAX_CPUS);
    sb_reset(&sb);
    xm_cpumask_format(&m, 8, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "any cpu");
    CU_ASSERT_EQUAL(xm_cpumask_parse(" 1 , 2 ", &m, &err, &off), 0);
    CU_ASSERT_EQUAL(xm_cpumask_weight(&m), 2);

    CU_ASSERT_EQUAL(xm_cpumask_parse("1,,2", &m, &err, &off), -1);
    CU_ASSERT_EQUAL(off, 2);
    CU_ASSERT_EQUAL(xm_cpumask_parse("1-", &m, &err, &off), -1);
    CU_ASSERT_EQUAL(xm_cpumask_parse("5-2", &m, &err, &off), -1);
    CU_ASSERT_EQUAL(xm_cpumask_parse("1024", &m, &err, &off), -1);
    CU_ASSERT_EQUAL(xm_cpumask_parse("", &m, &err, &off), -1);
    CU_ASSERT_EQUAL(xm_cpumask_parse("1;2", &m, &err, &off), -1);
    CU_ASSERT_EQUAL(off, 1);
    sb_free(&sb);
    sb_free(&err);
}

/* ---- whole configs through the key rules ---- */

static int parse_cfg(const char *text, const struct xm_override *o, size_t n, struct xm_domain_config *cfg,
                     struct strbuf *diag_text)
{
    struct diags d = DIAGS_INIT;
    int rc = xm_config_parse("g.cfg", text, strlen(text), o, n, cfg, &d);

    diags_format(&d, diag_text);
    diags_free(&d);
    return rc;
}

static void test_config_defaults(void)
{
    struct xm_domain_config cfg;
    struct strbuf sb = STRBUF_INIT;

    CU_ASSERT_EQUAL_FATAL(parse_cfg("kernel = '/k'\n", NULL, 0, &cfg, &sb), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "");
    CU_ASSERT_STRING_EQUAL(cfg.name, "g.cfg");
    CU_ASSERT_EQUAL(cfg.memory, 128);
    CU_ASSERT_EQUAL(cfg.maxmem, 128);
    CU_ASSERT_EQUAL(cfg.vcpus, 1);
    CU_ASSERT_EQUAL(cfg.cpu, -1);
    CU_ASSERT_STRING_EQUAL(cfg.builder, "linux");
    CU_ASSERT_EQUAL(cfg.on_poweroff, XM_ACTION_DESTROY);
    CU_ASSERT_EQUAL(cfg.on_reboot, XM_ACTION_RESTART);
    CU_ASSERT_EQUAL(cfg.on_crash, XM_ACTION_RESTART);
    CU_ASSERT_FALSE(cfg.has_uuid);
    CU_ASSERT_EQUAL(cfg.nr_disks, 0);
    CU_ASSERT_EQUAL(cfg.nr_vifs, 0);
    xm_config_free(&cfg);
    sb_free(&sb);
}

static void test_config_overrides(void)
{
    struct xm_domain_config cfg;
    struct strbuf sb = STRBUF_INIT;
    const struct xm_override o[] = {
        { "memory", "256" }, { "disk", "phy:/dev/a,xvda,w" }, { "disk", "phy:/dev/b,xvdb,r" },
        { "vif", "['bridge=br0', '']" }, { "name", "cmd" }, { "localtime", "yes" },
        { "cpus", "2" }, { "extra", "quiet splash" },
    };

    CU_ASSERT_EQUAL_FATAL(parse_cfg("kernel = '/k'\nmemory = 1024\nname = 'file'\ndisk = ['phy:/dev/c,xvdc,w']\n",
                                    o, sizeof(o) / sizeof(o[0]), &cfg, &sb), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "");
    CU_ASSERT_EQUAL(cfg.memory, 256);
    CU_ASSERT_STRING_EQUAL(cfg.name, "cmd");
    CU_ASSERT_EQUAL_FATAL(cfg.nr_disks, 2);     /* the command line's list replaces the file's */
    CU_ASSERT_STRING_EQUAL(cfg.disks[1].vdev, "xvdb");
    CU_ASSERT_EQUAL(cfg.nr_vifs, 2);
    CU_ASSERT_TRUE(cfg.localtime);
    CU_ASSERT_EQUAL_FATAL(cfg.nr_cpumasks, 1);
    CU_ASSERT_TRUE(xm_cpumask_test(&cfg.cpumasks[0], 2));
    CU_ASSERT_STRING_EQUAL(cfg.extra, "quiet splash");
    xm_config_free(&cfg);

    struct xm_override split;
    char *store;
    CU_ASSERT_TRUE(xm_override_split("a=b=c", &split, &store));
    CU_ASSERT_STRING_EQUAL(split.name, "a");
    CU_ASSERT_STRING_EQUAL(split.value, "b=c");
    free(store);
    CU_ASSERT_FALSE(xm_override_split("=x", &split, &store));
    CU_ASSERT_FALSE(xm_override_split("noequals", &split, &store));
    sb_free(&sb);
}

static void test_config_cmdline(void)
{
    struct xm_domain_config cfg;
    struct strbuf sb = STRBUF_INIT, cl = STRBUF_INIT;

    CU_ASSERT_EQUAL_FATAL(parse_cfg("kernel='/k'\nroot='/dev/xvda1 ro'\nextra='console=hvc0'\n"
                                    "ip='10.0.0.2'\n", NULL, 0, &cfg, &sb), 0);
    xm_config_kernel_cmdline(&cfg, &cl);
    CU_ASSERT_STRING_EQUAL(sb_str(&cl), "root=/dev/xvda1 ro ip=10.0.0.2:127.0.255.255::::eth0:off console=hvc0");
    xm_config_free(&cfg);
    sb_reset(&cl);
    CU_ASSERT_EQUAL_FATAL(parse_cfg("kernel='/k'\nextra='root=/dev/sda quiet'\nroot='/dev/xvda1'\n",
                                    NULL, 0, &cfg, &sb), 0);
    xm_config_kernel_cmdline(&cfg, &cl);
    CU_ASSERT_STRING_EQUAL(sb_str(&cl), "root=/dev/sda quiet");    /* extra's root= wins */
    xm_config_free(&cfg);
    sb_reset(&cl);
    CU_ASSERT_EQUAL_FATAL(parse_cfg("kernel='/k'\n", NULL, 0, &cfg, &sb), 0);
    xm_config_kernel_cmdline(&cfg, &cl);
    CU_ASSERT_STRING_EQUAL(sb_str(&cl), "");
    xm_config_free(&cfg);
    sb_free(&sb);
    sb_free(&cl);
}

static void test_config_errors(void)
{
    struct xm_domain_config cfg;
    struct strbuf sb = STRBUF_INIT;

    CU_ASSERT_EQUAL(parse_cfg("kernel='/k'\nmemroy=1\n", NULL, 0, &cfg, &sb), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "g.cfg:2:1: error: unknown key 'memroy' (did you mean 'memory'?)\n");
    sb_reset(&sb);
    /* A helper variable is fine when something uses it. */
    CU_ASSERT_EQUAL(parse_cfg("base='/srv/'\nkernel=base + 'k'\n", NULL, 0, &cfg, &sb), 0);
    CU_ASSERT_STRING_EQUAL(cfg.kernel, "/srv/k");
    xm_config_free(&cfg);
    CU_ASSERT_EQUAL(parse_cfg("kernel='/k'\nname='123'\n", NULL, 0, &cfg, &sb), -1);
    sb_reset(&sb);
    CU_ASSERT_EQUAL(parse_cfg("kernel='/k'\nname='Domain-0'\n", NULL, 0, &cfg, &sb), -1);
    sb_reset(&sb);
    CU_ASSERT_EQUAL(parse_cfg("kernel=''\n", NULL, 0, &cfg, &sb), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb), "g.cfg:1:8: error: kernel is empty\n");
    sb_reset(&sb);
    CU_ASSERT_EQUAL(parse_cfg("kernel='/k'\nvcpus=2\ncpus=['1','2','3']\n", NULL, 0, &cfg, &sb), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&sb), "warning: cpus lists 3 entries for 2 vCPUs"));
    xm_config_free(&cfg);
    sb_reset(&sb);
    CU_ASSERT_EQUAL(parse_cfg("kernel='/k'\ncpus='^0'\n", NULL, 0, &cfg, &sb), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&sb), "cpus leaves no CPU to run on"));
    sb_reset(&sb);
    CU_ASSERT_EQUAL(parse_cfg("kernel='/k'\nvcpu_avail=0\n", NULL, 0, &cfg, &sb), -1);
    sb_reset(&sb);
    const struct xm_override bad[] = { { "vcpus", "two" } };
    CU_ASSERT_EQUAL(parse_cfg("kernel='/k'\n", bad, 1, &cfg, &sb), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb),
                           "command line: error: vcpus=two: vcpus must be a whole number, not str 'two'\n");
    sb_free(&sb);
}

static void test_config_json(void)
{
    struct strbuf err = STRBUF_INIT, sb = STRBUF_INIT;
    struct diags d = DIAGS_INIT;
    struct xm_domain_config cfg;
    const char *good = "{\"name\":\"j\",\"kernel\":\"/k\",\"memory\":64,\"localtime\":true,"
                       "\"disk\":[\"phy:/dev/a,xvda,w\"],\"cpus\":[\"0\",\"1-2\"],\"vcpus\":2}";
    struct json *j = json_decode(good, strlen(good), &err);

    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL_FATAL(xm_config_from_json(j, "request", &cfg, &d), 0);
    CU_ASSERT_STRING_EQUAL(cfg.name, "j");
    CU_ASSERT_EQUAL(cfg.memory, 64);
    CU_ASSERT_TRUE(cfg.localtime);
    CU_ASSERT_EQUAL(cfg.nr_disks, 1);
    CU_ASSERT_EQUAL(cfg.nr_cpumasks, 2);
    xm_config_free(&cfg);
    json_free(j);

    /* The receiver applies every rule: types, unknown keys, no name default. */
    const char *bad = "{\"kernel\":\"/k\",\"memory\":\"lots\",\"colour\":1,\"vif\":[{}]}";
    j = json_decode(bad, strlen(bad), &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(xm_config_from_json(j, "request", &cfg, &d), -1);
    diags_format(&d, &sb);
    CU_ASSERT_STRING_EQUAL(sb_str(&sb),
        "request: error: vif: an object is not a config value\n"
        "request: error: memory must be a whole number, not str 'lots'\n"
        "request: error: unknown key 'colour': xm create --help_config lists the keys\n"
        "request: error: no name: set name = 'NAME'\n");
    json_free(j);
    j = json_array();
    CU_ASSERT_EQUAL(xm_config_from_json(j, "request", &cfg, &d), -1);
    json_free(j);
    diags_free(&d);
    sb_free(&err);
    sb_free(&sb);
}

static void test_help_and_suggest(void)
{
    struct strbuf sb = STRBUF_INIT;
    static const char *const names[] = { "memory", "maxmem", "vcpus", NULL };

    xm_config_keys_help(&sb);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&sb), "  memory=MEMORY"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&sb), "  disk=phy:DEV,VDEV,MODE[,DOM]"));
    CU_ASSERT_PTR_NULL(strstr(sb_str(&sb), "  vnc="));       /* HVM keys are not advertised */
    sb_free(&sb);

    CU_ASSERT_EQUAL(edit_distance("memory", "memroy"), 1);
    CU_ASSERT_EQUAL(edit_distance("", "abc"), 3);
    CU_ASSERT_STRING_EQUAL(suggest_name("memroy", names, 3, sizeof(names[0])), "memory");
    CU_ASSERT_STRING_EQUAL(suggest_name("vpcus", names, 3, sizeof(names[0])), "vcpus");
    CU_ASSERT_PTR_NULL(suggest_name("colour", names, 3, sizeof(names[0])));
    CU_ASSERT_PTR_NULL(suggest_name("mx", names, 3, sizeof(names[0])));
}

void unit_register(void)
{
    static const struct unit_case lang[] = {
        { "literals", test_literals },
        { "strings", test_strings },
        { "operators", test_operators },
        { "operator errors", test_operator_errors },
        { "statements", test_statements },
        { "lexical errors", test_lexical_errors },
        { "names and command-line precedence", test_names },
        { "positions", test_positions },
        { "command-line literals", test_literal_values },
        { NULL, NULL },
    };
    static const struct unit_case specs[] = {
        { "vdev numbers", test_vdev_numbers },
        { "disk specs", test_disk_specs },
        { "vif specs", test_vif_specs },
        { "cpu masks", test_cpumasks },
        { NULL, NULL },
    };
    static const struct unit_case keys[] = {
        { "defaults", test_config_defaults },
        { "command-line overrides", test_config_overrides },
        { "kernel command line", test_config_cmdline },
        { "errors", test_config_errors },
        { "JSON form", test_config_json },
        { "help and suggestions", test_help_and_suggest },
        { NULL, NULL },
    };
    unit_add_suite("xm config language", lang);
    unit_add_suite("xm device specs", specs);
    unit_add_suite("xm config keys", keys);
}
