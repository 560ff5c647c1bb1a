// UNIT-SOURCES: xend/daemon/xstree.c xend/common/xalloc.c xend/common/strbuf.c xend/common/diag.c xend/common/suggest.c xend/config/pyvalue.c xend/config/pylex.c xend/config/pyconf.c xend/config/pyops.c xend/config/xmcpus.c xend/config/xmdisk.c xend/config/xmvif.c xend/config/xmkeys.c xend/config/xmconfig.c xend/config/xmconfig_out.c xend/config/xmconfig_json.c xend/config/sxp.c xend/common/json.c xend/common/dominfo.c
// UNIT-LIBS: -l:libyajl_s.a -lm
/* SPDX-License-Identifier: MIT */
/* The xenstore nodes xend writes for a domain (xend/daemon/xstree.h). */
#include "unit.h"
#include "../../xend/common/diag.h"
#include "../../xend/config/xmconfig.h"
#include "../../xend/daemon/xstree.h"
#include "xst_lookup.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void parse(const char *text, struct xm_domain_config *cfg)
{
    struct diags d = DIAGS_INIT;
    CU_ASSERT_EQUAL_FATAL(xm_config_parse("t.cfg", text, strlen(text), NULL, 0, cfg, &d), 0);
    diags_free(&d);
}

static void base(struct xst_domain *t, const struct xm_domain_config *cfg, const char *json)
{
    memset(t, 0, sizeof(*t));
    t->domid = 7;
    t->name = "web1";
    t->uuid = "5eed0000-0000-4000-8000-00000000a0c0";
    t->cfg = cfg;
    t->config_json = json;
    t->target_kb = 262144;
    t->static_max_kb = 524288;
    t->max_vcpus = 3;
    t->online_mask = 0x5;       /* vCPUs 0 and 2 */
    t->store_mfn = 259585;
    t->store_port = 1;
    t->console_mfn = 259586;
    t->console_port = 2;
    t->console_limit = 1048576;
    t->start_time = 1795292834.314;
    t->previous_restart = -1;
}

static void test_local(void)
{
    struct xm_domain_config cfg;
    struct xst_domain t;
    struct xst_list l = { 0 };

    parse("kernel = '/boot/vmlinuz'\nname = 'web1'\nvcpus = 3\n", &cfg);
    base(&t, &cfg, "{}");
    xst_build_local(&t, &l);
    /* parents come first; the directory is dom0's, readable by the guest
     * (children inherit), and only the nodes a guest writes are its own */
    CU_ASSERT_STRING_EQUAL(l.v[0].path, "/local/domain/7");
    CU_ASSERT_STRING_EQUAL(l.v[0].perms, "n0,r7");
    static const char *const own[] = {
        "control/shutdown", "control/sysrq", "control/feature-poweroff", "control/feature-reboot",
        "control/feature-suspend", "data", "drivers", "error", "feature", "attr",
    };
    size_t owned = 0;
    for (size_t i = 1; i < l.n; i++) {
        bool guest = false;
        for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++) {
            char p[64];
            snprintf(p, sizeof(p), "/local/domain/7/%s", own[k]);
            guest |= strcmp(l.v[i].path, p) == 0;
        }
        if (guest) {
            owned++;
            CU_ASSERT_STRING_EQUAL(l.v[i].perms, "n7");
        } else {
            CU_ASSERT_PTR_NULL(l.v[i].perms);
        }
    }
    CU_ASSERT_EQUAL(owned, sizeof(own) / sizeof(own[0]));
    CU_ASSERT_PTR_NOT_NULL(xst_find(&l, "/local/domain/7/name"));
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/vm"), "/vm/5eed0000-0000-4000-8000-00000000a0c0");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/name"), "web1");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/domid"), "7");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/memory/target"), "262144");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/memory/static-max"), "524288");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/cpu/0/availability"), "online");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/cpu/1/availability"), "offline");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/cpu/2/availability"), "online");
    CU_ASSERT_PTR_NULL(xst_find(&l, "/local/domain/7/cpu/3/availability"));
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/console/ring-ref"), "259586");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/console/port"), "2");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/console/limit"), "1048576");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/console/type"), "xenconsoled");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/store/ring-ref"), "259585");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/store/port"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/control"), "");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/device"), "");
    CU_ASSERT_STRING_EQUAL(xst_val(&l, "/local/domain/7/data"), "");
    /* every node's parent is written before it */
    for (size_t i = 1; i < l.n; i++) {
        char parent[256];
        snprintf(parent, sizeof(parent), "%s", l.v[i].path);
        *strrchr(parent, '/') = 0;
        const struct xst_entry *p = xst_find(&l, parent);
        CU_ASSERT_PTR_NOT_NULL(p);
        if (p)
            CU_ASSERT_TRUE(p < &l.v[i]);
    }
    xst_list_free(&l);
    xm_config_free(&cfg);
}

static void test_vm(void)
{
    struct xm_domain_config cfg;
    struct xst_domain t;
    struct xst_list l = { 0 };
    const char *vm = "/vm/5eed0000-0000-4000-8000-00000000a0c0";
    char p[256];

#define V(rel) (snprintf(p, sizeof(p), "%s/%s", vm, rel), xst_val(&l, p))
    parse("kernel = '/boot/vmlinuz'\nramdisk = '/boot/initrd'\nname = 'web1'\nroot = '/dev/xvda1 ro'\n"
          "extra = 'console=hvc0'\non_crash = 'preserve'\nvcpus = 3\n", &cfg);
    base(&t, &cfg, "{\"name\": \"web1\"}");
    t.previous_restart = 1795292800.5;
    xst_build_vm(&t, &l);
    CU_ASSERT_STRING_EQUAL(l.v[0].path, vm);
    CU_ASSERT_STRING_EQUAL(l.v[0].perms, "n0,r7");
    CU_ASSERT_STRING_EQUAL(V("uuid"), "5eed0000-0000-4000-8000-00000000a0c0");
    CU_ASSERT_STRING_EQUAL(V("name"), "web1");
    CU_ASSERT_STRING_EQUAL(V("start_time"), "1795292834.31");
    CU_ASSERT_STRING_EQUAL(V("memory"), "256");
    CU_ASSERT_STRING_EQUAL(V("maxmem"), "512");
    CU_ASSERT_STRING_EQUAL(V("vcpus"), "3");
    CU_ASSERT_STRING_EQUAL(V("vcpu_avail"), "5");
    CU_ASSERT_STRING_EQUAL(V("on_poweroff"), "destroy");
    CU_ASSERT_STRING_EQUAL(V("on_reboot"), "restart");
    CU_ASSERT_STRING_EQUAL(V("on_crash"), "preserve");
    CU_ASSERT_STRING_EQUAL(V("image/ostype"), "linux");
    CU_ASSERT_STRING_EQUAL(V("image/kernel"), "/boot/vmlinuz");
    CU_ASSERT_STRING_EQUAL(V("image/ramdisk"), "/boot/initrd");
    CU_ASSERT_STRING_EQUAL(V("image/cmdline"), "root=/dev/xvda1 ro console=hvc0");
    CU_ASSERT_STRING_EQUAL(V("xend/config-chunks"), "1");
    CU_ASSERT_STRING_EQUAL(V("xend/config-0"), "{\"name\": \"web1\"}");
    CU_ASSERT_STRING_EQUAL(V("xend/previous_restart_time"), "1795292800.50");
    xst_list_free(&l);
    xm_config_free(&cfg);
#undef V
}

/* A config longer than one node holds is cut in pieces that join back exactly. */
static void test_chunks(void)
{
    struct xm_domain_config cfg;
    struct xst_domain t;
    struct xst_list l = { 0 };
    size_t len = XST_CHUNK * 2 + 17;
    char *json = malloc(len + 1);
    char p[256];

    for (size_t i = 0; i < len; i++)
        json[i] = (char)('a' + i % 26);
    json[len] = 0;
    parse("kernel = '/k'\nname = 'x'\n", &cfg);
    base(&t, &cfg, json);
    xst_build_vm(&t, &l);
    snprintf(p, sizeof(p), "/vm/%s/xend/config-chunks", t.uuid);
    CU_ASSERT_STRING_EQUAL(xst_val(&l, p), "3");
    char *joined = calloc(1, len + 1);
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "/vm/%s/xend/config-%d", t.uuid, i);
        const char *piece = xst_val(&l, p);
        CU_ASSERT_TRUE(strlen(piece) <= XST_CHUNK);
        strcat(joined, piece);
    }
    CU_ASSERT_STRING_EQUAL(joined, json);
    snprintf(p, sizeof(p), "/vm/%s/xend/previous_restart_time", t.uuid);
    CU_ASSERT_PTR_NULL(xst_find(&l, p));    /* never restarted: no entry */
    free(joined);
    free(json);
    xst_list_free(&l);
    xm_config_free(&cfg);
}

static void test_paths(void)
{
    char *a = xst_vm_path("u-u-i-d"), *b = xst_dom_path(32767);
    CU_ASSERT_STRING_EQUAL(a, "/vm/u-u-i-d");
    CU_ASSERT_STRING_EQUAL(b, "/local/domain/32767");
    free(a);
    free(b);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "/local/domain/N", test_local },
        { "/vm/UUID", test_vm },
        { "config in pieces", test_chunks },
        { "paths", test_paths },
        { NULL, NULL },
    };
    unit_add_suite("xend xenstore tree", cases);
}
