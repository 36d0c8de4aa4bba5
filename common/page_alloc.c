/*
 * The frame table and the buddy allocator.  This file owns `frame_table`,
 * `max_page`, the per-order free lists and the heap counters.
 *
 * Invariants, all under heap_lock:
 *   - A free block of order k starts at an MFN that is a multiple of 2^k and
 *     lies wholly below max_page.  Every frame of it has PGC_heap|PGC_free;
 *     its head frame carries free_order = k and is linked on free_lists[k];
 *     the other frames carry free_order = FREE_ORDER_TAIL and no links.
 *   - Two free buddies of the same order never coexist: freeing merges them
 *     (so the lists always hold maximal blocks).
 *   - A free frame holds old data iff it has PGC_need_scrub; nr_dirty
 *     counts those.  first_dirty in a head is a lower bound on the index of
 *     its first dirty frame (FIRST_DIRTY_NONE: the block is clean).
 *   - In each free list, blocks that may hold dirty frames come first and
 *     clean blocks last.  Allocation takes from the tail (prefers clean
 *     memory); the scrubber works from the head.
 *   - nr_free == sum over lists of 2^order; nr_free_blocks[k] == length of
 *     free_lists[k].
 *   - Frames that are not heap frames (holes, boot allocations, the image)
 *     have count_info without PGC_heap; freeing one is a bug and panics.
 *
 *   free_lists[k]:  head -> [dirty] <-> [dirty] <-> [clean] <-> [clean] <- tail
 *                   (links are MFNs of block heads, PAGE_LIST_NULL ends)
 *
 * Allocated frames are zeroed outside the lock: once off the free lists
 * they belong to the caller, and PGC_need_scrub tells us which to clear.
 */

#include <keel/mm.h>
#include <keel/lib.h>
#include <keel/spinlock.h>
#include <asm/page.h>

BUILD_BUG_ON(sizeof(struct page_info) != 32);
BUILD_BUG_ON(MAX_ORDER >= 32);

/* How many frames the scrubber examines per hold of the heap lock. */
#define SCRUB_BATCH  256

struct page_info *frame_table;              /* (c) after frame_table_setup */
unsigned long max_page;                     /* (c) after frame_table_setup */

struct free_list {
    uint32_t head, tail;                    /* [h] MFNs of block heads */
};

static DEFINE_SPINLOCK(heap_lock);
static struct free_list free_lists[MAX_ORDER + 1] = {  /* [h] */
    [0 ... MAX_ORDER] = { PAGE_LIST_NULL, PAGE_LIST_NULL },
};
static unsigned long nr_free_blocks[MAX_ORDER + 1]; /* [h] */
static unsigned long nr_free;                       /* [h] free frames */
static unsigned long nr_dirty;                      /* [h] free, unscrubbed */
static unsigned long nr_heap;                       /* [h] ever given to
                                                       the heap */

/* ---- free lists ------------------------------------------------------- */

static bool block_is_dirty(const struct page_info *head)
{
    return head->first_dirty != FIRST_DIRTY_NONE;
}

/* Dirty blocks go to the head of the list, clean ones to the tail. */
static void list_insert(unsigned long mfn, unsigned int order)
{
    struct free_list *fl = &free_lists[order];
    struct page_info *pg = frame_table + mfn;

    ASSERT_SPIN_LOCKED(&heap_lock);
    if ( fl->head == PAGE_LIST_NULL )
    {
        pg->list.next = pg->list.prev = PAGE_LIST_NULL;
        fl->head = fl->tail = mfn;
    }
    else if ( block_is_dirty(pg) )
    {
        pg->list.prev = PAGE_LIST_NULL;
        pg->list.next = fl->head;
        frame_table[fl->head].list.prev = mfn;
        fl->head = mfn;
    }
    else
    {
        pg->list.next = PAGE_LIST_NULL;
        pg->list.prev = fl->tail;
        frame_table[fl->tail].list.next = mfn;
        fl->tail = mfn;
    }
    nr_free_blocks[order]++;
}

static void list_remove(unsigned long mfn, unsigned int order)
{
    struct free_list *fl = &free_lists[order];
    struct page_info *pg = frame_table + mfn;

    ASSERT_SPIN_LOCKED(&heap_lock);
    if ( pg->list.prev == PAGE_LIST_NULL )
        fl->head = pg->list.next;
    else
        frame_table[pg->list.prev].list.next = pg->list.next;
    if ( pg->list.next == PAGE_LIST_NULL )
        fl->tail = pg->list.prev;
    else
        frame_table[pg->list.next].list.prev = pg->list.prev;
    pg->list.next = pg->list.prev = PAGE_LIST_NULL;
    nr_free_blocks[order]--;
}

/* first_dirty of a block seen from a block `off` frames below it. */
static unsigned int dirty_shift(unsigned int first_dirty, unsigned long off)
{
    return first_dirty == FIRST_DIRTY_NONE ? FIRST_DIRTY_NONE
                                           : first_dirty + (unsigned int)off;
}

/*
 * Put the free block [mfn, mfn + 2^order) on the lists, merging it with
 * its buddy for as long as the buddy is a free block of the same order.
 * Every frame must already carry PGC_free and, except the head,
 * FREE_ORDER_TAIL.
 */
static void merge_and_insert(unsigned long mfn, unsigned int order,
                             unsigned int first_dirty)
{
    ASSERT_SPIN_LOCKED(&heap_lock);

    while ( order < MAX_ORDER )
    {
        unsigned long size = 1UL << order;
        unsigned long buddy = mfn ^ size;
        struct page_info *bpg = frame_table + buddy;

        if ( buddy >= max_page || !(bpg->count_info & PGC_free) ||
             bpg->free_order != order )
            break;

        list_remove(buddy, order);
        if ( buddy < mfn )
        {
            first_dirty = MIN(bpg->first_dirty,
                              dirty_shift(first_dirty, size));
            frame_table[mfn].free_order = FREE_ORDER_TAIL;
            mfn = buddy;
        }
        else
        {
            first_dirty = MIN(first_dirty,
                              dirty_shift(bpg->first_dirty, size));
            bpg->free_order = FREE_ORDER_TAIL;
        }
        order++;
    }

    frame_table[mfn].free_order = order;
    frame_table[mfn].first_dirty = first_dirty;
    list_insert(mfn, order);
}

/* ---- set-up ----------------------------------------------------------- */

static void heap_reset(void)
{
    unsigned int i;

    for ( i = 0; i <= MAX_ORDER; i++ )
    {
        free_lists[i].head = free_lists[i].tail = PAGE_LIST_NULL;
        nr_free_blocks[i] = 0;
    }
    nr_free = nr_dirty = 0;
}

void frame_table_setup(struct page_info *ft, unsigned long nr_pages)
{
    /* List links are 32-bit MFNs and PAGE_LIST_NULL must stay unused. */
    if ( nr_pages > PAGE_LIST_NULL )
        panic("frame_table_setup: %lu frames, at most %u supported\n",
              nr_pages, PAGE_LIST_NULL);

    spin_lock_init(&heap_lock);
    spin_lock(&heap_lock);
    frame_table = ft;
    max_page = nr_pages;
    if ( nr_pages )
        memset(ft, 0, nr_pages * sizeof(*ft));
    heap_reset();
    spin_unlock(&heap_lock);
}

/* Largest order a block starting at mfn with at most nr frames can have. */
static unsigned int max_block_order(unsigned long mfn, unsigned long nr)
{
    unsigned int order = MAX_ORDER;

    if ( mfn )
        order = MIN(order, (unsigned int)__builtin_ctzl(mfn));
    return MIN(order, (unsigned int)(63 - __builtin_clzl(nr)));
}

void init_heap_pages(mfn_t first, unsigned long nr)
{
    unsigned long s = mfn_x(first), i;

    if ( nr == 0 )
        return;
    if ( s >= max_page || nr > max_page - s )
        panic("init_heap_pages: frames %lx+%lx outside the frame table "
              "(max_page %lx)\n", s, nr, max_page);

    spin_lock(&heap_lock);

    for ( i = s; i < s + nr; i++ )
    {
        struct page_info *pg = frame_table + i;

        if ( pg->count_info & PGC_heap )
            panic("init_heap_pages: frame %lx is already in the heap\n", i);
        pg->count_info = PGC_heap | PGC_free | PGC_need_scrub;
        pg->free_order = FREE_ORDER_TAIL;
        pg->list.next = pg->list.prev = PAGE_LIST_NULL;
    }
    nr_free += nr;
    nr_dirty += nr;
    nr_heap += nr;

    for ( i = s; i < s + nr; )
    {
        unsigned int order = max_block_order(i, s + nr - i);

        merge_and_insert(i, order, 0);
        i += 1UL << order;
    }

    spin_unlock(&heap_lock);
}

/* ---- allocation and freeing ------------------------------------------ */

static void scrub_one_page(unsigned long mfn)
{
    memset(mfn_to_virt(_mfn(mfn)), 0, PAGE_SIZE);
}

struct page_info *alloc_heap_pages(unsigned int order, unsigned int memflags)
{
    unsigned long mfn, i, n;
    unsigned int j, first_dirty;
    bool any_dirty = false;

    if ( order > MAX_ORDER || (memflags & ~MEMF_no_scrub) )
        return NULL;

    spin_lock(&heap_lock);

    for ( j = order; j <= MAX_ORDER; j++ )
        if ( free_lists[j].tail != PAGE_LIST_NULL )
            break;
    if ( j > MAX_ORDER )
    {
        spin_unlock(&heap_lock);
        return NULL;
    }

    /* The tail holds the cleanest block of this order. */
    mfn = free_lists[j].tail;
    first_dirty = frame_table[mfn].first_dirty;
    list_remove(mfn, j);

    /* Split: keep the low half, give the high half back, until small enough. */
    while ( j > order )
    {
        unsigned long half;
        unsigned long hi;

        j--;
        half = 1UL << j;
        hi = mfn + half;
        if ( first_dirty == FIRST_DIRTY_NONE )
            frame_table[hi].first_dirty = FIRST_DIRTY_NONE;
        else if ( first_dirty >= half )
        {
            frame_table[hi].first_dirty = first_dirty - (unsigned int)half;
            first_dirty = FIRST_DIRTY_NONE;
        }
        else
            frame_table[hi].first_dirty = 0;   /* unknown: assume from 0 */
        frame_table[hi].free_order = j;
        list_insert(hi, j);
    }

    n = 1UL << order;
    for ( i = 0; i < n; i++ )
    {
        struct page_info *pg = frame_table + mfn + i;

        if ( (pg->count_info & (PGC_heap | PGC_free)) !=
             (PGC_heap | PGC_free) )
            panic("alloc_heap_pages: free frame %lx has count_info %lx: "
                  "heap corrupted\n", mfn + i, pg->count_info);
        if ( pg->count_info & PGC_need_scrub )
        {
            nr_dirty--;
            any_dirty = true;
        }
        /* Keep PGC_need_scrub: it tells the code below what to zero. */
        pg->count_info &= ~PGC_free;
        pg->type_info = 0;
        pg->owner = NULL;
    }
    nr_free -= n;

    spin_unlock(&heap_lock);

    /* The frames are ours now: zero the dirty ones outside the lock. */
    if ( any_dirty )
        for ( i = 0; i < n; i++ )
        {
            struct page_info *pg = frame_table + mfn + i;

            if ( !(pg->count_info & PGC_need_scrub) )
                continue;
            if ( !(memflags & MEMF_no_scrub) )
                scrub_one_page(mfn + i);
            pg->count_info &= ~PGC_need_scrub;
        }

    return frame_table + mfn;
}

void free_heap_pages(struct page_info *pg, unsigned int order)
{
    uintptr_t off = (uintptr_t)pg - (uintptr_t)frame_table;
    unsigned long mfn, i, n;

    if ( pg == NULL || (uintptr_t)pg < (uintptr_t)frame_table ||
         off % sizeof(*pg) || off / sizeof(*pg) >= max_page )
        panic("free_heap_pages: %p is not a frame-table entry\n",
              (void *)pg);
    mfn = off / sizeof(*pg);
    if ( order > MAX_ORDER )
        panic("free_heap_pages: frame %lx: bad order %u\n", mfn, order);
    n = 1UL << order;
    if ( (mfn & (n - 1)) || n > max_page - mfn )
        panic("free_heap_pages: frame %lx: misaligned or out-of-range "
              "order-%u block\n", mfn, order);

    spin_lock(&heap_lock);

    /* Check everything before changing anything. */
    for ( i = mfn; i < mfn + n; i++ )
    {
        unsigned long ci = frame_table[i].count_info;

        if ( !(ci & PGC_heap) )
            panic("free_heap_pages: frame %lx (order-%u block at %lx) "
                  "does not belong to the heap\n", i, order, mfn);
        if ( ci & PGC_free )
            panic("free_heap_pages: double free of frame %lx "
                  "(order-%u block at %lx)\n", i, order, mfn);
    }

    for ( i = mfn; i < mfn + n; i++ )
    {
        struct page_info *p = frame_table + i;

        p->count_info = PGC_heap | PGC_free | PGC_need_scrub;
        p->free_order = FREE_ORDER_TAIL;
        p->list.next = p->list.prev = PAGE_LIST_NULL;
    }
    nr_free += n;
    nr_dirty += n;
    merge_and_insert(mfn, order, 0);

    spin_unlock(&heap_lock);
}

void *alloc_xenheap_pages(unsigned int order)
{
    struct page_info *pg = alloc_heap_pages(order, 0);

    return pg ? mfn_to_virt(page_to_mfn(pg)) : NULL;
}

void free_xenheap_pages(void *va, unsigned int order)
{
    mfn_t mfn;

    if ( va == NULL )
        return;
    if ( (uintptr_t)va & (PAGE_SIZE - 1) )
        panic("free_xenheap_pages: %p is not page aligned\n", va);
    mfn = virt_to_mfn(va);
    if ( !mfn_valid(mfn) )
        panic("free_xenheap_pages: %p is not a heap address\n", va);
    free_heap_pages(mfn_to_page(mfn), order);
}

/* ---- scrubbing and statistics ----------------------------------------- */

unsigned long total_free_pages(void)
{
    return __atomic_load_n(&nr_free, __ATOMIC_RELAXED);
}

unsigned long total_heap_pages(void)
{
    return __atomic_load_n(&nr_heap, __ATOMIC_RELAXED);
}

unsigned long page_alloc_dirty_pages(void)
{
    return __atomic_load_n(&nr_dirty, __ATOMIC_RELAXED);
}

/*
 * Scrub from the heads of the free lists (where the dirty blocks are),
 * examining at most SCRUB_BATCH frames.  A block found wholly clean moves
 * to its list's tail.  Returns the number of frames examined.
 */
static unsigned int scrub_batch(void)
{
    unsigned int budget = SCRUB_BATCH, order;

    ASSERT_SPIN_LOCKED(&heap_lock);

    for ( order = 0; order <= MAX_ORDER && budget; order++ )
    {
        while ( budget && free_lists[order].head != PAGE_LIST_NULL )
        {
            unsigned long mfn = free_lists[order].head;
            struct page_info *head = frame_table + mfn;
            unsigned long n = 1UL << order, i;

            if ( !block_is_dirty(head) )
                break;              /* the rest of this list is clean */

            for ( i = head->first_dirty; i < n && budget; i++, budget-- )
            {
                struct page_info *pg = frame_table + mfn + i;

                if ( pg->count_info & PGC_need_scrub )
                {
                    scrub_one_page(mfn + i);
                    pg->count_info &= ~PGC_need_scrub;
                    nr_dirty--;
                }
            }

            if ( i < n )
            {
                head->first_dirty = (unsigned int)i;
                break;              /* out of budget */
            }
            list_remove(mfn, order);
            head->first_dirty = FIRST_DIRTY_NONE;
            list_insert(mfn, order);
        }
    }

    return SCRUB_BATCH - budget;
}

bool scrub_free_pages_batch(void)
{
    unsigned int done;

    spin_lock(&heap_lock);
    if ( nr_dirty == 0 )
    {
        spin_unlock(&heap_lock);
        return false;
    }
    done = scrub_batch();
    spin_unlock(&heap_lock);

    if ( done == 0 )
    {
        /* Dirty frames counted but none on a list head: a bug. */
        printk(KLOG_ERR "scrub_free_pages: %lu dirty frames not found\n",
               page_alloc_dirty_pages());
        return false;
    }
    return true;
}

void scrub_free_pages(void)
{
    while ( scrub_free_pages_batch() )
        continue;
}

void page_alloc_dump(void)
{
    unsigned long blocks[MAX_ORDER + 1], free, dirty;
    unsigned int i;

    spin_lock(&heap_lock);
    for ( i = 0; i <= MAX_ORDER; i++ )
        blocks[i] = nr_free_blocks[i];
    free = nr_free;
    dirty = nr_dirty;
    spin_unlock(&heap_lock);

    printk("Heap: %lu free pages (%lu KiB), %lu awaiting scrub\n",
           free, free << (PAGE_SHIFT - 10), dirty);
    for ( i = 0; i <= MAX_ORDER; i++ )
        if ( blocks[i] )
            printk("  order %2u: %lu blocks, %lu pages\n",
                   i, blocks[i], blocks[i] << i);
}
