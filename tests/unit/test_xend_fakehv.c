// UNIT-SOURCES: xend/daemon/hv_fake.c xend/daemon/hv_common.c xend/common/xalloc.c
// UNIT-LIBS:
/* SPDX-License-Identifier: MIT */
/*
 * The fake hypervisor of hosted tests (xend/daemon/hv_fake.h): domains are
 * files in a directory, so a second handle (a restarted xend) sees what the
 * first one made; memory accounting, IDs that only grow, shutdowns that a
 * hosted xenstored hears about (state-N, the VIRQ datagram).
 */
#include "unit.h"
#include "../../xend/daemon/hv.h"
#include "../../xend/daemon/hv_fake.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char dir[64], rings[80], kernel[96], notkernel[96];

static void write_text(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(text, 1, len, f);
    fclose(f);
}

static int setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/xend-fakehv.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(rings, sizeof(rings), "%s/rings", dir);
    snprintf(kernel, sizeof(kernel), "%s/vmlinuz", dir);
    snprintf(notkernel, sizeof(notkernel), "%s/text", dir);
    mkdir(rings, 0700);
    char hv[80];
    snprintf(hv, sizeof(hv), "%s/hv", dir);
    setenv("XEND_FAKE_DIR", hv, 1);
    setenv("XEND_FAKE_RINGS", rings, 1);
    setenv("XEND_FAKE_MEMORY", "1024", 1);
    setenv("XEND_FAKE_DOM0_MEMORY", "256", 1);
    FILE *f = fopen(kernel, "w");
    if (!f)
        return -1;
    fputs("\177ELF", f);
    fclose(f);
    f = fopen(notkernel, "w");
    if (!f)
        return -1;
    fputs("#!/bin/sh\n", f);
    fclose(f);
    return 0;
}

static int teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct hv *open_hv(void)
{
    struct hv *h = NULL;
    char why[256];
    CU_ASSERT_EQUAL(hv_open(&h, why, sizeof(why)), 0);
    return h;
}

static struct hv_build spec(uint64_t mib)
{
    struct hv_build b = { .kernel = kernel, .memory_kb = mib * 1024, .maxmem_kb = mib * 2048,
                          .vcpus = 1, .max_vcpus = 2 };
    memset(b.uuid, 0xab, 16);
    return b;
}

static void test_build_and_survive(void)
{
    struct hv *h = open_hv();
    struct hv_build b = spec(256);
    struct hv_built r1, r2;
    struct hv_dominfo info[8];
    struct hv_hostinfo host;

    CU_ASSERT_FATAL(h != NULL);
    CU_ASSERT_EQUAL(h->ops->hostinfo(h, &host), 0);
    CU_ASSERT_EQUAL(host.free_kb, (1024 - 256) * 1024);
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r1), 0);
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r2), 0);
    CU_ASSERT_EQUAL(r2.domid, r1.domid + 1);
    CU_ASSERT_NOT_EQUAL(r1.store_mfn, r2.store_mfn);
    /* a built domain is paused, has its ring file for xenstored, and uses memory */
    struct hv_dominfo d;
    CU_ASSERT_EQUAL(h->ops->getinfo(h, r1.domid, &d), 0);
    CU_ASSERT_TRUE(d.paused);
    CU_ASSERT_FALSE(d.shutdown);
    CU_ASSERT_EQUAL(d.tot_kb, 256 * 1024);
    CU_ASSERT_EQUAL(d.max_kb, 512 * 1024);
    CU_ASSERT_EQUAL(d.max_vcpus, 2);
    CU_ASSERT_EQUAL(memcmp(d.handle, b.uuid, 16), 0);
    char ring[128];
    snprintf(ring, sizeof(ring), "%s/ring-%u", rings, r1.domid);
    struct stat st;
    CU_ASSERT_EQUAL(stat(ring, &st), 0);
    CU_ASSERT_EQUAL(st.st_size, 4096);
    CU_ASSERT_EQUAL(h->ops->hostinfo(h, &host), 0);
    CU_ASSERT_EQUAL(host.free_kb, (1024 - 256 - 512) * 1024);
    h->ops->close(h);

    /* another handle (xend restarted) sees the same domains, dom0 first */
    h = open_hv();
    int n = h->ops->list(h, info, 8);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(info[0].domid, 0);
    CU_ASSERT_EQUAL(info[1].domid, r1.domid);
    CU_ASSERT_EQUAL(info[2].domid, r2.domid);
    CU_ASSERT_EQUAL(h->ops->unpause(h, r1.domid), 0);
    CU_ASSERT_EQUAL(h->ops->getinfo(h, r1.domid, &d), 0);
    CU_ASSERT_FALSE(d.paused);
    CU_ASSERT_TRUE(d.blocked);
    CU_ASSERT_EQUAL(h->ops->setmaxmem(h, r1.domid, 300 * 1024), 0);
    CU_ASSERT_EQUAL(h->ops->getinfo(h, r1.domid, &d), 0);
    CU_ASSERT_EQUAL(d.max_kb, 300 * 1024);
    /* destroyed: gone, memory back, xenstored told it is dead */
    CU_ASSERT_EQUAL(h->ops->destroy(h, r1.domid), 0);
    CU_ASSERT_EQUAL(h->ops->destroy(h, r2.domid), 0);
    CU_ASSERT_EQUAL(h->ops->getinfo(h, r1.domid, &d), -ESRCH);
    CU_ASSERT_EQUAL(h->ops->destroy(h, r1.domid), -ESRCH);
    CU_ASSERT_EQUAL(h->ops->destroy(h, 0), -ESRCH);
    CU_ASSERT_EQUAL(h->ops->hostinfo(h, &host), 0);
    CU_ASSERT_EQUAL(host.free_kb, (1024 - 256) * 1024);
    char state[128], buf[16] = "";
    snprintf(state, sizeof(state), "%s/state-%u", rings, r1.domid);
    FILE *f = fopen(state, "r");
    CU_ASSERT_PTR_NOT_NULL(f);
    if (f) {
        CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), f));
        fclose(f);
    }
    CU_ASSERT_STRING_EQUAL(buf, "dead");
    CU_ASSERT_EQUAL(h->ops->list(h, info, 8), 1);
    /* IDs are not reused */
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r1), 0);
    CU_ASSERT_EQUAL(r1.domid, r2.domid + 1);
    CU_ASSERT_EQUAL(h->ops->destroy(h, r1.domid), 0);
    h->ops->close(h);
}

static void test_refusals(void)
{
    struct hv *h = open_hv();
    struct hv_build b = spec(800);     /* 1024 - 256 for dom0 leaves 768 */
    struct hv_built r;

    CU_ASSERT_FATAL(h != NULL);
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r), -ENOMEM);
    CU_ASSERT_PTR_NOT_NULL(strstr(hv_error(h), "not enough free memory"));
    b = spec(64);
    b.kernel = notkernel;
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(hv_error(h), "not an ELF file or a bzImage"));
    b.kernel = "/nonexistent/vmlinuz";
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r), -ENOENT);
    CU_ASSERT_PTR_NOT_NULL(strstr(hv_error(h), "/nonexistent/vmlinuz"));
    b = spec(64);
    b.ramdisk = "/nonexistent/initrd";
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r), -ENOENT);
    struct hv_dominfo info[4];
    CU_ASSERT_EQUAL(h->ops->list(h, info, 4), 1);   /* nothing was left behind */
    /* a bzImage is a kernel too (its "HdrS" signature at 0x202) */
    char bz[0x300];
    memset(bz, 0, sizeof(bz));
    memcpy(bz + 0x202, "HdrS", 4);
    write_text(notkernel, bz, sizeof(bz));
    b.kernel = notkernel;
    b.ramdisk = NULL;
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r), 0);
    CU_ASSERT_EQUAL(h->ops->destroy(h, r.domid), 0);
    h->ops->close(h);
}

static void test_shutdown(void)
{
    struct hv *h = open_hv();
    struct hv_build b = spec(64);
    struct hv_built r;
    struct hv_dominfo d;
    char err[128];
    struct sockaddr_un a = { .sun_family = AF_UNIX };

    CU_ASSERT_FATAL(h != NULL);
    /* xenstored's event socket, to see the VIRQ_DOM_EXC kick */
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/xenstored-evtchn", rings);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    CU_ASSERT_EQUAL_FATAL(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    CU_ASSERT_EQUAL(h->ops->build(h, &b, &r), 0);
    CU_ASSERT_EQUAL(hv_fake_shutdown(r.domid, 3, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(h->ops->getinfo(h, r.domid, &d), 0);
    CU_ASSERT_TRUE(d.shutdown);
    CU_ASSERT_EQUAL(d.shutdown_reason, 3);
    CU_ASSERT_FALSE(d.blocked);
    char buf[16] = "";
    CU_ASSERT_EQUAL(recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT), 4);
    CU_ASSERT_STRING_EQUAL(buf, "virq");
    CU_ASSERT_EQUAL(hv_fake_shutdown(9999, 0, err, sizeof(err)), -ESRCH);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "9999"));
    CU_ASSERT_EQUAL(h->ops->destroy(h, r.domid), 0);
    CU_ASSERT_EQUAL(h->ops->getinfo(h, r.domid, &d), -ESRCH);
    close(fd);
    unlink(a.sun_path);
    h->ops->close(h);
}

void unit_register(void)
{
    static const struct unit_case cases[] = {
        { "build, list, destroy; state survives the handle", test_build_and_survive },
        { "refusals leave nothing", test_refusals },
        { "guest shutdown", test_shutdown },
        { NULL, NULL },
    };
    CU_pSuite s = CU_add_suite("xend fake hypervisor", setup, teardown);
    for (const struct unit_case *c = cases; s && c->name; c++)
        CU_add_test(s, c->name, c->fn);
}
