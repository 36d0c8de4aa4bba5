/*
 * The hypervisor console (common/console.c, drivers/char/).
 *
 * Output: printk() formats a message, applies the log-level filter
 * (loglvl=, from the KLOG_* prefix; no prefix means info-level but always
 * printed unless loglvl=none; see common/console.c), prefixes each line
 * with "(KEEL) " and the timestamp chosen by console_timestamps=, appends
 * it to the console ring
 * (conring_size=) and writes it to every console selected by console=
 * (16550 UARTs per com1=/com2=, VGA text).
 *
 * Input: characters from the serial line go to the key handler.  Three
 * Ctrl-<conswitch> in a row switch input between the hypervisor and dom0
 * (dom0 side wired by a later issue); otherwise single keys are debug
 * keys ('h' lists them).
 */
#ifndef KEEL_CONSOLE_H
#define KEEL_CONSOLE_H

#include <keel/types.h>

/* Boot stages, called in this order by arch/x86/setup.c. */
void console_init_preirq(void);     /* before the command line is parsed:
                                       COM1 at 0x3f8 as the firmware set it */
void console_init_postparse(void);  /* apply console=, com1=, loglvl=... */
void console_init_ring(void);       /* heap is up: allocate conring_size */
void console_init_postirq(void);    /* interrupts/timers up: input polling */

/* One line for the boot log: where each console went. */
const char *console_describe(void);

/* Copy up to `size` bytes of the ring, oldest first; returns bytes copied. */
size_t console_ring_read(char *buf, size_t size, bool clear);

/*
 * XEN_SYSCTL_readconsole's view of the ring: 32-bit indices of the oldest
 * byte kept and of the next byte to be written; a copy of up to `size`
 * bytes from index idx (0 when idx is not between them); and "clear up
 * to idx" (the ring forgets what lies before it).
 */
void console_ring_indices(uint32_t *cons, uint32_t *prod);
size_t console_ring_peek(uint32_t idx, char *buf, size_t size);
void console_ring_clear_to(uint32_t idx);

/* A guest's console_io output (dom0 verbatim, others "(dN) "-prefixed). */
void console_guest_write(unsigned int domid, const char *buf, size_t len);

/* Let a crashing CPU print even if another held the console lock. */
void console_force_unlock(void);

/* printk with a va_list (same filtering and decoration). */
void vprintk(const char *fmt, va_list ap);

/*
 * End of boot: hand serial input to dom0 if there is one and conswitch=
 * did not say 'x'.  Until this is called (no dom0 yet) input stays with
 * the hypervisor.
 */
void console_endboot(bool have_dom0);

/*
 * Take up to `size` bytes typed while input was switched to dom0, oldest
 * first (for the dom0 console, a later issue); returns bytes copied.
 */
size_t console_dom0_input_read(char *buf, size_t size);

/*
 * Wall-clock time of boot in seconds since 1970-01-01 UTC, for the
 * date/datems time stamps (which count from 1970 at boot until set).
 */
void console_set_wallclock(uint64_t boot_epoch_secs);

#endif /* KEEL_CONSOLE_H */
