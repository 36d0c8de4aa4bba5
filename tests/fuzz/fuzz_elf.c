/*
 * libFuzzer harness for common/lib/elf.c and common/lib/xen_notes.c: the
 * input is an ELF image.  Whatever elf_init() accepts is walked through
 * every accessor, its notes are parsed and checked (as dom0 and domU),
 * and an image that passes is loaded through a map callback that hands
 * out one scratch page and insists on the page-chunking promise.  The raw
 * input is also fed to the __xen_guest string parser.
 */
#include <keel/types.h>
#include <keel/errno.h>
#include <keel/elf.h>
#include <keel/xen_notes.h>
#include <public/features.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MAPS 2048                   /* 8 MiB of target per input */

static uint8_t page[4096];
static unsigned int nr_maps;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect(bool ok)
{
    if ( !ok )
        abort();
}

static void *map(uint64_t addr, size_t len, void *ctx)
{
    expect(ctx == &nr_maps);
    expect(len > 0 && (addr & 0xfff) + len <= sizeof(page));
    if ( ++nr_maps > MAX_MAPS )
        return NULL;
    return page + (addr & 0xfff);
}

static void walk_notes(const uint8_t *p, size_t len, uint64_t align)
{
    struct elf_note_iter it;
    struct elf_note n;
    unsigned int count = 0;
    int rc;

    elf_note_iter_init(&it, p, len, align);
    while ( (rc = elf_note_next(&it, &n)) > 0 )
    {
        expect(++count <= len / 12);
        expect(n.desc + n.descsz <= p + len);
        expect((const uint8_t *)n.name + n.namesz <= p + len);
        (void)elf_note_name_is(&n, "Xen");
    }
    expect(rc == 0 || rc == -EINVAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct xen_guest_params p, q;
    struct elf_image img;
    struct elf_phdr_info ph;
    struct elf_shdr_info sh;
    const uint32_t keel = (1u << XENFEAT_pae_pgdir_above_4gb) |
                          (1u << XENFEAT_dom0);
    const char *why;
    unsigned int i;

    memset(&p, 0, sizeof(p));
    if ( xen_notes_parse_legacy(&p, (const char *)data, size, &why) )
        expect(strlen(why) < sizeof(p.why));

    if ( elf_init(&img, data, size, &why) )
    {
        expect(why && strlen(why) < sizeof(img.why));
        return 0;
    }
    expect(why == NULL && img.nr_load > 0 && img.vstart < img.vend);

    for ( i = 0; elf_get_phdr(&img, i, &ph) == 0; i++ )
    {
        if ( elf_phdr_is_loadable(&ph) )
            expect(ph.data && ph.offset + ph.filesz <= size &&
                   ph.vaddr >= img.vstart && ph.vaddr + ph.memsz <= img.vend);
        if ( ph.type == PT_NOTE )
            walk_notes(ph.data, ph.filesz, ph.align);
    }
    expect(i == img.phnum);
    for ( i = 0; elf_get_shdr(&img, i, &sh) == 0; i++ )
    {
        expect(strlen(sh.name) < size);
        if ( sh.type == SHT_NOTE )
            walk_notes(sh.data, sh.size, sh.addralign);
    }
    (void)elf_find_section(&img, "__xen_guest", &sh);

    if ( xen_notes_parse(&img, &p, &why) )
    {
        expect(why && strlen(why) < sizeof(p.why));
        return 0;
    }
    q = p;
    if ( xen_notes_check(&q, &img, keel, false, &why) )
        expect(why && strlen(why) < sizeof(q.why));
    if ( xen_notes_check(&p, &img, keel, true, &why) )
        return 0;

    expect(p.virt_kstart < p.virt_kend && p.entry >= p.virt_kstart &&
           p.entry < p.virt_kend);
    nr_maps = 0;
    if ( elf_load(&img, p.virt_offset, map, &nr_maps) == 0 )
        expect(nr_maps <= MAX_MAPS);
    return 0;
}
