/*
 * ELF64 executables in memory: validation, program and section headers,
 * notes, and loading through a caller's mapping callback.  Implemented in
 * common/lib/elf.c; pure and host-tested.  Facts from the System V gABI
 * and its x86-64 supplement.
 *
 * The image is untrusted (a dom0 kernel handed over by the boot loader).
 * elf_init() checks everything the other functions rely on, so that after
 * it succeeds every header, PT_LOAD and PT_NOTE segment and every section
 * with file contents lies inside the image, and no offset + size or
 * address + size computation wraps.  Fields are read byte by byte (little
 * endian), so the image needs no particular alignment.
 *
 * Accepted: ELFCLASS64, ELFDATA2LSB, EV_CURRENT, EM_X86_64, ET_EXEC or
 * ET_DYN (as Xen does; neither is relocated: segments go where their
 * headers say).  Loadable segments are the PT_LOAD ones with a non-zero
 * memory size and at least one of the R/W/X flags (Xen's rule); they must
 * not overlap one another in virtual or physical address.
 */
#ifndef KEEL_ELF_H
#define KEEL_ELF_H

#include <keel/types.h>

/* e_ident */
#define ELF_NIDENT          16
#define ELFCLASS32          1
#define ELFCLASS64          2
#define ELFDATA2LSB         1
#define EV_CURRENT          1
/* e_type */
#define ET_EXEC             2
#define ET_DYN              3
/* e_machine */
#define EM_X86_64           62
/* p_type */
#define PT_NULL             0
#define PT_LOAD             1
#define PT_NOTE             4
/* p_flags */
#define PF_X                1
#define PF_W                2
#define PF_R                4
/* sh_type */
#define SHT_NULL            0
#define SHT_STRTAB          3
#define SHT_NOTE            7
#define SHT_NOBITS          8
/* special section indices */
#define SHN_UNDEF           0
#define SHN_XINDEX          0xffff
#define PN_XNUM             0xffff

#define ELF64_EHDR_SIZE     64
#define ELF64_PHDR_SIZE     56
#define ELF64_SHDR_SIZE     64
#define ELF_NOTE_HDR_SIZE   12

/* Sanity limit on program headers (real kernels have fewer than 16). */
#define ELF_MAX_PHNUM       512

/* What elf_init() learnt; every field constant afterwards. */
struct elf_image {
    const uint8_t *data;
    size_t size;
    uint16_t type;                  /* ET_EXEC or ET_DYN */
    uint64_t entry;                 /* e_entry */
    uint64_t phoff, shoff;
    unsigned int phnum, shnum;
    unsigned int shstrndx;          /* SHN_UNDEF: sections have no names */
    unsigned int nr_load;           /* loadable segments (>= 1) */
    uint64_t vstart, vend;          /* [vstart, vend): p_vaddr span */
    uint64_t pstart, pend;          /* [pstart, pend): p_paddr span */
    char why[128];                  /* elf_init()'s refusal message */
};

struct elf_phdr_info {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
    /* Contents for PT_LOAD and PT_NOTE (checked by elf_init), else NULL. */
    const uint8_t *data;
};

struct elf_shdr_info {
    const char *name;               /* "" when the image has no names */
    uint32_t type;
    uint64_t flags, addr, offset, size, addralign;
    /* Contents (checked by elf_init); NULL for SHT_NOBITS and SHT_NULL. */
    const uint8_t *data;
};

/*
 * Validate data[0, size) as an ELF64 x86-64 executable and fill *img.
 * Returns 0, or -EINVAL with *why (if why is not NULL) pointing at a
 * sentence naming the problem, e.g. "segment 2: file size 0x2000 exceeds
 * memory size 0x1000".  The data must stay in place while img is used.
 */
int elf_init(struct elf_image *img, const void *data, size_t size,
             const char **why);

/* Header i (0 <= i < phnum / shnum): 0, or -ENOENT past the end. */
int elf_get_phdr(const struct elf_image *img, unsigned int i,
                 struct elf_phdr_info *ph);
int elf_get_shdr(const struct elf_image *img, unsigned int i,
                 struct elf_shdr_info *sh);

/* Is this a segment elf_load() copies?  (See the header comment.) */
bool elf_phdr_is_loadable(const struct elf_phdr_info *ph);

/* The first section called name: 0, or -ENOENT. */
int elf_find_section(const struct elf_image *img, const char *name,
                     struct elf_shdr_info *sh);

/* ---- notes --------------------------------------------------------------- */

/*
 * A note region (a PT_NOTE segment or SHT_NOTE section) is a sequence of
 * entries: namesz, descsz, type (32 bits each), the name, and the
 * descriptor.  With the region's alignment A (4, or 8 when the segment or
 * section says 8, as for .note.gnu.property), the descriptor starts at
 * the header plus name rounded up to A and the next note after the
 * descriptor rounded up to A, both counted from the start of the note.
 * Fewer than 12 bytes left at the end of a region are taken as padding.
 */
struct elf_note {
    uint32_t type;
    uint32_t namesz;                /* including the NUL, if any */
    uint32_t descsz;
    const char *name;               /* NOT necessarily NUL-terminated */
    const uint8_t *desc;
};

struct elf_note_iter {
    const uint8_t *p, *end;
    unsigned int align;
};

/* Iterate over the notes in [p, p + len); align is p_align/sh_addralign. */
void elf_note_iter_init(struct elf_note_iter *it, const uint8_t *p,
                        size_t len, uint64_t align);

/*
 * The next note: 1 with *note filled, 0 at the end, -EINVAL when a note's
 * name or descriptor runs past the end of the region (the iterator then
 * stays at the end).
 */
int elf_note_next(struct elf_note_iter *it, struct elf_note *note);

/* Does the note's name read `name` (NUL-terminated within namesz)? */
bool elf_note_name_is(const struct elf_note *note, const char *name);

/* ---- loading ------------------------------------------------------------- */

/*
 * Return a writable pointer to len bytes at address addr of the target,
 * or NULL when that range may not be written.  Never asked for a range
 * crossing a 4 KiB boundary of addr.
 */
typedef void *(*elf_map_fn)(uint64_t addr, size_t len, void *ctx);

/*
 * Copy every loadable segment to p_paddr + bias (modulo 2^64) through map,
 * and zero its memsz - filesz tail (bss).  Xen places segments by their
 * physical address: for a PV kernel, bias is VIRT_BASE - PADDR_OFFSET
 * (struct xen_guest_params.virt_offset), giving virtual addresses.  The
 * caller must have checked that [pstart + bias, pend + bias) is a range it
 * can map, since the work is proportional to pend - pstart.  Returns 0,
 * -EINVAL when a segment's target range wraps, or -EFAULT when map
 * returned NULL (segments before it were loaded).
 */
int elf_load(const struct elf_image *img, uint64_t bias, elf_map_fn map,
             void *ctx);

#endif /* KEEL_ELF_H */
