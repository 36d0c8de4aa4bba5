/*
 * Console command-line options, parsed by drivers/char/console_params.c:
 * console=, com1=, com2=, conswitch=, loglvl=, guest_loglvl=,
 * console_timestamps and conring_size=.  The console and serial drivers
 * read these once the command line has been parsed.
 *
 * The variables are written only by the command-line parser during early
 * boot and are constant afterwards (c).
 */
#ifndef KEEL_CONSOLE_PARAMS_H
#define KEEL_CONSOLE_PARAMS_H

#include <keel/types.h>

/* console=: where hypervisor output goes (bit set). */
#define CONSOLE_VGA      (1U << 0)
#define CONSOLE_COM1     (1U << 1)
#define CONSOLE_COM2     (1U << 2)
#define CONSOLE_DEFAULT  (CONSOLE_COM1 | CONSOLE_VGA)
extern unsigned int opt_console;                    /* (c) 0 for "none" */

/* com1= / com2=: <baud|auto>[/<base-baud>][,DPS][,<io-base>][,<irq>] */
#define SERIAL_COM1          0
#define SERIAL_COM2          1
#define SERIAL_NR_PORTS      2
#define SERIAL_BAUD_AUTO     0          /* keep what the firmware set */
#define SERIAL_BASE_BAUD     115200     /* 1.8432 MHz UART clock / 16 */

struct serial_cfg {
    unsigned int baud;          /* SERIAL_BAUD_AUTO or bits per second */
    unsigned int base_baud;     /* UART clock / 16 */
    unsigned int data_bits;     /* 5..8 */
    char parity;                /* 'n', 'o', 'e', 'm' or 's' */
    unsigned int stop_bits;     /* 1 or 2 */
    unsigned int io_base;       /* I/O port of the UART's registers */
    unsigned int irq;           /* 0: poll only */
    bool present;               /* configured by com<N>= */
};
extern struct serial_cfg opt_serial[SERIAL_NR_PORTS];  /* (c) */

/*
 * conswitch=<c>[x]: pressing Ctrl-<c> three times on the serial line
 * switches input between the hypervisor and dom0.  A trailing x keeps
 * input with the hypervisor at the end of boot instead of giving it to dom0.
 */
extern char opt_conswitch_char;                     /* (c) 'a'..'z' */
extern bool opt_conswitch_to_dom0;                  /* (c) default true */

/*
 * loglvl= / guest_loglvl=: <level>[/<rate-limited level>].  Thresholds
 * count the severities printed: a message of severity index s (0 error,
 * 1 warning, 2 info, 3 debug) is printed if s < lower, printed subject to
 * rate limiting if lower <= s < upper, and dropped otherwise.
 */
#define LOGLVL_NONE     0
#define LOGLVL_ERROR    1
#define LOGLVL_WARNING  2
#define LOGLVL_INFO     3
#define LOGLVL_DEBUG    4
#define LOGLVL_ALL      4

struct loglvl_cfg {
    unsigned int lower;         /* printed always below this */
    unsigned int upper;         /* printed rate-limited below this */
};
extern struct loglvl_cfg opt_loglvl;       /* (c) warning: {2, 2} */
extern struct loglvl_cfg opt_guest_loglvl; /* (c) none/warning: {0, 2} */

/* console_timestamps=: prefix of each console line. */
enum console_ts {
    CONSOLE_TS_NONE,            /* default */
    CONSOLE_TS_DATE,            /* [YYYY-MM-DD HH:MM:SS] */
    CONSOLE_TS_DATEMS,          /* [YYYY-MM-DD HH:MM:SS.mmm] */
    CONSOLE_TS_BOOT,            /* [SSSSSS.uuuuuu] since boot */
    CONSOLE_TS_RAW,             /* raw time-stamp counter */
};
extern enum console_ts opt_console_timestamps;      /* (c) */

/* conring_size=: bytes of console ring, a power of two. */
#define CONRING_SIZE_MIN  (16UL << 10)
#define CONRING_SIZE_MAX  (1UL << 30)
extern unsigned long opt_conring_size;              /* (c) default 16 KiB */

/* Put every console option back to its default (boot state; for tests). */
void console_params_reset(void);

#endif /* KEEL_CONSOLE_PARAMS_H */
