/*
 * libFuzzer harness for common/lib/inflate.c: the input is tried as a gzip
 * file, a zlib stream and a raw DEFLATE stream, into a 1 MiB buffer and
 * into a small heap buffer sized by the first input byte, so that both the
 * success and the output-limit paths run with ASan watching every write.
 */
#include <keel/types.h>
#include <keel/errno.h>
#include <keel/inflate.h>
#include <stdlib.h>
#include <string.h>

#define OUT_MAX (1u << 20)

static struct inflate_ws ws;
static uint8_t out[OUT_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect(bool ok)
{
    if ( !ok )
        abort();
}

static void expect_rc(int rc)
{
    expect(rc == 0 || rc == -EINVAL || rc == -ENOSPC);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t out_len = 0, used = 0, isize, small_max;
    uint8_t *small;
    int rc;

    rc = gunzip_ws(&ws, data, size, out, OUT_MAX, &out_len);
    expect_rc(rc);
    expect(out_len <= OUT_MAX && (rc == 0 || out_len == 0));

    rc = zlib_uncompress(&ws, data, size, out, OUT_MAX, &out_len);
    expect_rc(rc);
    expect(out_len <= OUT_MAX);

    rc = inflate_raw(&ws, data, size, &used, out, OUT_MAX, &out_len);
    expect_rc(rc);
    expect(rc || (used <= size && out_len <= OUT_MAX));

    if ( gzip_probe(data, size, &isize) == 0 )
        expect(size >= 18);

    /* An exact-size heap buffer: any write past the limit is caught. */
    small_max = size ? data[0] * 16u : 0;
    small = malloc(small_max ? small_max : 1);
    expect(small != NULL);
    rc = gunzip_ws(&ws, data, size, small, small_max, &out_len);
    expect_rc(rc);
    expect(out_len <= small_max);
    if ( size > 1 )
    {
        rc = inflate_raw(&ws, data + 1, size - 1, &used, small, small_max,
                         &out_len);
        expect_rc(rc);
    }
    free(small);
    return 0;
}
