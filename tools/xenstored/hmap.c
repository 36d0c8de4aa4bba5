/*
 * A string-keyed hash table with intrusive nodes.
 *
 * The store maps every path to its record, and each transaction maps the
 * paths it touched; both use this table.  Nodes are embedded in their
 * containers, so inserting never allocates a node: a transaction commit
 * can move its entries into the store without an allocation that could
 * fail half way.  Growing the bucket array may fail; the table then just
 * keeps its size and gets longer chains, which is slower but correct.
 */
#include "xsd_private.h"

#define HMAP_MIN_BUCKETS 64u

/* FNV-1a: simple, and good enough for path names. */
static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;

    for ( ; *s; s++ )
    {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

int xsd_hmap_init(struct xsd_hmap *m)
{
    m->buckets = calloc(HMAP_MIN_BUCKETS, sizeof(*m->buckets));
    m->nr_buckets = HMAP_MIN_BUCKETS;
    m->count = 0;
    return m->buckets ? 0 : XEN_ENOMEM;
}

void xsd_hmap_fini(struct xsd_hmap *m)
{
    free(m->buckets);
    m->buckets = NULL;
    m->nr_buckets = 0;
    m->count = 0;
}

struct xsd_hnode *xsd_hmap_get(const struct xsd_hmap *m, const char *key)
{
    uint32_t h = hash_str(key);
    struct xsd_hnode *n;

    for ( n = m->buckets[h & (m->nr_buckets - 1)]; n; n = n->next )
        if ( n->hash == h && !strcmp(n->key, key) )
            return n;
    return NULL;
}

static void grow(struct xsd_hmap *m)
{
    uint32_t nb = m->nr_buckets * 2, i;
    struct xsd_hnode **b;

    if ( nb < m->nr_buckets )
        return;
    b = calloc(nb, sizeof(*b));
    if ( !b )
        return;
    for ( i = 0; i < m->nr_buckets; i++ )
    {
        struct xsd_hnode *n = m->buckets[i], *next;

        for ( ; n; n = next )
        {
            next = n->next;
            n->next = b[n->hash & (nb - 1)];
            b[n->hash & (nb - 1)] = n;
        }
    }
    free(m->buckets);
    m->buckets = b;
    m->nr_buckets = nb;
}

/* @n->key is set and not yet in the table. */
void xsd_hmap_insert(struct xsd_hmap *m, struct xsd_hnode *n)
{
    uint32_t slot;

    if ( m->count >= m->nr_buckets )
        grow(m);
    n->hash = hash_str(n->key);
    slot = n->hash & (m->nr_buckets - 1);
    n->next = m->buckets[slot];
    m->buckets[slot] = n;
    m->count++;
}

void xsd_hmap_remove(struct xsd_hmap *m, struct xsd_hnode *n)
{
    struct xsd_hnode **pp = &m->buckets[n->hash & (m->nr_buckets - 1)];

    for ( ; *pp; pp = &(*pp)->next )
        if ( *pp == n )
        {
            *pp = n->next;
            n->next = NULL;
            m->count--;
            return;
        }
}

struct xsd_hnode *xsd_hmap_any(const struct xsd_hmap *m)
{
    uint32_t i;

    if ( !m->count )
        return NULL;
    for ( i = 0; i < m->nr_buckets; i++ )
        if ( m->buckets[i] )
            return m->buckets[i];
    return NULL;
}

struct xsd_hnode *xsd_hmap_next(const struct xsd_hmap *m,
                                const struct xsd_hnode *prev, uint32_t *pos)
{
    if ( prev && prev->next )
        return prev->next;
    if ( prev )
        (*pos)++;
    for ( ; *pos < m->nr_buckets; (*pos)++ )
        if ( m->buckets[*pos] )
            return m->buckets[*pos];
    return NULL;
}
