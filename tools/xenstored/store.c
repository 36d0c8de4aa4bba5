/*
 * The node store: records, the path -> record table, transaction views of
 * it, and the count of nodes each domain owns.
 *
 * The store is flat: every node is an entry keyed by its full path, and a
 * node's record lists its children's leaf names (as Xen's database does).
 * That makes a transaction a second, small table of the paths it touched,
 * laid over the store (see txn.c): xsd_db_get/put/del below go to the
 * store directly when the operation has no transaction, and to the
 * transaction's table otherwise, which first copies (by reference) what
 * the store held when the path was first touched.
 *
 * Invariants: every stored record has at least one permission entry;
 * xsd->acct counts, per owner, the stored records; a store entry has a
 * NULL record only while an operation has reserved it and is about to
 * fill it (so multi-node operations allocate everything before they
 * change anything and cannot fail half way).
 */
#include "xsd_private.h"

/* Per-record overhead counted against the node_size quota, as Xen's
 * database header is (generation, counts) before perms, value, children. */
#define XSD_REC_OVERHEAD 24u
#define XSD_PERM_SIZE    8u

/* A record with room for @clen bytes of children, left for the caller. */
static struct xsd_rec *rec_alloc(const struct xsd_perm *perms,
                                 uint32_t nr_perms, const void *value,
                                 uint32_t vlen, uint32_t clen)
{
    size_t psize = (size_t)nr_perms * sizeof(*perms);
    struct xsd_rec *r = malloc(sizeof(*r) + psize + vlen + clen + 1);
    uint8_t *p;

    if ( !r )
        return NULL;
    p = (uint8_t *)(r + 1);
    r->refs = 1;
    r->gen = 0;
    r->nr_perms = nr_perms;
    r->vlen = vlen;
    r->clen = clen;
    r->perms = (struct xsd_perm *)p;
    memcpy(r->perms, perms, psize);
    r->value = p + psize;
    if ( vlen )
        memcpy(r->value, value, vlen);
    r->children = (char *)r->value + vlen;
    r->children[clen] = '\0';      /* so the last name is always ended */
    return r;
}

struct xsd_rec *xsd_rec_new(const struct xsd_perm *perms, uint32_t nr_perms,
                            const void *value, uint32_t vlen,
                            const char *children, uint32_t clen)
{
    struct xsd_rec *r = rec_alloc(perms, nr_perms, value, vlen, clen);

    if ( r && clen )
        memcpy(r->children, children, clen);
    return r;
}

void xsd_rec_get(struct xsd_rec *r)
{
    r->refs++;
}

void xsd_rec_put(struct xsd_rec *r)
{
    if ( r && --r->refs == 0 )
        free(r);
}

struct xsd_rec *xsd_rec_with_value(const struct xsd_rec *r,
                                   const void *value, uint32_t vlen)
{
    return xsd_rec_new(r->perms, r->nr_perms, value, vlen,
                       r->children, r->clen);
}

struct xsd_rec *xsd_rec_with_perms(const struct xsd_rec *r,
                                   const struct xsd_perm *perms, uint32_t n)
{
    return xsd_rec_new(perms, n, r->value, r->vlen, r->children, r->clen);
}

bool xsd_rec_has_child(const struct xsd_rec *r, const char *leaf)
{
    uint32_t off = 0;

    while ( off < r->clen )
    {
        const char *name = r->children + off;

        if ( !strcmp(name, leaf) )
            return true;
        off += (uint32_t)strlen(name) + 1;
    }
    return false;
}

struct xsd_rec *xsd_rec_with_child(const struct xsd_rec *r, const char *leaf)
{
    uint32_t llen = (uint32_t)strlen(leaf) + 1;
    struct xsd_rec *n = rec_alloc(r->perms, r->nr_perms, r->value, r->vlen,
                                  r->clen + llen);

    if ( n )
    {
        memcpy(n->children, r->children, r->clen);
        memcpy(n->children + r->clen, leaf, llen);
    }
    return n;
}

struct xsd_rec *xsd_rec_without_child(const struct xsd_rec *r,
                                      const char *leaf)
{
    uint32_t off = 0;

    while ( off < r->clen )
    {
        const char *name = r->children + off;
        uint32_t len = (uint32_t)strlen(name) + 1;

        if ( !strcmp(name, leaf) )
        {
            struct xsd_rec *n = rec_alloc(r->perms, r->nr_perms, r->value,
                                          r->vlen, r->clen - len);

            if ( n )
            {
                memcpy(n->children, r->children, off);
                memcpy(n->children + off, r->children + off + len,
                       r->clen - off - len);
            }
            return n;
        }
        off += len;
    }
    return xsd_rec_new(r->perms, r->nr_perms, r->value, r->vlen,
                       r->children, r->clen);
}

size_t xsd_rec_size(const struct xsd_rec *r)
{
    return XSD_REC_OVERHEAD + (size_t)r->nr_perms * XSD_PERM_SIZE +
           r->vlen + r->clen;
}

/* ---- per-domain node counts --------------------------------------------- */

struct xsd_acct *xsd_acct_find(struct xsd *xsd, unsigned int domid,
                               bool create)
{
    unsigned int i;

    for ( i = 0; i < xsd->nr_acct; i++ )
        if ( xsd->acct[i].domid == domid )
            return &xsd->acct[i];
    if ( !create )
        return NULL;
    if ( xsd->nr_acct == xsd->max_acct )
    {
        unsigned int max = xsd->max_acct ? xsd->max_acct * 2 : 16;
        struct xsd_acct *a = realloc(xsd->acct, max * sizeof(*a));

        if ( !a )
            return NULL;
        xsd->acct = a;
        xsd->max_acct = max;
    }
    xsd->acct[xsd->nr_acct].domid = domid;
    xsd->acct[xsd->nr_acct].nodes = 0;
    return &xsd->acct[xsd->nr_acct++];
}

static void acct_add(struct xsd *xsd, const struct xsd_rec *r, int delta)
{
    struct xsd_acct *a;

    if ( !r )
        return;
    /* Callers made sure the entry exists before changing anything. */
    a = xsd_acct_find(xsd, xsd_rec_owner(r), delta > 0);
    if ( !a )
        return;
    if ( delta > 0 )
        a->nodes++;
    else if ( a->nodes )
        a->nodes--;
}

/* ---- the store and transaction views ------------------------------------ */

static struct xsd_entry *entry_new(const char *path)
{
    struct xsd_entry *e = calloc(1, sizeof(*e));

    if ( !e )
        return NULL;
    e->h.key = xsd_strdup(path);
    if ( !e->h.key )
    {
        free(e);
        return NULL;
    }
    return e;
}

static void entry_free(struct xsd_entry *e)
{
    xsd_rec_put(e->rec);
    xsd_rec_put(e->base);
    free(e->h.key);
    free(e);
}

static struct xsd_entry *store_entry(const struct xsd *xsd, const char *path)
{
    return (struct xsd_entry *)xsd_hmap_get(&xsd->store, path);
}

/*
 * The transaction's entry for @path, created on first touch with what the
 * store holds now.  An unprivileged connection may touch at most txn_nodes
 * paths in one transaction (Xen's transaction-nodes quota: ENOSPC).
 */
static int txn_entry(const struct xsd_ctx *c, const char *path,
                     struct xsd_entry **out)
{
    struct xsd_hmap *map = xsd_txn_map(c->txn);
    struct xsd_entry *e = (struct xsd_entry *)xsd_hmap_get(map, path);
    struct xsd_entry *s;

    if ( !e )
    {
        if ( c->conn && !c->conn->privileged &&
             xsd_txn_entries(c->txn) >= c->xsd->quota.txn_nodes )
            return XEN_ENOSPC;
        e = entry_new(path);
        if ( !e )
            return XEN_ENOMEM;
        s = store_entry(c->xsd, path);
        if ( s && s->rec )
        {
            e->base = s->rec;
            e->rec = s->rec;
            xsd_rec_get(s->rec);
            xsd_rec_get(s->rec);
        }
        xsd_hmap_insert(map, &e->h);
    }
    *out = e;
    return 0;
}

/* Look @path up; on success *rec is a borrowed reference. */
int xsd_db_get(const struct xsd_ctx *c, const char *path,
               struct xsd_rec **rec)
{
    struct xsd_entry *e;
    int rc;

    if ( c->txn )
    {
        rc = txn_entry(c, path, &e);
        if ( rc )
            return rc;
    }
    else
        e = store_entry(c->xsd, path);
    if ( !e || !e->rec )
        return XEN_ENOENT;
    *rec = e->rec;
    return 0;
}

/*
 * Store @rec (consuming the caller's reference) at @path.  Fails only for
 * a path that was neither looked up in this transaction nor reserved, or
 * for a new owner with no count yet: callers that change several nodes
 * look up, reserve and xsd_acct_find(create) first.
 */
int xsd_db_put(const struct xsd_ctx *c, const char *path,
               struct xsd_rec *rec)
{
    struct xsd *xsd = c->xsd;
    struct xsd_entry *e;
    int rc;

    if ( c->txn )
    {
        rc = txn_entry(c, path, &e);
        if ( rc )
        {
            xsd_rec_put(rec);
            return rc;
        }
        xsd_rec_put(e->rec);
        e->rec = rec;
        e->modified = true;
        return 0;
    }

    if ( !xsd_acct_find(xsd, xsd_rec_owner(rec), true) )
    {
        xsd_rec_put(rec);
        return XEN_ENOMEM;
    }
    e = store_entry(xsd, path);
    if ( !e )
    {
        e = entry_new(path);
        if ( !e )
        {
            xsd_rec_put(rec);
            return XEN_ENOMEM;
        }
        xsd_hmap_insert(&xsd->store, &e->h);
    }
    acct_add(xsd, e->rec, -1);
    xsd_rec_put(e->rec);
    e->rec = rec;
    rec->gen = ++xsd->gen;
    acct_add(xsd, rec, 1);
    return 0;
}

/* Remove one node (not its children).  Never allocates for a path that
 * was looked up before in the same transaction. */
void xsd_db_del(const struct xsd_ctx *c, const char *path)
{
    struct xsd_entry *e;

    if ( c->txn )
    {
        if ( txn_entry(c, path, &e) )
            return;
        xsd_rec_put(e->rec);
        e->rec = NULL;
        e->modified = true;
        return;
    }
    e = store_entry(c->xsd, path);
    if ( !e )
        return;
    acct_add(c->xsd, e->rec, -1);
    xsd_hmap_remove(&c->xsd->store, &e->h);
    entry_free(e);
}

/* Make sure a later xsd_db_put(@path) cannot fail for want of memory. */
int xsd_db_reserve(const struct xsd_ctx *c, const char *path)
{
    struct xsd_entry *e;

    if ( c->txn )
        return txn_entry(c, path, &e);
    if ( store_entry(c->xsd, path) )
        return 0;
    e = entry_new(path);
    if ( !e )
        return XEN_ENOMEM;
    xsd_hmap_insert(&c->xsd->store, &e->h);
    return 0;
}

/* Undo a reservation that was not used. */
void xsd_db_unreserve(const struct xsd_ctx *c, const char *path)
{
    struct xsd_entry *e;

    if ( c->txn )
        return;                     /* a touched path stays touched */
    e = store_entry(c->xsd, path);
    if ( e && !e->rec )
    {
        xsd_hmap_remove(&c->xsd->store, &e->h);
        entry_free(e);
    }
}

/* Nodes @domid owns as this context sees the store. */
unsigned int xsd_db_nodes(const struct xsd_ctx *c, unsigned int domid)
{
    struct xsd_acct *a = xsd_acct_find(c->xsd, domid, false);
    long n = a ? (long)a->nodes : 0;
    const struct xsd_hnode *h = NULL;
    uint32_t pos = 0;

    if ( !c->txn )
        return (unsigned int)n;
    while ( (h = xsd_hmap_next(xsd_txn_map(c->txn), h, &pos)) )
    {
        const struct xsd_entry *e = (const struct xsd_entry *)h;

        if ( !e->modified )
            continue;
        if ( e->rec && xsd_rec_owner(e->rec) == domid )
            n++;
        if ( e->base && xsd_rec_owner(e->base) == domid )
            n--;
    }
    return n < 0 ? 0 : (unsigned int)n;
}

unsigned int xsd_domain_nodes(const struct xsd *xsd, unsigned int domid)
{
    unsigned int i;

    for ( i = 0; i < xsd->nr_acct; i++ )
        if ( xsd->acct[i].domid == domid )
            return xsd->acct[i].nodes;
    return 0;
}

/* ---- committing a transaction's table ----------------------------------- */

/* True if nothing the transaction touched has changed in the store since. */
bool xsd_store_txn_clean(const struct xsd *xsd, const struct xsd_hmap *map)
{
    const struct xsd_hnode *h = NULL;
    uint32_t pos = 0;

    /*
     * Comparing record identity is exact: the transaction holds a
     * reference to its base record, so that address cannot have been
     * reused for a newer one.
     */
    while ( (h = xsd_hmap_next(map, h, &pos)) )
    {
        const struct xsd_entry *e = (const struct xsd_entry *)h;
        const struct xsd_entry *s = store_entry(xsd, e->h.key);

        if ( (s ? s->rec : NULL) != e->base )
            return false;
    }
    return true;
}

/* Allocate what applying needs: a count for every owner that appears. */
int xsd_store_txn_prepare(struct xsd *xsd, const struct xsd_hmap *map)
{
    const struct xsd_hnode *h = NULL;
    uint32_t pos = 0;

    while ( (h = xsd_hmap_next(map, h, &pos)) )
    {
        const struct xsd_entry *e = (const struct xsd_entry *)h;

        if ( e->modified && e->rec &&
             !xsd_acct_find(xsd, xsd_rec_owner(e->rec), true) )
            return XEN_ENOMEM;
    }
    return 0;
}

/*
 * Move the transaction's changes into the store.  New paths move their
 * entry over, so nothing is allocated and nothing can fail.
 */
void xsd_store_txn_apply(struct xsd *xsd, struct xsd_hmap *map)
{
    struct xsd_hnode *h, *next;
    uint32_t pos = 0;

    for ( h = xsd_hmap_next(map, NULL, &pos); h; h = next )
    {
        struct xsd_entry *e = (struct xsd_entry *)h;
        struct xsd_entry *s = store_entry(xsd, e->h.key);

        next = xsd_hmap_next(map, h, &pos);
        if ( !e->modified )
            continue;
        if ( s )
        {
            acct_add(xsd, s->rec, -1);
            xsd_rec_put(s->rec);
            s->rec = NULL;
        }
        if ( !e->rec )
        {
            if ( s )
            {
                xsd_hmap_remove(&xsd->store, &s->h);
                entry_free(s);
            }
            continue;
        }
        e->rec->gen = ++xsd->gen;
        acct_add(xsd, e->rec, 1);
        if ( s )
        {
            s->rec = e->rec;
            e->rec = NULL;
            continue;
        }
        xsd_hmap_remove(map, &e->h);
        xsd_rec_put(e->base);
        e->base = NULL;
        e->modified = false;
        xsd_hmap_insert(&xsd->store, &e->h);
    }
}

void xsd_store_txn_free(struct xsd_hmap *map)
{
    struct xsd_hnode *h;

    if ( !map->buckets )
        return;
    while ( (h = xsd_hmap_any(map)) )
    {
        xsd_hmap_remove(map, h);
        entry_free((struct xsd_entry *)h);
    }
    xsd_hmap_fini(map);
}

/* ---- store lifetime ----------------------------------------------------- */

int xsd_store_init(struct xsd *xsd)
{
    static const struct xsd_perm root_perm = { 0, XSD_PERM_NONE };
    struct xsd_ctx c = { .xsd = xsd };
    struct xsd_rec *root;

    if ( xsd_hmap_init(&xsd->store) )
        return XEN_ENOMEM;
    root = xsd_rec_new(&root_perm, 1, NULL, 0, NULL, 0);
    if ( !root )
        return XEN_ENOMEM;
    return xsd_db_put(&c, "/", root);
}

void xsd_store_fini(struct xsd *xsd)
{
    struct xsd_hnode *h;

    if ( !xsd->store.buckets )
        return;
    while ( (h = xsd_hmap_any(&xsd->store)) )
    {
        xsd_hmap_remove(&xsd->store, h);
        entry_free((struct xsd_entry *)h);
    }
    xsd_hmap_fini(&xsd->store);
    free(xsd->acct);
    xsd->acct = NULL;
    xsd->nr_acct = xsd->max_acct = 0;
}

/*
 * A domain is gone: its nodes become dom0's and entries naming it are
 * dropped, so a new domain that gets the same id inherits nothing (Xen
 * does the same, lazily, since XSA-322).  The records change, so open
 * transactions that touched them will get EAGAIN.  If memory runs out a
 * node keeps its old permissions, and that is logged.
 */
void xsd_store_forget_domain(struct xsd *xsd, unsigned int domid)
{
    struct xsd_hnode *h = NULL;
    uint32_t pos = 0;

    if ( !xsd_acct_find(xsd, 0, true) )
        xsd_log(xsd, "domain %u: no memory to give its nodes to dom0",
                domid);
    while ( (h = xsd_hmap_next(&xsd->store, h, &pos)) )
    {
        struct xsd_entry *e = (struct xsd_entry *)h;
        struct xsd_perm *p;
        struct xsd_rec *n;
        uint32_t i, k = 1;
        bool touched;

        if ( !e->rec )
            continue;
        touched = xsd_rec_owner(e->rec) == domid;
        for ( i = 1; i < e->rec->nr_perms; i++ )
            touched |= e->rec->perms[i].domid == domid;
        if ( !touched )
            continue;

        p = malloc(e->rec->nr_perms * sizeof(*p));
        n = NULL;
        if ( p )
        {
            p[0] = e->rec->perms[0];
            if ( p[0].domid == domid )
                p[0].domid = 0;
            for ( i = 1; i < e->rec->nr_perms; i++ )
                if ( e->rec->perms[i].domid != domid )
                    p[k++] = e->rec->perms[i];
            n = xsd_rec_with_perms(e->rec, p, k);
            free(p);
        }
        if ( !n || !xsd_acct_find(xsd, xsd_rec_owner(n), false) )
        {
            xsd_rec_put(n);
            xsd_log(xsd, "domain %u: no memory to drop it from %s",
                    domid, e->h.key);
            continue;
        }
        acct_add(xsd, e->rec, -1);
        xsd_rec_put(e->rec);
        e->rec = n;
        n->gen = ++xsd->gen;
        acct_add(xsd, n, 1);
    }
}
