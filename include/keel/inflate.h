/*
 * DEFLATE decompression (RFC 1951) with the gzip (RFC 1952) and zlib
 * (RFC 1950) wrappers, as used to unpack compressed dom0 kernels and
 * initrds.  Implemented in common/lib/inflate.c; pure and host-tested.
 *
 * The input is untrusted.  Every function writes only within
 * out[0, out_max), reads only within in[0, in_len), and does work bounded
 * by the input and output sizes: no recursion, no allocation, no large
 * stack frames.  The Huffman tables live in a caller-provided workspace,
 * struct inflate_ws (about 5 KiB), so that several decompressions can run
 * at once; gunzip() is the convenience form with a static workspace.
 *
 * Return values: 0, -EINVAL for malformed or truncated input (bad header,
 * reserved block type, invalid or over-subscribed Huffman code, distance
 * beyond the data produced so far, CRC-32/ISIZE/Adler-32 mismatch),
 * -ENOSPC when the output would exceed out_max (nothing is written beyond
 * it; what was written is not meaningful), -EBUSY from gunzip() when its
 * static workspace is already in use.
 */
#ifndef KEEL_INFLATE_H
#define KEEL_INFLATE_H

#include <keel/types.h>

/* Codes up to this many bits are decoded with one table lookup. */
#define INFLATE_FAST_BITS  9

#define INFLATE_MAX_BITS   15   /* longest Huffman code in DEFLATE */
#define INFLATE_NR_LITLEN  288  /* literal/length alphabet (286 usable) */
#define INFLATE_NR_DIST    32   /* distance alphabet (30 usable) */

/* One canonical Huffman code. */
struct inflate_huff {
    /* Indexed by the next INFLATE_FAST_BITS input bits: (length << 9) |
     * symbol for codes that short, 0 when the slow path must decide. */
    uint16_t fast[1u << INFLATE_FAST_BITS];
    uint16_t count[INFLATE_MAX_BITS + 1];  /* number of codes per length */
    uint16_t symbol[INFLATE_NR_LITLEN];    /* symbols in canonical order */
};

/* Scratch state for one decompression at a time; contents need no setup. */
struct inflate_ws {
    struct inflate_huff litlen;
    struct inflate_huff dist;              /* also the code-length code */
    uint8_t lens[INFLATE_NR_LITLEN + INFLATE_NR_DIST];
    uint32_t crc_table[256];
};

/*
 * Raw DEFLATE stream at in[0, in_len) into out[0, out_max).  On success
 * *out_len is the number of bytes produced and *in_used the number of
 * input bytes the stream occupied (to its final block, rounded up to a
 * whole byte); anything after it is not looked at.
 */
int inflate_raw(struct inflate_ws *ws, const uint8_t *in, size_t in_len,
                size_t *in_used, uint8_t *out, size_t out_max,
                size_t *out_len);

/*
 * gzip file: one member or several concatenated members (their outputs
 * concatenated, as gzip -d does).  After the first member, bytes that do
 * not start with the gzip magic (1f 8b) end the input and are ignored
 * (loaders and tape images pad files with zeros); a further member that
 * does start with the magic must be valid.  Header flags FTEXT, FHCRC
 * (checked), FEXTRA, FNAME and FCOMMENT are understood; reserved flag
 * bits are refused.  Each member's CRC-32 and ISIZE are checked.
 */
int gunzip_ws(struct inflate_ws *ws, const uint8_t *in, size_t in_len,
              uint8_t *out, size_t out_max, size_t *out_len);

/*
 * gunzip_ws() with a static workspace.  Meant for the single boot-time
 * user (the dom0 builder on the boot CPU); a concurrent second caller gets
 * -EBUSY rather than a corrupted decompression.
 */
int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_max,
           size_t *out_len);

/*
 * The uncompressed size that a gzip file at in[0, len) claims: its last
 * four bytes (ISIZE of the last member, size modulo 2^32).  Only a hint
 * for sizing the output buffer: it is wrong for files over 4 GiB and for
 * files with trailing padding, and gunzip() still bounds its output.
 * Returns 0, or -EINVAL when the data does not start like a gzip file
 * (magic 1f 8b, method 8) or is shorter than the smallest one (18 bytes).
 */
int gzip_probe(const uint8_t *in, size_t len, size_t *isize);

/*
 * zlib stream (RFC 1950): CMF/FLG header (method 8, window at most 32 KiB,
 * header checksum), DEFLATE data, big-endian Adler-32 of the output.
 * Preset dictionaries (FDICT) are refused with -EINVAL.  Bytes after the
 * Adler-32 are ignored.
 */
int zlib_uncompress(struct inflate_ws *ws, const uint8_t *in, size_t in_len,
                    uint8_t *out, size_t out_max, size_t *out_len);

#endif /* KEEL_INFLATE_H */
