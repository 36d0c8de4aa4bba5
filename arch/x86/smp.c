/*
 * Inter-processor interrupts: event check (wake a CPU so it runs its
 * softirqs), call-function (run a function on all other CPUs and wait),
 * and stop (park a CPU forever, for panic and reboot).
 */
#include <keel/lib.h>
#include <keel/spinlock.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/time.h>

static DEFINE_SPINLOCK(call_lock);          /* one call-function at a time */
static void (*call_fn)(void *);             /* [call_lock] */
static void *call_data;                     /* [call_lock] */
static unsigned int call_remaining;         /* [atomic] */

void smp_send_event_check(unsigned int cpu)
{
    if ( cpu < NR_CPUS && cpu_stack_block[cpu] )
        apic_send_ipi(cpu_apic_id[cpu], APIC_DM_FIXED, IPI_EVENT_VECTOR);
}

static void event_check_interrupt(struct cpu_user_regs *regs)
{
    /* Nothing: the softirq check on the way back to idle does the work. */
}

static void call_function_interrupt(struct cpu_user_regs *regs)
{
    call_fn(call_data);
    __atomic_fetch_sub(&call_remaining, 1, __ATOMIC_SEQ_CST);
}

static void stop_interrupt(struct cpu_user_regs *regs)
{
    apic_eoi();
    local_irq_disable();
    for ( ; ; )
        halt();
}

void smp_call_function(void (*fn)(void *), void *data)
{
    unsigned int others = nr_cpus_online - 1;
    s_time_t deadline;

    if ( !others )
        return;
    spin_lock(&call_lock);
    call_fn = fn;
    call_data = data;
    __atomic_store_n(&call_remaining, others, __ATOMIC_SEQ_CST);
    apic_send_ipi_allbutself(IPI_CALL_VECTOR);
    deadline = NOW() + 1000000000LL;
    while ( __atomic_load_n(&call_remaining, __ATOMIC_SEQ_CST) &&
            NOW() < deadline )
        cpu_relax();
    if ( call_remaining )
        printk(KLOG_WARNING "SMP: %u CPU(s) did not answer a call IPI\n",
               call_remaining);
    spin_unlock(&call_lock);
}

void smp_send_stop(void)
{
    if ( nr_cpus_online > 1 )
        apic_send_ipi_allbutself(IPI_HALT_VECTOR);
}

void dump_cpus(void)
{
    unsigned int cpu;

    printk("CPUs online: %u\n", nr_cpus_online);
    for ( cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        const struct cpu_info *ci;

        if ( !cpu_stack_block[cpu] )
            continue;
        ci = cpu_info_of_stack((unsigned long)cpu_stack_block[cpu]);
        printk("  CPU%u: APIC ID %u, %lu interrupts%s\n", cpu, ci->apic_id,
               ci->irq_count, cpu == smp_processor_id() ? " (this CPU)" : "");
    }
}

void smp_ipi_init(void)
{
    set_irq_handler(IPI_EVENT_VECTOR, event_check_interrupt);
    set_irq_handler(IPI_CALL_VECTOR, call_function_interrupt);
    set_irq_handler(IPI_HALT_VECTOR, stop_interrupt);
}
