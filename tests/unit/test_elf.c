/*
 * Host tests for common/lib/elf.c: every validation rule of elf_init()
 * with its message, the header and note accessors on well-formed and
 * hostile input, and elf_load() through a fake guest memory.  Images come
 * from elf_builder.h and are then damaged one field at a time.
 */
#include "harness.h"
#include <keel/types.h>
#include <keel/errno.h>
#include <keel/elf.h>
#include "elf_builder.h"

static struct elf_image img;
static const char *why;

static int init(void)
{
    why = "unset";
    return elf_init(&img, img_buf, img_size, &why);
}

/* elf_init refuses, with a message containing `text`. */
static bool refused(const char *text)
{
    if ( init() != -EINVAL )
        return false;
    if ( !why || !strstr(why, text) )
    {
        printf("# message \"%s\" lacks \"%s\"\n", why ? why : "(null)",
               text);
        return false;
    }
    return true;
}

TEST(good_image)
{
    struct elf_phdr_info ph;
    struct elf_shdr_info sh;

    default_cfg();
    build();
    CHECK_EQ(init(), 0);
    CHECK(why == NULL);
    CHECK_EQ(img.type, ET_EXEC);
    CHECK_EQ(img.entry, VB + TEXT_PADDR);
    CHECK_EQ(img.phnum, 3);
    CHECK_EQ(img.shnum, 4);
    CHECK_EQ(img.nr_load, 2);
    CHECK_EQ(img.vstart, VB + TEXT_PADDR);
    CHECK_EQ(img.vend, VB + DATA_PADDR + 0x3000);
    CHECK_EQ(img.pstart, TEXT_PADDR);
    CHECK_EQ(img.pend, DATA_PADDR + 0x3000);

    CHECK_EQ(elf_get_phdr(&img, 1, &ph), 0);
    CHECK_EQ(ph.type, PT_LOAD);
    CHECK_EQ(ph.flags, PF_R | PF_W);
    CHECK_EQ(ph.filesz, 0x800);
    CHECK_EQ(ph.memsz, 0x3000);
    CHECK(ph.data == img_buf + DATA_OFF);
    CHECK(elf_phdr_is_loadable(&ph));
    CHECK_EQ(elf_get_phdr(&img, 2, &ph), 0);
    CHECK_EQ(ph.type, PT_NOTE);
    CHECK(!elf_phdr_is_loadable(&ph));
    CHECK_EQ(elf_get_phdr(&img, 3, &ph), -ENOENT);

    CHECK_EQ(elf_get_shdr(&img, 2, &sh), 0);
    CHECK_STR(sh.name, ".notes");
    CHECK_EQ(sh.type, SHT_NOTE);
    CHECK_EQ(elf_get_shdr(&img, 0, &sh), 0);
    CHECK_STR(sh.name, "");
    CHECK(sh.data == NULL);
    CHECK_EQ(elf_get_shdr(&img, 4, &sh), -ENOENT);
    CHECK_EQ(elf_find_section(&img, ".text", &sh), 0);
    CHECK(sh.data == img_buf + TEXT_OFF);
    CHECK_EQ(elf_find_section(&img, "__xen_guest", &sh), -ENOENT);
    CHECK_EQ(elf_find_section(&img, "", &sh), -ENOENT);

    /* ET_DYN is accepted too, and why may be NULL. */
    cfg.e_type = ET_DYN;
    build();
    CHECK_EQ(elf_init(&img, img_buf, img_size, NULL), 0);
}

TEST(header_size_and_ident)
{
    default_cfg();
    build();
    img_size = 63;
    CHECK(refused("image of 63 bytes is too small for an ELF header"));
    img_size = 0;
    CHECK(refused("too small"));
    img_size = IMG_SIZE;

    img_buf[1] = 'e';
    CHECK(refused("not an ELF image (bad magic)"));
    img_buf[1] = 'E';
    img_buf[4] = ELFCLASS32;
    CHECK(refused("32-bit ELF image: only 64-bit PV kernels"));
    img_buf[4] = 3;
    CHECK(refused("bad ELF class 3"));
    img_buf[4] = ELFCLASS64;
    img_buf[5] = 2;
    CHECK(refused("ELF data encoding 2 is not little-endian"));
    img_buf[5] = ELFDATA2LSB;
    img_buf[6] = 2;
    CHECK(refused("unknown ELF version"));
    img_buf[6] = EV_CURRENT;
    w32(20, 0);
    CHECK(refused("unknown ELF version"));
    w32(20, EV_CURRENT);
    w16(18, 3);
    CHECK(refused("ELF machine 3 is not x86-64"));
    w16(18, EM_X86_64);
    w16(16, 1);
    CHECK(refused("ELF type 1 is not an executable"));
    w16(16, 4);
    CHECK(refused("ELF type 4 is not an executable"));
    w16(16, ET_EXEC);
    w16(52, 52);
    CHECK(refused("ELF header size 52, expected 64"));
    w16(52, 64);
    CHECK_EQ(init(), 0);
}

TEST(program_header_table)
{
    default_cfg();
    build();
    w16(56, 0);
    CHECK(refused("no program headers"));
    w16(56, 0xffff);
    CHECK(refused("extended program header numbering"));
    w16(56, 513);
    CHECK(refused("513 program headers (at most 512)"));
    w16(56, 3);
    w16(54, 32);
    CHECK(refused("program header size 32, expected 56"));
    w16(54, 56);
    w64(32, IMG_SIZE - 100);
    CHECK(refused("program header table (offset 0x5f9c, 3 entries) lies "
                  "outside the image"));
    w64(32, UINT64_MAX - 10);           /* offset + size wraps */
    CHECK(refused("program header table"));
    w64(32, IMG_SIZE - 168);            /* exactly at the end: fine */
    memcpy(img_buf + IMG_SIZE - 168, img_buf + 64, 168);
    CHECK_EQ(init(), 0);
    /* 512 headers are allowed if they are inside the image. */
    w64(32, 64);
    w16(56, 512);
    CHECK(refused("program header table (offset 0x40, 512 entries)"));
}

TEST(section_header_table)
{
    struct elf_shdr_info sh;

    default_cfg();
    build();
    w16(60, 0);                         /* shnum 0, shoff set */
    CHECK(refused("extended section numbering is not supported"));
    w64(40, 0);
    CHECK_EQ(init(), 0);                /* no sections at all */
    CHECK_EQ(img.shstrndx, SHN_UNDEF);
    CHECK_EQ(elf_find_section(&img, ".text", &sh), -ENOENT);
    CHECK_EQ(elf_get_shdr(&img, 0, &sh), -ENOENT);

    build();
    w16(58, 40);
    CHECK(refused("section header size 40, expected 64"));
    w16(58, 64);
    w64(40, IMG_SIZE - 64);
    CHECK(refused("section header table (offset 0x5fc0, 4 entries) lies "
                  "outside the image"));
    w64(40, UINT64_MAX - 63);
    CHECK(refused("section header table"));
    w64(40, SHDR_OFF);
    w16(62, 4);
    CHECK(refused("section name table index 4 out of range (4 sections)"));
    w16(62, 0xffff);
    CHECK(refused("extended section name table index"));
    w16(62, SHN_UNDEF);                 /* no names: fine */
    CHECK_EQ(init(), 0);
    CHECK_EQ(elf_get_shdr(&img, 1, &sh), 0);
    CHECK_STR(sh.name, "");
    CHECK_EQ(elf_find_section(&img, "", &sh), -ENOENT);
    w16(62, 3);

    /* A section outside the image; NOBITS ones may be anywhere. */
    w64(SH(1, S_OFFSET), IMG_SIZE - 0x1000);
    CHECK(refused("section 1 (offset 0x5000, size 0x2000) lies outside"));
    w64(SH(1, S_OFFSET), UINT64_MAX - 0xfff);
    CHECK(refused("section 1"));
    w32(SH(1, S_TYPE), SHT_NOBITS);
    CHECK_EQ(init(), 0);
    w32(SH(1, S_TYPE), 1);
    w64(SH(1, S_OFFSET), TEXT_OFF);

    /* The name table must have contents. */
    w32(SH(3, S_TYPE), SHT_NOBITS);
    CHECK(refused("section name table 3 has no contents"));
    w32(SH(3, S_TYPE), SHT_STRTAB);

    /* A name offset past the table, or a table without a final NUL. */
    w32(SH(1, S_NAME), 1000);
    CHECK_EQ(init(), 0);
    CHECK_EQ(elf_get_shdr(&img, 1, &sh), 0);
    CHECK_STR(sh.name, "");
    w32(SH(1, S_NAME), NM_TEXT);
    w64(SH(3, S_SIZE), NM_SHSTR + 3);   /* ".sh" unterminated */
    CHECK_EQ(init(), 0);
    CHECK_EQ(elf_get_shdr(&img, 3, &sh), 0);
    CHECK_STR(sh.name, "");
    CHECK_EQ(elf_get_shdr(&img, 1, &sh), 0);
    CHECK_STR(sh.name, ".text");
}

TEST(load_segments)
{
    default_cfg();
    build();
    w64(PH(1, P_FILESZ), 0x3001);
    CHECK(refused("segment 1: file size 0x3001 exceeds memory size 0x3000"));
    w64(PH(1, P_FILESZ), 0x3000);       /* ends exactly at the end */
    CHECK_EQ(init(), 0);
    w64(PH(1, P_OFFSET), DATA_OFF + 1);
    CHECK(refused("segment 1: file contents (offset 0x3001, size 0x3000) "
                  "lie outside the image"));
    w64(PH(1, P_FILESZ), 0x800);
    w64(PH(1, P_OFFSET), UINT64_MAX - 0x7ff);   /* + 0x800 wraps */
    CHECK(refused("segment 1: file contents"));
    w64(PH(1, P_OFFSET), DATA_OFF);

    w64(PH(1, P_VADDR), UINT64_MAX - 0x1fff);
    w64(PH(1, P_ALIGN), 0);
    CHECK(refused("segment 1: virtual range 0xffffffffffffe000 + 0x3000 "
                  "wraps"));
    w64(PH(1, P_VADDR), UINT64_MAX - 0x2fff);   /* ends at exactly 2^64 */
    CHECK(refused("virtual range"));
    w64(PH(1, P_VADDR), UINT64_MAX - 0x3000);   /* ends at 2^64 - 1 */
    CHECK_EQ(init(), 0);
    w64(PH(1, P_VADDR), VB + DATA_PADDR);
    w64(PH(1, P_PADDR), UINT64_MAX - 0x1000);
    CHECK(refused("segment 1: physical range 0xffffffffffffefff + 0x3000 "
                  "wraps"));
    w64(PH(1, P_PADDR), DATA_PADDR);

    w64(PH(1, P_ALIGN), 0x1800);
    CHECK(refused("segment 1: alignment 0x1800 is not a power of two"));
    w64(PH(1, P_ALIGN), 0x2000);        /* 0x...202000 - 0x3000 */
    CHECK(refused("segment 1: address 0xffffffff80202000 and file offset "
                  "0x3000 differ modulo the alignment 0x2000"));
    w64(PH(1, P_ALIGN), 1);
    CHECK_EQ(init(), 0);
    w64(PH(1, P_ALIGN), 0x1000);
    CHECK_EQ(init(), 0);
}

TEST(overlaps_and_loadability)
{
    default_cfg();
    build();
    /* Data starting inside text, virtually; physical addresses apart. */
    w64(PH(1, P_VADDR), VB + TEXT_PADDR + 0x1000);
    CHECK(refused("segments 0 and 1 overlap in virtual memory"));
    w64(PH(1, P_VADDR), VB + DATA_PADDR);
    w64(PH(1, P_PADDR), TEXT_PADDR + 0x1fff);
    CHECK(refused("segments 0 and 1 overlap in physical memory"));
    /* Touching is not overlapping. */
    w64(PH(1, P_PADDR), TEXT_PADDR + 0x2000);
    CHECK_EQ(init(), 0);
    /* Text wholly inside data. */
    w64(PH(1, P_PADDR), DATA_PADDR);
    w64(PH(0, P_VADDR), VB + DATA_PADDR + 0x1000);
    w64(PH(0, P_MEMSZ), 0x1000);
    w64(PH(0, P_FILESZ), 0x1000);
    CHECK(refused("segments 0 and 1 overlap in virtual memory"));
    build();

    /* A PT_LOAD without R/W/X, or of zero size, is not loaded: it may
     * overlap and does not count, but it is still checked. */
    w32(PH(1, P_FLAGS), 0);
    w64(PH(1, P_VADDR), VB + TEXT_PADDR);
    CHECK_EQ(init(), 0);
    CHECK_EQ(img.nr_load, 1);
    CHECK_EQ(img.vend, VB + TEXT_PADDR + 0x2000);
    w64(PH(1, P_FILESZ), 0x3001);
    CHECK(refused("segment 1: file size"));
    build();
    w64(PH(1, P_MEMSZ), 0);
    w64(PH(1, P_FILESZ), 0);
    CHECK_EQ(init(), 0);
    CHECK_EQ(img.nr_load, 1);

    /* No loadable segment at all. */
    w32(PH(0, P_TYPE), PT_NULL);
    CHECK(refused("no loadable segments"));

    /* A note segment outside the image. */
    build();
    w64(PH(2, P_OFFSET), IMG_SIZE);
    CHECK(refused("note segment 2 (offset 0x6000"));
    w64(PH(2, P_OFFSET), UINT64_MAX);
    CHECK(refused("note segment 2"));
}

/* The lowest and highest segments decide the spans, in any order. */
TEST(address_spans)
{
    default_cfg();
    build();
    /* Swap the two PT_LOAD headers. */
    memcpy(img_buf + 0x5800, img_buf + PH(0, 0), 56);
    memcpy(img_buf + PH(0, 0), img_buf + PH(1, 0), 56);
    memcpy(img_buf + PH(1, 0), img_buf + 0x5800, 56);
    memset(img_buf + 0x5800, 0, 56);
    CHECK_EQ(init(), 0);
    CHECK_EQ(img.vstart, VB + TEXT_PADDR);
    CHECK_EQ(img.vend, VB + DATA_PADDR + 0x3000);
    CHECK_EQ(img.pstart, TEXT_PADDR);
    CHECK_EQ(img.pend, DATA_PADDR + 0x3000);
}

/* ---- notes --------------------------------------------------------------- */

static uint8_t nbuf[256];

static size_t raw_note(size_t off, uint32_t namesz, uint32_t descsz,
                       uint32_t type, const char *name, size_t name_bytes)
{
    memcpy(nbuf + off, &namesz, 4);
    memcpy(nbuf + off + 4, &descsz, 4);
    memcpy(nbuf + off + 8, &type, 4);
    memcpy(nbuf + off + 12, name, name_bytes);
    return off + 12 + name_bytes;
}

TEST(note_iteration)
{
    struct elf_note_iter it;
    struct elf_note n;
    size_t len;

    /* Two notes, 4-byte alignment: "Xen" + 5-byte desc (padded to 8). */
    memset(nbuf, 0, sizeof(nbuf));
    len = raw_note(0, 4, 5, 6, "Xen", 4);
    memcpy(nbuf + len, "linux", 5);
    len += 8;
    len = raw_note(len, 9, 0, 99, "GNU\0\0\0\0\0\0\0\0\0", 12);
    elf_note_iter_init(&it, nbuf, len, 4);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK_EQ(n.type, 6);
    CHECK_EQ(n.descsz, 5);
    CHECK(!memcmp(n.desc, "linux", 5));
    CHECK(elf_note_name_is(&n, "Xen"));
    CHECK(!elf_note_name_is(&n, "Xe"));
    CHECK(!elf_note_name_is(&n, "Xenx"));
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK_EQ(n.type, 99);
    CHECK(elf_note_name_is(&n, "GNU"));
    CHECK_EQ(elf_note_next(&it, &n), 0);
    CHECK_EQ(elf_note_next(&it, &n), 0);

    /* Trailing padding shorter than a header is ignored. */
    elf_note_iter_init(&it, nbuf, 11, 4);
    CHECK_EQ(elf_note_next(&it, &n), 0);

    /* 8-byte alignment, as .note.gnu.property: header + name "GNU" is 16
     * bytes, so the descriptor follows at once; "Linux" (12 + 6) pads. */
    memset(nbuf, 0, sizeof(nbuf));
    len = raw_note(0, 4, 8, 5, "GNU", 4);
    memcpy(nbuf + len, "\x10\x20\x30\x40\x50\x60\x70\x80", 8);
    len += 8;
    len = raw_note(len, 6, 4, 7, "Linux\0\0\0\0\0\0\0", 12);
    memcpy(nbuf + len, "\x01\x02\x03\x04", 4);
    len += 8;
    elf_note_iter_init(&it, nbuf, len, 8);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK(elf_note_name_is(&n, "GNU"));
    CHECK(n.desc == nbuf + 16);
    CHECK_EQ(n.desc[0], 0x10);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK(elf_note_name_is(&n, "Linux"));
    CHECK(n.desc == nbuf + 24 + 24);
    CHECK_EQ(n.desc[0], 0x01);
    CHECK_EQ(elf_note_next(&it, &n), 0);
    /* Read with 4-byte alignment, "Linux" is misread and runs over. */
    elf_note_iter_init(&it, nbuf, len, 4);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK(n.desc == nbuf + 24 + 20);
    /* A descriptor one byte short of the region's end: malformed. */
    elf_note_iter_init(&it, nbuf, 23, 8);
    CHECK_EQ(elf_note_next(&it, &n), -EINVAL);
    CHECK_EQ(elf_note_next(&it, &n), 0);
    elf_note_iter_init(&it, nbuf, 12 + 4 + 7, 4);
    CHECK_EQ(elf_note_next(&it, &n), -EINVAL);
    CHECK_EQ(elf_note_next(&it, &n), 0);

    /* The last descriptor's padding may be cut off. */
    memset(nbuf, 0, sizeof(nbuf));
    len = raw_note(0, 4, 5, 6, "Xen", 4);
    memcpy(nbuf + len, "linux", 5);
    elf_note_iter_init(&it, nbuf, len + 5, 4);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK_EQ(elf_note_next(&it, &n), 0);

    /* Sizes running past the end, including 32-bit overflowing ones. */
    raw_note(0, 0xffffffff, 4, 1, "Xen", 4);
    elf_note_iter_init(&it, nbuf, 64, 4);
    CHECK_EQ(elf_note_next(&it, &n), -EINVAL);
    raw_note(0, 4, 0xfffffffd, 1, "Xen", 4);
    elf_note_iter_init(&it, nbuf, 64, 4);
    CHECK_EQ(elf_note_next(&it, &n), -EINVAL);
    raw_note(0, 4, 64 - 16 + 1, 1, "Xen", 4);
    elf_note_iter_init(&it, nbuf, 64, 4);
    CHECK_EQ(elf_note_next(&it, &n), -EINVAL);
    raw_note(0, 4, 64 - 16, 1, "Xen", 4);
    elf_note_iter_init(&it, nbuf, 64, 4);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK_EQ(elf_note_next(&it, &n), 0);

    /* Names: unterminated, empty, NUL within a longer namesz. */
    raw_note(0, 3, 0, 1, "Xen", 4);
    elf_note_iter_init(&it, nbuf, 16, 4);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK(!elf_note_name_is(&n, "Xen"));
    raw_note(0, 0, 0, 1, "", 0);
    elf_note_iter_init(&it, nbuf, 12, 4);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK(!elf_note_name_is(&n, "Xen"));
    CHECK(elf_note_name_is(&n, "") == false);   /* namesz 0: no NUL */
    raw_note(0, 8, 0, 1, "Xen\0abcd", 8);
    elf_note_iter_init(&it, nbuf, 20, 4);
    CHECK_EQ(elf_note_next(&it, &n), 1);
    CHECK(elf_note_name_is(&n, "Xen"));
}

/* ---- loading ------------------------------------------------------------- */

#define MEM_BASE (VB + TEXT_PADDR)
#define MEM_SIZE 0x8000
static uint8_t mem[MEM_SIZE];
static unsigned int map_calls, map_fail_at;
static bool map_crossed;

static void *map_fn(uint64_t addr, size_t len, void *ctx)
{
    CHECK(ctx == &map_calls);
    if ( ((addr & 0xfff) + len) > 0x1000 || len == 0 )
        map_crossed = true;
    if ( ++map_calls == map_fail_at )
        return NULL;
    if ( addr < MEM_BASE || addr - MEM_BASE > MEM_SIZE ||
         len > MEM_SIZE - (addr - MEM_BASE) )
        return NULL;
    return mem + (addr - MEM_BASE);
}

TEST(load)
{
    default_cfg();
    build();
    CHECK_EQ(init(), 0);
    memset(mem, 0xcc, sizeof(mem));
    map_calls = 0;
    map_fail_at = 0;
    map_crossed = false;
    CHECK_EQ(elf_load(&img, VB, map_fn, &map_calls), 0);
    CHECK(!memcmp(mem, img_buf + TEXT_OFF, 0x2000));
    CHECK(!memcmp(mem + 0x2000, img_buf + DATA_OFF, 0x800));
    for ( size_t i = 0x2800; i < 0x5000; i++ )
        if ( mem[i] != 0 )
        {
            CHECK_EQ(i, 0);             /* bss not zeroed */
            break;
        }
    CHECK_EQ(mem[0x5000], 0xcc);        /* nothing past the end */
    CHECK_EQ(map_calls, 5);             /* one call per page */
    CHECK(!map_crossed);

    /* Segments not page aligned: chunks still stop at page boundaries. */
    w64(PH(1, P_PADDR), DATA_PADDR + 0x123);
    w64(PH(1, P_VADDR), VB + DATA_PADDR + 0x123);
    w64(PH(1, P_OFFSET), DATA_OFF + 0x123);
    w64(PH(1, P_ALIGN), 1);
    memmove(img_buf + DATA_OFF + 0x123, img_buf + DATA_OFF, 0x800);
    CHECK_EQ(init(), 0);
    memset(mem, 0xcc, sizeof(mem));
    map_calls = 0;
    CHECK_EQ(elf_load(&img, VB, map_fn, &map_calls), 0);
    CHECK(!map_crossed);
    CHECK_EQ(map_calls, 2 + 4);
    CHECK(!memcmp(mem + 0x2123, img_buf + DATA_OFF + 0x123, 0x800));
    CHECK_EQ(mem[0x2122], 0xcc);
    CHECK_EQ(mem[0x2123 + 0x800], 0);
    CHECK_EQ(mem[0x2123 + 0x2fff], 0);
    CHECK_EQ(mem[0x2123 + 0x3000], 0xcc);

    /* The callback refusing: -EFAULT, and nothing after it. */
    build();
    CHECK_EQ(init(), 0);
    memset(mem, 0xcc, sizeof(mem));
    map_calls = 0;
    map_fail_at = 3;
    CHECK_EQ(elf_load(&img, VB, map_fn, &map_calls), -EFAULT);
    CHECK_EQ(map_calls, 3);
    CHECK_EQ(mem[0x2000], 0xcc);
    map_fail_at = 0;

    /* A bias that makes a segment wrap. */
    map_calls = 0;
    CHECK_EQ(elf_load(&img, UINT64_MAX - TEXT_PADDR - 0xfff, map_fn,
                      &map_calls), -EINVAL);
    CHECK_EQ(map_calls, 0);
}

int main(void)
{
    RUN(good_image);
    RUN(header_size_and_ident);
    RUN(program_header_table);
    RUN(section_header_table);
    RUN(load_segments);
    RUN(overlaps_and_loadability);
    RUN(address_spans);
    RUN(note_iteration);
    RUN(load);
    HARNESS_EXIT();
}
