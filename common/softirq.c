/*
 * Softirq dispatch.  Pending bits live in each CPU's cpu_info and are set
 * atomically; raising one on another CPU also sends it an event-check IPI
 * so it leaves HLT and runs the work.
 */
#include <keel/lib.h>
#include <keel/softirq.h>
#include <asm/percpu.h>
#include <asm/smp.h>

static softirq_handler *handlers[NR_SOFTIRQS];      /* (c) */

void open_softirq(unsigned int nr, softirq_handler *h)
{
    if ( nr < NR_SOFTIRQS )
        handlers[nr] = h;
}

void raise_softirq(unsigned int nr)
{
    __atomic_fetch_or(&get_cpu_info()->softirq_pending, 1UL << nr,
                      __ATOMIC_SEQ_CST);
}

void cpu_raise_softirq(unsigned int cpu, unsigned int nr)
{
    struct cpu_info *ci;

    if ( cpu >= NR_CPUS || !cpu_stack_block[cpu] )
        return;
    ci = cpu_info_of_stack((unsigned long)cpu_stack_block[cpu]);
    __atomic_fetch_or(&ci->softirq_pending, 1UL << nr, __ATOMIC_SEQ_CST);
    if ( cpu != smp_processor_id() )
        smp_send_event_check(cpu);
}

bool softirq_pending(unsigned int cpu)
{
    if ( cpu >= NR_CPUS || !cpu_stack_block[cpu] )
        return false;
    return __atomic_load_n(
        &cpu_info_of_stack((unsigned long)cpu_stack_block[cpu])->softirq_pending,
        __ATOMIC_SEQ_CST) != 0;
}

void do_softirq(void)
{
    struct cpu_info *ci = get_cpu_info();
    unsigned long pending;
    unsigned int nr;

    while ( (pending = __atomic_exchange_n(&ci->softirq_pending, 0,
                                           __ATOMIC_SEQ_CST)) != 0 )
        for ( nr = 0; nr < NR_SOFTIRQS; nr++ )
            if ( (pending & (1UL << nr)) && handlers[nr] )
                handlers[nr]();
}
