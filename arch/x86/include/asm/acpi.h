/*
 * ACPI static tables: the firmware layouts the hypervisor reads and the
 * summary it keeps (struct acpi_info).  arch/x86/acpi/tables.c owns both.
 *
 * Boot order: the boot code calls acpi_set_map_limit() once it knows how
 * much of the physical address space the direct map covers (default 4 GiB),
 * then acpi_boot_init().  acpi_info is written only by acpi_boot_init() on
 * the boot CPU and is read-only afterwards: no lock.
 *
 * Everything in the tables is untrusted: each table's length and checksum
 * are checked before its body is read, and every walk is bounded by the
 * table length and by the capacities below.  Entries beyond a capacity are
 * counted in the matching *_dropped field and reported in the log.
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <keel/types.h>

/* ---- Firmware layouts (ACPI 6.x, all little endian, unaligned) -------- */

#define ACPI_SIG_LEN           4
#define ACPI_OEM_ID_LEN        6
#define ACPI_OEM_TABLE_ID_LEN  8

#define ACPI_RSDP_SIG          "RSD PTR "
#define ACPI_RSDP_SIG_LEN      8
#define ACPI_RSDP_V1_LEN       20   /* bytes covered by the v1 checksum */
#define ACPI_RSDP_V2_LEN       36   /* minimum `length` of a v2 RSDP */
#define ACPI_RSDP_REV_V2       2    /* first revision with the XSDT */

struct acpi_rsdp {
    char signature[ACPI_RSDP_SIG_LEN];
    uint8_t checksum;                /* bytes 0-19 sum to 0 */
    char oem_id[ACPI_OEM_ID_LEN];
    uint8_t revision;
    uint32_t rsdt_address;
    /* Revision >= 2 only. */
    uint32_t length;                 /* whole structure */
    uint64_t xsdt_address;
    uint8_t ext_checksum;            /* bytes 0-(length-1) sum to 0 */
    uint8_t reserved[3];
} __packed;

struct acpi_table_header {
    char signature[ACPI_SIG_LEN];
    uint32_t length;                 /* whole table, header included */
    uint8_t revision;
    uint8_t checksum;                /* whole table sums to 0 */
    char oem_id[ACPI_OEM_ID_LEN];
    char oem_table_id[ACPI_OEM_TABLE_ID_LEN];
    uint32_t oem_revision;
    char creator_id[ACPI_SIG_LEN];
    uint32_t creator_revision;
} __packed;

#define ACPI_SIG_RSDT "RSDT"
#define ACPI_SIG_XSDT "XSDT"
#define ACPI_SIG_MADT "APIC"
#define ACPI_SIG_HPET "HPET"
#define ACPI_SIG_MCFG "MCFG"
#define ACPI_SIG_FADT "FACP"
#define ACPI_SIG_DMAR "DMAR"

/* Generic Address Structure. */
struct acpi_gas {
    uint8_t space_id;                /* ACPI_GAS_* */
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;
    uint64_t address;
} __packed;

#define ACPI_GAS_SYSTEM_MEMORY 0
#define ACPI_GAS_SYSTEM_IO     1
#define ACPI_GAS_PCI_CONFIG    2

/* MADT ("APIC") and its interrupt controller structures. */
struct acpi_madt {
    struct acpi_table_header header;
    uint32_t lapic_addr;
    uint32_t flags;                  /* ACPI_MADT_PCAT_COMPAT */
} __packed;

#define ACPI_MADT_PCAT_COMPAT  (1U << 0)   /* dual 8259 PICs present */

struct acpi_madt_entry {
    uint8_t type;                    /* ACPI_MADT_* */
    uint8_t length;                  /* whole entry, these 2 bytes included */
} __packed;

#define ACPI_MADT_LAPIC           0x0
#define ACPI_MADT_IOAPIC          0x1
#define ACPI_MADT_INT_OVERRIDE    0x2
#define ACPI_MADT_LAPIC_NMI       0x4
#define ACPI_MADT_LAPIC_OVERRIDE  0x5
#define ACPI_MADT_X2APIC          0x9
#define ACPI_MADT_X2APIC_NMI      0xa

#define ACPI_MADT_CPU_ENABLED         (1U << 0)
#define ACPI_MADT_CPU_ONLINE_CAPABLE  (1U << 1)

struct acpi_madt_lapic {
    struct acpi_madt_entry e;
    uint8_t acpi_uid;
    uint8_t apic_id;
    uint32_t flags;                  /* ACPI_MADT_CPU_* */
} __packed;

struct acpi_madt_ioapic {
    struct acpi_madt_entry e;
    uint8_t id;
    uint8_t reserved;
    uint32_t address;
    uint32_t gsi_base;
} __packed;

struct acpi_madt_int_override {
    struct acpi_madt_entry e;
    uint8_t bus;                     /* 0: ISA */
    uint8_t source;                  /* bus-relative IRQ */
    uint32_t gsi;
    uint16_t flags;                  /* ACPI_MPS_INTI_* */
} __packed;

struct acpi_madt_lapic_nmi {
    struct acpi_madt_entry e;
    uint8_t acpi_uid;                /* ACPI_MADT_UID8_ALL: every CPU */
    uint16_t flags;                  /* ACPI_MPS_INTI_* */
    uint8_t lint;                    /* LINT0 or LINT1 */
} __packed;

struct acpi_madt_lapic_override {
    struct acpi_madt_entry e;
    uint16_t reserved;
    uint64_t address;
} __packed;

struct acpi_madt_x2apic {
    struct acpi_madt_entry e;
    uint16_t reserved;
    uint32_t x2apic_id;
    uint32_t flags;                  /* ACPI_MADT_CPU_* */
    uint32_t acpi_uid;
} __packed;

struct acpi_madt_x2apic_nmi {
    struct acpi_madt_entry e;
    uint16_t flags;                  /* ACPI_MPS_INTI_* */
    uint32_t acpi_uid;               /* ACPI_UID_ALL: every CPU */
    uint8_t lint;
    uint8_t reserved[3];
} __packed;

#define ACPI_MADT_UID8_ALL     0xffU
#define ACPI_UID_ALL           0xffffffffU
#define ACPI_APIC_ID_INVALID   0xffU          /* xAPIC broadcast */
#define ACPI_X2APIC_ID_INVALID 0xffffffffU

/* MPS INTI flags of overrides and NMI entries. */
#define ACPI_MPS_INTI_POLARITY_MASK  0x3
#define ACPI_MPS_INTI_POLARITY_HIGH  0x1
#define ACPI_MPS_INTI_POLARITY_LOW   0x3
#define ACPI_MPS_INTI_TRIGGER_MASK   0xc
#define ACPI_MPS_INTI_TRIGGER_EDGE   0x4
#define ACPI_MPS_INTI_TRIGGER_LEVEL  0xc

/* HPET description table. */
struct acpi_hpet {
    struct acpi_table_header header;
    uint32_t block_id;               /* copy of the HPET capabilities ID */
    struct acpi_gas base;
    uint8_t hpet_number;
    uint16_t min_tick;
    uint8_t page_protection;
} __packed;

/* MCFG: PCI Express memory-mapped configuration space (ECAM). */
struct acpi_mcfg {
    struct acpi_table_header header;
    uint8_t reserved[8];
} __packed;

struct acpi_mcfg_alloc {
    uint64_t base;                   /* ECAM address of bus 0 of `segment` */
    uint16_t segment;
    uint8_t bus_start;
    uint8_t bus_end;
    uint32_t reserved;
} __packed;

/* FADT ("FACP"), up to the extended GPE blocks; shorter tables exist. */
struct acpi_fadt {
    struct acpi_table_header header;
    uint32_t firmware_ctrl;
    uint32_t dsdt;
    uint8_t reserved0;
    uint8_t preferred_pm_profile;
    uint16_t sci_int;
    uint32_t smi_cmd;
    uint8_t acpi_enable;
    uint8_t acpi_disable;
    uint8_t s4bios_req;
    uint8_t pstate_cnt;
    uint32_t pm1a_evt_blk;
    uint32_t pm1b_evt_blk;
    uint32_t pm1a_cnt_blk;
    uint32_t pm1b_cnt_blk;
    uint32_t pm2_cnt_blk;
    uint32_t pm_tmr_blk;
    uint32_t gpe0_blk;
    uint32_t gpe1_blk;
    uint8_t pm1_evt_len;
    uint8_t pm1_cnt_len;
    uint8_t pm2_cnt_len;
    uint8_t pm_tmr_len;
    uint8_t gpe0_blk_len;
    uint8_t gpe1_blk_len;
    uint8_t gpe1_base;
    uint8_t cst_cnt;
    uint16_t p_lvl2_lat;
    uint16_t p_lvl3_lat;
    uint16_t flush_size;
    uint16_t flush_stride;
    uint8_t duty_offset;
    uint8_t duty_width;
    uint8_t day_alrm;
    uint8_t mon_alrm;
    uint8_t century;                 /* CMOS index of the century, or 0 */
    uint16_t iapc_boot_arch;         /* ACPI_FADT_BOOT_* (revision >= 2) */
    uint8_t reserved1;
    uint32_t flags;                  /* ACPI_FADT_* */
    struct acpi_gas reset_reg;       /* ACPI 2.0 and later from here on */
    uint8_t reset_value;
    uint16_t arm_boot_arch;
    uint8_t minor_revision;
    uint64_t x_firmware_ctrl;
    uint64_t x_dsdt;
    struct acpi_gas x_pm1a_evt_blk;
    struct acpi_gas x_pm1b_evt_blk;
    struct acpi_gas x_pm1a_cnt_blk;
    struct acpi_gas x_pm1b_cnt_blk;
    struct acpi_gas x_pm2_cnt_blk;
    struct acpi_gas x_pm_tmr_blk;
    struct acpi_gas x_gpe0_blk;
    struct acpi_gas x_gpe1_blk;
} __packed;

#define ACPI_FADT_V1_LEN          116    /* ACPI 1.0: ends before reset_reg */
#define ACPI_FADT_REV_BOOT_ARCH   2      /* iapc_boot_arch defined from here */
#define ACPI_PM_TMR_LEN           4      /* pm_tmr_len of a usable timer */

#define ACPI_FADT_TMR_VAL_EXT     (1U << 8)   /* PM timer is 32 bits wide */
#define ACPI_FADT_RESET_REG_SUP   (1U << 10)
#define ACPI_FADT_HW_REDUCED      (1U << 20)

#define ACPI_FADT_BOOT_LEGACY_DEVICES  (1U << 0)
#define ACPI_FADT_BOOT_8042            (1U << 1)
#define ACPI_FADT_BOOT_NO_VGA          (1U << 2)
#define ACPI_FADT_BOOT_NO_MSI          (1U << 3)
#define ACPI_FADT_BOOT_NO_ASPM         (1U << 4)
#define ACPI_FADT_BOOT_NO_CMOS_RTC     (1U << 5)

/* ---- What the hypervisor keeps ---------------------------------------- */

#define ACPI_MAX_CPUS       256
#define ACPI_MAX_IOAPICS    8
#define ACPI_MAX_OVERRIDES  16
#define ACPI_MAX_LAPIC_NMIS 16
#define ACPI_MAX_MCFG       8

struct acpi_cpu {
    uint32_t apic_id;                /* local APIC or x2APIC ID */
    uint32_t acpi_uid;               /* processor UID, as in NMI entries */
    bool x2apic;                     /* described by an x2APIC entry */
};

struct acpi_ioapic {
    uint8_t id;
    paddr_t addr;
    uint32_t gsi_base;
};

struct acpi_irq_override {
    uint8_t bus;                     /* 0: ISA */
    uint8_t source_irq;
    uint32_t gsi;
    uint16_t flags;                  /* ACPI_MPS_INTI_* */
};

struct acpi_lapic_nmi {
    uint32_t acpi_uid;               /* ACPI_UID_ALL: every CPU */
    uint16_t flags;                  /* ACPI_MPS_INTI_* */
    uint8_t lint;                    /* 0: LINT0, 1: LINT1 */
};

struct acpi_mcfg_seg {
    paddr_t base;                    /* ECAM address of bus 0 of `seg` */
    uint16_t seg;
    uint8_t bus_start, bus_end;      /* inclusive, bus_start <= bus_end */
};

struct acpi_info {
    /* Where the tables came from.  (c) constant after acpi_boot_init. */
    bool rsdp_found;
    bool rsdp_from_loader;           /* Multiboot copy: rsdp_addr is 0 */
    paddr_t rsdp_addr;
    uint8_t rsdp_revision;
    paddr_t root_addr;               /* the XSDT or RSDT walked */
    bool root_is_xsdt;

    /* MADT. */
    bool madt_present;
    paddr_t lapic_addr;              /* after any address override */
    uint32_t madt_flags;             /* ACPI_MADT_PCAT_COMPAT */
    unsigned int nr_cpus;            /* enabled CPUs in cpus[] */
    unsigned int nr_x2apic_cpus;     /* ... of which x2APIC entries */
    unsigned int nr_cpus_disabled;   /* present but not enabled: not kept */
    unsigned int nr_cpus_dropped;    /* enabled, beyond ACPI_MAX_CPUS */
    struct acpi_cpu cpus[ACPI_MAX_CPUS];
    unsigned int nr_ioapics, nr_ioapics_dropped;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    unsigned int nr_overrides, nr_overrides_dropped;
    struct acpi_irq_override overrides[ACPI_MAX_OVERRIDES];
    unsigned int nr_lapic_nmis, nr_lapic_nmis_dropped;
    struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_LAPIC_NMIS];

    /* HPET (first timer block only). */
    bool hpet_present;
    paddr_t hpet_addr;
    uint32_t hpet_block_id;
    uint8_t hpet_number;
    uint16_t hpet_min_tick;

    /* MCFG. */
    unsigned int nr_mcfg, nr_mcfg_dropped;
    struct acpi_mcfg_seg mcfg[ACPI_MAX_MCFG];

    /* FADT. */
    bool fadt_present;
    uint32_t fadt_flags;             /* ACPI_FADT_* */
    uint16_t boot_arch;              /* ACPI_FADT_BOOT_*, 0 if not given */
    uint8_t century;                 /* CMOS index, 0: none */
    uint16_t sci_irq;
    bool reset_supported;            /* reset_reg/value usable */
    struct acpi_gas reset_reg;
    uint8_t reset_value;
    uint16_t pm_tmr_port;            /* I/O port, 0: no PM timer */
    bool pm_tmr_32bit;

    /* DMAR, parsed by the IOMMU code later.  dmar_len 0: absent. */
    paddr_t dmar_addr;
    uint32_t dmar_len;
};

extern struct acpi_info acpi_info;

/*
 * Find and parse the tables.  mb_rsdp/mb_rsdp_len: the RSDP copy from the
 * Multiboot 2 ACPI tag (NULL/0 if none); if absent or invalid, the EBDA and
 * the BIOS area are scanned.  Returns 0 when a valid RSDT or XSDT was
 * walked (individual bad tables are skipped with a warning), -ENODEV when
 * there is no usable ACPI: the caller then assumes a single CPU.
 */
int acpi_boot_init(const void *mb_rsdp, size_t mb_rsdp_len);

/*
 * Arch hook: a hypervisor pointer to machine range [pa, pa + len), or NULL
 * if any of it lies at or above the map limit (or the range wraps).
 */
void *acpi_map(paddr_t pa, size_t len);

/*
 * Highest machine address (exclusive) acpi_map() may touch; must not
 * exceed what the direct map covers.  Default ACPI_MAP_LIMIT_DEFAULT.
 */
#define ACPI_MAP_LIMIT_DEFAULT  (1ULL << 32)
void acpi_set_map_limit(paddr_t limit);

/*
 * Map and validate the table at `pa`: mappable, length in
 * [header size, ACPI_TABLE_MAX_LEN], checksum, and signature `sig` unless
 * sig is NULL.  Returns the mapped header (header->length bytes readable)
 * or NULL after logging a warning.  For later users such as the IOMMU code
 * (acpi_info.dmar_addr).
 */
#define ACPI_TABLE_MAX_LEN  (1U << 20)
const struct acpi_table_header *acpi_table_get(paddr_t pa, const char *sig);

#endif /* ASM_ACPI_H */
