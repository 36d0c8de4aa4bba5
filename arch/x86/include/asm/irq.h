/*
 * Interrupt vectors and handlers.  Vectors 0x20-0xef are for devices,
 * 0xf0-0xff for the local APIC (timer, IPIs, error, spurious).
 */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include <asm/regs.h>

#define FIRST_DEVICE_VECTOR  0x20
#define SERIAL_VECTOR        0x24
#define IPI_CALL_VECTOR      0xf8
#define IPI_EVENT_VECTOR     0xf9
#define IPI_RESCHED_VECTOR   0xfa
#define IPI_HALT_VECTOR      0xfb
#define LOCAL_TIMER_VECTOR   0xfc
#define APIC_ERROR_VECTOR    0xfe
#define SPURIOUS_VECTOR      0xff

typedef void irq_handler_t(struct cpu_user_regs *regs);

/* Install the handler for a vector (boot time, before it can fire). */
void set_irq_handler(unsigned int vector, irq_handler_t *handler);
void do_irq(struct cpu_user_regs *regs);

#endif /* ASM_IRQ_H */
