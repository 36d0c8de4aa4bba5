/* TSC-based time (arch/x86/time.c). */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <keel/types.h>

typedef int64_t s_time_t;           /* nanoseconds since boot */

extern unsigned long tsc_khz;       /* (c) after time_calibrate() */

/* Calibrate the TSC against the HPET (if hpet_base != 0) or the PIT. */
void time_calibrate(paddr_t hpet_base);
s_time_t NOW(void);
/* System time at a given TSC value (same conversion as NOW()). */
s_time_t tsc_to_system_time(uint64_t tsc);
void udelay(unsigned long us);
/* pvclock parameters for guests (see vcpu_time_info in public/xen.h). */
void time_pvclock_scale(uint32_t *mul, int8_t *shift);
uint64_t time_tsc_at_boot(void);

/*
 * TSC synchronisation between CPUs, checked as each secondary CPU comes
 * up: the boot CPU and the new one take turns reading their TSCs
 * (time_tsc_sync_bsp() and time_tsc_sync_ap(), called by both sides of
 * the bring-up); a value lower than the other CPU's previous one is a
 * warp.  System time is one function of the TSC on every CPU, so with
 * no warp guests may rely on it across vCPUs: time_tsc_synced() makes
 * the pvclock carry XEN_PVCLOCK_TSC_STABLE_BIT.
 */
void time_tsc_sync_bsp(void);
void time_tsc_sync_ap(void);
bool time_tsc_synced(void);

/* "HPET" or "PIT": what the TSC was calibrated against. */
const char *time_calibration_source(void);

#endif
