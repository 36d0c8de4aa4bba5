/*
 * Writes the starting corpus of the fuzz harnesses into DIR/<harness>/:
 * small valid inputs built with the unit tests' ELF builder and DEFLATE
 * encoder (tests/unit/elf_builder.h, tests/unit/deflate_encoder.h) and
 * Multiboot 1 and 2 information laid out as fuzz_mbinfo.c reads it.  Run
 * at build time by tests/fuzz/fuzz.mk, so no binary seed is kept in the
 * tree; the command-line seeds are text files in tests/fuzz/corpus/.
 *
 *   usage: mkseeds DIR
 */
#include <keel/types.h>
#include <asm/multiboot.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "elf_builder.h"
#include "deflate_encoder.h"

static const char *outdir;

static void save(const char *harness, const char *name, const void *p,
                 size_t n)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", outdir, harness);
    if ( mkdir(path, 0755) && errno != EEXIST )
    {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof(path), "%s/%s/%s", outdir, harness, name);
    f = fopen(path, "wb");
    if ( !f || fwrite(p, 1, n, f) != n || fclose(f) )
    {
        perror(path);
        exit(1);
    }
}

/* ---- inflate ------------------------------------------------------------- */

static void text(const char *s)
{
    while ( *s )
        lit(*s++);
}

static void inflate_seeds(void)
{
    static const char msg[] = "Keel keel Keel keel";
    static uint8_t ll[288], d[30];
    static uint8_t two[4096];
    size_t first;

    bw_reset();
    fixed_header(true);
    text("Keel keel ");
    match(9, 10);                       /* "Keel keel" */
    eob();
    wrap_gzip((const uint8_t *)msg, sizeof(msg) - 1);
    save("inflate", "fixed.gz", gz, gz_len);
    memcpy(two, gz, gz_len);
    first = gz_len;
    wrap_zlib((const uint8_t *)msg, sizeof(msg) - 1);
    save("inflate", "fixed.zlib", gz, gz_len);

    bw_reset();
    stored(false, (const uint8_t *)"stored ", 7);
    stored(true, (const uint8_t *)"blocks", 6);
    wrap_gzip((const uint8_t *)"stored blocks", 13);
    save("inflate", "stored.gz", gz, gz_len);
    memcpy(two + first, gz, gz_len);
    save("inflate", "two-members.gz", two, first + gz_len);

    /* Dynamic: 'a'..'p' 5 bits, EOB and lengths 3..6 4 bits... */
    memset(ll, 0, sizeof(ll));
    memset(d, 0, sizeof(d));
    for ( unsigned int c = 'a'; c <= 'p'; c++ )
        ll[c] = 5;
    for ( unsigned int s = 256; s <= 263; s++ )
        ll[s] = 4;
    for ( unsigned int i = 0; i < 8; i++ )
        d[i] = 3;
    bw_reset();
    dyn_plain(true, ll, 264, d, 8);
    text("abcdefgh");
    match(6, 8);
    match(5, 3);
    text("ponm");
    eob();
    wrap_gzip((const uint8_t *)"abcdefghabcdefdefdeponm", 23);
    save("inflate", "dynamic.gz", gz, gz_len);
}

/* ---- ELF ----------------------------------------------------------------- */

static void elf_seeds(void)
{
    default_cfg();
    build();
    save("elf", "linux.elf", img_buf, img_size);

    default_cfg();
    cfg.note_align = 8;
    cfg.notes_in_segment = false;
    note_num(XEN_ELFNOTE_INIT_P2M, 0xffffea0000000000ull, 8);
    build();
    save("elf", "section-notes.elf", img_buf, img_size);

    default_cfg();
    cfg.nr_notes = 0;
    cfg.xen_guest = "GUEST_OS=linux,XEN_VER=xen-3.0,"
                    "VIRT_BASE=0xffffffff80000000,ELF_PADDR_OFFSET=0,"
                    "HYPERCALL_PAGE=0x201,LOADER=generic,"
                    "FEATURES=!writable_page_tables,PAE=yes";
    build();
    save("elf", "legacy.elf", img_buf, img_size);
}

/* ---- Multiboot information ----------------------------------------------- */

static uint8_t mb[0x1000];

static void put32(size_t off, uint32_t v)
{
    memcpy(mb + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
    memcpy(mb + off, &v, 8);
}

static void mbinfo_seeds(void)
{
    struct mb1_info *mbi = (void *)(mb + 0x100);
    struct mb1_module *mods = (void *)(mb + 0x200);
    struct mb1_mmap *e = (void *)(mb + 0x300);
    size_t off;

    /* Multiboot 1 at 0x100: byte 0 even, bytes 4..7 the pointer. */
    memset(mb, 0, sizeof(mb));
    put32(4, 0x100);
    mbi->flags = MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MODS |
                 MB1_INFO_MMAP | MB1_INFO_LOADER_NAME;
    mbi->mem_lower = 639;
    mbi->mem_upper = 130048;
    mbi->cmdline = 0x400;
    strcpy((char *)mb + 0x400, "/keel.gz console=com1 dom0_mem=512M -- quiet");
    mbi->boot_loader_name = 0x480;
    strcpy((char *)mb + 0x480, "GRUB 2.06");
    mbi->mods_count = 2;
    mbi->mods_addr = 0x200;
    mods[0] = (struct mb1_module){ 0x100000, 0x180000, 0x500, 0 };
    strcpy((char *)mb + 0x500, "/vmlinuz root=/dev/sda1");
    mods[1] = (struct mb1_module){ 0x180000, 0x190000, 0, 0 };
    e[0] = (struct mb1_mmap){ 20, 0, 0x9fc00, 1 };
    e[1] = (struct mb1_mmap){ 20, 0x100000, 0x7f00000, 1 };
    mbi->mmap_addr = 0x300;
    mbi->mmap_length = 2 * sizeof(*e);
    save("mbinfo", "mb1.bin", mb, 0x600);

    /* Multiboot 2 at 0x100: byte 0 odd. */
    memset(mb, 0, sizeof(mb));
    mb[0] = 1;
    put32(4, 0x100);
    off = 0x108;
    put32(off, MB2_TAG_CMDLINE);
    put32(off + 4, 8 + 20);
    strcpy((char *)mb + off + 8, "console=com1 noreb");
    off += 32;
    put32(off, MB2_TAG_LOADER_NAME);
    put32(off + 4, 8 + 10);
    strcpy((char *)mb + off + 8, "GRUB 2.06");
    off += 24;
    put32(off, MB2_TAG_MODULE);
    put32(off + 4, 16 + 8);
    put32(off + 8, 0x200000);
    put32(off + 12, 0x280000);
    strcpy((char *)mb + off + 16, "/dom0");
    off += 24;
    put32(off, MB2_TAG_BASIC_MEMINFO);
    put32(off + 4, 16);
    put32(off + 8, 639);
    put32(off + 12, 130048);
    off += 16;
    put32(off, MB2_TAG_MMAP);
    put32(off + 4, 16 + 2 * 24);
    put32(off + 8, 24);
    put32(off + 12, 0);
    put64(off + 16, 0);
    put64(off + 24, 0x9fc00);
    put32(off + 32, 1);
    put64(off + 40, 0x100000);
    put64(off + 48, 0x7f00000);
    put32(off + 56, 1);
    off += 64;
    put32(off, MB2_TAG_ACPI_NEW);
    put32(off + 4, 8 + 36);
    memcpy(mb + off + 8, "RSD PTR ", 8);
    off += 48;
    put32(off, MB2_TAG_END);
    put32(off + 4, 8);
    off += 8;
    put32(0x100, off - 0x100);          /* total_size */
    save("mbinfo", "mb2.bin", mb, off);
}

int main(int argc, char **argv)
{
    if ( argc != 2 )
    {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    if ( mkdir(outdir, 0755) && errno != EEXIST )
    {
        perror(outdir);
        return 1;
    }
    inflate_seeds();
    elf_seeds();
    mbinfo_seeds();
    return 0;
}
