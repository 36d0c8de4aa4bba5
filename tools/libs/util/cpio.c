/*
 * newc cpio reader (see include/cpio.h).
 *
 * Each member: a 110-byte ASCII header ("070701" and thirteen 8-digit hex
 * fields: ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
 * devminor, rdevmajor, rdevminor, namesize, check), the name (namesize
 * bytes including its NUL), padding to a multiple of 4 from the start of
 * the header, the data (filesize bytes), padding to 4.  The member named
 * "TRAILER!!!" ends the archive.  The "070702" variant (with checksums)
 * has the same layout and is accepted.
 */
#include <string.h>
#include <cpio.h>

#define HDR_LEN     110
#define ERR_INVAL   (-22)
#define ERR_NOENT   (-2)

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
       F_DEVMAJ, F_DEVMIN, F_RDEVMAJ, F_RDEVMIN, F_NAMESIZE, F_CHECK };

static bool hex8(const uint8_t *p, uint32_t *v)
{
    unsigned int i;

    *v = 0;
    for ( i = 0; i < 8; i++ )
    {
        uint8_t c = p[i];
        unsigned int d;

        if ( c >= '0' && c <= '9' )
            d = c - '0';
        else if ( c >= 'a' && c <= 'f' )
            d = c - 'a' + 10;
        else if ( c >= 'A' && c <= 'F' )
            d = c - 'A' + 10;
        else
            return false;
        *v = (*v << 4) | d;
    }
    return true;
}

static size_t pad4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

void cpio_begin(struct cpio_iter *it, const void *buf, size_t len)
{
    it->buf = buf;
    it->len = len;
    it->off = 0;
}

static int bad(const char **why, const char *what)
{
    if ( why )
        *why = what;
    return ERR_INVAL;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e, const char **why)
{
    const uint8_t *h = it->buf + it->off;
    uint32_t f[13];
    size_t left = it->len - it->off, name_end, data_end;
    unsigned int i;

    if ( it->off >= it->len )
        return 0;
    if ( left < HDR_LEN )
        return bad(why, "truncated header");
    if ( memcmp(h, "070701", 6) && memcmp(h, "070702", 6) )
        return bad(why, "not a newc cpio header (magic 070701)");
    for ( i = 0; i < 13; i++ )
        if ( !hex8(h + 6 + 8 * i, &f[i]) )
            return bad(why, "header field is not hexadecimal");
    if ( f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > 4096 )
        return bad(why, "name size out of range");
    name_end = pad4(HDR_LEN + (size_t)f[F_NAMESIZE]);
    if ( name_end > left || h[HDR_LEN + f[F_NAMESIZE] - 1] != '\0' ||
         memchr(h + HDR_LEN, '\0', f[F_NAMESIZE] - 1) )
        return bad(why, "name truncated or not terminated");
    if ( f[F_FILESIZE] > left - name_end )
        return bad(why, "file data runs past the archive");
    data_end = name_end + f[F_FILESIZE];
    e->name = (const char *)h + HDR_LEN;
    e->data = h + name_end;
    e->size = f[F_FILESIZE];
    e->mode = f[F_MODE];
    if ( !strcmp(e->name, "TRAILER!!!") )
    {
        it->off = it->len;
        return 0;
    }
    it->off += pad4(data_end) < left ? pad4(data_end) : left;
    return 1;
}

static const char *strip(const char *p)
{
    for ( ; ; )
    {
        if ( p[0] == '/' )
            p++;
        else if ( p[0] == '.' && p[1] == '/' )
            p += 2;
        else
            return p;
    }
}

int cpio_find(const void *buf, size_t len, const char *path,
              struct cpio_entry *e, const char **why)
{
    struct cpio_iter it;
    int rc;

    path = strip(path);
    cpio_begin(&it, buf, len);
    while ( (rc = cpio_next(&it, e, why)) == 1 )
        if ( (e->mode & CPIO_MODE_TYPE) == CPIO_MODE_FILE &&
             !strcmp(strip(e->name), path) )
            return 0;
    return rc ? rc : ERR_NOENT;
}
