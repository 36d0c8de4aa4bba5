/*
 * The object heap.  Owns the small-object pools and the bookkeeping of
 * large allocations; pages come from and go back to the page allocator.
 *
 * Small objects: size classes of 16 .. XMALLOC_MAX_SMALL bytes (powers of
 * two).  A pool page starts with a struct xmem_page header; slots of the
 * class size follow at offsets that are multiples of the size, so every
 * slot is naturally aligned.  Free slots form a list threaded through the
 * slots by page offset, each free slot marked with XMEM_FREE_POISON.
 *
 *   +--------+------+------+------+-- ... --+------+
 *   | header | slot | slot | slot |         | slot |    one 4 KiB page
 *   +--------+------+------+------+-- ... --+------+
 *   0        first_slot(class)                     PAGE_SIZE
 *
 * Large objects: whole pages.  A struct xmem_big header at the start of
 * the first page records how many pages there are; the object follows at
 * offset max(16, align) (for align == PAGE_SIZE the object is the second
 * page and the header is the page before it).  Pages past the last needed
 * one are returned to the page allocator at once.
 *
 * xfree() finds the header at the start of the object's page (for a
 * page-aligned object, the page before: small slots never sit at offset 0)
 * and tells the kinds apart by magic.
 *
 * Invariants, under xmalloc_lock: a pool page is on its pool's `partial`
 * list iff it has a free slot; nr_empty counts pool pages with every slot
 * free, and is at most 1 per pool (a spare kept to avoid page churn).
 */

#include <keel/xmalloc.h>
#include <keel/mm.h>
#include <keel/lib.h>
#include <keel/spinlock.h>
#include <asm/page.h>

#define XMEM_MIN_SHIFT      4                       /* 16-byte slots */
#define XMEM_MAX_SHIFT      10                      /* XMALLOC_MAX_SMALL */
#define XMEM_NR_CLASSES     (XMEM_MAX_SHIFT - XMEM_MIN_SHIFT + 1)

#define XMEM_SMALL_MAGIC    0x6b6d5350u             /* "PSmk" */
#define XMEM_BIG_MAGIC      0x6b6d4250u             /* "PBmk" */
#define XMEM_FREE_POISON    0xf3eef3eeu

BUILD_BUG_ON((1 << XMEM_MAX_SHIFT) != XMALLOC_MAX_SMALL);
BUILD_BUG_ON((1 << XMEM_MIN_SHIFT) != XMALLOC_MIN_ALIGN);

/* Header of a small-object pool page. */
struct xmem_page {
    uint32_t magic;                 /* (c) XMEM_SMALL_MAGIC */
    uint16_t cls;                   /* (c) size class index */
    uint16_t nr_free;               /* [x] free slots in this page */
    uint32_t free_head;             /* [x] offset of first free slot, 0: none */
    uint32_t pad;
    struct xmem_page *next, *prev;  /* [x] pool's partial list */
};

/* What a free slot holds. */
struct xmem_free_slot {
    uint32_t next;                  /* [x] offset of next free slot, 0: none */
    uint32_t poison;                /* [x] XMEM_FREE_POISON */
};

/* Header of a large object. */
struct xmem_big {
    uint32_t magic;                 /* (c) XMEM_BIG_MAGIC */
    uint32_t offset;                /* (c) object offset from this header */
    uint64_t nr_pages;              /* (c) pages from the header on */
};

BUILD_BUG_ON(sizeof(struct xmem_page) != 32);
BUILD_BUG_ON(sizeof(struct xmem_big) != XMALLOC_MIN_ALIGN);

struct xmem_pool {
    struct xmem_page *partial;      /* [x] pages with a free slot */
    unsigned int nr_pages;          /* [x] pool pages */
    unsigned int nr_empty;          /* [x] pool pages with all slots free */
};

static DEFINE_SPINLOCK(xmalloc_lock);
static struct xmem_pool pools[XMEM_NR_CLASSES];    /* [x] */
static size_t bytes_in_use;                         /* atomic */

static size_t class_size(unsigned int cls)
{
    return (size_t)1 << (cls + XMEM_MIN_SHIFT);
}

/* Offset of the first slot: the header rounded up to the slot size. */
static size_t first_slot(unsigned int cls)
{
    return ROUNDUP(sizeof(struct xmem_page), class_size(cls));
}

static unsigned int slots_per_page(unsigned int cls)
{
    return (unsigned int)((PAGE_SIZE - first_slot(cls)) / class_size(cls));
}

static void account(size_t add, size_t sub)
{
    if ( add )
        __atomic_fetch_add(&bytes_in_use, add, __ATOMIC_RELAXED);
    if ( sub )
        __atomic_fetch_sub(&bytes_in_use, sub, __ATOMIC_RELAXED);
}

size_t xmalloc_bytes_in_use(void)
{
    return __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED);
}

/* ---- large objects ---------------------------------------------------- */

/* Return frames [mfn, mfn + nr) as the maximal aligned blocks they form. */
static void free_frames(unsigned long mfn, unsigned long nr)
{
    while ( nr )
    {
        unsigned int order = 63 - __builtin_clzl(nr);

        if ( mfn )
            order = MIN(order, (unsigned int)__builtin_ctzl(mfn));
        free_heap_pages(mfn_to_page(_mfn(mfn)), order);
        mfn += 1UL << order;
        nr -= 1UL << order;
    }
}

static void *big_alloc(size_t size, size_t align)
{
    size_t off = MAX((size_t)XMALLOC_MIN_ALIGN, align);
    unsigned long nr, mfn;
    unsigned int order;
    struct page_info *pg;
    struct xmem_big *hdr;

    if ( size > (PAGE_SIZE << MAX_ORDER) - off )
        return NULL;
    nr = (off + size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    order = nr == 1 ? 0 : 64 - __builtin_clzl(nr - 1);  /* ceil(log2(nr)) */

    pg = alloc_heap_pages(order, 0);
    if ( pg == NULL )
        return NULL;
    mfn = mfn_x(page_to_mfn(pg));
    free_frames(mfn + nr, (1UL << order) - nr);

    hdr = mfn_to_virt(_mfn(mfn));
    hdr->magic = XMEM_BIG_MAGIC;
    hdr->offset = (uint32_t)off;
    hdr->nr_pages = nr;
    account(nr << PAGE_SHIFT, 0);
    return (char *)hdr + off;
}

static void big_free(struct xmem_big *hdr, void *p)
{
    unsigned long nr = hdr->nr_pages;

    if ( (char *)p - (char *)hdr != hdr->offset || nr == 0 ||
         nr > (1UL << MAX_ORDER) )
        panic("xfree: %p: corrupt large-object header\n", p);
    hdr->magic = 0;                 /* a second xfree() then panics */
    account(0, nr << PAGE_SHIFT);
    free_frames(mfn_x(virt_to_mfn(hdr)), nr);
}

/* ---- small objects ---------------------------------------------------- */

static void partial_add(struct xmem_pool *pool, struct xmem_page *pg)
{
    ASSERT_SPIN_LOCKED(&xmalloc_lock);
    pg->prev = NULL;
    pg->next = pool->partial;
    if ( pool->partial )
        pool->partial->prev = pg;
    pool->partial = pg;
}

static void partial_del(struct xmem_pool *pool, struct xmem_page *pg)
{
    ASSERT_SPIN_LOCKED(&xmalloc_lock);
    if ( pg->prev )
        pg->prev->next = pg->next;
    else
        pool->partial = pg->next;
    if ( pg->next )
        pg->next->prev = pg->prev;
    pg->next = pg->prev = NULL;
}

/* A fresh pool page with every slot on its free list (not yet shared). */
static struct xmem_page *pool_page_new(unsigned int cls)
{
    struct xmem_page *pg = alloc_xenheap_pages(0);
    size_t sz = class_size(cls), off;
    uint32_t next = 0;

    if ( pg == NULL )
        return NULL;
    pg->magic = XMEM_SMALL_MAGIC;
    pg->cls = (uint16_t)cls;
    pg->nr_free = (uint16_t)slots_per_page(cls);
    pg->next = pg->prev = NULL;

    /* Thread the list from the top so the lowest slot is handed out first. */
    for ( off = first_slot(cls) + (pg->nr_free - 1) * sz; ;
          off -= sz )
    {
        struct xmem_free_slot *slot = (void *)((char *)pg + off);

        slot->next = next;
        slot->poison = XMEM_FREE_POISON;
        next = (uint32_t)off;
        if ( off == first_slot(cls) )
            break;
    }
    pg->free_head = next;
    return pg;
}

static void *small_alloc(unsigned int cls)
{
    struct xmem_pool *pool = &pools[cls];
    struct xmem_page *pg;
    struct xmem_free_slot *slot;

    spin_lock(&xmalloc_lock);
    if ( pool->partial == NULL )
    {
        struct xmem_page *fresh;

        spin_unlock(&xmalloc_lock);
        fresh = pool_page_new(cls);
        if ( fresh == NULL )
            return NULL;
        spin_lock(&xmalloc_lock);
        partial_add(pool, fresh);
        pool->nr_pages++;
        pool->nr_empty++;
    }

    pg = pool->partial;
    if ( pg->nr_free == slots_per_page(cls) )
        pool->nr_empty--;
    slot = (void *)((char *)pg + pg->free_head);
    pg->free_head = slot->next;
    pg->nr_free--;
    if ( pg->nr_free == 0 )
        partial_del(pool, pg);
    slot->next = 0;
    slot->poison = 0;
    spin_unlock(&xmalloc_lock);

    account(class_size(cls), 0);
    return slot;
}

static void small_free(struct xmem_page *pg, void *p)
{
    unsigned int cls = pg->cls;
    struct xmem_pool *pool;
    struct xmem_free_slot *slot = p;
    size_t off = (size_t)((char *)p - (char *)pg);
    struct xmem_page *release = NULL;

    if ( cls >= XMEM_NR_CLASSES || off < first_slot(cls) ||
         off % class_size(cls) )
        panic("xfree: %p is not an object start\n", p);
    pool = &pools[cls];

    spin_lock(&xmalloc_lock);

    if ( slot->poison == XMEM_FREE_POISON )
    {
        uint32_t o;

        /* Probably free already: make sure before crying wolf. */
        for ( o = pg->free_head; o; )
        {
            if ( o == off )
                panic("xfree: double free of %p (%zu-byte object)\n",
                      p, class_size(cls));
            o = ((struct xmem_free_slot *)((char *)pg + o))->next;
        }
    }

    slot->next = pg->free_head;
    slot->poison = XMEM_FREE_POISON;
    pg->free_head = (uint32_t)off;
    pg->nr_free++;
    if ( pg->nr_free == 1 )
        partial_add(pool, pg);
    if ( pg->nr_free == slots_per_page(cls) )
    {
        if ( pool->nr_empty )
        {
            /* One spare page per pool is enough: give this one back. */
            partial_del(pool, pg);
            pool->nr_pages--;
            release = pg;
        }
        else
            pool->nr_empty++;
    }

    spin_unlock(&xmalloc_lock);

    account(0, class_size(cls));
    if ( release )
    {
        release->magic = 0;
        free_xenheap_pages(release, 0);
    }
}

void xmalloc_trim(void)
{
    struct xmem_page *release = NULL, *pg, *next;
    unsigned int cls;

    spin_lock(&xmalloc_lock);
    for ( cls = 0; cls < XMEM_NR_CLASSES; cls++ )
    {
        struct xmem_pool *pool = &pools[cls];

        for ( pg = pool->partial; pg; pg = next )
        {
            next = pg->next;
            if ( pg->nr_free != slots_per_page(cls) )
                continue;
            partial_del(pool, pg);
            pool->nr_pages--;
            pool->nr_empty--;
            pg->next = release;         /* private list from here on */
            release = pg;
        }
    }
    spin_unlock(&xmalloc_lock);

    for ( pg = release; pg; pg = next )
    {
        next = pg->next;
        pg->magic = 0;
        free_xenheap_pages(pg, 0);
    }
}

/* ---- interface -------------------------------------------------------- */

static void *xmem_alloc(size_t size, size_t align, bool zero)
{
    size_t need;
    unsigned int cls;
    void *p;

    if ( align == 0 )
        align = 1;
    if ( (align & (align - 1)) || align > PAGE_SIZE )
        return NULL;

    need = MAX(MAX(size, align), (size_t)XMALLOC_MIN_ALIGN);
    if ( need > XMALLOC_MAX_SMALL )
        return big_alloc(size, align);      /* pages arrive zeroed */

    /* Smallest class holding `need` bytes: ceil(log2(need)) - MIN_SHIFT. */
    cls = (64 - __builtin_clzl(need - 1)) - XMEM_MIN_SHIFT;
    p = small_alloc(cls);
    if ( p && zero )
        memset(p, 0, class_size(cls));
    return p;
}

void *xmalloc_aligned(size_t size, size_t align)
{
    return xmem_alloc(size, align, false);
}

void *xzalloc_aligned(size_t size, size_t align)
{
    return xmem_alloc(size, align, true);
}

void *xmalloc_array_aligned(size_t size, size_t align, size_t num)
{
    if ( num && size > SIZE_MAX / num )
        return NULL;
    return xmem_alloc(size * num, align, false);
}

void *xzalloc_array_aligned(size_t size, size_t align, size_t num)
{
    if ( num && size > SIZE_MAX / num )
        return NULL;
    return xmem_alloc(size * num, align, true);
}

void *xmalloc_bytes(size_t size)
{
    return xmem_alloc(size, 0, false);
}

void *xzalloc_bytes(size_t size)
{
    return xmem_alloc(size, 0, true);
}

void xfree(void *p)
{
    uintptr_t va = (uintptr_t)p;
    void *hdr;

    if ( p == NULL )
        return;
    if ( va & (XMALLOC_MIN_ALIGN - 1) )
        panic("xfree: %p is not an xmalloc pointer\n", p);

    /* Small slots never start a page, so a page-aligned object is large. */
    hdr = (va & (PAGE_SIZE - 1)) ? (void *)(va & PAGE_MASK)
                                 : (void *)(va - PAGE_SIZE);

    switch ( *(const uint32_t *)hdr )
    {
    case XMEM_SMALL_MAGIC:
        if ( !(va & (PAGE_SIZE - 1)) )
            break;
        small_free(hdr, p);
        return;
    case XMEM_BIG_MAGIC:
        big_free(hdr, p);
        return;
    }
    panic("xfree: %p is not an xmalloc pointer (or was freed already)\n", p);
}
