/*
 * PCI configuration space access and the boot-time device list, owned by
 * drivers/pci/pci.c.
 *
 * Configuration space is reached through ECAM (memory mapped) when the ACPI
 * MCFG table describes a region covering the segment and bus, else through
 * the legacy type 1 ports 0xcf8/0xcfc (segment 0 only, registers 0-255).
 * ECAM regions are taken from acpi_info by pci_enumerate(); before that all
 * accesses use type 1.
 *
 * Locking: the type 1 address/data port pair is serialised by a private
 * lock; ECAM accesses need none.  The device list is written only by
 * pci_enumerate() on the boot CPU and read-only afterwards.
 */
#ifndef KEEL_PCI_H
#define KEEL_PCI_H

#include <keel/types.h>

#define PCI_DEVFN(dev, fn)   ((uint8_t)((((dev) & 0x1f) << 3) | ((fn) & 0x7)))
#define PCI_SLOT(devfn)      (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)      ((devfn) & 0x7)

#define PCI_BUSES_PER_SEG    256
#define PCI_SLOTS_PER_BUS    32
#define PCI_FUNCS_PER_SLOT   8

#define PCI_CONF_SPACE_SIZE      256    /* conventional (type 1 reach) */
#define PCI_EXT_CONF_SPACE_SIZE  4096   /* PCI Express (ECAM reach) */

/* Type 0/1 configuration header registers. */
#define PCI_VENDOR_ID        0x00
#define PCI_DEVICE_ID        0x02
#define PCI_COMMAND          0x04
#define PCI_STATUS           0x06
#define PCI_CLASS_REVISION   0x08   /* revision in bits 0-7, class above */
#define PCI_HEADER_TYPE      0x0e
#define PCI_PRIMARY_BUS      0x18   /* bridges (header types 1 and 2) */
#define PCI_SECONDARY_BUS    0x19
#define PCI_SUBORDINATE_BUS  0x1a

#define PCI_CLASS_SHIFT          8      /* of PCI_CLASS_REVISION */
#define PCI_REVISION_MASK        0xff

#define PCI_HEADER_TYPE_MASK     0x7f
#define PCI_HEADER_TYPE_MULTI    0x80   /* function 0: functions 1-7 exist */
#define PCI_HEADER_TYPE_NORMAL   0
#define PCI_HEADER_TYPE_BRIDGE   1
#define PCI_HEADER_TYPE_CARDBUS  2

#define PCI_VENDOR_NONE          0xffff /* what an absent function reads */

/*
 * Configuration accessors.  `reg` must be naturally aligned for the access
 * size and below 4096 (ECAM) or 256 (type 1).  A read that cannot be done
 * (bad register, segment without ECAM) returns all ones, as an absent
 * device does; such a write is dropped.
 */
uint8_t pci_conf_read8(uint16_t seg, uint8_t bus, uint8_t devfn,
                       unsigned int reg);
uint16_t pci_conf_read16(uint16_t seg, uint8_t bus, uint8_t devfn,
                         unsigned int reg);
uint32_t pci_conf_read32(uint16_t seg, uint8_t bus, uint8_t devfn,
                         unsigned int reg);
void pci_conf_write8(uint16_t seg, uint8_t bus, uint8_t devfn,
                     unsigned int reg, uint8_t val);
void pci_conf_write16(uint16_t seg, uint8_t bus, uint8_t devfn,
                      unsigned int reg, uint16_t val);
void pci_conf_write32(uint16_t seg, uint8_t bus, uint8_t devfn,
                      unsigned int reg, uint32_t val);

/*
 * Arch hook: hypervisor pointer to the ECAM range [base, base + len), or
 * NULL if it is not mapped (the segment then has no ECAM).  For now this
 * is the direct map, so the boot code must extend the direct map over the
 * MCFG ranges: on q35 ECAM is at 0xb0000000, above RAM.
 */
void *pci_ecam_map(paddr_t base, size_t len);

#define PCI_MAX_DEVS 256

struct pci_dev {
    uint16_t seg;
    uint8_t bus, devfn;
    uint16_t vendor, device;
    uint32_t class;                  /* base << 16 | sub << 8 | prog-if */
    uint8_t revision;
    uint8_t hdr_type;                /* PCI_HEADER_TYPE_*, multi bit clear */
    bool multifunction;              /* function 0 had the multi bit */
    uint8_t secondary_bus;           /* bridges only, else 0 */
    uint8_t subordinate_bus;
};

/*
 * Set up ECAM from acpi_info.mcfg, then scan every bus reachable from
 * bus 0 (and from the first bus of each other ECAM segment) through
 * bridges, each bus at most once.  Logs one line per function and a
 * summary.  Returns the number of functions found; only the first
 * PCI_MAX_DEVS are recorded (the rest are counted and warned about).
 * May be called again: the list is rebuilt.
 */
int pci_enumerate(void);

/* The recorded functions, in scan order: index < pci_nr_devs(). */
unsigned int pci_nr_devs(void);
const struct pci_dev *pci_dev_get(unsigned int idx);
const struct pci_dev *pci_find_dev(uint16_t seg, uint8_t bus, uint8_t devfn);

#endif /* KEEL_PCI_H */
