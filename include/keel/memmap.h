/*
 * Physical memory map: turning the boot loader's raw E820-style list into
 * something the allocators can trust (common/lib/memmap.c).
 *
 * Pipeline at boot:
 *
 *   raw entries (Multiboot 1 mmap or Multiboot 2 memory-map tag; any order,
 *   overlapping, zero-length, wrapping, unaligned)
 *     --memmap_sanitise()-->   sorted, disjoint, merged map; RAM page aligned
 *     --memmap_free_ranges()-> RAM minus protected ranges minus the first
 *                              1 MiB: what the boot allocator may hand out
 *
 * Everything here is pure computation on caller-provided arrays: no
 * allocation, no locks, no global state.  Output arrays have a fixed
 * capacity given by the caller; running out is reported as -ENOSPC and
 * never writes past the end.
 */
#ifndef KEEL_MEMMAP_H
#define KEEL_MEMMAP_H

#include <keel/types.h>

/* Entry types, E820 numbering (ACPI spec "Address Range Types"). */
#define E820_RAM       1
#define E820_RESERVED  2
#define E820_ACPI      3        /* ACPI tables, reclaimable after parsing */
#define E820_NVS       4        /* ACPI NVS, must be preserved over S3 */
#define E820_UNUSABLE  5        /* faulty RAM */

/*
 * Highest physical address the sanitiser keeps (exclusive): the amd64
 * architectural maximum of 52 address bits.  Entries are clipped to it, so
 * addr + len never wraps in a sanitised map.
 */
#define MEMMAP_PADDR_LIMIT  (1ULL << 52)

/* RAM below this never reaches the allocators (the boot code uses it). */
#define MEMMAP_LOW_RESERVE  0x100000ULL

/* A suggested capacity for the sanitised map and the free-range list. */
#define MEMMAP_MAX_ENTRIES  128

/*
 * One map entry, [addr, addr + len).  Same layout as the raw entries the
 * Multiboot parser produces (struct boot_mmap_entry), so raw input and
 * sanitised output share the type.
 */
struct memmap_entry {
    uint64_t addr;
    uint64_t len;
    uint32_t type;              /* E820_*; unknown values mean reserved */
};

/* A physical range [start, end). */
struct memmap_range {
    paddr_t start;
    paddr_t end;
};

/*
 * Sanitise nr_raw raw entries into out[0 .. max_out).
 *
 * - zero-length entries are ignored;
 * - entries that wrap past 2^64, or reach past MEMMAP_PADDR_LIMIT, are
 *   clipped to MEMMAP_PADDR_LIMIT (with a warning); entries starting at or
 *   above it are dropped;
 * - unknown types become E820_RESERVED;
 * - where entries overlap the most restrictive type wins, in the order
 *   RAM < ACPI data < ACPI NVS < unusable < reserved (anything beats RAM);
 * - the result is sorted by address, disjoint, and adjacent entries of the
 *   same type are merged;
 * - RAM entries are shrunk to whole pages (start up, end down); RAM that
 *   holds no whole page is dropped and leaves a hole.
 *
 * Returns 0 and sets *nr_out, or -ENOSPC when the result needs more than
 * max_out entries: out[] then holds the first max_out entries (still sorted
 * and valid) and *nr_out == max_out.  -EINVAL for NULL arrays with a
 * non-zero count.  Cost is O(nr_raw^2), fine for firmware-sized maps.
 */
int memmap_sanitise(const struct memmap_entry *raw, unsigned int nr_raw,
                    struct memmap_entry *out, unsigned int max_out,
                    unsigned int *nr_out);

/*
 * RAM of a sanitised map minus protected byte ranges (the hypervisor
 * image, boot modules, loader structures...) and minus everything below
 * MEMMAP_LOW_RESERVE, as sorted, disjoint, page-aligned ranges in
 * out[0 .. max_out).  Protected ranges may be unsorted, overlapping, empty,
 * or unaligned: any page they touch is excluded.  An inverted range
 * (end < start) is taken to run to the top of the address space.
 *
 * Returns 0, -ENOSPC (out[] then holds the lowest max_out ranges), or
 * -EINVAL when map is not sanitised (unsorted, overlapping or unaligned
 * RAM) or an array is NULL with a non-zero count.
 */
int memmap_free_ranges(const struct memmap_entry *map, unsigned int nr,
                       const struct memmap_range *prot, unsigned int nr_prot,
                       struct memmap_range *out, unsigned int max_out,
                       unsigned int *nr_out);

/* One past the highest RAM page frame of a sanitised map (0 if no RAM). */
unsigned long memmap_max_ram_pfn(const struct memmap_entry *map,
                                 unsigned int nr);

/* Total bytes of RAM in a sanitised map. */
uint64_t memmap_ram_bytes(const struct memmap_entry *map, unsigned int nr);

/* "usable", "reserved", "ACPI data", "ACPI NVS", "unusable". */
const char *memmap_type_name(uint32_t type);

/*
 * Log a map: the line "Keel-e820 RAM map:" then one line per entry,
 * " 0000000000000000 - 000000000009fc00 (usable)" (start, exclusive end).
 */
void memmap_print(const struct memmap_entry *map, unsigned int nr);

#endif /* KEEL_MEMMAP_H */
