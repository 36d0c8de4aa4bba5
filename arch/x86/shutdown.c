/*
 * Reboot and halt.  Reset methods, tried in order: the ACPI FADT reset
 * register (when ACPI says it is supported and in I/O space), the PCI
 * reset control port 0xcf9, the keyboard controller's reset line, and
 * finally a triple fault through an empty IDT.
 */
#include <keel/lib.h>
#include <keel/misc_params.h>
#include <keel/shutdown.h>
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/time.h>

#define PORT_RESET_CONTROL  0xcf9
#define RESET_CONTROL_HARD  0x06        /* full reset, CPU reset */
#define PORT_KBD_STATUS     0x64
#define KBD_CMD_RESET       0xfe
#define PANIC_REBOOT_MS     5000

static void __noreturn stop_this_cpu(void)
{
    local_irq_disable();
    for ( ; ; )
        halt();
}

/* The FADT reset register, when ACPI says it works and it is in I/O space. */
static void acpi_reboot(void)
{
    if ( !acpi_info.fadt_present || !acpi_info.reset_supported )
        return;
    if ( acpi_info.reset_reg.space_id == ACPI_GAS_SYSTEM_IO &&
         acpi_info.reset_reg.address <= 0xffff )
    {
        outb(acpi_info.reset_value, (uint16_t)acpi_info.reset_reg.address);
        udelay(50000);
    }
}

void machine_restart(unsigned int delay_ms)
{
    static const struct desc_ptr no_idt = { 0, 0 };

    local_irq_disable();
    smp_send_stop();
    if ( delay_ms )
        udelay(delay_ms * 1000UL);
    printk("Resetting the machine.\n");

    acpi_reboot();
    outb(RESET_CONTROL_HARD, PORT_RESET_CONTROL);
    udelay(50000);
    outb(KBD_CMD_RESET, PORT_KBD_STATUS);
    udelay(50000);
    lidt(&no_idt);
    __asm__ __volatile__ ( "int3" );
    stop_this_cpu();
}

void machine_halt(void)
{
    smp_send_stop();
    printk("Keel halted.\n");
    stop_this_cpu();
}

void machine_panic_stop(void)
{
    if ( opt_noreboot )
    {
        printk("Manual reset required ('noreboot' specified)\n");
        machine_halt();
    }
    printk("Reboot in five seconds...\n");
    machine_restart(PANIC_REBOOT_MS);
}
