/* SPDX-License-Identifier: MIT */
/*
 * The fake hypervisor of hosted tests (hv_fake.c). Its state is a
 * directory ($XEND_FAKE_DIR):
 *   next-domid        the next domain ID (IDs only grow, as on Xen)
 *   dom-N             one domain: "key value" lines (uuid, memory_kb,
 *                     maxmem_kb, vcpus, max_vcpus, paused)
 *   shutdown-N        present once the "guest" shut down: its SHUTDOWN_* code
 * Domain 0 always exists. Host memory is $XEND_FAKE_MEMORY MiB (4096),
 * dom0 has $XEND_FAKE_DOM0_MEMORY MiB (512). "Building" checks that the
 * kernel (and ramdisk) can be read and that the kernel starts like an ELF
 * file or a bzImage, as the real builder would refuse anything else.
 *
 * With $XEND_FAKE_RINGS set to a hosted xenstored's --hosted-rings
 * directory, a new domain gets its ring file there (so XS_INTRODUCE
 * works), and a shutdown or destroy updates state-N there and kicks
 * xenstored's VIRQ_DOM_EXC, so that xenstored fires @releaseDomain the
 * way it does on Xen.
 */
#ifndef XEND_DAEMON_HV_FAKE_H
#define XEND_DAEMON_HV_FAKE_H

#include <stddef.h>
#include <stdint.h>

/* Mark domid as shut down with reason (what a guest's SCHEDOP_shutdown does). */
int hv_fake_shutdown(uint32_t domid, unsigned int reason, char *err, size_t errlen);

/* Set how many vCPUs domid has online (what a guest does for cpu/I/availability). */
int hv_fake_set_vcpus(uint32_t domid, unsigned int online, char *err, size_t errlen);

struct xsc;
/*
 * The loop of the fake guest and the fake backend: opens a request
 * connection c and a watch connection w to xenstored, watches
 * /local/domain (token who), and calls on_event with the changed path for
 * every event until the watch fails (returns 1). fake_guest.c.
 */
int fake_watch_loop(const char *who, void (*on_event)(struct xsc *c, struct xsc *w, const char *path));

/* Dom0's backends and the guests' frontends of vbd and vif devices (fake_backend.c). */
int fake_backend_main(void);

#endif
