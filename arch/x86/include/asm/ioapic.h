/* IO-APICs (arch/x86/ioapic.c). */
#ifndef ASM_IOAPIC_H
#define ASM_IOAPIC_H

#include <keel/types.h>

/* Remap the legacy PICs away from the exception vectors and mask them. */
void pic_disable(void);
/* Mask every pin of every IO-APIC the MADT lists, and log them. */
void ioapic_init(void);
/* Route an ISA IRQ (after MADT overrides) to `vector` on the boot CPU. */
int ioapic_route_isa_irq(unsigned int isa_irq, uint8_t vector);

#endif
