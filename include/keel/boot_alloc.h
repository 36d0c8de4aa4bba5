/*
 * Early page allocator (common/boot_alloc.c): hands out frames from the
 * free RAM ranges computed by memmap_free_ranges() before the frame table
 * and the buddy allocator exist (page tables for the direct map, the frame
 * table itself).  Allocations are permanent: there is no free.
 * end_boot_allocator() then gives every frame it still holds to the heap.
 *
 * Boot-time and single-CPU only: no locking.
 */
#ifndef KEEL_BOOT_ALLOC_H
#define KEEL_BOOT_ALLOC_H

#include <keel/types.h>
#include <keel/memmap.h>

/* Ranges beyond this many (after splits) are dropped with a warning. */
#define BOOT_ALLOC_MAX_RANGES  128

/*
 * Take the free RAM ranges (sorted or not, page-aligned or not: partial
 * pages are ignored).  Overlapping ranges panic.  Calling it again starts
 * over with the new ranges.
 */
void boot_alloc_init(const struct memmap_range *free, unsigned int nr);

/*
 * nr contiguous frames whose first MFN is a multiple of align_pages (a
 * power of two; 0 means 1).  Carved from the top of the highest range that
 * can hold them, so low memory (below 4 GiB, below 16 MiB) stays free for
 * callers that need it.  The frames are not zeroed.  Panics when no range
 * fits: running out this early is fatal.
 */
mfn_t boot_alloc_pages(unsigned long nr, unsigned long align_pages);

/*
 * As boot_alloc_pages(), but every frame lies below `limit` (for example
 * the end of what the early page tables map).
 */
mfn_t boot_alloc_pages_below(unsigned long nr, unsigned long align_pages,
                             mfn_t limit);

/*
 * Forget every frame at or above `end` (for example RAM the direct map or
 * the frame table cannot cover), so end_boot_allocator() never hands it on.
 */
void boot_alloc_truncate(mfn_t end);

/* Frames the boot allocator still holds. */
unsigned long boot_alloc_free_pages(void);

/*
 * Give every remaining frame to the heap (init_heap_pages()) and retire
 * the boot allocator: later boot_alloc_pages() calls panic.  Needs
 * frame_table_setup() first.
 */
void end_boot_allocator(void);

#endif /* KEEL_BOOT_ALLOC_H */
