/*
 * Debug keys.  Owns the key table: one slot per ASCII character, filled
 * statically below for the built-in keys and by register_keyhandler() for
 * keys that other subsystems add at boot.
 *
 * Input reaches handle_keypress() from the console's poll timer on CPU 0
 * (common/console.c) once the conswitch logic has decided the byte is for
 * the hypervisor, so every handler runs in softirq context with
 * interrupts enabled and no lock held.
 *
 * Locking: key_table is written only during boot, before input polling
 * starts, and read-only afterwards (c); no lock is needed.
 */
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/keyhandler.h>
#include <keel/mm.h>
#include <keel/shutdown.h>
#include <keel/timer.h>
#include <keel/xmalloc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>

#define NR_KEYS 128

struct keyhandler {
    keyhandler_fn_t *fn;
    const char *desc;
};

static void show_keys(unsigned char key);
static void dump_memory(unsigned char key);
static void dump_cpu_list(unsigned char key);
static void dump_timer_queues(unsigned char key);
static void dump_registers(unsigned char key);
static void reboot_machine(unsigned char key);
static void crash_hypervisor(unsigned char key);

static struct keyhandler key_table[NR_KEYS] = {      /* (c) */
    ['h'] = { show_keys,         "show this list of debug keys" },
    ['m'] = { dump_memory,       "dump the page and object allocators" },
    ['c'] = { dump_cpu_list,     "list the online CPUs" },
    ['t'] = { dump_timer_queues, "dump the timer queues" },
    ['d'] = { dump_registers,    "dump control registers and stack of "
                                 "every CPU" },
    ['R'] = { reboot_machine,    "reboot the machine now" },
    ['C'] = { crash_hypervisor,  "crash the hypervisor on purpose (tests "
                                 "the fatal-fault path)" },
};

static bool key_printable(unsigned char key)
{
    return key > ' ' && key < 0x7f;
}

int register_keyhandler(unsigned char key, keyhandler_fn_t *fn,
                        const char *desc)
{
    if ( !key_printable(key) || !fn || !desc )
        return -EINVAL;
    if ( key_table[key].fn )
        return -EEXIST;
    key_table[key].fn = fn;
    key_table[key].desc = desc;
    return 0;
}

void handle_keypress(unsigned char key)
{
    const struct keyhandler *h;

    if ( !key_printable(key) )
        return;                 /* Enter, Escape, ...: nothing to say */
    h = &key_table[key];
    if ( !h->fn )
    {
        printk("'%c' pressed: not a debug key ('h' lists them)\n", key);
        return;
    }
    printk("'%c' pressed -> %s\n", key, h->desc);
    h->fn(key);
}

/* ---- the built-in keys --------------------------------------------------- */

static void show_keys(unsigned char key)
{
    unsigned int k;

    for ( k = 0; k < NR_KEYS; k++ )
        if ( key_table[k].fn )
            printk("  key '%c' (0x%02x): %s\n", k, k, key_table[k].desc);
}

static void dump_memory(unsigned char key)
{
    page_alloc_dump();
    printk("xmalloc: %zu bytes in live objects\n", xmalloc_bytes_in_use());
}

static void dump_cpu_list(unsigned char key)
{
    dump_cpus();
}

static void dump_timer_queues(unsigned char key)
{
    dump_timers();
}

/*
 * What can be shown of a CPU without a saved register frame: control
 * registers, flags and a stack trace from here.  Runs on the CPU that
 * took the key and, from the call-function IPI, on every other CPU.
 */
static void dump_this_cpu(void *unused)
{
    unsigned long rbp = (unsigned long)__builtin_frame_address(0);

    printk("*** CPU%u: rflags %016lx cr0 %016lx cr3 %016lx cr4 %016lx\n",
           smp_processor_id(), local_save_flags(), read_cr0(), read_cr3(),
           read_cr4());
    show_stack_trace((unsigned long)dump_this_cpu, rbp);
}

static void dump_registers(unsigned char key)
{
    dump_this_cpu(NULL);
    smp_call_function(dump_this_cpu, NULL);
}

static void reboot_machine(unsigned char key)
{
    machine_restart(0);
}

/* A write to a non-canonical address: #GP, then the fatal-trap path. */
#define CRASH_ADDRESS 0x8000000000000000UL

static void crash_hypervisor(unsigned char key)
{
    printk("Writing to non-canonical address %#lx\n", CRASH_ADDRESS);
    *(volatile unsigned long *)CRASH_ADDRESS = 0;
    panic("Debug key 'C': the deliberate fault did not happen\n");
}
