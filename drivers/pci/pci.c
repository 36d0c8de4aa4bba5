/*
 * PCI configuration access (ECAM from the ACPI MCFG table, else the type 1
 * ports) and the boot-time enumeration of the devices the firmware set up.
 *
 * Invariants: a configuration access is always naturally aligned and inside
 * the function's config space (256 bytes for type 1, 4096 for ECAM), so a
 * caller's bad register number can never reach another function or memory
 * outside an ECAM window.  Enumeration visits each (segment, bus) at most
 * once whatever the bridges claim, so a bridge loop or a bogus secondary bus
 * number cannot make it run forever; bus numbers are taken as the firmware
 * assigned them (nothing is reprogrammed).  The device table has a fixed
 * capacity; functions beyond it are counted, not recorded.
 */
#include <keel/lib.h>
#include <keel/pci.h>
#include <keel/spinlock.h>
#include <asm/acpi.h>
#include <asm/io.h>

/* Type 1 configuration mechanism. */
#define PCI_CF8_ADDR_PORT    0xcf8
#define PCI_CF8_DATA_PORT    0xcfc
#define PCI_CF8_ENABLE       (1U << 31)
#define PCI_CF8_BUS_SHIFT    16
#define PCI_CF8_DEVFN_SHIFT  8
#define PCI_CF8_REG_MASK     0xfc     /* dword-aligned register */
#define PCI_CF8_BYTE_MASK    0x3      /* byte lane within the data port */

/* ECAM: 4 KiB per function, 1 MiB per bus. */
#define PCI_ECAM_DEVFN_SHIFT 12
#define PCI_ECAM_BUS_SHIFT   20
#define PCI_ECAM_BUS_SIZE    (1UL << PCI_ECAM_BUS_SHIFT)

#define PCI_VENDOR_ZERO      0x0000   /* also read from some empty slots */

#define BITS_PER_BYTE        8

struct pci_ecam_region {
    uint16_t seg;
    uint8_t bus_start, bus_end;      /* inclusive */
    volatile uint8_t *virt;          /* config space of bus_start */
};

/* (c) written by pci_enumerate() on the boot CPU only. */
static struct pci_ecam_region pci_ecam[ACPI_MAX_MCFG];
static unsigned int pci_nr_ecam;
static struct pci_dev pci_devs[PCI_MAX_DEVS];
static unsigned int pci_nr_recorded, pci_nr_dropped;

/* Serialises the address-then-data sequence on the type 1 ports. */
static DEFINE_SPINLOCK(pci_cf8_lock);

/*
 * Until there is an ioremap (IOREMAP_VIRT_START, uncached), ECAM is reached
 * through the direct map, which the boot code extends over the MCFG
 * ranges.  acpi_map() refuses anything beyond what the direct map covers,
 * so a bogus MCFG base costs us ECAM, never a page fault.
 */
void *pci_ecam_map(paddr_t base, size_t len)
{
    return acpi_map(base, len);
}

/* ---- Configuration access --------------------------------------------- */

static volatile void *pci_ecam_addr(uint16_t seg, uint8_t bus, uint8_t devfn,
                                    unsigned int reg)
{
    unsigned int i;

    for ( i = 0; i < pci_nr_ecam; i++ )
    {
        const struct pci_ecam_region *r = &pci_ecam[i];

        if ( r->seg == seg && bus >= r->bus_start && bus <= r->bus_end )
            return r->virt +
                   ((size_t)(bus - r->bus_start) << PCI_ECAM_BUS_SHIFT) +
                   ((size_t)devfn << PCI_ECAM_DEVFN_SHIFT) + reg;
    }
    return NULL;
}

/* Naturally aligned and inside a config space of `limit` bytes? */
static bool pci_reg_ok(unsigned int reg, unsigned int size,
                       unsigned int limit)
{
    return !(reg & (size - 1)) && reg < limit;
}

static uint32_t pci_cf8_addr(uint8_t bus, uint8_t devfn, unsigned int reg)
{
    return PCI_CF8_ENABLE | ((uint32_t)bus << PCI_CF8_BUS_SHIFT) |
           ((uint32_t)devfn << PCI_CF8_DEVFN_SHIFT) | (reg & PCI_CF8_REG_MASK);
}

static uint32_t pci_conf_read(uint16_t seg, uint8_t bus, uint8_t devfn,
                              unsigned int reg, unsigned int size)
{
    uint16_t port = PCI_CF8_DATA_PORT + (reg & PCI_CF8_BYTE_MASK);
    volatile void *p = NULL;
    uint32_t val;

    if ( pci_reg_ok(reg, size, PCI_EXT_CONF_SPACE_SIZE) )
        p = pci_ecam_addr(seg, bus, devfn, reg);
    if ( p )
    {
        switch ( size )
        {
        case sizeof(uint8_t):  return *(volatile uint8_t *)p;
        case sizeof(uint16_t): return *(volatile uint16_t *)p;
        default:               return *(volatile uint32_t *)p;
        }
    }

    if ( seg != 0 || !pci_reg_ok(reg, size, PCI_CONF_SPACE_SIZE) )
        return ~0U;

    spin_lock(&pci_cf8_lock);
    outl(pci_cf8_addr(bus, devfn, reg), PCI_CF8_ADDR_PORT);
    switch ( size )
    {
    case sizeof(uint8_t):  val = inb(port); break;
    case sizeof(uint16_t): val = inw(port); break;
    default:               val = inl(port); break;
    }
    spin_unlock(&pci_cf8_lock);
    return val;
}

static void pci_conf_write(uint16_t seg, uint8_t bus, uint8_t devfn,
                           unsigned int reg, unsigned int size, uint32_t val)
{
    uint16_t port = PCI_CF8_DATA_PORT + (reg & PCI_CF8_BYTE_MASK);
    volatile void *p = NULL;

    if ( pci_reg_ok(reg, size, PCI_EXT_CONF_SPACE_SIZE) )
        p = pci_ecam_addr(seg, bus, devfn, reg);
    if ( p )
    {
        switch ( size )
        {
        case sizeof(uint8_t):  *(volatile uint8_t *)p = val; break;
        case sizeof(uint16_t): *(volatile uint16_t *)p = val; break;
        default:               *(volatile uint32_t *)p = val; break;
        }
        return;
    }

    if ( seg != 0 || !pci_reg_ok(reg, size, PCI_CONF_SPACE_SIZE) )
        return;

    spin_lock(&pci_cf8_lock);
    outl(pci_cf8_addr(bus, devfn, reg), PCI_CF8_ADDR_PORT);
    switch ( size )
    {
    case sizeof(uint8_t):  outb(val, port); break;
    case sizeof(uint16_t): outw(val, port); break;
    default:               outl(val, port); break;
    }
    spin_unlock(&pci_cf8_lock);
}

uint8_t pci_conf_read8(uint16_t seg, uint8_t bus, uint8_t devfn,
                       unsigned int reg)
{
    return pci_conf_read(seg, bus, devfn, reg, sizeof(uint8_t));
}

uint16_t pci_conf_read16(uint16_t seg, uint8_t bus, uint8_t devfn,
                         unsigned int reg)
{
    return pci_conf_read(seg, bus, devfn, reg, sizeof(uint16_t));
}

uint32_t pci_conf_read32(uint16_t seg, uint8_t bus, uint8_t devfn,
                         unsigned int reg)
{
    return pci_conf_read(seg, bus, devfn, reg, sizeof(uint32_t));
}

void pci_conf_write8(uint16_t seg, uint8_t bus, uint8_t devfn,
                     unsigned int reg, uint8_t val)
{
    pci_conf_write(seg, bus, devfn, reg, sizeof(uint8_t), val);
}

void pci_conf_write16(uint16_t seg, uint8_t bus, uint8_t devfn,
                      unsigned int reg, uint16_t val)
{
    pci_conf_write(seg, bus, devfn, reg, sizeof(uint16_t), val);
}

void pci_conf_write32(uint16_t seg, uint8_t bus, uint8_t devfn,
                      unsigned int reg, uint32_t val)
{
    pci_conf_write(seg, bus, devfn, reg, sizeof(uint32_t), val);
}

/* ---- ECAM setup ------------------------------------------------------- */

static bool pci_ecam_overlaps(uint16_t seg, uint8_t start, uint8_t end)
{
    unsigned int i;

    for ( i = 0; i < pci_nr_ecam; i++ )
        if ( pci_ecam[i].seg == seg && start <= pci_ecam[i].bus_end &&
             end >= pci_ecam[i].bus_start )
            return true;
    return false;
}

/* Take the MCFG segments from ACPI; acpi_info is not trusted blindly. */
static void pci_ecam_init(void)
{
    unsigned int i, nr = MIN(acpi_info.nr_mcfg, ARRAY_SIZE(pci_ecam));

    pci_nr_ecam = 0;
    for ( i = 0; i < nr; i++ )
    {
        const struct acpi_mcfg_seg *m = &acpi_info.mcfg[i];
        paddr_t start, len;
        void *virt;

        if ( m->bus_start > m->bus_end || !m->base ||
             (m->base & (PCI_ECAM_BUS_SIZE - 1)) )
        {
            printk(KLOG_WARNING "PCI: ECAM segment %u at 0x%lx unusable\n",
                   m->seg, (unsigned long)m->base);
            continue;
        }
        start = m->base + ((paddr_t)m->bus_start << PCI_ECAM_BUS_SHIFT);
        len = (paddr_t)(m->bus_end - m->bus_start + 1) << PCI_ECAM_BUS_SHIFT;
        if ( start < m->base || start + len < start )
        {
            printk(KLOG_WARNING "PCI: ECAM segment %u at 0x%lx wraps\n",
                   m->seg, (unsigned long)m->base);
            continue;
        }
        if ( pci_ecam_overlaps(m->seg, m->bus_start, m->bus_end) )
        {
            printk(KLOG_WARNING "PCI: ECAM segment %u buses %02x-%02x "
                   "overlaps an earlier one, ignored\n",
                   m->seg, m->bus_start, m->bus_end);
            continue;
        }
        virt = pci_ecam_map(start, len);
        if ( !virt )
        {
            printk(KLOG_WARNING "PCI: cannot map ECAM at 0x%lx\n",
                   (unsigned long)start);
            continue;
        }
        pci_ecam[pci_nr_ecam].seg = m->seg;
        pci_ecam[pci_nr_ecam].bus_start = m->bus_start;
        pci_ecam[pci_nr_ecam].bus_end = m->bus_end;
        pci_ecam[pci_nr_ecam].virt = virt;
        pci_nr_ecam++;
    }
}

/* ---- Class names for the log ------------------------------------------ */

#define PCI_CLASS_MATCH_ALL   0xffffff   /* base, sub-class and prog-if */
#define PCI_CLASS_MATCH_SUB   0xffff00   /* base and sub-class */
#define PCI_CLASS_MATCH_BASE  0xff0000   /* base class */

/* Codes from the PCI Code and ID Assignment spec; most specific first. */
static const struct pci_class_name {
    uint32_t class, mask;
    const char *name;
} pci_class_names[] = {
    { 0x010601, PCI_CLASS_MATCH_ALL,  "storage: SATA AHCI" },
    { 0x010802, PCI_CLASS_MATCH_ALL,  "storage: NVMe" },
    { 0x0c0300, PCI_CLASS_MATCH_ALL,  "serial bus: USB UHCI" },
    { 0x0c0310, PCI_CLASS_MATCH_ALL,  "serial bus: USB OHCI" },
    { 0x0c0320, PCI_CLASS_MATCH_ALL,  "serial bus: USB EHCI" },
    { 0x0c0330, PCI_CLASS_MATCH_ALL,  "serial bus: USB xHCI" },
    { 0x000100, PCI_CLASS_MATCH_SUB,  "legacy: VGA" },
    { 0x010000, PCI_CLASS_MATCH_SUB,  "storage: SCSI" },
    { 0x010100, PCI_CLASS_MATCH_SUB,  "storage: IDE" },
    { 0x010500, PCI_CLASS_MATCH_SUB,  "storage: ATA" },
    { 0x010600, PCI_CLASS_MATCH_SUB,  "storage: SATA" },
    { 0x010700, PCI_CLASS_MATCH_SUB,  "storage: SAS" },
    { 0x010800, PCI_CLASS_MATCH_SUB,  "storage: NVM" },
    { 0x020000, PCI_CLASS_MATCH_SUB,  "network: Ethernet" },
    { 0x030000, PCI_CLASS_MATCH_SUB,  "display: VGA" },
    { 0x040100, PCI_CLASS_MATCH_SUB,  "multimedia: audio" },
    { 0x040300, PCI_CLASS_MATCH_SUB,  "multimedia: HD audio" },
    { 0x060000, PCI_CLASS_MATCH_SUB,  "bridge: host" },
    { 0x060100, PCI_CLASS_MATCH_SUB,  "bridge: ISA" },
    { 0x060400, PCI_CLASS_MATCH_SUB,  "bridge: PCI-PCI" },
    { 0x060700, PCI_CLASS_MATCH_SUB,  "bridge: CardBus" },
    { 0x070000, PCI_CLASS_MATCH_SUB,  "comms: serial" },
    { 0x080000, PCI_CLASS_MATCH_SUB,  "system: PIC" },
    { 0x080600, PCI_CLASS_MATCH_SUB,  "system: IOMMU" },
    { 0x0c0300, PCI_CLASS_MATCH_SUB,  "serial bus: USB" },
    { 0x0c0500, PCI_CLASS_MATCH_SUB,  "serial bus: SMBus" },
    { 0x000000, PCI_CLASS_MATCH_BASE, "legacy" },
    { 0x010000, PCI_CLASS_MATCH_BASE, "storage" },
    { 0x020000, PCI_CLASS_MATCH_BASE, "network" },
    { 0x030000, PCI_CLASS_MATCH_BASE, "display" },
    { 0x040000, PCI_CLASS_MATCH_BASE, "multimedia" },
    { 0x050000, PCI_CLASS_MATCH_BASE, "memory" },
    { 0x060000, PCI_CLASS_MATCH_BASE, "bridge" },
    { 0x070000, PCI_CLASS_MATCH_BASE, "comms" },
    { 0x080000, PCI_CLASS_MATCH_BASE, "system" },
    { 0x090000, PCI_CLASS_MATCH_BASE, "input" },
    { 0x0c0000, PCI_CLASS_MATCH_BASE, "serial bus" },
    { 0x0d0000, PCI_CLASS_MATCH_BASE, "wireless" },
    { 0x100000, PCI_CLASS_MATCH_BASE, "crypto" },
    { 0x110000, PCI_CLASS_MATCH_BASE, "signal processing" },
    { 0x120000, PCI_CLASS_MATCH_BASE, "accelerator" },
};

static const char *pci_class_name(uint32_t class)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(pci_class_names); i++ )
        if ( (class & pci_class_names[i].mask) == pci_class_names[i].class )
            return pci_class_names[i].name;
    return "other";
}

/* ---- Enumeration ------------------------------------------------------ */

struct pci_bus_queue {
    uint8_t bus[PCI_BUSES_PER_SEG];  /* each bus queued at most once */
    unsigned int head, tail;
    uint8_t seen[PCI_BUSES_PER_SEG / BITS_PER_BYTE];
};

/* Queue `bus` unless it was queued before; false if it was. */
static bool pci_queue_bus(struct pci_bus_queue *q, uint8_t bus)
{
    uint8_t bit = 1U << (bus % BITS_PER_BYTE);

    if ( q->seen[bus / BITS_PER_BYTE] & bit )
        return false;
    q->seen[bus / BITS_PER_BYTE] |= bit;
    q->bus[q->tail++] = bus;         /* < PCI_BUSES_PER_SEG: one per bus */
    return true;
}

static void pci_record(const struct pci_dev *pdev)
{
    char extra[32] = "";

    if ( pci_nr_recorded == PCI_MAX_DEVS )
    {
        pci_nr_dropped++;
        return;
    }
    pci_devs[pci_nr_recorded++] = *pdev;

    if ( pdev->hdr_type != PCI_HEADER_TYPE_NORMAL )
        snprintf(extra, sizeof(extra), " -> buses %02x-%02x",
                 pdev->secondary_bus, pdev->subordinate_bus);
    printk("PCI: %04x:%02x:%02x.%u [%04x:%04x] class %06x (%s)%s\n",
           pdev->seg, pdev->bus, PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn),
           pdev->vendor, pdev->device, pdev->class,
           pci_class_name(pdev->class), extra);
}

/* Probe one function; returns false if nothing answers there. */
static bool pci_probe_fn(uint16_t seg, uint8_t bus, uint8_t devfn,
                         struct pci_dev *pdev)
{
    uint32_t class_rev;
    uint8_t hdr;

    pdev->vendor = pci_conf_read16(seg, bus, devfn, PCI_VENDOR_ID);
    if ( pdev->vendor == PCI_VENDOR_NONE || pdev->vendor == PCI_VENDOR_ZERO )
        return false;

    pdev->seg = seg;
    pdev->bus = bus;
    pdev->devfn = devfn;
    pdev->device = pci_conf_read16(seg, bus, devfn, PCI_DEVICE_ID);
    class_rev = pci_conf_read32(seg, bus, devfn, PCI_CLASS_REVISION);
    pdev->class = class_rev >> PCI_CLASS_SHIFT;
    pdev->revision = class_rev & PCI_REVISION_MASK;
    hdr = pci_conf_read8(seg, bus, devfn, PCI_HEADER_TYPE);
    pdev->hdr_type = hdr & PCI_HEADER_TYPE_MASK;
    pdev->multifunction = hdr & PCI_HEADER_TYPE_MULTI;
    pdev->secondary_bus = pdev->subordinate_bus = 0;
    if ( pdev->hdr_type == PCI_HEADER_TYPE_BRIDGE ||
         pdev->hdr_type == PCI_HEADER_TYPE_CARDBUS )
    {
        pdev->secondary_bus = pci_conf_read8(seg, bus, devfn,
                                             PCI_SECONDARY_BUS);
        pdev->subordinate_bus = pci_conf_read8(seg, bus, devfn,
                                               PCI_SUBORDINATE_BUS);
    }
    return true;
}

static unsigned int pci_scan_bus(uint16_t seg, uint8_t bus,
                                 struct pci_bus_queue *q)
{
    unsigned int slot, fn, nr_fn, found = 0;

    for ( slot = 0; slot < PCI_SLOTS_PER_BUS; slot++ )
    {
        nr_fn = 1;
        for ( fn = 0; fn < nr_fn; fn++ )
        {
            struct pci_dev pdev;

            if ( !pci_probe_fn(seg, bus, PCI_DEVFN(slot, fn), &pdev) )
                continue;
            if ( fn == 0 && pdev.multifunction )
                nr_fn = PCI_FUNCS_PER_SLOT;
            found++;
            pci_record(&pdev);

            if ( pdev.hdr_type == PCI_HEADER_TYPE_NORMAL )
                continue;
            if ( pdev.secondary_bus == 0 )
                printk(KLOG_WARNING "PCI: %04x:%02x:%02x.%u: bridge without "
                       "a secondary bus, not followed\n",
                       seg, bus, slot, fn);
            else if ( !pci_queue_bus(q, pdev.secondary_bus) )
                printk(KLOG_WARNING "PCI: %04x:%02x:%02x.%u: secondary bus "
                       "%02x already scanned, not followed\n",
                       seg, bus, slot, fn, pdev.secondary_bus);
        }
    }
    return found;
}

/* Breadth-first from the segment's root buses; each bus at most once. */
static unsigned int pci_scan_segment(uint16_t seg)
{
    struct pci_bus_queue q = { .head = 0, .tail = 0 };
    unsigned int i, found = 0;

    if ( seg == 0 )
        pci_queue_bus(&q, 0);
    for ( i = 0; i < pci_nr_ecam; i++ )
        if ( pci_ecam[i].seg == seg )
            pci_queue_bus(&q, pci_ecam[i].bus_start);

    while ( q.head < q.tail )
        found += pci_scan_bus(seg, q.bus[q.head++], &q);
    return found;
}

int pci_enumerate(void)
{
    unsigned int i, j, found;

    pci_nr_recorded = pci_nr_dropped = 0;
    pci_ecam_init();

    found = pci_scan_segment(0);
    for ( i = 0; i < pci_nr_ecam; i++ )
    {
        /* Each other segment once, on its first region. */
        for ( j = 0; j < i; j++ )
            if ( pci_ecam[j].seg == pci_ecam[i].seg )
                break;
        if ( j == i && pci_ecam[i].seg != 0 )
            found += pci_scan_segment(pci_ecam[i].seg);
    }

    if ( pci_nr_dropped )
        printk(KLOG_WARNING "PCI: %u functions beyond the table capacity of "
               "%u not recorded\n", pci_nr_dropped, PCI_MAX_DEVS);
    printk("PCI: %u devices found (config access: %s)\n", found,
           pci_nr_ecam ? "ECAM" : "type 1");
    return found;
}

unsigned int pci_nr_devs(void)
{
    return pci_nr_recorded;
}

const struct pci_dev *pci_dev_get(unsigned int idx)
{
    return idx < pci_nr_recorded ? &pci_devs[idx] : NULL;
}

const struct pci_dev *pci_find_dev(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    unsigned int i;

    for ( i = 0; i < pci_nr_recorded; i++ )
        if ( pci_devs[i].seg == seg && pci_devs[i].bus == bus &&
             pci_devs[i].devfn == devfn )
            return &pci_devs[i];
    return NULL;
}
