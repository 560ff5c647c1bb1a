/* SPDX-License-Identifier: MIT */
#ifndef XENO_SCHED_H
#define XENO_SCHED_H

/* Domains, vCPUs and the scheduler. */
#include <asm/regs.h>
#include <xen/xen.h>
#include <xen/arch-x86/xen.h>
#include <xen/vcpu.h>
#include <xeno/event_channel.h>
#include <xeno/list.h>
#include <xeno/rangeset.h>
#include <xeno/spinlock.h>
#include <xeno/time.h>
#include <xeno/types.h>

#define MAX_VIRT_CPUS   32          /* vcpu_info slots in shared_info (XEN_LEGACY_MAX_VCPUS) */
#define MAX_DOMAINS     64
#define DOM0_EVTCHN_PORTS 4096      /* the 2-level ABI maximum on 64-bit */
#define DOMU_EVTCHN_PORTS 1024

struct domain;
struct grant_table;

/* A pending exception/event to deliver to the guest on the way out (Xen's trap_bounce). */
struct trap_bounce {
    uint64_t eip;
    uint32_t error_code;
    uint8_t flags;
};
#define TBF_EXCEPTION          1
#define TBF_EXCEPTION_ERRCODE  2
#define TBF_INTERRUPT          8    /* set the guest's upcall mask (interrupt-gate semantics) */

enum vcpu_run_state { VCPU_DOWN, VCPU_RUNNABLE, VCPU_RUNNING, VCPU_BLOCKED };

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    unsigned int processor;             /* pCPU it runs on or last ran on */

    /* Guest state while not on a CPU (on a CPU it lives in cpu_info->guest_regs). */
    struct cpu_regs regs;
    uint16_t ds, es, fs, gs;
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint8_t fpu[512] __attribute__((aligned(16)));     /* FXSAVE image */
    bool fpu_ts;                        /* guest's virtual CR0.TS (fpu_taskswitch) */

    /* 64-bit PV: guest kernel and user both run in ring 3; we track which. */
    bool kernel_mode;
    unsigned long guest_table;          /* kernel L4 MFN (CR3 in kernel mode) */
    unsigned long guest_table_user;     /* user L4 MFN, 0 = none */
    uint64_t kernel_sp;                 /* stack_switch: where user->kernel bounces land */
    uint16_t kernel_ss;
    unsigned int iopl;

    struct trap_info traps[256];        /* set_trap_table, indexed by vector */
    uint64_t event_callback, failsafe_callback, syscall_callback, syscall32_callback;
    bool failsafe_disables_events, syscall_disables_events;
    struct trap_bounce trap_bounce;

    struct vcpu_info *vcpu_info;        /* in shared_info or a registered page */
    unsigned long vcpu_info_mfn;        /* 0: in shared_info */
    uint64_t runstate_area;             /* guest VA of vcpu_runstate_info, 0 = none */
    uint64_t debugreg[8];
    unsigned long gdt_frames[14];
    unsigned int gdt_ents;
    uint64_t ldt_base;
    unsigned int ldt_ents;
    unsigned long ldt_frames[16];       /* MFNs holding a seg_desc type ref (pv_set_ldt), 0 = none */

    /* Scheduling. */
    enum vcpu_run_state state;
    bool initialised;                   /* has a context (builder or VCPUOP_initialise) */
    bool pause;                         /* paused by the toolstack / shutdown */
    struct list_head runq_link;
    bool on_runq;
    s_time_t slice_end;
    s_time_t singleshot_deadline;       /* 0 = none */
    s_time_t periodic_period, periodic_next;
    bool polling;                       /* in SCHEDOP_poll */
    uint64_t poll_mask[2];              /* ports it waits for (up to 128 listed) */
    s_time_t poll_deadline;
    uint64_t cpu_time;                  /* ns run, for xm list / vcpu-list */
    s_time_t state_entry_time;
    uint64_t runstate_time[4];
    int runstate;                       /* RUNSTATE_* */
};

struct domain {
    uint16_t domid;
    bool is_privileged;                 /* dom0: control + hardware domain */
    spinlock_t lock;
    struct list_head page_list;         /* frames owned */
    unsigned long tot_pages, max_pages;
    struct shared_info *shared_info;
    unsigned long shared_info_mfn;
    unsigned int nr_vcpus;
    struct vcpu *vcpus[MAX_VIRT_CPUS];
    unsigned long vm_assist;
    bool is_dying;
    bool is_shutdown;
    unsigned int shutdown_reason;
    uint8_t handle[16];
    struct evtchn_domain evtchn;
    struct evtchn *evtchn_ports;
    struct evtchn_vcpu evtchn_vcpus[MAX_VIRT_CPUS];
    unsigned int weight;                /* scheduler weight, default 256 (Xen credit's default) */
    bool console_io_allowed;            /* boot-time domUs may write the console */
    bool iomem_all;                     /* dom0 may map any non-RAM frame and use I/O ports */
    struct grant_table *gt;             /* pv/grant_env.c: pv_grant_domain_init/destroy */
    uint64_t start_time;                /* ns */

    /* Toolstack control (pv/domctl.c, common/domain_destroy.c). */
    spinlock_t page_alloc_lock;         /* page_list, tot_pages, max_pages vs is_dying */
    unsigned int pause_count;           /* pauses in force, the controller's included (lock) */
    unsigned int controller_pause_count;/* XEN_DOMCTL_pausedomain nesting; 1 after createdomain */
    bool creation_finished;             /* the controller unpaused it once */
    bool is_xenstore;                   /* XEN_DOMCTL_CDF_xs_domain */
    int64_t time_offset_seconds;        /* XEN_DOMCTL_settimeoffset, added to the wallclock */
    struct rangeset iomem_caps;         /* XEN_DOMCTL_iomem_permission (MFNs) */
    struct rangeset ioport_caps;        /* XEN_DOMCTL_ioport_permission */
    uint64_t irq_caps[4];               /* XEN_DOMCTL_irq_permission: PIRQs 0..255 */
};

extern struct domain *domain_list[MAX_DOMAINS];
extern struct domain *dom0;

/* The vCPU running on this pCPU (NULL in the idle loop). */
struct vcpu *current_vcpu(void);
void set_current_vcpu(struct vcpu *v);
#define current (current_vcpu())

struct domain *domain_create(uint16_t domid, bool privileged, unsigned int nr_vcpus);
struct domain *domain_lookup(uint16_t domid);
/* Give nr frames to d (appending to its page list); -ENOMEM. */
int domain_alloc_pages(struct domain *d, unsigned long nr, unsigned long *first_mfn_out);
/* Stop the domain with a Xen SHUTDOWN_* reason; dom0's poweroff/reboot act on the machine. */
void domain_shutdown(struct domain *d, unsigned int reason);
/* A fatal guest error: log it, stop the domain (SHUTDOWN_crash). */
void domain_crash(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Scheduler. */
void scheduler_init_cpu(void);
void vcpu_wake(struct vcpu *v);
void vcpu_block(struct vcpu *v);
void vcpu_unblock_self(struct vcpu *v);
void vcpu_kick(struct vcpu *v);
void vcpu_runq_remove(struct vcpu *v);  /* teardown of a paused, unreachable vCPU */
void raise_schedule(unsigned int cpu);
bool schedule_pending(void);
void schedule(void);                    /* may switch away and not return */
void sched_timer_tick(void);
/* Start running vCPUs on this CPU (from the idle loop): never returns if one is runnable. */
void schedule_from_idle(void);
/* Update the guest's vcpu_time_info (pvclock) for v. */
void update_vcpu_system_time(struct vcpu *v);

#endif
