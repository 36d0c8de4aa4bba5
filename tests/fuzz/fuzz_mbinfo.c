/*
 * libFuzzer harness for arch/x86/boot/mbinfo.c.  The input is the boot
 * loader's memory from physical address 0, in an exact-size heap copy so
 * that any read past it is caught; its first byte picks Multiboot 1 or 2
 * and bytes 4..7 are the information pointer (ebx), rounded down to 8 as
 * both protocols align it.  As in tests/unit/test_mbinfo.c, this file
 * provides mbinfo_map().
 */
#include <keel/types.h>
#include <keel/errno.h>
#include <keel/bootinfo.h>
#include <asm/multiboot.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t *mem;
static size_t mem_size;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const void *mbinfo_map(paddr_t pa, size_t len)
{
    if ( pa > mem_size || len > mem_size - pa )
        return NULL;
    return mem + pa;
}

static void expect(bool ok)
{
    if ( !ok )
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct boot_info bi;
    uint8_t *copy;
    uint32_t magic, info;
    unsigned int i;

    if ( size < 8 )
        return 0;
    copy = malloc(size);
    expect(copy != NULL);
    memcpy(copy, data, size);
    mem = copy;
    mem_size = size;

    magic = (data[0] & 1) ? MB2_BOOTLOADER_MAGIC : MB1_BOOTLOADER_MAGIC;
    info = (data[4] | (data[5] << 8) | (data[6] << 16) |
            ((uint32_t)data[7] << 24)) & ~7u;
    if ( mbinfo_parse(magic, info, &bi) == 0 )
    {
        expect(strlen(bi.cmdline) < BOOT_CMDLINE_MAX);
        expect(bi.nr_modules <= BOOT_MAX_MODULES);
        expect(bi.nr_mmap <= BOOT_MAX_MMAP);
        expect(bi.rsdp_len <= sizeof(bi.rsdp_buf));
        for ( i = 0; i < bi.nr_modules; i++ )
            expect(strlen(bi.modules[i].cmdline) < BOOT_CMDLINE_MAX);
        expect(strlen(bi.loader_name) < 64 || !strcmp(bi.loader_name,
                                                      "unknown"));
    }

    free(copy);
    mem = NULL;
    return 0;
}
