/*
 * Node permissions: the wire form and the access decision.
 *
 * On the wire a permission is a letter and a domain id: "n5" no access,
 * "r5" read, "w5" write, "b5" both.  A node carries a list of them.  The
 * first names the node's owner, who may do anything, and gives the
 * access of every domain not listed later; each later entry gives the
 * access of the domain it names (the first match wins).  Privileged
 * connections (dom0) may do anything.  A connection with a target
 * (XS_SET_TARGET, a device model) also acts as its target: it owns what
 * the target owns and gets the target's entries.
 */
#include "xsd_private.h"

unsigned int xsd_perm_for(const struct xsd_conn *conn,
                          const struct xsd_perm *perms, uint32_t n)
{
    const unsigned int all = XSD_PERM_BOTH | XSD_PERM_OWNER;
    uint32_t i;

    if ( !conn || conn->privileged )
        return all;
    if ( n == 0 )
        return XSD_PERM_NONE;
    if ( perms[0].domid == conn->domid ||
         (conn->has_target && perms[0].domid == conn->target) )
        return all;
    for ( i = 1; i < n; i++ )
        if ( perms[i].domid == conn->domid ||
             (conn->has_target && perms[i].domid == conn->target) )
            return perms[i].access;
    return perms[0].access;
}

/* Returns 0 or XEN_EINVAL.  Domain ids are 16-bit on the wire. */
int xsd_perm_parse(const char *s, struct xsd_perm *p)
{
    uint64_t id;

    switch ( s[0] )
    {
    case 'n': p->access = XSD_PERM_NONE;  break;
    case 'r': p->access = XSD_PERM_READ;  break;
    case 'w': p->access = XSD_PERM_WRITE; break;
    case 'b': p->access = XSD_PERM_BOTH;  break;
    default:
        return XEN_EINVAL;
    }
    if ( !xsd_parse_uint(s + 1, 0xffff, &id) )
        return XEN_EINVAL;
    p->domid = (uint32_t)id;
    return 0;
}

/* Returns the length written (without the NUL), or -1 if @len is short. */
int xsd_perm_format(const struct xsd_perm *p, char *buf, size_t len)
{
    static const char letters[] = "nrwb";
    int n = snprintf(buf, len, "%c%u", letters[p->access & XSD_PERM_BOTH],
                     (unsigned int)p->domid);

    return (n < 0 || (size_t)n >= len) ? -1 : n;
}
