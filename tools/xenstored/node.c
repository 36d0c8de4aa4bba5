/*
 * Node operations with their permission and quota checks: look up, write
 * (creating missing parents), mkdir, recursive rm, set permissions.
 *
 * Each operation first decides (permissions, quotas, sizes), then
 * allocates everything it needs (new records, store slots), and only then
 * changes the store, so a failure leaves no trace.  Watch events go to
 * the context's event list, fired by the caller after the reply (or at
 * commit for a transaction).
 *
 * The rules are Xen's:
 *  - reading needs READ, changing a node needs WRITE on it, and creating
 *    one needs WRITE on its nearest existing ancestor;
 *  - a missing node is ENOENT only to those who could see the nearest
 *    existing ancestor with the access they asked for, EACCES to others,
 *    so that existence does not leak;
 *  - a new node inherits its parent's permissions, but a node created by
 *    an unprivileged domain is owned by that domain;
 *  - an unprivileged domain may own at most nodes_per_domain nodes and
 *    store at most node_size bytes in one node (ENOSPC);
 *  - set_perms needs WRITE and ownership, and an unprivileged owner may
 *    not give the node away (EPERM).
 */
#include "xsd_private.h"

static bool unprivileged(const struct xsd_ctx *c)
{
    return c->conn && !c->conn->privileged;
}

static unsigned int access_of(const struct xsd_ctx *c, const struct xsd_rec *r)
{
    return xsd_perm_for(c->conn, r->perms, r->nr_perms);
}

static bool too_big(const struct xsd_ctx *c, const struct xsd_rec *r)
{
    return unprivileged(c) && xsd_rec_size(r) >= c->xsd->quota.node_size;
}

int xsd_node_lookup(const struct xsd_ctx *c, const char *path,
                    unsigned int want, struct xsd_rec **rec)
{
    char anc[XSD_PATH_BUF];
    struct xsd_rec *r;
    int rc;

    rc = xsd_db_get(c, path, &r);
    if ( rc == 0 )
    {
        if ( (access_of(c, r) & want) != want )
            return XEN_EACCES;
        *rec = r;
        return 0;
    }
    if ( rc != XEN_ENOENT )
        return rc;

    memcpy(anc, path, strlen(path) + 1);
    while ( xsd_path_parent(anc, anc) )
    {
        rc = xsd_db_get(c, anc, &r);
        if ( rc == XEN_ENOENT )
            continue;
        if ( rc )
            return rc;
        return (access_of(c, r) & want) == want ? XEN_ENOENT : XEN_EACCES;
    }
    return XEN_ENOENT;
}

/* The missing nodes between @path and its nearest existing ancestor. */
struct missing {
    char **paths;                   /* [0] = @path, deepest first */
    unsigned int nr;
    char anc[XSD_PATH_BUF];
    struct xsd_rec *anc_rec;        /* borrowed */
};

static void missing_free(struct missing *m)
{
    unsigned int i;

    for ( i = 0; i < m->nr; i++ )
        free(m->paths[i]);
    free(m->paths);
}

static int missing_find(const struct xsd_ctx *c, const char *path,
                        struct missing *m)
{
    unsigned int max = 0;
    int rc;

    m->paths = NULL;
    m->nr = 0;
    memcpy(m->anc, path, strlen(path) + 1);
    for ( ;; )
    {
        if ( m->nr == max )
        {
            char **p;

            max = max ? max * 2 : 8;
            p = realloc(m->paths, max * sizeof(*p));
            if ( !p )
                return XEN_ENOMEM;
            m->paths = p;
        }
        m->paths[m->nr] = xsd_strdup(m->anc);
        if ( !m->paths[m->nr] )
            return XEN_ENOMEM;
        m->nr++;
        if ( !xsd_path_parent(m->anc, m->anc) )
            return XEN_ENOENT;      /* no root: cannot happen */
        rc = xsd_db_get(c, m->anc, &m->anc_rec);
        if ( rc != XEN_ENOENT )
            return rc;
    }
}

/*
 * Create @path and any missing parents; @path gets @value, the parents an
 * empty one.  The caller checked that WRITE on the nearest existing
 * ancestor is granted.
 */
static int create(const struct xsd_ctx *c, const char *path,
                  const void *value, uint32_t vlen)
{
    struct xsd *xsd = c->xsd;
    struct missing m;
    struct xsd_rec *anc_new = NULL, **recs = NULL;
    struct xsd_perm *perms = NULL;
    unsigned int i, owner, reserved = 0;
    int rc;

    rc = missing_find(c, path, &m);
    if ( rc )
        goto out;

    owner = unprivileged(c) ? c->conn->domid : xsd_rec_owner(m.anc_rec);
    if ( unprivileged(c) &&
         xsd_db_nodes(c, owner) + m.nr > xsd->quota.nodes_per_domain )
    {
        rc = XEN_ENOSPC;
        goto out;
    }

    /* Allocate everything before changing anything. */
    rc = XEN_ENOMEM;
    if ( !c->txn && !xsd_acct_find(xsd, owner, true) )
        goto out;
    for ( ; reserved < m.nr; reserved++ )
        if ( (rc = xsd_db_reserve(c, m.paths[reserved])) )
            goto out;
    rc = XEN_ENOMEM;
    perms = malloc(m.anc_rec->nr_perms * sizeof(*perms));
    recs = calloc(m.nr, sizeof(*recs));
    if ( !perms || !recs )
        goto out;
    memcpy(perms, m.anc_rec->perms, m.anc_rec->nr_perms * sizeof(*perms));
    perms[0].domid = owner;
    if ( !xsd_rec_has_child(m.anc_rec, xsd_path_leaf(m.paths[m.nr - 1])) )
    {
        anc_new = xsd_rec_with_child(m.anc_rec,
                                     xsd_path_leaf(m.paths[m.nr - 1]));
        if ( !anc_new )
            goto out;
    }
    for ( i = 0; i < m.nr; i++ )
    {
        const char *child = i ? xsd_path_leaf(m.paths[i - 1]) : NULL;

        recs[i] = xsd_rec_new(perms, m.anc_rec->nr_perms,
                              i ? NULL : value, i ? 0 : vlen,
                              child, child ? (uint32_t)strlen(child) + 1 : 0);
        if ( !recs[i] )
            goto out;
    }

    rc = XEN_ENOSPC;
    if ( anc_new && too_big(c, anc_new) )
        goto out;
    for ( i = 0; i < m.nr; i++ )
        if ( too_big(c, recs[i]) )
            goto out;

    /* Commit: every slot exists and every count too, nothing can fail. */
    xsd_evlist_add(c->events, path, false, recs[0]);
    if ( anc_new )
    {
        xsd_db_put(c, m.anc, anc_new);
        anc_new = NULL;
    }
    for ( i = m.nr; i-- > 0; )
    {
        xsd_db_put(c, m.paths[i], recs[i]);
        recs[i] = NULL;
    }
    rc = 0;

 out:
    xsd_rec_put(anc_new);
    for ( i = 0; recs && i < m.nr; i++ )
        xsd_rec_put(recs[i]);
    for ( i = 0; i < reserved; i++ )
        xsd_db_unreserve(c, m.paths[i]);
    free(recs);
    free(perms);
    missing_free(&m);
    return rc;
}

int xsd_node_write(const struct xsd_ctx *c, const char *path,
                   const void *value, uint32_t vlen)
{
    struct xsd_rec *r, *n;
    int rc;

    rc = xsd_node_lookup(c, path, XSD_PERM_WRITE, &r);
    if ( rc == XEN_ENOENT )
        return create(c, path, value, vlen);
    if ( rc )
        return rc;

    n = xsd_rec_with_value(r, value, vlen);
    if ( !n )
        return XEN_ENOMEM;
    if ( too_big(c, n) )
    {
        xsd_rec_put(n);
        return XEN_ENOSPC;
    }
    rc = xsd_db_put(c, path, n);
    if ( rc == 0 )
        xsd_evlist_add(c->events, path, false, n);
    return rc;
}

/* An existing node is left alone: no change, no event. */
int xsd_node_mkdir(const struct xsd_ctx *c, const char *path)
{
    struct xsd_rec *r;
    int rc;

    rc = xsd_node_lookup(c, path, XSD_PERM_WRITE, &r);
    if ( rc == XEN_ENOENT )
        return create(c, path, NULL, 0);
    return rc;
}

/* Every path of the subtree at @path, parents before children. */
static int collect_subtree(const struct xsd_ctx *c, const char *path,
                           char ***out, unsigned int *nr)
{
    char **list = NULL;
    unsigned int n = 0, max = 0, i;
    int rc = XEN_ENOMEM;

    for ( i = 0; ; i++ )
    {
        struct xsd_rec *r;
        uint32_t off;

        if ( i == n && i > 0 )
            break;
        if ( n == max )
        {
            char **l;

            max = max ? max * 2 : 16;
            l = realloc(list, max * sizeof(*l));
            if ( !l )
                goto fail;
            list = l;
        }
        if ( i == 0 )
        {
            if ( !(list[n] = xsd_strdup(path)) )
                goto fail;
            n++;
        }

        rc = xsd_db_get(c, list[i], &r);
        if ( rc == XEN_ENOENT )
            continue;               /* a name without a node: skip it */
        if ( rc )
            goto fail;
        rc = XEN_ENOMEM;
        for ( off = 0; off < r->clen; )
        {
            const char *leaf = r->children + off;

            off += (uint32_t)strlen(leaf) + 1;
            if ( n == max )
            {
                char **l;

                max *= 2;
                l = realloc(list, max * sizeof(*l));
                if ( !l )
                    goto fail;
                list = l;
            }
            if ( !(list[n] = xsd_path_join(list[i], leaf)) )
                goto fail;
            n++;
        }
    }
    *out = list;
    *nr = n;
    return 0;

 fail:
    while ( n > 0 )
        free(list[--n]);
    free(list);
    return rc;
}

/*
 * xenstore.txt: removing a missing node is fine as long as its parent
 * exists.  The root cannot be removed.
 */
int xsd_node_rm(const struct xsd_ctx *c, const char *path)
{
    char parent[XSD_PATH_BUF];
    struct xsd_rec *r, *p, *pnew;
    char **list;
    unsigned int nr, i;
    int rc;

    if ( !xsd_path_parent(path, parent) )
        return XEN_EINVAL;
    rc = xsd_node_lookup(c, path, XSD_PERM_WRITE, &r);
    if ( rc == XEN_ENOENT )
        return xsd_db_get(c, parent, &p);
    if ( rc )
        return rc;
    rc = xsd_db_get(c, parent, &p);
    if ( rc )
        return rc;

    pnew = xsd_rec_without_child(p, xsd_path_leaf(path));
    if ( !pnew )
        return XEN_ENOMEM;
    rc = collect_subtree(c, path, &list, &nr);
    if ( rc )
    {
        xsd_rec_put(pnew);
        return rc;
    }

    xsd_evlist_add(c->events, path, true, r);
    xsd_db_put(c, parent, pnew);
    for ( i = nr; i-- > 0; )
    {
        xsd_db_del(c, list[i]);
        free(list[i]);
    }
    free(list);
    return 0;
}

int xsd_node_set_perms(const struct xsd_ctx *c, const char *path,
                       const struct xsd_perm *perms, uint32_t n)
{
    struct xsd_rec *r, *nr;
    int rc;

    rc = xsd_node_lookup(c, path, XSD_PERM_WRITE | XSD_PERM_OWNER, &r);
    if ( rc )
        return rc;
    if ( unprivileged(c) && perms[0].domid != xsd_rec_owner(r) )
        return XEN_EPERM;

    nr = xsd_rec_with_perms(r, perms, n);
    if ( !nr )
        return XEN_ENOMEM;
    if ( too_big(c, nr) )
    {
        xsd_rec_put(nr);
        return XEN_ENOSPC;
    }
    rc = xsd_db_put(c, path, nr);
    if ( rc == 0 )
        xsd_evlist_add(c->events, path, false, nr);
    return rc;
}
