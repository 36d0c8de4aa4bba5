/*
 * Host tests of the console's pure parts (common/console_format.c) and of
 * the two console drivers against emulated hardware: a 16550 UART behind
 * stub_port_in/stub_port_out (drivers/char/ns16550.c) and a plain array
 * as VGA text memory plus the CRT controller's cursor ports
 * (drivers/char/vga.c).
 */
#include "harness.h"

#include <keel/console_format.h>
#include <keel/errno.h>
#include <keel/serial.h>
#include <keel/vga.h>

/* ---- emulated hardware --------------------------------------------------- */

#define COM1_BASE 0x3f8
#define COM2_BASE 0x2f8

struct fake_uart {
    bool absent;                /* every read gives 0xff */
    bool no_scratch;            /* scratch register reads 0 */
    bool tx_stuck;              /* THRE never set */
    uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
    char tx[4096];
    size_t tx_len;
    char rx[64];
    size_t rx_len, rx_pos;
    bool rx_break;              /* next byte read with LSR.BI */
    unsigned long lsr_reads;
};

static struct fake_uart uart;
static unsigned int crtc_index, crtc_cursor;
static bool port_misuse;

static void uart_reset(void)
{
    memset(&uart, 0, sizeof(uart));
    uart.dll = 12;              /* 9600 */
    uart.lcr = 0x03;            /* 8n1 */
}

static uint8_t uart_read(unsigned int reg)
{
    bool dlab = uart.lcr & 0x80, rx = uart.rx_pos < uart.rx_len;

    if ( uart.absent )
        return 0xff;
    switch ( reg )
    {
    case 0:
        if ( dlab )
            return uart.dll;
        return rx ? uart.rx[uart.rx_pos++] : 0;
    case 1: return dlab ? uart.dlm : uart.ier;
    case 2: return (uart.fcr & 1) ? 0xc1 : 0x01;
    case 3: return uart.lcr;
    case 4: return uart.mcr;
    case 5:
        uart.lsr_reads++;
        return (uart.tx_stuck ? 0 : 0x60) | (rx ? 0x01 : 0) |
               (uart.rx_break && rx ? 0x10 : 0);
    case 7: return uart.no_scratch ? 0 : uart.scr;
    }
    return 0;
}

static void uart_write(unsigned int reg, uint8_t v)
{
    bool dlab = uart.lcr & 0x80;

    if ( uart.absent )
        return;
    switch ( reg )
    {
    case 0:
        if ( dlab )
            uart.dll = v;
        else if ( uart.tx_len < sizeof(uart.tx) - 1 )
            uart.tx[uart.tx_len++] = v;
        break;
    case 1: *(dlab ? &uart.dlm : &uart.ier) = v; break;
    case 2: uart.fcr = v; break;
    case 3: uart.lcr = v; break;
    case 4: uart.mcr = v; break;
    case 7: uart.scr = v; break;
    }
}

uint32_t stub_port_in(uint16_t port, unsigned int size)
{
    if ( size == 1 && port >= COM1_BASE && port < COM1_BASE + 8 )
        return uart_read(port - COM1_BASE);
    if ( size == 1 && port >= COM2_BASE && port < COM2_BASE + 8 )
        return 0xff;                    /* no COM2 */
    port_misuse = true;
    return ~0U;
}

void stub_port_out(uint16_t port, unsigned int size, uint32_t val)
{
    if ( size == 1 && port >= COM1_BASE && port < COM1_BASE + 8 )
        uart_write(port - COM1_BASE, val);
    else if ( size == 1 && port >= COM2_BASE && port < COM2_BASE + 8 )
        return;
    else if ( size == 1 && port == 0x3d4 )
        crtc_index = val;
    else if ( size == 1 && port == 0x3d5 && crtc_index == 0x0e )
        crtc_cursor = (crtc_cursor & 0xff) | (val << 8);
    else if ( size == 1 && port == 0x3d5 && crtc_index == 0x0f )
        crtc_cursor = (crtc_cursor & 0xff00) | val;
    else
        port_misuse = true;
}

static struct serial_cfg com1_cfg(bool present)
{
    return (struct serial_cfg){
        .baud = SERIAL_BAUD_AUTO, .base_baud = SERIAL_BASE_BAUD,
        .data_bits = 8, .parity = 'n', .stop_bits = 1,
        .io_base = COM1_BASE, .irq = 4, .present = present,
    };
}

/* ---- log levels ---------------------------------------------------------- */

/* Parse msg's prefix: the level, and where the text starts. */
static int level_of(const char *msg, const char **text)
{
    *text = msg;
    return console_parse_level(text);
}

TEST(level_prefix)
{
    const char *t;

    CHECK_EQ(level_of("<0>boom", &t), CONSOLE_LEVEL_ERROR);
    CHECK_STR(t, "boom");
    CHECK_EQ(level_of("<1>w", &t), CONSOLE_LEVEL_WARNING);
    CHECK_EQ(level_of("<2>i", &t), CONSOLE_LEVEL_INFO);
    CHECK_EQ(level_of("<3>", &t), CONSOLE_LEVEL_DEBUG);
    CHECK_STR(t, "");
    CHECK_EQ(level_of("<7>x", &t), CONSOLE_LEVEL_DEBUG);  /* beyond debug */
    CHECK_STR(t, "x");

    CHECK_EQ(level_of("plain", &t), CONSOLE_LEVEL_UNPREFIXED);
    CHECK_STR(t, "plain");
    CHECK_EQ(level_of("<a>x", &t), CONSOLE_LEVEL_UNPREFIXED);
    CHECK_STR(t, "<a>x");
    CHECK_EQ(level_of("<1", &t), CONSOLE_LEVEL_UNPREFIXED);
    CHECK_EQ(level_of("", &t), CONSOLE_LEVEL_UNPREFIXED);
}

TEST(level_verdict)
{
    const struct loglvl_cfg dflt = { LOGLVL_WARNING, LOGLVL_WARNING };
    const struct loglvl_cfg none = { LOGLVL_NONE, LOGLVL_WARNING };
    const struct loglvl_cfg none_none = { LOGLVL_NONE, LOGLVL_NONE };
    const struct loglvl_cfg all = { LOGLVL_ALL, LOGLVL_ALL };
    const struct loglvl_cfg err_info = { LOGLVL_ERROR, LOGLVL_INFO };

    CHECK_EQ(console_level_verdict(&dflt, CONSOLE_LEVEL_ERROR), CONSOLE_PRINT);
    CHECK_EQ(console_level_verdict(&dflt, CONSOLE_LEVEL_WARNING),
             CONSOLE_PRINT);
    CHECK_EQ(console_level_verdict(&dflt, CONSOLE_LEVEL_INFO), CONSOLE_DROP);
    CHECK_EQ(console_level_verdict(&dflt, CONSOLE_LEVEL_DEBUG), CONSOLE_DROP);
    CHECK_EQ(console_level_verdict(&dflt, CONSOLE_LEVEL_UNPREFIXED),
             CONSOLE_PRINT);

    /* Unprefixed: printed unless loglvl=none. */
    CHECK_EQ(console_level_verdict(&none, CONSOLE_LEVEL_UNPREFIXED),
             CONSOLE_DROP);
    CHECK_EQ(console_level_verdict(&none, CONSOLE_LEVEL_ERROR),
             CONSOLE_RATELIMIT);
    CHECK_EQ(console_level_verdict(&none_none, CONSOLE_LEVEL_ERROR),
             CONSOLE_DROP);

    CHECK_EQ(console_level_verdict(&all, CONSOLE_LEVEL_DEBUG), CONSOLE_PRINT);

    CHECK_EQ(console_level_verdict(&err_info, CONSOLE_LEVEL_ERROR),
             CONSOLE_PRINT);
    CHECK_EQ(console_level_verdict(&err_info, CONSOLE_LEVEL_WARNING),
             CONSOLE_RATELIMIT);
    CHECK_EQ(console_level_verdict(&err_info, CONSOLE_LEVEL_INFO),
             CONSOLE_RATELIMIT);
    CHECK_EQ(console_level_verdict(&err_info, CONSOLE_LEVEL_DEBUG),
             CONSOLE_DROP);
}

TEST(ratelimit)
{
    struct console_ratelimit rl = { 0 };
    unsigned long report = 99;
    unsigned int i;

    for ( i = 0; i < CONSOLE_RATELIMIT_BURST; i++ )
    {
        CHECK(console_ratelimit_allow(&rl, 1000 + i, &report));
        CHECK_EQ(report, 0);
    }
    CHECK(!console_ratelimit_allow(&rl, 2000, &report));
    CHECK(!console_ratelimit_allow(&rl, CONSOLE_RATELIMIT_NS - 1, &report));
    CHECK_EQ(report, 0);

    /* New window: allowed again, and the two refusals are reported once. */
    CHECK(console_ratelimit_allow(&rl, CONSOLE_RATELIMIT_NS, &report));
    CHECK_EQ(report, 2);
    CHECK(console_ratelimit_allow(&rl, CONSOLE_RATELIMIT_NS + 1, &report));
    CHECK_EQ(report, 0);

    /* Time going backwards opens a new window instead of locking up. */
    for ( i = 2; i < CONSOLE_RATELIMIT_BURST; i++ )
        CHECK(console_ratelimit_allow(&rl, CONSOLE_RATELIMIT_NS + 2, &report));
    CHECK(!console_ratelimit_allow(&rl, CONSOLE_RATELIMIT_NS + 3, &report));
    CHECK(console_ratelimit_allow(&rl, 5, &report));
    CHECK_EQ(report, 1);
}

/* ---- time stamps --------------------------------------------------------- */

static const char *ts(enum console_ts mode, int64_t ns, uint64_t tsc,
                      uint64_t wall)
{
    static char buf[CONSOLE_TIMESTAMP_MAX];
    size_t n = console_format_timestamp(buf, sizeof(buf), mode, ns, tsc,
                                        wall);

    CHECK_EQ(n, strlen(buf));
    return buf;
}

TEST(timestamp_boot_raw_none)
{
    CHECK_STR(ts(CONSOLE_TS_NONE, 123, 456, 0), "");
    CHECK_STR(ts(CONSOLE_TS_BOOT, 12345678901LL, 0, 0), "[    12.345678] ");
    CHECK_STR(ts(CONSOLE_TS_BOOT, 0, 0, 0), "[     0.000000] ");
    CHECK_STR(ts(CONSOLE_TS_BOOT, -5, 0, 0), "[     0.000000] ");
    CHECK_STR(ts(CONSOLE_TS_BOOT, 1234567000000000LL, 0, 0),
              "[1234567.000000] ");
    CHECK_STR(ts(CONSOLE_TS_RAW, 0, 0x1234abcdefULL, 0),
              "[0000001234abcdef] ");
}

TEST(timestamp_date)
{
    /* No wall clock: the date counts from the epoch at boot. */
    CHECK_STR(ts(CONSOLE_TS_DATE, 12345678901LL, 0, 0),
              "[1970-01-01 00:00:12] ");
    CHECK_STR(ts(CONSOLE_TS_DATEMS, 12345678901LL, 0, 0),
              "[1970-01-01 00:00:12.345] ");
    CHECK_STR(ts(CONSOLE_TS_DATE, 0, 0, 1714566896),
              "[2024-05-01 12:34:56] ");
    CHECK_STR(ts(CONSOLE_TS_DATE, 1000000000LL, 0, 1709251199),
              "[2024-03-01 00:00:00] ");
    CHECK_STR(ts(CONSOLE_TS_DATE, 0, 0, 1709251199),
              "[2024-02-29 23:59:59] ");
    CHECK_STR(ts(CONSOLE_TS_DATE, 0, 0, 951782400),
              "[2000-02-29 00:00:00] ");
    CHECK_STR(ts(CONSOLE_TS_DATE, 0, 0, 4107542400ULL),
              "[2100-03-01 00:00:00] ");      /* 2100 is not a leap year */
    CHECK_STR(ts(CONSOLE_TS_DATEMS, 999000000LL, 0, 13569465599ULL),
              "[2399-12-31 23:59:59.999] ");
    CHECK_STR(ts(CONSOLE_TS_DATE, 1000000000LL, 0, 13569465599ULL),
              "[2400-01-01 00:00:00] ");
}

TEST(timestamp_small_buffer)
{
    char buf[8];
    size_t n;

    n = console_format_timestamp(buf, sizeof(buf), CONSOLE_TS_DATEMS, 0, 0,
                                 1714566896);
    CHECK_EQ(n, 7);
    CHECK_STR(buf, "[2024-0");
    n = console_format_timestamp(buf, sizeof(buf), CONSOLE_TS_BOOT, 0, 0, 0);
    CHECK_EQ(n, 7);
    CHECK_EQ(console_format_timestamp(buf, 0, CONSOLE_TS_BOOT, 0, 0, 0), 0);
    /* A huge wall-clock base must not wrap or overrun. */
    n = console_format_timestamp(buf, sizeof(buf), CONSOLE_TS_DATE,
                                 INT64_MAX, 0, UINT64_MAX);
    CHECK(n < sizeof(buf));
}

/* ---- line decoration ----------------------------------------------------- */

/* Decorate all of msg with an out buffer of `chunk` bytes. */
static const char *decorate(const char *msg, size_t chunk, bool *sol)
{
    static char result[1024];
    char out[256];
    const char *s = msg, *end = msg + strlen(msg);
    size_t len = 0, n;
    unsigned int rounds = 0;

    while ( s < end && rounds++ < 1000 )
    {
        n = console_decorate(out, chunk, &s, end, "(KEEL) ", sol);
        CHECK(n > 0 && n <= chunk);
        memcpy(result + len, out, n);
        len += n;
    }
    result[len] = '\0';
    return result;
}

TEST(decorate_lines)
{
    bool sol = true;

    CHECK_STR(decorate("a\nb\n", 256, &sol), "(KEEL) a\n(KEEL) b\n");
    CHECK(sol);
    CHECK_STR(decorate("abc", 256, &sol), "(KEEL) abc");
    CHECK(!sol);
    CHECK_STR(decorate("def\n", 256, &sol), "def\n");  /* continuation */
    CHECK(sol);
    CHECK_STR(decorate("\n\n", 256, &sol), "(KEEL) \n(KEEL) \n");
    CHECK_STR(decorate("", 256, &sol), "");
    CHECK(sol);
}

TEST(decorate_chunks)
{
    const char *msg = "first line\nsecond\n\nx";
    const char *want = "(KEEL) first line\n(KEEL) second\n(KEEL) \n(KEEL) x";
    size_t chunk;
    bool sol;

    /* Any buffer that holds a prefix and one byte gives the same text. */
    for ( chunk = 8; chunk < 40; chunk++ )
    {
        sol = true;
        CHECK_STR(decorate(msg, chunk, &sol), want);
        CHECK(!sol);
    }

    /* The prefix is never split from its line across buffers. */
    {
        char out[12];
        const char *s = "ab\ncd\n", *end = s + 6;
        size_t n;

        sol = true;
        n = console_decorate(out, sizeof(out), &s, end, "(KEEL) ", &sol);
        CHECK_EQ(n, 10);                        /* "(KEEL) ab\n" */
        CHECK(!memcmp(out, "(KEEL) ab\n", 10));
        CHECK_STR(s, "cd\n");
        CHECK(sol);
    }

    /* Too small for any prefix: still progresses, without prefixes. */
    sol = true;
    CHECK_STR(decorate("ab\nc", 3, &sol), "ab\nc");
}

/* ---- console ring -------------------------------------------------------- */

TEST(ring_basic)
{
    char buf[16], out[32];
    struct conring r;

    conring_init(&r, buf, sizeof(buf));
    CHECK_EQ(conring_used(&r), 0);
    CHECK_EQ(conring_read(&r, out, sizeof(out), false), 0);

    conring_put(&r, "hello", 5);
    CHECK_EQ(conring_used(&r), 5);
    CHECK_EQ(conring_read(&r, out, 3, false), 3);
    CHECK(!memcmp(out, "hel", 3));
    CHECK_EQ(conring_read(&r, out, sizeof(out), false), 5);
    CHECK(!memcmp(out, "hello", 5));

    /* Reading with consume removes exactly what was copied. */
    CHECK_EQ(conring_read(&r, out, 2, true), 2);
    CHECK_EQ(conring_used(&r), 3);
    CHECK_EQ(conring_read(&r, out, sizeof(out), true), 3);
    CHECK(!memcmp(out, "llo", 3));
    CHECK_EQ(conring_used(&r), 0);
}

TEST(ring_wrap)
{
    char buf[16], out[32];
    struct conring r;

    conring_init(&r, buf, sizeof(buf));
    conring_put(&r, "0123456789", 10);
    conring_put(&r, "abcdefghij", 10);      /* wraps; 4 oldest bytes lost */
    CHECK_EQ(conring_used(&r), 16);
    CHECK_EQ(conring_read(&r, out, sizeof(out), false), 16);
    CHECK(!memcmp(out, "456789abcdefghij", 16));

    /* A write longer than the ring keeps its last `size` bytes. */
    conring_put(&r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26);
    CHECK_EQ(conring_read(&r, out, sizeof(out), false), 16);
    CHECK(!memcmp(out, "KLMNOPQRSTUVWXYZ", 16));

    /* Partial consume across the wrap point, then more writes. */
    CHECK_EQ(conring_read(&r, out, 10, true), 10);
    conring_put(&r, "123", 3);
    CHECK_EQ(conring_read(&r, out, sizeof(out), false), 9);
    CHECK(!memcmp(out, "UVWXYZ123", 9));

    /* Overrunning unread data drops the oldest. */
    conring_put(&r, "abcdefghijkl", 12);
    CHECK_EQ(conring_used(&r), 16);
    CHECK_EQ(conring_read(&r, out, sizeof(out), false), 16);
    CHECK(!memcmp(out, "Z123abcdefghijkl", 16));
}

TEST(ring_copy)
{
    char small[8], big[32], out[32];
    struct conring a, b, c;

    conring_init(&a, small, sizeof(small));
    conring_put(&a, "0123456789abc", 13);   /* holds "56789abc", wrapped */
    conring_init(&b, big, sizeof(big));
    conring_put(&b, ">", 1);
    conring_copy(&b, &a);
    CHECK_EQ(conring_read(&b, out, sizeof(out), false), 9);
    CHECK(!memcmp(out, ">56789abc", 9));
    CHECK_EQ(conring_used(&a), 8);          /* source untouched */

    /* Into a smaller ring: the newest bytes survive. */
    conring_init(&c, small, 4);
    conring_copy(&c, &b);
    CHECK_EQ(conring_read(&c, out, sizeof(out), false), 4);
    CHECK(!memcmp(out, "9abc", 4));
}

/* ---- input switching ----------------------------------------------------- */

TEST(conswitch)
{
    struct conswitch cs = { 0 };
    char code = conswitch_code('a'), out[CONSWITCH_COUNT];
    unsigned int n = 99;

    CHECK_EQ(code, 1);
    CHECK_EQ(conswitch_code('z'), 26);

    CHECK(!conswitch_feed(&cs, code, 'h', out, &n));
    CHECK_EQ(n, 1);
    CHECK_EQ(out[0], 'h');

    CHECK(!conswitch_feed(&cs, code, code, out, &n));
    CHECK_EQ(n, 0);
    CHECK(!conswitch_feed(&cs, code, code, out, &n));
    CHECK_EQ(n, 0);
    CHECK(conswitch_feed(&cs, code, code, out, &n));   /* third: switch */
    CHECK_EQ(n, 0);

    /* Two codes and another key: the codes were input after all. */
    CHECK(!conswitch_feed(&cs, code, code, out, &n));
    CHECK(!conswitch_feed(&cs, code, code, out, &n));
    CHECK(!conswitch_feed(&cs, code, 'x', out, &n));
    CHECK_EQ(n, 3);
    CHECK(out[0] == code && out[1] == code && out[2] == 'x');

    /* Six codes in a row switch twice. */
    for ( n = 0; n < 5; n++ )
    {
        unsigned int k;

        CHECK_EQ(conswitch_feed(&cs, code, code, out, &k), n == 2);
    }
    CHECK(conswitch_feed(&cs, code, code, out, &n));

    /* Another switch character. */
    CHECK(!conswitch_feed(&cs, conswitch_code('t'), code, out, &n));
    CHECK_EQ(n, 1);
}

TEST(input_queue)
{
    struct console_inq q;
    unsigned int i;

    memset(&q, 0, sizeof(q));
    CHECK_EQ(console_inq_get(&q), -1);
    for ( i = 0; i < CONSOLE_INQ_SIZE; i++ )
        CHECK(console_inq_put(&q, (char)(i + 1)));
    CHECK(!console_inq_put(&q, 'z'));       /* full: newest dropped */
    CHECK_EQ(q.dropped, 1);
    CHECK_EQ(console_inq_get(&q), 1);
    CHECK(console_inq_put(&q, (char)0xff));
    for ( i = 1; i < CONSOLE_INQ_SIZE; i++ )
        CHECK_EQ(console_inq_get(&q), (int)i + 1);
    CHECK_EQ(console_inq_get(&q), 0xff);    /* bytes come back unsigned */
    CHECK_EQ(console_inq_get(&q), -1);
}

/* ---- 16550 UART driver --------------------------------------------------- */

TEST(uart_absent)
{
    struct serial_cfg cfg = com1_cfg(false);

    uart_reset();
    uart.absent = true;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), -ENODEV);
    CHECK(!serial_active(SERIAL_COM1));
    serial_puts(SERIAL_COM1, "x\n", 2);     /* must return at once */
    CHECK_EQ(serial_getc(SERIAL_COM1), -1);
    CHECK_EQ(uart.lsr_reads, 0);

    /* Something answers but has no scratch register: not a 16550. */
    uart_reset();
    uart.no_scratch = true;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), -ENODEV);

    /* COM2 at its default address is absent in this machine. */
    cfg.io_base = COM2_BASE;
    CHECK_EQ(serial_setup(SERIAL_COM2, &cfg), -ENODEV);
    CHECK(!serial_active(SERIAL_COM2));
    CHECK_EQ(serial_io_base(SERIAL_COM2), COM2_BASE);
    CHECK(!port_misuse);
}

TEST(uart_firmware_settings)
{
    struct serial_cfg cfg = com1_cfg(false);
    char desc[64];

    uart_reset();
    uart.scr = 0x42;
    uart.ier = 0x0f;
    uart.rx_len = 3;                        /* stale bytes from the BIOS */
    memcpy(uart.rx, "old", 3);
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    CHECK(serial_active(SERIAL_COM1));
    CHECK_EQ(uart.dll, 12);                 /* divisor kept */
    CHECK_EQ(uart.dlm, 0);
    CHECK_EQ(uart.lcr, 0x03);               /* 8n1, DLAB off */
    CHECK_EQ(uart.ier, 0);                  /* polled */
    CHECK_EQ(uart.scr, 0x42);               /* probe restored it */
    CHECK(uart.fcr & 1);                    /* FIFO on */
    CHECK_EQ(uart.mcr & 3, 3);              /* DTR, RTS */
    CHECK_EQ(serial_getc(SERIAL_COM1), -1); /* stale input drained */
    serial_describe(SERIAL_COM1, desc, sizeof(desc));
    CHECK_STR(desc, "0x3f8, 9600 8n1");
    CHECK_EQ(uart.lcr & 0x80, 0);

    /* Never set up by the firmware: 115200 8n1. */
    uart_reset();
    uart.lcr = 0;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    CHECK_EQ(uart.dll, 1);
    CHECK_EQ(uart.lcr, 0x03);
    uart_reset();
    uart.dll = 0;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    CHECK_EQ(uart.dll, 1);
    CHECK(!port_misuse);
}

TEST(uart_configured)
{
    struct serial_cfg cfg = com1_cfg(true);
    char desc[64];

    uart_reset();
    cfg.baud = 38400;
    cfg.data_bits = 7;
    cfg.parity = 'o';
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    CHECK_EQ(uart.dll, 3);
    CHECK_EQ(uart.lcr, 0x0a);               /* 7 bits, odd parity */
    serial_describe(SERIAL_COM1, desc, sizeof(desc));
    CHECK_STR(desc, "0x3f8, 38400 7o1");

    cfg = com1_cfg(true);
    cfg.baud = 50;                          /* divisor 2304 */
    cfg.parity = 'e';
    cfg.stop_bits = 2;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    CHECK_EQ(uart.dll | (uart.dlm << 8), 2304);
    CHECK_EQ(uart.lcr, 0x1f);
    serial_describe(SERIAL_COM1, desc, sizeof(desc));
    CHECK_STR(desc, "0x3f8, 50 8e2");

    /* auto keeps the divisor but applies DPS; mark and space parity. */
    cfg = com1_cfg(true);
    cfg.parity = 'm';
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    CHECK_EQ(uart.dll | (uart.dlm << 8), 2304);
    serial_describe(SERIAL_COM1, desc, sizeof(desc));
    CHECK_STR(desc, "0x3f8, 50 8m1");
    cfg.parity = 's';
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    serial_describe(SERIAL_COM1, desc, sizeof(desc));
    CHECK_STR(desc, "0x3f8, 50 8s1");

    /* auto with no divisor set: 115200; another UART clock. */
    uart_reset();
    uart.dll = 0;
    cfg = com1_cfg(true);
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    CHECK_EQ(uart.dll, 1);
    cfg.baud = 115200;
    cfg.base_baud = 921600;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    CHECK_EQ(uart.dll, 8);
    serial_describe(SERIAL_COM1, desc, sizeof(desc));
    CHECK_STR(desc, "0x3f8, 115200 8n1");
    CHECK(!port_misuse);
}

TEST(uart_bad_settings)
{
    struct serial_cfg cfg = com1_cfg(true);

    uart_reset();
    cfg.data_bits = 9;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), -EINVAL);
    cfg = com1_cfg(true);
    cfg.parity = 'x';
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), -EINVAL);
    cfg = com1_cfg(true);
    cfg.stop_bits = 3;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), -EINVAL);
    cfg = com1_cfg(true);
    cfg.baud = 230400;                      /* above base_baud */
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), -EINVAL);
    cfg = com1_cfg(true);
    cfg.io_base = 0;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), -EINVAL);
    cfg = com1_cfg(true);
    CHECK_EQ(serial_setup(SERIAL_NR_PORTS, &cfg), -EINVAL);
    CHECK(!serial_active(SERIAL_NR_PORTS));
    serial_puts(SERIAL_NR_PORTS, "x", 1);
    CHECK_EQ(serial_getc(SERIAL_NR_PORTS), -1);
    CHECK_EQ(uart.tx_len, 0);
}

TEST(uart_io)
{
    struct serial_cfg cfg = com1_cfg(false);
    unsigned long reads;

    uart_reset();
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    serial_puts(SERIAL_COM1, "a\nbc\n", 5);
    uart.tx[uart.tx_len] = '\0';
    CHECK_STR(uart.tx, "a\r\nbc\r\n");

    /* With a 16-byte FIFO, one LSR poll per 16 bytes. */
    uart.tx_len = 0;
    reads = uart.lsr_reads;
    serial_puts(SERIAL_COM1, "0123456789abcdef0123456789abcdef", 32);
    CHECK(uart.lsr_reads - reads <= 3);
    CHECK_EQ(uart.tx_len, 32);

    memcpy(uart.rx, "hi", 2);
    uart.rx_len = 2;
    uart.rx_pos = 0;
    CHECK_EQ(serial_getc(SERIAL_COM1), 'h');
    CHECK_EQ(serial_getc(SERIAL_COM1), 'i');
    CHECK_EQ(serial_getc(SERIAL_COM1), -1);

    /* A break reads as NUL with LSR.BI: not a key. */
    uart.rx[0] = 0;
    uart.rx_len = 1;
    uart.rx_pos = 0;
    uart.rx_break = true;
    CHECK_EQ(serial_getc(SERIAL_COM1), -1);

    serial_disable(SERIAL_COM1);
    uart.tx_len = 0;
    serial_puts(SERIAL_COM1, "x", 1);
    CHECK_EQ(uart.tx_len, 0);
    CHECK(!port_misuse);
}

TEST(uart_stuck_transmitter)
{
    struct serial_cfg cfg = com1_cfg(false);

    uart_reset();
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);
    uart.tx_stuck = true;
    /* Bounded: gives up, and switches the port off after a few tries. */
    serial_puts(SERIAL_COM1, "0123456789", 10);
    CHECK(!serial_active(SERIAL_COM1));
    CHECK(uart.tx_len <= 3);
    uart.tx_stuck = false;
    CHECK_EQ(serial_setup(SERIAL_COM1, &cfg), 0);   /* can be revived */
    CHECK(serial_active(SERIAL_COM1));
}

/* ---- VGA text ------------------------------------------------------------ */

static uint16_t screen[VGA_ROWS * VGA_COLS];

static const char *screen_row(unsigned int row)
{
    static char line[VGA_COLS + 1];
    unsigned int c;

    for ( c = 0; c < VGA_COLS; c++ )
        line[c] = screen[row * VGA_COLS + c] & 0xff;
    line[VGA_COLS] = '\0';
    for ( c = VGA_COLS; c && line[c - 1] == ' '; c-- )
        line[c - 1] = '\0';
    return line;
}

static void vga_puts_str(const char *s)
{
    vga_puts(s, strlen(s));
}

TEST(vga_text)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(screen); i++ )
        screen[i] = 0x1e41;                 /* firmware junk */
    CHECK(vga_init(screen));
    CHECK(vga_active());
    CHECK_EQ(screen[0], 0x0720);
    CHECK_EQ(screen[ARRAY_SIZE(screen) - 1], 0x0720);
    CHECK_EQ(crtc_cursor, 0);

    vga_puts_str("ab\ncd");
    CHECK_STR(screen_row(0), "ab");
    CHECK_STR(screen_row(1), "cd");
    CHECK_EQ(screen[0], 0x0700 | 'a');
    CHECK_EQ(crtc_cursor, VGA_COLS + 2);

    vga_puts_str("\rX\tY\n");
    CHECK_STR(screen_row(1), "Xd      Y");
    vga_puts_str("ab\bc\n");
    CHECK_STR(screen_row(2), "ac");
    CHECK_EQ(crtc_cursor, 3 * VGA_COLS);
    CHECK(!port_misuse);
}

TEST(vga_wrap_and_scroll)
{
    char line[VGA_COLS + 2];
    unsigned int i;

    CHECK(vga_init(screen));

    /* Exactly 80 characters then '\n': no blank line in between. */
    memset(line, '=', VGA_COLS);
    line[VGA_COLS] = '\n';
    line[VGA_COLS + 1] = '\0';
    vga_puts_str(line);
    vga_puts_str("next");
    CHECK_EQ(strlen(screen_row(0)), VGA_COLS);
    CHECK_STR(screen_row(1), "next");

    /* 81 characters wrap onto the next line. */
    CHECK(vga_init(screen));
    vga_puts_str(line);
    line[VGA_COLS] = '+';
    vga_puts(line, VGA_COLS + 1);
    CHECK_STR(screen_row(2), "+");

    /* Scrolling: 30 numbered lines leave lines 6..29 and an empty one. */
    CHECK(vga_init(screen));
    for ( i = 0; i < 30; i++ )
    {
        snprintf(line, sizeof(line), "line %u\n", i);
        vga_puts_str(line);
    }
    CHECK_STR(screen_row(0), "line 6");
    CHECK_STR(screen_row(VGA_ROWS - 2), "line 29");
    CHECK_STR(screen_row(VGA_ROWS - 1), "");
    CHECK_EQ(crtc_cursor, (VGA_ROWS - 1) * VGA_COLS);

    /* Off: nothing is written. */
    vga_disable();
    CHECK(!vga_active());
    vga_puts_str("zzz");
    CHECK_STR(screen_row(VGA_ROWS - 1), "");
    vga_remap(screen);                      /* remap does not revive it */
    CHECK(!vga_active());
}

int main(void)
{
    RUN(level_prefix);
    RUN(level_verdict);
    RUN(ratelimit);
    RUN(timestamp_boot_raw_none);
    RUN(timestamp_date);
    RUN(timestamp_small_buffer);
    RUN(decorate_lines);
    RUN(decorate_chunks);
    RUN(ring_basic);
    RUN(ring_wrap);
    RUN(ring_copy);
    RUN(conswitch);
    RUN(input_queue);
    RUN(uart_absent);
    RUN(uart_firmware_settings);
    RUN(uart_configured);
    RUN(uart_bad_settings);
    RUN(uart_io);
    RUN(uart_stuck_transmitter);
    RUN(vga_text);
    RUN(vga_wrap_and_scroll);
    HARNESS_EXIT();
}
