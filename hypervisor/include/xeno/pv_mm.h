/* SPDX-License-Identifier: MIT */
#ifndef XENO_PV_MM_H
#define XENO_PV_MM_H

#include <xeno/page_type.h>
#include <xeno/spinlock.h>

extern spinlock_t pv_mm_lock;
extern struct mm_env pv_env;
void pv_mm_init(void);
void flush_tlb_all_cpus(void);

#endif
