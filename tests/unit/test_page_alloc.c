/*
 * Host tests for common/page_alloc.c (frame table, buddy allocator,
 * scrubbing) and common/boot_alloc.c, plus the boot sequence from a
 * sanitised memory map to a populated heap.  Machine memory is a host
 * arena reached through the stub <asm/page.h>.
 */
#include "harness.h"
#include "mm_helpers.h"

#include <keel/boot_alloc.h>
#include <keel/lib.h>
#include <keel/memmap.h>
#include <keel/mm.h>

static struct arena A;

TEST(init_aligned)
{
    arena_init(&A, 0, 1024, 1024);
    CHECK_EQ(total_free_pages(), 0);
    init_heap_pages(_mfn(0), 1024);
    CHECK_EQ(total_free_pages(), 1024);
    CHECK_EQ(page_alloc_dirty_pages(), 1024);
    CHECK_EQ(blocks_at(10), 1);
    CHECK(strstr(stub_printk_buf, "Heap: 1024 free pages (4096 KiB)") != NULL);
    CHECK(strstr(stub_printk_buf, "  order 10: 1 blocks, 1024 pages\n") != NULL);
    arena_fini(&A);
}

TEST(init_unaligned_maximal_blocks)
{
    /* [3, 1003): see the expected decomposition below. */
    static const unsigned long want[MAX_ORDER + 1] = {
        [0] = 2, [1] = 1, [2] = 1, [3] = 2, [4] = 1, [5] = 2, [6] = 2,
        [7] = 2, [8] = 2,
    };
    unsigned long got[MAX_ORDER + 1];

    arena_init(&A, 0, 1024, 1024);
    init_heap_pages(_mfn(3), 1000);
    CHECK_EQ(total_free_pages(), 1000);
    free_blocks(got);
    CHECK(memcmp(got, want, sizeof(got)) == 0);
    CHECK(mfn_to_page(_mfn(2))->count_info == 0);       /* not heap */
    CHECK(mfn_to_page(_mfn(1003))->count_info == 0);
    arena_fini(&A);
}

TEST(init_pieces_coalesce)
{
    arena_init(&A, 0, 1024, 1024);
    /* Given in three pieces, out of order: still one order-10 block. */
    init_heap_pages(_mfn(700), 324);
    init_heap_pages(_mfn(0), 5);
    init_heap_pages(_mfn(5), 695);
    CHECK_EQ(total_free_pages(), 1024);
    CHECK_EQ(blocks_at(10), 1);
    init_heap_pages(_mfn(0), 0);                        /* no-op */
    CHECK_EQ(total_free_pages(), 1024);
    arena_fini(&A);
}

/* Allocate order-0 frames until the heap is dry; record their MFNs. */
static unsigned long drain_order0(unsigned long *mfns, unsigned long max,
                                  unsigned int memflags)
{
    unsigned long n = 0;
    struct page_info *pg;

    while ( (pg = alloc_heap_pages(0, memflags)) != NULL )
    {
        if ( n == max )
            return ~0UL;
        mfns[n++] = mfn_x(page_to_mfn(pg));
    }
    return n;
}

TEST(exhaust_and_coalesce)
{
    enum { N = 1024, FIRST = 8, LEN = 1000 };
    unsigned long before[MAX_ORDER + 1], after[MAX_ORDER + 1];
    unsigned long mfns[N], i;
    unsigned char seen[N] = { 0 };

    arena_init(&A, 0, N, N);
    init_heap_pages(_mfn(FIRST), LEN);
    free_blocks(before);

    CHECK_EQ(drain_order0(mfns, N, 0), LEN);
    CHECK_EQ(total_free_pages(), 0);
    CHECK(alloc_heap_pages(0, 0) == NULL);
    for ( i = 0; i < LEN; i++ )
    {
        CHECK(mfns[i] >= FIRST && mfns[i] < FIRST + LEN);
        CHECK(!seen[mfns[i]]);
        seen[mfns[i]] = 1;
        CHECK(page_is_filled(mfns[i], 0));
    }
    CHECK_EQ(page_alloc_dirty_pages(), 0);

    shuffle(mfns, LEN);
    for ( i = 0; i < LEN; i++ )
        free_heap_pages(mfn_to_page(_mfn(mfns[i])), 0);
    CHECK_EQ(total_free_pages(), LEN);
    free_blocks(after);
    CHECK(memcmp(before, after, sizeof(before)) == 0);
    arena_fini(&A);
}

TEST(max_order_blocks)
{
    /*
     * 2^21 + 3 frames with no memory behind them (MEMF_no_scrub, no
     * scrubbing): two order-20 blocks that must never merge into one.
     */
    enum { LEN = (1 << 21) + 3 };
    unsigned long before[MAX_ORDER + 1], after[MAX_ORDER + 1];
    unsigned long *mfns = malloc(sizeof(*mfns) * LEN), i;
    struct page_info *pg;

    arena_init(&A, 0, 0, LEN);
    init_heap_pages(_mfn(0), LEN);
    free_blocks(before);
    CHECK_EQ(before[MAX_ORDER], 2);
    CHECK_EQ(before[1], 1);
    CHECK_EQ(before[0], 1);

    CHECK_EQ(drain_order0(mfns, LEN, MEMF_no_scrub), LEN);
    CHECK_EQ(total_free_pages(), 0);
    shuffle(mfns, LEN);
    for ( i = 0; i < LEN; i++ )
        free_heap_pages(mfn_to_page(_mfn(mfns[i])), 0);
    free_blocks(after);
    CHECK(memcmp(before, after, sizeof(before)) == 0);

    /* A whole max-order block, then nothing that large is left but one. */
    pg = alloc_heap_pages(MAX_ORDER, MEMF_no_scrub);
    CHECK(pg != NULL);
    CHECK_EQ(mfn_x(page_to_mfn(pg)) & ((1UL << MAX_ORDER) - 1), 0);
    CHECK(alloc_heap_pages(MAX_ORDER, MEMF_no_scrub) != NULL);
    CHECK(alloc_heap_pages(MAX_ORDER, MEMF_no_scrub) == NULL);
    CHECK(alloc_heap_pages(MAX_ORDER + 1, MEMF_no_scrub) == NULL);
    CHECK_EQ(total_free_pages(), 3);
    free(mfns);
    arena_fini(&A);
}

TEST(fragmentation)
{
    enum { N = 64 };
    unsigned long mfns[N], i;

    arena_init(&A, 0, N, N);
    init_heap_pages(_mfn(0), N);
    CHECK_EQ(drain_order0(mfns, N, 0), N);
    for ( i = 0; i < N; i++ )
        if ( mfns[i] % 2 == 0 )
            free_heap_pages(mfn_to_page(_mfn(mfns[i])), 0);
    CHECK_EQ(total_free_pages(), N / 2);
    CHECK(alloc_heap_pages(1, 0) == NULL);
    CHECK_EQ(blocks_at(0), N / 2);
    for ( i = 0; i < N / 2; i++ )
        CHECK(alloc_heap_pages(0, 0) != NULL);
    CHECK(alloc_heap_pages(0, 0) == NULL);
    arena_fini(&A);
}

TEST(all_orders)
{
    enum { N = 2048 };
    unsigned int order;

    arena_init(&A, 0, N, N);
    init_heap_pages(_mfn(0), N);
    for ( order = 0; order <= 11; order++ )
    {
        struct page_info *pg = alloc_heap_pages(order, 0);
        unsigned long mfn, i;

        CHECK(pg != NULL);
        if ( !pg )
            break;
        mfn = mfn_x(page_to_mfn(pg));
        CHECK_EQ(mfn & ((1UL << order) - 1), 0);
        CHECK_EQ(total_free_pages(), N - (1UL << order));
        for ( i = 0; i < (1UL << order); i++ )
        {
            CHECK_EQ(pg[i].count_info, PGC_heap);
            CHECK(pg[i].owner == NULL);
            CHECK_EQ(pg[i].type_info, 0);
            CHECK(page_is_filled(mfn + i, 0));
        }
        memset(mfn_to_virt(_mfn(mfn)), 0xee, PAGE_SIZE << order);
        free_heap_pages(pg, order);
        CHECK_EQ(total_free_pages(), N);
    }
    CHECK_EQ(blocks_at(11), 1);

    /* Keep two order-10 halves; a third fails; freeing one half works. */
    {
        struct page_info *a = alloc_heap_pages(10, 0);
        struct page_info *b = alloc_heap_pages(10, 0);

        CHECK(a && b && a != b);
        CHECK(alloc_heap_pages(10, 0) == NULL);
        CHECK(alloc_heap_pages(0, 0) == NULL);
        free_heap_pages(b, 10);
        free_heap_pages(a, 10);
        CHECK_EQ(blocks_at(11), 1);
    }

    /* Part of an allocation can be freed on its own. */
    {
        struct page_info *pg = alloc_heap_pages(2, 0);

        free_heap_pages(pg + 2, 1);
        free_heap_pages(pg + 1, 0);
        free_heap_pages(pg, 0);
        CHECK_EQ(blocks_at(11), 1);
    }

    CHECK(alloc_heap_pages(0, 1U << 7) == NULL);     /* unknown memflags */
    CHECK(alloc_heap_pages(MAX_ORDER + 1, 0) == NULL);
    arena_fini(&A);
}

TEST(scrub_on_reallocation)
{
    struct page_info *pg;
    unsigned long mfn;

    arena_init(&A, 100, 1, 101);            /* a heap of exactly one frame */
    init_heap_pages(_mfn(100), 1);
    CHECK(page_is_filled(100, 0x5a));       /* old contents */
    pg = alloc_heap_pages(0, 0);
    CHECK(pg != NULL);
    mfn = mfn_x(page_to_mfn(pg));
    CHECK_EQ(mfn, 100);
    CHECK(page_is_filled(mfn, 0));          /* zeroed on the way out */

    memset(mfn_to_virt(_mfn(mfn)), 0xa5, PAGE_SIZE);
    free_heap_pages(pg, 0);
    CHECK_EQ(page_alloc_dirty_pages(), 1);
    CHECK(mfn_to_page(_mfn(mfn))->count_info & PGC_need_scrub);
    pg = alloc_heap_pages(0, 0);
    CHECK_EQ(mfn_x(page_to_mfn(pg)), 100);
    CHECK(page_is_filled(100, 0));
    CHECK_EQ(page_alloc_dirty_pages(), 0);
    CHECK_EQ(pg->count_info, PGC_heap);

    /* MEMF_no_scrub hands the old data back, and clears the flag. */
    memset(mfn_to_virt(_mfn(100)), 0xa5, PAGE_SIZE);
    free_heap_pages(pg, 0);
    pg = alloc_heap_pages(0, MEMF_no_scrub);
    CHECK(page_is_filled(100, 0xa5));
    CHECK_EQ(pg->count_info, PGC_heap);
    CHECK_EQ(page_alloc_dirty_pages(), 0);
    arena_fini(&A);
}

TEST(scrub_ahead)
{
    enum { N = 256 };
    struct page_info *pg;
    unsigned long i;

    arena_init(&A, 0, N, N);
    init_heap_pages(_mfn(0), N);
    CHECK_EQ(page_alloc_dirty_pages(), N);
    scrub_free_pages();
    CHECK_EQ(page_alloc_dirty_pages(), 0);
    for ( i = 0; i < N; i++ )
        CHECK(page_is_filled(i, 0));
    CHECK_EQ(total_free_pages(), N);

    /* One dirty frame inside a clean block: found and scrubbed again. */
    pg = alloc_heap_pages(0, 0);
    memset(mfn_to_virt(page_to_mfn(pg)), 0x77, PAGE_SIZE);
    i = mfn_x(page_to_mfn(pg));
    free_heap_pages(pg, 0);
    CHECK_EQ(page_alloc_dirty_pages(), 1);
    CHECK(page_is_filled(i, 0x77));
    scrub_free_pages();
    CHECK_EQ(page_alloc_dirty_pages(), 0);
    CHECK(page_is_filled(i, 0));
    CHECK_EQ(blocks_at(8), 1);
    arena_fini(&A);
}

TEST(scrub_after_split)
{
    /*
     * Split dirty blocks, then scrub ahead in several batches: every free
     * frame must be found, however the dirty hints were carried over.
     */
    enum { N = 2048 };
    struct page_info *a, *b;
    unsigned long i, ma, mb;

    arena_init(&A, 0, N, N);
    init_heap_pages(_mfn(0), N);
    a = alloc_heap_pages(0, MEMF_no_scrub);
    b = alloc_heap_pages(5, 0);
    ma = mfn_x(page_to_mfn(a));
    mb = mfn_x(page_to_mfn(b));
    CHECK_EQ(page_alloc_dirty_pages(), N - 1 - 32);
    stub_printk_reset();
    scrub_free_pages();
    CHECK_EQ(page_alloc_dirty_pages(), 0);
    CHECK_STR(stub_printk_buf, "");
    for ( i = 0; i < N; i++ )
        if ( i != ma && (i < mb || i >= mb + 32) )
            CHECK(page_is_filled(i, 0));
    CHECK(page_is_filled(ma, 0x5a));        /* MEMF_no_scrub: untouched */
    free_heap_pages(a, 0);
    free_heap_pages(b, 5);
    CHECK_EQ(page_alloc_dirty_pages(), 33);
    scrub_free_pages();
    CHECK_EQ(page_alloc_dirty_pages(), 0);
    CHECK_EQ(blocks_at(11), 1);
    for ( i = 0; i < N; i++ )
        CHECK(page_is_filled(i, 0));
    arena_fini(&A);
}

TEST(scrub_mixed_blocks)
{
    enum { N = 1024 };
    unsigned long mfns[N], n, i, dirty;

    arena_init(&A, 0, N, N);
    init_heap_pages(_mfn(0), N);
    n = drain_order0(mfns, N, 0);           /* all scrubbed on the way */
    CHECK_EQ(n, N);
    for ( i = 0; i < n; i++ )
        memset(mfn_to_virt(_mfn(mfns[i])), 0x33, PAGE_SIZE);

    /* Free a random half (dirty), scrub, free the rest (dirty). */
    shuffle(mfns, n);
    for ( i = 0; i < n / 2; i++ )
        free_heap_pages(mfn_to_page(_mfn(mfns[i])), 0);
    scrub_free_pages();
    for ( ; i < n; i++ )
        free_heap_pages(mfn_to_page(_mfn(mfns[i])), 0);
    dirty = page_alloc_dirty_pages();
    CHECK_EQ(dirty, N / 2);
    CHECK_EQ(blocks_at(10), 1);

    /* Allocations from the mixed block come back zeroed. */
    for ( i = 0; i < 8; i++ )
    {
        struct page_info *pg = alloc_heap_pages(3, 0);

        CHECK(pg != NULL);
        CHECK(page_is_filled(mfn_x(page_to_mfn(pg)), 0));
    }

    /* The whole block, reassembled from both kinds, comes back zeroed. */
    arena_fini(&A);
    arena_init(&A, 0, N, N);
    init_heap_pages(_mfn(0), N);
    n = drain_order0(mfns, N, 0);
    for ( i = 0; i < n; i++ )
        memset(mfn_to_virt(_mfn(mfns[i])), 0x44, PAGE_SIZE);
    for ( i = 0; i < n; i += 2 )
        free_heap_pages(mfn_to_page(_mfn(mfns[i])), 0);
    scrub_free_pages();
    for ( i = 1; i < n; i += 2 )
        free_heap_pages(mfn_to_page(_mfn(mfns[i])), 0);
    {
        struct page_info *pg = alloc_heap_pages(10, 0);

        CHECK(pg != NULL);
        for ( i = 0; i < N; i++ )
            CHECK(page_is_filled(i, 0));
        CHECK_EQ(page_alloc_dirty_pages(), 0);
        free_heap_pages(pg, 10);
    }
    arena_fini(&A);
}

TEST(xenheap)
{
    enum { N = 64 };
    unsigned char *va;

    arena_init(&A, 0x10000, N, 0x10000 + N);
    init_heap_pages(_mfn(0x10000), N);
    va = alloc_xenheap_pages(2);
    CHECK(va != NULL);
    CHECK(va >= A.mem && va + 4 * PAGE_SIZE <= A.mem + N * PAGE_SIZE);
    CHECK_EQ(mfn_x(virt_to_mfn(va)) % 4, 0);
    CHECK_EQ(va[0], 0);
    CHECK_EQ(va[4 * PAGE_SIZE - 1], 0);
    CHECK_EQ(total_free_pages(), N - 4);
    free_xenheap_pages(va, 2);
    free_xenheap_pages(NULL, 3);
    CHECK_EQ(total_free_pages(), N);
    va = alloc_xenheap_page();
    CHECK(va != NULL);
    free_xenheap_page(va);
    CHECK(alloc_xenheap_pages(7) == NULL);
    CHECK_EQ(blocks_at(6), 1);
    arena_fini(&A);
}

/* ---- misuse panics ---------------------------------------------------- */

static void do_double_free(void *arg)
{
    struct page_info *pg = alloc_heap_pages(0, 0);

    free_heap_pages(pg, 0);
    free_heap_pages(pg, 0);
}

static void do_double_free_inside_block(void *arg)
{
    struct page_info *pg = alloc_heap_pages(2, 0);

    free_heap_pages(pg, 2);
    free_heap_pages(pg + 1, 0);             /* part of a free block */
}

static void do_free_non_heap(void *arg)
{
    free_heap_pages(mfn_to_page(_mfn(70)), 0);  /* never given to the heap */
}

static void do_free_misaligned(void *arg)
{
    struct page_info *pg = alloc_heap_pages(2, 0);

    free_heap_pages(pg + 1, 1);
}

static void do_free_bad_order(void *arg)
{
    free_heap_pages(alloc_heap_pages(0, 0), MAX_ORDER + 1);
}

static void do_free_outside_table(void *arg)
{
    free_heap_pages(mfn_to_page(_mfn(100000)), 0);
}

static void do_free_unaligned_va(void *arg)
{
    free_xenheap_pages((char *)alloc_xenheap_page() + 8, 0);
}

static void do_init_twice(void *arg)
{
    init_heap_pages(_mfn(10), 2);
}

static void do_init_beyond_table(void *arg)
{
    init_heap_pages(_mfn(60), 30);
}

TEST(misuse_panics)
{
    arena_init(&A, 0, 64, 80);
    init_heap_pages(_mfn(0), 64);
    CHECK(dies_with(do_double_free, NULL, "double free of frame"));
    CHECK(dies_with(do_double_free_inside_block, NULL, "double free"));
    CHECK(dies_with(do_free_non_heap, NULL, "does not belong to the heap"));
    CHECK(dies_with(do_free_misaligned, NULL, "misaligned"));
    CHECK(dies_with(do_free_bad_order, NULL, "bad order"));
    CHECK(dies_with(do_free_outside_table, NULL, "not a frame-table entry"));
    CHECK(dies_with(do_free_unaligned_va, NULL, "not page aligned"));
    CHECK(dies_with(do_init_twice, NULL, "already in the heap"));
    CHECK(dies_with(do_init_beyond_table, NULL, "outside the frame table"));
    CHECK_EQ(total_free_pages(), 64);       /* the parent is untouched */
    arena_fini(&A);
}

/* ---- boot allocator --------------------------------------------------- */

TEST(boot_alloc_top_down)
{
    const struct memmap_range fr[] = {
        { 0x400000, 0x800000 },             /* frames 0x400-0x800 */
        { 0x100000, 0x200000 },             /* frames 0x100-0x200, unsorted */
        { 0x900800, 0x903000 },             /* partial page: 0x901-0x903 */
        { 0xa00000, 0xa00800 },             /* no whole page: ignored */
    };
    mfn_t m;

    boot_alloc_init(fr, ARRAY_SIZE(fr));
    CHECK_EQ(boot_alloc_free_pages(), 0x400 + 0x100 + 2);

    m = boot_alloc_pages(1, 1);             /* top of the highest range */
    CHECK_EQ(mfn_x(m), 0x902);
    m = boot_alloc_pages(2, 0);             /* doesn't fit there any more */
    CHECK_EQ(mfn_x(m), 0x7fe);
    m = boot_alloc_pages(3, 0x100);         /* aligned: leaves a hole above */
    CHECK_EQ(mfn_x(m), 0x700);
    m = boot_alloc_pages(1, 1);             /* highest range first */
    CHECK_EQ(mfn_x(m), 0x901);
    m = boot_alloc_pages(1, 1);             /* then the hole above 0x703 */
    CHECK_EQ(mfn_x(m), 0x7fd);
    m = boot_alloc_pages_below(4, 1, _mfn(0x500));
    CHECK_EQ(mfn_x(m), 0x4fc);
    m = boot_alloc_pages_below(0x100, 1, _mfn(0x400));
    CHECK_EQ(mfn_x(m), 0x100);
    CHECK_EQ(boot_alloc_free_pages(),
             0x400 + 0x100 + 2 - (1 + 2 + 3 + 1 + 1 + 4 + 0x100));
}

TEST(boot_alloc_to_heap)
{
    const struct memmap_range fr[] = {
        { 2 * PAGE_SIZE, 40 * PAGE_SIZE },
        { 48 * PAGE_SIZE, 64 * PAGE_SIZE },
    };
    mfn_t m;
    unsigned long left;

    arena_init(&A, 0, 64, 64);
    boot_alloc_init(fr, ARRAY_SIZE(fr));
    m = boot_alloc_pages(8, 8);
    CHECK_EQ(mfn_x(m), 56);
    left = boot_alloc_free_pages();
    CHECK_EQ(left, 38 + 8);
    end_boot_allocator();
    CHECK_EQ(total_free_pages(), left);
    CHECK_EQ(boot_alloc_free_pages(), 0);
    CHECK(mfn_to_page(m)->count_info == 0);     /* boot frames: not heap */
    CHECK(mfn_to_page(_mfn(1))->count_info == 0);
    CHECK(mfn_to_page(_mfn(2))->count_info & PGC_free);
    arena_fini(&A);
}

TEST(boot_alloc_truncate)
{
    const struct memmap_range fr[] = {
        { 0x100000, 0x200000 }, { 0x400000, 0x800000 },
        { 0x900000, 0xa00000 },
    };

    boot_alloc_init(fr, ARRAY_SIZE(fr));
    boot_alloc_truncate(_mfn(0x900));       /* drops the last range */
    CHECK_EQ(boot_alloc_free_pages(), 0x100 + 0x400);
    boot_alloc_truncate(_mfn(0x500));       /* cuts the middle one */
    CHECK_EQ(boot_alloc_free_pages(), 0x100 + 0x100);
    CHECK_EQ(mfn_x(boot_alloc_pages(1, 1)), 0x4ff);
    boot_alloc_truncate(_mfn(0x500));       /* nothing left above */
    CHECK_EQ(boot_alloc_free_pages(), 0x1ff);
    boot_alloc_truncate(_mfn(0));
    CHECK_EQ(boot_alloc_free_pages(), 0);
}

static void do_boot_oom(void *arg)
{
    const struct memmap_range fr[] = { { 0x100000, 0x110000 } };

    boot_alloc_init(fr, 1);
    boot_alloc_pages(0x11, 1);
}

static void do_boot_align_oom(void *arg)
{
    const struct memmap_range fr[] = { { 0x101000, 0x140000 } };

    boot_alloc_init(fr, 1);
    boot_alloc_pages(1, 0x100);             /* no 1 MiB-aligned frame */
}

static void do_boot_after_end(void *arg)
{
    const struct memmap_range fr[] = { { 0x100000, 0x110000 } };

    boot_alloc_init(fr, 1);
    arena_init(&A, 0, 0, 0x110);
    end_boot_allocator();
    boot_alloc_pages(1, 1);
}

static void do_boot_bad_align(void *arg)
{
    const struct memmap_range fr[] = { { 0x100000, 0x110000 } };

    boot_alloc_init(fr, 1);
    boot_alloc_pages(1, 3);
}

static void do_boot_overlap(void *arg)
{
    const struct memmap_range fr[] = {
        { 0x100000, 0x110000 }, { 0x108000, 0x120000 },
    };

    boot_alloc_init(fr, 2);
}

TEST(boot_alloc_panics)
{
    CHECK(dies_with(do_boot_oom, NULL, "boot_alloc_pages: out of memory"));
    CHECK(dies_with(do_boot_align_oom, NULL, "aligned to 256"));
    CHECK(dies_with(do_boot_after_end, NULL, "after end_boot_allocator"));
    CHECK(dies_with(do_boot_bad_align, NULL, "bad request"));
    CHECK(dies_with(do_boot_overlap, NULL, "overlaps"));
}

TEST(boot_alloc_many_splits)
{
    /* More splits than slots: frames are lost with a warning, no overrun. */
    const struct memmap_range fr[] = { { 0, 0x100000000ULL } };
    unsigned int i;

    boot_alloc_init(fr, 1);
    stub_printk_reset();
    for ( i = 0; i < 3 * BOOT_ALLOC_MAX_RANGES; i++ )
        boot_alloc_pages(1, 2);             /* each leaves a 1-frame hole */
    CHECK(strstr(stub_printk_buf, "too many ranges") != NULL);
    /* 3 * MAX frames taken; all but MAX - 1 of the 1-frame holes lost. */
    CHECK_EQ(boot_alloc_free_pages(), 0x100000 - 3 * BOOT_ALLOC_MAX_RANGES -
             (2 * BOOT_ALLOC_MAX_RANGES + 1));
    CHECK_EQ(mfn_x(boot_alloc_pages(0x1000, 0x1000)) & 0xfff, 0);
}

/*
 * The boot sequence on a QEMU -m 128 map: sanitise, protect, boot
 * allocator, frame table in boot-allocated frames reached through the
 * direct map, then the heap.
 */
TEST(boot_sequence_qemu_128)
{
    static const struct memmap_entry raw[] = {
        { 0x0000000000100000ULL, 0x0000000007ee0000ULL, E820_RAM },
        { 0x0000000000000000ULL, 0x000000000009fc00ULL, E820_RAM },
        { 0x00000000fffc0000ULL, 0x0000000000040000ULL, E820_RESERVED },
        { 0x000000000009fc00ULL, 0x0000000000000400ULL, E820_RESERVED },
        { 0x0000000007fe0000ULL, 0x0000000000020000ULL, E820_RESERVED },
        { 0x00000000000f0000ULL, 0x0000000000010000ULL, E820_RESERVED },
    };
    const struct memmap_range prot[] = {
        { 0x200000, 0x400000 }, { 0x1000000, 0x1800000 },
    };
    struct memmap_entry map[MEMMAP_MAX_ENTRIES];
    struct memmap_range fr[MEMMAP_MAX_ENTRIES];
    unsigned int nr, nfr;
    unsigned long maxpfn, ft_pages, free_before;
    mfn_t ft;
    void *mem;

    CHECK_EQ(memmap_sanitise(raw, ARRAY_SIZE(raw), map, ARRAY_SIZE(map),
                             &nr), 0);
    CHECK_EQ(memmap_free_ranges(map, nr, prot, ARRAY_SIZE(prot), fr,
                                ARRAY_SIZE(fr), &nfr), 0);
    maxpfn = memmap_max_ram_pfn(map, nr);
    CHECK_EQ(maxpfn, 0x7fe0);

    /* Host memory standing in for machine addresses [0, 128 MiB). */
    mem = aligned_alloc(PAGE_SIZE, maxpfn * PAGE_SIZE);
    CHECK(mem != NULL);
    stub_directmap_base = mem;

    boot_alloc_init(fr, nfr);
    ft_pages = ROUNDUP(maxpfn * sizeof(struct page_info), PAGE_SIZE) >>
               PAGE_SHIFT;
    ft = boot_alloc_pages(ft_pages, 1);
    CHECK_EQ(mfn_x(ft) + ft_pages, 0x7fe0);
    frame_table_setup(mfn_to_virt(ft), maxpfn);
    free_before = boot_alloc_free_pages();
    end_boot_allocator();
    CHECK_EQ(total_free_pages(), free_before);
    CHECK_EQ(total_free_pages(),
             (0x7fe0 - 0x100) - 0x200 - 0x800 - ft_pages);

    /* Nothing below 1 MiB or protected is handed out. */
    {
        unsigned long n = 0;
        struct page_info *pg;

        while ( (pg = alloc_heap_pages(0, MEMF_no_scrub)) != NULL )
        {
            unsigned long m = mfn_x(page_to_mfn(pg));

            CHECK(m >= 0x100);
            CHECK(m < 0x200 || m >= 0x400);
            CHECK(m < 0x1000 || m >= 0x1800);
            CHECK(m < mfn_x(ft));
            n++;
        }
        CHECK_EQ(n, free_before);
    }
    free(mem);
}

int main(void)
{
    RUN(init_aligned);
    RUN(init_unaligned_maximal_blocks);
    RUN(init_pieces_coalesce);
    RUN(exhaust_and_coalesce);
    RUN(max_order_blocks);
    RUN(fragmentation);
    RUN(all_orders);
    RUN(scrub_on_reallocation);
    RUN(scrub_ahead);
    RUN(scrub_after_split);
    RUN(scrub_mixed_blocks);
    RUN(xenheap);
    RUN(misuse_panics);
    RUN(boot_alloc_top_down);
    RUN(boot_alloc_to_heap);
    RUN(boot_alloc_truncate);
    RUN(boot_alloc_panics);
    RUN(boot_alloc_many_splits);
    RUN(boot_sequence_qemu_128);
    HARNESS_EXIT();
}
