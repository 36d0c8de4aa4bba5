/*
 * IO-APICs.  Keel does not take device interrupts yet, so at boot every
 * pin of every IO-APIC in the MADT is masked, the legacy PICs are masked
 * too, and each IO-APIC is logged.  ioapic_route_isa_irq() programs one
 * ISA IRQ (honouring the MADT's interrupt source overrides) for drivers
 * that want one, such as the serial console.
 */
#include <keel/errno.h>
#include <keel/lib.h>
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/ioapic.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/smp.h>

#define IOAPIC_REGSEL      0x00
#define IOAPIC_WINDOW      0x10
#define IOAPIC_REG_ID      0x00
#define IOAPIC_REG_VER     0x01
#define IOAPIC_REDIR(pin)  (0x10 + 2 * (pin))
#define IOAPIC_RTE_MASKED  (1u << 16)
#define IOAPIC_RTE_LEVEL   (1u << 15)
#define IOAPIC_RTE_LOWPOL  (1u << 13)
#define PIC_MASTER_CMD     0x20
#define PIC_MASTER_DATA    0x21
#define PIC_SLAVE_CMD      0xa0
#define PIC_SLAVE_DATA     0xa1
#define PIC_ICW1_INIT      0x11             /* edge, cascade, ICW4 follows */
#define PIC_ICW4_8086      0x01
#define PIC_MASTER_VECTOR  0x20             /* never delivered: all masked */
#define MPS_POLARITY_MASK  0x3
#define MPS_POLARITY_LOW   0x3
#define MPS_TRIGGER_MASK   0xc
#define MPS_TRIGGER_LEVEL  0xc

static uint32_t ioapic_read(paddr_t base, unsigned int reg)
{
    volatile uint32_t *io = maddr_to_virt(base);

    io[IOAPIC_REGSEL / 4] = reg;
    return io[IOAPIC_WINDOW / 4];
}

static void ioapic_write(paddr_t base, unsigned int reg, uint32_t v)
{
    volatile uint32_t *io = maddr_to_virt(base);

    io[IOAPIC_REGSEL / 4] = reg;
    io[IOAPIC_WINDOW / 4] = v;
}

static unsigned int ioapic_pins(paddr_t base)
{
    return ((ioapic_read(base, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
}

/*
 * Move the legacy 8259 PICs off the exception vectors (the BIOS leaves
 * IRQ0-7 on vectors 8-15) and mask them.  Called first thing at boot, so
 * a stray PIC interrupt can never look like a CPU exception.
 */
void pic_disable(void)
{
    outb(PIC_ICW1_INIT, PIC_MASTER_CMD);
    outb(PIC_ICW1_INIT, PIC_SLAVE_CMD);
    outb(PIC_MASTER_VECTOR, PIC_MASTER_DATA);
    outb(PIC_MASTER_VECTOR + 8, PIC_SLAVE_DATA);
    outb(1u << 2, PIC_MASTER_DATA);         /* slave on IRQ2 */
    outb(2, PIC_SLAVE_DATA);
    outb(PIC_ICW4_8086, PIC_MASTER_DATA);
    outb(PIC_ICW4_8086, PIC_SLAVE_DATA);
    outb(0xff, PIC_MASTER_DATA);
    outb(0xff, PIC_SLAVE_DATA);
}

void ioapic_init(void)
{
    unsigned int i, pin;
    for ( i = 0; i < acpi_info.nr_ioapics; i++ )
    {
        const struct acpi_ioapic *io = &acpi_info.ioapics[i];
        unsigned int pins = ioapic_pins(io->addr);

        for ( pin = 0; pin < pins; pin++ )
        {
            ioapic_write(io->addr, IOAPIC_REDIR(pin) + 1, 0);
            ioapic_write(io->addr, IOAPIC_REDIR(pin), IOAPIC_RTE_MASKED);
        }
        printk("IOAPIC[%u]: ID %u at %#lx, GSI %u-%u, all pins masked\n", i,
               io->id, (unsigned long)io->addr, io->gsi_base,
               io->gsi_base + pins - 1);
    }
}

int ioapic_route_isa_irq(unsigned int isa_irq, uint8_t vector)
{
    uint32_t gsi = isa_irq, rte = vector;
    unsigned int i;

    for ( i = 0; i < acpi_info.nr_overrides; i++ )
    {
        const struct acpi_irq_override *o = &acpi_info.overrides[i];

        if ( o->bus == 0 && o->source_irq == isa_irq )
        {
            gsi = o->gsi;
            if ( (o->flags & MPS_POLARITY_MASK) == MPS_POLARITY_LOW )
                rte |= IOAPIC_RTE_LOWPOL;
            if ( (o->flags & MPS_TRIGGER_MASK) == MPS_TRIGGER_LEVEL )
                rte |= IOAPIC_RTE_LEVEL;
        }
    }
    for ( i = 0; i < acpi_info.nr_ioapics; i++ )
    {
        const struct acpi_ioapic *io = &acpi_info.ioapics[i];
        unsigned int pins = ioapic_pins(io->addr);

        if ( gsi < io->gsi_base || gsi >= io->gsi_base + pins )
            continue;
        ioapic_write(io->addr, IOAPIC_REDIR(gsi - io->gsi_base) + 1,
                     cpu_apic_id[0] << 24);
        ioapic_write(io->addr, IOAPIC_REDIR(gsi - io->gsi_base), rte);
        return 0;
    }
    return -ENODEV;
}
