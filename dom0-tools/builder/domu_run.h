/* SPDX-License-Identifier: MIT */
#ifndef DOMU_RUN_H
#define DOMU_RUN_H

/*
 * xeno-domu-run, dom0's harness for one domU: build it with libxenobuild,
 * give it to xenstored, run it with its console on stdout, tear it down
 * and check that the host got every page back.
 */
#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "xenobuild.h"
#include "xenoctrl.h"

/* domu_run_xs.c: the domain's xenstore tree (as libxl writes it for a PV
 * guest, /work/shared/reference/xenstore-domU-real-xen.txt) and
 * XS_INTRODUCE / XS_RELEASE.  0 or an errno, with a message on stderr. */
int domu_xs_setup(struct xsc *xs, const struct xenobuild_result *r, const char *name, uint64_t memory_kb,
                  unsigned int vcpus, unsigned int max_vcpus);
int domu_xs_release(struct xsc *xs, uint32_t domid);
/* The value at /local/domain/<domid>/<rel> into buf ("" if absent). */
void domu_xs_read(struct xsc *xs, uint32_t domid, const char *rel, char *buf, size_t len);

/* domu_run_console.c: the console ring of a domU relayed line by line to
 * stdout as "[domU N] ...". */
struct domu_console;
int domu_console_open(xenoctrl *x, const struct xenobuild_result *r, struct domu_console **out);
/* Wait up to ms for the domain's event and print what the ring holds. */
void domu_console_poll(struct domu_console *c, int ms);
void domu_console_close(xenoctrl *x, struct domu_console *c);

#endif
