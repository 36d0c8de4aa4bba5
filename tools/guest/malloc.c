/*
 * The runtime's heap: malloc, calloc, realloc, free for portable code
 * (the toolstack libraries) built into PV kernels.
 *
 * Memory comes from pv_alloc_page() a run of pages at a time; each run is
 * carved into blocks.  A block starts with a header holding its size in
 * units of the header (16 bytes).  Free blocks sit on one list sorted by
 * address, so freeing merges a block with free neighbours that touch it;
 * allocation is first fit, splitting off the tail of a larger block.
 * Pages never go back to the page allocator.  Not safe to call from two
 * vCPUs at once (the toolstack code is single-threaded).
 */
#include <pvguest/lib.h>


union blk {
    struct {
        union blk *next;                /* free list, by address */
        size_t units;                   /* whole block, header included */
    } h;
    max_align_t align;
};

#define UNIT        sizeof(union blk)
#define MAX_UNITS   ((size_t)1 << 40)   /* sanity bound on requests */

static union blk *free_list;            /* lowest free block, or NULL */

/* Put b on the free list, merging with the blocks it touches. */
static void blk_release(union blk *b)
{
    union blk **pp = &free_list, *prev = NULL;

    while ( *pp && *pp < b )
    {
        prev = *pp;
        pp = &(*pp)->h.next;
    }
    b->h.next = *pp;
    *pp = b;
    if ( b->h.next && b + b->h.units == b->h.next )
    {
        b->h.units += b->h.next->h.units;
        b->h.next = b->h.next->h.next;
    }
    if ( prev && prev + prev->h.units == b )
    {
        prev->h.units += b->h.units;
        prev->h.next = b->h.next;
    }
}

/* A new run of pages big enough for units, added to the free list. */
static bool heap_grow(size_t units)
{
    size_t bytes = units * UNIT, pages, i;
    char *first = NULL, *p;

    pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    if ( pages < 4 )
        pages = 4;
    for ( i = 0; i < pages; i++ )
    {
        if ( (p = pv_alloc_page()) == NULL )
            break;
        if ( !first )
            first = p;
        else if ( p != first + i * PAGE_SIZE )
        {
            /* Not contiguous with the run: start the run again there. */
            if ( i * PAGE_SIZE >= UNIT * 2 )
            {
                union blk *b = (union blk *)first;

                b->h.units = i * PAGE_SIZE / UNIT;
                blk_release(b);
            }
            first = p;
            i = 0;
        }
    }
    if ( !first || i * PAGE_SIZE < bytes )
    {
        if ( first && i )
        {
            union blk *b = (union blk *)first;

            b->h.units = i * PAGE_SIZE / UNIT;
            blk_release(b);
        }
        return false;
    }
    ((union blk *)first)->h.units = i * PAGE_SIZE / UNIT;
    blk_release((union blk *)first);
    return true;
}

void *malloc(size_t size)
{
    union blk **pp, *b;
    size_t units;
    int tries;

    if ( !size || size > MAX_UNITS * UNIT )
        return NULL;
    units = (size + UNIT - 1) / UNIT + 1;
    for ( tries = 0; tries < 2; tries++ )
    {
        for ( pp = &free_list; (b = *pp) != NULL; pp = &b->h.next )
        {
            if ( b->h.units < units )
                continue;
            if ( b->h.units == units )
                *pp = b->h.next;
            else
            {
                /* Hand out the tail; the head stays on the list. */
                b->h.units -= units;
                b += b->h.units;
                b->h.units = units;
            }
            b->h.next = NULL;
            return b + 1;
        }
        if ( !heap_grow(units) )
            return NULL;
    }
    return NULL;
}

void free(void *p)
{
    if ( p )
        blk_release((union blk *)p - 1);
}

void *calloc(size_t nmemb, size_t size)
{
    void *p;

    if ( size && nmemb > (size_t)-1 / size )
        return NULL;
    if ( (p = malloc(nmemb * size)) != NULL )
        memset(p, 0, nmemb * size);
    return p;
}

void *realloc(void *p, size_t size)
{
    size_t have;
    void *n;

    if ( !p )
        return malloc(size);
    if ( !size )
    {
        free(p);
        return NULL;
    }
    have = (((union blk *)p - 1)->h.units - 1) * UNIT;
    if ( have >= size )
        return p;
    if ( (n = malloc(size)) == NULL )
        return NULL;
    memcpy(n, p, have);
    free(p);
    return n;
}
