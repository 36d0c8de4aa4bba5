/*
 * What the boot loader told us, normalised from Multiboot 1 or 2 by
 * arch/x86/boot/mbinfo.c.  All addresses are physical; strings are copied
 * into bounded buffers so nothing points back into loader memory.
 */
#ifndef KEEL_BOOTINFO_H
#define KEEL_BOOTINFO_H

#include <keel/types.h>
#include <keel/param.h>

#define BOOT_MAX_MMAP    128
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 1024

struct boot_mmap_entry {
    uint64_t addr, len;
    uint32_t type;                  /* E820 numbering */
};

struct boot_module {
    paddr_t start, end;             /* [start, end) */
    char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
    enum boot_loader loader;        /* decides the image-name rule */
    bool multiboot2;                /* protocol used */
    const char *loader_name;        /* for the log only */
    char cmdline[BOOT_CMDLINE_MAX];
    paddr_t info_start, info_end;   /* loader structures to protect */
    unsigned int nr_mmap;
    struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
    uint64_t mem_lower_kb, mem_upper_kb;  /* fallback when no map */
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MAX_MODULES];
    /* Copy of the RSDP from the Multiboot 2 ACPI tag (rsdp_len 0: none). */
    const void *rsdp_copy;          /* points at rsdp_buf */
    size_t rsdp_len;
    uint8_t rsdp_buf[64];
    unsigned int dropped;           /* entries beyond our capacity */
};

/*
 * Map `len` bytes of loader memory at physical `pa` for reading, or NULL
 * when that range cannot be mapped.  Provided by the arch code (the boot
 * identity map) or by the host test harness.
 */
const void *mbinfo_map(paddr_t pa, size_t len);

/*
 * Fill *bi from the loader's structures: `magic` is eax at entry and
 * `info_pa` is ebx.  Returns 0, or -EINVAL when the magic is unknown or the
 * information cannot be read.  Entries beyond our capacity are counted in
 * bi->dropped; malformed entries are skipped, never trusted.
 */
int mbinfo_parse(uint32_t magic, paddr_t info_pa, struct boot_info *bi);

#endif /* KEEL_BOOTINFO_H */
