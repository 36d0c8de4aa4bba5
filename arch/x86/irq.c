/*
 * Interrupt dispatch: one handler per vector, installed at boot.  Local
 * APIC interrupts are acknowledged with an EOI after the handler runs;
 * an unexpected vector is counted and logged once.
 */
#include <keel/lib.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/percpu.h>

static irq_handler_t *irq_handlers[256];     /* (c) set at boot */

void set_irq_handler(unsigned int vector, irq_handler_t *handler)
{
    irq_handlers[vector & 0xff] = handler;
}

void do_irq(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector & 0xff;
    irq_handler_t *h = irq_handlers[vec];
    static bool warned[256];

    get_cpu_info()->irq_count++;
    if ( vec == SPURIOUS_VECTOR )
        return;                             /* no EOI for spurious */
    if ( h )
        h(regs);
    else if ( !warned[vec] )
    {
        warned[vec] = true;
        printk(KLOG_WARNING "CPU%u: unexpected interrupt vector %#x\n",
               smp_processor_id(), vec);
    }
    apic_eoi();
}
