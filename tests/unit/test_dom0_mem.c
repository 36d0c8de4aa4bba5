/*
 * Host tests for dom0_mem= (common/dom0_params.c, linked unmodified with
 * common/cmdline.c): the list syntax, the rejection of malformed values
 * without partial effect, and the arithmetic that turns the option into
 * dom0's page count.
 */
#include "harness.h"
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/param.h>
#include <keel/dom0_params.h>

#define MiB(n) ((unsigned long)(n) << (20 - PAGE_SHIFT))   /* in pages */
#define GiB(n) ((unsigned long)(n) << (30 - PAGE_SHIFT))

static void parse(const char *line)
{
    dom0_params_reset();
    stub_printk_reset();
    cmdline_parse(line);
}

static char expect_buf[256];

static const char *invalid_msg(const char *val, int rc)
{
    snprintf(expect_buf, sizeof(expect_buf),
             KLOG_WARNING "parameter \"dom0_mem\" has invalid value \"%s\", "
             "rc=%d!\n", val, rc);
    return expect_buf;
}

#define CHECK_SZ(sz, minus_, pct, pages) do {                               \
    CHECK((sz).set);                                                        \
    CHECK_EQ((sz).minus, minus_);                                           \
    CHECK_EQ((sz).percent, pct);                                            \
    CHECK_EQ((sz).nr_pages, pages);                                         \
} while ( 0 )

/* ---- syntax ------------------------------------------------------------------ */

TEST(plain_sizes)
{
    parse("dom0_mem=512M");
    CHECK_SZ(opt_dom0_mem.size, 0, 0, MiB(512));
    CHECK(!opt_dom0_mem.min.set);
    CHECK(!opt_dom0_mem.max.set);
    parse("dom0_mem=4096");                     /* KiB */
    CHECK_SZ(opt_dom0_mem.size, 0, 0, 1024);
    parse("dom0_mem=4097");                     /* rounded down to pages */
    CHECK_SZ(opt_dom0_mem.size, 0, 0, 1024);
    parse("dom0_mem=2g");
    CHECK_SZ(opt_dom0_mem.size, 0, 0, GiB(2));
    parse("dom0_mem=1T");
    CHECK_SZ(opt_dom0_mem.size, 0, 0, GiB(1024));
    parse("dom0_mem=8192B");
    CHECK_SZ(opt_dom0_mem.size, 0, 0, 2);
    parse("dom0_mem=0x100M");
    CHECK_SZ(opt_dom0_mem.size, 0, 0, MiB(256));
    CHECK_STR(stub_printk_buf, "");
}

TEST(percentages)
{
    parse("dom0_mem=25%");
    CHECK_SZ(opt_dom0_mem.size, 0, 25, 0);
    parse("dom0_mem=0%");
    CHECK_SZ(opt_dom0_mem.size, 0, 0, 0);
    parse("dom0_mem=99%");
    CHECK_SZ(opt_dom0_mem.size, 0, 99, 0);
    parse("dom0_mem=1G+25%");
    CHECK_SZ(opt_dom0_mem.size, 0, 25, GiB(1));
    parse("dom0_mem=10+5%");                    /* 10 KiB: two pages */
    CHECK_SZ(opt_dom0_mem.size, 0, 5, 2);
    CHECK_STR(stub_printk_buf, "");
}

TEST(negative_amounts)
{
    parse("dom0_mem=-512M");
    CHECK_SZ(opt_dom0_mem.size, 1, 0, MiB(512));
    parse("dom0_mem=-10%");
    CHECK_SZ(opt_dom0_mem.size, 1, 10, 0);
    parse("dom0_mem=-1G+10%");
    CHECK_SZ(opt_dom0_mem.size, 1, 10, GiB(1));
    CHECK_STR(stub_printk_buf, "");
}

TEST(min_and_max_items)
{
    parse("dom0_mem=min:1G,max:2G");
    CHECK(!opt_dom0_mem.size.set);
    CHECK_SZ(opt_dom0_mem.min, 0, 0, GiB(1));
    CHECK_SZ(opt_dom0_mem.max, 0, 0, GiB(2));
    parse("dom0_mem=512M,max:512M");
    CHECK_SZ(opt_dom0_mem.size, 0, 0, MiB(512));
    CHECK_SZ(opt_dom0_mem.max, 0, 0, MiB(512));
    parse("dom0_mem=max:-1G,min:50%,1G+1%");
    CHECK_SZ(opt_dom0_mem.max, 1, 0, GiB(1));
    CHECK_SZ(opt_dom0_mem.min, 0, 50, 0);
    CHECK_SZ(opt_dom0_mem.size, 0, 1, GiB(1));
    parse("dom0_mem=1G,2G");                    /* later item wins */
    CHECK_SZ(opt_dom0_mem.size, 0, 0, GiB(2));
    parse("dom0_mem=1G dom0_mem=max:3G");       /* words accumulate */
    CHECK_SZ(opt_dom0_mem.size, 0, 0, GiB(1));
    CHECK_SZ(opt_dom0_mem.max, 0, 0, GiB(3));
    CHECK_STR(stub_printk_buf, "");
}

TEST(malformed_values)
{
    static const struct { const char *val; int rc; } bad[] = {
        { "12Q", -EINVAL }, { "", -EINVAL }, { "100%", -ERANGE },
        { "1G+100%", -ERANGE }, { "1G+", -EINVAL }, { "1G+25", -EINVAL },
        { "25%+1G", -EINVAL }, { "1G+2G", -EINVAL }, { "min:", -EINVAL },
        { "max:abc", -EINVAL }, { "mid:1G", -EINVAL }, { "1G,", -EINVAL },
        { ",1G", -EINVAL }, { "1G,,2G", -EINVAL }, { "--1G", -EINVAL },
        { "1G%", -EINVAL }, { "-", -EINVAL }, { "%", -EINVAL },
        { "max=1G", -EINVAL }, { "MAX:1G", -EINVAL }, { "1G+-5%", -EINVAL },
        { "99999999999999999999", -EOVERFLOW }, { "16777216T", -EOVERFLOW },
        { "1G+99999999999999999999%", -EOVERFLOW },
        { "512M,max:bogus", -EINVAL }, { "min:1G,max:2G,x", -EINVAL },
    };
    unsigned int i;
    char line[96];

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        snprintf(line, sizeof(line), "dom0_mem=%s", bad[i].val);
        parse(line);
        CHECK_STR(stub_printk_buf, invalid_msg(bad[i].val, bad[i].rc));
        /* Nothing half-applied. */
        CHECK(!opt_dom0_mem.size.set);
        CHECK(!opt_dom0_mem.min.set);
        CHECK(!opt_dom0_mem.max.set);
    }

    parse("dom0_mem");
    CHECK_STR(stub_printk_buf, invalid_msg("", -EINVAL));
    parse("no-dom0_mem");
    CHECK_STR(stub_printk_buf, KLOG_WARNING "parameter \"no-dom0_mem\" has "
              "invalid value \"\", rc=-22!\n");

    /* A bad word after a good one keeps the good one. */
    parse("dom0_mem=1G dom0_mem=2G,max:x");
    CHECK_SZ(opt_dom0_mem.size, 0, 0, GiB(1));
    CHECK(!opt_dom0_mem.max.set);
}

/* ---- arithmetic ---------------------------------------------------------------- */

TEST(default_rule_small_memory)
{
    parse("");
    /* 4 MiB: 1/16 is smaller than 128 MiB. */
    CHECK_EQ(dom0_compute_nr_pages(1024), 1024 - 64);
    /* 1 GiB: reserve 64 MiB. */
    CHECK_EQ(dom0_compute_nr_pages(GiB(1)), GiB(1) - MiB(64));
    /* 2 GiB: 1/16 is exactly 128 MiB. */
    CHECK_EQ(dom0_compute_nr_pages(GiB(2)), GiB(2) - MiB(128));
    CHECK_EQ(dom0_compute_nr_pages(15), 15);    /* 15/16 rounds to 0 */
    CHECK_EQ(dom0_compute_nr_pages(0), 0);
}

TEST(default_rule_large_memory)
{
    parse("");
    CHECK_EQ(dom0_compute_nr_pages(GiB(64)), GiB(64) - MiB(128));
    CHECK_EQ(dom0_compute_nr_pages(GiB(2) + 16), GiB(2) + 16 - MiB(128));
    CHECK_EQ(dom0_compute_nr_pages(GiB(1024)), GiB(1024) - MiB(128));
    CHECK(dom0_compute_max_pages(GiB(64)) == ~0UL);
}

TEST(absolute_sizes)
{
    parse("dom0_mem=512M");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), MiB(512));
    CHECK(dom0_compute_max_pages(GiB(4)) == ~0UL);
    parse("dom0_mem=8G");                       /* never above available */
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(4));
    parse("dom0_mem=0");                        /* zero: default rule */
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(4) - MiB(128));
}

TEST(percent_sizes)
{
    parse("dom0_mem=25%");
    CHECK_EQ(dom0_compute_nr_pages(1000000), 250000);
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(1));
    /* The documented example: 1G+25% of a 256 GiB host is 65 GiB. */
    parse("dom0_mem=1G+25%");
    CHECK_EQ(dom0_compute_nr_pages(GiB(256)), GiB(65));
    /* Rounded down, computed without overflow even at the extreme. */
    parse("dom0_mem=99%");
    CHECK_EQ(dom0_compute_nr_pages(199), 197);
    CHECK(dom0_compute_nr_pages(~0UL) ==
          (unsigned long)((unsigned __int128)~0UL * 99 / 100));
}

TEST(all_but)
{
    parse("dom0_mem=-512M");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(4) - MiB(512));
    parse("dom0_mem=-10%");
    CHECK_EQ(dom0_compute_nr_pages(1000), 900);
    parse("dom0_mem=-1G+25%");
    CHECK_EQ(dom0_compute_nr_pages(GiB(8)), GiB(8) - GiB(1) - GiB(2));
    /* More than there is: nothing left, so the default rule applies. */
    parse("dom0_mem=-8G");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(4) - MiB(128));
}

TEST(min_clamp)
{
    parse("dom0_mem=512M,min:1G");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(1));
    parse("dom0_mem=min:2G");                   /* above the default */
    CHECK_EQ(dom0_compute_nr_pages(GiB(2)), GiB(2));
    parse("dom0_mem=min:2G");                   /* below the default */
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(4) - MiB(128));
    parse("dom0_mem=min:8G");                   /* never above available */
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(4));
    parse("dom0_mem=10%,min:50%");
    CHECK_EQ(dom0_compute_nr_pages(1000), 500);
}

TEST(max_clamp)
{
    parse("dom0_mem=max:1G");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(1));
    CHECK_EQ(dom0_compute_max_pages(GiB(4)), GiB(1));
    parse("dom0_mem=512M,max:1G");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), MiB(512));
    CHECK_EQ(dom0_compute_max_pages(GiB(4)), GiB(1));
    parse("dom0_mem=max:-1G");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(3));
    CHECK_EQ(dom0_compute_max_pages(GiB(4)), GiB(3));
    parse("dom0_mem=max:50%");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(2));
}

TEST(max_beats_min)
{
    parse("dom0_mem=min:2G,max:1G");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(1));
    parse("dom0_mem=3G,min:2G,max:1G");
    CHECK_EQ(dom0_compute_nr_pages(GiB(4)), GiB(1));
}

TEST(never_above_available)
{
    static const char *const lines[] = {
        "", "dom0_mem=1T", "dom0_mem=min:1T", "dom0_mem=1G+99%",
        "dom0_mem=min:1T,max:2T", "dom0_mem=16777215T",
    };
    static const unsigned long avail[] = { 0, 1, 100, GiB(1), GiB(300), ~0UL };
    unsigned int i, j;

    for ( i = 0; i < ARRAY_SIZE(lines); i++ )
    {
        parse(lines[i]);
        for ( j = 0; j < ARRAY_SIZE(avail); j++ )
            CHECK(dom0_compute_nr_pages(avail[j]) <= avail[j]);
    }
}

TEST(memsize_pages_direct)
{
    struct dom0_memsize sz = { .set = true, .nr_pages = ~0UL - 5,
                               .percent = 50 };

    CHECK(dom0_memsize_pages(&sz, 1000) == ~0UL);   /* saturates */
    sz.minus = true;
    CHECK_EQ(dom0_memsize_pages(&sz, 1000), 0);
    sz = (struct dom0_memsize){ .set = true, .nr_pages = 10, .percent = 1 };
    CHECK_EQ(dom0_memsize_pages(&sz, 1000), 20);
    sz.minus = true;
    CHECK_EQ(dom0_memsize_pages(&sz, 1000), 980);

    {
        struct dom0_mem_cfg cfg = { .max = { .set = true, .nr_pages = 7 } };

        CHECK_EQ(dom0_mem_compute(&cfg, 1000), 7);
    }
}

int main(void)
{
    RUN(plain_sizes);
    RUN(percentages);
    RUN(negative_amounts);
    RUN(min_and_max_items);
    RUN(malformed_values);
    RUN(default_rule_small_memory);
    RUN(default_rule_large_memory);
    RUN(absolute_sizes);
    RUN(percent_sizes);
    RUN(all_but);
    RUN(min_clamp);
    RUN(max_clamp);
    RUN(max_beats_min);
    RUN(never_above_available);
    RUN(memsize_pages_direct);
    HARNESS_EXIT();
}
