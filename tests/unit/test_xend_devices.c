// UNIT-SOURCES: xend/daemon/device_nodes.c xend/daemon/device_vbd.c xend/daemon/device_vif.c xend/daemon/xstree.c xend/common/xalloc.c xend/common/strbuf.c xend/common/diag.c xend/common/suggest.c xend/config/pyvalue.c xend/config/pylex.c xend/config/pyconf.c xend/config/pyops.c xend/config/xmcpus.c xend/config/xmdisk.c xend/config/xmvif.c xend/config/xmkeys.c xend/config/xmconfig.c xend/config/xmconfig_out.c xend/config/xmconfig_json.c xend/config/sxp.c xend/common/json.c xend/common/dominfo.c
// UNIT-LIBS: -l:libyajl_s.a -lm
/* SPDX-License-Identifier: MIT */
/* The xenstore nodes of vbd and vif devices, rates and MACs (xend/daemon/device.h). */
#include "unit.h"
#include "../../xend/common/strbuf.h"
#include "../../xend/config/xmdev.h"
#include "../../xend/daemon/device.h"
#include "xst_lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *perms(const struct xst_list *l, const char *path)
{
    const struct xst_entry *e = xst_find(l, path);
    return e && e->perms ? e->perms : "<inherited>";
}

static void disk(const char *spec, struct xm_disk *d)
{
    struct strbuf err = STRBUF_INIT;
    size_t off;
    CU_ASSERT_EQUAL_FATAL(xm_disk_parse(spec, d, &err, &off), 0);
    sb_free(&err);
}

static void vif(const char *spec, struct xm_vif *v)
{
    struct strbuf err = STRBUF_INIT;
    size_t off;
    CU_ASSERT_EQUAL_FATAL(xm_vif_parse(spec, v, &err, &off), 0);
    sb_free(&err);
}

#define BE "/local/domain/0/backend/vbd/7/51712"
#define FE "/local/domain/7/device/vbd/51712"

static void test_vbd(void)
{
    struct xm_disk d;
    struct dev_nodes n;

    disk("phy:/dev/vg0/web,xvda,w!", &d);
    dev_vbd_nodes(&d, true, 7, "/etc/xen/scripts", &n);
    const struct xst_list *l = &n.entries;
    CU_ASSERT_STRING_EQUAL(n.be, BE);
    CU_ASSERT_STRING_EQUAL(n.fe, FE);
    CU_ASSERT_EQUAL(n.devid, 51712);
    CU_ASSERT_STRING_EQUAL(n.label, "xvda (51712, vbd)");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/frontend"), FE);
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/frontend-id"), "7");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/online"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/state"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/type"), "phy");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/params"), "/dev/vg0/web");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/mode"), "w!");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/dev"), "xvda");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/device-type"), "disk");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/script"), "/etc/xen/scripts/block");
    CU_ASSERT_STRING_EQUAL(xst_val(l, BE "/bootable"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, FE "/backend"), BE);
    CU_ASSERT_STRING_EQUAL(xst_val(l, FE "/backend-id"), "0");
    CU_ASSERT_STRING_EQUAL(xst_val(l, FE "/state"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, FE "/virtual-device"), "51712");
    CU_ASSERT_STRING_EQUAL(xst_val(l, FE "/device-type"), "disk");
    CU_ASSERT_STRING_EQUAL(perms(l, BE), "n0,r7");
    CU_ASSERT_STRING_EQUAL(perms(l, FE), "n7,r0");
    CU_ASSERT_STRING_EQUAL(perms(l, BE "/params"), "<inherited>");
    /* the directories before their nodes, state last in each */
    CU_ASSERT_EQUAL(xst_index(l, BE), 0);
    CU_ASSERT(xst_index(l, BE "/state") > xst_index(l, BE "/bootable"));
    CU_ASSERT(xst_index(l, FE) > xst_index(l, BE "/state"));
    CU_ASSERT_EQUAL(xst_index(l, FE "/state"), (long)l->n - 1);
    CU_ASSERT_EQUAL(l->n, 18u);
    dev_nodes_free(&n);
    xm_disk_free(&d);

    disk("file:/srv/debian.iso,xvdc:cdrom,r", &d);
    dev_vbd_nodes(&d, false, 7, "/etc/xen/scripts", &n);
    l = &n.entries;
    CU_ASSERT_STRING_EQUAL(xst_val(l, "/local/domain/0/backend/vbd/7/51744/type"), "file");
    CU_ASSERT_STRING_EQUAL(xst_val(l, "/local/domain/0/backend/vbd/7/51744/mode"), "r");
    CU_ASSERT_STRING_EQUAL(xst_val(l, "/local/domain/0/backend/vbd/7/51744/device-type"), "cdrom");
    CU_ASSERT_STRING_EQUAL(xst_val(l, "/local/domain/0/backend/vbd/7/51744/bootable"), "0");
    CU_ASSERT_STRING_EQUAL(xst_val(l, "/local/domain/7/device/vbd/51744/device-type"), "cdrom");
    dev_nodes_free(&n);
    xm_disk_free(&d);
}

/* X:TARGET runs block-X when the scripts directory has one, else block. */
static void test_vbd_script(void)
{
    char dir[] = "/tmp/test-xend-devices.XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof(path), "%s/block-nbd", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);

    struct xm_disk d;
    struct dev_nodes n;
    disk("nbd:server:1234,xvdb,w", &d);
    dev_vbd_nodes(&d, false, 3, dir, &n);
    CU_ASSERT_STRING_EQUAL(xst_val(&n.entries, "/local/domain/0/backend/vbd/3/51728/type"), "nbd");
    CU_ASSERT_STRING_EQUAL(xst_val(&n.entries, "/local/domain/0/backend/vbd/3/51728/params"), "server:1234");
    CU_ASSERT_STRING_EQUAL(xst_val(&n.entries, "/local/domain/0/backend/vbd/3/51728/script"), path);
    dev_nodes_free(&n);
    xm_disk_free(&d);

    disk("iscsi:iqn.2001-04.com.example:disk,xvdb,w", &d);
    dev_vbd_nodes(&d, false, 3, dir, &n);
    snprintf(path, sizeof(path), "%s/block", dir);
    CU_ASSERT_STRING_EQUAL(xst_val(&n.entries, "/local/domain/0/backend/vbd/3/51728/script"), path);
    dev_nodes_free(&n);
    xm_disk_free(&d);

    snprintf(path, sizeof(path), "%s/block-nbd", dir);
    unlink(path);
    rmdir(dir);
}

#define VB "/local/domain/0/backend/vif/4/1"
#define VF "/local/domain/4/device/vif/1"

static void test_vif(void)
{
    struct xm_vif v;
    struct dev_nodes n;
    struct strbuf err = STRBUF_INIT;

    vif("mac=00:16:3e:01:02:03,bridge=xenbr1,ip=10.0.0.9,vifname=web0,rate=1MB/s@20ms", &v);
    CU_ASSERT_EQUAL_FATAL(dev_vif_nodes(&v, 1, 4, "vif-bridge", "/etc/xen/scripts", &n, &err), 0);
    const struct xst_list *l = &n.entries;
    CU_ASSERT_STRING_EQUAL(n.label, "1 (vif)");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/frontend"), VF);
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/frontend-id"), "4");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/online"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/state"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/script"), "/etc/xen/scripts/vif-bridge");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/mac"), "00:16:3e:01:02:03");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/handle"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/bridge"), "xenbr1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/ip"), "10.0.0.9");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/vifname"), "web0");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VB "/rate"), "20000,20000");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VF "/backend"), VB);
    CU_ASSERT_STRING_EQUAL(xst_val(l, VF "/backend-id"), "0");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VF "/handle"), "1");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VF "/mac"), "00:16:3e:01:02:03");
    CU_ASSERT_STRING_EQUAL(xst_val(l, VF "/state"), "1");
    CU_ASSERT_STRING_EQUAL(perms(l, VB), "n0,r4");
    CU_ASSERT_STRING_EQUAL(perms(l, VF), "n4,r0");
    dev_nodes_free(&n);
    xm_vif_free(&v);

    /* only what is given; script= as a name or a path */
    vif("mac=00:16:3e:01:02:04,script=vif-route", &v);
    CU_ASSERT_EQUAL_FATAL(dev_vif_nodes(&v, 0, 4, "vif-bridge", "/x", &n, &err), 0);
    CU_ASSERT_STRING_EQUAL(xst_val(&n.entries, "/local/domain/0/backend/vif/4/0/script"), "/x/vif-route");
    CU_ASSERT_PTR_NULL(xst_find(&n.entries, "/local/domain/0/backend/vif/4/0/bridge"));
    CU_ASSERT_PTR_NULL(xst_find(&n.entries, "/local/domain/0/backend/vif/4/0/ip"));
    CU_ASSERT_PTR_NULL(xst_find(&n.entries, "/local/domain/0/backend/vif/4/0/rate"));
    CU_ASSERT_PTR_NULL(xst_find(&n.entries, "/local/domain/0/backend/vif/4/0/vifname"));
    dev_nodes_free(&n);
    xm_vif_free(&v);
    vif("mac=00:16:3e:01:02:05,script=/usr/local/bin/my-vif", &v);
    CU_ASSERT_EQUAL_FATAL(dev_vif_nodes(&v, 0, 4, "vif-bridge", "/x", &n, &err), 0);
    CU_ASSERT_STRING_EQUAL(xst_val(&n.entries, "/local/domain/0/backend/vif/4/0/script"), "/usr/local/bin/my-vif");
    dev_nodes_free(&n);
    xm_vif_free(&v);

    /* refused: no MAC (xend assigns one first), a driver domain */
    vif("bridge=xenbr0", &v);
    CU_ASSERT_EQUAL(dev_vif_nodes(&v, 0, 4, "vif-bridge", "/x", &n, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&err), "no MAC"));
    xm_vif_free(&v);
    sb_reset(&err);
    vif("mac=00:16:3e:01:02:06,backend=netdom", &v);
    CU_ASSERT_EQUAL(dev_vif_nodes(&v, 0, 4, "vif-bridge", "/x", &n, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sb_str(&err), "Domain-0 only"));
    xm_vif_free(&v);
    sb_free(&err);
}

static void test_rate(void)
{
    static const struct {
        const char *in, *out;
    } ok[] = {
        { "10Mb/s", "62500,50000" },          /* 1.25 MB/s for 50 ms */
        { "1MB/s@20ms", "20000,20000" },
        { "100Kb/s@1s", "12500,1000000" },
        { "8b/s@500us", "0,500" },
        { "1GB/s", "50000000,50000" },
        { "1000GB/s@10s", "4294967295,10000000" },     /* clamped to netback's 32 bits */
    };
    static const char *const bad[] = { "", "Mb/s", "10M/s", "10Mb", "10Mb/s@", "10Mb/s@5ks", "10Mb/sx", "-1Mb/s" };

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct strbuf sb = STRBUF_INIT;
        CU_ASSERT_EQUAL(dev_vif_rate(ok[i].in, &sb), 0);
        if (strcmp(sb_str(&sb), ok[i].out))
            printf("\nrate %s: got %s, want %s\n", ok[i].in, sb_str(&sb), ok[i].out);
        CU_ASSERT_STRING_EQUAL(sb_str(&sb), ok[i].out);
        sb_free(&sb);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct strbuf sb = STRBUF_INIT;
        CU_ASSERT_EQUAL(dev_vif_rate(bad[i], &sb), -1);
        sb_free(&sb);
    }
}

static bool mac_ok(const char *m)
{
    unsigned int a, b, c, d, e, f;
    char end;
    return sscanf(m, "%2x:%2x:%2x:%2x:%2x:%2x%c", &a, &b, &c, &d, &e, &f, &end) == 6 &&
           strlen(m) == 17 && a == 0 && b == 0x16 && c == 0x3e && d < 0x80;
}

static void test_mac(void)
{
    struct xm_vif v;
    char seen[8][18];

    vif("bridge=xenbr0", &v);
    CU_ASSERT_TRUE(dev_vif_assign_mac(&v));
    CU_ASSERT_TRUE(mac_ok(v.mac));
    /* the spec carries it, so the stored config (and a restart) keeps it */
    char want[64];
    snprintf(want, sizeof(want), "bridge=xenbr0,mac=%s", v.mac);
    CU_ASSERT_STRING_EQUAL(v.spec, want);
    struct xm_vif again;
    vif(v.spec, &again);
    CU_ASSERT_STRING_EQUAL(again.mac, v.mac);
    xm_vif_free(&again);
    CU_ASSERT_FALSE(dev_vif_assign_mac(&v));       /* one is enough */
    xm_vif_free(&v);

    vif("", &v);
    CU_ASSERT_TRUE(dev_vif_assign_mac(&v));
    CU_ASSERT_EQUAL(strncmp(v.spec, "mac=00:16:3e:", 13), 0);
    xm_vif_free(&v);

    vif("mac=00:16:3e:aa:bb:cc", &v);
    CU_ASSERT_FALSE(dev_vif_assign_mac(&v));
    CU_ASSERT_STRING_EQUAL(v.spec, "mac=00:16:3e:aa:bb:cc");
    xm_vif_free(&v);

    /* random: eight in a row are not all the same */
    int distinct = 0;
    for (int i = 0; i < 8; i++) {
        vif("", &v);
        dev_vif_assign_mac(&v);
        CU_ASSERT_TRUE(mac_ok(v.mac));
        snprintf(seen[i], sizeof(seen[i]), "%s", v.mac);
        distinct += i == 0 || strcmp(seen[i], seen[0]) != 0;
        xm_vif_free(&v);
    }
    CU_ASSERT(distinct > 1);
}

static void test_paths(void)
{
    char *p = dev_be_path(DEV_VIF, 12, 3);
    CU_ASSERT_STRING_EQUAL(p, "/local/domain/0/backend/vif/12/3");
    free(p);
    p = dev_fe_path(DEV_VBD, 12, 51713);
    CU_ASSERT_STRING_EQUAL(p, "/local/domain/12/device/vbd/51713");
    free(p);
    p = dev_script_path("/etc/xen/scripts", "vif-nat");
    CU_ASSERT_STRING_EQUAL(p, "/etc/xen/scripts/vif-nat");
    free(p);
    p = dev_script_path("/etc/xen/scripts", "/opt/vif");
    CU_ASSERT_STRING_EQUAL(p, "/opt/vif");
    free(p);
    CU_ASSERT_STRING_EQUAL(dev_class_name(DEV_VBD), "vbd");
    CU_ASSERT_STRING_EQUAL(dev_class_name(DEV_VIF), "vif");
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "vbd nodes", test_vbd },
        { "vbd script by type", test_vbd_script },
        { "vif nodes", test_vif },
        { "vif rate", test_rate },
        { "random MAC", test_mac },
        { "paths", test_paths },
        { NULL, NULL },
    };
    unit_add_suite("xend devices", cases);
}
