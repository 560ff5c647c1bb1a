// UNIT-SOURCES: xend/common/xalloc.c xend/common/strbuf.c xend/common/json.c xend/common/protocol.c
// UNIT-LIBS: -l:libyajl_s.a -lm
/* SPDX-License-Identifier: MIT */
/* JSON values on libyajl and the xm <-> xend request/response messages. */
#include "unit.h"
#include "../../xend/common/json.h"
#include "../../xend/common/protocol.h"
#include "../../xend/common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *xstrdup_err(const struct strbuf *err)
{
    char *s = malloc(err->len + 8);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    sprintf(s, "ERR %s", sb_str(err));
    return s;
}

static char *encode(const struct json *v)
{
    struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

    CU_ASSERT_EQUAL(json_encode(v, &out, &err), 0);
    sb_free(&err);
    return sb_steal(&out);
}

/* Decode then encode again. */
static char *reencode(const char *text)
{
    struct strbuf err = STRBUF_INIT;
    struct json *v = json_decode(text, strlen(text), &err);
    char *s;

    if (!v) {
        s = xstrdup_err(&err);
    } else {
        s = encode(v);
        json_free(v);
    }
    sb_free(&err);
    return s;
}

static void test_json_build_encode(void)
{
    struct json *o = json_object();
    json_set(o, "name", json_string("web1"));
    json_set(o, "domid", json_int(3));
    json_set(o, "cpu_time", json_double(12.5));
    json_set(o, "paused", json_bool(false));
    json_set(o, "uuid", json_null());
    struct json *a = json_set(o, "vcpus", json_array());
    json_append(a, json_int(0));
    json_append(a, json_int(-1));
    json_set(o, "text", json_string("tab\there \"q\" \\ \x01 \xc3\xa9"));
    json_set(o, "domid", json_int(4));      /* replaces, keeps the position */

    char *s = encode(o);
    CU_ASSERT_STRING_EQUAL(s, "{\"name\":\"web1\",\"domid\":4,\"cpu_time\":12.5,\"paused\":false,"
                              "\"uuid\":null,\"vcpus\":[0,-1],"
                              "\"text\":\"tab\\there \\\"q\\\" \\\\ \\u0001 \xc3\xa9\"}");
    free(s);
    CU_ASSERT_EQUAL(json_get(o, "domid")->u.i, 4);
    CU_ASSERT_PTR_NULL(json_get(o, "nothing"));
    CU_ASSERT_PTR_NULL(json_get(a, "x"));

    struct json *c = json_clone(o);
    json_free(o);
    s = encode(c);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"vcpus\":[0,-1]"));
    free(s);
    json_free(c);
}

static void test_json_encode_errors(void)
{
    struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
    struct json *v = json_string("bad \xff utf-8");

    CU_ASSERT_EQUAL(json_encode(v, &out, &err), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&err), "a string is not valid UTF-8");
    json_free(v);
    sb_reset(&err);
    v = json_double(1.0 / 0.0);
    CU_ASSERT_EQUAL(json_encode(v, &out, &err), -1);
    CU_ASSERT_STRING_EQUAL(sb_str(&err), "a number is not finite");
    json_free(v);
    sb_free(&out);
    sb_free(&err);
}

static void test_json_decode(void)
{
    char *s;
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "{}", "{}" },
        { " [1, 2.5, -3, true, false, null, \"x\"] ", "[1,2.5,-3,true,false,null,\"x\"]" },
        { "{\"a\":{\"b\":[{}]}}", "{\"a\":{\"b\":[{}]}}" },
        { "\"\\u00e9\\n\"", "\"\xc3\xa9\\n\"" },
        { "9223372036854775807", "9223372036854775807" },
        { "1e2", "100.0" },
        { "12", "12" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s = reencode(cases[i].in);
        if (strcmp(s, cases[i].out))
            printf("\n%s -> %s, expected %s", cases[i].in, s, cases[i].out);
        CU_ASSERT_STRING_EQUAL(s, cases[i].out);
        free(s);
    }
    /* Integers stay integers, numbers with a fraction are doubles. */
    struct strbuf err = STRBUF_INIT;
    struct json *v = json_decode("[1, 1.0]", 8, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(v->u.arr.v[0]->type, JSON_INT);
    CU_ASSERT_EQUAL(v->u.arr.v[1]->type, JSON_DOUBLE);
    json_free(v);
    sb_free(&err);
}

static void expect_decode_error(const char *text, const char *needle)
{
    struct strbuf err = STRBUF_INIT;
    struct json *v = json_decode(text, strlen(text), &err);

    CU_ASSERT_PTR_NULL(v);
    json_free(v);
    if (!strstr(sb_str(&err), needle))
        printf("\n%s: error \"%s\" lacks \"%s\"", text, sb_str(&err), needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&err), needle));
    sb_free(&err);
}

static void test_json_decode_errors(void)
{
    expect_decode_error("", "premature EOF");
    expect_decode_error("   ", "premature EOF");
    expect_decode_error("{", "premature EOF");
    expect_decode_error("{\"a\":1,}", "parse error");
    expect_decode_error("[1] [2]", "trailing garbage");
    expect_decode_error("{\"a\":1,\"a\":2}", "an object repeats a key");
    expect_decode_error("\"a\\u0000b\"", "a string contains a NUL character");
    expect_decode_error("\"\xff\"", "invalid bytes in UTF8 string");
    expect_decode_error("99999999999999999999", "integer overflow");
    expect_decode_error("[1, {\"x\": [2, {\"y\": tru}]}]", "invalid");

    struct strbuf deep = STRBUF_INIT;
    sb_repeat(&deep, '[', JSON_MAX_DEPTH + 1);
    sb_repeat(&deep, ']', JSON_MAX_DEPTH + 1);
    expect_decode_error(sb_str(&deep), "nesting is too deep");
    sb_reset(&deep);
    sb_repeat(&deep, '[', JSON_MAX_DEPTH);
    sb_repeat(&deep, ']', JSON_MAX_DEPTH);
    char *s = reencode(sb_str(&deep));
    CU_ASSERT_STRING_EQUAL(s, sb_str(&deep));
    free(s);
    sb_free(&deep);
}

/* ---- protocol ---- */

static void test_request_roundtrip(void)
{
    struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
    struct json *args = json_object();
    struct xend_request req;

    json_set(args, "domain", json_string("web1"));
    json_set(args, "memory_mib", json_int(256));
    CU_ASSERT_EQUAL(xend_request_encode("mem-set", args, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&out), "{\"cmd\":\"mem-set\",\"args\":{\"domain\":\"web1\",\"memory_mib\":256}}\n");
    CU_ASSERT_EQUAL(xend_request_decode(out.buf, out.len, &req, &err), 0);
    CU_ASSERT_STRING_EQUAL(req.cmd, "mem-set");
    CU_ASSERT_EQUAL(json_get(req.args, "memory_mib")->u.i, 256);
    xend_request_free(&req);
    json_free(args);

    sb_reset(&out);
    CU_ASSERT_EQUAL(xend_request_encode("list", NULL, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&out), "{\"cmd\":\"list\",\"args\":{}}\n");
    /* args may be left out by other clients */
    CU_ASSERT_EQUAL(xend_request_decode("{\"cmd\":\"info\"}", 14, &req, &err), 0);
    CU_ASSERT_EQUAL(req.args->type, JSON_OBJECT);
    xend_request_free(&req);

    struct json *bad = json_array();
    CU_ASSERT_EQUAL(xend_request_encode("list", bad, &out, &err), -1);
    json_free(bad);
    CU_ASSERT_EQUAL(xend_request_encode("", NULL, &out, &err), -1);
    sb_free(&out);
    sb_free(&err);
}

static void expect_request_error(const char *text, const char *msg)
{
    struct strbuf err = STRBUF_INIT;
    struct xend_request req;

    CU_ASSERT_EQUAL(xend_request_decode(text, strlen(text), &req, &err), -1);
    CU_ASSERT_PTR_NULL(req.cmd);
    if (strcmp(sb_str(&err), msg))
        printf("\n%s: got \"%s\", expected \"%s\"", text, sb_str(&err), msg);
    CU_ASSERT_STRING_EQUAL(sb_str(&err), msg);
    sb_free(&err);
}

static void test_request_errors(void)
{
    expect_request_error("[]", "a message must be a JSON object, not array");
    expect_request_error("{}", "the request has no \"cmd\"");
    expect_request_error("{\"cmd\":7}", "\"cmd\" must be a non-empty string");
    expect_request_error("{\"cmd\":\"\"}", "\"cmd\" must be a non-empty string");
    expect_request_error("{\"cmd\":\"list\",\"args\":[]}", "\"args\" must be an object, not array");
    expect_request_error("{\"cmd\":\"list\",\"extra\":1}", "unknown member \"extra\" in the request");
    expect_request_error("{\"cmd\":\"list\"}\n{\"cmd\":\"list\"}", "a message must be one line");
}

static void test_response_roundtrip(void)
{
    struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
    struct xend_response resp;
    struct json *result = json_object();

    json_set(result, "domid", json_int(5));
    CU_ASSERT_EQUAL(xend_response_encode_ok(result, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&out), "{\"ok\":true,\"result\":{\"domid\":5}}\n");
    CU_ASSERT_EQUAL(xend_response_decode(out.buf, out.len, &resp, &err), 0);
    CU_ASSERT_TRUE(resp.ok);
    CU_ASSERT_EQUAL(json_get(resp.result, "domid")->u.i, 5);
    xend_response_free(&resp);
    json_free(result);

    sb_reset(&out);
    CU_ASSERT_EQUAL(xend_response_encode_ok(NULL, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&out), "{\"ok\":true,\"result\":null}\n");

    sb_reset(&out);
    CU_ASSERT_EQUAL(xend_response_encode_error(XEND_E_NO_SUCH_DOMAIN, "Domain 'x' does not exist.", &out,
                                               &err), 0);
    CU_ASSERT_STRING_EQUAL(sb_str(&out),
        "{\"ok\":false,\"error\":{\"code\":\"no-such-domain\",\"message\":\"Domain 'x' does not exist.\"}}\n");
    CU_ASSERT_EQUAL(xend_response_decode(out.buf, out.len, &resp, &err), 0);
    CU_ASSERT_FALSE(resp.ok);
    CU_ASSERT_EQUAL(resp.code, XEND_E_NO_SUCH_DOMAIN);
    CU_ASSERT_STRING_EQUAL(resp.message, "Domain 'x' does not exist.");
    CU_ASSERT_EQUAL(xend_errcode_exit_status(resp.code), 3);
    xend_response_free(&resp);

    /* A code from a newer xend is kept by name. */
    const char *newer = "{\"ok\":false,\"error\":{\"code\":\"quota\",\"message\":\"Too many.\"}}";
    CU_ASSERT_EQUAL(xend_response_decode(newer, strlen(newer), &resp, &err), 0);
    CU_ASSERT_EQUAL(resp.code, XEND_E_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(resp.code_name, "quota");
    CU_ASSERT_EQUAL(xend_errcode_exit_status(resp.code), 1);
    xend_response_free(&resp);

    CU_ASSERT_EQUAL(xend_response_encode_error(XEND_E_INTERNAL, "", &out, &err), -1);
    CU_ASSERT_EQUAL(xend_response_encode_error(XEND_E_UNKNOWN, "x", &out, &err), -1);
    sb_free(&out);
    sb_free(&err);
}

static void test_response_errors(void)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        { "{}", "the response has no \"ok\"" },
        { "{\"ok\":1}", "\"ok\" must be true or false" },
        { "{\"ok\":true,\"error\":{}}", "unknown member \"error\" in the response" },
        { "{\"ok\":false}", "a failed response needs an \"error\" object" },
        { "{\"ok\":false,\"error\":{\"code\":\"busy\"}}", "\"error\" needs string members \"code\" and \"message\"" },
        { "{\"ok\":false,\"error\":{\"code\":\"busy\",\"message\":\"m\",\"x\":1}}", "unknown member \"x\" in \"error\"" },
        { "{\"ok\":false,\"error\":{},\"result\":1}", "unknown member \"result\" in the response" },
        { "nonsense", "lexical error: invalid string in json text." },
    };
    struct strbuf err = STRBUF_INIT;
    struct xend_response resp;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sb_reset(&err);
        CU_ASSERT_EQUAL(xend_response_decode(cases[i].text, strlen(cases[i].text), &resp, &err), -1);
        if (strcmp(sb_str(&err), cases[i].msg))
            printf("\n%s: got \"%s\"", cases[i].text, sb_str(&err));
        CU_ASSERT_STRING_EQUAL(sb_str(&err), cases[i].msg);
    }
    sb_free(&err);
}

/* Damaged messages: decoding fails cleanly or succeeds, never crashes or leaks. */
static void test_mutations(void)
{
    static const char base[] =
        "{\"ok\":true,\"result\":[{\"name\":\"web1\",\"domid\":3,\"memory\":512,"
        "\"vcpus\":[1,2.5e3,-7],\"state\":\"-b----\",\"x\":{\"y\":null,\"z\":\"\\u00e9\\n\"}}]}";
    static const char bytes[] = "{}[]\",:\\0e.-tfn \x80\xff";
    unsigned int seed = 777;
    struct strbuf err = STRBUF_INIT;

    for (int k = 0; k < 5000; k++) {
        struct strbuf m = STRBUF_INIT;
        sb_puts(&m, base);
        for (int e = 0; e < 2; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % m.len;
            seed = seed * 1103515245u + 12345u;
            m.buf[at] = bytes[(seed >> 8) % (sizeof(bytes) - 1)];
        }
        struct xend_response r;
        sb_reset(&err);
        if (xend_response_decode(m.buf, m.len, &r, &err) == 0)
            xend_response_free(&r);
        else
            CU_ASSERT_TRUE(err.len > 0);
        struct xend_request q;
        if (xend_request_decode(m.buf, m.len, &q, &err) == 0)
            xend_request_free(&q);
        sb_free(&m);
    }
    sb_free(&err);
}

static void test_errcodes(void)
{
    for (int c = XEND_E_BAD_REQUEST; c < XEND_E_UNKNOWN; c++)
        CU_ASSERT_EQUAL(xend_errcode_parse(xend_errcode_name(c)), c);
    CU_ASSERT_EQUAL(xend_errcode_parse("nope"), XEND_E_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(xend_errcode_name(XEND_E_DEVICE), "device-failed");
    CU_ASSERT_EQUAL(xend_errcode_exit_status(XEND_E_INVALID_ARGUMENT), 1);
}

void unit_register(void)
{
    static const struct unit_case json[] = {
        { "build and encode", test_json_build_encode },
        { "encode errors", test_json_encode_errors },
        { "decode", test_json_decode },
        { "decode errors", test_json_decode_errors },
        { NULL, NULL },
    };
    static const struct unit_case proto[] = {
        { "request round trip", test_request_roundtrip },
        { "request errors", test_request_errors },
        { "response round trip", test_response_roundtrip },
        { "response errors", test_response_errors },
        { "error codes", test_errcodes },
        { "damaged messages", test_mutations },
        { NULL, NULL },
    };
    unit_add_suite("json", json);
    unit_add_suite("xm/xend protocol", proto);
}
