/*
 * Machine memory: the frame table and the buddy allocator (common/page_alloc.c).
 *
 * The frame table holds one struct page_info per machine frame in
 * [0, max_page), indexed by MFN, including frames that are not RAM (their
 * descriptors stay zero).  The arch code maps it at FRAMETABLE_VIRT_START and
 * hands it over with frame_table_setup(); host tests pass a calloc'd array.
 *
 * The heap ("buddy allocator") owns every frame given to it by
 * init_heap_pages() (normally all at once through end_boot_allocator()).
 * Free memory is kept as naturally aligned blocks of 2^order frames, order
 * 0..MAX_ORDER, on one list per order.  Freed frames are dirty until zeroed:
 * an allocation never returns a frame with old contents.
 *
 * Locking: one global heap lock (internal to page_alloc.c) guards the free
 * lists, the counters and the page_info of every free frame.  It is a leaf
 * lock: the allocator calls nothing that takes another lock.  Callers may
 * hold any lock except that one; not for use from interrupt context.
 */
#ifndef KEEL_MM_H
#define KEEL_MM_H

#include <keel/types.h>

/* Largest block: 2^20 frames = 4 GiB. */
#define MAX_ORDER 20

/* Free-list linkage by frame number: keeps struct page_info at 32 bytes. */
#define PAGE_LIST_NULL  UINT32_MAX
struct page_list_entry {
    uint32_t next, prev;            /* MFN of neighbour, or PAGE_LIST_NULL */
};

struct page_info {
    /* [h] heap lock while free: links the block head into its free list. */
    struct page_list_entry list;

    /*
     * PGC_* flags in the top bits; the low bits are reserved for a
     * reference count (later issue).  Flags of free frames: [h] heap lock;
     * of allocated frames: whoever allocated them.
     */
    unsigned long count_info;

    union {
        /* While allocated: the owner's rules.  Zero / NULL from the heap. */
        struct {
            unsigned long type_info;    /* placeholder: type + type count */
            void *owner;                /* placeholder: owning domain */
        };
        /* While free: [h] heap lock. */
        struct {
            /* Head frame: order of the block; other frames: FREE_ORDER_TAIL. */
            unsigned int free_order;
            /*
             * Head frame only: no frame of the block below this index needs
             * scrubbing; FIRST_DIRTY_NONE if the whole block is clean.
             */
            unsigned int first_dirty;
        };
    };
};

#define FREE_ORDER_TAIL   UINT32_MAX
#define FIRST_DIRTY_NONE  UINT32_MAX

/* count_info flags. */
#define PGC_heap        (1UL << 63)     /* frame belongs to the heap */
#define PGC_free        (1UL << 62)     /* frame is on a free list */
#define PGC_need_scrub  (1UL << 61)     /* free frame not yet zeroed */
#define PGC_count_mask  ((1UL << 56) - 1)   /* reserved: reference count */

/* alloc_heap_pages() memflags. */
#define MEMF_no_scrub   (1U << 0)   /* caller overwrites every byte itself */

/* (c) constant after frame_table_setup(). */
extern struct page_info *frame_table;
extern unsigned long max_page;

static inline struct page_info *mfn_to_page(mfn_t mfn)
{
    return frame_table + mfn_x(mfn);
}

static inline mfn_t page_to_mfn(const struct page_info *pg)
{
    return _mfn((unsigned long)(pg - frame_table));
}

/* Does mfn have a frame-table entry? (Not: is it RAM.) */
static inline bool mfn_valid(mfn_t mfn)
{
    return mfn_x(mfn) < max_page;
}

/*
 * Install the frame table for frames [0, nr_pages) and reset the heap to
 * empty.  ft must be writable for nr_pages * sizeof(struct page_info) bytes;
 * it is zeroed here.  Panics if nr_pages exceeds what the 32-bit free-list
 * links can name.  Call once at boot, before init_heap_pages().
 */
void frame_table_setup(struct page_info *ft, unsigned long nr_pages);

/*
 * Give frames [first, first + nr) to the heap.  Any alignment and length:
 * the range is split into maximal naturally aligned blocks, which also
 * coalesce with free neighbours given earlier.  The frames are treated as
 * dirty.  Panics if the range leaves the frame table or a frame is already
 * in the heap (boot-time bugs).
 */
void init_heap_pages(mfn_t first, unsigned long nr);

/*
 * Allocate 2^order contiguous, naturally aligned frames, zeroed unless
 * memflags has MEMF_no_scrub.  NULL when no block is free, order is above
 * MAX_ORDER or memflags has unknown bits: never panics.
 */
struct page_info *alloc_heap_pages(unsigned int order, unsigned int memflags);

/*
 * Return a block from alloc_heap_pages() (or any naturally aligned
 * sub-block of one).  Panics on a double free, a misaligned block or
 * frames that are not heap frames: those are hypervisor bugs.
 */
void free_heap_pages(struct page_info *pg, unsigned int order);

/* Heap frames through their direct-map address (zeroed). */
void *alloc_xenheap_pages(unsigned int order);
void free_xenheap_pages(void *va, unsigned int order);    /* NULL: no-op */
#define alloc_xenheap_page()   alloc_xenheap_pages(0)
#define free_xenheap_page(va)  free_xenheap_pages(va, 0)

/* Free frames in the heap, and how many of them still await zeroing. */
unsigned long total_free_pages(void);
/* Frames ever handed to the heap (RAM Keel manages; XEN_SYSCTL_physinfo). */
unsigned long total_heap_pages(void);
unsigned long page_alloc_dirty_pages(void);

/*
 * Zero free frames ahead of demand (the idle loop's job).  Works in small
 * batches, dropping the heap lock between them, and returns when no free
 * frame is dirty.
 */
void scrub_free_pages(void);
/* Scrub one bounded batch; true while dirty frames remain (idle loop). */
bool scrub_free_pages_batch(void);

/* Log free blocks per order (debug key). */
void page_alloc_dump(void);

/* Smallest order whose block holds `bytes` (0 for 0 bytes). */
static inline unsigned int get_order_from_bytes(size_t bytes)
{
    unsigned int order = 0;

    while ( order < MAX_ORDER && ((size_t)PAGE_SIZE << order) < bytes )
        order++;
    return order;
}

/*
 * Lists of frames linked through page_info.list by MFN (the heap uses the
 * same field while a frame is free; a domain while it owns it).  The head
 * holds the first frame in .next and the last in .prev.  The caller holds
 * whatever lock guards the list.
 */
static inline void page_list_init(struct page_list_entry *h)
{
    h->next = h->prev = PAGE_LIST_NULL;
}

static inline struct page_info *page_list_first(const struct page_list_entry *h)
{
    return h->next == PAGE_LIST_NULL ? NULL : frame_table + h->next;
}

static inline struct page_info *page_list_next(const struct page_info *pg)
{
    return pg->list.next == PAGE_LIST_NULL ? NULL : frame_table + pg->list.next;
}

static inline void page_list_add_tail(struct page_info *pg,
                                      struct page_list_entry *h)
{
    uint32_t mfn = (uint32_t)mfn_x(page_to_mfn(pg));

    pg->list.next = PAGE_LIST_NULL;
    pg->list.prev = h->prev;
    if ( h->prev == PAGE_LIST_NULL )
        h->next = mfn;
    else
        frame_table[h->prev].list.next = mfn;
    h->prev = mfn;
}

static inline void page_list_del(struct page_info *pg,
                                 struct page_list_entry *h)
{
    if ( pg->list.prev == PAGE_LIST_NULL )
        h->next = pg->list.next;
    else
        frame_table[pg->list.prev].list.next = pg->list.next;
    if ( pg->list.next == PAGE_LIST_NULL )
        h->prev = pg->list.prev;
    else
        frame_table[pg->list.next].list.prev = pg->list.prev;
    pg->list.next = pg->list.prev = PAGE_LIST_NULL;
}

static inline struct page_info *page_list_remove_head(struct page_list_entry *h)
{
    struct page_info *pg = page_list_first(h);

    if ( pg )
        page_list_del(pg, h);
    return pg;
}

#endif /* KEEL_MM_H */
