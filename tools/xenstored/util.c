/*
 * xenstored helpers: error names, logging, the small string and number
 * routines the portable core needs (no ctype, no strtol, no errno), and
 * the path syntax of docs/misc/xenstore.txt.
 *
 * Path rules, as Xen applies them: a path is absolute ("/..."), made of
 * ASCII letters, digits and "-/_@", without "//", without a trailing "/"
 * (except the root itself).  Its length, after dropping a leading
 * "/local/domain/<domid>/", is at most the path_max quota (2048), so a
 * domain's nodes are equally reachable by relative and absolute paths;
 * nothing is longer than XENSTORE_ABS_PATH_MAX.  Relative paths are
 * resolved against /local/domain/<domid> of the connection.
 */
#include "xsd_private.h"

const char *xsd_errname(int err)
{
    unsigned int i;

    if ( err < 0 )
        err = -err;
    for ( i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++ )
        if ( xsd_errors[i].errnum == err )
            return xsd_errors[i].errstring;
    /* Every code the daemon uses is in the table; this is a safety net. */
    return "EIO";
}

void xsd_log(struct xsd *xsd, const char *fmt, ...)
{
    char line[256];
    va_list ap;

    if ( !xsd->ops.log )
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    xsd->ops.log(xsd->ops.ctx, line);
}

char *xsd_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if ( d )
        memcpy(d, s, n);
    return d;
}

const void *xsd_memchr(const void *p, int c, size_t n)
{
    const unsigned char *s = p;
    size_t i;

    for ( i = 0; i < n; i++ )
        if ( s[i] == (unsigned char)c )
            return s + i;
    return NULL;
}

/* Strict decimal: at least one digit, nothing else, no overflow past @max. */
bool xsd_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if ( !*s )
        return false;
    for ( ; *s; s++ )
    {
        unsigned int d;

        if ( *s < '0' || *s > '9' )
            return false;
        d = (unsigned int)(*s - '0');
        if ( v > (max - d) / 10 )
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* A real domain id: decimal, below DOMID_FIRST_RESERVED. */
bool xsd_parse_domid(const char *s, unsigned int *domid)
{
    uint64_t v;

    if ( !xsd_parse_uint(s, DOMID_FIRST_RESERVED - 1, &v) )
        return false;
    *domid = (unsigned int)v;
    return true;
}

/* Length of a leading "/local/domain/<1-5 digits>/", or 0. */
size_t xsd_home_len(const char *path)
{
    size_t plen = strlen(XSD_HOME_PREFIX), i;

    if ( strncmp(path, XSD_HOME_PREFIX, plen) )
        return 0;
    for ( i = 0; i < 5 && path[plen + i] >= '0' && path[plen + i] <= '9';
          i++ )
        continue;
    if ( i == 0 || path[plen + i] != '/' )
        return 0;
    return plen + i + 1;
}

static bool valid_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
           ch == '_' || ch == '@';
}

bool xsd_path_valid(const struct xsd *xsd, const char *path)
{
    size_t len = strlen(path), i;

    if ( path[0] != '/' || len > XENSTORE_ABS_PATH_MAX )
        return false;
    if ( len > 1 && path[len - 1] == '/' )
        return false;
    if ( len - xsd_home_len(path) > xsd->quota.path_max )
        return false;
    for ( i = 0; i < len; i++ )
    {
        if ( !valid_char(path[i]) )
            return false;
        if ( path[i] == '/' && path[i + 1] == '/' )
            return false;
    }
    return true;
}

/*
 * Resolve @in for @conn into @out (XSD_PATH_BUF bytes).  Returns 0 or
 * XEN_EINVAL.  Special "@" paths are not accepted here; the operations
 * that take them check for them first.
 */
int xsd_canonical(const struct xsd_conn *conn, const char *in, char *out)
{
    size_t len = strlen(in);
    int n;

    if ( in[0] == '/' )
    {
        if ( len >= XSD_PATH_BUF )
            return XEN_EINVAL;
        memcpy(out, in, len + 1);
    }
    else
    {
        if ( len > XENSTORE_REL_PATH_MAX )
            return XEN_EINVAL;
        n = snprintf(out, XSD_PATH_BUF, XSD_HOME_PREFIX "%u/%s",
                     conn->domid, in);
        if ( n < 0 || n >= XSD_PATH_BUF )
            return XEN_EINVAL;
    }
    return xsd_path_valid(conn->xsd, out) ? 0 : XEN_EINVAL;
}

/*
 * xenstore.txt: @child is a child of @parent if they are equal, if it is
 * below it, or if @parent is "/".
 */
bool xsd_path_is_child(const char *child, const char *parent)
{
    size_t plen = strlen(parent);

    if ( !strcmp(parent, "/") )
        return child[0] == '/';
    return !strncmp(child, parent, plen) &&
           (child[plen] == '\0' || child[plen] == '/');
}

char *xsd_path_join(const char *dir, const char *leaf)
{
    size_t dlen = strlen(dir), llen = strlen(leaf);
    bool root = !strcmp(dir, "/");
    char *p = malloc(dlen + llen + 2);

    if ( !p )
        return NULL;
    memcpy(p, dir, dlen);
    if ( !root )
        p[dlen++] = '/';
    memcpy(p + dlen, leaf, llen + 1);
    return p;
}

const char *xsd_path_leaf(const char *path)
{
    return strrchr(path, '/') + 1;
}

/*
 * The parent of a valid path other than "/", into @out (XSD_PATH_BUF);
 * @out may be @path itself.
 */
bool xsd_path_parent(const char *path, char *out)
{
    const char *slash = strrchr(path, '/');
    size_t n;

    if ( !slash || !strcmp(path, "/") )
        return false;
    n = (size_t)(slash - path);
    if ( n == 0 )
        n = 1;                      /* the parent of "/a" is "/" */
    memmove(out, path, n);
    out[n] = '\0';
    return true;
}
