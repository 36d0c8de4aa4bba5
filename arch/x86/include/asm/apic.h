/*
 * Local APIC access in xAPIC (MMIO) or x2APIC (MSR) mode, IPIs and the
 * APIC timer (arch/x86/apic.c).
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <keel/types.h>

#define APIC_DEFAULT_PHYS 0xfee00000UL
#define APIC_ID       0x020
#define APIC_LVR      0x030
#define APIC_TPR      0x080
#define APIC_EOI      0x0b0
#define APIC_LDR      0x0d0
#define APIC_DFR      0x0e0
#define APIC_SVR      0x0f0
#define APIC_ESR      0x280
#define APIC_ICR      0x300
#define APIC_ICR2     0x310
#define APIC_LVTT     0x320
#define APIC_LVT0     0x350
#define APIC_LVT1     0x360
#define APIC_LVTERR   0x370
#define APIC_TMICT    0x380
#define APIC_TMCCT    0x390
#define APIC_TDCR     0x3e0

#define APIC_SVR_ENABLE      (1 << 8)
#define APIC_LVT_MASKED      (1 << 16)
#define APIC_DM_FIXED        0x000
#define APIC_DM_NMI          0x400
#define APIC_DM_INIT         0x500
#define APIC_DM_STARTUP      0x600
#define APIC_ICR_BUSY        (1 << 12)
#define APIC_ICR_LEVEL_ASSERT (1 << 14)
#define APIC_DEST_ALLBUT     0xc0000
#define APIC_TDCR_DIV_1      0xb

#define MSR_X2APIC_FIRST     0x800
#define APIC_BASE_X2APIC     (1 << 10)
#define APIC_BASE_ENABLE     (1 << 11)
#define APIC_BASE_BSP        (1 << 8)

extern bool x2apic_enabled;

void apic_init_bsp(paddr_t lapic_phys);
void apic_init_ap(void);
uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t v);
uint32_t apic_current_id(void);
void apic_eoi(void);
/* Send `vector` with delivery mode `mode` to the CPU with this APIC ID. */
void apic_send_ipi(uint32_t apic_id, uint32_t mode, uint8_t vector);
void apic_send_ipi_allbutself(uint8_t vector);

/* APIC timer: ticks per millisecond after calibration; one-shot arming. */
void apic_timer_calibrate(void);
void apic_timer_setup_cpu(void);
void apic_timer_arm(uint64_t ns_from_now);
extern uint32_t apic_timer_ticks_per_ms;

#endif
