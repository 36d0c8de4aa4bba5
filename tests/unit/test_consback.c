/*
 * Host tests of the PV console backend core (tools/console/consback.c):
 * output and input through a ring page as a guest would fill it, index
 * wrap-around at 2^32, a hostile guest's impossible indices, and the
 * line logger's treatment of control characters.
 */
#include "harness.h"
#include <consback.h>
#include <string.h>

static struct xencons_interface page;
static struct cons_ring ring = { &page, false };

static void reset(uint32_t start)
{
    memset(&page, 0, sizeof(page));
    page.out_cons = page.out_prod = page.in_cons = page.in_prod = start;
    ring.broken = false;
}

static void guest_write(const char *s)
{
    for ( ; *s; s++ )
        page.out[MASK_XENCONS_IDX(page.out_prod++, page.out)] = *s;
}

TEST(output_moves_and_wraps)
{
    char buf[64];
    size_t n;

    reset(0xfffffffa);                  /* indices wrap during the test */
    guest_write("hello, world\n");
    n = cons_read_out(&ring, buf, sizeof(buf));
    CHECK_EQ(13, n);
    CHECK(!memcmp(buf, "hello, world\n", 13));
    CHECK_EQ(page.out_prod, page.out_cons);
    CHECK_EQ(0, cons_read_out(&ring, buf, sizeof(buf)));

    /* A short buffer takes part; the rest stays for the next call. */
    guest_write("0123456789");
    CHECK_EQ(4, cons_read_out(&ring, buf, 4));
    CHECK(!memcmp(buf, "0123", 4));
    CHECK_EQ(6, cons_read_out(&ring, buf, sizeof(buf)));
    CHECK(!memcmp(buf, "456789", 6));
}

TEST(input_fills_to_the_ring_size)
{
    static char big[2000];
    size_t n;

    reset(5);
    memset(big, 'k', sizeof(big));
    n = cons_write_in(&ring, big, sizeof(big));
    CHECK_EQ(sizeof(page.in), n);
    CHECK_EQ(5 + sizeof(page.in), page.in_prod);
    CHECK_EQ(0, cons_write_in(&ring, "x", 1));
    page.in_cons += 10;                 /* the guest took ten */
    CHECK_EQ(10, cons_write_in(&ring, big, sizeof(big)));
}

TEST(hostile_indices_break_the_ring)
{
    char buf[64];

    reset(0);
    page.out_prod = sizeof(page.out) + 1;  /* more than a ring ahead */
    CHECK_EQ(0, cons_read_out(&ring, buf, sizeof(buf)));
    CHECK(ring.broken);
    page.out_prod = 3;                  /* sane again: still ignored */
    CHECK_EQ(0, cons_read_out(&ring, buf, sizeof(buf)));
    CHECK_EQ(0, cons_write_in(&ring, "x", 1));

    reset(100);
    page.in_cons = 50;                  /* consumer behind by too much? */
    page.in_prod = 100 + sizeof(page.in) + 7;
    CHECK_EQ(0, cons_write_in(&ring, "x", 1));
    CHECK(ring.broken);
}

static char lines[8][CONS_LINE_MAX + 1];
static unsigned int nr_lines;

static void emit(void *priv, const char *line)
{
    if ( nr_lines < 8 )
        strcpy(lines[nr_lines], line);
    nr_lines++;
}

TEST(lines_are_cut_and_cleaned)
{
    struct cons_lines l = { .len = 0 };
    char longline[400];

    nr_lines = 0;
    cons_lines_feed(&l, "one\r\ntw", 7, emit, NULL);
    CHECK_EQ(1, nr_lines);
    CHECK_STR("one", lines[0]);
    cons_lines_feed(&l, "o\x1b[2J\tend\n", 10, emit, NULL);
    CHECK_EQ(2, nr_lines);
    CHECK_STR("two?[2J\tend", lines[1]);
    memset(longline, 'a', sizeof(longline));
    cons_lines_feed(&l, longline, sizeof(longline), emit, NULL);
    CHECK_EQ(4, nr_lines);              /* two full lines, 80 left over */
    CHECK_EQ(CONS_LINE_MAX, strlen(lines[2]));
    CHECK_EQ(400 - 2 * CONS_LINE_MAX, l.len);
}

int main(void)
{
    RUN(output_moves_and_wraps);
    RUN(input_fills_to_the_ring_size);
    RUN(hostile_indices_break_the_ring);
    RUN(lines_are_cut_and_cleaned);
    HARNESS_EXIT();
}
