/* SPDX-License-Identifier: MIT */
/*
 * pvbench: micro-benchmarks of the PV hypercall paths, run as dom0.
 *
 * Every metric is measured the same way (main.c): one warm-up block, then
 * PVBENCH_RUNS timed blocks of a fixed number of operations each, timed
 * with rdtsc; the median block is converted to ns per operation with the
 * pvclock scale of vcpu_info.time (tsc_to_system_mul / tsc_shift), so each
 * hypervisor's own TSC calibration is what turns cycles into ns.  Output,
 * one line per metric (bench/pv-bench.sh parses it):
 *     pvbench: <name> <median_ns> ns (n=<runs>)
 * plus "pvbench-cycles:" (the same median in TSC cycles, independent of the
 * hypervisor's calibration) and "pvbench-dist:" (min, quartiles, max).
 * The runtime of tests/guests/lib boots the guest, registers the trap table
 * and the event callback, and after xtest_main() prints the usual
 * "xeno-test: RESULT:" line and powers off (SCHEDOP_shutdown).
 */
#ifndef PVBENCH_H
#define PVBENCH_H

#include "xtest.h"
#include "evtchn.h"
#include "mm.h"
#include "time.h"
#include "traps.h"

/*
 * Timed blocks per metric (odd: one median).  Blocks are short (~0.1 ms of
 * guest time under QEMU TCG) and many, so that the median block is one the
 * host did not preempt QEMU in: on a busy host a longer block would nearly
 * always include a deschedule, and what the median measured would be the
 * host's load rather than the hypervisor.
 */
#define PVBENCH_RUNS 201

/* One block: perform 'iters' operations.  Returns false if an operation
 * failed (the metric is then not reported; the failure is counted). */
typedef bool (*pvbench_block_fn)(unsigned int iters);

/*
 * Time PVBENCH_RUNS blocks of 'iters' calls of fn (after one untimed
 * warm-up block) and report "pvbench: <name> ..." as ns per operation,
 * where one block counts iters * ops_per_iter operations.  A second name
 * (may be NULL) reports the same median per iteration when ops_per_iter > 1
 * (e.g. per batch and per entry).
 */
bool pvbench_run(const char *name, pvbench_block_fn fn, unsigned int iters,
                 const char *per_iter_name, unsigned int ops_per_iter);

/* Spin limit while waiting for an upcall that should already have run. */
#define PVBENCH_SPIN_LIMIT 1000000u

void bench_null_hypercalls(void);
void bench_evtchn(void);
void bench_mmu_update(void);

#endif
