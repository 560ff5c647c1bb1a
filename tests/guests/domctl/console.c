/* SPDX-License-Identifier: MIT */
/*
 * dom0: XEN_SYSCTL_readconsole, the log ring behind `xm dmesg`.  Our own
 * console_io output goes into the ring too (as on Xen), so a marker
 * printed here must come back.  Semantics of index/incremental/clear as
 * Xen 4.17's read_console_ring().
 */
#include "domctl_test.h"

static char buf[80 * 1024];      /* more than the 64 KiB ring */

static long readcon(bool incremental, uint32_t index, bool clear, uint32_t *count, uint32_t *next)
{
    struct xen_sysctl op;
    sc_init(&op, XEN_SYSCTL_readconsole);
    op.u.readconsole.incremental = incremental;
    op.u.readconsole.index = index;
    op.u.readconsole.clear = clear;
    op.u.readconsole.buffer = (unsigned long)buf;
    op.u.readconsole.count = sizeof(buf) - 1;
    memset(buf, 0, sizeof(buf));
    long rc = HYPERVISOR_sysctl(&op);
    *count = op.u.readconsole.count;
    *next = op.u.readconsole.index;
    return rc;
}

static bool has(const char *s, uint32_t count)
{
    buf[count < sizeof(buf) ? count : sizeof(buf) - 1] = 0;
    return strstr(buf, s) != NULL;
}

void dom0_console(void)
{
    uint32_t count, idx, idx2;

    xtest_section("readconsole");
    printf("domctl-test marker one\n");
    /* Our own result lines go into the ring as well, so the two reads
     * are made back to back and judged afterwards. */
    uint32_t count2;
    long rc1 = readcon(false, 0, false, &count, &idx);
    bool marker = count > 0 && has("domctl-test marker one", count), xen = has("(XEN) ", count);
    long rc2 = readcon(true, idx, false, &count2, &idx2);
    CHECK_EQ(rc1, 0, "readconsole (from the oldest byte)");
    CHECK(marker, "our marker is in the ring (%u bytes)", count);
    CHECK(xen, "so are the hypervisor's own lines");
    CHECK_EQ(rc2, 0, "incremental from the end");
    CHECK(count2 == 0 && idx2 == idx, "nothing new (%u bytes)", count2);
    printf("domctl-test marker two\n");
    CHECK_EQ(readcon(true, idx, false, &count, &idx2), 0, "incremental after a second marker");
    CHECK(has("domctl-test marker two", count) && !has("marker one", count),
          "only the new output (%u bytes)", count);
    CHECK_EQ(idx2 - idx, count, "index advanced by the bytes read");
    CHECK_EQ(readcon(false, 0, true, &count, &idx), 0, "non-incremental read with clear");
    printf("domctl-test marker three\n");
    CHECK_EQ(readcon(false, 0, false, &count, &idx), 0, "non-incremental read after the clear");
    CHECK(has("marker three", count) && !has("marker two", count), "starts where the clear left off");

    struct xen_sysctl op;
    sc_init(&op, XEN_SYSCTL_readconsole);
    op.u.readconsole.buffer = 0xffff830000000000ULL;
    op.u.readconsole.count = 100;
    CHECK_EQ(HYPERVISOR_sysctl(&op), -EFAULT, "readconsole into the hypervisor's range -> -EFAULT");
    op.u.readconsole.buffer = (unsigned long)buf;
    op.u.readconsole.count = 0;
    CHECK_EQ(HYPERVISOR_sysctl(&op), 0, "a zero-byte read");
    CHECK_EQ(op.u.readconsole.count, 0, "... reads nothing");
}
