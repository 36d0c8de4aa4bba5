/*
 * Host tests for drivers/pci/pci.c.  One fake configuration space serves
 * both access methods: it lives in the host buffer standing in for the
 * direct map, laid out as an ECAM window (1 MiB per bus, 4 KiB per
 * function), and the stub port I/O hooks below decode 0xcf8/0xcfc cycles
 * into the same bytes.  Absent functions read all ones.  tables.c is
 * linked for acpi_map() and acpi_info, which the tests fill in directly.
 */
#include "harness.h"
#include <keel/lib.h>
#include <keel/pci.h>
#include <asm/acpi.h>
#include <asm/page.h>     /* stub_directmap_base */
#include <asm/io.h>


#define MEM_SIZE      (16UL << 20)
#define ECAM_PA       (8UL << 20)       /* seg 0, buses 0-7 */
#define FAKE_BUSES    8
#define ECAM2_PA      (2UL << 20)       /* seg 1, buses 0-1 */
#define FAKE_BUSES2   2
#define BUS_SIZE      (1UL << 20)
#define FN_SIZE       4096

#define CF8_PORT      0xcf8
#define CFC_PORT      0xcfc
#define CF8_ENABLE    0x80000000U

static uint8_t *mem;
static uint32_t cf8;
static unsigned int port_accesses;
static bool port_misuse;

static uint8_t *cfg_seg(paddr_t ecam, uint8_t bus, uint8_t devfn)
{
    return mem + ecam + bus * BUS_SIZE + (size_t)devfn * FN_SIZE;
}

static uint8_t *cfg(uint8_t bus, uint8_t devfn)
{
    return cfg_seg(ECAM_PA, bus, devfn);
}

/* ---- Type 1 ports over the fake ---------------------------------------- */

static uint8_t *cf8_target(uint16_t port, unsigned int size)
{
    unsigned int bus = (cf8 >> 16) & 0xff, devfn = (cf8 >> 8) & 0xff;
    unsigned int reg = (cf8 & 0xfc) + (port - CFC_PORT);

    if ( !(cf8 & CF8_ENABLE) || (reg & (size - 1)) ||
         (port - CFC_PORT) + size > 4 )
    {
        port_misuse = true;
        return NULL;
    }
    return bus < FAKE_BUSES ? cfg(bus, devfn) + reg : NULL;
}

uint32_t stub_port_in(uint16_t port, unsigned int size)
{
    uint32_t v = ~0U;
    uint8_t *p;

    port_accesses++;
    if ( port == CF8_PORT && size == 4 )
        return cf8;
    if ( port < CFC_PORT || port > CFC_PORT + 3 )
    {
        port_misuse = true;
        return v;
    }
    p = cf8_target(port, size);
    if ( p )
    {
        v = 0;
        memcpy(&v, p, size);
    }
    return size == 4 ? v : v & ((1U << (size * 8)) - 1);
}

void stub_port_out(uint16_t port, unsigned int size, uint32_t val)
{
    uint8_t *p;

    port_accesses++;
    if ( port == CF8_PORT && size == 4 )
    {
        cf8 = val;
        return;
    }
    if ( port < CFC_PORT || port > CFC_PORT + 3 )
    {
        port_misuse = true;
        return;
    }
    p = cf8_target(port, size);
    if ( p )
        memcpy(p, &val, size);
}

/* ---- Fake devices ------------------------------------------------------ */

static uint8_t *add_fn_at(paddr_t ecam, uint8_t bus, uint8_t dev, uint8_t fn,
                          uint16_t vendor, uint16_t device, uint32_t class,
                          uint8_t hdr)
{
    uint8_t *c = cfg_seg(ecam, bus, PCI_DEVFN(dev, fn));
    uint32_t class_rev = class << 8 | 0x01;

    memset(c, 0, FN_SIZE);
    memcpy(c + PCI_VENDOR_ID, &vendor, 2);
    memcpy(c + PCI_DEVICE_ID, &device, 2);
    memcpy(c + PCI_CLASS_REVISION, &class_rev, 4);
    c[PCI_HEADER_TYPE] = hdr;
    return c;
}

static uint8_t *add_fn(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t vendor,
                       uint16_t device, uint32_t class, uint8_t hdr)
{
    return add_fn_at(ECAM_PA, bus, dev, fn, vendor, device, class, hdr);
}

static void add_bridge(uint8_t bus, uint8_t dev, uint8_t sec, uint8_t sub)
{
    uint8_t *c = add_fn(bus, dev, 0, 0x1b36, 0x000c, 0x060400,
                        PCI_HEADER_TYPE_BRIDGE);

    c[PCI_PRIMARY_BUS] = bus;
    c[PCI_SECONDARY_BUS] = sec;
    c[PCI_SUBORDINATE_BUS] = sub;
}

static bool logged(const char *s)
{
    return strstr(stub_printk_buf, s) != NULL;
}

static void reset(void)
{
    memset(mem, 0, MEM_SIZE);
    memset(mem + ECAM_PA, 0xff, FAKE_BUSES * BUS_SIZE);
    memset(mem + ECAM2_PA, 0xff, FAKE_BUSES2 * BUS_SIZE);
    memset(&acpi_info, 0, sizeof(acpi_info));  /* pci.c reads MCFG here */
    acpi_set_map_limit(MEM_SIZE);
    cf8 = 0;
    port_accesses = 0;
    port_misuse = false;
    stub_printk_reset();
}

static void use_ecam(uint8_t bus_end)
{
    acpi_info.nr_mcfg = 1;
    acpi_info.mcfg[0].base = ECAM_PA;
    acpi_info.mcfg[0].seg = 0;
    acpi_info.mcfg[0].bus_start = 0;
    acpi_info.mcfg[0].bus_end = bus_end;
}

/* A few q35 devices. */
static void build_q35(void)
{
    add_fn(0, 0, 0, 0x8086, 0x29c0, 0x060000, PCI_HEADER_TYPE_NORMAL);
    add_fn(0, 1, 0, 0x1234, 0x1111, 0x030000, PCI_HEADER_TYPE_NORMAL);
    add_fn(0, 0x1f, 0, 0x8086, 0x2918, 0x060100,
           PCI_HEADER_TYPE_NORMAL | PCI_HEADER_TYPE_MULTI);
    add_fn(0, 0x1f, 2, 0x8086, 0x2922, 0x010601, PCI_HEADER_TYPE_NORMAL);
    add_fn(0, 0x1f, 3, 0x8086, 0x2930, 0x0c0500, PCI_HEADER_TYPE_NORMAL);
}

/* ---- Tests ------------------------------------------------------------- */

TEST(empty_bus)
{
    reset();
    CHECK_EQ(pci_enumerate(), 0);
    CHECK_EQ(pci_nr_devs(), 0);
    CHECK(logged("PCI: 0 devices found (config access: type 1)\n"));
    CHECK(!port_misuse);
}

TEST(q35_type1)
{
    const struct pci_dev *d;

    reset();
    build_q35();
    CHECK_EQ(pci_enumerate(), 5);
    CHECK_EQ(pci_nr_devs(), 5);
    CHECK(port_accesses > 0);
    CHECK(!port_misuse);
    CHECK(logged("PCI: 0000:00:00.0 [8086:29c0] "
                 "class 060000 (bridge: host)\n"));
    CHECK(logged("PCI: 0000:00:01.0 [1234:1111] "
                 "class 030000 (display: VGA)\n"));
    CHECK(logged("PCI: 0000:00:1f.0 [8086:2918] "
                 "class 060100 (bridge: ISA)\n"));
    CHECK(logged("PCI: 0000:00:1f.2 [8086:2922] class 010601 "
                 "(storage: SATA AHCI)\n"));
    CHECK(logged("PCI: 0000:00:1f.3 [8086:2930] class 0c0500 "
                 "(serial bus: SMBus)\n"));
    CHECK(logged("PCI: 5 devices found (config access: type 1)\n"));

    d = pci_find_dev(0, 0, PCI_DEVFN(0x1f, 2));
    CHECK(d != NULL);
    if ( d )
    {
        CHECK_EQ(d->vendor, 0x8086);
        CHECK_EQ(d->device, 0x2922);
        CHECK_EQ(d->class, 0x010601);
        CHECK_EQ(d->revision, 1);
        CHECK_EQ(d->hdr_type, PCI_HEADER_TYPE_NORMAL);
        CHECK(!d->multifunction);
    }
    d = pci_find_dev(0, 0, PCI_DEVFN(0x1f, 0));
    CHECK(d && d->multifunction);
    CHECK(pci_find_dev(0, 0, PCI_DEVFN(0x1f, 1)) == NULL);
    CHECK(pci_dev_get(0) && pci_dev_get(0)->devfn == 0);
    CHECK(pci_dev_get(5) == NULL);
}

TEST(single_function_skips_other_functions)
{
    reset();
    add_fn(0, 3, 0, 0x8086, 0x100e, 0x020000, PCI_HEADER_TYPE_NORMAL);
    /* Not multi-function: function 1 must not even be looked at. */
    add_fn(0, 3, 1, 0x8086, 0x100f, 0x020000, PCI_HEADER_TYPE_NORMAL);
    CHECK_EQ(pci_enumerate(), 1);
    CHECK(logged("(network: Ethernet)"));
    CHECK(pci_find_dev(0, 0, PCI_DEVFN(3, 1)) == NULL);
}

TEST(multi_function_with_holes)
{
    reset();
    add_fn(0, 5, 0, 0x8086, 0x1, 0x0c0330,
           PCI_HEADER_TYPE_NORMAL | PCI_HEADER_TYPE_MULTI);
    add_fn(0, 5, 3, 0x8086, 0x2, 0x0c0320, PCI_HEADER_TYPE_NORMAL);
    add_fn(0, 5, 7, 0x8086, 0x3, 0xff0000, PCI_HEADER_TYPE_NORMAL);
    CHECK_EQ(pci_enumerate(), 3);
    CHECK(logged("PCI: 0000:00:05.0 [8086:0001] class 0c0330 "
                 "(serial bus: USB xHCI)\n"));
    CHECK(logged("PCI: 0000:00:05.3 [8086:0002] class 0c0320 "
                 "(serial bus: USB EHCI)\n"));
    CHECK(logged("PCI: 0000:00:05.7 [8086:0003] class ff0000 (other)\n"));
}

TEST(absent_vendor_values)
{
    reset();
    add_fn(0, 2, 0, 0x0000, 0x1234, 0x020000, PCI_HEADER_TYPE_NORMAL);
    add_fn(0, 4, 0, 0xffff, 0x1234, 0x020000, PCI_HEADER_TYPE_NORMAL);
    add_fn(0, 6, 0, 0x8086, 0x1234, 0x020000, PCI_HEADER_TYPE_NORMAL);
    CHECK_EQ(pci_enumerate(), 1);
    CHECK(pci_find_dev(0, 0, PCI_DEVFN(6, 0)) != NULL);
}

TEST(bridge_to_bus1)
{
    const struct pci_dev *d;

    reset();
    build_q35();
    add_bridge(0, 2, 1, 1);
    add_fn(1, 0, 0, 0x1af4, 0x1041, 0x020000, PCI_HEADER_TYPE_NORMAL);
    /* Bus 2 is behind no bridge: never scanned. */
    add_fn(2, 0, 0, 0x1af4, 0x1042, 0x010000, PCI_HEADER_TYPE_NORMAL);
    CHECK_EQ(pci_enumerate(), 7);
    CHECK(logged("PCI: 0000:00:02.0 [1b36:000c] class 060400 "
                 "(bridge: PCI-PCI) -> buses 01-01\n"));
    CHECK(logged("PCI: 0000:01:00.0 [1af4:1041] class 020000 "
                 "(network: Ethernet)\n"));
    CHECK(pci_find_dev(0, 2, 0) == NULL);
    d = pci_find_dev(0, 0, PCI_DEVFN(2, 0));
    CHECK(d && d->hdr_type == PCI_HEADER_TYPE_BRIDGE &&
          d->secondary_bus == 1 && d->subordinate_bus == 1);
}

TEST(bridge_loops_terminate)
{
    reset();
    add_bridge(0, 1, 0, 0);         /* secondary bus is bus 0 itself */
    add_bridge(0, 2, 1, 3);
    add_bridge(1, 0, 1, 1);         /* points at its own bus */
    add_bridge(1, 1, 2, 3);
    add_bridge(1, 2, 2, 3);         /* second way to bus 2 */
    add_bridge(2, 0, 1, 1);         /* back up to bus 1 */
    add_fn(2, 5, 0, 0x1af4, 0x1000, 0x020000, PCI_HEADER_TYPE_NORMAL);
    CHECK_EQ(pci_enumerate(), 7);
    CHECK_EQ(pci_nr_devs(), 7);
    CHECK(pci_find_dev(0, 2, PCI_DEVFN(5, 0)) != NULL);
    CHECK(logged("PCI: 0000:00:01.0: bridge without a secondary bus, "
                 "not followed"));
    CHECK(logged("PCI: 0000:01:00.0: secondary bus 01 already scanned"));
    CHECK(logged("PCI: 0000:01:02.0: secondary bus 02 already scanned"));
    CHECK(logged("PCI: 0000:02:00.0: secondary bus 01 already scanned"));
}

TEST(every_bus_bridged_once)
{
    unsigned int bus;

    /* A chain 0 -> 1 -> ... -> 7 plus bridges on every bus pointing back
     * to every earlier bus: still each bus once. */
    reset();
    for ( bus = 0; bus + 1 < FAKE_BUSES; bus++ )
    {
        unsigned int back;

        add_bridge(bus, 0, bus + 1, FAKE_BUSES - 1);
        for ( back = 0; back < bus; back++ )
            add_bridge(bus, 1 + back, back, back);
    }
    add_fn(FAKE_BUSES - 1, 9, 0, 0x1af4, 0x1000, 0x020000,
           PCI_HEADER_TYPE_NORMAL);
    /* 7 chain bridges, 0+1+...+6 = 21 back bridges, 1 endpoint. */
    CHECK_EQ(pci_enumerate(), 7 + 21 + 1);
    CHECK(pci_find_dev(0, FAKE_BUSES - 1, PCI_DEVFN(9, 0)) != NULL);
}

TEST(table_overflow)
{
    unsigned int bus, slot, fn;

    reset();
    add_bridge(0, 0, 1, 1);
    for ( bus = 0; bus < 2; bus++ )
        for ( slot = bus == 0 ? 1 : 0; slot < PCI_SLOTS_PER_BUS; slot++ )
            for ( fn = 0; fn < PCI_FUNCS_PER_SLOT; fn++ )
                add_fn(bus, slot, fn, 0x8086, slot << 8 | fn, 0x088000,
                       fn ? 0 : PCI_HEADER_TYPE_MULTI);
    /* Bus 0: bridge + 31 * 8; bus 1: 32 * 8. */
    CHECK_EQ(pci_enumerate(), 1 + 31 * 8 + 32 * 8);
    CHECK_EQ(pci_nr_devs(), PCI_MAX_DEVS);
    CHECK(logged("PCI: 249 functions beyond the table capacity of 256 not "
                 "recorded"));
    CHECK(logged("PCI: 505 devices found"));
    CHECK(pci_dev_get(PCI_MAX_DEVS - 1) != NULL);
    CHECK(pci_dev_get(PCI_MAX_DEVS) == NULL);

    /* Enumerating again starts from an empty table. */
    reset();
    build_q35();
    CHECK_EQ(pci_enumerate(), 5);
    CHECK_EQ(pci_nr_devs(), 5);
}

TEST(ecam_enumeration_uses_no_ports)
{
    reset();
    build_q35();
    add_bridge(0, 2, 3, 3);
    add_fn(3, 0, 0, 0x144d, 0xa808, 0x010802, PCI_HEADER_TYPE_NORMAL);
    use_ecam(FAKE_BUSES - 1);
    CHECK_EQ(pci_enumerate(), 7);
    CHECK_EQ(port_accesses, 0);
    CHECK(logged("PCI: 0000:03:00.0 [144d:a808] class 010802 "
                 "(storage: NVMe)\n"));
    CHECK(logged("PCI: 7 devices found (config access: ECAM)\n"));
}

TEST(ecam_partial_coverage_falls_back_to_type1)
{
    reset();
    add_bridge(0, 2, 1, 1);
    add_fn(1, 0, 0, 0x1af4, 0x1041, 0x020000, PCI_HEADER_TYPE_NORMAL);
    use_ecam(0);                    /* ECAM for bus 0 only */
    CHECK_EQ(pci_enumerate(), 2);
    CHECK(port_accesses > 0);
    CHECK(!port_misuse);
    CHECK((cf8 >> 16 & 0xff) == 1); /* the last port cycle went to bus 1 */
}

TEST(ecam_register_access)
{
    uint8_t *c;
    uint32_t v = 0x12345678;

    reset();
    c = add_fn(0, 4, 0, 0x8086, 0x10d3, 0x020000, PCI_HEADER_TYPE_NORMAL);
    memcpy(c + 0x100, &v, 4);       /* an extended capability header */
    memcpy(c + 0xffc, &v, 4);
    use_ecam(FAKE_BUSES - 1);
    pci_enumerate();
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0x100), 0x12345678);
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0xffc), 0x12345678);
    CHECK_EQ(pci_conf_read16(0, 0, PCI_DEVFN(4, 0), 0x102), 0x1234);
    CHECK_EQ(pci_conf_read8(0, 0, PCI_DEVFN(4, 0), 0x101), 0x56);
    /* Out of range or misaligned: all ones, nothing touched. */
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0x1000), 0xffffffff);
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), ~0U - 3), 0xffffffff);
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0x102), 0xffffffff);
    CHECK_EQ(pci_conf_read16(0, 0, PCI_DEVFN(4, 0), 0x101), 0xffff);
    CHECK_EQ(port_accesses, 0);

    pci_conf_write32(0, 0, PCI_DEVFN(4, 0), 0x104, 0xcafef00d);
    pci_conf_write16(0, 0, PCI_DEVFN(4, 0), 0x108, 0xbeef);
    pci_conf_write8(0, 0, PCI_DEVFN(4, 0), 0x10b, 0x5a);
    pci_conf_write32(0, 0, PCI_DEVFN(4, 0), 0x1000, 0);   /* dropped */
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0x104), 0xcafef00d);
    CHECK_EQ(c[0x108] | c[0x109] << 8, 0xbeef);
    CHECK_EQ(c[0x10b], 0x5a);
    CHECK_EQ(cfg(0, PCI_DEVFN(4, 1))[0], 0xff);
}

TEST(type1_register_access)
{
    uint8_t *c;

    reset();
    c = add_fn(0, 4, 0, 0x8086, 0x10d3, 0x020000, PCI_HEADER_TYPE_NORMAL);
    c[0x3c] = 0x0b;
    pci_enumerate();                /* no MCFG: forget earlier ECAM */
    CHECK_EQ(pci_conf_read8(0, 0, PCI_DEVFN(4, 0), 0x3c), 0x0b);
    CHECK_EQ(pci_conf_read8(0, 0, PCI_DEVFN(4, 0), 0x0b), 0x02);
    CHECK_EQ(pci_conf_read16(0, 0, PCI_DEVFN(4, 0), 0x02), 0x10d3);
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0x00), 0x10d38086);
    CHECK(!port_misuse);

    port_accesses = 0;
    /* Beyond 256 bytes, misaligned, or another segment: no port cycle. */
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0x100), 0xffffffff);
    CHECK_EQ(pci_conf_read16(0, 0, PCI_DEVFN(4, 0), 0x03), 0xffff);
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0x02), 0xffffffff);
    CHECK_EQ(pci_conf_read32(1, 0, PCI_DEVFN(4, 0), 0x00), 0xffffffff);
    pci_conf_write32(0, 0, PCI_DEVFN(4, 0), 0x100, 0);
    pci_conf_write8(1, 0, PCI_DEVFN(4, 0), 0x3c, 0);
    CHECK_EQ(port_accesses, 0);

    pci_conf_write8(0, 0, PCI_DEVFN(4, 0), 0x3d, 0x01);
    pci_conf_write16(0, 0, PCI_DEVFN(4, 0), 0x06, 0x0010);
    pci_conf_write32(0, 0, PCI_DEVFN(4, 0), 0x10, 0xfebc0000);
    CHECK_EQ(c[0x3d], 0x01);
    CHECK_EQ(c[0x3c], 0x0b);
    CHECK_EQ(c[0x06] | c[0x07] << 8, 0x0010);
    CHECK_EQ(pci_conf_read32(0, 0, PCI_DEVFN(4, 0), 0x10), 0xfebc0000);
    CHECK(!port_misuse);
}

TEST(second_segment)
{
    reset();
    build_q35();
    add_fn_at(ECAM2_PA, 0, 0, 0, 0x8086, 0x0998, 0x060000,
              PCI_HEADER_TYPE_NORMAL);
    add_fn_at(ECAM2_PA, 1, 3, 0, 0x8086, 0x1572, 0x020000,
              PCI_HEADER_TYPE_NORMAL);          /* bus 1: no bridge to it */
    use_ecam(FAKE_BUSES - 1);
    acpi_info.nr_mcfg = 2;
    acpi_info.mcfg[1].base = ECAM2_PA;
    acpi_info.mcfg[1].seg = 1;
    acpi_info.mcfg[1].bus_start = 0;
    acpi_info.mcfg[1].bus_end = FAKE_BUSES2 - 1;
    CHECK_EQ(pci_enumerate(), 6);
    CHECK(logged("PCI: 0001:00:00.0 [8086:0998] class 060000 (bridge: host)"));
    CHECK(pci_find_dev(1, 0, 0) != NULL);
    CHECK(pci_find_dev(1, 1, PCI_DEVFN(3, 0)) == NULL);
    CHECK_EQ(pci_conf_read16(1, 1, PCI_DEVFN(3, 0), PCI_VENDOR_ID), 0x8086);
    CHECK_EQ(pci_conf_read16(1, 2, 0, PCI_VENDOR_ID), 0xffff);
    CHECK_EQ(port_accesses, 0);
}

TEST(bad_mcfg_regions_ignored)
{
    reset();
    build_q35();
    acpi_info.nr_mcfg = 4;
    acpi_info.mcfg[0] = (struct acpi_mcfg_seg){ ECAM_PA + 0x1000, 0, 0, 7 };
    acpi_info.mcfg[1] = (struct acpi_mcfg_seg){ ECAM_PA, 0, 5, 2 };
    acpi_info.mcfg[2] = (struct acpi_mcfg_seg){ 0, 0, 0, 7 };
    acpi_info.mcfg[3] = (struct acpi_mcfg_seg){ ~0ULL << 20, 0, 0, 0xff };
    CHECK_EQ(pci_enumerate(), 5);
    CHECK(port_accesses > 0);
    CHECK(logged("PCI: 5 devices found (config access: type 1)"));
    CHECK(logged("PCI: ECAM segment 0 at 0x801000 unusable"));
    CHECK(logged("PCI: ECAM segment 0 at 0xfffffffffff00000 wraps"));

    /* A second region for the same buses is refused, the first kept. */
    reset();
    build_q35();
    acpi_info.nr_mcfg = 2;
    acpi_info.mcfg[0] = (struct acpi_mcfg_seg){ ECAM_PA, 0, 0, 7 };
    acpi_info.mcfg[1] = (struct acpi_mcfg_seg){ ECAM2_PA, 0, 1, 1 };
    CHECK_EQ(pci_enumerate(), 5);
    CHECK_EQ(port_accesses, 0);
    CHECK(logged("PCI: ECAM segment 0 buses 01-01 overlaps an earlier one"));

    /* An MCFG range beyond the direct map is not used. */
    reset();
    build_q35();
    acpi_info.nr_mcfg = 1;
    acpi_info.mcfg[0] = (struct acpi_mcfg_seg){ 0xe0000000, 0, 0, 0xff };
    CHECK_EQ(pci_enumerate(), 5);
    CHECK(port_accesses > 0);
    CHECK(logged("PCI: cannot map ECAM at 0xe0000000"));
}

int main(void)
{
    mem = calloc(1, MEM_SIZE);
    if ( !mem )
        return 2;
    stub_directmap_base = mem;

    RUN(empty_bus);
    RUN(q35_type1);
    RUN(single_function_skips_other_functions);
    RUN(multi_function_with_holes);
    RUN(absent_vendor_values);
    RUN(bridge_to_bus1);
    RUN(bridge_loops_terminate);
    RUN(every_bus_bridged_once);
    RUN(table_overflow);
    RUN(ecam_enumeration_uses_no_ports);
    RUN(ecam_partial_coverage_falls_back_to_type1);
    RUN(ecam_register_access);
    RUN(type1_register_access);
    RUN(second_segment);
    RUN(bad_mcfg_regions_ignored);

    free(mem);
    HARNESS_EXIT();
}
