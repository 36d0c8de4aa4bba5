/*
 * Ticket spinlocks.  Fair (FIFO) and small: a lock is two 16-bit counters,
 * `head` (ticket being served) and `tail` (next ticket to hand out).
 * Portable C on GCC __atomic builtins, so host unit tests use it unchanged.
 *
 * spin_lock_irqsave()/spin_unlock_irqrestore() are provided by
 * <asm/spinlock-irq.h> in the hypervisor only.
 */
#ifndef KEEL_SPINLOCK_H
#define KEEL_SPINLOCK_H

#include <keel/types.h>

typedef struct spinlock {
    uint16_t head;
    uint16_t tail;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { 0, 0 }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l)
{
    l->head = l->tail = 0;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__ ( "pause" ::: "memory" );
#endif
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_RELAXED);

    while ( __atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me )
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
    uint16_t tail = head;

    /* Take a ticket only if nobody holds or waits for the lock. */
    return __atomic_compare_exchange_n(&l->tail, &tail, (uint16_t)(tail + 1),
                                       false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED) &&
           __atomic_load_n(&l->head, __ATOMIC_ACQUIRE) == head;
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->head, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->tail, __ATOMIC_RELAXED);
}

#define ASSERT_SPIN_LOCKED(l) do { if ( !spin_is_locked(l) ) \
    panic("%s:%d: lock %s not held\n", __FILE__, __LINE__, #l); } while ( 0 )

#endif /* KEEL_SPINLOCK_H */
