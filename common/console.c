/*
 * The hypervisor console: printk() and panic(), the console ring, the
 * consoles chosen by console= (16550 UARTs, VGA text) and serial input.
 *
 * Output.  printk formats the message, strips its KLOG_* prefix and
 * judges it against loglvl=:
 *   - "<0>" error, "<1>" warning, "<2>" info, "<3>" debug are printed,
 *     rate limited (CONSOLE_RATELIMIT_BURST per 5 s, then "printk: N
 *     messages suppressed.") or dropped per the loglvl= thresholds;
 *   - a message with no prefix counts as info but is always printed
 *     unless loglvl=none, except that one continuing a line begun by a
 *     prefixed message (no '\n' yet) shares that message's fate;
 *   - panic output is always printed.
 * Every line gets "(KEEL) " and the console_timestamps= stamp.  Printed
 * or not, every message goes to the console ring, which `xl dmesg` reads
 * through console_ring_read().
 *
 * Time stamps: "boot" and "raw" come from NOW() (0 until the TSC is
 * calibrated) and the TSC.  Keel reads no RTC yet, so "date"/"datems"
 * count from 1970-01-01 00:00:00 at boot until console_set_wallclock()
 * supplies the wall-clock time of boot.
 *
 * Stages (arch/x86/setup.c): the first printk (or console_init_preirq)
 * writes to COM1 at 0x3f8 with the firmware's line settings;
 * console_init_postparse applies console=/com1=/com2= and starts VGA;
 * console_init_ring moves the static 16 KiB ring into conring_size bytes;
 * console_init_postirq starts polling serial input every 10 ms on CPU 0.
 *
 * Input.  Three Ctrl-<conswitch> in a row toggle input between Keel
 * (debug keys, common/keyhandler.c) and dom0.  With no dom0 yet, input
 * stays with Keel at the end of boot whatever conswitch= says; bytes
 * typed while input is switched to dom0 wait in a CONSOLE_INQ_SIZE queue
 * (newest dropped when full) for dom0's CONSOLEIO_read, and each one
 * raises VIRQ_CONSOLE in dom0.
 *
 * Locking: console_lock, a leaf taken with interrupts off, guards
 * everything marked [c] below and the drivers (drivers/char/ns16550.c,
 * drivers/char/vga.c).  A CPU re-entering printk while it holds the lock
 * (a fault or NMI inside the console) prints without it rather than
 * deadlock.  After console_force_unlock() or a panic the lock is only
 * tried for a bounded time ("busted" mode) so a crashing CPU always gets
 * its message out.  [p] fields belong to the input poll timer on CPU 0.
 */
#include <keel/lib.h>
#include <keel/console.h>
#include <keel/event.h>
#include <keel/console_format.h>
#include <keel/console_params.h>
#include <keel/errno.h>
#include <keel/keyhandler.h>
#include <keel/mm.h>
#include <keel/serial.h>
#include <keel/shutdown.h>
#include <keel/spinlock.h>
#include <keel/timer.h>
#include <keel/vga.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>

#define CONSOLE_MSG_MAX       1024      /* one printk, formatted */
#define CONSOLE_OUT_CHUNK     512       /* decorated bytes per write */
#define CONSOLE_NESTED_MSG    256       /* the same, without the lock */
#define CONSOLE_NESTED_OUT    128
#define CONSOLE_POLL_NS       10000000LL        /* 10 ms */
#define CONSOLE_POLL_BATCH    64        /* input bytes per poll */
#define CONSOLE_BUSTED_SPINS  1000000   /* lock attempts after a crash */
#define NO_OWNER              (~0U)
#define FOUR_GIB              (4ULL << 30)

static DEFINE_SPINLOCK(console_lock);
static unsigned int console_owner = NO_OWNER;   /* [c] CPU holding the lock */
static bool console_busted;         /* crash path: bounded locking */
static bool console_started;        /* [c] early COM1 set up */

static char msg_buf[CONSOLE_MSG_MAX];           /* [c] */
static char out_buf[CONSOLE_OUT_CHUNK];         /* [c] */
static bool line_start = true;                  /* [c] next byte opens a line */
static enum console_verdict cont_verdict;       /* [c] of the open line */
static struct console_ratelimit ratelimit;      /* [c] */
static uint64_t wall_base;                      /* [c] epoch seconds at boot */

static char conring_early[CONRING_SIZE_MIN];
static struct conring conring;                  /* [c] */

static unsigned int serial_out;     /* [c] CONSOLE_COM* bits written to */
static bool vga_wanted;             /* [c] console= has vga */
static bool vga_directmap;          /* [c] VGA reached via the direct map */
static bool in_vga;                 /* [c] writing to VGA right now */

static struct timer poll_timer;                 /* [p] */
static struct conswitch conswitch;              /* [p] */
static bool input_to_dom0;                      /* [p] */
static struct console_inq dom0_inq;             /* [c] */

static unsigned int port_bit(unsigned int port)
{
    return CONSOLE_COM1 << port;
}

/* ---- locking ------------------------------------------------------------- */

/* Take the console lock for this CPU; false if printing without it. */
static bool console_lock_get(unsigned int cpu)
{
    unsigned long spins;

    if ( __atomic_load_n(&console_owner, __ATOMIC_RELAXED) == cpu )
        return false;                   /* re-entered: fault or NMI */
    if ( !__atomic_load_n(&console_busted, __ATOMIC_RELAXED) )
        spin_lock(&console_lock);
    else
    {
        for ( spins = 0; !spin_trylock(&console_lock); spins++ )
        {
            if ( spins >= CONSOLE_BUSTED_SPINS )
                return false;
            cpu_relax();
        }
    }
    __atomic_store_n(&console_owner, cpu, __ATOMIC_RELAXED);
    return true;
}

static void console_lock_put(void)
{
    __atomic_store_n(&console_owner, NO_OWNER, __ATOMIC_RELAXED);
    spin_unlock(&console_lock);
}

/*
 * Interrupts off and the lock taken, unless this CPU already holds it or
 * the console is busted and the lock stays busy: then go on without.
 */
struct console_guard {
    unsigned long flags;
    bool held;
};

static void console_enter(struct console_guard *g)
{
    g->flags = local_irq_save();
    g->held = console_lock_get(smp_processor_id());
}

static void console_leave(struct console_guard *g)
{
    if ( g->held )
        console_lock_put();
    local_irq_restore(g->flags);
}

void console_force_unlock(void)
{
    unsigned int cpu = smp_processor_id();

    /* Crashed inside the console: the screen's mapping is a suspect. */
    if ( __atomic_load_n(&console_owner, __ATOMIC_RELAXED) == cpu && in_vga )
        vga_disable();
    __atomic_store_n(&console_owner, NO_OWNER, __ATOMIC_RELAXED);
    __atomic_store_n(&console_busted, true, __ATOMIC_RELAXED);
    spin_lock_init(&console_lock);
}

/* ---- output -------------------------------------------------------------- */

/*
 * Boot page tables identity-map the low 4 GiB; the final ones (from
 * paging_init) drop that map and add the direct map.  Follow the switch
 * the first time the CPU runs on the idle page tables, which lie below
 * 4 GiB (idle_l4_maddr() is out of that range until they exist).
 */
static void vga_follow_page_tables(void)
{
    paddr_t l4;

    if ( vga_directmap )
        return;
    l4 = idle_l4_maddr();
    if ( l4 && l4 < FOUR_GIB && (read_cr3() & PADDR_MASK) == l4 )
    {
        vga_directmap = true;
        vga_remap(maddr_to_virt(VGA_TEXT_MADDR));
    }
}

static volatile uint16_t *vga_text_now(void)
{
    vga_follow_page_tables();
    return vga_directmap ? maddr_to_virt(VGA_TEXT_MADDR)
                         : (volatile uint16_t *)(unsigned long)VGA_TEXT_MADDR;
}

static void console_write_devices(const char *s, size_t n)
{
    unsigned int port;

    for ( port = 0; port < SERIAL_NR_PORTS; port++ )
        if ( serial_out & port_bit(port) )
            serial_puts(port, s, n);
    if ( vga_active() )
    {
        vga_follow_page_tables();
        in_vga = true;
        vga_puts(s, n);
        in_vga = false;
    }
}

/*
 * Output of a guest's console_io write.  dom0's output goes out as it is
 * (it may be interactive); another domain's lines are marked "(dN) ".
 */
void console_guest_write(unsigned int domid, const char *buf, size_t len)
{
    static bool guest_line_start = true;        /* [console_lock] */
    struct console_guard g;
    char prefix[16];
    size_t plen, start = 0, end;

    plen = MIN((size_t)snprintf(prefix, sizeof(prefix), "(d%u) ", domid),
               sizeof(prefix) - 1);
    console_enter(&g);
    while ( start < len )
    {
        for ( end = start; end < len && buf[end] != '\n'; end++ )
            continue;
        if ( end < len )
            end++;                              /* keep the newline */
        if ( domid != 0 && guest_line_start )
        {
            conring_put(&conring, prefix, plen);
            console_write_devices(prefix, plen);
        }
        conring_put(&conring, buf + start, end - start);
        console_write_devices(buf + start, end - start);
        guest_line_start = buf[end - 1] == '\n';
        start = end;
    }
    console_leave(&g);
}

/* First output of all: COM1 with the firmware's settings, static ring. */
static void console_start(void)
{
    if ( console_started )
        return;
    console_started = true;
    conring_init(&conring, conring_early, sizeof(conring_early));
    /* Before the command line is parsed opt_serial[] holds the defaults. */
    if ( serial_setup(SERIAL_COM1, &opt_serial[SERIAL_COM1]) == 0 )
    {
        serial_out = CONSOLE_COM1;
        serial_puts(SERIAL_COM1, "\n", 1);  /* after the firmware's last line */
    }
}

/* Decorate msg[0..len) line by line into out, then ring and consoles. */
static void console_emit(const char *msg, size_t len, bool print, char *out,
                         size_t out_size)
{
    char prefix[sizeof(CONSOLE_LINE_PREFIX) + CONSOLE_TIMESTAMP_MAX];
    const char *s = msg, *end = msg + len;
    size_t n;

    memcpy(prefix, CONSOLE_LINE_PREFIX, sizeof(CONSOLE_LINE_PREFIX));
    console_format_timestamp(prefix + sizeof(CONSOLE_LINE_PREFIX) - 1,
                             CONSOLE_TIMESTAMP_MAX, opt_console_timestamps,
                             NOW(), rdtsc(), wall_base);
    while ( s < end )
    {
        n = console_decorate(out, out_size, &s, end, prefix, &line_start);
        conring_put(&conring, out, n);
        if ( print )
            console_write_devices(out, n);
    }
}

/* Judge, decorate and output one formatted message. */
static void console_output(char *msg, size_t len, bool force, char *out,
                           size_t out_size)
{
    const char *text = msg;
    int level = console_parse_level(&text);
    enum console_verdict verdict;
    unsigned long missed;
    char note[64];
    int n;

    if ( level == CONSOLE_LEVEL_UNPREFIXED && !line_start )
        verdict = cont_verdict;         /* rest of an open line */
    else
        verdict = console_level_verdict(&opt_loglvl, level);
    if ( force )
        verdict = CONSOLE_PRINT;
    if ( verdict == CONSOLE_RATELIMIT )
    {
        verdict = console_ratelimit_allow(&ratelimit, NOW(), &missed)
                  ? CONSOLE_PRINT : CONSOLE_DROP;
        if ( missed )
        {
            n = snprintf(note, sizeof(note),
                         "%sprintk: %lu messages suppressed.\n",
                         line_start ? "" : "\n", missed);
            console_emit(note, MIN((size_t)n, sizeof(note) - 1), true, out,
                         out_size);
        }
    }

    console_emit(text, len - (text - msg), verdict == CONSOLE_PRINT, out,
                 out_size);
    cont_verdict = verdict;
}

static size_t format_msg(char *buf, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(buf, size, fmt, ap);

    return n < 0 ? 0 : MIN((size_t)n, size - 1);
}

/* Without the lock (re-entered, or busted): small buffers on the stack. */
static void __attribute__((__noinline__))
vprintk_unlocked(const char *fmt, va_list ap, bool force)
{
    char msg[CONSOLE_NESTED_MSG], out[CONSOLE_NESTED_OUT];
    size_t len = format_msg(msg, sizeof(msg), fmt, ap);

    console_output(msg, len, force, out, sizeof(out));
}

static void vprintk_common(const char *fmt, va_list ap, bool force)
{
    struct console_guard g;

    console_enter(&g);
    console_start();
    if ( g.held )
    {
        size_t len = format_msg(msg_buf, sizeof(msg_buf), fmt, ap);

        console_output(msg_buf, len, force, out_buf, sizeof(out_buf));
    }
    else
        vprintk_unlocked(fmt, ap, force);
    console_leave(&g);
}

void vprintk(const char *fmt, va_list ap)
{
    vprintk_common(fmt, ap, false);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk_common(fmt, ap, false);
    va_end(ap);
}

/* printk that ignores loglvl= (panic output). */
static void __printf(1, 2) printk_force(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk_common(fmt, ap, true);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    static unsigned int panicking;
    unsigned int cpu = smp_processor_id();
    va_list ap;

    local_irq_disable();
    if ( __atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST) )
    {
        /* Another panic is being reported (maybe our own): stay quiet. */
        for ( ; ; )
            halt();
    }
    /* Never wait forever for a lock whose holder may be wedged. */
    __atomic_store_n(&console_busted, true, __ATOMIC_RELAXED);

    printk_force("\n****************************************\n");
    printk_force("Panic on CPU %u:\n", cpu);
    va_start(ap, fmt);
    vprintk_common(fmt, ap, true);
    va_end(ap);
    if ( !line_start )
        printk_force("\n");
    printk_force("****************************************\n");
    machine_panic_stop();
}

/* ---- boot stages --------------------------------------------------------- */

void console_init_preirq(void)
{
    struct console_guard g;

    console_enter(&g);
    console_start();
    console_leave(&g);
}

void console_init_postparse(void)
{
    struct console_guard g;
    unsigned int port;
    int rc[SERIAL_NR_PORTS] = { 0 };

    /* Whoever watches COM1 learns why it falls silent, and where to look. */
    if ( (serial_out & CONSOLE_COM1) && !(opt_console & CONSOLE_COM1) )
        printk("Console: console= does not list com1: output continues %s\n",
               !opt_console ? "in the console ring only (console=none)" :
               opt_console == CONSOLE_VGA ? "on VGA text" :
               opt_console == CONSOLE_COM2 ? "on COM2" :
                                             "on VGA text and COM2");

    console_enter(&g);
    console_start();
    for ( port = 0; port < SERIAL_NR_PORTS; port++ )
    {
        const struct serial_cfg *cfg = &opt_serial[port];

        if ( !(opt_console & port_bit(port)) )
            serial_disable(port);
        else if ( !serial_active(port) || cfg->present ||
                  serial_io_base(port) != cfg->io_base )
            rc[port] = serial_setup(port, cfg);
    }
    serial_out = opt_console & (CONSOLE_COM1 | CONSOLE_COM2);
    vga_wanted = opt_console & CONSOLE_VGA;
    if ( vga_wanted )
        vga_init(vga_text_now());
    console_leave(&g);

    /* A silent UART (-ENODEV) is reported by console_describe(). */
    for ( port = 0; port < SERIAL_NR_PORTS; port++ )
        if ( rc[port] && rc[port] != -ENODEV )
            printk(KLOG_WARNING "Console: COM%u (%#x) not used: the driver "
                   "rejected its line settings (rc=%d)\n", port + 1,
                   opt_serial[port].io_base, rc[port]);
}

void console_init_ring(void)
{
    unsigned long size = opt_conring_size;
    struct console_guard g;
    struct conring ring;
    char *buf;

    if ( size <= sizeof(conring_early) )
        return;
    if ( (size & (size - 1)) || size > CONRING_SIZE_MAX )
    {
        printk(KLOG_WARNING "Console: ring size %lu is not a power of two "
               "up to 1 GiB: keeping %lu KiB\n", size,
               (unsigned long)sizeof(conring_early) >> 10);
        return;
    }
    buf = alloc_xenheap_pages(__builtin_ctzl(size >> PAGE_SHIFT));
    if ( !buf )
    {
        printk(KLOG_WARNING "Console: no memory for a %lu KiB ring: keeping "
               "%lu KiB\n", size >> 10,
               (unsigned long)sizeof(conring_early) >> 10);
        return;
    }

    conring_init(&ring, buf, size);
    console_enter(&g);
    conring_copy(&ring, &conring);
    conring = ring;
    console_leave(&g);
    printk("Console: ring of %lu KiB\n", size >> 10);
}

/* ---- input --------------------------------------------------------------- */

static void console_switch_input(void)
{
    input_to_dom0 = !input_to_dom0;
    printk("*** Serial input to %s (type 'CTRL-%c' three times to switch "
           "input)\n", input_to_dom0 ? "DOM0" : "Keel", opt_conswitch_char);
}

static void console_deliver(char c)
{
    struct console_guard g;

    if ( !input_to_dom0 )
    {
        handle_keypress((unsigned char)c);
        return;
    }
    console_enter(&g);
    console_inq_put(&dom0_inq, c);
    console_leave(&g);
    send_global_virq(VIRQ_CONSOLE);     /* dom0: input to read */
}

static void console_rx(char c)
{
    char out[CONSWITCH_COUNT];
    unsigned int n, i;

    if ( conswitch_feed(&conswitch, conswitch_code(opt_conswitch_char), c,
                        out, &n) )
    {
        console_switch_input();
        return;
    }
    for ( i = 0; i < n; i++ )
        console_deliver(out[i]);
}

static void console_poll(void *unused)
{
    char rx[CONSOLE_POLL_BATCH];
    unsigned int n = 0, port, i;
    struct console_guard g;
    int c;

    console_enter(&g);
    for ( port = 0; port < SERIAL_NR_PORTS; port++ )
        while ( n < ARRAY_SIZE(rx) && (serial_out & port_bit(port)) &&
                (c = serial_getc(port)) >= 0 )
            rx[n++] = c;
    console_leave(&g);

    /* Outside the lock: key handlers print. */
    for ( i = 0; i < n; i++ )
        console_rx(rx[i]);
    set_timer(&poll_timer, NOW() + CONSOLE_POLL_NS);
}

static bool console_have_input(void)
{
    unsigned int port;

    for ( port = 0; port < SERIAL_NR_PORTS; port++ )
        if ( (serial_out & port_bit(port)) && serial_active(port) )
            return true;
    return false;
}

void console_init_postirq(void)
{
    if ( !console_have_input() )
        return;
    init_timer(&poll_timer, console_poll, NULL, smp_processor_id(),
               "console input poll");
    set_timer(&poll_timer, NOW() + CONSOLE_POLL_NS);
    if ( opt_conswitch_to_dom0 )
        printk("Console: serial input stays with Keel, not dom0: there is no "
               "dom0 yet\n");
}

void console_endboot(bool have_dom0)
{
    if ( have_dom0 && opt_conswitch_to_dom0 && console_have_input() &&
         !input_to_dom0 )
        console_switch_input();
}

size_t console_dom0_input_read(char *buf, size_t size)
{
    struct console_guard g;
    size_t n = 0;
    int c;

    console_enter(&g);
    while ( n < size && (c = console_inq_get(&dom0_inq)) >= 0 )
        buf[n++] = c;
    console_leave(&g);
    return n;
}

/* ---- queries ------------------------------------------------------------- */

size_t console_ring_read(char *buf, size_t size, bool clear)
{
    struct console_guard g;
    size_t n;

    console_enter(&g);
    n = conring_read(&conring, buf, size, clear);
    console_leave(&g);
    return n;
}

/* A 32-bit ring index (the ABI's) as an absolute position near prod. */
static uint64_t ring_pos(uint32_t idx)
{
    return conring.prod - (uint32_t)((uint32_t)conring.prod - idx);
}

void console_ring_indices(uint32_t *cons, uint32_t *prod)
{
    struct console_guard g;

    console_enter(&g);
    *cons = conring.cons;
    *prod = conring.prod;
    console_leave(&g);
}

size_t console_ring_peek(uint32_t idx, char *buf, size_t size)
{
    struct console_guard g;
    size_t n;

    console_enter(&g);
    n = conring_peek(&conring, ring_pos(idx), buf, size);
    console_leave(&g);
    return n;
}

void console_ring_clear_to(uint32_t idx)
{
    struct console_guard g;
    uint64_t pos;

    console_enter(&g);
    pos = ring_pos(idx);
    /* Bytes overwritten meanwhile are gone anyway. */
    if ( conring.prod - pos > conring.size )
        pos = conring.prod - conring.size;
    if ( pos > conring.cons )
        conring.cons = pos;
    console_leave(&g);
}

void console_set_wallclock(uint64_t boot_epoch_secs)
{
    struct console_guard g;

    console_enter(&g);
    wall_base = boot_epoch_secs;
    console_leave(&g);
}

static void __printf(3, 4) append(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

const char *console_describe(void)
{
    static char desc[256];
    char line[48];
    const char *sep = "";
    struct console_guard g;
    unsigned int port;

    if ( !opt_console )
        return "none (console=none): output only to the console ring "
               "('xl dmesg' reads it)";

    desc[0] = '\0';
    console_enter(&g);
    for ( port = 0; port < SERIAL_NR_PORTS; port++ )
    {
        if ( !(opt_console & port_bit(port)) )
            continue;
        if ( serial_active(port) )
        {
            serial_describe(port, line, sizeof(line));
            append(desc, sizeof(desc), "%sserial COM%u (%s)", sep, port + 1,
                   line);
        }
        else
            append(desc, sizeof(desc), "%sCOM%u selected but no UART answers "
                   "at %#x", sep, port + 1, opt_serial[port].io_base);
        sep = ", ";
    }
    if ( vga_wanted )
        append(desc, sizeof(desc), "%s%s", sep, vga_active() ? "VGA text 80x25"
               : "VGA selected but no text-mode screen found");

    sep = "; input on ";
    for ( port = 0; port < SERIAL_NR_PORTS; port++ )
        if ( (serial_out & port_bit(port)) && serial_active(port) )
        {
            append(desc, sizeof(desc), "%sCOM%u", sep, port + 1);
            sep = ", ";
        }
    console_leave(&g);

    if ( sep[0] == ',' )
        append(desc, sizeof(desc), " (switch with 3x Ctrl-%c)",
               opt_conswitch_char - 'a' + 'A');
    else
        append(desc, sizeof(desc), "; no console input (only serial consoles take input)");
    return desc;
}
