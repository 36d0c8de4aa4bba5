/*
 * A small DEFLATE encoder for the host tests of common/lib/inflate.c: it
 * writes exactly the blocks, literals, matches and code lengths a test
 * asks for (valid or not), so that every decoder path can be reached on
 * purpose.  Also bitwise CRC-32 and Adler-32, independent of the code
 * under test, and minimal gzip and zlib wrappers.  The stream is built in
 * `bw`; wrap_gzip()/wrap_zlib() put the wrapped result in `gz`.
 */
#ifndef TEST_DEFLATE_ENCODER_H
#define TEST_DEFLATE_ENCODER_H

#include <stdint.h>
#include <stdbool.h>
#include <string.h>

/* ---- checksums (bitwise, independent of the code under test) ------------ */

static uint32_t t_crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    int k;

    while ( n-- )
    {
        c ^= *p++;
        for ( k = 0; k < 8; k++ )
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static uint32_t t_adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;

    while ( n-- )
    {
        a = (a + *p++) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}

/* ---- bit writer and encoder ---------------------------------------------- */

struct bw {
    uint8_t buf[1 << 20];
    size_t len;                 /* whole bytes */
    uint32_t acc;
    unsigned int nacc;
};

static struct bw bw;

static void bw_reset(void)
{
    bw.len = 0;
    bw.acc = 0;
    bw.nacc = 0;
}

static void put_bits(uint32_t v, unsigned int n)    /* LSB first */
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        bw.acc |= ((v >> i) & 1) << bw.nacc;
        if ( ++bw.nacc == 8 )
        {
            bw.buf[bw.len++] = bw.acc;
            bw.acc = 0;
            bw.nacc = 0;
        }
    }
}

static void put_code(uint32_t code, unsigned int len)  /* Huffman: MSB first */
{
    while ( len-- )
        put_bits((code >> len) & 1, 1);
}

static void flush_byte(void)
{
    if ( bw.nacc )
        put_bits(0, 8 - bw.nacc);
}

static void put_byte(uint8_t b)
{
    put_bits(b, 8);
}

/* Canonical codes for lens[0..n) (RFC 1951 3.2.2). */
static void canon(const uint8_t *lens, unsigned int n, uint32_t *codes)
{
    unsigned int count[16] = { 0 }, next[16], i, code = 0;

    for ( i = 0; i < n; i++ )
        count[lens[i]]++;
    count[0] = 0;
    for ( i = 1; i < 16; i++ )
    {
        code = (code + count[i - 1]) << 1;
        next[i] = code;
    }
    for ( i = 0; i < n; i++ )
        if ( lens[i] )
            codes[i] = next[lens[i]]++;
}

/* The current block's codes (fixed or dynamic). */
static uint8_t cur_ll_lens[288], cur_d_lens[32];
static uint32_t cur_ll[288], cur_d[32];

static void use_fixed(void)
{
    unsigned int i;

    for ( i = 0; i < 288; i++ )
        cur_ll_lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    for ( i = 0; i < 32; i++ )
        cur_d_lens[i] = 5;
    canon(cur_ll_lens, 288, cur_ll);
    canon(cur_d_lens, 32, cur_d);
}

static void sym(unsigned int s)
{
    put_code(cur_ll[s], cur_ll_lens[s]);
}

static void lit(uint8_t c)
{
    sym(c);
}

static void eob(void)
{
    sym(256);
}

static void match(unsigned int len, unsigned int dist)
{
    static const uint16_t lbase[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15,
        17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
        227, 258 };
    static const uint8_t lext[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2,
        2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
    static const uint16_t dbase[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33,
        49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577 };
    static const uint8_t dext[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5,
        5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
    int i;

    for ( i = 28; lbase[i] > len; i-- )
        ;
    sym(257 + i);
    put_bits(len - lbase[i], lext[i]);
    for ( i = 29; dbase[i] > dist; i-- )
        ;
    put_code(cur_d[i], cur_d_lens[i]);
    put_bits(dist - dbase[i], dext[i]);
}

static void fixed_header(bool last)
{
    put_bits(last, 1);
    put_bits(1, 2);
    use_fixed();
}

static void stored(bool last, const uint8_t *p, size_t n)
{
    put_bits(last, 1);
    put_bits(0, 2);
    flush_byte();
    put_byte(n & 0xff);
    put_byte(n >> 8);
    put_byte(~n & 0xff);
    put_byte((~n >> 8) & 0xff);
    while ( n-- )
        put_byte(*p++);
}

/*
 * Dynamic header: hlit/hdist as counts, code-length code clen[19] (by
 * symbol), then seq[] of code-length symbols (low 8 bits) with their extra
 * bits (above).  Sets the current codes from ll/d unless they are NULL.
 */
static void dyn_header(bool last, unsigned int hlit, unsigned int hdist,
                       const uint8_t clen[19], const unsigned int *seq,
                       size_t nseq, const uint8_t *ll, const uint8_t *d)
{
    static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11,
                                       4, 12, 3, 13, 2, 14, 1, 15 };
    uint32_t ccodes[19];
    size_t i;

    put_bits(last, 1);
    put_bits(2, 2);
    put_bits(hlit - 257, 5);
    put_bits(hdist - 1, 5);
    put_bits(19 - 4, 4);
    for ( i = 0; i < 19; i++ )
        put_bits(clen[order[i]], 3);
    canon(clen, 19, ccodes);
    for ( i = 0; i < nseq; i++ )
    {
        unsigned int s = seq[i] & 0xff, extra = seq[i] >> 8;

        put_code(ccodes[s], clen[s]);
        if ( s == 16 )
            put_bits(extra, 2);
        else if ( s == 17 )
            put_bits(extra, 3);
        else if ( s == 18 )
            put_bits(extra, 7);
    }
    if ( ll )
    {
        memset(cur_ll_lens, 0, sizeof(cur_ll_lens));
        memset(cur_d_lens, 0, sizeof(cur_d_lens));
        memcpy(cur_ll_lens, ll, hlit);
        memcpy(cur_d_lens, d, hdist);
        canon(cur_ll_lens, 288, cur_ll);
        canon(cur_d_lens, 32, cur_d);
    }
}

/* Code-length code with 4-bit codes for 0..15 only (complete). */
static const uint8_t clen_plain[19] = { 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
                                        4, 4, 4, 4, 0, 0, 0 };

/* Dynamic header spelling ll[0..hlit) and d[0..hdist) one by one. */
static void dyn_plain(bool last, const uint8_t *ll, unsigned int hlit,
                      const uint8_t *d, unsigned int hdist)
{
    static unsigned int seq[320];
    unsigned int i;

    for ( i = 0; i < hlit; i++ )
        seq[i] = ll[i];
    for ( i = 0; i < hdist; i++ )
        seq[hlit + i] = d[i];
    dyn_header(last, hlit, hdist, clen_plain, seq, hlit + hdist, ll, d);
}

/* ---- wrappers ------------------------------------------------------------ */

static uint8_t gz[1 << 21];
static size_t gz_len;

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

/* gz = minimal gzip header + the encoder's stream + trailer for data. */
static void wrap_gzip(const uint8_t *data, size_t n)
{
    static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };

    flush_byte();
    memcpy(gz, hdr, 10);
    memcpy(gz + 10, bw.buf, bw.len);
    gz_len = 10 + bw.len;
    put_le32(gz + gz_len, t_crc32(data, n));
    put_le32(gz + gz_len + 4, n);
    gz_len += 8;
}

static void wrap_zlib(const uint8_t *data, size_t n)
{
    uint32_t a = t_adler32(data, n);

    flush_byte();
    gz[0] = 0x78;
    gz[1] = 0x9c;                       /* 0x789c % 31 == 0 */
    memcpy(gz + 2, bw.buf, bw.len);
    gz_len = 2 + bw.len;
    gz[gz_len++] = a >> 24;
    gz[gz_len++] = a >> 16;
    gz[gz_len++] = a >> 8;
    gz[gz_len++] = a;
}

#endif /* TEST_DEFLATE_ENCODER_H */
