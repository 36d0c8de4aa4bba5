/*
 * DEFLATE decoder (RFC 1951) and its gzip (RFC 1952) and zlib (RFC 1950)
 * wrappers, written from the RFCs.
 *
 * The whole output buffer is the sliding window: a match may reach back
 * to the first byte this stream produced, never further, and never past
 * out_max.  Every loop is bounded: each block consumes at least three
 * input bits, each literal or match consumes at least one input bit and
 * produces at most 258 bytes, and output stops at out_max.  Huffman codes
 * are decoded with a table of INFLATE_FAST_BITS-bit prefixes, falling back
 * to walking the canonical code one bit at a time for longer codes; the
 * tables live in the caller's struct inflate_ws, so nothing large sits on
 * the (16 KiB) hypervisor stack.
 *
 * Code validity follows RFC 1951 strictly: over-subscribed codes are
 * refused; incomplete codes are accepted only where a single one-bit code
 * is legitimate (one literal/length or one distance symbol) and for an
 * empty distance code (a block of literals only); the code-length code
 * must be complete.  Length symbols 286/287 and distance symbols 30/31,
 * which the fixed code can express, are refused when they occur.
 */
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/inflate.h>

#define FAST_MASK        ((1u << INFLATE_FAST_BITS) - 1)
#define FAST_LEN_SHIFT   9              /* fast entry: length << 9 | symbol */
#define FAST_SYM_MASK    0x1ffu

#define SYM_END_OF_BLOCK 256
#define NR_LEN_SYMS      29             /* length symbols 257..285 */
#define NR_DIST_SYMS     30             /* distance symbols 0..29 */
#define MAX_HLIT         286
#define MAX_HDIST        30
#define NR_CLEN_SYMS     19             /* code-length alphabet */

#define GZ_ID1           0x1f
#define GZ_ID2           0x8b
#define GZ_CM_DEFLATE    8
#define GZ_FHCRC         0x02
#define GZ_FEXTRA        0x04
#define GZ_FNAME         0x08
#define GZ_FCOMMENT      0x10
#define GZ_FRESERVED     0xe0
#define GZ_HEADER_LEN    10
#define GZ_TRAILER_LEN   8
#define GZ_MIN_LEN       (GZ_HEADER_LEN + GZ_TRAILER_LEN)

#define ZLIB_CINFO_MAX   7              /* window 2^(7+8) = 32 KiB */
#define ZLIB_FDICT       0x20
#define ADLER_MOD        65521u
#define ADLER_NMAX       5552           /* bytes before s2 could overflow */

#define CRC32_POLY       0xedb88320u    /* RFC 1952, reflected */

/* RFC 1951 3.2.5: base lengths and extra bits of length symbols 257..285. */
static const uint16_t len_base[NR_LEN_SYMS] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t len_extra[NR_LEN_SYMS] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};

/* ... and of distance symbols 0..29. */
static const uint16_t dist_base[NR_DIST_SYMS] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
};
static const uint8_t dist_extra[NR_DIST_SYMS] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};

/* RFC 1951 3.2.7: the order in which code-length code lengths arrive. */
static const uint8_t clen_order[NR_CLEN_SYMS] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

/* ---- bit input --------------------------------------------------------- */

/* DEFLATE packs data least significant bit first. */
struct bitin {
    const uint8_t *p, *end;
    uint64_t buf;                       /* next bits, LSB first */
    unsigned int cnt;                   /* valid bits in buf */
};

static void bits_fill(struct bitin *b)
{
    while ( b->cnt <= 56 && b->p < b->end )
    {
        b->buf |= (uint64_t)*b->p++ << b->cnt;
        b->cnt += 8;
    }
}

static void bits_drop(struct bitin *b, unsigned int n)
{
    b->buf >>= n;
    b->cnt -= n;
}

/* Take n <= 16 bits; -EINVAL when the input ends first. */
static int bits_get(struct bitin *b, unsigned int n, unsigned int *val)
{
    if ( b->cnt < n )
    {
        bits_fill(b);
        if ( b->cnt < n )
            return -EINVAL;
    }
    *val = (unsigned int)(b->buf & ((1u << n) - 1));
    bits_drop(b, n);
    return 0;
}

/*
 * Drop the bits up to the next byte boundary, then hand the whole bytes
 * still buffered back to the byte pointer, so that b->p is exactly the
 * next unread input byte.
 */
static void bits_align(struct bitin *b)
{
    bits_drop(b, b->cnt & 7);
    b->p -= b->cnt / 8;
    b->buf = 0;
    b->cnt = 0;
}

/* ---- Huffman codes ------------------------------------------------------- */

/*
 * Build the canonical code for symbols 0..n-1 with code lengths lens[]
 * (0 = symbol unused).  Returns -1 when the lengths over-subscribe the
 * code space, otherwise the unused part of that space in units of
 * 2^-15 (0: the code is complete).  *nr_codes gets the number of symbols
 * with a code.
 */
static int huff_build(struct inflate_huff *h, const uint8_t *lens,
                      unsigned int n, unsigned int *nr_codes)
{
    uint16_t next[INFLATE_MAX_BITS + 2];
    unsigned int s, len, k, code, idx;
    int left = 1;

    memset(h->count, 0, sizeof(h->count));
    for ( s = 0; s < n; s++ )
        h->count[lens[s]]++;
    *nr_codes = n - h->count[0];

    for ( len = 1; len <= INFLATE_MAX_BITS; len++ )
    {
        left = left * 2 - h->count[len];
        if ( left < 0 )
            return -1;
    }

    /* Symbols sorted by code length, then by value: canonical order. */
    next[1] = 0;
    for ( len = 1; len <= INFLATE_MAX_BITS; len++ )
        next[len + 1] = next[len] + h->count[len];
    for ( s = 0; s < n; s++ )
        if ( lens[s] )
            h->symbol[next[lens[s]]++] = s;

    /*
     * Fast table: the k-th code of length len is (first code of len) + k,
     * sent most significant bit first, so the table (indexed by input bits
     * LSB first) holds it bit-reversed, repeated for every value of the
     * bits that follow it.  Unused and longer codes leave 0 entries.
     */
    memset(h->fast, 0, sizeof(h->fast));
    code = 0;
    idx = 0;
    for ( len = 1; len <= INFLATE_FAST_BITS; len++ )
    {
        for ( k = 0; k < h->count[len]; k++, code++, idx++ )
        {
            unsigned int rev = 0, i, j;

            for ( i = 0; i < len; i++ )
                rev |= ((code >> i) & 1) << (len - 1 - i);
            for ( j = rev; j <= FAST_MASK; j += 1u << len )
                h->fast[j] = (len << FAST_LEN_SHIFT) | h->symbol[idx];
        }
        code <<= 1;
    }

    return left;
}

/* Decode one symbol; -EINVAL for an unused code or input ending early. */
static int huff_decode(struct bitin *b, const struct inflate_huff *h,
                       unsigned int *sym)
{
    unsigned int e, len, code = 0, first = 0, idx = 0;

    if ( b->cnt < INFLATE_MAX_BITS )
        bits_fill(b);

    e = h->fast[b->buf & FAST_MASK];
    if ( e )
    {
        len = e >> FAST_LEN_SHIFT;
        if ( len > b->cnt )
            return -EINVAL;             /* bits past the end of input */
        *sym = e & FAST_SYM_MASK;
        bits_drop(b, len);
        return 0;
    }

    /*
     * Walk the canonical code: after len bits, the codes of length len are
     * first .. first + count[len] - 1, and code >= first holds because no
     * shorter code matched.
     */
    for ( len = 1; len <= INFLATE_MAX_BITS; len++ )
    {
        if ( len > b->cnt )
            return -EINVAL;
        code |= (b->buf >> (len - 1)) & 1;
        if ( code - first < h->count[len] )
        {
            *sym = h->symbol[idx + code - first];
            bits_drop(b, len);
            return 0;
        }
        idx += h->count[len];
        first = (first + h->count[len]) << 1;
        code <<= 1;
    }

    return -EINVAL;
}

/* ---- blocks -------------------------------------------------------------- */

/* Where the stream writes: out[start, pos) is this stream's output. */
struct outwin {
    uint8_t *buf;
    size_t max, start, pos;
};

static int inflate_stored(struct bitin *b, struct outwin *o)
{
    size_t len, nlen;

    bits_align(b);
    if ( b->end - b->p < 4 )
        return -EINVAL;
    len = b->p[0] | ((size_t)b->p[1] << 8);
    nlen = b->p[2] | ((size_t)b->p[3] << 8);
    b->p += 4;
    if ( len != (~nlen & 0xffff) )
        return -EINVAL;
    if ( (size_t)(b->end - b->p) < len )
        return -EINVAL;
    if ( len > o->max - o->pos )
        return -ENOSPC;
    if ( len )
    {
        memcpy(o->buf + o->pos, b->p, len);
        o->pos += len;
        b->p += len;
    }
    return 0;
}

/* Literals and matches until end-of-block, with ws->litlen and ws->dist. */
static int inflate_codes(struct inflate_ws *ws, struct bitin *b,
                         struct outwin *o)
{
    unsigned int sym, extra;
    size_t len, dist, i;
    int rc;

    for ( ;; )
    {
        if ( (rc = huff_decode(b, &ws->litlen, &sym)) )
            return rc;
        if ( sym < SYM_END_OF_BLOCK )
        {
            if ( o->pos >= o->max )
                return -ENOSPC;
            o->buf[o->pos++] = sym;
            continue;
        }
        if ( sym == SYM_END_OF_BLOCK )
            return 0;

        sym -= SYM_END_OF_BLOCK + 1;
        if ( sym >= NR_LEN_SYMS )
            return -EINVAL;
        if ( (rc = bits_get(b, len_extra[sym], &extra)) )
            return rc;
        len = len_base[sym] + extra;

        if ( (rc = huff_decode(b, &ws->dist, &sym)) )
            return rc;
        if ( sym >= NR_DIST_SYMS )
            return -EINVAL;
        if ( (rc = bits_get(b, dist_extra[sym], &extra)) )
            return rc;
        dist = dist_base[sym] + extra;

        if ( dist > o->pos - o->start )
            return -EINVAL;             /* before the start of the data */
        if ( len > o->max - o->pos )
            return -ENOSPC;
        /* Byte by byte: source and destination overlap when dist < len. */
        for ( i = 0; i < len; i++ )
            o->buf[o->pos + i] = o->buf[o->pos + i - dist];
        o->pos += len;
    }
}

/* May a code with these build results be used?  See the file comment. */
static bool code_ok(int left, unsigned int nr_codes,
                    const struct inflate_huff *h, bool empty_ok)
{
    if ( left == 0 )
        return true;
    if ( left < 0 )
        return false;
    if ( nr_codes == 0 )
        return empty_ok;
    return nr_codes == 1 && h->count[1] == 1;
}

static int inflate_fixed(struct inflate_ws *ws, struct bitin *b,
                         struct outwin *o)
{
    unsigned int s, nr;

    /* RFC 1951 3.2.6. */
    for ( s = 0; s < 144; s++ )
        ws->lens[s] = 8;
    for ( ; s < 256; s++ )
        ws->lens[s] = 9;
    for ( ; s < 280; s++ )
        ws->lens[s] = 7;
    for ( ; s < INFLATE_NR_LITLEN; s++ )
        ws->lens[s] = 8;
    huff_build(&ws->litlen, ws->lens, INFLATE_NR_LITLEN, &nr);
    for ( s = 0; s < INFLATE_NR_DIST; s++ )
        ws->lens[s] = 5;
    huff_build(&ws->dist, ws->lens, INFLATE_NR_DIST, &nr);

    return inflate_codes(ws, b, o);
}

static int inflate_dynamic(struct inflate_ws *ws, struct bitin *b,
                           struct outwin *o)
{
    unsigned int hlit, hdist, hclen, i, v, sym, rep, nr;
    uint8_t fill;
    int left, rc;

    if ( (rc = bits_get(b, 5, &hlit)) || (rc = bits_get(b, 5, &hdist)) ||
         (rc = bits_get(b, 4, &hclen)) )
        return rc;
    hlit += 257;
    hdist += 1;
    hclen += 4;
    if ( hlit > MAX_HLIT || hdist > MAX_HDIST )
        return -EINVAL;

    /* The code-length code, built in ws->dist until the real one. */
    memset(ws->lens, 0, NR_CLEN_SYMS);
    for ( i = 0; i < hclen; i++ )
    {
        if ( (rc = bits_get(b, 3, &v)) )
            return rc;
        ws->lens[clen_order[i]] = v;
    }
    left = huff_build(&ws->dist, ws->lens, NR_CLEN_SYMS, &nr);
    if ( left != 0 )
        return -EINVAL;                 /* must be complete */

    /* Literal/length and distance code lengths, as one sequence. */
    for ( i = 0; i < hlit + hdist; )
    {
        if ( (rc = huff_decode(b, &ws->dist, &sym)) )
            return rc;
        if ( sym < 16 )
        {
            ws->lens[i++] = sym;
            continue;
        }
        if ( sym == 16 )
        {
            if ( i == 0 )
                return -EINVAL;         /* nothing to repeat */
            fill = ws->lens[i - 1];
            rc = bits_get(b, 2, &rep);
            rep += 3;
        }
        else if ( sym == 17 )
        {
            fill = 0;
            rc = bits_get(b, 3, &rep);
            rep += 3;
        }
        else
        {
            fill = 0;
            rc = bits_get(b, 7, &rep);
            rep += 11;
        }
        if ( rc )
            return rc;
        if ( rep > hlit + hdist - i )
            return -EINVAL;
        memset(ws->lens + i, fill, rep);
        i += rep;
    }

    if ( ws->lens[SYM_END_OF_BLOCK] == 0 )
        return -EINVAL;                 /* the block could never end */

    left = huff_build(&ws->litlen, ws->lens, hlit, &nr);
    if ( !code_ok(left, nr, &ws->litlen, false) )
        return -EINVAL;
    left = huff_build(&ws->dist, ws->lens + hlit, hdist, &nr);
    if ( !code_ok(left, nr, &ws->dist, true) )
        return -EINVAL;

    return inflate_codes(ws, b, o);
}

/*
 * One DEFLATE stream from in[0, in_len) appended to the window at o->pos
 * (o->start marks where this stream's output begins).  *in_used gets the
 * bytes consumed, up to the byte holding the end of the final block.
 */
static int inflate_stream(struct inflate_ws *ws, const uint8_t *in,
                          size_t in_len, size_t *in_used, struct outwin *o)
{
    struct bitin b = { .p = in, .end = in + in_len };
    unsigned int last, type;
    int rc;

    do {
        if ( (rc = bits_get(&b, 1, &last)) || (rc = bits_get(&b, 2, &type)) )
            return rc;
        switch ( type )
        {
        case 0:
            rc = inflate_stored(&b, o);
            break;
        case 1:
            rc = inflate_fixed(ws, &b, o);
            break;
        case 2:
            rc = inflate_dynamic(ws, &b, o);
            break;
        default:
            rc = -EINVAL;               /* reserved block type */
            break;
        }
        if ( rc )
            return rc;
    } while ( !last );

    bits_align(&b);
    *in_used = b.p - in;
    return 0;
}

int inflate_raw(struct inflate_ws *ws, const uint8_t *in, size_t in_len,
                size_t *in_used, uint8_t *out, size_t out_max,
                size_t *out_len)
{
    struct outwin o = { .buf = out, .max = out_max };
    int rc;

    *out_len = 0;
    rc = inflate_stream(ws, in, in_len, in_used, &o);
    if ( rc == 0 )
        *out_len = o.pos;
    return rc;
}

/* ---- checksums ----------------------------------------------------------- */

static void crc32_init(struct inflate_ws *ws)
{
    unsigned int n, k;
    uint32_t c;

    for ( n = 0; n < 256; n++ )
    {
        c = n;
        for ( k = 0; k < 8; k++ )
            c = (c & 1) ? (c >> 1) ^ CRC32_POLY : c >> 1;
        ws->crc_table[n] = c;
    }
}

/* CRC-32 of RFC 1952 8: pre- and post-conditioned with all ones. */
static uint32_t crc32(const struct inflate_ws *ws, const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;

    while ( n-- )
        c = ws->crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t s1 = 1, s2 = 0;
    size_t chunk;

    while ( n )
    {
        chunk = MIN(n, (size_t)ADLER_NMAX);
        n -= chunk;
        while ( chunk-- )
        {
            s1 += *p++;
            s2 += s1;
        }
        s1 %= ADLER_MOD;
        s2 %= ADLER_MOD;
    }
    return (s2 << 16) | s1;
}

static uint32_t get_le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

/* ---- gzip ---------------------------------------------------------------- */

/* Skip a NUL-terminated header field starting at *pos. */
static int gz_skip_string(const uint8_t *in, size_t len, size_t *pos)
{
    while ( *pos < len )
        if ( in[(*pos)++] == 0 )
            return 0;
    return -EINVAL;
}

/* One gzip member at in[0, len), appended at o->pos; *used its length. */
static int gz_member(struct inflate_ws *ws, const uint8_t *in, size_t len,
                     size_t *used, struct outwin *o)
{
    size_t pos = GZ_HEADER_LEN, n, deflated;
    unsigned int flags;
    int rc;

    if ( len < GZ_HEADER_LEN || in[0] != GZ_ID1 || in[1] != GZ_ID2 ||
         in[2] != GZ_CM_DEFLATE )
        return -EINVAL;
    flags = in[3];
    if ( flags & GZ_FRESERVED )
        return -EINVAL;

    if ( flags & GZ_FEXTRA )
    {
        if ( len - pos < 2 )
            return -EINVAL;
        n = in[pos] | ((size_t)in[pos + 1] << 8);
        pos += 2;
        if ( len - pos < n )
            return -EINVAL;
        pos += n;
    }
    if ( (flags & GZ_FNAME) && gz_skip_string(in, len, &pos) )
        return -EINVAL;
    if ( (flags & GZ_FCOMMENT) && gz_skip_string(in, len, &pos) )
        return -EINVAL;
    if ( flags & GZ_FHCRC )
    {
        if ( len - pos < 2 )
            return -EINVAL;
        if ( (crc32(ws, in, pos) & 0xffff) !=
             (in[pos] | ((uint32_t)in[pos + 1] << 8)) )
            return -EINVAL;
        pos += 2;
    }

    o->start = o->pos;
    rc = inflate_stream(ws, in + pos, len - pos, &deflated, o);
    if ( rc )
        return rc;
    pos += deflated;

    if ( len - pos < GZ_TRAILER_LEN )
        return -EINVAL;
    if ( get_le32(in + pos) != crc32(ws, o->buf + o->start,
                                     o->pos - o->start) )
        return -EINVAL;
    if ( get_le32(in + pos + 4) != (uint32_t)(o->pos - o->start) )
        return -EINVAL;

    *used = pos + GZ_TRAILER_LEN;
    return 0;
}

int gunzip_ws(struct inflate_ws *ws, const uint8_t *in, size_t in_len,
              uint8_t *out, size_t out_max, size_t *out_len)
{
    struct outwin o = { .buf = out, .max = out_max };
    size_t pos = 0, used;
    int rc;

    *out_len = 0;
    crc32_init(ws);
    do {
        rc = gz_member(ws, in + pos, in_len - pos, &used, &o);
        if ( rc )
            return rc;
        pos += used;                    /* used >= 18: the loop ends */
    } while ( in_len - pos >= 2 && in[pos] == GZ_ID1 &&
              in[pos + 1] == GZ_ID2 );

    *out_len = o.pos;
    return 0;
}

int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_max,
           size_t *out_len)
{
    static struct inflate_ws ws;
    static bool busy;
    int rc;

    if ( __atomic_exchange_n(&busy, true, __ATOMIC_ACQUIRE) )
    {
        *out_len = 0;
        return -EBUSY;
    }
    rc = gunzip_ws(&ws, in, in_len, out, out_max, out_len);
    __atomic_store_n(&busy, false, __ATOMIC_RELEASE);
    return rc;
}

int gzip_probe(const uint8_t *in, size_t len, size_t *isize)
{
    if ( len < GZ_MIN_LEN || in[0] != GZ_ID1 || in[1] != GZ_ID2 ||
         in[2] != GZ_CM_DEFLATE )
        return -EINVAL;
    *isize = get_le32(in + len - 4);
    return 0;
}

/* ---- zlib ---------------------------------------------------------------- */

int zlib_uncompress(struct inflate_ws *ws, const uint8_t *in, size_t in_len,
                    uint8_t *out, size_t out_max, size_t *out_len)
{
    struct outwin o = { .buf = out, .max = out_max };
    size_t used;
    int rc;

    *out_len = 0;
    if ( in_len < 2 || (in[0] & 0x0f) != GZ_CM_DEFLATE ||
         (in[0] >> 4) > ZLIB_CINFO_MAX || ((in[0] << 8) | in[1]) % 31 ||
         (in[1] & ZLIB_FDICT) )
        return -EINVAL;

    rc = inflate_stream(ws, in + 2, in_len - 2, &used, &o);
    if ( rc )
        return rc;
    used += 2;
    if ( in_len - used < 4 || get_be32(in + used) != adler32(out, o.pos) )
        return -EINVAL;

    *out_len = o.pos;
    return 0;
}
