/* Reboot and halt (arch/x86/shutdown.c). */
#ifndef KEEL_SHUTDOWN_H
#define KEEL_SHUTDOWN_H

#include <keel/types.h>

/* Stop the other CPUs, wait delay_ms, then reset the machine. */
void __noreturn machine_restart(unsigned int delay_ms);
/* Stop every CPU for good. */
void __noreturn machine_halt(void);
/* After a panic: reboot after 5 s, or halt with `noreboot`. */
void __noreturn machine_panic_stop(void);

#endif
