/*
 * ACPI static tables at boot: find the RSDP (the Multiboot 2 copy, else a
 * scan of the EBDA and of the BIOS area), walk the XSDT (or the RSDT) and
 * extract what the hypervisor itself needs from the MADT, HPET, MCFG, FADT
 * and DMAR into acpi_info.  AML (DSDT/SSDT) is left to dom0.
 *
 * Invariants: firmware memory is reached only through acpi_map(), which
 * refuses ranges beyond the map limit; a table body is read only after
 * acpi_table_get() checked its length (header size to ACPI_TABLE_MAX_LEN)
 * and checksum; every walk is bounded by a checked length or a fixed
 * capacity, so no table contents can make us loop without bound or read
 * outside the table.  A bad table is logged and skipped as a whole.
 * Runs once on the boot CPU before anything reads acpi_info: no locking.
 */
#include <keel/lib.h>
#include <keel/errno.h>
#include <asm/acpi.h>
#include <asm/page.h>

struct acpi_info acpi_info;

/* (c) set by the boot code before acpi_boot_init(). */
static paddr_t acpi_map_limit = ACPI_MAP_LIMIT_DEFAULT;

/* Where a BIOS puts the RSDP (ACPI spec, "Finding the RSDP on IA-PC"). */
#define BDA_EBDA_SEGMENT      0x40e     /* BIOS data area: EBDA segment */
#define REAL_MODE_SEG_SHIFT   4
#define EBDA_SCAN_LEN         1024      /* only the first KiB is searched */
#define EBDA_LIMIT            0xa0000   /* legacy video memory starts here */
#define BIOS_AREA_START       0xe0000
#define BIOS_AREA_END         0x100000
#define RSDP_SCAN_STEP        16

/* Bounds on what the root table may make us do. */
#define ACPI_MAX_ROOT_ENTRIES 256
#define RSDT_ENTRY_SIZE       4
#define XSDT_ENTRY_SIZE       8

#define ACPI_ECAM_BUS_SHIFT   20        /* 1 MiB of ECAM per bus */
#define ACPI_IO_PORT_MAX      0xffff

#define ACPI_PRINTABLE_FIRST  0x20
#define ACPI_PRINTABLE_LAST   0x7e

/* The layouts in <asm/acpi.h> must match the spec byte for byte. */
BUILD_BUG_ON(sizeof(struct acpi_rsdp) != ACPI_RSDP_V2_LEN);
BUILD_BUG_ON(offsetof(struct acpi_rsdp, length) != ACPI_RSDP_V1_LEN);
BUILD_BUG_ON(sizeof(struct acpi_table_header) != 36);
BUILD_BUG_ON(sizeof(struct acpi_gas) != 12);
BUILD_BUG_ON(sizeof(struct acpi_madt) != 44);
BUILD_BUG_ON(sizeof(struct acpi_madt_lapic) != 8);
BUILD_BUG_ON(sizeof(struct acpi_madt_ioapic) != 12);
BUILD_BUG_ON(sizeof(struct acpi_madt_int_override) != 10);
BUILD_BUG_ON(sizeof(struct acpi_madt_lapic_nmi) != 6);
BUILD_BUG_ON(sizeof(struct acpi_madt_lapic_override) != 12);
BUILD_BUG_ON(sizeof(struct acpi_madt_x2apic) != 16);
BUILD_BUG_ON(sizeof(struct acpi_madt_x2apic_nmi) != 12);
BUILD_BUG_ON(sizeof(struct acpi_hpet) != 56);
BUILD_BUG_ON(sizeof(struct acpi_mcfg) != 44);
BUILD_BUG_ON(sizeof(struct acpi_mcfg_alloc) != 16);
BUILD_BUG_ON(offsetof(struct acpi_fadt, reset_reg) != ACPI_FADT_V1_LEN);
BUILD_BUG_ON(offsetof(struct acpi_fadt, x_pm_tmr_blk) != 208);
BUILD_BUG_ON(sizeof(struct acpi_fadt) != 244);

void acpi_set_map_limit(paddr_t limit)
{
    acpi_map_limit = limit;
}

void *acpi_map(paddr_t pa, size_t len)
{
    if ( len > acpi_map_limit || pa > acpi_map_limit - len )
        return NULL;
    return maddr_to_virt(pa);
}

static uint8_t acpi_sum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while ( len-- )
        sum += *b++;
    return sum;
}

/*
 * Copy a fixed-width firmware string for the log: NULs become spaces and
 * anything else unprintable becomes '?'.  dst holds n + 1 bytes.
 */
static void acpi_str(char *dst, const char *src, size_t n)
{
    size_t i;

    for ( i = 0; i < n; i++ )
    {
        unsigned char c = src[i];

        if ( c == '\0' )
            c = ' ';
        else if ( c < ACPI_PRINTABLE_FIRST || c > ACPI_PRINTABLE_LAST )
            c = '?';
        dst[i] = c;
    }
    dst[n] = '\0';
}

/* ---- RSDP ------------------------------------------------------------- */

/*
 * Judge an RSDP candidate of which `avail` bytes are readable.  Returns
 * false unless it is a valid v1 RSDP.  *xsdt is the XSDT address when the
 * v2 part is also valid, else 0 (a v2 part that fails its checks only
 * costs us the XSDT: the RSDT it points to is covered by the v1 checksum).
 */
static bool acpi_rsdp_check(const struct acpi_rsdp *r, size_t avail,
                            const char *where, paddr_t *xsdt)
{
    *xsdt = 0;
    if ( avail < ACPI_RSDP_V1_LEN ||
         memcmp(r->signature, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN) )
        return false;

    if ( acpi_sum(r, ACPI_RSDP_V1_LEN) )
    {
        printk(KLOG_WARNING "ACPI: RSDP %s: bad checksum, ignored\n", where);
        return false;
    }
    if ( r->revision < ACPI_RSDP_REV_V2 )
        return true;

    if ( avail < ACPI_RSDP_V2_LEN || r->length < ACPI_RSDP_V2_LEN ||
         r->length > avail )
        printk(KLOG_WARNING "ACPI: RSDP %s: bad v2 length, using the RSDT\n",
               where);
    else if ( acpi_sum(r, r->length) )
        printk(KLOG_WARNING
               "ACPI: RSDP %s: bad extended checksum, using the RSDT\n",
               where);
    else
        *xsdt = r->xsdt_address;
    return true;
}

/* Search [start, start + len) on 16-byte boundaries. */
static const struct acpi_rsdp *acpi_rsdp_scan(paddr_t start, size_t len,
                                              paddr_t *xsdt)
{
    const uint8_t *p = acpi_map(start, len);
    size_t off;

    if ( !p )
        return NULL;

    for ( off = 0; off + ACPI_RSDP_V1_LEN <= len; off += RSDP_SCAN_STEP )
    {
        char where[32];

        if ( memcmp(p + off, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN) )
            continue;
        snprintf(where, sizeof(where), "at 0x%lx",
                 (unsigned long)(start + off));
        if ( acpi_rsdp_check((const void *)(p + off), len - off, where,
                             xsdt) )
        {
            acpi_info.rsdp_addr = start + off;
            return (const void *)(p + off);
        }
    }
    return NULL;
}

static const struct acpi_rsdp *acpi_rsdp_find(const void *mb_rsdp,
                                              size_t mb_rsdp_len,
                                              paddr_t *xsdt)
{
    const struct acpi_rsdp *r;
    const uint16_t *bda;
    uint16_t ebda_seg;
    paddr_t ebda;

    if ( mb_rsdp )
    {
        if ( acpi_rsdp_check(mb_rsdp, mb_rsdp_len, "from Multiboot", xsdt) )
        {
            acpi_info.rsdp_from_loader = true;
            return mb_rsdp;
        }
        printk(KLOG_WARNING
               "ACPI: Multiboot RSDP copy unusable, searching memory\n");
    }

    bda = acpi_map(BDA_EBDA_SEGMENT, sizeof(*bda));
    if ( bda )
    {
        memcpy(&ebda_seg, bda, sizeof(ebda_seg));
        ebda = (paddr_t)ebda_seg << REAL_MODE_SEG_SHIFT;
        if ( ebda && ebda + EBDA_SCAN_LEN <= EBDA_LIMIT &&
             (r = acpi_rsdp_scan(ebda, EBDA_SCAN_LEN, xsdt)) != NULL )
            return r;
    }

    return acpi_rsdp_scan(BIOS_AREA_START, BIOS_AREA_END - BIOS_AREA_START,
                          xsdt);
}

/* ---- Table headers ---------------------------------------------------- */

const struct acpi_table_header *acpi_table_get(paddr_t pa, const char *sig)
{
    const struct acpi_table_header *h;
    char got[ACPI_SIG_LEN + 1];
    uint32_t len;

    if ( pa == 0 )
    {
        printk(KLOG_WARNING "ACPI: null table pointer skipped\n");
        return NULL;
    }
    h = acpi_map(pa, sizeof(*h));
    if ( !h )
    {
        printk(KLOG_WARNING
               "ACPI: table at 0x%016lX outside mapped memory, skipped\n",
               (unsigned long)pa);
        return NULL;
    }

    acpi_str(got, h->signature, ACPI_SIG_LEN);
    len = h->length;
    if ( len < sizeof(*h) || len > ACPI_TABLE_MAX_LEN )
    {
        printk(KLOG_WARNING
               "ACPI: %s at 0x%016lX: bad length %u, skipped\n",
               got, (unsigned long)pa, len);
        return NULL;
    }
    h = acpi_map(pa, len);
    if ( !h )
    {
        printk(KLOG_WARNING
               "ACPI: %s at 0x%016lX: %u bytes run past mapped memory, "
               "skipped\n", got, (unsigned long)pa, len);
        return NULL;
    }
    if ( acpi_sum(h, len) )
    {
        printk(KLOG_WARNING "ACPI: %s at 0x%016lX: bad checksum, skipped\n",
               got, (unsigned long)pa);
        return NULL;
    }
    if ( sig && memcmp(h->signature, sig, ACPI_SIG_LEN) )
    {
        printk(KLOG_WARNING
               "ACPI: table at 0x%016lX is %s, expected %.4s, skipped\n",
               (unsigned long)pa, got, sig);
        return NULL;
    }
    return h;
}

static void acpi_log_table(const struct acpi_table_header *h, paddr_t pa)
{
    char sig[ACPI_SIG_LEN + 1];
    char oem[ACPI_OEM_ID_LEN + 1];
    char tid[ACPI_OEM_TABLE_ID_LEN + 1];

    acpi_str(sig, h->signature, ACPI_SIG_LEN);
    acpi_str(oem, h->oem_id, ACPI_OEM_ID_LEN);
    acpi_str(tid, h->oem_table_id, ACPI_OEM_TABLE_ID_LEN);
    printk("ACPI: %s 0x%016lX %08X (v%u %s %s)\n", sig,
           (unsigned long)pa, h->length, h->revision, oem, tid);
}

/* ---- MADT ------------------------------------------------------------- */

static void madt_add_cpu(uint32_t apic_id, uint32_t uid, uint32_t flags,
                         bool x2apic)
{
    struct acpi_cpu *cpu;
    unsigned int i;

    if ( !(flags & ACPI_MADT_CPU_ENABLED) )
    {
        acpi_info.nr_cpus_disabled++;
        return;
    }
    for ( i = 0; i < acpi_info.nr_cpus; i++ )
        if ( acpi_info.cpus[i].apic_id == apic_id )
        {
            printk(KLOG_WARNING "ACPI: MADT: duplicate APIC ID %u ignored\n",
                   apic_id);
            return;
        }
    if ( acpi_info.nr_cpus == ACPI_MAX_CPUS )
    {
        acpi_info.nr_cpus_dropped++;
        return;
    }

    cpu = &acpi_info.cpus[acpi_info.nr_cpus++];
    cpu->apic_id = apic_id;
    cpu->acpi_uid = uid;
    cpu->x2apic = x2apic;
    if ( x2apic )
        acpi_info.nr_x2apic_cpus++;
}

static void madt_add_nmi(uint32_t uid, uint16_t flags, uint8_t lint)
{
    struct acpi_lapic_nmi *nmi;

    if ( acpi_info.nr_lapic_nmis == ACPI_MAX_LAPIC_NMIS )
    {
        acpi_info.nr_lapic_nmis_dropped++;
        return;
    }
    nmi = &acpi_info.lapic_nmis[acpi_info.nr_lapic_nmis++];
    nmi->acpi_uid = uid;
    nmi->flags = flags;
    nmi->lint = lint;
}

static void madt_lapic(const struct acpi_madt_entry *e)
{
    const struct acpi_madt_lapic *l = (const void *)e;

    if ( l->apic_id == ACPI_APIC_ID_INVALID )
    {
        printk(KLOG_WARNING "ACPI: MADT: LAPIC with invalid ID ignored\n");
        return;
    }
    madt_add_cpu(l->apic_id, l->acpi_uid, l->flags, false);
}

static void madt_x2apic(const struct acpi_madt_entry *e)
{
    const struct acpi_madt_x2apic *x = (const void *)e;

    if ( x->x2apic_id == ACPI_X2APIC_ID_INVALID )
    {
        printk(KLOG_WARNING "ACPI: MADT: x2APIC with invalid ID ignored\n");
        return;
    }
    madt_add_cpu(x->x2apic_id, x->acpi_uid, x->flags, true);
}

static void madt_ioapic(const struct acpi_madt_entry *e)
{
    const struct acpi_madt_ioapic *io = (const void *)e;
    struct acpi_ioapic *dst;

    if ( acpi_info.nr_ioapics == ACPI_MAX_IOAPICS )
    {
        acpi_info.nr_ioapics_dropped++;
        return;
    }
    dst = &acpi_info.ioapics[acpi_info.nr_ioapics++];
    dst->id = io->id;
    dst->addr = io->address;
    dst->gsi_base = io->gsi_base;
}

static void madt_int_override(const struct acpi_madt_entry *e)
{
    const struct acpi_madt_int_override *o = (const void *)e;
    struct acpi_irq_override *dst;

    if ( acpi_info.nr_overrides == ACPI_MAX_OVERRIDES )
    {
        acpi_info.nr_overrides_dropped++;
        return;
    }
    dst = &acpi_info.overrides[acpi_info.nr_overrides++];
    dst->bus = o->bus;
    dst->source_irq = o->source;
    dst->gsi = o->gsi;
    dst->flags = o->flags;
}

static void madt_lapic_nmi(const struct acpi_madt_entry *e)
{
    const struct acpi_madt_lapic_nmi *n = (const void *)e;

    madt_add_nmi(n->acpi_uid == ACPI_MADT_UID8_ALL ? ACPI_UID_ALL
                                                   : n->acpi_uid,
                 n->flags, n->lint);
}

static void madt_x2apic_nmi(const struct acpi_madt_entry *e)
{
    const struct acpi_madt_x2apic_nmi *n = (const void *)e;

    madt_add_nmi(n->acpi_uid, n->flags, n->lint);
}

static void madt_lapic_override(const struct acpi_madt_entry *e)
{
    const struct acpi_madt_lapic_override *o = (const void *)e;

    if ( o->address == 0 )
    {
        printk(KLOG_WARNING "ACPI: MADT: null LAPIC address override\n");
        return;
    }
    acpi_info.lapic_addr = o->address;
}

/* Entry types we use, with the least length each must have. */
static const struct madt_handler {
    const char *name;
    uint8_t min_len;
    void (*parse)(const struct acpi_madt_entry *e);
} madt_handlers[] = {
    [ACPI_MADT_LAPIC] = {
        "LAPIC", sizeof(struct acpi_madt_lapic), madt_lapic },
    [ACPI_MADT_IOAPIC] = {
        "IO-APIC", sizeof(struct acpi_madt_ioapic), madt_ioapic },
    [ACPI_MADT_INT_OVERRIDE] = {
        "override", sizeof(struct acpi_madt_int_override),
        madt_int_override },
    [ACPI_MADT_LAPIC_NMI] = {
        "LAPIC NMI", sizeof(struct acpi_madt_lapic_nmi), madt_lapic_nmi },
    [ACPI_MADT_LAPIC_OVERRIDE] = {
        "LAPIC address", sizeof(struct acpi_madt_lapic_override),
        madt_lapic_override },
    [ACPI_MADT_X2APIC] = {
        "x2APIC", sizeof(struct acpi_madt_x2apic), madt_x2apic },
    [ACPI_MADT_X2APIC_NMI] = {
        "x2APIC NMI", sizeof(struct acpi_madt_x2apic_nmi), madt_x2apic_nmi },
};

static void acpi_parse_madt(const struct acpi_table_header *h, paddr_t pa)
{
    const struct acpi_madt *madt = (const void *)h;
    const uint8_t *base = (const uint8_t *)h;
    uint32_t len = h->length, off;

    if ( len < sizeof(*madt) )
    {
        printk(KLOG_WARNING "ACPI: MADT too short (%u bytes), ignored\n",
               len);
        return;
    }
    acpi_info.madt_present = true;
    acpi_info.lapic_addr = madt->lapic_addr;
    acpi_info.madt_flags = madt->flags;

    /* Each step advances by at least one entry header: bounded by len. */
    for ( off = sizeof(*madt);
          off + sizeof(struct acpi_madt_entry) <= len; )
    {
        const struct acpi_madt_entry *e = (const void *)(base + off);
        const struct madt_handler *hd = NULL;

        if ( e->length < sizeof(*e) )
        {
            printk(KLOG_WARNING "ACPI: MADT: entry type %u at offset %u has "
                   "length %u, rest of the table ignored\n",
                   e->type, off, e->length);
            break;
        }
        if ( e->length > len - off )
        {
            printk(KLOG_WARNING "ACPI: MADT: entry type %u at offset %u "
                   "overruns the table, rest of the table ignored\n",
                   e->type, off);
            break;
        }

        if ( e->type < ARRAY_SIZE(madt_handlers) )
            hd = &madt_handlers[e->type];
        if ( hd && hd->parse )
        {
            if ( e->length < hd->min_len )
                printk(KLOG_WARNING "ACPI: MADT: %s entry at offset %u too "
                       "short (%u bytes), skipped\n",
                       hd->name, off, e->length);
            else
                hd->parse(e);
        }
        off += e->length;
    }
}

/* ---- HPET, MCFG, FADT, DMAR ------------------------------------------- */

static void acpi_parse_hpet(const struct acpi_table_header *h, paddr_t pa)
{
    const struct acpi_hpet *t = (const void *)h;

    if ( h->length < sizeof(*t) )
    {
        printk(KLOG_WARNING "ACPI: HPET too short (%u bytes), ignored\n",
               h->length);
        return;
    }
    if ( t->base.space_id != ACPI_GAS_SYSTEM_MEMORY || t->base.address == 0 )
    {
        printk(KLOG_WARNING "ACPI: HPET: unusable base (space %u, 0x%lx), "
               "ignored\n", t->base.space_id,
               (unsigned long)t->base.address);
        return;
    }
    acpi_info.hpet_present = true;
    acpi_info.hpet_addr = t->base.address;
    acpi_info.hpet_block_id = t->block_id;
    acpi_info.hpet_number = t->hpet_number;
    acpi_info.hpet_min_tick = t->min_tick;
}

static void acpi_parse_mcfg(const struct acpi_table_header *h, paddr_t pa)
{
    const uint8_t *base = (const uint8_t *)h;
    uint32_t len = h->length, nr, i;

    if ( len < sizeof(struct acpi_mcfg) )
    {
        printk(KLOG_WARNING "ACPI: MCFG too short (%u bytes), ignored\n",
               len);
        return;
    }
    len -= sizeof(struct acpi_mcfg);
    nr = len / sizeof(struct acpi_mcfg_alloc);
    if ( len % sizeof(struct acpi_mcfg_alloc) )
        printk(KLOG_WARNING "ACPI: MCFG: %u trailing bytes ignored\n",
               (unsigned int)(len % sizeof(struct acpi_mcfg_alloc)));

    for ( i = 0; i < nr; i++ )
    {
        const struct acpi_mcfg_alloc *a = (const void *)
            (base + sizeof(struct acpi_mcfg) + i * sizeof(*a));
        paddr_t end = (paddr_t)(a->bus_end + 1) << ACPI_ECAM_BUS_SHIFT;
        struct acpi_mcfg_seg *seg;

        if ( a->bus_start > a->bus_end || a->base == 0 ||
             a->base + end < a->base )
        {
            printk(KLOG_WARNING "ACPI: MCFG: bad entry %u (segment %u buses "
                   "%02x-%02x at 0x%lx) ignored\n", i, a->segment,
                   a->bus_start, a->bus_end, (unsigned long)a->base);
            continue;
        }
        if ( acpi_info.nr_mcfg == ACPI_MAX_MCFG )
        {
            acpi_info.nr_mcfg_dropped++;
            continue;
        }
        seg = &acpi_info.mcfg[acpi_info.nr_mcfg++];
        seg->base = a->base;
        seg->seg = a->segment;
        seg->bus_start = a->bus_start;
        seg->bus_end = a->bus_end;
    }
}

/* Does a FADT of `len` bytes contain `field`?  Old FADTs are shorter. */
#define FADT_HAS(len, field)                                              \
    (offsetof(struct acpi_fadt, field) +                                  \
     sizeof(((const struct acpi_fadt *)0)->field) <= (len))

static bool acpi_gas_usable(const struct acpi_gas *g)
{
    return g->address != 0 &&
           (g->space_id == ACPI_GAS_SYSTEM_MEMORY ||
            g->space_id == ACPI_GAS_SYSTEM_IO ||
            g->space_id == ACPI_GAS_PCI_CONFIG);
}

static void acpi_parse_fadt(const struct acpi_table_header *h, paddr_t pa)
{
    const struct acpi_fadt *f = (const void *)h;
    uint32_t len = h->length;

    if ( !FADT_HAS(len, flags) )
    {
        printk(KLOG_WARNING "ACPI: FADT too short (%u bytes), ignored\n",
               len);
        return;
    }
    acpi_info.fadt_present = true;
    acpi_info.fadt_flags = f->flags;
    acpi_info.sci_irq = f->sci_int;
    acpi_info.century = f->century;
    if ( h->revision >= ACPI_FADT_REV_BOOT_ARCH )
        acpi_info.boot_arch = f->iapc_boot_arch;

    if ( FADT_HAS(len, reset_value) )
    {
        acpi_info.reset_reg = f->reset_reg;
        acpi_info.reset_value = f->reset_value;
        acpi_info.reset_supported = (f->flags & ACPI_FADT_RESET_REG_SUP) &&
                                    acpi_gas_usable(&f->reset_reg);
    }

    /* The PM timer: the extended block wins when given; I/O space only. */
    if ( f->flags & ACPI_FADT_HW_REDUCED )
        return;
    if ( FADT_HAS(len, x_pm_tmr_blk) && f->x_pm_tmr_blk.address != 0 )
    {
        if ( f->x_pm_tmr_blk.space_id == ACPI_GAS_SYSTEM_IO &&
             f->x_pm_tmr_blk.address <= ACPI_IO_PORT_MAX )
            acpi_info.pm_tmr_port = f->x_pm_tmr_blk.address;
        else
            printk(KLOG_WARNING "ACPI: FADT: PM timer not in I/O space, "
                   "ignored\n");
    }
    else if ( f->pm_tmr_blk != 0 && f->pm_tmr_len == ACPI_PM_TMR_LEN &&
              f->pm_tmr_blk <= ACPI_IO_PORT_MAX )
        acpi_info.pm_tmr_port = f->pm_tmr_blk;
    acpi_info.pm_tmr_32bit = acpi_info.pm_tmr_port &&
                             (f->flags & ACPI_FADT_TMR_VAL_EXT);
}

static void acpi_parse_dmar(const struct acpi_table_header *h, paddr_t pa)
{
    /* Left to the IOMMU code; acpi_table_get() revalidates it there. */
    acpi_info.dmar_addr = pa;
    acpi_info.dmar_len = h->length;
}

/* ---- Root table ------------------------------------------------------- */

static const struct acpi_parser {
    const char *sig;
    void (*parse)(const struct acpi_table_header *h, paddr_t pa);
} acpi_parsers[] = {
    { ACPI_SIG_MADT, acpi_parse_madt },
    { ACPI_SIG_HPET, acpi_parse_hpet },
    { ACPI_SIG_MCFG, acpi_parse_mcfg },
    { ACPI_SIG_FADT, acpi_parse_fadt },
    { ACPI_SIG_DMAR, acpi_parse_dmar },
};

static void acpi_walk_root(const struct acpi_table_header *root,
                           size_t entry_size)
{
    const uint8_t *entries = (const uint8_t *)(root + 1);
    uint32_t bytes = root->length - sizeof(*root);
    uint32_t nr = bytes / entry_size, i;
    bool seen[ARRAY_SIZE(acpi_parsers)] = { false };

    if ( bytes % entry_size )
        printk(KLOG_WARNING "ACPI: %u trailing bytes in the root table "
               "ignored\n", (unsigned int)(bytes % entry_size));
    if ( nr > ACPI_MAX_ROOT_ENTRIES )
    {
        printk(KLOG_WARNING "ACPI: root table lists %u tables, only the "
               "first %u used\n", nr, ACPI_MAX_ROOT_ENTRIES);
        nr = ACPI_MAX_ROOT_ENTRIES;
    }

    for ( i = 0; i < nr; i++ )
    {
        const struct acpi_table_header *h;
        uint64_t pa64 = 0;
        uint32_t pa32;
        unsigned int p;

        if ( entry_size == XSDT_ENTRY_SIZE )
            memcpy(&pa64, entries + i * entry_size, sizeof(pa64));
        else
        {
            memcpy(&pa32, entries + i * entry_size, sizeof(pa32));
            pa64 = pa32;
        }

        h = acpi_table_get(pa64, NULL);
        if ( !h )
            continue;
        acpi_log_table(h, pa64);

        for ( p = 0; p < ARRAY_SIZE(acpi_parsers); p++ )
        {
            if ( memcmp(h->signature, acpi_parsers[p].sig, ACPI_SIG_LEN) )
                continue;
            if ( seen[p] )
            {
                printk(KLOG_WARNING "ACPI: second %s ignored\n",
                       acpi_parsers[p].sig);
                break;
            }
            seen[p] = true;
            acpi_parsers[p].parse(h, pa64);
            break;
        }
    }
}

/* ---- Summary and entry point ------------------------------------------ */

static void acpi_warn_dropped(unsigned int n, const char *what,
                              unsigned int cap)
{
    if ( n )
        printk(KLOG_WARNING "ACPI: %u %s beyond the limit of %u ignored\n",
               n, what, cap);
}

static void acpi_summary(void)
{
    const struct acpi_info *ai = &acpi_info;
    unsigned int i;

    if ( ai->madt_present )
        printk("ACPI: %u CPUs in MADT (x2APIC: %u), %u IO-APICs, "
               "local APIC at 0x%lx\n", ai->nr_cpus, ai->nr_x2apic_cpus,
               ai->nr_ioapics, (unsigned long)ai->lapic_addr);
    else
        printk(KLOG_WARNING "ACPI: no usable MADT\n");
    acpi_warn_dropped(ai->nr_cpus_dropped, "CPUs", ACPI_MAX_CPUS);
    acpi_warn_dropped(ai->nr_ioapics_dropped, "IO-APICs", ACPI_MAX_IOAPICS);
    acpi_warn_dropped(ai->nr_overrides_dropped, "interrupt overrides",
                      ACPI_MAX_OVERRIDES);
    acpi_warn_dropped(ai->nr_lapic_nmis_dropped, "LAPIC NMI entries",
                      ACPI_MAX_LAPIC_NMIS);

    if ( ai->hpet_present )
        printk("ACPI: HPET at 0x%lx (block id 0x%08x)\n",
               (unsigned long)ai->hpet_addr, ai->hpet_block_id);
    else
        printk("ACPI: no HPET\n");

    for ( i = 0; i < ai->nr_mcfg; i++ )
        printk("ACPI: MCFG segment %u buses %02x-%02x at 0x%lx\n",
               ai->mcfg[i].seg, ai->mcfg[i].bus_start, ai->mcfg[i].bus_end,
               (unsigned long)ai->mcfg[i].base);
    if ( !ai->nr_mcfg )
        printk("ACPI: no MCFG (PCI config access by I/O ports)\n");
    acpi_warn_dropped(ai->nr_mcfg_dropped, "MCFG segments", ACPI_MAX_MCFG);

    if ( ai->fadt_present )
    {
        if ( ai->pm_tmr_port )
            printk("ACPI: PM timer at port 0x%x (%s)\n",
                   ai->pm_tmr_port, ai->pm_tmr_32bit ? "32-bit" : "24-bit");
        if ( ai->reset_supported )
            printk("ACPI: reset register space %u at 0x%lx, "
                   "value 0x%02x\n", ai->reset_reg.space_id,
                   (unsigned long)ai->reset_reg.address, ai->reset_value);
    }
    else
        printk(KLOG_WARNING "ACPI: no usable FADT\n");

    if ( ai->dmar_len )
        printk("ACPI: DMAR present\n");
    else
        printk("ACPI: DMAR absent\n");
}

int acpi_boot_init(const void *mb_rsdp, size_t mb_rsdp_len)
{
    const struct acpi_table_header *root = NULL;
    const struct acpi_rsdp *rsdp;
    char oem[ACPI_OEM_ID_LEN + 1];
    paddr_t xsdt, rsdt;

    memset(&acpi_info, 0, sizeof(acpi_info));

    rsdp = acpi_rsdp_find(mb_rsdp, mb_rsdp_len, &xsdt);
    if ( !rsdp )
    {
        printk(KLOG_WARNING "ACPI: no RSDP found, running without ACPI\n");
        return -ENODEV;
    }
    acpi_info.rsdp_found = true;
    acpi_info.rsdp_revision = rsdp->revision;
    rsdt = rsdp->rsdt_address;
    acpi_str(oem, rsdp->oem_id, ACPI_OEM_ID_LEN);
    if ( acpi_info.rsdp_from_loader )
        printk("ACPI: RSDP (Multiboot copy) (v%u %s)\n",
               rsdp->revision, oem);
    else
        printk("ACPI: RSDP 0x%016lX (v%u %s)\n",
               (unsigned long)acpi_info.rsdp_addr, rsdp->revision, oem);

    if ( xsdt )
    {
        root = acpi_table_get(xsdt, ACPI_SIG_XSDT);
        if ( root )
        {
            acpi_info.root_addr = xsdt;
            acpi_info.root_is_xsdt = true;
        }
        else
            printk(KLOG_WARNING "ACPI: XSDT unusable, trying the RSDT\n");
    }
    if ( !root && rsdt )
    {
        root = acpi_table_get(rsdt, ACPI_SIG_RSDT);
        acpi_info.root_addr = rsdt;
    }
    if ( !root )
    {
        printk(KLOG_WARNING "ACPI: no valid RSDT or XSDT, "
               "running without ACPI\n");
        acpi_info.root_addr = 0;
        return -ENODEV;
    }

    acpi_log_table(root, acpi_info.root_addr);
    acpi_walk_root(root, acpi_info.root_is_xsdt ? XSDT_ENTRY_SIZE
                                                : RSDT_ENTRY_SIZE);
    acpi_summary();
    return 0;
}
