/*
 * Early page allocator.  Owns the list of frame ranges that are free RAM
 * before the heap exists, and carves permanent allocations from it.
 *
 * Invariants: ranges[0 .. nr_ranges) are non-empty, disjoint and sorted by
 * frame number, as [s, e) in frames.  Allocation takes the highest range
 * that can hold the request and cuts it from that range's top (respecting
 * the alignment and an optional limit), leaving at most two pieces; when
 * the table is full the smaller piece is dropped with a warning.  After
 * end_boot_allocator() the list is empty and `retired` is set for good.
 *
 * Boot-time only: runs on the boot CPU before anything else can allocate,
 * so there is no lock.
 */

#include <keel/boot_alloc.h>
#include <keel/mm.h>
#include <keel/lib.h>

struct boot_range {
    unsigned long s, e;                 /* frames [s, e) */
};

/* All (c) boot CPU only. */
static struct boot_range ranges[BOOT_ALLOC_MAX_RANGES];
static unsigned int nr_ranges;
static bool retired;

/* Insert [s, e) at index `at`, shifting the rest up; there must be room. */
static void range_insert(unsigned int at, unsigned long s, unsigned long e)
{
    memmove(&ranges[at + 1], &ranges[at],
            (nr_ranges - at) * sizeof(ranges[0]));
    ranges[at].s = s;
    ranges[at].e = e;
    nr_ranges++;
}

static void range_remove(unsigned int at)
{
    memmove(&ranges[at], &ranges[at + 1],
            (nr_ranges - at - 1) * sizeof(ranges[0]));
    nr_ranges--;
}

void boot_alloc_init(const struct memmap_range *free, unsigned int nr)
{
    unsigned int i, at;

    nr_ranges = 0;
    retired = false;

    for ( i = 0; i < nr; i++ )
    {
        unsigned long s, e;

        if ( free[i].end <= free[i].start ||
             free[i].start > UINT64_MAX - (PAGE_SIZE - 1) )
            continue;
        s = ROUNDUP(free[i].start, PAGE_SIZE) >> PAGE_SHIFT;
        e = free[i].end >> PAGE_SHIFT;
        if ( e <= s )
            continue;

        for ( at = 0; at < nr_ranges && ranges[at].s < s; at++ )
            ;
        if ( (at > 0 && ranges[at - 1].e > s) ||
             (at < nr_ranges && ranges[at].s < e) )
            panic("boot_alloc_init: free range %lx-%lx overlaps another\n",
                  (unsigned long)free[i].start, (unsigned long)free[i].end);
        if ( nr_ranges == BOOT_ALLOC_MAX_RANGES )
        {
            printk(KLOG_WARNING "boot_alloc: too many ranges, ignoring "
                   "frames %lx-%lx\n", s, e - 1);
            continue;
        }
        range_insert(at, s, e);
    }
}

mfn_t boot_alloc_pages_below(unsigned long nr, unsigned long align_pages,
                             mfn_t limit)
{
    unsigned int i;

    if ( retired )
        panic("boot_alloc_pages: called after end_boot_allocator()\n");
    if ( align_pages == 0 )
        align_pages = 1;
    if ( nr == 0 || (align_pages & (align_pages - 1)) )
        panic("boot_alloc_pages: bad request: %lu frames, alignment %lu\n",
              nr, align_pages);

    for ( i = nr_ranges; i-- > 0; )
    {
        unsigned long s = ranges[i].s, e = ranges[i].e;
        unsigned long top = MIN(e, mfn_x(limit)), start;

        if ( top <= s || top - s < nr )
            continue;
        start = ROUNDDOWN(top - nr, align_pages);
        if ( start < s )
            continue;

        /* What is left: [s, start) and [start + nr, e); either may be empty. */
        if ( s == start && start + nr == e )
            range_remove(i);
        else if ( s == start )
            ranges[i].s = start + nr;
        else if ( start + nr == e )
            ranges[i].e = start;
        else if ( nr_ranges < BOOT_ALLOC_MAX_RANGES )
        {
            ranges[i].e = start;
            range_insert(i + 1, start + nr, e);
        }
        else
        {
            /* No slot for both pieces: keep the bigger one. */
            bool keep_low = start - s >= e - (start + nr);

            printk(KLOG_WARNING "boot_alloc: too many ranges, losing frames "
                   "%lx-%lx\n", keep_low ? start + nr : s,
                   (keep_low ? e : start) - 1);
            if ( keep_low )
                ranges[i].e = start;
            else
                ranges[i].s = start + nr;
        }
        return _mfn(start);
    }

    panic("boot_alloc_pages: out of memory: no %lu frames aligned to %lu "
          "below frame %lx (%lu frames free in %u ranges)\n",
          nr, align_pages, mfn_x(limit), boot_alloc_free_pages(), nr_ranges);
}

mfn_t boot_alloc_pages(unsigned long nr, unsigned long align_pages)
{
    return boot_alloc_pages_below(nr, align_pages, INVALID_MFN);
}

void boot_alloc_truncate(mfn_t end)
{
    unsigned long e = mfn_x(end);

    while ( nr_ranges && ranges[nr_ranges - 1].s >= e )
        nr_ranges--;
    if ( nr_ranges && ranges[nr_ranges - 1].e > e )
        ranges[nr_ranges - 1].e = e;
}

unsigned long boot_alloc_free_pages(void)
{
    unsigned long total = 0;
    unsigned int i;

    for ( i = 0; i < nr_ranges; i++ )
        total += ranges[i].e - ranges[i].s;
    return total;
}

void end_boot_allocator(void)
{
    unsigned int i;

    if ( retired )
        panic("end_boot_allocator: called twice\n");

    for ( i = 0; i < nr_ranges; i++ )
        init_heap_pages(_mfn(ranges[i].s), ranges[i].e - ranges[i].s);
    nr_ranges = 0;
    retired = true;
}
