/*
 * ELF64 executable images held in memory: the checks that make an
 * untrusted image safe to walk, accessors for its headers and notes, and
 * the segment loader.  Facts from the System V gABI and the x86-64 psABI.
 *
 * elf_init() is the only place that judges the image.  Its invariants,
 * relied on by everything else here: the ELF header, program header table
 * and section header table lie inside the image; every PT_LOAD and
 * PT_NOTE segment's file contents and every section's contents (except
 * SHT_NOBITS/SHT_NULL) lie inside it; no loadable segment's address range
 * wraps; loadable segments do not overlap.  All arithmetic on header
 * values is done in 64 bits with explicit overflow checks, and fields are
 * read byte by byte so alignment and host byte order do not matter.
 */
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/elf.h>

/* e_ident bytes */
#define EI_CLASS     4
#define EI_DATA      5
#define EI_VERSION   6

/* ELF header field offsets */
#define EH_TYPE      16
#define EH_MACHINE   18
#define EH_VERSION   20
#define EH_ENTRY     24
#define EH_PHOFF     32
#define EH_SHOFF     40
#define EH_EHSIZE    52
#define EH_PHENTSIZE 54
#define EH_PHNUM     56
#define EH_SHENTSIZE 58
#define EH_SHNUM     60
#define EH_SHSTRNDX  62

/* Program header field offsets */
#define PH_TYPE      0
#define PH_FLAGS     4
#define PH_OFFSET    8
#define PH_VADDR     16
#define PH_PADDR     24
#define PH_FILESZ    32
#define PH_MEMSZ     40
#define PH_ALIGN     48

/* Section header field offsets */
#define SH_NAME      0
#define SH_TYPE      4
#define SH_FLAGS     8
#define SH_ADDR      16
#define SH_OFFSET    24
#define SH_SIZE      32
#define SH_ADDRALIGN 48

#define ELF_PAGE_SIZE 4096

static uint16_t rd16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

/* Is [off, off + len) inside an object of `size` bytes, without wrapping? */
static bool in_range(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* Does [a, a + alen) overlap [b, b + blen)?  Neither range wraps. */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

static int refuse(struct elf_image *img, const char **why, const char *fmt,
                  ...) __printf(3, 4);

static int refuse(struct elf_image *img, const char **why, const char *fmt,
                  ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(img->why, sizeof(img->why), fmt, ap);
    va_end(ap);
    if ( why )
        *why = img->why;
    return -EINVAL;
}

#define X(v) ((unsigned long long)(v))

/* ---- headers ------------------------------------------------------------- */

int elf_get_phdr(const struct elf_image *img, unsigned int i,
                 struct elf_phdr_info *ph)
{
    const uint8_t *p;

    if ( i >= img->phnum )
        return -ENOENT;
    p = img->data + img->phoff + (size_t)i * ELF64_PHDR_SIZE;
    ph->type = rd32(p + PH_TYPE);
    ph->flags = rd32(p + PH_FLAGS);
    ph->offset = rd64(p + PH_OFFSET);
    ph->vaddr = rd64(p + PH_VADDR);
    ph->paddr = rd64(p + PH_PADDR);
    ph->filesz = rd64(p + PH_FILESZ);
    ph->memsz = rd64(p + PH_MEMSZ);
    ph->align = rd64(p + PH_ALIGN);
    ph->data = NULL;
    if ( (ph->type == PT_LOAD || ph->type == PT_NOTE) &&
         in_range(ph->offset, ph->filesz, img->size) )
        ph->data = img->data + ph->offset;
    return 0;
}

bool elf_phdr_is_loadable(const struct elf_phdr_info *ph)
{
    return ph->type == PT_LOAD && ph->memsz != 0 &&
           (ph->flags & (PF_R | PF_W | PF_X));
}

/* Section i's raw fields, without its name. */
static void read_shdr(const struct elf_image *img, unsigned int i,
                      struct elf_shdr_info *sh, uint32_t *name_off)
{
    const uint8_t *p = img->data + img->shoff + (size_t)i * ELF64_SHDR_SIZE;

    *name_off = rd32(p + SH_NAME);
    sh->name = "";
    sh->type = rd32(p + SH_TYPE);
    sh->flags = rd64(p + SH_FLAGS);
    sh->addr = rd64(p + SH_ADDR);
    sh->offset = rd64(p + SH_OFFSET);
    sh->size = rd64(p + SH_SIZE);
    sh->addralign = rd64(p + SH_ADDRALIGN);
    sh->data = NULL;
    if ( sh->type != SHT_NOBITS && sh->type != SHT_NULL &&
         in_range(sh->offset, sh->size, img->size) )
        sh->data = img->data + sh->offset;
}

/* The name at name_off in the section name table, or NULL if invalid. */
static const char *shdr_name(const struct elf_image *img, uint32_t name_off)
{
    struct elf_shdr_info strtab;
    uint32_t unused;

    if ( img->shstrndx == SHN_UNDEF )
        return "";
    read_shdr(img, img->shstrndx, &strtab, &unused);
    if ( !strtab.data || name_off >= strtab.size ||
         strnlen((const char *)strtab.data + name_off,
                 strtab.size - name_off) == strtab.size - name_off )
        return NULL;                    /* not NUL-terminated in the table */
    return (const char *)strtab.data + name_off;
}

int elf_get_shdr(const struct elf_image *img, unsigned int i,
                 struct elf_shdr_info *sh)
{
    uint32_t name_off;

    if ( i >= img->shnum )
        return -ENOENT;
    read_shdr(img, i, sh, &name_off);
    sh->name = shdr_name(img, name_off) ?: "";
    return 0;
}

int elf_find_section(const struct elf_image *img, const char *name,
                     struct elf_shdr_info *sh)
{
    unsigned int i;

    if ( img->shstrndx == SHN_UNDEF )
        return -ENOENT;                 /* no names to match */
    for ( i = 1; i < img->shnum; i++ )
    {
        elf_get_shdr(img, i, sh);
        if ( !strcmp(sh->name, name) )
            return 0;
    }
    return -ENOENT;
}

/* ---- validation ---------------------------------------------------------- */

static int check_header(struct elf_image *img, const char **why)
{
    const uint8_t *d = img->data;
    unsigned int ehsize;

    if ( img->size < ELF64_EHDR_SIZE )
        return refuse(img, why, "image of %zu bytes is too small for an "
                      "ELF header", img->size);
    if ( d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F' )
        return refuse(img, why, "not an ELF image (bad magic)");
    if ( d[EI_CLASS] == ELFCLASS32 )
        return refuse(img, why, "32-bit ELF image: only 64-bit PV kernels "
                      "are supported");
    if ( d[EI_CLASS] != ELFCLASS64 )
        return refuse(img, why, "bad ELF class %u", d[EI_CLASS]);
    if ( d[EI_DATA] != ELFDATA2LSB )
        return refuse(img, why, "ELF data encoding %u is not little-endian",
                      d[EI_DATA]);
    if ( d[EI_VERSION] != EV_CURRENT || rd32(d + EH_VERSION) != EV_CURRENT )
        return refuse(img, why, "unknown ELF version");
    if ( rd16(d + EH_MACHINE) != EM_X86_64 )
        return refuse(img, why, "ELF machine %u is not x86-64",
                      rd16(d + EH_MACHINE));

    img->type = rd16(d + EH_TYPE);
    if ( img->type != ET_EXEC && img->type != ET_DYN )
        return refuse(img, why, "ELF type %u is not an executable",
                      img->type);
    ehsize = rd16(d + EH_EHSIZE);
    if ( ehsize != ELF64_EHDR_SIZE )
        return refuse(img, why, "ELF header size %u, expected %u", ehsize,
                      ELF64_EHDR_SIZE);

    img->entry = rd64(d + EH_ENTRY);
    img->phoff = rd64(d + EH_PHOFF);
    img->shoff = rd64(d + EH_SHOFF);
    img->phnum = rd16(d + EH_PHNUM);
    img->shnum = rd16(d + EH_SHNUM);
    img->shstrndx = rd16(d + EH_SHSTRNDX);

    if ( img->phnum == 0 )
        return refuse(img, why, "no program headers");
    if ( img->phnum == PN_XNUM )
        return refuse(img, why, "extended program header numbering is not "
                      "supported");
    if ( img->phnum > ELF_MAX_PHNUM )
        return refuse(img, why, "%u program headers (at most %u)",
                      img->phnum, ELF_MAX_PHNUM);
    if ( rd16(d + EH_PHENTSIZE) != ELF64_PHDR_SIZE )
        return refuse(img, why, "program header size %u, expected %u",
                      rd16(d + EH_PHENTSIZE), ELF64_PHDR_SIZE);
    if ( !in_range(img->phoff, (uint64_t)img->phnum * ELF64_PHDR_SIZE,
                   img->size) )
        return refuse(img, why, "program header table (offset %#llx, %u "
                      "entries) lies outside the image", X(img->phoff),
                      img->phnum);

    if ( img->shnum == 0 )
    {
        if ( img->shoff != 0 )
            return refuse(img, why, "extended section numbering is not "
                          "supported");
        img->shstrndx = SHN_UNDEF;
        return 0;
    }
    if ( rd16(d + EH_SHENTSIZE) != ELF64_SHDR_SIZE )
        return refuse(img, why, "section header size %u, expected %u",
                      rd16(d + EH_SHENTSIZE), ELF64_SHDR_SIZE);
    if ( !in_range(img->shoff, (uint64_t)img->shnum * ELF64_SHDR_SIZE,
                   img->size) )
        return refuse(img, why, "section header table (offset %#llx, %u "
                      "entries) lies outside the image", X(img->shoff),
                      img->shnum);
    if ( img->shstrndx == SHN_XINDEX )
        return refuse(img, why, "extended section name table index is not "
                      "supported");
    if ( img->shstrndx >= img->shnum )
        return refuse(img, why, "section name table index %u out of range "
                      "(%u sections)", img->shstrndx, img->shnum);
    return 0;
}

static int check_sections(struct elf_image *img, const char **why)
{
    struct elf_shdr_info sh;
    uint32_t name_off;
    unsigned int i;

    for ( i = 0; i < img->shnum; i++ )
    {
        read_shdr(img, i, &sh, &name_off);
        if ( sh.type == SHT_NOBITS || sh.type == SHT_NULL )
            continue;
        if ( !sh.data )
            return refuse(img, why, "section %u (offset %#llx, size %#llx) "
                          "lies outside the image", i, X(sh.offset),
                          X(sh.size));
    }
    if ( img->shstrndx != SHN_UNDEF )
    {
        read_shdr(img, img->shstrndx, &sh, &name_off);
        if ( !sh.data )
            return refuse(img, why, "section name table %u has no contents",
                          img->shstrndx);
    }
    return 0;
}

static int check_load_segment(struct elf_image *img, unsigned int i,
                              const struct elf_phdr_info *ph,
                              const char **why)
{
    if ( ph->filesz > ph->memsz )
        return refuse(img, why, "segment %u: file size %#llx exceeds memory "
                      "size %#llx", i, X(ph->filesz), X(ph->memsz));
    if ( !ph->data )
        return refuse(img, why, "segment %u: file contents (offset %#llx, "
                      "size %#llx) lie outside the image", i, X(ph->offset),
                      X(ph->filesz));
    if ( ph->memsz > UINT64_MAX - ph->vaddr )
        return refuse(img, why, "segment %u: virtual range %#llx + %#llx "
                      "wraps", i, X(ph->vaddr), X(ph->memsz));
    if ( ph->memsz > UINT64_MAX - ph->paddr )
        return refuse(img, why, "segment %u: physical range %#llx + %#llx "
                      "wraps", i, X(ph->paddr), X(ph->memsz));
    if ( ph->align > 1 )
    {
        if ( ph->align & (ph->align - 1) )
            return refuse(img, why, "segment %u: alignment %#llx is not a "
                          "power of two", i, X(ph->align));
        if ( (ph->vaddr - ph->offset) & (ph->align - 1) )
            return refuse(img, why, "segment %u: address %#llx and file "
                          "offset %#llx differ modulo the alignment %#llx",
                          i, X(ph->vaddr), X(ph->offset), X(ph->align));
    }
    return 0;
}

static int check_segments(struct elf_image *img, const char **why)
{
    struct elf_phdr_info ph, other;
    unsigned int i, j;
    int rc;

    img->nr_load = 0;
    img->vstart = img->pstart = UINT64_MAX;
    img->vend = img->pend = 0;

    for ( i = 0; i < img->phnum; i++ )
    {
        elf_get_phdr(img, i, &ph);
        if ( ph.type == PT_NOTE && !ph.data )
            return refuse(img, why, "note segment %u (offset %#llx, size "
                          "%#llx) lies outside the image", i, X(ph.offset),
                          X(ph.filesz));
        if ( ph.type != PT_LOAD )
            continue;
        if ( (rc = check_load_segment(img, i, &ph, why)) )
            return rc;
        if ( !elf_phdr_is_loadable(&ph) )
            continue;

        /* Loadable segments seen so far do not overlap this one. */
        for ( j = 0; j < i; j++ )
        {
            elf_get_phdr(img, j, &other);
            if ( !elf_phdr_is_loadable(&other) )
                continue;
            if ( overlaps(ph.vaddr, ph.memsz, other.vaddr, other.memsz) )
                return refuse(img, why, "segments %u and %u overlap in "
                              "virtual memory", j, i);
            if ( overlaps(ph.paddr, ph.memsz, other.paddr, other.memsz) )
                return refuse(img, why, "segments %u and %u overlap in "
                              "physical memory", j, i);
        }

        img->nr_load++;
        img->vstart = MIN(img->vstart, ph.vaddr);
        img->vend = MAX(img->vend, ph.vaddr + ph.memsz);
        img->pstart = MIN(img->pstart, ph.paddr);
        img->pend = MAX(img->pend, ph.paddr + ph.memsz);
    }

    if ( img->nr_load == 0 )
        return refuse(img, why, "no loadable segments");
    return 0;
}

int elf_init(struct elf_image *img, const void *data, size_t size,
             const char **why)
{
    int rc;

    memset(img, 0, sizeof(*img));
    img->data = data;
    img->size = size;

    if ( (rc = check_header(img, why)) ||
         (rc = check_sections(img, why)) ||
         (rc = check_segments(img, why)) )
        return rc;
    if ( why )
        *why = NULL;
    return 0;
}

/* ---- notes --------------------------------------------------------------- */

void elf_note_iter_init(struct elf_note_iter *it, const uint8_t *p,
                        size_t len, uint64_t align)
{
    it->p = p;
    it->end = p + len;
    it->align = align == 8 ? 8 : 4;
}

/* n rounded up to the iterator's alignment; n < 2^33: no overflow. */
static uint64_t note_pad(const struct elf_note_iter *it, uint64_t n)
{
    return (n + it->align - 1) & ~(uint64_t)(it->align - 1);
}

int elf_note_next(struct elf_note_iter *it, struct elf_note *note)
{
    uint64_t left = it->end - it->p, desc_off;

    if ( left < ELF_NOTE_HDR_SIZE )
    {
        it->p = it->end;                /* trailing padding */
        return 0;
    }
    note->namesz = rd32(it->p);
    note->descsz = rd32(it->p + 4);
    note->type = rd32(it->p + 8);

    /*
     * Offsets from the start of the note: the descriptor at the header
     * plus name rounded up to the alignment, the next note after the
     * descriptor rounded up likewise (the last one's padding may be cut
     * off at the end of the region).
     */
    desc_off = note_pad(it, ELF_NOTE_HDR_SIZE + (uint64_t)note->namesz);
    if ( desc_off > left || note->descsz > left - desc_off )
    {
        it->p = it->end;
        return -EINVAL;
    }
    note->name = (const char *)it->p + ELF_NOTE_HDR_SIZE;
    note->desc = it->p + desc_off;
    it->p += desc_off + MIN(note_pad(it, note->descsz), left - desc_off);
    return 1;
}

bool elf_note_name_is(const struct elf_note *note, const char *name)
{
    size_t len = strlen(name);

    return note->namesz > len && !memcmp(note->name, name, len) &&
           note->name[len] == '\0';
}

/* ---- loading ------------------------------------------------------------- */

static int load_segment(const struct elf_phdr_info *ph, uint64_t dest,
                        elf_map_fn map, void *ctx)
{
    uint64_t off = 0, chunk;
    uint8_t *p;

    while ( off < ph->memsz )
    {
        chunk = ELF_PAGE_SIZE - ((dest + off) & (ELF_PAGE_SIZE - 1));
        chunk = MIN(chunk, ph->memsz - off);
        p = map(dest + off, chunk, ctx);
        if ( !p )
            return -EFAULT;
        if ( off < ph->filesz )
        {
            uint64_t n = MIN(chunk, ph->filesz - off);

            memcpy(p, ph->data + off, n);
            if ( n < chunk )
                memset(p + n, 0, chunk - n);
        }
        else
            memset(p, 0, chunk);
        off += chunk;
    }
    return 0;
}

int elf_load(const struct elf_image *img, uint64_t bias, elf_map_fn map,
             void *ctx)
{
    struct elf_phdr_info ph;
    unsigned int i;
    uint64_t dest;
    int rc;

    for ( i = 0; i < img->phnum; i++ )
    {
        elf_get_phdr(img, i, &ph);
        if ( !elf_phdr_is_loadable(&ph) )
            continue;
        dest = ph.paddr + bias;
        if ( ph.memsz > UINT64_MAX - dest )
            return -EINVAL;
        if ( (rc = load_segment(&ph, dest, map, ctx)) )
            return rc;
    }
    return 0;
}
