/* SPDX-License-Identifier: MIT */
/*
 * domctl: role dispatch.  The initial domain runs the control tests; the
 * boot-time domU (d1, see `domains`) checks it is refused everything.
 * dom0 lets d1 finish before the tests that read the shared console ring
 * or count free memory, and destroys it at the end.
 */
#include "domctl_test.h"

const char xtest_name[] = "domctl";

void dom0_reap_domu(void)
{
    struct xen_domctl_getdomaininfo info;

    xtest_section("destroy d1, which ran a whole kernel");
    if (!CHECK(dc_getinfo(DOMU_ID, &info) == 0 && info.domain == DOMU_ID, "d%u exists", DOMU_ID))
        return;
    CHECK(info.flags & XEN_DOMINF_shutdown, "it has shut down (flags %#x)", info.flags);
    uint64_t free0 = host_free_pages();
    CHECK_EQ(dc_simple(XEN_DOMCTL_destroydomain, DOMU_ID), 0, "destroydomain(d%u)", DOMU_ID);
    uint64_t freed = host_free_pages() - free0;
    CHECK(freed > info.tot_pages, "%lu frames back for its %lu pages (+ shared_info, grant table)",
          (unsigned long)freed, (unsigned long)info.tot_pages);
    CHECK(!dom_exists(DOMU_ID), "gone");
}

void xtest_main(void)
{
    if (!(xtest_start_info->flags & SIF_INITDOMAIN)) {
        domu_refused();
        return;
    }
    dom0_interface();
    xtest_section("wait for d1 to finish its checks");
    CHECK(wait_shutdown(DOMU_ID, 20000) == SHUTDOWN_poweroff, "d%u shut down (poweroff)", DOMU_ID);
    dom0_console();
    dom0_lifecycle();
    dom0_build_and_run();
    dom0_reap_domu();
}
