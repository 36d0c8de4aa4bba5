/*
 * 16550-compatible UARTs (drivers/char/ns16550.c), the hypervisor's serial
 * consoles COM1 and COM2 (indexed by SERIAL_COM1 / SERIAL_COM2 from
 * <keel/console_params.h>).
 *
 * Transmit is polled with a bounded wait, receive is polled by the caller;
 * no interrupts are used.  A port that does not answer (no UART at its I/O
 * base, or one that stops draining its transmitter) is switched off rather
 * than allowed to hang the hypervisor.
 *
 * Locking: the driver has no lock of its own.  Every call must be made
 * with the console lock held (common/console.c), or during single-CPU
 * boot, so register sequences (DLAB switches) are never interleaved.
 */
#ifndef KEEL_SERIAL_H
#define KEEL_SERIAL_H

#include <keel/types.h>
#include <keel/console_params.h>

/*
 * Probe the UART at cfg->io_base and make it port `port`.  If cfg->present
 * (com<N>= was given) the line is programmed as cfg says (baud
 * SERIAL_BAUD_AUTO keeps the divisor found in the UART); otherwise the
 * firmware's settings are kept.  Either way a UART the firmware never set
 * up (divisor 0 or 5-bit words) gets 115200 8n1, and the FIFOs are
 * enabled.  Returns 0, -EINVAL for a bad port number or line setting, or
 * -ENODEV (port left off) when no UART answers at the address.
 */
int serial_setup(unsigned int port, const struct serial_cfg *cfg);

/* Stop using the port (output and input); the UART is left as it is. */
void serial_disable(unsigned int port);

/* Is the port set up and answering? */
bool serial_active(unsigned int port);

/* I/O base of the port (also when inactive: the address last probed). */
unsigned int serial_io_base(unsigned int port);

/* Write n bytes, "\n" as "\r\n".  Silently does nothing if inactive. */
void serial_puts(unsigned int port, const char *s, size_t n);

/* One received byte, or -1 if none is waiting (or the port is off). */
int serial_getc(unsigned int port);

/*
 * Describe the line as set in the UART, e.g. "0x3f8, 115200 8n1" (NUL-
 * terminated; returns the length as snprintf does).
 */
int serial_describe(unsigned int port, char *buf, size_t size);

#endif /* KEEL_SERIAL_H */
