/*
 * A builder of small ELF64 images for the host tests of common/lib/elf.c
 * and common/lib/xen_notes.c.  build() lays out, from the settings in
 * `cfg`, a Linux-like PV kernel:
 *
 *   0x0000  ELF header                 0x4000  note segment (Xen notes)
 *   0x0040  program headers            0x4800  section name table
 *   0x1000  text  (PT_LOAD R-X)        0x4900  __xen_guest string
 *   0x3000  data  (PT_LOAD RW-, bss)   0x5000  section headers
 *
 * with VIRT_BASE 0xffffffff80000000 and p_paddr = p_vaddr - VIRT_BASE.
 * Tests then change settings and rebuild, or poke the bytes directly.
 */
#ifndef TEST_ELF_BUILDER_H
#define TEST_ELF_BUILDER_H

#include <keel/types.h>
#include <keel/elf.h>
#include <keel/xen_notes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMG_SIZE    0x6000
#define VB          0xffffffff80000000ull
#define TEXT_OFF    0x1000
#define TEXT_PADDR  0x200000ull
#define DATA_OFF    0x3000
#define DATA_PADDR  0x202000ull
#define NOTE_OFF    0x4000
#define STRTAB_OFF  0x4800
#define GUEST_OFF   0x4900
#define SHDR_OFF    0x5000

static uint8_t img_buf[IMG_SIZE + 0x1000];

struct tnote {
    const char *name;               /* NULL: "Xen" */
    uint32_t namesz;                /* 0: strlen(name) + 1 */
    uint32_t type;
    uint32_t descsz;
    uint8_t desc[64];
};

static struct {
    struct tnote notes[40];
    unsigned int nr_notes;
    unsigned int note_align;        /* 4 or 8 */
    bool notes_in_segment;          /* PT_NOTE for the note area */
    bool notes_in_section;          /* SHT_NOTE for the note area */
    const char *xen_guest;          /* __xen_guest contents, or NULL */
    uint16_t e_type;
    uint64_t entry;
} cfg;

static size_t img_size = IMG_SIZE;

static void w16(size_t off, uint16_t v)
{
    img_buf[off] = v;
    img_buf[off + 1] = v >> 8;
}

static void w32(size_t off, uint32_t v)
{
    w16(off, v);
    w16(off + 2, v >> 16);
}

static void w64(size_t off, uint64_t v)
{
    w32(off, v);
    w32(off + 4, v >> 32);
}

static void put_phdr(unsigned int i, uint32_t type, uint32_t flags,
                     uint64_t off, uint64_t vaddr, uint64_t paddr,
                     uint64_t filesz, uint64_t memsz, uint64_t align)
{
    size_t p = 64 + i * 56;

    w32(p, type);
    w32(p + 4, flags);
    w64(p + 8, off);
    w64(p + 16, vaddr);
    w64(p + 24, paddr);
    w64(p + 32, filesz);
    w64(p + 40, memsz);
    w64(p + 48, align);
}

static void put_shdr(unsigned int i, uint32_t name, uint32_t type,
                     uint64_t off, uint64_t size, uint64_t align)
{
    size_t p = SHDR_OFF + i * 64;

    memset(img_buf + p, 0, 64);
    w32(p, name);
    w32(p + 4, type);
    w64(p + 24, off);
    w64(p + 32, size);
    w64(p + 48, align);
}

/* Field offsets for tests that poke headers. */
#define PH(i, field)  (64 + (i) * 56 + (field))
#define SH(i, field)  (SHDR_OFF + (i) * 64 + (field))
#define P_TYPE 0
#define P_FLAGS 4
#define P_OFFSET 8
#define P_VADDR 16
#define P_PADDR 24
#define P_FILESZ 32
#define P_MEMSZ 40
#define P_ALIGN 48
#define S_NAME 0
#define S_TYPE 4
#define S_OFFSET 24
#define S_SIZE 32

static void note_num(uint32_t type, uint64_t v, uint32_t size)
{
    struct tnote *n = &cfg.notes[cfg.nr_notes++];

    memset(n, 0, sizeof(*n));
    n->type = type;
    n->descsz = size;
    for ( uint32_t i = 0; i < size && i < 8; i++ )
        n->desc[i] = v >> (8 * i);
}

static void note_str(uint32_t type, const char *s)
{
    struct tnote *n = &cfg.notes[cfg.nr_notes++];

    memset(n, 0, sizeof(*n));
    n->type = type;
    n->descsz = strlen(s) + 1;
    memcpy(n->desc, s, n->descsz);
}

static struct tnote *note_last(void)
{
    return &cfg.notes[cfg.nr_notes - 1];
}

/* The notes of a typical Linux kernel. */
static void default_notes(void)
{
    cfg.nr_notes = 0;
    note_str(XEN_ELFNOTE_GUEST_OS, "linux");
    note_str(XEN_ELFNOTE_GUEST_VERSION, "2.6");
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_num(XEN_ELFNOTE_VIRT_BASE, VB, 8);
    note_num(XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
    note_num(XEN_ELFNOTE_ENTRY, VB + TEXT_PADDR + 0x10, 8);
    note_num(XEN_ELFNOTE_HYPERCALL_PAGE, VB + TEXT_PADDR + 0x1000, 8);
    note_str(XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
    note_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << XENFEAT_dom0, 4);
    note_str(XEN_ELFNOTE_PAE_MODE, "yes");
    note_str(XEN_ELFNOTE_LOADER, "generic");
    note_num(XEN_ELFNOTE_SUSPEND_CANCEL, 1, 4);
    note_num(XEN_ELFNOTE_MOD_START_PFN, 1, 4);
    note_num(XEN_ELFNOTE_HV_START_LOW, 0xffff800000000000ull, 8);
}

static void default_cfg(void)
{
    memset(&cfg, 0, sizeof(cfg));
    default_notes();
    cfg.note_align = 4;
    cfg.notes_in_segment = true;
    cfg.notes_in_section = true;
    cfg.e_type = ET_EXEC;
    cfg.entry = VB + TEXT_PADDR;
}

/* Lay the notes out at off; returns their total size. */
static size_t put_notes(size_t off)
{
    size_t p = off, a = cfg.note_align;

    for ( unsigned int i = 0; i < cfg.nr_notes; i++ )
    {
        const struct tnote *n = &cfg.notes[i];
        const char *name = n->name ? n->name : "Xen";
        uint32_t namesz = n->namesz ? n->namesz : strlen(name) + 1;

        size_t desc = p + (12 + namesz + a - 1) / a * a;

        w32(p, namesz);
        w32(p + 4, n->descsz);
        w32(p + 8, n->type);
        memset(img_buf + p + 12, 0, desc - p - 12);
        memcpy(img_buf + p + 12, name, MIN(strlen(name) + 1, (size_t)namesz));
        memset(img_buf + desc, 0, (n->descsz + a - 1) / a * a);
        memcpy(img_buf + desc, n->desc, MIN(n->descsz, 64u));
        p = desc + (n->descsz + a - 1) / a * a;
    }
    if ( p > STRTAB_OFF )
    {
        fprintf(stderr, "elf_builder: notes overflow their area\n");
        abort();
    }
    return p - off;
}

/* Section names in the name table. */
#define NM_TEXT  1
#define NM_NOTES 7
#define NM_SHSTR 14
#define NM_GUEST 24
static const char shstrtab[] = "\0.text\0.notes\0.shstrtab\0__xen_guest";

static void build(void)
{
    size_t notes_len;
    unsigned int phnum = 0, shnum = 0;

    memset(img_buf, 0, sizeof(img_buf));
    img_size = IMG_SIZE;

    /* Text and data contents: recognisable patterns. */
    for ( size_t i = 0; i < 0x2000; i++ )
        img_buf[TEXT_OFF + i] = i * 7 + 1;
    for ( size_t i = 0; i < 0x800; i++ )
        img_buf[DATA_OFF + i] = i * 13 + 5;

    notes_len = put_notes(NOTE_OFF);

    put_phdr(phnum++, PT_LOAD, PF_R | PF_X, TEXT_OFF, VB + TEXT_PADDR,
             TEXT_PADDR, 0x2000, 0x2000, 0x1000);
    put_phdr(phnum++, PT_LOAD, PF_R | PF_W, DATA_OFF, VB + DATA_PADDR,
             DATA_PADDR, 0x800, 0x3000, 0x1000);
    if ( cfg.notes_in_segment )
        put_phdr(phnum++, PT_NOTE, PF_R, NOTE_OFF, 0, 0, notes_len,
                 notes_len, cfg.note_align);

    memcpy(img_buf + STRTAB_OFF, shstrtab, sizeof(shstrtab));
    put_shdr(shnum++, 0, SHT_NULL, 0, 0, 0);
    put_shdr(shnum++, NM_TEXT, 1, TEXT_OFF, 0x2000, 16);
    if ( cfg.notes_in_section )
        put_shdr(shnum++, NM_NOTES, SHT_NOTE, NOTE_OFF, notes_len,
                 cfg.note_align);
    put_shdr(shnum++, NM_SHSTR, SHT_STRTAB, STRTAB_OFF, sizeof(shstrtab), 1);
    if ( cfg.xen_guest )
    {
        size_t n = strlen(cfg.xen_guest) + 1;

        memcpy(img_buf + GUEST_OFF, cfg.xen_guest, n);
        put_shdr(shnum++, NM_GUEST, 1, GUEST_OFF, n, 1);
    }

    memcpy(img_buf, "\x7f" "ELF", 4);
    img_buf[4] = ELFCLASS64;
    img_buf[5] = ELFDATA2LSB;
    img_buf[6] = EV_CURRENT;
    w16(16, cfg.e_type);
    w16(18, EM_X86_64);
    w32(20, EV_CURRENT);
    w64(24, cfg.entry);
    w64(32, 64);                        /* e_phoff */
    w64(40, SHDR_OFF);                  /* e_shoff */
    w16(52, 64);
    w16(54, 56);
    w16(56, phnum);
    w16(58, 64);
    w16(60, shnum);
    w16(62, shnum - 1 - (cfg.xen_guest != NULL));   /* .shstrtab */
}

#endif /* TEST_ELF_BUILDER_H */
