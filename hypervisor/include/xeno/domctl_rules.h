/* SPDX-License-Identifier: MIT */
#ifndef XENO_DOMCTL_RULES_H
#define XENO_DOMCTL_RULES_H

/*
 * The decisions behind domctl/sysctl that need no machine state, so they
 * are tested hosted (tests/unit/test_domctl_rules.c): createdomain's
 * configuration check, domain-id choice, getdomaininfo's state flags, the
 * page-frame type report and the log-ring window of readconsole.  Facts
 * from Xen 4.17 (common/domctl.c, common/domain.c, arch/x86/domctl.c,
 * drivers/char/console.c); pv/domctl.c and pv/sysctl.c apply them.
 */
#include "xeno/types.h"
#include <xen/domctl.h>

/*
 * Check a createdomain configuration for a 64-bit PV domain and derive
 * the number of event-channel ports (max_evtchn_port + 1, at most the
 * 2-level ABI's 4096).  0, -EINVAL (HVM, HAP, IOMMU, nested, vPMU,
 * s3_integrity, unknown flags, iommu_opts, vCPUs outside 1..max_vcpus,
 * grant frames outside -1 or 1..max_grant_frames, maptrack < -1, grant
 * version other than 1, vmtrace, emulation flags, unknown misc flags),
 * -ENOENT (a cpupool other than 0).
 */
int createdomain_check(const struct xen_domctl_createdomain *c, unsigned int max_vcpus,
                       int max_grant_frames, unsigned int *nr_ports);

/*
 * The id a new domain gets.  requested in 1..DOMID_FIRST_RESERVED-1 is
 * taken if free (-EEXIST otherwise); 0 or a reserved value searches
 * upward from *rover + 1, wrapping to 1 (Xen's rover), and moves the
 * rover; -ENOMEM when every id is taken.  usable(ctx, id) says whether an
 * id may be given now.
 */
int domid_choose(uint16_t requested, uint16_t *rover,
                 bool (*usable)(void *ctx, uint16_t id), void *ctx, uint16_t *out);

/* What getdomaininfo's flags are made of. */
struct dominfo_state {
    bool dying, shutdown, paused, xs_domain;
    unsigned int shutdown_reason;
    unsigned int nr_online;             /* vCPUs not down */
    unsigned int nr_online_blocked;     /* of those, blocked */
    unsigned int nr_running;            /* on a CPU now */
};

/* XEN_DOMINF_*: blocked only if every online vCPU is, running if any
 * is; both only when some vCPU is online (Xen's getdomaininfo()). */
uint32_t dominfo_flags(const struct dominfo_state *s);

/*
 * getpageframeinfo3's answer for a frame of the domain with this
 * type_info (xeno/page_type.h layout): its page-table level if pinned
 * (plus LPINTAB) or validated, NOTAB otherwise (Xen reports an unpinned,
 * unvalidated table as NOTAB).
 */
uint32_t pfinfo_type(uint64_t type_info);

/*
 * readconsole: where to start copying from a ring whose writer has
 * produced `head` bytes in total and still holds those from `oldest` on.
 * Without incremental: `oldest`, or `cleared` if later.  With it: the byte whose
 * running count is `index` modulo 2^32, if still in the ring (between
 * the non-incremental start and head), else the non-incremental start.
 */
uint64_t conring_start(uint64_t head, uint64_t oldest, uint64_t cleared,
                       bool incremental, uint32_t index);

#endif
