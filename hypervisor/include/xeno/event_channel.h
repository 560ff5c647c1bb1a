/* SPDX-License-Identifier: MIT */
#ifndef XENO_EVENT_CHANNEL_H
#define XENO_EVENT_CHANNEL_H

/*
 * Event channels with the 2-level delivery ABI, as a pure library.
 *
 * What this file owns: the per-domain port table, Xen's EVTCHNOP_*
 * semantics (one function per sub-op, taking the argument struct already
 * copied in from the guest and filling its OUT fields), and the 2-level
 * pending / mask / selector / upcall algorithm on the guest-visible
 * shared_info and vcpu_info. What it does not own: copying arguments to
 * and from guest memory, locating domains, waking vCPUs, PIRQ routing.
 * Those go through struct evtchn_ops callbacks.
 *
 * Semantics follow Xen's xen/common/event_channel.c and event_2l.c,
 * including its error codes and the order in which they are checked
 * (so the same bad call fails with the same errno as on Xen):
 *   -ESRCH   the named domain does not exist
 *   -EPERM   a non-privileged domain names another domain
 *   -EINVAL  bad port, port in the wrong state, bad VIRQ number, a
 *            VIRQ that is not per-vCPU bound to vCPU != 0
 *   -ENOENT  vCPU out of range (bind_virq, bind_ipi, bind_vcpu)
 *   -EEXIST  VIRQ already bound on that vCPU; PIRQ already bound
 *   -EBUSY   global VIRQ bound by a domain that is not its handler
 *   -ENOSPC  every port in use
 *   -EINVAL  any allocation in a domain being destroyed
 *
 * Ports: 0 is reserved (Linux treats port 0 as "no port") and never
 * allocated; the 2-level ABI addresses at most 64 * 64 = 4096 ports on
 * x86-64 (EVTCHN_2L_NR_CHANNELS), and a domain may be given fewer
 * (Xen's toolstack default for a domU is 1024). Every port below
 * max_ports counts as valid: Xen only accepts ports in buckets it has
 * already allocated, so a closed port above the highest allocated bucket
 * is -EINVAL there but EVTCHNSTAT_closed (status) or 0 (unmask) here.
 *
 * Locking: the caller serialises every call in this file with one
 * global event-channel lock (interdomain operations touch two domains,
 * so a per-domain lock would need Xen's lock ordering). If any call is
 * made from interrupt context (timer VIRQ, PIRQ), take that lock with
 * interrupts disabled everywhere. The callbacks run with the lock held
 * and must not call back into this file. Nothing else here locks. The
 * guest writes the same shared_info / vcpu_info words concurrently
 * without any lock, so every update of them is an atomic
 * read-modify-write.
 */

#include "xeno/types.h"
#include <xen/xen.h>
#include <xen/event_channel.h>

/* Xen's channel states (Xen: xen/include/xen/sched.h ECS_*). */
enum evtchn_state {
    ECS_FREE,          /* available for allocation */
    ECS_RESERVED,      /* port 0: never allocated, never closed */
    ECS_UNBOUND,       /* waiting for u.unbound.remote_domid to bind */
    ECS_INTERDOMAIN,   /* connected to u.interdomain.remote_port */
    ECS_PIRQ,          /* physical IRQ u.pirq */
    ECS_VIRQ,          /* virtual IRQ u.virq */
    ECS_IPI,           /* same-domain inter-vCPU notification */
};

struct evtchn_domain;

struct evtchn {
    uint8_t state;          /* enum evtchn_state */
    uint32_t notify_vcpu;   /* vCPU whose selector/upcall a raise sets */
    union {
        struct { domid_t remote_domid; } unbound;  /* who may bind */
        struct {
            struct evtchn_domain *remote;
            uint32_t remote_port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};

/* Per-vCPU state; the caller provides an array of nr_vcpus of these. */
struct evtchn_vcpu {
    /*
     * Where this vCPU's vcpu_info lives: &shared->vcpu_info[i] for
     * i < 32 after init, NULL above (Linux never enables events on such
     * a vCPU before registering a location); moved by
     * evtchn_vcpu_info_moved().
     */
    struct vcpu_info *info;
    /*
     * VIRQ -> port, 0 = unbound. Per-vCPU VIRQs use the entry of their
     * vCPU; global and per-domain VIRQs always use vCPU 0's entry even
     * after bind_vcpu moved their notifications (as Xen does).
     */
    uint16_t virq_port[NR_VIRQS];
};

/* One per domain; the glue embeds it in its struct domain. */
struct evtchn_domain {
    domid_t domid;
    /*
     * Control domain: may alloc_unbound in, query the status of and
     * reset other domains (Xen's XSM dummy policy, XSM_TARGET).
     * Set by the caller after init; false by default.
     */
    bool privileged;
    /*
     * Handler of the global VIRQs (VIRQ_CONSOLE, VIRQ_DOM_EXC, ...):
     * Xen's default is the hardware domain; any other domain gets -EBUSY
     * binding them. Set by the caller after init; false by default.
     */
    bool hardware;
    bool dying;                      /* set by destroy: no new ports */
    struct shared_info *shared;      /* evtchn_pending / evtchn_mask */
    struct evtchn_vcpu *vcpus;
    unsigned int nr_vcpus;
    struct evtchn *ports;
    unsigned int max_ports;
};

/* Callbacks into the hypervisor; all are called with the lock held. */
struct evtchn_ops {
    /*
     * The domain with this id, or NULL if there is none. Never called
     * with DOMID_SELF or with the caller's own id (resolved here).
     * Required.
     */
    struct evtchn_domain *(*lookup)(void *ctx, domid_t domid);
    /*
     * evtchn_upcall_pending of d's vCPU went 0 -> 1: wake it if blocked,
     * IPI its pCPU if running, so it takes the upcall. Required.
     */
    void (*kick_vcpu)(void *ctx, struct evtchn_domain *d, unsigned int vcpu);
    /*
     * Port went from not pending to pending, masked or not: wake any of
     * d's vCPUs in SCHEDOP_poll on it (Xen's evtchn_check_pollers; PV
     * spinlocks poll masked ports). Optional.
     */
    void (*port_pending)(void *ctx, struct evtchn_domain *d, unsigned int port);
    /*
     * EVTCHNOP_bind_pirq found a free port: route the physical IRQ to d
     * (Xen's pirq_guest_bind). A negative errno aborts the bind and is
     * returned; the port stays free. Optional (NULL: always succeeds).
     */
    int (*bind_pirq)(void *ctx, struct evtchn_domain *d, uint32_t pirq, bool will_share);
    /* A PIRQ port is being closed: undo bind_pirq. Optional. */
    void (*unbind_pirq)(void *ctx, struct evtchn_domain *d, uint32_t pirq);
    void *ctx;
};

/*
 * Set up d with every port free except the reserved port 0. The caller
 * provides ports[max_ports] and vcpus[nr_vcpus] (contents overwritten)
 * and a shared_info page that the domain builder has already zeroed.
 * Returns 0, or -EINVAL if max_ports is not in 2..EVTCHN_2L_NR_CHANNELS,
 * nr_vcpus is 0, or a pointer is NULL.
 */
int evtchn_domain_init(struct evtchn_domain *d, domid_t domid, struct shared_info *shared,
                       struct evtchn_vcpu *vcpus, unsigned int nr_vcpus,
                       struct evtchn *ports, unsigned int max_ports);

/*
 * Close every port of a dying domain. Interdomain peers go back to
 * unbound, offered to d's domid (so they can be reconnected to a new
 * domain with that id, e.g. after a reboot). Afterwards no other domain
 * points at d and every allocation in d fails with -EINVAL. Call before
 * the glue stops returning d from lookup and frees it.
 */
void evtchn_domain_destroy(const struct evtchn_ops *ops, struct evtchn_domain *d);

/*
 * A new vCPU's vcpu_info location (VCPUOP_register_vcpu_info). The
 * caller has already copied the old contents there. Like Xen, marks
 * every selector bit and the upcall pending (and kicks) so that nothing
 * raised while the area moved gets lost: the guest takes one spurious
 * upcall and rescans. Returns 0, or -EINVAL for a bad vCPU or NULL info.
 */
int evtchn_vcpu_info_moved(const struct evtchn_ops *ops, struct evtchn_domain *d,
                           unsigned int vcpu, struct vcpu_info *info);

/*
 * EVTCHNOP_* for a guest `caller`. Each returns 0 or a negative errno
 * (header comment); on error the OUT fields are untouched.
 */

/* Allocate an unbound port in op->dom (DOMID_SELF or caller: own;
 * another domain needs privilege), to be bound by op->remote_dom.
 * remote_dom DOMID_SELF means the caller, not op->dom; it is not
 * checked for existence. OUT: op->port. */
int evtchn_alloc_unbound(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                         struct evtchn_alloc_unbound *op);

/* Connect a new local port to unbound port op->remote_port of
 * op->remote_dom (DOMID_SELF allowed), which must be offered to the
 * caller. Like Xen, the new local port is then raised once, as the peer
 * may have sent while unbound. OUT: op->local_port. */
int evtchn_bind_interdomain(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                            struct evtchn_bind_interdomain *op);

/* Bind op->virq. Per-vCPU VIRQs (TIMER, DEBUG, XENOPROF, XENPMU) on any
 * vCPU; all others only with vcpu 0. Global VIRQs need caller->hardware.
 * OUT: op->port. */
int evtchn_bind_virq(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                     struct evtchn_bind_virq *op);

/* A port whose send raises itself on op->vcpu. OUT: op->port. */
int evtchn_bind_ipi(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                    struct evtchn_bind_ipi *op);

/* Bind a physical IRQ, notifying vCPU 0. The glue has already checked
 * the range (-EINVAL) and the domain's access to it (-EPERM); ops->bind_pirq
 * does the routing. OUT: op->port. */
int evtchn_bind_pirq(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                     struct evtchn_bind_pirq *op);

/* Free a port: clear its pending bit and reset it to vCPU 0; an
 * interdomain peer becomes unbound, offered to the caller. */
int evtchn_close(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                 const struct evtchn_close *op);

/* Interdomain: raise the peer port; IPI: raise this port; unbound: drop
 * silently (0); any other state: -EINVAL. */
int evtchn_send(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                const struct evtchn_send *op);

/* State of port op->port of op->dom (another domain needs privilege).
 * OUT: status, vcpu, u. */
int evtchn_status(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                  struct evtchn_status *op);

/* Move notifications of an unbound, interdomain, PIRQ or global-VIRQ
 * port to op->vcpu; per-vCPU VIRQ and IPI ports: -EINVAL. Bits already
 * in the old vCPU's selector stay there. */
int evtchn_bind_vcpu(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                     const struct evtchn_bind_vcpu *op);

/* Clear the mask bit; if the port is pending, raise the selector and
 * upcall of its notify vCPU as a new event would. Any state. */
int evtchn_unmask(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                  const struct evtchn_unmask *op);

/* Close every port of op->dom (another domain needs privilege). The glue
 * must refuse (-EINVAL) another domain that the caller has not paused,
 * as Xen does. */
int evtchn_reset(const struct evtchn_ops *ops, struct evtchn_domain *caller,
                 const struct evtchn_reset *op);

/*
 * For the hypervisor itself.
 */

/*
 * Raise virq for d. Per-vCPU VIRQs go to that vCPU's binding; for the
 * others vcpu is ignored and the port's notify vCPU is raised. Returns 0
 * (also when unbound: Xen drops it), -EINVAL for a bad virq or vcpu.
 */
int evtchn_send_virq(const struct evtchn_ops *ops, struct evtchn_domain *d,
                     unsigned int vcpu, unsigned int virq);

/* Whether virq has a port (the vcpu is ignored as above). */
bool evtchn_virq_bound(const struct evtchn_domain *d, unsigned int vcpu, unsigned int virq);

/* VIRQ is bound per vCPU rather than once per domain. */
bool evtchn_virq_is_per_vcpu(unsigned int virq);

/*
 * Raise a bound port (PIRQ delivery, or any port the hypervisor drives)
 * on its notify vCPU with the 2-level algorithm: set the pending bit; if
 * it was clear and the port is not masked, set bit port/64 of the vCPU's
 * evtchn_pending_sel; if that was clear, set evtchn_upcall_pending; if
 * that was clear, kick. Returns 0, or -EINVAL for a port that is out of
 * range or free.
 */
int evtchn_set_pending(const struct evtchn_ops *ops, struct evtchn_domain *d, unsigned int port);

/* The guest-visible pending / mask bit of a port (SCHEDOP_poll). Out of
 * range a port is not pending and is masked, as in Xen's event_2l.c. */
bool evtchn_port_is_pending(const struct evtchn_domain *d, unsigned int port);
bool evtchn_port_is_masked(const struct evtchn_domain *d, unsigned int port);

#endif
