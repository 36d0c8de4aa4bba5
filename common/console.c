/*
 * Minimal console: printk formats into a line buffer and writes to COM1
 * at its firmware settings.  (Replaced by the full console subsystem.)
 */
#include <keel/lib.h>
#include <keel/spinlock.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <keel/console.h>
#include <keel/shutdown.h>

static DEFINE_SPINLOCK(console_lock);

static void serial_putc(char c)
{
    unsigned int spins = 100000;

    while ( !(inb(0x3f8 + 5) & 0x20) && --spins )
        cpu_relax();
    outb(c, 0x3f8);
}

static void console_write(const char *s)
{
    for ( ; *s; s++ )
    {
        if ( *s == '\n' )
            serial_putc('\r');
        serial_putc(*s);
    }
}

void console_force_unlock(void)
{
    spin_lock_init(&console_lock);
}

static void vprintk(const char *fmt, va_list ap)
{
    char buf[1024];
    unsigned long flags;
    const char *p = buf;

    vsnprintf(buf, sizeof(buf), fmt, ap);
    if ( buf[0] == '<' && buf[1] >= '0' && buf[1] <= '9' && buf[2] == '>' )
        p += 3;
    flags = local_irq_save();
    spin_lock(&console_lock);
    console_write(p);
    spin_unlock(&console_lock);
    local_irq_restore(flags);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    local_irq_disable();
    printk("\n****************************************\n");
    printk("Panic on CPU %u:\n", 0u);
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("****************************************\n");
    machine_panic_stop();
}

void console_init_preirq(void) { }
void console_init_postparse(void) { }
void console_init_ring(void) { }
void console_init_postirq(void) { }
const char *console_describe(void) { return "COM1"; }
