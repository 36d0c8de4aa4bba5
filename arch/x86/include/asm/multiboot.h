/*
 * Multiboot 1 and Multiboot 2 constants and the parts of their information
 * structures Keel reads.  Facts from the Multiboot specifications.
 */
#ifndef ASM_MULTIBOOT_H
#define ASM_MULTIBOOT_H

#define MB1_HEADER_MAGIC      0x1BADB002
#define MB1_BOOTLOADER_MAGIC  0x2BADB002
#define MB1_FLAG_PAGE_ALIGN   (1 << 0)
#define MB1_FLAG_MEMINFO      (1 << 1)

#define MB2_HEADER_MAGIC      0xE85250D6
#define MB2_BOOTLOADER_MAGIC  0x36D76289
#define MB2_ARCH_I386         0
#define MB2_HDR_TAG_END       0
#define MB2_HDR_TAG_INFO_REQ  1
#define MB2_HDR_TAG_MODALIGN  6

/* Multiboot 1 info flags */
#define MB1_INFO_MEM          (1 << 0)
#define MB1_INFO_CMDLINE      (1 << 2)
#define MB1_INFO_MODS         (1 << 3)
#define MB1_INFO_MMAP         (1 << 6)
#define MB1_INFO_LOADER_NAME  (1 << 9)

/* Multiboot 2 info tag types */
#define MB2_TAG_END           0
#define MB2_TAG_CMDLINE       1
#define MB2_TAG_LOADER_NAME   2
#define MB2_TAG_MODULE        3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP          6
#define MB2_TAG_ACPI_OLD      14
#define MB2_TAG_ACPI_NEW      15

#ifndef __ASSEMBLY__
#include <keel/types.h>

struct mb1_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
} __packed;

struct mb1_module {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
} __packed;

/* Each MB1 mmap entry is preceded by its own size (not counting it). */
struct mb1_mmap {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __packed;

struct mb2_tag {
    uint32_t type, size;
} __packed;

struct mb2_tag_module {
    uint32_t type, size;
    uint32_t mod_start, mod_end;
    char string[];
} __packed;

struct mb2_tag_mmap {
    uint32_t type, size;
    uint32_t entry_size, entry_version;
    /* entries follow: u64 addr, u64 len, u32 type, u32 reserved */
} __packed;

struct mb2_mmap_entry {
    uint64_t addr, len;
    uint32_t type, reserved;
} __packed;
#endif

#endif /* ASM_MULTIBOOT_H */
