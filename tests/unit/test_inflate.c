/*
 * Host tests for common/lib/inflate.c.  Streams come from two places: the
 * small encoder in deflate_encoder.h (stored, fixed and dynamic blocks with
 * exactly the literals, matches and code lengths a case needs, including
 * invalid ones), and the host's gzip(1) for round trips of large data.
 * Output buffers carry a canary past out_max to catch any overrun.
 */
#include "harness.h"
#include <keel/types.h>
#include <keel/errno.h>
#include <keel/inflate.h>
#include <stdint.h>
#include <unistd.h>
#include "deflate_encoder.h"

static struct inflate_ws ws;

/* ---- output with canary -------------------------------------------------- */

#define CANARY 64
static uint8_t out[(4 << 20) + CANARY];
static size_t out_len;

static int run_gunzip(const uint8_t *in, size_t n, size_t max)
{
    int rc;

    memset(out + max, 0xa5, CANARY);
    out_len = 12345;
    rc = gunzip_ws(&ws, in, n, out, max, &out_len);
    for ( size_t i = 0; i < CANARY; i++ )
        if ( out[max + i] != 0xa5 )
        {
            printf("# canary overwritten at out_max + %zu\n", i);
            return -9999;
        }
    return rc;
}

static bool out_is(const uint8_t *want, size_t n)
{
    return out_len == n && !memcmp(out, want, n);
}

/* ---- host gzip ----------------------------------------------------------- */

/* gz = `gzip -<level> -c` of data; false if gzip is unavailable. */
static bool host_gzip(const uint8_t *data, size_t n, int level,
                      const char *extra)
{
    char in_path[] = "/tmp/keel-inflate-XXXXXX", cmd[256];
    FILE *f;
    int fd;
    bool ok;

    fd = mkstemp(in_path);
    if ( fd < 0 )
        return false;
    f = fdopen(fd, "wb");
    ok = fwrite(data, 1, n, f) == n;
    fclose(f);
    snprintf(cmd, sizeof(cmd), "gzip -%d %s -c < %s", level, extra, in_path);
    f = ok ? popen(cmd, "r") : NULL;
    if ( f )
    {
        gz_len = fread(gz, 1, sizeof(gz), f);
        ok = pclose(f) == 0 && gz_len > 0 && gz_len < sizeof(gz);
    }
    else
        ok = false;
    unlink(in_path);
    return ok;
}

/* xorshift: deterministic test data */
static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng >> 32;
}

static uint8_t data[4 << 20];

/* Text-like data with repeats near and far, some random runs. */
static void make_data(size_t n)
{
    static const char *words[] = { "hypervisor ", "page ", "table ", "grant ",
        "event ", "channel ", "domain ", "xen ", "keel ", "\n", "0x1234 " };
    size_t i = 0;

    while ( i < n )
    {
        uint32_t r = rnd() % 100;

        if ( r < 70 )
        {
            const char *w = words[rnd() % 11];

            while ( *w && i < n )
                data[i++] = *w++;
        }
        else if ( r < 90 && i > 40000 )
        {
            size_t from = i - 1 - rnd() % 32768, len = 3 + rnd() % 300;

            while ( len-- && i < n )
                data[i++] = data[from++];
        }
        else
        {
            size_t len = rnd() % 64;

            while ( len-- && i < n )
                data[i++] = rnd();
        }
    }
}

/* ---- tests --------------------------------------------------------------- */

TEST(empty_input)
{
    CHECK_EQ(run_gunzip(gz, 0, 16), -EINVAL);
    CHECK_EQ(out_len, 0);
    /* An empty file compressed: valid, no output. */
    bw_reset();
    fixed_header(true);
    eob();
    wrap_gzip(NULL, 0);
    CHECK_EQ(gz_len, 20);
    CHECK_EQ(run_gunzip(gz, gz_len, 0), 0);
    CHECK_EQ(out_len, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 16), 0);
    CHECK_EQ(out_len, 0);
}

TEST(stored_blocks)
{
    static const uint8_t a[] = "stored block one, ", b[] = "and two";

    bw_reset();
    stored(false, a, sizeof(a) - 1);
    stored(false, NULL, 0);             /* empty stored block */
    stored(true, b, sizeof(b) - 1);
    wrap_gzip((const uint8_t *)"stored block one, and two", 25);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    CHECK(out_is((const uint8_t *)"stored block one, and two", 25));

    /* A full 65535-byte stored block. */
    for ( size_t i = 0; i < 65535; i++ )
        data[i] = rnd();
    bw_reset();
    stored(true, data, 65535);
    wrap_gzip(data, 65535);
    CHECK_EQ(run_gunzip(gz, gz_len, 65535), 0);
    CHECK(out_is(data, 65535));

    /* NLEN not the complement of LEN. */
    bw_reset();
    stored(true, a, 4);
    wrap_gzip(a, 4);
    gz[13] ^= 1;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
}

TEST(fixed_literals)
{
    static const char msg[] = "Hello, Keel! \x00\xff\x80";
    size_t i;

    bw_reset();
    fixed_header(true);
    for ( i = 0; i < sizeof(msg); i++ )
        lit(msg[i]);
    eob();
    wrap_gzip((const uint8_t *)msg, sizeof(msg));
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    CHECK(out_is((const uint8_t *)msg, sizeof(msg)));
}

/* Every match length 3..258 at several distances, checked byte for byte. */
TEST(all_lengths)
{
    static const unsigned int dists[] = { 1, 2, 3, 7, 100, 1000 };
    size_t n = 0, i;
    unsigned int len, d, k;

    bw_reset();
    fixed_header(true);
    for ( i = 0; i < 1000; i++ )
    {
        data[n] = rnd();
        lit(data[n++]);
    }
    for ( k = 0; k < 6; k++ )
        for ( len = 3; len <= 258; len++ )
        {
            d = dists[k];
            match(len, d);
            for ( i = 0; i < len; i++, n++ )
                data[n] = data[n - d];
        }
    eob();
    wrap_gzip(data, n);
    CHECK_EQ(run_gunzip(gz, gz_len, sizeof(out) - CANARY), 0);
    CHECK(out_is(data, n));
}

/* Distances out to the full 32 KiB window, and one byte beyond the data. */
TEST(long_distances)
{
    static const unsigned int dists[] = { 32768, 32767, 24577, 16385, 8193,
                                          4097, 2049, 1025, 513, 257, 129 };
    size_t n = 0, i;
    unsigned int k;

    for ( i = 0; i < 32768; i++ )
        data[i] = rnd();
    bw_reset();
    stored(false, data, 32768);
    n = 32768;
    fixed_header(true);
    for ( k = 0; k < 11; k++ )
    {
        match(258, dists[k]);
        for ( i = 0; i < 258; i++, n++ )
            data[n] = data[n - dists[k]];
    }
    eob();
    wrap_gzip(data, n);
    CHECK_EQ(run_gunzip(gz, gz_len, sizeof(out) - CANARY), 0);
    CHECK(out_is(data, n));

    /* Distance 1 with no data yet; distance 5 after 4 bytes. */
    bw_reset();
    fixed_header(true);
    match(3, 1);
    eob();
    wrap_gzip(data, 3);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    bw_reset();
    fixed_header(true);
    for ( i = 0; i < 4; i++ )
        lit('a');
    match(3, 5);
    eob();
    wrap_gzip(data, 7);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
}

TEST(fixed_invalid_symbols)
{
    /* Length symbols 286 and 287 and distance symbols 30 and 31. */
    for ( unsigned int s = 286; s <= 287; s++ )
    {
        bw_reset();
        fixed_header(true);
        lit('x');
        sym(s);
        put_code(cur_d[0], 5);
        eob();
        wrap_gzip(data, 0);
        CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    }
    for ( unsigned int s = 30; s <= 31; s++ )
    {
        bw_reset();
        fixed_header(true);
        lit('x');
        sym(257);
        put_code(cur_d[s], 5);
        eob();
        wrap_gzip(data, 0);
        CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    }
}

TEST(reserved_block_type)
{
    bw_reset();
    put_bits(1, 1);
    put_bits(3, 2);
    put_bits(0, 16);
    wrap_gzip(data, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
}

/* Dynamic block with literals "ab" (1 bit each) + EOB, no distances... */
static void dyn_lits_only(unsigned int hdist, const uint8_t *d)
{
    static uint8_t ll[257];

    memset(ll, 0, sizeof(ll));
    ll['a'] = 2;
    ll['b'] = 2;
    ll[256] = 1;
    bw_reset();
    dyn_plain(true, ll, 257, d, hdist);
    lit('a');
    lit('b');
    lit('b');
    eob();
    wrap_gzip((const uint8_t *)"abb", 3);
}

TEST(dynamic_hand_built)
{
    uint8_t d[32] = { 0 };
    uint8_t ll[288];

    /* No distance codes at all (HDIST 1, length 0): allowed. */
    dyn_lits_only(1, d);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    CHECK(out_is((const uint8_t *)"abb", 3));

    /* One distance code of length 1 (incomplete, allowed), used. */
    memset(ll, 0, sizeof(ll));
    ll['a'] = 1;
    ll[256] = 2;
    ll[257] = 2;                        /* length 3 */
    d[0] = 0;
    d[3] = 1;                           /* distance 4 */
    bw_reset();
    dyn_plain(true, ll, 258, d, 4);
    lit('a');
    lit('a');
    lit('a');
    lit('a');
    match(3, 4);
    eob();
    wrap_gzip((const uint8_t *)"aaaaaaa", 7);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    CHECK(out_is((const uint8_t *)"aaaaaaa", 7));

    /* Same, with the unused half of the distance code sent: refused. */
    bw_reset();
    dyn_plain(true, ll, 258, d, 4);
    lit('a');
    lit('a');
    lit('a');
    lit('a');
    sym(257);
    put_bits(1, 1);                     /* the missing code "1" */
    eob();
    wrap_gzip((const uint8_t *)"aaaaaaa", 7);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);

    /* Two distance codes of length 2: incomplete, refused. */
    memset(d, 0, sizeof(d));
    d[0] = 2;
    d[1] = 2;
    dyn_lits_only(2, d);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);

    /* Over-subscribed distance code: three codes of length 1. */
    d[0] = d[1] = d[2] = 1;
    dyn_lits_only(3, d);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
}

TEST(dynamic_bad_litlen)
{
    uint8_t ll[288], d[1] = { 0 };

    /* Incomplete literal/length code (three codes of length 2). */
    memset(ll, 0, sizeof(ll));
    ll['a'] = 2;
    ll['b'] = 2;
    ll[256] = 2;
    bw_reset();
    dyn_plain(true, ll, 257, d, 1);
    lit('a');
    eob();
    wrap_gzip((const uint8_t *)"a", 1);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);

    /* Over-subscribed literal/length code. */
    ll['c'] = 1;
    bw_reset();
    dyn_plain(true, ll, 257, d, 1);
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);

    /* No end-of-block code: refused at once, not after the literals. */
    memset(ll, 0, sizeof(ll));
    ll['a'] = 1;
    ll['b'] = 1;
    bw_reset();
    dyn_plain(true, ll, 257, d, 1);
    for ( unsigned int i = 0; i < 100; i++ )
        lit('a');
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 10), -EINVAL);

    /* A single literal/length code (EOB alone, one bit): allowed. */
    memset(ll, 0, sizeof(ll));
    ll[256] = 1;
    bw_reset();
    dyn_plain(true, ll, 257, d, 1);
    eob();
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    CHECK_EQ(out_len, 0);
}

TEST(dynamic_header_limits)
{
    static unsigned int seq[320];
    uint8_t ll[288] = { 0 }, d[32] = { 0 };

    ll[256] = 1;
    ll['z'] = 1;
    /* HLIT 287 and 288: refused even when the lengths are fine. */
    for ( unsigned int hlit = 287; hlit <= 288; hlit++ )
    {
        bw_reset();
        dyn_plain(true, ll, hlit, d, 1);
        wrap_gzip(NULL, 0);
        CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    }
    /* HDIST 31, 32. */
    for ( unsigned int hdist = 31; hdist <= 32; hdist++ )
    {
        bw_reset();
        dyn_plain(true, ll, 257, d, hdist);
        eob();
        wrap_gzip(NULL, 0);
        CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    }
    /* HDIST 30 is the maximum and fine. */
    bw_reset();
    dyn_plain(true, ll, 257, d, 30);
    eob();
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);

    /* Incomplete code-length code (all 19 of length 5). */
    {
        uint8_t c5[19];

        memset(c5, 5, sizeof(c5));
        for ( unsigned int i = 0; i < 258; i++ )
            seq[i] = i < 257 ? ll[i] : 0;
        bw_reset();
        dyn_header(true, 257, 1, c5, seq, 258, ll, d);
        eob();
        wrap_gzip(NULL, 0);
        CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    }
}

/* Code-length code with repeats: 0..15 five bits, 16/17 three, 18 two. */
static const uint8_t clen_rep[19] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
                                      5, 5, 5, 3, 3, 2 };
#define REP(sym, extra) ((sym) | ((extra) << 8))

TEST(dynamic_repeat_codes)
{
    static unsigned int seq[64];
    uint8_t ll[288] = { 0 }, d[2] = { 1, 1 };
    size_t n = 0;

    /* lens: 'A'..'H' = 4 ('A', 16 x3, 'E', 16 x3), 256 = 257 = 2 */
    seq[n++] = REP(18, 65 - 11);        /* 65 zeros: 0..64 */
    seq[n++] = 4;                       /* 'A' */
    seq[n++] = REP(16, 0);              /* 'B' 'C' 'D' */
    seq[n++] = 4;                       /* 'E' */
    seq[n++] = REP(16, 0);              /* 'F' 'G' 'H' */
    seq[n++] = REP(18, 127);            /* 138 zeros: 73..210 */
    seq[n++] = REP(17, 7);              /* 10 zeros: 211..220 */
    seq[n++] = REP(18, 35 - 11);        /* 35 zeros: 221..255 */
    seq[n++] = 2;                       /* 256 */
    seq[n++] = 2;                       /* 257 */
    seq[n++] = 1;                       /* dist 0 */
    seq[n++] = 1;                       /* dist 1 */
    for ( unsigned int c = 'A'; c <= 'H'; c++ )
        ll[c] = 4;
    ll[256] = 2;
    ll[257] = 2;
    bw_reset();
    dyn_header(true, 258, 2, clen_rep, seq, n, ll, d);
    lit('A');
    lit('H');
    match(3, 2);
    eob();
    wrap_gzip((const uint8_t *)"AHAHA", 5);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    CHECK(out_is((const uint8_t *)"AHAHA", 5));

    /* Code 16 with nothing to repeat. */
    seq[0] = REP(16, 0);
    bw_reset();
    dyn_header(true, 258, 2, clen_rep, seq, 1, NULL, NULL);
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);

    /* A repeat running past HLIT + HDIST. */
    seq[0] = REP(18, 127);
    seq[1] = REP(18, 127);              /* 276 lengths > 258 + 2 */
    bw_reset();
    dyn_header(true, 258, 2, clen_rep, seq, 2, NULL, NULL);
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);

    /* Lengths that would be valid but for a repeat one past the end. */
    memset(ll, 0, sizeof(ll));
    ll[256] = 1;
    seq[0] = REP(18, 127);              /* 0..137 */
    seq[1] = REP(18, 118 - 11);         /* 138..255 */
    seq[2] = 1;                         /* 256 */
    seq[3] = REP(17, 0);                /* 3 zeros where 1 fits */
    bw_reset();
    dyn_header(true, 257, 1, clen_rep, seq, 4, ll, d);
    eob();
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    seq[3] = 0;                         /* the same, well formed */
    bw_reset();
    dyn_header(true, 257, 1, clen_rep, seq, 4, ll, d);
    eob();
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
}

TEST(gzip_header_fields)
{
    static const char msg[] = "header test";
    uint8_t body[64];
    size_t blen, n;
    uint32_t crc;

    bw_reset();
    fixed_header(true);
    for ( n = 0; n < sizeof(msg) - 1; n++ )
        lit(msg[n]);
    eob();
    flush_byte();
    blen = bw.len;
    memcpy(body, bw.buf, blen);

    /* FEXTRA + FNAME + FCOMMENT + FHCRC. */
    n = 0;
    gz[n++] = 0x1f; gz[n++] = 0x8b; gz[n++] = 8;
    gz[n++] = 0x02 | 0x04 | 0x08 | 0x10;
    memset(gz + n, 0, 6);
    n += 6;
    gz[n++] = 3; gz[n++] = 0;           /* XLEN 3 */
    gz[n++] = 'A'; gz[n++] = 'B'; gz[n++] = 'C';
    memcpy(gz + n, "name.txt", 9);
    n += 9;
    memcpy(gz + n, "a comment", 10);
    n += 10;
    crc = t_crc32(gz, n);
    gz[n++] = crc;
    gz[n++] = crc >> 8;
    memcpy(gz + n, body, blen);
    n += blen;
    put_le32(gz + n, t_crc32((const uint8_t *)msg, sizeof(msg) - 1));
    put_le32(gz + n + 4, sizeof(msg) - 1);
    gz_len = n + 8;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    CHECK(out_is((const uint8_t *)msg, sizeof(msg) - 1));

    /* Header CRC wrong. */
    gz[n - blen - 2] ^= 0x40;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    gz[n - blen - 2] ^= 0x40;

    /* Unterminated name: the whole file is one long name. */
    gz[3] = 0x08;
    memset(gz + 10, 'x', gz_len - 10);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);

    /* XLEN past the end. */
    gz[3] = 0x04;
    gz[10] = 0xff;
    gz[11] = 0xff;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);

    /* Reserved flag bits, wrong magic, wrong method. */
    bw_reset();
    fixed_header(true);
    eob();
    wrap_gzip(NULL, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    for ( unsigned int bit = 0x20; bit <= 0x80; bit <<= 1 )
    {
        gz[3] = bit;
        CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    }
    gz[3] = 0;
    gz[0] = 0x1e;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    gz[0] = 0x1f;
    gz[2] = 7;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
}

TEST(trailer_checks)
{
    bw_reset();
    fixed_header(true);
    lit('x');
    lit('y');
    eob();
    wrap_gzip((const uint8_t *)"xy", 2);
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);

    gz[gz_len - 8] ^= 1;                /* CRC-32 */
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    gz[gz_len - 8] ^= 1;
    gz[gz_len - 4] = 3;                 /* ISIZE */
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    gz[gz_len - 4] = 2;
    gz[gz_len - 1] = 1;                 /* ISIZE off by 2^24 */
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
    gz[gz_len - 1] = 0;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
}

TEST(truncated_every_byte)
{
    size_t full, i;
    int rc, bad = 0;

    make_data(3000);
    CHECK(host_gzip(data, 3000, 9, ""));
    full = gz_len;
    CHECK_EQ(run_gunzip(gz, full, 3000), 0);
    CHECK(out_is(data, 3000));
    for ( i = 0; i < full; i++ )
    {
        rc = run_gunzip(gz, i, 3000);
        if ( rc != -EINVAL )
        {
            printf("# truncated to %zu of %zu: %d\n", i, full, rc);
            bad++;
        }
    }
    CHECK_EQ(bad, 0);

    /* The same for a stored-block stream of the encoder. */
    bw_reset();
    stored(true, data, 100);
    wrap_gzip(data, 100);
    full = gz_len;
    for ( i = 0; i < full; i++ )
        if ( run_gunzip(gz, i, 100) != -EINVAL )
            bad++;
    CHECK_EQ(bad, 0);
}

TEST(output_limit)
{
    size_t n = 5000, full;

    make_data(n);
    CHECK(host_gzip(data, n, 6, ""));
    full = gz_len;
    CHECK_EQ(run_gunzip(gz, full, n), 0);          /* exactly fits */
    CHECK(out_is(data, n));
    CHECK_EQ(run_gunzip(gz, full, n - 1), -ENOSPC);
    CHECK_EQ(run_gunzip(gz, full, 1), -ENOSPC);
    CHECK_EQ(run_gunzip(gz, full, 0), -ENOSPC);

    /* The limit hit inside a long match and inside a stored block. */
    bw_reset();
    fixed_header(true);
    lit('q');
    match(258, 1);
    eob();
    memset(data, 'q', 259);
    wrap_gzip(data, 259);
    CHECK_EQ(run_gunzip(gz, gz_len, 259), 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 258), -ENOSPC);
    CHECK_EQ(run_gunzip(gz, gz_len, 2), -ENOSPC);
    bw_reset();
    stored(true, data, 200);
    wrap_gzip(data, 200);
    CHECK_EQ(run_gunzip(gz, gz_len, 200), 0);
    CHECK_EQ(run_gunzip(gz, gz_len, 199), -ENOSPC);
}

/* The first block of a host gzip -9 stream of text is dynamic. */
TEST(host_gzip_dynamic)
{
    size_t n = 100000;

    make_data(n);
    CHECK(host_gzip(data, n, 9, "-n"));
    CHECK_EQ(gz[3], 0);                 /* -n: no name */
    CHECK_EQ((gz[10] >> 1) & 3, 2);     /* BTYPE of the first block */
    CHECK_EQ(run_gunzip(gz, gz_len, n), 0);
    CHECK(out_is(data, n));
}

/* Random data: gzip falls back to stored blocks. */
TEST(host_gzip_incompressible)
{
    size_t n = 200000, i;

    for ( i = 0; i < n; i++ )
        data[i] = rnd();
    CHECK(host_gzip(data, n, 6, "-n"));
    CHECK_EQ((gz[10] >> 1) & 3, 0);
    CHECK_EQ(run_gunzip(gz, gz_len, n), 0);
    CHECK(out_is(data, n));
}

TEST(big_round_trip)
{
    size_t n = 3u << 20;

    make_data(n);
    for ( int level = 1; level <= 9; level += 4 )
    {
        CHECK(host_gzip(data, n, level, "-n"));
        CHECK_EQ(run_gunzip(gz, gz_len, sizeof(out) - CANARY), 0);
        CHECK(out_is(data, n));
    }
    /* Through gunzip() and its static workspace as well. */
    CHECK_EQ(gunzip(gz, gz_len, out, n, &out_len), 0);
    CHECK(out_is(data, n));
}

TEST(multi_member)
{
    size_t first;

    bw_reset();
    fixed_header(true);
    lit('o');
    lit('n');
    lit('e');
    eob();
    wrap_gzip((const uint8_t *)"one", 3);
    first = gz_len;
    memcpy(data, gz, first);
    bw_reset();
    fixed_header(true);
    lit('t');
    lit('w');
    lit('o');
    match(3, 3);                        /* must not reach into "one" */
    eob();
    wrap_gzip((const uint8_t *)"twotwo", 6);
    memmove(gz + first, gz, gz_len);
    memcpy(gz, data, first);
    gz_len += first;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), 0);
    CHECK(out_is((const uint8_t *)"onetwotwo", 9));

    /* Trailing zeros (padding) are ignored. */
    memset(gz + gz_len, 0, 512);
    CHECK_EQ(run_gunzip(gz, gz_len + 512, 100), 0);
    CHECK(out_is((const uint8_t *)"onetwotwo", 9));

    /* A trailing magic that is not a valid member is an error. */
    gz[gz_len] = 0x1f;
    gz[gz_len + 1] = 0x8b;
    CHECK_EQ(run_gunzip(gz, gz_len + 512, 100), -EINVAL);
    gz[gz_len + 1] = 0;
    CHECK_EQ(run_gunzip(gz, gz_len + 512, 100), 0);

    /* A match in the second member reaching back into the first. */
    bw_reset();
    fixed_header(true);
    match(3, 3);
    eob();
    wrap_gzip((const uint8_t *)"one", 3);
    memmove(gz + first, gz, gz_len);
    memcpy(gz, data, first);
    gz_len += first;
    CHECK_EQ(run_gunzip(gz, gz_len, 100), -EINVAL);
}

TEST(probe)
{
    size_t isize = 0;

    make_data(777);
    CHECK(host_gzip(data, 777, 6, ""));
    CHECK_EQ(gzip_probe(gz, gz_len, &isize), 0);
    CHECK_EQ(isize, 777);
    CHECK_EQ(gzip_probe(gz, 17, &isize), -EINVAL);
    CHECK_EQ(gzip_probe(gz, 18, &isize), 0);
    gz[1] = 0;
    CHECK_EQ(gzip_probe(gz, gz_len, &isize), -EINVAL);
    CHECK_EQ(gzip_probe(gz, 0, &isize), -EINVAL);
}

TEST(raw_and_zlib)
{
    size_t used = 0, i;

    bw_reset();
    fixed_header(false);
    for ( i = 0; i < 10; i++ )
        lit('0' + i);
    eob();
    stored(true, (const uint8_t *)"!", 1);
    flush_byte();
    bw.buf[bw.len] = 0xee;              /* not part of the stream */
    CHECK_EQ(inflate_raw(&ws, bw.buf, bw.len + 1, &used, out, 100,
                         &out_len), 0);
    CHECK_EQ(used, bw.len);
    CHECK(out_is((const uint8_t *)"0123456789!", 11));

    wrap_zlib((const uint8_t *)"0123456789!", 11);
    CHECK_EQ(zlib_uncompress(&ws, gz, gz_len, out, 100, &out_len), 0);
    CHECK(out_is((const uint8_t *)"0123456789!", 11));
    CHECK_EQ(zlib_uncompress(&ws, gz, gz_len, out, 10, &out_len), -ENOSPC);
    gz[gz_len - 1] ^= 1;                /* Adler-32 */
    CHECK_EQ(zlib_uncompress(&ws, gz, gz_len, out, 100, &out_len), -EINVAL);
    gz[gz_len - 1] ^= 1;
    CHECK_EQ(zlib_uncompress(&ws, gz, gz_len - 1, out, 100, &out_len),
             -EINVAL);
    gz[1] = 0x9d;                       /* header check */
    CHECK_EQ(zlib_uncompress(&ws, gz, gz_len, out, 100, &out_len), -EINVAL);
    gz[0] = 0x78;
    gz[1] = 0xbb;                       /* FDICT (0x78bb % 31 == 0) */
    CHECK_EQ(zlib_uncompress(&ws, gz, gz_len, out, 100, &out_len), -EINVAL);
    gz[0] = 0x88;                       /* CINFO 8 */
    gz[1] = 0x98 - (0x8898 % 31);
    CHECK_EQ(zlib_uncompress(&ws, gz, gz_len, out, 100, &out_len), -EINVAL);
    CHECK_EQ(zlib_uncompress(&ws, gz, 1, out, 100, &out_len), -EINVAL);
}

/* Random damage to valid streams: any result, but no crash or overrun. */
TEST(random_corruption)
{
    size_t n = 20000, full, i;
    static uint8_t orig[1 << 16];
    int k, ok = 0;

    make_data(n);
    CHECK(host_gzip(data, n, 9, "-n"));
    full = gz_len;
    memcpy(orig, gz, full);
    for ( k = 0; k < 3000; k++ )
    {
        memcpy(gz, orig, full);
        for ( i = 0; i < 1 + rnd() % 4; i++ )
            gz[10 + rnd() % (full - 10)] ^= 1u << (rnd() % 8);
        if ( run_gunzip(gz, full, n) == 0 )
            ok++;                       /* CRC must have caught it */
        CHECK(run_gunzip(gz, full, n) != -9999);
    }
    CHECK_EQ(ok, 0);
}

int main(void)
{
    RUN(empty_input);
    RUN(stored_blocks);
    RUN(fixed_literals);
    RUN(all_lengths);
    RUN(long_distances);
    RUN(fixed_invalid_symbols);
    RUN(reserved_block_type);
    RUN(dynamic_hand_built);
    RUN(dynamic_bad_litlen);
    RUN(dynamic_header_limits);
    RUN(dynamic_repeat_codes);
    RUN(gzip_header_fields);
    RUN(trailer_checks);
    RUN(truncated_every_byte);
    RUN(output_limit);
    RUN(host_gzip_dynamic);
    RUN(host_gzip_incompressible);
    RUN(big_round_trip);
    RUN(multi_member);
    RUN(probe);
    RUN(raw_and_zlib);
    RUN(random_corruption);
    HARNESS_EXIT();
}
