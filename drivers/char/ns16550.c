/*
 * 16550-compatible UART driver for the serial consoles (COM1, COM2).
 *
 * Owns the UART registers of each configured port and a small state
 * record per port.  Output is polled: wait (boundedly) for the
 * transmitter to empty, then fill the transmit FIFO.  Input is polled by
 * the console's timer through serial_getc().
 *
 * Absence and failure never hang the hypervisor: a port is only used if
 * its line status register reads as something other than 0xff (floating
 * bus) and its scratch register holds what was written to it, and a port
 * whose transmitter fails to drain SERIAL_TX_FAILS times in a row is
 * switched off.
 *
 * Locking: none here; callers hold the console lock (see <keel/serial.h>).
 * Only port I/O wrappers from <asm/io.h> are used, so host unit tests
 * link this file against an emulated UART.
 */
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/serial.h>
#include <keel/spinlock.h>      /* cpu_relax() */
#include <asm/io.h>

/* Register offsets from the I/O base. */
#define UART_RBR    0           /* receive buffer (read, DLAB=0) */
#define UART_THR    0           /* transmit holding (write, DLAB=0) */
#define UART_DLL    0           /* divisor latch low (DLAB=1) */
#define UART_IER    1           /* interrupt enable (DLAB=0) */
#define UART_DLM    1           /* divisor latch high (DLAB=1) */
#define UART_IIR    2           /* interrupt identification (read) */
#define UART_FCR    2           /* FIFO control (write) */
#define UART_LCR    3           /* line control */
#define UART_MCR    4           /* modem control */
#define UART_LSR    5           /* line status */
#define UART_SCR    7           /* scratch */

#define LCR_WLEN_MASK   0x03    /* word length - 5 */
#define LCR_STOP2       0x04    /* two stop bits */
#define LCR_PARITY      0x08    /* parity enable */
#define LCR_EVEN        0x10    /* even (or space, with LCR_STICK) */
#define LCR_STICK       0x20    /* mark/space parity */
#define LCR_DLAB        0x80    /* divisor latch access */

#define MCR_DTR         0x01
#define MCR_RTS         0x02

#define FCR_ENABLE      0x01
#define FCR_CLEAR_RX    0x02
#define FCR_CLEAR_TX    0x04

#define IIR_FIFO_MASK   0xc0    /* both set: 16550A FIFOs enabled */

#define LSR_DR          0x01    /* data ready */
#define LSR_BI          0x10    /* break (the byte read is a NUL) */
#define LSR_THRE        0x20    /* transmitter holding register empty */

#define UART_FIFO_SIZE  16
#define SERIAL_TX_SPINS 500000  /* LSR polls (~0.5 s) before giving up */
#define SERIAL_TX_FAILS 3       /* consecutive give-ups: port off */
#define SERIAL_RX_DRAIN 64      /* bytes discarded at setup, at most */
#define SERIAL_DEFAULT_BAUD 115200

struct ns16550 {
    uint16_t io_base;           /* last probed address */
    bool active;                /* answering and in use */
    unsigned int fifo_size;     /* 16 with working FIFOs, else 1 */
    unsigned int tx_room;       /* bytes the FIFO takes before next wait */
    unsigned int tx_fails;      /* consecutive transmit timeouts */
    unsigned int base_baud;     /* for describing the divisor */
};

static struct ns16550 ports[SERIAL_NR_PORTS];   /* console lock */

static uint8_t uart_in(const struct ns16550 *u, unsigned int reg)
{
    return inb(u->io_base + reg);
}

static void uart_out(const struct ns16550 *u, unsigned int reg, uint8_t v)
{
    outb(v, u->io_base + reg);
}

static struct ns16550 *port_of(unsigned int port)
{
    return port < SERIAL_NR_PORTS ? &ports[port] : NULL;
}

/* Is there a UART at u->io_base?  Leaves the scratch register as found. */
static bool uart_probe(const struct ns16550 *u)
{
    static const uint8_t patterns[] = { 0x5a, 0xa5 };
    uint8_t saved;
    unsigned int i;
    bool ok = true;

    if ( uart_in(u, UART_LSR) == 0xff )
        return false;                   /* nothing drives the bus */
    saved = uart_in(u, UART_SCR);
    for ( i = 0; i < ARRAY_SIZE(patterns) && ok; i++ )
    {
        uart_out(u, UART_SCR, patterns[i]);
        ok = uart_in(u, UART_SCR) == patterns[i];
    }
    uart_out(u, UART_SCR, saved);
    return ok;
}

static unsigned int uart_get_divisor(const struct ns16550 *u)
{
    uint8_t lcr = uart_in(u, UART_LCR);
    unsigned int div;

    uart_out(u, UART_LCR, lcr | LCR_DLAB);
    div = uart_in(u, UART_DLL) | (uart_in(u, UART_DLM) << 8);
    uart_out(u, UART_LCR, lcr & ~LCR_DLAB);
    return div;
}

/* Program divisor and line control in one DLAB sequence. */
static void uart_set_line(const struct ns16550 *u, unsigned int div,
                          uint8_t lcr)
{
    uart_out(u, UART_LCR, lcr | LCR_DLAB);
    uart_out(u, UART_DLL, div & 0xff);
    uart_out(u, UART_DLM, div >> 8);
    uart_out(u, UART_LCR, lcr & ~LCR_DLAB);
}

/* LCR for data bits / parity / stop bits, or -EINVAL. */
static int lcr_encode(const struct serial_cfg *cfg)
{
    int lcr;

    if ( cfg->data_bits < 5 || cfg->data_bits > 8 ||
         (cfg->stop_bits != 1 && cfg->stop_bits != 2) )
        return -EINVAL;
    lcr = cfg->data_bits - 5;
    if ( cfg->stop_bits == 2 )
        lcr |= LCR_STOP2;
    switch ( cfg->parity )
    {
    case 'n': break;
    case 'o': lcr |= LCR_PARITY; break;
    case 'e': lcr |= LCR_PARITY | LCR_EVEN; break;
    case 'm': lcr |= LCR_PARITY | LCR_STICK; break;
    case 's': lcr |= LCR_PARITY | LCR_EVEN | LCR_STICK; break;
    default:  return -EINVAL;
    }
    return lcr;
}

static char lcr_parity(uint8_t lcr)
{
    if ( !(lcr & LCR_PARITY) )
        return 'n';
    if ( lcr & LCR_STICK )
        return (lcr & LCR_EVEN) ? 's' : 'm';
    return (lcr & LCR_EVEN) ? 'e' : 'o';
}

/* Nearest divisor for baud, at least 1 and at most 0xffff. */
static unsigned int baud_divisor(unsigned int base_baud, unsigned int baud)
{
    unsigned long div = ((unsigned long)base_baud + baud / 2) / baud;

    return div < 1 ? 1 : div > 0xffff ? 0xffff : div;
}

int serial_setup(unsigned int port, const struct serial_cfg *cfg)
{
    struct ns16550 *u = port_of(port);
    unsigned int div, base_baud, i;
    int lcr;

    if ( !u || !cfg->io_base || cfg->io_base > 0xfff8 )
        return -EINVAL;
    base_baud = cfg->base_baud ? cfg->base_baud : SERIAL_BASE_BAUD;
    if ( cfg->present && cfg->baud > base_baud )
        return -EINVAL;
    lcr = lcr_encode(cfg);
    if ( cfg->present && lcr < 0 )
        return lcr;

    u->active = false;
    u->io_base = cfg->io_base;
    u->base_baud = base_baud;
    if ( !uart_probe(u) )
        return -ENODEV;

    uart_out(u, UART_IER, 0);           /* polled: no interrupts */
    div = uart_get_divisor(u);
    if ( cfg->present )
    {
        if ( cfg->baud != SERIAL_BAUD_AUTO )
            div = baud_divisor(base_baud, cfg->baud);
        else if ( !div )
            div = baud_divisor(base_baud, SERIAL_DEFAULT_BAUD);
        uart_set_line(u, div, lcr);
    }
    else if ( !div || !(uart_in(u, UART_LCR) & LCR_WLEN_MASK) )
    {
        /* Never set up by the firmware (or 5-bit words): 115200 8n1. */
        uart_set_line(u, baud_divisor(base_baud, SERIAL_DEFAULT_BAUD),
                      8 - 5);
    }
    uart_out(u, UART_MCR, MCR_DTR | MCR_RTS);

    uart_out(u, UART_FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
    u->fifo_size = (uart_in(u, UART_IIR) & IIR_FIFO_MASK) == IIR_FIFO_MASK
                   ? UART_FIFO_SIZE : 1;
    for ( i = 0; i < SERIAL_RX_DRAIN && (uart_in(u, UART_LSR) & LSR_DR); i++ )
        (void)uart_in(u, UART_RBR);     /* stale input from before boot */

    u->tx_room = 0;
    u->tx_fails = 0;
    u->active = true;
    return 0;
}

void serial_disable(unsigned int port)
{
    struct ns16550 *u = port_of(port);

    if ( u )
        u->active = false;
}

bool serial_active(unsigned int port)
{
    struct ns16550 *u = port_of(port);

    return u && u->active;
}

unsigned int serial_io_base(unsigned int port)
{
    struct ns16550 *u = port_of(port);

    return u ? u->io_base : 0;
}

/* Wait until the transmit FIFO is empty; false if it never empties. */
static bool uart_tx_wait(struct ns16550 *u)
{
    unsigned int spins;

    for ( spins = 0; spins < SERIAL_TX_SPINS; spins++ )
    {
        uint8_t lsr = uart_in(u, UART_LSR);

        if ( lsr == 0xff )
            break;                      /* the device went away */
        if ( lsr & LSR_THRE )
        {
            u->tx_fails = 0;
            return true;
        }
        cpu_relax();
    }
    if ( ++u->tx_fails >= SERIAL_TX_FAILS )
        u->active = false;
    return false;
}

static void uart_putc(struct ns16550 *u, char c)
{
    if ( !u->tx_room )
    {
        /*
         * On a timeout write anyway (a slow line loses a byte), but only
         * one: the FIFO is not known to be empty, so wait again next time.
         */
        u->tx_room = uart_tx_wait(u) ? u->fifo_size : 1;
    }
    uart_out(u, UART_THR, c);
    u->tx_room--;
}

void serial_puts(unsigned int port, const char *s, size_t n)
{
    struct ns16550 *u = port_of(port);
    size_t i;

    for ( i = 0; i < n && u && u->active; i++ )
    {
        if ( s[i] == '\n' )
            uart_putc(u, '\r');
        uart_putc(u, s[i]);
    }
}

int serial_getc(unsigned int port)
{
    struct ns16550 *u = port_of(port);
    uint8_t lsr, c;

    if ( !u || !u->active )
        return -1;
    lsr = uart_in(u, UART_LSR);
    if ( lsr == 0xff || !(lsr & LSR_DR) )
        return -1;
    c = uart_in(u, UART_RBR);
    if ( (lsr & LSR_BI) && c == 0 )
        return -1;                      /* a break is not a key */
    return c;
}

int serial_describe(unsigned int port, char *buf, size_t size)
{
    struct ns16550 *u = port_of(port);
    unsigned int div;
    uint8_t lcr;

    if ( !u )
        return snprintf(buf, size, "?");
    if ( !u->active )
        return snprintf(buf, size, "%#x, not answering", u->io_base);
    div = uart_get_divisor(u);
    lcr = uart_in(u, UART_LCR);
    return snprintf(buf, size, "%#x, %u %u%c%u", u->io_base,
                    div ? u->base_baud / div : 0,
                    (lcr & LCR_WLEN_MASK) + 5, lcr_parity(lcr),
                    (lcr & LCR_STOP2) ? 2 : 1);
}
