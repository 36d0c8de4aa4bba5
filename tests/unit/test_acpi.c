/*
 * Host tests for arch/x86/acpi/tables.c: ACPI tables are synthesised in a
 * host buffer that stands in for the direct map (machine address X is at
 * mem + X), then acpi_boot_init() must find, validate and parse them, or
 * refuse them with a warning.
 */
#include "harness.h"
#include <keel/lib.h>
#include <keel/errno.h>
#include <asm/acpi.h>
#include <asm/page.h>     /* stub_directmap_base */


#define MEM_SIZE   (4UL << 20)

#define RSDP_PA    0xf52a0UL
#define EBDA_SEG   0x9fc0
#define EBDA_PA    0x9fc00UL
#define RSDT_PA    0x110000UL
#define XSDT_PA    0x100800UL
#define MADT_PA    0x101000UL
#define HPET_PA    0x102000UL
#define MCFG_PA    0x103000UL
#define FADT_PA    0x104000UL
#define DMAR_PA    0x105000UL
#define SSDT_PA    0x106000UL
#define MADT2_PA   0x107000UL

#define LAPIC_PA   0xfee00000U
#define IOAPIC_PA  0xfec00000U
#define HPET_MMIO  0xfed00000UL

#define EN         ACPI_MADT_CPU_ENABLED

static uint8_t *mem;

static void *at(paddr_t pa)
{
    return mem + pa;
}

static uint8_t sum(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint8_t s = 0;

    while ( n-- )
        s += *b++;
    return s;
}

static bool logged(const char *s)
{
    return strstr(stub_printk_buf, s) != NULL;
}

static unsigned int count_logged(const char *s)
{
    const char *p = stub_printk_buf;
    unsigned int n = 0;

    while ( (p = strstr(p, s)) != NULL )
    {
        n++;
        p += strlen(s);
    }
    return n;
}

static void reset(void)
{
    memset(mem, 0, MEM_SIZE);
    stub_printk_reset();
    acpi_set_map_limit(MEM_SIZE);
}

/* ---- Table builders --------------------------------------------------- */

static struct acpi_table_header *hdr(paddr_t pa, const char *sig,
                                     uint32_t len)
{
    struct acpi_table_header *h = at(pa);

    memcpy(h->signature, sig, ACPI_SIG_LEN);
    h->length = len;
    h->revision = 1;
    memcpy(h->oem_id, "BOCHS ", ACPI_OEM_ID_LEN);
    memcpy(h->oem_table_id, "BXPC    ", ACPI_OEM_TABLE_ID_LEN);
    h->oem_revision = 1;
    memcpy(h->creator_id, "BXPC", ACPI_SIG_LEN);
    h->creator_revision = 1;
    return h;
}

static void seal(paddr_t pa)
{
    struct acpi_table_header *h = at(pa);
    size_t len = MIN((size_t)h->length, MEM_SIZE - pa);

    h->checksum = 0;
    h->checksum = -sum(h, len);
}

static void rsdp_seal(struct acpi_rsdp *r)
{
    r->checksum = 0;
    r->checksum = -sum(r, ACPI_RSDP_V1_LEN);
    if ( r->revision >= ACPI_RSDP_REV_V2 )
    {
        r->ext_checksum = 0;
        r->ext_checksum = -sum(r, ACPI_RSDP_V2_LEN);
    }
}

static struct acpi_rsdp *fill_rsdp(struct acpi_rsdp *r, uint8_t rev,
                                   paddr_t rsdt, paddr_t xsdt)
{
    memcpy(r->signature, ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN);
    memcpy(r->oem_id, "BOCHS ", ACPI_OEM_ID_LEN);
    r->revision = rev;
    r->rsdt_address = rsdt;
    if ( rev >= ACPI_RSDP_REV_V2 )
    {
        r->length = ACPI_RSDP_V2_LEN;
        r->xsdt_address = xsdt;
    }
    rsdp_seal(r);
    return r;
}

static struct acpi_rsdp *put_rsdp(paddr_t pa, uint8_t rev, paddr_t rsdt,
                                  paddr_t xsdt)
{
    return fill_rsdp(at(pa), rev, rsdt, xsdt);
}

static void put_root(paddr_t pa, bool xsdt, const paddr_t *t, unsigned int n)
{
    size_t esz = xsdt ? 8 : 4;
    unsigned int i;

    hdr(pa, xsdt ? "XSDT" : "RSDT",
        sizeof(struct acpi_table_header) + n * esz);
    for ( i = 0; i < n; i++ )
        memcpy(at(pa + sizeof(struct acpi_table_header) + i * esz), &t[i],
               esz);
    seal(pa);
}

static void madt_begin(paddr_t pa, uint32_t lapic, uint32_t flags)
{
    struct acpi_madt *m = at(pa);

    hdr(pa, "APIC", sizeof(*m));
    m->lapic_addr = lapic;
    m->flags = flags;
}

static void madt_add(paddr_t pa, const void *e, size_t len)
{
    struct acpi_table_header *h = at(pa);

    memcpy(at(pa + h->length), e, len);
    h->length += len;
}

static void add_lapic(paddr_t pa, uint8_t uid, uint8_t id, uint32_t flags)
{
    struct acpi_madt_lapic e = { { ACPI_MADT_LAPIC, sizeof(e) }, uid, id,
                                 flags };
    madt_add(pa, &e, sizeof(e));
}

static void add_x2apic(paddr_t pa, uint32_t uid, uint32_t id, uint32_t flags)
{
    struct acpi_madt_x2apic e = { { ACPI_MADT_X2APIC, sizeof(e) }, 0, id,
                                  flags, uid };
    madt_add(pa, &e, sizeof(e));
}

static void add_ioapic(paddr_t pa, uint8_t id, uint32_t addr, uint32_t gsi)
{
    struct acpi_madt_ioapic e = { { ACPI_MADT_IOAPIC, sizeof(e) }, id, 0,
                                  addr, gsi };
    madt_add(pa, &e, sizeof(e));
}

static void add_iso(paddr_t pa, uint8_t src, uint32_t gsi, uint16_t flags)
{
    struct acpi_madt_int_override e = {
        { ACPI_MADT_INT_OVERRIDE, sizeof(e) }, 0, src, gsi, flags };
    madt_add(pa, &e, sizeof(e));
}

static void add_lapic_nmi(paddr_t pa, uint8_t uid, uint16_t flags,
                          uint8_t lint)
{
    struct acpi_madt_lapic_nmi e = { { ACPI_MADT_LAPIC_NMI, sizeof(e) }, uid,
                                     flags, lint };
    madt_add(pa, &e, sizeof(e));
}

static void build_madt_basic(void)
{
    madt_begin(MADT_PA, LAPIC_PA, ACPI_MADT_PCAT_COMPAT);
    add_lapic(MADT_PA, 0, 0, EN);
    add_lapic(MADT_PA, 1, 1, EN);
    add_ioapic(MADT_PA, 0, IOAPIC_PA, 0);
    add_iso(MADT_PA, 0, 2, 0);
    seal(MADT_PA);
}

static void build_hpet(void)
{
    struct acpi_hpet *t = at(HPET_PA);

    hdr(HPET_PA, "HPET", sizeof(*t));
    t->block_id = 0x8086a201;
    t->base.space_id = ACPI_GAS_SYSTEM_MEMORY;
    t->base.address = HPET_MMIO;
    t->hpet_number = 0;
    t->min_tick = 0x80;
    seal(HPET_PA);
}

static void build_mcfg(const struct acpi_mcfg_alloc *a, unsigned int n)
{
    hdr(MCFG_PA, "MCFG", sizeof(struct acpi_mcfg) + n * sizeof(*a));
    if ( n )
        memcpy(at(MCFG_PA + sizeof(struct acpi_mcfg)), a, n * sizeof(*a));
    seal(MCFG_PA);
}

static void build_fadt(void)
{
    struct acpi_fadt *f = at(FADT_PA);

    hdr(FADT_PA, "FACP", sizeof(*f));
    f->header.revision = 5;
    f->sci_int = 9;
    f->pm_tmr_blk = 0x608;
    f->pm_tmr_len = ACPI_PM_TMR_LEN;
    f->century = 0x32;
    f->iapc_boot_arch = ACPI_FADT_BOOT_8042 | ACPI_FADT_BOOT_LEGACY_DEVICES;
    f->flags = ACPI_FADT_RESET_REG_SUP | ACPI_FADT_TMR_VAL_EXT;
    f->reset_reg.space_id = ACPI_GAS_SYSTEM_IO;
    f->reset_reg.bit_width = 8;
    f->reset_reg.address = 0xcf9;
    f->reset_value = 0x06;
    f->x_pm_tmr_blk.space_id = ACPI_GAS_SYSTEM_IO;
    f->x_pm_tmr_blk.bit_width = 32;
    f->x_pm_tmr_blk.address = 0x608;
    seal(FADT_PA);
}

static void build_dmar(void)
{
    hdr(DMAR_PA, "DMAR", 48);
    seal(DMAR_PA);
}

static const struct acpi_mcfg_alloc mcfg_q35 = { 0xb0000000, 0, 0, 0xff, 0 };

/* A QEMU-like machine; the RSDT lists only the MADT so that tests can tell
 * which root table was walked. */
static void build_machine(uint8_t rev)
{
    static const paddr_t all[] = { FADT_PA, MADT_PA, HPET_PA, MCFG_PA,
                                   DMAR_PA };
    static const paddr_t rsdt_only[] = { MADT_PA };

    build_madt_basic();
    build_hpet();
    build_mcfg(&mcfg_q35, 1);
    build_fadt();
    build_dmar();
    put_root(XSDT_PA, true, all, ARRAY_SIZE(all));
    put_root(RSDT_PA, false, rev >= ACPI_RSDP_REV_V2 ? rsdt_only : all,
             rev >= ACPI_RSDP_REV_V2 ? ARRAY_SIZE(rsdt_only)
                                     : ARRAY_SIZE(all));
    put_rsdp(RSDP_PA, rev, RSDT_PA, XSDT_PA);
}

/* Point the RSDT (v1 machine) at the given tables. */
static void rsdt_with(const paddr_t *t, unsigned int n)
{
    put_root(RSDT_PA, false, t, n);
    put_rsdp(RSDP_PA, 0, RSDT_PA, 0);
}

/* ---- RSDP discovery --------------------------------------------------- */

TEST(no_rsdp)
{
    reset();
    CHECK_EQ(acpi_boot_init(NULL, 0), -ENODEV);
    CHECK(!acpi_info.rsdp_found);
    CHECK(logged("ACPI: no RSDP found"));
}

TEST(rsdp_v0_uses_rsdt)
{
    reset();
    build_machine(0);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(acpi_info.rsdp_found);
    CHECK_EQ(acpi_info.rsdp_addr, RSDP_PA);
    CHECK_EQ(acpi_info.rsdp_revision, 0);
    CHECK(!acpi_info.root_is_xsdt);
    CHECK_EQ(acpi_info.root_addr, RSDT_PA);
    CHECK(logged("ACPI: RSDP 0x00000000000F52A0 (v0 BOCHS )\n"));
    CHECK(logged("ACPI: RSDT 0x0000000000110000 00000038 "
                 "(v1 BOCHS  BXPC    )"));
    CHECK(logged("ACPI: APIC 0x0000000000101000 "));
    CHECK(acpi_info.madt_present);
    CHECK(acpi_info.hpet_present);
}

TEST(rsdp_v2_uses_xsdt)
{
    reset();
    build_machine(2);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.rsdp_revision, 2);
    CHECK(acpi_info.root_is_xsdt);
    CHECK_EQ(acpi_info.root_addr, XSDT_PA);
    CHECK(logged("ACPI: RSDP 0x00000000000F52A0 (v2 BOCHS )\n"));
    CHECK(logged("ACPI: XSDT 0x0000000000100800 0000004C "
                 "(v1 BOCHS  BXPC    )\n"));
    CHECK(logged("ACPI: FACP 0x0000000000104000 000000F4 "
                 "(v5 BOCHS  BXPC    )\n"));
    CHECK(logged("ACPI: APIC 0x0000000000101000 00000052 "
                 "(v1 BOCHS  BXPC    )\n"));
    CHECK(logged("ACPI: HPET 0x0000000000102000 00000038 "));
    CHECK(logged("ACPI: MCFG 0x0000000000103000 0000003C "));
    CHECK(logged("ACPI: DMAR 0x0000000000105000 00000030 "));
    CHECK(!logged("ACPI: RSDT"));
    /* Only the XSDT lists the HPET. */
    CHECK(acpi_info.hpet_present);
    CHECK(logged("ACPI: 2 CPUs in MADT (x2APIC: 0), 1 IO-APICs"));
    CHECK(logged("ACPI: HPET at 0xfed00000"));
    CHECK(logged("ACPI: MCFG segment 0 buses 00-ff at 0xb0000000\n"));
    CHECK(logged("ACPI: DMAR present\n"));
    CHECK(!logged("<1>"));          /* no warnings on a clean machine */
}

TEST(rsdp_in_ebda_preferred)
{
    uint16_t seg = EBDA_SEG;

    reset();
    build_machine(2);
    memcpy(at(0x40e), &seg, sizeof(seg));
    put_rsdp(EBDA_PA + 0x10, 0, RSDT_PA, 0);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.rsdp_addr, EBDA_PA + 0x10);
    CHECK(!acpi_info.root_is_xsdt);
}

TEST(rsdp_bogus_ebda_pointer_ignored)
{
    uint16_t seg = 0xffff;          /* EBDA would be above 640 KiB */

    reset();
    build_machine(0);
    memcpy(at(0x40e), &seg, sizeof(seg));
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.rsdp_addr, RSDP_PA);
}

TEST(rsdp_bad_checksum_skipped)
{
    struct acpi_rsdp *bad;

    reset();
    build_machine(0);
    bad = put_rsdp(0xe0000, 0, 0x123000, 0);
    bad->checksum ^= 1;
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.rsdp_addr, RSDP_PA);
    CHECK(logged("ACPI: RSDP at 0xe0000: bad checksum, ignored"));
}

TEST(rsdp_unaligned_not_found)
{
    reset();
    build_machine(0);
    memset(at(RSDP_PA), 0, sizeof(struct acpi_rsdp));
    put_rsdp(RSDP_PA + 4, 0, RSDT_PA, 0);
    CHECK_EQ(acpi_boot_init(NULL, 0), -ENODEV);
}

TEST(rsdp_at_end_of_bios_area)
{
    reset();
    build_machine(0);
    memset(at(RSDP_PA), 0, sizeof(struct acpi_rsdp));
    /* 16 bytes left: too small for even a v1 RSDP, never read past. */
    memcpy(at(0xffff0), ACPI_RSDP_SIG, ACPI_RSDP_SIG_LEN);
    CHECK_EQ(acpi_boot_init(NULL, 0), -ENODEV);
    /* 32 bytes left: a v2 RSDP that does not fit loses only its XSDT. */
    put_rsdp(0xfffe0, 2, RSDT_PA, XSDT_PA);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.rsdp_addr, 0xfffe0);
    CHECK(!acpi_info.root_is_xsdt);
    CHECK(logged("bad v2 length, using the RSDT"));
}

TEST(rsdp_bad_ext_checksum_uses_rsdt)
{
    struct acpi_rsdp *r;

    reset();
    build_machine(2);
    r = at(RSDP_PA);
    r->ext_checksum ^= 0x55;
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.root_is_xsdt);
    CHECK_EQ(acpi_info.root_addr, RSDT_PA);
    CHECK(logged("bad extended checksum, using the RSDT"));
    CHECK(!acpi_info.hpet_present);
}

TEST(rsdp_bad_v2_length_uses_rsdt)
{
    struct acpi_rsdp *r;

    reset();
    build_machine(2);
    r = at(RSDP_PA);
    r->length = 20;
    rsdp_seal(r);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.root_is_xsdt);
    CHECK(logged("bad v2 length"));

    stub_printk_reset();
    r->length = 0xffffffff;
    r->checksum = 0;
    r->checksum = -sum(r, ACPI_RSDP_V1_LEN);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.root_is_xsdt);
    CHECK(logged("bad v2 length"));
}

TEST(multiboot_copy_used)
{
    struct acpi_rsdp copy;

    reset();
    build_machine(2);
    memset(at(RSDP_PA), 0, sizeof(copy));       /* nothing to scan for */
    memset(&copy, 0, sizeof(copy));
    fill_rsdp(&copy, 2, RSDT_PA, XSDT_PA);
    CHECK_EQ(acpi_boot_init(&copy, sizeof(copy)), 0);
    CHECK(acpi_info.rsdp_from_loader);
    CHECK(acpi_info.root_is_xsdt);
    CHECK(logged("ACPI: RSDP (Multiboot copy) (v2 BOCHS )"));
}

TEST(multiboot_copy_bad_falls_back)
{
    struct acpi_rsdp copy;

    reset();
    build_machine(0);
    memset(&copy, 0, sizeof(copy));
    fill_rsdp(&copy, 0, 0x200000, 0);
    copy.checksum ^= 1;
    CHECK_EQ(acpi_boot_init(&copy, sizeof(copy)), 0);
    CHECK(!acpi_info.rsdp_from_loader);
    CHECK_EQ(acpi_info.rsdp_addr, RSDP_PA);
    CHECK(logged("Multiboot RSDP copy unusable"));

    /* Too short to hold even the v1 part. */
    fill_rsdp(&copy, 0, 0x200000, 0);
    CHECK_EQ(acpi_boot_init(&copy, ACPI_RSDP_V1_LEN - 1), 0);
    CHECK(!acpi_info.rsdp_from_loader);
}

TEST(multiboot_old_tag_v2_rsdp)
{
    struct acpi_rsdp copy;

    /* An old-style tag holds only 20 bytes even of a v2 RSDP. */
    reset();
    build_machine(2);
    memset(&copy, 0, sizeof(copy));
    fill_rsdp(&copy, 2, RSDT_PA, XSDT_PA);
    CHECK_EQ(acpi_boot_init(&copy, ACPI_RSDP_V1_LEN), 0);
    CHECK(acpi_info.rsdp_from_loader);
    CHECK(!acpi_info.root_is_xsdt);
}

/* ---- Root tables ------------------------------------------------------ */

TEST(xsdt_bad_checksum_falls_back_to_rsdt)
{
    struct acpi_table_header *x;

    reset();
    build_machine(2);
    x = at(XSDT_PA);
    x->checksum ^= 1;
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.root_is_xsdt);
    CHECK(logged("ACPI: XSDT at 0x0000000000100800: bad checksum, skipped"));
    CHECK(logged("ACPI: XSDT unusable, trying the RSDT"));
    CHECK(acpi_info.madt_present);
}

TEST(xsdt_wrong_signature)
{
    struct acpi_rsdp *r;

    reset();
    build_machine(2);
    r = at(RSDP_PA);
    r->xsdt_address = MADT_PA;
    rsdp_seal(r);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.root_is_xsdt);
    CHECK(logged("is APIC, expected XSDT"));
}

TEST(no_valid_root)
{
    struct acpi_table_header *t;

    reset();
    build_machine(0);
    t = at(RSDT_PA);
    t->checksum ^= 1;
    CHECK_EQ(acpi_boot_init(NULL, 0), -ENODEV);
    CHECK(logged("no valid RSDT or XSDT"));
    CHECK(!acpi_info.madt_present);

    reset();
    put_rsdp(RSDP_PA, 0, 0, 0);     /* null RSDT pointer */
    CHECK_EQ(acpi_boot_init(NULL, 0), -ENODEV);
}

TEST(root_trailing_bytes_and_null_entries)
{
    static const paddr_t t[] = { 0, MADT_PA, HPET_PA };
    struct acpi_table_header *h;

    reset();
    build_madt_basic();
    build_hpet();
    rsdt_with(t, ARRAY_SIZE(t));
    h = at(RSDT_PA);
    h->length += 2;                 /* half an entry */
    seal(RSDT_PA);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(logged("2 trailing bytes in the root table ignored"));
    CHECK(logged("null table pointer skipped"));
    CHECK(acpi_info.madt_present);
    CHECK(acpi_info.hpet_present);
}

TEST(root_too_many_entries)
{
    static paddr_t t[300];
    unsigned int i;

    reset();
    hdr(SSDT_PA, "SSDT", sizeof(struct acpi_table_header));
    seal(SSDT_PA);
    for ( i = 0; i < ARRAY_SIZE(t); i++ )
        t[i] = SSDT_PA;
    rsdt_with(t, ARRAY_SIZE(t));
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(logged("root table lists 300 tables, only the first 256 used"));
    CHECK_EQ(count_logged("ACPI: SSDT 0x"), 256);
}

TEST(empty_root)
{
    reset();
    rsdt_with(NULL, 0);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.madt_present);
    CHECK(logged("ACPI: no usable MADT"));
    CHECK(logged("ACPI: DMAR absent"));
}

/* ---- Table header validation ------------------------------------------ */

TEST(table_length_too_short)
{
    static const paddr_t t[] = { MADT_PA };
    struct acpi_table_header *h;

    reset();
    build_madt_basic();
    h = at(MADT_PA);
    h->length = 10;
    seal(MADT_PA);
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.madt_present);
    CHECK(logged("ACPI: APIC at 0x0000000000101000: bad length 10, skipped"));
}

TEST(table_length_oversized)
{
    static const paddr_t t[] = { MADT_PA, MEM_SIZE - 0x100 };
    struct acpi_table_header *h;

    reset();
    build_madt_basic();
    h = at(MADT_PA);
    h->length = ACPI_TABLE_MAX_LEN + 1;
    /* In bounds of the header check, but running past mapped memory. */
    hdr(MEM_SIZE - 0x100, "SSDT", 0x1000);
    rsdt_with(t, ARRAY_SIZE(t));
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.madt_present);
    CHECK(logged("APIC at 0x0000000000101000: bad length 1048577, skipped"));
    CHECK(logged("SSDT at 0x00000000003FFF00: 4096 bytes run past mapped "
                 "memory"));
}

TEST(table_pointer_outside_map)
{
    static const paddr_t t[] = { MEM_SIZE, ~0ULL - 8, MEM_SIZE - 8, MADT_PA };

    reset();
    build_madt_basic();
    put_root(XSDT_PA, true, t, ARRAY_SIZE(t));
    put_rsdp(RSDP_PA, 2, 0, XSDT_PA);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(count_logged("outside mapped memory, skipped"), 3);
    CHECK(acpi_info.madt_present);
}

TEST(table_bad_checksum)
{
    static const paddr_t t[] = { MADT_PA };
    struct acpi_table_header *h;

    reset();
    build_madt_basic();
    h = at(MADT_PA);
    h->checksum += 1;
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.madt_present);
    CHECK(logged("APIC at 0x0000000000101000: bad checksum, skipped"));
}

TEST(table_get_api)
{
    reset();
    build_hpet();
    CHECK(acpi_table_get(HPET_PA, ACPI_SIG_HPET) == at(HPET_PA));
    CHECK(acpi_table_get(HPET_PA, NULL) == at(HPET_PA));
    CHECK(acpi_table_get(HPET_PA, ACPI_SIG_DMAR) == NULL);
    CHECK(acpi_table_get(0, NULL) == NULL);
    CHECK(acpi_map(MEM_SIZE - 1, 1) != NULL);
    CHECK(acpi_map(MEM_SIZE - 1, 2) == NULL);
    CHECK(acpi_map(~0ULL, 1) == NULL);
    CHECK(acpi_map(0, MEM_SIZE + 1) == NULL);
}

TEST(unprintable_oem_id_sanitised)
{
    static const paddr_t t[] = { SSDT_PA };
    struct acpi_table_header *h;

    reset();
    h = hdr(SSDT_PA, "SSDT", sizeof(*h));
    memcpy(h->oem_id, "A\nB\0\x80Z", ACPI_OEM_ID_LEN);
    seal(SSDT_PA);
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(logged("(v1 A?B ?Z BXPC    )"));
}

TEST(duplicate_table_ignored)
{
    static const paddr_t t[] = { MADT_PA, MADT2_PA };

    reset();
    build_madt_basic();
    madt_begin(MADT2_PA, LAPIC_PA, 0);
    add_lapic(MADT2_PA, 5, 5, EN);
    seal(MADT2_PA);
    rsdt_with(t, ARRAY_SIZE(t));
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_cpus, 2);
    CHECK(logged("ACPI: second APIC ignored"));
}

/* ---- MADT ------------------------------------------------------------- */

static const paddr_t madt_only[] = { MADT_PA };

TEST(madt_every_entry_type)
{
    struct acpi_madt_lapic_override lo = {
        { ACPI_MADT_LAPIC_OVERRIDE, sizeof(lo) }, 0, 0xfee10000ULL };
    struct acpi_madt_x2apic_nmi xn = {
        { ACPI_MADT_X2APIC_NMI, sizeof(xn) }, 0x5, ACPI_UID_ALL, 1, { 0 } };
    uint8_t unknown[6] = { 0x7f, 6, 1, 2, 3, 4 };
    const struct acpi_info *ai = &acpi_info;

    reset();
    madt_begin(MADT_PA, LAPIC_PA, ACPI_MADT_PCAT_COMPAT);
    add_lapic(MADT_PA, 0, 0, EN);
    add_lapic(MADT_PA, 1, 2, EN | ACPI_MADT_CPU_ONLINE_CAPABLE);
    add_lapic(MADT_PA, 2, 4, ACPI_MADT_CPU_ONLINE_CAPABLE);   /* hot-plug */
    add_ioapic(MADT_PA, 8, IOAPIC_PA, 0);
    add_ioapic(MADT_PA, 9, IOAPIC_PA + 0x1000, 24);
    add_iso(MADT_PA, 0, 2, 0);
    add_iso(MADT_PA, 9, 9, ACPI_MPS_INTI_POLARITY_HIGH |
                           ACPI_MPS_INTI_TRIGGER_LEVEL);
    add_lapic_nmi(MADT_PA, ACPI_MADT_UID8_ALL, 0x5, 1);
    add_lapic_nmi(MADT_PA, 1, 0, 0);
    madt_add(MADT_PA, &lo, sizeof(lo));
    madt_add(MADT_PA, unknown, sizeof(unknown));
    add_x2apic(MADT_PA, 300, 0x100, EN);
    madt_add(MADT_PA, &xn, sizeof(xn));
    seal(MADT_PA);
    rsdt_with(madt_only, 1);

    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(ai->madt_present);
    CHECK_EQ(ai->madt_flags, ACPI_MADT_PCAT_COMPAT);
    CHECK_EQ(ai->lapic_addr, 0xfee10000ULL);
    CHECK_EQ(ai->nr_cpus, 3);
    CHECK_EQ(ai->nr_x2apic_cpus, 1);
    CHECK_EQ(ai->nr_cpus_disabled, 1);
    CHECK_EQ(ai->cpus[0].apic_id, 0);
    CHECK_EQ(ai->cpus[1].apic_id, 2);
    CHECK_EQ(ai->cpus[1].acpi_uid, 1);
    CHECK(!ai->cpus[1].x2apic);
    CHECK_EQ(ai->cpus[2].apic_id, 0x100);
    CHECK_EQ(ai->cpus[2].acpi_uid, 300);
    CHECK(ai->cpus[2].x2apic);
    CHECK_EQ(ai->nr_ioapics, 2);
    CHECK_EQ(ai->ioapics[1].id, 9);
    CHECK_EQ(ai->ioapics[1].addr, IOAPIC_PA + 0x1000);
    CHECK_EQ(ai->ioapics[1].gsi_base, 24);
    CHECK_EQ(ai->nr_overrides, 2);
    CHECK_EQ(ai->overrides[0].source_irq, 0);
    CHECK_EQ(ai->overrides[0].gsi, 2);
    CHECK_EQ(ai->overrides[1].source_irq, 9);
    CHECK_EQ(ai->overrides[1].flags, 0xd);
    CHECK_EQ(ai->nr_lapic_nmis, 3);
    CHECK_EQ(ai->lapic_nmis[0].acpi_uid, ACPI_UID_ALL);
    CHECK_EQ(ai->lapic_nmis[0].flags, 5);
    CHECK_EQ(ai->lapic_nmis[0].lint, 1);
    CHECK_EQ(ai->lapic_nmis[1].acpi_uid, 1);
    CHECK_EQ(ai->lapic_nmis[2].acpi_uid, ACPI_UID_ALL);
    CHECK(logged("ACPI: 3 CPUs in MADT (x2APIC: 1), 2 IO-APICs, local APIC "
                 "at 0xfee10000"));
    CHECK(!logged("ACPI: MADT:"));  /* no MADT warnings */
}

TEST(madt_zero_length_entry_stops)
{
    uint8_t zero[2] = { ACPI_MADT_LAPIC, 0 };

    reset();
    madt_begin(MADT_PA, LAPIC_PA, 0);
    add_lapic(MADT_PA, 0, 0, EN);
    madt_add(MADT_PA, zero, sizeof(zero));
    add_lapic(MADT_PA, 1, 1, EN);
    seal(MADT_PA);
    rsdt_with(madt_only, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_cpus, 1);
    CHECK(logged("entry type 0 at offset 52 has length 0, rest of the table "
                 "ignored"));
}

TEST(madt_entry_overruns_table)
{
    uint8_t bad[8] = { ACPI_MADT_IOAPIC, 40, 0 };

    reset();
    madt_begin(MADT_PA, LAPIC_PA, 0);
    add_lapic(MADT_PA, 0, 0, EN);
    madt_add(MADT_PA, bad, sizeof(bad));
    seal(MADT_PA);
    rsdt_with(madt_only, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_cpus, 1);
    CHECK_EQ(acpi_info.nr_ioapics, 0);
    CHECK(logged("entry type 1 at offset 52 overruns the table"));
}

TEST(madt_short_entry_skipped)
{
    uint8_t shortl[4] = { ACPI_MADT_LAPIC, 4, 7, 7 };
    uint8_t odd[1] = { ACPI_MADT_LAPIC };   /* lone trailing byte */

    reset();
    madt_begin(MADT_PA, LAPIC_PA, 0);
    madt_add(MADT_PA, shortl, sizeof(shortl));
    add_lapic(MADT_PA, 1, 1, EN);
    madt_add(MADT_PA, odd, sizeof(odd));
    seal(MADT_PA);
    rsdt_with(madt_only, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_cpus, 1);
    CHECK_EQ(acpi_info.cpus[0].apic_id, 1);
    CHECK(logged("LAPIC entry at offset 44 too short (4 bytes), skipped"));
}

TEST(madt_too_short_header)
{
    reset();
    hdr(MADT_PA, "APIC", sizeof(struct acpi_table_header) + 4);
    seal(MADT_PA);
    rsdt_with(madt_only, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.madt_present);
    CHECK(logged("ACPI: MADT too short (40 bytes), ignored"));
}

TEST(madt_duplicate_and_invalid_ids)
{
    reset();
    madt_begin(MADT_PA, LAPIC_PA, 0);
    add_lapic(MADT_PA, 0, 0, EN);
    add_x2apic(MADT_PA, 0, 0, EN);                 /* same CPU again */
    add_lapic(MADT_PA, 1, ACPI_APIC_ID_INVALID, EN);
    add_x2apic(MADT_PA, 2, ACPI_X2APIC_ID_INVALID, EN);
    seal(MADT_PA);
    rsdt_with(madt_only, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_cpus, 1);
    CHECK_EQ(acpi_info.nr_x2apic_cpus, 0);
    CHECK(logged("duplicate APIC ID 0 ignored"));
    CHECK(logged("LAPIC with invalid ID ignored"));
    CHECK(logged("x2APIC with invalid ID ignored"));
}

TEST(madt_capacities)
{
    unsigned int i;

    reset();
    madt_begin(MADT_PA, LAPIC_PA, 0);
    for ( i = 0; i < 300; i++ )
        add_x2apic(MADT_PA, i, i, EN);
    for ( i = 0; i < ACPI_MAX_IOAPICS + 2; i++ )
        add_ioapic(MADT_PA, i, IOAPIC_PA + i * 0x1000, i * 24);
    for ( i = 0; i < ACPI_MAX_OVERRIDES + 4; i++ )
        add_iso(MADT_PA, i, i, 0);
    for ( i = 0; i < ACPI_MAX_LAPIC_NMIS + 3; i++ )
        add_lapic_nmi(MADT_PA, i, 0, 1);
    seal(MADT_PA);
    rsdt_with(madt_only, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_cpus, ACPI_MAX_CPUS);
    CHECK_EQ(acpi_info.nr_cpus_dropped, 300 - ACPI_MAX_CPUS);
    CHECK_EQ(acpi_info.cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS - 1);
    CHECK_EQ(acpi_info.nr_ioapics, ACPI_MAX_IOAPICS);
    CHECK_EQ(acpi_info.nr_ioapics_dropped, 2);
    CHECK_EQ(acpi_info.nr_overrides, ACPI_MAX_OVERRIDES);
    CHECK_EQ(acpi_info.nr_overrides_dropped, 4);
    CHECK_EQ(acpi_info.nr_lapic_nmis, ACPI_MAX_LAPIC_NMIS);
    CHECK_EQ(acpi_info.nr_lapic_nmis_dropped, 3);
    CHECK(logged("ACPI: 256 CPUs in MADT (x2APIC: 256), 8 IO-APICs"));
    CHECK(logged("ACPI: 44 CPUs beyond the limit of 256 ignored"));
    CHECK(logged("ACPI: 2 IO-APICs beyond the limit of 8 ignored"));
    CHECK(logged("ACPI: 4 interrupt overrides beyond the limit of 16"));
    CHECK(logged("ACPI: 3 LAPIC NMI entries beyond the limit of 16"));
}

/* ---- HPET, MCFG, FADT, DMAR ------------------------------------------- */

TEST(hpet_parsed)
{
    static const paddr_t t[] = { HPET_PA };

    reset();
    build_hpet();
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(acpi_info.hpet_present);
    CHECK_EQ(acpi_info.hpet_addr, HPET_MMIO);
    CHECK_EQ(acpi_info.hpet_block_id, 0x8086a201);
    CHECK_EQ(acpi_info.hpet_min_tick, 0x80);
    CHECK(logged("ACPI: HPET at 0xfed00000 (block id 0x8086a201)"));
}

TEST(hpet_unusable)
{
    static const paddr_t t[] = { HPET_PA };
    struct acpi_hpet *h;

    reset();
    build_hpet();
    h = at(HPET_PA);
    h->base.space_id = ACPI_GAS_SYSTEM_IO;
    seal(HPET_PA);
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.hpet_present);
    CHECK(logged("HPET: unusable base (space 1, 0xfed00000)"));
    CHECK(logged("ACPI: no HPET"));

    reset();
    build_hpet();
    h->header.length = sizeof(*h) - 1;
    seal(HPET_PA);
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.hpet_present);
    CHECK(logged("ACPI: HPET too short (55 bytes), ignored"));
}

TEST(mcfg_no_segments)
{
    static const paddr_t t[] = { MCFG_PA };

    reset();
    build_mcfg(NULL, 0);
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_mcfg, 0);
    CHECK(logged("ACPI: no MCFG"));
}

TEST(mcfg_several_segments)
{
    static const paddr_t t[] = { MCFG_PA };
    static const struct acpi_mcfg_alloc a[] = {
        { 0xe0000000, 0, 0, 0x3f, 0 },
        { 0x80000000, 1, 0x10, 0x1f, 0 },
        { 0x90000000, 2, 0x20, 0x10, 0 },           /* start > end */
        { 0, 3, 0, 0xff, 0 },                       /* no base */
        { 0xfffffffffff00000ULL, 4, 0, 0xff, 0 },   /* wraps */
        { 0x3f00000000ULL, 5, 0, 0xff, 0 },
    };
    struct acpi_table_header *h;

    reset();
    build_mcfg(a, ARRAY_SIZE(a));
    h = at(MCFG_PA);
    h->length += 3;                                  /* trailing junk */
    seal(MCFG_PA);
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_mcfg, 3);
    CHECK_EQ(acpi_info.mcfg[0].base, 0xe0000000);
    CHECK_EQ(acpi_info.mcfg[0].bus_end, 0x3f);
    CHECK_EQ(acpi_info.mcfg[1].seg, 1);
    CHECK_EQ(acpi_info.mcfg[1].bus_start, 0x10);
    CHECK_EQ(acpi_info.mcfg[2].seg, 5);
    CHECK_EQ(count_logged("ACPI: MCFG: bad entry"), 3);
    CHECK(logged("ACPI: MCFG: 3 trailing bytes ignored"));
    CHECK(logged("ACPI: MCFG segment 0 buses 00-3f at 0xe0000000\n"));
    CHECK(logged("ACPI: MCFG segment 1 buses 10-1f at 0x80000000\n"));
    CHECK(logged("ACPI: MCFG segment 5 buses 00-ff at 0x3f00000000\n"));
}

TEST(mcfg_too_many_segments)
{
    static const paddr_t t[] = { MCFG_PA };
    struct acpi_mcfg_alloc a[ACPI_MAX_MCFG + 2];
    unsigned int i;

    reset();
    for ( i = 0; i < ARRAY_SIZE(a); i++ )
    {
        a[i] = mcfg_q35;
        a[i].segment = i;
    }
    build_mcfg(a, ARRAY_SIZE(a));
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.nr_mcfg, ACPI_MAX_MCFG);
    CHECK_EQ(acpi_info.nr_mcfg_dropped, 2);
    CHECK(logged("ACPI: 2 MCFG segments beyond the limit of 8 ignored"));
}

TEST(fadt_full)
{
    static const paddr_t t[] = { FADT_PA };

    reset();
    build_fadt();
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(acpi_info.fadt_present);
    CHECK(acpi_info.reset_supported);
    CHECK_EQ(acpi_info.reset_reg.space_id, ACPI_GAS_SYSTEM_IO);
    CHECK_EQ(acpi_info.reset_reg.address, 0xcf9);
    CHECK_EQ(acpi_info.reset_value, 6);
    CHECK_EQ(acpi_info.pm_tmr_port, 0x608);
    CHECK(acpi_info.pm_tmr_32bit);
    CHECK_EQ(acpi_info.century, 0x32);
    CHECK_EQ(acpi_info.sci_irq, 9);
    CHECK_EQ(acpi_info.boot_arch,
             ACPI_FADT_BOOT_8042 | ACPI_FADT_BOOT_LEGACY_DEVICES);
    CHECK(logged("ACPI: PM timer at port 0x608 (32-bit)"));
    CHECK(logged("ACPI: reset register space 1 at 0xcf9, value 0x06"));
}

TEST(fadt_acpi1)
{
    static const paddr_t t[] = { FADT_PA };
    struct acpi_fadt *f;

    reset();
    build_fadt();
    f = at(FADT_PA);
    f->header.length = ACPI_FADT_V1_LEN;
    f->header.revision = 1;
    f->pm_tmr_blk = 0x408;
    f->flags = ACPI_FADT_RESET_REG_SUP;  /* claims reset, has no register */
    seal(FADT_PA);
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(acpi_info.fadt_present);
    CHECK(!acpi_info.reset_supported);
    CHECK_EQ(acpi_info.pm_tmr_port, 0x408);
    CHECK(!acpi_info.pm_tmr_32bit);
    CHECK_EQ(acpi_info.boot_arch, 0);
    CHECK(logged("(24-bit)"));
}

TEST(fadt_reset_unsupported_or_bad)
{
    static const paddr_t t[] = { FADT_PA };
    struct acpi_fadt *f;

    reset();
    build_fadt();
    f = at(FADT_PA);
    f->flags &= ~ACPI_FADT_RESET_REG_SUP;
    seal(FADT_PA);
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.reset_supported);

    f->flags |= ACPI_FADT_RESET_REG_SUP;
    f->reset_reg.space_id = 0x7f;              /* functional fixed hw */
    seal(FADT_PA);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.reset_supported);

    /* PM timer in memory space is not used; too short a FADT is ignored. */
    f->x_pm_tmr_blk.space_id = ACPI_GAS_SYSTEM_MEMORY;
    seal(FADT_PA);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.pm_tmr_port, 0);
    CHECK(logged("PM timer not in I/O space"));

    f->header.length = 100;
    seal(FADT_PA);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK(!acpi_info.fadt_present);
    CHECK(logged("ACPI: FADT too short (100 bytes), ignored"));
}

TEST(dmar_present_and_absent)
{
    static const paddr_t t[] = { DMAR_PA };

    reset();
    build_dmar();
    rsdt_with(t, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.dmar_addr, DMAR_PA);
    CHECK_EQ(acpi_info.dmar_len, 48);
    CHECK(logged("ACPI: DMAR present"));

    reset();
    build_machine(0);
    rsdt_with(madt_only, 1);
    CHECK_EQ(acpi_boot_init(NULL, 0), 0);
    CHECK_EQ(acpi_info.dmar_len, 0);
    CHECK(logged("ACPI: DMAR absent"));
}

int main(void)
{
    mem = calloc(1, MEM_SIZE);
    if ( !mem )
        return 2;
    stub_directmap_base = mem;

    RUN(no_rsdp);
    RUN(rsdp_v0_uses_rsdt);
    RUN(rsdp_v2_uses_xsdt);
    RUN(rsdp_in_ebda_preferred);
    RUN(rsdp_bogus_ebda_pointer_ignored);
    RUN(rsdp_bad_checksum_skipped);
    RUN(rsdp_unaligned_not_found);
    RUN(rsdp_at_end_of_bios_area);
    RUN(rsdp_bad_ext_checksum_uses_rsdt);
    RUN(rsdp_bad_v2_length_uses_rsdt);
    RUN(multiboot_copy_used);
    RUN(multiboot_copy_bad_falls_back);
    RUN(multiboot_old_tag_v2_rsdp);
    RUN(xsdt_bad_checksum_falls_back_to_rsdt);
    RUN(xsdt_wrong_signature);
    RUN(no_valid_root);
    RUN(root_trailing_bytes_and_null_entries);
    RUN(root_too_many_entries);
    RUN(empty_root);
    RUN(table_length_too_short);
    RUN(table_length_oversized);
    RUN(table_pointer_outside_map);
    RUN(table_bad_checksum);
    RUN(table_get_api);
    RUN(unprintable_oem_id_sanitised);
    RUN(duplicate_table_ignored);
    RUN(madt_every_entry_type);
    RUN(madt_zero_length_entry_stops);
    RUN(madt_entry_overruns_table);
    RUN(madt_short_entry_skipped);
    RUN(madt_too_short_header);
    RUN(madt_duplicate_and_invalid_ids);
    RUN(madt_capacities);
    RUN(hpet_parsed);
    RUN(hpet_unusable);
    RUN(mcfg_no_segments);
    RUN(mcfg_several_segments);
    RUN(mcfg_too_many_segments);
    RUN(fadt_full);
    RUN(fadt_acpi1);
    RUN(fadt_reset_unsupported_or_bad);
    RUN(dmar_present_and_absent);

    free(mem);
    HARNESS_EXIT();
}
