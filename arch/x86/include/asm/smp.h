/* Secondary CPU bring-up and IPIs (arch/x86/smpboot.c, arch/x86/smp.c). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#define TRAMPOLINE_PHYS 0x8000          /* SIPI vector 0x08 */

#ifndef __ASSEMBLY__
#include <keel/types.h>

extern uint32_t cpu_apic_id[];          /* (c) per logical CPU */

/* Start every CPU listed (APIC IDs), up to max_cpus in total. */
void smp_boot_cpus(const uint32_t *apic_ids, unsigned int nr,
                   unsigned int max_cpus);
void smp_send_event_check(unsigned int cpu);
/* Run fn(data) on every other online CPU and wait for all of them. */
void smp_call_function(void (*fn)(void *), void *data);
/* Stop every other CPU (panic, reboot). */
void smp_send_stop(void);
void dump_cpus(void);
void smp_ipi_init(void);
#endif

#endif
