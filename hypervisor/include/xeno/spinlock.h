/* SPDX-License-Identifier: MIT */
#ifndef XENO_SPINLOCK_H
#define XENO_SPINLOCK_H

#include <xeno/types.h>
#include <asm/cpu.h>

/* Ticket lock: FIFO, so no CPU starves under contention. */
typedef struct {
    volatile uint16_t next, owner;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { 0, 0 }

static inline void spin_lock_init(spinlock_t *l) { l->next = l->owner = 0; }

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
    uint16_t expect = owner;
    return __atomic_compare_exchange_n(&l->next, &expect, (uint16_t)(owner + 1), false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l) { return l->next != l->owner; }

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long f = local_irq_save();
    spin_lock(l);
    return f;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long f)
{
    spin_unlock(l);
    local_irq_restore(f);
}

#endif
