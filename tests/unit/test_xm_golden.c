// UNIT-SOURCES: xend/common/xalloc.c xend/common/strbuf.c xend/common/diag.c xend/common/suggest.c xend/config/pyvalue.c xend/config/pylex.c xend/config/pyconf.c xend/config/pyops.c xend/config/xmcpus.c xend/config/xmdisk.c xend/config/xmvif.c xend/config/xmkeys.c xend/config/xmconfig.c xend/config/xmconfig_out.c xend/config/xmconfig_json.c xend/config/sxp.c xend/common/json.c xend/common/dominfo.c
// UNIT-LIBS: -l:libyajl_s.a -lm
/* SPDX-License-Identifier: MIT */
/*
 * Golden-file tests for the xm config parser: every
 * tests/toolstack/xm-configs/NAME.cfg is parsed and the result compared
 * with NAME.ok: the diagnostics, then (when there was no error) the
 * guest's kernel command line and the "xm create -n" SXP.
 *
 * A .cfg may start with "# xm-args: VAR=VALUE ..." lines: command-line
 * overrides, split at blanks. Every config that parses is also sent
 * through its JSON form (xm_config_to_json, encode, decode,
 * xm_config_from_json) and must come back with the same SXP: what xm
 * sends, xend reads back unchanged. Set XM_GOLDEN_UPDATE=1 to (re)write the .ok
 * files from the current output (then review the diff before committing).
 */
#include "unit.h"
#include "../../xend/common/diag.h"
#include "../../xend/common/json.h"
#include "../../xend/common/strbuf.h"
#include "../../xend/config/xmconfig.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[4096];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;

    if (!f)
        return NULL;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_putn(&sb, buf, n);
    if (ferror(f)) {
        fclose(f);
        sb_free(&sb);
        return NULL;
    }
    fclose(f);
    *len = sb.len;
    return sb_steal(&sb);
}

/* Collect "# xm-args:" words as overrides. */
static size_t read_args(const char *text, struct xm_override *ovr, char **store, size_t max)
{
    size_t n = 0;
    const char *p = text;

    while (!strncmp(p, "# xm-args:", 10)) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *line = strndup(p + 10, len - 10);
        char *save = NULL;
        CU_ASSERT_PTR_NOT_NULL_FATAL(line);
        for (char *w = strtok_r(line, " \t", &save); w && n < max; w = strtok_r(NULL, " \t", &save)) {
            CU_ASSERT_TRUE_FATAL(xm_override_split(w, &ovr[n], &store[n]));
            n++;
        }
        free(line);
        if (!e)
            break;
        p = e + 1;
    }
    return n;
}

/* cfg -> JSON text -> cfg gives the same "xm create -n" output and no errors. */
static void check_json_roundtrip(const char *name, const struct xm_domain_config *cfg,
                                 unsigned int *failed)
{
    struct strbuf text = STRBUF_INIT, err = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
    struct json *j = xm_config_to_json(cfg);
    struct xm_domain_config back;
    struct diags d = DIAGS_INIT;

    CU_ASSERT_EQUAL_FATAL(json_encode(j, &text, &err), 0);
    json_free(j);
    j = json_decode(text.buf, text.len, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    int rc = xm_config_from_json(j, "request", &back, &d);
    diags_format(&d, &err);
    xm_config_to_sxp_text(cfg, &a);
    if (rc == 0) {
        xm_config_to_sxp_text(&back, &b);
        xm_config_free(&back);
    }
    /* Advice (warnings) may repeat on the receiving side; errors may not. */
    if (rc != 0 || d.errors != 0 || strcmp(sb_str(&a), sb_str(&b)) != 0) {
        printf("\n%s: JSON round trip differs\n%s\n%s--- before\n%s--- after\n%s", name,
               sb_str(&text), sb_str(&err), sb_str(&a), sb_str(&b));
        (*failed)++;
    }
    json_free(j);
    diags_free(&d);
    sb_free(&text);
    sb_free(&err);
    sb_free(&a);
    sb_free(&b);
}

static void run_one(const char *name, unsigned int *checked, unsigned int *failed)
{
    char path[8192], okpath[8192];
    size_t len, oklen;
    struct xm_override ovr[32];
    char *store[32];
    struct diags d = DIAGS_INIT;
    struct strbuf out = STRBUF_INIT;
    struct xm_domain_config cfg;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    snprintf(okpath, sizeof(okpath), "%s/%.*s.ok", dir, (int)(strlen(name) - 4), name);
    char *text = slurp(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    size_t nr = read_args(text, ovr, store, 32);

    int rc = xm_config_parse(name, text, len, ovr, nr, &cfg, &d);
    diags_format(&d, &out);
    if (rc == 0)
        check_json_roundtrip(name, &cfg, failed);
    if (rc == 0) {
        sb_puts(&out, "cmdline:");
        size_t mark = out.len;
        sb_putc(&out, ' ');
        xm_config_kernel_cmdline(&cfg, &out);
        if (out.len == mark + 1)
            out.len = mark;     /* no trailing blank when there is no command line */
        sb_putc(&out, '\n');
        xm_config_to_sxp_text(&cfg, &out);
        xm_config_free(&cfg);
    } else {
        CU_ASSERT_TRUE(diags_failed(&d));
    }

    if (getenv("XM_GOLDEN_UPDATE")) {
        FILE *f = fopen(okpath, "wb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        CU_ASSERT_EQUAL(fwrite(out.buf ? out.buf : "", 1, out.len, f), out.len);
        CU_ASSERT_EQUAL(fclose(f), 0);
    } else {
        char *expect = slurp(okpath, &oklen);
        (*checked)++;
        if (!expect) {
            printf("\n%s: missing %s; the output was:\n%s", name, okpath, sb_str(&out));
            (*failed)++;
        } else if (oklen != out.len || memcmp(expect, sb_str(&out), oklen) != 0) {
            printf("\n%s: output differs from %s\n--- expected\n%s--- got\n%s", name, okpath,
                   expect, sb_str(&out));
            (*failed)++;
        }
        free(expect);
    }
    for (size_t i = 0; i < nr; i++)
        free(store[i]);
    free(text);
    sb_free(&out);
    diags_free(&d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_golden(void)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0;
    unsigned int checked = 0, failed = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dp);
    while ((de = readdir(dp)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l > 4 && !strcmp(de->d_name + l - 4, ".cfg")) {
            names = realloc(names, (n + 1) * sizeof(*names));
            CU_ASSERT_PTR_NOT_NULL_FATAL(names);
            names[n++] = strdup(de->d_name);
        }
    }
    closedir(dp);
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        run_one(names[i], &checked, &failed);
        free(names[i]);
    }
    free(names);
    CU_ASSERT_TRUE(n >= 20);
    CU_ASSERT_EQUAL(failed, 0);
    if (!getenv("XM_GOLDEN_UPDATE"))
        CU_ASSERT_EQUAL(checked, n);
}

/* A small deterministic generator, so failures reproduce. */
static unsigned int lcg_next(unsigned int *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/*
 * Damaged configs: every golden file with a few random bytes changed,
 * inserted or removed must be read without a crash, a leak or an
 * out-of-bounds access (ASan/UBSan watch), and every diagnostic must
 * point inside the text.
 */
static void test_mutations(void)
{
    static const char bytes[] = "'\"[](),=+-*/%#\\\n \t0a_:;{}$.\x01\xff";
    DIR *dp = opendir(dir);
    struct dirent *de;
    unsigned int runs = 0, parsed = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dp);
    while ((de = readdir(dp)) != NULL) {
        size_t l = strlen(de->d_name), len;
        char path[8192];
        if (l <= 4 || strcmp(de->d_name + l - 4, ".cfg"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        char *text = slurp(path, &len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        unsigned int seed = (unsigned int)l * 7919u + (unsigned char)de->d_name[0];
        for (int k = 0; k < 120; k++) {
            struct strbuf m = STRBUF_INIT;
            sb_putn(&m, text, len);
            int edits = 1 + (int)(lcg_next(&seed) % 3);
            for (int e = 0; e < edits && m.len; e++) {
                size_t at = lcg_next(&seed) % m.len;
                char c = bytes[lcg_next(&seed) % (sizeof(bytes) - 1)];
                switch (lcg_next(&seed) % 4) {
                case 0:
                    m.buf[at] = c;
                    break;
                case 1:
                    memmove(m.buf + at, m.buf + at + 1, m.len - at - 1);
                    m.len--;
                    break;
                case 2:
                    sb_putc(&m, 'x');
                    memmove(m.buf + at + 1, m.buf + at, m.len - at - 1);
                    m.buf[at] = c;
                    break;
                default:
                    m.len = at;
                    break;
                }
            }
            unsigned int lines = 1;
            for (size_t i = 0; i < m.len; i++)
                lines += m.buf[i] == '\n';
            struct diags d = DIAGS_INIT;
            struct xm_domain_config cfg;
            if (xm_config_parse("m.cfg", m.buf ? m.buf : "", m.len, NULL, 0, &cfg, &d) == 0) {
                parsed++;
                xm_config_free(&cfg);
            } else {
                CU_ASSERT_TRUE(d.errors > 0);
            }
            for (size_t i = 0; i < d.n; i++)
                CU_ASSERT_TRUE(d.v[i].line <= lines);
            diags_free(&d);
            sb_free(&m);
            runs++;
        }
        free(text);
    }
    closedir(dp);
    CU_ASSERT_TRUE(runs > 1000);
    CU_ASSERT_TRUE(parsed > 0);
}

/* The examples we ship in config/ (the /etc/xen of an install) read cleanly. */
static void test_shipped_examples(void)
{
    static const char *const examples[] = {
        "xmexample1", "xmexample2", "xmexample.pygrub", "xmexample.netinstall",
    };
    const struct xm_override vmid = { "vmid", "1" };

    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        char path[8192];
        size_t len;
        struct diags d = DIAGS_INIT;
        struct strbuf msgs = STRBUF_INIT;
        struct xm_domain_config cfg;

        snprintf(path, sizeof(path), "%s/../../../config/%s", dir, examples[i]);
        char *text = slurp(path, &len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        bool uses_vmid = strstr(text, "vmid") != NULL;
        int rc = xm_config_parse(examples[i], text, len, &vmid, uses_vmid ? 1 : 0, &cfg, &d);
        diags_format(&d, &msgs);
        if (rc != 0 || d.n != 0)
            printf("\nconfig/%s:\n%s", examples[i], sb_str(&msgs));
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT_EQUAL(d.n, 0);
        if (rc == 0)
            xm_config_free(&cfg);
        free(text);
        sb_free(&msgs);
        diags_free(&d);
    }
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "tests/toolstack/xm-configs", test_golden },
        { "config/xmexample*", test_shipped_examples },
        { "damaged configs", test_mutations },
        { NULL, NULL },
    };
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');

    snprintf(dir, sizeof(dir), "%.*s/../toolstack/xm-configs", slash ? (int)(slash - here) : 1,
             slash ? here : ".");
    unit_add_suite("xm config golden files", cases);
}
