/*
 * Multiboot 1 and Multiboot 2 information parsing.  The loader's structures
 * are input from outside the hypervisor: every length is bounded, every
 * string is copied with a limit, every entry count is capped, and tag walks
 * cannot loop (each step advances by at least the 8-byte tag header).
 */
#include <keel/bootinfo.h>
#include <keel/errno.h>
#include <keel/lib.h>
#include <asm/multiboot.h>

#define MB2_MAX_INFO  (1u << 20)        /* sanity bound on total MB2 size */

static void copy_string(char *dst, size_t size, paddr_t pa)
{
    const char *s;
    size_t i;

    dst[0] = '\0';
    if ( !pa )
        return;
    /* Map byte by byte through the hook: the string may cross a page. */
    for ( i = 0; i + 1 < size; i++ )
    {
        s = mbinfo_map(pa + i, 1);
        if ( !s || !*s )
            break;
        dst[i] = *s;
    }
    dst[i] = '\0';
}

static void add_mmap(struct boot_info *bi, uint64_t addr, uint64_t len,
                     uint32_t type)
{
    if ( bi->nr_mmap >= BOOT_MAX_MMAP )
    {
        bi->dropped++;
        return;
    }
    bi->mmap[bi->nr_mmap].addr = addr;
    bi->mmap[bi->nr_mmap].len = len;
    bi->mmap[bi->nr_mmap].type = type;
    bi->nr_mmap++;
}

static void add_module(struct boot_info *bi, paddr_t start, paddr_t end,
                       paddr_t string_pa, const char *string, size_t slen)
{
    struct boot_module *m;

    if ( end < start )
    {
        bi->dropped++;
        return;
    }
    if ( bi->nr_modules >= BOOT_MAX_MODULES )
    {
        bi->dropped++;
        return;
    }
    m = &bi->modules[bi->nr_modules++];
    m->start = start;
    m->end = end;
    if ( string )
    {
        size_t n = strnlen(string, MIN(slen, sizeof(m->cmdline) - 1));

        memcpy(m->cmdline, string, n);
        m->cmdline[n] = '\0';
    }
    else
        copy_string(m->cmdline, sizeof(m->cmdline), string_pa);
}

static int parse_mb1(paddr_t info_pa, struct boot_info *bi)
{
    const struct mb1_info *mbi = mbinfo_map(info_pa, sizeof(*mbi));
    unsigned int i;

    if ( !mbi )
        return -EINVAL;
    bi->info_start = info_pa;
    bi->info_end = info_pa + sizeof(*mbi);

    if ( mbi->flags & MB1_INFO_LOADER_NAME )
    {
        static char name[64];

        copy_string(name, sizeof(name), mbi->boot_loader_name);
        bi->loader_name = name;
    }
    if ( mbi->flags & MB1_INFO_CMDLINE )
        copy_string(bi->cmdline, sizeof(bi->cmdline), mbi->cmdline);
    if ( mbi->flags & MB1_INFO_MEM )
    {
        bi->mem_lower_kb = mbi->mem_lower;
        bi->mem_upper_kb = mbi->mem_upper;
    }

    if ( mbi->flags & MB1_INFO_MMAP )
    {
        uint64_t off = 0;               /* 64-bit: sums below cannot wrap */

        /* Each entry: u32 size (excluding itself), then the entry. */
        while ( off + sizeof(struct mb1_mmap) <= mbi->mmap_length )
        {
            const struct mb1_mmap *e =
                mbinfo_map(mbi->mmap_addr + off, sizeof(*e));

            if ( !e || e->size < sizeof(*e) - sizeof(e->size) )
                break;
            add_mmap(bi, e->addr, e->len, e->type);
            off += (uint64_t)e->size + sizeof(e->size);
        }
    }

    if ( mbi->flags & MB1_INFO_MODS )
    {
        for ( i = 0; i < mbi->mods_count && i < BOOT_MAX_MODULES + 1; i++ )
        {
            const struct mb1_module *m =
                mbinfo_map(mbi->mods_addr + i * sizeof(*m), sizeof(*m));

            if ( !m )
                break;
            add_module(bi, m->mod_start, m->mod_end, m->string, NULL, 0);
        }
        if ( mbi->mods_count > i )
            bi->dropped += mbi->mods_count - i;
    }
    return 0;
}

static int parse_mb2(paddr_t info_pa, struct boot_info *bi)
{
    const uint32_t *hdr = mbinfo_map(info_pa, 8);
    uint32_t total, off, size = 0;

    if ( !hdr )
        return -EINVAL;
    total = hdr[0];
    if ( total < 16 || total > MB2_MAX_INFO )
        return -EINVAL;
    bi->info_start = info_pa;
    bi->info_end = info_pa + total;

    /* Each step advances by at least 8 bytes, so the walk is bounded. */
    for ( off = 8; off + sizeof(struct mb2_tag) <= total;
          off += ROUNDUP(size, 8u) )
    {
        const struct mb2_tag *t = mbinfo_map(info_pa + off, 8);
        const uint8_t *body;

        if ( !t || t->type == MB2_TAG_END )
            break;
        size = t->size;
        if ( size < sizeof(*t) || size > total - off )
            break;                          /* malformed: stop walking */
        body = mbinfo_map(info_pa + off, size);
        if ( !body )
            break;

        switch ( t->type )
        {
        case MB2_TAG_CMDLINE:
        {
            size_t n = strnlen((const char *)body + 8,
                               MIN(size - 8, sizeof(bi->cmdline) - 1));

            memcpy(bi->cmdline, body + 8, n);
            bi->cmdline[n] = '\0';
            break;
        }
        case MB2_TAG_LOADER_NAME:
        {
            static char name[64];
            size_t n = strnlen((const char *)body + 8,
                               MIN(size - 8, sizeof(name) - 1));

            memcpy(name, body + 8, n);
            name[n] = '\0';
            bi->loader_name = name;
            break;
        }
        case MB2_TAG_MODULE:
        {
            const struct mb2_tag_module *m = (const void *)body;

            if ( size < sizeof(*m) )
                break;
            add_module(bi, m->mod_start, m->mod_end, 0, m->string,
                       size - sizeof(*m));
            break;
        }
        case MB2_TAG_BASIC_MEMINFO:
            if ( size >= 16 )
            {
                bi->mem_lower_kb = ((const uint32_t *)body)[2];
                bi->mem_upper_kb = ((const uint32_t *)body)[3];
            }
            break;
        case MB2_TAG_MMAP:
        {
            const struct mb2_tag_mmap *mm = (const void *)body;
            uint32_t eoff;

            if ( size < sizeof(*mm) ||
                 mm->entry_size < sizeof(struct mb2_mmap_entry) )
                break;
            /* Written so that no sum can wrap: entry_size is untrusted. */
            for ( eoff = sizeof(*mm); mm->entry_size <= size - eoff;
                  eoff += mm->entry_size )
            {
                const struct mb2_mmap_entry *e = (const void *)(body + eoff);

                add_mmap(bi, e->addr, e->len, e->type);
            }
            break;
        }
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW:
            /* Prefer the ACPI 2.0+ copy when both are given. */
            if ( t->type == MB2_TAG_ACPI_NEW || !bi->rsdp_copy )
            {
                /* Copy: loader memory is not mapped after early boot. */
                bi->rsdp_len = MIN(size - 8, sizeof(bi->rsdp_buf));
                memcpy(bi->rsdp_buf, body + 8, bi->rsdp_len);
                bi->rsdp_copy = bi->rsdp_buf;
            }
            break;
        }
    }
    return 0;
}

/*
 * GRUB 2 names itself "GRUB 2.xx" (or "GRUB 1.9x" for its betas) and, with
 * either protocol, leaves the image name out of the command line; GRUB
 * Legacy ("GNU GRUB 0.9x"), NetBSD's /boot and QEMU put it first.
 */
static bool loader_is_grub2(const char *name)
{
    const char *p = strstr(name, "GRUB ");

    return p && p[5] != '0' && p[5] != '\0';
}

int mbinfo_parse(uint32_t magic, paddr_t info_pa, struct boot_info *bi)
{
    int rc = -EINVAL;

    memset(bi, 0, sizeof(*bi));
    bi->loader_name = "unknown";
    if ( magic == MB1_BOOTLOADER_MAGIC )
        rc = parse_mb1(info_pa, bi);
    else if ( magic == MB2_BOOTLOADER_MAGIC )
        rc = parse_mb2(info_pa, bi);
    bi->multiboot2 = magic == MB2_BOOTLOADER_MAGIC;
    bi->loader = loader_is_grub2(bi->loader_name) ? LOADER_GRUB2
                                                   : LOADER_MULTIBOOT1;
    return rc;
}
