/*
 * Host tests for common/lib/memmap.c: the firmware memory-map sanitiser and
 * the free-range computation, including randomised comparisons against a
 * brute-force model.
 */
#include "harness.h"

#include <keel/errno.h>
#include <keel/lib.h>
#include <keel/memmap.h>

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define RAM  E820_RAM
#define RSV  E820_RESERVED
#define ACPI E820_ACPI
#define NVS  E820_NVS
#define BAD  E820_UNUSABLE

static struct memmap_entry out[MEMMAP_MAX_ENTRIES];
static unsigned int nr_out;

static int sanitise(const struct memmap_entry *raw, unsigned int n)
{
    memset(out, 0xcc, sizeof(out));
    nr_out = 12345;
    return memmap_sanitise(raw, n, out, MEMMAP_MAX_ENTRIES, &nr_out);
}

/* Does out[i] equal [s, e) of the given type? */
static bool is(unsigned int i, uint64_t s, uint64_t e, uint32_t type)
{
    if ( i >= nr_out )
        return false;
    if ( out[i].addr != s || out[i].addr + out[i].len != e ||
         out[i].type != type )
    {
        printf("# entry %u: %#llx-%#llx type %u, expected %#llx-%#llx "
               "type %u\n", i, (unsigned long long)out[i].addr,
               (unsigned long long)(out[i].addr + out[i].len),
               out[i].type, (unsigned long long)s, (unsigned long long)e,
               type);
        return false;
    }
    return true;
}

/* The invariants every sanitised map must satisfy. */
static bool map_ok(const struct memmap_entry *m, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        if ( m[i].len == 0 || m[i].addr + m[i].len > MEMMAP_PADDR_LIMIT ||
             m[i].addr + m[i].len < m[i].addr )
            return false;
        if ( m[i].type < RAM || m[i].type > BAD )
            return false;
        if ( m[i].type == RAM && ((m[i].addr | m[i].len) & (PAGE_SIZE - 1)) )
            return false;
        if ( i && m[i].addr < m[i - 1].addr + m[i - 1].len )
            return false;
        if ( i && m[i].addr == m[i - 1].addr + m[i - 1].len &&
             m[i].type == m[i - 1].type )
            return false;
    }
    return true;
}

TEST(empty)
{
    CHECK_EQ(sanitise(NULL, 0), 0);
    CHECK_EQ(nr_out, 0);
    CHECK_EQ(memmap_sanitise(NULL, 1, out, 4, &nr_out), -EINVAL);
    CHECK_EQ(memmap_sanitise(out, 1, out, 4, NULL), -EINVAL);
}

TEST(unsorted)
{
    const struct memmap_entry raw[] = {
        { MiB(16), MiB(16), RAM },
        { 0,       KiB(636), RAM },
        { MiB(1),  MiB(7),  RAM },
        { KiB(960), KiB(64), RSV },
    };

    CHECK_EQ(sanitise(raw, ARRAY_SIZE(raw)), 0);
    CHECK_EQ(nr_out, 4);
    CHECK(is(0, 0, KiB(636), RAM));
    CHECK(is(1, KiB(960), MiB(1), RSV));
    CHECK(is(2, MiB(1), MiB(8), RAM));
    CHECK(is(3, MiB(16), MiB(32), RAM));
    CHECK(map_ok(out, nr_out));
}

TEST(overlapping_ram_merges)
{
    const struct memmap_entry raw[] = {
        { MiB(4), MiB(4), RAM },
        { MiB(2), MiB(4), RAM },    /* overlaps the first */
        { MiB(8), MiB(1), RAM },    /* touches it */
        { MiB(3), MiB(1), RAM },    /* inside */
        { MiB(3), MiB(1), RAM },    /* duplicate */
    };

    CHECK_EQ(sanitise(raw, ARRAY_SIZE(raw)), 0);
    CHECK_EQ(nr_out, 1);
    CHECK(is(0, MiB(2), MiB(9), RAM));
}

TEST(reserved_beats_ram_both_directions)
{
    /* Reserved overlapping the end of RAM, then the start of RAM. */
    const struct memmap_entry a[] = {
        { MiB(1), MiB(4), RAM },
        { MiB(4), MiB(2), RSV },
    };
    const struct memmap_entry b[] = {
        { MiB(4), MiB(2), RSV },
        { MiB(5), MiB(4), RAM },
    };

    CHECK_EQ(sanitise(a, ARRAY_SIZE(a)), 0);
    CHECK_EQ(nr_out, 2);
    CHECK(is(0, MiB(1), MiB(4), RAM));
    CHECK(is(1, MiB(4), MiB(6), RSV));

    CHECK_EQ(sanitise(b, ARRAY_SIZE(b)), 0);
    CHECK_EQ(nr_out, 2);
    CHECK(is(0, MiB(4), MiB(6), RSV));
    CHECK(is(1, MiB(6), MiB(9), RAM));
}

TEST(containment)
{
    /* Reserved inside RAM splits it; RAM inside reserved vanishes. */
    const struct memmap_entry a[] = {
        { 0x3000, 0x1000, RSV },
        { 0, MiB(1), RAM },
    };
    const struct memmap_entry b[] = {
        { MiB(2), MiB(1), RAM },
        { MiB(1), MiB(4), NVS },
    };

    CHECK_EQ(sanitise(a, ARRAY_SIZE(a)), 0);
    CHECK_EQ(nr_out, 3);
    CHECK(is(0, 0, 0x3000, RAM));
    CHECK(is(1, 0x3000, 0x4000, RSV));
    CHECK(is(2, 0x4000, MiB(1), RAM));

    CHECK_EQ(sanitise(b, ARRAY_SIZE(b)), 0);
    CHECK_EQ(nr_out, 1);
    CHECK(is(0, MiB(1), MiB(5), NVS));
}

TEST(type_priority)
{
    /* RAM < ACPI < NVS < unusable < reserved, over one shared range. */
    static const uint32_t order[] = { RAM, ACPI, NVS, BAD, RSV };
    unsigned int i, j;

    for ( i = 0; i < ARRAY_SIZE(order); i++ )
        for ( j = 0; j < ARRAY_SIZE(order); j++ )
        {
            const struct memmap_entry raw[] = {
                { MiB(1), MiB(1), order[i] },
                { MiB(1), MiB(1), order[j] },
            };

            CHECK_EQ(sanitise(raw, 2), 0);
            CHECK_EQ(nr_out, 1);
            CHECK(is(0, MiB(1), MiB(2), order[MAX(i, j)]));
        }
}

TEST(unknown_type_is_reserved)
{
    const struct memmap_entry raw[] = {
        { MiB(1), MiB(1), 0 },
        { MiB(2), MiB(1), 12 },
        { MiB(3), MiB(1), RSV },
        { MiB(4), MiB(1), 0xffffffff },
        { MiB(2), KiB(4), RAM },        /* loses to the unknown type */
    };

    CHECK_EQ(sanitise(raw, ARRAY_SIZE(raw)), 0);
    CHECK_EQ(nr_out, 1);
    CHECK(is(0, MiB(1), MiB(5), RSV));
}

TEST(adjacent_different_types_kept_apart)
{
    const struct memmap_entry raw[] = {
        { MiB(1), MiB(1), ACPI },
        { MiB(2), MiB(1), NVS },
        { MiB(3), MiB(1), ACPI },
        { MiB(4), MiB(1), RAM },
    };

    CHECK_EQ(sanitise(raw, ARRAY_SIZE(raw)), 0);
    CHECK_EQ(nr_out, 4);
    CHECK(is(0, MiB(1), MiB(2), ACPI));
    CHECK(is(1, MiB(2), MiB(3), NVS));
    CHECK(is(2, MiB(3), MiB(4), ACPI));
    CHECK(is(3, MiB(4), MiB(5), RAM));
    CHECK(map_ok(out, nr_out));
}

TEST(zero_length_ignored)
{
    const struct memmap_entry raw[] = {
        { MiB(1), 0, RSV },
        { 0, MiB(2), RAM },
        { MiB(3), 0, RAM },
        { 0, 0, RSV },
    };

    CHECK_EQ(sanitise(raw, ARRAY_SIZE(raw)), 0);
    CHECK_EQ(nr_out, 1);
    CHECK(is(0, 0, MiB(2), RAM));
}

TEST(unaligned_edges)
{
    const struct memmap_entry raw[] = {
        { 0x1234, 0x5678 - 0x1234, RAM },       /* -> 0x2000-0x5000 */
        { 0x10100, 0xe00, RAM },                /* sliver: dropped */
        { 0x20800, 0x1000, RAM },               /* straddles: no whole page */
        { 0x30000, 0x2800, RAM },               /* end rounds down */
        { 0x31800, 0x100, RSV },                /* splits the above */
        { 0x40400, 0x400, RSV },                /* non-RAM keeps its edges */
    };

    CHECK_EQ(sanitise(raw, ARRAY_SIZE(raw)), 0);
    CHECK_EQ(nr_out, 4);
    CHECK(is(0, 0x2000, 0x5000, RAM));
    CHECK(is(1, 0x30000, 0x31000, RAM));
    CHECK(is(2, 0x31800, 0x31900, RSV));
    CHECK(is(3, 0x40400, 0x40800, RSV));
    CHECK(map_ok(out, nr_out));
}

TEST(unaligned_pieces_merge_before_rounding)
{
    /* Two unaligned halves of one page range make whole pages together. */
    const struct memmap_entry raw[] = {
        { 0x1000, 0x800, RAM },
        { 0x1800, 0x1800, RAM },
    };

    CHECK_EQ(sanitise(raw, ARRAY_SIZE(raw)), 0);
    CHECK_EQ(nr_out, 1);
    CHECK(is(0, 0x1000, 0x3000, RAM));
}

TEST(wrap_around_clipped)
{
    const struct memmap_entry raw[] = {
        { GiB(4), UINT64_MAX, RAM },                    /* wraps */
        { 0xfffffffffffff000ULL, 0x2000, RSV },         /* wraps, above */
        { MEMMAP_PADDR_LIMIT, MiB(1), RSV },            /* above: dropped */
        { MEMMAP_PADDR_LIMIT - MiB(1), MiB(2), RSV },   /* straddles */
        { 0, MiB(1), RAM },
    };

    stub_printk_reset();
    CHECK_EQ(sanitise(raw, ARRAY_SIZE(raw)), 0);
    CHECK_EQ(nr_out, 3);
    CHECK(is(0, 0, MiB(1), RAM));
    CHECK(is(1, GiB(4), MEMMAP_PADDR_LIMIT - MiB(1), RAM));
    CHECK(is(2, MEMMAP_PADDR_LIMIT - MiB(1), MEMMAP_PADDR_LIMIT, RSV));
    CHECK(strstr(stub_printk_buf, "52-bit physical limit") != NULL);
    CHECK(map_ok(out, nr_out));
}

TEST(too_many_entries)
{
    struct memmap_entry raw[10], small[4];
    unsigned int i, n = 99;

    for ( i = 0; i < 10; i++ )
    {
        /* Alternate types so nothing merges; list them backwards. */
        raw[9 - i].addr = MiB(i);
        raw[9 - i].len = MiB(1);
        raw[9 - i].type = (i & 1) ? RSV : RAM;
    }

    memset(small, 0, sizeof(small));
    CHECK_EQ(memmap_sanitise(raw, 10, small, 4, &n), -ENOSPC);
    CHECK_EQ(n, 4);
    CHECK(map_ok(small, n));
    CHECK_EQ(small[0].addr, 0);
    CHECK_EQ(small[3].addr, MiB(3));

    /* Exactly enough room is fine. */
    CHECK_EQ(memmap_sanitise(raw, 4, small, 4, &n), 0);
    CHECK_EQ(n, 4);

    /* No room at all: an error, and nothing written. */
    CHECK_EQ(memmap_sanitise(raw, 10, NULL, 0, &n), -ENOSPC);
    CHECK_EQ(n, 0);
}

TEST(sliver_does_not_cost_a_slot)
{
    const struct memmap_entry raw[] = {
        { MiB(1), MiB(1), RAM },
        { MiB(2), MiB(1), RSV },
        { MiB(4), MiB(1), RAM },
        { MiB(5), MiB(1), RSV },
        { MiB(7), 0x200, RAM },     /* vanishes */
    };
    struct memmap_entry small[4];
    unsigned int n;

    CHECK_EQ(memmap_sanitise(raw, ARRAY_SIZE(raw), small, 4, &n), 0);
    CHECK_EQ(n, 4);
}

/* QEMU (SeaBIOS) e820 for `-m 128`, in the order a loader might give it. */
static const struct memmap_entry qemu_128[] = {
    { 0x0000000000100000ULL, 0x0000000007ee0000ULL, RAM },
    { 0x0000000000000000ULL, 0x000000000009fc00ULL, RAM },
    { 0x00000000fffc0000ULL, 0x0000000000040000ULL, RSV },
    { 0x000000000009fc00ULL, 0x0000000000000400ULL, RSV },
    { 0x0000000007fe0000ULL, 0x0000000000020000ULL, RSV },
    { 0x00000000000f0000ULL, 0x0000000000010000ULL, RSV },
};

/* QEMU `-m 4096`: 3 GiB below the PCI hole, 1 GiB above 4 GiB. */
static const struct memmap_entry qemu_4096[] = {
    { 0x0000000000000000ULL, 0x000000000009fc00ULL, RAM },
    { 0x000000000009fc00ULL, 0x0000000000000400ULL, RSV },
    { 0x00000000000f0000ULL, 0x0000000000010000ULL, RSV },
    { 0x0000000000100000ULL, 0x00000000bfee0000ULL, RAM },
    { 0x00000000bffe0000ULL, 0x0000000000020000ULL, RSV },
    { 0x00000000feffc000ULL, 0x0000000000004000ULL, RSV },
    { 0x00000000fffc0000ULL, 0x0000000000040000ULL, RSV },
    { 0x0000000100000000ULL, 0x0000000040000000ULL, RAM },
};

TEST(qemu_128)
{
    struct memmap_range prot[] = {
        { 0x200000, 0x3a1234 },         /* hypervisor image */
        { 0x3b0000, 0x9c3000 },         /* dom0 kernel module */
        { 0x9c3000, 0x9c3800 },         /* its command line */
        { 0x9000, 0x9400 },             /* multiboot info: below 1 MiB */
    };
    struct memmap_range fr[8];
    unsigned int nfr;

    CHECK_EQ(sanitise(qemu_128, ARRAY_SIZE(qemu_128)), 0);
    CHECK_EQ(nr_out, 6);
    CHECK(is(0, 0, 0x9f000, RAM));
    CHECK(is(1, 0x9fc00, 0xa0000, RSV));
    CHECK(is(2, 0xf0000, 0x100000, RSV));
    CHECK(is(3, 0x100000, 0x7fe0000, RAM));
    CHECK(is(4, 0x7fe0000, 0x8000000, RSV));
    CHECK(is(5, 0xfffc0000, 0x100000000ULL, RSV));
    CHECK_EQ(memmap_max_ram_pfn(out, nr_out), 0x7fe0);
    CHECK_EQ(memmap_ram_bytes(out, nr_out), 0x9f000 + 0x7ee0000);

    CHECK_EQ(memmap_free_ranges(out, nr_out, prot, ARRAY_SIZE(prot), fr, 8,
                                &nfr), 0);
    CHECK_EQ(nfr, 3);
    CHECK_EQ(fr[0].start, 0x100000);
    CHECK_EQ(fr[0].end, 0x200000);
    CHECK_EQ(fr[1].start, 0x3a2000);
    CHECK_EQ(fr[1].end, 0x3b0000);
    CHECK_EQ(fr[2].start, 0x9c4000);
    CHECK_EQ(fr[2].end, 0x7fe0000);
}

TEST(qemu_4096)
{
    struct memmap_range prot[] = {
        { 0x200000, 0x400000 },
        { 0xbff00000, 0xc0000000 },     /* module at the top of low RAM */
    };
    struct memmap_range fr[8];
    unsigned int nfr;

    CHECK_EQ(sanitise(qemu_4096, ARRAY_SIZE(qemu_4096)), 0);
    CHECK_EQ(nr_out, 8);
    CHECK(is(0, 0, 0x9f000, RAM));
    CHECK(is(3, 0x100000, 0xbffe0000, RAM));
    CHECK(is(4, 0xbffe0000, 0xc0000000, RSV));
    CHECK(is(5, 0xfeffc000, 0xff000000, RSV));
    CHECK(is(6, 0xfffc0000, GiB(4), RSV));
    CHECK(is(7, GiB(4), GiB(5), RAM));
    CHECK_EQ(memmap_max_ram_pfn(out, nr_out), GiB(5) >> PAGE_SHIFT);
    CHECK_EQ(memmap_ram_bytes(out, nr_out),
             0x9f000 + 0xbfee0000ULL + GiB(1));

    CHECK_EQ(memmap_free_ranges(out, nr_out, prot, ARRAY_SIZE(prot), fr, 8,
                                &nfr), 0);
    CHECK_EQ(nfr, 3);
    CHECK_EQ(fr[0].start, 0x100000);
    CHECK_EQ(fr[0].end, 0x200000);
    CHECK_EQ(fr[1].start, 0x400000);
    CHECK_EQ(fr[1].end, 0xbff00000);
    CHECK_EQ(fr[2].start, GiB(4));
    CHECK_EQ(fr[2].end, GiB(5));
}

TEST(print_format)
{
    CHECK_EQ(sanitise(qemu_128, ARRAY_SIZE(qemu_128)), 0);
    stub_printk_reset();
    memmap_print(out, nr_out);
    CHECK_STR(stub_printk_buf,
              "Keel-e820 RAM map:\n"
              " 0000000000000000 - 000000000009f000 (usable)\n"
              " 000000000009fc00 - 00000000000a0000 (reserved)\n"
              " 00000000000f0000 - 0000000000100000 (reserved)\n"
              " 0000000000100000 - 0000000007fe0000 (usable)\n"
              " 0000000007fe0000 - 0000000008000000 (reserved)\n"
              " 00000000fffc0000 - 0000000100000000 (reserved)\n");

    {
        const struct memmap_entry all[] = {
            { 0x1000, 0x1000, RAM }, { 0x2000, 0x10, RSV },
            { 0x3000, 0x10, ACPI }, { 0x4000, 0x10, NVS },
            { 0x5000, 0x10, BAD },
        };

        stub_printk_reset();
        memmap_print(all, ARRAY_SIZE(all));
        CHECK_STR(stub_printk_buf,
                  "Keel-e820 RAM map:\n"
                  " 0000000000001000 - 0000000000002000 (usable)\n"
                  " 0000000000002000 - 0000000000002010 (reserved)\n"
                  " 0000000000003000 - 0000000000003010 (ACPI data)\n"
                  " 0000000000004000 - 0000000000004010 (ACPI NVS)\n"
                  " 0000000000005000 - 0000000000005010 (unusable)\n");
    }
    CHECK_STR(memmap_type_name(77), "reserved");
}

/* ---- free ranges ------------------------------------------------------ */

static const struct memmap_entry two_ram[] = {
    { 0, 0x9f000, RAM },
    { MiB(1), MiB(15), RAM },           /* 1 MiB .. 16 MiB */
    { MiB(16), MiB(1), RSV },
    { MiB(32), MiB(32), RAM },          /* 32 MiB .. 64 MiB */
};

static struct memmap_range fr[16];
static unsigned int nfr;

static int free_ranges(const struct memmap_range *prot, unsigned int n)
{
    memset(fr, 0xcc, sizeof(fr));
    return memmap_free_ranges(two_ram, ARRAY_SIZE(two_ram), prot, n, fr,
                              ARRAY_SIZE(fr), &nfr);
}

static bool fr_is(unsigned int i, uint64_t s, uint64_t e)
{
    if ( i >= nfr || fr[i].start != s || fr[i].end != e )
    {
        printf("# range %u: %#llx-%#llx, expected %#llx-%#llx\n", i,
               (unsigned long long)fr[i].start,
               (unsigned long long)fr[i].end,
               (unsigned long long)s, (unsigned long long)e);
        return false;
    }
    return true;
}

TEST(free_low_mib_excluded)
{
    CHECK_EQ(free_ranges(NULL, 0), 0);
    CHECK_EQ(nfr, 2);
    CHECK(fr_is(0, MiB(1), MiB(16)));
    CHECK(fr_is(1, MiB(32), MiB(64)));
}

TEST(free_protected_at_edges_and_middle)
{
    const struct memmap_range prot[] = {
        { MiB(32), MiB(33) },               /* start of a range */
        { MiB(63), MiB(64) + 5 },           /* end, spilling past it */
        { MiB(40) + 1, MiB(41) - 1 },       /* middle, unaligned */
        { MiB(8), MiB(8) },                 /* empty: ignored */
    };

    CHECK_EQ(free_ranges(prot, ARRAY_SIZE(prot)), 0);
    CHECK_EQ(nfr, 3);
    CHECK(fr_is(0, MiB(1), MiB(16)));
    CHECK(fr_is(1, MiB(33), MiB(40)));
    CHECK(fr_is(2, MiB(41), MiB(63)));
}

TEST(free_protected_covering_and_overlapping)
{
    const struct memmap_range prot[] = {
        { MiB(20), MiB(70) },               /* swallows the 32-64 range */
        { MiB(2), MiB(4) },
        { MiB(3), MiB(5) },                 /* overlaps the previous */
        { MiB(5), MiB(6) },                 /* touches it */
        { 0x10, 0x20 },                     /* below 1 MiB anyway */
    };

    CHECK_EQ(free_ranges(prot, ARRAY_SIZE(prot)), 0);
    CHECK_EQ(nfr, 2);
    CHECK(fr_is(0, MiB(1), MiB(2)));
    CHECK(fr_is(1, MiB(6), MiB(16)));
}

TEST(free_inverted_protects_to_top)
{
    const struct memmap_range prot[] = {
        { MiB(10), MiB(9) },                /* wrapped: 10 MiB .. top */
    };
    const struct memmap_range top[] = {
        { MiB(12), UINT64_MAX },            /* rounding up would wrap */
    };

    CHECK_EQ(free_ranges(prot, 1), 0);
    CHECK_EQ(nfr, 1);
    CHECK(fr_is(0, MiB(1), MiB(10)));

    CHECK_EQ(free_ranges(top, 1), 0);
    CHECK_EQ(nfr, 1);
    CHECK(fr_is(0, MiB(1), MiB(12)));
}

TEST(free_errors)
{
    const struct memmap_range prot[] = {
        { MiB(2), MiB(3) }, { MiB(4), MiB(5) }, { MiB(34), MiB(35) },
    };
    const struct memmap_entry unsorted[] = {
        { MiB(4), MiB(1), RAM }, { MiB(2), MiB(1), RAM },
    };
    const struct memmap_entry unaligned[] = {
        { MiB(4), 0x800, RAM },
    };
    const struct memmap_entry overlap[] = {
        { MiB(4), MiB(2), RSV }, { MiB(5), MiB(2), RAM },
    };
    struct memmap_range two[2];
    unsigned int n = 77;

    CHECK_EQ(memmap_free_ranges(two_ram, ARRAY_SIZE(two_ram), prot, 3, two,
                                2, &n), -ENOSPC);
    CHECK_EQ(n, 2);
    CHECK_EQ(two[0].start, MiB(1));
    CHECK_EQ(two[1].start, MiB(3));

    CHECK_EQ(memmap_free_ranges(unsorted, 2, NULL, 0, two, 2, &n), -EINVAL);
    CHECK_EQ(memmap_free_ranges(unaligned, 1, NULL, 0, two, 2, &n), -EINVAL);
    CHECK_EQ(memmap_free_ranges(overlap, 2, NULL, 0, two, 2, &n), -EINVAL);
    CHECK_EQ(memmap_free_ranges(two_ram, 1, NULL, 1, two, 2, &n), -EINVAL);
}

/* ---- randomised comparison with a brute-force model ------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/*
 * Model: the address space [0, 64 pages) in 256-byte units.  Each unit
 * gets the most restrictive type of the raw entries covering it; a unit of
 * RAM survives iff its whole page lies inside one maximal RAM run.
 */
#define UNIT      256
#define NR_UNITS  (64 * PAGE_SIZE / UNIT)
#define PER_PAGE  (PAGE_SIZE / UNIT)

static int rank(uint32_t t)
{
    switch ( t )
    {
    case RAM: return 1;
    case ACPI: return 2;
    case NVS: return 3;
    case BAD: return 4;
    default: return 5;
    }
}

static const uint32_t by_rank[] = { 0, RAM, ACPI, NVS, BAD, RSV };

TEST(random_against_model)
{
    unsigned int iter;

    for ( iter = 0; iter < 3000; iter++ )
    {
        struct memmap_entry raw[12];
        unsigned int n = 1 + rng() % ARRAY_SIZE(raw), i, u;
        int model[NR_UNITS], got[NR_UNITS];

        memset(model, 0, sizeof(model));
        for ( i = 0; i < n; i++ )
        {
            unsigned int s = rng() % NR_UNITS;
            unsigned int len = rng() % (NR_UNITS / 4);
            uint32_t t = (rng() % 3) ? RAM : 1 + rng() % 6;

            if ( rng() % 4 == 0 )       /* page-aligned edges too */
            {
                s &= ~(PER_PAGE - 1);
                len &= ~(PER_PAGE - 1);
            }
            len = MIN(len, NR_UNITS - s);
            raw[i].addr = (uint64_t)s * UNIT;
            raw[i].len = (uint64_t)len * UNIT;
            raw[i].type = t;
            for ( u = s; u < s + len; u++ )
                model[u] = MAX(model[u], rank(t));
        }

        /* Trim RAM to whole pages inside maximal runs. */
        for ( u = 0; u < NR_UNITS; )
        {
            unsigned int a = u, b, x;

            if ( model[u] != 1 )
            {
                u++;
                continue;
            }
            for ( b = a; b < NR_UNITS && model[b] == 1; b++ )
                ;
            for ( x = a; x < b; x++ )
                if ( x < ROUNDUP(a, PER_PAGE) || x >= ROUNDDOWN(b, PER_PAGE) )
                    model[x] = 0;
            u = b;
        }

        CHECK_EQ(sanitise(raw, n), 0);
        CHECK(map_ok(out, nr_out));

        memset(got, 0, sizeof(got));
        for ( i = 0; i < nr_out; i++ )
            for ( u = out[i].addr / UNIT; u < (out[i].addr + out[i].len) / UNIT;
                  u++ )
                got[u] = rank(out[i].type);
        for ( u = 0; u < NR_UNITS; u++ )
            if ( got[u] != model[u] )
            {
                printf("# iteration %u: unit %u is %u, model says %u\n",
                       iter, u, by_rank[got[u]], by_rank[model[u]]);
                CHECK(0);
                break;
            }
        if ( harness_failed_case )
            break;
    }
}

TEST(random_free_ranges_against_model)
{
    /* Pages [0, 512): 2 MiB, so the low 1 MiB rule matters. */
    enum { NP = 512 };
    unsigned int iter;

    for ( iter = 0; iter < 2000; iter++ )
    {
        struct memmap_entry raw[8];
        struct memmap_range prot[6];
        unsigned int n = 1 + rng() % 8, np = rng() % 7, i, p;
        bool ram[NP], model[NP], got[NP];

        for ( i = 0; i < n; i++ )
        {
            uint64_t s = rng() % (NP * PAGE_SIZE);

            raw[i].addr = s;
            raw[i].len = rng() % ((NP * PAGE_SIZE - s) + 1);
            raw[i].type = (rng() % 3) ? RAM : RSV;
        }
        for ( i = 0; i < np; i++ )
        {
            prot[i].start = rng() % (NP * PAGE_SIZE);
            prot[i].end = prot[i].start + rng() % (64 * PAGE_SIZE);
        }

        CHECK_EQ(sanitise(raw, n), 0);
        memset(ram, 0, sizeof(ram));
        for ( i = 0; i < nr_out; i++ )
            if ( out[i].type == RAM )
                for ( p = out[i].addr / PAGE_SIZE;
                      p < (out[i].addr + out[i].len) / PAGE_SIZE; p++ )
                    ram[p] = true;
        for ( p = 0; p < NP; p++ )
        {
            uint64_t a = (uint64_t)p * PAGE_SIZE;

            model[p] = ram[p] && a >= MEMMAP_LOW_RESERVE;
            for ( i = 0; i < np; i++ )
                if ( prot[i].end > prot[i].start &&
                     prot[i].start < a + PAGE_SIZE && prot[i].end > a )
                    model[p] = false;
        }

        CHECK_EQ(memmap_free_ranges(out, nr_out, prot, np, fr,
                                    ARRAY_SIZE(fr), &nfr), 0);
        memset(got, 0, sizeof(got));
        for ( i = 0; i < nfr; i++ )
        {
            CHECK(fr[i].start < fr[i].end);
            CHECK(!((fr[i].start | fr[i].end) & (PAGE_SIZE - 1)));
            CHECK(i == 0 || fr[i].start > fr[i - 1].end);
            for ( p = fr[i].start / PAGE_SIZE; p < fr[i].end / PAGE_SIZE; p++ )
                got[p] = true;
        }
        CHECK(memcmp(got, model, sizeof(got)) == 0);
        if ( harness_failed_case )
        {
            printf("# iteration %u\n", iter);
            break;
        }
    }
}

int main(void)
{
    RUN(empty);
    RUN(unsorted);
    RUN(overlapping_ram_merges);
    RUN(reserved_beats_ram_both_directions);
    RUN(containment);
    RUN(type_priority);
    RUN(unknown_type_is_reserved);
    RUN(adjacent_different_types_kept_apart);
    RUN(zero_length_ignored);
    RUN(unaligned_edges);
    RUN(unaligned_pieces_merge_before_rounding);
    RUN(wrap_around_clipped);
    RUN(too_many_entries);
    RUN(sliver_does_not_cost_a_slot);
    RUN(qemu_128);
    RUN(qemu_4096);
    RUN(print_format);
    RUN(free_low_mib_excluded);
    RUN(free_protected_at_edges_and_middle);
    RUN(free_protected_covering_and_overlapping);
    RUN(free_inverted_protects_to_top);
    RUN(free_errors);
    RUN(random_against_model);
    RUN(random_free_ranges_against_model);
    HARNESS_EXIT();
}
