/*
 * Memory-map sanitiser.  Owns the rules that turn the boot loader's raw
 * E820-style list into the map the rest of the hypervisor trusts, and the
 * subtraction of protected ranges that yields the RAM the boot allocator
 * may hand out.  Pure functions over caller arrays: no globals, no locks,
 * no allocation; every write to an output array is bounds checked.
 *
 * Invariants of a sanitised map (what memmap_sanitise() guarantees and
 * memmap_free_ranges() checks):
 *   - entries are sorted by address and disjoint;
 *   - no entry has zero length and none reaches past MEMMAP_PADDR_LIMIT,
 *     so addr + len never wraps;
 *   - two touching entries never have the same type;
 *   - RAM entries start and end on page boundaries.
 *
 * The sanitiser sweeps the address space from boundary to boundary (every
 * entry start and end is one).  Between two consecutive boundaries the set
 * of covering entries is constant, so one type decides the whole segment.
 * Finding the next boundary is a linear scan, which keeps the code free of
 * scratch storage and sorting at O(n^2) for n raw entries; firmware maps
 * have tens of entries.
 */

#include <keel/memmap.h>
#include <keel/errno.h>
#include <keel/lib.h>

/* How restrictive a type is: where entries overlap, the higher rank wins. */
static unsigned int type_rank(uint32_t type)
{
    switch ( type )
    {
    case E820_RAM:      return 0;
    case E820_ACPI:     return 1;
    case E820_NVS:      return 2;
    case E820_UNUSABLE: return 3;
    default:            return 4;   /* E820_RESERVED and anything unknown */
    }
}

static const uint32_t rank_type[] = {
    E820_RAM, E820_ACPI, E820_NVS, E820_UNUSABLE, E820_RESERVED,
};

/*
 * The part of raw entry e that we keep, as [*s, *e) below
 * MEMMAP_PADDR_LIMIT.  False when nothing is left.
 */
static bool raw_bounds(const struct memmap_entry *ent, uint64_t *s,
                       uint64_t *e)
{
    if ( ent->len == 0 || ent->addr >= MEMMAP_PADDR_LIMIT )
        return false;
    *s = ent->addr;
    /* Covers both wrap-around past 2^64 and entries beyond 52 bits. */
    if ( ent->len > MEMMAP_PADDR_LIMIT - ent->addr )
        *e = MEMMAP_PADDR_LIMIT;
    else
        *e = ent->addr + ent->len;
    return true;
}

/*
 * Output side of the sweep.  The newest segment is held in `pend` until we
 * know it cannot grow any more; only then is it page-trimmed (RAM) and
 * copied to out[], so a RAM sliver that vanishes never costs a slot.
 */
struct sweep_out {
    struct memmap_entry *out;
    unsigned int max, nr;
    bool overflow;
    bool have_pend;
    struct memmap_entry pend;
};

static void sweep_flush(struct sweep_out *so)
{
    struct memmap_entry ent = so->pend;

    if ( !so->have_pend )
        return;
    so->have_pend = false;

    if ( ent.type == E820_RAM )
    {
        uint64_t s = ROUNDUP(ent.addr, PAGE_SIZE);
        uint64_t e = ROUNDDOWN(ent.addr + ent.len, PAGE_SIZE);

        if ( e <= s )
            return;                     /* no whole page: drop */
        ent.addr = s;
        ent.len = e - s;
    }

    if ( so->nr == so->max )
    {
        so->overflow = true;
        return;
    }
    so->out[so->nr++] = ent;
}

static void sweep_emit(struct sweep_out *so, uint64_t s, uint64_t e,
                       uint32_t type)
{
    if ( so->have_pend && so->pend.type == type &&
         so->pend.addr + so->pend.len == s )
    {
        so->pend.len += e - s;
        return;
    }
    sweep_flush(so);
    so->pend.addr = s;
    so->pend.len = e - s;
    so->pend.type = type;
    so->have_pend = true;
}

int memmap_sanitise(const struct memmap_entry *raw, unsigned int nr_raw,
                    struct memmap_entry *out, unsigned int max_out,
                    unsigned int *nr_out)
{
    struct sweep_out so = { .out = out, .max = max_out };
    uint64_t pos = 0;
    unsigned int i;

    if ( !nr_out || (nr_raw && !raw) || (max_out && !out) )
        return -EINVAL;
    *nr_out = 0;

    for ( i = 0; i < nr_raw; i++ )
    {
        const struct memmap_entry *ent = &raw[i];

        if ( ent->len && (ent->addr >= MEMMAP_PADDR_LIMIT ||
                          ent->len > MEMMAP_PADDR_LIMIT - ent->addr) )
            printk(KLOG_WARNING "memmap: entry %016lx+%lx (type %u) "
                   "reaches past the 52-bit physical limit, clipped\n",
                   (unsigned long)ent->addr, (unsigned long)ent->len,
                   ent->type);
    }

    /*
     * Invariant at the top of each pass: everything below pos has been
     * emitted.  Each pass moves pos to the next boundary, and there are at
     * most 2 * nr_raw boundaries, so the loop terminates.
     */
    for ( ;; )
    {
        uint64_t next = UINT64_MAX;
        int rank = -1;

        for ( i = 0; i < nr_raw; i++ )
        {
            uint64_t s, e;

            if ( !raw_bounds(&raw[i], &s, &e) )
                continue;
            if ( s > pos )
                next = MIN(next, s);
            else if ( e > pos )
            {
                /* Covers [pos, next): a candidate for the segment's type. */
                next = MIN(next, e);
                rank = MAX(rank, (int)type_rank(raw[i].type));
            }
        }
        if ( next == UINT64_MAX )
            break;                      /* nothing covers or follows pos */
        if ( rank >= 0 )
            sweep_emit(&so, pos, next, rank_type[rank]);
        pos = next;
    }
    sweep_flush(&so);

    *nr_out = so.nr;
    return so.overflow ? -ENOSPC : 0;
}

/* Page-expanded bounds of a protected range; false if it is empty. */
static bool prot_bounds(const struct memmap_range *p, uint64_t *s,
                        uint64_t *e)
{
    if ( p->end == p->start )
        return false;
    *s = ROUNDDOWN(p->start, PAGE_SIZE);
    if ( p->end < p->start || p->end > UINT64_MAX - (PAGE_SIZE - 1) )
        *e = UINT64_MAX;                /* wrapped: protect to the top */
    else
        *e = ROUNDUP(p->end, PAGE_SIZE);
    return true;
}

static bool map_is_sane(const struct memmap_entry *map, unsigned int nr)
{
    uint64_t prev_end = 0;
    unsigned int i;

    for ( i = 0; i < nr; i++ )
    {
        const struct memmap_entry *ent = &map[i];

        if ( ent->len == 0 || ent->addr >= MEMMAP_PADDR_LIMIT ||
             ent->len > MEMMAP_PADDR_LIMIT - ent->addr )
            return false;
        if ( i && ent->addr < prev_end )
            return false;
        if ( ent->type == E820_RAM &&
             ((ent->addr | ent->len) & (PAGE_SIZE - 1)) )
            return false;
        prev_end = ent->addr + ent->len;
    }
    return true;
}

int memmap_free_ranges(const struct memmap_entry *map, unsigned int nr,
                       const struct memmap_range *prot, unsigned int nr_prot,
                       struct memmap_range *out, unsigned int max_out,
                       unsigned int *nr_out)
{
    unsigned int i, j, n = 0;

    if ( !nr_out || (nr && !map) || (nr_prot && !prot) ||
         (max_out && !out) )
        return -EINVAL;
    *nr_out = 0;
    if ( !map_is_sane(map, nr) )
        return -EINVAL;

    for ( i = 0; i < nr; i++ )
    {
        uint64_t cur, end;

        if ( map[i].type != E820_RAM )
            continue;
        cur = MAX(map[i].addr, MEMMAP_LOW_RESERVE);
        end = map[i].addr + map[i].len;

        while ( cur < end )
        {
            uint64_t next = end, ps, pe;
            bool moved;

            /* Step over every protected range that covers cur. */
            do {
                moved = false;
                for ( j = 0; j < nr_prot; j++ )
                    if ( prot_bounds(&prot[j], &ps, &pe) &&
                         ps <= cur && cur < pe )
                    {
                        cur = pe;
                        moved = true;
                    }
            } while ( moved && cur < end );
            if ( cur >= end )
                break;

            /* Free up to the next protected range that starts above. */
            for ( j = 0; j < nr_prot; j++ )
                if ( prot_bounds(&prot[j], &ps, &pe) && ps > cur &&
                     ps < next )
                    next = ps;

            if ( n == max_out )
            {
                *nr_out = n;
                return -ENOSPC;
            }
            out[n].start = cur;
            out[n].end = next;
            n++;
            cur = next;
        }
    }

    *nr_out = n;
    return 0;
}

unsigned long memmap_max_ram_pfn(const struct memmap_entry *map,
                                 unsigned int nr)
{
    unsigned long max = 0;
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( map[i].type == E820_RAM )
            max = MAX(max, (unsigned long)
                      ((map[i].addr + map[i].len) >> PAGE_SHIFT));
    return max;
}

uint64_t memmap_ram_bytes(const struct memmap_entry *map, unsigned int nr)
{
    uint64_t total = 0;
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( map[i].type == E820_RAM )
            total += map[i].len;
    return total;
}

const char *memmap_type_name(uint32_t type)
{
    switch ( type )
    {
    case E820_RAM:      return "usable";
    case E820_ACPI:     return "ACPI data";
    case E820_NVS:      return "ACPI NVS";
    case E820_UNUSABLE: return "unusable";
    default:            return "reserved";
    }
}

void memmap_print(const struct memmap_entry *map, unsigned int nr)
{
    unsigned int i;

    printk("Keel-e820 RAM map:\n");
    for ( i = 0; i < nr; i++ )
        printk(" %016lx - %016lx (%s)\n", (unsigned long)map[i].addr,
               (unsigned long)(map[i].addr + map[i].len),
               memmap_type_name(map[i].type));
}
