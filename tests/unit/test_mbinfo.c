/*
 * Host tests for arch/x86/boot/mbinfo.c: Multiboot 1 and 2 information
 * built in a fake physical memory, including truncated, oversized and
 * looping structures that must be rejected or bounded.
 */
#include "harness.h"
#include <keel/bootinfo.h>
#include <keel/errno.h>
#include <asm/multiboot.h>

#define MEM_SIZE (1u << 20)
static uint8_t mem[MEM_SIZE];

const void *mbinfo_map(paddr_t pa, size_t len)
{
    if ( pa + len < pa || pa + len > MEM_SIZE )
        return NULL;
    return mem + pa;
}

static struct boot_info bi;

static void put_str(uint32_t pa, const char *s)
{
    strcpy((char *)mem + pa, s);
}

/* Multiboot 1 info at 0x1000 with cmdline, loader name, 2 modules, mmap. */
static void build_mb1(void)
{
    struct mb1_info *mbi = (void *)(mem + 0x1000);
    struct mb1_module *mods = (void *)(mem + 0x2000);
    struct mb1_mmap *e = (void *)(mem + 0x3000);

    memset(mem, 0, sizeof(mem));
    mbi->flags = MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MODS |
                 MB1_INFO_MMAP | MB1_INFO_LOADER_NAME;
    mbi->mem_lower = 639;
    mbi->mem_upper = 130048;
    mbi->cmdline = 0x4000;
    put_str(0x4000, "/keel.gz dom0_mem=256M");
    mbi->boot_loader_name = 0x4100;
    put_str(0x4100, "NetBSD/x86 BIOS Boot");
    mbi->mods_count = 2;
    mbi->mods_addr = 0x2000;
    mods[0] = (struct mb1_module){ 0x100000, 0x180000, 0x4200, 0 };
    put_str(0x4200, "/netbsd-XEN3_DOM0.gz console=pc");
    mods[1] = (struct mb1_module){ 0x180000, 0x190000, 0, 0 };
    e[0] = (struct mb1_mmap){ 20, 0, 0x9fc00, 1 };
    e[1] = (struct mb1_mmap){ 20, 0x100000, 0x7f00000, 1 };
    mbi->mmap_addr = 0x3000;
    mbi->mmap_length = 2 * sizeof(*e);
}

TEST(mb1_basic)
{
    build_mb1();
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.loader, LOADER_MULTIBOOT1);
    CHECK(!bi.multiboot2);
    CHECK_STR(bi.cmdline, "/keel.gz dom0_mem=256M");
    CHECK_STR(bi.loader_name, "NetBSD/x86 BIOS Boot");
    CHECK_EQ(bi.nr_modules, 2);
    CHECK_EQ(bi.modules[0].start, 0x100000);
    CHECK_EQ(bi.modules[0].end, 0x180000);
    CHECK_STR(bi.modules[0].cmdline, "/netbsd-XEN3_DOM0.gz console=pc");
    CHECK_STR(bi.modules[1].cmdline, "");
    CHECK_EQ(bi.nr_mmap, 2);
    CHECK_EQ(bi.mmap[1].addr, 0x100000);
    CHECK_EQ(bi.mmap[1].len, 0x7f00000);
    CHECK_EQ(bi.mem_upper_kb, 130048);
    CHECK_EQ(bi.dropped, 0);
}

TEST(bad_magic)
{
    build_mb1();
    CHECK_EQ(mbinfo_parse(0x12345678, 0x1000, &bi), -EINVAL);
    /* Info pointer outside mappable memory. */
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, MEM_SIZE - 4, &bi), -EINVAL);
}

TEST(mb1_grub2_name_keeps_first_word)
{
    build_mb1();
    put_str(0x4100, "GRUB 2.06-13+deb12u2");
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.loader, LOADER_GRUB2);
    put_str(0x4100, "GNU GRUB 0.97");
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.loader, LOADER_MULTIBOOT1);
}

TEST(mb1_unterminated_strings_bounded)
{
    build_mb1();
    memset(mem + 0x4000, 'x', 0x4000);      /* no NUL for 16 KiB */
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
    CHECK_EQ(strlen(bi.modules[0].cmdline), BOOT_CMDLINE_MAX - 1);
    /* A string running off the end of memory stops there. */
    ((struct mb1_info *)(mem + 0x1000))->cmdline = MEM_SIZE - 3;
    memset(mem + MEM_SIZE - 3, 'y', 3);
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_STR(bi.cmdline, "yyy");
}

TEST(mb1_too_many_modules)
{
    struct mb1_info *mbi;

    build_mb1();
    mbi = (void *)(mem + 0x1000);
    mbi->mods_count = 0xffffffff;           /* absurd count: bounded */
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.nr_modules, BOOT_MAX_MODULES);
    CHECK(bi.dropped > 0);
}

TEST(mb1_inverted_module_dropped)
{
    struct mb1_module *mods = (void *)(mem + 0x2000);

    build_mb1();
    mods[1].mod_end = mods[1].mod_start - 1;
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.nr_modules, 1);
    CHECK_EQ(bi.dropped, 1);
}

TEST(mb1_mmap_bad_entry_size_stops)
{
    struct mb1_mmap *e = (void *)(mem + 0x3000);

    build_mb1();
    e[0].size = 4;                          /* smaller than an entry */
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.nr_mmap, 0);
    build_mb1();
    e[0].size = 0xfffffff0;                 /* huge skip: must not wrap */
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.nr_mmap, 1);
}

TEST(mb1_mmap_overflow_counted)
{
    struct mb1_info *mbi;
    struct mb1_mmap *e = (void *)(mem + 0x10000);
    unsigned int i;

    build_mb1();
    mbi = (void *)(mem + 0x1000);
    for ( i = 0; i < BOOT_MAX_MMAP + 10; i++ )
        e[i] = (struct mb1_mmap){ 20, (uint64_t)i << 20, 1 << 20, 1 };
    mbi->mmap_addr = 0x10000;
    mbi->mmap_length = (BOOT_MAX_MMAP + 10) * sizeof(*e);
    CHECK_EQ(mbinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.nr_mmap, BOOT_MAX_MMAP);
    CHECK_EQ(bi.dropped, 10);
}

/* ---- Multiboot 2 ---------------------------------------------------- */

static uint32_t mb2_off;

static void *mb2_tag(uint32_t type, uint32_t size)
{
    struct mb2_tag *t = (void *)(mem + 0x1000 + mb2_off);

    t->type = type;
    t->size = size;
    mb2_off += (size + 7) & ~7u;
    return t;
}

static void mb2_finish(void)
{
    mb2_tag(MB2_TAG_END, 8);
    ((uint32_t *)(mem + 0x1000))[0] = mb2_off;
}

static void build_mb2(void)
{
    struct mb2_tag_module *m;
    struct mb2_tag_mmap *mm;
    struct mb2_mmap_entry *e;
    uint8_t *acpi;

    memset(mem, 0, sizeof(mem));
    mb2_off = 8;
    strcpy((char *)mb2_tag(MB2_TAG_CMDLINE, 8 + 20) + 8, "dom0_mem=1G noreboot");
    strcpy((char *)mb2_tag(MB2_TAG_LOADER_NAME, 8 + 21) + 8,
           "GRUB 2.06-13+deb12u2");
    m = mb2_tag(MB2_TAG_MODULE, sizeof(*m) + 22);
    m->mod_start = 0x200000;
    m->mod_end = 0x300000;
    strcpy(m->string, "/vmlinuz root=/dev/sda");
    mm = mb2_tag(MB2_TAG_MMAP, sizeof(*mm) + 2 * sizeof(*e));
    mm->entry_size = sizeof(*e);
    e = (void *)(mm + 1);
    e[0] = (struct mb2_mmap_entry){ 0, 0x9fc00, 1, 0 };
    e[1] = (struct mb2_mmap_entry){ 0x100000, 0x3ff00000, 1, 0 };
    acpi = mb2_tag(MB2_TAG_ACPI_OLD, 8 + 20);
    memcpy(acpi + 8, "RSD PTR ", 8);
}

TEST(mb2_basic)
{
    build_mb2();
    mb2_finish();
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK(bi.multiboot2);
    CHECK_EQ(bi.loader, LOADER_GRUB2);
    CHECK_STR(bi.cmdline, "dom0_mem=1G noreboot");
    CHECK_EQ(bi.nr_modules, 1);
    CHECK_STR(bi.modules[0].cmdline, "/vmlinuz root=/dev/sda");
    CHECK_EQ(bi.nr_mmap, 2);
    CHECK_EQ(bi.mmap[1].len, 0x3ff00000);
    CHECK_EQ(bi.rsdp_len, 20);
    CHECK(bi.rsdp_copy == bi.rsdp_buf);
    CHECK(!memcmp(bi.rsdp_buf, "RSD PTR ", 8));
    CHECK_EQ(bi.info_start, 0x1000);
    CHECK_EQ(bi.info_end, 0x1000 + mb2_off);
}

TEST(mb2_tag_overrunning_total_stops)
{
    build_mb2();
    mb2_tag(MB2_TAG_CMDLINE, 0x10000);      /* claims more than the total */
    ((uint32_t *)(mem + 0x1000))[0] = mb2_off - 0x10000 + 16;
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_STR(bi.cmdline, "dom0_mem=1G noreboot");
}

TEST(mb2_zero_size_tag_terminates)
{
    build_mb2();
    mb2_tag(MB2_TAG_CMDLINE, 0);            /* would loop forever if trusted */
    mb2_off += 8;
    ((uint32_t *)(mem + 0x1000))[0] = mb2_off + 64;
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.nr_modules, 1);
}

TEST(mb2_bad_total_size)
{
    build_mb2();
    mb2_finish();
    ((uint32_t *)(mem + 0x1000))[0] = 4;
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), -EINVAL);
    ((uint32_t *)(mem + 0x1000))[0] = 0x7fffffff;
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), -EINVAL);
}

TEST(mb2_mmap_small_entry_size_ignored)
{
    struct mb2_tag_mmap *mm;

    build_mb2();
    mm = mb2_tag(MB2_TAG_MMAP, sizeof(*mm) + 64);
    mm->entry_size = 4;                     /* too small: whole tag ignored */
    mb2_finish();
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.nr_mmap, 2);
}

TEST(mb2_mmap_huge_entry_size_no_wrap)
{
    struct mb2_tag_mmap *mm;

    build_mb2();
    mm = mb2_tag(MB2_TAG_MMAP, sizeof(*mm));
    mm->entry_size = 0xffffffff;            /* eoff + size would wrap */
    mb2_finish();
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.nr_mmap, 2);
}

TEST(mb2_acpi_new_preferred)
{
    uint8_t *acpi;

    build_mb2();
    acpi = mb2_tag(MB2_TAG_ACPI_NEW, 8 + 36);
    memcpy(acpi + 8, "RSD PTR ", 8);
    acpi[8 + 15] = 2;
    acpi = mb2_tag(MB2_TAG_ACPI_OLD, 8 + 20);   /* old after new: ignored */
    mb2_finish();
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.rsdp_len, 36);
    CHECK_EQ(bi.rsdp_buf[15], 2);
}

TEST(mb2_oversized_rsdp_truncated_to_buffer)
{
    build_mb2();
    mb2_tag(MB2_TAG_ACPI_NEW, 8 + 4000);
    mb2_finish();
    CHECK_EQ(mbinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, &bi), 0);
    CHECK_EQ(bi.rsdp_len, sizeof(bi.rsdp_buf));
}

int main(void)
{
    RUN(mb1_basic);
    RUN(bad_magic);
    RUN(mb1_grub2_name_keeps_first_word);
    RUN(mb1_unterminated_strings_bounded);
    RUN(mb1_too_many_modules);
    RUN(mb1_inverted_module_dropped);
    RUN(mb1_mmap_bad_entry_size_stops);
    RUN(mb1_mmap_overflow_counted);
    RUN(mb2_basic);
    RUN(mb2_tag_overrunning_total_stops);
    RUN(mb2_zero_size_tag_terminates);
    RUN(mb2_bad_total_size);
    RUN(mb2_mmap_small_entry_size_ignored);
    RUN(mb2_mmap_huge_entry_size_no_wrap);
    RUN(mb2_acpi_new_preferred);
    RUN(mb2_oversized_rsdp_truncated_to_buffer);
    HARNESS_EXIT();
}
