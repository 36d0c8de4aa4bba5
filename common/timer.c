/*
 * Per-CPU timer queues.  Each queue is a singly linked list sorted by
 * expiry, so the head is the next deadline, which is what the CPU's
 * one-shot hardware timer is programmed for.  Handlers run from
 * TIMER_SOFTIRQ with the queue lock dropped, so a handler may re-arm its
 * own timer.  Lock order: a queue lock is a leaf lock.
 */
#include <keel/lib.h>
#include <keel/softirq.h>
#include <keel/spinlock.h>
#include <keel/timer.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/processor.h>

struct timer_queue {
    spinlock_t lock;
    struct timer *head;             /* [lock] sorted by expires */
    unsigned long fired;            /* [lock] statistics */
};

static struct timer_queue queues[NR_CPUS];

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu, const char *name)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->data = data;
    t->cpu = cpu < NR_CPUS ? cpu : 0;
    t->name = name;
}

static void dequeue(struct timer_queue *q, struct timer *t)
{
    struct timer **pp;

    for ( pp = &q->head; *pp; pp = &(*pp)->next )
        if ( *pp == t )
        {
            *pp = t->next;
            break;
        }
    t->active = false;
    t->next = NULL;
}

void set_timer(struct timer *t, s_time_t expires)
{
    struct timer_queue *q = &queues[t->cpu];
    struct timer **pp;
    unsigned long flags = local_irq_save();

    spin_lock(&q->lock);
    if ( t->active )
        dequeue(q, t);
    t->expires = expires;
    for ( pp = &q->head; *pp && (*pp)->expires <= expires; pp = &(*pp)->next )
        continue;
    t->next = *pp;
    *pp = t;
    t->active = true;
    spin_unlock(&q->lock);
    local_irq_restore(flags);

    if ( q->head == t )
        cpu_raise_softirq(t->cpu, TIMER_SOFTIRQ);   /* reprogram there */
}

void stop_timer(struct timer *t)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long flags = local_irq_save();

    spin_lock(&q->lock);
    if ( t->active )
        dequeue(q, t);
    spin_unlock(&q->lock);
    local_irq_restore(flags);
}

static void timer_softirq_action(void)
{
    struct timer_queue *q = &queues[smp_processor_id()];
    unsigned long flags = local_irq_save();
    struct timer *t;

    spin_lock(&q->lock);
    while ( (t = q->head) != NULL && t->expires <= NOW() )
    {
        q->head = t->next;
        t->active = false;
        t->next = NULL;
        q->fired++;
        spin_unlock(&q->lock);
        local_irq_restore(flags);
        t->fn(t->data);
        flags = local_irq_save();
        spin_lock(&q->lock);
    }
    /* Without a timer, still wake once a second (console polling etc). */
    arch_timer_program(q->head ? q->head->expires : NOW() + 1000000000LL);
    spin_unlock(&q->lock);
    local_irq_restore(flags);
}

static void timer_interrupt(struct cpu_user_regs *regs)
{
    raise_softirq(TIMER_SOFTIRQ);
}

void timer_init(void)
{
    unsigned int i;

    for ( i = 0; i < NR_CPUS; i++ )
        spin_lock_init(&queues[i].lock);
    open_softirq(TIMER_SOFTIRQ, timer_softirq_action);
    set_irq_handler(LOCAL_TIMER_VECTOR, timer_interrupt);
}

void timer_init_cpu(void)
{
    raise_softirq(TIMER_SOFTIRQ);
}

void dump_timers(void)
{
    unsigned int cpu;
    s_time_t now = NOW();

    printk("Dumping timer queues (now %ld ns):\n", (long)now);
    for ( cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        struct timer_queue *q = &queues[cpu];
        unsigned long flags;
        const struct timer *t;

        if ( !cpu_stack_block[cpu] )
            continue;
        flags = local_irq_save();
        spin_lock(&q->lock);
        printk("CPU%02u: %lu fired\n", cpu, q->fired);
        for ( t = q->head; t; t = t->next )
            printk("  ex=%12ldus  %s\n", (long)((t->expires - now) / 1000),
                   t->name ? t->name : "?");
        spin_unlock(&q->lock);
        local_irq_restore(flags);
    }
}
