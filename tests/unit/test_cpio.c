/*
 * Host tests of the newc cpio reader (tools/libs/util/cpio.c): archives
 * made here byte by byte, and one made by the host's cpio(1) when it is
 * installed; hostile headers refused without reading outside the buffer.
 */
#include "harness.h"
#include <cpio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t arc[8192];
static size_t arc_len;

static void member(const char *name, uint32_t mode, const char *data,
                   size_t size)
{
    size_t nl = strlen(name) + 1;

    arc_len += sprintf((char *)arc + arc_len,
                       "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
                       "%08X%08X%08X", 1u, mode, 0u, 0u, 1u, 0u,
                       (unsigned int)size, 0u, 0u, 0u, 0u,
                       (unsigned int)nl, 0u);
    memcpy(arc + arc_len, name, nl);
    arc_len += nl;
    while ( arc_len % 4 )
        arc[arc_len++] = 0;
    memcpy(arc + arc_len, data, size);
    arc_len += size;
    while ( arc_len % 4 )
        arc[arc_len++] = 0;
}

static void sample(void)
{
    arc_len = 0;
    memset(arc, 0, sizeof(arc));
    member("etc", 040755, "", 0);
    member("etc/keel", 040755, "", 0);
    member("etc/keel/a.cfg", 0100644, "name = \"a\"\n", 11);
    member("boot/spin", 0100644, "\x7f" "ELFxyz", 7);
    member("empty", 0100644, "", 0);
    member("TRAILER!!!", 0, "", 0);
}

TEST(finds_files)
{
    struct cpio_entry e;
    const char *why = NULL;

    sample();
    CHECK_EQ(0, cpio_find(arc, arc_len, "etc/keel/a.cfg", &e, &why));
    CHECK_EQ(11, e.size);
    CHECK(!memcmp(e.data, "name = \"a\"\n", 11));
    CHECK_EQ(0, cpio_find(arc, arc_len, "/boot/spin", &e, &why));
    CHECK_EQ(7, e.size);
    CHECK_EQ(0, cpio_find(arc, arc_len, "./empty", &e, &why));
    CHECK_EQ(0, e.size);
    CHECK_EQ(-2, cpio_find(arc, arc_len, "etc/keel", &e, &why));   /* dir */
    CHECK_EQ(-2, cpio_find(arc, arc_len, "missing", &e, &why));
}

TEST(walks_in_order_and_stops_at_trailer)
{
    struct cpio_iter it;
    struct cpio_entry e;
    unsigned int n = 0;

    sample();
    member("after-trailer", 0100644, "x", 1);
    cpio_begin(&it, arc, arc_len);
    while ( cpio_next(&it, &e, NULL) == 1 )
        n++;
    CHECK_EQ(5, n);
    CHECK_EQ(0, cpio_next(&it, &e, NULL));
}

TEST(hostile_archives)
{
    struct cpio_entry e;
    const char *why = NULL;
    size_t cut;

    /* Every truncation: an error or not found, never a read past it. */
    sample();
    for ( cut = 0; cut < arc_len; cut++ )
    {
        uint8_t *copy = malloc(cut ? cut : 1);
        int rc;

        memcpy(copy, arc, cut);
        rc = cpio_find(copy, cut, "boot/spin", &e, &why);
        CHECK(rc == -22 || rc == -2 || (rc == 0 && cut >= 0x1a0));
        free(copy);
    }

    /* Bad magic, non-hex field, huge file size, unterminated name. */
    sample();
    arc[0] = 'x';
    CHECK_EQ(-22, cpio_find(arc, arc_len, "empty", &e, &why));
    CHECK_STR("not a newc cpio header (magic 070701)", why);
    sample();
    arc[6 + 8 * 6] = 'g';
    CHECK_EQ(-22, cpio_find(arc, arc_len, "empty", &e, &why));
    CHECK_STR("header field is not hexadecimal", why);
    sample();
    memcpy(arc + 6 + 8 * 6, "FFFFFFFF", 8);
    CHECK_EQ(-22, cpio_find(arc, arc_len, "empty", &e, &why));
    CHECK_STR("file data runs past the archive", why);
    sample();
    arc[110 + 3] = 'X';                 /* "etc" loses its NUL */
    CHECK_EQ(-22, cpio_find(arc, arc_len, "empty", &e, &why));
    CHECK_STR("name truncated or not terminated", why);
    sample();
    memcpy(arc + 6 + 8 * 11, "00000000", 8);
    CHECK_EQ(-22, cpio_find(arc, arc_len, "empty", &e, &why));
}

TEST(host_cpio_archive)
{
    struct cpio_entry e;
    FILE *p;
    static uint8_t buf[65536];
    size_t n;

    if ( system("command -v cpio >/dev/null 2>&1") != 0 )
    {
        printf("# cpio(1) not installed: skipped\n");
        return;
    }
    p = popen("d=$(mktemp -d) && cd $d && mkdir -p etc/keel && "
              "printf 'vcpus = 2\\n' > etc/keel/b.cfg && "
              "find . | cpio -o -H newc 2>/dev/null; rm -rf $d", "r");
    n = fread(buf, 1, sizeof(buf), p);
    pclose(p);
    CHECK(n > 0);
    CHECK_EQ(0, cpio_find(buf, n, "etc/keel/b.cfg", &e, NULL));
    CHECK_EQ(10, e.size);
}

int main(void)
{
    RUN(finds_files);
    RUN(walks_in_order_and_stops_at_trailer);
    RUN(hostile_archives);
    RUN(host_cpio_archive);
    HARNESS_EXIT();
}
