/*
 * Host tests for common/xmalloc.c over the real page allocator
 * (common/page_alloc.c) on a host arena.
 */
#include "harness.h"
#include "mm_helpers.h"

#include <keel/lib.h>
#include <keel/mm.h>
#include <keel/xmalloc.h>

static struct arena A;

static unsigned long heap_pages;

static void heap_init(unsigned long pages)
{
    heap_pages = pages;
    arena_init(&A, 0x1000, pages, 0x1000 + pages);
    init_heap_pages(_mfn(0x1000), pages);
}

/* Every test ends here: no live objects, and every page back after a trim. */
static void heap_fini(void)
{
    xmalloc_trim();
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    CHECK_EQ(total_free_pages(), heap_pages);
    arena_fini(&A);
}

static bool filled(const void *p, unsigned char c, size_t n)
{
    const unsigned char *b = p;
    size_t i;

    for ( i = 0; i < n; i++ )
        if ( b[i] != c )
            return false;
    return true;
}

TEST(many_sizes)
{
    enum { N = 600 };
    static void *p[N];
    static size_t sz[N];
    unsigned long order[N], i;

    heap_init(4096);
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    for ( i = 0; i < N; i++ )
    {
        sz[i] = (i * 37) % 9000;            /* 0 .. ~9 KiB, all kinds */
        if ( i % 50 == 0 )
            sz[i] = 1024 * (i / 50);        /* class edges */
        p[i] = xmalloc_bytes(sz[i]);
        CHECK(p[i] != NULL);
        if ( !p[i] )
            break;
        CHECK_EQ((uintptr_t)p[i] % XMALLOC_MIN_ALIGN, 0);
        memset(p[i], (int)(i & 0xff), sz[i]);
    }
    CHECK(xmalloc_bytes_in_use() > 0);

    /* Nothing overlapped: every object still holds its own pattern. */
    for ( i = 0; i < N; i++ )
        CHECK(filled(p[i], (unsigned char)(i & 0xff), sz[i]));

    for ( i = 0; i < N; i++ )
        order[i] = i;
    shuffle(order, N);
    for ( i = 0; i < N; i++ )
        xfree(p[order[i]]);
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    heap_fini();
}

TEST(small_slots_natural_alignment)
{
    size_t size;

    heap_init(64);
    for ( size = 16; size <= XMALLOC_MAX_SMALL; size *= 2 )
    {
        void *a = xmalloc_bytes(size), *b = xmalloc_bytes(size - 1);

        CHECK(a && b && a != b);
        CHECK_EQ((uintptr_t)a % size, 0);
        CHECK_EQ((uintptr_t)b % size, 0);
        CHECK_EQ(xmalloc_bytes_in_use(), 2 * size);
        xfree(a);
        xfree(b);
    }
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    heap_fini();
}

TEST(aligned_requests)
{
    size_t align, size;

    heap_init(256);
    for ( align = 1; align <= PAGE_SIZE; align *= 2 )
        for ( size = 1; size <= 3 * PAGE_SIZE; size = size * 3 + 1 )
        {
            void *p = xmalloc_aligned(size, align);

            CHECK(p != NULL);
            CHECK_EQ((uintptr_t)p % MAX(align, (size_t)XMALLOC_MIN_ALIGN),
                     0);
            memset(p, 0xab, size);
            xfree(p);
        }
    CHECK(xmalloc_aligned(16, 3) == NULL);
    CHECK(xmalloc_aligned(16, 2 * PAGE_SIZE) == NULL);
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    heap_fini();
}

struct cacheline {
    char c[40];
} __aligned(64);

struct pagey {
    unsigned long v[3];
} __aligned(4096);

TEST(typed_macros)
{
    struct cacheline *cl;
    struct pagey *pg;
    uint32_t *arr;
    unsigned int i;

    heap_init(64);
    cl = xmalloc(struct cacheline);
    CHECK(cl != NULL);
    CHECK_EQ((uintptr_t)cl % 64, 0);
    pg = xzalloc(struct pagey);
    CHECK(pg != NULL);
    CHECK_EQ((uintptr_t)pg % 4096, 0);
    CHECK(pg->v[0] == 0 && pg->v[2] == 0);
    arr = xzalloc_array(uint32_t, 1000);
    CHECK(arr != NULL);
    for ( i = 0; i < 1000; i++ )
        CHECK_EQ(arr[i], 0);
    xfree(arr);
    arr = xmalloc_array(uint32_t, 3);
    CHECK(arr != NULL);
    xfree(arr);
    xfree(pg);
    xfree(cl);
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    heap_fini();
}

TEST(zeroing)
{
    unsigned char *p;
    size_t sizes[] = { 1, 16, 100, 1000, 1024, 2000, 5000, 70000 }, i;

    heap_init(256);
    for ( i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        /* Dirty a slot, free it, and get the same kind back zeroed. */
        p = xmalloc_bytes(sizes[i]);
        memset(p, 0xff, sizes[i]);
        xfree(p);
        p = xzalloc_bytes(sizes[i]);
        CHECK(p != NULL);
        CHECK(filled(p, 0, sizes[i]));
        xfree(p);
    }
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    heap_fini();
}

TEST(overflow_and_limits)
{
    char *p;

    heap_init(64);
    CHECK(xmalloc_array(uint64_t, SIZE_MAX / 4) == NULL);
    CHECK(xzalloc_array(uint64_t, SIZE_MAX / 8 + 1) == NULL);
    CHECK(xmalloc_array_aligned(SIZE_MAX / 2 + 1, 1, 2) == NULL);
    CHECK(xmalloc_bytes(SIZE_MAX) == NULL);
    CHECK(xmalloc_bytes((PAGE_SIZE << MAX_ORDER) + 1) == NULL);
    CHECK(xmalloc_bytes(65 * PAGE_SIZE) == NULL);   /* more than the heap */
    p = xmalloc_array(char, 0);                     /* minimal object */
    CHECK(p != NULL);
    CHECK_EQ(xmalloc_bytes_in_use(), 16);
    CHECK_EQ(total_free_pages(), 63);
    xfree(NULL);
    CHECK_EQ(xmalloc_bytes_in_use(), 16);
    xfree(p);
    heap_fini();
}

TEST(large_objects_use_exact_pages)
{
    struct { size_t size; unsigned long pages; } cases[] = {
        { 1025, 1 }, { PAGE_SIZE - 16, 1 }, { PAGE_SIZE - 15, 2 },
        { PAGE_SIZE, 2 }, { 5 * PAGE_SIZE - 16, 5 }, { 100000, 25 },
        { (1 << 20) + 1, 257 },
    };
    unsigned long free0;
    unsigned int i;

    heap_init(512);
    free0 = total_free_pages();
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        unsigned char *p = xmalloc_bytes(cases[i].size);

        CHECK(p != NULL);
        if ( !p )
            break;
        CHECK_EQ(total_free_pages(), free0 - cases[i].pages);
        CHECK_EQ(xmalloc_bytes_in_use(), cases[i].pages * PAGE_SIZE);
        memset(p, 0x11, cases[i].size);
        xfree(p);
        CHECK_EQ(total_free_pages(), free0);
        CHECK_EQ(xmalloc_bytes_in_use(), 0);
    }
    /* All the split-off tails went back and merged. */
    CHECK_EQ(total_free_pages(), 512);
    CHECK_EQ(blocks_at(9), 1);
    heap_fini();
}

TEST(exhaustion_and_pool_pages)
{
    enum { PAGES = 16, PER_PAGE = (PAGE_SIZE - 64) / 64 };
    static void *p[PAGES * PER_PAGE + 1];
    unsigned long n = 0, i;

    heap_init(PAGES);
    while ( (p[n] = xmalloc_bytes(64)) != NULL )
    {
        n++;
        CHECK(n <= PAGES * PER_PAGE);
        if ( n > PAGES * PER_PAGE )
            break;
    }
    CHECK_EQ(n, PAGES * PER_PAGE);          /* 63 slots in each page */
    CHECK_EQ(total_free_pages(), 0);
    CHECK(xmalloc_bytes(2000) == NULL);     /* large ones fail too */
    CHECK_EQ(xmalloc_bytes_in_use(), n * 64);

    /* One slot back makes room for exactly one more. */
    xfree(p[17]);
    p[17] = xmalloc_bytes(40);
    CHECK(p[17] != NULL);
    CHECK(xmalloc_bytes(64) == NULL);

    shuffle((unsigned long *)p, n);
    for ( i = 0; i < n; i++ )
        xfree(p[i]);
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    /* The pool keeps one spare page; everything else is back. */
    CHECK_EQ(total_free_pages(), PAGES - 1);
    heap_fini();
}

TEST(pool_page_fills_then_grows)
{
    enum { PER_PAGE = (PAGE_SIZE - 32) / 16 };
    static void *p[PER_PAGE + 1];
    unsigned long free0, i;

    heap_init(8);
    free0 = total_free_pages();
    for ( i = 0; i < PER_PAGE; i++ )
    {
        p[i] = xmalloc_bytes(16);
        CHECK(p[i] != NULL);
        CHECK_EQ(((uintptr_t)p[i] & ~PAGE_MASK) >> PAGE_SHIFT,
                 ((uintptr_t)p[0] & ~PAGE_MASK) >> PAGE_SHIFT);
    }
    CHECK_EQ(total_free_pages(), free0 - 1);    /* 254 slots, one page */
    p[i] = xmalloc_bytes(16);
    CHECK_EQ(total_free_pages(), free0 - 2);
    for ( i = 0; i <= PER_PAGE; i++ )
        xfree(p[i]);
    CHECK_EQ(total_free_pages(), free0 - 1);    /* the spare */
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    heap_fini();
}

/* ---- misuse panics ---------------------------------------------------- */

static void do_double_free_small(void *arg)
{
    void *p = xmalloc_bytes(48), *q = xmalloc_bytes(48);

    xfree(p);
    xfree(q);
    xfree(p);
}

static void do_double_free_large(void *arg)
{
    void *p = xmalloc_bytes(3 * PAGE_SIZE);

    xfree(p);
    xfree(p);
}

static void do_free_inside_object(void *arg)
{
    char *p = xmalloc_bytes(64);

    xfree(p + 16);
}

static void do_free_foreign(void *arg)
{
    xfree((char *)alloc_xenheap_page() + 64);
}

static void do_free_foreign_page(void *arg)
{
    /* Page aligned: xfree() looks for a header in the page before. */
    xfree((char *)alloc_xenheap_pages(1) + PAGE_SIZE);
}

static void do_free_unaligned(void *arg)
{
    xfree((char *)xmalloc_bytes(64) + 1);
}

TEST(misuse_panics)
{
    heap_init(64);
    CHECK(dies_with(do_double_free_small, NULL, "double free"));
    CHECK(dies_with(do_double_free_large, NULL, "freed already"));
    CHECK(dies_with(do_free_inside_object, NULL, "not an object start"));
    CHECK(dies_with(do_free_foreign, NULL, "not an xmalloc pointer"));
    CHECK(dies_with(do_free_foreign_page, NULL, "not an xmalloc pointer"));
    CHECK(dies_with(do_free_unaligned, NULL, "not an xmalloc pointer"));
    heap_fini();
}

TEST(free_poison_in_live_data_is_not_a_double_free)
{
    /* A live object that happens to look like a free slot frees fine. */
    uint32_t *p;

    heap_init(8);
    p = xmalloc_bytes(32);
    p[0] = 0;
    p[1] = 0xf3eef3ee;
    xfree(p);
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
    heap_fini();
}

int main(void)
{
    RUN(many_sizes);
    RUN(small_slots_natural_alignment);
    RUN(aligned_requests);
    RUN(typed_macros);
    RUN(zeroing);
    RUN(overflow_and_limits);
    RUN(large_objects_use_exact_pages);
    RUN(exhaustion_and_pool_pages);
    RUN(pool_page_fills_then_grows);
    RUN(misuse_panics);
    RUN(free_poison_in_live_data_is_not_a_double_free);
    HARNESS_EXIT();
}
